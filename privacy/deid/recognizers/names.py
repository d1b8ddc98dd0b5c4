"""Person names: patients, clinicians, relatives (Safe Harbor item 1).

No NER model (see engine.py): names come from dictionaries + context + capitalisation.
- Lexicons: Faker's en_US first/last names (MIT), name-shaped common words ("Hope", "Brown") that need
  stronger evidence, and the medical allow-list (eponyms "Foley", "Murphy", drugs, abbreviations): never a
  name without a title.
- Evidence, strongest first: a title ("Dr.", "MRS"), a credential ("Jane Roe, RN"), a label ("Attending:",
  "Signed by"), a relation word ("daughter Grace"), "LAST, FIRST", first+last pair, a dictation/signature
  mark, a single dictionary name. ALL-CAPS tokens (nursing notes) count only when in a name list.
- Every candidate is trimmed token by token (a cue can over-reach: "Dr. Smith Today") and each found name is
  propagated to its other mentions in the same document ("Mr. Smith ... Smith agreed").
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult

from medfl.privacy.deid.recognizers.base import (
    MONTH_ABBREVS,
    MONTH_NAMES,
    WEEKDAYS,
    MedflPatternRecognizer,
    load_lexicon,
)

_NAMEWORD = r"(?:(?:Mc|Mac|O'|D'|De|Di|La|Le|Van|Von)?[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)"
_CAPSWORD = r"(?:(?:[A-Z]')?[A-Z]{2,}(?:-[A-Z]{2,})?)"
_WORD = rf"(?:{_NAMEWORD}|{_CAPSWORD})"
_INI = r"(?:[A-Z](?:\.|(?![A-Za-z'-])))"  # an initial: "A." or a lone capital, never the start of a word
_SEQ = rf"(?:{_WORD}(?:[ \t]+{_INI})?(?:[ \t]+{_WORD}){{0,2}})"
_LASTFIRST = rf"(?:{_WORD}[ \t]*,[ \t]*{_WORD}(?:[ \t]+{_INI})?)"
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
_LOW_TOKEN = re.compile(r"(?<![\w'-])[a-z][a-z'-]*[a-z](?![\w'-])")
_CAP_TOKEN = re.compile(r"(?<![\w'-])[A-Z][A-Za-z'-]*[A-Za-z](?![\w'-])")

_TITLE_WORDS = {"mr", "mrs", "ms", "miss", "mx", "dr", "drs", "prof", "professor", "doctor"}
_TITLES = r"(?:mr|mrs|ms|miss|mx|dr|drs|prof|professor|doctor)"
_CREDENTIALS = (
    r"(?:MD|M\.D\.|DO|D\.O\.|RN|BSN|NP|PA-C|PA|APRN|CNP|FNP|FNP-BC|ANP|PhD|PharmD|RPh|LPN|LVN|CNA|MSW|"
    r"LCSW|DPT|OTR|RD|RRT|CRNA|DDS|DMD|MBBS|FACP|FACC|FACS|CNM)"
)
_STRONG_LABELS = (
    r"(?:attending|resident|fellow|intern|physician|surgeon|provider|author|signed(?:\s+electronically)?\s+by|"
    r"electronically\s+signed\s+by|dictated\s+by|transcribed\s+by|co-?signed\s+by|reviewed\s+by|"
    r"pcp|primary\s+care(?:\s+(?:physician|provider|doctor))?|referring(?:\s+(?:physician|provider|md|doctor))?|"
    r"consultant|case\s+manager|social\s+worker|emergency\s+contact|guardian|hcp|health\s+care\s+proxy|proxy|poa|"
    r"next\s+of\s+kin|nok|patient\s+name|pt\s+name|name|patient|caregiver|interpreter|chaplain|cc|nurse|"
    r"seen\s+(?:by|with)|discussed\s+with|d/w|spoke\s+(?:with|to)|per|by|paged|called|notified|pt|ordering|"
    r"dictating|admitting|covering|on-call|cosign|witness|rn|np|pa)"
)
_RELATIONS = (
    r"(?:wife|husband|spouse|partner|daughter|son|mother|father|mom|dad|sister|brother|sibling|aunt|uncle|niece|"
    r"nephew|cousin|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|friend|neighbor|neighbour|"
    r"boyfriend|girlfriend|fiance|fiancee|roommate|stepson|stepdaughter|stepmother|stepfather)(?:-in-law)?(?:'s)?"
)


class NameRecognizer(MedflPatternRecognizer):
    ENTITY = "NAME"
    PATTERNS = [
        (
            "title",
            rf"\b(?i:{_TITLES})\b(?:(?P<dot>\.)[ \t]*\n?[ \t]*|[ \t]+)(?P<phi>(?:[A-Z]\.[ \t]*)?{_SEQ})",
            0.95,
        ),
        # lower-cased names after a title or relation ("dr. smith", "wife mary"): listed or no ordinary word
        (
            "lower_cued",
            rf"\b(?i:{_TITLES}\.?|{_RELATIONS})[ \t]+(?P<phi>[a-z][a-z'-]{{2,}}(?:[ \t]+[a-z][a-z'-]{{2,}})?)"
            rf"(?![\w'-])",
            0.85,
        ),
        # "(?![ \t]+\d{5})": "Boulevard, Haverhill, PA 01830" is a place with a state, not a PA's name
        (
            "credential",
            rf"(?P<phi>(?:{_INI}[ \t]*)?{_SEQ})[ \t]*,[ \t]*{_CREDENTIALS}(?![\w])(?![ \t]+\d{{5}})",
            0.9,
        ),
        (
            "credential_lf",
            rf"(?<![\w])(?P<phi>{_LASTFIRST})[ \t]*,[ \t]*{_CREDENTIALS}(?![\w])(?![ \t]+\d{{5}})",
            0.9,
        ),
        (
            "label",
            rf"\b(?i:{_STRONG_LABELS})\b[ \t]*(?P<colon>[:\-]?)[ \t]*(?P<phi>{_LASTFIRST}|{_SEQ})",
            0.9,
        ),
        # a name at the head of a line followed by age/sex or an MRN: "ROE, JANE (1234567)", "Jane Roe, 59 F"
        (
            "header",
            rf"(?m)^[ \t]*(?:(?i:pt|patient|name)[ \t]*:?[ \t]*)?(?P<phi>{_LASTFIRST}|{_SEQ})"
            rf"(?=[ \t]*(?:\((?:(?i:mrn|#)|[A-Z]{{0,3}}\d)|"
            rf",?[ \t]*\d{{1,3}}[ \t]*(?i:y/?o\b|yo\b|y\b|f\b|m\b|years?\b|-year)|"
            rf",?[ \t]+(?i:mrn|dob|age)\b))",
            0.85,
        ),
        ("sex_cue", rf"\b(?i:male|female|man|woman|gentleman|lady|boy|girl)\b[ \t]+(?P<phi>{_SEQ})", 0.85),
        (
            "relation",
            rf"\b(?i:(?:his|her|their|pt'?s|patient'?s)\s+)?(?i:{_RELATIONS})\b[ \t]*,?[ \t]*"
            rf"(?:\((?P<phi2>{_SEQ})\)|"
            rf"(?i:named[ \t]+|is[ \t]+)?(?P<phi>{_LASTFIRST}|(?:{_INI}[ \t]*)?{_SEQ}))",
            0.9,
        ),
        ("last_first", rf"(?<![\w])(?=(?P<phi>{_LASTFIRST}))", 0.9),
        # listed first name + listed surname; a single line break may split them ("Mary\nSmith")
        (
            "first_last",
            rf"(?<![\w'])(?=(?P<phi>{_WORD}(?:[ \t]+{_INI})?[ \t]*\n?[ \t]*(?<=\s){_WORD}))",
            0.85,
        ),
        (
            "initials_credential",
            rf"(?<![\w.])(?P<phi>[A-Z]\.[ \t]?[A-Z]\.(?:[ \t]?[A-Z]\.)?)[ \t]*,[ \t]*{_CREDENTIALS}"
            r"(?![\w])",
            0.9,
        ),
        # one part listed, the other no ordinary word: "Gertraude Wilson", "Julian Azevedo"
        (
            "half_listed",
            rf"(?<![\w'-])(?=(?P<phi>{_NAMEWORD}(?:[ \t]+{_INI})?[ \t]+{_NAMEWORD})(?![\w'-]))",
            0.8,
        ),
        # two lower-case words, a listed first name then a listed surname, neither an ordinary word
        ("lower_pair", r"(?<![\w'-])(?=(?P<phi>[a-z][a-z'-]+[ \t]+[a-z][a-z'-]+)(?![\w'-]))", 0.75),
        ("initial_last", rf"(?<![\w.])(?P<phi>[A-Z]\.[ \t]?(?:[A-Z]\.[ \t]?)?{_NAMEWORD})(?![\w])", 0.8),
        ("single", rf"(?<![\w'-])(?P<phi>{_NAMEWORD})(?![\w'-])", 0.6),
        ("single_caps", rf"(?<![\w'-])(?P<phi>{_CAPSWORD})(?![\w'-])", 0.4),
        ("dictation", r"(?<![\w/])(?P<phi>[A-Z]{2,3}/[a-z]{2,3})(?![\w/])", 0.75),
        (
            "initials_labelled",
            r"(?i:\binitials?\b)[ \t]*[:\-]?[ \t]*(?P<phi>[A-Z]\.?[ \t]?[A-Z]\.?(?:[ \t]?[A-Z]\.?)?)"
            r"(?![\w])",
            0.9,
        ),
        (
            "signature",
            r"(?m)^[ \t]*(?:--+|/s/|s/)[ \t]*(?P<phi>[A-Z][A-Za-z.'-]*(?:[ \t]+[A-Z][A-Za-z.'-]*){0,3})"
            r"[ \t]*$",
            0.85,
        ),
        ("dotted_initials", r"(?<![\w.])(?P<phi>[A-Z]\.[A-Z]\.(?:[A-Z]\.)?)(?![\w])", 0.55),
    ]
    CONTEXT = [
        "mr",
        "mrs",
        "ms",
        "dr",
        "pt",
        "patient",
        "wife",
        "husband",
        "daughter",
        "son",
        "mother",
        "father",
        "sister",
        "brother",
        "spoke",
        "with",
        "called",
        "per",
        "by",
        "family",
        "name",
        "signed",
        "visited",
        "bedside",
        "friend",
        "contact",
        "niece",
        "nephew",
        "attending",
        "nurse",
        "rn",
        "md",
    ]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_language=supported_language, name=name)
        self.first = load_lexicon("first_names.txt")
        self.last = load_lexicon("last_names.txt")
        self.names = self.first | self.last
        self.common = load_lexicon("common_words.txt")
        self.allow = load_lexicon("medical_allow.txt")
        self.vocab = load_lexicon("english_vocab.txt")
        self.streets = load_lexicon("street_suffixes.txt")
        self.months = set(MONTH_NAMES) | MONTH_ABBREVS | WEEKDAYS
        self.pair_stop = self.allow | self.months | self.common | self.streets

    # ---- token acceptance ---------------------------------------------------------------------
    def _ok(self, tok: str, level: str) -> bool:
        """level: 'strong'/'strong_caps' (title, label), 'relation', 'title_ok', 'lex' (must be listed)."""
        low = tok.lower()
        if low in _TITLE_WORDS:
            return False
        if len(tok) == 1:
            return level != "lex"  # a middle/first initial inside a cued name
        if low in self.allow or low in self.months:
            return False
        is_caps = tok.isupper()
        in_lex = low in self.names
        if level == "lex":
            return in_lex and low not in self.common
        if is_caps:
            if len(tok) <= 3 and not in_lex and level != "strong_caps":
                return False  # short capitals are abbreviations far more often than names ("HCP", "BPH")
            if in_lex or (level in ("strong_caps", "relation") and low not in self.common):
                return True
            # ALL-CAPS notes: after a person cue, a token that is no ordinary word is taken for a name
            return level == "title_ok" and low not in self.vocab and low not in self.common
        return low not in self.common or in_lex or level in ("strong", "strong_caps", "relation")

    def _trim(
        self, text: str, start: int, end: int, level: str, anchor_first: bool = False, title: bool = False
    ):
        """Keep the longest run of acceptable tokens starting at the first acceptable one."""
        toks = [(m.start() + start, m.end() + start, m.group()) for m in _TOKEN.finditer(text[start:end])]
        keep = []
        for i, (s, e, t) in enumerate(toks):
            if (
                title
                and i == 0
                and len(t) > 1
                and not (t.isupper() and t.lower() in self.allow)
                and t.lower() not in _TITLE_WORDS
            ):
                keep.append((s, e))  # "Dr. Foley": right after a title even an eponym is a name
                continue
            if keep and len(t) > 1 and t.lower() in self.last and not t.islower():
                keep.append((s, e))  # a surname that is also an eponym ("Wilson") after a given name
                continue
            ok = self._ok(t, level) and not (
                t.lower() in self.common
                and len(t) > 1
                and t.lower() not in self.names
                and level != "relation"
                and not (anchor_first and i == 0)
            )
            if ok:
                keep.append((s, e))
            elif keep:
                break
            elif anchor_first:
                return None
        if not keep or all(e - s == 1 for s, e in keep):
            return None
        s, e = keep[0][0], keep[-1][1]
        if e < end and text[e : e + 1] == "." and e - s >= 1 and text[e - 2 : e - 1] in (" ", "\t", "."):
            e += 1  # keep the period of a trailing initial ("John A.")
        return s, e

    # ---- analysis -----------------------------------------------------------------------------
    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        found: list[RecognizerResult] = []
        for pname, rx, score in self._compiled:
            for m in rx.finditer(text):
                group = "phi2" if "phi2" in rx.groupindex and m.group("phi2") else "phi"
                s, e = m.span(group)
                if s < 0 or s == e:
                    continue
                span = self._judge(pname, text, m, s, e)
                if span is not None:
                    found.append(self._result(span[0], span[1], score, pname))
        return found + self._propagate(text, found)

    def _judge(self, pname: str, text: str, m: re.Match, s: int, e: int):
        value = text[s:e]
        if pname == "title":
            level = "strong_caps" if m.group("dot") else "strong"
            if text[m.start() : m.start() + 2] in ("MS", "Ms") and not m.group("dot"):
                level = "lex"  # "MS" is also multiple sclerosis
            return self._trim(text, s, e, level, anchor_first=True, title=level != "lex")
        if pname == "credential":
            span = self._trim_right(text, s, e)
            return span
        if pname == "label":
            if "," in value:
                return (s, e) if self._last_first_ok(value, loose=True) else None
            level = "strong_caps" if m.group("colon") else "title_ok"
            return self._trim(text, s, e, level, anchor_first=True, title=bool(m.group("colon")))
        if pname == "lower_cued":
            keep = []
            for mm in _TOKEN.finditer(value):
                low = mm.group()
                named = low in self.names and low not in self.common
                unknown = low not in self.vocab and low not in self.common and low not in self.allow
                if not (named or unknown) or low in self.months:
                    break
                keep.append((s + mm.start(), s + mm.end()))
            return (keep[0][0], keep[-1][1]) if keep else None
        if pname == "credential_lf":
            return (s, e) if self._last_first_ok(value, loose=True, shape=True) else None
        if pname in ("relation", "sex_cue"):
            if "," in value:
                return (s, e) if self._last_first_ok(value, loose=True, shape=True) else None
            return self._trim(text, s, e, "relation", anchor_first=True)
        if pname == "header":
            if "," in value and self._last_first_ok(value, loose=True, shape=True):
                return s, e
            return self._trim(text, s, e, "title_ok", anchor_first=True)
        if pname == "last_first":
            return (s, e) if self._last_first_ok(value) else None
        if pname == "first_last":
            toks = _TOKEN.findall(value)
            first, last = toks[0], toks[-1]
            if first.isupper() != last.isupper():
                return None
            fl, ll = first.lower(), last.lower()
            if fl not in self.first or ll not in self.last or fl in self.allow or ll in self.allow:
                return None
            if fl in self.common and ll in self.common:
                return None
            return s, e
        if pname == "lower_pair":
            first, last = value.split()
            ok = first in self.first and last in self.last
            if not ok or any(t in self.vocab or t in self.common or t in self.allow for t in (first, last)):
                return None
            return s, e
        if pname == "half_listed":
            toks = _TOKEN.findall(value)
            first, last = toks[0].lower(), toks[-1].lower()
            if first in self.pair_stop or last in self.pair_stop:
                return None
            listed_first = first in self.first and last not in self.vocab
            if listed_first or last in self.last and first not in self.vocab:
                return s, e
            return None
        if pname == "initial_last":
            last = _TOKEN.findall(value)[-1].lower()
            return (
                (s, e) if last in self.names and last not in self.allow and last not in self.common else None
            )
        if pname in ("single", "single_caps"):
            low = value.lower()
            if pname == "single_caps" and len(value) < 3:
                return None
            if low not in self.names or low in self.common or low in self.allow or low in self.months:
                return None
            return s, e
        if pname == "dotted_initials":
            return None if value.lower() in self.allow else (s, e)
        if pname == "signature":
            return (
                self._trim(text, s, e, "strong_caps", anchor_first=True)
                if not value.isupper()
                or len(value.replace(".", "").replace(" ", "")) <= 3
                or any(t.lower() in self.names for t in _TOKEN.findall(value))
                else None
            )
        return s, e

    def _trim_right(self, text: str, s: int, e: int):
        """'Discussed with John Smith, MD' -> the acceptable tokens adjacent to the credential."""
        toks = [(mm.start() + s, mm.end() + s, mm.group()) for mm in _TOKEN.finditer(text[s:e])]
        keep = []
        for ts, te, t in reversed(toks):
            if (
                len(t) == 1
                or self._ok(t, "strong_caps" if t.isupper() else "strong")
                and (t.lower() not in self.common or t.lower() in self.names)
            ):
                keep.append((ts, te))
            else:
                break
        if not keep or all(te - ts == 1 for ts, te in keep):
            return None
        return keep[-1][0], keep[0][1]

    def _last_first_ok(self, value: str, loose: bool = False, shape: bool = False) -> bool:
        toks = _TOKEN.findall(value)
        last, first = toks[0].lower(), toks[1].lower()
        if last in self.allow or first in self.allow:
            return False
        if shape:  # evidence comes from the surrounding shape; the parts only must not be ordinary words
            return last not in self.common and first not in self.common and last not in self.months
        if (
            loose
        ):  # after a label ("Patient: DOE, JANE"): a listed name, or two words that are no ordinary words
            return (
                last in self.names
                or first in self.names
                or (last not in self.vocab and first not in self.vocab)
            )
        return last in self.last and first in self.first

    def _propagate(self, text: str, found: list[RecognizerResult]) -> list[RecognizerResult]:
        """Tag other capitalised mentions of the tokens of names found with evidence (score >= 0.5)."""
        loose, exact = set(), set()  # loose: any capitalisation; exact: ordinary words, same spelling only
        for r in found:
            if r.score < 0.5:
                continue
            for t in _TOKEN.findall(text[r.start : r.end]):
                low = t.lower()
                if len(t) > 2 and low not in self.allow and low not in self.months:
                    if low in self.common:
                        exact.add(t)
                    else:
                        loose.add(low)
        if not loose and not exact:
            return []
        return [
            self._result(m.start(), m.end(), 0.85, "propagated")
            for m in _CAP_TOKEN.finditer(text)
            if m.group().lower() in loose or m.group() in exact
        ] + [
            self._result(m.start(), m.end(), 0.8, "propagated")
            for m in _LOW_TOKEN.finditer(text)
            if m.group() in loose and m.group() not in self.vocab
        ]
