"""Contact identifiers: phone/fax, e-mail, URL, IP address (HIPAA Safe Harbor items 4, 5, 6, 14, 15)."""

from __future__ import annotations

import ipaddress
import re

from medfl.privacy.deid.recognizers.base import MedflPatternRecognizer


class PhoneRecognizer(MedflPatternRecognizer):
    """US-style phone and fax numbers; pager/extension numbers only when labelled."""

    ENTITY = "PHONE"
    PATTERNS = [
        # (617) 555-1234, 617-555-1234, 617.555.1234, +1 617 555 1234, with optional extension
        (
            "nanp",
            r"(?<![\w-])(?P<phi>(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s./-])\d{3}[\s.-]\d{4}"
            r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?)(?![\w-])",
            0.75,
        ),
        # separators dropped or odd ("617 5551234"): NANP area and exchange codes start with 2-9
        (
            "loose",
            r"(?<![\w.-])(?P<phi>(?:\([2-9]\d{2}\)|[2-9]\d{2})[\s.-]?[2-9]\d{2}[\s.-]?\d{4})(?![\w-]|\.\d)",
            0.55,
        ),
        # international: "+41 (0)38 549 02 90", "+44 20 7946 0958"
        (
            "intl",
            r"(?<![\w+])(?P<phi>\+\d{1,3}[\s.-]?(?:\(0\)[\s.-]?)?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4})(?![\w-])",
            0.7,
        ),
        # any digit grouping right after a phone label: "Mobile: 0688 843 79 56", "call me on (64) 3591-3246"
        (
            "labelled_any",
            r"(?i:\b(?:phone|tel|telephone|mobile|cell|fax|desk|office|home|work|pager|contact|"
            r"call\s+(?:me\s+)?(?:on|at)|"
            r"reach(?:ed)?\s+(?:me\s+)?at|number|no\.?)\s*(?:#|number|no\.?)?\s*[:#]?\s*)"
            r"(?P<phi>\(?\+?\d[\d().\s-]{5,18}\d)(?![\w-])",
            0.7,
        ),
        ("digits10", r"(?<![\w.-])(?P<phi>[2-9]\d{9})(?![\w-]|\.\d)", 0.3),
        ("local7", r"(?<![\w.-])(?P<phi>\d{3}-\d{4})(?![\w-])", 0.3),
        (
            "labelled_short",
            r"(?i:\b(?:ext|extension|pager|beeper|pgr|bpr|vocera|page|paged|cb|call\s*back|callback|beep|x)\.?\s*"
            r"(?:#|no\.?|number)?\s*[:#]?\s*)"
            r"(?P<phi>\d[\d-]{2,7}\d)(?![\w-])",
            0.7,
        ),
    ]
    CONTEXT = [
        "phone",
        "tel",
        "telephone",
        "cell",
        "mobile",
        "fax",
        "call",
        "called",
        "pager",
        "contact",
        "number",
        "ph",
        "reached at",
        "home",
        "work",
        "voicemail",
        "text",
    ]

    def validate_match(self, pattern, value, match, text):
        if (
            pattern == "labelled_short"
            and match.group(0)[:1] in "xX"
            and not re.match(r"[xX]\s*\d", match.group(0))
        ):
            return False
        return None


class EmailRecognizer(MedflPatternRecognizer):
    ENTITY = "EMAIL"
    PATTERNS = [
        (
            "email",
            r"(?<![\w.+-])(?P<phi>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})",
            0.95,
        ),
    ]
    CONTEXT = ["email", "e-mail", "mail"]


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

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for r in results:  # a sentence full stop or comma is not part of the URL
            while r.end > r.start and text[r.end - 1] in ".,;:!?":
                r.end -= 1
        return results


class IpAddressRecognizer(MedflPatternRecognizer):
    ENTITY = "IP"
    PATTERNS = [
        ("ipv4", r"(?<![\w.])(?P<phi>\d{1,3}(?:\.\d{1,3}){3})(?![\w]|\.\d)", 0.6),
        (
            "ipv6",
            r"(?i)(?<![\w:])(?P<phi>(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}"
            r"(?::[0-9a-f]{1,4}){0,5})?)(?![\w:])",
            0.6,
        ),
    ]
    CONTEXT = ["ip", "address", "host", "server", "logged in from", "device"]

    def validate_match(self, pattern, value, match, text):
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return False
        return True
