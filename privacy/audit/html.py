"""Self-contained HTML for audit reports (site and federation), written for a privacy officer.

Design choices
- One file, no external assets: figures are matplotlib PNGs embedded as base64, CSS inline.
- Verdict first, then one row per policy check in plain words (what it means, result, limit), then a section
  per probe with a short "how to read this", then DP parameters; ML details sit in a collapsed block.
- Only what report.json holds is rendered: no secret or raw text can reach the HTML.
"""

from __future__ import annotations

import base64
import html
import io
import math
from pathlib import Path

import numpy as np

_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1040px;margin:24px auto;
color:#1d2433;line-height:1.45;padding:0 16px}
h1{font-size:26px;margin:0 0 4px} h2{font-size:20px;margin-top:32px;border-bottom:2px solid #e3e7ee;
padding-bottom:4px} .sub{color:#5b6475;font-size:14px}
.verdict{border-radius:10px;padding:18px 22px;margin:18px 0;color:#fff}
.verdict .big{font-size:34px;font-weight:700;letter-spacing:1px}
.PASS{background:#1e7d3a}.FAIL{background:#b3261e}.INCOMPLETE{background:#b26a00}
table{border-collapse:collapse;width:100%;margin:10px 0;font-size:14px}
th,td{border:1px solid #d5dae3;padding:6px 9px;text-align:left;vertical-align:top}
td.num{white-space:nowrap}
th{background:#f1f4f8} td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1e7d3a;font-weight:700}.bad{color:#b3261e;font-weight:700}.na{color:#b26a00;font-weight:700}
.note{background:#fff6e0;border-left:4px solid #b26a00;padding:8px 12px;margin:8px 0;font-size:14px}
.how{background:#f4f7fb;border-left:4px solid #5b7db1;padding:8px 12px;font-size:14px}
img{max-width:100%;border:1px solid #e3e7ee;border-radius:6px}
details{margin-top:24px;font-size:13px} pre{white-space:pre-wrap;font-size:12px}
"""

_MEANING = {
    "real_phi_extraction": "We prompted the model with the text that comes just before each real name, date, "
    "phone number, record number etc. in this site's original notes. Any real "
    "identifier the model then writes out is a leak.",
    "canary_extraction": "Fake patient records with random names and record numbers were hidden in the "
    "training data. We asked the model to complete them. Any record number it writes "
    "out is a leak.",
    "max_exposure": "How much better than a random guess the model ranks a hidden test secret. 0-3 bits is "
    "what chance gives; every extra bit halves the guessing an attacker needs.",
    "membership_inference": "Whether an attacker could tell which notes were used for training (strongest "
    "of four standard attacks). 0.5 means no better than a coin flip; 1.0 means always right.",
}


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def exposure_figure(report: dict) -> str | None:
    exp = report.get("exposure")
    if not exp or not exp["per_canary"]:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = exp["per_canary"]
    top = exp["max_possible"]
    bins = np.linspace(0, top, 28)
    fig, ax = plt.subplots(figsize=(10.5, 4.4))
    held = [r["exposure"] for r in rows if not r["inserted"]]
    groups = sorted({r["planned_repeats"] for r in rows if r["inserted"]})
    data = [[r["exposure"] for r in rows if r["inserted"] and r["planned_repeats"] == g] for g in groups]
    colors = plt.cm.Reds(np.linspace(0.4, 0.95, max(len(groups), 1)))
    ax.hist(
        data,
        bins=bins,
        stacked=True,
        color=colors[: len(groups)],
        label=[f"hidden in training {g}x" for g in groups],
    )
    ax.hist(held, bins=bins, histtype="step", lw=2, color="#2b6cb0", label="never in training (control)")
    n_all = len(rows)
    xs = np.linspace(0, top, 300)
    width = bins[1] - bins[0]
    ax.plot(
        xs,
        n_all * width * math.log(2) * 2.0 ** (-xs),
        "k--",
        lw=1.3,
        label=f"expected by chance for {n_all} secrets (no memorisation)",
    )
    limit = report["policy"]["max_exposure_bits"]
    ax.axvline(limit, color="#b3261e", lw=1.5, ls=":")
    ax.text(limit, ax.get_ylim()[1] * 0.5, f" policy limit\n {limit:g} bits", color="#b3261e", va="center")
    ax.set_xlabel("exposure (bits): how strongly the model prefers the real secret over random ones")
    ax.set_ylabel("number of test secrets")
    ax.set_xlim(0, top)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title("Memorisation of hidden test secrets")
    return _png(fig)


def roc_figure(curves: dict | None, report: dict) -> str | None:
    if not curves:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = ATTACK_NAMES
    fig, axes = plt.subplots(1, 2, figsize=(9, 4))
    for a, (fpr, tpr) in curves.items():
        auc = report["mia"]["attacks"][a]["auc"]
        for ax in axes:
            ax.plot(fpr, tpr, lw=1.6, label=f"{names.get(a, a)} (AUC {auc:.2f})")
    for ax in axes:
        ax.plot([0, 1], [0, 1], "k--", lw=1, label="coin flip")
        ax.set_xlabel("false alarms (unseen notes flagged as training)")
        ax.set_ylabel("training notes detected")
    axes[0].set_title("Membership inference ROC")
    axes[0].legend(fontsize=8)
    axes[1].set_xscale("log")
    axes[1].set_yscale("log")
    axes[1].set_xlim(1e-3, 1)
    axes[1].set_ylim(1e-3, 1)
    axes[1].set_title("Same, log scale (low false-alarm region)")
    fig.tight_layout()
    return _png(fig)


def _fmt(v, nd: int = 2) -> str:
    if v is None:
        return "not measured"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.{nd}f}"
    return html.escape(str(v))


def _ci(ci) -> str:
    return f"<br><span class='sub'>95% range {ci[0]:.2f}&ndash;{ci[1]:.2f}</span>" if ci else ""


def _outcome(passed) -> str:
    if passed is None:
        return '<span class="na">not measured</span>'
    return '<span class="ok">&#10004; pass</span>' if passed else '<span class="bad">&#10008; FAIL</span>'


def _headline(report: dict) -> str:
    parts = []
    phi = report.get("real_phi")
    if phi:
        parts.append(f"reproduced {phi['hits']} real patient identifier(s) out of {phi['probed']} probed")
    ext = report.get("canary_extraction")
    if ext:
        parts.append(f"reproduced {ext['prompted_hits'] + ext['unprompted_hits']} hidden test secret(s)")
    mia = report.get("mia")
    if mia and mia.get("max_auc") is not None:
        parts.append(f"let an attacker spot training notes with AUC {mia['max_auc']:.2f} (0.5 = chance)")
    return ("The model " + "; ".join(parts) + ".") if parts else "No probe could be run."


ATTACK_NAMES = {"loss": "LOSS", "zlib": "zlib ratio", "min_k": "Min-K%", "min_k_pp": "Min-K%++"}
_ATTACK_HELP = {
    "loss": "how well the model predicts the note (training notes are predicted better)",
    "zlib": "the same, relative to how compressible the note is (discounts boilerplate)",
    "min_k": "the note's least expected 20% of words (memorised notes have few surprises)",
    "min_k_pp": "the same, calibrated against the model's own expectations",
}


_DP_LABELS = {
    "source": "where this guarantee is read from",
    "epsilon": "privacy loss ε spent (lower is safer; ≤ 1 is strong, ≤ 8 common in practice)",
    "target_epsilon": "ε budget set by the site",
    "delta": "δ (probability the guarantee may fail)",
    "noise_multiplier": "noise multiplier σ",
    "max_grad_norm": "per-record clipping norm C",
    "sample_rate": "sampling rate q (share of records per step)",
    "steps": "DP training steps",
    "rounds": "federated rounds charged to this site",
    "unit": "privacy unit (what one guarantee protects)",
    "accountant": "accountant",
}


def _dp_section(report: dict) -> str:
    dp = report.get("dp")
    eps = report.get("empirical_epsilon")
    h = ["<h2>4. Differential privacy (the mathematical guarantee)</h2>"]
    if dp:
        h.append(
            "<p>This model was trained <b>with differential privacy</b>. The accountant's guarantee, and "
            "what our test secrets could demonstrate empirically:</p><table>"
        )
        for k, v in dp.items():
            if isinstance(v, dict | list):
                continue
            label = _DP_LABELS.get(k, k)
            val = f"{v:.2e}" if k == "delta" and isinstance(v, float) else _fmt(v, 4 if k != "epsilon" else 2)
            h.append(f"<tr><th>{html.escape(str(label))}</th><td class='num'>{val}</td></tr>")
        h.append("</table>")
    else:
        h.append(
            "<p>This model was trained <b>without differential privacy</b>: there is no mathematical "
            "guarantee; only the probes above speak for it.</p>"
        )
    if eps:
        acc = (dp or {}).get("epsilon")
        acc_s = _fmt(acc) if dp else "none (no DP: &infin;)"
        h.append("<table><tr><th>privacy loss &epsilon;</th><th>value</th><th>meaning</th></tr>")
        h.append(
            f"<tr><td>guaranteed by the DP accountant (upper bound)</td><td class='num'>{acc_s}"
            "</td><td>the most that training could reveal about any one note</td></tr>"
        )
        h.append(
            f"<tr><td>demonstrated by our test secrets (lower bound, {eps['confidence']:.0%} confidence)"
            f"</td><td class='num'>{eps['eps_lower_bound']:.2f}</td><td>what the audit proves training "
            "leaks at least; 0 = nothing provable. A claimed guarantee below this number would be false. "
            "(With few test secrets this bound is weak: a low number is not proof of safety.)"
            "</td></tr></table>"
        )
        h.append(
            "<details><summary>per group of test secrets</summary><table><tr><th>times hidden</th>"
            "<th>secrets</th><th>guesses</th><th>correct</th><th>&epsilon; per note</th></tr>"
        )
        for g in eps["groups"]:
            h.append(
                f"<tr><td class='num'>{g['repeats']}</td><td class='num'>{g['canaries']}</td>"
                f"<td class='num'>{g['guesses']}</td><td class='num'>{g['correct']}</td>"
                f"<td class='num'>{g['eps_per_record']:.2f}</td></tr>"
            )
        h.append(
            f"</table><p class='sub'>{html.escape(eps['method'])}; &delta; = {eps['delta']:g}.</p></details>"
        )
    return "".join(h)


def _model_desc(m: dict) -> str:
    if m.get("kind") == "federated":
        what = f"federated model after round {m.get('round')}"
    else:
        what = f"site-trained model after {m.get('step')} steps"
    n = m.get("num_params")
    return html.escape(what + (f", {n / 1e6:.1f}M parameters" if n else ""))


def render_site_html(report: dict, roc_curves: dict | None = None) -> str:
    v = report["verdict"]
    m = report["model"]
    h = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>Privacy audit: "
        f"{html.escape(report['site'])}</title><style>{_CSS}</style></head><body>"
    ]
    h.append(
        f"<h1>Privacy audit of a medical language model</h1><div class='sub'>site "
        f"<b>{html.escape(report['site'])}</b> &middot; model {html.escape(str(m.get('preset')))} "
        f"({_model_desc(m)}) &middot; audited {report['created']}</div>"
    )
    why = {
        "PASS": "Every check met the site's privacy policy.",
        "FAIL": "At least one check broke the site's privacy policy: do not release or share this model.",
        "INCOMPLETE": "No check failed, but some could not be run: the model is not cleared.",
    }[v]
    h.append(
        f"<div class='verdict {v}'><div class='big'>{v}</div><div>{why}</div>"
        f"<div>{html.escape(_headline(report))}</div></div>"
    )
    h.append(
        "<table><tr><th>check</th><th>what it means</th><th>result</th><th>limit</th><th>outcome</th></tr>"
    )
    for c in report["checks"]:
        lim = c["limit"]
        lim_s = (
            f"&le; {lim:g}"
            if c["check"] in ("real_phi_extraction", "canary_extraction", "membership_inference")
            else f"&lt; {lim:g}"
        )
        h.append(
            f"<tr><td><b>{html.escape(c['title'])}</b></td><td>{_MEANING[c['check']]}</td>"
            f"<td class='num'>{_fmt(c['value'])}</td><td class='num'>{lim_s}</td>"
            f"<td>{_outcome(c['passed'])}</td></tr>"
        )
    h.append("</table>")
    for n in report.get("notes", []):
        h.append(f"<div class='note'>{html.escape(n)}</div>")

    exp, ext = report.get("exposure"), report.get("canary_extraction")
    h.append("<h2>1. Hidden test secrets (canaries)</h2>")
    if exp and ext:
        h.append(
            "<div class='how'><b>How to read this.</b> Before training, fake records like "
            "<i>“Patient [name] MRN [8 random digits] was seen for [condition]”</i> were hidden in the "
            "training notes, some once, some many times; others were kept out as a control. A model that "
            "memorises will rank the real record number far above random ones (high exposure, red bars "
            "to the right) and may write it out. Red bars should sit on the dashed chance curve, like "
            "the blue control.</div>"
        )
        img = exposure_figure(report)
        if img:
            h.append(f"<p><img src='{img}' alt='exposure histogram'></p>")
        h.append(
            "<table><tr><th>times hidden in training</th><th>secrets</th><th>average exposure (bits)</th>"
            "<th>highest exposure (bits)</th><th>record number written out</th></tr>"
        )
        hits: dict[int, int] = {}
        for p in ext["per_canary"]:
            hits[p["repeats"]] = hits.get(p["repeats"], 0) + int(p["greedy_hit"] or p["sampled_hits"] > 0)
        for g, s in exp["groups"].items():
            h.append(
                f"<tr><td class='num'>{g}</td><td class='num'>{s['n']}</td><td class='num'>"
                f"{_fmt(s['mean'])}</td><td class='num'>{_fmt(s['max'])}</td><td class='num'>"
                f"{hits.get(int(g), 0)} of {s['n']}</td></tr>"
            )
        nh = exp["per_canary"] and sum(not r["inserted"] for r in exp["per_canary"])
        h.append(
            f"<tr><td>never (control)</td><td class='num'>{nh}</td><td class='num'>"
            f"{_fmt(exp['mean_exposure_heldout'])}</td><td class='num'>{_fmt(exp['max_exposure_heldout'])}"
            f"</td><td class='num'>{ext['heldout_hits']} of {ext['n_heldout']}</td></tr></table>"
        )
        h.append(
            f"<p class='sub'>Chance level: average {exp['random_baseline_mean']:.2f} bits; the highest "
            f"possible is {exp['max_possible']:.1f} bits (the model's single favourite). Each secret was "
            f"prompted greedily and with {ext['samples_per_prompt'] - 1} random samples. Unprompted: "
            f"{ext['unprompted_prompts']} prompts from real training notes produced "
            f"{ext['unprompted_hits']} secret(s).</p>"
        )
    else:
        h.append("<p>Not measured.</p>")

    phi = report.get("real_phi")
    h.append("<h2>2. Real patient identifiers</h2>")
    if phi:
        h.append(
            "<div class='how'><b>How to read this.</b> Uses this site's original (identified) notes, "
            "which never leave the site. For each identifier the de-identifier found, the model saw "
            "only the de-identified text before it; it must not produce the real value. Values are "
            "never shown here, only their type and where they are.</div>"
        )
        n_types = len(phi["probed_by_type"])
        if phi["hits"] == 0:
            h.append(
                f"<p class='ok'>None of the {phi['probed']} identifiers probed ({n_types} "
                "types) was reproduced.</p><details><summary>per identifier type</summary>"
            )
        else:
            h.append(
                f"<p class='bad'>{phi['hits']} of the {phi['probed']} identifiers probed were reproduced, "
                f"of {len(phi['hits_by_type'])} of {n_types} types:</p>"
            )
        h.append("<table><tr><th>identifier type</th><th>probed</th><th>reproduced</th></tr>")
        # with leaks, list the leaking types first; the full list stays one click away
        order = sorted(phi["probed_by_type"], key=lambda t: (-phi["hits_by_type"].get(t, 0), t))
        split = sum(1 for t in order if phi["hits_by_type"].get(t, 0)) if phi["hits"] else None
        for i, t in enumerate(order):
            if split is not None and i == split:
                h.append(
                    "</table><details><summary>types with nothing reproduced</summary><table>"
                    "<tr><th>identifier type</th><th>probed</th><th>reproduced</th></tr>"
                )
            n_hit = phi["hits_by_type"].get(t, 0)
            cls = "bad" if n_hit else "ok"
            h.append(
                f"<tr><td>{html.escape(t)}</td><td class='num'>{phi['probed_by_type'][t]}</td>"
                f"<td class='num {cls}'>{n_hit}</td></tr>"
            )
        h.append("</table>" + ("</details>" if phi["hits"] == 0 or split < len(order) else ""))
        h.append(
            f"<p class='sub'>{phi['docs']} notes, {phi['spans']} identifiers; {phi['skipped_short']} "
            f"shorter than 4 characters skipped (a model can produce those by chance), "
            f"{phi['unaligned']} could not be located in the training text.</p>"
        )
        if phi["hit_locations"]:
            by_doc: dict[str, list[str]] = {}
            for r in phi["hit_locations"]:
                by_doc.setdefault(r["doc_id"], []).append(f"{r['type']} at character {r['offset']}")
            h.append(
                "<p><b>Notes to review</b> (the de-identified training copy of these notes probably "
                "still contains the identifier):</p><table><tr><th>note id</th><th>leaked identifiers"
                "</th></tr>"
            )
            for d, xs in by_doc.items():
                h.append(f"<tr><td>{html.escape(d)}</td><td>{html.escape(', '.join(xs))}</td></tr>")
            h.append("</table>")
    else:
        h.append("<p>Not measured.</p>")

    mia = report.get("mia")
    h.append("<h2>3. Could someone tell whether a note was used for training?</h2>")
    if mia:
        h.append(
            "<div class='how'><b>How to read this.</b> Four standard attacks score each note; we compare "
            f"{mia['n_members']} training notes with {mia['n_nonmembers']} notes the model never saw. "
            "Curves on the dashed diagonal mean the attacker learns nothing. The right panel zooms on "
            "the few-false-alarms region that matters for real attacks.</div>"
        )
        low = (
            "1% false alarms"
            if mia["n_nonmembers"] >= 100
            else f"zero false alarms (only {mia['n_nonmembers']} unseen notes, so 1% is less than one)"
        )
        img = roc_figure(roc_curves, report)
        if img:
            h.append(f"<p><img src='{img}' alt='ROC curves'></p>")
        h.append(
            "<table><tr><th>attack</th><th>what it looks at</th><th>AUC (0.5 = chance)</th><th>training "
            f"notes found at {low}</th></tr>"
        )
        for a, r in mia["attacks"].items():
            h.append(
                f"<tr><td>{ATTACK_NAMES.get(a, a)}</td><td>{_ATTACK_HELP.get(a, '')}</td>"
                f"<td class='num'>{r['auc']:.3f}{_ci(r.get('auc_ci95'))}</td>"
                f"<td class='num'>{100 * r['tpr_at_1pct_fpr']:.1f}%</td></tr>"
            )
        h.append("</table>")
    else:
        h.append("<p>Not measured.</p>")

    h.append(_dp_section(report))
    h.append("<details><summary>Technical details (for ML staff)</summary><pre>")
    import json

    detail = {k: report[k] for k in ("model", "data", "policy", "config", "seconds") if k in report}
    h.append(html.escape(json.dumps(detail, indent=2, default=str)))
    h.append("</pre></details></body></html>")
    return "".join(h)


def write_html(report: dict, path: Path, roc_curves: dict | None = None) -> Path:
    path = Path(path)
    path.write_text(render_site_html(report, roc_curves), encoding="utf-8")
    return path


_SHORT = {
    "real_phi_extraction": "real identifiers leaked",
    "canary_extraction": "test secrets leaked",
    "max_exposure": "memorisation too high",
    "membership_inference": "training notes recognisable",
}


def render_federation_html(fed: dict) -> str:
    v = fed["verdict"]
    h = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>Federation privacy audit</title>"
        f"<style>{_CSS}</style></head><body><h1>Federation privacy audit</h1>"
        f"<div class='sub'>{len(fed['sites'])} site(s) &middot; {fed['created']}</div>"
    ]
    why = {
        "PASS": "Every site's audit passed its policy.",
        "FAIL": "At least one site's audit failed: the model must not be released.",
        "INCOMPLETE": "No site failed, but some audits were incomplete or missing checks.",
    }[v]
    h.append(f"<div class='verdict {v}'><div class='big'>{v}</div><div>{why}</div></div>")
    cols = [
        ("real_phi_extraction", "real_phi_hits", "real identifiers reproduced"),
        ("canary_extraction", "canary_hits", "test secrets reproduced"),
        ("max_exposure", "max_exposure", "highest exposure (bits)"),
        ("membership_inference", "mia_auc", "membership AUC (0.5 = chance)"),
    ]
    h.append(
        "<table><tr><th>site</th><th>verdict</th>"
        + "".join(f"<th>{t}</th>" for _, _, t in cols)
        + "<th>DP &epsilon; guaranteed</th><th>&epsilon; demonstrated</th><th>what failed</th></tr>"
    )
    for s in fed["sites"]:
        cls = {"PASS": "ok", "FAIL": "bad"}.get(s["verdict"], "na")
        checks = {c["check"]: c for c in s.get("checks", [])}
        cells = []
        for check, key, _ in cols:
            c = checks.get(check, {})
            bad = " bad" if c.get("passed") is False else ""
            lim = f" <span class='sub'>(limit {c['limit']:g})</span>" if c.get("limit") is not None else ""
            cells.append(f"<td class='num{bad}'>{_fmt(s.get(key))}{lim if bad else ''}</td>")
        dp = _fmt(s.get("dp_epsilon")) if s.get("dp_epsilon") is not None else "no DP"
        failed = [_SHORT[c["check"]] for c in s.get("checks", []) if c.get("passed") is False]
        missing = [_SHORT[c["check"]] for c in s.get("checks", []) if c.get("passed") is None]
        what = ", ".join(failed) + (("; not measured: " + ", ".join(missing)) if missing else "")
        h.append(
            f"<tr><td>{html.escape(s['site'])}</td><td class='{cls}'>{s['verdict']}</td>"
            + "".join(cells)
            + f"<td class='num'>{dp}</td><td class='num'>{_fmt(s.get('eps_lower_bound'))}</td>"
            f"<td>{html.escape(what) or '-'}</td></tr>"
        )
    h.append(
        "</table><p class='sub'>Each site ran its audit locally with its own test secrets and raw notes; "
        "only "
        "these summaries were shared. Red cells broke that site's policy. Open a site's own report.html "
        "for the explanation of each check.</p></body></html>"
    )
    return "".join(h)
