"""prepare_site end to end (real de-identification) on a tmp slice of the shipped sample data."""

import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

import medfl.privacy.deid as deid_mod
from medfl.client.cli import app
from medfl.client.prepare import MANIFEST, REPORT, TRAIN, VAL, prepare_site, require_prepared, sha256_file
from medfl.core_model.errors import MedflError
from medfl.privacy.deid import DeidConfig

EMAIL = "jane.roe@examplehospital.org"
NOTE = (
    "Discharge summary. The patient was admitted with community acquired pneumonia and treated with "
    "intravenous antibiotics for five days with steady improvement of fever, cough and oxygen saturation. "
    f"Follow up questions can be sent to {EMAIL} by the family. Chest radiograph on the day of discharge "
    "showed partial resolution of the right lower lobe consolidation. She will complete a course of oral "
    "antibiotics at home and see her primary care physician within two weeks for a repeat examination."
)


def _lines(site, n):
    root = Path(__file__).resolve().parents[1]
    text = (root / "data" / "sites" / site / "raw" / "docs.jsonl").read_text(encoding="utf-8")
    return text.splitlines(keepends=True)[:n]


def make_raw(base: Path) -> Path:
    """hospital_x/raw: two sources (cdc, pubmedqa) + a txt note with PHI + bad input of each kind."""
    raw = base / "hospital_x" / "raw"
    raw.mkdir(parents=True)
    cdc = _lines("cdc", 30)
    dup = json.loads(cdc[3])
    dup["id"] = "cdc-copy"
    cdc.append(json.dumps(dup) + "\n")  # exact duplicate under another id
    cdc.append(json.dumps({"id": "cdc-short", "text": "Too short to learn from.", "source": "cdc"}) + "\n")
    (raw / "cdc.jsonl").write_text("".join(cdc), encoding="utf-8")
    pubmed = "".join(_lines("pubmedqa", 20)) + '{"text": broken\n'  # one malformed line
    (raw / "pubmedqa.jsonl").write_text(pubmed, encoding="utf-8")
    (raw / "note1.txt").write_text(NOTE, encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "scan.txt").write_bytes(b"\x00\x01\x02PK\x03\x04")
    (raw / "legacy.txt").write_bytes("R\u00e9sum\u00e9 du patient".encode("latin-1"))
    return raw


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    base = tmp_path_factory.mktemp("prep")
    raw = make_raw(base)
    out = base / "hospital_x" / "prepared"
    report = prepare_site(raw, out, deid=DeidConfig(mode="tags"), seed=0, val_fraction=0.1)
    return raw, out, report


def _docs(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def test_end_to_end_outputs_and_counts(prepared):
    raw, out, report = prepared
    names = {p.name for p in out.iterdir()}
    assert {"deid_manifest.json", "deid_report.json", TRAIN, VAL, "prepare_report.json"} <= names
    assert json.loads((out / REPORT).read_text()) == report
    rd = report["read"]
    assert rd["docs"] == 30 + 2 + 20 + 1 and rd["files_read"] == 3 and rd["n_bad_lines"] == 1
    assert {k: [Path(p).name for p in v] for k, v in rd["skipped_files"].items()} == {
        "empty": ["empty.txt"], "binary": ["scan.txt"], "non_utf8": ["legacy.txt"]}
    dropped = report["filters"]["dropped"]
    assert dropped["exact_dup"] == 1 and dropped["too_short"] >= 1
    assert "cdc-short" in report["filters"]["dropped_ids"]["too_short"]
    assert "cdc-copy" in report["filters"]["dropped_ids"]["exact_dup"]

    train, val = _docs(out / TRAIN), _docs(out / VAL)
    assert {tuple(sorted(d)) for d in train + val} == {("id", "source", "text")}  # raw metadata not carried
    assert not {d["id"] for d in train} & {d["id"] for d in val}
    kept = report["filters"]["kept"]
    assert len(train) + len(val) == kept == report["split"]["train_docs"] + report["split"]["val_docs"]
    per = report["split"]["per_source"]
    assert set(per) == {"cdc", "pubmedqa", "hospital_x"}  # the txt note gets the site folder's name
    assert per["cdc"]["val_docs"] >= 1 and per["pubmedqa"]["val_docs"] >= 1
    assert per["hospital_x"] == {"train_docs": 1, "val_docs": 0}  # a 1-doc source cannot hold one out
    assert report["timing"]["docs_per_s"] > 0


def test_deid_ran_on_outputs(prepared):
    _, out, report = prepared
    note = next(d for d in _docs(out / TRAIN) if d["id"] == "note1.txt")
    assert EMAIL not in note["text"] and "pneumonia" in note["text"]
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["deid"]["mode"] == "tags" and manifest["deid"]["config"]["mode"] == "tags"
    assert manifest["counts"]["train"] == report["split"]["train_docs"]
    for name in (TRAIN, VAL):
        assert manifest["files"][name]["sha256"] == sha256_file(out / name)
    assert require_prepared(out)["format"] == "medfl-prepared/1"


def test_split_deterministic_by_seed(prepared, tmp_path):
    raw, out, _ = prepared
    prepare_site(raw, tmp_path / "same", deid=DeidConfig(), seed=0, val_fraction=0.1)
    prepare_site(raw, tmp_path / "other", deid=DeidConfig(), seed=1, val_fraction=0.1)
    assert (tmp_path / "same" / VAL).read_bytes() == (out / VAL).read_bytes()
    assert (tmp_path / "same" / TRAIN).read_bytes() == (out / TRAIN).read_bytes()
    assert {d["id"] for d in _docs(tmp_path / "other" / VAL)} != {d["id"] for d in _docs(out / VAL)}


def test_quarantined_docs_dropped_and_listed(prepared, tmp_path, monkeypatch):
    raw, _, _ = prepared
    real = deid_mod.deidentify_documents

    def quarantine_one(docs, config, report=None):
        # The real de-id, with one doc failing closed as it would on a timeout.
        for d in real(docs, config, report):
            if d.id == "cdc-00002":
                d.text, d.quarantine_reason = None, "timeout"
            yield d

    first_cdc = json.loads(_lines("cdc", 1)[0])["id"]
    assert first_cdc == "cdc-00002"
    monkeypatch.setattr(deid_mod, "deidentify_documents", quarantine_one)
    r = prepare_site(raw, tmp_path / "q", deid=DeidConfig())
    assert r["deid"]["n_quarantined"] == 1 and r["deid"]["quarantined_ids"] == ["cdc-00002"]
    ids = {d["id"] for d in _docs(tmp_path / "q" / TRAIN) + _docs(tmp_path / "q" / VAL)}
    assert "cdc-00002" not in ids
    assert json.loads((tmp_path / "q" / MANIFEST).read_text())["counts"]["quarantined"] == 1


def test_require_prepared_refuses(prepared, tmp_path):
    _, out, _ = prepared
    with pytest.raises(MedflError, match=f"{tmp_path}.*deid_manifest.json"):
        require_prepared(tmp_path)
    bad = tmp_path / "tampered"
    bad.mkdir()
    for p in out.iterdir():
        if p.is_file():
            (bad / p.name).write_bytes(p.read_bytes())
    require_prepared(bad)
    with open(bad / TRAIN, "a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "x", "source": "s", "text": "raw, never de-identified"}) + "\n")
    with pytest.raises(MedflError, match="docs_train.jsonl.*does not match"):
        require_prepared(bad)
    (bad / MANIFEST).write_text("{not json")
    with pytest.raises(MedflError, match="corrupt"):
        require_prepared(bad)


def _snapshot(d: Path) -> dict:
    return {p.name: p.read_bytes() for p in d.iterdir() if p.is_file()}


def test_failed_prepare_keeps_previous_output(prepared, tmp_path, monkeypatch):
    raw, good, _ = prepared
    out = tmp_path / "out"
    prepare_site(raw, out, deid=DeidConfig())
    before = _snapshot(out)
    real = deid_mod.deidentify_documents

    def crash_midway(docs, config, report=None):
        for i, d in enumerate(real(docs, config, report)):
            if i == 10:
                raise RuntimeError("worker died")
            yield d

    monkeypatch.setattr(deid_mod, "deidentify_documents", crash_midway)
    with pytest.raises(RuntimeError, match="worker died"):
        prepare_site(raw, out, deid=DeidConfig(), seed=5)
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # temp dir cleaned up
    require_prepared(out)


def test_nothing_left_is_an_error_and_writes_nothing(tmp_path):
    raw = tmp_path / "raw.jsonl"
    raw.write_text(json.dumps({"text": "short"}) + "\n", encoding="utf-8")
    with pytest.raises(MedflError, match="no documents left"):
        prepare_site(raw, tmp_path / "out", deid=DeidConfig())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw.jsonl"]


def test_refuses_dangerous_output_dirs(prepared, tmp_path):
    raw, _, _ = prepared
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.docx").write_bytes(b"important")
    with pytest.raises(MedflError, match="refusing"):
        prepare_site(raw, foreign, deid=DeidConfig())
    assert (foreign / "thesis.docx").read_bytes() == b"important"
    with pytest.raises(MedflError, match="inside the raw input"):
        prepare_site(raw, raw / "out", deid=DeidConfig())
    with pytest.raises(MedflError, match="inside the raw input"):
        prepare_site(raw, raw.parent, deid=DeidConfig())
    with pytest.raises(MedflError, match="does not exist"):
        prepare_site(tmp_path / "missing", tmp_path / "o", deid=DeidConfig())


def test_cli_prepare_summary(prepared, tmp_path, caplog):
    raw, _, _ = prepared
    with caplog.at_level(logging.WARNING):
        res = CliRunner().invoke(app, ["prepare", str(raw), str(tmp_path / "cli"), "--seed", "0",
                                       "--val-fraction", "0.1"])
    assert res.exit_code == 0, res.output
    assert "read 53 docs from 3 file(s) (skipped 3 file(s), 1 bad line(s))" in res.output
    assert "legacy.txt" in res.output and "1 exact dup" in res.output
    assert EMAIL not in res.output and EMAIL not in caplog.text
    require_prepared(tmp_path / "cli")


def test_surrogates_mode_and_secret_never_written(prepared, tmp_path):
    raw, _, _ = prepared
    out = tmp_path / "s"
    prepare_site(raw, out, deid=DeidConfig(mode="surrogates", site_secret="k3y-do-not-store"))
    manifest = require_prepared(out)
    assert manifest["deid"]["mode"] == "surrogates" and manifest["deid"]["config"]["site_secret"] == "<set>"
    for p in out.iterdir():
        assert b"k3y-do-not-store" not in p.read_bytes(), p.name
    note = next(d for d in _docs(out / TRAIN) if d["id"] == "note1.txt")
    assert EMAIL not in note["text"] and "[EMAIL]" not in note["text"]  # replaced by a fake address


def test_patient_id_travels_as_keyed_pseudonym(tmp_path):
    """Patient-level DP needs the grouping; the raw patient id (PHI) must not reach the outputs."""
    raw = tmp_path / "site" / "raw"
    raw.mkdir(parents=True)
    lines = [json.loads(x) for x in _lines("cdc", 6)]
    for i, d in enumerate(lines):
        d["patient_id"] = "MRN-4455667" if i % 2 else "MRN-9988776"
    (raw / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in lines), encoding="utf-8")
    out = tmp_path / "site" / "prepared"
    prepare_site(raw, out, deid=DeidConfig(mode="tags", site_secret="k1"), seed=0, val_fraction=0.0)
    docs = _docs(out / TRAIN)
    assert docs and all("patient_id" in d for d in docs)
    text = (out / TRAIN).read_text(encoding="utf-8")
    assert "4455667" not in text and "9988776" not in text
    by_pid = {d["patient_id"] for d in docs}
    assert len(by_pid) == 2  # same patient -> same pseudonym, different patients differ
