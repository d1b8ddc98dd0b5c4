"""Local pretraining: one training step shared by the single-site Trainer and the federation's local_round.

Design choices
- One step function (`train_step`): gradient accumulation over `grad_accum` micro-batches, loss computed
  outside the model (`F.cross_entropy(logits.flatten(0, 1), y.flatten())`, what opacus' ghost clipping
  needs), optional FedProx gradient, global grad-norm clipping, then the optimizer step. `Trainer.fit` and
  `local_round` both call it, so federation and DP reuse exactly the loop that is tested here.
- Optimizer: AdamW (β 0.9/0.95, eps 1e-8); weight decay only on matmul weights (ndim >= 2, not embeddings);
  norms, embeddings and biases get none. Fused AdamW on CUDA.
- Schedule: linear warmup to the peak lr, then cosine decay to `min_lr_ratio` x peak at `max_steps`
  (`lr_lambda`, used through LambdaLR in the Trainer and evaluated at `global_step` in local_round).
- Precision: parameters, gradients and optimizer state stay fp32 (master weights); matmuls run under bf16
  autocast where the device supports it. `precision="auto"` is bf16 on CUDA with bf16 support and fp32 on
  CPU: measured on this 2-core AVX-512-BF16 Xeon (no AMX), CPU bf16 autocast trained medfl-small slower than
  fp32 (casts dominate; see bench numbers in the report), so it is opt-in there (`precision="bf16"`).
- Non-finite steps: if the loss or the global grad norm is NaN/Inf, the optimizer step is skipped, gradients
  are dropped and an event is recorded; the step counter and lr schedule still advance (the batch is
  consumed), so `lr(step)` stays a pure function of the step. A checkpoint with NaN weights is refused by
  `save_checkpoint`, so a diverged run never overwrites its last good checkpoint.
- Instability monitor: exponential running averages of loss and grad norm; a loss above 2x or a grad norm
  above 10x its running average (after a few warm-up steps) is logged and written to metrics.jsonl.
- Resume is exact: model, optimizer, scheduler, loader position, monitor, torch/numpy/python RNG states and
  the step are checkpointed; 20 steps straight and 10 + resume + 10 give bit-identical weights on CPU (test).
- Activation checkpointing is applied from outside the model: each block of `model.layers` gets its forward
  wrapped in non-reentrant `torch.utils.checkpoint` (parameter names unchanged, checkpoints stay portable).
- MFU = model.flops_per_token(seq_len) x tokens/s / peak. Peak: `TrainConfig.peak_flops` if given; on CUDA
  the datasheet dense bf16/fp32 peak of known GPUs; otherwise the best 2048^2 matmul rate in the training
  dtype measured on the device: a 0.5 s burst at start, re-probed with one matmul at every log step (running
  max), because on a shared CPU a single measurement can be slowed by other load and inflate MFU.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import math
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from medfl.core_model.checkpoint import (
    list_checkpoints,
    load_latest_checkpoint,
    numpy_rng_state_from_safe,
    numpy_rng_state_to_safe,
    save_checkpoint,
)
from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

PRECISIONS = ("auto", "fp32", "bf16")


@dataclass
class TrainConfig:
    lr: float = 1e-3  # peak learning rate
    warmup_steps: int = 100
    max_steps: int = 1000  # also the cosine horizon
    batch_size: int = 16  # sequences per micro-batch
    grad_accum: int = 1  # micro-batches per optimizer step
    seq_len: int = 256
    weight_decay: float = 0.1
    betas: tuple[float, float] = (0.9, 0.95)
    eps: float = 1e-8
    grad_clip: float = 1.0  # global grad-norm clip; <= 0 disables
    min_lr_ratio: float = 0.1  # cosine floor as a fraction of the peak lr
    precision: str = "auto"  # auto | fp32 | bf16 (autocast; master weights always fp32)
    activation_checkpointing: bool = False
    log_every: int = 10
    eval_every: int = 0  # 0: only at the end
    ckpt_every: int = 100  # 0: only at the end
    keep_last: int = 3
    seed: int = 0
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    time_budget_s: float | None = None  # stop (and checkpoint) once this much wall time is spent in fit()
    peak_flops: float | None = None  # for MFU; None: datasheet (known GPUs) or measured matmul peak
    eval_batch_size: int = 16
    loss_spike_factor: float = 2.0
    grad_spike_factor: float = 10.0
    max_skips_in_a_row: int = 20  # this many consecutive non-finite steps: stop, the run has diverged

    def __post_init__(self) -> None:
        self.betas = tuple(self.betas)  # type: ignore[assignment]  (JSON/TOML give lists)
        for f in (
            "max_steps",
            "batch_size",
            "grad_accum",
            "seq_len",
            "log_every",
            "keep_last",
            "max_skips_in_a_row",
        ):
            v = getattr(self, f)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise ValueError(f"TrainConfig.{f} must be a positive int, got {v!r}")
        for f in ("warmup_steps", "eval_every", "ckpt_every"):
            if getattr(self, f) < 0:
                raise ValueError(f"TrainConfig.{f} must be >= 0, got {getattr(self, f)!r}")
        if not self.lr > 0:
            raise ValueError(f"TrainConfig.lr must be > 0, got {self.lr!r}")
        if not 0 <= self.min_lr_ratio <= 1:
            raise ValueError(f"TrainConfig.min_lr_ratio must be in [0, 1], got {self.min_lr_ratio!r}")
        if self.precision not in PRECISIONS:
            raise ValueError(
                f"TrainConfig.precision must be one of {', '.join(PRECISIONS)}, got {self.precision!r}"
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


class BatchSource(Protocol):
    def next_batch(self) -> tuple[torch.Tensor, torch.Tensor]: ...


# ---- building blocks ------------------------------------------------------------------------------


def resolve_device(device: str) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    dev = torch.device(device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise MedflError(f"TrainConfig.device is {device!r} but CUDA is not available")
    return dev


def resolve_autocast_dtype(precision: str, device: torch.device) -> torch.dtype | None:
    """dtype for torch.autocast, or None for plain fp32."""
    if precision == "fp32":
        return None
    cuda_bf16 = device.type == "cuda" and torch.cuda.is_bf16_supported()
    if precision == "bf16":
        if device.type == "cuda" and not cuda_bf16:
            raise MedflError(
                f"precision 'bf16' requested but {torch.cuda.get_device_name(device)} lacks bf16"
            )
        return torch.bfloat16
    return torch.bfloat16 if cuda_bf16 else None  # auto: CPU bf16 autocast measured slower here


def autocast_ctx(device: torch.device, dtype: torch.dtype | None):
    return (
        torch.autocast(device_type=device.type, dtype=dtype)
        if dtype is not None
        else contextlib.nullcontext()
    )


def param_groups(model: nn.Module, weight_decay: float) -> list[dict[str, Any]]:
    """AdamW groups: decay matmul weights; no decay for norms, embeddings and biases."""
    no_decay_ids = set()
    for m in model.modules():
        if isinstance(m, (nn.Embedding, nn.RMSNorm, nn.LayerNorm)):
            no_decay_ids.update(id(p) for p in m.parameters(recurse=False))
    decay, no_decay = [], []
    for _name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (no_decay if id(p) in no_decay_ids or p.ndim < 2 else decay).append(p)
    return [
        {"params": decay, "weight_decay": weight_decay, "name": "decay"},
        {"params": no_decay, "weight_decay": 0.0, "name": "no_decay"},
    ]


def make_optimizer(model: nn.Module, cfg: TrainConfig, state: dict | None = None) -> torch.optim.AdamW:
    """AdamW over `param_groups(model)`; loads `state` (an optimizer state_dict) when given."""
    on_cuda = next(model.parameters()).device.type == "cuda"
    opt = torch.optim.AdamW(
        param_groups(model, cfg.weight_decay),
        lr=cfg.lr,
        betas=cfg.betas,
        eps=cfg.eps,
        fused=True if on_cuda else None,
    )
    if state is not None:
        opt.load_state_dict(state)
    return opt


def lr_lambda(step: int, cfg: TrainConfig) -> float:
    """lr multiplier for the update at 0-based `step`: linear warmup, then cosine to min_lr_ratio."""
    if step < cfg.warmup_steps:
        return (step + 1) / cfg.warmup_steps
    decay_steps = max(1, cfg.max_steps - cfg.warmup_steps)
    progress = min(1.0, (step - cfg.warmup_steps) / decay_steps)
    return cfg.min_lr_ratio + (1 - cfg.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress))


def make_scheduler(opt: torch.optim.Optimizer, cfg: TrainConfig) -> torch.optim.lr_scheduler.LambdaLR:
    return torch.optim.lr_scheduler.LambdaLR(opt, functools.partial(lr_lambda, cfg=cfg))


def apply_activation_checkpointing(model: nn.Module) -> nn.Module:
    """Recompute each block of `model.layers` in backward (non-reentrant checkpoint); names are unchanged."""
    from torch.utils.checkpoint import checkpoint

    for block in model.layers:
        if getattr(block, "_medfl_ckpt", False):
            continue
        inner = block.forward

        def ckpt_forward(*args, _inner=inner, **kwargs):
            return checkpoint(_inner, *args, use_reentrant=False, **kwargs)

        block.forward = ckpt_forward
        block._medfl_ckpt = True
    return model


# ---- the one training step ------------------------------------------------------------------------


@dataclass
class StepResult:
    loss: float  # mean cross-entropy over the micro-batches (NaN/Inf if the step was non-finite)
    grad_norm: float  # global grad norm before clipping
    lr: float  # lr the update used (or would have used)
    tokens: int  # target tokens consumed
    skipped: bool  # True: non-finite loss/grad, no optimizer step


def default_loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(logits.flatten(0, 1), y.flatten())


def train_step(
    model: nn.Module,
    batches: BatchSource,
    optimizer: torch.optim.Optimizer,
    *,
    grad_accum: int = 1,
    grad_clip: float = 1.0,
    device: torch.device | None = None,
    autocast_dtype: torch.dtype | None = None,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
    prox: tuple[float, list[torch.Tensor]] | None = None,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] = default_loss,
) -> StepResult:
    """One optimizer step over `grad_accum` micro-batches from `batches.next_batch()`.

    Args:
        prox: (mu, reference params aligned with model.parameters()): FedProx. Adds the gradient of
            (mu/2)*||w - ref||^2, i.e. mu*(w - ref), before clipping (identical to adding the term to the
            loss, without building it into the graph). The reported loss is the data loss only.
        scheduler: stepped once per call, also for skipped steps.
    """
    device = device or next(model.parameters()).device
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer.zero_grad(set_to_none=True)
    loss_sum = torch.zeros((), device=device)
    tokens = 0
    for _ in range(grad_accum):
        x, y = batches.next_batch()
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        with autocast_ctx(device, autocast_dtype):
            loss = loss_fn(model(x), y)
        (loss / grad_accum).backward()
        loss_sum += loss.detach().float()
        tokens += y.numel()
    if prox is not None and prox[0] > 0:
        mu, ref = prox
        with torch.no_grad():
            for p, r in zip(params, ref, strict=True):
                if p.grad is not None:
                    p.grad.add_(p.detach() - r, alpha=mu)
    max_norm = grad_clip if grad_clip > 0 else float("inf")
    grad_norm = torch.nn.utils.clip_grad_norm_(params, max_norm)  # NaN/Inf passes through; checked below
    loss_mean = loss_sum / grad_accum
    finite = bool(torch.isfinite(loss_mean) & torch.isfinite(grad_norm))  # the one host sync per step
    lr = optimizer.param_groups[0]["lr"]
    if finite:
        optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    if scheduler is not None:
        scheduler.step()
    return StepResult(float(loss_mean), float(grad_norm), lr, tokens, skipped=not finite)


# ---- monitoring ------------------------------------------------------------------------------------


def _num(x: float) -> float | str:
    """JSON-safe number: non-finite values become 'nan'/'inf'/'-inf'."""
    return x if math.isfinite(x) else str(x)


class StabilityMonitor:
    """Running averages of loss and grad norm; flags spikes and non-finite steps as events."""

    def __init__(
        self, loss_factor: float = 2.0, grad_factor: float = 10.0, beta: float = 0.9, warmup: int = 5
    ):
        self.loss_factor, self.grad_factor, self.beta, self.warmup = loss_factor, grad_factor, beta, warmup
        self.loss_avg = self.grad_avg = 0.0
        self.n = 0  # finite steps seen

    def update(self, step: int, r: StepResult) -> list[dict[str, Any]]:
        if r.skipped:
            return [
                {
                    "kind": "event",
                    "event": "nonfinite_step_skipped",
                    "step": step,
                    "loss": _num(r.loss),
                    "grad_norm": _num(r.grad_norm),
                }
            ]
        events = []
        if self.n >= self.warmup:
            if r.loss > self.loss_factor * self.loss_avg:
                events.append(
                    {
                        "kind": "event",
                        "event": "loss_spike",
                        "step": step,
                        "loss": r.loss,
                        "running_avg": self.loss_avg,
                    }
                )
            if r.grad_norm > self.grad_factor * self.grad_avg:
                events.append(
                    {
                        "kind": "event",
                        "event": "grad_norm_spike",
                        "step": step,
                        "grad_norm": r.grad_norm,
                        "running_avg": self.grad_avg,
                    }
                )
        # Bias-corrected EMA (so the first steps are not compared to 0).
        self.n += 1
        b = self.beta
        self.loss_avg = r.loss if self.n == 1 else b * self.loss_avg + (1 - b) * r.loss
        self.grad_avg = r.grad_norm if self.n == 1 else b * self.grad_avg + (1 - b) * r.grad_norm
        return events

    def state_dict(self) -> dict[str, float]:
        return {"loss_avg": self.loss_avg, "grad_avg": self.grad_avg, "n": self.n}

    def load_state_dict(self, s: dict[str, float]) -> None:
        self.loss_avg, self.grad_avg, self.n = float(s["loss_avg"]), float(s["grad_avg"]), int(s["n"])


# Dense (no sparsity) datasheet peaks in FLOP/s: (bf16, fp32/tf32-off). Matched on the CUDA device name.
MEASURED = "measured matmul (running max)"
_GPU_PEAKS = {
    "H200": (989e12, 67e12),
    "H100": (989e12, 67e12),
    "A100": (312e12, 19.5e12),
    "L40S": (362e12, 91.6e12),
    "A10G": (70e12, 31.2e12),
    "L4": (121e12, 30.3e12),
}


def matmul_flops(
    device: str = "cpu", dtype: torch.dtype = torch.float32, n: int = 2048, reps: int = 1
) -> float:
    """Best FLOP/s of `reps` timed n x n matmuls (after one untimed call). Uses no RNG (constant inputs)."""
    dev = torch.device(device)
    a = torch.full((n, n), 0.5, device=dev, dtype=dtype)
    b = torch.full((n, n), 0.25, device=dev, dtype=dtype)
    torch.mm(a, b)  # warm-up
    best = 0.0
    for _ in range(reps):
        if dev.type == "cuda":
            torch.cuda.synchronize(dev)
        t0 = time.perf_counter()
        torch.mm(a, b)
        if dev.type == "cuda":
            torch.cuda.synchronize(dev)
        best = max(best, 2 * n**3 / (time.perf_counter() - t0))
    return best


@functools.lru_cache(maxsize=8)
def measure_matmul_peak(
    device: str = "cpu", dtype: torch.dtype = torch.float32, seconds: float = 0.5
) -> float:
    """Best observed FLOP/s of 2048^2 matmuls over ~`seconds` (at least 3 runs); cached per process."""
    best, t_end = 0.0, time.perf_counter() + seconds
    while best == 0.0 or time.perf_counter() < t_end:
        best = max(best, matmul_flops(device, dtype, reps=3))
    return best


def peak_flops(device: torch.device, dtype: torch.dtype | None) -> tuple[float, str]:
    """(peak FLOP/s, where it came from) for MFU: datasheet for known GPUs, else a measured matmul peak."""
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        for key, (bf16, fp32) in _GPU_PEAKS.items():
            if key in name:
                return (bf16 if dtype == torch.bfloat16 else fp32), f"datasheet {key}"
    return measure_matmul_peak(str(device), dtype or torch.float32), MEASURED


# ---- evaluation ------------------------------------------------------------------------------------


@torch.no_grad()
def evaluate(
    model: nn.Module,
    val_sets: dict[str, torch.Tensor],
    *,
    batch_size: int = 16,
    device: torch.device | None = None,
    autocast_dtype: torch.dtype | None = None,
) -> dict[str, dict[str, float]]:
    """Mean token cross-entropy and perplexity per source. val_sets: source -> LongTensor (N, T+1)."""
    device = device or next(model.parameters()).device
    was_training = model.training
    model.eval()
    out = {}
    try:
        for source, seqs in val_sets.items():
            total, count = 0.0, 0
            for i in range(0, len(seqs), batch_size):
                chunk = seqs[i : i + batch_size].to(device)
                x, y = chunk[:, :-1], chunk[:, 1:]
                with autocast_ctx(device, autocast_dtype):
                    logits = model(x)
                total += float(F.cross_entropy(logits.float().flatten(0, 1), y.flatten(), reduction="sum"))
                count += y.numel()
            if count == 0:
                continue
            loss = total / count
            out[source] = {"loss": loss, "ppl": math.exp(min(loss, 80.0)), "tokens": count}
    finally:
        model.train(was_training)
    return out


# ---- federation: a round of local steps -----------------------------------------------------------


def local_round(
    model: nn.Module,
    loader: BatchSource,
    train_cfg: TrainConfig,
    *,
    steps: int,
    optimizer_state: dict | None = None,
    prox_mu: float = 0.0,
    prox_ref: Iterable[torch.Tensor] | dict[str, torch.Tensor] | None = None,
    optimizer: torch.optim.Optimizer | None = None,
    global_step: int = 0,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] = default_loss,
) -> dict[str, float]:
    """Run `steps` local optimizer steps in place on `model` (the federation client's inner loop).

    Args:
        optimizer_state: AdamW state to continue from (else fresh moments). To keep the state across rounds in
            one process pass `optimizer=make_optimizer(model, cfg)` instead and reuse it.
        prox_mu: FedProx μ; adds (μ/2)·||w − w_ref||² to the objective.
        prox_ref: the reference (global) weights, as tensors aligned with model.parameters() or a state_dict;
            default: a copy of the model's weights at the start of the round (= the global model just loaded).
        global_step: steps trained before this round; the lr is `lr_lambda(global_step + i)`, so with
            `train_cfg.max_steps = rounds * steps` local rounds follow one warmup + cosine schedule.
        loss_fn: (logits, y) -> loss; e.g. opacus' DPLossFastGradientClipping for ghost clipping (pass a
            DP optimizer via `optimizer=` and `grad_clip=0` in train_cfg: opacus clips per sample).

    Returns: scalar metrics: tokens, loss (mean over finite steps), loss_last, grad_norm (mean), steps,
        skipped_steps, lr_last, seconds, tokens_per_s, prox_term ((μ/2)·||w − w_ref||² at the end).
    """
    if steps < 1:
        raise ValueError(f"local_round steps must be >= 1, got {steps}")
    device = resolve_device(train_cfg.device)
    model.to(device)
    model.train()
    dtype = resolve_autocast_dtype(train_cfg.precision, device)
    if train_cfg.activation_checkpointing:
        apply_activation_checkpointing(model)
    if optimizer is None:
        optimizer = make_optimizer(model, train_cfg, optimizer_state)
    params = [p for p in model.parameters() if p.requires_grad]
    prox = None
    if prox_mu > 0:
        if prox_ref is None:
            ref = [p.detach().clone() for p in params]
        elif isinstance(prox_ref, dict):
            ref = [prox_ref[n].to(device) for n, p in model.named_parameters() if p.requires_grad]
        else:
            ref = [r.to(device) for r in prox_ref]
        prox = (prox_mu, ref)

    losses, norms, tokens, skipped, last = [], [], 0, 0, None
    t0 = time.perf_counter()
    for i in range(steps):
        for g in optimizer.param_groups:
            g["lr"] = train_cfg.lr * lr_lambda(global_step + i, train_cfg)
        last = train_step(
            model,
            loader,
            optimizer,
            grad_accum=train_cfg.grad_accum,
            grad_clip=train_cfg.grad_clip,
            device=device,
            autocast_dtype=dtype,
            prox=prox,
            loss_fn=loss_fn,
        )
        tokens += last.tokens
        if last.skipped:
            skipped += 1
            log.warning("local step %d: non-finite loss/grad, step skipped", global_step + i)
        else:
            losses.append(last.loss)
            norms.append(last.grad_norm)
    seconds = time.perf_counter() - t0
    prox_term = 0.0
    if prox is not None:
        with torch.no_grad():
            prox_term = (
                0.5 * prox_mu * float(sum(((p - r) ** 2).sum() for p, r in zip(params, prox[1], strict=True)))
            )
    return {
        "tokens": tokens,
        "loss": float(np.mean(losses)) if losses else float("nan"),
        "loss_last": last.loss,
        "grad_norm": float(np.mean(norms)) if norms else float("nan"),
        "steps": steps,
        "skipped_steps": skipped,
        "lr_last": last.lr,
        "seconds": seconds,
        "tokens_per_s": tokens / seconds if seconds > 0 else 0.0,
        "prox_term": prox_term,
    }


# ---- single-site trainer --------------------------------------------------------------------------


def _rng_state() -> dict[str, Any]:
    s = {"python": random.getstate(), "numpy": numpy_rng_state_to_safe(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        s["cuda"] = torch.cuda.get_rng_state_all()
    return s


def _set_rng_state(s: dict[str, Any]) -> None:
    random.setstate(s["python"])
    numpy_rng_state_from_safe(s["numpy"])
    torch.set_rng_state(s["torch"])
    if "cuda" in s and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(s["cuda"])


class Trainer:
    """Single-site (or centralized-baseline) pretraining with exact resume.

    out_dir layout: checkpoints/step_*.pt|json, metrics.jsonl (kind = train | eval | event), loss.png,
    summary.json.
    """

    def __init__(
        self,
        model_cfg,
        train_cfg: TrainConfig,
        loader,
        val_sets: dict[str, torch.Tensor] | None,
        out_dir: str | Path,
        *,
        resume: bool = True,
        meta: dict[str, Any] | None = None,
        on_step: Callable[[int, dict[str, Any]], None] | None = None,
        dp: Callable[..., Any] | None = None,
    ):
        """
        Args:
            model_cfg: ModelConfig of the model to build (seeded with train_cfg.seed).
            loader: TokenLoader-like (next_batch, state_dict, load_state_dict), yielding (B, seq_len) batches.
            val_sets: source -> (N, T+1) LongTensor, or None/empty to skip validation.
            resume: continue from out_dir/checkpoints if any; False with existing checkpoints is an error
                (nothing already written is overwritten).
            meta: extra JSON metadata stored in every checkpoint (e.g. tokenizer sha256).
            on_step: called after every step with (step, latest record) - the CLI's progress bar.
            dp: DP-SGD instead of plain steps: a factory (model, optimizer, done_steps) -> TrainerDP
                (medfl.privacy.dp.standalone), called after any resume; every checkpoint first charges
                the site's privacy ledger and records the guarantee in its metadata.
        """
        from medfl.core_model.model import Transformer

        self.model_cfg, self.cfg, self.loader = model_cfg, train_cfg, loader
        self.val_sets = val_sets or {}
        self.out_dir = Path(out_dir)
        self.ckpt_dir = self.out_dir / "checkpoints"
        self.metrics_path = self.out_dir / "metrics.jsonl"
        self.extra_meta = dict(meta or {})
        self.on_step = on_step
        if train_cfg.seq_len > model_cfg.max_seq_len:
            raise MedflError(
                f"seq_len {train_cfg.seq_len} exceeds the model's max_seq_len {model_cfg.max_seq_len}"
            )

        self.device = resolve_device(train_cfg.device)
        self.autocast_dtype = resolve_autocast_dtype(train_cfg.precision, self.device)
        _seed_everything(train_cfg.seed)
        self.model = Transformer(model_cfg).to(self.device)
        if train_cfg.activation_checkpointing:
            apply_activation_checkpointing(self.model)
        self.optimizer = make_optimizer(self.model, train_cfg)
        self.scheduler = make_scheduler(self.optimizer, train_cfg)
        self.monitor = StabilityMonitor(train_cfg.loss_spike_factor, train_cfg.grad_spike_factor)
        self.step = 0
        self.tokens = 0
        self.skipped_steps = 0
        self.train_seconds = 0.0
        self.last_eval: dict[str, dict[str, float]] = {}
        self.flops_per_token = float(self.model.flops_per_token(train_cfg.seq_len))
        self._peak: list | None = None  # [FLOP/s, source]

        existing = list_checkpoints(self.ckpt_dir)
        if existing and not resume:
            raise MedflError(f"{self.ckpt_dir} already has checkpoints; resume or choose another output dir")
        if existing:
            self._resume()
        else:
            self._truncate_metrics(0)  # records of an earlier attempt that never reached a checkpoint
        self.dp = dp(self.model, self.optimizer, self.step) if dp is not None else None

    # -- checkpointing --

    def _state(self) -> dict[str, Any]:
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(),
            "loader": self.loader.state_dict(),
            "rng": _rng_state(),
            "monitor": self.monitor.state_dict(),
            "progress": {
                "step": self.step,
                "tokens": self.tokens,
                "skipped_steps": self.skipped_steps,
                "train_seconds": self.train_seconds,
            },
        }

    def _meta(self) -> dict[str, Any]:
        return {
            "kind": "medfl-train",
            "model_config": self.model_cfg.to_dict(),
            "train_config": self.cfg.to_dict(),
            "tokens": self.tokens,
            "num_params": self.model.num_params(),
            **self.extra_meta,
        }

    def save(self) -> Path:
        if self.dp is not None:  # charged before the checkpoint exists (it is what leaves the process)
            self.extra_meta["dp"] = self.dp.charge(self.step)
        path = save_checkpoint(
            self.ckpt_dir, self.step, self._state(), self._meta(), keep_last=self.cfg.keep_last
        )
        log.info("checkpoint %s", path)
        return path

    def _resume(self) -> None:
        state, meta = load_latest_checkpoint(self.ckpt_dir, map_location=self.device)
        saved = meta.get("model_config", {})
        for k, v in self.model_cfg.to_dict().items():
            if k in saved and saved[k] != v and k != "name":
                raise MedflError(
                    f"checkpoint in {self.ckpt_dir} has model_config.{k}={saved[k]!r}, run has {v!r}"
                )
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        # The schedule is a function of the *current* config (a resumed run may extend max_steps or
        # change the peak lr); for an unchanged config this reproduces the saved lr exactly.
        n = len(self.optimizer.param_groups)
        self.scheduler.lr_lambdas = [functools.partial(lr_lambda, cfg=self.cfg)] * n
        self.scheduler.base_lrs = [self.cfg.lr] * n
        for g in self.optimizer.param_groups:
            g["initial_lr"] = self.cfg.lr
            g["lr"] = self.cfg.lr * lr_lambda(self.scheduler.last_epoch, self.cfg)
        self.scheduler._last_lr = [g["lr"] for g in self.optimizer.param_groups]
        self.loader.load_state_dict(state["loader"])
        self.monitor.load_state_dict(state["monitor"])
        p = state["progress"]
        self.step, self.tokens = int(p["step"]), int(p["tokens"])
        self.skipped_steps, self.train_seconds = int(p["skipped_steps"]), float(p["train_seconds"])
        _set_rng_state(state["rng"])
        self._truncate_metrics(self.step)
        log.info("resumed from %s step %d", self.ckpt_dir, self.step)

    def _truncate_metrics(self, step: int) -> None:
        """Drop records written after the checkpoint we resumed from (they will be produced again)."""
        if not self.metrics_path.is_file():
            return
        keep = []
        for ln in self.metrics_path.read_text().splitlines():
            try:
                rec = json.loads(ln)
            except ValueError:  # a line cut short by a crash
                continue
            if rec.get("step", 0) <= step:
                keep.append(ln)
        tmp = self.metrics_path.with_suffix(".jsonl.tmp")
        tmp.write_text("".join(ln + "\n" for ln in keep))
        tmp.replace(self.metrics_path)

    # -- metrics --

    def _write(self, rec: dict[str, Any]) -> None:
        with open(self.metrics_path, "a") as f:
            f.write(json.dumps(rec) + "\n")

    def peak(self) -> tuple[float, str]:
        if self._peak is None:
            if self.cfg.peak_flops:
                self._peak = [self.cfg.peak_flops, "config"]
            else:
                self._peak = list(peak_flops(self.device, self.autocast_dtype))
        return self._peak[0], self._peak[1]

    def run_eval(self) -> dict[str, dict[str, float]]:
        if not self.val_sets:
            return {}
        self.last_eval = evaluate(
            self.model,
            self.val_sets,
            batch_size=self.cfg.eval_batch_size,
            device=self.device,
            autocast_dtype=self.autocast_dtype,
        )
        self._write({"kind": "eval", "step": self.step, "val": self.last_eval})
        for src, r in self.last_eval.items():
            log.info("step %d val %s: loss %.4f ppl %.2f", self.step, src, r["loss"], r["ppl"])
        return self.last_eval

    # -- main loop --

    def fit(self) -> dict[str, Any]:
        """Train until max_steps (or the time budget); returns the summary (also written to summary.json)."""
        from medfl.client.plots import plot_loss_curve

        cfg = self.cfg
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.model.train()
        peak, peak_src = self.peak()
        start = time.perf_counter()
        # tokens/s counts only time inside train_step (not eval, checkpointing or logging).
        win_time, win_tokens, win_losses, win_norms = 0.0, 0, [], []
        last_saved = self.step if list_checkpoints(self.ckpt_dir) else -1
        stopped_by_budget = False
        skips_in_a_row = 0
        while self.step < cfg.max_steps:
            if cfg.time_budget_s is not None and time.perf_counter() - start >= cfg.time_budget_s:
                stopped_by_budget = True
                log.info("time budget of %.0f s reached at step %d", cfg.time_budget_s, self.step)
                break
            t0 = time.perf_counter()
            if self.dp is not None:
                r = self.dp.step(cfg, self.step, self.scheduler)
            else:
                r = train_step(
                    self.model,
                    self.loader,
                    self.optimizer,
                    grad_accum=cfg.grad_accum,
                    grad_clip=cfg.grad_clip,
                    device=self.device,
                    autocast_dtype=self.autocast_dtype,
                    scheduler=self.scheduler,
                )
            dt = time.perf_counter() - t0
            self.step += 1
            self.tokens += r.tokens
            self.train_seconds += dt
            win_time += dt
            win_tokens += r.tokens
            empty = r.tokens == 0  # DP: an empty Poisson batch took a noise-only step; no loss to track
            for ev in [] if empty else self.monitor.update(self.step, r):
                log.warning("step %d: %s", self.step, ev["event"])
                self._write(ev)
            if r.skipped:
                self.skipped_steps += 1
                skips_in_a_row += 1
                if skips_in_a_row >= cfg.max_skips_in_a_row:
                    last = list_checkpoints(self.ckpt_dir)
                    raise MedflError(
                        f"training diverged: {skips_in_a_row} non-finite steps in a row up to step "
                        f"{self.step}; "
                        f"last good checkpoint: {last[-1][1] if last else 'none'} (lower --lr?)"
                    )
            elif not empty:
                skips_in_a_row = 0
                win_losses.append(r.loss)
                win_norms.append(r.grad_norm)
            rec = None
            if self.step % cfg.log_every == 0 or self.step == cfg.max_steps:
                tps = win_tokens / max(win_time, 1e-9)
                if peak_src == MEASURED:
                    # Re-probe: on a shared machine the first measurement may have been slowed by other load;
                    # the running max converges to the real peak (one matmul, outside the timed steps).
                    peak = self._peak[0] = max(
                        peak, matmul_flops(str(self.device), self.autocast_dtype or torch.float32)
                    )
                rec = {
                    "kind": "train",
                    "step": self.step,
                    "loss": float(np.mean(win_losses)) if win_losses else "nan",
                    "grad_norm": float(np.mean(win_norms)) if win_norms else "nan",
                    "lr": r.lr,
                    "tokens_per_s": tps,
                    "mfu": self.flops_per_token * tps / peak,
                    "peak_flops": peak,
                    "tokens": self.tokens,
                    "skipped_steps": self.skipped_steps,
                }
                self._write(rec)
                log.info(
                    "step %d loss %s gnorm %s lr %.2e %.0f tok/s mfu %.1f%%",
                    self.step,
                    rec["loss"],
                    rec["grad_norm"],
                    r.lr,
                    tps,
                    100 * rec["mfu"],
                )
                win_time, win_tokens, win_losses, win_norms = 0.0, 0, [], []
            if cfg.eval_every and self.step % cfg.eval_every == 0 and self.step < cfg.max_steps:
                self.run_eval()
            if cfg.ckpt_every and self.step % cfg.ckpt_every == 0:
                self.save()
                last_saved = self.step
            if self.on_step is not None:
                self.on_step(self.step, rec or {"kind": "train", "step": self.step, "loss": _num(r.loss)})
        if last_saved != self.step:
            self.save()
        val = self.run_eval()
        plot_loss_curve(self.metrics_path, self.out_dir / "loss.png")
        summary = self.summary(val, peak, peak_src, stopped_by_budget)
        tmp = self.out_dir / "summary.json.tmp"
        tmp.write_text(json.dumps(summary, indent=2))
        tmp.replace(self.out_dir / "summary.json")
        return summary

    def summary(self, val, peak, peak_src, stopped_by_budget) -> dict[str, Any]:
        tps = self.tokens / self.train_seconds if self.train_seconds > 0 else 0.0
        last_train = None
        if self.metrics_path.is_file():
            for ln in self.metrics_path.read_text().splitlines():
                rec = json.loads(ln)
                if rec.get("kind") == "train":
                    last_train = rec
        return {
            "out_dir": str(self.out_dir),
            "model": self.model_cfg.name,
            "num_params": self.model.num_params(),
            "steps": self.step,
            "tokens": self.tokens,
            "skipped_steps": self.skipped_steps,
            "stopped_by_time_budget": stopped_by_budget,
            "train_seconds": self.train_seconds,
            "tokens_per_s": tps,
            "mfu": self.flops_per_token * tps / peak,
            "peak_flops": peak,
            "peak_flops_source": peak_src,
            "precision": str(self.autocast_dtype or torch.float32).replace("torch.", ""),
            "device": str(self.device),
            "final_train_loss": last_train["loss"] if last_train else None,
            "val": val,
            "checkpoint": str(list_checkpoints(self.ckpt_dir)[-1][1]),
            **({"dp": self.dp.guarantee()} if self.dp is not None else {}),
        }


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
