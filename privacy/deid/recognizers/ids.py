"""Numeric and alphanumeric identifiers: SSN, record/account/plan numbers, licenses, devices, vehicles.

Labelled ids ("MRN: 00123456") score high on the label alone; unlabelled ones need a shape that clinical
values never have (7+ digits, letter-prefixed serials) or a passing checksum (SSN area rules, Luhn for
card/NPI numbers, the DEA check digit, the VIN check digit).

Privacy default: any long digit run (6+ digits, dashed or evenly spaced) or mixed letter-digit code (7+
characters, 5+ digits; Medicare MBI shape; GS1/HIBC UDI strings) is presumed to be an identifier unless
something explains it as clinical content: a unit after it ("1000 mL", "100000IU"), a lab/count or code-system
name before it ("Plt 250000", "SNOMED 44054006"), a clinical code shape (TNM stage, G/P, gene+variant, SNP),
a bracketed reference range "(135-145)" or a list of clock times. Shorter codes fail closed too: any
letters+digits token with 3+ digits and 2+ letters ("UNOS LZC056") is an identifier unless it has one of the
clinical code shapes in `clinical_alnum` (a unit-glued quantity, a gene variant or symbol, a cycle/day, a
spinal level, an isotope, a tumour marker, CD/HLA types, EEG electrodes, ...). Nationwide public service
numbers (Poison Control 1-800-222-1222) identify nobody and are left alone.
"""

from __future__ import annotations

import re

from medfl.privacy.deid.recognizers.base import MedflPatternRecognizer, by_first_letter, lead


def luhn_ok(digits: str) -> bool:
    ds = [int(c) for c in digits if c.isdigit()]
    if len(ds) < 2:
        return False
    total = 0
    for i, d in enumerate(reversed(ds)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def ssn_ok(value: str) -> bool:
    """SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000."""
    d = re.sub(r"\D", "", value)
    if len(d) != 9:
        return False
    area, group, serial = d[:3], d[3:5], d[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def dea_ok(value: str) -> bool:
    """DEA registration: 2 letters + 7 digits, (d1+d3+d5) + 2*(d2+d4+d6) ends in d7."""
    m = re.fullmatch(r"[A-Za-z]{2}(\d{7})", value)
    if not m:
        return False
    d = [int(c) for c in m.group(1)]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


def npi_ok(value: str) -> bool:
    """NPI: 10 digits, Luhn over the number prefixed with 80840."""
    return bool(re.fullmatch(r"[12]\d{9}", value)) and luhn_ok("80840" + value)


_VIN_MAP = {
    **{str(i): i for i in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def iban_ok(value: str) -> bool:
    """IBAN: move the first 4 characters to the end, letters -> 10..35, the number mod 97 must be 1."""
    v = value.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", v):
        return False
    return int("".join(str(int(c, 36)) for c in v[4:] + v[:4])) % 97 == 1


def vin_ok(value: str) -> bool:
    v = value.upper()
    if len(v) != 17 or any(c not in _VIN_MAP for c in v):
        return False
    check = sum(_VIN_MAP[c] * w for c, w in zip(v, _VIN_W, strict=True)) % 11
    return v[8] == ("X" if check == 10 else str(check))


class SsnRecognizer(MedflPatternRecognizer):
    ENTITY = "SSN"
    PATTERNS = [
        (
            "labelled",
            r"(?i:\b(?=[a-z])(?:ssn|ss#|ss\s?no\.?|soc(?:ial)?\.?(?:\s+sec(?:urity)?\.?)?(?:\s+(?:number|no\.?|#))?)"
            r"(?:\s+(?:is|was))?\s*[:#=-]?\s*)(?P<phi>\d(?:[ \t]?[- .\u2010-\u2015/]?[ \t]?\d){8})(?![\d-])",
            1.0,
        ),
        # 3-2-4 digits joined by any one separator, blanks around it too: "123-45-6789", "123/45/6789",
        # "123 - 45 - 6789", "123~45~6789" (the SSA rules decide)
        ("dashed",
         r"(?P<phi>" + lead(r"\d", r"\w-") + r"\d{2}[ ]?([-./~:])[ ]?\d{2}[ ]?\2[ ]?\d{4})(?![\w-]|\.\d)",
         0.5),
        ("spaced", r"(?P<phi>" + lead(r"\d", r"\w-") + r"\d{2} \d{2} \d{4})(?![\w-])", 0.4),
        # a masked SSN still shows its last four digits: "xxx-xx-1234", "***-**-1234", "SSN (last 4): 1234"
        ("masked", r"(?<![\w-])(?P<phi>[xX*#]{3}[- ]?[xX*#]{2}[- ]?\d{4})(?![\w-])", 0.9),
        (
            "last4",
            r"(?i:\b(?=[a-z])(?:ssn|ss#|social(?:\s+security)?(?:\s+(?:number|no\.?|#))?)[ \t]*\(?"
            r"(?:last|l)[ \t]*(?:4|four)(?:[ \t]+digits)?\)?[ \t]*[:#=-]?[ \t]*(?:is[ \t]+)?)"
            r"(?P<phi>\d{4})(?!\d)",
            1.0,
        ),
        # "last 4 of SSN (1234)", "last four digits of her social security number: 1234", "SSN ending in
        # 1234", "SSN ***1234": the last four digits are still part of the number
        (
            "last4_of",
            r"(?i:(?:\b(?:last|final)[ \t]+(?:4|four)(?:[ \t]+(?:digits|numbers|#s))?[ \t]+(?:of[ \t]+)?"
            r"(?:(?:the|his|her|their|pt'?s|patient'?s|my)[ \t]+)?"
            r"(?:ssn|ss#|soc(?:ial)?(?:[ \t]+sec(?:urity)?)?)"
            r"(?:[ \t]+(?:number|no\.?|#))?|\b(?:ssn|ss#|social(?:[ \t]+security)?(?:[ \t]+number)?)"
            r"[ \t]+(?:ending|ends|that[ \t]+ends)[ \t]+(?:in|with|w/))"
            r"[ \t]*(?:[:#=(-]|is|was|verified|confirmed|given)?[ \t]*(?:as[ \t]+)?\(?[ \t]*"
            r"(?:[xX*#]{3,5}[- ]?(?:[xX*#]{2}[- ]?)?)?)(?P<phi>\d{4})(?!\d)",
            1.0,
        ),
        (
            "masked_run",
            r"(?i:\b(?:ssn|ss#|social(?:[ \t]+security)?(?:[ \t]+(?:number|no\.?|#))?)[ \t]*[:#=]?[ \t]*)"
            r"(?P<phi>[xX*#]{3,5}[- ]?\d{4})(?![\w-])",
            1.0,
        ),
    ]
    CONTEXT = ["ssn", "social security", "social", "ss#"]
    GATES = {"labelled": ("ss", "soc"), "masked": ("xx", "**", "##"), "last4": ("last",),
             "last4_of": ("last", "final", "ending", "ends"), "masked_run": ("xxx", "***", "###")}

    def validate_match(self, pattern, value, match, text):
        if pattern in ("labelled", "masked", "last4", "last4_of", "masked_run"):
            return True  # the label decides: even an invalid-looking SSN next to "SSN:" is scrubbed
        return True if ssn_ok(value) else False


# A labelled value: digit groups split by spaces ("12 34 56 78"), or a code with at least one digit,
# optionally after a short capital prefix ("XJH 123456789")
_ID_VALUE = (
    r"(?P<phi>[A-Z]{0,3}\d{2,5}(?:[ ]\d{2,5}){1,5}(?![\w-]|[.,]\d)|"
    r"(?=[A-Z]{0,3}\d)[A-Z0-9]{3,5}(?:[ ](?=[A-Z]{0,3}\d)[A-Z0-9]{2,5}){1,4}(?![\w-]|[.,]\d)|"
    # a short capitalised prefix in any case ("RPh 8207631", "XJH 123456789")
    r"(?:(?!(?:SSN|MRN|DOB|NPI|DEA|FAX|TEL|ID|NO|No|Is)[ ])[A-Z][A-Za-z]{0,3}[ ](?=\d))?"
    r"(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,}[A-Za-z0-9]"
    # slash/dot-joined tails: a check digit or a dotted account ("1234567/8", "5513.70537.4"), and a
    # zero-padded suffix ("407395598 02": a member's person code)
    r"(?:[/.][A-Za-z0-9]+)*(?:[ ]0\d(?![\w-]|[.,]\d))?(?![\w-]))"
)
# Words that make a number a person's identifier when they label it, one set per HIPAA identifier kind.
_NUM = r"(?:\s+(?:number|num|no\.?|#|id|code))?"
_MRN_WORDS = (
    r"mrn|mr\s?#|med(?:ical)?\s+rec(?:ord)?" + _NUM + r"|record" + _NUM + r"|e?mpi|upi|pid|"
    r"patient\s+(?:id|number|no\.?|#)|pt\s+(?:id|number|no\.?|#)|unit\s+(?:number|no\.?|#)|chart" + _NUM
    + r"|(?:hospital|hosp|clinic|case|file|registration|reg)\s+(?:number|num|no\.?|#)|"
    # "MR 1511159/9": MR (mitral regurgitation too) labels a number only when 5+ digits follow
    r"mr(?=\s*[:#]?\s*\d{5})"
)
_ACCOUNT_WORDS = (
    r"acct|account" + _NUM + r"|a/c|enc(?:ounter)?" + _NUM + r"|visit" + _NUM + r"|fin|csn|har|"
    r"claim" + _NUM + r"|invoice" + _NUM
)
# payers: a code written right after an insurer's name is its member/subscriber number
_PAYERS = (
    r"medicare(?:\s+part\s+[a-d]|\s+advantage|\s+a/b)?|medicaid|medi-?cal|masshealth|tenncare|ahcccs|"
    r"bcbs\w{0,3}|blue\s+cross(?:\s+(?:and\s+|&\s*)?blue\s+shield)?|blue\s+shield|anthem|aetna|cigna|humana|"
    r"united\s*health\s*care|uhc|kaiser(?:\s+permanente)?|tricare|champva|molina|centene|wellcare|ambetter|"
    r"highmark|carefirst|premera|regence|amerigroup|caresource|emblem\s*health|harvard\s+pilgrim|"
    r"tufts|geisinger|healthfirst|fidelis|optum|medigap|hmo|ppo|epo"
)
_HEALTH_PLAN_WORDS = (
    _PAYERS + r"|(?:primary|secondary|tertiary)(?:\s+ins(?:urance)?)?|"
    r"ins(?:urance)?(?:\s+card)?" + _NUM + r"|"
    r"(?:supplement(?:al)?|supp|medigap|advantage|health|insurance|dental|drug|vision)\s+plan" + _NUM + r"|"
    r"member" + _NUM + r"|mem\s*id|subscriber" + _NUM + r"|sub\s*id|policy" + _NUM + r"|pol\s*#|"
    r"group" + _NUM + r"|grp" + _NUM + r"|health\s+plan" + _NUM + r"|plan\s+(?:id|number|no\.?|#|code)|"
    r"payer\s+id|rx\s*(?:bin|pcn|grp|group|id|#)|pcn|insurance" + _NUM + r"|ins\s+(?:id|#)|"
    # "Plan 91652287G": a bare "plan" labels a number only when 5+ digits follow
    r"plan(?=\s*[:#]?\s*[A-Z]{0,3}\d{5})|"
    r"beneficiary" + _NUM + r"|medicaid" + _NUM + r"|mcd" + _NUM + r"|medicare" + _NUM + r"|mcr" + _NUM
    + r"|mbi|hicn?|auth(?:orization)?" + _NUM + r"|prior\s+auth" + _NUM + r"|referral" + _NUM
)
_OTHER_ID_WORDS = (
    r"confirmation" + _NUM + r"|ticket" + _NUM + r"|tracking" + _NUM + r"|"
    r"order" + _NUM + r"|requisition" + _NUM + r"|req\s*#|accession" + _NUM + r"|acc\s*#|"
    r"specimen" + _NUM + r"|spec\s*#|sample\s+(?:id|number|no\.?|#)|lab\s+(?:id|number|no\.?|#)|"
    r"barcode|(?:wrist|arm|id\s+|patient\s+)band|bracelet|band\s*(?:#|number|no\.?)|"
    r"badge" + _NUM + r"|employee" + _NUM + r"|staff\s+(?:id|number|no\.?|#)|case" + _NUM + r"|"
    r"path(?:ology)?\s+(?:number|no\.?|#)|surg(?:ical)?\s+path" + _NUM + r"|"
    r"id|ref(?:erence)?" + _NUM + r"|(?:series\s+|study\s+|instance\s+)?uid|guid|uuid|oid|"
    r"file" + _NUM + r"|npi" + _NUM + r"|dea" + _NUM + r"|"
    # registries, transplant and research enrolment: "UNOS 448213", "NMDP #: 2231-77", "subject 0042-117"
    r"unos|opo|nmdp|registry" + _NUM + r"|donor" + _NUM + r"|recipient" + _NUM + r"|subject" + _NUM + r"|"
    r"study\s+(?:id|number|no\.?|#)|enrol(?:l)?ment" + _NUM + r"|"
    # custody and death investigation: "Inmate #A12345", "DOC 123456", "booking 2024-001234", "ME case 24-113"
    r"inmate" + _NUM + r"|booking" + _NUM + r"|offender" + _NUM + r"|doc\s*#|doc\s+(?:id|number|no\.?)|"
    r"jail" + _NUM + r"|autopsy" + _NUM + r"|coroner" + _NUM + r"|me\s+case" + _NUM
)


# any identifier label word on its own ("MRN", "Acct"): never part of an unlabelled code
_ANY_LABEL = re.compile(
    r"(?i)(?:" + "|".join((_MRN_WORDS, _ACCOUNT_WORDS, _HEALTH_PLAN_WORDS, _OTHER_ID_WORDS))
    + r"|ssn|lic|dea|npi|rx)"
)


def _label(words: str) -> str:
    """A label made of `words`, then "is/was", ":", "#", "no." and blanks before the value."""
    return (r"(?i:\b(?=[a-z])(?:" + by_first_letter(words) + r")(?![a-z])(?:\s+(?:is|was))?\s*(?:[:#.=(]\s*)*"
            r"(?:no(?![a-z])\.?\s*)?)")


# Medicare Beneficiary Identifier: C A AN N A AN N A A N N (11 characters, dashes optional)
_MBI = r"[1-9][A-Za-z][A-Za-z0-9]\d[- ]?[A-Za-z][A-Za-z0-9]\d[- ]?[A-Za-z]{2}\d{2}"
# glued units: "100000IU", "250000cells" are quantities
_GLUED_UNIT = re.compile(r"(?i)\d+(?:mg|mcg|ug|ml|iu|u|units?|cells|copies|k|mm|cm|kg|g|l|bp|kb|mb|hz)")
# Mixed letter-digit codes that are clinical, not personal: TNM stages, gravida/para, genes+variants.
_CLINICAL_CODE = re.compile(
    r"(?i)[cpyra]{0,2}T[0-4xis][a-d]?N[0-3x][a-c]?M[01x][a-c]?|G\d{1,2}P\d{1,4}|[A-Z]{2,6}\d{0,2}[A-Z]\d{2,4}[A-Z]"
)


# Allow-list for the fail-closed letter+digit rule ("alnum_code"): the shapes of clinical codes that have 3+
# digits and 2+ letters. Anything else of that shape is presumed to be an identifier ("UNOS LZC056").
_UNIT_WORDS = (
    r"mg|mcg|ug|ng|pg|g|gm|kg|lbs?|oz|ml|cc|l|dl|meq|mmol|umol|mol|iu|u|units?|cells|copies|k|mm|cm|m|km|in|ft|"
    r"w|hz|khz|mhz|bpm|mmhg|cmh2o|ms|msec|sec|secs|s|min|mins|hr|hrs|h|d|days?|wks?|weeks?|mos?|months?|yrs?|"
    r"years?|yo|x|fr|f|ga|gy|cgy|mgy|mci|mbq|kcal|cal|kj|mosm|nm|um|gtts?|tabs?|caps?|puffs?|am|pm|fx|mv|uv|"
    r"kv|kvp|mas|db|dbhl|ku|kua|kiu|mu|miu|ng|uiu|"
    r"st|nd|rd|th|s"
)
_CLINICAL_ALNUM = re.compile(
    r"(?:"
    r"\d+(?:[.-]\d+)*(?i:" + _UNIT_WORDS + r")(?:\d+(?i:" + _UNIT_WORDS + r"))?"  # 500mg, 100th, 1990s, 39w6d
    # variants: V600E, JAK2V617F, C677T, L858Rfs
    r"|[A-Z]{0,6}\d{0,2}[A-Z]\d{2,5}(?:[A-Z](?:fs)?|fs|del|ins|dup)"
    r"|[A-Z]{3,6}\d{1,3}[A-Z]{1,2}\d{0,3}"  # gene symbols with an inner letter: FAM126A, SLC30A10, CYP2C19
    r"|C\d{1,2}D\d{1,2}"  # chemotherapy cycle/day: C12D15
    r"|[CTLS]\d{1,2}(?:-[CTLS]?\d{1,2})+"  # spinal levels: T10-T12, T12-L1
    r"|(?:Tc|Ga|Lu|Ra|Sm|Tl|Xe|In|Rb|Sr|Cs|Co|Ir|Pd|Au|Zr|Cu|Ac|Pb|Ho|Re|Mo)-?\d{2,3}m?"  # isotopes: Lu-177
    r"|[IFYPCNOK]-\d{1,3}m?"  # one-letter isotopes: I-123, F-18, Y-90
    # tumour markers, CD antigens, HLA types
    r"|CA-?\d{2,3}(?:-\d)?|CD\d{1,3}[a-z]?|HLA-[A-Z]{1,3}\d?\*?\d{2,5}"
    r"|ICD-?\d{1,2}(?:-CM|-PCS)?|BNT162b2|mRNA-\d{4}|COVID-\d{2}"
    r"|\d+(?:\.\d+)?(?:-[A-Za-z]+)+"  # a number then words: 100-year-old, 24-hour, 300-fold
    # EEG electrode chains: F7-T3-T5-O1, Fp1-F3, Fz-Cz-Pz
    r"|(?:(?:Fp|AF|FC|FT|CP|TP|PO|F|C|T|P|O|A|M)(?:\d{1,2}|z))(?:-(?:Fp|AF|FC|FT|CP|TP|PO|F|C|T|P|O|A|M)(?:\d{1,2}|z))+"
    # radiotherapy volumes and MDS/OASIS items: PTV5040, CTV4500, GG0130A
    r"|(?:PTV|CTV|GTV|ITV|IGTV|PRV)[A-Za-z]{0,2}\d{2,5}[A-Za-z]{0,2}|GG\d{4}[A-Z]?\d?"
    # a word then a number: Blink-182, Apollo-11 (codes are written in capitals)
    r"|[A-Za-z][a-z]{3,}-\d{1,4}"
    r")"
)
# words that make a letters+digits token a gene/protein name ("ZNF217 amplification", "MIR155 expression")
_GENE_CONTEXT = re.compile(
    r"(?i)\b(?:gene|genes|mutation|mutations|mutated|mutant|variant|variants|deletion|duplication|"
    r"amplification|amplified|fusion|rearrangement|rearranged|polymorphism|genotype|allele|carrier|"
    r"expression|overexpression|wild-?type|ihc|fish|ngs|sequencing|germline|somatic|pathogenic|vus|marker|"
    r"antigen|antibody|protein|receptor|kinase|enzyme|isoform)\b"
)


def clinical_alnum(value: str, text: str = "", start: int = 0, end: int = 0) -> bool:
    """True if a letters+digits token is a clinical code shape (unit-glued quantity, ordinal, gene variant,
    gene symbol, cycle/day, spinal level, isotope, tumour marker, CD/HLA type), or a letters-then-digits token
    (a possible gene symbol, "ZNF217") with gene/protein wording within a few words."""
    # (a variant is never split between its letter and its 3+ digit position: "LAFW-4427-Z" is a serial)
    if (_CLINICAL_CODE.fullmatch(value.replace("-", "")) and not re.search(r"[A-Za-z]-\d{3}", value)) or \
            _CLINICAL_ALNUM.fullmatch(value):
        return True
    if text and re.fullmatch(r"[A-Z]{2,6}\d{1,4}[A-Z]?", value):
        return _GENE_CONTEXT.search(text, max(0, start - 30), min(len(text), end + 30)) is not None
    return False


# Right before a number, these explain it as clinical content: a lab/count name ("Plt 250000", "viral load
# 1200000") or a terminology code system ("SNOMED 44054006", "NDC 0002-8215-01").
_CLINICAL_BEFORE = re.compile(
    r"(?i)\b(?:plt|platelets?|wbc|anc|alc|cd4|cd8|viral\s+load|vl|rna|dna|hbv|hcv|hiv|count|titer|level|"
    r"glucose|weight|wt|steps|calories|kcal|icd-?(?:9|10)(?:-cm)?|cpt|hcpcs|loinc|snomed(?:[ -]?ct)?|ndc|"
    r"rxnorm|rxcui|cui|omim|pmid|doi|ec|cas|range|normal|nl)(?:\s+code)?\s*(?:[:=#]|of|is|was)?\s*$"
)



# nationwide public service numbers identify nobody: Poison Control, the NSPL, domestic-violence and
# SAMHSA helplines
_PUBLIC_NUMBERS = frozenset({"8002221222", "8002738255", "8007997233", "8006624357"})


def public_number(value: str) -> bool:
    """True for a nationwide public service number ("1-800-222-1222"), with or without the leading 1."""
    digits = re.sub(r"\D", "", value)
    return (digits[1:] if len(digits) == 11 and digits[0] == "1" else digits) in _PUBLIC_NUMBERS


# a value that ends in a full month-day-year date is a date, not an id number
_FULL_DATE = re.compile(r"(?<![\d-])(?:0?[1-9]|1[0-2])([-/.])(?:0?[1-9]|[12]\d|3[01])\1(?:19|20)\d\d$")


# a value that starts with a month-day-year date (2- or 4-digit year)
_DATE_START = re.compile(r"(?:0?[1-9]|1[0-2])([-/.])(?:0?[1-9]|[12]\d|3[01])\1(?:\d{4}|\d{2})(?!\d)")


# an isotope as the first token of a run: "I-123 200", "Tc-99m 25"
_ISOTOPE_FIRST = re.compile(r"(?:[IFYPCNOK]|Tc|Ga|Lu|In|Tl|Rb|Xe|Sm|Ra|Zr|Cu)-\d{1,3}m?(?:[ ]|$)")
_ISO_DATE = re.compile(r"(?:19|20)\d\d([-/.])\d{1,2}\1\d{1,2}")
_MONTH_TOKEN = re.compile(r"(?i)(?<![a-z])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?![a-z])")


def times_list(value: str) -> bool:
    """True for a run of 24-hour clock times ("0800 1400 2000"): administration times, not a number."""
    groups = re.split(r"[ .-]", value)
    return len(groups) > 1 and all(
        len(g) == 4 and g.isdigit() and int(g[:2]) < 24 and int(g[2:]) < 60 for g in groups
    )


# a unit or a result word in a table cell ("| 12 HRS |", "| 2 NEG |") is clinical, not a plate
_CELL_WORDS = re.compile(r"(?i)(?:" + _UNIT_WORDS + r"|neg|pos|nml|abn|wnl|low|high|yes|na|nd|tid|bid|"
                         r"qid|prn|hs|qd|qhs|po|iv|im|sc|od|os|ou)")


def clinical_before(text: str, start: int) -> bool:
    """True if a lab/count name or a terminology code system comes right before position `start`."""
    return _CLINICAL_BEFORE.search(text, max(0, start - 25), start) is not None


class _IdRecognizer(MedflPatternRecognizer):
    """What the identifier recognizers share: the "ID" entity, cue words, and the checks that keep clinical
    numbers (doses, counts, ranges, clock times, codes) from being taken for identifiers."""

    ENTITY = "ID"
    CONTEXT = ["mrn", "record", "account", "acct", "id", "number", "#", "member", "policy", "insurance",
               "card", "plan", "encounter", "visit", "claim", "medicare", "medicaid", "subscriber", "group",
               "order", "accession", "specimen"]
    # a unit explains a number only on its own line: "Ins: 90676581041\n\nCC: fever" is no "cc" quantity
    # ... and "UNIT 6W", "Unit: 4B" after a number is a ward label in a banner line, not a dose unit
    # ... and a slash makes it a rate or a concentration only before a unit: "250000/uL", "5000 units/kg";
    # "1234567/LV", "7045497/TU" carry a site or check suffix
    _UNIT_AFTER = re.compile(
        r"/(?=[%\u00b5]|(?:[umnd]?l|mcl|[mk]?g|mm[23]?|cm[23]?|m2|min|h|hrs?|d|days?|wks?|mos?|yrs?|hpf|lpf|"
        r"doses?|kcal|u|iu|units?|mmol|meq|mol|cells|sec|breaths?|beats?|bpm)(?![a-z]))|"
        r"[ \t]{0,2}(?:(?:units?|u)\b(?![ \t]*(?:[:#]|\d))|mg\b|mcg\b|ml\b|cells|copies|"
        r"iu\b|g\b|kg\b|l\b|cc\b|meq\b|mmol\b)",
        re.I,
    )

    _CELL_OPEN = re.compile(r"(?:^|[|\t]|[ ]{2})[ \t]*$", re.M)

    def _cell_number(self, value: str, text: str, match: re.Match) -> bool:
        """A number that fills a table cell or column (it opens one too) and is no quantity, decimal, range,
        ratio, list of clock times or spaced row of small values."""
        start = match.start()
        if not self._CELL_OPEN.search(text, max(0, text.rfind("\n", 0, start) + 1), start):
            return False
        groups = re.split(r"[-./ ]", value)
        n_digits = sum(len(g) for g in groups)
        if n_digits < 5 or times_list(value) or clinical_before(text, start):
            return False
        if _FULL_DATE.search(value) or _DATE_START.match(value) or _ISO_DATE.fullmatch(value):
            return False  # a date: the date recognizer takes it
        if len(groups) == 2 and (n_digits < 7 or "." in value):
            return False  # "120/80", "135-145", "1234.56": a ratio, a range, a decimal
        if " " in value and any(len(g) < 3 for g in groups):
            return False  # "98 120 80": a row of values
        return not self._UNIT_AFTER.match(text, match.end())

    def validate_match(self, pattern, value, match, text):
        if pattern in ("grouped", "digit_run", "long_number") and public_number(value):
            return False
        if pattern == "hash" and len(value) < 5:
            # "log #1174", "#176": 3-4 digits glued to "#" number an entry; "#2", "#10 blade", "#A1" do not
            if not value.isdigit() or len(value) < 3 or self._UNIT_AFTER.match(text, match.end()):
                return False
            return None
        if pattern in ("labelled", "hash"):
            if _FULL_DATE.search(value):
                return False  # "VISIT NOTE 10-6-2019": a dated header; the date recognizer scrubs the date
            n_digits = sum(c.isdigit() for c in value)
            if n_digits < 3 and sum(c.isalpha() for c in value) > n_digits:
                return False  # "visit Go4Life", "case COVID-19": words with a digit, not numbers
            if len(value) == 4 and (n_digits < 3 or re.fullmatch(r"(?:19|20)\d\d", value)):
                return False  # 4 characters: "Grp 4500" yes, "visit 2021" (a year) or "ID A1B2" no
            if re.fullmatch(r"[\d ]+", value) and self._UNIT_AFTER.match(text, match.end()):
                return False  # "order 1000 mL": a quantity
            return None
        if pattern == "alnum_code":
            value = value.split("/")[0]  # the code decides; a slash-joined tail is its year or check digits
            n_digits = sum(c.isdigit() for c in value)
            if n_digits < 3 or sum(c.isalpha() for c in value) < 2 or value[:2] == "rs":
                return False
            if clinical_alnum(value, text, match.start(), match.end()):
                return False
        if pattern == "dotted_code" and " " in value:
            if clinical_before(text, match.start() + value.index(" ") + 1):
                return False  # "(Plt 250000)": a lab value in brackets
            if _ANY_LABEL.fullmatch(value.split(" ")[0]):
                return False  # "(MRN 00420481)": the labelled patterns take the number, not the label
        if pattern == "cell_code":
            words = value.split(" ")
            if len(words) > 2 and sum(c.isdigit() for c in value) < 3 and len(value) - len(words) < 12:
                return False  # 2 digits are enough only in a long code (a spaced VIN has 17 characters)
            if len(words) == 2:
                word = next(w for w in words if w.isalpha())
                return False if _CELL_WORDS.fullmatch(word) else None
            return None
        if pattern in ("slash_code", "credential"):
            return False if self._UNIT_AFTER.match(text, match.end()) else None
        if pattern == "inner_capital" and (sum(c.isdigit() for c in value) < 4 or clinical_alnum(value) or
                                           re.fullmatch(r"(?:[01]?\d|2[0-3])H[0-5]\d", value)):
            return False  # (a European clock time "12H30")
        if pattern in ("dotted_groups", "odd_join") and sum(c.isdigit() for c in value) < 7:
            return False
        if pattern == "cell_number" and not self._cell_number(value, text, match):
            return False
        if pattern == "prefixed_groups" and sum(c.isdigit() for c in value) < 10:
            return False
        unlabelled = ("long_number", "grouped", "digit_run", "mixed_code", "alnum_code", "prefixed_groups")
        if pattern in unlabelled and self._UNIT_AFTER.match(text, match.end()):
            return False
        if pattern in (*unlabelled, "card") and clinical_before(text, match.start()):
            return False
        if pattern in ("digit_run", "grouped") and times_list(value):
            return False
        if pattern in ("digit_run", "mixed_code") and _GLUED_UNIT.fullmatch(value) and \
                sum(c.isdigit() for c in value) <= 6:
            return False  # "100000IU" is a quantity; "91652287G" (8 digits) is no dose
        if pattern == "digit_run":
            n_digits = sum(c.isdigit() for c in value)
            n_letters = sum(c.isalpha() for c in value)
            if n_digits < 6 or n_letters > 4 or value[:2] == "rs":  # rs1234567: a SNP, not a person's id
                return False
            if _ISOTOPE_FIRST.match(value):
                return False  # "I-123 200 uCi": an isotope then its dose
            if n_letters == 3 and _MONTH_TOKEN.search(value):
                return False  # "23-OCT 0530": a date and a time; the date recognizer takes the date
            parts = value.split("-")
            if (
                len(parts) == 2
                and all(p.isdigit() and p[0] != "0" for p in parts)
                and int(parts[0]) < int(parts[1])
                and text[match.start() - 1 : match.start()] == "("
                and text[match.end() : match.end() + 1] == ")"
            ):
                return False  # "(135-145)": a reference range
            groups = value.split(" ")
            if any(len(g) < 3 for g in groups) and len({len(g) for g in groups}) > 1:
                return False  # "98 120 80 72 18" is a row of vitals; ids are grouped evenly ("12 34 56 78")
            return None
        if pattern == "mixed_code":
            compact = value.replace("-", "")
            n_digits = sum(c.isdigit() for c in compact)
            if n_digits < 5 or value[:2].lower() == "rs" or _CLINICAL_CODE.fullmatch(compact):
                return False
            return None
        if pattern == "card":
            return luhn_ok(value) or None
        if pattern == "iban":
            return True if iban_ok(value) else None
        if pattern == "long_number" and 13 <= len(value) <= 19 and luhn_ok(value):
            return True
        return None




class MedicalRecordNumberRecognizer(_IdRecognizer):
    """Medical record numbers (HIPAA item 8) after a record label: "MRN: 00123456", "EMPI 4471"."""

    PATTERNS = [("labelled", _label(_MRN_WORDS) + _ID_VALUE, 0.95)]


class AccountNumberRecognizer(_IdRecognizer):
    """Account numbers (item 10): labelled account/encounter/visit/billing numbers, and payment card and IBAN
    numbers (checksums; without a valid one they need a cue word)."""

    PATTERNS = [
        ("labelled", _label(_ACCOUNT_WORDS) + _ID_VALUE, 0.95),
        ("card", r"(?P<phi>" + lead(r"\d", r"\w-") + r"\d{3}[ -]\d{4}[ -]\d{4}[ -]\d{1,7})(?![\w-])", 0.4),
        ("iban",
         r"(?P<phi>" + lead("[A-Z]", r"\w-") + r"[A-Z]\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?)"
         r"(?![\w-])",
         0.4),
    ]


class HealthPlanNumberRecognizer(_IdRecognizer):
    """Health-plan beneficiary numbers (item 9): member/subscriber/group/policy ids, Medicaid and Medicare
    numbers, authorisations, labelled or (for the Medicare MBI shape) not."""

    PATTERNS = [
        ("labelled", _label(_HEALTH_PLAN_WORDS) + _ID_VALUE, 0.95),
        ("mbi", r"(?P<phi>" + lead("[1-9]", r"\w-") + _MBI[len("[1-9]"):] + r")(?![\w-])", 0.9),
    ]


class UniqueIdRecognizer(_IdRecognizer):
    """Any other unique identifying number (item 18: order, accession, specimen, case, reference ids) and
    every unlabelled identifier-shaped value.

    Unlabelled: a number of 7+ digits, or an identifier-shaped run with 6+ digits (dashes, even spacing,
    up to 4 letters), or a mixed letter-digit code with 5+ digits, is presumed to be an identifier unless it
    is explained as clinical content (a unit after it, a lab name or code system before it, a SNP/gene/TNM
    shape, a reference range, a list of clock times).
    """

    PATTERNS = [
        ("labelled", _label(_OTHER_ID_WORDS) + _ID_VALUE, 0.95),
        # "Order #: CT-70-776288", "Rx # 1234567", "(#A1234)": a code after a "#" sign
        (
            "hash",
            r"(?<!#)#[ \t]*[:.]?[ \t]*(?P<phi>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{1,}"
            r"[A-Za-z0-9])(?![\w-])",
            0.7,
        ),
        # badge/shield numbers are short ("badge 769", "Shield #4412"): the label alone decides
        (
            "badge",
            r"(?i:\b(?:badge|shield)(?:\s+(?:number|num|no\.?|#|id))?\s*(?:[:#.=]\s*)*|"
            r"\b(?:officer|deputy|trooper|sgt|sergeant|detective|det|agent|ranger)\.?"
            r"(?:\s+[A-Za-z][A-Za-z'-]+){0,2}\s*#\s*)"
            r"(?P<phi>[A-Z]{0,2}-?\d{2,8})(?![\w-]|[.,]\d)",
            0.9,
        ),
        # a 7+ digit number, with its check digit or site code after a slash ("1405054/0", "1234567/LV")
        # (in file names too, between underscores: "ECG_20114573_final"; the first digit leads the pattern so
        # that the scan skips ahead to digits)
        ("long_number",
         r"(?P<phi>\d(?<![A-Za-z0-9./-]\d)(?<!\d,\d)\d{6,}(?:/(?:\d{1,2}|[A-Z]{1,3})(?![\w/]|[.,]\d))?)"
         r"(?![A-Za-z0-9]|[-.,]\d)",
         0.6),
        # digit groups joined by dots, 7+ digits: a record number "123.456.789" (a decimal has one dot, a
        # version number short groups; European thousands "1.234.567" take a unit or a lab name)
        ("dotted_groups", r"(?P<phi>" + lead(r"\d", r"\w.,") + r"\d{0,4}(?:\.\d{2,5}){2,4})(?![\w]|\.\d)",
         0.6),
        # digit groups joined by an unusual separator, 7+ digits: "314~555~0134", "2021|03|04", "12:345:678"
        ("odd_join", r"(?P<phi>\d(?<![\w.]\d)\d*(?:[~:|+*^=][0-9]+){2,})(?![\w]|[.,]\d)", 0.6),
        # fail closed on a number alone in a table cell or a blank-separated column, 5+ digits in any grouping
        # ("| 13134 |", "LOG   13108   HOOD", "|  2231 774 |"): ids, julian dates and serials stand alone
        # there; clinical values in a cell are shorter, decimals, ranges or carry a unit
        ("cell_number",
         r"(?P<phi>\d(?<![^ \t|]\d)(?:[-./ ]?\d){4,15})(?=[ \t]*(?:$|[|\t]|[ ]{2}))", 0.6),
        # dotted object identifiers (DICOM/HL7 OIDs): "1.2.840.113619.2.376.7.202489302.2547"
        ("oid", r"(?P<phi>" + lead("[0-2]", r"\w.") + r"(?:\.\d+){4,})(?![\w]|\.\d)", 0.9),
        # UUIDs/GUIDs: "27883534-5035-42ee-ccf6-047f813cdf0f"
        ("uuid",
         r"(?i)(?<![\w-])(?P<phi>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])",
         0.9),
        # letters glued by a dot to 4+ digits: a credential or register number "(AuD.53378)", "Lic.0042311"
        # ... or in brackets after a space: "(RPh 0520707)"
        ("dotted_code",
         r"(?<![\w.])(?P<phi>[A-Za-z]{1,6}\.\d{4,}[A-Za-z]?|(?<=\()[A-Z][A-Za-z]{1,5}[ ]\d{5,})(?![\w]|\.\d)",
         0.7),
        # (a one-capital site or series prefix before a blank or a colon goes with a 7+ digit number too:
        # "MRN H 7638911", "A:744347992")
        ("prefixed",
         r"(?P<phi>" + lead("[A-Z]", r"\w-") + r"(?:[A-Z]{0,3}-?\d{5,}[A-Z0-9]*|[ :]\d{7,}(?=[\s|),;.]|$)))"
         r"(?![\w-]|[.,]\d)", 0.6),
        # one capital, a dash, a zero-padded serial: "S-0042" (clinical numbers are never zero-padded; two
        # letters and more are alnum_code's, and a letter glued to 4 digits is a HCPCS/OASIS code, "J0696")
        ("padded", r"(?P<phi>" + lead("[A-Z]", r"\w./-") + r"-0\d{3,})(?![\w-]|[.,]\d)", 0.6),
        # digits, one capital, digits, 4+ digits in all: a batch, run or sample code "21B07", "4471Q22"
        # (scientific notation "10E9" and "5X10" are not; a therapy frequency "1W4" has 2 digits)
        ("inner_capital", r"(?P<phi>\d(?<![\w./-]\d)\d{0,5}[A-DF-WYZ]\d{1,6})(?![\w-]|[.,]\d)", 0.6),
        # digit runs inside a file name: "pt_44712_notes.docx", "scan-20881.pdf"
        ("file_digits",
         r"(?<![\d.])(?P<phi>\d{4,})(?=[A-Za-z0-9_-]*\.(?i:pdf|docx?|xlsx?|csv|txt|rtf|jpe?g|png|gif|tiff?|bmp|"
         r"dcm|edf|xml|json|hl7|zip|mp4|mov|wav|mp3|html?)\b)", 0.6),
        # capitals then slash-joined digit groups: a record or series number in any position, a table cell
        # or a "Name / M/1331620 / age" header ("M/4567953", "HBO/5502/35"); doses and ratios are lower-case
        # or all digits ("mg/1000", "120/80")
        ("slash_code",
         r"(?P<phi>" + lead("[A-Z]", r"\w/.-") + r"[A-Z]{0,4}/\d{3,}(?:/[A-Za-z0-9]+)*)(?![\w/-]|[.,]\d)",
         0.7),
        # a credential abbreviation glued to "#" or written with a slash, then its number: "CCP#6303",
        # "OTR/L 5087", "CCC/SLP #4411"
        ("credential",
         r"(?P<phi>" + lead("[A-Z]", r"\w#/") + r"(?:[A-Z]{1,4}#\d{3,8}|[A-Z]{1,3}/[A-Z]{1,3}[ \t]#?\d{3,8}))"
         r"(?![\w/-]|[.,]\d)",
         0.7),
        # a code alone in a table cell: a plate "| 467 KGL |" (units and results excluded), or 3-5 capital
        # groups with 3+ digits, a spaced VIN "| 4H0 WWG73 CBS N6EWB4 |"
        ("cell_code",
         r"(?<=\|)[ \t]+(?P<phi>\d{1,4}[ ][A-Z]{2,4}|[A-Z]{2,4}[ ]\d{2,4}|"
         r"(?=(?:[A-Z ]*\d){2})(?=[0-9 ]*[A-Z])[A-Z0-9]{2,8}(?:[ ][A-Z0-9]{2,8}){2,4})[ \t]+(?=\|)", 0.6),
        # lab/pathology accession: a letter prefix, a 2-digit year, a serial ("S21-456", "SP21-00123")
        ("accession", r"(?P<phi>" + lead("[A-Z]", r"\w-") + r"[A-Z]{0,2}\d{2}-\d{3,7})(?![\w-]|[.,]\d)", 0.6),
        ("grouped", r"(?P<phi>" + lead(r"\d", r"\w-") + r"\d{1,5}(?:-\d{2,6}){2,4})(?![\w-])", 0.45),
        # (the lookahead skips, cheaply, runs with fewer than 6 digits, which validate_match would reject)
        # any identifier-shaped run with >= 6 digits: dashes, spaces between 3-5 digit groups and up to 4
        # letters mixed in ("12-34-567", "AB1234567", "123 456 789", "123-X4567", "1234567A", "MR-92-508104");
        # checked in validate_match so that doses, measurements and SNP ids ("rs1234567") stay
        (
            "digit_run",
            r"(?<![\w.,/:+$-])(?=(?:[A-Za-z -]*\d){6})(?P<phi>\d{2,5}(?:[ ]\d{2,5}){3,5}(?![\w-]|[.,]\d)|"
            r"(?:[A-Za-z]{1,4}-)?[A-Za-z]{0,4}\d[A-Za-z\d]*"
            r"(?:(?:-|[ ](?=\d{3,5}(?![\w,/]|[.,]\d)))[A-Za-z\d]+)*)"
            r"(?![\w-]|[.,]\d)",
            0.6,
        ),
        # fail closed on any letters+digits token with 3+ digits and 2+ letters ("UNOS LZC056", "RM-4127B",
        # "TB-20-172", "QX7731/22": a log or series number with a slash-joined year or check digits) unless it
        # has a clinical code shape (clinical_alnum); it must start with a letter-digit transition, and
        # possessive runs let plain words and numbers fail fast
        (
            "alnum_code",
            r"(?<![\w./:+$#@&*-])(?P<phi>(?:[A-Za-z]++(?:-[A-Za-z]++)*-?\d|\d++-?[A-Za-z])[A-Za-z0-9]*+"
            r"(?:-[A-Za-z0-9]+)*+(?:/\d++)*+)(?![\w@*/&-]|[.,]\d)",
            0.6,
        ),
        # a letter-prefixed number then digit groups: an ISBT blood-unit DIN "W9594 22 449559"
        (
            "prefixed_groups",
            r"(?P<phi>" + lead("[A-Z]", r"\w./-") + r"[A-Z]{0,2}\d{3,6}(?:[ ]\d{2,8}){1,4})(?![\w-]|[.,]\d)",
            0.6,
        ),
        # a letter-digit code of 7+ characters with 5+ digits: "7QA3J50UG25", "KX4471Q9", "ZT77B4H021"
        (
            "mixed_code",
            r"(?<![\w.-])(?P<phi>(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{7,24}(?:-[A-Za-z0-9]+)*)(?![\w-])",
            0.6,
        ),
    ]
    GATES = {"hash": ("#",), "badge": ("badge", "shield", "#"), "oid": ("1.", "2.", "0."), "uuid": ("-",),
             "dotted_code": (".",), "dotted_groups": (".",),
             "odd_join": ("~", ":", "|", "+", "*", "^", "="), "cell_number": ("|", "\t", "  "),
             "slash_code": ("/",), "credential": ("#", "/"), "cell_code": ("|",),
             "padded": ("-0",),
             "file_digits": (".pdf", ".doc", ".xls", ".csv", ".txt", ".rtf", ".jp", ".png", ".gif", ".tif",
                             ".bmp", ".dcm", ".edf", ".xml", ".json", ".hl7", ".zip", ".mp", ".mov", ".wav",
                             ".htm")}


# professional credentials written after a name; the number right after one is its licence or register
# number ("Roe, DVM 5353", "(LCSW 8926)"). Those that are also clinical abbreviations (PT, OT, PA, OD, RT,
# DO, DC, RD) take a number only with 4+ digits ("OD 20", "PT 120 sec" stay).
_CREDENTIAL_WORDS = (
    r"MD|DVM|VMD|DDS|DMD|DPM|PharmD|RPh|RN|LPN|LVN|NP|APRN|CRNP|FNP|PA-C|CRNA|CNM|AuD|CCC-A|CCC-SLP|SLP|DPT|"
    r"OTR|OTR/L|LCSW|LICSW|LMSW|MSW|LMFT|LPC|LMHC|PsyD|PhD|CPO|LPO|NREMT|EMT|EMT-P|RRT|RDN|CDCES|IBCLC|LAc|"
    r"LMT|ATC|CPhT|RDH|MLS|CMA|CNA|BCBA"
)
_AMBIGUOUS_CREDENTIALS = r"PT|OT|PA|OD|RT|DO|DC|RD"


def _clock_time(value: str) -> bool:
    """A 4-digit 24-hour clock time ("0430", "1500")."""
    return len(value) == 4 and value.isdigit() and int(value[:2]) < 24 and int(value[2:]) < 60


# licence and device labels, regrouped by first letter for a faster scan (base.by_first_letter)
_LICENSE_LABELS = by_first_letter(
    r"licen[cs]e|lic\.?|driver'?s?\s+licen[cs]e|dl|dea|npi|certificate|cert\.?|board\s+certification|"
    r"registration|state\s+id|passport"
)
_DEVICE_LABELS = by_first_letter(
    r"serial(?:\s+(?:number|no\.?|#))?|s/n|sn|device\s+(?:id|serial|number|#)|udi(?:-di)?|"
    r"lot(?:\s+(?:number|no\.?|#))?|model(?:\s+(?:number|no\.?|#))?|implant\s+(?:id|serial|#)|"
    r"(?:pacemaker|icd|pump|generator|lead|device)\s+(?:serial|id|#|sn)|imei|meid|esn|iccid|gtin|"
    r"ref\s*(?:number|no\.?|#)|cat(?:alog)?\s*(?:number|no\.?|#)|part\s+(?:number|no\.?|#)|"
    r"mac\s+address|mac"
)


class LicenseRecognizer(MedflPatternRecognizer):
    """Certificate/license numbers: driver's, professional, DEA (checksum), NPI (Luhn)."""

    ENTITY = "ID"
    PATTERNS = [
        (
            "labelled",
            r"(?i:\b(?=[a-z])(?:" + _LICENSE_LABELS + r")(?![a-z])(?:\s+(?:number|no\.?|#|id))?\s*[:#]?\s*"
            r"(?:no\.?\s*)?)" + _ID_VALUE,
            0.95,
        ),
        (
            "credential_number",
            r"(?:,[ \t]*|\([ \t]*)(?:" + _CREDENTIAL_WORDS + r"|(?:" + _AMBIGUOUS_CREDENTIALS
            + r")(?=[ \t]*#?[ \t]*[A-Z]{0,2}\d{4}))[ \t]*#?[ \t]*(?P<phi>[A-Z]{0,2}\d{3,8})"
            r"(?![\w/%-]|[.,]\d)",
            0.85,
        ),
        ("dea", r"(?P<phi>" + lead("[A-Z]", r"\w-") + r"[A-Z]\d{7})(?![\w-])", 0.3),
        ("npi", r"(?P<phi>" + lead("[12]", r"\w-") + r"\d{9})(?![\w-])", 0.3),
    ]
    CONTEXT = ["license", "dea", "npi", "certificate", "registration"]
    GATES = {"labelled": ("lic", "dl", "dea", "npi", "cert", "registration", "state id", "passport")}

    def validate_match(self, pattern, value, match, text):
        if pattern == "credential_number":
            if _IdRecognizer._UNIT_AFTER.match(text, match.end()):
                return False  # "Roe, MD 1000 mL": an order after the signature, not a licence
            if _clock_time(value) and (value[2:] in ("00", "15", "30", "45") or "  " in match.group(0)):
                return False  # "Roe, RN  1430": the time of the signature
        if pattern == "dea":
            return True if dea_ok(value) else None
        if pattern == "npi":
            return True if npi_ok(value) else None
        return None


_GS1_VALUE = r"[A-Za-z0-9](?:[A-Za-z0-9./-]{0,28}[A-Za-z0-9])?"


class DeviceIdRecognizer(MedflPatternRecognizer):
    """Device identifiers and serial numbers (HIPAA item 13): labelled serial/lot/model/UDI values, GS1 and
    HIBC UDI strings, MAC addresses and IMEIs."""

    ENTITY = "ID"
    PATTERNS = [
        (
            "labelled",
            r"(?i:\b(?=[a-z])(?:" + _DEVICE_LABELS + r")(?![a-z])\s*[:#]?\s*)"
            r"(?P<phi>(?:[A-Z]{1,4}[ ](?=\d))?(?=[A-Za-z0-9:-]*\d)[A-Za-z0-9][A-Za-z0-9:-]{2,}[A-Za-z0-9]"
            r"(?:[ ][A-Z](?![\w-]))?)(?![\w-])",
            0.95,
        ),
        # GS1 UDI with application identifiers in brackets: "(01)00884838035434(17)220331(21)A123"
        (
            "udi_gs1",
            r"(?<![\w)])(?P<phi>\(\d{2,4}\)[ \t]?" + _GS1_VALUE + r"(?:[ \t]?\(\d{2,4}\)[ \t]?" + _GS1_VALUE
            + r")*)(?![\w-])",
            0.5,
        ),
        # HIBC UDI: "+H123PROD1234/$$3240101LOT123Q"
        ("udi_hibc", r"(?<![\w+])(?P<phi>\+[A-Z]\d{3}[A-Z0-9]{2,18}(?:/[$+%A-Z0-9]{2,30})?)(?![\w-])", 0.6),
        ("mac", r"(?i)(?<![\w:-])(?P<phi>[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}|[0-9a-f]{4}(?:\.[0-9a-f]{4}){2})"
         r"(?![\w:-])", 0.8),
    ]
    CONTEXT = ["serial", "device", "pacemaker", "icd", "pump", "implant", "udi", "lot", "model"]
    # a valid GS1 string has (01) or two application identifiers, so one of the common ones is in it
    GATES = {"udi_gs1": ("(01)", "(10)", "(11)", "(17)", "(21)", "(240)", "(30)", "(00)"), "udi_hibc": ("+",)}

    def validate_match(self, pattern, value, match, text):
        if pattern == "udi_gs1":
            # a GTIN (01) with its 14 digits, or two or more application identifiers in a row
            if re.match(r"\(01\)[ \t]?\d{14}", value) or value.count("(") >= 2:
                return True
            return False
        if pattern == "mac" and "." in value and not re.search(r"[a-fA-F]", value):
            return False  # "1234.5678.9012" without hex letters: not worth the risk of a number list
        return None


class VehicleIdRecognizer(MedflPatternRecognizer):
    ENTITY = "ID"
    PATTERNS = [
        ("vin", r"(?P<phi>" + lead("[A-HJ-NPR-Z0-9]", r"\w-") + r"[A-HJ-NPR-Z0-9]{16})(?![\w-])", 0.4),
        (
            "labelled",
            r"(?i:\b(?=[a-z])(?:vin|vehicle\s+id(?:entification)?(?:\s+number)?|licen[cs]e\s+plate|plate"
            r"(?:\s+(?:number|no\.?|#))?|tag\s+(?:number|#)|(?:van|truck|taxi|suv|"
            r"ambulance|vehicle|motorcycle|trailer)(?:\s+(?:plate|tag|#|no\.?))?)(?![a-z])\s*[:#]?\s*)"
            # a capitals code with a digit ("BIG2GO", "BFB 6492"), or a lower-case single token with 2+
            # digits after a plate/VIN label ("1jrwpxwnfjllvt9sj")
            r"(?P<phi>(?=[A-Z0-9 -]*\d)[A-Z0-9][A-Z0-9 -]{1,15}[A-Z0-9]|"
            r"(?<=[ :#])(?=[a-z0-9]*\d[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{5,17})(?![\w-])",
            0.95,
        ),
        # an aircraft's US registration (N-number) after an aircraft or tail word: "aircraft N1172Z", "tail #
        # N43LL"; elsewhere an N-number needs an aviation word shortly before ("pilot of N7481R")
        (
            "aircraft",
            lead("[aApPhHtTnN]", r"\w") + r"(?i:(?<=[aA])ir(?:craft|plane)|(?<=[pP])lane|(?<=[hH])elicopter|"
            r"(?<=[tT])ail|(?<=[nN])-number)(?![A-Za-z])(?i:[ \t]+(?:number|no\.?|#))?[ \t]*"
            r"[:#]?[ \t]*(?P<phi>N[1-9]\d{0,4}[A-Z]{0,2})(?![\w-])",
            0.95,
        ),
        ("n_number", r"(?P<phi>" + lead("N", r"\w-") + r"[1-9]\d{1,4}[A-Z]{0,2})(?![\w-])", 0.3),
        # an all-letters vanity plate after a lower-case "van"/"plate": "county van BIGFSH."
        (
            "vanity",
            r"\b(?:van|plate|tag)[ \t]*[:#]?[ \t]*(?P<phi>[A-Z]{4,8})(?=[ \t]*(?:[.,;)]|$))",
            0.95,
        ),
    ]
    CONTEXT = ["vin", "vehicle", "car", "truck", "plate", "mvc", "mva", "aircraft", "airplane", "plane",
               "pilot", "flight", "flies", "flying", "faa", "aviation", "tail"]
    GATES = {"aircraft": ("aircraft", "airplane", "plane", "helicopter", "tail", "n-number"),
             "n_number": ("aircraft", "airplane", "plane", "pilot", "flight", "flies", "flying", "faa",
                          "aviat", "tail"),
             "labelled": ("vin", "vehicle", "plate", "tag", "van", "truck", "taxi", "suv", "ambulance",
                          "motorcycle", "trailer"), "vanity": ("van", "plate", "tag")}

    def validate_match(self, pattern, value, match, text):
        if pattern == "n_number" and re.fullmatch(r"N(?:95|99|100)", value):
            return False  # respirator classes
        if pattern == "vin":
            if not (re.search(r"\d", value) and re.search(r"[A-Z]", value)):
                return False
            return True if vin_ok(value) else None
        return None


# Any identifier label: record, chart, account, visit, plan, member, policy, licence/credential, device,
# vehicle, order/specimen, registry and case/file words. After one, the next token is PHI whatever its shape
# once it holds a digit.
_ANY_ID_LABEL = (
    r"mrn|mr\s?#|med\.?\s*rec(?:ord)?|chart|pt\s*#|patient\s*#|hosp(?:ital)?\s*(?:#|no\.?|id)|acct|account|"
    r"member|mbr|subscriber|policy|pol|licen[cs]e|lic|credential|cred|cert(?:ificate|ification)?|permit|npi|"
    r"dea|ccp|serial|s/n|plate|vin|drives|van|truck|car|passport|badge|employee|inmate|donor|registry|"
    r"visit|enc|plan|unit|tag|case|file|id|tx|transmitter|sensor|receiver|device|reg|registration|group|grp|"
    r"claim|auth|ref|order|accession|acc|specimen|spec|req|requisition|booking|run|incident|report|tracking|"
    r"confirmation|conf|ticket|voucher|card|barcode|band|bracelet|kit|subject|study|trial|enrol(?:l)?ment"
)
# labels that only name an identifier; every other label also opens ordinary clinical phrases ("plan 2 wk",
# "unit 4B", "order 500 mg", "group 135 patients"), so after those a plain number needs 5+ digits
_STRONG_LABEL = re.compile(
    r"(?i)mrn|mr\s?#|med\.?\s*rec(?:ord)?|chart|pt\s*#|patient\s*#|hosp.*|acct|account|member|mbr|subscriber|"
    r"policy|pol|licen[cs]e|lic|credential|cred|npi|dea|ccp|serial|s/n|plate|vin|passport|badge|inmate"
)
_GLUED_QUANTITY = re.compile(r"\d+(?:\.\d+)?(?i:" + _UNIT_WORDS + r")")


class LabelledValueRecognizer(_IdRecognizer):
    """The token right after any identifier label, whatever its shape (letters, digits, / . - #, up to 4
    space-separated groups, or a bracketed code): "MRN: M/4567953", "(unit 8G72KU)", "drives (212 RRY)",
    "drives (2F3 W4J1R 8EW 8AZY0Y)". Clinical values after such words are dropped in validate_match."""

    PATTERNS = [
        (
            "any_label",
            r"(?i:\b(?P<lab>" + by_first_letter(_ANY_ID_LABEL) + r")(?![a-z])"
            r"[ \t]*(?:(?:#|no\.?|number|num|id)[ \t]*)?"
            r"[:#=]?[ \t]*\(?[ \t]*)"
            r"(?P<phi>(?<=\()[A-Z0-9]{1,8}(?:[ -][A-Z0-9]{1,8}){1,4}(?=\))|"
            r"(?=[A-Za-z0-9/.#-]*\d)[A-Za-z0-9](?:[A-Za-z0-9#-]|[/.](?=[A-Za-z0-9]))*"
            r"(?:[ ](?=[A-Z0-9]*\d)[A-Z0-9]{2,8}){0,3})(?![\w/#-])",
            0.7,
        ),
    ]

    def validate_match(self, pattern, value, match, text):
        strong = _STRONG_LABEL.fullmatch(match.group("lab")) is not None
        gap = text[match.end("lab"):match.start("phi")]
        if not strong and len(gap) > 2 and not any(c in gap for c in ":#=("):
            return False  # "ON FILE     M0020": a weak word far from the next column is no label
        n_digits = sum(c.isdigit() for c in value)
        if n_digits < 3 or _FULL_DATE.search(value) or self._UNIT_AFTER.match(text, match.end()):
            return False
        if _DATE_START.match(value):
            return False  # "VISIT 12-30-18 1630": a dated header; the date recognizer takes the date
        if re.fullmatch(r"\d{2,3}/\d{2,3}", value) or re.fullmatch(r"(?:19|20)\d\d", value):
            return False  # a blood pressure or a year
        if not strong and re.fullmatch(r"[\d.,]+", value) and n_digits < 5:
            return False  # "plan 150", "group 135": a small plain number after an everyday word
        if _GLUED_QUANTITY.fullmatch(value) or _CLINICAL_CODE.fullmatch(value.replace("-", "")):
            return False  # "tx 500mg", "case T2N0M0"
        return None
