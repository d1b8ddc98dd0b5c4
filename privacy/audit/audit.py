"""Run every probe against one checkpoint at one site and write report.json + report.html.

    run_audit(model=CKPT, data=PREPARED_DIR, raw=RAW_DIR, out=REPORT_DIR, canaries=SECRETS, policy=POLICY)

Design choices
- Everything runs at the site: the probes need the canary secrets and the raw notes, which only it holds.
  report.json carries counts, scores, ids and PHI types only; it is the summary a site may share.
- The verdict fails closed: FAIL if any measured check breaks the policy, INCOMPLETE (not PASS) if a check
  could not be measured (no raw notes, no canary secrets, no held-out docs).
- Empirical epsilon uses delta from the run's DP accountant when there is one, else `config.delta`.
"""

from __future__ import annotations

import json
import logging
import math
import os
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from medfl.core_model.errors import MedflError
from medfl.privacy.audit.canaries import CANARY_ID_PREFIX, load_secrets
from medfl.privacy.audit.epsilon import audit_groups
from medfl.privacy.audit.exposure import ExposureConfig, canary_exposure
from medfl.privacy.audit.extraction import ExtractionConfig, canary_extraction, real_phi_probe
from medfl.privacy.audit.mia import MIAConfig, membership_inference
from medfl.privacy.audit.policy import AuditPolicy, evaluate, load_policy

log = logging.getLogger(__name__)


@dataclass
class AuditConfig:
    exposure: ExposureConfig = field(default_factory=ExposureConfig)
    extraction: ExtractionConfig = field(default_factory=ExtractionConfig)
    mia: MIAConfig = field(default_factory=MIAConfig)
    beta: float = 0.05  # 95% confidence for the empirical epsilon
    delta: float = 1e-5  # used for the epsilon audit when the run has no DP accountant
    device: str = "cpu"
    tokenizer: str | None = None  # override the checkpoint's tokenizer


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(x) for x in f if x.strip()]


def _write_json(path: Path, obj: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps(obj, indent=2, default=float) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _exposure_block(am, cset, cfg: AuditConfig, delta: float) -> dict:
    rows = []
    for c in cset.canaries:
        e = canary_exposure(am, c, cset.config.digits, cfg.exposure)
        rows.append(
            {
                "id": c.id,
                "planned_repeats": c.planned_repeats,
                "inserted": c.inserted,
                "repeats": c.repeats,
                **e,
            }
        )
    ins = [r["exposure"] for r in rows if r["inserted"]]
    held = [r["exposure"] for r in rows if not r["inserted"]]
    groups = {}
    for r in sorted({x["planned_repeats"] for x in rows}):
        xs = [x["exposure"] for x in rows if x["inserted"] and x["planned_repeats"] == r]
        groups[str(r)] = {
            "n": len(xs),
            "mean": float(np.mean(xs)) if xs else None,
            "max": float(np.max(xs)) if xs else None,
        }
    eps = audit_groups(
        [r["exposure"] for r in rows],
        [r["inserted"] for r in rows],
        [r["planned_repeats"] for r in rows],
        delta=delta,
        beta=cfg.beta,
    )
    return {
        "per_canary": rows,
        "digits": cset.config.digits,
        "max_possible": math.log2(10**cset.config.digits),
        "max_exposure_inserted": float(max(ins)) if ins else None,
        "mean_exposure_inserted": float(np.mean(ins)) if ins else None,
        "max_exposure_heldout": float(max(held)) if held else None,
        "mean_exposure_heldout": float(np.mean(held)) if held else None,
        "random_baseline_mean": 1 / math.log(2),
        "groups": groups,
        "method": rows[0]["method"] if rows else None,
    }, eps


def run_audit(
    *,
    model: str | Path,
    data: str | Path,
    out: str | Path,
    raw: str | Path | None = None,
    canaries: str | Path | None = None,
    policy: AuditPolicy | str | Path | None = None,
    config: AuditConfig | None = None,
    site: str | None = None,
    dp_ledger: str | Path | None = None,
) -> dict:
    """Audit one checkpoint against one site's data; write out/report.json and out/report.html.

    Args:
        model: trainer run dir / checkpoints dir / step_*.pt, or federation state dir / round folder.
        data: the site's prepared dir (docs_train.jsonl = members, docs_val.jsonl = non-members).
        out: report dir (created).
        raw: the site's raw notes (for the real-PHI probe); None skips it (verdict INCOMPLETE).
        canaries: the site-local secrets file from `plant_canaries`; None skips canary probes.
        policy: AuditPolicy, a policy file, or None for the defaults.
        site: name shown in the report (default: the prepared dir's name).
        dp_ledger: the site's DP ledger (`<work-dir>/dp/<site-id>/accountant.json`): for a federated model
            trained with site-level DP, the guarantee for this site's records is what this ledger proves
            (the global model is post-processing of the site's DP updates). It replaces the DP section
            recorded in the checkpoint, if any.

    Returns:
        The report dict (as written to report.json).
    """
    from medfl.client.prepare import TRAIN, VAL, require_prepared
    from medfl.privacy.audit.html import write_html
    from medfl.privacy.audit.lm import load_audit_model

    t0 = time.perf_counter()
    cfg = config or AuditConfig()
    pol = policy if isinstance(policy, AuditPolicy) else load_policy(policy)
    data, out = Path(data), Path(out)
    manifest = require_prepared(data)
    am = load_audit_model(model, tokenizer=cfg.tokenizer, device=cfg.device)
    dp = am.info.get("dp")
    notes: list[str] = []
    if dp_ledger is not None:
        from medfl.privacy.dp.accounting import ledger_summary

        if dp:
            notes.append("The checkpoint records DP parameters of its own; this report uses the site's DP "
                         "ledger instead.")
        dp = ledger_summary(Path(dp_ledger))
    delta = float(dp["delta"]) if dp and dp.get("delta") else cfg.delta

    train_docs = _read_jsonl(data / TRAIN)
    val_docs = _read_jsonl(data / VAL)
    # Members: unique trained docs (a doc id may repeat), canaries left out (they have their own probes).
    members = list(
        {
            str(d["id"]): d["text"] for d in train_docs if not str(d["id"]).startswith(CANARY_ID_PREFIX)
        }.values()
    )
    nonmembers = [d["text"] for d in val_docs]
    results: dict = {}

    cset = None
    if canaries is not None:
        cset = load_secrets(canaries)
        planted = manifest.get("canaries") or {}
        from medfl.client.prepare import sha256_file

        if planted.get("secrets_sha256") and planted["secrets_sha256"] != sha256_file(Path(canaries)):
            raise MedflError(f"canary secrets file {canaries} is not the one planted in {data}")
    elif manifest.get("canaries"):
        notes.append(
            "Canaries were planted in this site's data but no secrets file was given: canary probes "
            "were not run."
        )
    else:
        notes.append(
            "No canaries were planted: exposure, canary extraction and empirical epsilon not measured."
        )
    if cset is not None:
        t = time.perf_counter()
        results["exposure"], results["empirical_epsilon"] = _exposure_block(am, cset, cfg, delta)
        results["canary_extraction"] = canary_extraction(am, cset, cfg.extraction, members)
        log.info("canary probes: %.1fs", time.perf_counter() - t)

    if raw is not None:
        from medfl.client.corpus import read_documents
        from medfl.privacy.deid import DeidConfig

        t = time.perf_counter()
        mode = (manifest.get("deid") or {}).get("mode") or "tags"
        prepared = {
            str(d["id"]): d["text"] for d in train_docs if not str(d["id"]).startswith(CANARY_ID_PREFIX)
        }
        raw_docs = list(read_documents(Path(raw)))
        results["real_phi"] = real_phi_probe(am, raw_docs, prepared, cfg.extraction, DeidConfig(mode=mode))
        if results["real_phi"]["docs"] == 0:
            notes.append("No raw note matched a trained document id: the real-PHI probe tested nothing.")
            results.pop("real_phi")
        log.info("real-PHI probe: %.1fs", time.perf_counter() - t)
    else:
        notes.append("No raw notes given (--raw): the real-PHI probe was not run.")

    if members and nonmembers:
        t = time.perf_counter()
        results["mia"] = membership_inference(am, members, nonmembers, cfg.mia)
        mia = results["mia"]
        if min(mia["n_members"], mia["n_nonmembers"]) < 50 and mia["best_attack"]:
            lo, hi = mia["attacks"][mia["best_attack"]]["auc_ci95"]
            notes.append(
                f"Membership inference used only {mia['n_nonmembers']} held-out notes: its AUC is uncertain "
                f"(95% range {lo:.2f}-{hi:.2f}); the check still uses the measured value (fail closed)."
            )
        log.info("membership inference: %.1fs", time.perf_counter() - t)
    else:
        notes.append("No held-out (validation) notes: membership inference not measured.")

    checks = evaluate(pol, results)
    if any(c["passed"] is False for c in checks):
        verdict = "FAIL"
    elif any(c["passed"] is None for c in checks):
        verdict = "INCOMPLETE"
    else:
        verdict = "PASS"
    curves = results.get("mia", {}).pop("_curves", None)
    report = {
        "format": "medfl-audit/1",
        # the prepare output is often <site>/prepared: name the site, not the folder
        "site": site or (data.resolve().parent.name if data.name in ("prepared", "data") else data.name),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "verdict": verdict,
        "checks": checks,
        "policy": pol.to_dict(),
        "notes": notes,
        "model": am.info,
        "dp": dp,
        "data": {
            "train_docs": len(members),
            "val_docs": len(nonmembers),
            "canary_docs": sum(str(d["id"]).startswith(CANARY_ID_PREFIX) for d in train_docs),
            "deid_mode": (manifest.get("deid") or {}).get("mode"),
        },
        "config": asdict(cfg),
        **results,
        "seconds": round(time.perf_counter() - t0, 2),
    }
    out.mkdir(parents=True, exist_ok=True)
    _write_json(out / "report.json", report)
    write_html(report, out / "report.html", roc_curves=curves)
    log.info("audit %s: %s (%.1fs) -> %s", report["site"], verdict, report["seconds"], out)
    return report
