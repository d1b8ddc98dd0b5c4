"""Privacy accounting: ε of a DP-SGD history, noise calibration, and the persisted per-site accountant.

Design choices
- A history is opacus' own format: a list of (noise_multiplier σ, sample_rate q, steps) entries of the
  Poisson-subsampled Gaussian mechanism. ε is always computed by an opacus accountant (PRV by default,
  RDP as an option) loaded with that history, so "our" ε is opacus' ε by construction (tested).
- Calibration: with an empty history `calibrate_noise` is `opacus.accountants.utils.get_noise_multiplier`
  for the planned steps. A site that already spent part of its budget (an earlier run on the same data,
  or joining a run late) gets σ from the same bisection over history + planned steps, so the TOTAL stays
  within the target.
- One ledger per site (`<work-dir>/dp/<site-id>/accountant.json`), not per run or per data version:
  privacy loss adds up across every run that touches the site's records, and re-preparing the same
  records (new de-id mode, added documents) must not reset it. Changing the privacy unit of a ledger
  that has history is refused (the two guarantees do not compose into one number). The file holds the opacus
  accountant `state_dict()` (history + mechanism), the target, δ, the current plan (σ, q, planned steps)
  and one row per round. It is rewritten atomically after every round that trained and re-read before
  every round (so a restarted site, or a one-process-per-message SuperNode, continues the same ledger).
- A round is charged when its update has been computed, before the reply leaves the site. A crash before
  that releases nothing and is not charged; a reply lost in transit afterwards IS charged.
- Budget check: before training, the site computes ε(history + this round's steps); above the target it
  declines the round with a message naming ε, the target and δ.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

History = list[tuple[float, float, int]]  # (noise_multiplier, sample_rate, steps)
FORMAT = "medfl-dp-accountant/1"


def make_accountant(kind: str, history: Sequence[tuple[float, float, int]] = ()):
    """An opacus accountant ("prv" | "rdp") holding `history`."""
    from opacus.accountants import PRVAccountant, RDPAccountant

    acc = {"prv": PRVAccountant, "rdp": RDPAccountant}[kind]()
    acc.history = [(float(s), float(q), int(n)) for s, q, n in history]
    return acc


def epsilon_of(history: Sequence[tuple[float, float, int]], delta: float, accountant: str = "prv") -> float:
    """ε spent by `history` at `delta` (0 for an empty history)."""
    if not history:
        return 0.0
    return float(make_accountant(accountant, history).get_epsilon(delta=delta))


def _merge(history: Sequence[tuple[float, float, int]], entry: tuple[float, float, int]) -> History:
    h = [tuple(e) for e in history]
    if h and h[-1][0] == entry[0] and h[-1][1] == entry[1]:
        h[-1] = (h[-1][0], h[-1][1], h[-1][2] + entry[2])
    else:
        h.append(entry)
    return h  # type: ignore[return-value]


def calibrate_noise(*, target_epsilon: float, delta: float, sample_rate: float, steps: int,
                    history: Sequence[tuple[float, float, int]] = (), accountant: str = "prv",
                    epsilon_tolerance: float = 0.01) -> float:
    """Smallest σ (to `epsilon_tolerance`) such that history + `steps` steps at (σ, q) stay within ε.

    Raises MedflError if the history alone already reaches the target."""
    if not history:
        from opacus.accountants.utils import get_noise_multiplier

        return float(get_noise_multiplier(target_epsilon=target_epsilon, target_delta=delta,
                                          sample_rate=sample_rate, steps=steps, accountant=accountant,
                                          epsilon_tolerance=epsilon_tolerance))
    spent = epsilon_of(history, delta, accountant)
    if spent >= target_epsilon - epsilon_tolerance:
        raise MedflError(f"privacy budget exhausted: ε spent {spent:.3f} already reaches the target "
                         f"{target_epsilon:g} (δ={delta:.2e})")

    def eps(sigma: float) -> float:
        return epsilon_of(_merge(history, (sigma, sample_rate, steps)), delta, accountant)

    lo, hi = 0.0, 10.0
    eps_hi = eps(hi)
    while eps_hi > target_epsilon:
        lo, hi = hi, 2 * hi
        if hi > 1e4:
            raise MedflError(f"cannot reach ε={target_epsilon:g} with {steps} more steps at "
                             f"q={sample_rate:.3g}")
        eps_hi = eps(hi)
    while target_epsilon - eps_hi > epsilon_tolerance:  # same stopping rule as opacus' bisection
        mid = (lo + hi) / 2
        e = eps(mid)
        if e < target_epsilon:
            hi, eps_hi = mid, e
        else:
            lo = mid
    return hi


class SiteAccountant:
    """A site's persisted privacy ledger (see module docstring). Load with `SiteAccountant.load(path, ...)`.

    Attributes: history, plan ({"key", "noise_multiplier", "sample_rate", "planned_steps", ...}), rounds.
    """

    def __init__(self, path: Path, *, target_epsilon: float, delta: float, accountant: str = "prv",
                 unit: str = "record", max_grad_norm: float = 1.0) -> None:
        self.path = Path(path)
        self.target_epsilon, self.delta, self.accountant = float(target_epsilon), float(delta), accountant
        self.unit, self.max_grad_norm = unit, float(max_grad_norm)
        self.history: History = []
        self.plan: dict[str, Any] = {}
        self.rounds: list[dict[str, Any]] = []
        self._cache: dict[tuple, float] = {}

    @classmethod
    def load(cls, path: Path, **kw: Any) -> SiteAccountant:
        """The ledger at `path` (a fresh one if the file does not exist). The target, δ and accountant come
        from the current site settings (a site may raise or lower its target); the history from the file."""
        acc = cls(path, **kw)
        if not acc.path.is_file():
            return acc
        try:
            d = json.loads(acc.path.read_text())
            if d.get("format") != FORMAT:
                raise ValueError(f"format {d.get('format')!r}")
            state = d["state"]
            opacus_acc = make_accountant(state["mechanism"])  # validates like opacus' load_state_dict
            opacus_acc.load_state_dict(state)
            acc.history = [(float(s), float(q), int(n)) for s, q, n in opacus_acc.history]
            acc.plan, acc.rounds = dict(d.get("plan") or {}), list(d.get("rounds") or [])
            if d.get("delta") is not None and float(d["delta"]) != acc.delta:
                log.warning("privacy ledger %s was kept at δ=%.2e, now δ=%.2e", acc.path, d["delta"],
                            acc.delta)
        except (OSError, ValueError, KeyError, TypeError) as e:
            # Fail closed: an unreadable ledger must not silently reset the spent budget.
            raise MedflError(f"privacy ledger {acc.path} is unreadable ({e}); refusing to train (restore "
                             "it, or delete it only if no update from this data was ever sent)") from None
        if acc.history and d.get("unit", acc.unit) != acc.unit:
            raise MedflError(f"privacy ledger {acc.path} was kept for the {d['unit']!r} unit; the site now "
                             f"asks for {acc.unit!r}: the guarantees do not add up (new site id/work dir)")
        return acc

    def save(self, epsilon: float | None = None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        state = dict(make_accountant(self.accountant, self.history).state_dict())
        state["history"] = [list(e) for e in state["history"]]
        d = {"format": FORMAT, "state": state, "target_epsilon": self.target_epsilon, "delta": self.delta,
             "unit": self.unit, "max_grad_norm": self.max_grad_norm, "plan": self.plan, "rounds": self.rounds,
             "epsilon_spent": self.epsilon() if epsilon is None else epsilon}
        tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        with open(tmp, "w") as f:
            f.write(json.dumps(d, indent=1) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    @property
    def steps(self) -> int:
        return sum(n for _, _, n in self.history)

    def epsilon(self, extra: tuple[float, float, int] | None = None) -> float:
        h = _merge(self.history, extra) if extra else self.history
        key = (tuple(h), self.delta, self.accountant)  # PRV takes ~0.1-1 s: check + record reuse it
        if key not in self._cache:
            self._cache[key] = epsilon_of(h, self.delta, self.accountant)
        return self._cache[key]

    def ensure_plan(self, key: str, *, sample_rate: float, planned_steps: int, **info: Any) -> float:
        """σ for the plan `key` (rounds x steps of one run at sampling rate q): reused when the key is known,
        else calibrated so that history + planned_steps meets the target. Saves the ledger when it changes."""
        if self.plan.get("key") == key:
            return float(self.plan["noise_multiplier"])
        sigma = calibrate_noise(target_epsilon=self.target_epsilon, delta=self.delta, sample_rate=sample_rate,
                                steps=planned_steps, history=self.history, accountant=self.accountant)
        self.plan = {"key": key, "noise_multiplier": sigma, "sample_rate": sample_rate,
                     "planned_steps": planned_steps, **info}
        log.info("privacy plan: σ=%.4f for %d steps at q=%.4g -> ε≤%g (δ=%.2e, %s)", sigma, planned_steps,
                 sample_rate, self.target_epsilon, self.delta, self.accountant)
        self.save()
        return sigma

    def check_round(self, steps: int) -> tuple[bool, float]:
        """(allowed, ε after the round) for `steps` more steps under the current plan."""
        nxt = self.epsilon((float(self.plan["noise_multiplier"]), float(self.plan["sample_rate"]), steps))
        return nxt <= self.target_epsilon + 1e-9 and math.isfinite(nxt), nxt

    def record_round(self, server_round: int, steps: int) -> float:
        """Charge `steps` steps at the plan's (σ, q), append a round row, save; returns ε spent."""
        entry = (float(self.plan["noise_multiplier"]), float(self.plan["sample_rate"]), int(steps))
        self.history = _merge(self.history, entry)
        eps = self.epsilon()
        self.rounds.append({"server_round": int(server_round), "steps": int(steps), "epsilon": eps})
        self.save(eps)
        return eps


def ledger_summary(path: Path) -> dict[str, Any]:
    """What a site's ledger proves, read-only (for audits): ε recomputed by opacus from the stored history
    at the stored δ, plus the parameters a privacy officer needs to check it. Raises MedflError naming the
    file when it is missing or unreadable (an audit must not report a guarantee it could not read)."""
    path = Path(path)
    try:
        d = json.loads(path.read_text())
        if d.get("format") != FORMAT:
            raise ValueError(f"format {d.get('format')!r}")
        state = d["state"]
        history = [(float(s), float(q), int(n)) for s, q, n in state["history"]]
        mechanism, delta = str(state["mechanism"]), float(d["delta"])
    except FileNotFoundError:
        raise MedflError(f"privacy ledger {path} does not exist") from None
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise MedflError(f"privacy ledger {path} is unreadable ({e})") from None
    plan = d.get("plan") or {}
    return {
        "source": f"site DP ledger {path.name} ({path.parent.name})",
        "epsilon": epsilon_of(history, delta, mechanism),
        "target_epsilon": float(d["target_epsilon"]) if d.get("target_epsilon") is not None else None,
        "delta": delta,
        "noise_multiplier": plan.get("noise_multiplier"),
        "max_grad_norm": d.get("max_grad_norm"),
        "sample_rate": plan.get("sample_rate"),
        "steps": sum(n for _, _, n in history),
        "rounds": len(d.get("rounds") or []),
        "unit": d.get("unit"),
        "accountant": mechanism,
    }

