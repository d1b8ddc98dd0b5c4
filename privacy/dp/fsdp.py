"""DP-SGD for a multi-device site: per-unit clipping with opacus' ghost_fsdp hooks under medfl's FSDP2 shards.

The site process keeps everything the privacy argument rests on; the torchrun workers only compute:

    site process (FsdpDPRound.local_round)           torchrun workers (worker_dp_round, rank 0..N-1)
    PoissonSampler + units.batch for all H steps ->  rank r takes rows r, r+N, ... of step k's batch
    (the site's sampler, as on one device),          forward, backward 1 (opacus ghost_fsdp hooks: per-row
    written as <state>/fsdp/dp_batches.safetensors   grad norms over the FULL model), backward 2 with each
                                                     row's loss scaled by its clip factor; FSDP reduce-
                                                     scatters Σ_i c_i ∇l_i; each rank adds N(0, σ²C²) to
                                                     ITS shard only, divides by q·n, AdamW steps
    charge the site's ledger (site_task, unchanged) <- metrics + full weights (rank 0 gathers)

Design choices
- Sampling: the Poisson batches are drawn in the site process by the same `PoissonSampler` (OS entropy) and
  `units.batch` the single-device `DPEngine` uses, before the workers start; every rank reads the same
  file, so the ranks agree on the batch by construction (no broadcast needed) and the mechanism is the
  single-device one whatever N is. The file holds token ids the site already keeps in its packed data,
  stays in the site's work dir and is deleted after the round.
- Clipping: a row's gradient norm is over the whole parameter set. Under FSDP each rank runs its rows
  through the all-gathered (full) layers, so opacus' ghost norms computed from a layer's input and output
  gradient on that rank ARE the full per-row norms; no cross-rank reduction of norms is needed. opacus'
  `GradSampleHooksFastGradientClippingFSDP` (grad_sample_mode="ghost_fsdp") attaches to our per-block
  `fully_shard` layout (core_model/parallelize.py), hooks only, model not wrapped, so state-dict keys are
  unchanged. Two backward passes (opacus' ghost): the first only for the norms, the second re-weighted.
- Noise is added ONCE per coordinate: after the reduce-scatter each rank owns a disjoint shard of the
  summed clipped gradient and adds noise to that shard only, from its own generator (OS entropy; seeded
  per rank in tests). FSDP2 averages gradients over ranks, so the shard is multiplied by N first.
  The result equals the single-device mechanism: (Σ_i clip(∇l_i) + N(0, σ²C² I)) / (q·n).
- A rank whose share of a step's batch is empty runs one dummy row with weight 0 (it must join FSDP's
  collectives); a step whose whole batch is empty is a noise-only step on every rank.
- The ledger is untouched here: the site process charges it after the round, exactly as on one device.
- Not supported: activation checkpointing (opacus' forward hooks would fire twice), FedProx, gradient
  accumulation (as in the single-device DP path).
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn as nn

from medfl.core_model.errors import MedflError
from medfl.privacy.dp.sampling import IGNORE_INDEX, PoissonSampler

log = logging.getLogger(__name__)

BATCHES = "dp_batches.safetensors"


# ---- site side --------------------------------------------------------------------------------------


class FsdpDPRound:
    """The DPEngine counterpart for `nproc` > 1: same attributes and `local_round` contract.

    Args:
        model: the site's (unsharded) Transformer; updated in place with the round's result.
        units: RecordUnits | PatientUnits.
        noise_multiplier, sample_rate, max_grad_norm: σ, q, C of the site's privacy plan.
        nproc: torchrun processes (one per GPU on CUDA).
        state_dir: the site runtime's state dir (the workers keep their AdamW shards under it).
        seed: seeds sampling and (per rank) noise; tests only. None = OS entropy.
    """

    def __init__(self, model: nn.Module, units, *, noise_multiplier: float, sample_rate: float,
                 max_grad_norm: float, nproc: int, state_dir: Path, seed: int | None = None,
                 timeout_s: float | None = None) -> None:
        if nproc < 2:
            raise ValueError("FsdpDPRound is for nproc >= 2; use DPEngine on one device")
        self.model, self.units, self.nproc, self.state_dir = model, units, nproc, Path(state_dir)
        self.noise_multiplier, self.sample_rate = noise_multiplier, sample_rate
        self.max_grad_norm = max_grad_norm
        self.expected_batch = sample_rate * units.n
        self.sampler = PoissonSampler(units.n, sample_rate, seed=seed)
        self.window_rng = np.random.default_rng(None if seed is None else seed + 1)
        self.seed, self.timeout_s = seed, timeout_s

    def detach(self) -> None:
        """Nothing is attached to the site's model (the workers hook their own copies)."""

    def sample_batches(self, steps: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(x, y, offsets): step k's Poisson batch is rows offsets[k]:offsets[k+1] of x / y."""
        xs, ys, offsets = [], [], [0]
        for _ in range(steps):
            idx = self.sampler.sample()
            if len(idx):
                x, y = self.units.batch(idx, self.window_rng)
                xs.append(x)
                ys.append(y)
            offsets.append(offsets[-1] + len(idx))
        T = getattr(self.units, "seq_len", 1)
        x = torch.cat(xs) if xs else torch.zeros(0, T, dtype=torch.int64)
        y = torch.cat(ys) if ys else torch.zeros(0, T, dtype=torch.int64)
        return x.to(torch.int32), y.to(torch.int32), torch.tensor(offsets, dtype=torch.int64)

    def local_round(self, train_cfg, *, steps: int, global_step: int = 0, prox_mu: float = 0.0,
                    activation_checkpointing: bool = False) -> dict[str, Any]:
        """`steps` DP-SGD steps on `nproc` FSDP workers; same metrics as `DPEngine.local_round`."""
        from safetensors.torch import save_file

        from medfl.client import fsdp_round

        if activation_checkpointing or train_cfg.activation_checkpointing:
            raise MedflError("activation-checkpointing is not supported with DP-SGD under FSDP (opacus' "
                             "hooks would see every block twice); unset it in the node config")
        x, y, offsets = self.sample_batches(steps)
        fdir = self.state_dir / "fsdp"
        fdir.mkdir(parents=True, exist_ok=True)
        bpath = fdir / BATCHES
        tmp = bpath.with_name(bpath.name + f".tmp-{os.getpid()}")
        save_file({"x": x, "y": y, "offsets": offsets}, str(tmp))
        os.replace(tmp, bpath)
        dp = {"batches": str(bpath), "noise_multiplier": self.noise_multiplier,
              "max_grad_norm": self.max_grad_norm, "expected_batch": self.expected_batch,
              "noise_seed": None if self.seed is None else self.seed + 2}
        tdict = {**train_cfg.to_dict(), "activation_checkpointing": False}
        spec = fsdp_round.FsdpRoundSpec(model_config=self.model.cfg.to_dict(), train_config=tdict,
                                        steps=steps, global_step=global_step, state_dir=str(fdir), dp=dp,
                                        prox_mu=prox_mu)
        if global_step == 0:  # a run's first round starts with fresh moments, as a fresh optimizer would
            shutil.rmtree(fdir / "optim", ignore_errors=True)
        try:
            local, m = fsdp_round.run_round(fdir / "round", spec, self.model.state_dict(), nproc=self.nproc,
                                            timeout_s=self.timeout_s)
        finally:
            bpath.unlink(missing_ok=True)
        self.model.load_state_dict(local)
        sizes = (offsets[1:] - offsets[:-1]).tolist()
        m.update({"steps": steps, "empty_batches": sum(1 for s in sizes if s == 0),
                  "mean_batch": float(np.mean(sizes)) if sizes else 0.0})
        log.info("DP FSDP round on %d processes: %d steps, mean Poisson batch %.1f, %.1f s training + %.1f s "
                 "launch/IO", self.nproc, steps, m["mean_batch"], m["seconds"], m["launch_overhead_seconds"])
        return m


# ---- worker side ------------------------------------------------------------------------------------


def attach_clipping_hooks(model: nn.Module, max_grad_norm: float):
    """opacus ghost_fsdp hooks on a `parallelize`d model (not wrapped); per-row norms with loss 'sum'."""
    from opacus.grad_sample.utils import prepare_module

    return prepare_module(model, grad_sample_mode="ghost_fsdp", wrap_model=False, batch_first=True,
                          loss_reduction="sum", max_grad_norm=max_grad_norm)


def _local(t: torch.Tensor) -> torch.Tensor:
    """The rank's own shard of a (DTensor) gradient, as a plain tensor sharing its storage."""
    return t.to_local() if hasattr(t, "to_local") else t


def clipped_grad_sum(model: nn.Module, hooks, x: torch.Tensor, y: torch.Tensor, weight: torch.Tensor,
                     *, world: int) -> torch.Tensor:
    """Leave Σ_i weight_i·clip_C(∇ l_i) over the rows of ALL ranks in each parameter's sharded .grad.

    Collective (every rank calls it, each with its own rows). l_i is row i's mean token loss; weight is 1
    for real rows, 0 for a dummy row. Returns this rank's per-row losses (detached)."""
    from medfl.privacy.dp.ghost import per_sequence_losses

    per = per_sequence_losses(model(x), y, IGNORE_INDEX)  # (B,) fp32 (logits upcast under bf16 params)
    (per * weight).sum().backward(retain_graph=True)  # pass 1: hooks record each row's gradient norm
    coef = hooks.get_clipping_coef().to(per.device, per.dtype)  # min(1, C / (norm + 1e-6)), as opacus
    for p in model.parameters():
        p.grad = None
    hooks.disable_hooks()
    try:
        (per * (coef * weight).detach()).sum().backward()  # pass 2: Σ_i c_i ∇l_i, FSDP reduce-scatters
    finally:
        hooks.enable_hooks()
    for p in model.parameters():
        if p.grad is None:
            p.grad = torch.zeros_like(p)
        elif world > 1:
            _local(p.grad).mul_(world)  # FSDP2 averages over ranks; we want the sum
    return per.detach()


def add_noise(model: nn.Module, *, std: float, generator: torch.Generator, scale: float) -> None:
    """grad <- (grad + N(0, std²)) * scale on this rank's shard of every parameter (each coordinate is
    owned by exactly one rank, so the noise is added once)."""
    for p in model.parameters():
        if p.grad is None:
            p.grad = torch.zeros_like(p)
        g = _local(p.grad)
        if std > 0 and g.numel():
            g.add_(torch.randn(g.shape, generator=generator, dtype=g.dtype, device=g.device), alpha=std)
        g.mul_(scale)


def worker_dp_round(model: nn.Module, optimizer: torch.optim.Optimizer, train_cfg, dp: dict[str, Any], *,
                    steps: int, global_step: int, rank: int, world: int, device: torch.device,
                    prox_mu: float = 0.0) -> dict[str, float]:
    """One rank's DP round on a `parallelize`d model (called from fsdp_round.worker_main).

    prox_mu > 0: FedProx, μ(w − w_round_start) added to this rank's shard after the noise (post-processing,
    as in `DPEngine`); prox_term is then this rank's shards only.

    Returns rank-local metrics in local_round's keys (tokens summed over ranks, loss averaged by the
    caller)."""
    from safetensors.torch import load_file

    from medfl.client.train import lr_lambda

    # token ids do not require grad: torch warns on every embedding backward hook; expected here
    warnings.filterwarnings("ignore", message="Full backward hook is firing")
    b = load_file(dp["batches"])
    X, Y, off = b["x"].long(), b["y"].long(), b["offsets"].tolist()
    C, sigma, eb = float(dp["max_grad_norm"]), float(dp["noise_multiplier"]), float(dp["expected_batch"])
    gen = torch.Generator(device=device)
    seed = dp.get("noise_seed")
    gen.manual_seed(secrets.randbits(63) if seed is None else int(seed) + 1000 * rank)
    hooks = attach_clipping_hooks(model, C)
    ref = [_local(p).detach().clone() for p in model.parameters()] if prox_mu > 0 else None
    model.train()
    losses, tokens, lr = [], 0, 0.0
    t0 = time.perf_counter()
    try:
        for i in range(steps):
            lr = train_cfg.lr * lr_lambda(global_step + i, train_cfg)
            for g in optimizer.param_groups:
                g["lr"] = lr
            lo, hi = off[i], off[i + 1]
            if hi > lo:  # every rank sees the same offsets, so all take this branch together
                rows = torch.arange(lo, hi)[rank::world]
                if len(rows):
                    x, y, w = X[rows], Y[rows], torch.ones(len(rows))
                else:  # join the collectives with a zero-weight dummy row
                    x, y, w = X[lo : lo + 1], Y[lo : lo + 1], torch.zeros(1)
                per = clipped_grad_sum(model, hooks, x.to(device), y.to(device), w.to(device), world=world)
                if len(rows):
                    losses.append(float(per.mean()))
                    tokens += int((y != IGNORE_INDEX).sum())
            add_noise(model, std=sigma * C, generator=gen, scale=1.0 / eb)
            if ref is not None:
                with torch.no_grad():
                    for p, r in zip(model.parameters(), ref, strict=True):
                        _local(p.grad).add_(_local(p).detach() - r, alpha=prox_mu)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
    finally:
        hooks.cleanup()
    seconds = time.perf_counter() - t0
    prox_term = 0.0
    if ref is not None:
        with torch.no_grad():
            prox_term = 0.5 * prox_mu * float(sum(((_local(p).detach() - r) ** 2).sum()
                                                  for p, r in zip(model.parameters(), ref, strict=True)))
    loss = float(np.mean(losses)) if losses else float("nan")
    return {"tokens": tokens, "loss": loss, "loss_last": losses[-1] if losses else float("nan"),
            "grad_norm": float("nan"), "steps": steps, "skipped_steps": 0, "lr_last": lr, "seconds": seconds,
            "tokens_per_s": tokens / seconds if seconds > 0 else 0.0, "prox_term": prox_term}
