"""Privacy audit (medfl.privacy.audit): probe maths on controlled inputs, canary planting, and the calibration
end to end: a deliberately memorising medfl-tiny run must FAIL with high exposure and extraction hits, the
same run under DP-SGD at small epsilon must sit near the random baseline, and no secret may reach a report."""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from medfl.core_model.errors import MedflError
from medfl.privacy.audit import AuditConfig, CanaryConfig, load_secrets, plant_canaries, run_audit
from medfl.privacy.audit.epsilon import audit_groups, eps_lower_bound
from medfl.privacy.audit.exposure import ExposureConfig
from medfl.privacy.audit.extraction import ExtractionConfig, align_prefixes
from medfl.privacy.audit.mia import MIAConfig, roc, tpr_at_fpr

torch.set_num_threads(1)

# ---- probe maths -------------------------------------------------------------------------------------------


def test_exact_exposure_is_log2_space_minus_log2_rank(monkeypatch):
    """Exact ranking over a 3-digit space with a scorer whose preferences we know."""
    from medfl.privacy.audit import exposure as ex
    from medfl.privacy.audit.canaries import Canary

    c = Canary(
        id="canary-0000", name="Ann Lee", mrn="042", condition="gout", planned_repeats=1, inserted=True
    )

    class Tok:
        eos_id = 2

        def encode(self, text):
            return [int(text.split("MRN ")[1][:3])]  # the candidate's number stands in for its token ids

    class AM:
        tokenizer = Tok()

    # nll = candidate number, so the secret 042 is beaten by 000..041: rank 43
    monkeypatch.setattr(
        ex, "sequence_nll", lambda am, seqs, batch_size=0: np.array([s[1] for s in seqs], float)
    )
    r = ex.canary_exposure(AM(), c, 3, ex.ExposureConfig())
    assert r["method"] == "exact" and r["rank"] == 43
    assert r["exposure"] == pytest.approx(math.log2(1000) - math.log2(43))


def test_epsilon_lower_bound_closed_form_and_chance():
    # delta = 0 and all r guesses right: p-value q^r, so the bound is logit(beta ** (1 / r))
    q = 0.05 ** (1 / 20)
    assert eps_lower_bound(40, 20, 20, delta=0.0) == pytest.approx(math.log(q / (1 - q)), abs=1e-6)
    assert eps_lower_bound(40, 20, 10, delta=0.0) == 0.0  # chance-level guessing proves nothing
    assert eps_lower_bound(40, 20, 18, delta=1e-5) < eps_lower_bound(40, 20, 20, delta=1e-5)
    # groups: a perfectly separable repeat-4 group gives its group bound / 4 per record
    scores = [10.0] * 16 + [0.0] * 16
    res = audit_groups(scores, [True] * 16 + [False] * 16, [4] * 32, delta=0.0)
    g = res["groups"][0]
    assert g["correct"] == g["guesses"] == 16 and res["eps_lower_bound"] == pytest.approx(g["eps_group"] / 4)


def test_roc_auc_and_low_fpr():
    fpr, tpr, auc = roc(np.array([3.0, 4, 5]), np.array([0.0, 1, 2]))
    assert auc == pytest.approx(1.0) and tpr_at_fpr(fpr, tpr, 0.01) == pytest.approx(1.0)
    _, _, auc = roc(np.array([1.0, 1, 1]), np.array([1.0, 1, 1]))
    assert auc == pytest.approx(0.5)


def test_align_prefixes_replaced_and_missed_phi():
    raw = "Mr. John Smith seen 3/14/21 at Mercy General. Call 555-1234."
    replaced = [(4, 14, "NAME"), (20, 27, "DATE")]  # the phone number was missed by de-id
    prepared = "Mr. [NAME] seen [DATE] at Mercy General. Call 555-1234."
    phone = raw.index("555")
    pos = align_prefixes(raw, replaced, prepared, [4, 20, phone])
    assert prepared[: pos[0]] == "Mr. "
    assert prepared[: pos[1]] == "Mr. [NAME] seen "
    assert prepared[pos[2] :].startswith("555-1234")  # missed PHI: prompt is the text right before it


# ---- canaries ----------------------------------------------------------------------------------------------


def _prepared(root: Path, n: int = 12) -> Path:
    from prepared_sites import write_prepared

    docs = [
        {"id": f"d{i}", "source": "site", "text": f"Note {i}: [NAME] was seen for cough. " * 5}
        for i in range(n)
    ]
    return write_prepared(root / "prepared", docs[:-3], docs[-3:])


def test_plant_canaries_keeps_manifest_consistent_and_secrets_private(tmp_path):
    from medfl.client.prepare import require_prepared

    d = _prepared(tmp_path)
    secrets = tmp_path / "private" / "canaries.json"
    cfg = CanaryConfig(repeats=(1, 4), slots_per_repeat=(8, 4), seed=3)
    summary = plant_canaries(d, secrets_path=secrets, config=cfg)
    manifest = require_prepared(d)  # hashes were rewritten consistently
    cs = load_secrets(secrets)
    inserted = [c for c in cs.canaries if c.inserted]
    lines = [json.loads(x) for x in (d / "docs_train.jsonl").read_text().splitlines()]
    canary_docs = [x for x in lines if x["id"].startswith("canary-")]
    assert len(canary_docs) == summary["docs_added"] == sum(c.planned_repeats for c in inserted)
    assert 0 < len(inserted) < len(cs.canaries)  # some held out
    for c in cs.canaries:
        assert sum(x["text"] == c.text for x in canary_docs) == c.repeats
        assert len(c.mrn) == 8 and c.mrn.isdigit()
    assert stat.S_IMODE(os.stat(secrets).st_mode) == 0o600
    text = json.dumps(manifest)
    assert not any(c.mrn in text or c.name in text for c in cs.canaries)  # the manifest holds no secret
    with pytest.raises(MedflError, match="already has planted canaries"):
        plant_canaries(d, secrets_path=tmp_path / "other.json", config=cfg)
    d2 = _prepared(tmp_path / "b")
    with pytest.raises(MedflError, match="outside the training data"):
        plant_canaries(d2, secrets_path=d2 / "secrets.json", config=cfg)


# ---- calibration: memorising vs DP -------------------------------------------------------------------------

_SMALL = dict(dim=64, n_layers=2, n_heads=2, n_kv_heads=1, ffn_dim=192)
_CFG = AuditConfig(
    exposure=ExposureConfig(samples=200),
    extraction=ExtractionConfig(samples=1, note_prompts=8, max_phi_spans=200),
    mia=MIAConfig(max_tokens=128),
)


@pytest.fixture(scope="module")
def calib(tmp_path_factory):
    from medfl.privacy.audit.calibration import make_site, train_dp, train_memorising

    root = tmp_path_factory.mktemp("audit")
    site = make_site(
        root, n_notes=40, canaries=CanaryConfig(repeats=(1, 16, 64), slots_per_repeat=(24, 8, 4), seed=1)
    )
    mem = train_memorising(site, root / "mem", steps=220, lr=5e-3, model=_SMALL)
    dp = train_dp(site, root / "dp", epsilon=1.0, steps=120, lr=5e-3, model=_SMALL)
    reports = {}
    for name, run in (("mem", mem), ("dp", dp)):
        reports[name] = run_audit(
            model=run,
            data=site.prepared,
            raw=site.raw,
            out=root / f"report-{name}",
            canaries=site.secrets,
            config=_CFG,
            site=f"site-{name}",
        )
    return {"root": root, "site": site, "runs": {"mem": mem, "dp": dp}, "reports": reports}


def _check(rep, name):
    return next(c for c in rep["checks"] if c["check"] == name)


def test_memorising_run_fails_with_high_exposure_and_extractions(calib):
    rep = calib["reports"]["mem"]
    assert rep["verdict"] == "FAIL"
    assert rep["exposure"]["groups"]["64"]["max"] > 20  # the 64x canaries are close to log2(1e8) = 26.6
    assert rep["exposure"]["max_exposure_inserted"] > rep["exposure"]["max_exposure_heldout"] + 8
    assert _check(rep, "canary_extraction")["value"] > 0
    assert rep["canary_extraction"]["heldout_hits"] == 0  # never-inserted secrets are not "extracted"
    # real PHI comes back only from the notes whose de-identification was deliberately skipped
    assert rep["real_phi"]["hits"] > 0
    assert {h["doc_id"] for h in rep["real_phi"]["hit_locations"]} <= set(calib["site"].leaked_ids)
    # The one-run epsilon bound is reported, but at 95% confidence with few canaries it can be 0 (seen in
    # CI); what must hold is that membership guesses from exposure are right for the memorised groups.
    assert rep["empirical_epsilon"]["eps_lower_bound"] >= 0
    groups = rep["empirical_epsilon"]["groups"]
    correct, guesses = sum(g["correct"] for g in groups), sum(g["guesses"] for g in groups)
    assert correct / guesses >= 0.8, groups  # chance is 0.5
    assert all(g["correct"] == g["guesses"] for g in groups if g["repeats"] >= 16), groups


def test_dp_run_stays_near_random_baseline(calib):
    rep = calib["reports"]["dp"]
    assert rep["dp"]["epsilon"] <= 1.01
    assert rep["exposure"]["max_exposure_inserted"] < 12  # policy limit; memorised canaries reach ~26
    assert rep["exposure"]["mean_exposure_inserted"] < 4  # chance is 1.44 bits
    assert _check(rep, "canary_extraction")["value"] == 0
    assert rep["real_phi"]["hits"] == 0
    # a valid audit never claims more leakage than the accountant allows
    assert rep["empirical_epsilon"]["eps_lower_bound"] <= rep["dp"]["epsilon"]


def rep_verdict(out: Path) -> str:
    return json.loads((out / "report.json").read_text())["verdict"]


def test_reports_hold_no_secret_and_render(calib):
    from medfl.client.corpus import read_documents

    secrets = load_secrets(calib["site"].secrets)
    needles = {c.mrn for c in secrets.canaries} | {c.name for c in secrets.canaries}
    for d in read_documents(calib["site"].raw):
        needles |= {d["text"][s:e] for s, e, _ in d["spans"] if e - s >= 6}
    for name in ("mem", "dp"):
        out = calib["root"] / f"report-{name}"
        for f in ("report.json", "report.html"):
            text = (out / f).read_text()
            leaked = [n for n in needles if n in text]
            assert not leaked, f"{f} of {name} holds {len(leaked)} secret/PHI string(s)"
        html = (out / "report.html").read_text()
        assert html.count("data:image/png;base64,") == 2 and rep_verdict(out) in html


def test_cli_audit_and_federation_report(calib, tmp_path):
    from medfl.client.cli import app as client_app
    from medfl.server.cli import app as server_app

    runner = CliRunner()
    policy = tmp_path / "policy.yaml"
    policy.write_text("max_mia_auc: 0.99\n")
    r = runner.invoke(
        client_app,
        [
            "audit",
            "--model",
            str(calib["runs"]["dp"]),
            "--data",
            str(calib["site"].prepared),
            "--out",
            str(tmp_path / "cli"),
            "--policy",
            str(policy),
        ],
    )
    assert r.exit_code == 1, r.output  # no raw notes, no canaries: INCOMPLETE is not a pass
    rep = json.loads((tmp_path / "cli" / "report.json").read_text())
    assert rep["verdict"] == "INCOMPLETE" and rep["policy"]["max_mia_auc"] == 0.99
    r = runner.invoke(
        server_app,
        [
            "report",
            "--sites",
            str(calib["root"] / "report-mem"),
            "--sites",
            str(calib["root"] / "report-dp"),
            "--out",
            str(tmp_path / "fed"),
        ],
    )
    assert r.exit_code == 0, r.output
    fed = json.loads((tmp_path / "fed" / "federation_report.json").read_text())
    assert fed["verdict"] == "FAIL" and [s["site"] for s in fed["sites"]] == ["site-mem", "site-dp"]
    assert (tmp_path / "fed" / "federation_report.html").is_file()
