"""DPConfig: a site's DP-SGD settings, read ONLY from the site's node config (never from the server).

Node config keys (all optional strings; DP is off unless dp-epsilon is set to a finite positive number):
    dp-epsilon        target ε for this site's whole participation (all rounds x local steps)
    dp-delta          target δ; default min(1e-5, 1/n_units) where n_units = training sequences (record unit)
                      or patients (patient unit). δ must stay well below 1/n: a mechanism that publishes
                      one unit in the clear is (0, 1/n)-DP.
    dp-max-grad-norm  per-unit L2 clip norm C (default 1.0)
    dp-accountant     prv (default; tightest) | rdp
    dp-mode           ghost (default; opacus ghost clipping, per-sample norms without per-sample grads)
                      | hooks (opacus per-sample gradients, more memory)
    dp-unit           record (default: one training sequence of seq-len tokens) | patient (all of a
                      patient's text is one unit; needs "patient_id" on every training document)
    dp-max-physical-batch  memory cap: a Poisson batch larger than this many units is processed in
                      micro-batches of at most this size (clipped gradients summed, noise added once; same
                      mechanism, same ε). 0 (default): the whole batch at once. ghost mode, nproc 1 only.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from medfl.core_model.errors import MedflError

ACCOUNTANTS = ("prv", "rdp")
MODES = ("ghost", "hooks")
UNITS = ("record", "patient")


@dataclass
class DPConfig:
    target_epsilon: float
    delta: float | None = None  # None: min(1e-5, 1/n_units), resolved when the units are known
    max_grad_norm: float = 1.0
    accountant: str = "prv"
    grad_sample_mode: str = "ghost"
    unit: str = "record"
    secure_rng: bool = True  # Poisson sampling from OS entropy; False (tests) = seeded
    max_physical_batch: int = 0  # memory only: not part of the privacy plan (see to_dict)

    def __post_init__(self) -> None:
        if not (self.target_epsilon > 0 and math.isfinite(self.target_epsilon)):
            raise MedflError("node config dp-epsilon must be a positive finite number, "
                             f"got {self.target_epsilon}")
        if self.delta is not None and not 0 < self.delta < 1:
            raise MedflError(f"node config dp-delta must be in (0, 1), got {self.delta}")
        if not self.max_grad_norm > 0:
            raise MedflError(f"node config dp-max-grad-norm must be > 0, got {self.max_grad_norm}")
        for name, val, allowed in (("dp-accountant", self.accountant, ACCOUNTANTS),
                                   ("dp-mode", self.grad_sample_mode, MODES), ("dp-unit", self.unit, UNITS)):
            if val not in allowed:
                raise MedflError(f"node config {name}={val!r}: choose one of {', '.join(allowed)}")
        if self.max_physical_batch < 0:
            raise MedflError(f"node config dp-max-physical-batch must be >= 0, got {self.max_physical_batch}")
        if self.max_physical_batch and self.grad_sample_mode != "ghost":
            raise MedflError("node config dp-max-physical-batch needs dp-mode=ghost (micro-batches are "
                             "summed by medfl's book-keeping clipper)")

    def resolve_delta(self, n_units: int) -> float:
        """The δ in use: the configured one, else min(1e-5, 1/n_units)."""
        if self.delta is not None:
            return self.delta
        return min(1e-5, 1.0 / max(n_units, 1))

    @classmethod
    def from_node_config(cls, nc: dict[str, Any]) -> DPConfig | None:
        """DPConfig from node config keys, or None when DP is off (no dp-epsilon, 0, 'inf' or 'off')."""
        raw = str(nc.get("dp-epsilon", "") or "").strip().lower()
        if raw in ("", "0", "off", "none", "inf", "infinity"):
            return None

        def num(key: str, default: float | None) -> float | None:
            v = nc.get(key)
            if v is None or str(v).strip() == "":
                return default
            try:
                return float(v)
            except ValueError:
                raise MedflError(f"node config {key}={v!r} is not a number") from None

        return cls(target_epsilon=num("dp-epsilon", None), delta=num("dp-delta", None),
                   max_grad_norm=num("dp-max-grad-norm", 1.0),
                   accountant=str(nc.get("dp-accountant") or "prv").lower(),
                   grad_sample_mode=str(nc.get("dp-mode") or "ghost").lower(),
                   unit=str(nc.get("dp-unit") or "record").lower(),
                   max_physical_batch=int(num("dp-max-physical-batch", 0)))

    def to_dict(self) -> dict[str, Any]:
        """The privacy-relevant settings (ledger plan keys and reports): the memory cap changes nothing."""
        d = asdict(self)
        d.pop("max_physical_batch")
        return d
