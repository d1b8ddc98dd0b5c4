"""Tokens/s and MFU of a site's FSDP round (client/fsdp_round.py) on this machine's devices.

    python bench/fsdp_throughput.py --preset medfl-125m --nproc 8 --seq-len 2048 --batch-size 64 --steps 30
    python bench/fsdp_throughput.py --preset medfl-tiny --nproc 2 --seq-len 64 --batch-size 4 --steps 3  # CPU

Runs two rounds through the real site path (torchrun + FSDP2, files in a temp dir) on random tokens: the
first warms up (CUDA context, allocator, kernels), the second is reported. MFU = model FLOPs/token x
tokens/s / (datasheet bf16 peak x GPUs); on CPU no MFU is reported. Writes JSON to --out if given.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
import torch

from medfl.client import fsdp_round
from medfl.client.train import TrainConfig
from medfl.core_model.config import ModelConfig
from medfl.core_model.model import Transformer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="medfl-125m")
    ap.add_argument("--nproc", type=int, default=max(1, torch.cuda.device_count()))
    ap.add_argument("--seq-len", type=int, default=2048)
    ap.add_argument("--batch-size", type=int, default=64, help="site batch (all ranks) per optimizer step")
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--activation-checkpointing", action="store_true")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()

    cfg = ModelConfig.from_name(a.preset)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "packed"
        d.mkdir()
        n_tokens = (a.batch_size * 2 * a.steps + 1) * (a.seq_len + 1)
        toks = np.random.default_rng(0).integers(0, cfg.vocab_size, size=n_tokens, dtype=np.uint16)
        toks.tofile(d / "train.bin")
        (d / "meta.json").write_text(json.dumps({"dtype": "uint16", "tokenizer_sha256": "bench"}))
        tcfg = TrainConfig(lr=3e-4, warmup_steps=2, max_steps=2 * a.steps, batch_size=a.batch_size,
                           seq_len=a.seq_len, activation_checkpointing=a.activation_checkpointing)
        weights = Transformer(cfg).state_dict()
        results = []
        for r in range(2):
            spec = fsdp_round.FsdpRoundSpec(model_config=cfg.to_dict(), train_config=tcfg.to_dict(),
                                            steps=a.steps, global_step=r * a.steps,
                                            shards=[str(d / "train.bin")], state_dir=str(Path(tmp) / "state"))
            weights, m = fsdp_round.run_round(Path(tmp) / "round", spec, weights, nproc=a.nproc)
            results.append(m)
    m = results[-1]
    out = {"preset": a.preset, "params": Transformer(cfg).num_params(), "nproc": a.nproc,
           "seq_len": a.seq_len, "batch_size": a.batch_size, "steps": a.steps, "device": m["device"],
           "param_dtype": m["param_dtype"],
           "tokens_per_s": m["tokens_per_s"], "tokens_per_s_per_device": m["tokens_per_s"] / a.nproc,
           "mfu": m.get("mfu"), "loss": m["loss"], "launch_overhead_s": m["launch_overhead_seconds"],
           "train_s": m["seconds"]}
    print(json.dumps(out, indent=2))
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
