"""Do the privacy probes detect memorisation, and does DP-SGD remove it? One table.

    .venv/bin/python bench/audit_probes.py [--steps 300] [--eps 1 8] [--json bench/results/audit_probes.json]

A calibration site (medfl.privacy.audit.calibration): synthetic notes with real-looking PHI, de-identified
by the real pipeline, with 2 notes left un-redacted and copied 16x (a simulated de-id miss) and canaries
planted at 1/4/16/64 repeats (half of each group held out). medfl-tiny (narrowed to 2 layers x 64 for CPU)
is trained for many epochs without DP, and the same run with DP-SGD (opacus, record = one training window)
at each --eps. Every run is audited with the site-local probes; the table shows what a privacy officer
sees in report.html, plus the wall time. CPU only, 1 thread: a few minutes.
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from pathlib import Path

import torch

SMALL = dict(dim=64, n_layers=2, n_heads=2, n_kv_heads=1, ffn_dim=192)


def main() -> None:
    from medfl.privacy.audit import AuditConfig, CanaryConfig, run_audit
    from medfl.privacy.audit.calibration import make_site, train_dp, train_memorising
    from medfl.privacy.audit.exposure import ExposureConfig
    from medfl.privacy.audit.extraction import ExtractionConfig

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--eps", type=float, nargs="*", default=[1.0, 8.0])
    ap.add_argument("--notes", type=int, default=120)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--keep", type=Path, default=None, help="Keep the work dir (reports) here.")
    args = ap.parse_args()
    torch.set_num_threads(1)
    logging.basicConfig(level=logging.WARNING)

    root = args.keep or Path(tempfile.mkdtemp(prefix="medfl-audit-bench-"))
    t = time.perf_counter()
    site = make_site(root, n_notes=args.notes, canaries=CanaryConfig(seed=0))  # default 1/4/16/64 schedule
    setup_s = time.perf_counter() - t
    runs = [("no DP (memorising)", None)] + [(f"DP-SGD eps={e:g}", e) for e in args.eps]
    cfg = AuditConfig(exposure=ExposureConfig(samples=500), extraction=ExtractionConfig(samples=2))
    rows = []
    for label, eps in runs:
        t = time.perf_counter()
        name = "mem" if eps is None else f"dp{eps:g}"
        if eps is None:
            run = train_memorising(site, root / name, steps=args.steps, lr=5e-3, model=SMALL)
        else:
            run = train_dp(site, root / name, epsilon=eps, steps=args.steps, lr=5e-3, model=SMALL)
        train_s = time.perf_counter() - t
        t = time.perf_counter()
        rep = run_audit(
            model=run,
            data=site.prepared,
            raw=site.raw,
            out=root / f"report-{name}",
            canaries=site.secrets,
            config=cfg,
            site=label,
        )
        audit_s = time.perf_counter() - t
        exp, ext, phi, mia = rep["exposure"], rep["canary_extraction"], rep["real_phi"], rep["mia"]
        rows.append(
            {
                "run": label,
                "verdict": rep["verdict"],
                "dp_epsilon": (rep["dp"] or {}).get("epsilon"),
                "eps_lower_bound": rep["empirical_epsilon"]["eps_lower_bound"],
                "exposure_by_repeats": {g: s["mean"] for g, s in exp["groups"].items()},
                "max_exposure": exp["max_exposure_inserted"],
                "max_exposure_heldout": exp["max_exposure_heldout"],
                "canary_hits": ext["prompted_hits"] + ext["unprompted_hits"],
                "canaries_inserted": ext["n_inserted"],
                "real_phi_hits": phi["hits"],
                "real_phi_probed": phi["probed"],
                "mia_auc": mia["max_auc"],
                "mia_best": mia["best_attack"],
                "n_members": mia["n_members"],
                "n_nonmembers": mia["n_nonmembers"],
                "train_s": round(train_s, 1),
                "audit_s": round(audit_s, 1),
            }
        )

    groups = list(rows[0]["exposure_by_repeats"])
    head = (
        ["run", "verdict", "DP eps (accountant)", "eps demonstrated"]
        + [f"mean exposure {g}x" for g in groups]
        + [
            "max exposure (control)",
            "canary secrets extracted",
            "real PHI extracted",
            "MIA AUC",
            "train s",
            "audit s",
        ]
    )
    print(
        f"calibration site: {args.notes} synthetic notes, {rows[0]['canaries_inserted']} canaries inserted, "
        f"setup {setup_s:.0f}s; exposure max possible 26.6 bits, chance mean 1.44 bits"
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        cells = [
            r["run"],
            r["verdict"],
            "-" if r["dp_epsilon"] is None else f"{r['dp_epsilon']:.2f}",
            f"{r['eps_lower_bound']:.2f}",
        ]
        cells += [f"{r['exposure_by_repeats'][g]:.1f}" for g in groups]
        cells += [
            f"{r['max_exposure']:.1f} ({r['max_exposure_heldout']:.1f})",
            f"{r['canary_hits']}/{r['canaries_inserted']}",
            f"{r['real_phi_hits']}/{r['real_phi_probed']}",
            f"{r['mia_auc']:.2f} ({r['n_members']} vs {r['n_nonmembers']})",
            f"{r['train_s']:.0f}",
            f"{r['audit_s']:.0f}",
        ]
        print("| " + " | ".join(cells) + " |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"steps": args.steps, "notes": args.notes, "rows": rows}, indent=2) + "\n"
        )
    print(f"reports: {root}/report-*/report.html")


if __name__ == "__main__":
    main()
