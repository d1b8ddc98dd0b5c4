"""DEV world of the synthetic note generator: the former held-out set, retired after it was measured twice.

It was written as a held-out world (nobody tuning rules read it) and reported on in the first session; it is
now open for tuning, and the reported figures come from a fresh held-out world (synthetic_heldout.py). What
differs from tuning, on purpose:
- templates with other phrasings and section orders (letters to the PCP, terse sign-outs, addenda, telephone
  encounters, ALL-CAPS nursing notes without labels), identifiers without labels, names in odd positions
  (possessives, parentheses, line starts, lower case, split over a line break, e-mail user names);
- messier text: typos, dropped punctuation, doubled spaces, line breaks in odd places (literal text only, so
  gold offsets stay exact);
- more formats for dates ("14 March 2021", "3.14.21", "14MAR2021", "March 2021"), ages ("92yo", "92 years
  old"), phones (dots, spaces, +1, pagers, extensions) and ids (NPI, VIN, UDI, Medicaid, EMPI ...);
- name and place pools disjoint from the tuning ones: Faker locales not used for tuning, plus made-up names
  no dictionary holds; other cities, street words, hospital and facility patterns;
- extra clinical vocabulary (drugs, eponyms) the medical allow-list has not seen.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from functools import lru_cache

from medfl.privacy.deid.synthetic import (
    MON,
    MONTH,
    TUNING_DATE_FORMATS,
    VOCAB,
    Style,
    Template,
    _clean_names,
    _vocab_words,
    dea_number,
    digits,
    faker_names,
    letters,
    medicare_mbi,
    mrn_7,
    name_pool_words,
    ordinal,
    phone_dash,
    phone_paren,
    phone_parts,
    ssn_dash,
    ssn_value,
    tuning_style,
)

_EXTRA_VOCAB = {
    "drugs": (
        ("Entresto", "24/26 mg"), ("Jardiance", "10 mg"), ("Ozempic", "0.5 mg"), ("Brilinta", "90 mg"),
        ("Kayexalate", "15 g"), ("Sinemet", "25/100"), ("Aricept", "5 mg"), ("Namenda", "10 mg"),
        ("Xarelto", "20 mg"), ("torsemide", "20 mg"), ("bumetanide", "1 mg"), ("Dilaudid", "0.5 mg"),
        ("cefepime", "2 g"), ("meropenem", "1 g"), ("Unasyn", "3 g"), ("thiamine", "100 mg"),
        ("Precedex", "0.4 mcg/kg/h"), ("Levophed", "8 mcg/min"), ("Solu-Medrol", "125 mg"),
        ("Narcan", "0.4 mg"),
    ),
    "dx": (
        "Wernicke encephalopathy", "Takotsubo cardiomyopathy", "Stevens-Johnson syndrome", "Ludwig's angina",
        "Charcot foot", "Mallory-Weiss tear", "Zenker diverticulum", "Sjogren syndrome", "Marfan syndrome",
        "Horner syndrome", "Kawasaki disease", "Meniere's disease", "Dupuytren contracture", "NSTEMI",
        "HFpEF", "C diff colitis", "SBP", "HRS", "NASH", "PMR",
    ),
    "signs": ("Kussmaul respirations", "Cheyne-Stokes breathing", "Virchow node", "Heberden nodes",
              "Levine sign", "Chvostek sign", "Trousseau sign", "Cullen sign", "Grey Turner sign"),
    "symptoms": ("SOB at rest", "CP radiating to L arm", "coffee-ground emesis", "anasarca", "pruritus"),
    "procedures": ("TIPS", "CRRT", "bronch", "Hickman line", "Pleurx catheter", "G-tube", "TAVR", "IR drain"),
}


def _heldout_vocab() -> dict[str, tuple]:
    vocab = dict(VOCAB)
    for k, extra in _EXTRA_VOCAB.items():
        vocab[k] = tuple(vocab[k]) + extra
    return vocab


# ----------------------------------------------------------------------------- formats
HELDOUT_DATE_FORMATS: dict[str, Callable] = {
    **{k: TUNING_DATE_FORMATS[k] for k in ("mdy_slash", "mdy_short", "mdy2", "md", "iso", "mon_d", "d_mon_y",
                                           "nth", "month_d_y")},
    "d_month_y": lambda d: f"{d.day} {MONTH[d.month]} {d.year}",           # 14 March 2021
    "mon_dot_nth": lambda d: f"{MON[d.month]}. {ordinal(d.day)}",         # Mar. 14th
    "dots": lambda d: f"{d.month}.{d.day}.{d.year % 100:02d}",            # 3.14.21
    "compact": lambda d: f"{d.day:02d}{MON[d.month].upper()}{d.year}",    # 14MAR2021
    "ymd_compact": lambda d: f"{d.year}{d.month:02d}{d.day:02d}",          # 20210314
    "month_y": lambda d: f"{MONTH[d.month]} {d.year}",                    # March 2021
    "month_nth": lambda d: f"{MONTH[d.month]} {ordinal(d.day)}",          # March 14th
    "mdy_dash": lambda d: f"{d.month}-{d.day}-{d.year % 100:02d}",        # 3-14-21
    "mon_d_y": lambda d: f"{MON[d.month]} {d.day} {d.year}",              # Mar 14 2021
    "mdy_slash4": lambda d: f"{d.month}/{d.day}/{d.year}",                # 3/14/2021
}


def phone_dots(rng: random.Random) -> str:
    return ".".join(phone_parts(rng))


def phone_spaces(rng: random.Random) -> str:
    return " ".join(phone_parts(rng))


def phone_plus1(rng: random.Random) -> str:
    return "+1 " + "-".join(phone_parts(rng))


def phone_bare(rng: random.Random) -> str:
    return "".join(phone_parts(rng))


def phone_local7(rng: random.Random) -> str:
    _, b, c = phone_parts(rng)
    return f"{b}-{c}"


def phone_ext(rng: random.Random) -> str:
    return f"{phone_dash(rng)} x{rng.randint(100, 9999)}"


def pager5(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}-{digits(rng, 4)}"


def ssn_spaces(rng: random.Random) -> str:
    return ssn_value(rng, " ")


def ssn_plain(rng: random.Random) -> str:
    return ssn_value(rng, "")


def mrn_dashed(rng: random.Random) -> str:
    return f"{digits(rng, 2)}-{digits(rng, 2)}-{digits(rng, 3)}"


def mrn_mr_prefix(rng: random.Random) -> str:
    return "MR" + digits(rng, 7)


def empi_10(rng: random.Random) -> str:
    return "100" + digits(rng, 7)


def acct_fin(rng: random.Random) -> str:
    return "9" + digits(rng, 8)


def acct_acc_dash(rng: random.Random) -> str:
    return f"ACC-{digits(rng, 5)}-{rng.randint(1, 9)}"


def bcbs_member(rng: random.Random) -> str:
    return rng.choice("WXYR") + digits(rng, 9)


def medicaid_id(rng: random.Random) -> str:
    return digits(rng, 8) + letters(rng, 1)


def mbi_plain(rng: random.Random) -> str:
    return medicare_mbi(rng, dashes=False)


def npi(rng: random.Random) -> str:
    # NPI: 9 digits + Luhn check digit computed with the 80840 prefix
    base = str(rng.choice((1, 2))) + digits(rng, 8)
    total = 24  # Luhn contribution of the 80840 prefix
    for i, ch in enumerate(reversed(base)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return base + str((10 - total % 10) % 10)


def drivers_license(rng: random.Random) -> str:
    return f"{letters(rng, 1)}{digits(rng, 3)}-{digits(rng, 4)}-{digits(rng, 4)}"


def device_sn_mixed(rng: random.Random) -> str:
    return f"{digits(rng, 2)}{letters(rng, 1)}{digits(rng, 5)}"


def device_udi(rng: random.Random) -> str:
    return f"(01){digits(rng, 14)}(21){letters(rng, 1)}{digits(rng, 4)}"


def device_sn_dashed(rng: random.Random) -> str:
    return f"{digits(rng, 4)}-{digits(rng, 3)}-{digits(rng, 3)}"


def vin(rng: random.Random) -> str:
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return rng.choice("1245J") + "".join(rng.choice(chars) for _ in range(16))


def plate_spaced(rng: random.Random) -> str:
    return f"{letters(rng, 2)} {digits(rng, 4)}"


def plate_dashed(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}-{letters(rng, 3)}-{digits(rng, 3)}"


def accession_dashed(rng: random.Random) -> str:
    return f"{rng.choice(('CT', 'MR', 'US', 'XR'))}-{digits(rng, 2)}-{digits(rng, 6)}"


def encounter_e(rng: random.Random) -> str:
    return "E" + digits(rng, 8)


def ipv4_port(rng: random.Random) -> str:
    return f"{ipv4_plain(rng)}:{rng.choice((8080, 443, 104))}"


def ipv4_plain(rng: random.Random) -> str:
    a, b, c = rng.choice((10, 172, 192, 128, 66)), rng.randint(0, 255), rng.randint(0, 255)
    return f"{a}.{b}.{c}.{rng.randint(1, 254)}"


def ipv6(rng: random.Random) -> str:
    return "fe80::" + ":".join(f"{rng.randint(0, 65535):x}" for _ in range(4))


def _ids() -> dict[str, tuple]:
    phones = (phone_dots, phone_spaces, phone_plus1, phone_bare, phone_local7, phone_ext, phone_paren,
              phone_dash)
    return {
        "PHONE": phones,
        "PHONE:pager": (pager5,),
        "FAX": phones[:4] + (phone_paren,),
        "SSN": (ssn_spaces, ssn_plain, ssn_dash),
        "MRN": (mrn_dashed, mrn_mr_prefix, empi_10, mrn_7),
        "ACCT": (acct_fin, acct_acc_dash),
        "HPLAN": (bcbs_member, medicaid_id, mbi_plain),
        "LIC": (npi, drivers_license, dea_number),
        "LIC:npi": (npi,),
        "DEVICE": (device_sn_mixed, device_udi, device_sn_dashed),
        "VEHICLE": (vin, plate_spaced, plate_dashed),
        "VEHICLE:vin": (vin,),
        "ID": (accession_dashed, encounter_e),
        "IP": (ipv4_plain, ipv4_port, ipv6),
    }


# ----------------------------------------------------------------------------- messiness
def make_mess(rng: random.Random, level: float = 0.12) -> Callable[[str], str]:
    """Literal text -> messier literal text. The first and last character of a piece are never touched, so a
    neighbouring PHI value keeps its word boundaries."""

    def mess(s: str) -> str:
        if len(s) < 3:
            return s
        if rng.random() < level:  # typo: swap two letters inside an inner word
            words = [m for m in re.finditer(r"[A-Za-z]{5,}", s) if m.start() > 0 and m.end() < len(s)]
            if words:
                m = rng.choice(words)
                i = rng.randint(m.start() + 1, m.end() - 3)
                s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
        if rng.random() < level:  # dropped punctuation before a space
            spots = [m.start() for m in re.finditer(r"[.,:;](?=[ \n])", s) if 0 < m.start() < len(s) - 2]
            if spots:
                i = rng.choice(spots)
                s = s[:i] + s[i + 1:]
        if rng.random() < level:  # odd line break or doubled space
            spots = [m.start() for m in re.finditer(" ", s) if 0 < m.start() < len(s) - 1]
            if spots:
                i = rng.choice(spots)
                s = s[:i] + rng.choice(("\n", "  ", " \n")) + s[i + 1:]
        return s

    return mess


def _mess_factory(rng: random.Random) -> Callable[[str], str]:
    return make_mess(rng, 0.12)


# ----------------------------------------------------------------------------- pools
_HELDOUT_LOCALES = ("en_IE", "en_IN", "it_IT", "fr_FR", "nl_NL", "pt_BR", "hu_HU", "fi_FI", "yo_NG", "sw",
                    "zu_ZA", "tr_TR", "cs_CZ", "ro_RO", "id_ID", "lt_LT", "en_KE", "ga_IE")

_HELDOUT_CITIES = (
    "Burlington", "Montpelier", "Bangor", "Nashua", "Manchester", "Concord", "Keene", "Pawtucket",
    "Woonsocket", "Hartford", "Stamford", "Danbury", "Waterbury", "Bridgeport", "New Haven", "Trenton",
    "Camden", "Newark", "Paterson", "Hoboken", "Wilmington", "Annapolis", "Baltimore", "Frederick", "Roanoke",
    "Richmond", "Norfolk", "Durham", "Raleigh", "Asheville", "Greenville", "Charleston", "Savannah", "Macon",
    "Tallahassee", "Gainesville", "Pensacola", "Mobile", "Huntsville", "Biloxi", "Knoxville", "Chattanooga",
    "Lexington", "Louisville", "Bowling Green", "Cincinnati", "Youngstown", "Muncie", "Terre Haute",
    "Bloomington", "Champaign", "Rockford", "Davenport", "Cedar Rapids", "Dubuque", "Topeka", "Joplin",
    "Shreveport", "Baton Rouge", "Waco", "Abilene", "Odessa", "Laredo", "Las Cruces", "Flagstaff", "Provo",
    "Ogden", "Billings", "Missoula", "Bozeman", "Cheyenne", "Casper", "Rapid City", "Bismarck", "Yakima",
    "Bellingham", "Olympia", "Chico", "Modesto", "Visalia",
)
_HELDOUT_STREET_WORDS = (
    "Birch", "Willow", "Sycamore", "Hawthorne", "Magnolia", "Juniper", "Aspen", "Linden", "Poplar", "Hickory",
    "Laurel", "Cherry", "Dogwood", "Mill", "Ridge", "Harbor", "Meadow", "Orchard", "Valley", "Lake", "River",
    "Forest", "Canal", "Depot", "Quarry", "3rd", "5th", "12th", "Old County", "Turnpike",
)
_HELDOUT_STATES = ("VT", "NH", "CT", "NJ", "MD", "VA", "NC", "GA", "FL", "Tennessee", "Kentucky", "Iowa",
                   "Utah")

_SYL_ON = ("b", "d", "k", "l", "m", "n", "r", "s", "t", "v", "z", "br", "dr", "kh", "tr", "zh", "ch", "y")
_SYL_V = ("a", "e", "i", "o", "u", "ai", "ei", "ou")
_SYL_CODA = ("", "", "n", "r", "l", "s", "k", "m")


def _made_up_names(rng: random.Random, n: int, syllables: tuple[int, int]) -> list[str]:
    out = set()
    while len(out) < n:
        k = rng.randint(*syllables)
        name = "".join(rng.choice(_SYL_ON) + rng.choice(_SYL_V) + rng.choice(_SYL_CODA) for _ in range(k))
        out.add(name.capitalize())
    return sorted(out)


@lru_cache(maxsize=1)
def dev_style() -> Style:
    tuning = tuning_style()
    vocab = _heldout_vocab()
    banned = ({w.lower() for w in tuning.cities} | name_pool_words(tuning) | _vocab_words(vocab)
              | {"may", "june", "april", "august", "doe", "pt", "patient"})
    male, female, last = faker_names(_HELDOUT_LOCALES)
    rng = random.Random("heldout-pools")
    made_first = _made_up_names(rng, 80, (2, 2))
    made_last = _made_up_names(rng, 250, (2, 3))
    male = _clean_names(male + made_first[:40], banned)
    female = _clean_names(female + made_first[40:], banned)
    last = _clean_names(last + made_last, banned)
    hospitals = sorted({
        *(f"{c} Regional Med Ctr" for c in _HELDOUT_CITIES[:20]),
        *(f"{c} Community Hosp." for c in _HELDOUT_CITIES[20:35]),
        *(f"{c} VA Medical Center" for c in _HELDOUT_CITIES[35:45]),
        *(f"{rng.choice(last)} Pavilion" for _ in range(8)),
        *(f"{rng.choice(last)}-{rng.choice(last)} Clinic" for _ in range(8)),
        *(f"Good Samaritan Hospital of {c}" for c in _HELDOUT_CITIES[45:50]),
        "Our Lady of Lourdes Hospital", "St. Anne's Hospital", "St Elizabeth's Med Ctr",
        "St. Jude Medical Ctr",
        "Holy Cross Hospital", "Sacred Heart Medical Center",
    })
    facilities = sorted({
        *(f"{rng.choice(last)} House" for _ in range(8)),
        *(f"{c} Manor" for c in _HELDOUT_CITIES[50:60]),
        *(f"{w} Ridge SNF" for w in _HELDOUT_STREET_WORDS[:6]),
        *(f"{c} Health & Rehab" for c in _HELDOUT_CITIES[60:70]),
        *(f"{w} Gardens Assisted Living" for w in _HELDOUT_STREET_WORDS[6:12]),
        *(f"{c} Dialysis Unit" for c in _HELDOUT_CITIES[70:]),
    })
    return Style(
        name="dev",
        templates=HELDOUT_TEMPLATES,
        first_male=tuple(male), first_female=tuple(female), last=tuple(last),
        cities=_HELDOUT_CITIES,
        street_names=tuple((*_HELDOUT_STREET_WORDS, *last[:150])),
        street_suffixes=("Terrace", "Ter", "Pike", "Hwy", "Circle", "Cir", "Parkway", "Pkwy", "Row",
                         "Crescent",
                         "Trail", "Path", "Ext", "Blvd.", "rd", "st"),
        units=("", "", "", "#{n}", "Apt #{n}", "Fl {n}", "Suite {n}00", "Bldg {l}"),
        hospitals=tuple(hospitals), facilities=tuple(facilities),
        email_domains=("aol.com", "comcast.net", "icloud.com", "verizon.net", "protonmail.com", "msn.com"),
        web_hosts=("records", "imaging", "chart", "results"),
        states=_HELDOUT_STATES,
        date_formats=HELDOUT_DATE_FORMATS,
        random_date_formats=tuple(k for k in HELDOUT_DATE_FORMATS if k != "nth"),
        name_forms=("full", "lf", "LF", "mid", "fl", "last", "lower", "lfm", "ini", "ini3", "FULL", "brk"),
        age_forms={"glued": ("", "yo"), "yo_dots": ("", " y.o."), "years": ("", " years old"),
                   "age": ("age ", ""), "aged": ("aged ", ""), "paren": ("(", ")"), "yo": ("", " y/o")},
        ids=_ids(),
        email_forms=("{last}.{f}@{domain}", "{first}_{last}@{domain}", "{f}{last}{nn}@{domain}",
                     "{first}{nn}@{domain}"),
        url_forms=("http://{hslug}.org/patients/{id}", "{hslug}.com/chart?id={id}", "https://www.{hslug}.net",
                   "{host}.{hslug}.org/view/{id}"),
        bullets=("", "#{i} ", "{i}) ", "-", "o "),
        vocab=vocab,
        mess=_mess_factory,
        p_old=0.35,
    )


# ----------------------------------------------------------------------------- templates
HELDOUT_TEMPLATES = (
    Template("dc_letter_to_pcp", "discharge", """\
{HOSP}
{STREET}
{CITY}, {STATE} {ZIP}

{D.dis:d_month_y}

{PCP.mid}, MD
{FAC}

Re: {PT.full}<< (DOB {D.dob:mdy_slash4})| - dob {D.dob:compact}>>
<<MR# {MRN}|{MRN}>>

Dear Dr {PCP.last}
Thank you for allowing us to participate in the care of your patient who was admitted here \
from {D.adm:month_nth} through {D.dis:month_nth} for {DX}. As you know {PT.first} is a pleasant \
{AGE} {PT.sex} with {PMH_INLINE}. {PT.His} {REL.rel} {REL.first} stayed with {PT.him} through \
the admission.

{PT.last}'s hospital course by problem
{COURSE}

Discharge meds
{MEDS}

We have asked {PT.him} to see you in 1-2 wks, and labs should be drawn on the {D.lab:nth}. \
Please do not hesitate to call me at {PHONE.dr} or email {EMAIL.dr}.
Sincerely
{DR.full} MD
{DR.full}
"""),
    Template("dc_terse", "discharge", """\
D/C SUMMARY
{PT.LF} {MRN}   {SSN}
adm {D.adm:dots} dc {D.dis:dots}
attending {DR.lf}

dx: {DX}, {DX}
hx: {AGE} {PT.mf} w {PMH_INLINE}
brief course
{PLAN}
meds {MEDS_INLINE}
all: {ALLERGY}
dispo: to {FAC} ({PHONE.fac}, fax {FAX})
f/u {PCP.title} {PCP.lastlower} {D.fu:mon_dot_nth} - pt to call {PHONE.clinic}
[[vna]] referral faxed on {D.dis:md}. {REL.rel} ({REL.lower}) has copy of paperwork.
-- {DR.ini}
"""),
    Template("dc_addendum", "discharge", """\
ADDENDUM to discharge summary of {D.dis:mon_d_y}
Patient {PT.lfm} was found to have an insurance change; new {HPLAN} (Medicaid) on file, old policy \
{HPLAN:x} inactive. Home address updated to {STREET}
{CITY} {ZIP}. Best contact is {REL.full}<< ({REL.rel})|>> at {PHONE.rel}
Pts implanted defibrillator {DEVICE} was interrogated on {D.proc:ymd_compact} by the rep from \
the manufacturer; normal function.
Addendum by {DR2.fl} {D.dis:mdy_dash}
"""),
    Template("rad_mri", "radiology", """\
MRI BRAIN WITHOUT AND WITH CONTRAST {D.adm:compact}
{PT.FULL}   {MRN}   {AGE}
Order #{ID}    Requested by {DR.ini3}
Reason for exam - {SX}. Hx {DX}
Comparison - MRI from {D.prev:month_y}
Technique: multiplanar multisequence imaging before and after [[gadolinium]].
Findings
{IMAGING}
IMPRESSION
{IMPRESSION}
Results called to {DR.fl} at {TIME} on {D.adm:mdy_slash4}, read back.
I have personally reviewed the images. {DR2.full}, M.D. Pager {PHONE:pager}
"""),
    Template("rad_portable", "radiology", """\
portable cxr {D.adm:md} {TIME}
indication {AGE} {PT.mf} intubated {SX}
compared w {D.prev:mdy_short}
{IMAGING_INLINE}
{IMAGING_INLINE}
imp: {IMPRESSION}
d/w {DR.lower} ([[icu]]) by phone {PHONE.icu}
{DR2.lf} / viewer {IP} / {URL}
"""),
    Template("rad_outside", "radiology", """\
Outside Films Review - received from {HOSP2} on {D.adm:d_month_y}
Name on films: {PT.lf}   DOB on films: {D.dob:iso}   outside MRN {MRN:x}   our MRN {MRN}
Accession {ID}
Study: CT chest dated {D.prev:d_mon_y}
{IMAGING}
Opinion: {IMPRESSION}
Reviewed by {DR2.any}. Report sent to Dr. {DR.last} ({EMAIL.dr}).
"""),
    Template("prog_signout", "progress", """\
Sign-out {D.today:md}
{PT.LAST} {AGE} rm 4{N}   {MRN}
{DX} - {PLAN_INLINE}
overnight: if {SX} give {DRUG} {ROUTE}; call {DR2.first} ({PHONE:pager}) w/ questions
{PT.first} is very [[HOH]], {REL.rel} {REL.full} is primary contact {PHONE.rel}
labs {LABS}
"""),
    Template("prog_telephone", "progress", """\
Telephone encounter  {D.today:mon_d_y}
Caller: {REL.full}<<, {REL.rel} of the pt|>> ({PHONE.rel})
Re: {PT.full} dob {D.dob:mdy_slash} MRN {MRN}
{REL.first} reports {PT.last} has had {SX} since {D.onset:mdy_dash}, no {SX}. \
Taking {MEDS_INLINE}. Advised to go to {HOSP} ED if worse. Appt made with Dr. {PCP.last} \
for {D.fu:month_d_y}. Pharmacy: {FAC} on {STREET}.
{RN.full}, RN  {TIME}
"""),
    Template("prog_attending", "progress", """\
Attending attestation, hospital day {N}, {D.today:month_nth}
I saw and examined {PT.mr} {PT.last} with the team today and agree with the resident \
{DR2.full}'s note with edits. {PT.He} is a {AGE} with {PMH_INLINE}; overnight {EVENT}.
{VITALS}
{EXAM}
{LABS}
Plan:
{PLAN}
Spent 35 min, >50% counseling (also spoke with {PT.his} {REL.rel} {REL.first} {REL.last} by phone).
{DR.full}
{D.today:iso}
"""),
    Template("ed_triage_terse", "ed", """\
ED TRIAGE {D.adm:mdy_slash4} {TIME}
{PT.LF}   {AGE}   {PT.mf}
CC {SX}
arrived by {REL.rel} in private vehicle (plate {VEHICLE}). lives {STREET} {CITY}.
vitals {VITALS}
PMH {PMH_INLINE} - meds {MEDS_INLINE}
acuity 2. to room 14. Dr {DR.LAST} notified.
{RN.ini2} RN
"""),
    Template("ed_full", "ed", """\
Emergency Medicine Attending Note
Date of service {D.adm:mon_dot_nth}

Identification: {PT.full}, a {AGE} {PT.sex}, {MRN}, presented from {FAC} ({CITY}) \
with {SX}. Per EMS and {PT.his} {REL.rel} ({REL.full}, {PHONE.rel}), symptoms began {D.onset:month_nth} \
evening. [[NH]] staff nurse {X.any} reports baseline [[A&Ox2]].
History: {PMH}
Exam: {EXAM_INLINE}
Vitals {VITALS}
Results: {LABS}. {EKG_LINE} CT head {IMAGING_INLINE}
Impression/Plan: {DX}. {PLAN_INLINE}. Admitted to Dr. {DR2.last}'s service.
Pt identifiers confirmed (name + dob {D.dob:mdy2}). Insurance {HPLAN}, acct {ACCT}.
{DR.fl}
"""),
    Template("ed_mvc_police", "ed", """\
Trauma note {D.adm:iso} {TIME}
unrestrained passenger, MVC at {STREET}, {CITY}. car VIN {VEHICLE:vin}, other driver lic {LIC}
pt {PT.lower} {AGE}, id by wallet (license #{LIC:x}) + {REL.rel} on phone {PHONE.rel}
primary survey intact. {EXAM_INLINE}
[[FAST]] neg. {IMAGING_INLINE}
plan {PLAN_INLINE}
seen with police officer {X.any}
{DR.full} / {DR2.full}
"""),
    Template("rn_noc", "nursing", """\
NURSING NOTE {D.today:md} [[NOC]]
PT {PT.LAST} RESTING. {VITALS}
C/O {SX} X1, {DRUG} GIVEN {ROUTE} W GOOD EFFECT
{REL.rel} {REL.FULL} CALLED {PHONE.rel} UPDATED
MD {DR.last} AWARE OF {SX}, NO NEW ORDERS
[[IV]] SITE [[CDI]]. [[FOLEY]] PATENT. TURNED [[Q2H]]
{RN.FULL} RN
""", upper=True),
    Template("rn_discharge_teach", "nursing", """\
DC TEACHING DONE {D.dis:mon_d} WITH PT {PT.full} AND {PT.his} {REL.rel} {REL.first}
REVIEWED MEDS: {MEDS_INLINE}
PT GOING HOME TO {STREET}, {CITY} BY CAR
FOLLOW UP APPT {D.fu:mdy2} WITH DR {PCP.last} AT {HOSP2}, PH {PHONE.clinic}
HOME [[O2]] FROM {FAC}, [[CONCENTRATOR]] SN {DEVICE}
{RN.fl} RN {TIME}
""", upper=True),
    Template("rn_handoff", "nursing", """\
RN HANDOFF {D.today:mdy_short}
{PT.lf} {AGE} BED 12  {MRN}
DX {DX}. HX {PMH_INLINE}
{VITALS}
ACTIVITY [[OOB]] TO CHAIR W [[PT/OT]], {SIGN} NOTED BY MD
FAMILY: {REL.full} ({REL.rel}) AT BEDSIDE UNTIL 2100, WANTS CALL AT {PHONE.rel} IF ANY CHANGE
GAVE REPORT TO {RN.first} {RN.last}
""", upper=True),
)
