"""DP-SGD for one site's local round: opacus per-sample clipping + Gaussian noise around medfl's train_step.

Design choices
- The model is NOT wrapped: hooks are attached to it (opacus' `prepare_module(..., wrap_model=False)`, or
  our book-keeping clipper), so parameter names, `state_dict()` and the federation's weight exchange are
  unchanged.
- grad_sample_mode "ghost" (default): ghost clipping, per-sample gradient NORMS computed from layer inputs
  and output gradients without materialising per-sample gradients; memory stays near the non-private
  step. "hooks": opacus per-sample gradients (B x params), clipped by `DPOptimizer`.
- Loss: per-sequence mean token cross-entropy, averaged over the batch (ignore_index -100 for patient
  padding). In ghost mode opacus' `DPLossFastGradientClipping(..., shape=(B, T))` computes exactly that;
  in hooks mode `per_sequence_loss` does. Either way a unit's clipped gradient is that of its mean loss.
- Noise σ·C is added to the SUM of clipped gradients, which is divided by the EXPECTED batch size q·n
  (opacus' convention for Poisson sampling), then the site's AdamW steps. An empty Poisson batch takes a
  noise-only step. Noise comes from a torch.Generator seeded from OS entropy (not the training seed).
- One step function: every non-empty step is `medfl.client.train.train_step` with the DP optimizer and
  `grad_clip=0` (opacus clips per unit; a global clip on top would only rescale). The loop mirrors
  `local_round` (same lr schedule) but draws a fresh Poisson batch per step.
- Speed (`fast=True`, the default in ghost mode; bench/dp_overhead.py measures it against opacus' ghost):
  book-keeping ghost clipping (`medfl.privacy.dp.ghost`): one backward pass that computes only activation
  gradients, per-sample norms from layer inputs and output gradients (mixed Gram / per-sample-gradient
  norms per Linear, whichever is cheaper), then each weight's clipped gradient in one matmul. opacus'
  ghost needs two full backward passes and always uses Gram norms. Exact (float64 test); opacus'
  optimizer still adds the noise and scales, so the mechanism is unchanged. `fast=False` is opacus' ghost.
- FedProx under DP: the proximal gradient μ(w − w_round_start) is added after clipping, noise and scaling
  (opacus' `step_hook`, which runs between the noise and the inner optimizer step), so it is neither clipped
  nor counted in the sensitivity: it depends only on the site's own released weights and the global model,
  i.e. it is post-processing and costs no privacy. Same objective as the non-private `local_round`.
  The FSDP site path (`medfl.privacy.dp.fsdp`) does the same on each rank's shard.
- Micro-batches (`max_physical_batch`, book-keeping ghost mode only): a Poisson batch larger than the cap
  is run through the model in chunks; the clipper ADDS each chunk's clipped per-unit gradients to .grad,
  and the noise is added once to the sum, so the mechanism (and ε) is that of the whole batch. This is
  also how `--grad-accum` works under DP: expected batch = batch-size × grad-accum, chunks of batch-size.
- Not supported under DP: activation checkpointing with hooks mode.
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

from medfl.core_model.errors import MedflError
from medfl.privacy.dp.sampling import IGNORE_INDEX, PoissonSampler

log = logging.getLogger(__name__)


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
        fast: ghost mode only: book-keeping ghost clipping (one backward pass; exact) instead of opacus'.
        seed: seeds sampling and noise (tests only); None = OS entropy.
        max_physical_batch: process a larger Poisson batch in chunks of at most this many units (memory
            only; needs fast ghost mode). None or 0: the whole batch at once.
    """

    def __init__(self, model: nn.Module, optimizer: torch.optim.Optimizer, units, *,
                 noise_multiplier: float, sample_rate: float, max_grad_norm: float, mode: str = "ghost",
                 fast: bool = True, seed: int | None = None, max_physical_batch: int | None = None) -> None:
        from opacus.grad_sample.utils import prepare_module
        from opacus.optimizers import DPOptimizer, DPOptimizerFastGradientClipping
        from opacus.utils.fast_gradient_clipping_utils import DPLossFastGradientClipping

        self.model, self.base_optimizer, self.units, self.mode = model, optimizer, units, mode
        self.fast = fast and mode == "ghost"
        self.max_physical_batch = max_physical_batch or None
        if self.max_physical_batch and not self.fast:
            raise MedflError("DP micro-batches (max physical batch / grad accumulation) need the "
                             "book-keeping ghost clipper (dp-mode=ghost)")
        self.noise_multiplier, self.sample_rate = noise_multiplier, sample_rate
        self.max_grad_norm = max_grad_norm
        self.expected_batch = sample_rate * units.n
        self.sampler = PoissonSampler(units.n, sample_rate, seed=seed)
        self.window_rng = np.random.default_rng(None if seed is None else seed + 1)
        self.device = device = next(model.parameters()).device
        self._autocast: tuple[str, torch.dtype | None] | None = None  # (precision, dtype), resolved once
        self.generator = torch.Generator(device=device)
        self.generator.manual_seed(secrets.randbits(63) if seed is None else seed + 2)
        self._prox: tuple[float, list[torch.Tensor]] | None = None  # (μ, round-start weights) during a round
        kw = dict(noise_multiplier=noise_multiplier, max_grad_norm=max_grad_norm,
                  expected_batch_size=self.expected_batch, loss_reduction="mean", generator=self.generator)
        if mode == "ghost" and fast:
            from medfl.privacy.dp.ghost import BKLoss, BookKeepingClipper, per_sequence_losses

            self.hooks = BookKeepingClipper(model, max_grad_norm)
            self.optimizer = DPOptimizerFastGradientClipping(optimizer, **kw)  # noise + scaling only
            self.loss_fn = lambda lo, y: BKLoss(self.hooks, per_sequence_losses(lo, y, IGNORE_INDEX))
        elif mode == "ghost":
            self.hooks = prepare_module(model, grad_sample_mode="ghost", wrap_model=False, batch_first=True,
                                        loss_reduction="mean", max_grad_norm=max_grad_norm)
            self.optimizer = DPOptimizerFastGradientClipping(optimizer, **kw)
            crit = DPLossFastGradientClipping(self.hooks, self.optimizer, nn.CrossEntropyLoss(), "mean")
            self.loss_fn = lambda lo, y: crit(lo.flatten(0, 1), y.flatten(), shape=lo.shape[:2])
        elif mode == "hooks":
            self.hooks = prepare_module(model, grad_sample_mode="hooks", wrap_model=False, batch_first=True,
                                        loss_reduction="mean")
            self.optimizer = DPOptimizer(optimizer, **kw)
            self.loss_fn = per_sequence_loss
        else:
            raise ValueError(f"grad_sample_mode must be ghost or hooks, got {mode!r}")
        self.optimizer.attach_step_hook(lambda _opt: self._add_prox_gradient())

    def _add_prox_gradient(self) -> None:
        """FedProx: p.grad += μ(p − ref) on the already noised and scaled gradient (post-processing)."""
        if self._prox is None:
            return
        mu, ref = self._prox
        with torch.no_grad():
            for p, r in zip(self.optimizer.params, ref, strict=True):
                if p.grad is not None:
                    p.grad.add_(p.detach() - r, alpha=mu)

    def detach(self) -> None:
        """Remove the clipping hooks from the model."""
        if self.fast:
            self.hooks.remove()
        else:
            self.hooks.cleanup()

    def _noise_only_step(self) -> None:
        """The mechanism's output for an empty Poisson batch: N(0, σ²C²) / (q·n), then the inner step."""
        for p in self.optimizer.params:
            noise = torch.randn(p.shape, generator=self.generator, dtype=p.dtype, device=p.device)
            p.grad = noise * (self.noise_multiplier * self.max_grad_norm / self.expected_batch)
        self._add_prox_gradient()
        self.base_optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)

    def step(self, train_cfg, *, global_step: int, scheduler=None):
        """One DP-SGD step on a fresh Poisson batch -> medfl.client.train.StepResult (tokens=0 and a NaN
        loss for an empty batch, which takes a noise-only step). With `scheduler` the lr comes from it (the
        standalone trainer), else from the schedule at `global_step` (a federated local round)."""
        from medfl.client import train as tr

        if scheduler is None:
            for g in self.optimizer.param_groups:
                g["lr"] = train_cfg.lr * tr.lr_lambda(global_step, train_cfg)
        idx = self.sampler.sample()
        if len(idx) == 0:
            lr = self.optimizer.param_groups[0]["lr"]
            self._noise_only_step()
            if scheduler is not None:
                scheduler.step()
            return tr.StepResult(float("nan"), float("nan"), lr, 0, skipped=False)
        precision = train_cfg.precision
        if self._autocast is None or self._autocast[0] != precision:
            self._autocast = (precision, tr.resolve_autocast_dtype(precision, self.device))
        if self.max_physical_batch and len(idx) > self.max_physical_batch:
            return self._micro_batched_step(idx, scheduler)
        x, y = self.units.batch(idx, self.window_rng)
        r = tr.train_step(self.model, _OneBatch(x, y), self.optimizer, grad_accum=1, grad_clip=0.0,
                          device=self.device, autocast_dtype=self._autocast[1], scheduler=scheduler,
                          loss_fn=self.loss_fn)
        r.tokens = int((y != IGNORE_INDEX).sum())
        if r.skipped:  # non-finite loss: nothing was released for this step, but it is still charged
            log.warning("DP step %d: non-finite loss, step skipped", global_step)
        return r

    def _micro_batched_step(self, idx, scheduler):
        """One DP step over a Poisson batch in chunks: clipped sums accumulate in .grad, noise once."""
        from medfl.client import train as tr

        self.optimizer.zero_grad(set_to_none=True)
        params = [p for p in self.model.parameters() if p.requires_grad]
        loss_sum, tokens, n = 0.0, 0, len(idx)
        for lo in range(0, n, self.max_physical_batch):
            chunk = idx[lo : lo + self.max_physical_batch]
            x, y = self.units.batch(chunk, self.window_rng)
            x, y = x.to(self.device), y.to(self.device)
            with tr.autocast_ctx(self.device, self._autocast[1]):
                loss = self.loss_fn(self.model(x), y)
            loss.backward()  # adds this chunk's Σ clipped per-unit gradients to .grad
            loss_sum += float(loss.detach()) * len(chunk)
            tokens += int((y != IGNORE_INDEX).sum())
        grad_norm = float(torch.nn.utils.clip_grad_norm_(params, float("inf")))
        finite = np.isfinite(loss_sum) and np.isfinite(grad_norm)
        lr = self.optimizer.param_groups[0]["lr"]
        if finite:
            self.optimizer.step()  # noise on the sum, / (q·n), prox hook, inner step
        else:
            log.warning("DP step: non-finite loss, step skipped")
        self.optimizer.zero_grad(set_to_none=True)
        if scheduler is not None:
            scheduler.step()
        return tr.StepResult(loss_sum / n, grad_norm, lr, tokens, skipped=not finite)

    def local_round(self, train_cfg, *, steps: int, global_step: int = 0, prox_mu: float = 0.0,
                    ) -> dict[str, Any]:
        """`steps` DP-SGD steps; same metrics as `medfl.client.train.local_round` plus dp-* entries.
        prox_mu > 0: FedProx towards the weights at the start of the round (the global model just loaded)."""
        self.model.train()
        params = list(self.optimizer.params)
        self._prox = (prox_mu, [p.detach().clone() for p in params]) if prox_mu > 0 else None
        losses, tokens, empty, batch_sizes = [], 0, 0, []
        t0 = time.perf_counter()
        try:
            for i in range(steps):
                r = self.step(train_cfg, global_step=global_step + i)
                tokens += r.tokens
                batch_sizes.append(self.sampler.last_size)
                if r.tokens == 0:
                    empty += 1
                elif not r.skipped:
                    losses.append(r.loss)
            prox_term = 0.0
            if self._prox is not None:
                with torch.no_grad():
                    prox_term = 0.5 * prox_mu * float(
                        sum(((p - r) ** 2).sum() for p, r in zip(params, self._prox[1], strict=True)))
        finally:
            self._prox = None
        seconds = time.perf_counter() - t0
        return {"tokens": tokens, "loss": float(np.mean(losses)) if losses else float("nan"), "steps": steps,
                "seconds": seconds, "tokens_per_s": tokens / seconds if seconds > 0 else 0.0,
                "empty_batches": empty, "mean_batch": float(np.mean(batch_sizes)) if batch_sizes else 0.0,
                "prox_term": prox_term}
