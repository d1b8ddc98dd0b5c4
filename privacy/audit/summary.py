"""Merge sites' audit summaries (their report.json files, which hold no secrets) into a federation report.

The federation verdict is the worst site verdict (FAIL > INCOMPLETE > PASS); a site that sent no report is
listed as INCOMPLETE. Only whitelisted summary fields are copied, so nothing a site added by mistake
travels on.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

from medfl.core_model.errors import MedflError

_ORDER = {"PASS": 0, "INCOMPLETE": 1, "FAIL": 2}


def _site_row(rep: dict) -> dict:
    checks = {c["check"]: c for c in rep.get("checks", [])}
    dp = rep.get("dp") or {}
    return {
        "site": str(rep.get("site")),
        "verdict": rep.get("verdict") if rep.get("verdict") in _ORDER else "INCOMPLETE",
        "real_phi_hits": checks.get("real_phi_extraction", {}).get("value"),
        "canary_hits": checks.get("canary_extraction", {}).get("value"),
        "max_exposure": checks.get("max_exposure", {}).get("value"),
        "mia_auc": checks.get("membership_inference", {}).get("value"),
        "dp_epsilon": dp.get("epsilon"),
        "eps_lower_bound": (rep.get("empirical_epsilon") or {}).get("eps_lower_bound"),
        "checks": [{k: c.get(k) for k in ("check", "value", "limit", "passed")} for c in checks.values()],
        "model": {
            k: (rep.get("model") or {}).get(k)
            for k in ("kind", "preset", "step", "round", "tokenizer_sha256")
        },
    }


def _find(path: Path) -> Path:
    p = path / "report.json" if path.is_dir() else path
    if not p.is_file():
        raise MedflError(f"no audit report at {path} (expected report.json)")
    return p


def merge_site_reports(paths: list[str | Path], out: str | Path) -> dict:
    """Read each site's report.json (file or report dir), write out/federation_report.json + .html."""
    from medfl.privacy.audit.html import render_federation_html

    rows = []
    for p in paths:
        f = _find(Path(p))
        try:
            rep = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise MedflError(f"audit report {f} is unreadable ({type(e).__name__})") from None
        if rep.get("format") != "medfl-audit/1":
            raise MedflError(f"{f} is not a medfl audit report (format {rep.get('format')!r})")
        rows.append(_site_row(rep))
    if not rows:
        raise MedflError("no site reports given")
    verdict = max((r["verdict"] for r in rows), key=_ORDER.__getitem__)
    fed = {
        "format": "medfl-federation-audit/1",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "verdict": verdict,
        "sites": rows,
    }
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".federation_report.json.tmp-{uuid.uuid4().hex[:8]}"
    tmp.write_text(json.dumps(fed, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, out / "federation_report.json")
    (out / "federation_report.html").write_text(render_federation_html(fed), encoding="utf-8")
    return fed
