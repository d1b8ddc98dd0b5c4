"""`medfl-client deid INPUT OUTPUT [--mode] [--report] [--workers]`: the contract other tools depend on."""

import json

from typer.testing import CliRunner

from medfl.client.cli import app
from medfl.core_model.errors import MedflError


def _lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_deid_jsonl_tags_with_report(tmp_path):
    src = tmp_path / "notes.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "Mr. John Smith seen 3/14/21, MRN 00123456.", "site": "s1"})
        + "\n"
        + json.dumps({"text": "Call (617) 555-1234."})
        + "\n"
        + "{not json John Smith\n"
        + json.dumps({"id": "z", "text": None})
        + "\n"
    )
    out, rep = tmp_path / "out.jsonl", tmp_path / "rep.json"
    res = CliRunner().invoke(app, ["deid", str(src), str(out), "--report", str(rep)])
    assert res.exit_code == 0, res.output
    rows = _lines(out)
    assert [r["id"] for r in rows] == ["a", "notes:2", "notes:3", "z"]
    assert rows[0]["text"] == "Mr. [NAME] seen [DATE], MRN [ID]." and rows[0]["site"] == "s1"
    original = "Mr. John Smith seen 3/14/21, MRN 00123456."
    assert [original[s:e] for s, e, _ in rows[0]["spans"]] == ["John Smith", "3/14/21", "00123456"]
    assert rows[1]["text"] == "Call [PHONE]."
    assert rows[2]["text"] is None and rows[2]["quarantined"] == "malformed_json"
    assert rows[3]["text"] is None and rows[3]["quarantined"] == "missing_text"
    report = json.loads(rep.read_text())
    assert report["n_docs"] == 4 and report["quarantined_ids"] == ["notes:3", "z"]
    assert report["counts_per_type"] == {"NAME": 1, "DATE": 1, "ID": 1, "PHONE": 1}
    assert report["notes_per_s"] > 0
    summary = (tmp_path / "rep.txt").read_text()
    assert "notes/s" in summary and "notes:3" in summary and "John" not in summary


def test_deid_txt_dir_surrogates(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDFL_DEID_SECRET", "cli-test-secret")
    d = tmp_path / "in"
    d.mkdir()
    (d / "b.txt").write_text("Seen by Dr. Alice Walker on 2021-03-03.")
    (d / "a.txt").write_bytes(b"\xff\xfe John Smith")
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(app, ["deid", str(d), str(out), "--mode", "surrogates"])
    assert res.exit_code == 0, res.output
    rows = _lines(out)
    assert [r["id"] for r in rows] == ["a.txt", "b.txt"]
    assert rows[0]["text"] is None and rows[0]["quarantined"] == "undecodable"
    assert "Walker" not in rows[1]["text"] and "2021-03-03" not in rows[1]["text"]
    assert rows[1]["text"].startswith("Seen by Dr. ") and "[" not in rows[1]["text"]
    again = tmp_path / "again.jsonl"
    CliRunner().invoke(app, ["deid", str(d), str(again), "--mode", "surrogates"])
    assert again.read_text() == out.read_text()  # same site secret -> same surrogates


def test_deid_bad_arguments(tmp_path):
    res = CliRunner().invoke(app, ["deid", str(tmp_path / "missing.jsonl"), str(tmp_path / "o.jsonl")])
    assert res.exit_code != 0
    src = tmp_path / "x.jsonl"
    src.write_text("{}\n")
    res = CliRunner().invoke(app, ["deid", str(src), str(tmp_path / "o.jsonl"), "--mode", "scramble"])
    assert res.exit_code != 0


def _annotated(tmp_path, docs):
    path = tmp_path / "annotated.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    return path


def test_deid_eval_on_a_sites_annotated_sample(tmp_path):
    """A site measures the de-identifier on its own hand-checked notes: table, goals, exit code, and missed
    spans by id and offsets only."""
    text = "Mr. John Smith seen 3/14/21 by Dr. Alice Walker. Plan: CHF clinic, call 617-555-1234."
    gold = [("John Smith", "PERSON"), ("3/14/21", "DATE"), ("Alice Walker", "NAME"),
            ("617-555-1234", "PHONE")]
    spans = [[text.index(v), text.index(v) + len(v), t] for v, t in gold]
    terms = [[text.index("CHF"), text.index("CHF") + 3, "CHF"]]
    good = _annotated(tmp_path, [{"id": "n1", "text": text, "spans": spans, "clinical_terms": terms}])
    rep = tmp_path / "eval.json"
    res = CliRunner().invoke(app, ["deid-eval", str(good), "--report", str(rep)])
    assert res.exit_code == 0, res.output
    data = json.loads(rep.read_text())
    assert data["goals"]["met"] and data["result"]["overall"]["leak_rate"] == 0.0
    assert data["result"]["per_type"]["NAME"]["gold_tokens"] == 4  # PERSON normalised to NAME
    assert data["missed_spans"] == [] and data["result"]["clinical_terms"]["preserved"] == 1
    assert "leak_rate_overall" in (tmp_path / "eval.txt").read_text()

    # a span the de-identifier does not remove (a plain word annotated as a name): goal missed, exit 1, and
    # the report names document and offsets but never the text
    plain = "The patient reports steady improvement."
    s = plain.index("steady")
    bad = _annotated(tmp_path, [{"id": "n2", "text": plain, "spans": [[s, s + 6, "NAME"]]}])
    res = CliRunner().invoke(app, ["deid-eval", str(bad), "--report", str(rep)])
    assert res.exit_code == 1
    data = json.loads(rep.read_text())
    assert data["missed_spans"] == [{"id": "n2", "type": "NAME", "start": s, "end": s + 6}]
    assert not data["goals"]["met"] and data["result"]["overall"]["leaked"] == 1
    assert "steady" not in rep.read_text() and "steady" not in (tmp_path / "eval.txt").read_text()


def test_deid_eval_rejects_malformed_annotations_naming_file_and_line(tmp_path):
    path = tmp_path / "ann.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "abc", "spans": []}) + "\n"
                    + json.dumps({"id": "b", "text": "Jo Smith", "spans": [[0, 99, "NAME"]]}) + "\n")
    res = CliRunner().invoke(app, ["deid-eval", str(path), "--report", str(tmp_path / "r.json")])
    assert isinstance(res.exception, MedflError) and not (tmp_path / "r.json").exists()
    assert str(res.exception).startswith(f"{path}:2: bad span") and "Smith" not in str(res.exception)
    path.write_text("{broken\n")
    res = CliRunner().invoke(app, ["deid-eval", str(path), "--report", str(tmp_path / "r.json")])
    assert str(res.exception) == f"{path}:1: not valid UTF-8 JSON"
