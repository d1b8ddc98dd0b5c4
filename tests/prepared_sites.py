"""Test helper: site dirs in `medfl-client prepare`'s output format, built from the shipped public sample.

The sample (MedQuAD / PubMedQA, data/sites/*/raw) holds no PHI, so tests that exercise training and
federation skip the de-identification pass and write the prepared layout directly: docs_train.jsonl,
docs_val.jsonl and, last, deid_manifest.json with their SHA-256 (what `require_prepared` checks).
De-identification itself is tested through the real `prepare` in test_prepare.py and test_deid_cli.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from medfl.client.prepare import MANIFEST, sha256_file

REPO = Path(__file__).resolve().parents[1]


def sample_docs(source: str, n: int) -> list[dict]:
    """The first n shipped documents of one sample source, tagged with it."""
    lines = (REPO / "data" / "sites" / source / "raw" / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    return [{**json.loads(x), "source": source} for x in lines[:n]]


def write_prepared(d: Path, train: list[dict], val: list[dict]) -> Path:
    """Write docs as a prepared site dir (created if needed); the manifest goes last, as in prepare."""
    d.mkdir(parents=True, exist_ok=True)
    for fname, docs in (("docs_train.jsonl", train), ("docs_val.jsonl", val)):
        (d / fname).write_text("".join(json.dumps(x) + "\n" for x in docs), encoding="utf-8")
    files = {f: {"sha256": sha256_file(d / f)} for f in ("docs_train.jsonl", "docs_val.jsonl")}
    (d / MANIFEST).write_text(json.dumps({"format": "medfl-prepared/1", "files": files}))
    return d


def prepared_site(root: Path, name: str, sources: list[str], n: int = 24) -> Path:
    """root/name from the first n docs of each source: the last 4 of each go to validation."""
    train, val = [], []
    for src in sources:
        docs = sample_docs(src, n)
        train += docs[: n - 4]
        val += docs[n - 4 :]
    return write_prepared(root / name, train, val)


def train_texts(*site_dirs: Path) -> list[str]:
    """Training texts of prepared site dirs (for a test tokenizer)."""
    return [json.loads(x)["text"] for d in site_dirs
            for x in (d / "docs_train.jsonl").read_text(encoding="utf-8").splitlines()]
