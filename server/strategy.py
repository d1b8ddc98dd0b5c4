"""Aggregation strategies on torch state dicts: FedAvg, FedProx and outer Nesterov (DiLoCo / Photon).

Design choices
- Pure functions of (global weights, site pseudo-gradients): no Flower, no I/O, so they are unit-tested on
  small tensors and reused by benches. The Flower round loop lives in `medfl.server.rounds`.
- Every strategy is one outer optimiser step on the pseudo-gradient
      g = sum_i w_i * (global - local_i) / sum_i w_i,      w_i = tokens site i trained on this round,
  i.e. global - (token-weighted mean of the site models). Sites send g_i = global - local_i, not weights,
  which is what makes bf16/int8 compression cheap in accuracy (deltas are small and centred on zero).
- OuterNesterov is torch.optim.SGD(nesterov=True, dampening=0) applied to g:
      b <- m * b + g;   step = g + m * b;   global <- global - lr * step
  (DiLoCo: lr 0.7, m 0.9). FedAvg is the same update with lr 1 and m 0: global - g = weighted mean of site
  models (tests/test_strategy.py checks the identity). FedProx aggregates like FedAvg; its proximal term
  mu/2 ||w - w_global||^2 is added to each site's loss by `local_round(prox_mu=...)`, so the strategy only
  forwards mu to the sites (`site_config`).
- The momentum buffer is the only outer-optimiser state; `state_dict()` / `load_state_dict()` let
  `medfl.server.state` persist it every round so a resumed run continues the exact same trajectory.
- Arithmetic in fp32 whatever the input dtype.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from medfl.core_model.errors import MedflError

StateDict = dict[str, torch.Tensor]
STRATEGIES = ("fedavg", "fedprox", "nesterov")


@dataclass
class SiteUpdate:
    """One site's contribution to a round: pseudo-gradient (global - local) and its weight (tokens)."""

    site: str
    delta: Mapping[str, torch.Tensor]
    weight: float


def weighted_mean(updates: Sequence[SiteUpdate]) -> StateDict:
    """Token-weighted mean of the sites' pseudo-gradients (fp32)."""
    if not updates:
        raise ValueError("weighted_mean needs at least one update")
    total = float(sum(u.weight for u in updates))
    if not total > 0:
        raise ValueError("site weights (tokens trained) must sum to > 0")
    out: StateDict = {}
    for u in updates:
        w = float(u.weight) / total
        for k, d in u.delta.items():
            d = d.to(torch.float32)
            if k in out:
                out[k].add_(d, alpha=w)
            else:
                out[k] = d * w
    return out


class OuterSGD:
    """global <- global - lr * (Nesterov-)momentum(pseudo-gradient). Subclasses only fix defaults."""

    name = "outer-sgd"

    def __init__(self, lr: float = 0.7, momentum: float = 0.9, nesterov: bool = True) -> None:
        if not lr > 0:
            raise MedflError(f"run config outer-lr must be > 0, got {lr}")
        if not 0 <= momentum < 1:
            raise MedflError(f"run config outer-momentum must be in [0, 1), got {momentum}")
        self.lr, self.momentum, self.nesterov = float(lr), float(momentum), nesterov
        self.buffer: StateDict = {}

    def site_config(self) -> dict[str, Any]:
        """Extra entries for the train ConfigRecord sent to every site."""
        return {"prox-mu": 0.0}

    def aggregate(self, global_state: Mapping[str, torch.Tensor], updates: Sequence[SiteUpdate]) -> StateDict:
        """Return the new global weights; updates the momentum buffer in place."""
        g = weighted_mean(updates)
        new: StateDict = {}
        for k, w in global_state.items():
            gk = g[k]
            if self.momentum > 0:
                b = self.buffer.get(k)
                b = gk.clone() if b is None else b.mul_(self.momentum).add_(gk)  # b <- m*b + g
                self.buffer[k] = b
                gk = gk.add(b, alpha=self.momentum) if self.nesterov else b
            new[k] = w.to(torch.float32) - self.lr * gk
        return new

    def state_dict(self) -> StateDict:
        return {f"momentum/{k}": v for k, v in self.buffer.items()}

    def load_state_dict(self, state: Mapping[str, torch.Tensor]) -> None:
        self.buffer = {k.removeprefix("momentum/"): v.clone().float() for k, v in state.items()
                       if k.startswith("momentum/")}

    def describe(self) -> dict[str, Any]:
        return {"strategy": self.name, "outer-lr": self.lr, "outer-momentum": self.momentum}


class FedAvg(OuterSGD):
    """Token-weighted FedAvg: the new global is the weighted mean of the site models."""

    name = "fedavg"

    def __init__(self) -> None:
        super().__init__(lr=1.0, momentum=0.0)


class FedProx(FedAvg):
    """FedAvg aggregation; sites add mu/2 ||w - w_global||^2 to their loss (mu forwarded in the config)."""

    name = "fedprox"

    def __init__(self, prox_mu: float = 0.01) -> None:
        super().__init__()
        if not prox_mu >= 0:
            raise MedflError(f"run config prox-mu must be >= 0, got {prox_mu}")
        self.prox_mu = float(prox_mu)

    def site_config(self) -> dict[str, Any]:
        return {"prox-mu": self.prox_mu}

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "prox-mu": self.prox_mu}


class OuterNesterov(OuterSGD):
    """DiLoCo / Photon outer optimiser: SGD with Nesterov momentum on the averaged pseudo-gradient."""

    name = "nesterov"


def make_strategy(name: str, *, prox_mu: float = 0.01, outer_lr: float = 0.7,
                  outer_momentum: float = 0.9) -> OuterSGD:
    """Build the strategy named in run config `strategy`."""
    if name == "fedavg":
        return FedAvg()
    if name == "fedprox":
        return FedProx(prox_mu)
    if name == "nesterov":
        return OuterNesterov(lr=outer_lr, momentum=outer_momentum)
    raise MedflError(f"run config strategy={name!r}: choose one of {', '.join(STRATEGIES)}")
