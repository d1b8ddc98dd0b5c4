"""Exposure of planted canaries (Carlini et al. 2019, The Secret Sharer, sections 4-5).

exposure(s) = log2 |R| - log2 rank(s), where rank(s) is the position of the true secret among all candidate
fills R of the canary template when sorted by the model's log-perplexity (1 = the model's favourite).

Design choices
- Log-perplexity is the full canary sequence's NLL (after the </s> document separator), as in the paper.
- Exact rank when |R| <= exact_max (every candidate scored); otherwise the paper's extrapolation: score
  `samples` random candidates, fit a skew-normal to their log-perplexities and read the secret's rank
  fraction from its CDF: exposure = -log2 CDF(nll(secret)), clipped to [0, log2 |R|].
- Without memorisation rank is uniform, so exposure is a random variable with P(exposure >= x) = 2^-x
  (mean 1/ln 2 = 1.44 bits): that is the random baseline the report plots, next to held-out canaries.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from medfl.privacy.audit.canaries import Canary
from medfl.privacy.audit.lm import AuditModel, sequence_nll


@dataclass
class ExposureConfig:
    exact_max: int = 20_000  # enumerate every candidate up to this space size
    samples: int = 1_000  # random candidates for the skew-normal fit
    batch_size: int = 256
    seed: int = 0


def _encode(am: AuditModel, text: str) -> list[int]:
    return [am.tokenizer.eos_id, *am.tokenizer.encode(text)]


def canary_exposure(am: AuditModel, canary: Canary, digits: int, cfg: ExposureConfig) -> dict:
    """{"exposure", "max_exposure", "method", "rank" (exact only)} for one canary."""
    space = 10**digits
    max_exp = math.log2(space)
    secret_nll = float(sequence_nll(am, [_encode(am, canary.text)])[0])
    if space <= cfg.exact_max:
        cands = [f"{i:0{digits}d}" for i in range(space)]
        nll = sequence_nll(am, [_encode(am, canary.with_mrn(c)) for c in cands], batch_size=cfg.batch_size)
        rank = 1 + int((nll < secret_nll - 1e-6).sum())  # ties go to the secret's favour-less side
        return {
            "exposure": max_exp - math.log2(rank),
            "max_exposure": max_exp,
            "method": "exact",
            "rank": rank,
        }
    from scipy.stats import skewnorm

    rng = random.Random(f"{cfg.seed}:{canary.id}")
    cands = []
    while len(cands) < cfg.samples:
        c = "".join(rng.choice("0123456789") for _ in range(digits))
        if c != canary.mrn:
            cands.append(c)
    nll = sequence_nll(am, [_encode(am, canary.with_mrn(c)) for c in cands], batch_size=cfg.batch_size)
    a, loc, scale = skewnorm.fit(nll)
    log_cdf = float(skewnorm.logcdf(secret_nll, a, loc=loc, scale=scale))
    exposure = -log_cdf / math.log(2) if np.isfinite(log_cdf) else max_exp
    empirical_rank = 1 + int((nll < secret_nll).sum())  # among the samples: sanity check for the fit
    return {
        "exposure": float(min(max(exposure, 0.0), max_exp)),
        "max_exposure": max_exp,
        "method": "skewnorm",
        "sample_rank": empirical_rank,
        "samples": len(cands),
    }


def random_baseline_quantile(q: float) -> float:
    """Exposure (bits) a never-seen secret exceeds with probability 1 - q: -log2(1 - q)."""
    return -math.log2(1.0 - q)
