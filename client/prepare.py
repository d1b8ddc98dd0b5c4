"""Turn a site's raw documents into training-ready, de-identified train/val files.

    raw docs -> de-identify -> drop quarantined -> quality filters + dedup -> per-source split -> outputs

Outputs in OUT: docs_train.jsonl, docs_val.jsonl (one {"id", "source", "text"} per line),
deid_report.json/.txt, prepare_report.json and deid_manifest.json.

Design choices:
- Fail closed. deid_manifest.json is written last and carries the SHA-256 of both docs files;
  `require_prepared` (called by packing/training) refuses a dir without it or whose files changed.
- Output docs keep only id, source and the de-identified text. Other raw fields (titles, metadata) were
  not de-identified, so they are not carried into training data.
- Atomic: everything is built in a hidden sibling temp dir and swapped in with renames; a failed run
  deletes its temp dir and leaves a previous good OUT untouched. A non-empty OUT that is not a previous
  prepare output is never replaced.
- Split is per source (each source keeps held-out docs) and independent of input order: within a source,
  docs are ranked by sha256(seed, source, id) and the first round(val_fraction * n) (at least 1 when the
  source has >= 2 docs) go to validation.
- Memory stays bounded by the number of docs, not their size: kept docs are spooled to a temp file and
  split in a second pass.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from medfl.client.corpus import ReadStats, read_documents
from medfl.client.filters import FilterConfig, FilterStats, filter_documents
from medfl.core_model.errors import MedflError

if TYPE_CHECKING:
    from medfl.privacy.deid import DeidConfig

log = logging.getLogger(__name__)

MANIFEST = "deid_manifest.json"
REPORT = "prepare_report.json"
TRAIN, VAL = "docs_train.jsonl", "docs_val.jsonl"
_MAX_IDS = 1000  # quarantined ids listed in reports; the count stays exact


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def default_source(raw: Path) -> str:
    """Source name for docs without a "source" field: the site folder (data/sites/<site>/raw/docs.jsonl)."""
    p = raw.resolve()
    if p.is_file():
        p = p.parent
    while p.name in ("raw", "docs", "") and p != p.parent:
        p = p.parent
    return p.name or "site"


def _patient_pseudonym(patient_id: object, key: bytes) -> str:
    return hmac.new(key, str(patient_id).encode(), hashlib.sha256).hexdigest()[:20]


def _split_rank(seed: int, source: str, doc_id: str) -> bytes:
    return hashlib.sha256(f"{seed}\x00{source}\x00{doc_id}".encode()).digest()


def _as_dict(obj) -> dict:
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    return asdict(obj) if is_dataclass(obj) else dict(vars(obj))


def _deid_config(deid) -> dict:
    d = _as_dict(deid)
    if "site_secret" in d:  # a key: record only whether one was given
        d["site_secret"] = "<set>" if d["site_secret"] else None
    return d


def _version(pkg: str) -> str | None:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return None


def _write_json(path: Path, obj: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, sort_keys=False)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())


def _check_paths(raw: Path, out: Path) -> None:
    if not raw.exists():
        raise MedflError(f"raw input {raw} does not exist")
    r, o = raw.resolve(), out.resolve()
    if o == r or (raw.is_dir() and o.is_relative_to(r)) or r.is_relative_to(o):
        raise MedflError(f"output dir {out} must not contain or be inside the raw input {raw}")
    if out.exists():
        if not out.is_dir():
            raise MedflError(f"output {out} exists and is not a directory")
        if any(out.iterdir()) and not (out / MANIFEST).exists():
            raise MedflError(
                f"output dir {out} is not empty and holds no {MANIFEST}; refusing to replace it"
            )


def prepare_site(
    raw: Path,
    out: Path,
    *,
    deid: DeidConfig,
    seed: int = 0,
    val_fraction: float = 0.05,
    filters: FilterConfig | None = None,
    source: str | None = None,
) -> dict:
    """De-identify, filter, dedup and split one site's raw documents into OUT (atomically).

    Args:
        raw: a .jsonl/.txt file or a directory of them (see `medfl.client.corpus.read_documents`).
        out: output directory; replaced only when this run succeeds.
        deid: de-identification settings (mode tags|surrogates, workers, timeout).
        seed: seeds the train/val split.
        val_fraction: share of each source's docs held out for validation.
        filters: quality/dedup thresholds (defaults: >= 50 words, <= 50% symbols, Jaccard 0.8).
        source: source name for docs that carry none (default: the site folder name).

    Returns:
        The prepare report (also written to OUT/prepare_report.json).
    """
    raw, out = Path(raw), Path(out)
    if not 0.0 <= val_fraction < 1.0:
        raise MedflError(f"val_fraction must be in [0, 1), got {val_fraction}")
    _check_paths(raw, out)  # before importing presidio: bad paths fail fast
    from medfl.privacy.deid import DeidReport, deidentify_documents

    source = source or default_source(raw)
    filters = filters or FilterConfig()

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        report = _prepare_into(tmp, raw, deid=deid, seed=seed, val_fraction=val_fraction,
                               filters=filters, source=source, deidentify=deidentify_documents,
                               deid_report=DeidReport())
        report["output"] = str(out)
        report = json.loads(json.dumps(report))  # returned == written (tuples become lists)
        _write_json(tmp / REPORT, report)
        _write_json(tmp / MANIFEST, _manifest(tmp, report, deid))  # last: the completeness marker
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("prepared %s -> %s: %d train / %d val docs", raw, out,
             report["split"]["train_docs"], report["split"]["val_docs"])
    return report


def _prepare_into(tmp: Path, raw: Path, *, deid, seed, val_fraction, filters, source, deidentify,
                  deid_report) -> dict:
    t0 = time.perf_counter()
    rstats, fstats = ReadStats(), FilterStats()
    quarantined: list[str] = []
    n_quarantined = 0
    raw_chars = 0

    def raw_docs():
        nonlocal raw_chars
        for doc in read_documents(raw, rstats):
            raw_chars += len(doc["text"])
            yield doc

    # Keyed (not plain) hash: raw patient ids are often short numbers that a plain hash would not hide.
    patient_key = (deid.site_secret or os.environ.get("MEDFL_DEID_SECRET") or "").encode() or os.urandom(32)

    def deidentified():
        nonlocal n_quarantined
        for d in deidentify(raw_docs(), deid, deid_report):
            if d.text is None:  # fail closed: quarantined docs never reach the outputs
                n_quarantined += 1
                if len(quarantined) < _MAX_IDS:
                    quarantined.append(d.id)
                continue
            extra = d.extra if isinstance(d.extra, dict) else {}
            src = extra.get("source")
            doc = {"id": d.id, "source": str(src) if src else source, "text": d.text}
            pid = extra.get(deid.patient_key)
            if pid is not None:  # patient-level DP groups by this; a keyed pseudonym, never the raw id
                doc["patient_id"] = _patient_pseudonym(pid, patient_key)
            yield doc

    # Pass 1: spool kept docs, remember (source, rank) per line for the split.
    spool = tmp / ".kept.jsonl"
    ranks: list[tuple[str, bytes]] = []
    with open(spool, "w", encoding="utf-8") as f:
        for doc in filter_documents(deidentified(), filters, fstats):
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
            ranks.append((doc["source"], _split_rank(seed, doc["source"], doc["id"])))
    t_pipeline = time.perf_counter() - t0
    if not ranks:
        raise MedflError(
            f"no documents left in {raw} after de-identification and filtering "
            f"(read {rstats.docs}, quarantined {n_quarantined}, filtered {fstats.docs_in - fstats.kept})"
        )

    # Pass 2: choose val lines per source, then stream the spool into train/val.
    by_source: dict[str, list[int]] = {}
    for i, (src, _) in enumerate(ranks):
        by_source.setdefault(src, []).append(i)
    val_lines: set[int] = set()
    per_source = {}
    for src, idx in sorted(by_source.items()):
        n = len(idx)
        k = round(val_fraction * n)
        if val_fraction > 0 and n >= 2:
            k = min(max(k, 1), n - 1)
        elif val_fraction > 0:
            log.warning("source %s has only %d doc; it has no held-out validation doc", src, n)
        val_lines.update(sorted(idx, key=lambda i: (ranks[i][1], i))[:k])
        per_source[src] = {"train_docs": n - k, "val_docs": k}
    with (open(spool, encoding="utf-8") as f, open(tmp / TRAIN, "w", encoding="utf-8") as ft,
          open(tmp / VAL, "w", encoding="utf-8") as fv):
        for i, line in enumerate(f):
            (fv if i in val_lines else ft).write(line)
        for g in (ft, fv):
            g.flush()
            os.fsync(g.fileno())
    spool.unlink()
    deid_report.write(tmp / "deid_report.json")
    elapsed = time.perf_counter() - t0

    return {
        "raw": str(raw),
        "seed": seed,
        "val_fraction": val_fraction,
        "read": rstats.to_dict(),
        "deid": {"mode": getattr(deid, "mode", None), "n_quarantined": n_quarantined,
                 "quarantined_ids": quarantined, "report": _as_dict(deid_report)},
        "filters": {"config": asdict(filters), **fstats.to_dict()},
        "split": {"train_docs": len(ranks) - len(val_lines), "val_docs": len(val_lines),
                  "per_source": per_source},
        "timing": {"seconds": round(elapsed, 3), "pipeline_seconds": round(t_pipeline, 3),
                   "deid_seconds": round(float(getattr(deid_report, "seconds", 0.0)), 3),
                   "docs_per_s": round(rstats.docs / elapsed, 2),
                   "raw_mb_per_s": round(raw_chars / 1e6 / elapsed, 4)},
    }


def _manifest(tmp: Path, report: dict, deid) -> dict:
    return {
        "format": "medfl-prepared/1",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "deid": {"module": "medfl.privacy.deid.deidentify_documents", "mode": getattr(deid, "mode", None),
                 "config": _deid_config(deid), "n_quarantined": report["deid"]["n_quarantined"],
                 "counts_per_type": report["deid"]["report"].get("counts_per_type"),
                 "presidio_analyzer": _version("presidio-analyzer")},
        "medfl": _version("medfl"),
        "seed": report["seed"],
        "val_fraction": report["val_fraction"],
        "counts": {"read": report["read"]["docs"], "quarantined": report["deid"]["n_quarantined"],
                   **{f"dropped_{k}": v for k, v in report["filters"]["dropped"].items()},
                   "train": report["split"]["train_docs"], "val": report["split"]["val_docs"]},
        "files": {name: {"sha256": sha256_file(tmp / name), "bytes": (tmp / name).stat().st_size}
                  for name in (TRAIN, VAL)},
    }


def _swap_in(tmp: Path, out: Path) -> None:
    """Replace OUT with the finished TMP. A crash between the renames leaves the old output in .old-*."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
        os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        if old is not None:
            os.rename(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def require_prepared(data_dir: Path) -> dict:
    """Refuse data that has not been through `prepare` (fail-closed de-id marker); return the manifest."""
    data_dir = Path(data_dir)
    path = data_dir / MANIFEST
    if not path.is_file():
        raise MedflError(
            f"{data_dir} has no {MANIFEST}: run `medfl-client prepare RAW {data_dir}` first "
            "(training only reads de-identified data)"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as e:
        raise MedflError(f"{path} is corrupt ({type(e).__name__}); re-run `medfl-client prepare`") from None
    for name in (TRAIN, VAL):
        f = data_dir / name
        if name not in files or not f.is_file() or sha256_file(f) != files[name].get("sha256"):
            raise MedflError(f"{f} is missing or does not match {path}; re-run `medfl-client prepare`")
    return manifest
