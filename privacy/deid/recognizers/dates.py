"""Dates (every element except a bare year) and ages over 89 (HIPAA Safe Harbor item 3).

Ambiguity handled here rather than in the engine: "5/5 strength", "7/10 pain" and "1/2 tab" are scores and
fractions, not dates; "may" is a verb unless capitalised; "the 4th ICS" is anatomy. Evidence that overrides
the fraction reading: an event word before ("vaccine given 6/10", "sent 1-29"), zero padding ("03/04"), a
line or device before a parenthesised month/day ("PICC (1/2)"), a time or a note header around it, a
weekday before it ("Fri 5/10"), a follow-up cue before a bracketed one ("RTC 1 week (4/4)"), the end of a
capitalised title line ("SECLUSION FLOWSHEET 3/3"), or its place as a dated entry (`md_entry_date`).
Ages: a number 90-125 next to any age/sex marker or after an age label in any spelling is an age unless a
vital sign, a lab, a unit or a temperature explains it.
"""

from __future__ import annotations

import re

from medfl.privacy.deid.recognizers.base import MONTH_NAMES, MedflPatternRecognizer, by_first_letter, lead

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_M = r"(?i:" + MONTH + r")\.?"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MON_NUM = r"(?:0?[1-9]|1[0-2])"

# a month name's letters after its first one, by first letter (the alternation of MONTH, regrouped)
_MONTH_TAILS = (r"(?<=j)(?:an(?:uary)?|une?|uly?)|(?<=f)eb(?:ruary)?|(?<=m)(?:ar(?:ch)?|ay)|"
                r"(?<=a)(?:pr(?:il)?|ug(?:ust)?)|(?<=s)ep(?:t(?:ember)?)?|(?<=o)ct(?:ober)?|(?<=n)ov(?:ember)?|"
                r"(?<=d)ec(?:ember)?")


def _month_word_start(prefixed: bool = False) -> str:
    """_M (a month name in any case, then an optional dot) at a word start, led by its consumed first letter
    (base.lead): a faster scan than "(?<![\\w])" + _M, with the same matches. `prefixed`: "early-", "mid-"
    or "late-" may come first ("mid-March")."""
    first = "[EeMmLlJjFfAaSsOoNnDd]" if prefixed else "[JjFfMmAaSsOoNnDd]"
    pre = r"(?<=e)arly-" + _M + r"|(?<=m)id-" + _M + r"|(?<=l)ate-" + _M + "|" if prefixed else ""
    return lead(first, r"\w") + r"(?i:" + pre + r"(?:" + _MONTH_TAILS + r")\.?)"


def _mon_num_after(not_after: str) -> str:
    """A month number (as _MON_NUM) not right after a character of `not_after`, led by a consumed digit
    (base.lead): a faster scan than "(?<![not_after])" + _MON_NUM, with the same matches."""
    return lead("[0-9]", not_after) + r"(?:(?<=0)[1-9]|(?<=[1-9])|(?<=1)[0-2])"


_MON_WORD = r"jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec"
_MON_SEP = r"[/._\\-]"  # between the parts of a month-name date: "Mar/4/2021", "04_Mar_2021", "4\\Mar\\21"
_ORD = r"(?:[sS][tT]|[nN][dD]|[rR][dD]|[tT][hH])"  # any case: "14th", "MARCH 14TH"

_SCALE_BEFORE = re.compile(
    r"(?i)(?:pain|strength|score|scale|motor|power|grade|gcs|apgars?|reflexes|rated|rates|level|of|murmur|\bfx|"
    r"fractions?|"
    r"sounds?|\bat|\bis|\bwas|\bx)\s*[:=]?\s*$"
)
_STRONG_SCALE = re.compile(r"(?i)(?:pain|strength|score|scale|motor|power|grade|gcs|apgars?|reflexes|rated|"
                           r"\bfx|fractions?|rates|murmur|sounds?)\s*[:=]?\s*$")
_SCALE_AFTER = re.compile(
    r"(?i)\s*(?:pain|strength|in|bilat|bilaterally|tabs?|tablets?|of|strength|scale|motor|power|murmur|amps?\b|"
    r"vials?|bags?|caps?\b|capsules?|pills?|puffs?|drops?|cups?|glass|bottles?|syringes?|doses?|lr\b|d5|"
    r"holosystolic|systolic|diastolic|ns|normal saline|dose|x\b|times|cm|mm|mg|ml|"
    # counted specimens: "2/14 nodes", "3/12 cores positive", "4/6 criteria"
    r"(?:lymph\s+)?nodes?\b|lns?\b|cores?\b|criteria|specimens?\b|slides?\b|blocks?\b|biopsies|fragments?\b)"
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
    r"done|performed|placed|inserted|removed|removal|clinic|changed|seen|admitted|discharged|transferred|scheduled|planned|"
    r"booked|since|on|until|through|thru|from|dated|expires?|exp|resulted|reported|signed|surgery|op|onset|"
    r"began|begun|ended|died|expired|delivered|born|screen(?:ed)?|test(?:ed)?|visit|appt|appointment|f/u|"
    r"called|phoned|spoke|contacted|notified|messaged|e-?mailed|faxed|s/p|status\s+post|"
    # messages and calls are dated: "portal msg 4/4", "voicemail 3/2", "letter 5/6"
    r"msg|message|voicemail|vm|letter|e-?mail|texted|"
    # fertility and obstetric events: "retrieval 3/4", "ET 3/9", "trigger 3/2", "LMP 2/14", "EDD 11/20"
    r"retrieval|retrieved|trigger(?:ed)?|iui|et|fet|lmp|edd|edc|"
    # meetings, custody and death investigation: "family meeting 3/4", "released 2/9", "pronounced 1/6"
    r"meeting|conference|huddle|intake|released|arrested|incarcerated|court|hearing|pronounced|found|autopsy|"
    # returns to work, school or duty: "return to work 2/5", "RTW 3/1", "back to school 9/3"
    r"(?:return(?:s|ed|ing)?|back|cleared)\s+(?:to|for)\s+(?:full\s+|light\s+|regular\s+)?"
    r"(?:work|school|duty|play|sports?|class|practice|activity|activities)|rtw|rts)"
)
_EVENT_BEFORE = re.compile(r"(?i)\b" + _EVENT + r"\b[ \t:,]*(?:on[ \t]+)?$")
# a line, tube or device named just before a parenthesised month/day: its placement date ("A-line L radial
# (1/2)", "PICC (3/4)", "R IJ CVC (2/6)")
_DEVICE_BEFORE = re.compile(
    r"(?i)\b(?:line|cvc|picc|port|ett|tube|foley|drain|catheter|cath|radial|femoral|ij|subclavian|ngt|ogt|peg|"
    r"trach|stent|pacer|pacemaker|icd|implant|graft|fistula|shunt|piv|iv)\b[^\n();,.]{0,12}\($"
)
# weekday names in title or upper case ("Fri", "FRI", "Friday"); lower-case "sat"/"sun"/"wed" are words
_WEEKDAY = "(?:" + "|".join(
    f"{w[:1].upper()}{w[1:]}|{w.upper()}"
    for w in ("monday", "mon", "tuesday", "tues", "tue", "wednesday", "wed", "thursday", "thurs", "thur",
              "thu", "friday", "fri", "saturday", "sat", "sunday", "sun")
) + ")"
# day ordinals in words: "first" ... "thirty-first"
_ORD_WORD = (
    r"(?i:(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
)
# what a weekday may name: "3/4", "3/4/21", "March 4th", "Mar 4, 2021"
_WD_DATE = (r"(?:" + _MON_NUM + r"[/.-]" + _DAY + r"(?:[/.-](?:(?:19|20)\d{2}|'?\d{2}))?(?![\w/]|[.-]\d)|"
            + _M + r"[ \t]+" + _DAY + _ORD + r"?(?:,?[ \t]+\d{4})?(?![\w/])|"
            # day then month: "Fri 22-Jan", "Wed 17 Oct"
            + _DAY + r"[- ]" + _M.replace("\\.?", "") + r"(?:-(?:\d{4}|\d{2})|[ ](?:19|20)\d{2})?(?![\w/:]))")
# a follow-up or return cue, or a duration, earlier on the line before a bracketed month/day: "RTC 1 week
# (4/4)", "f/u in 2 wks (3/10)", "return visit (1/6)", "recheck labs (2/3)"
_FOLLOWUP_BEFORE = re.compile(
    r"(?i)(?:\b(?:rtc|return(?:s|ing)?|follow(?:s|ing)?[- ]?up|f/u|fu|recheck|re-check|revisit|appt|"
    r"appointment|clinic|visit|next|due|scheduled|sched|booked|see|seen|until|through|thru|after|before|by|yesterday|today|"
    r"tonight|tomorrow|overnight|last\s+night|this\s+(?:am|pm|morning|evening)|(?:week|wk|weekend)\s+of)\b|"
    r"\b\d+[ \t]*(?:d|days?|wks?|weeks?|mos?|months?)\b)[^\n]{0,40}\($"
)
# words that make a number pair on its line a score, not a date: exam grades, scales, fractions
_SCALE_LINE = re.compile(
    r"(?i)\b(?:pain|strength|motor|power|grade|gcs|apgars?|reflex(?:es)?|dtrs?|murmur|score|scale|rated|rates|"
    r"tabs?|tablets?|dose|ue|le|rue|lue|rle|lle|bilat\w*|grip|flexion|extension|abduction|adduction|deltoids?|"
    r"biceps|triceps|quads?|hamstrings?|hip|knee|ankle|wrist|elbow|shoulder|oriented|a&o|aao|aox|aaox)\b"
)
# a title line (every word capitalised, no digits): "RESTRAINT / SECLUSION FLOWSHEET 3/3", "Wound Care Log
# 5/10"
_TITLE_WORD = r"(?:[A-Z][A-Za-z'&-]*|of|and|the|for|to|in|&|/|-|:|,|\|)"
_TITLE_LINE = re.compile(r"^[ \t]*" + _TITLE_WORD + r"(?:[ \t]+" + _TITLE_WORD + r")*[ \t:,-]*$")


# "week of 3/4", "as of 3/4", "Day 0 = 3/4", "POD 2: 3/6": a period or a numbered day named by its date
_PERIOD_BEFORE = re.compile(
    r"(?i)(?:\b(?:week|wk|weekend|night|morning|evening|afternoon|as)\s+of|\b(?:day|pod|hd|dol)\s*#?\s*[+-]?\d+"
    r"\s*[=:])\s*$"
)
# a month/day then a range word right before: "between 3/1 and 3/4", "from 3/1 to 3/4"
_RANGE_BEFORE = re.compile(
    r"(?<![\d/])\d{1,2}/\d{1,2}(?:/\d{2,4})?[ \t]*(?:-|\u2013|to|and|thru|through|or)[ \t]*$"
)
# a past event named a few words earlier on the line: "s/p CABG 3/4", "h/o MI 3/4", "status post fall 2/3"
_PAST_BEFORE = re.compile(r"(?i)\b(?:s/p|status\s+post|h/o|hx\s+of|history\s+of)\b[^\n.;,()]{0,25}$")
# a record noun right after: "per 3/4 note", "3/4 labs reviewed", "the 2/3 visit", "1/6 CT"
_RECORD_AFTER = re.compile(
    r"[ \t]+(?i:notes?|labs?|visit|appt|appointment|entry|call|message|encounter|consult|admission|discharge|"
    r"surgery|procedure|imaging|ct|mri|cxr|echo|ekg|ecg|report|results?|orders?|rounds|clinic|telephone|"
    r"phone|televisit|f/u|follow-?up)\b"
)
# a date cue right before a lower-case month name: "date may 9", "since july 3", "msg may 4"
_LOWER_CUE_BEFORE = re.compile(
    r"(?i)\b(?:date[sd]?|on|since|until|from|by|before|after|msg|message|note|seen|called|due|next|last|"
    r"started|stopped|dob|admitted|discharged|visit|appt)\b[ \t:,-]*$"
)
# "next doses 5/10", "last infusion 3/4", "due date 5/10": a scheduling word then one noun
# ... or a planned, expected or missed one: "anticipated discharge 1/5", "missed dose 2/2"
_NEXT_BEFORE = re.compile(
    r"(?i)\b(?:next|last|due|first|final|prior|previous|anticipated|expected|estimated|projected|planned|"
    r"target|tentative|missed|skipped|refused)[ \t]+[a-z]+[ \t:,]*$"
)
# an appointment or follow-up named earlier on the line: "APPT OUR LADY HOSPITAL 8/10"
_APPT_LINE = re.compile(r"(?i)\b(?:appts?|appointments?|f/u|follow-?up|rtc|scheduled|sched)\b[^\n]{0,60}$")
# common fractions: a bracketed "(1/2)" or "(3/4)" needs a follow-up cue to be a date
_COMMON_FRACTIONS = frozenset({(1, 2), (1, 3), (2, 3), (1, 4), (3, 4)})


def md_entry_date(text: str, start: int, end: int, num: int, den: int) -> bool:
    """A bare month/day with no scale evidence around it, dated by its place: after a past-event cue a few
    words back, at the start of a line (a dated entry "3/4 - BP high", "- 3/4 labs"), before a record noun,
    or alone in brackets ("POD#2 (3/6)")."""
    line_start = text.rfind("\n", 0, start) + 1
    if _PAST_BEFORE.search(text, max(line_start, start - 40), start):
        return True
    if re.fullmatch(r"[ \t]*(?:[-*\u2022>][ \t]*)?", text[line_start:start]):
        return True
    if _RECORD_AFTER.match(text, end):
        return True
    return (
        text[start - 1 : start] == "("
        and text[end : end + 1] == ")"
        and (num, den) not in _COMMON_FRACTIONS
        and not _SCALE_LINE.search(text, max(line_start, start - 30), start)
    )


def title_line_end(text: str, start: int, end: int) -> bool:
    """True if [start, end) closes a title line: nothing but blanks after it on its line, a capitalised,
    digit-free title of at least one 4-letter word before it, and no exam or scale word in that title."""
    nl = text.find("\n", end)
    if text[end : nl if nl >= 0 else len(text)].strip():
        return False
    line = text[text.rfind("\n", 0, start) + 1 : start]
    return (
        len(line) <= 80
        and _TITLE_LINE.match(line) is not None
        and re.search(r"[A-Za-z]{4}", line) is not None
        and _SCALE_LINE.search(line) is None
    )


_ORD_AFTER = re.compile(
    r"\s+(?i:percentile|grade|rib|ribs|intercostal|ics|cranial|nerve|digit|finger|toe|metatarsal|vertebra|"
    r"time|cycle|dose|floor|birthday|decade|trimester|lumbar|cervical|thoracic|day\s+of\s+(?:life|illness)|"
    r"postoperative|post-op|line|generation|degree|place|edition|round|attempt|fraction|pregnancy)\b"
)


# a cue and one short word (a typo'd "the") before a day ordinal: "on tbe 7th", "due by teh 21st"
_ORD_CUE_BEFORE = re.compile(
    r"(?i)\b(?:on|by|until|till|since|from|before|after|due|rtc|thru|through)[ \t]+[a-z]{1,4}[ \t]+$"
)


class DateRecognizer(MedflPatternRecognizer):
    ENTITY = "DATE"
    PATTERNS = [
        # a month name between any separators: "Dec/12/2018", "12/Dec/2018", "Dec.12.2018", "12-Dec-18"
        (
            "mon_sep",
            # (any of "/._\\-" between the parts, in file names too: "scan_04_Mar_2021.pdf", "2021_Mar_04")
            r"(?<![A-Za-z0-9/.-])(?P<phi>(?i:" + _MON_WORD + r")" + _MON_SEP + _DAY + _MON_SEP
            + r"(?:(?:19|20)\d{2}|'?\d{2})|"
            + _DAY + _MON_SEP + r"(?i:" + _MON_WORD + r")" + _MON_SEP + r"(?:(?:19|20)\d{2}|'?\d{2})|"
            r"(?:19|20)\d{2}" + _MON_SEP + r"(?i:" + _MON_WORD + r")" + _MON_SEP + _DAY
            + r")(?![A-Za-z0-9/-]|\.\d)",
            0.9,
        ),
        (
            "iso",
            # glued to letters too: "on2021-03-04", "2021-03-04at0800"
            r"(?P<phi>" + lead("[12]", r"\d/.-") + r"(?:(?<=1)9|(?<=2)0)\d{2}([-/.])"
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
            r"(?P<phi>" + _mon_num_after(r"\d/.-") + r"([/.-])" + _DAY + r"\2(?:(?:19|20)\d{2}(?![\d/])|"
            r"(?:\d{4}|'?\d{2})(?![\w/-]|\.\d)))",
            0.85,
        ),
        (
            "dmy",
            r"(?P<phi>" + lead("[123]", r"\w/.-") + r"(?:(?<=1)[3-9]|(?<=2)\d|(?<=3)[01])([/.-])"
            + _MON_NUM
            + r"\2(?:\d{4}|\d{2}))(?![\w/-]|\.\d)",
            0.8,
        ),
        # spaced numeric dates with a full year, month or day first: "11 25 1990", "12 / 15 / 1940",
        # "25 . 09 . 1920" (validated as a real month/day in either order)
        (
            "spaced",
            r"(?<![\w/.:-])(?P<phi>\d{1,2}(?P<sep>[ ]{1,2}|[ ]{0,2}[/.-][ ]{0,2})\d{1,2}(?P=sep)"
            r"(?:19|20)\d{2}|"
            # year first: "2019 12 10", "2019 / 12 / 10"
            r"(?:19|20)\d{2}(?P<sep2>[ ]{1,2}|[ ]{1,2}[/.-][ ]{1,2})(?:0?[1-9]|1[0-2])(?P=sep2)\d{1,2})"
            r"(?![\w/-]|[.,]\d)",
            0.85,
        ),
        # separator-free year-month-day: "interrogated on 20170915" (a valid calendar date, 19xx/20xx)
        (
            "ymd_compact",
            # (in file names too, between underscores: "scan_20170915_v2.pdf"; the year's first digit leads
            # the pattern so that the scan skips ahead to a "1" or a "2")
            r"(?P<phi>(?:1(?<![A-Za-z0-9.,/-]1)9|2(?<![A-Za-z0-9.,/-]2)0)\d{2}(?:0[1-9]|1[0-2])"
            r"(?:0[1-9]|[12]\d|3[01]))(?![A-Za-z0-9-]|[.,]\d)",
            0.8,
        ),
        ("md", r"(?P<phi>" + _mon_num_after(r"\w/.-") + r"/" + _DAY + r")(?![\w/]|\.\d)", 0.6),
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
            + r"(?:,?[\s-]+(?:(?:1[89]|20)\d{2}|'?\d{2}))?)"
            r"(?![\w]|:\d)",  # "08-JUL 10:15", "23-OCT 0530": a time, not a year
            0.85,
        ),
        # dot- or slash-separated day/month-name/year: "03.Jan.2021", "3/JAN/21", "2021/Jan/03"
        (
            "d_mon_sep",
            r"(?<![\w./])(?P<phi>" + _DAY + r"([./])" + _M.replace("\\.?", "") + r"\2(?:\d{4}|\d{2})|"
            r"(?:19|20)\d{2}([./-])" + _M.replace("\\.?", "") + r"\3" + _DAY + r"|"
            # year first with blanks and a capitalised month: "collected 2023 Feb 23", "2019 MAR 4th"
            r"(?:19|20)\d{2}[ ](?:" + MONTH + r"|" + MONTH.upper() + r")\.?[ ]" + _DAY + _ORD + r"?)"
            r"(?![\w/]|:\d)",
            0.85,
        ),
        (
            "mon_d_y",
            # (a year on the next line, or a 4-digit time, is no year: "NOV. 7\n1900 REPORT", "Oct 28 0300")
            r"(?P<phi>" + _month_word_start() + r"[\s-]*" + _DAY + _ORD
            + r"?(?:(?:,?[ \t]+|,\s*)(?:(?:1[89]|20)\d{2}|'\d{2}))?)"
            r"(?![\w]|:\d)",
            0.85,
        ),
        (
            "mon_y",
            r"(?P<phi>" + _month_word_start(prefixed=True)
            + r"(?:,?\s+|-|/)(?:of\s+)?(?:(?:19|20)\d{2}|'\d{2}))(?!\w)",
            0.8,
        ),
        # a weekday before a month/day or a month-name date: "next injection Fri 5/10", "Next: C4D1 Mon 1/3.",
        # "SAT 1/6 0830", "Fri, March 3": a weekday makes any number pair a date (no scale comes after one)
        (
            "weekday_md",
            r"(?<![\w/])(?P<phi>" + _WEEKDAY + r"\.?,?(?:[ \t]+" + _WD_DATE + r"|[ \t]*\([ \t]*" + _WD_DATE
            + r"[ \t]*\)))(?![\w/]|[.-]\d)",
            0.9,
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
            r"(?i:\b(?=[a-z])(?:(?:in|since|during|until|through|early|late|mid|mid-|last|next|this|of|by|from|"
            r"before|after|around)\s+|(?:early|mid|late)-))(?P<phi>(?:January|February|March|April|June|July|August|September|October|November|"
            r"December|JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER))\b",
            0.7,
        ),
        # ordinal words: "the first of March", "March first", "the fourth of July", "March twenty-first"
        (
            "mon_word_ord",
            r"(?<![\w])(?P<phi>(?:(?i:the)[ \t]+)?" + _ORD_WORD + r"[ \t]+(?i:of)[ \t]+" + _M + r"|" + _M
            + r"[ \t]+(?:(?i:the)[ \t]+)?" + _ORD_WORD + r")(?![\w])",
            0.85,
        ),
        # holidays name a day of the year: "Christmas Eve", "New Year's Day", "Thanksgiving", "July Fourth"
        # (the Monday holidays, "Labor Day", are left out: generic PII sets do not label them)
        (
            "holiday",
            r"(?<![\w])(?P<phi>(?:Christmas|Xmas|New[ \t]+Year'?s|Thanksgiving|Easter|Halloween|Hanukkah|"
            r"Passover|Ramadan|Eid|Diwali|Independence[ \t]+Day|"
            r"Valentine'?s[ \t]+Day|Mother'?s[ \t]+Day|Father'?s[ \t]+Day|Veterans[ \t]+Day|"
            r"St\.?[ \t]+Patrick'?s[ \t]+Day|Fourth[ \t]+of[ \t]+July|July[ \t]+(?:4th|Fourth))"
            r"(?:[ \t]+(?:Eve|Day|Weekend|Morning|Night))?)(?![\w])",
            0.8,
        ),
        # East Asian dates: "2021年3月4日", "2021年03月04日"
        ("cjk", r"(?P<phi>(?:19|20)\d{2}[ ]?年[ ]?\d{1,2}[ ]?月(?:[ ]?\d{1,2}[ ]?日)?)", 0.9),
        # a date cue, "the", then a day ordinal in words that modifies nothing: "surgery was on the fourth.",
        # "due by the twenty-first;"
        (
            "ord_word_cued",
            r"(?i:\b(?:on|by|until|till)[ \t]+the[ \t]+)(?P<phi>" + _ORD_WORD
            + r")(?=[ \t]*(?:[.,;:)(\]]|$))",
            0.6,
        ),
        # Roman-numeral months (European): "4.III.2021", "04/XII/21"
        (
            "roman_month",
            r"(?<![\w./])(?P<phi>" + _DAY + r"([./-])(?:I{1,3}|IV|VI{0,3}|IX|XI{0,2})\2(?:\d{4}|\d{2}))"
            r"(?![\w/])",
            0.85,
        ),
        # compact and glued forms: "14MAR2021", "14-mar-21", "MAR142021"
        (
            "compact",
            # glued to "_" or other punctuation too: "KATSAM_19jan21.edf", "MOLST_11dec24.pdf"
            r"(?<![A-Za-z0-9])(?P<phi>\d{1,2}-?" + _M.replace("\\.?", "") + r"-?(?:\d{4}|\d{2})|"
            + _M.replace("\\.?", "") + r"\d{1,2},?\d{4}|"
            # day glued to a capitalised month, no year: "04MAR", "4Mar" (lower-case "4mar" is no date shape)
            r"\d{1,2}(?:" + MONTH.replace("(?:", "(?-i:") + r"|" + MONTH.upper() + r"))(?![A-Za-z0-9])",
            0.85,
        ),
        # "March the 4th", "Mar. the 4th"
        (
            "mon_the_ord",
            r"(?P<phi>" + _month_word_start() + r"[ \t]+(?i:the)[ \t]+" + _DAY + _ORD + r")(?![\w])",
            0.85,
        ),
        (
            "the_ord",
            r"(?i:\b(?=[a-z])(?:" + by_first_letter("the|on|by|until|since|from|before|after")
            + r")\s+)(?P<phi>"
            + _DAY
            + r"(?i:"
            + _ORD
            + r"))(?!\w)",
            0.6,
        ),
        # a cue, one short word (a typo'd "the", "of the"), then a day ordinal that modifies nothing: "RTC on
        # tbe 7th (order ...)", "due by teh 21st.", "until da 3rd;"
        # (the ordinal leads so the scan skips ahead to digits; the cue is checked in validate_match)
        (
            "ord_cued",
            r"(?P<phi>[0-9]{1,2}(?i:" + _ORD + r"))(?=[ \t]*(?:[.,;:)(\]]|$|(?i:at|@)\b))",
            0.6,
        ),
        # a julian date (2-digit year, day of the year) after a date word: "Julian date 21063", "dated 21063"
        (
            "julian",
            lead("[dDjJ]", r"\w")
            + r"(?i:(?<=[dD])(?:ate(?:[ \t]+code)?|ated)|(?<=[jJ])(?:ulian(?:[ \t]+date)?|d))(?![A-Za-z])"
            r"[ \t]*[:#=]?[ \t]*"
            r"(?P<phi>\d{2}(?:00[1-9]|0[1-9]\d|[12]\d\d|3[0-5]\d|36[0-6]))(?![\w]|[.,]\d)",
            0.8,
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
        # imaging and studies are dated: "HUS 2/5", "KUB 3/4", "EEG 1/6"
        "hus",
        "cus",
        "kub",
        "eeg",
        "emg",
        "dexa",
        "egd",
    ]
    GATES = {
        "weekday": ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        "weekday_md": ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        "mon_the_ord": (" the ",),
        "mon_word_ord": ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                         "tenth", "eleventh", "twelfth", "teenth", "tieth"),
        "holiday": ("christmas", "xmas", "year", "thanksgiving", "easter", "halloween", "hanukkah",
                    "passover", "ramadan", "eid", "diwali", " day", "july"),
        "roman_month": (".i", ".v", ".x", "/i", "/v", "/x", "-i", "-v", "-x"),
        "mon_cued": tuple(m for m in MONTH_NAMES if m != "may"),
        "cjk": ("年",),
        "ord_word_cued": ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                          "ninth", "tenth", "eleventh", "twelfth", "teenth", "tieth"),
        "julian": ("julian", "date", "jd"),
        "labelled": ("dob", "d.o.b", "birth", "dod", "death", "dos", "service", "admi", "discharge"),
    }

    _WEAK_CUES = frozenset({"on", "since", "until", "from", "through", "last", "started", "stopped"})

    def _lower_month_date(self, pattern, month_word, match, text) -> bool:
        """A lower-case month with a day ("july 3", "date june 13", "msg may 4 4:00 AM") is a date when the
        month is spelled out (not "may"/"march") or a date cue or a time frames it; "may"/"mar"/"dec" alone
        are a verb and abbreviations ("dec 10 mg")."""
        if pattern != "mon_d_y" or _SCALE_AFTER.match(text, match.end()):
            return False
        dose_after = re.match(r"[ \t]*(?:mg|ml|mcg|units?|%)", text[match.end():])
        if month_word in ("june", "july", "sept") and not dose_after:
            return True
        return bool(_TIME_AFTER.match(text, match.end()) or _LOWER_CUE_BEFORE.search(
            text, max(0, match.start() - 20), match.start()))

    def _dated(self, text: str, start: int) -> bool:
        """A date cue other than a preposition just before ("murmur 2/6" after "SpO2 90% on BiPAP" stays)."""
        return any(
            m.group(0).lower() not in self._WEAK_CUES
            for m in self._context_re.finditer(text, max(0, start - 15), start)
        )

    def validate_match(self, pattern, value, match, text):
        if pattern == "spaced":
            nums = [int(x) for x in re.findall(r"\d+", value)]
            a, b = nums[1:] if nums[0] > 31 else nums[:2]  # year first: month, day
            return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31) or False
        if pattern == "compact" and value[:1].isdigit():
            return 1 <= int(re.match(r"\d+", value).group(0)) <= 31 or False
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
            if _PERIOD_BEFORE.search(before):
                return True  # "wk of 3/4", "as of 3/4", "Day 0 = 3/4": a period or day named by its date
            if scale_before and den > 10 and not _STRONG_SCALE.search(before):
                scale_before = None  # "NOTE OF 1/28", "seen at 11/17": a day of the month, not "4 of 5"
            if not scale_before and (
                _TIME_AFTER.match(text, match.end())
                or _HEADER_BEFORE.search(text, max(0, match.start() - 30), match.start())
                or title_line_end(text, match.start(), match.end())
            ):
                return True
            if (
                text[match.start() - 1 : match.start()] == "("
                and text[match.end() : match.end() + 1] == ")"
                and _FOLLOWUP_BEFORE.search(text, max(0, match.start() - 60), match.start())
                and not _SCALE_LINE.search(text, max(0, match.start() - 30), match.start())
            ):
                return True  # "RTC 1 week (4/4)": the return date in brackets
            if scale_before or _SCALE_AFTER.match(after):
                return self._dated(text, match.start()) or False
            if text[match.end() : match.end() + 1] == ")" and _DEVICE_BEFORE.search(
                text, max(0, match.start() - 40), match.start()
            ):
                return True
            if value[0] == "0" or "/0" in value:
                return True  # "01/05", "| 03/04 |": zero-padded; fractions and scores are never padded
            if _EVENT_BEFORE.search(text, max(0, match.start() - 30), match.start()) or \
                    _NEXT_BEFORE.search(text, max(0, match.start() - 30), match.start()):
                return True
            if _RANGE_BEFORE.search(text, max(0, match.start() - 20), match.start()):
                return True  # "between 3/1 and 3/4", "3/1 to 3/4": the end of a range of dates
            if md_entry_date(text, match.start(), match.end(), num, den):
                return True
            if _APPT_LINE.search(text, max(0, match.start() - 70), match.start()) and not _SCALE_LINE.search(
                text, max(0, match.start() - 70), match.start()
            ):
                return True  # "OUTSIDE APPT CHEHALIS MEDICAL PAVILION 8/10": an appointment's date
            if den in (5, 10, 4, 3, 2, 6) and num <= den:  # 4/5 strength, 7/10, 1/2: scores and fractions
                return self.has_context(text, match.start(), 15) or False
            return None
        if pattern in ("mon_d_y", "mon_y", "d_mon_y", "mon_word_ord"):
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
                return self._lower_month_date(pattern, month_word, match, text)
            return None
        if pattern == "ord_cued":
            start = match.start()
            glued = start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_/.-")
            if glued or not 1 <= int(value[:-2]) <= 31:
                return False
            if not _ORD_CUE_BEFORE.search(text, max(0, start - 30), start):
                return False
        if pattern in ("the_ord", "ord_cued") and _ORD_AFTER.match(text, match.end()):
            return False
        return None


# what may not follow a bare age: a unit, a percent, a ratio or a decimal ("95 kg", "96%", "92/60", "98.6")
_NOT_A_QUANTITY = (r"(?![\w]|[.,]\d|[ \t]*(?:%|/\d|(?i:mg|mcg|kg|lbs?|mm|cm|bpm|beats|breaths|ml|units?|"
                   r"mmhg|degrees)\b))")
# what starts a table cell or column: a line start, a tab, a "|" or two blanks
_CELL_START = re.compile(r"(?:^|[|\t]|[ \t]{2})[ \t]*$", re.MULTILINE)
# a patient's header line: a record or demographic word, or a "LAST, F." / "Last, First" name
_PERSON_LINE = re.compile(
    r"(?i:\b(?:dob|d\.o\.b|born|birth|mrn|ssn|patient|pt|client|resident|guest|name|sex|gender|decedent|"
    r"employee|member|subscriber|traveller|traveler|mr|mrs|ms|miss)\b)|"
    r"\b[A-Z][A-Za-z'-]+,[ \t]?[A-Z](?:[a-z'-]+|\.|[A-Z'-]+)(?![\w])"
)
# a vital sign, lab or measurement column on the line: a bare number there is no age
_MEASURE_LINE = re.compile(
    r"(?i)\b(?:hr|bp|rr|spo2|sats?|o2|temp|wt|weight|ht|height|bmi|glucose|fsbg|pulse|map|cvp|uop|i/o|"
    r"labs?|score|mmhg|kg|lbs?|mg|ml|units?|%)(?![a-z])"
)


def _old_not_after(chars: str) -> str:
    """A number 90-125 not right after one of `chars` (a regex class body), written so that it starts with a
    literal digit: the regex engine then skips ahead to a "9" or a "1" instead of trying every position, as
    it must for a pattern that starts with a look-behind (same matches as "(?<![chars])" + the number)."""
    return rf"(?:9(?<![{chars}]9)\d|1(?<![{chars}]1)(?:[01]\d|2[0-5]))"


# label and cue words of the age patterns, regrouped by first letter for a faster scan (base.by_first_letter)
_AGE_LABELS = by_first_letter(r"age|aged|ages|age\s+(?:of|is|was|now)|at\s+the\s+age\s+of")
_AGE_CUES = by_first_letter(r"he|she|they|pt|patient|who|is|was|turned|turns|turning|now|aged?|at\s+age")
_AGE_WORDS = by_first_letter(r"age|aged|ages|aet(?:at)?\.?")
_PERSON_NOUNS = by_first_letter(r"man|woman|gentleman|lady|female|male|patient|pt")
_BIRTH_LABELS = by_first_letter(r"dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|born")


class AgeRecognizer(MedflPatternRecognizer):
    """Ages of 90 and above (younger ages are not PHI under Safe Harbor)."""

    ENTITY = "AGE"
    _OLD = r"(?:9\d|1[01]\d|12[0-5])"
    PATTERNS = [
        (
            "years_old",
            r"(?P<phi>" + _old_not_after(r"\w.") + r")(?:\s*|-)(?i:y/?o(?:/?[mf])?\b|yo[mf]?\b|y\.\s?o\.?|"
            r"yrs?\b(?:\s*old)?|years?(?:\s*|-)old|year-old|-year-old|yrs?-old|y-o\b|years?\s+of\s+age|"
            # a misspelt year word before "old": "98 yaers old", "93 yeras-old"
            r"years?\b|y\b(?!\s*/)|y[a-z]{1,5}(?:\s*|-)old\b)",
            0.95,
        ),
        (
            "labelled",
            r"(?i:\b(?=[a-z])(?:" + _AGE_LABELS
            + r")\s*[:=]?\s*)"
            r"(?P<phi>" + _OLD + r")(?![\w.]|\.\d)",
            0.9,
        ),
        # "SMITH, JOHN (92) M", "He is a (103) with ...": an age in brackets after a name or before a sex
        (
            "paren",
            r"\((?<![\w.]\()(?P<phi>" + _OLD + r")\)(?![\w%]|\s*(?i:%|mm|bpm|kg|lbs?|mg|cm|beats|breaths|/))",
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
            r"\b(?:one|a)\s+hundred(?:\s+and)?(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine|ten))?)"
            r"(?=[\s-]+(?:years?[\s-]+old|years?\s+of\s+age|y/?o\b|yo\b|yrs?[\s-]+old))",
            0.95,
        ),
        (
            "words_labelled",
            r"(?i:\b(?=[a-z])(?:aged?|age\s+(?:of|is|was)|(?:is|was|turned|turns|now)(?:\s+now)?)\s*[:=]?\s*)"
            r"(?P<phi>(?i:ninety|(?:one|a)\s+hundred)"
            r"(?i:[\s-]+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)\b"
            r"(?![\s-]*(?i:percent|%|pounds|lbs|mg|kg|degrees|times|feet|miles|dollars|minutes|seconds|days|"
            r"beats|breaths|over))",
            0.9,
        ),
        # a bare age after a person and a copula: "Zorvath is 93.", "she turned 101"
        (
            "cued_bare",
            r"(?i:\b(?=[a-z])(?:" + _AGE_CUES
            + r")\s+)"
            r"(?P<phi>" + _OLD
            + r")(?![\w%/]|\.\d|\s*(?i:%|mm|bpm|kg|lbs?|mg|cm|beats|breaths|percent|degrees|over|/))",
            0.6,
        ),
        # "her 92nd birthday": an ordinal age
        ("birthday",
         r"(?P<phi>" + _old_not_after(r"\w.") + r")(?i:st|nd|rd|th)[ \t]+(?i:birthday|bday|b-day)", 0.9),
        ("age_sex", r"(?P<phi>" + _old_not_after(r"\w.") + r")\s?(?:M|F|yo\s?[MF]|y/o\s?[MF])\b", 0.6),
        # an old-age number glued to or just before any age/sex marker: "97 yoa female", "90 yoa M", "98F,",
        # "100M   RM 413", "92 y.o.a.", "101 yrs", "96yM", "95 woman", "103-yr", "94 / F", "94 WF" (a count
        # of people is plural: "95 women" stays)
        (
            "age_marker",
            # (bracketed or after a comma too: "100 (yrs)", "97 [y/o]", "95 (female)", "95, man")
            r"(?P<phi>" + _old_not_after(r"\w.,/") + r")(?:(?:[ \t]{0,3}|-|[ \t]*,[ \t]*)(?:[(\[][ \t]?)?"
            r"(?:(?i:y\.?\s?o\.?\s?a\.?|yoa|yo|y/o|"
            r"yrs?\.?|years?|y\.?)(?:[ \t]?/?[ \t]?[MFmf])?|"
            r"(?i:female|male|man|woman|gentleman|lady|boy|girl|gent))"
            r"(?![A-Za-z])|(?:[ \t]{0,3}|-|[ \t]*[/,][ \t]*)(?:[WBH]/?)?[MF](?![A-Za-z0-9]|/\d|\.\d))",
            0.9,
        ),
        # an age label in any spelling within a short window before: "Age (yrs): 92", "age=93",
        # "AGE/SEX: 94 F",
        # "Age/Sex: F/95", "Pt age - 96", "age in years 97", "Age at visit: 98", "aged about 99", "Age ~100"
        (
            "age_label",
            # (a field name glued by "_" too: "pt_age=93")
            r"(?i:(?<![a-z0-9])(?:" + _AGE_WORDS + r")(?![a-z])[^\d\n;.]{0,20}?(?:[mf][ \t]*[/,-][ \t]*)?)"
            r"(?P<phi>" + _OLD + r"(?:'?s\b)?"
            + r")(?![\w]|[.,]\d|[ \t]*(?:%|/\d|(?i:mg|kg|lbs?|mm|cm|bpm|beats|breaths|ml)\b))",
            0.9,
        ),
        # a years field: "Yrs: 99", "years=101" (a colon or "=" makes it a label; "40 yrs: ..." is a duration)
        (
            "years_field",
            r"(?i:(?<!\d )(?<!\d)\b(?:yrs?|years?)[ \t]*[:=][ \t]*)(?P<phi>" + _OLD + r")" + _NOT_A_QUANTITY,
            0.9,
        ),
        # sex then age: "F 92", "M, 93", "Sex: F  92"
        (
            "sex_then_age",
            r"[WBHMF](?<![\w°/.-].)(?:(?<=[WBH])/?[MF]|(?<=[MF]))[ \t]*[,/-]?[ \t]*(?P<phi>" + _OLD
            + r")(?![\w/]|[.,]\d|[ \t]*(?:%|(?i:mg|kg|lbs?|mm|cm|bpm|ml)\b))",
            0.7,
        ),
        # an age in apposition: "Jane Roe, 94, presents", "patient, 98, with", "X, 93 M", "a man of 94 who"
        (
            "apposition",
            r"(?:,(?<=[A-Za-z.)],)[ \t]*|(?i:\b(?:" + _PERSON_NOUNS
            + r")\s+of\s+))"
            # (", Uma's pharmacy": a possessive name after the age)
            r"(?P<phi>" + _OLD + r")(?=[ \t]*(?:,[ \t]*(?:[a-z]|[MF]\b|[A-Z][a-z]+'s\b)|[MF]\b|\)|"
            r"[ \t]+(?:who|with|w/|and|"
            r"has|is|was|presents|presenting)\b))",
            0.7,
        ),
        # a person noun, a name, a colon, then a bare old-age number: "PATIENT ROE: 102, CHF", "Resident Ann
        # Roe: 94;" (a lab after the name is excluded by _VITAL_BEFORE)
        (
            "person_colon",
            lead("[pPrRcCdDmM]", r"\w") + r"(?i:(?<=[pP])(?:atient|t)|(?<=[rR])esident|(?<=[cC])lient|"
            r"(?<=[dD])ecedent|(?<=[mM])ember)(?![A-Za-z])(?:[ \t]+[A-Z][A-Za-z'-]+){1,3}"
            r"[ \t]*:[ \t]*"
            r"(?P<phi>" + _OLD + r")(?=[ \t]*(?:[,;)]|$))",
            0.8,
        ),
        # a bare number right after a date of birth is the age it implies: "DOB 3/4/1925   97   PHONE",
        # "born 04.03.1921, 101", "DOB: 4 Mar 1920 (102)"
        (
            "after_dob",
            r"(?i:\b(?:" + _BIRTH_LABELS + r")(?![a-z])[ \t]*(?:[:#=-][ \t]*)?"
            r"(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}[ \t-]?[a-z]{3,9}\.?[ \t,-]*\d{2,4}|"
            r"[a-z]{3,9}\.?[ \t]\d{1,2}(?:st|nd|rd|th)?,?[ \t]+\d{2,4}|\d{6,8})"
            r"(?:[ \t]{1,12}|[ \t]*[,;|/][ \t]*)[(\[]?)"
            r"(?P<phi>" + _OLD + r")" + _NOT_A_QUANTITY,
            0.9,
        ),
        # a bare old-age number alone in a table cell or column of a patient's header row ("HALE, R.   ID
        # CHECKED (1234)   101", "| Roe, Ann | 96 | F |"): validate_match wants person evidence on the line
        (
            "demographic_cell",
            r"(?P<phi>" + _old_not_after(r"^ \t\n|") + r")(?=[ \t]*(?:$|[|\t]|[ \t]{2}))",
            0.6,
        ),
    ]
    CONTEXT = ["age", "aged", "year old", "yo", "elderly", "nonagenarian", "centenarian"]
    REQUIRE = r"(?<![\d.])(?:9\d|1[01]\d|12[0-5])(?!\d)|(?i:ninet|hundred)"
    GATES = {
        "decade": ("90", "100", "ninet"),
        "words": ("ninety", "hundred"),
        "words_labelled": ("ninety", "hundred"),
        "birthday": ("birthday", "bday", "b-day"),
        "sex_age": ("m/", "f/", "/m", "/f", "m-", "f-"),
        "paren": ("(9", "(1"),
        "after_dob": ("dob", "d.o.b", "birth", "born"),
        "years_field": ("yr", "year"),
        "person_colon": ("patient", "pt", "resident", "client", "decedent", "member"),
    }
    _VITAL_BEFORE = re.compile(
        r"(?i)\b(?:sats?|spo2|o2|hr|pulse|heart\s+rate|rate|bp|temp|t|weight|wt|glucose|bs|fsbg|rr|hgb|score|"
        r"level|count|plt|na|cl|bun|k|ef|saturation|saturating|systolic|diastolic|map|sbp|dbp|cr|creat|"
        r"creatinine|alt|ast|alk|ldh|ck|cpk|trop|tsh|a1c|ldl|hdl|tg|chol|ferritin|b12|folate|mcv|hct|wbc|glu|"
        r"gluc|lipase|bnp|pao2|pco2|po2|fio2|peep|uop|egfr|gfr|ca|mg|phos|alb|bili|inr|ptt|iq|fev1|fvc)\b"
        r"[^.;\n]{0,12}$"
    )

    # a temperature before "99 F", "100F": Fahrenheit, not a female patient's age
    _TEMP_BEFORE = re.compile(
        r"(?i)\b(?:t|temp|temperature|tmax|t\s?max|tm|tc|fever|febrile|afebrile|oral|rectal|axillary|tympanic|"
        r"temporal)\b[^\n;]{0,12}$"
    )

    def validate_match(self, pattern, value, match, text):
        start = match.start()
        if (
            pattern in ("age_marker", "age_sex")
            and text[match.end() - 1 : match.end()] in "Ff"
            and self._TEMP_BEFORE.search(text, max(0, start - 25), start)
        ):
            return False
        if pattern == "age_marker" and "," in text[match.end("phi") : match.end()] and (
            text[match.end() : match.end() + 1] in (":", "/")
            or re.search(r"\d[-\u2013]$", text[max(0, start - 4) : start])
        ):
            return False  # "ranged 80-98, male:female 9:60": the end of a range, then a sex ratio
        if pattern == "demographic_cell":
            a, b = text.rfind("\n", 0, start) + 1, text.find("\n", start)
            line = text[a : b if b >= 0 else len(text)]
            if not _CELL_START.search(text, a, start):
                return False  # one blank before: a number in running text ("HR 92  BP"), not a cell
            if _PERSON_LINE.search(line) is None or _MEASURE_LINE.search(line) is not None:
                return False
        if pattern in ("cued_bare", "paren", "age_marker", "age_label", "sex_then_age", "apposition",
                       "after_dob", "demographic_cell", "years_field", "person_colon") and \
                self._VITAL_BEFORE.search(text, max(0, start - 25), start):
            return False  # "O2 sat is 94", "HR was 96", "glucose (104)": a vital sign or lab, not an age
        return None
