"""Membership inference: can the model tell documents it trained on from held-out ones?

Scores (higher = "member"): LOSS (-mean NLL, Yeom et al. 2018), zlib (-NLL / zlib length, Carlini et al.
2021), Min-K% (mean of the lowest k% token log-probs, Shi et al. 2024) and Min-K%++ (the same on
(log p - mu) / sigma with mu, sigma the mean/std of log p under the model's next-token distribution,
Zhang et al. 2024). Reported per attack: ROC AUC and TPR at 1% FPR (Carlini et al. 2022's low-FPR view).

Members are the site's training docs (canary docs excluded), non-members its validation docs, which were
split off at random by `prepare`, so the two sets come from the same distribution.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

import numpy as np

from medfl.privacy.audit.lm import AuditModel, token_scores

ATTACKS = ("loss", "zlib", "min_k", "min_k_pp")


@dataclass
class MIAConfig:
    max_docs: int = 500  # per side
    max_tokens: int = 512  # scored prefix of each doc (in context-sized windows)
    k: float = 0.2
    bootstrap: int = 200  # resamples for the AUC's 95% interval
    seed: int = 0


def doc_scores(am: AuditModel, texts: list[str], cfg: MIAConfig) -> dict[str, np.ndarray]:
    tok = am.tokenizer
    docs = [[tok.eos_id, *tok.encode(t)][: cfg.max_tokens + 1] for t in texts]
    # Documents longer than the context are scored in consecutive windows (each predicts its own tokens).
    w = am.max_len
    chunks, owner = [], []
    for i, s in enumerate(docs):
        for j in range(0, max(len(s) - 1, 1), w - 1):
            chunks.append(s[j : j + w])
            owner.append(i)
    res = token_scores(am, chunks, moments=True)
    per = [{"logp": [], "mu": [], "sigma": []} for _ in docs]
    for i, r in zip(owner, res, strict=True):
        for k in per[i]:
            per[i][k].append(r[k])
    out = {a: np.zeros(len(texts)) for a in ATTACKS}
    for i, (s, p) in enumerate(zip(docs, per, strict=True)):
        r = {k: np.concatenate(v) if v else np.zeros(0) for k, v in p.items()}
        lp = r["logp"]
        if len(lp) == 0:
            continue
        kk = max(1, int(cfg.k * len(lp)))
        out["loss"][i] = lp.mean()
        z = len(zlib.compress(tok.decode(s[1:]).encode("utf-8")))
        out["zlib"][i] = lp.sum() / max(z, 1)
        out["min_k"][i] = np.sort(lp)[:kk].mean()
        out["min_k_pp"][i] = np.sort((lp - r["mu"]) / r["sigma"])[:kk].mean()
    return out


def roc(members: np.ndarray, nonmembers: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """(fpr, tpr, auc); AUC by Mann-Whitney with ties counted half."""
    y = np.r_[np.ones(len(members)), np.zeros(len(nonmembers))]
    s = np.r_[members, nonmembers]
    order = np.argsort(-s, kind="mergesort")
    y, s = y[order], s[order]
    distinct = np.r_[np.where(np.diff(s))[0], len(s) - 1]
    tps = np.cumsum(y)[distinct]
    fps = (distinct + 1) - tps
    tpr = np.r_[0, tps / max(len(members), 1)]
    fpr = np.r_[0, fps / max(len(nonmembers), 1)]
    auc = float(np.trapezoid(tpr, fpr))
    return fpr, tpr, auc


def tpr_at_fpr(fpr: np.ndarray, tpr: np.ndarray, target: float = 0.01) -> float:
    ok = fpr <= target
    return float(tpr[ok].max()) if ok.any() else 0.0


def membership_inference(am: AuditModel, members: list[str], nonmembers: list[str], cfg: MIAConfig) -> dict:
    rng = random.Random(cfg.seed)
    members = rng.sample(members, min(len(members), cfg.max_docs))
    nonmembers = rng.sample(nonmembers, min(len(nonmembers), cfg.max_docs))
    sm, sn = doc_scores(am, members, cfg), doc_scores(am, nonmembers, cfg)
    attacks, curves = {}, {}
    brng = np.random.default_rng(cfg.seed)
    for a in ATTACKS:
        fpr, tpr, auc = roc(sm[a], sn[a])
        # 95% bootstrap interval (members and non-members resampled separately): small held-out sets are noisy
        boot = (
            [
                roc(brng.choice(sm[a], len(sm[a])), brng.choice(sn[a], len(sn[a])))[2]
                for _ in range(cfg.bootstrap)
            ]
            if len(sm[a]) and len(sn[a])
            else []
        )
        ci = [float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975))] if boot else None
        attacks[a] = {"auc": auc, "auc_ci95": ci, "tpr_at_1pct_fpr": tpr_at_fpr(fpr, tpr, 0.01)}
        curves[a] = (fpr, tpr)
    best = max(ATTACKS, key=lambda a: attacks[a]["auc"]) if members and nonmembers else None
    return {
        "n_members": len(members),
        "n_nonmembers": len(nonmembers),
        "attacks": attacks,
        "max_auc": attacks[best]["auc"] if best else None,
        "best_attack": best,
        "_curves": curves,
    }  # curves are for the plots only (dropped from report.json)
