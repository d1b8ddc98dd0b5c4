"""medfl.core_model.fertility: hand-checkable figures, the shipped term list and reference tokenizer."""

import json
import random

import pytest

from medfl.core_model.errors import MedflError
from medfl.core_model.fertility import (
    REFERENCE_TOKENIZER_PATH,
    MedicalTerm,
    fertility_report,
    fertility_table,
    load_medical_terms,
    load_reference_tokenizer,
    term_token_counts,
)
from medfl.core_model.tokenizer import Tokenizer, train_tokenizer

WORDS = "patient presents with chest pain history of hypertension started metoprolol daily follow up".split()


@pytest.fixture(scope="module")
def tok(tmp_path_factory):
    rng = random.Random(0)
    texts = [" ".join(rng.choice(WORDS) for _ in range(40)) for _ in range(200)]
    path = train_tokenizer(out_path=tmp_path_factory.mktemp("tok") / "t.model", vocab_size=400, texts=texts)
    return Tokenizer.load(path)


@pytest.fixture(scope="module")
def mistral():
    return load_reference_tokenizer()


def test_hand_checkable_report(tok):
    # Preconditions, checked rather than assumed: known words are one piece, unseen letters are bytes.
    assert tok.pieces("x patient")[-1] == "▁patient" and tok.pieces("x metoprolol")[-1] == "▁metoprolol"
    assert tok.pieces("patient ŧŧ")[1:] == ["▁", "<0xC5>", "<0xA7>", "<0xC5>", "<0xA7>"]  # 5 tokens
    texts = {
        "a": ["patient patient patient", "metoprolol daily"],  # 3 + 2 tokens, 3 + 2 words
        "b": ["ŧŧ patient"],  # 5 + 1 tokens, 2 words
    }
    terms = [MedicalTerm("metoprolol", "drugs"), MedicalTerm("ŧŧ", "drugs"), MedicalTerm("patient", "other")]
    rep = fertility_report({"ours": tok}, texts, terms=terms)
    assert rep["sources"]["a"] == {"docs": 2, "words": 5, "ours": {"tokens": 5, "tokens_per_word": 1.0}}
    assert rep["sources"]["b"] == {"docs": 1, "words": 2, "ours": {"tokens": 6, "tokens_per_word": 3.0}}
    assert rep["all"]["docs"] == 3 and rep["all"]["words"] == 7
    assert rep["all"]["ours"] == {"tokens": 11, "tokens_per_word": 11 / 7}
    med = rep["medical_terms"]
    assert med["n_terms"] == 3 and med["categories"] == {"drugs": 2, "other": 1}
    assert med["ours"]["tokens_per_term"] == pytest.approx((1 + 5 + 1) / 3)
    assert med["ours"]["single_token_share"] == pytest.approx(2 / 3)
    assert med["ours"]["by_category"] == {"drugs": 3.0, "other": 1.0}
    assert rep["tokenizers"]["ours"] == {"vocab_size": 400, "sha256": tok.sha256}
    json.dumps(rep)  # JSON-ready


def test_term_counts_use_running_text_convention(tok, mistral):
    # Mistral v1 (pinned file) splits metoprolol as ▁met|op|rol|ol: 4 tokens with the space marker.
    assert mistral.pieces("x metoprolol")[1:] == ["▁met", "op", "rol", "ol"]
    assert term_token_counts(mistral, ["metoprolol", "patient"]) == [4, 1]
    # Counting the term as it sits in a sentence gives the same number.
    for t in (tok, mistral):
        for term in ("metoprolol", "hypertension", "cholecystectomy"):
            n, n_daily = term_token_counts(t, [term, "daily"])
            assert len(t.encode(f"started {term} daily")) == len(t.encode("started")) + n + n_daily


def test_reference_tokenizer_is_the_pinned_mistral_v1(mistral):
    assert REFERENCE_TOKENIZER_PATH.is_file()
    assert mistral.sha256 == "dadfd56d766715c61d2ef780a525ab43b8e6da4de6865bda3d95fdef5e134055"
    assert mistral.vocab_size == 32000
    with pytest.raises(MedflError, match="missing.model not found"):
        load_reference_tokenizer("/nonexistent/missing.model")


def test_shipped_term_list():
    terms = load_medical_terms()
    names = [t.term for t in terms]
    assert len(names) >= 300 and len(set(names)) == len(names)
    cats = {t.category for t in terms}
    assert cats == {"drugs", "anatomy", "procedures", "diagnoses"}
    assert all(len(n.split()) == 1 and n == n.lower() for n in names)


def test_term_list_errors(tmp_path):
    bad = tmp_path / "terms.txt"
    bad.write_text("# category: drugs\naspirin\nmyocardial infarction\n")
    with pytest.raises(MedflError, match=r"terms.txt:3: terms must be single words"):
        load_medical_terms(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    with pytest.raises(MedflError, match="empty.txt has no terms"):
        load_medical_terms(empty)


def test_general_tokenizer_spends_more_tokens_per_medical_term(mistral):
    # Sanity of the shipped list against the seed's range for general tokenizers (2.5-3.5).
    rep = fertility_report({"mistral_v1": mistral}, {})
    assert 2.0 < rep["medical_terms"]["mistral_v1"]["tokens_per_term"] < 4.0


def test_table_and_cli(tmp_path, tok):
    from rich.console import Console
    from typer.testing import CliRunner

    from medfl.client.cli import app
    from medfl.client.prepare import MANIFEST, TRAIN, VAL, sha256_file

    rep = fertility_report({"ours": tok}, {"siteA": ["patient with chest pain"]})
    console = Console(record=True, width=160)
    console.print(fertility_table(rep))
    out = console.export_text()
    assert "siteA: tokens/word" in out and "medical terms: tokens/term" in out

    site = tmp_path / "siteA"
    site.mkdir()
    (site / TRAIN).write_text(json.dumps({"id": "t", "text": "daily"}) + "\n")
    (site / VAL).write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n"
                                    for i, t in enumerate(["patient with chest pain", "follow up daily"])))
    files = {n: {"sha256": sha256_file(site / n)} for n in (TRAIN, VAL)}
    (site / MANIFEST).write_text(json.dumps({"files": files}))
    tok_path = tok.save(tmp_path / "tok.model")
    js = tmp_path / "fert.json"
    args = ["fertility", "--tokenizer", str(tok_path), "--data", str(site), "--json", str(js)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    got = json.loads(js.read_text())
    assert set(got["tokenizers"]) == {"medfl", "mistral_v1"}
    assert got["sources"]["siteA"]["words"] == 7 and got["sources"]["siteA"]["docs"] == 2
    assert got["sources"]["siteA"]["medfl"]["tokens"] == len(tok.encode("patient with chest pain")) + len(
        tok.encode("follow up daily"))
