"""Loss-curve figure from a run's metrics.jsonl (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import json
from pathlib import Path


def plot_loss_curve(metrics_path: str | Path, out_png: str | Path) -> Path | None:
    """Train loss per logged step, validation loss per source, and skipped/spike steps marked.

    Returns the PNG path, or None when the metrics file has no train records yet.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not Path(metrics_path).is_file():
        return None
    train, evals, events = [], [], []
    for ln in Path(metrics_path).read_text().splitlines():
        if not ln.strip():
            continue
        rec = json.loads(ln)
        kind = rec.get("kind")
        if kind == "train" and isinstance(rec.get("loss"), float):
            train.append((rec["step"], rec["loss"]))
        elif kind == "eval":
            evals.append(rec)
        elif kind == "event":
            events.append(rec)
    if not train:
        return None

    fig, ax = plt.subplots(figsize=(7, 4), dpi=120)
    ax.plot(*zip(*train, strict=True), label="train", color="black", lw=1.2)
    sources = sorted({s for e in evals for s in e["val"]})
    for src in sources:
        pts = [(e["step"], e["val"][src]["loss"]) for e in evals if src in e["val"]]
        ax.plot(*zip(*pts, strict=True), marker="o", ms=4, lw=1, label=f"val {src}")
    for ev in events:
        color = "red" if ev["event"] == "nonfinite_step_skipped" else "orange"
        ax.axvline(ev["step"], color=color, lw=0.6, alpha=0.6)
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy (nats/token)")
    ax.set_title(
        "medfl training loss" + (" (red: skipped non-finite steps, orange: spikes)" if events else ""),
        fontsize=9,
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    out_png = Path(out_png)
    tmp = out_png.with_name(out_png.stem + ".tmp.png")
    fig.savefig(tmp)
    plt.close(fig)
    tmp.replace(out_png)
    return out_png
