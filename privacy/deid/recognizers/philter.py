"""Allow-list pass (Philter-style): a proper-noun-shaped word that is no known word is presumed PHI.

After Norgeot et al. 2020, "Protected Health Information filter (Philter)", npj Digit. Med. 3:57: instead of
recognising every name and place form, recognise what is SAFE and scrub the rest. Pattern recognizers miss
names and places they have no list entry or cue for; this pass fails closed on them.

Design choices
- Candidates: a capitalised word (or, on an ALL-CAPS line, any alphabetic word of 3+ letters) that is in none
  of: english_vocab.txt (lower-case words of the medical corpus), common_words.txt, medical_allow.txt,
  medical_corpus_vocab.txt, proper_allow.txt (capitalised non-PHI words of the medical corpus: organisms,
  agencies, brands; countries), months/weekdays, state names, kin words; that has no clinical or English
  word shape (drug stems -olol/-pril/-mab..., disease suffixes -itis/-osis/-emia..., -tion/-ment on longer
  words, internal capitals "HFrEF", short capitals "BNP" in mixed-case text); and that the same note does not
  also write in lower case outside an e-mail/URL and not right after a person cue (a word written
  "keratitis" elsewhere is a term). A name-list entry (en_US + all Latin-script Faker locales) is always a
  candidate.
- Context scoring, not a hard rule: base 0.55 inside a sentence (a capital there marks a proper noun), 0.5
  at the start of a sentence, line or bullet (fail closed: notes start lines with names; known words are
  not candidates at all), 0.55 on an ALL-CAPS line but 0.35 for its 3-4 letter words (abbreviations);
  +0.3 for a name-list entry; +0.3 for a person/place cue just before ("Dr", "daughter", "from", "lives
  in") or a facility noun after; +0.2 next to another candidate. Threshold 0.5 (the registry's). Dropped
  outright: a word followed by a dose ("Zorbix 20 mg" is a brand drug), by an eponym noun ("Kawasaki
  disease", "Tinel's sign") or by a colon/# (a label: "Ext:", "Acct #").
- Lower-case names: an unknown lower-case word right after a strong person cue ("d/w krain", "husband
  zorvath") or before a relation in brackets ("quom (sister)").
- An initial or a name particle right before a scrubbed word goes with it ("J. Zorvath", "Van Kell");
  every scrubbed word is propagated to its other mentions in the note, any case ("ZORVATH", "zorvath").
- Type: LOCATION when a place cue ("in", "from", "at", "lives") or a facility noun is adjacent, else NAME.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from medfl.privacy.deid.recognizers.base import (
    MONTH_ABBREVS,
    MONTH_NAMES,
    WEEKDAY_ABBREVS,
    WEEKDAYS,
    MedflPatternRecognizer,
    load_lexicon,
)

# a word of letters in any script ("Zoë", "Łukasz", "O'Brien", "Kell-Zorvath"), an optional possessive apart
_WORD = re.compile(r"(?<![\w'])([^\W\d_]+(?:['-][^\W\d_]+)*?)(?:'s)?(?![\w'-])")
_PREFIXED = re.compile(r"(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|Vander|O'|D')[A-Z]")
_CLINICAL_SHAPE = re.compile(
    r"(?i)(?:itis|osis|oses|emia|aemia|oma|omas|ectomy|otomy|ostomy|plasty|scopy|graphy|gram|pathy|algia|uria|"
    r"cardia|trophy|plegia|paresis|lysis|penia|pnea|noea|cele|rrhea|rrhoea|megaly|sclerosis|genic|cytes?|"
    r"olol|pril|sartan|statin|azole|mycin|micin|cillin|floxacin|cycline|dipine|azepam|azolam|oxetine|"
    r"aline|mab|nib|parin|prazole|tidine|afil|vir|lukast|formin|gliptin|glitazone|triptan|setron|dronate|"
    r"terol|sone|olone|semide|thiazide|amide|pine|done|pam|lam|zine|xaban|gatran|caine|ium|ase|ine|centesis|"
    r"lactone|sorbide|nitrate|ated)$"
)
# English derivational endings: only on longer words, short names end like this too ("Jous", "Ed")
_ENGLISH_SHAPE = re.compile(
    r"(?i)^.{4,}(?:ed|ing|ly|tion|sion|ment|ness|ous|ive|ic|ical|ary|ory|ity|ism|ist|able|ible)$"
)
_DOSE_AFTER = re.compile(
    r"(?:'s)?[ \t]*\d+(?:\.\d+)?[ \t]*(?:mg|mcg|g|ml|units?|meq|iu|tabs?|puffs?)\b", re.I
)
_EPONYM_AFTER = re.compile(
    r"(?:'s?)?[ \t]+(?i:disease|syndrome|sign|test|maneuver|manoeuvre|reflex|palsy|phenomenon|procedure|"
    r"operation|score|criteria|classification|scale|catheter|tube|stage|type|lymphoma|sarcoma|tumou?r|"
    r"fracture|ulcer|ataxia|dystrophy|anomaly|esophagus|thyroiditis|encephalopathy|gait|node|nodes|cell|"
    r"cells|virus|bacteria|infection|fever|formula|equation|position|method|technique|solution)\b"
)
_PERSON_CUE = re.compile(
    r"(?i)(?:\b(?:mr|mrs|ms|miss|dr|drs|prof|doctor|pt|patient|wife|husband|spouse|partner|daughter|son|mother|"
    r"father|mom|dad|sister|brother|aunt|uncle|niece|nephew|cousin|grandson|granddaughter|friend|neighbou?r|"
    r"caregiver|guardian|proxy|hcp|poa|contact|by|with|per|to|cc|re|signed|seen|called|paged|spoke|d/w|"
    r"attending|resident|nurse|rn|np|pa|md|pcp|name|named|and|&)\.?)[ \t]*$"
)
_PLACE_CUE = re.compile(
    r"(?i)\b(?:in|from|at|to|near|of|lives|resides|living|moved|transferred|admitted|discharged|visiting|"
    r"home|facility|address)[ \t]*$"
)
_FACILITY_AFTER = re.compile(
    r"[ \t]+(?:Hospital|Medical|Health|Clinic|Rehab|Rehabilitation|Nursing|Hospice|Manor|Center|Centre|Care|"
    r"Home|Lodge|Village|Gardens|Residence|Living|Infirmary|Institute|Pharmacy|Valley|County|HOSPITAL|"
    r"MEDICAL|HEALTH|CLINIC|REHAB|NURSING|HOSPICE|MANOR|CENTER|CARE|HOME)\b"
)
_KIN_WORDS = (
    r"wife|husband|spouse|partner|daughter|son|mother|father|mom|dad|sister|brother|aunt|uncle|niece|nephew|"
    r"cousin|grandson|granddaughter|grandmother|grandfather|friend|neighbou?r|caregiver|guardian|proxy"
)
_LOWER_WORD = re.compile(r"(?<![\w'@./-])(?=[^\W\d_])[^\W\d_A-Z]{3,}(?![\w'@/-]|\.\w)")
_LOWER_CUE = re.compile(
    r"(?i)\b(?:mr|mrs|ms|dr|pt|patient|" + _KIN_WORDS + r"|d/w|spoke\s+(?:with|to)|called|paged|signed\s+by|"
    r"seen\s+by|per|cc)\.?[ \t]*$"
)
_RELATION_AFTER = re.compile(r"[ \t]*\((?i:" + _KIN_WORDS + r"|pcp|rn|md|np|pa)\)")
_LABEL_AFTER = re.compile(r"[ \t]*[:#]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]|\n[ \t]*(?:[-*\u2022]|\d+[.)])?)[ \t\"'(]*$")
_PARTICLE_BEFORE = re.compile(
    r"(?<![\w])(?:Van|Von|Vander|Der|Den|De|Da|Di|Du|Del|Della|Dos|La|Le|Al|El|Bin|Ibn|St\.?|Ste\.?)"
    r"(?:[ \t]+(?:la|le|der|den))?[ \t]+$"
)
_INITIAL_BEFORE = re.compile(r"(?<![\w.])[A-Z]\.?[ \t]+$")
_KIN = {  # cue words themselves (ALL-CAPS notes: "CONTACT NIECE ...")
    "niece",
    "nephew",
    "daughter",
    "son",
    "wife",
    "husband",
    "spouse",
    "sister",
    "brother",
    "mother",
    "father",
    "aunt",
    "uncle",
    "cousin",
    "grandson",
    "granddaughter",
    "grandmother",
    "grandfather",
    "stepson",
    "stepdaughter",
    "fiance",
    "fiancee",
    "boyfriend",
    "girlfriend",
    "roommate",
    "caregiver",
    "guardian",
    "pt",
}
_GEO_AND_DISCOURSE = {  # larger than a state, or sentence adverbs the lower-case vocabulary rarely holds
    "asia",
    "asian",
    "europe",
    "european",
    "africa",
    "african",
    "america",
    "american",
    "americans",
    "latin",
    "hispanic",
    "caucasian",
    "english",
    "spanish",
    "french",
    "german",
    "chinese",
    "furthermore",
    "moreover",
    "however",
    "additionally",
    "overall",
    "nonetheless",
    "meanwhile",
    "otherwise",
    "therefore",
}
_RECORD_LABELS = {  # field labels of notes and forms, abbreviated ("Acct 1234", "Chaplain visited")
    "acct",
    "mrn",
    "dob",
    "dod",
    "fin",
    "csn",
    "har",
    "rm",
    "ext",
    "tel",
    "pgr",
    "fax",
    "ssn",
    "mbi",
    "npi",
    "dea",
    "vin",
    "apt",
    "ste",
    "dept",
    "addr",
    "pcp",
    "attg",
    "encntr",
    "chaplain",
    "admin",
    "acc",
}
_MONTHS = set(MONTH_NAMES) | MONTH_ABBREVS | WEEKDAYS | WEEKDAY_ABBREVS


class UnknownWordRecognizer(MedflPatternRecognizer):
    """Capitalised words that no allow-list knows: NAME (or LOCATION next to a place cue)."""

    ENTITY = "NAME"
    PATTERNS = [("unknown_word", _WORD.pattern, 0.55)]
    CONTEXT: list[str] = []  # scored in `analyze` (position, cues, neighbours), see the module docstring
    BASE_INSIDE, BASE_START, BASE_CAPS, BASE_CAPS_SHORT = 0.55, 0.5, 0.55, 0.35
    NAME_BOOST, CUE_BOOST, NEIGHBOUR_BOOST = 0.3, 0.3, 0.2
    THRESHOLD = 0.5

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_language=supported_language, name=name)
        self.known = (
            load_lexicon("english_vocab.txt")
            | load_lexicon("common_words.txt")
            | load_lexicon("medical_allow.txt")
            | load_lexicon("medical_corpus_vocab.txt")
            | load_lexicon("proper_allow.txt")
            | load_lexicon("states.txt")
            | frozenset(_MONTHS)
            | frozenset(_KIN)
            | frozenset(_GEO_AND_DISCOURSE)
            | frozenset(_RECORD_LABELS)
        )
        self.names = (
            (
                load_lexicon("first_names.txt")
                | load_lexicon("last_names.txt")
                | load_lexicon("first_names_intl.txt")
                | load_lexicon("last_names_intl.txt")
            )
            - load_lexicon("common_words.txt")
            - load_lexicon("medical_allow.txt")
        )

    # ---- candidate test ------------------------------------------------------------------------
    def _unknown(self, tok: str, caps_line: bool, text: str) -> bool:
        low = tok.lower()
        if low in self.known or len(tok) < 3 and low not in self.names:
            return False
        parts = re.split(r"['-]", low)
        if len(parts) > 1 and all(p in self.known or len(p) < 2 for p in parts):
            return False  # "Follow-up", "X-ray"
        if tok.isupper() and not caps_line and len(tok) <= 4:
            return False  # short capitals in mixed-case text are abbreviations ("OSA", "MGUS"), listed or not
        if low in self.names:
            return True
        if _CLINICAL_SHAPE.search(low) or _ENGLISH_SHAPE.match(low) or self._written_lower(low, text):
            return False
        if tok.isupper():
            return caps_line and len(tok) >= 3 or len(tok) >= 5
        # no internal capitals ("HFrEF", "SpO2") except after a hyphen or a name prefix ("Kell-Zor", "McX")
        return all(not any(c.isupper() for c in p[1:]) or _PREFIXED.match(p) for p in re.split(r"-", tok))

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        caps_lines = _caps_lines(text)
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)] if caps_lines else []
        cands = []  # (start, end, word)
        for m in _WORD.finditer(text):
            tok = m.group(1)
            caps = caps_lines[bisect_right(line_starts, m.start()) - 1] if caps_lines else False
            if not (caps or tok[0].isupper()):
                continue
            if self._unknown(tok, caps, text):
                cands.append((m.start(1), m.end(1), tok, caps))
        results, found = [], set()
        for i, (s, e, tok, caps) in enumerate(cands):
            if _DOSE_AFTER.match(text, e) or _EPONYM_AFTER.match(text, e) or _LABEL_AFTER.match(text, e):
                continue  # a brand drug, an eponym, or a label ("Ext:", "Acct:")
            before = text[max(0, s - 30) : s]
            start = bool(_SENTENCE_START.search(before))
            if caps:  # short capitals on an ALL-CAPS line are mostly abbreviations ("VSS", "CPAP")
                score = self.BASE_CAPS if len(tok) > 4 else self.BASE_CAPS_SHORT
            else:
                score = self.BASE_START if start else self.BASE_INSIDE
            if tok.lower() in self.names:
                score += self.NAME_BOOST
            place = bool(_PLACE_CUE.search(before)) or bool(_FACILITY_AFTER.match(text, e))
            if _PERSON_CUE.search(before) or place:
                score += self.CUE_BOOST
            if (i > 0 and _adjacent(text, cands[i - 1][1], s)) or (
                i + 1 < len(cands) and _adjacent(text, e, cands[i + 1][0])
            ):
                score += self.NEIGHBOUR_BOOST
            if score < self.THRESHOLD:
                continue
            ini = _INITIAL_BEFORE.search(text, max(0, s - 4), s)
            if ini and not place:
                s = ini.start()
            particle = _PARTICLE_BEFORE.search(text, max(0, s - 8), s)
            if particle:  # "Van Bravfaelt", "de la Zorvath", "St. Quix"
                s = particle.start()
            found.add(tok.lower())
            results.append(self._typed(s, e, min(score, 0.95), "LOCATION" if place else "NAME"))
        for m in _LOWER_WORD.finditer(text):  # lower-case names: "d/w krain (sister)", "husband zorvath"
            low = m.group()
            if (
                not low[0].islower()
                or low in self.known
                or _CLINICAL_SHAPE.search(low)
                or _ENGLISH_SHAPE.match(low)
            ):
                continue
            if _LOWER_CUE.search(text, max(0, m.start() - 25), m.start()) or _RELATION_AFTER.match(
                text, m.end()
            ):
                found.add(low)
                results.append(self._typed(m.start(), m.end(), 0.75, "NAME"))
        if found:  # other mentions of a scrubbed word, any capitalisation
            seen = {r.start for r in results}
            for m in re.finditer(r"(?<![\w'-])[A-Za-z][A-Za-z'-]*[A-Za-z](?![\w'-])", text):
                if m.group().lower() in found and m.start() not in seen:
                    results.append(self._typed(m.start(), m.end(), 0.8, "NAME"))
        return results

    @staticmethod
    def _written_lower(low: str, text: str) -> bool:
        """The note also writes the word in lower case, other than after a person cue ("wife mary")."""
        # not inside an e-mail address or URL ("tryr.seinsus@x.org" is no evidence that "Seinsus" is a term)
        for m in re.finditer(r"(?<![\w'@./-])" + re.escape(low) + r"(?![\w'@/-]|\.\w)", text):
            if not _PERSON_CUE.search(text[max(0, m.start() - 20) : m.start()]):
                return True
        return False

    def _typed(self, s: int, e: int, score: float, entity: str):
        r = self._result(s, e, score, "unknown_word")
        r.entity_type = entity
        return r


def _adjacent(text: str, end: int, start: int) -> bool:
    return 0 <= start - end <= 2 and text[end:start] in (" ", "\t", ", ", ",", "  ")


def _caps_lines(text: str) -> list[bool] | None:
    """Per line: True when its letters are (nearly) all capitals and it has 3+ words; None if no such line."""
    out, any_caps = [], False
    for line in text.split("\n"):
        letters = [c for c in line if c.isalpha()]
        caps = (
            len(letters) >= 12
            and sum(c.isupper() for c in letters) >= 0.9 * len(letters)
            and len(line.split()) >= 3
        )
        any_caps |= caps
        out.append(caps)
    return out if any_caps else None
