"""Federated vs centralized vs Mistral v1 tokenizer: fertility on every site's held-out text (issue 7).

    python bench/federated_tokenizer.py [--sites cancergov cdc ...] [--grouped N]
        [--vocab-sizes 8000 32000 64000] [--min-doc-freq 5 2 1] [--work DIR] [--json PATH]

1. Each shipped sample site (data/sites/<name>/raw) is prepared like a hospital would (`prepare_site`:
   de-identification in tags mode, filters, dedup, per-source train/val split) into --work (default: a
   temp dir; a prepared site already there is reused).
2. Federated: the real medfl ServerApp runs the tokenizer phase (run config phase="tokenizer") over an
   in-process Grid that hands each message to the real medfl ClientApp (medfl.server.local_grid.LocalGrid):
   each site sends word counts of words in >= k of its documents, the server sums them and
   trains SentencePiece BPE. For each k in --min-doc-freq (default 5, 2, 1): k=1 (no threshold) separates
   the cost of the threshold from the cost of training on counts.
3. Centralized: the same trainer on the pooled training text of all sites (what a data lake would do).
4. Fertility (medfl.core_model.fertility): tokens per whitespace word on each site's held-out docs and
   tokens per medical term, for every tokenizer and Mistral v1 (data/tokenizers/).
A vocab size the federated counts cannot support is reported with the largest size they can.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALL_SITES = ["cancergov", "cdc", "gard", "ghr", "medlineplus", "nhlbi", "niddk", "ninds", "pubmedqa",
             "seniorhealth"]
log = logging.getLogger("bench.federated_tokenizer")


def prepare_sites(groups: dict[str, list[str]], work: Path, val_fraction: float) -> dict[str, Path]:
    """Prepare one site per group of shipped sources (a group of one = that source alone)."""
    import shutil

    from medfl.client.prepare import MANIFEST, prepare_site
    from medfl.privacy.deid import DeidConfig

    out = {}
    for name, sources in groups.items():
        d = work / "sites" / name
        if not (d / MANIFEST).is_file():
            raw = work / "raw" / name
            raw.mkdir(parents=True, exist_ok=True)
            for src in sources:  # one .jsonl per source; prepare splits per source
                shutil.copyfile(ROOT / "data" / "sites" / src / "raw" / "docs.jsonl", raw / f"{src}.jsonl")
            t0 = time.perf_counter()
            prepare_site(raw, d, deid=DeidConfig(mode="tags"), seed=0, val_fraction=val_fraction)
            log.info("prepared site %s (%s) in %.1f s", name, "+".join(sources), time.perf_counter() - t0)
        out[name] = d
    return out


def federated_tokenizer(sites: dict[str, Path], work: Path, vocab: int, k: int,
                        dp_epsilon: float = 0.0) -> tuple[Path, dict]:
    from flwr.app import Context, RecordDict
    from flwr.common.serde import recorddict_to_proto
    from flwr.supercore.task_identity import TaskIdentity

    from medfl.server.app import app as server_app
    from medfl.server.local_grid import LocalGrid

    for key, v in (("_run_id", 1), ("_node_id", 0), ("_task_id", 1)):  # what flwr-serverapp sets
        setattr(TaskIdentity, key, v)
    state = work / f"fed-k{k}-v{vocab}" if not dp_epsilon else work / f"fed-dp{dp_epsilon:g}-k{k}-v{vocab}"
    # the site's own floor (node config) must allow k too: sites default to k=5 whatever the server asks
    nodes = {100 + i: {"data-path": str(d), "site-id": name, "work-dir": str(work / "site-work" / name),
                       "tokenizer-min-doc-freq": str(k)} for i, (name, d) in enumerate(sites.items())}
    bytes_up = 0

    def count_up(node: int, reply) -> None:  # noqa: ANN001 - serialized size of every successful reply
        nonlocal bytes_up
        if not reply.has_error():
            bytes_up += len(recorddict_to_proto(reply.content).SerializeToString())

    grid = LocalGrid(nodes, tamper=count_up)
    rc = {"phase": "tokenizer", "state-dir": str(state), "tokenizer-vocab-size": vocab,
          "tokenizer-min-doc-freq": k, "min-sites": len(sites), "poll-interval-s": 0.01,
          "tokenizer-dp-epsilon": dp_epsilon}
    if (state / "tokenizer.model").exists():
        (state / "tokenizer.model").unlink()
    t0 = time.perf_counter()
    server_app(grid, Context(run_id=1, node_id=0, node_config={}, state=RecordDict(), run_config=rc))
    rep = json.loads((state / "tokenizer_report.json").read_text())
    rep["bench_seconds"] = time.perf_counter() - t0
    rep["bytes_up_serialized"] = bytes_up
    return state / "tokenizer.model", rep


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sites", nargs="+", default=ALL_SITES, help="One site per shipped source.")
    ap.add_argument("--grouped", type=int, default=0,
                    help="Instead: N larger sites, the --sites sources dealt round-robin (non-IID mixes).")
    ap.add_argument("--vocab-sizes", type=int, nargs="+", default=[8000, 32000, 64000])
    ap.add_argument("--min-doc-freq", type=int, nargs="+", default=[5, 2, 1],
                    help="k values of the federated variants (the first is the default setting).")
    ap.add_argument("--val-fraction", type=float, default=0.1)
    ap.add_argument("--dp-epsilon", type=float, nargs="*", default=[],
                    help="Also DP counts (Gaussian, delta 1e-6, L=256, C=1) at these epsilons, first k.")
    ap.add_argument("--work", type=Path, default=None, help="Keep prepared sites/tokenizers here.")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "federated_tokenizer.json")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        datefmt="%H:%M:%S")
    from rich.console import Console

    from medfl.client.corpus import read_documents
    from medfl.client.prepare import TRAIN, VAL
    from medfl.core_model.errors import MedflError
    from medfl.core_model.fertility import (
        REFERENCE_NAME,
        fertility_report,
        fertility_table,
        load_reference_tokenizer,
    )
    from medfl.core_model.tokenizer import Tokenizer, train_tokenizer

    tmp = None
    if args.work is None:
        tmp = tempfile.TemporaryDirectory(prefix="medfl-ftok-")
        args.work = Path(tmp.name)
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    if args.grouped:
        groups = {f"site-{chr(97 + i)}": args.sites[i::args.grouped] for i in range(args.grouped)}
    else:
        groups = {s: [s] for s in args.sites}
    sites = prepare_sites(groups, work, args.val_fraction)
    train = {n: [d["text"] for d in read_documents(p / TRAIN)] for n, p in sites.items()}
    held_out = {n: [d["text"] for d in read_documents(p / VAL)] for n, p in sites.items()}
    pooled = [t for texts in train.values() for t in texts]

    toks: dict[str, Tokenizer] = {}
    results: dict = {"sites": {n: {"sources": groups[n], "train_docs": len(train[n]),
                                   "val_docs": len(held_out[n])} for n in sites},
                     "min_doc_freq": args.min_doc_freq, "phase": {}, "errors": {}, "train_seconds": {}}
    variants: list[tuple[int, float]] = [(k, 0.0) for k in args.min_doc_freq]
    variants += [(args.min_doc_freq[0], e) for e in args.dp_epsilon]
    for vocab in args.vocab_sizes:
        tag = f"{vocab // 1000}k"
        t0 = time.perf_counter()
        try:
            path = train_tokenizer(out_path=work / f"central-{vocab}.model", vocab_size=vocab, texts=pooled)
            toks[f"central-{tag}"] = Tokenizer.load(path)
        except MedflError as e:
            results["errors"][f"central-{tag}"] = str(e)
        results["train_seconds"][f"central-{tag}"] = time.perf_counter() - t0
        for k, eps in variants:
            name = f"fed-k{k}-{tag}" if not eps else f"fed-dp{eps:g}-k{k}-{tag}"
            t0 = time.perf_counter()
            try:
                path, rep = federated_tokenizer(sites, work, vocab, k, eps)
                toks[name] = Tokenizer.load(path)
                results["phase"][name] = {key: rep[key] for key in (
                    "sha256", "merged", "bytes_up", "bytes_up_serialized", "exchange_s", "train_s", "wall_s")}
                results["phase"][name]["sites"] = {s: {kk: v.get(kk) for kk in (
                    "status", "num_docs", "num_words", "num_words_seen", "num_tokens", "num_tokens_seen")}
                    for s, v in rep["sites"].items()}
            except MedflError as e:
                results["errors"][name] = str(e)
                log.warning("%s: %s", name, e)
            results["train_seconds"][name] = time.perf_counter() - t0
    toks[REFERENCE_NAME] = load_reference_tokenizer()
    report = fertility_report(toks, held_out)
    results["fertility"] = report

    # federated vs centralized, per site and vocab: relative tokens-per-word difference
    gaps: dict = {}
    for vocab in args.vocab_sizes:
        tag = f"{vocab // 1000}k"
        c = f"central-{tag}"
        for k, eps in variants:
            f = f"fed-k{k}-{tag}" if not eps else f"fed-dp{eps:g}-k{k}-{tag}"
            if c not in toks or f not in toks:
                continue
            per = {s: row[f]["tokens_per_word"] / row[c]["tokens_per_word"] - 1
                   for s, row in report["sources"].items()}
            terms = report["medical_terms"]
            gaps[f] = {"vs": c, "per_site": per, "max": max(per.values()),
                       "all": report["all"][f]["tokens_per_word"] / report["all"][c]["tokens_per_word"] - 1,
                       "tokens_per_term": terms[f]["tokens_per_term"],
                       "central_tokens_per_term": terms[c]["tokens_per_term"],
                       "within_2pct_every_site": all(v <= 0.02 for v in per.values())}
    results["federated_vs_central"] = gaps

    console = Console()
    console.print(fertility_table(report))
    for f, g in gaps.items():
        console.print(f"{f} vs {g['vs']}: max per-site gap {100 * g['max']:+.2f}% "
                      f"(all {100 * g['all']:+.2f}%), "
                      f"tokens/term {g['tokens_per_term']:.3f} vs {g['central_tokens_per_term']:.3f}; "
                      f"within 2% on every site: {g['within_2pct_every_site']}")
    for n, e in results["errors"].items():
        console.print(f"[yellow]{n}: {e}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    console.print(f"wrote {args.json}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
