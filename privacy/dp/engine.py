"""DP-SGD for one site's local round: opacus per-sample clipping + Gaussian noise around medfl's train_step.

Design choices
- The model is NOT wrapped: opacus hooks are attached to it (`prepare_module(..., wrap_model=False)`), so
  parameter names, `state_dict()` and the federation's weight exchange are unchanged.
- grad_sample_mode "ghost" (default): opacus ghost clipping. Two backward passes per step: the first
  computes every sequence's gradient norm from activations and output gradients without materialising
  per-sample gradients, the second back-propagates the per-sample-clipped loss. Memory stays near the
  non-private step. "hooks": per-sample gradients (B x params), clipped by `DPOptimizer`.
- Loss: per-sequence mean token cross-entropy, averaged over the batch (ignore_index -100 for patient
  padding). In ghost mode opacus' `DPLossFastGradientClipping(..., shape=(B, T))` computes exactly that;
  in hooks mode `per_sequence_loss` does. Either way a unit's clipped gradient is that of its mean loss.
- Noise σ·C is added to the SUM of clipped gradients, which is divided by the EXPECTED batch size q·n
  (opacus' convention for Poisson sampling), then the site's AdamW steps. An empty Poisson batch takes a
  noise-only step. Noise comes from a torch.Generator seeded from OS entropy (not the training seed).
- One step function: every non-empty step is `medfl.client.train.train_step` with the DP optimizer and
  `grad_clip=0` (opacus clips per unit; a global clip on top would only rescale). The loop mirrors
  `local_round` (same lr schedule) but draws a fresh Poisson batch per step.
- Speed (`fast=True`, the default; bench/dp_overhead.py measures both):
  1. Mixed ghost norms for nn.Linear (Bu et al. 2022, "mixed ghost clipping"): opacus' ghost norm for a
     (B, T, d_in) -> (B, T, d_out) Linear always builds two (B, T, T) Gram matrices, B·T²·(d_in + d_out)
     MACs, which exceeds the weight gradient itself (B·T·d_in·d_out) whenever T·(d_in + d_out) > d_in·d_out,
     i.e. for every layer of our small presets at T >= 128. Per layer we take the cheaper of the Gram
     trick and the per-sample gradient norm (a batched matmul, chunked over the batch so the transient
     (b, d_out, d_in) block stays under 64 MB). Registered through opacus' norm-sampler registry.
  2. The first backward pass (per-sample norms) computes no weight gradients: opacus calls
     `loss.backward()` and then zeroes every .grad; we call `torch.autograd.grad(loss, embedding weight)`,
     which still runs every module hook (they need only activations and output gradients) but skips the
     Linear weight-gradient matmuls (one third of a step's FLOPs). The second pass is opacus' own.
  Both are exact (float64 test against hand-written per-sample clipping).
- Not supported under DP: FedProx's proximal gradient (dropped with a warning), gradient accumulation,
  activation checkpointing with hooks mode.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from medfl.privacy.dp.sampling import IGNORE_INDEX, PoissonSampler

log = logging.getLogger(__name__)

_PSG_CHUNK_ELEMS = 16 * 1024 * 1024  # per-sample-gradient chunk cap for mixed ghost norms (64 MB fp32)


def mixed_linear_norm_sample(layer: nn.Linear, activations: list[torch.Tensor], backprops: torch.Tensor
                             ) -> dict[nn.Parameter, torch.Tensor]:
    """Per-sample gradient norms of an nn.Linear: Gram ("ghost") trick or explicit per-sample gradients,
    whichever costs fewer MACs for this layer's shapes (bias: sum over time, as opacus)."""
    from opacus.grad_sample.linear import compute_linear_norm_sample

    a = activations[0].to(backprops.dtype)
    if backprops.dim() != 3 or not layer.weight.requires_grad:
        return compute_linear_norm_sample(layer, activations, backprops)
    B, T, d_out = backprops.shape
    d_in = a.shape[-1]
    if T * (d_in + d_out) <= d_in * d_out:  # Gram matrices are cheaper
        return compute_linear_norm_sample(layer, activations, backprops)
    out = {}
    chunk = max(1, _PSG_CHUNK_ELEMS // (d_in * d_out))
    norms = [torch.linalg.vector_norm(torch.bmm(backprops[i : i + chunk].transpose(1, 2), a[i : i + chunk]),
                                      dim=(1, 2)) for i in range(0, B, chunk)]  # (b, d_out, d_in) blocks
    out[layer.weight] = torch.cat(norms)
    if layer.bias is not None and layer.bias.requires_grad:
        out[layer.bias] = torch.linalg.vector_norm(backprops.sum(dim=1), dim=1)
    return out


def _fast_ghost_loss_class():
    """DPTensorFastGradientClipping whose first backward pass skips the weight gradients."""
    from opacus.utils.fast_gradient_clipping_utils import DPTensorFastGradientClipping

    class FastGhostTensor(DPTensorFastGradientClipping):
        grad_inputs: list[torch.Tensor] = []  # set per engine: cheap leaves to differentiate towards

        def _wrap(self, t: DPTensorFastGradientClipping) -> FastGhostTensor:
            out = FastGhostTensor(t.module, t.optimizer, t.loss_per_sample, t.loss_reduction)
            out.grad_inputs = self.grad_inputs
            return out

        def __truediv__(self, other):
            return self._wrap(super().__truediv__(other))

        def __mul__(self, other):
            return self._wrap(super().__mul__(other))

        def backward(self):
            per = self.loss_per_sample
            reduced = per.mean(dim=0) if self.loss_reduction == "mean" else per.sum(dim=0)
            # pass 1: every module hook sees its output gradient, so per-sample norms are computed, but no
            # Linear weight gradient is formed (autograd prunes what `inputs` does not need)
            torch.autograd.grad(reduced, self.grad_inputs, retain_graph=True)
            self.optimizer.zero_grad()
            coeff = self.module.get_clipping_coef()
            self.module.disable_hooks()
            try:  # pass 2: gradients of Σ_i c_i·loss_i, i.e. the sum of per-sample clipped gradients
                torch.sum(coeff.to(per.device) * per).backward()
            finally:
                self.module.enable_hooks()

    return FastGhostTensor


def per_sequence_loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean over the batch of each sequence's mean token loss (padding targets ignored). logits (B, T, V)."""
    B, T = y.shape
    tok = F.cross_entropy(logits.flatten(0, 1), y.flatten(), reduction="none", ignore_index=IGNORE_INDEX)
    valid = (y != IGNORE_INDEX).sum(dim=1).clamp(min=1)
    return (tok.view(B, T).sum(dim=1) / valid).mean()


class _OneBatch:
    def __init__(self, x: torch.Tensor, y: torch.Tensor) -> None:
        self.xy = (x, y)

    def next_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self.xy


class DPEngine:
    """Opacus hooks + DP optimizer on a model and its (AdamW) optimizer, for Poisson batches of `units`.

    Args:
        model: the medfl Transformer (hooks are attached in place; `detach()` removes them).
        optimizer: the site's inner optimizer; wrapped, its state stays in `optimizer`.
        units: RecordUnits | PatientUnits.
        noise_multiplier, sample_rate: σ and q of the site's privacy plan.
        max_grad_norm: per-unit clip norm C.
        mode: "ghost" | "hooks".
        fast: ghost mode only: mixed ghost norms + a first backward without weight gradients (exact).
        seed: seeds sampling and noise (tests only); None = OS entropy.
    """

    def __init__(self, model: nn.Module, optimizer: torch.optim.Optimizer, units, *,
                 noise_multiplier: float, sample_rate: float, max_grad_norm: float, mode: str = "ghost",
                 fast: bool = True, seed: int | None = None) -> None:
        from opacus.grad_sample.utils import prepare_module
        from opacus.optimizers import DPOptimizer, DPOptimizerFastGradientClipping
        from opacus.utils.fast_gradient_clipping_utils import DPLossFastGradientClipping

        self.model, self.base_optimizer, self.units, self.mode = model, optimizer, units, mode
        self.noise_multiplier, self.sample_rate = noise_multiplier, sample_rate
        self.max_grad_norm = max_grad_norm
        self.expected_batch = sample_rate * units.n
        self.sampler = PoissonSampler(units.n, sample_rate, seed=seed)
        self.window_rng = np.random.default_rng(None if seed is None else seed + 1)
        device = next(model.parameters()).device
        self.generator = torch.Generator(device=device)
        self.generator.manual_seed(secrets.randbits(63) if seed is None else seed + 2)
        kw = dict(noise_multiplier=noise_multiplier, max_grad_norm=max_grad_norm,
                  expected_batch_size=self.expected_batch, loss_reduction="mean", generator=self.generator)
        if mode == "ghost":
            self.hooks = prepare_module(model, grad_sample_mode="ghost", wrap_model=False, batch_first=True,
                                        loss_reduction="mean", max_grad_norm=max_grad_norm)
            self.optimizer = DPOptimizerFastGradientClipping(optimizer, **kw)
            crit = DPLossFastGradientClipping(self.hooks, self.optimizer, nn.CrossEntropyLoss(), "mean")
            leaves = [m.weight for m in model.modules() if isinstance(m, nn.Embedding) and m.weight.requires_grad]
            self.fast = fast and bool(leaves)
            if self.fast:
                from opacus.grad_sample import GradSampleHooksFastGradientClipping

                # the per-instance norm-sampler table shadows opacus' class-wide registry (no global patch)
                self.hooks.NORM_SAMPLERS = {**type(self.hooks).NORM_SAMPLERS, nn.Linear: mixed_linear_norm_sample}
                assert isinstance(self.hooks, GradSampleHooksFastGradientClipping)
                fast_cls = _fast_ghost_loss_class()

                def loss_fn(lo: torch.Tensor, y: torch.Tensor):
                    t = crit(lo.flatten(0, 1), y.flatten(), shape=lo.shape[:2])
                    out = fast_cls(t.module, t.optimizer, t.loss_per_sample, t.loss_reduction)
                    out.grad_inputs = leaves
                    return out

                self.loss_fn = loss_fn
            else:
                self.loss_fn = lambda lo, y: crit(lo.flatten(0, 1), y.flatten(), shape=lo.shape[:2])
        elif mode == "hooks":
            self.hooks = prepare_module(model, grad_sample_mode="hooks", wrap_model=False, batch_first=True,
                                        loss_reduction="mean")
            self.optimizer = DPOptimizer(optimizer, **kw)
            self.loss_fn = per_sequence_loss
            self.fast = False
        else:
            raise ValueError(f"grad_sample_mode must be ghost or hooks, got {mode!r}")

    def detach(self) -> None:
        """Remove opacus' hooks from the model."""
        self.hooks.cleanup()

    def _noise_only_step(self) -> None:
        """The mechanism's output for an empty Poisson batch: N(0, σ²C²) / (q·n), then the inner step."""
        for p in self.optimizer.params:
            noise = torch.randn(p.shape, generator=self.generator, dtype=p.dtype, device=p.device)
            p.grad = noise * (self.noise_multiplier * self.max_grad_norm / self.expected_batch)
        self.base_optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)

    def local_round(self, train_cfg, *, steps: int, global_step: int = 0, prox_mu: float = 0.0,
                    ) -> dict[str, Any]:
        """`steps` DP-SGD steps; same metrics as `medfl.client.train.local_round` plus dp-* entries."""
        from medfl.client.train import lr_lambda, resolve_autocast_dtype, resolve_device, train_step

        if prox_mu > 0:
            log.warning("FedProx term (prox-mu=%g) is not applied under DP-SGD", prox_mu)
        device = resolve_device(train_cfg.device)
        dtype = resolve_autocast_dtype(train_cfg.precision, device)
        self.model.train()
        losses, tokens, empty, batch_sizes = [], 0, 0, []
        t0 = time.perf_counter()
        for i in range(steps):
            for g in self.optimizer.param_groups:
                g["lr"] = train_cfg.lr * lr_lambda(global_step + i, train_cfg)
            idx = self.sampler.sample()
            batch_sizes.append(len(idx))
            if len(idx) == 0:
                empty += 1
                self._noise_only_step()
                continue
            x, y = self.units.batch(idx, self.window_rng)
            r = train_step(self.model, _OneBatch(x, y), self.optimizer, grad_accum=1, grad_clip=0.0,
                           device=device, autocast_dtype=dtype, loss_fn=self.loss_fn)
            tokens += int((y != IGNORE_INDEX).sum())
            if r.skipped:  # non-finite loss: nothing was released for this step, but it is still charged
                log.warning("DP step %d: non-finite loss, step skipped", global_step + i)
            else:
                losses.append(r.loss)
        seconds = time.perf_counter() - t0
        return {"tokens": tokens, "loss": float(np.mean(losses)) if losses else float("nan"), "steps": steps,
                "seconds": seconds, "tokens_per_s": tokens / seconds if seconds > 0 else 0.0,
                "empty_batches": empty, "mean_batch": float(np.mean(batch_sizes)) if batch_sizes else 0.0}
