"""Utility of site-level DP-SGD: global validation perplexity after a short federated run at ε ∈ {1, 3, 8, ∞}.

Two sites built from the shipped public sample texts (data/sites/cdc and data/sites/ninds; no PHI, so the
prepared-dir format is written directly instead of running presidio), a throwaway SentencePiece tokenizer
trained in-process, medfl-tiny, FedAvg, N rounds x H local steps. Everything runs in this process: the
real medfl ServerApp and ClientApp exchange Flower Messages through an in-memory Grid
(medfl.server.local_grid.LocalGrid), so the numbers include the whole site path (privacy ledger, calibration,
Poisson sampling, ghost clipping, noise, budget check). ε = ∞ is the same run without DP-SGD.
The batch size is the EXPECTED Poisson batch for the DP runs. δ = min(1e-5, 1/n) (the default).

Usage: python bench/dp_utility.py [--rounds 4] [--local-steps 10] [--out bench/results/dp_utility.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import tempfile
import time
from pathlib import Path

import torch
from flwr.app import Context, RecordDict

from medfl.server.local_grid import LocalGrid

REPO = Path(__file__).resolve().parents[1]


def prepared_site(root: Path, source: str, n_val: int = 12) -> Path:
    d = root / source
    d.mkdir(parents=True)
    lines = (REPO / "data" / "sites" / source / "raw" / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [{**json.loads(x), "source": source} for x in lines]
    files = {}
    for fname, part in (("docs_train.jsonl", docs[:-n_val]), ("docs_val.jsonl", docs[-n_val:])):
        (d / fname).write_text("".join(json.dumps(x) + "\n" for x in part), encoding="utf-8")
        files[fname] = {"sha256": hashlib.sha256((d / fname).read_bytes()).hexdigest()}
    (d / "deid_manifest.json").write_text(json.dumps({"format": "medfl-prepared/1", "files": files}))
    return d


def run_once(root: Path, sites: dict[str, Path], tok: Path, eps: float, a) -> dict:
    from medfl.client import site_task
    from medfl.server.app import app as server_app

    site_task._RUNTIMES.clear()
    tag = "inf" if eps == float("inf") else f"{eps:g}"
    dp = {} if eps == float("inf") else {"dp-epsilon": str(eps), "dp-accountant": a.accountant}
    nodes = {100 + i: {"data-path": str(p), "site-id": n, "work-dir": str(root / f"work-{tag}-{n}"),
                       "device": "cpu", "threads": "1", **dp} for i, (n, p) in enumerate(sites.items())}
    state = root / f"state-{tag}"
    state.mkdir()
    (state / "tokenizer.model").write_bytes(tok.read_bytes())
    rc = {"num-rounds": a.rounds, "local-steps": a.local_steps, "strategy": "fedavg", "preset": "medfl-tiny",
          "seq-len": a.seq_len, "batch-size": a.batch_size, "lr": a.lr, "warmup-steps": 2,
          "wire-dtype": "fp32", "min-sites": 2, "round-timeout-s": 3600.0, "state-dir": str(state), "seed": 0,
          "eval-max-seqs": 0, "poll-interval-s": 0.01}
    t0 = time.perf_counter()
    server_app(LocalGrid(nodes),
               Context(run_id=1, node_id=0, node_config={}, state=RecordDict(), run_config=rc))
    rep = json.loads((state / "report.json").read_text())
    priv = rep["privacy"]
    return {"target_epsilon": tag, "val_ppl": rep["final_eval"]["val_ppl"],
            "val_ppl_per_site": {k: v["val_ppl"] for k, v in rep["final_eval"]["sites"].items()},
            "initial_val_ppl": rep["eval"][0]["global"]["val_ppl"],
            "sites_dp": priv["sites"], "federated_epsilon": priv.get("federated", {}).get("epsilon"),
            "wall_s": time.perf_counter() - t0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--local-steps", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--seq-len", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--accountant", default="prv")
    ap.add_argument("--epsilons", default="1,3,8,inf")
    ap.add_argument("--out", default="bench/results/dp_utility.json")
    a = ap.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    torch.set_num_threads(1)
    from flwr.supercore.task_identity import TaskIdentity

    from medfl.core_model.tokenizer import train_tokenizer

    TaskIdentity.run_id, TaskIdentity.node_id, TaskIdentity.task_id = 1, 0, 1  # what flwr-serverapp sets
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sites = {"site-cdc": prepared_site(root, "cdc"), "site-ninds": prepared_site(root, "ninds")}
        texts = [json.loads(x)["text"] for d in sites.values()
                 for x in (d / "docs_train.jsonl").read_text(encoding="utf-8").splitlines()]
        tok = train_tokenizer(out_path=root / "tok.model", vocab_size=512, texts=texts)
        for e in a.epsilons.split(","):
            r = run_once(root, sites, Path(tok), float(e), a)
            results.append(r)
            sd = next(iter(r["sites_dp"].values()), {})
            print(f"ε={r['target_epsilon']:>4s}: global val ppl {r['val_ppl']:8.2f} "
                  f"(start {r['initial_val_ppl']:.1f})"
                  f"  spent ε={r['federated_epsilon']}  σ={sd.get('noise_multiplier', 0):.3f} "
                  f"q={sd.get('sample_rate', 0):.4f} steps={sd.get('steps', 0):.0f}  {r['wall_s']:.0f} s",
                  flush=True)
    out = {"config": vars(a), "results": results,
           "note": "2 sites (cdc, ninds public samples), medfl-tiny, FedAvg; shared loaded 2-core box"}
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
