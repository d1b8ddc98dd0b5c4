"""Bytes per round and round-trip error of medfl's wire codec (fp32 / bf16 / int8) for a model preset.

    .venv/bin/python bench/wire_bytes.py --preset medfl-small [--steps 3] [--json out.json]

The pseudo-gradient is real: global - local after `--steps` AdamW steps of `local_round` on random tokens
(structure like a real update: per-row scales differ by orders of magnitude). Reports, per wire dtype, the
bytes per site and direction (ArrayRecord.count_bytes: what Flower ships), the ratio to fp32, encode/decode
seconds and the relative L2 error of the decoded pseudo-gradient (whole model and worst tensor). The downlink
sends the full fp32 weights on first contact / resync and a model delta of the same size as the uplink
(same codec) in every other round.
"""

from __future__ import annotations

import argparse
import json
import time

import torch


class _RandomTokens:
    def __init__(self, vocab: int, batch: int, seq: int, seed: int = 0) -> None:
        self.g = torch.Generator().manual_seed(seed)
        self.vocab, self.batch, self.seq = vocab, batch, seq

    def next_batch(self):
        t = torch.randint(0, self.vocab, (self.batch, self.seq + 1), generator=self.g)
        return t[:, :-1], t[:, 1:]


def main() -> None:
    from medfl.client.train import TrainConfig, local_round
    from medfl.core_model.config import ModelConfig
    from medfl.core_model.model import Transformer
    from medfl.server import wire

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="medfl-small")
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--json", default="")
    a = ap.parse_args()

    torch.manual_seed(0)
    cfg = ModelConfig.from_name(a.preset)
    model = Transformer(cfg)
    glob = {k: v.detach().clone().float() for k, v in model.state_dict().items()}
    tcfg = TrainConfig(lr=1e-3, warmup_steps=0, max_steps=a.steps, batch_size=2, seq_len=64, device="cpu",
                       precision="fp32", log_every=a.steps, ckpt_every=0)
    local_round(model, _RandomTokens(cfg.vocab_size, 2, 64), tcfg, steps=a.steps)
    delta = {k: glob[k] - v.detach().float() for k, v in model.state_dict().items()}
    n = sum(v.numel() for v in delta.values())
    out = {"preset": a.preset, "params": n, "tensors": len(delta), "uplink": {}, "downlink": {}}
    spec = wire.spec_of(delta)
    for dt in wire.WIRE_DTYPES:
        t = time.perf_counter()
        rec = wire.encode_state(delta, dt)
        enc = time.perf_counter() - t
        t = time.perf_counter()
        dec = wire.decode_state(rec, dt, spec)
        dec_s = time.perf_counter() - t
        num = sum(float((dec[k] - delta[k]).pow(2).sum()) for k in delta)
        den = sum(float(delta[k].pow(2).sum()) for k in delta)
        worst = max(float((dec[k] - delta[k]).norm() / delta[k].norm().clamp_min(1e-30)) for k in delta)
        b = wire.record_nbytes(rec)
        out["uplink"][dt] = {"bytes": b, "x_smaller_than_fp32": 4 * n / b, "encode_s": enc, "decode_s": dec_s,
                             "rel_l2_err": (num / den) ** 0.5, "worst_tensor_rel_l2_err": worst}
    out["downlink"]["full-fp32 (first contact / resync)"] = {"bytes": wire.record_nbytes(
        wire.encode_state(glob, "fp32"))}
    print(f"{a.preset}: {n / 1e6:.2f}M params in {len(delta)} tensors; pseudo-gradient after {a.steps} steps")
    print(f"{'wire':>5} {'MB/site/round':>14} {'vs fp32':>8} {'rel L2 err':>11} {'worst tensor':>13} "
          f"{'enc s':>6} {'dec s':>6}")
    for dt, r in out["uplink"].items():
        print(f"{dt:>5} {r['bytes'] / 1e6:>14.2f} {r['x_smaller_than_fp32']:>7.2f}x {r['rel_l2_err']:>11.2e} "
              f"{r['worst_tensor_rel_l2_err']:>13.2e} {r['encode_s']:>6.2f} {r['decode_s']:>6.2f}")
    down = ", ".join(f"{dt} {r['bytes'] / 1e6:.2f} MB" for dt, r in out["downlink"].items())
    print(f"downlink per site: {down}; other rounds: a delta of the uplink's size")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
