"""Geography smaller than a state (Safe Harbor item 2): streets, cities, ZIP codes, hospitals/facilities.

States are not PHI and are kept ("Boston, MA" -> "[LOCATION], MA"). Cities are found by shape ("City, ST"),
by cue ("lives in", "from"), by a short list of large US cities and by place-name suffixes (-ville, -burgh).
Streets take any-case suffixes ("Capples st"), unit designators ("Bldg B", "Fl 29", "Apt #3", "Suite 400"),
numbered roads ("County Road 12", "US Hwy 1") and rural routes ("RR 2 Box 15"); a dose and route ("4 MG SQ")
is no street. Facilities: capitalised words before a facility noun (Hospital, Clinic, House, SNF, Dialysis
Unit, Pavilion, Hosp., Med Ctr, ...), also "... OF <TOWN>" in capitals.
"""

from __future__ import annotations

import re

from medfl.privacy.deid.recognizers.base import MedflPatternRecognizer, load_lexicon

_STATES_CASED = sorted(load_lexicon("states.txt", lower=False), key=len, reverse=True)
_STATE = r"(?:" + "|".join(map(re.escape, _STATES_CASED)) + r")"
_ABBR = [
    "Street",
    "Avenue",
    "Boulevard",
    "Road",
    "Drive",
    "Lane",
    "Court",
    "Place",
    "Terrace",
    "Circle",
    "Parkway",
    "Highway",
    "Way",
    "Square",
    "St",
    "Ave",
    "Av",
    "Rd",
    "Blvd",
    "Ln",
    "Dr",
    "Ct",
    "Pl",
    "Ter",
    "Terr",
    "Cir",
    "Pkwy",
    "Hwy",
    "Sq",
    "Trl",
    "Pk",
    "Expy",
    "Fwy",
    "Ext",
    "Crst",
    "Xing",
    "Rte",
]
# unit designators after a street: "Apt #3", "Bldg B", "Fl 2", "Suite 400", "Unit 5C", "Lot 12"
_UNIT = (
    r"(?:[ \t]*,?[ \t]*(?:(?i:apt|apartment|suite|ste|unit|bldg|building|rm|room|lot|trlr|dept|floor)\.?"
    r"[ \t]*#?[ \t]*[A-Z0-9][A-Z0-9-]*|(?i:fl)\.?[ \t]*\d{1,3}(?![\d-])|#[ \t]*[A-Z0-9][A-Z0-9-]*)"
    r"(?![\w])){0,2}"
)
_SUFFIXES = sorted(set(load_lexicon("street_suffixes.txt", lower=False)) | set(_ABBR), key=len, reverse=True)
_SUFFIX = r"(?:" + "|".join(re.escape(s) + "|" + re.escape(s.upper()) for s in _SUFFIXES) + r")"
_SUFFIX_SET = frozenset(x.lower() for x in _SUFFIXES) | {"st", "rd", "ave", "blvd", "ln", "dr", "ct", "pl"}
# lower-case abbreviations after capitalised street words ("3323 Capples st", "8117 Caffrey rd")
_SUFFIX_LOW = r"(?:st|rd|ave|blvd|ln|dr|ct|pl|ter|cir|pkwy|hwy|way|ext|trl|sq)"
_CAPWORD = r"(?:[A-Z][a-z]+(?:[-'][A-Za-z]+)?|[A-Z]{2,}|\d+(?:st|nd|rd|th|ST|ND|RD|TH))"
_PLACE = (
    r"(?:(?:Mc|Mac|O'|St\.\s|Saint\s|Fort\s|Ft\.\s|Port\s|Mount\s|Mt\.\s|Lake\s|New\s|North\s|South\s|East\s|West\s)?"
    r"[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+)){0,2})"
)
_CAP_PLACE = r"(?:[A-Z]{3,}(?:[ -][A-Z]{3,}){0,2})"

_UNITS = {
    "mg", "mcg", "g", "ml", "l", "units", "unit", "tabs", "tab", "tablets", "caps", "puffs", "drops", "times",
    "days", "weeks", "months", "years", "hours", "hrs", "minutes", "mins", "cm", "mm", "kg", "lbs", "meq",
    "mmol",
    "amp", "amps", "bottles", "sprays", "doses", "beats", "breaths", "steps", "feet", "ft",
}
_ALLOW = load_lexicon("medical_allow.txt")
_NOT_INNER = {"of", "the", "and", "to", "in", "with", "for", "times", "per", "x", "episodes", "days", "weeks"}


class StreetAddressRecognizer(MedflPatternRecognizer):
    ENTITY = "LOCATION"
    PATTERNS = [
        (
            "street",
            r"(?<![\w-])(?P<phi>\d{1,6}[A-Z]?[ \t]+(?:[NSEW]\.?[ \t]+)?(?:"
            + _CAPWORD
            + r"[ \t]+){1,3}(?:"
            + _SUFFIX
            + "|"
            + _SUFFIX_LOW
            + r")\.?"
            + _UNIT
            + r")(?![\w])",
            0.75,
        ),
        # lower-case ("123 main st"): only unambiguous street nouns, inner words checked in validate_match
        (
            "street_lower",
            r"(?<![\w-])(?P<phi>\d{1,6}[ \t]+(?:[nsew]\.?[ \t]+)?(?:[a-z][a-z'-]+[ \t]+){1,3}"
            r"(?:street|avenue|road|boulevard|lane|st|ave|rd|blvd|ln)\.?" + _UNIT + r")(?![\w])",
            0.6,
        ),
        ("po_box", r"(?i)(?P<phi>\bP\.?\s?O\.?\s+Box\s+\d+)", 0.9),
        # numbered roads and rural routes: "4521 County Road 12", "88 US Hwy 1", "RR 2 Box 15"
        (
            "numbered_road",
            r"(?<![\w-])(?P<phi>\d{1,6}[ \t]+(?:(?:[NSEW]\.?|North|South|East|West)[ \t]+)?"
            r"(?:(?i:state|us|u\.s\.|county|interstate|farm[ \t]+to[ \t]+market)[ \t]+)?"
            r"(?i:highway|hwy|route|rte|road|rd|sr|fm|cr)\.?[ \t]+\d{1,4}[A-Z]?)(?![\w-])",
            0.7,
        ),
        (
            "rural_route",
            r"(?P<phi>\b(?:(?:RR|HC|R\.R\.)[ \t]*#?[ \t]*\d{1,3}[ \t]*,?[ \t]*(?i:box)[ \t]+\d{1,5}|"
            r"(?i:rural[ \t]+route|star[ \t]+route)[ \t]*#?[ \t]*\d{1,3}"
            r"(?:[ \t]*,?[ \t]*(?i:box)[ \t]+\d{1,5})?))"
            r"(?![\w-])",
            0.85,
        ),
        ("unit_only", r"(?P<phi>\b(?:Apt|Apartment|Suite)\.?\s*#?\s*\d+[A-Z]?)\b", 0.55),
    ]
    CONTEXT = ["address", "lives", "resides", "street", "home", "apt"]

    def validate_match(self, pattern, value, match, text):
        if pattern in ("street", "street_lower"):
            words = [w.lower().rstrip(".,") for w in match.group("phi").split()[1:]]
            cut = next((i for i, w in enumerate(words) if i and w in _SUFFIX_SET), len(words))
            words = words[: cut + 1]  # the street's words: "4 MG SQ" has "mg", "12 Oak St Unit 2" has no unit
            if any(w in _NOT_INNER or w in _UNITS for w in words):
                return False  # "4 MG SQ", "5 mg via": a dose and a route, not an address
            if pattern == "street_lower" and any(w in _ALLOW for w in words[:-1]):
                return False  # "40 mg iv rd": doses, not addresses
        return None


class ZipCodeRecognizer(MedflPatternRecognizer):
    ENTITY = "LOCATION"
    PATTERNS = [
        ("after_state", r"(?<![\w])" + _STATE + r"\.?,?\s+(?P<phi>\d{5}(?:-\d{4})?)(?![\w-])", 0.9),
        (
            "labelled",
            r"(?i:\b(?:zip|zip\s*code|postal\s+code|zipcode|postcode)(?:\s+is)?\s*[:#]?\s*)"
            r"(?P<phi>\d{3,5}(?:[- ]\d{2,4})?)(?![\w-])",
            0.95,
        ),
        ("zip9", r"(?<![\w-])(?P<phi>\d{5}-\d{4})(?![\w-])", 0.6),
        # after a place name without a state: "Brindlewick 02134", "Dedham, 02026" (checked in validate_match)
        ("after_place", r"(?<![\w-])(?P<place>[A-Z][a-z]{2,}),?[ \t]+(?P<phi>\d{5})(?![\w-]|[.,]\d)", 0.4),
    ]
    CONTEXT = ["zip", "postal", "address"]

    def validate_match(self, pattern, value, match, text):
        if pattern != "after_place":
            return None
        place = match.group("place").lower()
        if place in _ALLOW or place in _VOCAB and place not in _KNOWN_CITIES:
            return False  # "Plt 15000", "Weight 12000": a clinical label, not a place
        return True


_CITY_EXCLUDE = (
    load_lexicon("medical_allow.txt")
    | load_lexicon("common_words.txt")
    | {
        "outside",
        "inside",
        "bedside",
        "beside",
        "aside",
        "alongside",
        "upside",
        "downside",
        "report",
        "support",
        "transport",
        "passport",
        "import",
        "export",
        "sport",
        "airport",
        "review",
        "interview",
        "overview",
        "preview",
        "comfort",
        "effort",
        "island",
        "mainland",
        "homeland",
        "gland",
        "mouth",
        "downtown",
        "iceberg",
        "button",
        "cotton",
        "skeleton",
        "proton",
        "baton",
        "piston",
        "carton",
        "mutton",
        "singleton",
        "left",
        "right",
        "hospital",
        "home",
        "clinic",
        "rehab",
        "facility",
        "nursing",
        "county",
        "state",
        "city",
        "town",
        "the",
    }
)
_FAC_SUFFIX_SHORT = (
    r"Hospital|Medical\s+Center|Health\s+Center|Clinic|Nursing\s+Home|Rehabilitation\s+Center|"
    r"Care\s+Center|Hospice|Infirmary|Institute|Center"
)
_VOCAB = load_lexicon("english_vocab.txt")
_CLINICAL = load_lexicon("clinical_vocab.txt") | _ALLOW
_KNOWN_CITIES = load_lexicon("us_cities.txt")
_CITY_SUFFIX = (
    r"(?:ville|burgh|borough|bury|berg|chester|shire|stad|furt|haven|fort|town|ton|land|mouth|port|view|side)"
)


class CityRecognizer(MedflPatternRecognizer):
    ENTITY = "LOCATION"
    _CITIES = sorted(load_lexicon("us_cities.txt", lower=False), key=len, reverse=True)
    PATTERNS = [
        (
            "city_state",
            r"(?<![\w])(?P<phi>" + _PLACE + "|" + _CAP_PLACE + r"),\s*" + _STATE + r"\b(?!\w)",
            0.85,
        ),
        (
            "cued",
            r"(?i:\b(?:lives|living|resides|residing|resident|born|native|moved|moving|relocated|visiting|"
            r"traveled|travelled|trip|vacation|home|hometown|originally|came|transferred)\s+(?:in|of|from|to|at)\s+)"
            r"(?P<phi>" + _PLACE + r"|[a-z]{4,}(?:[ -][a-z]{4,})?)(?![\w-])",
            0.65,
        ),
        ("county", r"(?P<phi>\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s+(?:County|Parish|Borough|Township))\b", 0.85),
        # the city after a street address or a facility name: "12 Oak St, Apt 2, Dedham", "X Home, Akron"
        (
            "after_street",
            r"(?:(?<=\s)" + _SUFFIX + r"\.?(?:,?\s*(?:Apt|APT|Apartment|Suite|SUITE|Ste|STE|Unit|UNIT|#)\.?"
            r"\s*#?\s*[A-Z0-9-]+)?|(?i:"
            + _FAC_SUFFIX_SHORT
            + r")),[ \t]*(?P<phi>"
            + _PLACE
            + "|"
            + _CAP_PLACE
            + r")(?![\w])",
            0.7,
        ),
        ("known_city", r"(?<![\w])(?P<phi>" + "|".join(map(re.escape, _CITIES)) + r")(?![\w])", 0.7),
        (
            "suffix",
            r"(?<![\w])(?P<phi>(?:(?:North|South|East|West|New|Lake|Port|Mount|Fort)\s+)?[A-Z][a-z]{2,}"
            + _CITY_SUFFIX
            + r")(?![\w])",
            0.6,
        ),
        ("compass", r"(?<![\w])(?P<phi>(?:North|South|East|West|Lake|Port)\s+[A-Z][a-z]{2,})(?![\w])", 0.55),
    ]
    CONTEXT = ["lives", "city", "town", "from", "address", "resident", "moved", "born", "near"]
    _STATE_NAMES = load_lexicon("states.txt")

    def validate_match(self, pattern, value, match, text):
        low = value.lower()
        if low in self._STATE_NAMES:
            return False
        if pattern == "after_street" and any(w in _CLINICAL for w in low.split()):
            return False  # "FROM X MANOR, CONCENTRATOR SN ...": equipment, not a town
        last = low.split()[-1]
        if pattern in ("suffix", "cued", "compass") and (last in _CITY_EXCLUDE or low in _CITY_EXCLUDE):
            return False
        if pattern == "cued" and value.islower() and any(w in _VOCAB for w in low.split()):
            return False  # "lives in town", "came to clinic": lower-case ordinary words are no place names
        if pattern in ("suffix", "compass") and (
            low in load_lexicon("last_names.txt") or low in load_lexicon("first_names.txt")
        ):
            return None  # a surname such as "Washington": NAME will claim it if it is one
        return None


_FAC_NOUNS = [
    "Hospital",
    "Medical Center",
    "Med Ctr",
    "Medical Centre",
    "Health Center",
    "Healthcare",
    "Health Care",
    "Health System",
    "Health",
    "Clinic",
    "Clinics",
    "Medical Group",
    "Medical Associates",
    "Associates",
    "Nursing Home",
    "Nursing Facility",
    "Rehabilitation Center",
    "Rehab Center",
    "Rehabilitation Hospital",
    "Care Center",
    "Urgent Care",
    "Infirmary",
    "Hospice",
    "Pharmacy",
    "Institute",
    "Cancer Center",
    "Surgical Center",
    "Surgery Center",
    "Center",
    "Centre",
    "Manor",
    "Assisted Living",
    "Senior Living",
    "Rehab",
    "Skilled Nursing",
    "Skilled Nursing Facility",
    "Family Practice",
    "Family Medicine",
    "Nursing & Rehab",
    "Nursing and Rehabilitation",
    "Home Care",
    "Home Health",
    "Retirement Home",
    "Group Home",
    "Lodge",
    "Residence",
    "Gardens",
    "Village",
    "House",
    "SNF",
    "LTAC",
    "LTACH",
    "ALF",
    "Dialysis",
    "Dialysis Unit",
    "Dialysis Center",
    "Hosp",
    "Ctr",
    "Med Ctr",
    "Pavilion",
    "Health & Rehab",
    "Rehab Facility",
    "Care Home",
    "Living Center",
    "Retirement Community",
    "Senior Center",
    "Estates",
    "Commons",
    "Sanatorium",
    "Sanitarium",
    "Convalescent Home",
    "Convalescent Center",
    "Behavioral Health",
]
# Title Case or ALL CAPS only: a lower-case "hospital" is a common noun ("brief hospital course")
_FAC_SUFFIX = (
    "(?:"
    + "|".join(
        re.escape(n).replace(r"\ ", r"[ \t]+") + "|" + re.escape(n.upper()).replace(r"\ ", r"[ \t]+")
        for n in sorted(_FAC_NOUNS, key=len, reverse=True)
    )
    + ")"
)
_FAC_NOT_AFTER = r"(?![ \t]+(?i:course|day|stay|admission|discharge|records?|policy|protocol|visit|follow))"
_FAC_GENERIC = {
    "the",
    "outside",
    "local",
    "community",
    "general",
    "university",
    "regional",
    "memorial",
    "medical",
    "county",
    "state",
    "children's",
    "women's",
    "va",
    "veterans",
    "public",
    "mental",
    "behavioral",
    "family",
    "primary",
    "urgent",
    "emergency",
    "cancer",
    "heart",
    "surgical",
    "rehabilitation",
    "rehab",
    "nursing",
    "skilled",
    "long-term",
    "acute",
    "city",
    "our",
    "this",
    "home",
    "dialysis",
    "psychiatric",
    "teaching",
    "tertiary",
    "care",
    "transferred",
    "from",
    "to",
    "at",
    "admitted",
    "seen",
    "called",
    "sent",
    "discharged",
    "patient",
    "pt",
    "and",
    "of",
    "health",
    "hospital",
    "clinic",
    "center",
    "cardiology",
    "oncology",
    "neurology",
    "pulmonary",
    "gi",
    "renal",
    "nephrology",
    "dermatology",
    "orthopedic",
    "orthopedics",
    "surgery",
    "endocrine",
    "endocrinology",
    "rheumatology",
    "urology",
    "gyn",
    "ob",
    "obstetrics",
    "pediatric",
    "pediatrics",
    "hematology",
    "infectious",
    "disease",
    "diseases",
    "ent",
    "ophthalmology",
    "eye",
    "podiatry",
    "wound",
    "pain",
    "sleep",
    "anticoagulation",
    "coumadin",
    "diabetes",
    "geriatric",
    "geriatrics",
    "psychiatry",
    "walk-in",
    "outpatient",
    "inpatient",
    "transplant",
    "vascular",
    "breast",
    "liver",
    "kidney",
    "lung",
    "spine",
    "trauma",
    "stroke",
    "burn",
    "dental",
    "imaging",
    "radiology",
    "infusion",
    "pharmacy",
    "lab",
    "physical",
    "therapy",
    "occupational",
    "speech",
    "follow",
    "up",
    "with",
    "in",
    "on",
    "by",
    "for",
    "ed",
    "er",
    "icu",
    "hiv",
    "methadone",
    "addiction",
    "brief",
    "summary",
    "discharge",
    "admission",
    "course",
}


# Generic words that still name ONE institution before a facility noun ("University Hospital")
_FAC_PROPER = {
    "university", "memorial", "general", "regional", "community", "county", "children's", "women's",
    "veterans", "va", "state", "city", "mercy", "methodist", "baptist", "presbyterian", "lutheran",
    "adventist", "teaching",
}


class FacilityRecognizer(MedflPatternRecognizer):
    """Hospital, clinic and care-home names: capitalised words followed by a facility noun."""

    ENTITY = "LOCATION"
    PATTERNS = [
        (
            "named",
            r"(?P<phi>(?:(?:St\.?|Saint|Mount|Mt\.?)[ \t]+)?"
            r"(?:[A-Z][A-Za-z'&.-]*[ \t]+(?:(?:of|and|&|the)[ \t]+)?)"
            r"{1,4}"
            + _FAC_SUFFIX
            + r"(?:[ \t]+(?i:of|at)[ \t]+(?:[A-Z][a-z]+|[A-Z]{3,})(?:[ \t](?:[A-Z][a-z]+|[A-Z]{3,}))?)?)\b"
            + _FAC_NOT_AFTER,
            0.8,
        ),
        (
            "saint",
            r"(?P<phi>\b(?:St\.?|Saint|Mt\.?|Mount)[ \t]+[A-Z][a-z]+(?:'s)?)(?:[ \t]+"
            + _FAC_SUFFIX
            + r")?\b",
            0.6,
        ),
    ]
    CONTEXT = ["transferred", "admitted", "hospital", "facility", "from", "at", "discharged to"]
    _LEADING = re.compile(
        r"(?:(?i:The|Outside|Our|This|Transferred|Admitted|Seen|Sent|Discharged|At|From|To|And|Of|Then|Later|"
        r"Now|Went|Back|Returned|Return|Via|Per|Pt|Patient|Home|Going|Pharmacy|Dispo|Presented)\s+)+"
    )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = []
        for r in super().analyze(text, entities, nlp_artifacts, regex_flags):
            lead = self._LEADING.match(text, r.start, r.end)
            if lead:
                r.start = lead.end()
            if r.end - r.start < 3:
                continue
            words = re.findall(r"[A-Za-z'&.-]+", text[r.start : r.end])
            if (
                all(w.lower().strip(".") in _FAC_GENERIC for w in words[:-1])
                and r.recognition_metadata["pattern"] == "named"
            ):
                suffix_words = re.findall(r"[A-Za-z]+", re.sub(_FAC_SUFFIX, "", text[r.start : r.end]))
                proper = any(w.lower() in _FAC_PROPER for w in suffix_words)
                if all(w.lower() in _FAC_GENERIC for w in suffix_words) and not proper:
                    continue  # "Outside Hospital", "Cardiology Clinic": generic, not a named facility
            results.append(r)
        return results

    def validate_match(self, pattern, value, match, text):
        if pattern == "saint" and value.split()[-1].rstrip("'s").lower() in load_lexicon("medical_allow.txt"):
            return False
        return None
