"""Contact identifiers: phone/fax, e-mail, URL, IP address (HIPAA Safe Harbor items 4, 5, 6, 14, 15)."""

from __future__ import annotations

import ipaddress
import re

from medfl.privacy.deid.recognizers.base import MedflPatternRecognizer, by_first_letter, lead
from medfl.privacy.deid.recognizers.ids import clinical_before, public_number, times_list

# Between the digit groups of one number: a separator, possibly with blanks and one line break around it
# ("617-555-\n1234"), or blanks alone; dashes include the Unicode ones that pasted text brings.
_SEP = r"(?:[ \t\u00a0]*[./~\-\u2010-\u2015][ \t\u00a0]*(?:\n[ \t]*)?|[ \t]*\n[ \t]*|[ \t\u00a0]{1,2})"
# An extension glued to a number: "x204", " X6982", " ext. 22", ", extn 4411", " ext#3"
_EXT = r"(?:[ \t]*,?[ \t]*(?i:x|ext|extn|extension)\.?[ \t]*[:#]?[ \t]*\d{1,6}(?![\w-]|[.,]\d))?"
# A line label written after a number: "617 555 1234 (c)", "555-1234 (home)"
_KIND_AFTER = r"(?:[ \t]*\((?i:c|h|w|o|m|p|f|cell|home|work|mobile|office|fax|pager|main|direct)\))?"
# A number is over where no letter, digit or "-digit" follows: "-Fax" glued after it does not shorten it.
_END = r"(?![\w]|-\d)"
# Quantities that follow numbers in clinical text, never phone/pager numbers.
_UNIT_AFTER = re.compile(
    r"[ \t]*(?i:mg|mcg|g\b|kg|ml|cc\b|l\b|units?|u\b|iu|meq|mmol|mm|cm|%|/|cells|copies|times|x\b|"
    r"doses?|tabs?|days?|weeks?|months?|years?|hrs?|hours?|mins?|minutes?|oil|magnification|hpf|lpf|"
    r"power|fields?|ft|feet|lbs?|steps|kcal|cal\b|patients|cases|people|deaths|adults|children)"
)
_AREA_GROUPS = r"\(?[2-9]\d{2}\)?(?:[ .-]\d{2,4}){2,3}"
_SHORT_NUMBER = r"(?:\d{4,5}|\d-\d{4}|\d{2}-\d{3,4})"
_UNIT_CHECKED = frozenset(
    {"signature", "labelled_short", "call_short", "call_delimited", "ext5", "local7", "grouped",
     "labelled_any", "trunk"}
)
# label and verb lists, regrouped by first letter for a faster scan (base.by_first_letter)
_SHORT_LABELS = by_first_letter(
    r"ext|extn|extension|pager|beeper|pgr|bpr|vocera|spectralink|ascom|page|paged|cb|call\s*back|callback|beep|"
    r"x|p|pg"
)
_CALL_VERBS = by_first_letter(
    r"call|calls|called|calling|page|pages|paged|paging|reach|contact|text|beep|notify|dial"
)
_CALL_WORDS = ("call", "page", "paging", "reach", "contact", "text", "beep", "notify", "dial")


# a record noun before "number"/"no." makes it an identifier's label, not a phone's
_ID_NOUN_BEFORE = re.compile(
    r"(?i)\b(?:record|rec|account|acct|member|policy|plan|case|chart|visit|encounter|claim|order|accession|"
    r"specimen|unit|hospital|file|serial|license|licence|patient|pt|id)[ \t]*$"
)


# a call/contact verb shortly before an "x1234" extension: "Contact x6570", "call Dr. Roe at x4521"
_CALL_BEFORE = re.compile(
    r"(?i)\b(?:call|calls|called|calling|page|paged|paging|contact|contacted|reach|dial|text|phone|tel|line|desk|"
    r"office|station|ext|extension|pager|beeper|ph|number)\b"
    r"[^\n.;]{0,20}$"
)


class PhoneRecognizer(MedflPatternRecognizer):
    """Phone, fax, pager and extension numbers: NANP, international, and short in-house numbers.

    Full-length numbers (7, 10 or international digit counts) are PHI by shape; hospital-internal short
    numbers ("pgr 4-1234", "x4321", "call Dr. Roe (7-2725)") need a cue right before them: a pager/extension
    label, or a call/page verb followed by at most a few name words. Numbers with a unit after them
    ("1000 mL", "x 1000 times") are quantities, not phones.
    """

    ENTITY = "PHONE"
    PATTERNS = [
        # (617) 555-1234, [617] 555-1234, 617-555-1234, 617.555.1234, +1 617 555 1234, 617-555-\n1234, with an
        # extension; any bracket pair may hold the area code ("{617}", "<617>")
        (
            "nanp",
            r"(?<![\w-])(?P<phi>(?:\+?1" + _SEP + r"?)?(?:(?:\(\d{3}\)|\[\d{3}\]|\{\d{3}\}|<\d{3}>)(?:" + _SEP
            + r")?|\d{3}" + _SEP + r")\d{3}" + _SEP + r"\d{4}" + _EXT + _KIND_AFTER + r")" + _END,
            0.75,
        ),
        # separators dropped or odd ("617 5551234"): NANP area and exchange codes start with 2-9
        (
            "loose",
            r"(?P<phi>" + lead("[(2-9]", r"\w.-") + r"(?:(?<=\()[2-9]\d{2}\)|(?<=[2-9])\d{2})"
            r"[\s.-]?[2-9]\d{2}[\s.-]?\d{4}" + _EXT + r")"
            r"(?![\w-]|\.\d)",
            0.55,
        ),
        # international: "+41 (0)38 549 02 90", "+44 20 7946 0958", "+91 98765 43210", "+447700 208 815"
        (
            "intl",
            r"(?<![\w+])(?P<phi>\+[ \t]?\d{1,12}(?:(?:[ \t.-]{1,2}|[ \t.-]{0,2}\(0?\d{0,4}\)[ \t.-]{0,2})"
            r"\d{1,8}){0,6}" + _EXT + r")" + _END,
            0.7,
        ),
        # trunk-prefixed national numbers in digit groups: "0688 843 79 56", "024 971 50 30", "07700 063 966"
        (
            "trunk",
            r"(?P<phi>" + lead("0", r"\w./:+-") + r"(?<!\d,0)\d{1,4}(?:[ .-]\d{2,4}){2,4})(?![\w]|[.,-]\d)",
            0.55,
        ),
        # any digit grouping right after a phone label: "Mobile: 0688 843 79 56", "(c) 617 555 12 34"
        (
            "labelled_any",
            r"(?i:(?=[a-z(])(?:\b(?:" + by_first_letter(
                r"phone|ph|tel|telephone|mobile|cell|cellphone|fax|desk|office|home|work|pager|beeper|"
                r"contact|callback|call[ \t]*back|cb|whatsapp|sms|text|dial|voicemail|vm|"
                r"call\s+(?:me\s+)?(?:on|at)|reach(?:ed)?\s+(?:me\s+)?(?:at|on)|number|no\.?") + r")|"
            r"\((?:o|c|h|w|m|p|cell|home|work|mobile|office)\)|(?<![\w/])[ochwm](?=:))"
            r"[ \t]*(?:#|number|no\.?)?[ \t]*(?:is|was)?[ \t]*[:#=-]?[ \t]*(?:\n[ \t]*)?)"
            r"(?P<phi>\(?\+?\d[\d().\s-]{5,18}\d" + _EXT + r")" + _END,
            0.7,
        ),
        # vanity numbers: "1-800-FLOWERS", "(617) 555-HELP": an area code, then 7 letters/digits
        (
            "vanity",
            r"(?<![\w-])(?P<phi>(?:1[-. ])?(?:\([2-9]\d{2}\)[ ]?|[2-9]\d{2}[-. ])"
            r"(?=[A-Z0-9-]*[A-Z][A-Z0-9-]*[A-Z])[A-Z0-9](?:-?[A-Z0-9]){6,7})(?![\w-])",
            0.6,
        ),
        ("digits10", r"(?P<phi>" + lead("[2-9]", r"\w.-") + r"\d{9})(?![\w]|[.,-]\d)", 0.3),
        # a signature's pager/extension: a short number after a credential, ending the line ("JANE ROE RN
        # CWOCN  23661", "K. Roe, MD x4-1234", "Smith PA-C 41234")
        (
            "signature",
            r"(?:\b(?:RN|MD|DO|NP|PA|PA-C|APRN|CRNP|CNS|CNM|LPN|LVN|CWOCN|WOCN|CWON|CCRN|BSN|MSN|DNP|PharmD|"
            r"RPh|RD|RT|RRT|PT|OT|SLP|MSW|LCSW|LICSW|SW|DPM|FNP|FNP-C|ANP|ACNP|PhD|CNA|EMT|"
            r"rn|md|np|pa)\b\.?,?[ \t]{1,4}(?:(?i:x|ext\.?|pgr|pager|p|#|beeper|bpr)[ \t]*[:#]?[ \t]*)?)"
            r"(?P<phi>\d{4,5}|\d-\d{4}|\d{2}-\d{3})[ \t]*$",
            0.7,
        ),
        ("local7", r"(?P<phi>" + lead("[2-9]", r"\w.,/-") + r"\d{2}-\d{4})(?![\w-]|[.,]\d)", 0.55),
        # an extension written with its "x" ("Contact x6570"): the whole token, so no "x" is left over
        ("x_ext", r"(?P<phi>" + lead("[xX]", r"\w-") + r"\d{4,5})(?![\w-]|[.,]\d)", 0.6),
        # a tel: URI with its scheme: "tel:+1-865-620-3149"
        ("tel_uri", r"(?i)(?<![\w])(?P<phi>tel:[ ]?\+?[\d(][\d().\s-]{5,18}\d)(?![\w-]|[.,]\d)", 0.9),
        # a hospital 5-digit extension on its own, "(7-2725)": scored low unless a unit check passes
        ("ext5", r"(?P<phi>" + lead(r"\d", r"\w.,/:-") + r"-\d{4})(?![\w-]|[.,]\d)", 0.55),
        # digit groups that add up to a phone number; PHI with a phone word before or after them, or when
        # they are ten digits in any grouping after an area code ("617 555 12 34", "617.55.51.234")
        (
            "grouped",
            r"(?P<phi>" + lead(r"[(\d]", r"\w.,/:+-") + r"(?:(?<=\()\d{2,5}|(?<=\d)\d{1,4})\)?"
            r"(?:[ .-]\d{2,6}){1,4})(?![\w]|[.,-]\d)",
            0.3,
        ),
        (
            "labelled_short",
            r"(?i:\b(?=[a-z])(?:" + _SHORT_LABELS + r")\.?[ \t]*(?:#|no\.?|number)?[ \t]*[:#]?[ \t]*"
            r"(?:is[ \t]+)?(?:at[ \t]+)?[xX]?)"
            r"(?P<phi>\d[\d-]{0,7}\d)(?![\w-]|[.,]\d)",
            0.7,
        ),
        # a call/page verb, up to four name words, then a short number: "call Robertas (7-2725)",
        # "page Dr. K. Roe at x4-1234", "paged ortho resident 41234"
        (
            "call_short",
            r"(?i:\b(?=[a-z])(?:" + _CALL_VERBS + r")\b)"
            r"(?:[ \t]+(?:(?i:me|dr\.?|at|on|@|via|the|resident|fellow|attending|team|service|"
            r"nurse|rn|md|np|pa|on-?call)|[A-Z][A-Za-z'-]*\.?)){0,4}[ \t]*[(:#@]?[ \t]*[xX]?"
            r"(?P<phi>" + _SHORT_NUMBER + r")(?![\w-]|[.,]\d)",
            0.7,
        ),
        # the same with any words (lower-case notes) when a bracket, "@", "#", ":" or "at" introduces the
        # number: "call dr roe (7-2725)", "paged the cardiology fellow @ 41234"
        (
            "call_delimited",
            r"(?i:\b(?=[cprtbnd])(?:" + _CALL_VERBS + r")\b(?:[ \t]+[a-z][a-z'.-]*){0,4}[ \t]*"
            r"(?:[(@#:]|\bat\b|\bon\b)[ \t]*x?)"
            r"(?P<phi>" + _SHORT_NUMBER + r")(?![\w-]|[.,]\d)",
            0.7,
        ),
    ]
    CONTEXT = [
        "phone",
        "ph",
        "tel",
        "telephone",
        "cell",
        "mobile",
        "fax",
        "call",
        "called",
        "calling",
        "pager",
        "beeper",
        "page",
        "paged",
        "contact",
        "number",
        "reached at",
        "reach",
        "home",
        "work",
        "office",
        "voicemail",
        "text",
        "texts",
        "sms",
        "whatsapp",
        "messages",
        "answering",
        "registered",
        "dial",
        "hotline",
        "callback",
        # relatives and contacts: a number written next to them is theirs
        "daughter",
        "son",
        "wife",
        "husband",
        "spouse",
        "partner",
        "mother",
        "father",
        "sister",
        "brother",
        "niece",
        "nephew",
        "guardian",
        "poa",
        "hcp",
        "nok",
        "emergency",
        "family",
    ]
    GATES = {
        "x_ext": ("x",),
        "tel_uri": ("tel:",),
        "intl": ("+",),
        "call_short": _CALL_WORDS,
        "call_delimited": _CALL_WORDS,
    }
    # phone words written after the number: "082 490 1693-Office", "416 60 039 office", "555 1234 (cell)"
    _AFTER = re.compile(
        r"[ \t]*[-(,/]?[ \t]*(?i:office|fax|cell|mobile|home|work|pager|phone|tel|direct|main)\b"
    )

    def validate_match(self, pattern, value, match, text):
        end = match.end("phi")
        if public_number(value):
            return False
        label = match.group(0)[: match.start("phi") - match.start()].strip().lower()
        if pattern in _UNIT_CHECKED:
            if _UNIT_AFTER.match(text, end):
                return False
        n_digits = sum(c.isdigit() for c in value)
        if pattern == "labelled_short":
            if label[:1] in ("x", "p") and label.rstrip(".:# ") in ("x", "p", "pg"):
                # "x4321", "p 12345": 4-5 digit in-house numbers; not "x 100" (a multiplier), "p 0.05"
                if not re.fullmatch(_SHORT_NUMBER, value):
                    return False
                if re.search(r"\d[ \t]*$", text[max(0, match.start() - 4) : match.start()]):
                    return False  # "3 x 1000": a multiplication
            elif n_digits < 3 and not label.startswith(("ext", "x")):
                return False
        verb = pattern in ("call_short", "call_delimited") or (
            pattern == "labelled_short" and re.match(r"(?:page(?!r)|paged|beep(?!er))", label)
        )
        if verb and len(value) == 4 and value.isdigit() and not re.search(r"[(#x]$", label):
            if int(value[:2]) < 24 and int(value[2:]) < 60 or 1950 <= int(value) <= 2039:
                return False  # "paged MD at 0300", "called on 2021": a time or a year, not an extension
        if pattern == "vanity" and re.match(
            r"(?i)(?:mg|mcg|ml|g|kg|l|units?|iu|meq|mmol|tabs?|tablets?|caps?|capsules?|mm|cm|hrs?|days?)\b",
            re.sub(r"^(?:1[-. ])?(?:\(\d{3}\)[ ]?|\d{3}[-. ])", "", value),
        ):
            return False  # "250 MG-TABLET": a dose
        if pattern == "vanity" and re.fullmatch(r"\d{3}\.[A-Z]+", value):
            return False  # "FSBG 245.COVERAGE": a value, a full stop, then an upper-case word
        if pattern == "signature" and len(value) == 4 and value.isdigit():
            if int(value[:2]) < 24 and int(value[2:]) < 60 or 1900 <= int(value) <= 2099:
                return False  # "Jane Roe, RN  1545": the time or year of the entry, not a pager
        if pattern == "x_ext":
            before = text[max(0, match.start() - 4) : match.start()]
            if value.endswith("00") or re.search(r"\d[ \t]*$", before):
                return False  # "x1000", "3 x 2500": magnifications and multiplications
            if _UNIT_AFTER.match(text, end):
                return False
            if not _CALL_BEFORE.search(text, max(0, match.start() - 30), match.start()):
                return False  # without a call/contact verb the labelled patterns decide ("x4321" in a list)
        if pattern == "ext5":
            if value[2:].endswith("00"):
                return False  # "1-1500", "5-1000": a range of round numbers
        if pattern in ("intl", "labelled_any") and not 7 <= n_digits <= 15:
            return False
        generic_label = label.rstrip(":#=-( ") in ("number", "no", "no.")
        if pattern == "labelled_any" and generic_label and _ID_NOUN_BEFORE.search(
            text, max(0, match.start() - 25), match.start()
        ):
            return False  # "medical record number (032397098)": the number of a record, not a phone
        if pattern == "trunk":
            if not 8 <= n_digits <= 15 or clinical_before(text, match.start()):
                return False  # "NDC 0002-8215-01": a drug code
        if pattern in ("trunk", "grouped") and times_list(value):
            return False  # "0800 1400 2000": administration times
        if pattern == "grouped" and not 7 <= n_digits <= 13:
            return False
        if pattern in ("grouped", "digits10") and self._AFTER.match(text, end):
            return True
        if pattern == "grouped" and n_digits == 10 and re.fullmatch(_AREA_GROUPS, value):
            return True
        if pattern == "local7" and value[:3].endswith("0") and value[4:].endswith("00"):
            return False  # "100-1000", "250-4500": a range
        return None


class EmailRecognizer(MedflPatternRecognizer):
    ENTITY = "EMAIL"
    PATTERNS = [
        (
            "email",
            r"(?<![\w.+'-])(?P<phi>[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})",
            0.95,
        ),
        # spelled out against harvesters: "jdoe at gmail dot com", "jdoe[at]mail[dot]org", "jdoe (at) x.org"
        (
            "obfuscated",
            r"(?i)(?<![\w.+-])(?P<phi>[a-z0-9._%+-]+(?:[ \t]*(?:\[at\]|\(at\)|\{at\})[ \t]*[a-z0-9-]+"
            r"(?:(?:[ \t]*(?:\[dot\]|\(dot\))[ \t]*|\.)[a-z0-9-]+)+|"
            r"[ \t]at[ \t][a-z0-9-]+(?:[ \t]dot[ \t][a-z0-9-]+)+)(?<=com|org|net|edu|gov|\.us|\.io|\.co|\.uk"
            r"| us| io| co| uk))\b",
            0.9,
        ),
    ]
    CONTEXT = ["email", "e-mail", "mail"]
    GATES = {"email": ("@",), "obfuscated": ("[at]", "(at)", "{at}", " dot ")}


class UrlRecognizer(MedflPatternRecognizer):
    ENTITY = "URL"
    _TLD = r"(?:com|org|net|edu|gov|io|us|info|biz|health|care|med|co|me|ly|app)"
    PATTERNS = [
        ("scheme", r"(?i)(?P<phi>\b(?:https?|ftp|sftp)://[^\s<>\"'()\]]+)", 0.95),
        ("www", r"(?i)(?P<phi>\bwww\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[^\s<>\"'()\]]*)?)", 0.9),
        (
            "bare_domain",
            r"(?i)(?<![\w@.-])(?P<phi>[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\."
            + _TLD
            + r"(?:/[^\s<>\"'()\]]*)?)(?![\w@-])",
            0.6,
        ),
    ]
    CONTEXT = ["url", "website", "web", "portal", "site", "link"]
    GATES = {"scheme": ("://",), "www": ("www.",),
             "bare_domain": tuple("." + t for t in _TLD[3:-1].split("|"))}

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for r in results:  # a sentence full stop or comma is not part of the URL
            while r.end > r.start and text[r.end - 1] in ".,;:!?":
                r.end -= 1
        return results


class IpAddressRecognizer(MedflPatternRecognizer):
    ENTITY = "IP"
    PATTERNS = [
        # with a port or a CIDR suffix: "10.2.3.4:443", "10.2.0.0/16"
        ("ipv4",
         r"(?P<phi>" + lead(r"\d", r"\w.") + r"\d{0,2}(?:\.\d{1,3}){3}(?::\d{1,5}|/\d{1,2})?)(?![\w]|\.\d)",
         0.6),
        (
            "ipv6",
            r"(?i)(?<![\w:])(?P<phi>(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}"
            r"(?::[0-9a-f]{1,4}){0,5})?)(?![\w:])",
            0.6,
        ),
        # a bracketed IPv6 address with its port: "[2001:db8:2805::1a59]:443" (checked without the brackets)
        (
            "ipv6_port",
            r"(?i)(?<![\w:])(?P<phi>\[[0-9a-f:]{2,39}\]:\d{1,5})(?![\w:])",
            0.6,
        ),
        # any hex-colon token with a "::" is address-shaped even when a group is too long for a real IPv6
        # ("fd3df9:fb8d:ad04::80a"): nothing clinical is written that way
        (
            "hex_colon",
            r"(?i)(?<![\w:])(?P<phi>[0-9a-f]{1,8}(?::[0-9a-f]{1,8})*::(?:[0-9a-f]{1,8}(?::[0-9a-f]{1,8})*)?)"
            r"(?![\w:])",
            0.6,
        ),
    ]
    CONTEXT = ["ip", "address", "host", "server", "logged in from", "device"]
    GATES = {"ipv6": tuple(":" + c for c in "0123456789abcdef:"), "hex_colon": ("::",), "ipv6_port": ("]:",)}

    def validate_match(self, pattern, value, match, text):
        if pattern == "hex_colon":
            # 3+ groups with a digit: "1::2" (a ratio) and "A::B" are not addresses
            return len([g for g in value.split(":") if g]) >= 3 and any(c.isdigit() for c in value)
        if pattern == "ipv4":
            value = re.split(r"[:/]", value)[0]
        if pattern == "ipv6_port":
            value = value[1 : value.index("]")]
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return False
        return True
