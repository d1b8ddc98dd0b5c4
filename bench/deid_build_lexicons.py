"""Build generated de-id lexicons: international name lists (Faker) and a medical word list (MedQuAD).

    python bench/deid_build_lexicons.py [--corpus FILE.jsonl ...]

--corpus adds public medical text (JSONL with a "text" field) to the shipped data/sites/*/raw sample: the
shipped proper_allow.txt / medical_corpus_vocab.txt were built with the full MedQuAD (CC BY 4.0, github
abachaa/MedQuAD @577bd37b, one JSONL per source) and PubMedQA PQA-L (MIT, github pubmedqa/pubmedqa @1cbae8e9)
files; sources named like a HOLDOUT_SITES site (MedlinePlus, NIDDK, SeniorHealth) are skipped.

- privacy/deid/lexicons/{first,last}_names_intl.txt from Faker's person providers (MIT, installed).
- privacy/deid/lexicons/medical_corpus_vocab.txt: words written in lower case at least twice in the shipped
  medical corpus (data/sites/*/raw, MedQuAD CC BY 4.0 / PubMedQA MIT), minus every name-list entry. A word a
  medical text writes in lower case is a term, not a name, so the allow-list pass leaves it alone when it is
  capitalised ("Keratitis", "Orthopnea"). Sites in HOLDOUT_SITES are left out so that the MedQuAD scrub rate
  can be measured on text the list was not built from.
- privacy/deid/lexicons/proper_allow.txt: capitalised words of the same corpus that are no PHI (organisms,
  brand drugs, agencies: "Acinetobacter", "Aricept", "Ontology"): written capitalised inside a sentence >= 3
  times, never right after "in"/"from"/"near"/"at" (place names), not in any name or city list; plus
  Faker's en_US lorem words and country names (MIT; countries are larger than a state, not PHI).

Design choices
- Every Faker locale whose names fold to Latin letters (ASCII after NFKD) contributes: real notes carry
  names of every origin, and the en_US lists alone miss most of them. Non-Latin scripts fold to nothing, so
  ja_JP / zh_CN / zh_TW contribute their romanized lists and Cyrillic / Greek names are transliterated
  (ru_RU "Сергей" -> "sergei"; one romanisation, so "Sergey" may still be missing).
- Eponyms (proper_allow.txt): a capitalised word followed by a disease/sign head noun in the corpus
  ("Dupuytren contracture", "Zenker diverticulum") is a term, even if seen once; name-list entries stay out
  (the allow-list pass decides those by context).
- Ordinary English words (english_vocab.txt, common_words.txt) and medical allow-list entries are left out:
  a name list entry is evidence on its own, and "Will", "Rose", "Foley" must not be.
- Deterministic: sorted output, so the lexicon diff is reviewable.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import unicodedata
from pathlib import Path

import faker.providers.person as person

LEX = Path(__file__).resolve().parents[1] / "privacy" / "deid" / "lexicons"
_NAME = re.compile(r"[A-Za-z][A-Za-z'-]*[a-z]")


_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґαβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e iu ia i i ie g "
        "a v g d e z i th i k "
        "l m n x o p r s s t y f ch ps o a e i i o y o i y i y".split(),
        strict=True,
    )
)


_LATIN_EXTRA = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "Ae", "đ": "d", "Đ": "D",
                "ı": "i", "ð": "d", "þ": "th", "ου": "ou", "Ου": "Ou"}


def _fold(s: str) -> str:
    for a, b in _LATIN_EXTRA.items():  # letters NFKD does not decompose ("Łukasz", "Søren")
        s = s.replace(a, b)
    s = "".join(_TRANSLIT.get(c, c) if c.lower() == c else _TRANSLIT.get(c.lower(), c).title() for c in s)
    s = s.replace("_", "")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().strip()


def _words(path: Path) -> set[str]:
    return {
        ln.strip().lower() for ln in path.read_text().splitlines() if ln.strip() and not ln.startswith("#")
    }


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, action="append", default=[],
                    help="extra public medical JSONL (MedQuAD / PubMedQA files); holdout sources are skipped")
    args = ap.parse_args(argv)
    banned = (
        _words(LEX / "english_vocab.txt")
        | _words(LEX / "common_words.txt")
        | _words(LEX / "medical_allow.txt")
    )
    first, last = set(), set()
    for mod in pkgutil.iter_modules(person.__path__):
        p = getattr(importlib.import_module(f"{person.__name__}.{mod.name}"), "Provider", None)
        if p is None:
            continue
        for attr, out in (
            ("first_names", first),
            ("first_names_male", first),
            ("first_names_female", first),
            ("last_names", last),
            ("first_romanized_names", first),
            ("first_romanized_names_male", first),
            ("first_romanized_names_female", first),
            ("last_romanized_names", last),
        ):
            vals = getattr(p, attr, ()) or ()
            if not isinstance(vals, list | tuple | dict | set | frozenset):
                continue  # some providers expose computed properties, not lists
            for raw in vals:
                for part in re.split(r"[\s]+", _fold(str(raw))):
                    if len(part) >= 3 and _NAME.fullmatch(part) and part.lower() not in banned:
                        out.add(part.lower())
    header = (
        "# {} names from Faker's person providers, all Latin-script locales, ASCII-folded; ordinary"
        " English words removed; ja_JP/zh_CN/zh_TW romanized lists, Cyrillic/Greek transliterated."
        "\n# Generated by bench/deid_build_lexicons.py. Faker is MIT"
        " (LICENSE-faker.txt).\n"
    )
    (LEX / "first_names_intl.txt").write_text(header.format("First") + "\n".join(sorted(first)) + "\n")
    (LEX / "last_names_intl.txt").write_text(header.format("Last") + "\n".join(sorted(last)) + "\n")
    print(f"first: {len(first)}  last: {len(last)}")
    build_medical_vocab(first | last, args.corpus)


HOLDOUT_SITES = ("medlineplus", "niddk", "seniorhealth")
_HOLDOUT_FILE = re.compile(r"(?i)mplus|medlineplus|niddk|seniorhealth")  # the same sources in MedQuAD files


def _faker_places() -> set[str]:
    """Words of city/town/state names in Faker's address providers (all locales): never allow-listed."""
    import faker.providers.address as address

    out: set[str] = set()
    for mod in pkgutil.iter_modules(address.__path__):
        p = getattr(importlib.import_module(f"{address.__name__}.{mod.name}"), "Provider", None)
        for attr in ("cities", "city_names", "towns", "states", "provinces", "regions", "districts"):
            vals = getattr(p, attr, ()) if p is not None else ()
            if isinstance(vals, list | tuple | set | frozenset | dict):
                for raw in vals:
                    out |= {w.lower() for w in re.findall(r"[A-Za-z]{3,}", _fold(str(raw)))}
    return out


def _corpus_texts(extra: list[Path]):
    """Texts of data/sites/*/raw (minus HOLDOUT_SITES) and of extra JSONL files (minus holdout sources)."""
    import json

    root = LEX.parents[2] / "data" / "sites"
    files = [f for f in sorted(root.glob("*/raw/docs.jsonl")) if f.parts[-3] not in HOLDOUT_SITES]
    files += [f for f in extra if not _HOLDOUT_FILE.search(f.name)]
    for f in files:
        with f.open() as fh:
            for line in fh:
                d = json.loads(line)
                yield " ".join(str(d.get(k) or "") for k in ("text", "long_answer"))


def build_medical_vocab(intl_names: set[str], extra: list[Path] = ()) -> None:
    from collections import Counter

    from medfl.privacy.deid.recognizers.philter import _EPONYM_AFTER

    names = intl_names | _words(LEX / "first_names.txt") | _words(LEX / "last_names.txt")
    known = _words(LEX / "english_vocab.txt") | _words(LEX / "common_words.txt")
    cities = _words(LEX / "us_cities.txt") | _faker_places()
    counts: Counter = Counter()
    caps: Counter = Counter()
    placey: set[str] = set()
    eponyms: set[str] = set()
    word = re.compile(r"(?<![\w'-])([A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?=(?:'s?)?\s)")
    for text in _corpus_texts(list(extra)):
        counts.update(re.findall(r"(?<![\w'-])[a-z][a-z'-]{2,}[a-z](?![\w'-])", text))
        for m in re.finditer(r"(?<=[a-z,;] )([A-Z][A-Za-z'-]*[a-z]|[A-Z]{3,})(?![\w'-])", text):
            caps[m.group(1).lower()] += 1
        for m in re.finditer(r"\b(?:in|from|near|at) ([A-Z][a-z]+)", text):
            placey.add(m.group(1).lower())
        for m in word.finditer(text):  # "Dupuytren contracture", "Zenker's diverticulum"
            if _EPONYM_AFTER.match(text, m.end()):
                eponyms.add(m.group(1).lower())
    used = sorted({f.name for f in extra if not _HOLDOUT_FILE.search(f.name)})
    src = "data/sites/*/raw" + (" and " + ", ".join(used) if used else "")
    words = sorted(w for w, c in counts.items() if c >= 2 and w not in names and w not in known)
    (LEX / "medical_corpus_vocab.txt").write_text(
        f"# Words written in lower case >= 2 times in {src}\n# (MedQuAD CC BY 4.0, PubMedQA MIT), except "
        f"sites/sources {', '.join(HOLDOUT_SITES)}; minus name-list entries and\n# english_vocab.txt. "
        "Generated by bench/deid_build_lexicons.py.\n" + "\n".join(words) + "\n"
    )
    print(f"medical corpus vocab: {len(words)}")

    from faker.providers.address.en_US import Provider as Address
    from faker.providers.lorem.en_US import Provider as Lorem

    extra_words = {w.lower() for w in Lorem.word_list} | {
        w.lower() for c in Address.countries for w in re.findall(r"[A-Za-z]{3,}", c)
    }
    proper = {
        w for w, c in caps.items() if c >= 3 and w not in names and w not in cities and w not in placey
    }
    proper |= {w for w in eponyms if w not in names and w not in cities and w not in placey}
    proper = sorted((proper | (extra_words - names - cities)) - known)
    (LEX / "proper_allow.txt").write_text(
        f"# Capitalised non-PHI words of {src}\n# (MedQuAD CC BY 4.0, PubMedQA MIT; except sites/sources"
        f" {', '.join(HOLDOUT_SITES)}): mid-sentence capitals seen >= 3 times\n# and eponyms (a capitalised"
        " word before a disease/sign noun), name-list, city (us_cities.txt, Faker address data of"
        "\n# all locales) and after-'in/from/near/at' words removed;"
        " plus Faker en_US lorem words and country names (MIT). Generated by bench/deid_build_lexicons.py.\n"
        + "\n".join(proper)
        + "\n"
    )
    print(f"proper allow: {len(proper)} ({len(eponyms)} eponym candidates)")


if __name__ == "__main__":
    main()
