"""DEV2 world of the synthetic note generator: the second held-out world, retired after it was measured once.

It was written as a held-out world (nobody tuning rules read it) and measured once (leak 3.47%, see README);
it is now open for tuning, and the reported figures come from a fresh held-out world (synthetic_heldout.py).

What differs from tuning (synthetic.py) and dev (synthetic_dev.py), on purpose:
- other kinds of documents, mapped onto NOTE_KINDS: transcribed (dictated) discharge summaries with DD/DT/job
  lines, patient-facing after-visit summaries, interfacility transfer forms, pharmacist medication
  reconciliation, social-work discharge planning (discharge); structured CT, breast imaging, surgical
  pathology, echo and interventional reports (radiology); consult letters, operative reports, patient-portal
  message threads, copy-forward ICU notes, anticoagulation-clinic phone notes (progress); ambulance run
  sheets, registration face sheets, ED provider notes with MDM, trauma and AMA notes (ed); ALL-CAPS admission
  assessments, timed narratives, wound-care, fall and home-health notes (nursing);
- tab-separated columns, pipe-separated header lines, lab tables with bare accession numbers, unfilled "***"
  SmartText wildcards, copy-forward fragments, lower-case patient-typed text;
- formats neither world has: dates "03-14-2021", "2021/03/14", "03/14", "Mar 14, 2021", "14-MAR-21",
  "Sept. 14", "March 14", "14 Mar", "14th of March", "03/2021"; ages "92 yr old", "92-yr-old", "92F",
  "92y", "92 years of age"; names "First M Last", "First Middle Last", "Last F", "LAST,FIRST",
  "LAST, FIRST M", lower-case first names; phones "1-207-...", "(207)555-...", "207/555-...", "ext." and
  international numbers, 5-digit pagers; MRNs of 6 or 9 digits, site-prefixed and spaced; CSN and "V" visit
  numbers; HICN, group numbers, state Medicaid ids; CA-style and NY-style driver's licences, state medical
  licences, EMS certificates; plain GS1 UDIs, 10-character serials; "ABC-1234" plates; pathology, job,
  incident and APS case numbers;
- its own messiness (missing space after a full stop, common misspellings, caps-lock slips, stray tabs,
  trailing blanks, lower-cased sentence starts, hard-wrapped long lines), applied to literal text only so
  gold offsets stay exact;
- name and place pools disjoint from both other worlds: Faker locales neither uses (ascii-folded with the
  letters NFKD cannot split, e.g. "l", "o", "ae", mapped first), invented names of two other shapes
  (English-looking compound surnames, modern American given names), and names that are ordinary or
  clinical-looking English words (Bell, Paine, Legg, Head, Sage, Willow ...); other cities, street words,
  hospital and facility naming patterns;
- clinical vocabulary neither world has (brand names, scores, eponymous signs and procedures, device
  makers), in a realistic mix with the shared common vocabulary.
Extra name forms plug in through Style.extra_name_forms; all else is synthetic.py's slot language.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import lru_cache

from medfl.privacy.deid.synthetic import (
    _NON_NAMES,
    MON,
    MONTH,
    TUNING_DATE_FORMATS,
    VOCAB,
    Style,
    Template,
    _clean_names,
    _vocab_words,
    ascii_fold,
    dea_number,
    digits,
    faker_names,
    invented_names,
    letters,
    medicare_mbi,
    name_pool_words,
    ordinal,
    ssn_dash,
    tuning_style,
)
from medfl.privacy.deid.synthetic_dev import dev_style, npi, vin

# ----------------------------------------------------------------------------- clinical vocabulary
_EXTRA_VOCAB = {
    "drugs": (
        ("Farxiga", "10 mg"), ("Trulicity", "1.5 mg"), ("Humalog", "sliding scale"), ("NovoLog", "6 units"),
        ("Toprol XL", "50 mg"), ("Norvasc", "10 mg"), ("losartan", "50 mg"), ("hydrochlorothiazide", "25 mg"),
        ("rosuvastatin", "20 mg"), ("Crestor", "10 mg"), ("clopidogrel", "75 mg"), ("montelukast", "10 mg"),
        ("Symbicort", "2 puffs"), ("Advair", "250/50"), ("DuoNeb", "3 mL"), ("azithromycin", "500 mg"),
        ("doxycycline", "100 mg"), ("Macrobid", "100 mg"), ("cephalexin", "500 mg"), ("Rocephin", "1 g"),
        ("famotidine", "20 mg"), ("omeprazole", "20 mg"), ("MiraLAX", "17 g"), ("lactulose", "20 g"),
        ("rifaximin", "550 mg"), ("allopurinol", "100 mg"), ("colchicine", "0.6 mg"), ("tramadol", "50 mg"),
        ("Percocet", "5/325"), ("hydromorphone", "0.5 mg"), ("morphine", "2 mg"), ("ibuprofen", "600 mg"),
        ("meloxicam", "7.5 mg"), ("trazodone", "50 mg"), ("mirtazapine", "15 mg"), ("Lexapro", "10 mg"),
        ("duloxetine", "60 mg"), ("Seroquel", "25 mg"), ("Depakote", "500 mg"), ("Zetia", "10 mg"),
        ("ferrous sulfate", "325 mg"), ("vitamin D3", "2000 units"), ("magnesium oxide", "400 mg"),
        ("sevelamer", "800 mg"), ("Plaquenil", "200 mg"), ("Eliquis", "2.5 mg"), ("Xarelto", "15 mg"),
    ),
    "dx": (
        "STEMI", "SVT", "AAA", "PAD", "OA", "DJD", "spinal stenosis", "cellulitis", "diverticulitis",
        "pyelonephritis", "MRSA bacteremia", "ESBL UTI", "hyponatremia", "hyperkalemia", "DKA",
        "hypoglycemia", "morbid obesity", "tobacco use", "alcohol withdrawal", "anxiety", "depression",
        "delirium", "hip fracture", "SBO", "pancreatitis", "GI bleed", "thrombocytopenia", "lung CA",
        "prostate CA", "CLL", "multiple myeloma", "Lewy body dementia", "Baker's cyst", "Colles fracture",
        "von Willebrand disease", "Lyme disease", "Paget's disease of bone", "Wolff-Parkinson-White",
        "de Quervain tenosynovitis", "Pseudomonas pneumonia", "Klebsiella UTI", "Candida esophagitis",
    ),
    "symptoms": ("dyspnea", "fatigue", "poor PO intake", "confusion", "falls", "back pain", "wheezing",
                 "hemoptysis", "diarrhea", "constipation", "decreased UOP", "rash"),
    "procedures": ("ORIF", "TKA", "THA", "hemiarthroplasty", "lap chole", "Roux-en-Y gastric bypass",
                   "Hartmann's procedure", "Watchman", "Impella", "port placement", "PEG", "cardioversion",
                   "TURP", "I&D", "bronchoscopy"),
    "signs": ("Rovsing sign", "McBurney point tenderness", "Phalen test", "Spurling test", "Hoffmann sign",
              "Allen test", "Thompson test", "Battle sign"),
    "exam": (("GENERAL", "alert, pleasant, NAD"), ("HEENT", "MMM, oropharynx clear"),
             ("RESP", "diminished bases, no wheeze"), ("CARDIO", "irreg irreg, no murmur"),
             ("ABD", "obese, soft, mild TTP LLQ"), ("EXT", "1+ edema bilat"), ("PSYCH", "flat affect"),
             ("NEURO", "CN II-XII grossly intact")),
    "imaging": (
        "[[endplate]] [[compression deformity]] of [[T12]]",
        "[[small bowel obstruction]] with a [[transition point]] in the [[RLQ]]",
        "trace [[free fluid]] in the [[pelvis]]", "[[Kerley B lines]] and small [[bilateral effusions]]",
        "[[chronic microvascular ischemic changes]]", "moderate [[hiatal hernia]]",
        "[[sternotomy wires]] intact", "[[Port-a-cath]] tip at the [[SVC]]/[[RA]] junction",
        "[[subsegmental]] [[PE]] in the [[RLL]]", "[[ACDF]] hardware without [[loosening]]",
    ),
    "allergies": ("morphine (itching)", "Bactrim (SJS)", "ACE inhibitors (angioedema)", "shellfish",
                  "tape", "NKA"),
    "labs": (("Mg", "{:.1f}", 1.2, 2.9), ("AST", "{:.0f}", 12, 340), ("ALT", "{:.0f}", 9, 410),
             ("T bili", "{:.1f}", 0.2, 6.8), ("Lipase", "{:.0f}", 10, 900), ("TSH", "{:.2f}", 0.05, 12.0),
             ("CRP", "{:.1f}", 0.3, 24.0), ("Glucose", "{:.0f}", 54, 480), ("HCO3", "{:.0f}", 12, 34),
             ("PTT", "{:.0f}", 24, 95), ("Procalcitonin", "{:.2f}", 0.02, 9.0)),
    "abbrevs": ("NKA", "VSS", "WNL", "HOB", "I&O", "BM", "OOB", "ADLs", "PRBC", "KVO", "NS", "LR", "FSBG",
                "AC/HS", "ROM", "BLE", "SBAR", "PCA", "CIWA", "COWS", "NIHSS", "GCS"),
}


def _vocab() -> dict[str, tuple]:
    vocab = dict(VOCAB)
    for k, extra in _EXTRA_VOCAB.items():
        vocab[k] = tuple(vocab[k]) + extra
    return vocab


# ----------------------------------------------------------------------------- dates
_MON_DOT = ("", "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
            "Dec.")  # AP style, as secretaries type it

DATE_FORMATS: dict[str, Callable] = {
    # the forms issue 3 names (also in tuning) ...
    **{k: TUNING_DATE_FORMATS[k] for k in ("md", "mon_d", "d_mon_y", "iso", "mdy2", "nth", "mdy_slash",
                                           "month_d_y")},
    # ... and forms neither tuning nor dev writes
    "mdy_dash4": lambda d: f"{d.month:02d}-{d.day:02d}-{d.year}",           # 03-14-2021
    "ymd_slash": lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",           # 2021/03/14
    "md0": lambda d: f"{d.month:02d}/{d.day:02d}",                          # 03/14
    "mon_d_comma_y": lambda d: f"{MON[d.month]} {d.day}, {d.year}",         # Mar 14, 2021
    "d_MON_yy": lambda d: f"{d.day:02d}-{MON[d.month].upper()}-{d.year % 100:02d}",  # 14-MAR-21
    "ap": lambda d: f"{_MON_DOT[d.month]} {d.day}",                         # Sept. 14
    "month_d": lambda d: f"{MONTH[d.month]} {d.day}",                       # March 14
    "d_mon": lambda d: f"{d.day} {MON[d.month]}",                           # 14 Mar
    "nth_of": lambda d: f"{ordinal(d.day)} of {MONTH[d.month]}",            # 14th of March
    "mdy_nopad": lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}",         # 3/14/21
    "my_slash": lambda d: f"{d.month:02d}/{d.year}",                        # 03/2021 (the month is PHI)
}
RANDOM_DATE_FORMATS = ("mdy_slash", "mdy_dash4", "md", "md0", "mon_d_comma_y", "iso", "mdy2", "month_d",
                       "d_MON_yy", "ymd_slash", "mdy_nopad", "ap")

AGE_FORMS = {
    "bare": ("", ""), "yr_old": ("", " yr old"), "yr_hyph": ("", "-yr-old"), "y": ("", "y"),
    "of_age": ("", " years of age"), "age_colon": ("Age: ", ""), "year_old": ("", " year old"),
    "yo": ("", " y/o"),
}


# ----------------------------------------------------------------------------- identifiers
AREA_CODES = ("207", "802", "603", "316", "405", "501", "601", "205", "251", "850", "352", "904", "843",
              "864", "336", "540", "304", "814", "570", "607", "920", "715", "507", "218", "701", "605",
              "308", "785", "620", "406", "208", "509", "541", "530", "559", "808", "907", "337", "318",
              "409", "903", "254", "325", "432", "956", "361")


def _parts(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(AREA_CODES), str(rng.randint(202, 987)), digits(rng, 4)


def phone_paren_nospace(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"({a}){b}-{c}"


def phone_paren_sp(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"({a}) {b}-{c}"


def phone_dash3(rng: random.Random) -> str:
    return "-".join(_parts(rng))


def phone_one(rng: random.Random) -> str:
    return "1-" + "-".join(_parts(rng))


def phone_slash(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}/{b}-{c}"


def phone_ext_word(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}-{b}-{c} ext. {rng.randint(2, 79) * 100 + rng.randint(0, 99)}"


def phone_intl(rng: random.Random) -> str:
    cc, fmt = rng.choice((("52", "{2} {4} {4}"), ("63", "{3} {3} {4}"), ("84", "{2} {3} {4}"),
                          ("48", "{3} {3} {3}"), ("44", "{4} {6}"), ("1", "{3}-{3}-{4}")))
    if cc == "1":  # Canadian relatives
        return "+1 " + "-".join((rng.choice(("416", "604", "514", "902")), str(rng.randint(202, 987)),
                                 digits(rng, 4)))
    groups = [int(g.strip("{}")) for g in fmt.split()]
    return f"+{cc} " + " ".join(str(rng.randint(1, 9)) + digits(rng, g - 1) for g in groups)


def pager_5(rng: random.Random) -> str:
    return str(rng.randint(2, 8)) + digits(rng, 4)


def ssn_last4(rng: random.Random) -> str:
    return f"{rng.randint(1, 9999):04d}"


def mrn_6(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, 5)


def mrn_9zero(rng: random.Random) -> str:
    return "0" + digits(rng, 8)


def mrn_site(rng: random.Random) -> str:
    return f"{rng.choice(('HC', 'SV', 'BMH', 'NW'))}-{digits(rng, 7)}"


def mrn_spaced(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 3)} {digits(rng, 4)}"


def acct_csn(rng: random.Random) -> str:
    return "1" + digits(rng, 10)


def acct_visit(rng: random.Random) -> str:
    return "V" + "000" + digits(rng, 8)


def acct_bill(rng: random.Random) -> str:
    return f"{digits(rng, 7)}-{digits(rng, 2)}"


def member_prefix_space(rng: random.Random) -> str:
    return f"{letters(rng, 3)} {digits(rng, 8)}"


def member_mixed(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{letters(rng, 1)}{digits(rng, 2)}{letters(rng, 1)}{digits(rng, 4)}"


def member_11(rng: random.Random) -> str:
    return "9" + digits(rng, 10)


def hicn(rng: random.Random) -> str:
    # old Medicare claim number (SSN + beneficiary code), still on older records
    return ssn_dash(rng).replace("-", "") + rng.choice(("A", "B", "C1", "D"))


def mbi_spaced(rng: random.Random) -> str:
    return medicare_mbi(rng, dashes=True).replace("-", " ")


def medicaid_state(rng: random.Random) -> str:
    return letters(rng, 2) + digits(rng, 5) + letters(rng, 1)


def group_number(rng: random.Random) -> str:
    return rng.choice(("", "G", "0")) + digits(rng, rng.choice((5, 6, 7)))


def lic_state_med(rng: random.Random) -> str:
    return rng.choice(("G", "A", "C")) + digits(rng, 5)


def lic_dotted(rng: random.Random) -> str:
    return f"{rng.randint(20, 35)}.{digits(rng, 6)}"


def dl_letter7(rng: random.Random) -> str:
    return letters(rng, 1) + digits(rng, 7)


def dl_9_spaced(rng: random.Random) -> str:
    return f"{digits(rng, 3)} {digits(rng, 3)} {digits(rng, 3)}"


def ems_cert(rng: random.Random) -> str:
    return f"P{digits(rng, 6)}"


def serial_10(rng: random.Random) -> str:
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return letters(rng, 1) + "".join(rng.choice(chars) for _ in range(9))


def serial_digits12(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, 11)


def udi_plain(rng: random.Random) -> str:
    exp = f"{rng.randint(24, 31)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return f"01{digits(rng, 14)}17{exp}21{digits(rng, 7)}"


def plate_3l4d(rng: random.Random) -> str:
    return f"{letters(rng, 3)}-{digits(rng, 4)}"


def plate_3l3d(rng: random.Random) -> str:
    return f"{letters(rng, 3)} {digits(rng, 3)}"


def acc_7(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, 6)


def rad_acc(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, 7)


def path_acc(rng: random.Random) -> str:
    return f"{rng.choice(('S', 'SP', 'C'))}{rng.randint(12, 24)}-{digits(rng, 5)}"


def job_number(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, rng.choice((5, 6)))


def incident_number(rng: random.Random) -> str:
    return f"{rng.randint(2012, 2024)}-{digits(rng, 6)}"


def case_number(rng: random.Random) -> str:
    return f"{rng.randint(12, 24)}-{digits(rng, 7)}"


def ipv4_site(rng: random.Random) -> str:
    return f"{rng.choice((10, 152, 204, 65, 198, 172))}.{rng.randint(0, 255)}.{rng.randint(0, 255)}." \
           f"{rng.randint(2, 253)}"


def _ids() -> dict[str, tuple]:
    phones = (phone_paren_sp, phone_paren_sp, phone_dash3, phone_dash3, phone_paren_nospace, phone_one,
              phone_slash)
    return {
        "PHONE": phones,
        "PHONE:ext": (phone_ext_word,),
        "PHONE:intl": (phone_intl,),
        "PHONE:pager": (pager_5,),
        "FAX": (phone_paren_sp, phone_dash3, phone_one),
        "SSN": (ssn_dash,),
        "SSN:last4": (ssn_last4,),
        "MRN": (mrn_6, mrn_9zero, mrn_site, mrn_spaced),
        "ACCT": (acct_csn, acct_visit, acct_bill),
        "HPLAN": (member_prefix_space, member_mixed, member_11),
        "HPLAN:medicare": (hicn, mbi_spaced),
        "HPLAN:medicaid": (medicaid_state,),
        "HPLAN:group": (group_number,),
        "LIC": (lic_state_med, lic_dotted),
        "LIC:dea": (dea_number,),
        "LIC:npi": (npi,),
        "LIC:dl": (dl_letter7, dl_9_spaced),
        "LIC:ems": (ems_cert,),
        "DEVICE": (serial_10, serial_digits12),
        "DEVICE:udi": (udi_plain,),
        "VEHICLE": (plate_3l4d, plate_3l3d),
        "VEHICLE:vin": (vin,),
        "ID": (rad_acc,),
        "ID:acc7": (acc_7,),
        "ID:path": (path_acc,),
        "ID:job": (job_number,),
        "ID:incident": (incident_number,),
        "ID:case": (case_number,),
        "IP": (ipv4_site,),
    }


# ----------------------------------------------------------------------------- name forms
def _name_forms(p) -> dict[str, str]:
    return {
        "fmn": f"{p.first} {p.middle[0]} {p.last}",          # Jan K Novak
        "fml": f"{p.first} {p.middle} {p.last}",             # Jan Karel Novak
        "lfi": f"{p.last} {p.first[0]}",                     # Novak J
        "LFns": f"{p.last},{p.first}".upper(),               # NOVAK,JAN
        "LFM": f"{p.last}, {p.first} {p.middle[0]}".upper(), # NOVAK, JAN K
        "lfmn": f"{p.last}, {p.first} {p.middle}",           # Novak, Jan Karel
        "firstlower": p.first.lower(),                       # jan
        "finit": f"{p.first[0]} {p.last}",                   # J Novak
    }


# ----------------------------------------------------------------------------- messiness
_MISSPELL = (("received", "recieved"), ("patient", "pateint"), ("the ", "teh "), ("with", "wiht"),
             ("and ", "adn "), ("discharge", "dischareg"), ("family", "famliy"), ("which", "whcih"),
             ("their", "thier"), ("tolerated", "tolerted"), ("history", "histroy"), ("until", "untill"),
             ("occasional", "occassional"), ("noted", "notd"), ("called", "caled"))


def _mess_factory(rng: random.Random, level: float = 0.1) -> Callable[[str], str]:
    """Literal text -> messier literal text; the first and last character of a piece are kept, so a
    neighbouring PHI value keeps its word boundaries."""

    def inner(s: str) -> tuple[str, str, str]:
        return s[0], s[1:-1], s[-1]

    def mess(s: str) -> str:
        if len(s) < 4:
            return s
        head, mid, tail = inner(s)
        r = rng.random()
        if r < level:  # common misspelling
            hits = [(a, b) for a, b in _MISSPELL if a in mid]
            if hits:
                a, b = rng.choice(hits)
                mid = mid.replace(a, b, 1)
        elif r < 2 * level:  # no space after a full stop ("stable.Will")
            i = mid.find(". ")
            if 0 <= i < len(mid) - 2 and mid[i + 2].isalpha():
                mid = mid[:i + 1] + mid[i + 2:]
        elif r < 3 * level:  # sentence start typed in lower case
            i = mid.find(". ")
            if 0 <= i < len(mid) - 2 and mid[i + 2].isupper():
                mid = mid[:i + 2] + mid[i + 2].lower() + mid[i + 3:]
        elif r < 3.25 * level:  # caps-lock slip on one word ("THe", "PAtient")
            words = [w for w in mid.split(" ") if len(w) > 3 and w.isalpha() and w.islower()]
            if words:
                w = rng.choice(words)
                mid = mid.replace(w, w[:2].upper() + w[2:], 1)
        elif r < 3.95 * level:  # trailing blanks or a stray tab before a line break
            i = mid.find("\n")
            if i > 0:
                mid = mid[:i] + rng.choice(("  ", " \t", "\t")) + mid[i:]
        elif r < 4.45 * level:  # space before punctuation, doubled comma
            i = mid.find(", ")
            if i > 0:
                mid = mid[:i] + rng.choice((" ,", ",,")) + mid[i + 1:]
        elif r < 5.2 * level and len(mid) > 50:  # hard wrap of a long line by the dictation system
            i = mid.find(" ", rng.randint(20, len(mid) - 20))
            if i > 0:
                mid = mid[:i] + "\n" + mid[i + 1:]
        return head + mid + tail

    return mess


# ----------------------------------------------------------------------------- pools
# locale -> (male, female, last) caps, so no single locale dominates the registry (en_PK given names have
# no sex split, so only its surnames are used)
_LOCALE_CAPS = {
    "en_NZ": (60, 80, 180), "fr_CA": (5, 5, 110), "es_ES": (40, 40, 110), "es_CO": (25, 25, 45),
    "es_CL": (25, 25, 60), "es_AR": (10, 10, 12), "vi_VN": (17, 14, 6), "en_PK": (0, 0, 70),
    "pl_PL": (25, 15, 0), "hr_HR": (15, 15, 40), "sk_SK": (10, 10, 25), "sl_SI": (10, 10, 25),
    "lv_LV": (8, 8, 15), "da_DK": (20, 20, 40), "no_NO": (12, 12, 35), "nl_BE": (15, 15, 35),
    "pt_PT": (8, 8, 20), "de_CH": (20, 20, 40), "en_TH": (6, 6, 10),
}
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "đ": "d", "Đ": "D",
                       "ı": "i", "ə": "e", "Ə": "E", "ß": "ss", "ð": "d", "þ": "th"})

# real surnames / given names that are also ordinary or clinical-looking English words
_WORD_LAST = ("Bell", "Paine", "Legg", "Foote", "Head", "Hand", "Bone", "Heald", "Swan", "Sweet", "Small",
              "Steel", "Flint", "Prior", "Temple", "Chapel", "Castle", "Coffin", "Cotton", "Crook", "Spicer",
              "Silver", "Nightingale", "Oakes", "Bloom", "Blackwood", "Warden", "Pike", "Keen", "Grey")
_WORD_FIRST_F = ("Sage", "Willow", "Harmony", "Trinity", "Serenity", "Journey", "Jewel", "Opal", "Coral",
                 "Ginger", "Fern", "Sunny", "Honor")
_WORD_FIRST_M = ("Colt", "Gunner", "Ace", "Rusty", "Dusty", "Cliff", "Royal", "Ranger", "Flint")

_SUR_HEAD = ("Ash", "Black", "Brad", "Carr", "Dun", "Hol", "Kin", "Marl", "Pen", "Rad", "Shel", "Thorn",
             "Wes", "Whit", "Ald", "Bram", "Chad", "Elles", "Fair", "Gos", "Hath", "Ing", "Lang", "Mid",
             "Nor", "Ock", "Pres", "Rams", "Stan", "Tad", "Wat", "Yel")
_SUR_TAIL = ("by", "ford", "ley", "ton", "wick", "more", "well", "worth", "stead", "ridge", "combe",
             "hurst", "dell", "man", "ard", "ing", "wood", "field")
_GIVEN_HEAD = ("Jay", "Kay", "Bray", "Ry", "Kam", "Ze", "Lan", "Mak", "Tren", "Bry", "Kash", "Jax", "Ash",
               "Dal", "Ja", "Mar", "Rey", "Ty")
_GIVEN_TAIL_F = ("lynn", "leigh", "lee", "ari", "yah", "anna", "essa", "lani", "ley")
_GIVEN_TAIL_M = ("den", "son", "ton", "ric", "zen", "ston", "tyn", "ius", "vion")


HELDOUT_CITIES = (
    "Kalamazoo", "Saginaw", "Muskegon", "Oshkosh", "Eau Claire", "La Crosse", "Mankato", "Sioux City",
    "Council Bluffs", "Grand Island", "Kearney", "Salina", "Hutchinson", "Enid", "Lawton", "Stillwater",
    "Texarkana", "Pine Bluff", "Jonesboro", "Tupelo", "Hattiesburg", "Meridian", "Dothan", "Valdosta",
    "Spartanburg", "Rock Hill", "Fayetteville", "Lynchburg", "Harrisonburg", "Morgantown", "Wheeling",
    "Altoona", "Williamsport", "Binghamton", "Elmira", "Plattsburgh", "Lewiston", "Brattleboro", "Springdale",
    "Bentonville", "Pueblo", "Grand Junction", "Durango", "Farmington", "Roswell", "Yuma", "Prescott",
    "St. George", "Pocatello", "Idaho Falls", "Twin Falls", "Great Falls", "Kalispell", "Walla Walla",
    "Kennewick", "Wenatchee", "Redding", "Eureka", "Santa Rosa", "Salinas", "Bakersfield", "Merced", "Hilo",
    "Fairbanks", "Lake Charles", "Beaumont", "Killeen", "San Angelo", "Midland", "McAllen", "Brownsville",
    "Harlingen", "Corpus Christi", "Ocala", "Lakeland", "Sarasota", "Daytona Beach", "Panama City",
    "Hagerstown", "Toms River", "Vineland", "Bethlehem", "Johnstown", "Sandusky", "Kokomo", "Evansville",
    "Elkhart", "South Bend", "Battle Creek", "Marquette", "Traverse City", "Wausau", "Green Bay",
    "Janesville", "Waterloo", "Grand Forks", "Minot", "Laramie", "Scottsbluff", "North Platte", "Dodge City",
    "Muskogee", "Paducah", "Owensboro", "Clarksville", "Cookeville", "Johnson City", "Kingsport",
    "Martinsville", "Staunton",
)
_STREET_WORDS = (
    "Ash", "Beech", "Spruce", "Alder", "Cottonwood", "Mulberry", "Locust", "Sassafras", "Tamarack", "Market",
    "Front", "Bridge", "Broad", "High", "Railroad", "Academy", "College", "Factory", "Liberty", "Jefferson",
    "Monroe", "Fairview", "Sunset", "Hillcrest", "Lakeview", "Riverside", "Country Club", "Old Mill",
    "Creekside", "Pleasant Hill", "Second", "Third", "Fourth", "7th", "23rd", "Martin Luther King Jr",
    "Industrial", "Airport", "Ferry", "Stagecoach",
)
_STATES = ("ME", "VT", "KS", "OK", "AR", "MS", "AL", "SC", "WV", "MT", "ID", "ND", "SD", "NM", "Louisiana",
           "Minnesota", "Wis.", "Mich.")
_SAINTS = ("St. Francis", "St. Catherine", "St. Agnes", "St. Clare", "St. Anthony's", "St. Dominic",
           "St. Bernardine", "St. Rose", "St. Peter's", "Mount Carmel")


@lru_cache(maxsize=1)
def dev2_style() -> Style:
    tuning, dev = tuning_style(), dev_style()
    vocab = _vocab()
    word_names = {w.lower() for w in (*_WORD_LAST, *_WORD_FIRST_F, *_WORD_FIRST_M)}
    cities = {c.lower() for c in (*tuning.cities, *dev.cities, *HELDOUT_CITIES)}
    banned = (_NON_NAMES | name_pool_words(tuning) | name_pool_words(dev) | cities
              | {w.lower() for w in _STREET_WORDS} | (_vocab_words(vocab) - word_names)
              | {"mai", "chi", "bach", "ang"})  # a month, a Greek letter, a composer, a fold artefact
    rng = random.Random("heldout-2-pools")
    male: list[str] = []
    female: list[str] = []
    last: list[str] = []
    for loc, (cm, cf, cl) in _LOCALE_CAPS.items():
        m, f, la = ([ascii_fold(str(x).translate(_FOLD)) for x in lst] for lst in faker_names((loc,)))
        m, f, la = (_clean_names(x, banned) for x in (m, f, la))
        male += rng.sample(m, min(cm, len(m)))
        female += rng.sample(f, min(cf, len(f)))
        last += rng.sample(la, min(cl, len(la)))
    hisp = [n for n in last if n.endswith(("ez", "as", "es", "os", "o", "a"))]
    last += [f"{rng.choice(hisp)}-{rng.choice(hisp)}" for _ in range(25)]  # double surnames
    last += invented_names(rng, _SUR_HEAD, _SUR_TAIL, 160) + list(_WORD_LAST)
    female += invented_names(rng, _GIVEN_HEAD, _GIVEN_TAIL_F, 45) + list(_WORD_FIRST_F)
    male += invented_names(rng, _GIVEN_HEAD, _GIVEN_TAIL_M, 45) + list(_WORD_FIRST_M)
    # word names are exempt from the vocabulary ban, nothing else is
    male = _clean_names(male, banned - word_names)
    female = _clean_names(female, banned - word_names)
    last = _clean_names(last, banned - word_names)
    c = HELDOUT_CITIES
    hospitals = sorted({
        *(f"{x} Medical Center" for x in _SAINTS),
        *(f"Baptist Health {x}" for x in c[:8]),
        *(f"{x} Presbyterian Hospital" for x in c[8:16]),
        *(f"Methodist Hospital of {x}" for x in c[16:22]),
        *(f"{x} Valley Hospital" for x in c[22:30]),
        *(f"{x} Children's Hospital" for x in c[30:34]),
        *(f"{x} Heart Institute" for x in c[34:37]),
        *(f"{rng.choice(last)} Regional Health" for _ in range(8)),
        *(f"{rng.choice(last)} Women's Hospital" for _ in range(3)),
        *(f"Adventist Health {x}" for x in c[37:42]),
        *(f"{x} Surgical Hospital" for x in c[42:45]),
        "Lutheran Medical Center", "University Health Sciences Center", "Mercy Health - West",
    })
    facilities = sorted({
        # post-acute and residential care only, so every template context ("STR at", "resides at",
        # "receiving facility") reads right
        *(f"{rng.choice(last)} Hospice" for _ in range(6)),
        *(f"{w} Creek Senior Living" for w in ("Cedar", "Willow", "Heron", "Fox", "Quail")),
        *(f"{x} Post-Acute" for x in c[45:53]),
        *(f"{w} Hills Care Center" for w in ("Rolling", "Pine", "Shady", "Green")),
        *(f"{x} Transitional Care" for x in c[53:58]),
        *(f"{w} Pointe Nursing & Rehab" for w in ("Bayou", "Eagle", "Summit", "Harbor")),
        *(f"The {w} at {x}" for w, x in zip(("Pines", "Arbors", "Lakes", "Terraces", "Commons"), c[58:63],
                                             strict=True)),
        *(f"{x} Veterans Home" for x in c[63:66]),
        *(f"{rng.choice(last)} Skilled Nursing Facility" for _ in range(4)),
    })
    street_names = tuple(w for w in (*_STREET_WORDS, *last[:120])
                         if w not in set(tuning.street_names) | set(dev.street_names))
    return Style(
        name="dev2",
        templates=HELDOUT_TEMPLATES,
        first_male=tuple(male), first_female=tuple(female), last=tuple(last),
        cities=HELDOUT_CITIES,
        street_names=street_names,
        street_suffixes=("Street", "St", "Ave", "Ave.", "Ln", "Ct", "Pl", "Loop", "Run", "Sq", "Heights",
                         "Bend", "Cove", "Point", "Walk", "Xing", "Landing", "Hollow", "ST", "AVE"),
        units=("", "", "", "", "apt {n}", "Apt {l}", "Unit {n}{l}", "Lot {n}", "Trlr {n}", "Ste {n}"),
        hospitals=tuple(hospitals), facilities=tuple(facilities),
        email_domains=("att.net", "sbcglobal.net", "charter.net", "ymail.com", "live.com", "mail.com",
                       "bellsouth.net", "cox.net", "frontier.com", "me.com"),
        web_hosts=("telehealth", "connect", "pay", "patientportal", "video", "results"),
        states=_STATES,
        date_formats=DATE_FORMATS,
        random_date_formats=RANDOM_DATE_FORMATS,
        name_forms=("full", "lf", "fmn", "lfi", "fl", "last", "LFns", "finit"),
        age_forms=AGE_FORMS,
        ids=_ids(),
        email_forms=("{last}{f}@{domain}", "{first}.{last}{nn}@{domain}", "{f}.{last}@{domain}",
                     "{last}.{first}@{domain}", "{first}-{last}@{domain}"),
        url_forms=("https://{host}.{hslug}.org/visit/{id}", "http://www.{hslug}.org/patients-visitors",
                   "{hslug}.org/billpay", "https://{hslug}.org/{host}?mrn={id}"),
        bullets=("\u2022 ", "{i}.\t", "  - ", "+ ", "({i}) "),
        vocab=vocab,
        mess=_mess_factory,
        p_old=0.3,
        extra_name_forms=_name_forms,
    )


# ----------------------------------------------------------------------------- templates
# ----------------------------------------------------------------------------- templates
HELDOUT_TEMPLATES = (
    # ------------------------------------------------------------------ discharge
    Template("dictated_discharge", "discharge", """\
{HOSP}
{STREET}, {CITY}, {STATE}  {ZIP}

DISCHARGE SUMMARY

PATIENT NAME:\t\t{PT.LFM}
MEDICAL RECORD #:\t{MRN}
ACCOUNT #:\t\t{ACCT}
ADMISSION DATE:\t\t{D.adm:mdy_slash}
DISCHARGE DATE:\t\t{D.dis:mdy_slash}
ATTENDING PHYSICIAN:\t{DR.fmn}, MD
PRIMARY CARE:\t\t{PCP.lfi}

ADMITTING DIAGNOSIS:  {DX}.

DISCHARGE DIAGNOSES:
{PMH}

CONSULTANTS:  Cardiology, Dr. {X.last}<<; nephrology, Dr. {X.finit}|>>.

PROCEDURES:  {PROC} on {D.proc:mdy2}.

HISTORY OF PRESENT ILLNESS:  The patient is a {AGE:year_old} <<right-handed |>>{PT.sex} \
<<who resides at {FAC}|who lives at home with {PT.his} {REL.rel}|seen at {HOSP2} on {D.onset:ap}>> \
with a past medical history of \
{PMH_INLINE} who presented to the emergency room on {D.adm:month_d} with {SX} and {SX}.

HOSPITAL COURSE:  By problem:
{COURSE}

CONDITION AT DISCHARGE:  Improved.  <<[[A&Ox3]]|At baseline mental status>>.

DISCHARGE MEDICATIONS:
{MEDS}

FOLLOWUP:  The patient is to follow up with {PCP.full}, MD in 1 to 2 weeks, phone {PHONE.clinic}; \
<<BMP on the {D.lab:nth}.|labs in 1 week.>>  Cardiology clinic {D.fu:month_d}.

\t\t\t\t{DR.fmn}, MD

DD: {D.dis:mdy2} <<14:22|09:41|17:05>>
DT: {D.dis:mdy2} <<18:07|11:30|23:58>>
Job #: {ID:job}   Doc #: {ID:acc7}
cc: {PCP.fl}, MD   Fax {FAX}
"""),
    Template("after_visit_summary", "discharge", """\
AFTER VISIT SUMMARY\t\t{HOSP}
{PT.full}\tDOB: {D.dob:mdy_dash4}\tMRN: {MRN}
Discharge date: {D.dis:mon_d_comma_y}

You were in the hospital for: {DX}<< and {DX}|>>.
Your care team: {DR.full}, MD (attending); <<{RN.first} {RN.last}, RN|{RN.first}, your nurse>>

WHAT TO DO AT HOME
- Weigh yourself every morning. Call if you gain more than 3 lb in a day.
- Do not drive while taking {DRUG}.
- Your next lab draw is on {D.lab:month_d}<< at {HOSP2}|>>.

MEDICATIONS - START taking these:
{MEDS}
CONTINUE taking: {MEDS_INLINE}
***

UPCOMING APPOINTMENTS
{D.fu:mon_d_comma_y}  10:40 AM\tFollow Up Visit with {PCP.full}, MD
\t{HOSP2} - Internal Medicine
\t{STREET}
\t{CITY}, {STATE} {ZIP}
\t{PHONE.clinic}

Call 911 for chest pain or trouble breathing. For other questions call the nurse advice line at \
{PHONE.nurse:ext}.
See your test results and message your care team at {URL}. We emailed a copy to {EMAIL.PT}.
"""),
    Template("interfacility_transfer", "discharge", """\
INTERFACILITY TRANSFER FORM / CONTINUITY OF CARE
Sending facility: {HOSP}\tUnit: 5 West\tPh: {PHONE.unit}\tFax: {FAX}
Receiving facility: {FAC}, {CITY}\tAccepting MD: {DR2.fmn}, DO
Patient: {PT.lfmn}\tSex: {PT.mf}\tDOB: {D.dob:mdy_slash}<< ({AGE:yr_old})|>>
SS#: {SSN}\tMRN: {MRN}\tEnc: {ACCT}
Primary ins: Medicare {HPLAN:medicare}\tSecondary: Medicaid {HPLAN:medicaid}
Health care proxy: {REL.fml} ({REL.rel}) \tcell {PHONE.rel}\thome {PHONE.rel2}
Code status: <<[[DNR/DNI]], MOLST on chart|[[full code]]>>
Transfer date: {D.dis:ymd_slash}\tTransport: BLS ambulance, pickup 1300

Reason for admission: {DX}.  Hospital stay {D.adm:d_mon_y} - {D.dis:d_mon_y}.
Active problems: {PMH_INLINE}
Isolation: <<contact (MRSA)|none>>
Lines/devices: PICC R basilic placed {D.proc:md}; home CPAP (ResMed, serial {DEVICE}).
Diet: <<cardiac, thin liquids|NDD2, nectar-thick>>
Last BM {D.today:md}.  Skin: stage 2 sacrum.
Meds given today: {MEDS_INLINE}
Allergies: {ALLERGY}
Report called to {X.first} RN at receiving facility.
Completed by {RN.full}, RN   {D.dis:mdy2} {TIME}
"""),
    Template("pharm_medrec", "discharge", """\
Pharmacy Discharge Medication Reconciliation
Pt: {PT.LFns}  MRN {MRN}  {AGE:bare}{PT.mf}  Wt 71.4 kg  CrCl ~38
Source of home med list: pt's {REL.rel} ({REL.firstlower}) + MAR faxed from {FAC}, \
{STREET}, {CITY} (ph {PHONE.fac}, fax {FAX}).
Ins: member {HPLAN}  grp {HPLAN:group}

Medication\t\t\tAction\tComment
{DRUG}\t\tCONTINUE\tno change
{DRUG}\t\tCHANGE\tdose reduced for renal fxn
{DRUG}\t\tSTOP\tduplicate therapy
{DRUG}\t\tNEW\tRx sent

Interactions reviewed<<, none significant|: QTc 488 on {D.today:md}, avoid adding ondansetron>>.
New Rx e-prescribed by {DR.fl}, MD  DEA {LIC:dea}  NPI {LIC:npi}
Counseled pt and {REL.rel} at bedside using teach-back. Pt would like 90-day supply, \
copay card info mailed.
-- {X.fml}, PharmD  {D.dis:iso}
"""),
    Template("sw_dc_planning", "discharge", """\
Social Work Discharge Planning Note\t{D.today:d_MON_yy}

Met with pt {PT.full} and {PT.his} {REL.rel}, {REL.full}, at bedside. Pt is <<a {AGE:yr_old} \
{PT.sex}|{AGE:of_age}>>, widowed, who lives alone in a 2nd floor apt at {STREET}, {CITY} {ZIP}. \
{REL.first} lives in {CITY} and checks in daily. Other family: son {X.first} (lives out of state, \
{PHONE.son:intl}) and a niece.
Insurance: {HPLAN:medicare} (Medicare A/B), supplement plan {HPLAN}.
Pt was referred to APS in the past (case #{ID:case}) r/t self-neglect; closed.
Pt no longer drives; {PT.his} car (plate {VEHICLE}) is parked at {REL.last}'s house.
Options reviewed: home w/ VNA vs STR at {FAC}. Pt prefers home. Referral to {FAC} faxed \
{D.today:ap}.
Family contact email: {EMAIL.REL}
Barriers: stairs, polypharmacy, lives alone.
Plan: SW to follow. {X.fl}, LICSW  x{PHONE:pager}
"""),
    # ------------------------------------------------------------------ radiology
    Template("ct_head_structured", "radiology", """\
EXAMINATION: CT HEAD WITHOUT CONTRAST
ACCESSION NUMBER: {ID}
PATIENT: {PT.LFns}\tMRN: {MRN}\tDOB: {D.dob:mdy_slash}
EXAM DATE/TIME: {D.adm:mdy_slash} <<0342|2217|1105>>
ORDERING PROVIDER: {DR.lfi}
CLINICAL INDICATION: {AGE:yr_old} {PT.sex}, fall<< on [[Eliquis]]|>>, {SX}.
TECHNIQUE: Axial CT images of the head were obtained without IV contrast. Dose reduction technique used.
COMPARISON: {D.prev:mon_d_comma_y}<<, {HOSP2}|>>.

FINDINGS:
{IMAGING}

IMPRESSION:
{IMPRESSION}

Critical result communicated to {DR.fmn} by telephone at <<0412|2231|1130>> on {D.adm:md} with read-back.
Electronically signed by: {DR2.LFM}, MD on {D.adm:iso} at {TIME}
Workstation: {IP}
"""),
    Template("breast_imaging", "radiology", """\
{HOSP} - Women's Imaging
{PT.full}  |  DOB {D.dob:ymd_slash}  |  {AGE:age_colon}  |  MRN {MRN}
Exam: DIGITAL SCREENING MAMMOGRAM BILATERAL W CAD, {D.adm:mon_d_comma_y}
Referring: {PCP.lfi}

Comparison: prior studies from {D.prev:mon_d_comma_y} and <<{HOSP2}|outside films>>.
Breast composition: scattered areas of fibroglandular density.
Findings: No suspicious mass, calcification or architectural distortion. {IMAGING_INLINE}
IMPRESSION: BI-RADS 1 - negative.  Recommend screening in 1 year.
A lay letter was mailed to the patient at {STREET}, {CITY}, {STATE} {ZIP}.
Interpreting radiologist: {DR2.fml}, MD
"""),
    Template("surgical_pathology", "radiology", """\
SURGICAL PATHOLOGY REPORT\t\tAccession #: {ID:path}
Patient: {PT.LFM}\tMRN: {MRN}
Collected: {D.proc:d_MON_yy}\tReceived: {D.proc:d_MON_yy}\tReported: {D.dis:d_MON_yy}
Submitting physician: {DR.lfi}\tLocation: {HOSP}

CLINICAL HISTORY: <<{AGE:yr_hyph}|Patient {AGE:of_age}>> with {DX}; {PROC}.

GROSS DESCRIPTION:
Received in formalin, labeled with the patient's name "{PT.LFns}" and medical record number \
({MRN}), is a tan-pink soft tissue fragment measuring 2.1 x 1.4 x 0.6 cm. Representative \
sections are submitted in cassettes A1-A3.  ({X.ini2}/{X.ini2})

MICROSCOPIC DESCRIPTION: Sections show <<benign colonic mucosa|a tubular adenoma without high-grade \
dysplasia|invasive moderately differentiated adenocarcinoma>>.

FINAL DIAGNOSIS:
<<Tubular adenoma.|Chronic cholecystitis with cholelithiasis.|Benign fibroadipose tissue.>>

I have personally reviewed the slides and agree with the above.
{DR2.fml}, MD, Pathologist\t{D.dis:mdy_slash}
"""),
    Template("echo_report", "radiology", """\
TRANSTHORACIC ECHOCARDIOGRAM REPORT
Name: {PT.lfmn}\tMRN: {MRN}\tAcct: {ACCT}
Study date: {D.today:mdy_dash4}\tDOB: {D.dob:mdy_dash4}
Ht 165 cm  Wt 68 kg  BSA 1.76  BP 128/72  Rhythm: <<sinus|afib>>
Indication: {SX}, eval LV fxn.  Device: dual-chamber pacemaker (Medtronic, SN {DEVICE}).
Sonographer: {X.ini2}\tReferring: Dr. {DR.last}

Measurements
LVEF\t\t<<55-60|35-40|20-25>> %
LVIDd\t\t4.9 cm
LA vol index\t38 mL/m2
TAPSE\t\t1.8 cm
RVSP\t\t<<32|45|58>> mmHg

Conclusions
1. <<Normal LV size and systolic function.|Moderately reduced LV systolic function.>>
2. Mild [[mitral regurgitation]].
3. No pericardial effusion.
Compared with study of {D.prev:mdy_dash4}: no significant change.
Read by {DR2.full}, MD FASE  {D.today:mdy_dash4}
"""),
    Template("ir_port_placement", "radiology", """\
INTERVENTIONAL RADIOLOGY PROCEDURE NOTE
Date: {D.proc:month_d}\tPatient: {PT.full}\tMRN: {MRN}
Procedure: R IJ chest port placement under US and fluoroscopic guidance
Operators: {DR2.fl}, MD (attending); {X.finit}, MD (fellow)
Indication: {DX}, needs long-term access.
Consent: obtained from pt<< and {PT.his} {REL.rel} {REL.full}|>>.  Time-out performed.
Sedation: moderate, versed 2 mg / fentanyl 100 mcg, monitored by {RN.fmn}, RN.
Device: 8 Fr single-lumen port, UDI {DEVICE:udi}
Findings: catheter tip at the cavoatrial junction. EBL minimal. No immediate complications.
Images archived to PACS, accession {ID}. <<Viewer: {URL}|>>
Plan: ok to access today. Port card given to patient.
{DR2.lfi}  {D.proc:mdy_slash} {TIME}
"""),
    # ------------------------------------------------------------------ progress
    Template("consult_letter", "progress", """\
{HOSP}
Department of Cardiology
{STREET} | {CITY}, {STATE} {ZIP} | Tel {PHONE.office} | Fax {FAX}

{D.today:month_d_y}

{PCP.fmn}, MD
{HOSP2}

RE:\t{PT.full}
DOB:\t{D.dob:mdy_slash}
MRN:\t{MRN}

Dear {PCP.title} {PCP.last},

Thank you for referring {PT.mr} {PT.last}, a {AGE:yr_old} {PT.sex}, whom I had the pleasure of \
seeing in clinic today for {SX}. {PT.He} was accompanied by {PT.his} {REL.rel}, {REL.first}.
{PT.last}'s history is notable for {PMH_INLINE}. {PT.He} was last seen by us on the \
{D.prev:nth_of} and has done well until recently.
On exam: {EXAM_INLINE}
ECG today: <<sinus rhythm, 1st degree AV block|atrial fibrillation, rate 88|paced rhythm>>.

Impression and recommendations:
{PLAN}

I will see {PT.him} again in three months<<, sooner if needed|>>. Please do not hesitate to contact \
me at {EMAIL.DR} with any questions.

With kind regards,

{DR.fml}, MD, FACC
cc: {PT.full}
"""),
    Template("operative_report", "progress", """\
OPERATIVE REPORT

DATE OF SURGERY: {D.proc:mon_d_comma_y}
SURGEON: {DR.fmn}, MD
ASSISTANT: {DR2.lfi}<<, PA-C|, MD>>
ANESTHESIA: General endotracheal; {X.full}, CRNA
PREOPERATIVE DIAGNOSIS: {DX}
POSTOPERATIVE DIAGNOSIS: Same.
PROCEDURE: {PROC}
EBL: <<50|150|400>> mL.  FLUIDS: 1.2 L LR.  DRAINS: <<none|JP x1>>.
SPECIMENS: to pathology.
IMPLANTS: <<Stryker femoral stem size 4, SN {DEVICE}; UDI {DEVICE:udi}|Medtronic mesh, UDI {DEVICE:udi}\
|none>>
COMPLICATIONS: None apparent.

INDICATIONS: {PT.mr} {PT.last} is a <<{AGE:yo}|{AGE:yr_hyph}>> {PT.sex} with {PMH_INLINE} who presented \
with {SX}. \
Risks, benefits and alternatives were discussed with the patient and {PT.his} {REL.rel} \
{REL.firstlower}, and consent was signed.

DESCRIPTION OF PROCEDURE: The patient was identified in the preoperative holding area, brought to \
OR 6 and placed supine. After induction of general anesthesia, the operative site was prepped and \
draped in the usual sterile fashion. A time-out was performed. ***
The procedure was completed without difficulty. Sponge and needle counts were correct x2. \
The patient was taken to PACU in stable condition.

I was present for the entire procedure.
{DR.fmn}, MD   {D.proc:mdy_slash}
"""),
    Template("portal_thread", "progress", """\
Patient Message
From: {PT.full}\tTo: {DR.full}, MD\tReceived: {D.today:mdy_slash} {TIME}
Subject: question about my meds

hi dr {DR.last} its {PT.firstlower} <<{PT.lastlower} |>>again. since i started the {DRUG} i have been \
having {SX} and my ankles are swollen. my {REL.rel} {REL.firstlower} says i should stop it?? also \
my new insurance card number is {HPLAN} and we moved, new address is {STREET} {CITY} {ZIP}. \
please call me back at {PHONE.pt}
thank you
{PT.first}

----- Reply -----
From: {RN.full}, RN\tSent: {D.today:mdy_slash}
Hi {PT.first}, I spoke with Dr. {DR.last}. Please hold the {DRUG} and keep your appointment on \
{D.fu:month_d}. If the swelling gets worse or you are short of breath go to the ED. I updated your \
insurance. <<Your video visit link is {URL}|>>
{RN.first}

Notification sent to {EMAIL.PT}.
"""),
    Template("icu_copyforward", "progress", """\
MICU Daily Progress Note\tHD#{N}\t{D.today:mdy2}
{PT.lf}  {MRN}  <<{AGE:bare}{PT.mf}|{AGE:y}>>

***COPIED FROM NOTE OF {D.prev:md}***
{AGE:bare} y/o {PT.sex} w/ {PMH_INLINE} adm {D.adm:md} w/ {DX}.
***END COPIED TEXT***

24h events: {EVENT}. ***
Lines: R IJ CVC ({D.proc:d_mon}), A-line L radial ({D.proc:md}), Foley.
Vitals: {VITALS}

LABS\tToday\tYest
Na\t<<134|138|129>>\t<<136|140|131>>
K\t<<4.1|5.2|3.4>>\t<<4.4|4.8|3.6>>
Cr\t<<1.2|2.6|0.9>>\t<<1.4|2.9|0.8>>
Hgb\t<<9.8|7.4|11.2>>\t<<10.1|7.9|11.6>>
Acc#\t{ID:acc7}
{D.today:md0} 04:12\t{ID.cbc:acc7}\tCBC W DIFF\tFINAL
{LABS}

Exam: {EXAM_INLINE}

Assessment/Plan:
{PLAN}
Pt seen and examined with Dr {DR2.last}, agree w above.
Spoke w/ {PT.his} {REL.rel} {REL.lower} by phone ({PHONE.rel}), questions answered.
{DR.finit} / MICU
"""),
    Template("anticoag_phone", "progress", """\
Anticoagulation Clinic - Telephone Note\t{D.today:md0}
Pt: <<{PT.lfi}|{PT.lf}>>\tDOB {D.dob:mdy_slash}\tMRN {MRN}
Indication: <<afib|mechanical MVR|recurrent DVT>> (on warfarin since {D.prev:my_slash}); goal INR 2-3.  \
Warfarin 5 mg daily exc 2.5 mg M/F.
POC INR today {D.today:md0}: <<3.6|1.7|2.4>>  (lab accession {ID:acc7})
Spoke w/ pt's {REL.rel} ({REL.first}) at {PHONE.rel}<< - pt hard of hearing|>>. Denies bleeding, \
bruising, missed doses. Diet: eating more greens since the {D.onset:nth}.
Plan: <<hold x1 then resume|increase to 5 mg daily|no change>>. Recheck INR {D.fu}<< at \
{FAC}|>>.
{X.fml}, PharmD, CACP  x{PHONE:pager}
"""),
    # ------------------------------------------------------------------ emergency
    Template("ems_run_sheet", "ed", """\
PATIENT CARE REPORT\tIncident #: {ID:incident}\tUnit: Medic <<12|4|31>>
Date: {D.adm:mdy_slash}\t<<Dispatched: 0214\tOn scene: 0222\tAt dest: 0248|Dispatched: 1542\t\
On scene: 1551\tAt dest: 1620|Dispatched: 2309\tOn scene: 2318\tAt dest: 2347>>
Pickup: {STREET}, {CITY}, {STATE} {ZIP} (private residence)
Destination: {HOSP}
Pt: {PT.LFM}\tDOB: {D.dob:mdy_slash}\t{AGE:age_colon}\tSex: {PT.mf}
Phone: {PHONE.pt}\tIns: {HPLAN}<<\tSSN: {SSN}|>>

CC: {SX}
NARRATIVE: Medic responded to a private residence for a {AGE:yr_old} {PT.sex} c/o {SX}. \
Pt's {REL.rel} met crew at door and states pt "has not been right" since {D.onset:md}. Pt found \
sitting in recliner, [[GCS]] 14<<, skin pale/diaphoretic|>>. PMH {PMH_INLINE}. Meds per bottles: \
{MEDS_INLINE}.
VS: {VITALS}
Tx: <<324 mg ASA PO, 0.4 mg NTG SL x2|IV 18g L AC, NS TKO|O2 2L NC>>. 12-lead transmitted to \
{HOSP} at {IP}.
Pt's {REL.rel}, {REL.full}, following in private vehicle.
Crew: {X.fl}, Paramedic (cert {LIC:ems}); {X.fl}, EMT
Report given to {RN.first} RN.
"""),
    Template("registration_face_sheet", "ed", """\
ED REGISTRATION / FACE SHEET\t{HOSP}
Name: {PT.LFM}\tDOB: {D.dob:mdy_slash}\tSex: {PT.mf}
MRN: {MRN}\tVisit: {ACCT}\tArrival: {D.adm:mdy_slash} {TIME}
SSN: {SSN}
Address: {STREET}
\t{CITY}, {STATE} {ZIP}
Home: {PHONE.home}\tCell: {PHONE.pt}
Email: {EMAIL.PT}
ID verified: {STATE} DL {LIC:dl}
Emergency contact: {REL.lf} ({REL.rel})  {PHONE.rel}
Guarantor: self
Primary insurance: <<Medicare {HPLAN:medicare}|Medicaid {HPLAN:medicaid}|BCBS {HPLAN} grp {HPLAN:group}>>
PCP: {PCP.lfi}<<, {HOSP2}|>>
Triage: {SX}.  Acuity ESI <<2|3>>.  Allergies: {ALLERGY}
"""),
    Template("ed_provider_mdm", "ed", """\
ED Provider Note
Patient: {PT.full}\tMRN: {MRN}\tDate of service: {D.adm:mon_d_comma_y}

Chief Complaint
{SX}

HPI
{PT.full} is a {AGE:yo} {PT.sex} with {PMH_INLINE} who presents with {SX} x 2 days. \
History obtained from pt and {PT.his} {REL.rel} {REL.firstlower} who is at bedside. \
<<Pt sent in from {FAC}, where {PT.he} was started on {DRUG} {D.prev}.|No recent travel or sick contacts.>>

ROS: {ROS}
Physical Exam
Vitals: {VITALS}
{EXAM}

ED Course / MDM
{EKG_LINE} {LABS}. CXR: {IMAGING_INLINE}
Differential includes {DX} vs {DX}. Given {MEDS_INLINE}. <<HEART score 5.|Wells score 1.5.\
|CURB-65 = 2.>>
Discussed with Dr. {DR2.last} (hospitalist) who accepts for admission.
Critical care time: <<0|35>> min.

Disposition: Admit
{DR.fmn}, MD\t{D.adm:mdy_slash} {TIME}
"""),
    Template("trauma_mvc_police", "ed", """\
TRAUMA ACTIVATION - LEVEL 2\t{D.adm:mdy2} {TIME}
{PT.LFns}  {MRN}  {AGE:y}<< {PT.mf}|>>
MOI: restrained driver, T-bone MVC at ~40 mph on {STREET}<< near {CITY}|>>. +airbag. Self-extricated.
Vehicle: <<sedan|pickup|SUV>>, plate {VEHICLE} ({STATE}), VIN {VEHICLE:vin} per officer {X.finit}.
Primary: A intact, B clear bilat, C 2+ radial pulses, D GCS 15, E abrasions L chest (seatbelt sign).
Secondary: {EXAM_INLINE}
FAST: neg.  Imaging: {IMAGING_INLINE}
ETOH <<0|212>>.  UDS pending.
ID: {STATE} DL {LIC:dl} (wallet). Pt's {REL.rel} {REL.full} notified by police, en route. \
Callback {PHONE.rel}.
Plan: {PLAN_INLINE}
Trauma surgery: {DR.fmn}, MD / ED: {DR2.lfi}, MD
"""),
    Template("ed_ama_dispo", "ed", """\
ED Disposition Note - Left Against Medical Advice\t{D.adm:mon_d}
Pt {PT.full} (MRN {MRN}) requested to leave at {TIME} before completion of w/u for {SX}.
Pt is alert and oriented x4 and has capacity; able to repeat back risks incl. death/disability. \
{PT.His} {REL.rel} {REL.lower} was present and agrees with pt's decision.
Pt declined to sign AMA form. Given Rx for {DRUG}. Advised to return at any time and to f/u with \
PCP {PCP.finit} ({PHONE.pcp}) within 48h.
Pt left with {REL.rel} by private car.<< Last 4 of SSN ({SSN:last4}) verified for the Rx.|>>
{DR.full}, MD
"""),
    # ------------------------------------------------------------------ nursing (ALL CAPS)
    Template("rn_admit_assessment", "nursing", """\
ADMISSION NURSING ASSESSMENT\t{D.adm:md} 2140
PT: {PT.LFns}\tRM 412-B\tMRN {MRN}\tAGE {AGE:bare}
ARRIVED VIA STRETCHER FROM ED ACCOMPANIED BY {REL.rel} ({REL.first})
ORIENTED TO ROOM, CALL LIGHT, BED ALARM ON
NEURO: A&OX<<3|2>>  HOH L EAR, HEARING AIDS X2
RESP: {VITALS}
SKIN: BRADEN <<14|18>>, STAGE 2 SACRUM, FOAM DRSG APPLIED
MORSE FALL SCORE <<65|45>> - HIGH FALL RISK
HOME MEDS REVIEWED W {REL.rel}: {MEDS_INLINE}
VALUABLES: GLASSES, DENTURES (UPPER), CELL PHONE. WALLET SENT HOME W {REL.rel}
EMERGENCY CONTACT: {REL.full} {PHONE.rel}
{RN.fl}, RN
""", upper=True),
    Template("rn_timed_narrative", "nursing", """\
{D.today}
<<1900|0700>> REPORT RECEIVED FROM {X.first} RN. PT {PT.last} SLEEPING, EASILY AROUSED. {VITALS}
2200 PT C/O {SX}, {DRUG} {ROUTE} GIVEN PER MAR
0030 PT RESTLESS, PULLING AT LINES. REORIENTED. {PT.first} ASKING FOR {PT.his} {REL.rel}.
0215 DR {DR2.last} PAGED AT {PHONE:pager} RE {SX}. NEW ORDERS RECEIVED, SEE MAR
0415 FSBG <<212|68|145>>. COVERAGE GIVEN
0530 AM LABS DRAWN AND SENT, ACC# {ID:acc7}
0645 {REL.rel} {REL.first} CALLED ASKING FOR UPDATE, UPDATED PER PT PREF
REPORT GIVEN TO ONCOMING RN. {RN.ini2}
""", upper=True),
    Template("rn_wound_care", "nursing", """\
WOUND CARE NURSE CONSULT {D.today:mon_d}
PT {PT.full} {AGE:bare}{PT.mf}  HOSPITAL DAY {N}
REFERRED BY DR {DR.lfi} FOR SACRAL WOUND
WOUND #1 SACRUM: STAGE 3 PRESSURE INJURY 4.2 X 3.1 X 0.8 CM, 80% RED GRANULATION, 20% SLOUGH, \
MOD SEROSANG DRAINAGE, NO ODOR. PERIWOUND MACERATED.
TX: NPWT (WOUND VAC) APPLIED AT 125 MMHG CONTINUOUS. VAC SN {DEVICE}
OFFLOADING: LOW AIR LOSS MATTRESS, TURN Q2H
NUTRITION: ALBUMIN 2.4, DIETITIAN CONSULTED
DISCUSSED W PT AND {PT.his} {REL.rel} {REL.first}. PHOTOS IN MEDIA TAB.
WILL F/U {D.fu:md}. {RN.fml} RN CWOCN  {PHONE:pager}
""", upper=True),
    Template("rn_fall_event", "nursing", """\
FALL EVENT NOTE\t{D.today:md} {TIME}\tSAFETY REPORT #{ID:incident}
PT {PT.LFns} FOUND ON FLOOR NEXT TO BED BY CNA {X.first}. PT STATES "I WAS TRYING TO GET TO THE \
BATHROOM". UNWITNESSED. BED ALARM WAS OFF.
ASSESSED: NO OBVIOUS INJURY, SMALL ABRASION R ELBOW. {VITALS}
NEURO CHECKS Q1H X4 INITIATED. PT ON {DRUG}.
DR {DR.last} NOTIFIED, CT HEAD ORDERED.
{REL.rel} {REL.full} NOTIFIED AT {PHONE.rel} AT 0340.
POST FALL HUDDLE DONE. {RN.fl}, RN  CHARGE RN {X.fl}
""", upper=True),
    Template("rn_home_visit", "nursing", """\
HOME HEALTH SKILLED NURSING VISIT\t{D.today:mdy_slash}
AGENCY: {HOSP2} HOME CARE\tON CALL {PHONE.agency}
PT: {PT.full}\tDOB {D.dob:mdy_slash}\tMRN {MRN}
ADDRESS: {STREET}, {CITY} {ZIP}
PT LIVES W {REL.rel} {REL.full}. HOME CLUTTERED, SMOKE DETECTOR PRESENT, NO RUGS.
DX: {DX}. HX {PMH_INLINE}
{VITALS}  WT UP 2 LB SINCE LAST VISIT.
MED REC DONE, PILLBOX FILLED X 1 WK: {MEDS_INLINE}
HOME O2 2L VIA CONCENTRATOR SN {DEVICE}
TEACHING: LOW SODIUM DIET, DAILY WTS, S/S TO REPORT.
PCP DR {PCP.last} OFFICE FAXED VISIT NOTE TO {FAX}
NEXT VISIT {D.next:d_mon}. {RN.fl} RN
""", upper=True),
)
