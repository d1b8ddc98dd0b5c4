"""Dates (every element except a bare year) and ages over 89 (HIPAA Safe Harbor item 3).

Ambiguity handled here rather than in the engine: "5/5 strength", "7/10 pain" and "1/2 tab" are scores and
fractions, not dates; "may" is a verb unless capitalised; "the 4th ICS" is anatomy. Evidence that overrides
the fraction reading: an event word before ("vaccine given 6/10", "sent 1-29"), zero padding ("03/04"), a
line or device before a parenthesised month/day ("PICC (1/2)"), a time or a note header around it.
"""

from __future__ import annotations

import re

from medfl.privacy.deid.recognizers.base import MONTH_NAMES, MedflPatternRecognizer

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_M = r"(?i:" + MONTH + r")\.?"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MON_NUM = r"(?:0?[1-9]|1[0-2])"
_ORD = r"(?:[sS][tT]|[nN][dD]|[rR][dD]|[tT][hH])"  # any case: "14th", "MARCH 14TH"

_SCALE_BEFORE = re.compile(
    r"(?i)(?:pain|strength|score|scale|motor|power|grade|gcs|apgars?|reflexes|rated|rates|level|of|murmur|"
    r"sounds?|\bat|\bis|\bwas|\bx)\s*[:=]?\s*$"
)
_STRONG_SCALE = re.compile(r"(?i)(?:pain|strength|score|scale|motor|power|grade|gcs|apgars?|reflexes|rated|"
                           r"rates|murmur|sounds?)\s*[:=]?\s*$")
_SCALE_AFTER = re.compile(
    r"(?i)\s*(?:pain|strength|in|bilat|bilaterally|tabs?|tablets?|of|strength|scale|motor|power|murmur|amps?\b|"
    r"vials?|bags?|caps?\b|capsules?|pills?|puffs?|drops?|cups?|glass|bottles?|syringes?|doses?|lr\b|d5|"
    r"holosystolic|systolic|diastolic|ns|normal saline|dose|x\b|times|cm|mm|mg|ml)"
)
# "3/5 @ 1400", "3/5 at 08:00", "1/10 1330", "1/3 8:45 AM", "1/6 NOC": a date with a time or a shift
_TIME_AFTER = re.compile(
    r"[ \t]*(?:(?:@|at)[ \t]*[0-2]?\d:?[0-5]\d\b|(?:[01]\d|2[0-3])[0-5]\d(?![\w/.,:])|[0-2]?\d:[0-5]\d\b|"
    r"(?i:noc\b|am\b|pm\b|shift\b))"
)
# a note or hand-off header right before: "NURSING NOTE 1/6", "Sign-out 5/6", "Progress note, 3/4:"
_HEADER_BEFORE = re.compile(
    r"(?i)\b(?:note|sign-?out|hand-?off|addendum|update|progress|rounds|shift|summary|report|entry|event|"
    r"admit|admission|discharge|seen|visit|dated|d/c|f/u)\b[ \t:,-]*\n?[ \t]*$"
)
# an event verb or a scheduling word right before a bare month/day makes it a date even when it looks like a
# fraction: "vaccine given 6/10", "collected 3/6", "filled 1/4", "Next tx 1/3", "start 2/5", "sent 1-29"
_EVENT = (
    r"(?:given|administered|collected|drawn|obtained|sent|filled|refilled|dispensed|started|start|stopped|stop|"
    r"held|resumed|due|next|last|tx|treatment|dialysis|infusion|vaccine|vaccinated|immunized|received|"
    r"done|performed|placed|inserted|removed|changed|seen|admitted|discharged|transferred|scheduled|planned|"
    r"booked|since|on|until|through|thru|from|dated|expires?|exp|resulted|reported|signed|surgery|op|onset|"
    r"began|begun|ended|died|expired|delivered|born|screen(?:ed)?|test(?:ed)?|visit|appt|appointment|f/u)"
)
_EVENT_BEFORE = re.compile(r"(?i)\b" + _EVENT + r"\b[ \t:,]*(?:on[ \t]+)?$")
# a line, tube or device named just before a parenthesised month/day: its placement date ("A-line L radial
# (1/2)", "PICC (3/4)", "R IJ CVC (2/6)")
_DEVICE_BEFORE = re.compile(
    r"(?i)\b(?:line|cvc|picc|port|ett|tube|foley|drain|catheter|cath|radial|femoral|ij|subclavian|ngt|ogt|peg|"
    r"trach|stent|pacer|pacemaker|icd|implant|graft|fistula|shunt|piv|iv)\b[^\n();,.]{0,12}\($"
)
_ORD_AFTER = re.compile(
    r"\s+(?i:percentile|grade|rib|ribs|intercostal|ics|cranial|nerve|digit|finger|toe|metatarsal|vertebra|"
    r"time|cycle|dose|floor|birthday|decade|trimester|lumbar|cervical|thoracic|day\s+of\s+(?:life|illness)|"
    r"postoperative|post-op|line|generation|degree|place|edition|round|attempt|fraction|pregnancy)\b"
)


class DateRecognizer(MedflPatternRecognizer):
    ENTITY = "DATE"
    PATTERNS = [
        (
            "iso",
            # glued to letters too: "on2021-03-04", "2021-03-04at0800"
            r"(?<![\d/.-])(?P<phi>(?:19|20)\d{2}([-/.])"
            + _MON_NUM
            + r"\2"
            + _DAY
            + r"(?:[T ]\d{2}:\d{2}(?::\d{2})?)?)"
            r"(?![\d/-])",
            0.9,
        ),
        (
            "mdy",
            # a 19xx/20xx year may be glued to letters or a time ("on01/02/2020at", "DOB:1/2/1950T14:00");
            # other forms are checked in validate_match
            r"(?<![\d/.-])(?P<phi>" + _MON_NUM + r"([/.-])" + _DAY + r"\2(?:(?:19|20)\d{2}(?![\d/])|"
            r"(?:\d{4}|'?\d{2})(?![\w/-]|\.\d)))",
            0.85,
        ),
        (
            "dmy",
            r"(?<![\w/.-])(?P<phi>(?:1[3-9]|2\d|3[01])([/.-])"
            + _MON_NUM
            + r"\2(?:\d{4}|\d{2}))(?![\w/-]|\.\d)",
            0.8,
        ),
        ("md", r"(?<![\w/.-])(?P<phi>" + _MON_NUM + r"/" + _DAY + r")(?![\w/]|\.\d)", 0.6),
        # dashed month-day after an event word: "since 1-14.", "screen sent 12-5;" ("2-3 tabs", "1-2 L" and
        # "3-4 weeks" are ranges: only punctuation, a line end or a joining word may follow)
        (
            "md_dash",
            r"(?<=[ \t:,])(?P<phi>" + _MON_NUM + r"-" + _DAY + r")"
            r"(?=[ \t]*(?:[.,;:)\]]|\n|$|(?i:and|at|@|when|after|before|per|by|with|to|until)\b))"
            r"(?![\w/.-]\w)",
            0.6,
        ),
        # month/year and year/month: "since 04/2014", "4-2019", "06.2021", "2019/04", "2021-06" (a fraction
        # or ratio has no 19xx/20xx year)
        (
            "my",
            r"(?<![\w/.:-])(?P<phi>" + _MON_NUM + r"[/.-](?:19|20)\d{2}|(?:19|20)\d{2}[/-](?:0[1-9]|1[0-2]))"
            r"(?![\w/-]|[.,]\d)",
            0.8,
        ),
        # the end of a range: "03/14/2021-03/20/2021", "3/14-3/20", "3/14 - 3/20"
        (
            "range_end",
            r"(?<=\d)[ \t]?[-\u2013][ \t]?(?P<phi>" + _MON_NUM + r"/" + _DAY + r"(?:/(?:\d{4}|\d{2}))?)"
            r"(?![\w/]|\.\d)",
            0.8,
        ),
        (
            "d_mon_y",
            r"(?<![\w/])(?P<phi>"
            + _DAY
            + _ORD
            + r"?(?:\s+of\s+|[\s-])"
            + _M
            + r"(?:,?[\s-]+(?:\d{4}|'?\d{2}))?)"
            r"(?![\w])",
            0.85,
        ),
        # dot- or slash-separated day/month-name/year: "03.Jan.2021", "3/JAN/21", "2021/Jan/03"
        (
            "d_mon_sep",
            r"(?<![\w./])(?P<phi>" + _DAY + r"([./])" + _M.replace("\\.?", "") + r"\2(?:\d{4}|\d{2})|"
            r"(?:19|20)\d{2}([./-])" + _M.replace("\\.?", "") + r"\3" + _DAY + r")(?![\w/])",
            0.85,
        ),
        (
            "mon_d_y",
            r"(?<![\w])(?P<phi>" + _M + r"[\s-]*" + _DAY + _ORD + r"?(?:,?\s+(?:\d{4}|'\d{2}))?)(?![\w:])",
            0.85,
        ),
        (
            "mon_y",
            r"(?<![\w])(?P<phi>(?:(?i:early|mid|late)-)?" + _M
            + r"(?:,?\s+|-)(?:of\s+)?(?:(?:19|20)\d{2}|'\d{2}))(?!\w)",
            0.8,
        ),
        # a weekday with a day number: "Tuesday the 14th", "Tue 3/14" (the weekday narrows the date)
        (
            "weekday",
            r"(?<![\w])(?P<phi>(?i:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?i:day|nesday|urday|sday)?\.?,?\s+"
            r"(?:the\s+)?" + _DAY + r"(?i:" + _ORD + r"))(?![\w])",
            0.85,
        ),
        (
            "mon_cued",
            r"(?i:\b(?=[a-z])(?:in|since|during|until|through|early|late|mid|mid-|last|next|this|of|by|from|before|"
            r"after|around)\s+)(?P<phi>(?:January|February|March|April|June|July|August|September|October|November|"
            r"December|JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER))\b",
            0.7,
        ),
        # compact and glued forms: "14MAR2021", "14-mar-21", "MAR142021"
        (
            "compact",
            r"(?<![\w])(?P<phi>\d{1,2}-?" + _M.replace("\\.?", "") + r"-?(?:\d{4}|\d{2})|"
            + _M.replace("\\.?", "") + r"\d{1,2},?\d{4})(?![\w])",
            0.85,
        ),
        (
            "the_ord",
            r"(?i:\b(?=[a-z])(?:the|on|by|until|since|from|before|after)\s+)(?P<phi>"
            + _DAY
            + r"(?i:"
            + _ORD
            + r"))(?!\w)",
            0.6,
        ),
        (
            "labelled",
            r"(?i:\b(?=[a-z])(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|dod|date\s+of\s+death|dos|date\s+of\s+"
            r"service|admit(?:ted)?|admission\s+date|discharge\s+date)\s*[:#]?\s*)(?P<phi>\d{6,8})(?!\d)",
            0.9,
        ),
    ]
    CONTEXT = [
        "on",
        "since",
        "date",
        "dated",
        "dob",
        "admitted",
        "discharged",
        "seen",
        "until",
        "from",
        "through",
        "f/u",
        "follow-up",
        "follow up",
        "appointment",
        "appt",
        "returned",
        "visit",
        "born",
        "started",
        "stopped",
        "last",
        "surgery",
        "procedure",
        "scheduled",
        "cxr",
        "ct",
        "mri",
        "echo",
        "ekg",
        "ecg",
        "imaging",
        "labs",
        "scan",
        "ultrasound",
        "x-ray",
        "film",
        "adm",
        "placed",
        "inserted",
        "removed",
        "note",
    ]
    GATES = {
        "weekday": ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        "mon_cued": tuple(m for m in MONTH_NAMES if m != "may"),
        "labelled": ("dob", "d.o.b", "birth", "dod", "death", "dos", "service", "admi", "discharge"),
    }

    _WEAK_CUES = frozenset({"on", "since", "until", "from", "through", "last", "started", "stopped"})

    def _dated(self, text: str, start: int) -> bool:
        """A date cue other than a preposition just before ("murmur 2/6" after "SpO2 90% on BiPAP" stays)."""
        return any(
            m.group(0).lower() not in self._WEAK_CUES
            for m in self._context_re.finditer(text, max(0, start - 15), start)
        )

    def validate_match(self, pattern, value, match, text):
        if pattern == "mdy" and match.start() and text[match.start() - 1].isalpha():
            if not re.search(r"[/.-](?:19|20)\d{2}$", value):
                return False  # "A1/2/34": a code; only a full 4-digit year makes a glued date
            return None
        if pattern == "md_dash":
            return True if _EVENT_BEFORE.search(text, max(0, match.start() - 30), match.start()) else False
        if pattern == "md":
            num, den = (int(x) for x in value.split("/"))
            if text[match.end() : match.end() + 1] == ":":  # "CXR 5/5: ..." a dated entry
                return None
            before = text[max(0, match.start() - 25) : match.start()]
            after = text[match.end() : match.end() + 20]
            scale_before = _SCALE_BEFORE.search(before)
            if scale_before and den > 10 and not _STRONG_SCALE.search(before):
                scale_before = None  # "NOTE OF 1/28", "seen at 11/17": a day of the month, not "4 of 5"
            if not scale_before and (
                _TIME_AFTER.match(text, match.end())
                or _HEADER_BEFORE.search(text, max(0, match.start() - 30), match.start())
            ):
                return True
            if scale_before or _SCALE_AFTER.match(after):
                return self._dated(text, match.start()) or False
            if text[match.end() : match.end() + 1] == ")" and _DEVICE_BEFORE.search(
                text, max(0, match.start() - 40), match.start()
            ):
                return True
            if value[0] == "0" or "/0" in value:
                return True  # "01/05", "| 03/04 |": zero-padded; fractions and scores are never padded
            if _EVENT_BEFORE.search(text, max(0, match.start() - 30), match.start()):
                return True
            if den in (5, 10, 4, 3, 2, 6) and num <= den:  # 4/5 strength, 7/10, 1/2: scores and fractions
                return self.has_context(text, match.start(), 15) or False
            return None
        if pattern in ("mon_d_y", "mon_y", "d_mon_y"):
            month_word = re.search(
                r"[A-Za-z]+", value[value.find(next(c for c in value if c.isalpha())) :]
            ).group(0)
            if month_word in (
                "may",
                "mar",
                "dec",
                "jan",
                "june",
                "july",
                "sept",
                "oct",
                "nov",
                "aug",
                "apr",
                "feb",
            ):
                return False  # lower-case: verb "may", "mar", "dec(reased)"; months are written capitalised
            return None
        if pattern == "the_ord" and _ORD_AFTER.match(text, match.end()):
            return False
        return None


class AgeRecognizer(MedflPatternRecognizer):
    """Ages of 90 and above (younger ages are not PHI under Safe Harbor)."""

    ENTITY = "AGE"
    _OLD = r"(?:9\d|1[01]\d|12[0-5])"
    PATTERNS = [
        (
            "years_old",
            r"(?<![\w.])(?P<phi>" + _OLD + r")(?:\s*|-)(?i:y/?o(?:/?[mf])?\b|yo[mf]?\b|y\.\s?o\.?|"
            r"yrs?\b(?:\s*old)?|years?(?:\s*|-)old|year-old|-year-old|yrs?-old|y-o\b|years?\s+of\s+age|"
            r"years?\b|y\b(?!\s*/))",
            0.95,
        ),
        (
            "labelled",
            r"(?i:\b(?=[a-z])(?:age|aged|ages|age\s+(?:of|is|was|now)|at\s+the\s+age\s+of)\s*[:=]?\s*)"
            r"(?P<phi>" + _OLD + r")(?![\w.]|\.\d)",
            0.9,
        ),
        # "SMITH, JOHN (92) M", "He is a (103) with ...": an age in brackets after a name or before a sex
        (
            "paren",
            r"(?<![\w.])\((?P<phi>" + _OLD + r")\)(?![\w%]|\s*(?i:%|mm|bpm|kg|lbs?|mg|cm|beats|breaths|/))",
            0.55,
        ),
        (
            "decade",
            r"(?i:\bin\s+(?:his|her|their)\s+(?:early\s+|mid\s+|late\s+|mid-)?)(?P<phi>(?:90|100)'?s|"
            r"nineties)\b",
            0.9,
        ),
        (
            "words",
            r"(?i)(?P<phi>\bninety(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|"
            r"\bone\s+hundred(?:\s+and)?(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine|ten))?)"
            r"(?=[\s-]+(?:years?[\s-]+old|years?\s+of\s+age|y/?o\b|yo\b|yrs?[\s-]+old))",
            0.95,
        ),
        (
            "words_labelled",
            r"(?i:\b(?=[a-z])(?:aged?|age\s+(?:of|is|was))\s*[:=]?\s*)(?P<phi>(?i:ninety|one\s+hundred)"
            r"(?i:[\s-]+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)\b",
            0.9,
        ),
        # a bare age after a person and a copula: "Zorvath is 93.", "she turned 101"
        (
            "cued_bare",
            r"(?i:\b(?=[a-z])(?:he|she|they|pt|patient|who|is|was|turned|turns|now|aged?|at\s+age)\s+)"
            r"(?P<phi>" + _OLD
            + r")(?![\w%/]|\.\d|\s*(?i:%|mm|bpm|kg|lbs?|mg|cm|beats|breaths|percent|degrees|over|/))",
            0.6,
        ),
        # "her 92nd birthday": an ordinal age
        ("birthday", r"(?<![\w.])(?P<phi>" + _OLD + r")(?i:st|nd|rd|th)[ \t]+(?i:birthday|bday|b-day)", 0.9),
        ("age_sex", r"(?<![\w.])(?P<phi>" + _OLD + r")\s?(?:M|F|yo\s?[MF]|y/o\s?[MF])\b", 0.6),
        # "F/92", "92/F", "M-93": sex and age written as a pair
        (
            "sex_age",
            r"(?:(?<=\b[MF][/-])|(?<![\w/.-])(?=" + _OLD + r"/[MF]\b))(?P<phi>" + _OLD + r")(?![\w.]|\.\d)",
            0.7,
        ),
    ]
    CONTEXT = ["age", "aged", "year old", "yo", "elderly", "nonagenarian", "centenarian"]
    GATES = {
        "decade": ("90", "100", "ninet"),
        "words": ("ninety", "hundred"),
        "words_labelled": ("ninety", "hundred"),
        "birthday": ("birthday", "bday", "b-day"),
        "sex_age": ("m/", "f/", "/m", "/f", "m-", "f-"),
        "paren": ("(9", "(1"),
    }
    _VITAL_BEFORE = re.compile(
        r"(?i)\b(?:sats?|spo2|o2|hr|pulse|heart\s+rate|rate|bp|temp|t|weight|wt|glucose|bs|fsbg|rr|hgb|score|"
        r"level|count|plt|na|cl|bun|k|ef|saturation|saturating|systolic|diastolic|map|sbp|dbp|cr|creat|"
        r"creatinine|alt|ast|alk|ldh|ck|cpk|trop|tsh|a1c|ldl|hdl|tg|chol|ferritin|b12|folate|mcv|hct|wbc|glu|"
        r"gluc|lipase|bnp|pao2|pco2|po2|fio2|peep|uop|egfr|gfr|ca|mg|phos|alb|bili|inr|ptt|iq|fev1|fvc)\b"
        r"[^.;\n]{0,12}$"
    )

    def validate_match(self, pattern, value, match, text):
        start = match.start()
        if pattern in ("cued_bare", "paren") and self._VITAL_BEFORE.search(text, max(0, start - 25), start):
            return False  # "O2 sat is 94", "HR was 96", "glucose (104)": a vital sign or lab, not an age
        return None
