"""Generalisation check on bench/deid_dev_notes.py notes (invented names/places, messy formats).

The dev generator shares no name, place or template with privacy/deid/synthetic.py, so this catches a
de-identifier that only knows its tuning notes. Small n keeps the test to a few seconds.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from deid_dev_notes import generate_dev_notes  # noqa: E402

from medfl.privacy.deid import DeidConfig, deidentify_documents  # noqa: E402
from medfl.privacy.deid.evaluation import evaluate  # noqa: E402


def test_dev_notes_are_labelled_consistently():
    notes = generate_dev_notes(20, seed=3)
    assert notes == generate_dev_notes(20, seed=3)
    for n in notes:
        for s, e, _t in n["spans"]:
            assert 0 <= s < e <= len(n["text"]) and n["text"][s:e].strip() == n["text"][s:e]
        for s, e, term in n["clinical_terms"]:
            assert n["text"][s:e] == term


@pytest.mark.parametrize("seed", [11])
def test_dev_notes_leak_goals(seed):
    docs = generate_dev_notes(60, seed=seed)
    outs = list(deidentify_documents([{"id": d["id"], "text": d["text"]} for d in docs], DeidConfig()))
    res = evaluate(docs, outs).to_dict()
    assert res["n_quarantined"] == 0
    assert res["overall"]["leak_rate"] <= 0.02
    for t in ("PHONE", "EMAIL", "MRN", "SSN"):
        assert res["per_type"].get(t, {"leaked": 0})["leaked"] == 0, t
    assert res["clinical_terms"]["preserved_rate"] >= 0.98


def test_dev_bench_runs_end_to_end(tmp_path):
    import json

    from deid_dev_notes import main

    out = tmp_path / "deid_dev.json"
    assert main(["--n", "4", "--tuning-n", "4", "--medquad-docs", "10", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert "medquad all sites" in data and data["medquad all sites"]["tokens"] > 0
