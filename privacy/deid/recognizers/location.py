"""Geography smaller than a state (Safe Harbor item 2): streets, cities, ZIP codes, hospitals/facilities.

States are not PHI and are kept ("Boston, MA" -> "[LOCATION], MA"). Cities are found by shape ("City, ST"),
by cue ("lives in", "from"), by a short list of large US cities and by place-name suffixes (-ville, -burgh).
Streets take any-case suffixes ("Capples st"), unit designators ("Bldg B", "Fl 29", "Apt #3", "Suite 400"),
numbered roads ("County Road 12", "US Hwy 1") and rural routes ("RR 2 Box 15"); a dose and route ("4 MG SQ")
is no street; street words may be Mc/Mac names, hyphenated capitals or four words ("Martin Luther King Jr").
Cities also: after a street/unit or a facility name with a comma, or without one before a ZIP ("88 Orrin
Hollow Cedar Falls 50613"); Title-Case places of ordinary words after "lives in"/"near" ("Grand Island").
Also: a town naming a civic body ("Great Bend school district", "the Reading police", "City of X"); a place
after an activity verb ("she joined from Hot Springs", "works in Enid"), after a residence verb and a short
phrase ("lives with her brother in Bend"), in capitals after "near" unless a sign follows a verb ("FARM NEAR
HIBBING", not "HAD NEAR SYNCOPE"); the city after a unit alone ("Apt D, Valley City"); a street of a number,
words and a unit without a street type ("4779 Quarvev Apt D"). A town found with a cue or an address is
propagated to its other capitalised mentions in the note ("GREAT BEND school board"), unless it is one
ordinary word ("Bend").
Facilities: capitalised words (space-separated: a tab starts another column) before a facility noun
(Hospital, Clinic, House, SNF, Dialysis Unit, Post-Acute, Transitional Care, Veterans Home, Hosp., ...), also
"... OF <TOWN>" in capitals, senior-living names "The <Plural> at <Place>", and a campus or town after the
facility noun on the same line ("Quorra Health Sioux Falls", "Mercy Health - Eastgate"); a column gap inside
a candidate starts the name ("RN   Pharmacy" is no facility).
Organisation phrases (any world's naming): a head noun of a broad class (strong: Program, Associates,
Partners, Practice, Foundation, District, Patrol, Lab, LLC ...; weak: Line, Unit, Services, Group, Site,
Suites ...; specialties: Medicine, Pediatrics, Dermatology, Allergy ...; the last word of an "&" pair)
read back over the capitalised words before it; a facility when a modifier is proper (a listed name, a
place or landscape word, a word no list knows) and not only service words ("Intensive Outpatient Program",
"Central Line", "Wilderness Medicine" are kept); ordinary words only count when they open a field before
an "&" pair or a strong head ("Tern Laser & Skin   05/02"). Towns also before a lower-case "borough" and
after a bare "outside" closing the clause ("a lake outside Quellport.").
Also: the facility noun first ("Hospital de X", "Clinica del X", "House of X"); an "&" pair after a proper
word ("Quarnby Dive & Hyperbaric"); a bracketed phrase ("(Tolvik County Health Department)"); "<Word> City";
"lives <Town>" without a preposition (telegraphic); USPS "Cv" and "Spc" units; "<role> Jo Roe, MD" is no
town in Maryland.
"""

from __future__ import annotations

import re

from medfl.privacy.deid.recognizers.base import MedflPatternRecognizer, load_lexicon
from medfl.privacy.deid.recognizers.philter import _DISEASE_SHAPE, TERM_HEAD_AFTER

_STATES_CASED = sorted(load_lexicon("states.txt", lower=False), key=len, reverse=True)
# postal codes in mixed case ("Ar", "Mo"), less the ordinary words ("In", "Or", "Me", "Oh", "Hi", "Ok")
_POSTAL_MIXED = frozenset(x.title() for x in _STATES_CASED if len(x) == 2 and x.isupper()) - {
    "In", "Or", "Me", "Oh", "Hi", "Ok", "Ma", "Pa", "De"}
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
    "Cv",  # Cove (USPS)
]
# unit designators after a street: "Apt #3", "Bldg B", "Fl 2", "Suite 400", "Unit 5C", "Lot 12"
_UNIT = (
    r"(?:[ \t]*,?[ \t]*(?:(?i:apt|apartment|suite|ste|unit|bldg|building|rm|room|lot|trlr|dept|floor|spc|"
    r"space|slip|cabin|casita|villa|hngr|hangar)\.?"
    r"[ \t]*#?[ \t]*[A-Z0-9][A-Z0-9-]*|(?i:fl)\.?[ \t]*\d{1,3}(?![\d-])|#[ \t]*[A-Z0-9][A-Z0-9-]*)"
    r"(?![\w])){0,2}"
)
_SUFFIXES = sorted(set(load_lexicon("street_suffixes.txt", lower=False)) | set(_ABBR), key=len, reverse=True)
_SUFFIX = r"(?:" + "|".join(re.escape(s) + "|" + re.escape(s.upper()) for s in _SUFFIXES) + r")"
_SUFFIX_SET = frozenset(x.lower() for x in _SUFFIXES) | {"st", "rd", "ave", "blvd", "ln", "dr", "ct", "pl"}
# lower-case abbreviations after capitalised street words ("3323 Capples st", "8117 Caffrey rd")
_SUFFIX_LOW = r"(?:st|rd|ave|blvd|ln|dr|ct|pl|ter|cir|pkwy|hwy|way|ext|trl|sq)"
_CAPWORD = (
    r"(?:(?:Mc|Mac|O')?[A-Z][a-z]+(?:[-'][A-Za-z]+)?|[A-Z]{2,}(?:-[A-Z]{2,})?|\d+(?:st|nd|rd|th|ST|ND|RD|TH))"
)
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
_ACRONYM_SUFFIXES = frozenset({"cv"})  # street abbreviations that clinical text also writes
_NOT_INNER = {"of", "the", "and", "to", "in", "with", "for", "times", "per", "x", "episodes", "days", "weeks"}


class StreetAddressRecognizer(MedflPatternRecognizer):
    ENTITY = "LOCATION"
    PATTERNS = [
        (
            "street",
            r"(?<![\w-])(?P<phi>\d{1,6}[A-Z]?[ \t]+(?:[NSEW]\.?[ \t]+)?(?:"
            + _CAPWORD
            + r"[ \t]+){1,4}(?:"
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
        # a number, street words and a unit, no street type: "4779 Kowalski Apt D", "12 ELM UNIT #4"
        (
            "street_unit",
            r"(?<![\w-])(?P<phi>\d{1,6}[A-Z]?[ \t]+(?:[NSEW]\.?[ \t]+)?(?:" + _CAPWORD + r"[ \t]+){1,3}"
            r"(?i:apt|apartment|suite|ste|unit|trlr|lot|spc|bldg)\.?[ \t]*#?[ \t]*[A-Z0-9][A-Z0-9-]*)"
            r"(?![\w])",
            0.7,
        ),
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
        if pattern == "street_unit":
            words = [w.lower().rstrip(".,") for w in match.group("phi").split()[1:-2]]
            if any(w in _NOT_INNER or w in _UNITS or w in _ALLOW or w in _CLINICAL for w in words):
                return False  # "2 Units PRBC Unit 3", "12 ICU Unit 4": no address
        if pattern in ("street", "street_lower"):
            words = [w.lower().rstrip(".,") for w in match.group("phi").split()[1:]]
            cut = next((i for i, w in enumerate(words) if i and w in _SUFFIX_SET), len(words))
            words = words[: cut + 1]  # the street's words: "4 MG SQ" has "mg", "12 Oak St Unit 2" has no unit
            if any(w in _NOT_INNER or w in _UNITS for w in words):
                return False  # "4 MG SQ", "5 mg via": a dose and a route, not an address
            if words[-1] in _ACRONYM_SUFFIXES and any(w in _VOCAB or w in _CLINICAL for w in words[:-1]):
                return False  # "3 Vessel CV": "Cv" (Cove) is also an acronym; ordinary words make it one
            if pattern == "street_lower" and any(w in _ALLOW for w in words[:-1]):
                return False  # "40 mg iv rd": doses, not addresses
        return None


class ZipCodeRecognizer(MedflPatternRecognizer):
    ENTITY = "LOCATION"
    # old-style (AP) state abbreviations, written with a full stop
    AP_STATE = (
        r"Ala|Ariz|Ark|Calif|Cal|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Kans|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|"
        r"Nebr|Nev|[NS]\.\s?Dak|[NS]\.\s?Car|N\.\s?Mex|N\.\s?H|N\.\s?J|N\.\s?M|N\.\s?Y|N\.\s?C|N\.\s?D|Okla|Ore|Oreg|Pa|Penn|R\.\s?I|S\.\s?C|"
        r"S\.\s?D|Tenn|Tex|Vt|Va|Wash|W\.\s?Va|Wis|Wisc|Wyo|Penna|PENNA|ALA|ARIZ|ARK|CALIF|COLO|CONN|FLA|ILL|MASS|"
        r"MICH|MINN|"
        r"MISS|MONT|NEB|NEV|OKLA|ORE|PENN|TENN|TEX|WASH|WIS|WISC|WYO"
    )
    # Dutch "7412 SL", Canadian "B0J 2H0", British "SW1A 1AA"
    INTL_POSTAL = r"\d{4}[ ]?[A-Z]{2}|[A-Z]\d[A-Z][ ]?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}"
    PATTERNS = [
        ("after_state", r"(?<![\w])" + _STATE + r"\.?,?\s+(?P<phi>\d{5}(?:-\d{4})?)(?![\w-])", 0.9),
        (
            "labelled",
            r"(?i:\b(?:zip|zip\s*code|postal\s+code|zipcode|postcode)(?:\s+is)?\s*[:#]?\s*)"
            r"(?P<phi>" + INTL_POSTAL + r"|\d{3,5}(?:[- ]\d{2,4})?)(?![\w-])",
            0.95,
        ),
        # a postal code alone on its line closing an address block ("...Apt. 595\n LAPPEENRANTA\n 53650"):
        # US, European ("53-320", "340 12") and Canadian ("B0J 2H0") shapes; needs an address just before
        (
            "own_line",
            r"^[ \t]*(?P<phi>" + INTL_POSTAL + r"|\d{2,5}(?:[- ]\d{2,4})?)[ \t]*$",
            0.4,
        ),
        ("zip9", r"(?<![\w-])(?P<phi>\d{5}-\d{4})(?![\w-])", 0.6),
        # old-style (AP) state abbreviations: "Pueblo, Mich. 07226", "Reno, Nev. 89501-1234"
        (
            "after_ap_state",
            r"(?<![\w.])(?=[A-Z])(?i:" + AP_STATE.replace(r"\.", "[.\u2026]") + r")[.\u2026],?[ \t]+"
            r"(?P<phi>\d{5}(?:-\d{4})?)(?![\w-])",
            0.9,
        ),
        # after a two-letter postal code written in mixed case: "Jasper Ar 01911", "Houston Mo 58758"
        (
            "after_state_mixed",
            r"[A-Za-z],?[ \t]+(?P<st>[A-Z][a-z])\.?,?[ \t]+(?P<phi>\d{5}(?:-\d{4})?)(?![\w-])",
            0.85,
        ),
        # after a territory code that follows a place ("Lihue, PR 00601", "Hagatna, GU 96910"); the codes
        # alone are no state ("given PR")
        (
            "after_territory",
            r"[A-Za-z],[ \t]*(?:PR|GU|VI|AS|MP)\.?,?[ \t]+(?P<phi>\d{5}(?:-\d{4})?)(?![\w-])",
            0.9,
        ),
        # after a place name without a state, any case: "Brindlewick 02134", "Dedham, 02026", "SANTA ROSA
        # 01733", "Grand Island 23970." (checked in validate_match)
        (
            "after_place",
            r"(?<![\w-])(?P<place>[A-Z][A-Za-z]{2,}(?:-[A-Z][A-Za-z]+)?),?[ \t]+(?P<phi>\d{5}(?:-\d{4})?)"
            r"(?![\w-]|[.,]\d)",
            0.4,
        ),
    ]
    CONTEXT = ["zip", "postal", "address"]
    # an address before the number (a street line, a unit, an address word) within the same or previous line
    _ADDRESS_BEFORE = re.compile(
        r"(?i)(?:\baddress|\baddr\b|\blives\b|\bresides\b|\bresidence\b|\bmoved\b|\bmailing\b|"
        r"\b\d{1,6}[ \t]+(?:[NSEW]\.?[ \t]+)?[A-Za-z][A-Za-z'-]+[ \t]+(?:[A-Za-z][A-Za-z'-]+[ \t]+)?"
        r"(?:st|street|ave|avenue|rd|road|dr|drive|ln|lane|ct|court|blvd|way|pl|place|loop|run|walk|heights|"
        r"landing|hollow|point|xing|crossing|terrace|ter|circle|cir|pkwy|parkway|hwy|highway|trail|trl|row|"
        r"square|sq|plaza|path|pike|ridge|park|hill|view|grove|bend|creek)\b|"
        r"\b(?:apt|apartment|suite|ste|unit|trailer|p\.?o\.?[ \t]+box)\.?[ \t]*#?[ \t]*[a-z]?\d)"
    )
    # between the address and the number: no new sentence or clause, no other 5-digit number
    _GAP_BREAK = re.compile(r"[;!?]|[a-z]{4,}\.[ \t]|\d{5}")
    # what may follow a ZIP: the end of the line or sentence, a separator, a phone label, a country
    _ZIP_END = re.compile(r"[ \t]*(?:$|[|.,;:)(\t/]|(?i:tel|phone|ph|fax|usa|us|u\.s\.)\b)", re.M)

    def validate_match(self, pattern, value, match, text):
        if pattern == "own_line":
            cues = list(self._ADDRESS_BEFORE.finditer(text, max(0, match.start() - 150), match.start()))
            # the lines between the address and the code hold a city, state or country: no digits, no sentence
            gap = text[text.find("\n", cues[-1].end()) : match.start()] if cues else ";"
            return not re.search(r"[;!?\d]|[a-z]{4,}\.[ \t]", gap)
        if pattern == "after_state_mixed":
            return None if match.group("st") in _POSTAL_MIXED else False
        if pattern != "after_place":
            return None
        place = match.group("place").lower()
        if "-" in place and any(w in _ALLOW or w in _VOCAB for w in place.split("-")):
            return False  # "Plt-Count 15000": a hyphenated label; "Sedro-Woolley 16691" is a town
        if place in _ALLOW or place in _VOCAB and place not in _KNOWN_CITIES:
            # a vocabulary word ("Falls", "Island", "Plt") is a place's last word only in an address
            line_start = text.rfind("\n", 0, max(0, text.rfind("\n", 0, match.start())))
            window_start = max(0, line_start, match.start() - 120)
            cues = list(self._ADDRESS_BEFORE.finditer(text, window_start, match.start()))
            if (
                place in _ALLOW
                or not cues
                or not self._ZIP_END.match(text, match.end())
                or self._GAP_BREAK.search(text, cues[-1].end(), match.start())
            ):
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
    r"Care\s+Center|Hospice|Infirmary|Institute|Center|Transitional\s+Care|Post-Acute|Veterans\s+Home|"
    r"Nursing\s+Facility|Care\s+Facility|Manor|Lodge|Residence|Health"
)
_VOCAB = load_lexicon("english_vocab.txt")
_CLINICAL = load_lexicon("clinical_vocab.txt") | _ALLOW
_KNOWN_CITIES = load_lexicon("us_cities.txt")
# the end of a street address (suffix, then an optional unit) or of a facility name, before a city
_STREET_OR_FACILITY_END = re.compile(
    r"(?:\b\d{1,6}[A-Z]?[ \t]+(?:[A-Za-z'.-]+[ \t]+){1,5}" + _SUFFIX
    # "Ave. NE", "Hwy S", "Trce. Upper", "Cutoff Rear"
    + r"\.?(?:[ \t]+(?i:north|south|east|west|upper|lower|rear|front|[NSEW]|NE|NW|SE|SW)\b\.?)?"
    r"(?:,?\s*(?i:apt|apartment|suite|ste|unit|trlr|trailer|lot|bldg|rm|fl|box|cabin|space|spc|site|slip|casita|"
    r"villa|no|#)\.?"
    r"\s*#?\s*[A-Z0-9-]+)?|(?i:" + _FAC_SUFFIX_SHORT + r")|"
    r"\b(?i:apt|apartment|suite|ste|unit|trlr|lot|spc|bldg)\.?[ \t]*#?[ \t]*[A-Z0-9][A-Z0-9-]*)\Z"
)
_FACILITY_WORDS = frozenset(
    "hospital home clinic rehab facility nursing center centre county state unit floor department office "
    "room er ed icu".split()
)
_CITY_SUFFIX = (
    r"(?:ville|burgh|borough|bury|berg|chester|shire|stad|furt|haven|fort|town|ton|land|mouth|port|view|side)"
)


# verbs of where someone is or goes, other than residence ("she joined from Hot Springs", "works in Enid")
_ACT_BEFORE = re.compile(
    r"(?i)\b(?:joined|joining|calling|phoning|commutes|commuting|drove|driving|flew|works|working|worked|stays|"
    r"staying|visits|visited|grew\s+up|raised|relocating|transferring|connected|connecting|participated|"
    r"participating|dialed|dialled)\s+$"
)
# bodies a town names: "<Town> school district", "<Town> police department"
_CIVIC = (
    r"(?i:(?:area|unified|independent|consolidated|public|city|community|regional)[ \t]+)?"
    r"(?i:school[ \t]+district|schools|school[ \t]+board|police(?:[ \t]+(?:department|dept))?|"
    r"fire[ \t]+(?:department|dept)|sheriff(?:'s)?|city[ \t]+council|public[ \t]+library|isd|usd|"
    r"(?:high|middle|elementary|junior[ \t]+high|grade|primary)[ \t]+school|(?:county|city)[ \t]+jail|"
    r"jail|courthouse|(?:district|county|municipal|city)[ \t]+court|fire[ \t]+district|"
    r"rec(?:reation)?[ \t]+(?:center|centre)|(?:community|senior)[ \t]+(?:center|centre))"
)
# words that name no town before a civic body or after "near" ("State police", "Elementary schools")
_NOT_TOWN = frozenset(
    "state local public private elementary middle high primary secondary junior senior catholic christian "
    "charter tribal federal campus university college military army navy city county town village transit "
    "airport hospital school district police fire department assisted living senior housing group foster "
    "shelter care facility apartment apartments complex retirement".split()
)
_PROPER_ALLOW = load_lexicon("proper_allow.txt")  # countries, agencies, organisms: no town
_FUNCTION_WORDS = (
    r"(?:with|from|that|this|when|then|after|since|until|where|while|about|near|into|over|and|but)"
)
_CUED_EXCLUDE = _CITY_EXCLUDE - load_lexicon("common_words.txt") | load_lexicon("medical_allow.txt")
# adjectives, participles and adverbs that describe a patient after the age ("73 y/o woman, Widowed")
_NOT_PLACE_SHAPE = re.compile(r"(?:ed|ly|ive|ous|ful|ic|al|ent|ant|ing|less|able|ible|ory|ary|ile)$")
# what precedes "near" when it is no place cue: "had near syncope", "with near total occlusion"
_NEAR_NOT_PLACE = re.compile(
    r"(?i)\b(?:of|with|had|has|have|having|is|was|were|are|be|been|s/p|c/o|and|or|a|an|the|reports?|"
    r"reported|denies|denied|experienced|now|still|at|to|in|by|for)[ \t]+$"
)


# a person's role heading "<role> <name>, MD": the credential is no state
_PERSON_ROLE_WORD = re.compile(
    r"(?:.*(?:ologist|ician|iatrist)|physician|surgeon|examiner|attending|resident|provider|doctor|nurse|"
    r"signed|dictated|reviewed|read|referring|ordering|by|pi|investigator|therapist|pharmacist)$"
)
_ORG_STOP_WORDS = frozenset("inner outer big small old new home this that our your same other".split())
_NOT_BOROUGH = frozenset("the this that our your his her their each every whole entire same next".split())
# a town after a bare "outside" closes the clause ("a lake outside Kell Falls."), unlike "outside Labs showed"
_OUTSIDE_END = re.compile(r"[ \t]*(?:$|[.,;)]|[ \t][a-z])", re.M)


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
            r"traveled|travelled|trip|vacation|home|hometown|originally|came|transferred)\s+(?:in|of|from|to|at)\s+|"
            r"\b(?P<near>near|outside(?:\s+of)?)\s+(?=[A-Z]))"
            # a lower-case place of one or two words, the second no function word ("wailuku with her son")
            r"(?P<phi>" + _PLACE + "|" + _CAP_PLACE
            + r"|[a-z]{4,}(?:[ -](?!" + _FUNCTION_WORDS + r"\b)[a-z]{4,})?)"
            r"(?![\w-])",
            0.65,
        ),
        # a residence verb without its preposition (telegraphic charting): "DONOR LIVES NEEDLES", "lives Elko"
        (
            "cued_bare",
            r"\b(?:lives|resides|LIVES|RESIDES|Lives|Resides)[ \t]+"
            r"(?P<phi>" + _PLACE + "|" + _CAP_PLACE + r")"
            r"(?=(?:[ \t]+[A-Z][A-Za-z])?[ \t]*(?:[;,.)]|$|\n))",  # "WASHINGTON IN;": a state code may follow
            0.65,
        ),
        # where someone is other than home: "she joined from Hot Springs", "works in Enid" (gated: rare verbs)
        # (scanned from the preposition, the verb before it checked in validate_match: faster)
        (
            "cued_act",
            r"\b(?:in|from|at|IN|FROM|AT)[ \t]+(?P<phi>" + _PLACE + "|" + _CAP_PLACE + r")(?![\w-])",
            0.65,
        ),
        # a residence verb, a short phrase, then "in"/"near": "lives with her brother Tom in Bend"
        (
            "cued_far",
            r"\b(?i:lives|living|resides|residing|stays|staying)\b[^.;:!?\n]{1,40}?\b(?i:in|near)[ \t]+"
            r"(?P<phi>" + _PLACE + "|" + _CAP_PLACE + r")(?![\w-])",
            0.65,
        ),
        ("county", r"(?P<phi>\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s+(?:County|Parish|Borough|Township))\b", 0.85),
        # a town before a lower-case "borough"/"township" ("Kell Falls borough"): the town alone
        ("borough", r"\b(?P<phi>[A-Z][a-z]+(?:[ ][A-Z][a-z]+){0,2})[ ](?:borough|township)\b", 0.75),
        # a town before an ALL-CAPS "COUNTY": "Hay Springs COUNTY DISTRICT COURT", "RESERVE COUNTY EMS"
        (
            "county_caps",
            r"(?<![\w-])(?=[A-Z])(?P<phi>" + _PLACE + "|" + _CAP_PLACE + r")[ \t]+(?:COUNTY|PARISH)\b",
            0.8,
        ),
        # a town and a postal code, no comma between, closing a line after a comma: "home, Church Point KS"
        (
            "state_eol",
            r"(?m),[ \t]*(?P<phi>" + _PLACE + "|" + _CAP_PLACE + r")[ \t]+(?P<st>[A-Z]{2})[ \t]*$",
            0.75,
        ),
        # a town directly before a 5-digit ZIP, a state between or not: "Hatch 92024", "CUT OFF, NEBR. 08311",
        # "Jasper Ar 01911" (a comma or a line start before it, or no ordinary word: see validate_match)
        (
            "before_zip",
            r"(?<![\w-])(?=[A-Z])(?P<phi>" + _PLACE + "|" + _CAP_PLACE + r")(?:,?[ \t]+(?:" + _STATE
            + r"|(?=[A-Z])(?i:" + ZipCodeRecognizer.AP_STATE.replace(r"\.", "[.\u2026]") + r")[.\u2026]"
            r"|[A-Z][a-z]))?"
            r",?[ \t]+\d{5}(?:-\d{4})?(?![\w-]|[.,]\d)",
            0.75,
        ),
        # a town naming its school district, police or fire department: "Great Bend school district",
        # "the Reading police department", "City of Sandpoint" (generic words checked in validate_match)
        (
            "civic",
            r"(?<![\w])(?!(?i:the|a|an|our|local|his|her|their)\b)(?P<phi>" + _PLACE + "|" + _CAP_PLACE + r")"
            r"[ \t]+" + _CIVIC + r"\b",
            0.8,
        ),
        (
            "city_of",
            r"\b(?:City|Town|Village|Borough|Township|CITY|TOWN|VILLAGE)[ \t]+(?i:of)[ \t]+"
            r"(?P<phi>" + _PLACE + "|" + _CAP_PLACE + r")(?![\w-])",
            0.8,
        ),
        # the city after a street address or a facility name: "12 Oak St, Apt 2, Dedham", "X Home, Akron"
        (
            "after_street",  # what precedes (street suffix, unit or facility noun): see validate_match
            r"(?<=[A-Za-z0-9.])(?:,[ \t]*|[ \t]+\((?=(?:" + _PLACE + "|" + _CAP_PLACE + r")\))|"
            r"(?:[ \t]+|[ \t]*\n[ \t]*)(?=(?:[A-Z][a-z]+[ \t]+){0,2}[A-Z][a-z]+,?[ \t]+\d{5}(?![\w-])))"
            r"(?=(?P<phi>"  # a lookahead: "Prentice Hollow Merced 12746" is tried again from "Hollow"
            + _PLACE
            + "|"
            + _CAP_PLACE
            + r")(?![\w]))",
            0.7,
        ),
        # a town closing a patient header after the age and sex: "Jo R., 73 y/o woman, Hazard" (line end)
        (
            "after_demo",
            r"\b\d{1,3}[ \t]*(?i:y/?o|yo|y|yrs?|years?[ \t]+old|-year-old)\b[^,\n]{0,24},[ \t]*"
            r"(?P<phi>" + _PLACE + "|" + _CAP_PLACE + r")[ \t]*(?=\n|$)",
            0.7,
        ),
        ("known_city", r"(?<![\w])(?P<phi>" + "|".join(map(re.escape, _CITIES)) + r")(?![\w])", 0.7),
        # a town named "<Word> City": "Bay City", "Tell City", "BOULDER CITY" (generic words checked)
        (
            "word_city",
            r"(?<![\w-])(?P<phi>(?:[A-Z][a-z]+[ ]){1,2}City|(?:[A-Z]{3,}[ ]){1,2}CITY)(?![\w-])",
            0.7,
        ),
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
    GATES = {  # rare forms: skip their regex scan when the note lacks their key word
        "civic": ("school", "police", "fire", "sheriff", "council", "library", "isd", "usd", "jail", "court",
                  "rec center", "recreation", "community center", "senior center"),
        "county_caps": ("county", "parish"),
        "city_of": ("city of", "town of", "village of", "borough of", "township of"),
        "cued_far": ("live", "living", "resid", "stay"),
        "borough": ("borough", "township"),
        "cued_bare": ("lives", "resides"),
        "word_city": ("city",),
        "cued_act": ("join", "call", "phon", "commut", "drov", "driv", "flew", "work", "stay", "visit",
                     "grew", "raised", "relocating", "transferring", "connect", "particip", "dial"),
    }
    _STATE_NAMES = load_lexicon("states.txt")

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return results + self._propagate(text, results)

    def _propagate(self, text: str, found: list) -> list:
        """Other capitalised mentions of a town found with a cue ("lives in Great Bend ... GREAT BEND school
        board"): a town named once is named again. One ordinary word ("Bend") is not propagated."""
        places = set()
        for r in found:
            value = text[r.start : r.end]
            words = value.lower().split()
            cued = r.recognition_metadata["pattern"] not in ("known_city", "suffix", "compass")
            if cued and (len(words) > 1 or words[0] not in _VOCAB) and len(value) > 3:
                places.add(value.lower())
        if not places:
            return []
        low, taken, out = text.lower(), {r.start for r in found}, []
        for place in places:  # str.find, not a regex compiled per note: faster
            i = low.find(place)
            while i >= 0:
                j = i + len(place)
                alone = (i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "-")) and (
                    j == len(low) or not (low[j].isalnum() or low[j] == "-")
                )
                if alone and text[i].isupper() and i not in taken:
                    out.append(self._result(i, j, 0.7, "propagated"))
                i = low.find(place, j)
        return out

    def validate_match(self, pattern, value, match, text):
        low = value.lower()
        if low in self._STATE_NAMES:
            return False
        if pattern == "borough" and any(
            w in _CLINICAL or w in _NOT_TOWN or w in _NOT_BOROUGH for w in low.split()
        ):
            return False  # "The borough", "Each township": no town named
        if pattern == "cued" and (match.group("near") or "").lower() == "outside" and not self._outside_ok(
            value, match, text
        ):
            return False  # "Outside Records reviewed", "outside MRI", "outside Labs showed": no town
        if pattern != "city_state" and TERM_HEAD_AFTER.match(text, match.end("phi")):
            return False  # "Boston Bowel Prep Scale", "Glasgow Coma Scale": an instrument named after a town
        if pattern == "after_street" and (
            any(w in _CLINICAL for w in low.split())
            or not _STREET_OR_FACILITY_END.search(text, max(0, match.start() - 60), match.start())
        ):
            return False  # "FROM X MANOR, CONCENTRATOR SN ...": equipment, not a town
        words = low.split()
        if pattern == "state_eol" and (
            match.group("st").title() not in _POSTAL_MIXED
            or any(w in _CLINICAL or w in _NOT_TOWN for w in words)
        ):
            return False
        if pattern in ("county_caps", "before_zip") and not self._place_before_ok(
            pattern, value, words, match, text
        ):
            return False
        if pattern == "word_city" and any(
            w in _NOT_TOWN or w in _CLINICAL or w in _FAC_GENERIC or w in _ORG_STOP_WORDS for w in words[:-1]
        ):
            return False  # "Inner City", "The City", "County City": no town named
        if pattern in ("civic", "city_of") and (words[0] in _NOT_TOWN or any(w in _CLINICAL for w in words)):
            return False  # "State police", "Elementary schools": no town ("Baker City schools" is one)
        if pattern == "cued_act" and not _ACT_BEFORE.search(text, max(0, match.start() - 20), match.start()):
            return False  # "in"/"from" without a verb of being somewhere
        act = pattern == "cued_act"
        if pattern == "cued_bare" and (
            any(w in _CLINICAL or w in _NOT_TOWN or w in _FACILITY_WORDS or w in _CITY_EXCLUDE for w in words)
            or all(w in _VOCAB for w in words)
        ):
            return False  # "lives Alone.", "lives Independently": no town
        if pattern in ("cued", "cued_far", "cued_act") and not self._cued_ok(value, words, match, text, act):
            return False
        if pattern == "cued_far" and (
            any(w in _NOT_TOWN or w in _FACILITY_WORDS for w in words if w not in ("city", "town"))
            or words[-1] in _CITY_EXCLUDE
            or low in _PROPER_ALLOW
            or self._at_sentence_start(text, match.start("phi"))
        ):
            return False  # "lives with son in Assisted Living", "in County housing"
        last = low.split()[-1]
        multi_title = pattern in ("cued", "cued_act") and " " in value and value.istitle()
        if multi_title and last not in _FACILITY_WORDS and not any(w in _CLINICAL for w in low.split()):
            return None  # "lives in Grand Island", "near Panama City": a named place of ordinary words
        cue_or_shape = pattern in ("suffix", "cued", "cued_act", "compass")
        # after a residence cue a capitalised name-shaped common word is a town ("home to Wise")
        exclude = _CUED_EXCLUDE if pattern == "cued" and value[0].isupper() and not match.group("near") else (
            _CITY_EXCLUDE
        )
        if cue_or_shape and (last in exclude or low in exclude):
            return False
        if pattern == "after_demo" and (
            any(w in _CLINICAL or w in _NOT_TOWN or w in _FACILITY_WORDS for w in words)
            or _NOT_PLACE_SHAPE.search(low)
        ):
            return False  # "73 y/o woman, ambulatory": a description, not a town
        if pattern == "city_state" and (last in _CLINICAL or last.endswith("ed") and last in _VOCAB):
            return False  # "DR ROE NOTIFIED, CT HEAD": a verb before a scan, not a town in Connecticut
        if pattern == "city_state" and len(words) > 1 and _PERSON_ROLE_WORD.match(words[0]):
            return False  # "Physician Jo Roe, MD": a person and a credential, not a town in Maryland
        if pattern == "cued" and value.islower() and any(w in _VOCAB for w in low.split()):
            return False  # "lives in town", "came to clinic": lower-case ordinary words are no place names
        if pattern in ("suffix", "compass") and (
            low in load_lexicon("last_names.txt") or low in load_lexicon("first_names.txt")
        ):
            return None  # a surname such as "Washington": NAME will claim it if it is one
        return None


    @staticmethod
    def _place_before_ok(pattern: str, value: str, words: list[str], match: re.Match, text: str) -> bool:
        """A town before "COUNTY" or a ZIP: no clinical or generic word; before a bare ZIP, a comma or a line
        must precede it, or a state follow it, or no word be an ordinary one ("Room 12345" is none)."""
        if any(w in _CLINICAL or w in _NOT_TOWN or w in _FACILITY_WORDS or w in _NOT_INNER for w in words):
            return False
        if pattern == "county_caps":
            return True
        before = text[max(0, match.start() - 3) : match.start()]
        stated = match.group(0)[len(value) :].strip(" \t,")[:-5].strip(" \t,-0123456789")
        if before.rstrip(" \t").endswith(",") or stated:
            return True
        return not any(w in _VOCAB or w in _CITY_EXCLUDE for w in words)

    @staticmethod
    def _outside_ok(value: str, match: re.Match, text: str) -> bool:
        """A town after a bare lower-case "outside": Title Case, closing the clause; one ordinary word only
        before punctuation ("a lake outside Republic.", not "outside Records reviewed")."""
        end = _OUTSIDE_END.match(text, match.end("phi"))
        if match.group("near") != "outside" or not value.istitle() or end is None:
            return False
        closed = end.group().strip(" \t")[:1] in (".", ",", ";", ")")
        return " " in value or value.lower() not in _VOCAB or closed

    @staticmethod
    def _at_sentence_start(text: str, pos: int) -> bool:
        return re.search(r"(?:^|[.!?:;])[ \t]*$", text[max(0, pos - 3) : pos]) is not None

    @staticmethod
    def _cued_ok(value: str, words: list[str], match: re.Match, text: str, act: bool = False) -> bool:
        """Checks the cue "near"/"works in" and ALL-CAPS places need ("NEAR SYNCOPE" is no town)."""
        if any(w in _CLINICAL for w in words):
            return False
        single_word = len(words) == 1 and words[0] in _VOCAB
        groups = match.groupdict()
        if act and single_word and not value.isupper():
            return False  # "works in Oncology": one ordinary word after an activity verb is no town
        if value.isupper() and len(value) > 1:
            if groups.get("near") and _NEAR_NOT_PLACE.search(text, max(0, match.start() - 20), match.start()):
                return False  # "HAD NEAR SYNCOPE", "WITH NEAR TOTAL OCCLUSION"
            if single_word or any(w in _NOT_TOWN or w in _FACILITY_WORDS for w in words):
                return False  # "LIVES IN TOWN", "FROM HOME"
        return True


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
    "Imaging",  # "Plaquemine Breast Imaging": a town's name before it, checked in validate_match
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
    "Post-Acute",
    "Post-Acute Care",
    "Transitional Care",
    "Transitional Care Unit",
    "Veterans Home",
    "Soldiers Home",
    "Care Facility",
    "Long-Term Care",
    "Extended Care",
    "Subacute",
    "Sub-Acute",
    "Subacute Care",
    "Nursing Center",
    "Healthcare Center",
    "Memory Care",
    "Health Partners",
    "Medical Plaza",
    "Physicians",
    "Health Services",
    "Medical Services",
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


# a campus or town after a facility name on the same line: " Sioux City", " - West", " La Crosse"
_FAC_PLACE_TAIL = re.compile(
    r"((?:[ ]+-[ ]+[A-Z][a-z]+|(?:[ ]+(?:La|Le|De|St\.|[A-Z][a-z]+)){1,2}))"
    r"(?=[ ]*(?:$|\n|\t|[,.;:)]|[ ]-[ ]|[ ](?:at|on|in|and|for)\b)|[ ]{2,}\S)"  # or a column gap
)
_NOT_PLACE = frozenset(
    "department dept report note unit floor campus division section service services office imaging "
    "laboratory lab labs radiology registration summary sheet form letter discharge admission women's "
    "men's children's today yesterday tomorrow".split()
) | frozenset(m.lower() for m in ("January", "February", "March", "April", "May", "June", "July", "August",
                                  "September", "October", "November", "December", "Monday", "Tuesday",
                                  "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))


_TAIL_STOP = (_FAC_GENERIC - {"city", "county", "state"}) | _NOT_PLACE


class FacilityRecognizer(MedflPatternRecognizer):
    """Hospital, clinic and care-home names: capitalised words followed by a facility noun."""

    ENTITY = "LOCATION"
    PATTERNS = [
        (
            "named",
            r"(?P<phi>(?:(?:St\.?|Saint|Mount|Mt\.?)[ \t]+)?"
            r"(?:[A-Z][A-Za-z'&.-]*[ ]+(?:(?:of|and|&|the)[ ]+)?)"
            r"{1,4}"
            + _FAC_SUFFIX
            + r"(?:[ ]+(?i:of|at)[ ]+(?:[A-Z][a-z]+|[A-Z]{3,})(?:[ ](?:[A-Z][a-z]+|[A-Z]{3,}))?)?)\b"
            + _FAC_NOT_AFTER,
            0.8,
        ),
        # the facility noun first, then "de"/"of" and the place: "Hospital de Zapata", "Clinica del Valle",
        # "Recovery House of Elko", "HOSPITAL DE LA PAZ"
        (
            "noun_of",
            r"(?P<phi>\b(?:Hospital|Hospitalito|Clinic|Clinica|Centro|Sanatorio|Infirmary|House|Hogar|Casa|"
            r"HOSPITAL|CLINIC|CLINICA|CENTRO|HOUSE|HOGAR|CASA)[ ]+"
            r"(?:de|del|da|do|dos|das|of|DE|DEL|OF)(?:[ ]+(?:la|las|los|LA|LAS|LOS))?[ ]+"
            r"(?P<place>(?:[A-Z][a-z]+|[A-Z]{3,})(?:[ ](?:[A-Z][a-z]+|[A-Z]{3,})){0,3}))\b",
            0.8,
        ),
        # senior-living naming: "The Pines at Santa Rosa", "The Arbors at Elm Creek"
        (
            "the_at",
            r"(?P<phi>\bThe[ ]+[A-Z][a-z]+(?:[ ][A-Z][a-z]+)?[ ]+at[ ]+(?:[A-Z][a-z]+)(?:[ ][A-Z][a-z]+)?)\b",
            0.75,
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
            if lead and r.recognition_metadata["pattern"] != "the_at":  # "The Pines at X" is the name
                r.start = lead.end()
            gaps = [g.end() for g in re.finditer(r" {3,}|\t", text[r.start : r.end])]
            if gaps:  # "RN   Pharmacy: ...": a column gap, the name is what follows it
                r.start += gaps[-1]
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
            tail = _FAC_PLACE_TAIL.match(text, r.end)
            if tail and not any(w.lower() in _TAIL_STOP or w.lower() in _CLINICAL
                                for w in re.findall(r"[A-Za-z']+", tail.group(1))):
                r.end = tail.end(1)  # "Baptist Health Sioux City", "Mercy Health - West": the campus/town
            results.append(r)
        return results + self._org_phrases(text)

    def _org_phrases(self, text: str) -> list:
        """Facilities named by an organisation or specialty head the "named" pattern lacks."""
        out = []
        heads = list(_ORG_HEAD.finditer(text))
        if "&" in text:
            heads += _ORG_AMP_HEAD.finditer(text)
        for head in heads:
            span = org_phrase(text, head)
            if span:
                out.append(self._result(span[0], span[1], 0.8, "org_head"))
        return out

    def validate_match(self, pattern, value, match, text):
        if pattern == "noun_of":
            first = match.group("place").split()[0].lower()
            return False if first in _FAC_GENERIC or first in _CLINICAL or first in _NOT_PLACE else None
        if pattern == "the_at":
            words = value.lower().split()
            if words[1] in _CLINICAL or words[1] in _FAC_GENERIC or not words[1].endswith("s"):
                return False  # "The Pines at ...": a plural landscape noun names the residence
            return None
        words = value.split()
        if pattern == "named" and words[-1].lower() == "imaging" and (
            words[0].lower() in _VOCAB or words[0].lower() in _CLINICAL or words[0].lower() in _FAC_GENERIC
        ):
            return False  # "Advanced Imaging", "Cardiac Imaging": a service, not a town's imaging centre
        if pattern == "saint" and value.split()[-1].rstrip("'s").lower() in load_lexicon("medical_allow.txt"):
            return False
        return None


# --- organisation phrases with head nouns the "named" pattern lacks ("Quorvex Opioid Treatment Program",
# "Iron Cove Nurse Advice Line", "Pellow Limb & Brace"). Found head first (one cheap regex), then the
# capitalised words before it on the same line are read back: the phrase is a facility when a modifier is a
# proper word, i.e. no generic clinical/organisation word ("Intensive Outpatient Program" is kept).
# strong heads name an organisation on their own; weak heads also name a service ("Central Line", "Sports
# Medicine"), so they need a name/place-like modifier and a service word between it and the head
_ORG_STRONG = (
    "Program Programs Programme Associates Partners Practice Practices Foundation Society Ministry Mission "
    "Authority District Patrol Pharmacy Pharmacies Laboratory Laboratories Lab Labs Physicians Specialists "
    "Consultants Surgeons Clinics Infirmary Hospice Institute Pavilion Sanatorium Cooperative Collaborative "
    "Alliance Consortium Trust Corps Squad Brigade Outfitters Apothecary Drugstore Company Corporation LLC "
    "PLLC Aeromedical"
).split()
_ORG_WEAK = (
    "Line Hotline Helpline Unit Station Group Services Service Network Team Office Agency Council "
    "Department Site Suites Campus"
).split()
# specialties as heads: a name or place right before is enough ("Quarne Pediatrics")
_ORG_SPECIALTY = (
    "Medicine Pediatrics Paediatrics Orthopedics Orthopaedics Dermatology Urology Cardiology Oncology "
    "Neurology Ophthalmology Optometry Audiology Podiatry Chiropractic Dentistry Dental Radiology "
    "Gastroenterology Pulmonology Nephrology Rheumatology Endocrinology Obstetrics Gynecology Psychiatry "
    "Wellness Therapeutics Vision Eyecare Hearing Aesthetics Skin Spa Allergy Orthodontics Endodontics "
    "Periodontics Counseling Optical Ambulance Rescue EMS Supply Equipment Shelter Ortho Derm Peds "
    "Cardiovascular Neurosurgery Fertility Bariatrics Midwifery Smiles Kids Sight Hyperbaric Aerospace "
    "Toxicology"
).split()


def _first_letter_trie(words: set[str]) -> str:
    """An alternation grouped by first letter: about twice as fast to scan as a flat one (speed)."""
    by_first: dict[str, list[str]] = {}
    for w in words:
        by_first.setdefault(w[0], []).append(w[1:])
    return "(?:" + "|".join(
        k + "(?:" + "|".join(sorted(v, key=len, reverse=True)) + ")" for k, v in sorted(by_first.items())
    ) + ")"


_ORG_HEAD = re.compile(
    r"\b" + _first_letter_trie({h for w in _ORG_STRONG + _ORG_WEAK + _ORG_SPECIALTY for h in (w, w.upper())})
    + r"(?![\w'-])"
)
# the last word of an "&" pair is a head too: "Pellow Limb & Brace", "Quorra Heart & Vascular"
_ORG_AMP_HEAD = re.compile(r"(?<=[A-Za-z] & )(?:[A-Z][a-z]+|[A-Z]{2,})(?![\w'-])")
_ORG_STRONG_SET = frozenset(w.lower() for w in _ORG_STRONG)
_ORG_SPECIALTY_SET = frozenset(w.lower() for w in _ORG_SPECIALTY)
# words of a phrase read back from the head: Title Case or capitals, possessives, "St.", "&"/"and"/"of"
_ORG_WORD = re.compile(r"(?:[A-Z][a-z]+|[A-Z]{2,}|[A-Z][a-z]*\.|[A-Z][a-z]+-[A-Z][a-z]+)(?:'s|s'|'S|S')?$")
_ORG_JOINT = frozenset({"&", "and", "of", "AND", "OF"})
# words that describe a service or an organisation, not which one: a phrase of these only is no facility
_ORG_GENERIC = (
    _FAC_GENERIC | _ORG_STRONG_SET | _ORG_SPECIALTY_SET
    | frozenset(w.lower() for w in _ORG_WEAK) | {n.lower() for n in _FAC_NOUNS}
    | frozenset(
        "national american international federal global world united us u.s. north south east west northern "
        "southern eastern western central upper lower greater right left new old main first second third "
        "regional area district county state city town village tribal rural urban metro metropolitan "
        "advanced integrated comprehensive complete total premier premium elite quality superior "
        "special specialty specialized family women's children's men's kids pediatric adult adults senior "
        "seniors youth young infant newborn maternal nurse nurses nursing advice crisis triage poison "
        "support recovery treatment prevention control management education research training "
        "opioid substance alcohol drug drugs tobacco smoking cessation weight diet nutrition "
        "fitness exercise travel sports occupational physical speech respiratory intensive outpatient "
        "inpatient day night "
        "partial residential home health healthcare care medical medicine clinical hospital clinic center "
        "emergency urgent primary acute chronic critical palliative hospice long-term short-term mobile "
        "community public private group practice patient patients client clients member members "
        "assistance assisted living independent access resource resources information referral "
        "laboratory lab labs radiology imaging diagnostic diagnostics laser skin vein foot ankle hand "
        "spine joint joints bone bones eye eyes ear ears nose throat heart vascular lung lungs kidney liver "
        "brain head neck back sleep pain wound hyperbaric infusion dialysis transplant cancer breast "
        "hearing balance vision dental oral teeth limb limbs brace braces prosthetic prosthetics orthotic "
        "orthotics ski rescue search safety fire police ambulance ems air flight ground "
        "mental behavioral psychological counseling counselling social services service case "
        "employee employees staff student students university college school academic teaching "
        "veterans veteran military army navy va faith christian catholic jewish baptist methodist "
        "lutheran presbyterian adventist episcopal mercy charity sisters brothers saint st st. holy "
        "the a an our your my his her their this that these those all any each every other "
        "cath echo neuro tele interventional medicaid medicare tricare champva waiver".split()
    )
)
# clinical and capitalised non-PHI words (agencies, organisms): generic unless a place word ("Creek")
_ORG_LEXICAL = _CLINICAL | load_lexicon("proper_allow.txt")
_ORG_NAMES = (load_lexicon("last_names.txt") | load_lexicon("first_names.txt")) - _ORG_GENERIC - _ORG_LEXICAL
_ORG_COMMON = load_lexicon("common_words.txt")  # ordinary words, unless a listed surname ("Cook")
# place-like words: town and landscape nouns ("Iron Cove", "Blue Ridge Hollow", "Lakes Country")
_ORG_PLACE_WORDS = (
    load_lexicon("street_suffixes.txt") | _KNOWN_CITIES
    | frozenset(
        "lake lakes ridge ridges hollow valley creek river hills hill mountain mountains springs falls bay "
        "harbor harbour point pointe grove glen meadow meadows woods wood forest pines prairie plains mesa "
        "canyon bluff bluffs island islands isle coast shore shores country heights crossing landing summit "
        "peak peaks rock rocks rapids fork forks junction bend gap cove beach dale vale brook field fields "
        "range lights crest cascade cascades basin delta desert highlands lowlands marsh sound narrows "
        "pass gulch ferry mills mill bridge bridges haven port".split()
    )
) - {"center", "centers", "club", "course", "common", "way", "park"}
_ORG_ADJ_SHAPE = re.compile(r"(?:ic|ical|ary|ory|ologic|ics|iatric|metric|otic|ative|ence)$")
_ORG_SHAPE_STOP = re.compile(
    r"(?i)^(?:.{3,}(?:ed|ing|ly|tion|sion|ment|ness|ive|ity|ism|ist|able|ible)|.*'t)$"
)


_HEAD_WORD = re.compile(r"[A-Za-z]+")
# heads that extend the organisation named before them ("X Regional Hospital Authority", "X Hospital &
# Clinics"); other heads after a facility noun name one of its departments ("X Hospital Dialysis Unit")
_ORG_EXTENDS = frozenset(
    "authority district clinics partners associates foundation network group system alliance consortium "
    "cooperative collaborative trust society corporation company llc pllc".split()
)
_ORG_FACILITY_NOUNS = frozenset("hospital hospitals clinic center centre institute infirmary health system "
                                "campus hosp ctr".split())
_ORG_STOP = frozenset("at in to from by for with on dr mr mrs ms per via".split())


def _org_start(text: str, head_start: int) -> tuple[int, list[str]]:
    """The capitalised words before a head on its line (single spaces, no column gap); (start, words)."""
    line_start = text.rfind("\n", 0, head_start) + 1
    seg = text[max(line_start, head_start - 90) : head_start]
    toks = seg.split(" ")
    if not toks or toks[-1] != "":
        return head_start, []  # the head is glued to something ("X-Line"), or a tab precedes it
    toks.pop()
    words: list[str] = []
    pos = head_start - 1
    # the head's case is the phrase's; after an acronym head ("LLC", "EMS"), the case of the word before it
    head = _HEAD_WORD.match(text, head_start).group()
    prev = next((t for t in reversed(toks) if t not in _ORG_JOINT), "")
    caps = head.isupper() and (len(head) > 4 or prev.isupper())
    extends = head.lower() in _ORG_EXTENDS
    for t in reversed(toks):
        if not t or "\t" in t:
            break  # a column gap or a tab: another field
        if t[0] in "([" and len(t) > 1 and _ORG_WORD.match(t[1:]):  # "(Ajo County Health Department)"
            words.insert(0, t[1:])
            pos -= len(t) - 1
            break
        is_joint = t in _ORG_JOINT
        if not is_joint and not _ORG_WORD.match(t) or t.lower() in _ORG_STOP:
            break  # "... DR ROE AT X INFIRMARY": a preposition or title ends the name
        if not extends and words and t.lower() in _ORG_FACILITY_NOUNS:
            break  # "X Hospital Maternal-Fetal Medicine": a department after the facility's own name
        if not is_joint and t.isupper() != caps and not (not caps and len(t.rstrip(".")) <= 4):
            break  # "PT Cook Opioid ...", "AFTERCARE PLAN Unit": a change of case ends it (acronyms aside)
        words.insert(0, t)
        pos -= len(t) + 1
        if len(words) >= 6:
            break
    while words and words[0] in _ORG_JOINT:  # the phrase starts with a word, not "and"/"of"
        pos += len(words[0]) + 1
        words.pop(0)
    return pos + 1, words


def _org_word_kind(word: str) -> str:
    """'proper' (a name, place or unknown word), 'plain' (an ordinary word) or 'generic' (a service word)."""
    low = word.lower().rstrip(".")
    low = low[:-2] if low.endswith(("'s", "s'")) and low[:-2] not in _ORG_GENERIC else low
    if low in _ORG_GENERIC or len(low) < 2:
        return "generic"
    if "-" in low and all(_org_word_kind(p) == "generic" or p in _VOCAB for p in low.split("-") if p):
        return "generic"  # "Maternal-Fetal", "Drive-Thru": a compound of ordinary words
    if _ORG_SHAPE_STOP.match(low) and (low in _VOCAB or not low.endswith("ly")):
        return "generic"  # words of English shape ("Integrated", "Wilderness"); "Ketterly" is a place
    if low in _ORG_NAMES or low in _ORG_PLACE_WORDS:
        return "proper"
    if len(low) >= 8 and _ORG_ADJ_SHAPE.search(low) or _DISEASE_SHAPE.search(low):
        return "generic"  # a clinical adjective or term no list knows ("Neurodiagnostic", "Cystinosis")
    if low in _ORG_LEXICAL:
        return "generic"
    if word.isupper() and len(low) <= 4:
        return "plain"  # an acronym ("IJ Triple Lumen ...", "EP Lab", "WIC Program"), not a proper name
    if low in _ORG_COMMON:
        return "generic"
    return "plain" if low in _VOCAB else "proper"


def org_phrase(text: str, head: re.Match) -> tuple[int, int] | None:
    """(start, end) of a facility phrase ending in `head`, or None (see the comment above _ORG_STRONG)."""
    start, words = _org_start(text, head.start())
    if not words:
        return None
    kinds = [_org_word_kind(w) for w in words if w not in _ORG_JOINT]
    strong = head.group().lower() in _ORG_STRONG_SET
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    # a field opens here: the line's start, a label, a comma, a bracket, a dash or a column gap
    at_head = not before.strip(" \t") or before.endswith(("  ", "\t")) or before.rstrip(" ")[-1:] in ":,(-"
    # the first non-generic word: the phrase's proper part starts there
    first = next((i for i, k in enumerate(kinds) if k != "generic"), None)
    if first is None:
        return None  # "Intensive Outpatient Program", "Nurse Advice Line": a service, not a facility
    caps = words[-1].isupper()
    if "proper" not in kinds[first:]:
        # only ordinary words before the head ("Salmon Laser & Skin"): they must open a field (a line, a
        # label) and precede an "&" pair or, in Title Case, a strong head (capitals: "ATTEND OPIOID ..." kept)
        amp = "&" in words or "and" in words
        if first or not at_head or kinds[-1] != "generic" or not (amp or strong and not caps):
            return None
    specialty = head.group().lower() in _ORG_SPECIALTY_SET
    pair = words[-1] == "&" and len(kinds) >= 2  # "Quarnby Dive & Hyperbaric": a pair after a proper word
    if not (strong or pair) and not (specialty and kinds[-1] == "proper") and kinds[-1] != "generic":
        return None  # "Central Line", "Hickman Line": a weak head needs a service word before it
    # trim the leading service words and determiners: "Outpatient Cook Opioid ..." starts at "Cook"; a
    # known word of English shape stays ("Rolling Fork ...")
    for w in words:
        if w in _ORG_JOINT or w.lower().rstrip(".") in _ORG_GENERIC or w.lower() in _ORG_LEXICAL:
            start += len(w) + 1
            continue
        break
    return start, head.end()
