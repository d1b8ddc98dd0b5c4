"""Surrogates keep the format of what they replace, shift dates by one offset, never echo the original."""

import datetime as dt
import re

import pytest

from medfl.privacy.deid.surrogates import Surrogator

SUR = Surrogator(b"unit-test-secret", "doc-1", "patient-9")
SHIFT = dt.timedelta(days=SUR.shift_days)


def _d(y, m, d):
    return dt.date(y, m, d) + SHIFT


@pytest.mark.parametrize(
    "original,expected",
    [
        ("2021-03-03", lambda: _d(2021, 3, 3).strftime("%Y-%m-%d")),
        ("03/14/21", lambda: _d(2021, 3, 14).strftime("%m/%d/%y")),
        ("3/14/2021", lambda: f"{_d(2021, 3, 14).month}/{_d(2021, 3, 14).day}/{_d(2021, 3, 14).year}"),
        ("7/22", lambda: f"{_d(2000, 7, 22).month}/{_d(2000, 7, 22).day}"),
        ("3-Mar-2021", lambda: f"{_d(2021, 3, 3).day}-{_d(2021, 3, 3).strftime('%b')}-{_d(2021, 3, 3).year}"),
        ("Mar 3", lambda: f"{_d(2000, 3, 3).strftime('%b')} {_d(2000, 3, 3).day}"),
        ("March 14, 2021", lambda: f"{_d(2021, 3, 14).strftime('%B')} {_d(2021, 3, 14).day}, 2021"
         if _d(2021, 3, 14).year == 2021 else None),
        ("MAR 3", lambda: f"{_d(2000, 3, 3).strftime('%b').upper()} {_d(2000, 3, 3).day}"),
    ],
)
def test_dates_shift_by_one_offset_and_keep_format(original, expected):
    want = expected()
    got = SUR.replace("DATE", original)
    assert got != original
    if want is not None:
        assert got == want


def test_shift_is_per_patient_not_per_document():
    other_doc = Surrogator(b"unit-test-secret", "doc-2", "patient-9")
    other_patient = Surrogator(b"unit-test-secret", "doc-1", "patient-10")
    assert other_doc.shift_days == SUR.shift_days
    assert 30 <= abs(SUR.shift_days) <= 365
    assert other_patient.shift_days != SUR.shift_days  # (a 1-in-670 collision would need another seed)


@pytest.mark.parametrize(
    "etype,original,shape",
    [
        ("NAME", "John Smith", r"[A-Z][a-z'-]+ [A-Z][a-z'-]+"),
        ("NAME", "SMITH, JOHN", r"[A-Z'-]+, [A-Z'-]+"),
        ("NAME", "JS/mk", r"[A-Z]{2}/[a-z]{2}"),
        ("NAME", "J.D.", r"[A-Z]\.[A-Z]\."),
        ("AGE", "92", r"90"),
        ("PHONE", "(617) 555-1234", r"\(\d{3}\) \d{3}-\d{4}"),
        ("SSN", "123-45-6789", r"9\d{2}-\d{2}-\d{4}"),  # area 9xx is never issued
        ("ID", "A1234567", r"[A-Z]\d{7}"),
        ("EMAIL", "jane@x.org", r"[a-z'-]+\.[a-z'-]+\d+@example\.org"),
        ("URL", "https://x.org/p", r"https://www\.example\.org/\w+"),
        ("IP", "10.1.2.3", r"192\.0\.2\.\d+"),
        ("LOCATION", "12 Oak Street, Apt 4B", r"\d+ [A-Z][a-z'-]+ Street, Apt 4B"),
        ("LOCATION", "02115", r"\d{5}"),
        ("LOCATION", "Lakeside General Hospital", r"[A-Z][a-z'-]+ Hospital"),
    ],
)
def test_surrogate_shapes(etype, original, shape):
    got = SUR.replace(etype, original)
    assert got != original and re.fullmatch(shape, got), got
    assert SUR.replace(etype, original) == got  # same original, same surrogate


def test_unparseable_date_fails_closed_to_tag():
    assert SUR.replace("DATE", "2/30/2021") == "[DATE]"
