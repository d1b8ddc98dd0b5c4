"""Capacity plan for a federation: per-GPU memory under FSDP2, checkpoint size, time to a token budget and
bytes per federated round, computed from the model itself (built on the meta device, nothing allocated).

Design choices
- Parameter counts come from `Transformer(cfg)` on the meta device: the root FSDP unit (embeddings, final
  norm, lm head) and the largest block are measured, not derived from formulas.
- Memory model = what core_model/parallelize.py does on a GPU: FSDP2 over the site's GPUs with bf16 compute
  parameters and fp32 gradient reduction. Per GPU:
    sharded model states  (4 fp32 master + 4 fp32 grad + 8 AdamW m/v) bytes x N / shards
    gathered              bf16 root unit + two bf16 blocks (current + prefetched) + one block's unsharded
                          gradient (bf16, then its fp32 copy for the reduce-scatter)
    activations           bytes saved for backward, measured by running one block and the head forward on
                          meta tensors under `saved_tensors_hooks`, with SDPA swapped for the flash kernel a
                          GPU uses (so no T x T matrix; K/V counted at all query heads: an upper bound for
                          GQA) and RMSNorm for a fused kernel (keeps x and rstd, not eager's fp32 copies);
                          x n_layers without checkpointing, or block inputs x n_layers + one block's
                          activations (recomputed) with it; plus the fp32 logits gradient in backward.
  "Unsharded with BF16 mixed precision" is the same 18 bytes/parameter of model states on one device.
  Not counted: allocator fragmentation, NCCL buffers, CUDA context (~1-3 GB in practice): the headroom.
- Compute: training FLOPs/token from `Transformer.flops_per_token` (6N + attention, PaLM convention); the
  6N part is shown separately. tokens/s = MFU x peak / FLOPs per token; peak defaults to the A100's
  312 TFLOP/s dense bf16.
- Bytes per round: what each site sends up (and gets down) per round for each wire dtype: fp32 4 B, bf16
  2 B, int8 1 B per parameter + one fp32 scale per row of every 2-D tensor (server/wire.py's per-row int8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from medfl.core_model.config import ModelConfig

GB = 1e9
A100_BF16_FLOPS = 312e12
STATE_BYTES = {"param_fp32": 4, "grad_fp32": 4, "adam_fp32": 8}  # sharded, per parameter
MIXED_BYTES_PER_PARAM = 2 + sum(STATE_BYTES.values())  # + the bf16 compute copy: 18 B/param on one device


@dataclass
class PlanConfig:
    """Inputs of a plan. Args:
    preset: model preset; overrides: ModelConfig field overrides (e.g. vocab_size, n_kv_heads).
    gpus_per_site: FSDP shard degree (one site's GPUs). gpu_mem_gb: memory per GPU (decimal GB).
    sites: federation size. tokens: training token budget for the whole federation.
    mfu: model FLOPs utilisation assumed. peak_flops: per-GPU dense bf16 peak.
    seq_len / micro_batch: sequence length and sequences per GPU per micro-step (None: model max).
    """

    preset: str = "medfl-7b"
    overrides: dict[str, Any] = field(default_factory=dict)
    gpus_per_site: int = 8
    gpu_mem_gb: float = 80.0
    sites: int = 1
    tokens: float = 100e9
    mfu: float = 0.4
    peak_flops: float = A100_BF16_FLOPS
    seq_len: int | None = None
    micro_batch: int = 1

    def __post_init__(self) -> None:
        for f in ("gpus_per_site", "sites", "micro_batch"):
            if getattr(self, f) < 1:
                raise ValueError(f"PlanConfig.{f} must be >= 1, got {getattr(self, f)!r}")
        if not 0 < self.mfu <= 1:
            raise ValueError(f"PlanConfig.mfu must be in (0, 1], got {self.mfu!r}")
        if self.gpu_mem_gb <= 0 or self.tokens <= 0 or self.peak_flops <= 0:
            raise ValueError("PlanConfig gpu_mem_gb, tokens and peak_flops must be > 0")


class _FusedRMSNorm(torch.autograd.Function):
    """What a fused RMSNorm kernel keeps for backward: the (bf16) input and one fp32 rstd per row."""

    @staticmethod
    def forward(ctx, x, weight, eps):
        rstd = torch.empty(x.shape[:-1] + (1,), dtype=torch.float32, device=x.device)
        ctx.save_for_backward(x, rstd, weight)
        return torch.empty_like(x)

    @staticmethod
    def backward(ctx, g):  # never run: meta tensors are only measured
        raise NotImplementedError


class _GpuKernels(TorchFunctionMode):
    """Meta tensors take PyTorch's eager fallbacks (math SDPA keeps the T x T matrix, composite RMSNorm keeps
    fp32 copies). Route SDPA to the flash kernel's meta implementation (saves q, k, v, out, logsumexp) and
    RMSNorm to a fused-kernel stand-in, which is what the GPU run keeps for backward."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func is F.scaled_dot_product_attention:
            q, k, v = args[:3]
            rep = q.shape[1] // k.shape[1]
            k, v = k.repeat_interleave(rep, 1), v.repeat_interleave(rep, 1)
            return torch.ops.aten._scaled_dot_product_flash_attention(q, k, v, is_causal=True)[0]
        if func is F.rms_norm:
            x, _shape, weight, eps = (list(args) + [kwargs.get("weight"), kwargs.get("eps")])[:4]
            return _FusedRMSNorm.apply(x, weight, eps)
        return func(*args, **kwargs)


def _saved_bytes(fn, exclude: set[int]) -> int:
    """Bytes of distinct storages autograd saves while running fn() (parameters in `exclude` left out)."""
    seen: dict[int, int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        st = t.untyped_storage()
        if st._cdata not in exclude:
            seen[st._cdata] = st.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t), _GpuKernels():
        fn()
    return sum(seen.values())


def build_meta_model(cfg: ModelConfig):
    from medfl.core_model.model import Transformer

    with torch.device("meta"):
        return Transformer(cfg)


def activation_bytes(model, seq_len: int, micro_batch: int) -> dict[str, int]:
    """Measured bytes saved for backward in bf16 compute: per block, per block input, head (+ logits grad)."""
    cfg = model.cfg
    m = model.to(torch.bfloat16)
    params = {p.untyped_storage()._cdata for p in m.parameters()}
    B, T = micro_batch, seq_len
    h = torch.zeros(B, T, cfg.dim, dtype=torch.bfloat16, device="meta", requires_grad=True)
    block = _saved_bytes(lambda: m.layers[0](h, m.rope), params)

    def head() -> None:
        y = torch.zeros(B, T, dtype=torch.long, device="meta")
        F.cross_entropy(m.output(m.norm(h)).float().flatten(0, 1), y.flatten())

    head_b = _saved_bytes(head, params)
    return {
        "block": block,
        "block_input": h.numel() * 2,
        "head": head_b,
        "logits_grad": B * T * cfg.vocab_size * 4,  # fp32 d(loss)/d(logits), alive at the start of backward
    }


def _gb(x: float) -> float:
    return round(x / GB, 2)


def compute_plan(pc: PlanConfig) -> dict[str, Any]:
    """The full plan as a JSON-able dict (numbers in GB, seconds, bytes as noted in the keys)."""
    cfg = ModelConfig.from_name(pc.preset, **pc.overrides)
    T = pc.seq_len or cfg.max_seq_len
    if T > cfg.max_seq_len:
        raise ValueError(f"seq_len {T} exceeds {cfg.name}'s max_seq_len {cfg.max_seq_len}")
    model = build_meta_model(cfg)
    n = model.num_params()
    n_block = max(sum(p.numel() for p in b.parameters()) for b in model.layers)
    n_root = n - sum(sum(p.numel() for p in b.parameters()) for b in model.layers)
    fpt = model.flops_per_token(T)
    six_n = 6 * model.num_params(non_embedding=True)
    act = activation_bytes(model, T, pc.micro_batch)
    L = cfg.n_layers

    def per_gpu(shards: int) -> dict[str, float]:
        states = {k: b * n / shards for k, b in STATE_BYTES.items()}
        gathered = 2 * (n_root + 2 * n_block) + (2 + 4) * n_block
        act_full = L * act["block"] + act["head"] + act["logits_grad"]
        act_ckpt = L * act["block_input"] + act["block"] + act["head"] + act["logits_grad"]
        base = sum(states.values()) + gathered
        return {
            "shards": shards,
            "params_gb": _gb(states["param_fp32"]), "grads_gb": _gb(states["grad_fp32"]),
            "optimizer_gb": _gb(states["adam_fp32"]), "gathered_gb": _gb(gathered),
            "activations_gb": _gb(act_full), "activations_ckpt_gb": _gb(act_ckpt),
            "total_gb": _gb(base + act_full), "total_ckpt_gb": _gb(base + act_ckpt),
            "fits": base + act_full <= pc.gpu_mem_gb * GB,
            "fits_ckpt": base + act_ckpt <= pc.gpu_mem_gb * GB,
        }

    gpus = pc.gpus_per_site * pc.sites
    tps_gpu = pc.mfu * pc.peak_flops / fpt
    tps = tps_gpu * gpus
    n_2d_rows = sum(p.shape[0] for p in model.parameters() if p.ndim == 2)
    sweep = sorted({1, 8, 16, 32, 64, 128, pc.gpus_per_site})
    return {
        "model": {"name": cfg.name, "config": cfg.to_dict(), "params": n, "params_b": round(n / 1e9, 3),
                  "block_params": n_block, "root_params": n_root,
                  "flops_per_token": fpt, "flops_per_token_6n": six_n, "seq_len": T,
                  "micro_batch": pc.micro_batch},
        "unsharded_mixed_bf16_gb": _gb(MIXED_BYTES_PER_PARAM * n),
        "activation_bytes": act,
        "per_gpu": per_gpu(pc.gpus_per_site),
        "sharding_sweep": [per_gpu(s) for s in sweep],
        "gpu_mem_gb": pc.gpu_mem_gb,
        "checkpoint_gb": {"fp32": _gb(4 * n), "bf16": _gb(2 * n),
                          "fp32_with_adam": _gb((4 + 8) * n)},
        "throughput": {"sites": pc.sites, "gpus_per_site": pc.gpus_per_site, "gpus": gpus, "mfu": pc.mfu,
                       "peak_flops": pc.peak_flops, "tokens_per_s_per_gpu": tps_gpu,
                       "tokens_per_s_per_site": tps_gpu * pc.gpus_per_site, "tokens_per_s": tps,
                       "tokens": pc.tokens, "days": pc.tokens / tps / 86400},
        "round_bytes_per_site": {"fp32": 4 * n, "bf16": 2 * n, "int8": n + 4 * n_2d_rows},
    }


def render(plan: dict[str, Any]) -> list:
    """rich renderables for the CLI (tables)."""
    from rich.table import Table

    m, tp = plan["model"], plan["throughput"]
    head = Table(title=f"{m['name']}: {m['params']:,} parameters ({m['params_b']} B), seq {m['seq_len']}, "
                       f"micro-batch {m['micro_batch']}", show_header=False)
    head.add_row("model states unsharded, BF16 mixed precision (18 B/param)",
                 f"{plan['unsharded_mixed_bf16_gb']} GB")
    head.add_row("training FLOPs/token (6N + attention)",
                 f"{m['flops_per_token'] / 1e9:.1f} G (6N = {m['flops_per_token_6n'] / 1e9:.1f} G)")
    ck = plan["checkpoint_gb"]
    head.add_row("checkpoint size", f"fp32 {ck['fp32']} GB, bf16 {ck['bf16']} GB, fp32 + AdamW "
                                    f"{ck['fp32_with_adam']} GB")
    head.add_row(f"throughput at MFU {tp['mfu']:.0%} of {tp['peak_flops'] / 1e12:.0f} TFLOP/s",
                 f"{tp['tokens_per_s_per_gpu']:,.0f} tok/s/GPU, "
                 f"{tp['tokens_per_s_per_site']:,.0f} tok/s/site, "
                 f"{tp['tokens_per_s']:,.0f} tok/s on {tp['gpus']} GPUs")
    head.add_row(f"time for {tp['tokens'] / 1e9:,.0f} B tokens", f"{tp['days']:.1f} days "
                 f"({tp['sites']} site(s) x {tp['gpus_per_site']} GPUs, federation overhead not included)")
    rb = plan["round_bytes_per_site"]
    head.add_row("bytes per round per site (each way)",
                 f"fp32 {_gb(rb['fp32'])} GB, bf16 {_gb(rb['bf16'])} GB, int8 {_gb(rb['int8'])} GB")

    mem = Table(title=f"per-GPU memory (GB) under FSDP2, {plan['gpu_mem_gb']:.0f} GB GPUs")
    for col in ("shards", "params", "grads", "AdamW", "gathered", "activ.", "activ. ckpt", "total",
                "total ckpt"):
        mem.add_column(col, justify="right")
    for r in plan["sharding_sweep"]:
        mark = "" if r["fits"] else " !"
        mark_ck = "" if r["fits_ckpt"] else " !"
        style = "bold" if r["shards"] == plan["per_gpu"]["shards"] else None
        mem.add_row(str(r["shards"]), f"{r['params_gb']}", f"{r['grads_gb']}", f"{r['optimizer_gb']}",
                    f"{r['gathered_gb']}", f"{r['activations_gb']}", f"{r['activations_ckpt_gb']}",
                    f"{r['total_gb']}{mark}", f"{r['total_ckpt_gb']}{mark_ck}", style=style)
    return [head, mem, "'!' = does not fit; ckpt = activation checkpointing on every block; not counted: "
                       "CUDA context, NCCL buffers, fragmentation (keep 1-3 GB headroom)."]
