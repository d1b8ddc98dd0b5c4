"""Run report: `state-dir/report.json` (rewritten after every round) and `report.png` at the end.

The JSON holds the run config, the strategy, one row per finished round (per-site status, tokens, train
loss, validation of the model version the round started from, bytes down/up, wall and overhead seconds),
the final evaluation, totals, and a "privacy" table (per site and overall: mechanism, accountant, noise
multiplier, clip norm, sampling rate, steps, ε, δ, unit; central DP when on). The PNG plots validation
loss and perplexity per model version, per site and global (token-weighted), plus the token-weighted
train loss per round.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def eval_series(history: list[dict], final_eval: dict | None) -> list[dict[str, Any]]:
    """[{model_version, global: {...}, sites: {name: {val_loss, val_ppl}}}] ordered by version."""
    out = []
    for e in history:
        if "eval" in e and "val_loss" in e["eval"]:
            out.append({"model_version": e["eval"]["model_version"], "global": e["eval"],
                        "sites": {k: v for k, v in e["sites"].items() if "val_loss" in v}})
    if final_eval and "val_loss" in final_eval:
        out.append({"model_version": final_eval["model_version"], "global": final_eval,
                    "sites": {k: v for k, v in final_eval["sites"].items() if "val_loss" in v}})
    return out


def privacy_summary(history: list[dict], failed_round: list[dict] | None, central_cfg=None) -> dict[str, Any]:
    """Per-site DP state (the latest each site reported) and the federation-wide guarantee."""
    sites: dict[str, dict] = {}
    for e in [*history, *(failed_round or [])]:
        for name, rec in e.get("sites", {}).items():
            if "dp" in rec:
                sites[name] = {**rec["dp"], "status": rec.get("status")}
    all_sites = sorted({n for e in history for n in e.get("sites", {})})
    out: dict[str, Any] = {"sites": sites, "non_private_sites": [n for n in all_sites if n not in sites]}
    if sites:
        eps = max(v.get("epsilon", 0.0) for v in sites.values())
        out["federated"] = {
            "epsilon": eps if not out["non_private_sites"] else "inf",
            "delta": max(v.get("delta", 0.0) for v in sites.values()),
            "composition": "parallel composition over disjoint sites: each record/patient lives at one "
                           "site, so the federation's ε is the max over sites (a patient present at k "
                           "sites gets the sum of those sites' ε); a site without DP-SGD makes it "
                           "unbounded (inf)",
        }
    if central_cfg is not None and central_cfg.enabled:
        from medfl.privacy.dp.central import CentralDP

        out["central"] = CentralDP(central_cfg, seed=0).describe(sum(1 for e in history if "central_dp" in e))
    return out


def write_report(state_dir: str | Path, cfg, state, strategy, *, final_eval: dict | None = None,
                 failed_round: list[dict] | None = None, plot: bool = True,
                 stopped: str | None = None) -> dict[str, Any]:
    """Write report.json atomically (and report.png when `plot`); return the report dict."""
    state_dir = Path(state_dir)
    hist = state.history
    report = {
        "run_config": cfg.to_dict(),
        "strategy": strategy.describe(),
        "model_config": state.model_config,
        "rounds_finished": state.round,
        "rounds": hist,
        "eval": eval_series(hist, final_eval),
        "final_eval": final_eval or {},
        "failed_round_attempts": failed_round or [],
        "stopped_early": stopped,
        "privacy": privacy_summary(hist, failed_round,
                                   cfg.central_dp() if hasattr(cfg, "central_dp") else None),
        "totals": {
            "tokens": sum(e.get("tokens", 0.0) for e in hist),
            "bytes_down": sum(e.get("bytes_down", 0.0) for e in hist),
            "bytes_up": sum(e.get("bytes_up", 0.0) for e in hist),
            "wall_s": sum(e.get("wall_s", 0.0) for e in hist),
            "mean_overhead_s": (sum(e.get("overhead_s", 0.0) for e in hist) / len(hist)) if hist else 0.0,
        },
    }
    tmp = state_dir / f".report.json.tmp-{uuid.uuid4().hex[:8]}"
    tmp.write_text(json.dumps(report, indent=1) + "\n")
    os.replace(tmp, state_dir / "report.json")
    if plot and report["eval"]:
        try:
            plot_report(report, state_dir / "report.png")
        except Exception as e:  # a plotting problem must not fail a finished run
            log.warning("could not write %s: %s", state_dir / "report.png", e)
    return report


def plot_report(report: dict[str, Any], out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    ev = report["eval"]
    versions = [e["model_version"] for e in ev]
    sites = sorted({s for e in ev for s in e["sites"]})
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    for key, ax in (("val_loss", axes[0]), ("val_ppl", axes[1])):
        for s in sites:
            xs = [v for v, e in zip(versions, ev, strict=True) if s in e["sites"]]
            ys = [e["sites"][s][key] for e in ev if s in e["sites"]]
            ax.plot(xs, ys, marker="o", ms=3, label=s)
        ax.plot(versions, [e["global"][key] for e in ev], "k-", lw=2, label="global (token-weighted)")
        ax.set_xlabel("model version (rounds aggregated)")
        ax.set_ylabel("validation " + ("loss" if key == "val_loss" else "perplexity"))
        if key == "val_ppl":
            ax.set_yscale("log")
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8)
    rounds = [e for e in report["rounds"] if "train_loss" in e]
    for s in sites:  # each site's own train loss per round (sites with DP keep theirs private: absent)
        pts = [(e["round"], e["sites"][s]["train_loss"]) for e in report["rounds"]
               if "train_loss" in e.get("sites", {}).get(s, {})]
        if pts:
            axes[2].plot(*zip(*pts, strict=True), marker="o", ms=3, label=s)
    axes[2].plot([e["round"] for e in rounds], [e["train_loss"] for e in rounds], "k-", lw=2, marker="o",
                 ms=3, label="global (token-weighted)")
    axes[2].legend(fontsize=8)
    axes[2].set_xlabel("round")
    axes[2].set_ylabel("train loss")
    axes[2].grid(alpha=0.3)
    axes[2].xaxis.set_major_locator(MaxNLocator(integer=True))
    strat = report["strategy"]
    fig.suptitle(f"medfl federated run: {strat['strategy']}, {report['run_config']['wire-dtype']} updates, "
                 f"{report['rounds_finished']} rounds")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
