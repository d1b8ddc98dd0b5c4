"""Federated vs centralized pretraining at the same model and the same total tokens (issue 4 experiment).

    .venv/bin/python bench/fed_vs_central.py [--rounds 4] [--local-steps 64] [--json out.json]

Arms (medfl-tiny, 3 non-IID sites = 3 shipped sources, each prepared with the real de-id pipeline):
- central:        one model, `medfl.client.train.local_round` for S = sites x rounds x H steps on batches
                  from the union of the sites' training data (one warmup + cosine schedule over S).
- central-dp:     the same data and tokens as R x H steps of a K-times larger batch: the exact trajectory
                  of per-step synchronous data parallel over the K sites (what `sync_bytes` is counted for;
                  DiLoCo's baseline). Fewer, larger steps: the fair reference for a federation whose sites
                  each take R x H steps.
- fedavg / fedprox / nesterov (bf16 wire): the real medfl ServerApp and ClientApp (`medfl.server.app:app`,
                  `medfl.client.app:app`) driven in-process by the LocalGrid transport
                  (medfl.server.local_grid: every message goes through the ClientApp, replies through the
                  server's validation + decoding), R rounds x H local steps per site.
- nesterov fp32 / int8: the same as nesterov-bf16 with another wire dtype (the ≤1% perplexity-cost check).
Every site trains batch x seq-len tokens per step, so every arm sees S x batch x seq-len tokens.

Evaluation: each arm's final model on every site's held-out windows (the same windows for all arms, via
`medfl.client.packing.val_sets`) -> per-site perplexity and union perplexity (token-weighted loss).

Communication model:
- federated: the bytes the ServerApp measured (ArrayRecord.count_bytes of every message: full fp32 weights
  on first contact, wire-dtype deltas down and pseudo-gradients up afterwards), summed over rounds and sites.
- per-step synchronous data parallel (DDP ring all-reduce of fp32 gradients): each of the K workers sends
  and receives ~2 x fp32 model bytes per optimizer step, so  sync = 2 x 4N x steps-per-worker x K  with
  steps-per-worker = R x H (the same tokens as the federation, one worker per site).
- per exchange: the steady-state bytes one site sends up (pseudo-gradient) in one round (round >= 2)
  vs the fp32 weights (4N).
Goals (issue 4): federated ppl within 5% of central, >= 100x less communication than per-step sync, and a
wire dtype with >= 4x fewer bytes per exchange than fp32 weights at <= 1% perplexity cost (vs fp32 wire).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[1]
log = logging.getLogger("fed_vs_central")


@dataclass
class BenchConfig:
    work: Path = REPO / "work" / "bench_fed_vs_central"
    out: Path = REPO / "bench" / "results" / "fed_vs_central.json"
    sources: tuple[str, ...] = ("cancergov", "niddk", "pubmedqa")
    preset: str = "medfl-tiny"
    vocab_size: int = 2048
    seq_len: int = 64
    batch_size: int = 8
    rounds: int = 4
    local_steps: int = 64
    lr: float = 3e-3
    warmup_steps: int = 20
    prox_mu: float = 0.01
    seed: int = 0
    threads: int = 1
    arms: list[str] = field(default_factory=lambda: [
        "central", "central-dp", "fedavg-bf16", "fedprox-bf16", "nesterov-bf16", "nesterov-fp32",
        "nesterov-int8"])


# ---- arms --------------------------------------------------------------------------------------------


def _evaluate(model: torch.nn.Module, site_val: dict[str, dict[str, torch.Tensor]]) -> dict[str, dict]:
    from medfl.client.train import evaluate

    out, tot_loss, tot_tok = {}, 0.0, 0
    for site, vs in site_val.items():
        res = evaluate(model, vs)
        toks = sum(r["tokens"] for r in res.values())
        loss = sum(r["loss"] * r["tokens"] for r in res.values()) / toks
        out[site] = {"loss": loss, "ppl": math.exp(loss), "tokens": toks}
        tot_loss, tot_tok = tot_loss + loss * toks, tot_tok + toks
    out["union"] = {"loss": tot_loss / tot_tok, "ppl": math.exp(tot_loss / tot_tok), "tokens": tot_tok}
    return out


def _model(cfg: BenchConfig, vocab: int):
    from medfl.core_model.config import ModelConfig
    from medfl.core_model.model import Transformer

    torch.manual_seed(cfg.seed)  # the same init the ServerApp draws (rounds.Coordinator: manual_seed(seed))
    return Transformer(ModelConfig.from_name(cfg.preset, vocab_size=vocab))


def run_central(cfg: BenchConfig, sites: dict[str, Path], tok, site_val, *, dp_batch: bool = False) -> dict:
    """dp_batch=False: batch B for K*R*H steps. True: batch K*B for R*H steps, i.e. exactly the optimizer
    trajectory of per-step synchronous data parallel over the K sites (the `sync_bytes` baseline)."""
    from medfl.client.packing import TokenLoader, train_shards
    from medfl.client.train import TrainConfig, local_round

    k = len(sites)
    steps = cfg.rounds * cfg.local_steps * (1 if dp_batch else k)
    batch = cfg.batch_size * (k if dp_batch else 1)
    model = _model(cfg, tok.vocab_size)
    loader = TokenLoader(train_shards(list(sites.values()), tok, cfg.seq_len), cfg.seq_len, batch,
                         seed=cfg.seed)
    tcfg = TrainConfig(lr=cfg.lr, warmup_steps=cfg.warmup_steps, max_steps=steps, batch_size=batch,
                       seq_len=cfg.seq_len, seed=cfg.seed, device="cpu", log_every=steps, ckpt_every=0)
    t0 = time.perf_counter()
    m = local_round(model, loader, tcfg, steps=steps)
    return {"train_seconds": time.perf_counter() - t0, "tokens": m["tokens"],
            "train_loss_last": m["loss_last"], "eval": _evaluate(model, site_val), "bytes_total": 0.0}


def run_federated(cfg: BenchConfig, arm: str, sites: dict[str, Path], tok_path: Path, site_val) -> dict:
    from flwr.app import Context, RecordDict
    from flwr.supercore.task_identity import TaskIdentity

    from medfl.client import site_task
    from medfl.core_model.config import ModelConfig
    from medfl.core_model.model import Transformer
    from medfl.server.app import app as server_app
    from medfl.server.local_grid import LocalGrid
    from medfl.server.state import load_global_model

    for k, v in (("_run_id", 1), ("_node_id", 0), ("_task_id", 1)):  # flwr-serverapp sets these; Message()
        setattr(TaskIdentity, k, v)  # reads them for the message metadata
    strategy, wire_dtype = arm.split("-")
    state_dir = cfg.work / "runs" / arm
    shutil.rmtree(state_dir, ignore_errors=True)
    state_dir.mkdir(parents=True)
    shutil.copyfile(tok_path, state_dir / "tokenizer.model")
    site_task._RUNTIMES.clear()  # fresh site models/optimizers/loaders for every arm
    nodes = {100 + i: {"data-path": str(p), "site-id": name, "work-dir": str(state_dir / f"site-{name}"),
                       "device": "cpu", "threads": cfg.threads} for i, (name, p) in enumerate(sites.items())}
    rc = {"num-rounds": cfg.rounds, "local-steps": cfg.local_steps, "strategy": strategy,
          "prox-mu": cfg.prox_mu if strategy == "fedprox" else 0.0, "preset": cfg.preset,
          "seq-len": cfg.seq_len, "batch-size": cfg.batch_size, "lr": cfg.lr,
          "warmup-steps": cfg.warmup_steps,
          "wire-dtype": wire_dtype, "min-sites": len(sites), "round-timeout-s": 600.0,
          "state-dir": str(state_dir), "seed": cfg.seed, "eval-max-seqs": 0, "poll-interval-s": 0.001,
          "federated-tokenizer": False}
    t0 = time.perf_counter()
    server_app(LocalGrid(nodes),
               Context(run_id=1, node_id=0, node_config={}, state=RecordDict(), run_config=rc))
    wall = time.perf_counter() - t0
    rep = json.loads((state_dir / "report.json").read_text())
    weights, mcfg, _ = load_global_model(state_dir)
    model = Transformer(ModelConfig.from_dict(mcfg))
    model.load_state_dict(weights)
    rounds = rep["rounds"]
    later = [r for r in rounds if r["round"] >= 2] or rounds
    return {
        "train_seconds": wall, "tokens": rep["totals"]["tokens"],
        "train_loss_last": rounds[-1].get("train_loss"),
        "eval": _evaluate(model, site_val),
        "server_eval_union_ppl": rep.get("final_eval", {}).get("val_ppl"),
        "bytes_down": rep["totals"]["bytes_down"], "bytes_up": rep["totals"]["bytes_up"],
        "bytes_total": rep["totals"]["bytes_down"] + rep["totals"]["bytes_up"],
        "bytes_up_per_exchange": sum(r["bytes_up"] / r["n_ok"] for r in later) / len(later),
        "bytes_down_per_exchange": sum(r["bytes_down"] / r["n_ok"] for r in later) / len(later),
        "per_round": [{"round": r["round"], "train_loss": r.get("train_loss"),
                       "val_ppl_before": r.get("eval", {}).get("val_ppl"), "bytes_up": r["bytes_up"],
                       "bytes_down": r["bytes_down"]} for r in rounds],
    }


# ---- driver ------------------------------------------------------------------------------------------


def prepare(cfg: BenchConfig):
    """Prepared (de-identified) site dirs (the demo's cached `medfl-client prepare`) + a union tokenizer."""
    from medfl.client.corpus import read_documents
    from medfl.client.prepare import TRAIN
    from medfl.core_model.tokenizer import Tokenizer, train_tokenizer
    from medfl.server.demo import DemoConfig, prepare_sites

    sites = prepare_sites(DemoConfig(work=cfg.work, sources=cfg.sources))
    tok_path = cfg.work / f"tokenizer-{cfg.vocab_size}.model"
    if not tok_path.is_file():
        texts = (d["text"] for p in sites.values() for d in read_documents(p / TRAIN))
        train_tokenizer(out_path=tok_path, vocab_size=cfg.vocab_size, texts=texts)
    return sites, tok_path, Tokenizer.load(tok_path)


def run(cfg: BenchConfig) -> dict:
    from medfl.client.packing import val_sets

    torch.set_num_threads(cfg.threads)
    t0 = time.perf_counter()
    sites, tok_path, tok = prepare(cfg)
    site_val = {name: val_sets(p, tok, cfg.seq_len) for name, p in sites.items()}
    n_params = sum(p.numel() for p in _model(cfg, tok.vocab_size).parameters())
    steps_per_site = cfg.rounds * cfg.local_steps
    sync_bytes = 2 * 4 * n_params * steps_per_site * len(sites)
    results: dict[str, dict] = {}
    for arm in cfg.arms:
        ta = time.perf_counter()
        if arm.startswith("central"):
            res = run_central(cfg, sites, tok, site_val, dp_batch=arm == "central-dp")
        else:
            res = run_federated(cfg, arm, sites, tok_path, site_val)
        res["wall_s"] = time.perf_counter() - ta
        if res["bytes_total"]:
            res["comm_reduction_vs_sync"] = sync_bytes / res["bytes_total"]
        results[arm] = res
        log.info("%s: union ppl %.2f (%s) in %.0f s", arm, res["eval"]["union"]["ppl"],
                 ", ".join(f"{k} {v['ppl']:.1f}" for k, v in res["eval"].items() if k != "union"),
                 res["wall_s"])
    central, central_dp = results.get("central"), results.get("central-dp")
    fp32_bytes = 4 * n_params
    for arm, res in results.items():
        if central is not None and arm != "central":
            res["ppl_vs_central"] = res["eval"]["union"]["ppl"] / central["eval"]["union"]["ppl"] - 1
            res["site_ppl_vs_central"] = {s: res["eval"][s]["ppl"] / central["eval"][s]["ppl"] - 1
                                          for s in sites}
        if central_dp is not None and not arm.startswith("central"):
            res["ppl_vs_central_dp"] = res["eval"]["union"]["ppl"] / central_dp["eval"]["union"]["ppl"] - 1
        if "bytes_up_per_exchange" in res:
            res["exchange_reduction_vs_fp32_weights"] = fp32_bytes / res["bytes_up_per_exchange"]
    ref = results.get("nesterov-fp32")
    for arm in ("nesterov-bf16", "nesterov-int8"):
        if ref is not None and arm in results:
            results[arm]["ppl_cost_vs_fp32_wire"] = (results[arm]["eval"]["union"]["ppl"]
                                                     / ref["eval"]["union"]["ppl"] - 1)
    fed = {a: r for a, r in results.items() if not a.startswith("central")}
    goals = {}
    if central is not None and fed:
        best = min(fed, key=lambda a: fed[a]["eval"]["union"]["ppl"])
        goals["best_federated_arm"] = best
        goals["within_5pct_of_central"] = {a: r["ppl_vs_central"] <= 0.05 for a, r in fed.items()}
        if central_dp is not None:
            goals["within_5pct_of_central_dp"] = {a: r["ppl_vs_central_dp"] <= 0.05 for a, r in fed.items()}
        goals["comm_reduction_ge_100x"] = {a: r["comm_reduction_vs_sync"] >= 100 for a, r in fed.items()}
    cheap = [a for a in ("nesterov-int8", "nesterov-bf16") if "ppl_cost_vs_fp32_wire" in results.get(a, {})]
    goals["wire_ge_4x_at_le_1pct"] = {a: (results[a]["exchange_reduction_vs_fp32_weights"] >= 4,
                                          results[a]["ppl_cost_vs_fp32_wire"] <= 0.01) for a in cheap}
    return {
        "config": {**{k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(cfg).items()}},
        "model": {"preset": cfg.preset, "params": n_params, "vocab": tok.vocab_size,
                  "fp32_bytes": fp32_bytes},
        "sites": {n: {"val_tokens": sum(int(t[:, 1:].numel()) for t in v.values())}
                  for n, v in site_val.items()},
        "tokens_per_arm": len(sites) * steps_per_site * cfg.batch_size * cfg.seq_len,
        "sync_model": "per-step synchronous data parallel, ring all-reduce of fp32 grads: "
                      "2 x 4N bytes per worker per step x R*H steps x K workers (one per site)",
        "sync_bytes": sync_bytes,
        "arms": results,
        "goals": goals,
        "seconds": time.perf_counter() - t0,
        "torch_threads": torch.get_num_threads(),
    }


def print_table(out: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    sites = list(out["sites"])
    t = Table(title=f"fed vs central: {out['model']['preset']} ({out['model']['params'] / 1e6:.2f}M, vocab "
                    f"{out['model']['vocab']}), {out['tokens_per_arm']:,} tokens per arm, "
                    f"R={out['config']['rounds']} x H={out['config']['local_steps']}")
    for c in ("arm", "union ppl", *(f"{s} ppl" for s in sites), "vs central", "vs central-dp", "MB total",
              "vs sync",
              "up/exchange vs fp32", "wall s"):
        t.add_column(c, justify="right")
    for arm, r in out["arms"].items():
        t.add_row(arm, f"{r['eval']['union']['ppl']:.2f}", *(f"{r['eval'][s]['ppl']:.2f}" for s in sites),
                  f"{r['ppl_vs_central'] * 100:+.1f}%" if "ppl_vs_central" in r else "-",
                  f"{r['ppl_vs_central_dp'] * 100:+.1f}%" if "ppl_vs_central_dp" in r else "-",
                  f"{r['bytes_total'] / 1e6:.1f}" if r["bytes_total"] else "-",
                  f"{r['comm_reduction_vs_sync']:.0f}x" if "comm_reduction_vs_sync" in r else "-",
                  f"{r['exchange_reduction_vs_fp32_weights']:.2f}x"
                  if "exchange_reduction_vs_fp32_weights" in r else "-", f"{r['wall_s']:.0f}")
    c = Console(width=max(Console().width, 150))
    c.print(t)
    c.print(f"per-step sync baseline: {out['sync_bytes'] / 1e6:.0f} MB ({out['sync_model']})", markup=False)
    c.print(f"goals: {json.dumps(out['goals'])}", markup=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    d = BenchConfig()
    ap.add_argument("--rounds", type=int, default=d.rounds)
    ap.add_argument("--local-steps", type=int, default=d.local_steps)
    ap.add_argument("--seq-len", type=int, default=d.seq_len)
    ap.add_argument("--batch-size", type=int, default=d.batch_size)
    ap.add_argument("--lr", type=float, default=d.lr)
    ap.add_argument("--vocab-size", type=int, default=d.vocab_size)
    ap.add_argument("--threads", type=int, default=d.threads)
    ap.add_argument("--arms", default=",".join(d.arms), help="comma list: central, <strategy>-<wire dtype>")
    ap.add_argument("--work", type=Path, default=d.work)
    ap.add_argument("--json", type=Path, default=d.out)
    a = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        datefmt="%H:%M:%S")
    for noisy in ("medfl.server.rounds", "medfl.client", "medfl.server.state", "flwr"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    cfg = BenchConfig(work=a.work.resolve(), out=a.json, rounds=a.rounds, local_steps=a.local_steps,
                      seq_len=a.seq_len, batch_size=a.batch_size, lr=a.lr, vocab_size=a.vocab_size,
                      threads=a.threads, arms=[x.strip() for x in a.arms.split(",") if x.strip()])
    out = run(cfg)
    cfg.out.parent.mkdir(parents=True, exist_ok=True)
    cfg.out.write_text(json.dumps(out, indent=1, default=str) + "\n")
    print_table(out)
    print(f"wrote {cfg.out} ({out['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
