"""Synthetic clinical notes with exact, labelled PHI spans: the yardstick for medfl.privacy.deid.

generate_notes(n, seed, template_set="tuning"|"dev"|"dev2"|...|"dev9"|"heldout") -> [{"id", "text",
"spans", "span_kinds", "clinical_terms", "kind", "template"}], where spans are [start, end, type]
(text[start:end] is the PHI value), span_kinds say which form produced each span ("NAME:lf", "DATE:iso", ...)
and clinical_terms are [start, end, term] occurrences of clinical vocabulary the de-identifier must leave
alone.

Design choices
- A note is built piece by piece (`_Builder`): literal text, PHI values and clinical terms are appended
  separately, so gold offsets are exact by construction, never recovered by string search. ALL-CAPS notes
  upper-case each piece as it is appended, so offsets stay exact there too.
- Templates are plain strings in a small slot language (see `_expand`): `{PT.lf}` a person in a given form,
  `{D.adm:iso}` a dated anchor in a given format, `{MRN}` an identifier, `{MEDS}` a clinical block,
  `[[CHF]]` an inline clinical term, `<<a|b>>` a random alternative (options may hold slots).
- Disjoint worlds. "tuning" (this file: templates, formats, name and place pools), "dev" and "dev2"
  ... "dev9" (synthetic_dev*.py: earlier held-out worlds, retired once they had been reported on) are
  what the de-identifier may be developed against; "heldout" (synthetic_heldout.py, which de-id authors must
  not read) has other phrasings, orders and formats, messier text and name/place pools disjoint from all.
- Surrogates come from Faker's locale data (MIT) drawn with fixed seeds. Tuning names come from en_US, en_GB,
  es_MX, de_DE and sv_SE; held-out names from other locales plus made-up names, so a name dictionary alone
  cannot be perfect.
- Safe Harbor decides the labels: states, bare years, times and ages <= 89 are NOT labelled; every date
  element except the year is; titles ("Dr.", "Mr.") and credentials ("MD", "RN") stay outside name spans
  (i2b2 convention).
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

PHI_TYPES = ("NAME", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "SSN", "MRN", "ACCOUNT", "HEALTH_PLAN",
             "LICENSE", "DEVICE", "VEHICLE", "ID", "URL", "IP", "STREET", "CITY", "ZIP", "HOSPITAL")
NOTE_KINDS = ("discharge", "radiology", "progress", "ed", "nursing")
TEMPLATE_SETS = ("tuning", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "heldout")

# A piece of a note: ("t", literal) | ("p", value, phi_type, span_kind) | ("c", clinical_term)
Piece = tuple


@dataclass(frozen=True)
class Template:
    name: str
    kind: str  # one of NOTE_KINDS
    text: str
    upper: bool = False  # ALL-CAPS note


@dataclass(frozen=True)
class Style:
    """Everything that differs between the tuning and the held-out world."""

    name: str
    templates: tuple[Template, ...]
    first_male: tuple[str, ...]
    first_female: tuple[str, ...]
    last: tuple[str, ...]
    cities: tuple[str, ...]
    street_names: tuple[str, ...]
    street_suffixes: tuple[str, ...]
    units: tuple[str, ...]  # "Apt 4B"-style suffix formats ("" = none); {n} number, {l} letter
    hospitals: tuple[str, ...]
    facilities: tuple[str, ...]  # nursing homes, rehab, clinics
    email_domains: tuple[str, ...]
    web_hosts: tuple[str, ...]
    states: tuple[str, ...]
    date_formats: dict[str, Callable[[dt.date], str]]
    random_date_formats: tuple[str, ...]  # drawn for {D.x} without an explicit format
    name_forms: tuple[str, ...]  # drawn for {X.any}
    age_forms: dict[str, tuple[str, str]]  # name -> (literal before, literal after) the number
    ids: dict[str, tuple[Callable[[random.Random], str], ...]]  # slot -> value makers
    email_forms: tuple[str, ...]
    url_forms: tuple[str, ...]
    bullets: tuple[str, ...]
    vocab: dict[str, tuple] = field(default_factory=dict)
    # messiness of literal text: rng -> (literal -> messier literal); None = clean. Only literal pieces are
    # touched, so PHI spans and clinical terms keep their exact offsets.
    mess: Callable[[random.Random], Callable[[str], str]] | None = None
    p_old: float = 0.35  # share of patients older than 89 (their age is PHI)
    # more name forms of a world: person -> {form: text}, merged into the built-in ones (see _Note.name_form)
    extra_name_forms: Callable[..., dict[str, str]] | None = None


# ----------------------------------------------------------------------------- clinical vocabulary
# Shared by both worlds (the held-out world adds terms of its own). Eponyms and brand names look like proper
# names on purpose: a de-identifier must not scrub them.
VOCAB: dict[str, tuple] = {
    "drugs": (
        ("furosemide", "40 mg"), ("Lasix", "20 mg"), ("metoprolol tartrate", "25 mg"),
        ("lisinopril", "10 mg"), ("atorvastatin", "80 mg"), ("apixaban", "5 mg"), ("Eliquis", "5 mg"),
        ("warfarin", "5 mg"), ("Coumadin", "2.5 mg"), ("metformin", "1000 mg"),
        ("insulin glargine", "20 units"), ("Lantus", "18 units"), ("albuterol", "2 puffs"),
        ("tiotropium", "18 mcg"), ("pantoprazole", "40 mg"), ("Protonix", "40 mg"),
        ("acetaminophen", "650 mg"), ("Tylenol", "1 g"), ("oxycodone", "5 mg"), ("Norco", "5/325 mg"),
        ("vancomycin", "1 g"), ("Zosyn", "4.5 g"), ("ceftriaxone", "1 g"), ("Keflex", "500 mg"),
        ("amlodipine", "5 mg"), ("aspirin", "81 mg"), ("Plavix", "75 mg"), ("levothyroxine", "88 mcg"),
        ("Synthroid", "100 mcg"), ("tamsulosin", "0.4 mg"), ("Flomax", "0.4 mg"), ("prednisone", "40 mg"),
        ("enoxaparin", "40 mg"), ("Lovenox", "1 mg/kg"), ("heparin", "5000 units"), ("ondansetron", "4 mg"),
        ("Zofran", "4 mg"), ("senna", "8.6 mg"), ("docusate", "100 mg"), ("gabapentin", "300 mg"),
        ("sertraline", "50 mg"), ("quetiapine", "25 mg"), ("Haldol", "0.5 mg"), ("lorazepam", "0.5 mg"),
        ("Ativan", "1 mg"), ("spironolactone", "25 mg"), ("carvedilol", "6.25 mg"), ("digoxin", "0.125 mg"),
        ("diltiazem", "30 mg"), ("hydralazine", "25 mg"), ("isosorbide mononitrate", "30 mg"),
        ("nitroglycerin", "0.4 mg"), ("potassium chloride", "20 mEq"), ("Bactrim DS", "1 tab"),
        ("ciprofloxacin", "500 mg"), ("metronidazole", "500 mg"), ("Flagyl", "500 mg"),
        ("Augmentin", "875 mg"), ("levetiracetam", "500 mg"), ("Keppra", "500 mg"), ("donepezil", "10 mg"),
    ),
    "routes": ("PO", "IV", "SQ", "IM", "PR", "SL", "via PEG", "NG"),
    "freqs": ("daily", "BID", "TID", "QID", "QHS", "q6h PRN", "q4h PRN", "qAM", "q8h", "q12h"),
    "dx": (
        "CHF", "HFrEF", "HTN", "HLD", "DM2", "type 2 diabetes", "COPD", "CAD", "CAD s/p CABG", "afib",
        "atrial fibrillation", "CKD stage 3", "ESRD on HD", "GERD", "BPH", "OSA on CPAP", "hypothyroidism",
        "Parkinson's disease", "Alzheimer's dementia", "Crohn's disease", "Hodgkin lymphoma",
        "Graves' disease", "Barrett's esophagus", "h/o CVA", "TIA", "DVT", "PE", "PVD", "MDD",
        "EtOH use disorder", "cirrhosis", "HCV", "HIV on ART", "RA", "SLE", "gout", "osteoporosis",
        "Bell's palsy", "Hashimoto's thyroiditis", "Cushing's syndrome", "Addison's disease",
        "Guillain-Barre syndrome", "Down syndrome", "Raynaud's phenomenon", "iron deficiency anemia", "MGUS",
        "UTI", "AKI", "pneumonia", "sepsis",
    ),
    "symptoms": (
        "SOB", "DOE", "chest pain", "CP", "N/V", "abd pain", "fever", "chills", "syncope", "dysuria",
        "hematochezia", "melena", "BRBPR", "LE edema", "orthopnea", "PND", "productive cough", "weakness",
        "AMS", "HA", "dizziness", "palpitations",
    ),
    "procedures": (
        "CABG", "PCI", "TTE", "TEE", "EGD", "colonoscopy", "ERCP", "thoracentesis", "paracentesis", "PICC",
        "Foley catheter", "Whipple procedure", "Nissen fundoplication", "CT A/P", "CXR", "MRI brain", "EKG",
        "echo", "Swan-Ganz catheter", "LP", "HD", "PT/OT eval",
    ),
    "signs": (
        "Murphy's sign", "Homans sign", "Babinski", "Kernig sign", "Tinel sign", "Brudzinski sign",
        "Lachman test", "McMurray test", "Trendelenburg gait", "Romberg",
    ),
    "exam": (
        ("Gen", "NAD"), ("HEENT", "PERRLA, EOMI"), ("Neck", "no JVD"), ("CV", "RRR, no m/r/g"),
        ("Lungs", "CTAB"), ("Abd", "soft, NT/ND, +BS"), ("Ext", "no c/c/e"), ("Neuro", "A&Ox3"),
        ("Skin", "warm, dry"), ("CV", "2/6 systolic murmur at RUSB"), ("Lungs", "bibasilar crackles"),
        ("Ext", "2+ pitting edema BLE"),
    ),
    "imaging": (
        "small left [[pleural effusion]]", "no [[pneumothorax]]", "stable [[cardiomegaly]]",
        "[[RLL]] [[consolidation]] concerning for [[pneumonia]]",
        "[[ETT]] terminates 4 cm above the [[carina]]",
        "[[NG tube]] tip in the stomach", "mild [[pulmonary edema]]", "no acute [[intracranial hemorrhage]]",
        "[[cholelithiasis]] without [[cholecystitis]]", "[[diverticulosis]] without [[diverticulitis]]",
        "[[degenerative changes]] at [[L4-L5]]", "[[RUQ]] [[ultrasound]] shows a normal [[CBD]]",
        "no [[hydronephrosis]]", "[[atelectasis]] at the [[LLL]]",
        "[[PICC]] tip at the [[cavoatrial junction]]",
        "[[ground-glass opacities]] in both [[upper lobes]]", "a 6 mm [[pulmonary nodule]] in the [[RUL]]",
    ),
    "allergies": ("NKDA", "PCN (rash)", "sulfa (hives)", "codeine (N/V)", "iodinated contrast", "latex"),
    "labs": (
        ("WBC", "{:.1f}", 3.0, 19.0), ("Hgb", "{:.1f}", 6.5, 15.5), ("Plt", "{:.0f}", 60, 450),
        ("Na", "{:.0f}", 125, 146), ("K", "{:.1f}", 2.9, 5.9), ("Cr", "{:.1f}", 0.5, 4.8),
        ("BUN", "{:.0f}", 7, 80), ("INR", "{:.1f}", 0.9, 3.9), ("A1c", "{:.1f}%", 5.2, 11.5),
        ("trop", "{:.2f}", 0.01, 0.9), ("lactate", "{:.1f}", 0.6, 5.0), ("BNP", "{:.0f}", 40, 3200),
    ),
    "abbrevs": (
        "PO", "BID", "NPO", "PRN", "ICU", "ED", "GI", "DNR/DNI", "full code", "AMA", "s/p", "r/o", "c/o",
        "h/o", "w/u", "f/u", "I/O", "ABX", "PT", "OT", "SNF", "VNA", "RN", "SW", "CM", "POD #2", "HD #3",
    ),
}


# ----------------------------------------------------------------------------- pools (names, places)
_NON_NAMES = {
    # month/weekday names and words that would make gold labels ambiguous
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "doe", "patient", "nurse", "doctor", "md", "rn", "do", "pa", "np", "ms", "mr", "mrs", "dr", "pt",
}


def ascii_fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


_NAME_RE = re.compile(r"[A-Z][A-Za-z'\-]*[a-z]")


def _vocab_words(vocab: dict[str, tuple]) -> set[str]:
    words: set[str] = set()
    for items in vocab.values():
        for item in items:
            for s in item if isinstance(item, tuple) else (item,):
                if isinstance(s, str):
                    words.update(w.lower() for w in re.findall(r"[A-Za-z]+", s))
    return words


def _clean_names(raw, banned: set[str]) -> list[str]:
    out, seen = [], set()
    for name in raw:
        name = ascii_fold(str(name)).strip()
        if not _NAME_RE.fullmatch(name) or len(name) < 3 or name.lower() in banned or name.lower() in seen:
            continue
        seen.add(name.lower())
        out.append(name)
    return out


def invented_names(rng: random.Random, heads: tuple, tails: tuple, n: int) -> list[str]:
    """n distinct head + tail names ("Kes" + "quist"), sorted; at most all the combinations there are."""
    out: set[str] = set()
    n = min(n, len(heads) * len(tails))
    while len(out) < n:
        out.add(rng.choice(heads) + rng.choice(tails))
    return sorted(out)


def draw_name_pools(rng: random.Random, locale_lists, banned: set[str], exempt: set[str], *,
                    invented: tuple[tuple, tuple, tuple], words: tuple[tuple, tuple, tuple]
                    ) -> tuple[list[str], list[str], list[str]]:
    """(male, female, last) name pools of a world.

    locale_lists: ((male cap, female cap, last cap), (male, female, last names)) per locale, sampled in that
    order after removing `banned`; then invented names (surnames, female, male: (heads, tails, n) each) and
    the world's ordinary-word names (words: last, female, male) are added, and everything in `banned` except
    `exempt` (the word names) is dropped. The draw order is part of every fingerprinted world: keep it."""
    male: list[str] = []
    female: list[str] = []
    last: list[str] = []
    for (cm, cf, cl), lists in locale_lists:
        m, f, la = (_clean_names(x, banned) for x in lists)
        male += rng.sample(m, min(cm, len(m)))
        female += rng.sample(f, min(cf, len(f)))
        last += rng.sample(la, min(cl, len(la)))
    (sh, st, sn), (fh, ft, fn), (mh, mt, mn) = invented
    last += invented_names(rng, sh, st, sn) + list(words[0])
    female += invented_names(rng, fh, ft, fn) + list(words[1])
    male += invented_names(rng, mh, mt, mn) + list(words[2])
    drop = banned - exempt
    return _clean_names(male, drop), _clean_names(female, drop), _clean_names(last, drop)


def faker_names(locales: tuple[str, ...]) -> tuple[list[str], list[str], list[str]]:
    """(male first, female first, last) names from Faker's person providers of the given locales."""
    male, female, last = [], [], []
    for loc in locales:
        p = importlib.import_module(f"faker.providers.person.{loc}").Provider
        m = list(getattr(p, "first_names_male", ()) or ())
        f = list(getattr(p, "first_names_female", ()) or ())
        if not (m or f):  # providers without a sex split: use the list for both
            m = f = list(getattr(p, "first_names", ()) or ())
        male += m
        female += f
        last += list(getattr(p, "last_names", ()) or ())
    return male, female, last


def name_pool_words(style: Style) -> set[str]:
    """All first/last names of a world (lower-case), for disjointness checks."""
    return {n.lower() for n in (*style.first_male, *style.first_female, *style.last)}


# ----------------------------------------------------------------------------- value makers (tuning)
def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))


AREA_CODES = ("617", "508", "413", "978", "781", "212", "718", "312", "415", "206", "303", "404", "713",
              "215", "412", "614", "919", "503", "602", "860")


def phone_parts(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(AREA_CODES), str(rng.randint(201, 989)), digits(rng, 4)


def phone_paren(rng: random.Random) -> str:
    a, b, c = phone_parts(rng)
    return f"({a}) {b}-{c}"


def phone_dash(rng: random.Random) -> str:
    a, b, c = phone_parts(rng)
    return f"{a}-{b}-{c}"


def ssn_value(rng: random.Random, sep: str = "-") -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}{sep}{rng.randint(1, 99):02d}{sep}{rng.randint(1, 9999):04d}"


def ssn_dash(rng: random.Random) -> str:
    return ssn_value(rng)


def mrn_7(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, 6)


def mrn_8_zero(rng: random.Random) -> str:
    return "00" + digits(rng, 6)


def mrn_alpha(rng: random.Random) -> str:
    return letters(rng, 1) + digits(rng, 7)


def acct_10(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, 9)


def acct_dash(rng: random.Random) -> str:
    return f"{digits(rng, 4)}-{digits(rng, 5)}"


def hplan_alnum(rng: random.Random) -> str:
    return letters(rng, 3) + digits(rng, 9)


def medicare_mbi(rng: random.Random, dashes: bool = True) -> str:
    # MBI: C A AN N A AN N A A N N (no S, L, O, I, B, Z)
    a = "ACDEFGHJKMNPQRTUVWXY"
    an = a + "0123456789"
    c = [str(rng.randint(1, 9)), rng.choice(a), rng.choice(an), rng.choice("0123456789"), rng.choice(a),
         rng.choice(an), rng.choice("0123456789"), rng.choice(a), rng.choice(a), rng.choice("0123456789"),
         rng.choice("0123456789")]
    s = "".join(c)
    return f"{s[:4]}-{s[4:7]}-{s[7:]}" if dashes else s


def mbi_dashed(rng: random.Random) -> str:
    return medicare_mbi(rng)


def dea_number(rng: random.Random) -> str:
    d = [rng.randint(0, 9) for _ in range(6)]
    check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    return rng.choice("ABFM") + letters(rng, 1) + "".join(map(str, d)) + str(check)


def state_license(rng: random.Random) -> str:
    return rng.choice(("MD", "RN", "PA", "LIC")) + digits(rng, 6)


def device_serial(rng: random.Random) -> str:
    return letters(rng, 3) + digits(rng, 6)


def device_serial_suffix(rng: random.Random) -> str:
    return letters(rng, 3) + digits(rng, 6) + rng.choice("HRS")


def plate_ca(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{letters(rng, 3)}{digits(rng, 3)}"


def accession(rng: random.Random) -> str:
    return "RA" + digits(rng, 8)


def order_number(rng: random.Random) -> str:
    return digits(rng, 9)


def ipv4(rng: random.Random) -> str:
    return f"{rng.choice((10, 172, 192))}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


# ----------------------------------------------------------------------------- dates
MON = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


TUNING_DATE_FORMATS: dict[str, Callable[[dt.date], str]] = {
    "mdy_slash": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",     # 03/14/2021
    "mdy_short": lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}",    # 3/14/21
    "mdy2": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}", # 03/14/21
    "md": lambda d: f"{d.month}/{d.day}",                              # 7/22
    "iso": lambda d: d.isoformat(),                                    # 2021-03-14
    "mon_d": lambda d: f"{MON[d.month]} {d.day}",                      # Mar 3
    "month_d_y": lambda d: f"{MONTH[d.month]} {d.day}, {d.year}",      # March 3, 2021
    "d_mon_y": lambda d: f"{d.day}-{MON[d.month]}-{d.year}",           # 3-Mar-2021
    "nth": lambda d: ordinal(d.day),                                   # (the) 14th
}


# ----------------------------------------------------------------------------- tuning templates
_TUNING_TEMPLATES = (
    Template("discharge_structured", "discharge", """\
DISCHARGE SUMMARY
{HOSP}
Patient: {PT.lf}   MRN: {MRN}   Acct #: {ACCT}
DOB: {D.dob:mdy_slash}   Sex: {PT.mf}
Admission Date: {D.adm:mdy_slash}   Discharge Date: {D.dis:mdy_slash}
Attending: {DR.full}, MD   PCP: Dr. {PCP.last}

HISTORY OF PRESENT ILLNESS:
{PT.mr} {PT.last} is a {AGE:yo} {PT.sex} with {PMH_INLINE} who presented on {D.adm:mon_d} with {SX} \
and {SX}. \
<<{PT.He} was seen by Dr. {PCP.last} on {D.prev:md} and started on {DRUG}.|\
{PT.His} {REL.rel}, {REL.full}, reports worsening {SX} since {D.onset:month_d_y}.>>

PAST MEDICAL HISTORY:
{PMH}

HOSPITAL COURSE:
{COURSE}

DISCHARGE MEDICATIONS:
{MEDS}

ALLERGIES: {ALLERGY}

FOLLOW-UP: Dr. {PCP.last} on {D.fu:mon_d} at {TIME}, tel {PHONE.clinic}. <<Labs on the {D.lab:nth}.|>>
Discharged home with {PT.his} {REL.rel}. Condition: stable.

{DR.full}, MD
Dictated {D.dis:iso}
"""),
    Template("discharge_narrative", "discharge", """\
Discharge Summary - {HOSP}

Name: {PT.full}          Med Rec #: {MRN}
Date of admission: {D.adm:month_d_y}
Date of discharge: {D.dis:month_d_y}
Insurance: Medicare #: {HPLAN:mbi}

{PT.full} is a {AGE:yrold} {PT.sex} admitted for {DX}. {PT.He} lives at {STREET}, {CITY}, {STATE} {ZIP} \
with {PT.his} {REL.rel} {REL.first}, who can be reached at {PHONE.rel}.

Problem list:
{PLAN}

Procedures: {PROC} on {D.proc:d_mon_y}.

Discharge condition: stable, [[A&Ox3]], tolerating [[PO]].
Disposition: home with [[VNA]] services. {PCP.title} {PCP.last} to see {PT.him} within 1 week \
(office fax {FAX}).

Medications on discharge:
{MEDS}

Electronically signed by {DR.fl}, MD on {D.dis:mdy2} at {TIME}
cc: {PCP.full}, MD; {X.any}, NP
"""),
    Template("discharge_transfer", "discharge", """\
TRANSFER / DISCHARGE SUMMARY
Pt: {PT.LF}   Unit No: {MRN}   SSN: {SSN}
Admitted: {D.adm:d_mon_y}   Transferred: {D.dis:d_mon_y}
Receiving facility: {FAC}, {CITY}
Contact at facility: {X.full}, RN, {PHONE.fac}

Brief hospital course: {AGE:num}-year-old {PT.sex} with {PMH_INLINE} admitted with {DX}. \
Course complicated by {DX}. Pacemaker in place (device serial {DEVICE}).

{COURSE}

Code status: <<[[full code]]|[[DNR/DNI]]>>. HCP: {REL.full} ({REL.rel}), {PHONE.rel}, {EMAIL.rel}

Medications:
{MEDS}

Allergies: {ALLERGY}

Follow-up with Dr. {DR2.last} (cardiology) on {D.fu:mdy_short}. Patient portal: {URL}
{DR.full}, MD / pager {PHONE.pager}
"""),
    Template("radiology_cxr", "radiology", """\
{HOSP} - Department of Radiology
EXAM: CHEST 2 VIEWS   ACCESSION: {ID}
PATIENT: {PT.LF}   MRN: {MRN}   DOB: {D.dob:mdy_slash}
DATE OF SERVICE: {D.adm:mdy_slash}
ORDERING: {DR.fl}, MD

CLINICAL HISTORY: {AGE:yo} {PT.sex}, {SX}, r/o {DX}.
TECHNIQUE: PA and lateral views of the chest.
COMPARISON: {D.prev:mdy_slash}.

FINDINGS:
{IMAGING}

IMPRESSION:
{IMPRESSION}

Dictated by: {DR2.any}, MD   {D.adm:mdy_slash} {TIME}
"""),
    Template("radiology_ct", "radiology", """\
CT ABDOMEN AND PELVIS WITH IV CONTRAST
Patient name: {PT.full}   Record #: {MRN}
Exam date: {D.adm:iso}   Acc #: {ID}
Referring physician: Dr. {DR.last}

HISTORY: {AGE:yrold} {PT.sex} with {SX}. h/o {DX}.
COMPARISON: CT from {D.prev:month_d_y}.

FINDINGS:
{IMAGING}

IMPRESSION:
{IMPRESSION}

Findings discussed with Dr. {DR.last} by telephone at {TIME} on {D.adm:mon_d}.
Images available at {URL} (PACS {IP}).
Reading radiologist: {DR2.full}, MD
"""),
    Template("radiology_us", "radiology", """\
RUQ ULTRASOUND   {D.adm:mdy2}
{PT.LF} ({MRN})   {AGE:yo} {PT.mf}
Indication: {SX}, {SIGN} positive.
Comparison: none.
Findings: {IMAGING}
Impression: {IMPRESSION}
{DR2.fl}, MD
"""),
    Template("progress_soap", "progress", """\
PROGRESS NOTE   {D.today:mdy_slash}   Hospital day {N}
Patient: {PT.full}   MRN {MRN}

S: {PT.mr} {PT.last} reports {SX} overnight. Denies {SX}. <<{PT.His} {REL.rel} {REL.full} visited and \
asked for an update at {PHONE.rel}.|>>
O: {VITALS}
Exam:
{EXAM}
Labs: {LABS}
A/P: {AGE:yo} {PT.sex} with {PMH_INLINE} here with {DX}.
{PLAN}

{DR2.full}, MD (resident) / discussed with attending Dr. {DR.last}
"""),
    Template("progress_icu", "progress", """\
[[MICU]] Progress Note - {D.today:mon_d}
{PT.LF}, {AGE:num} {PT.mf}, MRN: {MRN}, HD #{N}

Events overnight: {EVENT}
Vitals: {VITALS}
Exam: {EXAM_INLINE}
Labs: {LABS}
Imaging: CXR {D.today:md}: {IMAGING_INLINE}

Assessment and Plan by problem:
{PLAN}

Dispo: remains in ICU. Family ({REL.rel} {REL.full}) updated by phone {PHONE.rel}.
{DR.full}, MD
"""),
    Template("progress_clinic", "progress", """\
Clinic follow-up visit - {HOSP2}
Date: {D.today:month_d_y}
Patient: {PT.full}   DOB: {D.dob:mdy_slash}   MRN: {MRN}
Address: {STREET}, {CITY}, {STATE} {ZIP}
Phone: {PHONE.pt}   Email: {EMAIL.pt}
Insurance ID: {HPLAN}

{PT.first} comes in for f/u of {DX} after discharge from {HOSP} on {D.dis:mdy_short}. \
{PT.He} reports {SX}; no {SX}.
Current medications:
{MEDS}
Exam: {EXAM_INLINE}
A/P:
{PLAN}
[[RTC]] in 3 months, sooner [[PRN]]. Next appt {D.fu:month_d_y}.

{DR.full}, MD
"""),
    Template("ed_triage", "ed", """\
EMERGENCY DEPARTMENT NOTE
Arrival: {D.adm:mdy_slash} {TIME}   Mode: EMS
Patient: {PT.lf}   DOB: {D.dob:mdy_short}   MRN: {MRN}
Chief complaint: {SX}

HPI: {AGE:yo} {PT.sex} [[BIBA]] from home ({STREET}, {CITY}) with {SX} since {D.onset:mon_d}. \
Hx of {PMH_INLINE}. Last seen well by {PT.his} {REL.rel} {REL.full} this morning.
ROS: {ROS}
Meds: {MEDS_INLINE}
Allergies: {ALLERGY}
Vitals: {VITALS}
Exam: {EXAM_INLINE}
ED course: {EKG_LINE} {LABS}
MDM: ddx includes {DX}, {DX}. Will admit to medicine, Dr. {DR2.last} aware.

{DR.full}, MD - {D.adm:mdy_short}
"""),
    Template("ed_mvc", "ed", """\
ED Provider Note - {HOSP}
{PT.full}, {AGE:num} {PT.mf}, MRN {MRN}, seen {D.adm:mon_d} at {TIME}

{PT.mr} {PT.last} was the restrained driver in an [[MVC]]. Vehicle plate {VEHICLE}. Police report obtained; \
driver's license #{LIC} on file. Complains of {SX}. Denies [[LOC]].
PMH: {PMH_INLINE}
Meds: {MEDS_INLINE}
Vitals: {VITALS}
Exam: {EXAM_INLINE}
Imaging: {IMAGING_INLINE}
Plan: {PLAN_INLINE}
Contact: {REL.rel} {REL.full} {PHONE.rel}.
Disposition: discharged home, f/u with PCP Dr. {PCP.last} in 1 week.
{DR.fl}, MD
"""),
    Template("ed_psych", "ed", """\
ED NOTE   {D.adm:d_mon_y}
Pt {PT.full} (MRN {MRN}, acct {ACCT}) brought in by police from {STREET}.
{AGE:yo} {PT.sex}, h/o {DX}, presenting with {SX}.
Collateral from {REL.rel} {REL.first} {PT.last} at {PHONE.rel}: pt stopped meds on {D.onset:md}.
Vitals: {VITALS}
Labs: {LABS}
Plan: [[SW]] consult, [[psych]] eval. Case d/w Dr. {DR2.last}.
Signed {DR.full}, MD {D.adm:mdy_slash}
"""),
    Template("nursing_shift", "nursing", """\
Nursing shift note {D.today:md} {TIME}
Pt {PT.LAST}, {PT.FIRST} (MRN {MRN}) [[A&Ox3]], [[VSS]]. {VITALS}
Pain controlled w/ {DRUG} {ROUTE}. Tolerating diet. Voiding via {PROC}.
Family: {REL.rel} {REL.first} at bedside, updated. Phone {PHONE.rel}.
Dr. {DR.last} notified re {SX}, new orders received.
Fall precautions maintained. Will continue to monitor.
{RN.ini}, RN
""", upper=True),
    Template("nursing_admit", "nursing", """\
Nursing admission note - {D.adm:mon_d}
{AGE:num} y/o {PT.sex} {PT.full} admitted from ED to 6 East with {DX}.
Hx: {PMH_INLINE}. Allergies: {ALLERGY}.
Skin intact. [[IV]] in [[L forearm]]. Insulin pump serial # {DEVICE}.
Belongings given to {REL.rel} {REL.any}.
Pt lives alone at {STREET}, {CITY}. {PT.His} daughter is [[HCP]].
Plan of care discussed with pt. Call bell in reach.
{RN.full}, RN
""", upper=True),
    Template("nursing_event", "nursing", """\
Nursing event note {D.today:mdy_short} {TIME}
Called to room for {SX}. {VITALS}
Dr. {DR2.last} at bedside. {DRUG} given {ROUTE} per order.
Pt {PT.LAST} resting comfortably after. {REL.rel} ({REL.full}) called at {PHONE.rel} and updated.
{RN.fl}, RN
""", upper=True),
)

_TUNING_CITIES = (
    "Springfield", "Worcester", "Lowell", "Fall River", "New Bedford", "Quincy", "Lynn", "Newton",
    "Somerville", "Framingham", "Haverhill", "Waltham", "Malden", "Brockton", "Medford", "Taunton",
    "Chicopee", "Weymouth", "Revere", "Peabody", "Methuen", "Barnstable", "Pittsfield", "Attleboro", "Salem",
    "Westfield", "Leominster", "Fitchburg", "Beverly", "Holyoke", "Marlborough", "Woburn", "Chelsea",
    "Braintree", "Natick", "Dedham", "Albany", "Syracuse", "Rochester", "Buffalo", "Yonkers", "Utica",
    "Scranton", "Allentown", "Erie", "Akron", "Dayton", "Toledo", "Columbus", "Madison", "Kenosha", "Peoria",
    "Joliet", "Aurora", "Evanston", "Gary", "Fort Wayne", "Lansing", "Flint", "Ann Arbor", "Duluth", "Fargo",
    "Sioux Falls", "Omaha", "Wichita", "Tulsa", "Amarillo", "Lubbock", "Tucson", "Mesa", "Reno", "Boise",
    "Spokane", "Tacoma", "Eugene", "Fresno",
)
_TUNING_STREET_WORDS = ("Oak", "Maple", "Pine", "Cedar", "Elm", "Washington", "Lincoln", "Highland", "Park",
                        "Main", "Church", "School", "Pleasant", "Summer", "Winter", "Prospect", "Chestnut",
                        "Walnut", "Spring", "Union", "Central", "Franklin", "Center", "North", "Water")
_TUNING_STATES = ("MA", "NY", "PA", "OH", "IL", "MI", "WI", "TX", "CA", "WA", "NE", "AZ")


def _tuning_ids() -> dict[str, tuple[Callable[[random.Random], str], ...]]:
    return {
        "PHONE": (phone_paren, phone_dash),
        "FAX": (phone_paren, phone_dash),
        "SSN": (ssn_dash,),
        "MRN": (mrn_7, mrn_8_zero, mrn_alpha),
        "ACCT": (acct_10, acct_dash),
        "HPLAN": (hplan_alnum,),
        "HPLAN:mbi": (mbi_dashed,),
        "LIC": (dea_number, state_license),
        "DEVICE": (device_serial, device_serial_suffix),
        "VEHICLE": (plate_ca,),
        "ID": (accession, order_number),
        "IP": (ipv4,),
    }


@lru_cache(maxsize=1)
def tuning_style() -> Style:
    banned = _NON_NAMES | _vocab_words(VOCAB)
    male, female, last = faker_names(("en_US", "en_GB", "es_MX", "de_DE", "sv_SE"))
    male, female, last = _clean_names(male, banned), _clean_names(female, banned), _clean_names(last, banned)
    hosp_rng = random.Random("tuning-hospitals")
    hospitals = sorted({
        *(f"{c} General Hospital" for c in _TUNING_CITIES[:25]),
        *(f"{c} Medical Center" for c in _TUNING_CITIES[25:45]),
        *(f"{hosp_rng.choice(last)} Memorial Hospital" for _ in range(20)),
        "St. Mary's Hospital", "St. Joseph's Medical Center", "St. Luke's Hospital", "St. Vincent Hospital",
        "Mercy Hospital", "Providence Medical Center", "University Hospital",
    })
    facilities = sorted({
        *(f"{c} Rehabilitation Center" for c in _TUNING_CITIES[45:60]),
        *(f"{hosp_rng.choice(last)} Nursing Home" for _ in range(10)),
        *(f"{c} Family Health Center" for c in _TUNING_CITIES[60:]),
    })
    return Style(
        name="tuning",
        templates=_TUNING_TEMPLATES,
        first_male=tuple(male), first_female=tuple(female), last=tuple(last),
        cities=_TUNING_CITIES,
        street_names=tuple((*_TUNING_STREET_WORDS, *last[:150])),
        street_suffixes=("Street", "St", "St.", "Avenue", "Ave", "Road", "Rd", "Drive", "Dr.", "Lane",
                         "Court", "Boulevard", "Way", "Place"),
        units=("", "", "", "Apt {n}", "Apt. {n}{l}", "Unit {n}"),
        hospitals=tuple(hospitals), facilities=tuple(facilities),
        email_domains=("gmail.com", "yahoo.com", "outlook.com", "hotmail.com"),
        web_hosts=("mychart", "portal", "patientgateway", "myhealth"),
        states=_TUNING_STATES,
        date_formats=dict(TUNING_DATE_FORMATS),
        random_date_formats=("mdy_slash", "mdy_short", "mdy2", "md", "iso", "mon_d", "month_d_y", "d_mon_y"),
        name_forms=("full", "lf", "LF", "mid", "fl", "last"),
        age_forms={"num": ("", ""), "yo": ("", " y/o"), "yrold": ("", "-year-old"), "yo2": ("", " yo")},
        ids=_tuning_ids(),
        email_forms=("{first}.{last}@{domain}", "{f}{last}@{domain}", "{first}{last}{nn}@{domain}"),
        url_forms=("https://{host}.{hslug}.org/patient/{id}", "www.{hslug}.org/{host}"),
        bullets=("- ", "* ", "{i}. "),
        vocab=VOCAB,
    )


# ----------------------------------------------------------------------------- note assembly
@dataclass
class _Person:
    first: str
    middle: str
    last: str
    female: bool


_RELATIONS = {True: ("daughter", "wife", "sister", "mother", "niece"),
              False: ("son", "husband", "brother", "father", "nephew")}


class _Builder:
    """Appends pieces and records exact spans; upper-cases pieces of ALL-CAPS notes as they come."""

    def __init__(self, upper: bool, mess: Callable[[str], str] | None):
        self.upper, self.mess = upper, mess
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[list] = []
        self.kinds: list[str] = []
        self.terms: list[list] = []

    def _add(self, s: str) -> tuple[int, int]:
        if self.upper:
            s = s.upper()
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        return start, self.pos

    def add(self, piece: Piece) -> None:
        if piece[0] == "t":
            text = piece[1]
            self._add(self.mess(text) if self.mess and text else text)
        elif piece[0] == "p":
            s, e = self._add(piece[1])
            self.spans.append([s, e, piece[2]])
            self.kinds.append(piece[3])
        else:
            s, e = self._add(piece[1])
            self.terms.append([s, e, self.parts[-1]])

    def text(self) -> str:
        return "".join(self.parts)


_SLOT_RE = re.compile(r"\{([A-Z_]+[0-9]?)(?:\.([A-Za-z_0-9]+))?(?::([A-Za-z_0-9]+))?\}|\[\[(.+?)\]\]")
_ALT_RE = re.compile(r"<<((?:(?!<<|>>).)*)>>", re.S)


class _Note:
    """One note being written: its cast (people, dates, ids, places) is drawn lazily and reused."""

    def __init__(self, style: Style, rng: random.Random):
        self.style, self.rng = style, rng
        self.people: dict[str, _Person] = {}
        self.dates: dict[str, dt.date] = {}
        self.values: dict[str, str] = {}
        self.age = rng.randint(90, 104) if rng.random() < style.p_old else rng.randint(19, 89)
        year = rng.randint(2012, 2024)
        self.dates["adm"] = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))

    # -- people
    def person(self, role: str) -> _Person:
        if role == "X" or role not in self.people:
            female = self.rng.random() < 0.5
            if role == "REL":  # relatives usually share the patient's last name
                pt = self.person("PT")
                last = pt.last if self.rng.random() < 0.6 else self.rng.choice(self.style.last)
            else:
                last = self.rng.choice(self.style.last)
            first = self.rng.choice(self.style.first_female if female else self.style.first_male)
            middle = self.rng.choice(self.style.first_female if female else self.style.first_male)
            p = _Person(first, middle, last, female)
            if role == "X":
                return p
            self.people[role] = p
            if role == "REL":
                self.values["REL.rel"] = self.rng.choice(_RELATIONS[female])
        return self.people[role]

    def name_form(self, p: _Person, form: str) -> str:
        full = f"{p.first} {p.last}"
        forms = {
            "first": p.first, "last": p.last, "full": full, "mid": f"{p.first} {p.middle[0]}. {p.last}",
            "lf": f"{p.last}, {p.first}", "LF": f"{p.last}, {p.first}".upper(), "LAST": p.last.upper(),
            "FIRST": p.first.upper(), "FULL": full.upper(), "ini": f"{p.first[0]}.{p.last[0]}.",
            "ini2": f"{p.first[0]}{p.last[0]}", "ini3": f"{p.first[0]}{p.middle[0]}{p.last[0]}",
            "fl": f"{p.first[0]}. {p.last}", "lower": full.lower(), "lastlower": p.last.lower(),
            "lfm": f"{p.last}, {p.first} {p.middle[0]}.", "user": f"{p.first[0]}{p.last}".lower(),
            "brk": f"{p.first}\n{p.last}",  # split over a line break
        }
        if self.style.extra_name_forms:
            forms.update(self.style.extra_name_forms(p))
        return forms[form]

    def person_slot(self, role: str, attr: str) -> list[Piece]:
        p = self.person(role)
        words = {
            "mr": ("Mrs." if self.rng.random() < 0.3 else "Ms.") if p.female else "Mr.",
            "title": "Dr.", "he": "she" if p.female else "he", "He": "She" if p.female else "He",
            "his": "her" if p.female else "his", "His": "Her" if p.female else "His",
            "him": "her" if p.female else "him", "mf": "F" if p.female else "M",
            "sex": self.rng.choice(("woman", "female")) if p.female else self.rng.choice(("man", "male")),
            "rel": self.values.get("REL.rel", "family member"),
        }
        if attr in words:
            return [("t", words[attr])]
        form = self.rng.choice(self.style.name_forms) if attr == "any" else attr
        return [("p", self.name_form(p, form), "NAME", f"NAME:{form}")]

    # -- dates
    def date(self, anchor: str) -> dt.date:
        if anchor not in self.dates:
            adm, r = self.dates["adm"], self.rng
            offsets = {"dis": r.randint(2, 12), "proc": r.randint(0, 3), "today": r.randint(1, 6),
                       "fu": r.randint(14, 40), "lab": r.randint(5, 10), "prev": -r.randint(30, 700),
                       "onset": -r.randint(1, 6), "next": r.randint(60, 120)}
            if anchor == "dob":
                self.dates[anchor] = dt.date(adm.year - self.age, 1, 1) + dt.timedelta(days=r.randint(0, 364))
            elif anchor in offsets:
                self.dates[anchor] = adm + dt.timedelta(days=offsets[anchor])
            else:
                raise KeyError(f"unknown date anchor {anchor!r}")
        return self.dates[anchor]

    def date_slot(self, anchor: str, fmt: str | None) -> list[Piece]:
        fmt = fmt or self.rng.choice(self.style.random_date_formats)
        return [("p", self.style.date_formats[fmt](self.date(anchor)), "DATE", f"DATE:{fmt}")]

    def age_slot(self, fmt: str | None) -> list[Piece]:
        fmt = fmt or self.rng.choice(tuple(self.style.age_forms))
        before, after = self.style.age_forms[fmt]
        if self.age <= 89:  # not PHI under Safe Harbor: plain text
            return [("t", f"{before}{self.age}{after}")]
        return [("t", before), ("p", str(self.age), "AGE", f"AGE:{fmt}"), ("t", after)]

    # -- identifiers and places
    def cached(self, key: str, make: Callable[[], str]) -> str:
        if key not in self.values:
            self.values[key] = make()
        return self.values[key]

    def id_slot(self, slot: str, role: str | None, fmt: str | None) -> list[Piece]:
        typ = {"ACCT": "ACCOUNT", "HPLAN": "HEALTH_PLAN", "LIC": "LICENSE"}.get(slot, slot)
        # {MRN:x} is a second MRN of the note (same makers unless the style has "MRN:x" ones)
        makers = self.style.ids.get(f"{slot}:{fmt}") or self.style.ids[slot]
        key = f"{slot}.{role}.{fmt}"  # same slot, role and format -> same value within a note

        def make() -> str:
            m = self.rng.choice(makers)
            self.values[key + "#maker"] = m.__name__
            return m(self.rng)

        value = self.cached(key, make)
        return [("p", value, typ, f"{typ}:{self.values[key + '#maker']}")]

    def email_slot(self, role: str | None) -> list[Piece]:
        def make() -> str:
            p = self.person(role or "PT")
            form = self.rng.choice(self.style.email_forms)
            return form.format(first=p.first.lower(), last=p.last.lower().replace("'", ""),
                               f=p.first[0].lower(), nn=self.rng.randint(1, 99),
                               domain=self.rng.choice(self.style.email_domains))

        return [("p", self.cached(f"EMAIL.{role}", make), "EMAIL", "EMAIL")]

    def url_slot(self) -> list[Piece]:
        def make() -> str:
            hosp = self.hospital("HOSP")
            hslug = re.sub(r"[^a-z]", "", hosp.lower())[:14]
            form = self.rng.choice(self.style.url_forms)
            host = self.rng.choice(self.style.web_hosts)
            return form.format(host=host, hslug=hslug, id=digits(self.rng, 7))

        return [("p", self.cached("URL", make), "URL", "URL")]

    def hospital(self, slot: str) -> str:
        pool = self.style.facilities if slot == "FAC" else self.style.hospitals
        return self.cached(slot, lambda: self.rng.choice(pool))

    def place_slot(self, slot: str) -> list[Piece]:
        r, st = self.rng, self.style
        if slot in ("HOSP", "HOSP2", "FAC"):
            return [("p", self.hospital(slot), "HOSPITAL", f"HOSPITAL:{slot}")]
        if slot == "STREET":
            def make() -> str:
                unit = r.choice(st.units).format(n=r.randint(1, 40), l=r.choice("ABCD"))
                street = f"{r.randint(2, 9999)} {r.choice(st.street_names)} {r.choice(st.street_suffixes)}"
                return f"{street} {unit}".strip() if unit else street

            return [("p", self.cached("STREET", make), "STREET", "STREET")]
        if slot == "CITY":
            return [("p", self.cached("CITY", lambda: r.choice(st.cities)), "CITY", "CITY")]
        if slot == "ZIP":
            z = self.cached("ZIP", lambda: f"{r.randint(1001, 99950):05d}" + (
                f"-{digits(r, 4)}" if r.random() < 0.2 else ""))
            return [("p", z, "ZIP", "ZIP")]
        if slot == "STATE":  # not PHI
            return [("t", self.cached("STATE", lambda: r.choice(st.states)))]
        raise KeyError(slot)

    # -- clinical blocks (terms recorded as "c" pieces)
    def bullet(self, i: int) -> str:
        return self.cached("bullet", lambda: self.rng.choice(self.style.bullets)).format(i=i)

    def med(self) -> list[Piece]:
        v, r = self.style.vocab, self.rng
        drug, dose = r.choice(v["drugs"])
        return [("c", drug), ("t", " "), ("c", dose), ("t", " "), ("c", r.choice(v["routes"])), ("t", " "),
                ("c", r.choice(v["freqs"]))]

    def joined(self, items: list[list[Piece]], sep: str = ", ", last_sep: str | None = None) -> list[Piece]:
        out: list[Piece] = []
        for i, item in enumerate(items):
            if i:
                out.append(("t", last_sep if (last_sep and i == len(items) - 1) else sep))
            out += item
        return out

    def lines(self, items: list[list[Piece]]) -> list[Piece]:
        out: list[Piece] = []
        for i, item in enumerate(items):
            out += [("t", ("\n" if i else "") + self.bullet(i + 1)), *item]
        return out

    def vital_items(self) -> list[list[Piece]]:
        r = self.rng
        vals = [f"T {r.uniform(96.5, 102.5):.1f}", f"HR {r.randint(52, 128)}",
                f"BP {r.randint(88, 182)}/{r.randint(48, 104)}", f"RR {r.randint(12, 30)}",
                f"SpO2 {r.randint(86, 100)}% {r.choice(('RA', '2L NC', '4L NC', 'on BiPAP'))}"]
        return [[("c", s)] for s in vals]

    def lab_items(self) -> list[list[Piece]]:
        r = self.rng
        return [[("c", f"{n} {fmt.format(r.uniform(lo, hi))}")]
                for n, fmt, lo, hi in r.sample(self.style.vocab["labs"], r.randint(3, 7))]

    def terms_phrase(self, phrase: str) -> list[Piece]:
        out: list[Piece] = []
        pos = 0
        for m in re.finditer(r"\[\[(.+?)\]\]", phrase):
            out += [("t", phrase[pos:m.start()]), ("c", m.group(1))]
            pos = m.end()
        out.append(("t", phrase[pos:]))
        return [p for p in out if p[1]]

    def plan_item(self) -> list[Piece]:
        r, v = self.rng, self.style.vocab
        return [("c", r.choice(v["dx"])), ("t", ": "), *self.med(),
                ("t", r.choice(("; monitor ", ", check "))), *self.lab_items()[0],
                ("t", r.choice((", ", "; "))), ("c", r.choice(v["abbrevs"]))]

    def block(self, slot: str) -> list[Piece]:
        r, v = self.rng, self.style.vocab
        if slot == "MEDS":
            return self.lines([self.med() for _ in range(r.randint(3, 7))])
        if slot == "MEDS_INLINE":
            return self.joined([self.med() for _ in range(r.randint(2, 4))])
        if slot == "DRUG":
            return [("c", r.choice(v["drugs"])[0])]
        if slot == "ROUTE":
            return [("c", r.choice(v["routes"]))]
        if slot == "PMH":
            return self.lines([[("c", d)] for d in r.sample(v["dx"], r.randint(3, 6))])
        if slot == "PMH_INLINE":
            return self.joined([[("c", d)] for d in r.sample(v["dx"], r.randint(2, 4))], ", ", " and ")
        if slot == "DX":
            return [("c", r.choice(v["dx"]))]
        if slot == "SX":
            return [("c", r.choice(v["symptoms"]))]
        if slot == "PROC":
            return [("c", r.choice(v["procedures"]))]
        if slot == "SIGN":
            return [("c", r.choice(v["signs"]))]
        if slot == "ALLERGY":
            return self.joined([[("c", a)] for a in r.sample(v["allergies"], r.randint(1, 2))])
        if slot == "VITALS":
            return self.joined(self.vital_items(), r.choice((", ", "  ", " ")))
        if slot == "LABS":
            return self.joined(self.lab_items())
        if slot == "EXAM":
            items = r.sample(v["exam"], 5)
            return self.lines([[("t", f"{k}: "), ("c", f)] for k, f in items])
        if slot == "EXAM_INLINE":
            return self.joined([[("t", f"{k}: "), ("c", f)] for k, f in r.sample(v["exam"], 4)], ". ")
        if slot == "ROS":
            return [("t", "negative except "), *self.joined([[("c", s)] for s in r.sample(v["symptoms"], 2)])]
        if slot in ("IMAGING", "IMAGING_INLINE", "IMPRESSION"):
            k = {"IMAGING": 4, "IMAGING_INLINE": 2, "IMPRESSION": 2}[slot]
            items = [self.terms_phrase(p[0].upper() + p[1:] + ".") for p in r.sample(v["imaging"], k)]
            return self.lines(items) if slot == "IMPRESSION" else self.joined(items, "\n" if k == 4 else " ")
        if slot in ("PLAN", "COURSE"):
            return self.lines([self.plan_item() for _ in range(r.randint(2, 4))])
        if slot == "PLAN_INLINE":
            return self.joined([self.plan_item() for _ in range(2)], "; ")
        if slot == "EVENT":
            return [("c", r.choice(v["symptoms"])), ("t", ", given "), *self.med()[:3]]
        if slot == "EKG_LINE":
            return [("c", "EKG"), ("t", " "), ("c", r.choice(("NSR", "afib with RVR", "sinus tach", "LBBB",
                                                              "ST depressions V4-V6"))), ("t", ".")]
        if slot == "N":
            return [("t", str(r.randint(2, 9)))]
        if slot == "TIME":
            return [("t", r.choice((f"{r.randint(0, 23):02d}{r.choice(('00', '15', '30', '45'))}",
                                    f"{r.randint(1, 12)}:{r.choice(('00', '15', '30', '45'))} "
                                    f"{r.choice(('AM', 'PM'))}")))]
        raise KeyError(f"unknown slot {slot!r}")

    # -- template expansion
    def slot(self, name: str, attr: str | None, fmt: str | None) -> list[Piece]:
        if name in ("PT", "DR", "DR2", "RN", "REL", "PCP", "X"):
            return self.person_slot(name, attr or "full")
        if name == "D":
            return self.date_slot(attr or "adm", fmt)
        if name == "AGE":
            return self.age_slot(fmt)
        if name == "EMAIL":
            return self.email_slot(attr)
        if name == "URL":
            return self.url_slot()
        if name in ("PHONE", "FAX", "SSN", "MRN", "ACCT", "HPLAN", "LIC", "DEVICE", "VEHICLE", "ID", "IP"):
            return self.id_slot(name, attr, fmt)
        if name in ("HOSP", "HOSP2", "FAC", "STREET", "CITY", "ZIP", "STATE"):
            return self.place_slot(name)
        return self.block(name)

    def expand(self, template: str) -> list[Piece]:
        while True:  # innermost alternatives first; options may contain slots
            m = _ALT_RE.search(template)
            if not m:
                break
            template = template[:m.start()] + self.rng.choice(m.group(1).split("|")) + template[m.end():]
        pieces: list[Piece] = []
        pos = 0
        for m in _SLOT_RE.finditer(template):
            pieces.append(("t", template[pos:m.start()]))
            pieces += [("c", m.group(4))] if m.group(4) else self.slot(m.group(1), m.group(2), m.group(3))
            pos = m.end()
        pieces.append(("t", template[pos:]))
        return [p for p in pieces if p[1]]


def _style(template_set: str) -> Style:
    if template_set not in TEMPLATE_SETS:
        raise ValueError(f"{template_set!r} is not a template set; choose one of {', '.join(TEMPLATE_SETS)}")
    if template_set == "tuning":
        return tuning_style()
    # each other world lives in its own module (synthetic_<name>.py exposing <name>_style), imported lazily so
    # that generating tuning notes never imports (or reads) a held-out world
    module = importlib.import_module(f"medfl.privacy.deid.synthetic_{template_set}")
    return getattr(module, f"{template_set}_style")()


_POOL_FIELDS = ("first_male", "first_female", "last", "cities", "street_names", "hospitals", "facilities")


def generate_notes(
    n: int, seed: int, template_set: str = "tuning", *, pools: str | None = None
) -> list[dict]:
    """n synthetic notes with gold PHI spans; the same arguments always give the same notes.

    Args:
        n: number of notes; kinds rotate (discharge, radiology, progress, ed, nursing), so every kind is
            present once n >= 5.
        seed: random seed.
        template_set: one of TEMPLATE_SETS (templates, formats, messiness and, by default, pools).
        pools: take names and places from another world instead (one of TEMPLATE_SETS); used to tell
            apart what templates cost from what unseen names cost.
    """
    style = _style(template_set)
    if pools is not None and pools != template_set:
        other = _style(pools)
        style = replace(style, **{f: getattr(other, f) for f in _POOL_FIELDS})
    name = template_set if pools in (None, template_set) else f"{template_set}+{pools}-pools"
    rng = random.Random(f"{name}:{seed}")
    by_kind = {k: [t for t in style.templates if t.kind == k] for k in NOTE_KINDS}
    mess = style.mess(rng) if style.mess else None
    notes = []
    for i in range(n):
        kind = NOTE_KINDS[i % len(NOTE_KINDS)]
        tpl = rng.choice(by_kind[kind])
        note = _Note(style, rng)
        b = _Builder(tpl.upper, mess)
        for piece in note.expand(tpl.text):
            b.add(piece)
        notes.append({"id": f"{name}-s{seed}-{i:05d}", "text": b.text(), "spans": b.spans,
                      "span_kinds": b.kinds, "clinical_terms": b.terms, "kind": kind, "template": tpl.name})
    return notes
