"""DP-SGD for `medfl-client train` (a site pretraining on its own data outside a federation).

Design choices
- The same mechanism as a federated site round (`DPEngine`: Poisson-sampled units, per-unit clipping,
  Gaussian noise) and the same persisted ledger (`SiteAccountant`), so a site that trains locally and
  then federates on the same records can point both at one ledger and the budgets add up.
- The noise is calibrated once per plan (max steps, batch, sequence length, units, DP settings) for the
  steps still to run, on top of whatever the ledger already holds; a resumed run with the same plan reuses
  σ. A plan the remaining budget cannot cover is refused before anything is trained.
- Steps are charged when a checkpoint is about to be written, before it exists: a checkpoint is what
  leaves the training process. A crash between charge and write over-counts (safe); a crash before the
  charge loses only steps that were never saved.
- One prepared data dir only: the guarantee is about one site's records. Gradient accumulation and
  activation checkpointing are refused (the clipping hooks need one forward/backward per unit batch).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from medfl.core_model.errors import MedflError
from medfl.privacy.dp.accounting import SiteAccountant
from medfl.privacy.dp.config import DPConfig
from medfl.privacy.dp.engine import DPEngine

log = logging.getLogger(__name__)


class TrainerDP:
    """DP steps and ledger charges for `medfl.client.train.Trainer`.

    Args:
        dp: the site's DP settings.
        ledger_path: the site's ledger file (created if missing).
        model, optimizer: the trainer's (hooks attach to the model; the optimizer is wrapped).
        units: RecordUnits | PatientUnits over the site's training data.
        train_cfg: the trainer's TrainConfig (max_steps, batch_size, seq_len, seed).
        done_steps: steps already trained (and charged) by a resumed run.
    """

    def __init__(self, dp: DPConfig, ledger_path: Path, model, optimizer, units, train_cfg,
                 done_steps: int = 0) -> None:
        if train_cfg.activation_checkpointing:
            raise MedflError("DP-SGD training needs no --activation-checkpointing")
        self.dp, self.units = dp, units
        self.ledger = SiteAccountant.load(Path(ledger_path), target_epsilon=dp.target_epsilon,
                                          delta=dp.resolve_delta(units.n), accountant=dp.accountant,
                                          unit=dp.unit, max_grad_norm=dp.max_grad_norm)
        # --grad-accum k: the Poisson batch has expected size batch-size x k (as many units per step as
        # without DP) and runs in micro-batches of batch-size
        logical = train_cfg.batch_size * train_cfg.grad_accum
        q = min(1.0, logical / units.n)
        remaining = train_cfg.max_steps - done_steps
        key = json.dumps(["train", train_cfg.max_steps, logical, train_cfg.seq_len, units.n, dp.to_dict()],
                         sort_keys=True)
        try:
            sigma = self.ledger.ensure_plan(key, sample_rate=q, planned_steps=max(remaining, 1),
                                            n_units=units.n)
        except MedflError as e:
            raise MedflError(f"privacy ledger {ledger_path}: {e}") from None
        allowed, eps_next = self.ledger.check_round(max(remaining, 0))
        if not allowed:
            raise MedflError(
                f"privacy ledger {ledger_path}: budget exhausted: {remaining} more steps would raise ε "
                f"from {self.ledger.epsilon():.3f} to {eps_next:.3f} > target {dp.target_epsilon:g} "
                f"(δ={self.ledger.delta:.2e}, {dp.unit} unit)")
        physical = dp.max_physical_batch or (train_cfg.batch_size if train_cfg.grad_accum > 1 else 0)
        self.engine = DPEngine(model, optimizer, units, noise_multiplier=sigma, sample_rate=q,
                               max_grad_norm=dp.max_grad_norm, mode=dp.grad_sample_mode,
                               seed=None if dp.secure_rng else train_cfg.seed, max_physical_batch=physical)
        self.uncharged = 0
        log.info("DP-SGD: σ=%.4f, q=%.4g over %d %s units; ε so far %.3f of %g (δ=%.2e)", sigma, q, units.n,
                 dp.unit, self.ledger.epsilon(), dp.target_epsilon, self.ledger.delta)

    def step(self, train_cfg, global_step: int, scheduler):
        """One DP-SGD step (see DPEngine.step); counted for the next charge."""
        self.uncharged += 1
        return self.engine.step(train_cfg, global_step=global_step, scheduler=scheduler)

    def charge(self, step: int) -> dict[str, Any]:
        """Charge the steps since the last charge (call before writing a checkpoint); returns the DP
        section for the checkpoint's metadata (what an audit reads)."""
        if self.uncharged:
            self.ledger.record_round(step, self.uncharged)
            self.uncharged = 0
        return self.guarantee()

    def guarantee(self) -> dict[str, Any]:
        """What the ledger proves so far, with the mechanism's parameters."""
        plan = self.ledger.plan
        return {"epsilon": self.ledger.epsilon(), "target_epsilon": self.dp.target_epsilon,
                "delta": self.ledger.delta, "noise_multiplier": plan["noise_multiplier"],
                "max_grad_norm": self.dp.max_grad_norm, "sample_rate": plan["sample_rate"],
                "steps": self.ledger.steps, "unit": self.dp.unit, "accountant": self.dp.accountant,
                "ledger": str(self.ledger.path)}
