"""The synthetic note generator: exact gold spans, determinism, disjoint tuning/held-out worlds, coverage."""

import re

import pytest

from medfl.privacy.deid.synthetic import (
    NOTE_KINDS,
    PHI_TYPES,
    faker_names,
    generate_notes,
    name_pool_words,
    tuning_style,
)
from medfl.privacy.deid.synthetic_heldout import heldout_style

SETS = ("tuning", "heldout")


@pytest.fixture(scope="module")
def notes():
    return {ts: generate_notes(300, 11, ts) for ts in SETS}


def _class(ch: str) -> str:
    return "d" if ch.isdigit() else "a" if ch.isalpha() else "o"


@pytest.mark.parametrize("ts", SETS)
def test_spans_are_exact_disjoint_and_token_aligned(notes, ts):
    for n in notes[ts]:
        text = n["text"]
        assert len(n["spans"]) == len(n["span_kinds"])
        prev_end = 0
        for (s, e, t), kind in zip(n["spans"], n["span_kinds"], strict=True):
            value = text[s:e]
            assert 0 <= prev_end <= s < e <= len(text), (n["id"], s, e)  # in order, no overlap
            prev_end = e
            assert t in PHI_TYPES and kind.split(":")[0] == t
            assert value == value.strip() and value
            # a span never starts or ends inside a letter run or a digit run
            if s > 0:
                assert not (_class(text[s - 1]) == _class(text[s]) != "o"), (n["id"], value)
            if e < len(text):
                assert not (_class(text[e - 1]) == _class(text[e]) != "o"), (n["id"], value)
        phi = [(s, e) for s, e, _ in n["spans"]]
        for s, e, term in n["clinical_terms"]:
            assert text[s:e] == term
            assert not any(s < pe and ps < e for ps, pe in phi), (n["id"], term)


@pytest.mark.parametrize("ts", SETS)
def test_templates_fully_expanded_and_kinds_present(notes, ts):
    for n in notes[ts]:
        assert not re.search(r"[{}]|\[\[|\]\]|<<|>>", n["text"]), n["template"]
    assert {n["kind"] for n in notes[ts][:5]} == set(NOTE_KINDS)
    for n in notes[ts]:
        if n["kind"] == "nursing":
            assert n["text"] == n["text"].upper()  # ALL-CAPS nursing notes


@pytest.mark.parametrize("ts", SETS)
def test_every_phi_type_and_required_format_occurs(notes, ts):
    types = {t for n in notes[ts] for _, _, t in n["spans"]}
    assert types == set(PHI_TYPES)
    kinds = {k for n in notes[ts] for k in n["span_kinds"]}
    # the date formats issue 3 names: 7/22, Mar 3, 3-Mar-2021, 2021-03-03, 03/14/21, the 14th
    for fmt in ("md", "mon_d", "d_mon_y", "iso", "mdy2", "nth"):
        assert f"DATE:{fmt}" in kinds, fmt
    for form in ("NAME:lf", "NAME:LF", "NAME:full", "NAME:last", "NAME:fl"):
        assert form in kinds, form
    assert sum(k.startswith("NAME:ini") for k in kinds) >= 1  # initials
    ages = [n["text"][s:e] for n in notes[ts] for s, e, t in n["spans"] if t == "AGE"]
    assert ages and all(int(a) > 89 for a in ages)  # only ages over 89 are PHI
    terms = [t for n in notes[ts] for *_, t in n["clinical_terms"]]
    for abbr in ("CHF", "PO", "BID", "SOB", "HTN", "GI"):
        assert any(t.upper() == abbr for t in terms), abbr


def test_heldout_is_messier(notes):
    kinds = {k for n in notes["heldout"] for k in n["span_kinds"]}
    assert {"NAME:lower", "NAME:brk", "DATE:compact", "DATE:dots"} <= kinds

    # line breaks in the middle of a sentence: common in held-out notes, absent from tuning ones
    def odd_breaks(ts):
        return sum(bool(re.search(r"[a-z] ?\n[a-z]", n["text"])) for n in notes[ts] if n["kind"] != "nursing")

    assert odd_breaks("heldout") > 30 and odd_breaks("tuning") == 0


def test_deterministic_by_seed():
    for ts in SETS:
        a, b = generate_notes(25, 5, ts), generate_notes(25, 5, ts)
        assert a == b
        assert [n["text"] for n in generate_notes(25, 6, ts)] != [n["text"] for n in a]
    assert generate_notes(3, 5, "tuning")[0]["text"] != generate_notes(3, 5, "heldout")[0]["text"]


def test_template_sets_and_pools_are_disjoint():
    tu, ho = tuning_style(), heldout_style()
    assert not {t.text for t in tu.templates} & {t.text for t in ho.templates}
    assert not {t.name for t in tu.templates} & {t.name for t in ho.templates}
    assert not name_pool_words(tu) & name_pool_words(ho)
    assert not {c.lower() for c in tu.cities} & {c.lower() for c in ho.cities}
    assert not set(tu.street_names) & set(ho.street_names)
    assert not set(tu.hospitals + tu.facilities) & set(ho.hospitals + ho.facilities)
    for st in (tu, ho):
        assert {t.kind for t in st.templates} == set(NOTE_KINDS)
        assert all(sum(t.kind == k for t in st.templates) >= 3 for k in NOTE_KINDS)
    # held-out names are not in Faker's en_US lists, which a de-identifier is likely to use as a dictionary
    en_us = {n.lower() for lst in faker_names(("en_US",)) for n in lst}
    assert not name_pool_words(ho) & en_us


def test_pools_can_be_swapped():
    cross = generate_notes(40, 3, "heldout", pools="tuning")
    tuning_names = name_pool_words(tuning_style())
    names = {
        w.lower()
        for n in cross
        for (s, e, _), k in zip(n["spans"], n["span_kinds"], strict=True)
        if k.startswith("NAME:") and not k.startswith("NAME:ini")
        for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", n["text"][s:e])
    }
    assert names and names <= tuning_names  # held-out templates, tuning names
    assert {n["template"] for n in cross} <= {t.name for t in heldout_style().templates}


def test_unknown_template_set():
    with pytest.raises(ValueError, match="not a template set"):
        generate_notes(1, 0, "validation")
    with pytest.raises(ValueError, match="not a template set"):
        generate_notes(1, 0, "heldout", pools="other")
