"""Tokenizer fertility: how many tokens a tokenizer spends per word and per medical term.

Conventions (the same for every tokenizer compared)
- Tokens per word: total tokens of each held-out document (no <s>/</s>) divided by its whitespace
  words (``len(text.split())``), summed over the documents of a source, i.e. a token-weighted ratio.
- Tokens per medical term: the unweighted mean over the term list, each term counted as it is encoded
  in running text after a space (with its leading "▁" marker):
  ``len(encode("x " + term)) - len(encode("x"))``. SentencePiece never merges across a space, so this is
  exactly the term's share of a sentence, whatever the tokenizer's dummy-prefix setting.
- The term list (``resources/medical_terms.txt``) holds single lowercase words in four categories
  (drugs, anatomy, procedures, diagnoses); the report also gives the per-category means and the share of
  terms that are a single token.
- The general-purpose baseline is the Mistral v1 SentencePiece model (Apache-2.0), shipped in
  ``data/tokenizers/``.

Reports are plain dicts (JSON-ready); :func:`fertility_table` renders one with rich.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from medfl.core_model.errors import MedflError
from medfl.core_model.tokenizer import Tokenizer

log = logging.getLogger(__name__)

MEDICAL_TERMS_PATH = Path(__file__).resolve().parent / "resources" / "medical_terms.txt"
# Shipped with the repository (not the wheel): <repo>/data/tokenizers/.
REFERENCE_TOKENIZER_PATH = Path(__file__).resolve().parents[1] / "data/tokenizers/mistral_v1_tokenizer.model"
REFERENCE_NAME = "mistral_v1"
_CONTEXT = "x"  # a word to stand before each term, so the term is encoded as in running text
_BATCH = 256


@dataclass(frozen=True)
class MedicalTerm:
    term: str
    category: str


def load_medical_terms(path: str | Path = MEDICAL_TERMS_PATH) -> list[MedicalTerm]:
    """Read a term list: one single-word term per line, ``# category: NAME`` lines start a category."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise MedflError(f"medical term list {path} cannot be read: {e}") from None
    terms: list[MedicalTerm] = []
    category = "uncategorised"
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("#"):
            if line[1:].strip().lower().startswith("category:"):
                category = line.split(":", 1)[1].strip()
            continue
        if not line:
            continue
        if len(line.split()) != 1:
            raise MedflError(f"{path}:{lineno}: terms must be single words")
        terms.append(MedicalTerm(line, category))
    if not terms:
        raise MedflError(f"medical term list {path} has no terms")
    return terms


def load_reference_tokenizer(path: str | Path | None = None) -> Tokenizer:
    """The general-purpose baseline (Mistral v1) from the repository's ``data/tokenizers/``."""
    path = Path(path) if path is not None else REFERENCE_TOKENIZER_PATH
    if not path.exists():
        raise MedflError(f"reference tokenizer {path} not found (it ships in the repository's "
                         f"data/tokenizers/; pass its path explicitly)")
    return Tokenizer.load(path)


def term_token_counts(tok: Tokenizer, terms: Sequence[str]) -> list[int]:
    """Tokens each term takes in running text (see module docstring for the convention)."""
    base = len(tok.encode(_CONTEXT))
    return [len(ids) - base for ids in tok.encode_batch([f"{_CONTEXT} {t}" for t in terms])]


def _text_counts(tok: Tokenizer, texts: Iterable[str]) -> tuple[int, int, int]:
    """(docs, words, tokens) over texts, encoded in batches."""
    n_docs = n_words = n_tokens = 0
    batch: list[str] = []

    def flush() -> None:
        nonlocal n_tokens
        n_tokens += sum(len(ids) for ids in tok.encode_batch(batch))
        batch.clear()

    for text in texts:
        n_docs += 1
        n_words += len(text.split())
        batch.append(text)
        if len(batch) >= _BATCH:
            flush()
    if batch:
        flush()
    return n_docs, n_words, n_tokens


def fertility_report(
    tokenizers: Mapping[str, Tokenizer],
    texts_by_source: Mapping[str, Iterable[str] | Sequence[str]],
    *,
    terms: Sequence[MedicalTerm] | None = None,
) -> dict:
    """Fertility of each tokenizer on each source's texts and on the medical term list.

    Args:
        tokenizers: display name -> tokenizer (e.g. {"medfl": ours, "mistral_v1": reference}).
        texts_by_source: source/site name -> held-out documents. Iterables are materialised once so that
            every tokenizer sees the same documents.
        terms: the medical term list (default: the shipped one).

    Returns ``{"tokenizers": {name: {vocab_size, sha256}}, "sources": {source: {docs, words, <name>:
    {tokens, tokens_per_word}}}, "all": {...same, summed...}, "medical_terms": {n_terms, categories:
    {cat: n}, <name>: {tokens_per_term, single_token_share, by_category: {cat: mean}}}}``.
    """
    if not tokenizers:
        raise ValueError("need at least one tokenizer")
    terms = list(terms) if terms is not None else load_medical_terms()
    report: dict = {
        "tokenizers": {n: {"vocab_size": t.vocab_size, "sha256": t.sha256} for n, t in tokenizers.items()},
        "sources": {},
    }
    total = {"docs": 0, "words": 0, **{n: {"tokens": 0} for n in tokenizers}}
    for source, texts in texts_by_source.items():
        texts = list(texts)
        row: dict = {}
        for name, tok in tokenizers.items():
            n_docs, n_words, n_tokens = _text_counts(tok, texts)
            row.update(docs=n_docs, words=n_words)
            row[name] = {"tokens": n_tokens, "tokens_per_word": _ratio(n_tokens, n_words)}
            total[name]["tokens"] += n_tokens
        if not texts:
            row.update(docs=0, words=0)
        total["docs"] += row["docs"]
        total["words"] += row["words"]
        report["sources"][source] = row
    for name in tokenizers:
        total[name]["tokens_per_word"] = _ratio(total[name]["tokens"], total["words"])
    report["all"] = total

    categories: dict[str, int] = {}
    for t in terms:
        categories[t.category] = categories.get(t.category, 0) + 1
    med: dict = {"n_terms": len(terms), "categories": categories}
    for name, tok in tokenizers.items():
        counts = term_token_counts(tok, [t.term for t in terms])
        by_cat = {c: _mean([n for n, t in zip(counts, terms, strict=True) if t.category == c])
                  for c in categories}
        med[name] = {
            "tokens_per_term": _mean(counts),
            "single_token_share": _ratio(sum(n == 1 for n in counts), len(counts)),
            "by_category": by_cat,
        }
    report["medical_terms"] = med
    return report


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _mean(xs: Sequence[int]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def fertility_table(report: dict):
    """A rich Table: one row per source (+ all, + medical terms), one column per tokenizer."""
    from rich.table import Table

    names = list(report["tokenizers"])
    table = Table(title="Tokenizer fertility (lower is better)")
    table.add_column("text")
    table.add_column("docs", justify="right")
    table.add_column("words/terms", justify="right")
    for n in names:
        table.add_column(f"{n}\n(vocab {report['tokenizers'][n]['vocab_size']})", justify="right")

    def fmt(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    for source, row in report["sources"].items():
        table.add_row(f"{source}: tokens/word", str(row["docs"]), str(row["words"]),
                      *(fmt(row[n]["tokens_per_word"]) for n in names))
    a = report["all"]
    table.add_row("all: tokens/word", str(a["docs"]), str(a["words"]),
                  *(fmt(a[n]["tokens_per_word"]) for n in names), style="bold", end_section=True)
    med = report["medical_terms"]
    for cat, k in med["categories"].items():
        table.add_row(f"{cat}: tokens/term", "", str(k), *(fmt(med[n]["by_category"][cat]) for n in names))
    table.add_row("medical terms: tokens/term", "", str(med["n_terms"]),
                  *(fmt(med[n]["tokens_per_term"]) for n in names), style="bold")
    table.add_row("medical terms: single-token share", "", "",
                  *(fmt(med[n]["single_token_share"]) for n in names))
    return table
