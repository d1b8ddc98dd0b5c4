"""Realistic surrogates for detected PHI, consistent inside a document and deterministic per site.

Design choices
- Every choice is drawn from a `random.Random` seeded by HMAC-SHA256(site secret, doc key, type, original):
  the same site secret + document always give the same output (re-runs are reproducible), nobody without the
  secret can invert or link a surrogate, and the same original string maps to the same surrogate everywhere in
  the document ("Smith" in "Mr. Smith" and in "Smith, John" -> the same new surname).
- Names are replaced token by token (first-name list -> first name, otherwise surname), keeping case style;
  a surrogate is never equal to the original.
- Dates move by ONE offset per patient key (a "patient_id"-like field, else the document id), 30-365 days in
  either direction, so intervals between dates of a patient survive. Format is preserved (7/22 stays M/D,
  "3-Mar-2021" stays D-Mon-YYYY). A date that cannot be parsed becomes "[DATE]" (fail closed).
- Ages over 89 become "90" (Safe Harbor aggregation); contact/ids keep their shape with fresh characters from
  reserved ranges where one exists (SSN area 9xx is never issued, IPs from the documentation nets 192.0.2.0/24
  and 2001:db8::/32, e-mail and URLs on example.org).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import re

from medfl.privacy.deid.recognizers.base import MONTH_NAMES, load_lexicon

_MONTHS = MONTH_NAMES
_MON_IDX = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
_STREET_SUFFIX_RX = re.compile(
    r"(\s[A-Za-z]+\.?(?:,?\s*(?:Apt|APT|Apartment|Suite|SUITE|Ste|STE|Unit|UNIT|#|Rm|"
    r"Room|Fl|Floor)\.?\s*#?\s*[A-Z0-9-]+)?)$"
)
_UNIT_AFTER_COMMA = re.compile(r"(?i),\s*(?:apt|apartment|suite|ste|unit|#|rm|room|fl)")
_FAC_SUFFIX_RX = re.compile(
    r"(?i)\s(Hospital|Medical\s+Center|Health\s+Center|Healthcare|Health\s+System|Health|"
    r"Clinic|Clinics|Medical\s+Group|Associates|Nursing\s+Home|Rehab\w*(?:\s+Center)?|"
    r"Care\s+Center|Urgent\s+Care|Infirmary|Hospice|Pharmacy|Institute|Center|Centre|Manor)"
    r"\b.*$"
)


def _case_like(src: str, new: str) -> str:
    if src.isupper() and len(src) > 1:
        return new.upper()
    if src.islower():
        return new.lower()
    return new


class Surrogator:
    """Surrogates for one document. `doc_key` keys names/ids, `patient_key` keys the date shift."""

    def __init__(self, secret: bytes, doc_key: str, patient_key: str | None = None,
                 avoid: frozenset[str] = frozenset()) -> None:
        """`avoid`: lower-cased words of this document's PHI; no surrogate may re-create one of them."""
        self._avoid = avoid
        self._secret = secret
        self._doc = doc_key
        rng = self._rng("date-shift", patient_key or doc_key, per_doc=False)
        self.shift_days = rng.choice((-1, 1)) * rng.randint(30, 365)
        self._first = sorted(load_lexicon("first_names.txt", lower=False))
        self._last = sorted(load_lexicon("last_names.txt", lower=False))
        self._first_low = load_lexicon("first_names.txt")
        self._last_low = load_lexicon("last_names.txt")

    def _rng(self, *parts: str, per_doc: bool = True) -> random.Random:
        key = (
            (self._doc, *parts) if per_doc else ("", *parts)
        )  # the date shift is per patient, not per document
        digest = hmac.new(self._secret, "\x1f".join(key).encode(), hashlib.sha256).digest()
        return random.Random(int.from_bytes(digest[:16], "big"))

    def replace(self, etype: str, original: str) -> str:
        fn = getattr(self, f"_{etype.lower()}", None)
        out = fn(original) if fn is not None else None
        if out is None or out == original:
            return f"[{etype}]"
        return out

    # ---- per type -------------------------------------------------------------------------------
    def _name_token(self, tok: str) -> str:
        rng = self._rng("name", tok.lower())
        listed = tok.lower() in self._first_low or tok.lower() in self._last_low
        if len(tok.rstrip(".")) <= 3 and not listed:
            # initials ("J.", "JS/mk"): fresh letters of the same length and case
            new = "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in tok.rstrip("."))
            while new.lower() == tok.rstrip(".").lower():
                new = "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in tok.rstrip("."))
            return _case_like(tok.rstrip("."), new) + tok[len(tok.rstrip(".")) :]
        if len(tok.rstrip(".")) == 1:  # an initial
            new = rng.choice([c for c in "ABCDEFGHJKLMNPRSTW" if c != tok[0].upper()])
            return new + tok[1:]
        pool = self._first if tok.lower() in self._first_low else self._last
        new = rng.choice(pool)
        while new.lower() == tok.lower() or new.lower() in self._avoid:
            new = rng.choice(pool)
        return _case_like(tok, new)

    def _name(self, s: str) -> str:
        return re.sub(r"[A-Za-z][A-Za-z'-]*", lambda m: self._name_token(m.group()), s)

    def _chars(self, s: str, rng: random.Random) -> str:
        out = []
        for c in s:
            if c.isdigit():
                out.append(str(rng.randint(0, 9)))
            elif c.isalpha():
                letter = chr(rng.randint(65, 90))
                out.append(letter if c.isupper() else letter.lower())
            else:
                out.append(c)
        return "".join(out)

    def _id(self, s: str) -> str:
        rng = self._rng("id", s)
        new = self._chars(s, rng)
        while new == s:
            new = self._chars(s, rng)
        return new

    def _phone(self, s: str) -> str:
        rng = self._rng("phone", s)
        digits = iter([str(rng.randint(2, 9)) if i in (0, 3) else str(rng.randint(0, 9)) for i in range(32)])
        body = re.sub(r"^\+?1(?=[\s.-]?\(?\d{3})", lambda m: m.group(), s)
        new = re.sub(r"\d", lambda m: next(digits), body)
        return new if new != s else None

    def _ssn(self, s: str) -> str:
        rng = self._rng("ssn", s)
        digits = iter(["9", *[str(rng.randint(0, 9)) for _ in range(8)]])
        return re.sub(r"\d", lambda m: next(digits, "0"), s)

    def _email(self, s: str) -> str:
        rng = self._rng("email", s.lower())
        first, last = rng.choice(self._first).lower(), rng.choice(self._last).lower()
        return f"{first}.{last}{rng.randint(1, 99)}@example.org"

    def _url(self, s: str) -> str:
        rng = self._rng("url", s.lower())
        return f"https://www.example.org/{rng.choice(self._last).lower()}{rng.randint(100, 999)}"

    def _ip(self, s: str) -> str:
        rng = self._rng("ip", s)
        return f"2001:db8::{rng.randint(1, 0xFFFF):x}" if ":" in s else f"192.0.2.{rng.randint(1, 254)}"

    def _age(self, s: str) -> str:
        if re.search(r"\d", s):
            return "90s" if s.rstrip("'s").endswith("0") and s.endswith("s") else "90"
        return _case_like(s, "nineties" if s.lower().startswith("nineties") else "ninety")

    def _location(self, s: str) -> str:
        rng = self._rng("location", s.lower())
        fake = rng.choice(self._last)
        while fake.lower() in self._avoid:
            fake = rng.choice(self._last)
        if re.fullmatch(r"\d{5}(?:-\d{4})?", s):
            return self._chars(s, rng)
        if re.match(r"\d", s) and "," in s and not _UNIT_AFTER_COMMA.search(s):
            head, _, tail = s.partition(",")  # "12 Oak St, Dedham": street and city in one span
            city = re.sub(r"\S.*", lambda m: self._location(m.group()), tail, count=1)
            return self._location(head) + "," + city
        if re.match(r"\d", s):  # street address: new number + new street name, keep the suffix/unit
            m = _STREET_SUFFIX_RX.search(s)
            suffix = m.group(1) if m else " Street"
            return _case_like(s, f"{rng.randint(10, 9999)} {fake}{suffix}")
        if re.match(r"(?i)p\.?\s?o\.?\s+box", s):
            return _case_like(s, f"PO Box {rng.randint(100, 9999)}")
        m = _FAC_SUFFIX_RX.search(s)
        if m:
            return _case_like(s, f"{fake}{m.group(0)}")
        if s.endswith(("County", "Parish", "Township")):
            return f"{fake} {s.split()[-1]}"
        return _case_like(s, fake + rng.choice(["ville", "ton", "burg", " Falls", " Springs", "field"]))

    # ---- dates ----------------------------------------------------------------------------------
    def _date(self, s: str) -> str | None:
        try:
            return _shift_date(s, self.shift_days, self._rng("date", s))
        except (ValueError, OverflowError, KeyError, IndexError):
            return None


def _month_name(idx: int, like: str) -> str:
    full = _MONTHS[idx - 1].capitalize()
    core = like.rstrip(".")
    name = full if len(core) > 4 or core.lower() in ("june", "july", "may") and len(core) == 4 else full[:3]
    if core.lower() == "sept":
        name = "Sept" if idx == 9 else name
    name = _case_like(core, name)
    return name + ("." if like.endswith(".") and len(name) <= 4 else "")


def _ord(d: int) -> str:
    return "th" if 11 <= d % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")


def _shift_date(s: str, days: int, rng: random.Random) -> str | None:
    delta = dt.timedelta(days=days)
    # 2021-03-14, 2021/03/14 (optional time kept)
    m = re.fullmatch(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(.*)", s)
    if m:
        d = dt.date(int(m[1]), int(m[3]), int(m[4])) + delta
        return f"{d.year:04d}{m[2]}{d.month:0{len(m[3])}d}{m[2]}{d.day:0{len(m[4])}d}{m[5]}"
    # 3/14/2021, 03-14-21 (US) or 14/03/2021 when the first field cannot be a month
    m = re.fullmatch(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})", s)
    if m:
        a, b, y = int(m[1]), int(m[3]), int(m[4])
        year = y if len(m[4]) == 4 else (2000 + y if y < 50 else 1900 + y)
        month, day = (a, b) if a <= 12 else (b, a)
        d = dt.date(year, month, day) + delta
        ys = f"{d.year:04d}" if len(m[4]) == 4 else f"{d.year % 100:02d}"
        first, second = (d.month, d.day) if a <= 12 else (d.day, d.month)
        return f"{first:0{len(m[1])}d}{m[2]}{second:0{len(m[3])}d}{m[2]}{ys}"
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})", s)  # 7/22 (no year: shift within a leap reference year)
    if m:
        d = dt.date(2000, int(m[1]), int(m[2])) + delta
        return f"{d.month:0{len(m[1])}d}/{d.day:0{len(m[2])}d}"
    # 3-Mar-2021, 3 March 2021, 14th of March
    m = re.fullmatch(
        r"(\d{1,2})(st|nd|rd|th)?(\s+of\s+|[\s-])([A-Za-z]+\.?)(,?[\s-]+)?('?\d{2}|\d{4})?", s, re.I
    )
    if m:
        yr = _year(m[6])
        d = (
            dt.date(
                yr or 2000,
                _MON_IDX[
                    m[4].rstrip(".").lower()[:4]
                    if m[4].lower().startswith("sept")
                    else m[4].rstrip(".").lower()[:3]
                ],
                int(m[1]),
            )
            + delta
        )
        out = f"{d.day:0{len(m[1])}d}{_ord(d.day) if m[2] else ''}{m[3]}{_month_name(d.month, m[4])}"
        return out + (f"{m[5] or ''}{_fmt_year(d.year, m[6])}" if m[6] else "")
    # Mar 3, March 3rd, 2021
    m = re.fullmatch(r"([A-Za-z]+\.?)(\s*)(\d{1,2})(?!\d)(st|nd|rd|th)?(,?\s+)?('?\d{2}|\d{4})?", s, re.I)
    if m:
        yr = _year(m[6])
        key = m[1].rstrip(".").lower()
        d = dt.date(yr or 2000, _MON_IDX["sept" if key.startswith("sept") else key[:3]], int(m[3])) + delta
        out = f"{_month_name(d.month, m[1])}{m[2]}{d.day}{_ord(d.day) if m[4] else ''}"
        return out + (f"{m[5] or ''}{_fmt_year(d.year, m[6])}" if m[6] else "")
    # March 2021, Mar of 2021, or a month alone: move by whole months
    m = re.fullmatch(r"([A-Za-z]+\.?)(,?\s+(?:of\s+)?)?(\d{4})?", s)
    if m:
        key = m[1].rstrip(".").lower()
        month = _MON_IDX["sept" if key.startswith("sept") else key[:3]]
        months = round(days / 30.4) or (1 if days > 0 else -1)
        total = (int(m[3]) if m[3] else 2000) * 12 + month - 1 + months
        out = _month_name(total % 12 + 1, m[1])
        return out + (f"{m[2]}{total // 12}" if m[3] else "")
    m = re.fullmatch(r"(\d{1,2})(st|nd|rd|th)", s, re.I)  # "the 14th"
    if m:
        day = (int(m[1]) - 1 + days) % 28 + 1
        return f"{day}{_case_like(m[2], _ord(day))}"
    if re.fullmatch(r"\d{6,8}", s):  # DOB 03141950 style: unknown field order -> fresh digits
        return "".join(str(rng.randint(0, 9)) for _ in s)
    return None


def _year(y: str | None) -> int | None:
    if not y:
        return None
    y = y.lstrip("'")
    return int(y) if len(y) == 4 else (2000 + int(y) if int(y) < 50 else 1900 + int(y))


def _fmt_year(year: int, like: str) -> str:
    if like.startswith("'"):
        return f"'{year % 100:02d}"
    return f"{year:04d}" if len(like) == 4 else f"{year % 100:02d}"


__all__ = ["Surrogator"]
