"""De-id metrics on a hand-computed example, presidio label mapping, and a tiny end-to-end bench run."""

import json
from types import SimpleNamespace

import pytest

from medfl.privacy.deid.evaluation import (
    IGNORE,
    count_occurrences,
    evaluate,
    normalize_type,
    presidio_gold,
    score_document,
)

TEXT = "Pt John Smith, MRN 1234567, seen 3/14/21 by Dr. Lee. SpO2 92% RA, age 92."


def _span(sub: str, typ: str, nth: int = 0) -> tuple[int, int, str]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(sub, start + 1)
    return (start, start + len(sub), typ)


def _splice(text, spans):
    out, pos = [], 0
    for s, e, t in sorted(spans):
        out += [text[pos:s], f"[{t}]"]
        pos = e
    return "".join(out + [text[pos:]])


GOLD = [
    _span("John Smith", "NAME"),
    _span("1234567", "MRN"),
    _span("3/14/21", "DATE"),
    _span("Lee", "NAME"),
    _span("92", "AGE", nth=1),
]
# the system finds "John" only, labels the MRN "ID", gets the date, takes "Dr." into the name (a false
# positive token) and tags "RA" as a place (false positive inside a clinical term); it misses the age.
PRED = [
    _span("John", "PERSON"),
    _span("1234567", "ID"),
    _span("3/14/21", "DATE_TIME"),
    _span("Dr. Lee", "PERSON"),
    _span("RA", "LOCATION"),
]
TERMS = [(*_span("SpO2 92% RA", "")[:2], "SpO2 92% RA"), (0, 2, "Pt")]


def test_hand_computed_example():
    out = _splice(TEXT, PRED)
    assert out == "Pt [PERSON] Smith, MRN [ID], seen [DATE_TIME] by [PERSON]. SpO2 92% [LOCATION], age 92."
    sc = score_document(TEXT, GOLD, PRED, out, terms=TERMS)
    # gold tokens: John Smith Lee (NAME 3), 1234567 (MRN 1), 3 14 21 (DATE 3), 92 (AGE 1)
    assert dict(sc.gold_tokens) == {"NAME": 3, "MRN": 1, "DATE": 3, "AGE": 1}
    assert dict(sc.gold_hit) == {"NAME": 2, "MRN": 1, "DATE": 3, "AGE": 0}
    # predicted tokens: John Dr Lee (NAME: 2 right), 1234567 (ID), 3 14 21 (DATE), RA (LOCATION: wrong)
    assert dict(sc.pred_tokens) == {"NAME": 3, "ID": 1, "DATE": 3, "LOCATION": 1}
    assert dict(sc.pred_hit) == {"NAME": 2, "ID": 1, "DATE": 3, "LOCATION": 0}
    assert (sc.overall_gold, sc.overall_gold_hit, sc.overall_pred, sc.overall_pred_hit) == (8, 6, 8, 6)
    # span recall: "Lee" fully masked, "John Smith" not
    assert sc.spans["NAME"] == 2 and sc.spans_masked["NAME"] == 1
    # leaks: "92" is in the output twice but once legitimately (SpO2 92%) -> the age leaked; nothing else
    assert dict(sc.leak_total) == {"NAME": 2, "MRN": 1, "DATE": 1, "AGE": 1}
    assert dict(sc.leaked) == {"AGE": 1}
    # terms: "SpO2 92% RA" touched by the RA span, "Pt" kept
    assert (sc.terms_total, sc.terms_kept, dict(sc.terms_lost)) == (2, 1, {"SpO2 92% RA": 1})

    res = evaluate(
        [{"text": TEXT, "spans": GOLD, "clinical_terms": TERMS}], [SimpleNamespace(text=out, spans=PRED)]
    ).to_dict()
    assert res["overall"]["recall"] == 0.75 and res["overall"]["precision"] == 0.75
    assert res["overall"]["f1"] == 0.75
    assert res["overall"]["leak_rate"] == 0.2  # 1 of 5 gold values
    assert res["per_type"]["NAME"]["recall"] == round(2 / 3, 4)
    assert res["per_type"]["NAME"]["precision"] == round(2 / 3, 4)
    assert res["per_type"]["AGE"]["leak_rate"] == 1.0 and res["per_type"]["MRN"]["leak_rate"] == 0.0
    assert res["clinical_terms"]["preserved_rate"] == 0.5


def test_partial_masks_and_full_leaks():
    text = "MRN 1234567 for Jane Roe"
    gold = [(4, 11, "MRN"), (16, 24, "NAME")]
    half = [(4, 7, "ID")]  # "123" of "1234567": the token is not removed
    sc = score_document(text, gold, half, "MRN [ID]4567 for Jane Roe")
    assert sc.gold_hit["MRN"] == 0 and sc.overall_pred == 0
    assert dict(sc.leaked) == {"NAME": 1}  # "1234567" is no longer verbatim; the name is
    none = score_document(text, gold, [], text)
    assert dict(none.leaked) == {"MRN": 1, "NAME": 1} and none.overall_gold_hit == 0


def test_quarantined_docs_release_nothing():
    res = evaluate([{"text": TEXT, "spans": GOLD}], [SimpleNamespace(text=None, spans=[])]).to_dict()
    assert res["n_quarantined"] == 1 and res["overall"]["leaked"] == 0 and res["overall"]["gold_values"] == 5
    with pytest.raises(ValueError, match="gold documents"):
        evaluate([{"text": TEXT, "spans": GOLD}], [])


def test_occurrences_respect_letter_digit_boundaries():
    assert count_occurrences("92", "age 92yo, SpO2 92%, born 1920") == 2
    assert count_occurrences("Lee", "Leeds Lee lee") == 1
    assert count_occurrences("92", "92 and 92", exclude=[(0, 2)]) == 1


def test_type_normalisation_and_presidio_mapping():
    assert normalize_type("PERSON") == "NAME" and normalize_type("[DATE]") == "DATE"
    assert normalize_type("mrn") == "MRN"
    text = "Dr. Ann Lee, 93, born 1931, Tuesday, 45 years"
    labels = [
        ("TITLE", "Dr."),
        ("PERSON", "Ann Lee"),
        ("AGE", "93"),
        ("DATE_TIME", "1931"),
        ("DATE_TIME", "Tuesday"),
        ("AGE", "45"),
    ]
    rec = {
        "full_text": text,
        "spans": [
            {
                "entity_type": t,
                "entity_value": v,
                "start_position": text.index(v),
                "end_position": text.index(v) + len(v),
            }
            for t, v in labels
        ],
    }
    assert [t for *_, t in presidio_gold(rec)] == [IGNORE, "NAME", "AGE", IGNORE, IGNORE, IGNORE]
    # IGNORE tokens count neither way: tagging "Dr." is not a false positive here
    sc = score_document(rec["full_text"], presidio_gold(rec), [(0, 11, "PERSON")], "[PERSON], 93, ...")
    assert sc.overall_pred == 2 and sc.overall_pred_hit == 2


def test_bench_runs_end_to_end(tmp_path, repo_root):
    import importlib.util

    spec = importlib.util.spec_from_file_location("deid_eval", repo_root / "bench" / "deid_eval.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "deid_eval.json"
    # never the held-out world here: its notes are de-identified only when its figures are measured
    assert bench.main(["--no-heldout", "--tuning", "--tuning-n", "5", "--dev", "--no-presidio",
                       "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    worlds = ["tuning", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9"]
    assert [r["dataset"].split("(")[0] for r in data["results"]] == worlds
    assert [r["n_docs"] for r in data["results"]] == [5] * len(worlds)
    assert data["goals"]["dataset"] == "tuning(n=5,seed=1)/tags"
    wanted = {"leak_rate_overall", "zero_leak_types", "clinical_terms_preserved", "notes_per_s_per_core"}
    assert wanted <= set(data["goals"])
    for r in data["results"]:
        assert r["overall"]["gold_tokens"] > 0 and r["timing"]["docs_timed"] == r["n_docs"] - 1
