"""Empirical epsilon lower bound from canary guesses, in one training run (Steinke, Nasr, Jagielski 2023,
"Privacy Auditing with One (1) Training Run", Algorithm 2 / Theorem 3.1).

Each canary slot was included with probability 1/2 independently. The auditor ranks slots by a score
(exposure), guesses "included" for the top k and "excluded" for the bottom k, abstaining on the rest. If the
training were (eps, delta)-DP, the number of correct guesses v out of r would be stochastically dominated by
Binomial(r, e^eps / (1 + e^eps)) (plus a delta term); the largest eps rejected at confidence 1 - beta is the
lower bound. A slot inserted r times is a group of r records, so a bound L on the group gives L / r per
record (group privacy); groups are tested separately with Bonferroni (beta / number of groups) and the
largest per-record bound is reported.
"""

from __future__ import annotations

import math

import numpy as np


def p_value_dp_audit(m: int, r: int, v: int, eps: float, delta: float) -> float:
    """P-value of v correct guesses out of r (m canaries) under (eps, delta)-DP (paper's Algorithm 2)."""
    from scipy.stats import binom

    assert 0 <= v <= r <= m and eps >= 0 and 0 <= delta <= 1
    q = 1.0 / (1.0 + math.exp(-eps))
    beta = float(binom.sf(v - 1, r, q))  # P[Binomial(r, q) >= v]
    alpha, acc = 0.0, 0.0
    for i in range(1, v + 1):
        acc += float(binom.pmf(v - i, r, q))
        if acc > i * alpha:
            alpha = acc / i
    return min(beta + alpha * delta * 2 * m, 1.0)


def eps_lower_bound(m: int, r: int, v: int, *, delta: float, beta: float = 0.05) -> float:
    """Largest eps with p-value < beta (0 when the guesses are no better than chance)."""
    if r == 0 or p_value_dp_audit(m, r, v, 0.0, delta) >= beta:
        return 0.0
    lo, hi = 0.0, 1.0
    while p_value_dp_audit(m, r, v, hi, delta) < beta:
        hi += 1.0
        if hi > 100:
            return hi
    for _ in range(40):
        mid = (lo + hi) / 2
        if p_value_dp_audit(m, r, v, mid, delta) < beta:
            lo = mid
        else:
            hi = mid
    return lo


def audit_groups(
    scores: list[float],
    included: list[bool],
    repeats: list[int],
    *,
    delta: float,
    beta: float = 0.05,
    guess_fraction: float = 0.25,
) -> dict:
    """Per-repeat-group guesses and bounds, and the overall per-record lower bound."""
    groups = sorted(set(repeats))
    b = beta / max(len(groups), 1)
    rows = []
    for g in groups:
        idx = [i for i, r in enumerate(repeats) if r == g]
        m = len(idx)
        k = max(1, int(guess_fraction * m))
        order = sorted(idx, key=lambda i: scores[i])
        guess_out, guess_in = order[:k], order[-k:] if 2 * k <= m else order[m - k :]
        if 2 * k > m:  # tiny group: guess only "in" for the top half
            guess_out, guess_in = [], order[m - max(1, m // 2) :]
        v = sum(included[i] for i in guess_in) + sum(not included[i] for i in guess_out)
        r = len(guess_in) + len(guess_out)
        eps_g = eps_lower_bound(m, r, v, delta=delta, beta=b)
        rows.append(
            {
                "repeats": g,
                "canaries": m,
                "guesses": r,
                "correct": v,
                "eps_group": eps_g,
                "eps_per_record": eps_g / g,
            }
        )
    best = max((r["eps_per_record"] for r in rows), default=0.0)
    return {
        "eps_lower_bound": float(best),
        "delta": delta,
        "confidence": 1 - beta,
        "groups": rows,
        "method": "Steinke, Nasr, Jagielski 2023 (one run), exposure as score, group privacy per repeat",
    }


def chance_accuracy(included: list[bool]) -> float:
    return float(np.mean(included)) if included else 0.0
