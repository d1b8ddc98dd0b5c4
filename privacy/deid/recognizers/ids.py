"""Numeric and alphanumeric identifiers: SSN, record/account/plan numbers, licenses, devices, vehicles.

Labelled ids ("MRN: 00123456") score high on the label alone; unlabelled ones need a shape that clinical
values never have (7+ digits, letter-prefixed serials) or a passing checksum (SSN area rules, Luhn for
card/NPI numbers, the DEA check digit, the VIN check digit).
"""

from __future__ import annotations

import re

from medfl.privacy.deid.recognizers.base import MedflPatternRecognizer


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
            r"(?i:\b(?:ssn|ss#|ss\s?no\.?|soc(?:ial)?\.?\s+sec(?:urity)?\.?(?:\s+(?:number|no\.?|#))?)"
            r"\s*[:#]?\s*)(?P<phi>\d{3}[- .]?\d{2}[- .]?\d{4})(?!\d)",
            1.0,
        ),
        ("dashed", r"(?<![\w-])(?P<phi>\d{3}-\d{2}-\d{4})(?![\w-])", 0.5),
        ("spaced", r"(?<![\w-])(?P<phi>\d{3} \d{2} \d{4})(?![\w-])", 0.4),
    ]
    CONTEXT = ["ssn", "social security", "social", "ss#"]

    def validate_match(self, pattern, value, match, text):
        if pattern == "labelled":
            return True  # the label decides: even an invalid-looking SSN next to "SSN:" is scrubbed
        return True if ssn_ok(value) else False


_ID_VALUE = r"(?P<phi>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,}[A-Za-z0-9])(?![\w-])"


class RecordNumberRecognizer(MedflPatternRecognizer):
    """Medical record, account, encounter, health-plan and payment numbers, labelled or not."""

    ENTITY = "ID"
    _LABEL = (
        r"(?i:\b(?:mrn|mr\s?#|med(?:ical)?\s+rec(?:ord)?(?:\s+(?:number|no\.?|#))?|record\s+(?:number|no\.?|#)|"
        r"acct|account(?:\s+(?:number|no\.?|#))?|encounter(?:\s+(?:number|no\.?|#|id))?|visit\s+(?:number|id|#)|"
        r"fin|csn|har|patient\s+id|pt\s+id|member\s+(?:id|number|no\.?|#)|subscriber\s+(?:id|number|#)|"
        r"policy(?:\s+(?:number|no\.?|#))?|group\s+(?:number|no\.?|#)|health\s+plan(?:\s+(?:id|number|no\.?|#))?|"
        r"insurance\s+(?:id|number|#)|beneficiary\s+(?:id|number|#)|medicaid(?:\s+(?:id|number|no\.?|#))?|"
        r"medicare(?:\s+(?:id|number|no\.?|#))?|mbi|claim\s+(?:number|no\.?|#)|accession(?:\s+(?:number|no\.?|#))?|"
        r"specimen\s+(?:number|no\.?|#|id)|case\s+(?:number|no\.?|#)|unit\s+(?:number|no\.?)|id|"
        r"ref(?:erence)?(?:\s+(?:number|no\.?|#))?|chart(?:\s+(?:number|no\.?|#))?)"
        r"(?:\s+(?:is|was))?\s*(?:[:#.]\s*)*(?:no\.?\s*)?)"
    )
    PATTERNS = [
        ("labelled", _LABEL + _ID_VALUE, 0.95),
        # a label before digit groups split by spaces: "MRN 12 34 56 78"
        ("labelled_spaced", _LABEL + r"(?P<phi>\d{2,5}(?:[ ]\d{2,5}){1,5})(?![\w-]|[.,]\d)", 0.95),
        ("long_number", r"(?<![\w.,/-])(?P<phi>\d{7,})(?![\w-]|[.,]\d)", 0.6),
        ("prefixed", r"(?<![\w-])(?P<phi>[A-Z]{1,4}-?\d{5,}[A-Z0-9]*)(?![\w-])", 0.6),
        ("grouped", r"(?<![\w-])(?P<phi>\d{2,6}(?:-\d{2,6}){2,4})(?![\w-])", 0.45),
        ("card", r"(?<![\w-])(?P<phi>\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,7})(?![\w-])", 0.4),
        # any identifier-shaped run with >= 6 digits: dashes, spaces between 3-5 digit groups and up to 4
        # letters mixed in ("12-34-567", "AB1234567", "123 456 789", "123-X4567", "1234567A"); checked in
        # validate_match so that doses, measurements and SNP ids ("rs1234567") stay
        (
            "digit_run",
            r"(?<![\w.,/:+$-])(?P<phi>\d{2,5}(?:[ ]\d{2,5}){3,5}(?![\w-]|[.,]\d)|[A-Za-z]{0,4}\d[A-Za-z\d]*"
            r"(?:(?:-|[ ](?=\d{3,5}(?![\w,/]|[.,]\d)))[A-Za-z\d]+)*)"
            r"(?![\w-]|[.,]\d)",
            0.6,
        ),
        ("iban", r"(?<![\w-])(?P<phi>[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?)(?![\w-])",
         0.4),
    ]
    CONTEXT = [
        "mrn",
        "record",
        "account",
        "acct",
        "id",
        "number",
        "#",
        "member",
        "policy",
        "insurance",
        "card",
        "plan",
        "encounter",
        "visit",
        "claim",
    ]
    _UNIT_AFTER = re.compile(r"\s*(?:units?|u\b|mg|mcg|ml|cells|copies|iu|/)", re.I)

    def validate_match(self, pattern, value, match, text):
        if pattern in ("long_number", "grouped", "digit_run") and self._UNIT_AFTER.match(text, match.end()):
            return False
        if pattern == "digit_run":
            n_digits = sum(c.isdigit() for c in value)
            n_letters = sum(c.isalpha() for c in value)
            if n_digits < 6 or n_letters > 4 or value[:2] == "rs":  # rs1234567: a SNP, not a person's id
                return False
            groups = value.split(" ")
            if any(len(g) < 3 for g in groups) and len({len(g) for g in groups}) > 1:
                return False  # "98 120 80 72 18" is a row of vitals; ids are grouped evenly ("12 34 56 78")
            return None
        if pattern == "card":
            return luhn_ok(value) or None
        if pattern == "iban":
            return True if iban_ok(value) else None
        if pattern == "long_number" and 13 <= len(value) <= 19 and luhn_ok(value):
            return True
        return None


class LicenseRecognizer(MedflPatternRecognizer):
    """Certificate/license numbers: driver's, professional, DEA (checksum), NPI (Luhn)."""

    ENTITY = "ID"
    PATTERNS = [
        (
            "labelled",
            r"(?i:\b(?:licen[cs]e|lic\.?|driver'?s?\s+licen[cs]e|dl|dea|npi|certificate|cert\.?|"
            r"board\s+certification|registration|state\s+id|passport)(?:\s+(?:number|no\.?|#|id))?\s*[:#]?\s*"
            r"(?:no\.?\s*)?)" + _ID_VALUE,
            0.95,
        ),
        ("dea", r"(?<![\w-])(?P<phi>[A-Z]{2}\d{7})(?![\w-])", 0.3),
        ("npi", r"(?<![\w-])(?P<phi>[12]\d{9})(?![\w-])", 0.3),
    ]
    CONTEXT = ["license", "dea", "npi", "certificate", "registration"]

    def validate_match(self, pattern, value, match, text):
        if pattern == "dea":
            return True if dea_ok(value) else None
        if pattern == "npi":
            return True if npi_ok(value) else None
        return None


class DeviceIdRecognizer(MedflPatternRecognizer):
    ENTITY = "ID"
    PATTERNS = [
        (
            "labelled",
            r"(?i:\b(?:serial(?:\s+(?:number|no\.?|#))?|s/n|sn|device\s+(?:id|serial|number|#)|udi|"
            r"lot(?:\s+(?:number|no\.?|#))?|model\s+(?:number|no\.?|#)|implant\s+(?:id|serial|#)|"
            r"pacemaker\s+(?:serial|id|#)|imei|mac\s+address)\s*[:#]?\s*)"
            r"(?P<phi>(?=[A-Z0-9:-]*\d)[A-Z0-9][A-Z0-9:-]{3,}[A-Z0-9])(?![\w-])",
            0.95,
        ),
        ("mac", r"(?i)(?<![\w:-])(?P<phi>[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5})(?![\w:-])", 0.8),
    ]
    CONTEXT = ["serial", "device", "pacemaker", "icd", "pump", "implant", "udi"]


class VehicleIdRecognizer(MedflPatternRecognizer):
    ENTITY = "ID"
    PATTERNS = [
        ("vin", r"(?<![\w-])(?P<phi>[A-HJ-NPR-Z0-9]{17})(?![\w-])", 0.4),
        (
            "labelled",
            r"(?i:\b(?:vin|vehicle\s+id(?:entification)?(?:\s+number)?|licen[cs]e\s+plate|plate"
            r"(?:\s+(?:number|no\.?|#))?|tag\s+(?:number|#))\s*[:#]?\s*)"
            r"(?P<phi>(?=[A-Z0-9 -]*\d)[A-Z0-9][A-Z0-9 -]{1,15}[A-Z0-9])(?![\w-])",
            0.95,
        ),
    ]
    CONTEXT = ["vin", "vehicle", "car", "truck", "plate", "mvc", "mva"]

    def validate_match(self, pattern, value, match, text):
        if pattern == "vin":
            if not (re.search(r"\d", value) and re.search(r"[A-Z]", value)):
                return False
            return True if vin_ok(value) else None
        return None
