"""medfl.core_model.tokenizer: a throwaway tokenizer trained in-process on generated clinical-ish text."""

import random

import pytest

from medfl.core_model.errors import MedflError
from medfl.core_model.tokenizer import (
    DEID_TAGS,
    SECTION_HEADERS,
    USER_DEFINED_SYMBOLS,
    Tokenizer,
    count_words,
    pretokenize,
    train_tokenizer,
)

VOCAB = 600
WORDS = ("patient presents with chest pain and dyspnea on exertion history of hypertension diabetes "
         "started metoprolol atorvastatin lisinopril daily denies fever cough nausea vomiting exam shows "
         "clear lungs regular rhythm no edema blood pressure heart rate follow up in clinic").split()


def make_texts(n_docs: int = 300, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(n_docs):
        lines = []
        for header in rng.sample(SECTION_HEADERS, 3):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 15)))
            # "100 mg" and "2024" are frequent: without split_digits BPE would merge them.
            lines.append(f"{header} {words} 100 mg {rng.choice(['2024', '37.5', '120/80'])} seen by [NAME].")
            # Indented, space-aligned lines as in exported notes: whitespace runs are pre-tokens too.
            lines.append(f"    - {rng.choice(WORDS)}:   {rng.choice(WORDS)}  {rng.choice(WORDS)}")
        docs.append("\n".join(lines))
    return docs


@pytest.fixture(scope="module")
def texts():
    return make_texts()


@pytest.fixture(scope="module")
def tok_path(tmp_path_factory, texts):
    out = tmp_path_factory.mktemp("tok") / "tok.model"
    return train_tokenizer(out_path=out, vocab_size=VOCAB, texts=texts)


@pytest.fixture(scope="module")
def tok(tok_path):
    return Tokenizer.load(tok_path)


def test_special_ids(tok):
    assert tok.vocab_size == len(tok) == VOCAB
    assert (tok.pad_id, tok.bos_id, tok.eos_id, tok.unk_id) == (0, 1, 2, 3)
    assert [tok.id_to_piece(i) for i in range(4)] == ["<pad>", "<s>", "</s>", "<unk>"]
    ids = tok.encode("chest pain", bos=True, eos=True)
    assert ids[0] == 1 and ids[-1] == 2 and ids[1:-1] == tok.encode("chest pain")


@pytest.mark.parametrize("symbol", USER_DEFINED_SYMBOLS)
def test_headers_and_tags_are_single_tokens(tok, symbol):
    sid = tok.piece_to_id(symbol)
    assert sid != tok.unk_id and tok.id_to_piece(sid) == symbol
    # Alone, mid-sentence, glued to punctuation and at a line start: always exactly this one id.
    for text in (symbol, f"seen by {symbol} today", f"({symbol}),", f"pain\n{symbol}\nfever"):
        ids = tok.encode(text)
        assert ids.count(sid) == 1, text
        assert tok.decode(ids) == text
    assert tok.pieces(symbol) == ["▁", symbol]  # the space marker stays its own piece


def test_symbol_lists():
    assert len(set(USER_DEFINED_SYMBOLS)) == len(USER_DEFINED_SYMBOLS)
    assert len(USER_DEFINED_SYMBOLS) == len(SECTION_HEADERS) + len(DEID_TAGS)
    assert "[HISTORY]" in SECTION_HEADERS and "[NAME]" in DEID_TAGS


def test_deid_tags_are_exactly_what_deidentification_writes():
    from medfl.privacy.deid import TAGS  # slow import (presidio): only here

    assert set(DEID_TAGS) == set(TAGS.values())


def test_digits_are_split(tok):
    for text in ("100 mg", "2024", "37.5", "120/80", "BP 1234567890"):
        pieces = [p for p in tok.pieces(text) if not p.startswith("<0x")]  # byte pieces are hex
        digit_pieces = [p for p in pieces if any(c.isdigit() for c in p)]
        assert digit_pieces and all(sum(c.isdigit() for c in p) == 1 for p in digit_pieces), tok.pieces(text)


def test_byte_fallback_round_trips_non_ascii(tok):
    text = "Ångström 37.5°C — 患者 🙂"
    ids = tok.encode(text)
    assert tok.unk_id not in ids
    assert any(p.startswith("<0x") for p in tok.pieces(text))  # Å, °, CJK, emoji were never seen
    assert tok.decode(ids) == text


@pytest.mark.parametrize("text", [
    "",
    "patient presents with chest pain",
    "  leading spaces, trailing  ",
    "double  space\ttab\nnew line\n\n[PLAN] follow up",
    "\u00a0non-breaking\u2009thin space, ﬁ ligature, full-width ＡＢＣ",
])
def test_decode_encode_round_trip(tok, text):
    assert tok.decode(tok.encode(text)) == text


def test_encode_batch_matches_encode(tok, texts):
    assert tok.encode_batch(texts[:20]) == [tok.encode(t) for t in texts[:20]]
    assert tok.encode_batch(texts[:3], eos=True) == [tok.encode(t, eos=True) for t in texts[:3]]


def test_frequent_words_become_single_tokens(tok):
    for w in ("patient", "metoprolol", "hypertension"):
        assert tok.pieces(f"the {w}")[-1] == f"▁{w}"


def test_training_is_deterministic(tmp_path, texts, tok_path):
    again = train_tokenizer(out_path=tmp_path / "again.model", vocab_size=VOCAB, texts=iter(texts))
    assert again.read_bytes() == tok_path.read_bytes()
    assert Tokenizer.load(again).sha256 == Tokenizer.load(tok_path).sha256
    other = train_tokenizer(out_path=tmp_path / "other.model", vocab_size=VOCAB, texts=make_texts(seed=1))
    assert other.read_bytes() != tok_path.read_bytes()


@pytest.mark.parametrize("text, expected", [
    ("chest pain", ["chest", "pain"]),
    ("a   b  ", ["a", "  b", " "]),  # runs of spaces ride on the next word; one trailing space is dropped
    ("  indented\n\n\tx y", ["  indented", "\tx", "y"]),  # per line; a tab is an ordinary character
    ("", []),
])
def test_pretokenize_matches_sentencepiece_split(text, expected):
    assert pretokenize(text) == expected


def test_word_counts_path(tmp_path, texts, tok):
    counts = count_words(texts)
    a = train_tokenizer(out_path=tmp_path / "a.model", vocab_size=VOCAB, word_counts=counts)
    # Same counts in another order (as merged from sites in another order): byte-identical model.
    shuffled = dict(sorted(counts.items(), key=lambda kv: kv[0], reverse=True))
    b = train_tokenizer(out_path=tmp_path / "b.model", vocab_size=VOCAB, word_counts=shuffled)
    assert a.read_bytes() == b.read_bytes()
    t = Tokenizer.load(a)
    assert (t.vocab_size, t.pad_id, t.bos_id, t.eos_id) == (VOCAB, 0, 1, 2)
    assert t.pieces("[HISTORY] metoprolol") == ["▁", "[HISTORY]", "▁metoprolol"]
    text = "\n".join(texts[:50])
    assert t.decode(t.encode(text)) == text
    # Counts carry the same pre-tokens as the text (whitespace runs included): fertility within 1%.
    assert abs(len(t.encode(text)) - len(tok.encode(text))) < 0.01 * len(tok.encode(text))
    # A tokenizer that learned from whitespace-split words only would miss the indentation pieces.
    assert t.pieces("    - x")[0] == tok.pieces("    - x")[0] == "▁" * 5  # 4 + the dummy prefix


@pytest.mark.parametrize("bad", [{"": 1}, {"line\nbreak": 2}, {"line\u2028sep": 2}, {"ok": 0}, {"ok": 1.5}])
def test_bad_word_counts_are_refused_without_echoing_the_word(tmp_path, bad):
    with pytest.raises(MedflError, match="entry #0") as e:
        train_tokenizer(out_path=tmp_path / "x.model", vocab_size=VOCAB, word_counts=bad)
    word = next(iter(bad))
    assert not word or word not in str(e.value)
    assert not (tmp_path / "x.model").exists()


def test_vocab_too_large_is_a_clear_error_and_keeps_the_old_file(tmp_path, texts):
    out = tmp_path / "tok.model"
    out.write_bytes(b"previous good model")
    with pytest.raises(MedflError, match=r"vocab_size=50000 is too large for this corpus: at most \d+"):
        train_tokenizer(out_path=out, vocab_size=50000, texts=texts[:10])
    assert out.read_bytes() == b"previous good model"
    assert [p.name for p in tmp_path.iterdir()] == ["tok.model"]  # no temp file left behind


def test_vocab_too_small_and_empty_corpus(tmp_path, texts):
    with pytest.raises(MedflError, match="too small"):
        train_tokenizer(out_path=tmp_path / "t.model", vocab_size=100, texts=texts)
    with pytest.raises(MedflError, match="no training text"):
        train_tokenizer(out_path=tmp_path / "t.model", vocab_size=VOCAB, texts=["", "  \n "])
    with pytest.raises(ValueError):
        train_tokenizer(out_path=tmp_path / "t.model", vocab_size=VOCAB)
    with pytest.raises(TypeError):
        train_tokenizer(out_path=tmp_path / "t.model", vocab_size=VOCAB, texts="a single string")


def test_errors_from_the_text_iterator_propagate_unchanged(tmp_path, texts):
    def docs():
        yield from texts[:20]
        raise MedflError("input site3/docs_train.jsonl is unreadable")

    with pytest.raises(MedflError, match=r"^input site3/docs_train.jsonl is unreadable$"):
        train_tokenizer(out_path=tmp_path / "t.model", vocab_size=VOCAB, texts=docs())
    assert not (tmp_path / "t.model").exists()


def test_missing_and_corrupt_model_errors_name_the_file(tmp_path, tok_path):
    missing = tmp_path / "nope.model"
    with pytest.raises(MedflError, match="nope.model does not exist"):
        Tokenizer.load(missing)
    garbage = tmp_path / "garbage.model"
    garbage.write_bytes(b"\x00not a sentencepiece model" * 10)
    with pytest.raises(MedflError, match="garbage.model is not a valid SentencePiece model"):
        Tokenizer.load(garbage)
    truncated = tmp_path / "truncated.model"
    truncated.write_bytes(tok_path.read_bytes()[: tok_path.stat().st_size // 2])
    with pytest.raises(MedflError, match="truncated.model is not a valid"):
        Tokenizer.load(truncated)
    empty = tmp_path / "empty.model"
    empty.write_bytes(b"")
    with pytest.raises(MedflError, match="empty.model"):
        Tokenizer.load(empty)


def test_bytes_round_trip_and_save(tmp_path, tok):
    t2 = Tokenizer.from_bytes(tok.to_bytes())
    assert t2.sha256 == tok.sha256 and t2.encode("chest pain") == tok.encode("chest pain")
    saved = t2.save(tmp_path / "sub" / "copy.model")
    assert Tokenizer.load(saved).sha256 == tok.sha256


def test_cli_tokenizer_trains_from_prepared_dirs_and_refuses_unprepared(tmp_path, texts):
    import json

    from typer.testing import CliRunner

    from medfl.client.cli import app
    from medfl.client.prepare import MANIFEST, TRAIN, VAL, sha256_file

    sites = []
    for i, chunk in enumerate((texts[:150], texts[150:])):
        d = tmp_path / f"site{i}"
        d.mkdir()
        lines = [json.dumps({"id": str(j), "text": t}) + "\n" for j, t in enumerate(chunk)]
        (d / TRAIN).write_text("".join(lines))
        (d / VAL).write_text(json.dumps({"id": "v", "text": chunk[0]}) + "\n")
        files = {n: {"sha256": sha256_file(d / n)} for n in (TRAIN, VAL)}
        (d / MANIFEST).write_text(json.dumps({"files": files}))
        sites.append(d)
    out = tmp_path / "tok.model"
    args = ["tokenizer", "--data", str(sites[0]), "--data", str(sites[1]), "--vocab-size", str(VOCAB),
            "--out", str(out)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    # Same documents as the in-process fixture (all of texts): the same tokenizer.
    expected = train_tokenizer(out_path=tmp_path / "direct.model", vocab_size=VOCAB, texts=texts)
    assert out.read_bytes() == expected.read_bytes()
    assert Tokenizer.load(out).sha256 in res.output

    (sites[1] / MANIFEST).unlink()
    res = CliRunner().invoke(app, args)
    assert res.exit_code != 0 and isinstance(res.exception, MedflError)
    assert str(sites[1]) in str(res.exception)
