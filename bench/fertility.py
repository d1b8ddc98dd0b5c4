"""Fertility benchmark: our SentencePiece BPE tokenizer vs the general-purpose Mistral v1 tokenizer.

    python bench/fertility.py [SITES_DIR] [--vocab-sizes 8000 32000] [--json PATH]

SITES_DIR (default: the repository's sample sites, data/sites/) holds one folder per site. A prepared
site (docs_train.jsonl + docs_val.jsonl, from `medfl-client prepare`) is used as is; otherwise the folder's
documents (its raw/ subfolder if present, else the folder itself) are read and split here: a document goes
to held-out validation when sha256(text) falls in the first --val-fraction of the hash range, so exact
duplicates never straddle the split. Raw folders skip de-identification: use them for public text only.

For each vocab size, one tokenizer is trained on the pooled training text of all sites, and one more from
the pooled whitespace-word counts (the input the federated tokenizer will have). Fertility (tokens per
word on each site's held-out text, tokens per medical term on the shipped term list) is printed as a
table beside Mistral v1 and written as JSON (default bench/results/fertility.json).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger("bench.fertility")


def site_texts(site: Path, val_fraction: float) -> tuple[list[str], list[str]]:
    """(train texts, held-out texts) of one site folder."""
    from medfl.client.corpus import read_documents
    from medfl.client.prepare import TRAIN, VAL

    if (site / TRAIN).is_file() and (site / VAL).is_file():
        return ([d["text"] for d in read_documents(site / TRAIN)],
                [d["text"] for d in read_documents(site / VAL)])
    src = site / "raw" if (site / "raw").is_dir() else site
    train, val = [], []
    cut = int(val_fraction * 2**32)
    for doc in read_documents(src):
        h = int.from_bytes(hashlib.sha256(doc["text"].encode()).digest()[:4], "big")
        (val if h < cut else train).append(doc["text"])
    return train, val


def term_coverage(train: list[str], terms, min_count: int = 10) -> dict[str, float]:
    """Per category, the share of terms that occur at least min_count times (case-insensitive, as whole
    words) in the training text: a term the corpus rarely uses cannot become a single token."""
    freq = Counter(w for t in train for w in re.findall(r"[a-z0-9]+", t.lower()))
    cats: dict[str, list[bool]] = {}
    for t in terms:
        cats.setdefault(t.category, []).append(freq[t.term] >= min_count)
    cats["all"] = [freq[t.term] >= min_count for t in terms]
    return {c: round(sum(v) / len(v), 3) for c, v in cats.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sites_dir", nargs="?", type=Path, default=ROOT / "data" / "sites")
    ap.add_argument("--vocab-sizes", type=int, nargs="+", default=[8000, 32000])
    ap.add_argument("--val-fraction", type=float, default=0.1)
    ap.add_argument("--no-counts", action="store_true", help="Skip the word-count-trained tokenizers.")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "fertility.json")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        datefmt="%H:%M:%S")

    from rich.console import Console

    from medfl.core_model.errors import MedflError
    from medfl.core_model.fertility import (
        REFERENCE_NAME,
        fertility_report,
        fertility_table,
        load_medical_terms,
        load_reference_tokenizer,
    )
    from medfl.core_model.tokenizer import Tokenizer, count_words, train_tokenizer

    sites = sorted(p for p in args.sites_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not sites:
        raise MedflError(f"{args.sites_dir} has no site folders")
    train_all: list[str] = []
    val: dict[str, list[str]] = {}
    for s in sites:
        tr, va = site_texts(s, args.val_fraction)
        train_all += tr
        val[s.name] = va
    n_chars = sum(map(len, train_all))
    log.info("%d sites, %d train docs (%.1f M chars), %d held-out docs", len(sites), len(train_all),
             n_chars / 1e6, sum(map(len, val.values())))

    toks: dict[str, Tokenizer] = {}
    training: dict[str, dict] = {}
    counts = None if args.no_counts else count_words(train_all)
    with tempfile.TemporaryDirectory() as tmp:
        for v in args.vocab_sizes:
            inputs = {f"medfl-{v // 1000}k": {"texts": train_all}}
            if counts is not None:
                inputs[f"medfl-{v // 1000}k-counts"] = {"word_counts": counts}
            for name, data in inputs.items():
                t0 = time.perf_counter()
                try:
                    path = train_tokenizer(out_path=Path(tmp) / f"{name}.model", vocab_size=v, **data)
                except MedflError as e:
                    log.warning("%s skipped: %s", name, e)
                    training[name] = {"vocab_size": v, "skipped": str(e)}
                    continue
                training[name] = {"vocab_size": v, "train_seconds": round(time.perf_counter() - t0, 2)}
                toks[name] = Tokenizer.load(path)
    toks[REFERENCE_NAME] = load_reference_tokenizer()

    report = fertility_report(toks, val)
    report["training"] = {"sites_dir": str(args.sites_dir), "sites": [s.name for s in sites],
                          "train_docs": len(train_all), "train_chars": n_chars,
                          "val_fraction": args.val_fraction, "tokenizers": training,
                          "terms_seen_10x_in_train": term_coverage(train_all, load_medical_terms())}
    Console(width=200).print(fertility_table(report))
    log.info("share of medical terms seen >= 10 times in the training text: %s",
             report["training"]["terms_seen_10x_in_train"])
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    log.info("wrote %s", args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
