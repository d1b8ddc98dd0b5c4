"""Read a site's raw documents: one .jsonl file, or a directory of .txt and/or .jsonl files.

Design choices:
- A document is a dict {"id": str, "text": str, ...}; other JSONL fields pass through untouched (prepare
  decides what to keep). JSONL ids default to "<file stem>:<line no>", .txt ids are the path relative to
  the directory (the file name for a flat folder).
- Bad input never stops a run and never leaks content: empty, binary (contains NUL bytes) and non-UTF-8
  files are skipped with a warning that names the file; a malformed JSONL line is reported as file:line.
  The caller passes a `ReadStats` to collect these counts (same pattern as `deidentify_documents(report=)`).
- Each file is checked in full before any of its documents is yielded (a streaming UTF-8 check, so memory
  stays bounded): a file that turns out to be bad half-way contributes nothing rather than half its docs.
- A UTF-8 byte-order mark is accepted and stripped.
"""

from __future__ import annotations

import codecs
import json
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

SUFFIXES = (".jsonl", ".txt")
_CHUNK = 1 << 20


@dataclass
class ReadStats:
    """What the reader saw. Names of skipped files are kept (file names are not document content)."""

    files_read: int = 0
    docs: int = 0
    skipped_files: dict[str, list[str]] = field(
        default_factory=lambda: {"empty": [], "binary": [], "non_utf8": []}
    )
    bad_lines: list[str] = field(default_factory=list)  # "file:line: reason"

    @property
    def n_skipped_files(self) -> int:
        return sum(len(v) for v in self.skipped_files.values())

    def to_dict(self) -> dict:
        d = asdict(self)
        d["n_skipped_files"] = self.n_skipped_files
        d["n_bad_lines"] = len(self.bad_lines)
        return d


def _check_file(path: Path) -> str | None:
    """Return why the file must be skipped ("empty", "binary", "non_utf8") or None if it is good text."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    has_text = False
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            if b"\x00" in chunk:
                return "binary"
            try:
                s = decoder.decode(chunk)
            except UnicodeDecodeError:
                return "non_utf8"
            has_text = has_text or bool(s.lstrip("\ufeff").strip())
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "non_utf8"  # truncated multi-byte sequence at the end
    return None if has_text else "empty"


def _list_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(
            p for p in path.rglob("*")
            if p.is_file() and p.suffix.lower() in SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    raise MedflError(f"input {path} does not exist")


def _read_jsonl(path: Path, stats: ReadStats) -> Iterator[dict]:
    with path.open("r", encoding="utf-8-sig") as f:
        for line_no, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                # Position only: the line itself may hold PHI.
                reason = f"malformed JSON (column {e.colno})"
            else:
                if not isinstance(obj, dict):
                    reason = "not a JSON object"
                elif not isinstance(obj.get("text"), str):
                    reason = 'missing or non-string "text"'
                else:
                    doc_id = obj.get("id")
                    obj["id"] = str(doc_id) if doc_id is not None else f"{path.stem}:{line_no}"
                    yield obj
                    continue
            stats.bad_lines.append(f"{path}:{line_no}: {reason}")
            log.warning("%s:%d: %s; line skipped", path, line_no, reason)


def read_documents(path: Path, stats: ReadStats | None = None) -> Iterator[dict]:
    """Yield documents from a .jsonl/.txt file or a directory of them (recursive, sorted, hidden skipped).

    Args:
        path: a .jsonl or .txt file, or a directory.
        stats: filled in as the iterator is consumed (skipped files by reason, bad lines, counts).
    """
    path = Path(path)
    stats = stats if stats is not None else ReadStats()
    root = path if path.is_dir() else path.parent
    files = _list_files(path)
    if path.is_file() and path.suffix.lower() not in SUFFIXES:
        raise MedflError(f"input {path} is not a .jsonl or .txt file")
    for f in files:
        why = _check_file(f)
        if why is not None:
            stats.skipped_files[why].append(str(f))
            log.warning("skipping %s: %s file", f, why.replace("_", "-"))
            continue
        stats.files_read += 1
        if f.suffix.lower() == ".jsonl":
            for doc in _read_jsonl(f, stats):
                stats.docs += 1
                yield doc
        else:
            stats.docs += 1
            yield {"id": f.relative_to(root).as_posix(), "text": f.read_text(encoding="utf-8-sig")}
