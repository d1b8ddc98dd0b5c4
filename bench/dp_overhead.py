"""DP-SGD step overhead: tokens/s and peak memory of one training step, non-private vs opacus hooks vs ghost.

Modes (same model, batch, AdamW, fp32 on CPU; σ = 1, C = 1; sampling rate 1 so every step has exactly B
sequences and only the step itself is compared, not Poisson batch-size noise):
  nonprivate   medfl.client.train.train_step with the plain mean cross-entropy
  hooks        opacus per-sample gradients (GradSampleHooks) + DPOptimizer
  ghost        opacus ghost clipping as shipped (two backward passes, Gram-matrix norms for every Linear)
  ghost-fast   medfl's default (`DPEngine(fast=True)`): mixed ghost norms per Linear (Gram trick or
               per-sample gradient, whichever is cheaper for the layer's shapes) and a first backward pass
               that computes no weight gradients; exact, see privacy/dp/engine.py

Time: the modes alternate step by step inside one process after a warm-up step each, so background load
hits all alike; each step is timed by this process's CPU time with ONE torch thread (time.process_time, as
bench/train_throughput.py: per-core throughput, which the neighbours on a shared box barely move) and by
wall time. Ratios are medians of per-round ratios to non-private.
Memory: each mode runs one warm-up and one measured step in a fresh subprocess started with
MALLOC_MMAP_THRESHOLD_=65536, so every tensor buffer is mmapped and returned to the OS when freed (RSS then
follows live tensor memory instead of glibc's cached free lists); we reset the kernel's peak-RSS mark
(/proc/self/clear_refs = 5) right before the measured step and report peak RSS during it minus the RSS just
before it: the step's transient memory (activations, gradients, per-sample gradients or norms, noise).

Usage: python bench/dp_overhead.py [--presets medfl-tiny,medfl-small] [--batches 4,16] [--seq 128]
                                   [--rounds 3] [--out bench/results/dp_overhead.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

MODES = ("nonprivate", "hooks", "ghost", "ghost-fast")


class _Units:
    def __init__(self, x, y):
        self.x, self.y, self.n = x, y, len(x)

    def batch(self, idx, rng):
        return self.x, self.y


class _Batch:
    def __init__(self, x, y):
        self.xy = (x, y)

    def next_batch(self):
        return self.xy


def build(preset: str, mode: str, batch: int, seq: int):
    """(one-step callable, model) for `mode`."""
    from medfl.client.train import TrainConfig, make_optimizer, train_step
    from medfl.core_model.config import ModelConfig
    from medfl.core_model.model import Transformer
    from medfl.privacy.dp.engine import DPEngine

    cfg = ModelConfig.from_name(preset)
    torch.manual_seed(0)
    model = Transformer(cfg)
    g = torch.Generator().manual_seed(1)
    x = torch.randint(0, cfg.vocab_size, (batch, seq), generator=g)
    y = torch.randint(0, cfg.vocab_size, (batch, seq), generator=g)
    tcfg = TrainConfig(lr=1e-4, warmup_steps=0, max_steps=10**6, batch_size=batch, seq_len=seq,
                       precision="fp32", device="cpu")
    opt = make_optimizer(model, tcfg)
    if mode == "nonprivate":
        return (lambda: train_step(model, _Batch(x, y), opt, grad_clip=0.0)), model
    eng = DPEngine(model, opt, _Units(x, y), noise_multiplier=1.0, sample_rate=1.0, max_grad_norm=1.0,
                   mode="hooks" if mode == "hooks" else "ghost", fast=mode == "ghost-fast", seed=0)
    return (lambda: eng.local_round(tcfg, steps=1)), model


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def memory_child(preset: str, mode: str, batch: int, seq: int) -> dict:
    torch.set_num_threads(1)
    step, _ = build(preset, mode, batch, seq)
    step()  # warm-up: AdamW state, allocator pools
    before = _rss_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak-RSS watermark (VmHWM)
    step()
    return {"step_mb": (_rss_kb("VmHWM") - before) / 1024, "peak_rss_mb": _rss_kb("VmHWM") / 1024}


def measure(preset: str, batch: int, seq: int, rounds: int) -> dict:
    steps = {m: build(preset, m, batch, seq)[0] for m in MODES}
    for m in MODES:
        steps[m]()  # warm-up
    cpu = {m: [] for m in MODES}
    wall = {m: [] for m in MODES}
    for r in range(rounds):
        order = MODES if r % 2 == 0 else MODES[::-1]
        for m in order:
            c0, w0 = time.process_time(), time.perf_counter()
            steps[m]()
            cpu[m].append(time.process_time() - c0)
            wall[m].append(time.perf_counter() - w0)
    tokens = batch * seq
    out = {"preset": preset, "batch": batch, "seq": seq, "tokens_per_step": tokens, "modes": {}}
    for m in MODES:
        out["modes"][m] = {
            "cpu_s_per_step": statistics.median(cpu[m]), "wall_s_per_step": statistics.median(wall[m]),
            "tokens_per_cpu_s": tokens / statistics.median(cpu[m]),
            "slowdown_vs_nonprivate": statistics.median(c / b for c, b in zip(cpu[m], cpu["nonprivate"],
                                                                                strict=True)),
        }
    for m in MODES:
        res = subprocess.run([sys.executable, __file__, "--_memory", preset, m, str(batch), str(seq)],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536"})
        out["modes"][m].update(json.loads(res.stdout.strip().splitlines()[-1]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--presets", default="medfl-tiny,medfl-small")
    ap.add_argument("--batches", default="4,16")
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default="bench/results/dp_overhead.json")
    ap.add_argument("--_memory", nargs=4, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a._memory:
        preset, mode, b, s = a._memory
        print(json.dumps(memory_child(preset, mode, int(b), int(s))))
        return
    torch.set_num_threads(1)
    results = []
    for preset in a.presets.split(","):
        for b in (int(x) for x in a.batches.split(",")):
            r = measure(preset, b, a.seq, a.rounds)
            results.append(r)
            for m, v in r["modes"].items():
                print(f"{preset:12s} B={b:3d} T={a.seq} {m:11s} {v['tokens_per_cpu_s']:8.0f} tok/cpu-s "
                      f"x{v['slowdown_vs_nonprivate']:.2f}  step mem {v['step_mb']:7.1f} MB "
                      f"(wall {v['wall_s_per_step']:.2f} s)", flush=True)
    meta = {"machine": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
            "torch": torch.__version__, "threads": 1, "load_avg": os.getloadavg(),
            "note": "shared, loaded 2-core box: CPU-time per step with 1 thread; wall times are noisy"}
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps({"meta": meta, "results": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
