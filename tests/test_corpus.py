"""Raw document reader: formats, ids, and bad input skipped by name without leaking content."""

import json
import logging

import pytest

from medfl.client.corpus import ReadStats, read_documents
from medfl.core_model.errors import MedflError

SECRET = "Jane Roe MRN 99812 lives at 12 Elm St"


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_jsonl_ids_and_passthrough(tmp_path):
    f = _jsonl(tmp_path / "notes.jsonl", [
        {"id": "a1", "text": "first", "source": "cardio", "ward": 3},
        {"text": "second"},
    ])
    docs = list(read_documents(f))
    assert docs[0] == {"id": "a1", "text": "first", "source": "cardio", "ward": 3}
    assert docs[1] == {"id": "notes:2", "text": "second"}  # "<stem>:<line no>"
    assert all(isinstance(d["text"], str) for d in docs)


def test_numeric_id_becomes_str_and_blank_lines_ignored(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text('{"id": 7, "text": "a"}\n\n   \n{"text": "b"}\n', encoding="utf-8")
    stats = ReadStats()
    assert [d["id"] for d in read_documents(f, stats)] == ["7", "x:4"]
    assert stats.bad_lines == [] and stats.docs == 2


def test_txt_dir_and_mixed(tmp_path):
    (tmp_path / "b.txt").write_text("note b", encoding="utf-8")
    (tmp_path / "a.txt").write_text("\ufeffnote a", encoding="utf-8")  # BOM is stripped
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("note c", encoding="utf-8")
    _jsonl(tmp_path / "more.jsonl", [{"text": "json doc"}])
    (tmp_path / "ignored.csv").write_text("x,y", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    stats = ReadStats()
    docs = list(read_documents(tmp_path, stats))
    assert [(d["id"], d["text"]) for d in docs] == [
        ("a.txt", "note a"), ("b.txt", "note b"), ("more:1", "json doc"), ("sub/c.txt", "note c"),
    ]
    assert stats.files_read == 4 and stats.n_skipped_files == 0


def test_bad_files_skipped_named_and_counted(tmp_path, caplog):
    (tmp_path / "good.txt").write_text("a perfectly fine note", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_text("\n  \n", encoding="utf-8")
    (tmp_path / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + SECRET.encode())
    (tmp_path / "latin.txt").write_bytes(("Caf\u00e9 " + SECRET).encode("latin-1"))
    (tmp_path / "latin.jsonl").write_bytes(json.dumps({"text": "ok"}).encode() + b"\n"
                                           + '{"text": "na\u00efve"}\n'.encode("latin-1"))
    stats = ReadStats()
    with caplog.at_level(logging.WARNING, logger="medfl.client.corpus"):
        docs = list(read_documents(tmp_path, stats))
    assert [d["id"] for d in docs] == ["good.txt"]  # latin.jsonl's good first line is not used either
    names = {k: sorted(p.rsplit("/", 1)[-1] for p in v) for k, v in stats.skipped_files.items()}
    assert names == {"empty": ["blank.jsonl", "empty.txt"], "binary": ["scan.txt"],
                     "non_utf8": ["latin.jsonl", "latin.txt"]}
    assert stats.n_skipped_files == 5 and stats.files_read == 1
    for name in ("empty.txt", "blank.jsonl", "scan.txt", "latin.txt", "latin.jsonl"):
        assert name in caplog.text
    assert "Jane" not in caplog.text and "99812" not in caplog.text


def test_malformed_lines_reported_by_position_only(tmp_path, caplog):
    f = tmp_path / "notes.jsonl"
    f.write_text(
        json.dumps({"text": "good one"}) + "\n"
        + '{"text": "' + SECRET + '", \n'        # truncated JSON
        + json.dumps([SECRET]) + "\n"             # not an object
        + json.dumps({"id": "n", "body": SECRET}) + "\n"  # no text
        + json.dumps({"text": "good two"}) + "\n",
        encoding="utf-8",
    )
    stats = ReadStats()
    with caplog.at_level(logging.WARNING):
        docs = list(read_documents(f, stats))
    assert [d["text"] for d in docs] == ["good one", "good two"]
    assert [b.split(": ")[0] for b in stats.bad_lines] == [f"{f}:2", f"{f}:3", f"{f}:4"]
    assert f"{f}:2" in caplog.text
    assert "Jane" not in caplog.text and "Jane" not in " ".join(stats.bad_lines)


def test_missing_input_and_wrong_suffix(tmp_path):
    with pytest.raises(MedflError, match="does not exist"):
        list(read_documents(tmp_path / "nope.jsonl"))
    (tmp_path / "data.csv").write_text("a,b", encoding="utf-8")
    with pytest.raises(MedflError, match="data.csv"):
        list(read_documents(tmp_path / "data.csv"))


def test_shipped_sample_reads_cleanly(repo_root):
    stats = ReadStats()
    docs = list(read_documents(repo_root / "data" / "sites" / "cdc" / "raw" / "docs.jsonl", stats))
    assert len(docs) > 50 and stats.bad_lines == [] and stats.n_skipped_files == 0
    assert {d["source"] for d in docs} == {"cdc"} and len({d["id"] for d in docs}) == len(docs)
