"""medfl.privacy.deid engine: contract, fail-closed quarantine, no PHI in logs/reports, surrogates, pool."""

import datetime as dt
import json
import logging
import re

import pytest

from medfl.core_model.errors import MedflError
from medfl.privacy.deid import TAGS, DeidConfig, Deidentifier, DeidReport, deidentify_documents
from medfl.privacy.deid.engine import _deidentifier, _merge
from medfl.privacy.deid.surrogates import Surrogator

NOTE = (
    "Mr. John Kowalczyk is a 92 yo man seen on 3/14/2021 at Springfield General Hospital (MRN 00123456).\n"
    "Wife Mary Kowalczyk at bedside, phone (617) 555-1234. Lives at 12 Oak Street, Boston, MA 02115.\n"
    "Kowalczyk started Lasix 40 mg PO BID for CHF. Follow up 4/1/2021 with Dr. Foley.\n"
)
PHI = [
    "John",
    "Kowalczyk",
    "92",
    "3/14/2021",
    "Springfield General Hospital",
    "00123456",
    "Mary",
    "(617) 555-1234",
    "12 Oak Street",
    "Boston",
    "02115",
    "4/1/2021",
    "Foley",
]
CLINICAL = ["Lasix 40 mg PO BID", "CHF", "MA", "yo man", "at bedside"]
SECRET = "test-site-secret"


@pytest.fixture(scope="module")
def deid():
    return _deidentifier(tuple(sorted({**DeidConfig().__dict__, "site_secret": None}.items())))


def run(docs, **kw):
    report = DeidReport()
    out = list(deidentify_documents(docs, DeidConfig(**kw), report))
    return out, report


def test_tags_mode_removes_phi_keeps_clinical_text():
    (doc,), report = run([{"id": "n1", "text": NOTE, "site": "A"}])
    assert doc.id == "n1" and doc.extra == {"site": "A"} and doc.quarantine_reason is None
    for value in PHI:
        assert value not in doc.text, value
    for term in CLINICAL:
        assert term in doc.text, term
    assert set(re.findall(r"\[[A-Z]+\]", doc.text)) <= set(TAGS.values())
    # spans index the ORIGINAL text and splicing tags over them gives the output
    rebuilt, pos = [], 0
    for s, e, t in doc.spans:
        assert t in TAGS and 0 <= s < e <= len(NOTE)
        rebuilt += [NOTE[pos:s], TAGS[t]]
        pos = e
    assert "".join(rebuilt) + NOTE[pos:] == doc.text
    assert report.n_docs == 1 and report.counts_per_type["NAME"] >= 4


def test_tag_set_is_one_constant():
    assert TAGS == {
        t: f"[{t}]" for t in ("NAME", "DATE", "AGE", "PHONE", "EMAIL", "SSN", "ID", "URL", "IP", "LOCATION")
    }


def test_output_order_and_quarantine_reasons():
    docs = [
        {"id": "ok1", "text": "Seen by Dr. Smith."},
        {"id": "bad_bytes", "text": b"\xff\xfe Mr. John Smith SSN 123-45-6789"},
        {"id": "good_bytes", "text": b"Pt Jane Roe called."},
        {"id": "not_text", "text": 42},
        {"id": "missing"},
        {"id": "nul", "text": "abc\x00def"},
        {"id": "empty", "text": ""},
    ]
    out, report = run(docs)
    assert [d.id for d in out] == [d["id"] for d in docs]
    reasons = {d.id: d.quarantine_reason for d in out}
    assert reasons == {
        "ok1": None,
        "bad_bytes": "undecodable",
        "good_bytes": None,
        "not_text": "not_text",
        "missing": "missing_text",
        "nul": "binary",
        "empty": None,
    }
    assert all(d.text is None and d.spans == [] for d in out if d.quarantine_reason)
    assert out[2].text == "Pt [NAME] called."
    assert report.n_quarantined == 4
    assert report.quarantined_ids == ["bad_bytes", "not_text", "missing", "nul"]


def test_error_is_quarantined_without_leaking_text(monkeypatch, caplog, tmp_path):
    secret_phi = "Zebulon Quackenbush SSN 219-09-9999"

    def boom(self, text):
        raise ValueError(f"cannot parse {text!r}")  # a buggy recognizer that quotes its input

    monkeypatch.setattr(Deidentifier, "analyze", boom)
    caplog.set_level(logging.DEBUG)
    out, report = run([{"id": "d1", "text": secret_phi}, {"id": "d2", "text": b"\xff" + secret_phi.encode()}])
    assert [d.quarantine_reason for d in out] == ["error:ValueError", "undecodable"]
    assert all(d.text is None for d in out)
    path, txt = report.write(tmp_path / "report.json")
    everything = caplog.text + path.read_text() + txt.read_text() + repr(out)
    for word in ("Zebulon", "Quackenbush", "219-09-9999"):
        assert word not in everything
    assert "d1" in txt.read_text() and json.loads(path.read_text())["quarantined_ids"] == ["d1", "d2"]


def test_timeout_quarantines_slow_document():
    huge = "Mr. John Smith seen 3/14/21. " * 40000  # ~1.2 MB: far more than 50 ms of work
    out, report = run([{"id": "slow", "text": huge}, {"id": "fast", "text": "Dr. Smith"}], timeout_s=0.05)
    assert out[0].quarantine_reason == "timeout" and out[0].text is None
    assert out[1].text == "Dr. [NAME]"
    assert report.quarantine_reasons == {"timeout": 1}


def test_surrogates_consistent_deterministic_and_interval_preserving():
    docs = [
        {"id": "n1", "text": NOTE, "patient_id": "P7"},
        {"id": "n2", "text": "Admitted 3/14/2021.", "patient_id": "P7"},
    ]
    a, _ = run(docs, mode="surrogates", site_secret=SECRET)
    b, _ = run(docs, mode="surrogates", site_secret=SECRET)
    c, _ = run(docs, mode="surrogates", site_secret="another-site")
    assert [d.text for d in a] == [d.text for d in b]  # deterministic per site secret
    assert a[0].text != c[0].text
    text = a[0].text
    for value in PHI:
        assert not re.search(rf"(?<![\w/]){re.escape(value)}(?![\w/])", text), value
    assert "[" not in text  # every span got a realistic surrogate
    # the same surname maps to the same surrogate each time it occurs ("Mr. John K.", "Mary K.", "K. started")
    new_surname = Surrogator(SECRET.encode(), "n1", "P7").replace("NAME", "Kowalczyk")
    assert new_surname != "Kowalczyk" and text.count(new_surname) == NOTE.count("Kowalczyk") == 3
    # one date offset per patient: the 18-day interval survives, and both notes of P7 share the shift
    first, second = re.findall(r"\d{1,2}/\d{1,2}/\d{4}", text)
    d1, d2 = (dt.datetime.strptime(x, "%m/%d/%Y") for x in (first, second))
    assert (d2 - d1).days == 18 and first != "3/14/2021"
    assert re.findall(r"\d{1,2}/\d{1,2}/\d{4}", a[1].text) == [first]


def test_config_validation():
    with pytest.raises(MedflError, match="mode"):
        DeidConfig(mode="redact")
    with pytest.raises(MedflError, match="workers"):
        DeidConfig(workers=0)
    with pytest.raises(MedflError, match="timeout"):
        DeidConfig(timeout_s=0)


def test_merge_unions_overlaps_and_keeps_best_type():
    text = "John Smith Street"
    assert _merge(text, [(0, 10, "NAME", 0.9), (5, 17, "LOCATION", 0.7)]) == [(0, 17, "NAME")]
    assert _merge("Ann  Lee x", [(0, 3, "NAME", 0.6), (5, 8, "NAME", 0.6)]) == [(0, 8, "NAME")]


def test_digit_joins_read_as_dashes_and_slashes_spans_index_original(deid):
    """"_" and "\\" between digits are read as "-" and "/" one character for one: the spans are offsets into
    the original text, and the output keeps every character outside them (underscores in names too)."""
    text = "SSN 318_44_2907 on 3\\4\\2021 in scan_2021_03_04.pdf; plan_b and C:\\notes\\x2"
    spans = deid.analyze(text)
    assert [(text[s:e], t) for s, e, t in spans] == [
        ("318_44_2907", "SSN"), ("3\\4\\2021", "DATE"), ("2021_03_04", "DATE")
    ]
    out, _ = deid.deidentify(text)
    assert out == "SSN [SSN] on [DATE] in scan_[DATE].pdf; plan_b and C:\\notes\\x2"


def test_clinical_paragraph_is_untouched(deid):
    text = (
        "Assessment/Plan: CHF exacerbation, continue Lasix 40 mg IV BID, metoprolol 25 mg PO. "
        "GI consulted for BRBPR; EGD today. Pain 4/10, strength 5/5, K 3.9, Cr 1.2, INR 2.1. "
        "Foley catheter removed. Murphy sign negative. Follow-up in cardiology clinic in 2 weeks."
    )
    assert deid.analyze(text) == []


@pytest.mark.slow
def test_pool_mode_matches_serial_and_enforces_timeout():
    docs = [{"id": f"d{i}", "text": NOTE.replace("92", str(90 + i % 5))} for i in range(12)]
    docs.insert(5, {"id": "slow", "text": "Mr. John Smith seen 3/14/21. " * 40000})
    docs.insert(7, {"id": "bad", "text": b"\xff\xfe"})
    serial, _ = run(docs, timeout_s=0.5)
    pooled, report = run(docs, workers=2, timeout_s=0.5, batch_size=3)
    assert [d.id for d in pooled] == [d["id"] for d in docs]
    assert {d.id: d.quarantine_reason for d in pooled if d.quarantine_reason} == {
        "slow": "timeout",
        "bad": "undecodable",
    }
    assert [(d.text, d.spans) for d in pooled] == [(d.text, d.spans) for d in serial]
    assert report.workers == 2 and report.n_quarantined == 2


def test_registry_yaml_switches_recognizers(tmp_path):
    reg = tmp_path / "recognizers.yaml"
    reg.write_text("score_threshold: 0.5\nrecognizers:\n  - {class: names:NameRecognizer, enabled: true}\n"
                   "  - {class: contact:PhoneRecognizer, enabled: false}\n")
    d = Deidentifier(DeidConfig(registry=str(reg)))
    assert [type(r).__name__ for r in d.recognizers] == ["NameRecognizer"]
    assert d.deidentify("Dr. Smith, phone 617-555-1234")[0] == "Dr. [NAME], phone 617-555-1234"
    reg.write_text("recognizers:\n  - {class: names:NoSuchRecognizer}\n")
    with pytest.raises(MedflError, match="NoSuchRecognizer"):
        Deidentifier(DeidConfig(registry=str(reg)))
