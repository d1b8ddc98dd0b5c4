"""Input/output of `medfl-client deid`: every input document yields exactly one output line, in input order.

Why not `medfl.client.corpus.read_documents`: that reader (built for `prepare`) SKIPS undecodable files and
malformed JSONL lines. The deid command must account for every input document instead, so here a .txt file is
read as bytes (the engine decodes it and quarantines what is not UTF-8) and a bad JSONL line becomes a
quarantined document with id "<file stem>:<line no>" (its content is never echoed).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from medfl.core_model.errors import MedflError
from medfl.privacy.deid.engine import QUARANTINE_KEY, DeidConfig, DeidReport, deidentify_documents

log = logging.getLogger(__name__)


MALFORMED = object()


def jsonl_lines(path: Path) -> Iterator[tuple[int, object]]:
    """(line number, parsed value or MALFORMED) for every non-blank line of a .jsonl file; a UTF-8 BOM on
    the first line is allowed. Callers decide what a malformed line means (quarantine, or an error)."""
    with Path(path).open("rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                yield line_no, json.loads(raw.decode("utf-8-sig" if line_no == 1 else "utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                yield line_no, MALFORMED


def read_input(path: Path) -> Iterator[dict]:
    """Documents of a .jsonl file or a directory of .txt files (id = file name relative to the directory)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*.txt")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        for f in files:
            yield {"id": f.relative_to(path).as_posix(), "text": f.read_bytes()}
        return
    if not path.is_file():
        raise MedflError(f"deid input {path} does not exist")
    if path.suffix.lower() != ".jsonl":
        raise MedflError(f"deid input {path} must be a .jsonl file or a directory of .txt files")
    for line_no, obj in jsonl_lines(path):
        default_id = f"{path.stem}:{line_no}"
        if obj is MALFORMED:
            log.warning("%s:%d: not valid UTF-8 JSON; document quarantined", path, line_no)
            yield {"id": default_id, QUARANTINE_KEY: "malformed_json"}
            continue
        if not isinstance(obj, dict):
            yield {"id": default_id, QUARANTINE_KEY: "not_an_object"}
            continue
        obj["id"] = str(obj["id"]) if obj.get("id") is not None else default_id
        yield obj


def deidentify_path(
    input_path: Path, output_path: Path, config: DeidConfig, report: DeidReport | None = None
) -> DeidReport:
    """De-identify INPUT into OUTPUT (.jsonl), written atomically (temp file + rename)."""
    output_path = Path(output_path)
    report = report if report is not None else DeidReport()
    output_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = output_path.with_name(output_path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for doc in deidentify_documents(read_input(input_path), config, report):
            out.write(json.dumps(doc.to_json_dict(), ensure_ascii=False) + "\n")
    os.replace(tmp, output_path)
    return report
