"""Training-step throughput: medfl `Transformer` vs transformers' `LlamaForCausalLM`, plus MFU.

One run measures, on this machine and under the same conditions:
  1. our step: forward, cross-entropy (outside the model), backward, AdamW step, zero_grad;
  2. the same step on `LlamaForCausalLM` built from the identical config (hf.hf_config), loaded with the
     identical weights (hf.to_hf_state_dict), same batch, sequence length, optimizer and loss;
  3. the machine's dense matmul peak (large square torch.matmul, fp32 and bf16) as the physical limit.

Fairness: the two models alternate step by step (the order flips every round) after warm-up, and one
peak-matmul probe runs inside every round, so background load hits all three alike. Speed-up is the median
of per-round ratios; MFU = model FLOPs/s (flops_per_token, PaLM convention, the same count for both) over
the best matmul rate measured during the run. The step runs in bf16 autocast only when this machine's bf16
matmul beats fp32 (`--dtype auto`).

Clock: on a shared machine (here: 2 cores, ~8 busy processes) wall time mostly measures the neighbours.
`--clock cpu` (default) times every step and probe by this process's CPU time (time.process_time) with one
torch thread, i.e. per-core throughput and per-core peak, which background load barely moves. Both clocks
are recorded in the JSON; `--clock wall --threads 0` gives the classic whole-machine numbers.

Usage: python bench/train_throughput.py [--preset medfl-small] [--batch 8] [--seq 256] [--out PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from medfl.core_model.config import ModelConfig
from medfl.core_model.hf import hf_config, to_hf_state_dict
from medfl.core_model.model import Transformer


def timed(fn) -> tuple[float, float]:
    """(wall seconds, process CPU seconds) of one call."""
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def matmul_rate(n: int, dtype: torch.dtype, reps: int = 3) -> dict[str, float]:
    """Best FLOP/s of an n x n x n torch.matmul over `reps` calls (after one untimed call), per clock."""
    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    torch.matmul(a, b)
    ts = [timed(lambda: torch.matmul(a, b)) for _ in range(reps)]
    return {"wall": 2 * n**3 / min(t[0] for t in ts), "cpu": 2 * n**3 / min(t[1] for t in ts)}


def make_step(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, dtype: torch.dtype):
    # Identical optimizer for both models (decay on every parameter keeps the comparison simple).
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, betas=(0.9, 0.95), weight_decay=0.1, fused=True)
    bf16 = dtype == torch.bfloat16
    autocast = (lambda: torch.autocast("cpu", dtype=torch.bfloat16)) if bf16 else contextlib.nullcontext

    def step() -> float:
        with autocast():
            out = model(x)
            logits = out if isinstance(out, torch.Tensor) else out.logits  # HF returns a ModelOutput
            loss = F.cross_entropy(logits.flatten(0, 1).float(), y.flatten())
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.item()

    return step


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--preset", default="medfl-small")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--warmup", type=int, default=2, help="untimed steps per model")
    ap.add_argument("--iters", type=int, default=6, help="timed rounds (one step of each model per round)")
    ap.add_argument("--peak-n", type=int, default=2048, help="square matmul size for the peak probe")
    ap.add_argument("--dtype", choices=["auto", "float32", "bfloat16"], default="auto")
    ap.add_argument("--threads", type=int, default=-1, help="0: torch default; -1: 1 with the cpu clock")
    ap.add_argument("--clock", choices=["cpu", "wall"], default="cpu", help="headline clock (both recorded)")
    ap.add_argument("--compile", action="store_true", help="also time torch.compile'd copies of both models")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "train_throughput.json")
    args = ap.parse_args()

    from transformers import LlamaConfig, LlamaForCausalLM  # dev dependency: imported only here

    threads = (1 if args.clock == "cpu" else 0) if args.threads < 0 else args.threads
    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(0)
    load_before = os.getloadavg()

    # Physical limit, and which precision the step runs in.
    clock = args.clock
    peaks = {d: matmul_rate(args.peak_n, getattr(torch, d)) for d in ("float32", "bfloat16")}
    if args.dtype == "auto":
        run_dtype = "bfloat16" if peaks["bfloat16"][clock] > 1.1 * peaks["float32"][clock] else "float32"
    else:
        run_dtype = args.dtype
    dtype = getattr(torch, run_dtype)

    cfg = ModelConfig.from_name(args.preset)
    if args.seq > cfg.max_seq_len:
        sys.exit(f"--seq {args.seq} exceeds {cfg.name} max_seq_len {cfg.max_seq_len}")
    ours = Transformer(cfg)
    hcfg = LlamaConfig(**hf_config(cfg))
    hcfg._attn_implementation = "sdpa"  # HF's fastest built-in attention (same SDPA kernel as ours)
    hf = LlamaForCausalLM(hcfg)
    hf.load_state_dict(to_hf_state_dict(ours.state_dict(), cfg))
    x = torch.randint(0, cfg.vocab_size, (args.batch, args.seq))
    y = torch.randint(0, cfg.vocab_size, (args.batch, args.seq))
    steps = {"medfl": make_step(ours, x, y, dtype), "hf_llama": make_step(hf, x, y, dtype)}
    if args.compile:  # separate copies: each variant owns its parameters and optimizer state
        steps["medfl+compile"] = make_step(torch.compile(copy.deepcopy(ours)), x, y, dtype)
        steps["hf_llama+compile"] = make_step(torch.compile(copy.deepcopy(hf)), x, y, dtype)

    first_step_s = {}
    for name, s in steps.items():  # warm-up; the first call of a compiled variant includes compilation
        first_step_s[name] = timed(s)[0]
        for _ in range(args.warmup - 1):
            s()
    times: dict[str, dict[str, list[float]]] = {k: {"wall": [], "cpu": []} for k in steps}
    peak_probe: list[dict[str, float]] = []
    for i in range(args.iters):
        order = list(steps) if i % 2 == 0 else list(reversed(steps))
        for name in order:
            wall, cpu = timed(steps[name])
            times[name]["wall"].append(wall)
            times[name]["cpu"].append(cpu)
        peak_probe.append(matmul_rate(args.peak_n, dtype, reps=2))
    load_after = os.getloadavg()

    tokens = args.batch * args.seq
    fpt = ours.flops_per_token(args.seq)
    peak = {c: max([peaks[run_dtype][c], *(p[c] for p in peak_probe)]) for c in ("wall", "cpu")}
    res: dict[str, dict] = {}
    for name, tc in times.items():
        res[name] = {"step_s": tc}
        for c, ts in tc.items():
            med, best = statistics.median(ts), min(ts)
            res[name][c] = {
                "tokens_per_s_median": tokens / med,
                "tokens_per_s_best": tokens / best,
                "tflops_median": fpt * tokens / med / 1e12,
                "mfu_median": fpt * tokens / med / peak[c],
                "mfu_best": fpt * tokens / best / peak[c],
            }
    ratios = {c: _ratios(times, "medfl", "hf_llama", c) for c in ("wall", "cpu")}
    speedup = {c: statistics.median(r) for c, r in ratios.items()}
    if args.compile:
        speedup.update({
            f"{c}_compiled": statistics.median(_ratios(times, "medfl+compile", "hf_llama+compile", c))
            for c in ("wall", "cpu")
        })
    out = {
        "bench": "train_throughput",
        "preset": cfg.name,
        "model_config": cfg.to_dict(),
        "num_params": ours.num_params(),
        "batch": args.batch,
        "seq_len": args.seq,
        "tokens_per_step": tokens,
        "flops_per_token": fpt,
        "dtype": run_dtype,
        "clock": clock,
        "matmul_peak_flops": {"float32": peaks["float32"], "bfloat16": peaks["bfloat16"], "used": peak},
        "peak_probe_flops_per_round": peak_probe,
        "first_step_wall_s": first_step_s,
        "results": res,
        "speedup_vs_hf_median": speedup,
        "speedup_per_round": ratios,
        "goals": {
            "speedup>=1.2": speedup[clock] >= 1.2,
            "mfu>=0.5": res["medfl"][clock]["mfu_median"] >= 0.5,
        },
        "machine": {
            "cpu": _cpu_name(),
            "logical_cpus": os.cpu_count(),
            "torch_threads": torch.get_num_threads(),
            "torch": torch.__version__,
            "python": platform.python_version(),
            "loadavg_before": load_before,
            "loadavg_after": load_after,
        },
        "timestamp_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    _print_table(out)
    print(f"wrote {args.out}")


def _ratios(times: dict, ours: str, ref: str, clock: str) -> list[float]:
    """Per-round speed-up of `ours` over `ref` (both ran in the same round)."""
    return [r / o for o, r in zip(times[ours][clock], times[ref][clock], strict=True)]


def _cpu_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _print_table(o: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    c, m = o["clock"], o["machine"]
    p = o["matmul_peak_flops"]
    t = Table(
        title=f"{o['preset']} train step, batch {o['batch']} x seq {o['seq_len']}, {o['dtype']}, "
        f"{m['torch_threads']} thread(s), {c} clock ({m['cpu']})"
    )
    cols = ("model", "step s (median)", "tokens/s (median)", "tokens/s (best)", "TFLOP/s", "MFU (median)")
    for col in cols:
        t.add_column(col, justify="right")
    for name, r in o["results"].items():
        rc = r[c]
        t.add_row(
            name,
            f"{statistics.median(r['step_s'][c]):.3f}",
            f"{rc['tokens_per_s_median']:.0f}",
            f"{rc['tokens_per_s_best']:.0f}",
            f"{rc['tflops_median']:.3f}",
            f"{100 * rc['mfu_median']:.1f}%",
        )
    con = Console()
    con.print(t)
    con.print(
        f"matmul peak ({c} clock) at start: fp32 {p['float32'][c] / 1e9:.0f}, "
        f"bf16 {p['bfloat16'][c] / 1e9:.0f} GFLOP/s; MFU denominator (best {o['dtype']} seen in run) "
        f"{p['used'][c] / 1e9:.0f} GFLOP/s"
    )
    s, g = o["speedup_vs_hf_median"], o["goals"]
    con.print(
        f"speed-up vs HF (median of per-round ratios): {s[c]:.2f}x ({c} clock; other clock "
        f"{s['wall' if c == 'cpu' else 'cpu']:.2f}x) [goal 1.2x: {'met' if g['speedup>=1.2'] else 'NOT met'}]"
        f"; MFU goal 50%: {'met' if g['mfu>=0.5'] else 'NOT met'}; "
        f"load avg before/after {m['loadavg_before'][0]:.1f}/{m['loadavg_after'][0]:.1f}"
    )
    if f"{c}_compiled" in s:
        con.print(f"compiled vs compiled: {s[c + '_compiled']:.2f}x; compile (first step) wall s: "
                  + ", ".join(f"{k} {v:.0f}" for k, v in o["first_step_wall_s"].items() if "compile" in k))


if __name__ == "__main__":
    main()
