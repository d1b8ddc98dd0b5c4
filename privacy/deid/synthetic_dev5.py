"""DEV5 world of the synthetic note generator: the fifth held-out world, retired after it was measured once.

It was written as a held-out world (without looking at the recognizers, lexicons or engine) and measured once
(leak 5.04%, see README); it is now open for tuning, and the reported figures come from a fresh held-out world
(synthetic_heldout.py). What differs from tuning (synthetic.py), dev, dev2, dev3 and dev4
(synthetic_dev*.py), on purpose:
- other kinds of documents, mapped onto NOTE_KINDS: palliative care consults, bariatric surgery discharges,
  inpatient against-medical-advice forms, correctional-facility transfer summaries (discharge); EEG,
  EMG/nerve conduction, preliminary autopsy, radiation-oncology treatment summaries and audiology reports
  (radiology); ECT treatment notes, IVF monitoring visits, allergy skin-testing visits, sports-medicine
  clearances and interpreter-mediated visits (progress); poison-centre calls, nurse triage phone lines,
  ED visits of incarcerated patients and animal-bite visits (ed); ALL-CAPS NICU flowsheets, OASIS home-health
  start-of-care records, lactation rounds and jail infirmary med passes (nursing);
- formats none of the earlier worlds writes: dates "04/03/2021" day-first, "MARCH 4, 2021",
  "Thursday, March 4", "2021-Mar-04", "04mar21", "4th March 2021", "2021-063" (day of year), "03 04 2021",
  "04-03-2021", "Mar-21", "Thu 04-Mar", "march 4", "3 / 4 / 2021"; ages "Age/Sex: 92/F", "92/M", "(age 92)",
  "age in years: 92", "92 Y/O", "(92 yrs)"; names "First LAST", "LAST First", "First L.", "F. M. Last",
  "last first" lower-case and Meditech-style user ids ("KAZARA"); phones "423 555-0134", "(423) 555.0134",
  "+14235550134", "001-423-555-0134", "tel:" URIs, "extn" extensions, "x4417" internal and "7-2291" beeper
  numbers; dotted and "xxx-xx-" masked SSNs; "H"-prefixed, grouped, check-digit-slashed and year-prefixed
  MRNs; HB/dotted/AR accounts; suffixed member ids, Medi-Cal BIC, lower-case MBI, RRB and CHIP plan ids;
  pharmacist, psychologist, LCSW and audiologist licences, X-DEA, spaced NPI, Illinois and spaced
  Pennsylvania licences; hearing-aid, CPAP and cochlear-implant serials, hyphenated MAC, UUID device ids;
  mid-spaced, vanity and dealer plates, lower-case VINs; poison-centre case, OASIS, BOP register, IVF
  cycle, NICU band, interpreter, autopsy, DICOM UID, Rx, call, EEG study, animal-control, AMA-form and DOC
  numbers; 192.168 LAN and IPv6 link-local addresses;
- its own messiness (other misspellings, doubled spaces, space before a colon, dictation tags such as
  "[inaudible]", Windows line ends, words hyphenated over a line break), applied to literal text only;
- name and place pools disjoint from all five worlds: transliterated Greek, Armenian, Georgian and
  Macedonian names (Faker locales no earlier world uses), invented Cornish-like "Tre-/Pen-/Pol-" surnames
  and Welsh-like given names, and names that are ordinary English words no earlier world uses (Kettle,
  Lantern, Thistle, Badger, Clover, Bramble, Canyon ...; candidates an earlier world already has are dropped);
  cities of Alaska, Hawaii, Appalachia, the Pacific Northwest coast, Puerto Rico and the northern border;
  other street, hospital and facility naming patterns;
- non-PHI look-alikes left unlabelled: ages <= 89 in every age form, bare years, states, scores and fractions
  (5/5, 8/10, 27/30, G1P1), doses and lab values, room numbers and public numbers (911, Poison Control
  1-800-222-1222);
- clinical vocabulary of palliative care, bariatrics, reproductive endocrinology, neonatology, ECT,
  allergy, audiology, neurophysiology, radiation oncology, toxicology and sports medicine, mixed with the
  shared common vocabulary.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import unicodedata
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
    _vocab_words,
    digits,
    draw_name_pools,
    letters,
    medicare_mbi,
    name_pool_words,
    ordinal,
    ssn_value,
    tuning_style,
)
from medfl.privacy.deid.synthetic_dev import dev_style, npi, vin
from medfl.privacy.deid.synthetic_dev2 import dev2_style
from medfl.privacy.deid.synthetic_dev3 import dev3_style
from medfl.privacy.deid.synthetic_dev4 import dev4_style

# ----------------------------------------------------------------------------- clinical vocabulary
_EXTRA_VOCAB = {
    "drugs": (
        ("letrozole", "2.5 mg"), ("follitropin alfa", "150 units"), ("Menopur", "75 units"),
        ("Ovidrel", "250 mcg"), ("progesterone in oil", "50 mg"), ("caffeine citrate", "5 mg/kg"),
        ("ampicillin", "50 mg/kg"), ("gentamicin", "4 mg/kg"), ("glycopyrrolate", "0.2 mg"),
        ("Roxanol", "5 mg"), ("methohexital", "1 mg/kg"), ("succinylcholine", "1 mg/kg"),
        ("cetirizine", "10 mg"), ("EpiPen", "0.3 mg"), ("fluticasone nasal", "2 sprays"),
        ("ursodiol", "300 mg"), ("acetylcysteine", "150 mg/kg"), ("fomepizole", "15 mg/kg"),
        ("naproxen", "500 mg"), ("Voltaren gel", "4 g"), ("sucralfate", "1 g"), ("Zyrtec", "10 mg"),
    ),
    "dx": (
        "class III obesity", "diminished ovarian reserve", "PCOS", "prematurity", "RDS",
        "treatment-resistant depression", "catatonia", "sensorineural hearing loss", "allergic rhinitis",
        "peanut allergy", "acetaminophen overdose", "concussion", "lateral epicondylitis", "glioblastoma",
        "head and neck SCC", "focal epilepsy", "carpal tunnel syndrome", "ALS",
    ),
    "symptoms": ("tinnitus", "hives", "itchy eyes", "wheezing", "poor latch", "ankle pain"),
    "procedures": (
        "sleeve gastrectomy", "oocyte retrieval", "embryo transfer", "ECT", "audiogram", "tympanometry",
        "skin prick testing", "IMRT", "autopsy", "EEG", "EMG/NCS", "frenotomy", "oral food challenge",
    ),
    "signs": ("Dix-Hallpike maneuver", "Rinne test", "Weber test", "Moro reflex", "Apley test", "Gower sign",
              "Ortolani maneuver", "Barlow maneuver", "Lhermitte sign", "Waddell signs"),
    "labs": (("beta-hCG", "{:.0f}", 5, 2400), ("estradiol", "{:.0f}", 40, 3200),
             ("APAP level", "{:.0f}", 10, 260),
             ("bili", "{:.1f}", 2.0, 16.0), ("IgE", "{:.0f}", 20, 1400), ("CK", "{:.0f}", 60, 4200)),
    "allergies": ("peanut (anaphylaxis)", "bee venom", "egg (hives)", "vancomycin (flushing)"),
}


def _vocab() -> dict[str, tuple]:
    vocab = dict(VOCAB)
    for k, extra in _EXTRA_VOCAB.items():
        vocab[k] = tuple(vocab[k]) + extra
    return vocab


# ----------------------------------------------------------------------------- dates
_WEEKDAY = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WD = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

DATE_FORMATS: dict[str, Callable[[dt.date], str]] = {
    # the forms issue 3 names (also in tuning) ...
    **{k: TUNING_DATE_FORMATS[k] for k in ("md", "mon_d", "d_mon_y", "iso", "mdy2", "nth", "mdy_slash",
                                           "month_d_y")},
    # ... and forms no earlier world writes
    "dmy_slash": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",              # 04/03/2021 (day first)
    "MONTH_d_y": lambda d: f"{MONTH[d.month].upper()} {d.day}, {d.year}",      # MARCH 4, 2021
    "wkday_month_d": lambda d: f"{_WEEKDAY[d.weekday()]}, {MONTH[d.month]} {d.day}",  # Thursday, March 4
    "y_mon_d": lambda d: f"{d.year}-{MON[d.month]}-{d.day:02d}",               # 2021-Mar-04
    "ddmonyy_low": lambda d: f"{d.day:02d}{MON[d.month].lower()}{d.year % 100:02d}",  # 04mar21
    "nth_month_y": lambda d: f"{ordinal(d.day)} {MONTH[d.month]} {d.year}",    # 4th March 2021
    "y_doy": lambda d: f"{d.year}-{d.timetuple().tm_yday:03d}",                # 2021-063 (day of year)
    "mdy_sp": lambda d: f"{d.month:02d} {d.day:02d} {d.year}",                 # 03 04 2021 (boxed form)
    "dmy_dash": lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",               # 04-03-2021
    "mon_dash_yy": lambda d: f"{MON[d.month]}-{d.year % 100:02d}",             # Mar-21 (spreadsheet)
    "wk_d_mon": lambda d: f"{_WD[d.weekday()]} {d.day:02d}-{MON[d.month]}",    # Thu 04-Mar
    "month_d_low": lambda d: f"{MONTH[d.month].lower()} {d.day}",              # march 4
    "mdy_ocr": lambda d: f"{d.month} / {d.day} / {d.year}",                    # 3 / 4 / 2021 (OCR)
}
RANDOM_DATE_FORMATS = ("mdy_slash", "mdy_slash", "md", "mdy2", "iso", "mon_d", "dmy_slash", "y_mon_d",
                       "nth_month_y", "dmy_dash", "wk_d_mon", "MONTH_d_y")

AGE_FORMS = {
    "age_sex": ("Age/Sex: ", "/"), "n_slash": ("", "/"), "paren_age": ("(age ", ")"),
    "in_years": ("age in years: ", ""), "YO_slash": ("", " Y/O"), "paren_yrs": ("(", " yrs)"),
    "num": ("", ""),
}


# ----------------------------------------------------------------------------- identifiers
AREA_CODES = ("907", "808", "304", "606", "276", "423", "828", "706", "541", "458", "509", "253", "425",
              "315", "518", "607", "716", "570", "814", "207", "603", "802", "787", "939", "671", "670",
              "865", "731", "270", "859", "540", "434", "843", "910", "252", "336", "971", "564")


def _parts(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(AREA_CODES), str(rng.randint(230, 969)), digits(rng, 4)


def ph_sp_dash(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a} {b}-{c}"


def ph_std_paren(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"({a}) {b}-{c}"


def ph_paren_dot(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"({a}) {b}.{c}"


def ph_e164(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"+1{a}{b}{c}"


def ph_intl00(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"001-{a}-{b}-{c}"


def ph_tel_uri(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"tel:+1-{a}-{b}-{c}"


def ph_extn(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"({a}) {b} {c} extn {digits(rng, 3)}"


def ph_int_x(rng: random.Random) -> str:
    return f"x{rng.randint(2, 7)}{digits(rng, 3)}"


def ph_beeper(rng: random.Random) -> str:
    return f"{rng.randint(2, 9)}-{digits(rng, 4)}"


def fax_sp_dash(rng: random.Random) -> str:
    return ph_sp_dash(rng)


def fax_e164(rng: random.Random) -> str:
    return ph_e164(rng)


def ssn_hy(rng: random.Random) -> str:
    return ssn_value(rng)


def ssn_dots(rng: random.Random) -> str:
    return ssn_value(rng, ".")


def ssn_xmask(rng: random.Random) -> str:
    return f"xxx-xx-{ssn_value(rng)[-4:]}"


def mrn_h8(rng: random.Random) -> str:
    return "H" + str(rng.randint(1, 9)) + digits(rng, 6)


def mrn_grp3(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 2)} {digits(rng, 3)} {digits(rng, 3)}"


def mrn_slashchk(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 6)}/{rng.randint(0, 9)}"


def mrn_yr(rng: random.Random) -> str:
    return f"{rng.randint(10, 24)}-{digits(rng, 7)}"


def acct_hb(rng: random.Random) -> str:
    return "HB" + digits(rng, 9)


def acct_dot(rng: random.Random) -> str:
    return f"{digits(rng, 4)}.{digits(rng, 5)}.{rng.randint(1, 9)}"


def acct_ar(rng: random.Random) -> str:
    return f"AR-{rng.randint(18, 24)}-{digits(rng, 6)}"


def hp_dash_suffix(rng: random.Random) -> str:
    return f"{letters(rng, 3)}-{digits(rng, 6)}-{rng.randint(1, 9):02d}"


def hp_sp_suffix(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 8)} {rng.randint(0, 4):02d}"


def hp_bic(rng: random.Random) -> str:  # Medi-Cal benefits id card style
    return f"9{digits(rng, 7)}{letters(rng, 1)}"


def hp_mbi_lower(rng: random.Random) -> str:
    return medicare_mbi(rng, dashes=False).lower()


def hp_rrb(rng: random.Random) -> str:  # Railroad Retirement Board style
    return f"{rng.choice(('WA', 'WD', 'MA'))}{digits(rng, 9)}"


def hp_chip(rng: random.Random) -> str:
    return f"CHP{digits(rng, 8)}"


def lic_rph(rng: random.Random) -> str:
    return f"RPh {digits(rng, 7)}"


def lic_psy(rng: random.Random) -> str:
    return f"PSY{rng.randint(10000, 39999)}"


def lic_lcsw(rng: random.Random) -> str:
    return f"LCSW-{digits(rng, 4)}"


def lic_aud(rng: random.Random) -> str:
    return f"AuD.{digits(rng, 5)}"


def dea_xw(rng: random.Random) -> str:  # buprenorphine-waiver DEA numbers start with X
    d = [rng.randint(0, 9) for _ in range(6)]
    check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    return "X" + letters(rng, 1) + "".join(map(str, d)) + str(check)


def npi_spaced(rng: random.Random) -> str:
    n = npi(rng)
    return f"{n[:4]} {n[4:7]} {n[7:]}"


def dl_il(rng: random.Random) -> str:
    return f"{letters(rng, 1)}{digits(rng, 3)}-{digits(rng, 4)}-{digits(rng, 4)}"


def dl_pa_sp(rng: random.Random) -> str:
    return f"{digits(rng, 2)} {digits(rng, 3)} {digits(rng, 3)}"


def dev_ha_serial(rng: random.Random) -> str:
    return f"{digits(rng, 4)}{letters(rng, 1)}{digits(rng, 5)}"


def dev_cpap_sn(rng: random.Random) -> str:
    return f"{rng.randint(20, 24)}{digits(rng, 9)}"


def dev_ci_serial(rng: random.Random) -> str:
    return f"CI{rng.randint(5, 6)}{digits(rng, 2)}-{letters(rng, 1)}{digits(rng, 5)}"


def dev_hyphen_mac(rng: random.Random) -> str:
    return "-".join(f"{rng.randint(0, 255):02x}" for _ in range(6))


def dev_uuid(rng: random.Random) -> str:
    h = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:]}"


def plate_sp_mid(rng: random.Random) -> str:
    return f"{letters(rng, 3)} {digits(rng, 4)}"


def plate_vanity(rng: random.Random) -> str:
    head = rng.choice(("GR8", "NANA", "PAPA", "RN4", "DOC", "ICU", "BIG"))
    return head + rng.choice(("LIFE", "RIDE", "2GO", "KID", "MOM", "FSH"))


def plate_dealer(rng: random.Random) -> str:
    return f"DLR-{digits(rng, 5)}"


def vin_lower(rng: random.Random) -> str:
    return vin(rng).lower()


def pcc_case(rng: random.Random) -> str:
    return f"PCC{rng.randint(18, 24)}-{digits(rng, 6)}"


def oasis_id(rng: random.Random) -> str:
    return f"OA{digits(rng, 10)}"


def bop_register(rng: random.Random) -> str:  # federal prison register number: 5 digits, district code
    return f"{digits(rng, 5)}-{rng.randint(1, 99):03d}"


def doc_number(rng: random.Random) -> str:
    return f"{letters(rng, 1)}{digits(rng, 6)}"


def ivf_cycle(rng: random.Random) -> str:
    return f"C{rng.randint(18, 24)}{letters(rng, 1)}{digits(rng, 4)}"


def nicu_band(rng: random.Random) -> str:
    return f"NB{digits(rng, 6)}"


def interp_id(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, 5)


def autopsy_no(rng: random.Random) -> str:
    return f"A{rng.randint(18, 24)}-{digits(rng, 4)}"


def dicom_uid(rng: random.Random) -> str:
    return f"1.2.840.113619.2.{rng.randint(50, 400)}.{rng.randint(1, 9)}.{digits(rng, 9)}.{digits(rng, 4)}"


def rx_number(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 6)}-{rng.randint(0, 11):02d}"


def call_ref(rng: random.Random) -> str:
    return f"TC{digits(rng, 8)}"


def eeg_study(rng: random.Random) -> str:
    return f"E{rng.randint(18, 24)}-{digits(rng, 5)}"


def animal_control(rng: random.Random) -> str:
    return f"AC-{digits(rng, 4)}-{letters(rng, 1)}"


def ama_form(rng: random.Random) -> str:
    return f"F-{digits(rng, 6)}"


def ip_lan192(rng: random.Random) -> str:
    return f"192.168.{rng.randint(0, 255)}.{rng.randint(2, 254)}"


def ip_linklocal6(rng: random.Random) -> str:
    return "fe80::" + ":".join(f"{rng.randint(0, 65535):x}" for _ in range(4))


def _ids() -> dict[str, tuple]:
    return {
        "PHONE": (ph_sp_dash, ph_sp_dash, ph_std_paren, ph_std_paren, ph_paren_dot, ph_e164, ph_intl00),
        "PHONE:ext": (ph_extn,),
        "PHONE:int": (ph_int_x,),
        "PHONE:uri": (ph_tel_uri,),
        "PHONE:beep": (ph_beeper,),
        "FAX": (fax_sp_dash, fax_e164),
        "SSN": (ssn_hy, ssn_hy, ssn_dots, ssn_xmask),
        "MRN": (mrn_h8, mrn_grp3, mrn_slashchk, mrn_yr, mrn_yr),
        "ACCT": (acct_hb, acct_dot),
        "ACCT:ar": (acct_ar,),
        "HPLAN": (hp_dash_suffix, hp_sp_suffix, hp_bic),
        "HPLAN:medicare": (hp_mbi_lower, hp_rrb),
        "HPLAN:chip": (hp_chip,),
        "LIC": (lic_rph, lic_psy, lic_lcsw, lic_aud),
        "LIC:dea": (dea_xw,),
        "LIC:npi": (npi_spaced,),
        "LIC:dl": (dl_il, dl_pa_sp),
        "DEVICE": (dev_ha_serial, dev_cpap_sn, dev_ci_serial),
        "DEVICE:mac": (dev_hyphen_mac,),
        "DEVICE:uuid": (dev_uuid,),
        "VEHICLE": (plate_sp_mid, plate_vanity, plate_dealer, vin_lower),
        "ID": (pcc_case,),
        "ID:oasis": (oasis_id,),
        "ID:bop": (bop_register,),
        "ID:doc": (doc_number,),
        "ID:ivf": (ivf_cycle,),
        "ID:nicu": (nicu_band,),
        "ID:interp": (interp_id,),
        "ID:autopsy": (autopsy_no,),
        "ID:dicom": (dicom_uid,),
        "ID:rx": (rx_number,),
        "ID:call": (call_ref,),
        "ID:eeg": (eeg_study,),
        "ID:animal": (animal_control,),
        "ID:ama": (ama_form,),
        "IP": (ip_lan192, ip_linklocal6),
    }


# ----------------------------------------------------------------------------- name forms
def _name_forms(p) -> dict[str, str]:
    return {
        "f_LAST": f"{p.first} {p.last.upper()}",                  # Anahit KAZARYAN
        "LAST_first": f"{p.last.upper()} {p.first}",              # KAZARYAN Anahit
        "first_linit": f"{p.first} {p.last[0]}.",                 # Anahit K.
        "fm_dots": f"{p.first[0]}. {p.middle[0]}. {p.last}",      # A. M. Kazaryan
        "lf_lower": f"{p.last} {p.first}".lower(),                # kazaryan anahit
        "userid": f"{p.last[:5]}{p.first[0]}".upper(),            # KAZARA (Meditech-style user id)
    }


# ----------------------------------------------------------------------------- messiness
_MISSPELL = (("recommend", "reccomend"), ("hospital", "hosptial"), ("referral", "referal"),
             ("procedure", "proceedure"), ("immediately", "immediatly"), ("surgery", "surgury"),
             ("definitely", "definately"), ("interpreter", "interperter"), ("pharmacy", "pharmcy"),
             ("weight", "wieght"), ("hearing", "hearng"), ("infant", "infnat"), ("allergy", "alergy"),
             ("follow", "folow"), ("mother", "mohter"), ("history", "hisotry"), ("breast", "braest"))
_TAGS = ("[inaudible]", "[unintelligible]", "[dictation paused]")


def _hyphen_wrap(mid: str, rng: random.Random) -> str:
    """Break one long lower-case word over a line with a hyphen, as a word processor pasted into the EHR."""
    words = [(i, w) for i, w in enumerate(mid.split(" ")) if len(w) >= 9 and w.isalpha() and w.islower()]
    if not words:
        return mid
    i, w = rng.choice(words)
    cut = rng.randint(3, len(w) - 4)
    parts = mid.split(" ")
    parts[i] = f"{w[:cut]}-\n{w[cut:]}"
    return " ".join(parts)


def _mess_factory(rng: random.Random, level: float = 0.08) -> Callable[[str], str]:
    """Literal text -> messier literal text; the first and last character of a piece are kept, so a
    neighbouring PHI value keeps its word boundaries."""

    def mess(s: str) -> str:
        if len(s) < 4:
            return s
        head, mid, tail = s[0], s[1:-1], s[-1]
        r = rng.random()
        if r < level:  # typo
            hits = [(a, b) for a, b in _MISSPELL if a in mid]
            if hits:
                a, b = rng.choice(hits)
                mid = mid.replace(a, b, 1)
        elif r < 2 * level:  # doubled space between words
            i = mid.find(" ")
            if 0 < i < len(mid) - 1 and mid[i - 1].isalpha() and mid[i + 1].isalpha():
                mid = mid[:i] + "  " + mid[i + 1:]
        elif r < 2.7 * level:  # space before a colon
            i = mid.find(": ")
            if 0 < i and mid[i - 1].isalpha():
                mid = mid[:i] + " :" + mid[i + 1:]
        elif r < 3.3 * level:  # dictation software tag
            i = mid.find(". ")
            if 0 < i < len(mid) - 2 and mid[i - 1].isalpha():
                mid = mid[:i + 2] + rng.choice(_TAGS) + " " + mid[i + 2:]
        elif r < 4.0 * level:  # Windows line ends (text pasted from a word processor)
            mid = mid.replace("\n", "\r\n")
        elif r < 4.6 * level:  # word hyphenated over a line break
            mid = _hyphen_wrap(mid, rng)
        return head + mid + tail

    return mess


# ----------------------------------------------------------------------------- pools
_GREEK = {"α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
          "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
          "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o"}
_GREEK_DI = (("ου", "ou"), ("αυ", "av"), ("ευ", "ev"), ("γγ", "ng"), ("γκ", "gk"), ("μπ", "mp"), ("ντ", "nt"))
_ARMENIAN = dict(zip("աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
                     ("a", "b", "g", "d", "e", "z", "e", "y", "t", "zh", "i", "l", "kh", "ts", "k", "h", "dz",
                      "gh", "ch", "m", "y", "n", "sh", "o", "ch", "p", "j", "r", "s", "v", "t", "r", "ts",
                      "v",
                      "p", "k", "o", "f"), strict=True))
_GEORGIAN = dict(zip("აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
                     ("a", "b", "g", "d", "e", "v", "z", "t", "i", "k", "l", "m", "n", "o", "p", "zh", "r",
                      "s",
                      "t", "u", "p", "k", "gh", "q", "sh", "ch", "ts", "dz", "ts", "ch", "kh", "j", "h"),
                     strict=True))
_MACEDONIAN = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ѓ": "gj", "е": "e", "ж": "zh", "з": "z",
               "ѕ": "dz", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj",
               "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ќ": "kj", "у": "u", "ф": "f", "х": "h",
               "ц": "c", "ч": "ch", "џ": "dzh", "ш": "sh"}


def _strip_marks(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))


def _translit(s: str, script: str) -> str:
    s = _strip_marks(str(s)).lower()
    if script == "el":
        for a, b in (("μπ", "b"), ("ντ", "d"), ("γκ", "g")):  # word-initial: Bantes, Dinos, Galis
            s = b + s[2:] if s.startswith(a) else s
        for a, b in _GREEK_DI:
            s = s.replace(a, b)
        table = _GREEK
    elif script == "hy":
        s = s.replace("ու", "u").replace("և", "ev")
        s = ("ye" + s[1:]) if s.startswith("ե") else ("vo" + s[1:]) if s.startswith("ո") else s
        table = _ARMENIAN
    elif script == "ka":
        table = _GEORGIAN
    else:
        table = _MACEDONIAN
    out = "".join(table.get(ch, ch) for ch in s)
    return out[:1].upper() + out[1:]


def _locale_names(loc: str) -> tuple[list[str], list[str], list[str]]:
    p = importlib.import_module(f"faker.providers.person.{loc}").Provider
    male = list(getattr(p, "first_names_male", ()) or ())
    female = list(getattr(p, "first_names_female", ()) or ())
    last = list(getattr(p, "last_names_male", ()) or getattr(p, "last_names", ()) or ())
    script = loc[:2]
    return ([_translit(x, script) for x in male], [_translit(x, script) for x in female],
            [_translit(x, script) for x in last])


# locale -> (male, female, last) caps, so no single locale dominates
_LOCALE_CAPS = {"el_GR": (70, 80, 260), "hy_AM": (60, 55, 220), "ka_GE": (50, 55, 180), "mk_MK": (30, 25, 45)}
# real surnames / given names that are also ordinary English words
_WORD_LAST = ("Kettle", "Lantern", "Thistle", "Badger", "Pebble", "Marble", "Tinker", "Chisel", "Anvil",
              "Saddle", "Sexton", "Beadle", "Orchard", "Garland", "Otter", "Ladder", "Candle", "Button",
              "Bucket", "Barrow", "Ferry", "Harbor", "Whistle", "Cobbler", "Thatch", "Furrow", "Lark",
              "Finch", "Robin", "Wren", "Heath", "Marsh", "Rook", "Plank", "Nail", "Pickle", "Mustard",
              "Ginger", "Sugar", "Biscuit", "Waffle", "Pudding", "Rainbow", "Storm", "Thunder", "Frost")
_WORD_FIRST_F = ("Mercy", "Clover", "Patience", "Prudence", "Charity", "Harmony", "Melody", "Echo", "Briar",
                 "Poppy", "Sunny", "Glory", "Honor", "Story", "Bluebell", "Sorrel", "Bramble", "Tansy",
                 "Posy", "Cricket", "Dove", "Peaches")
_WORD_FIRST_M = ("Ranger", "Deacon", "Major", "Royal", "Bishop", "Flint", "Colt", "Ridge", "Canyon", "Sonny",
                 "Thorn", "Bear", "Gunner", "Chief", "Brick", "Rowdy", "Tank", "Ace")

_SUR_HEAD = ("Tre", "Pen", "Pol", "Ros", "Lan", "Car", "Bos", "Tol", "Nan", "Hen")
_SUR_TAIL = ("vannick", "hallow", "grean", "kerris", "dower", "ennack", "warne", "lowarth", "maddern",
             "sithney")
_GIVEN_HEAD = ("Ael", "Bry", "Cae", "Dyl", "Eir", "Gwy", "Mer", "Rhi", "Teg", "Ang", "Ceri", "Hyw", "Iol")
_GIVEN_TAIL_F = ("wen", "eth", "ys", "anwy")
_GIVEN_TAIL_M = ("ydd", "wyn", "ri", "ach")


DEV5_CITIES = (
    "Ketchikan", "Sitka", "Juneau", "Kodiak", "Bethel", "Nome", "Kotzebue", "Wasilla", "Soldotna", "Valdez",
    "Fairbanks", "Hilo", "Kailua-Kona", "Lihue", "Wailuku", "Kahului", "Kaneohe", "Hagatna", "Dededo",
    "Mayaguez", "Ponce", "Arecibo", "Caguas", "Humacao", "Aguadilla", "Bluefield", "Beckley", "Elkins",
    "Buckhannon", "Williamson", "Pikeville", "Hazard", "Harlan", "Corbin", "Middlesboro", "Norton", "Wise",
    "Abingdon", "Galax", "Boone", "Sylva", "Elizabethton", "Kingsport", "Morristown", "Jellico", "Crossville",
    "Cookeville", "Ellijay", "Blairsville", "Toccoa", "Astoria", "Tillamook", "Coos Bay", "Gold Beach",
    "Roseburg", "Klamath Falls", "Lakeview", "Baker City", "La Grande", "Pendleton", "Hermiston",
    "The Dalles",
    "Hood River", "Hoquiam", "Shelton", "Chehalis", "Kelso", "Forks", "Sequim", "Anacortes", "Sedro-Woolley",
    "Okanogan", "Colville", "Massena", "Malone", "Plattsburgh", "Saranac Lake", "Ogdensburg", "Oneonta",
    "Cortland", "Olean", "Salamanca", "Wellsboro", "Coudersport", "Lock Haven", "Tunkhannock", "Honesdale",
    "Presque Isle", "Caribou", "Houlton", "Machias", "Skowhegan", "Rumford", "Littleton", "St. Johnsbury",
    "Newport News", "Bangor Harbor", "Kahuku", "Pahoa", "Haines", "Skagway", "Petersburg", "Wrangell",
    "Dillingham", "Unalaska", "Barrow Point", "Logansport",
)
_STREET_WORDS = (
    "Kukui", "Plumeria", "Kahili", "Ohia", "Laurel Fork", "Coal Branch", "Tipple", "Sourwood", "Sassafras",
    "Pawpaw", "Rhododendron", "Hickory Flat", "Poplar Gap", "Salmonberry", "Fireweed", "Tidewater", "Cannery",
    "Totem", "Ptarmigan", "Muskeg", "Breakwater", "Lighthouse", "Drift Creek", "Huckleberry", "Sitka Spruce",
    "Mine Hollow", "Tanbark", "Rock Candy", "Puuhonua", "Alder Flats", "Bayview Loop", "Ferry Landing",
)
_STATES = ("AK", "HI", "WV", "PR", "GU", "Alaska", "Hawaii", "W. Va.", "Oreg.", "Penna.", "N.Y.", "Vermont",
           "Maine", "Puerto Rico")
_OUR_LADY = ("Perpetual Help", "Good Counsel", "the Snows", "Mount Carmel", "Consolation", "Bethlehem")
_FAC_WORDS = ("Northern Lights", "Trade Winds", "Blue Ridge", "Cascade Crest", "Island Breeze", "Tamarind")


@lru_cache(maxsize=1)
def dev5_style() -> Style:
    others = (tuning_style(), dev_style(), dev2_style(), dev3_style(), dev4_style())
    vocab = _vocab()
    other_cities = {c.lower() for s in others for c in s.cities}
    c = [x for x in DEV5_CITIES if x.lower() not in other_cities]
    cities = other_cities | {x.lower() for x in DEV5_CITIES}
    used = set().union(*(name_pool_words(s) for s in others))
    used_streets = set().union(*(set(s.street_names) for s in others))
    # word names are exempt from the vocabulary ban only, never from disjointness
    word_names = {w.lower() for w in (*_WORD_LAST, *_WORD_FIRST_F, *_WORD_FIRST_M)} - used - cities
    streets = {w.lower() for w in (*_STREET_WORDS, *used_streets)}
    banned = (_NON_NAMES | used | cities | streets
              | (_vocab_words(vocab) - word_names))
    rng = random.Random("heldout-5-pools")
    male, female, last = draw_name_pools(
        rng, ((caps, _locale_names(loc)) for loc, caps in _LOCALE_CAPS.items()), banned, word_names,
        invented=((_SUR_HEAD, _SUR_TAIL, 60), (_GIVEN_HEAD, _GIVEN_TAIL_F, 35),
                  (_GIVEN_HEAD, _GIVEN_TAIL_M, 35)),
        words=(_WORD_LAST, _WORD_FIRST_F, _WORD_FIRST_M))
    hospitals = sorted({
        *(f"{x} Appalachian Regional Hospital" for x in c[28:34]),
        *(f"{x} Medical Pavilion" for x in c[50:56]),
        *(f"Our Lady of {w} Hospital" for w in _OUR_LADY),
        *(f"{x} Native Medical Center" for x in c[:4]),
        *(f"{x} Area Health" for x in c[56:62]),
        *(f"{x} Women & Infants Hospital" for x in c[11:14]),
        *(f"{rng.choice(last)} Behavioral Health Pavilion" for _ in range(3)),
        *(f"{rng.choice(last)} Heart & Vascular Institute" for _ in range(2)),
        *(f"{x} VA Medical Center" for x in c[74:77]),
        *(f"{x} Island Medical Center" for x in c[14:17]),
        *(f"Centro Medico de {x}" for x in c[19:23]),
    })
    facilities = sorted({
        *(f"{x} Hospice House" for x in c[62:66]),
        *(f"{x} Fertility & IVF Center" for x in c[66:69]),
        *(f"{x} Skilled Nursing & Rehab" for x in c[34:37]),
        *(f"{x} Sports Medicine & Orthopedics" for x in c[69:72]),
        *(f"{x} Home Health & Hospice" for x in c[77:80]),
        *(f"{rng.choice(last)} Hearing Center" for _ in range(3)),
        *(f"{x} Allergy & Asthma Associates" for x in c[80:83]),
        *(f"{w} Bariatric Institute" for w in _FAC_WORDS[:3]),
        *(f"{w} Care Suites" for w in _FAC_WORDS[3:]),
        *(f"{x} Dialysis Center" for x in c[37:40]),
    })
    used_places = set().union(*({h.lower() for h in s.hospitals + s.facilities} for s in others))
    hospitals = [h for h in hospitals if h.lower() not in used_places]
    facilities = [f for f in facilities if f.lower() not in used_places]
    street_names = tuple(w for w in (*_STREET_WORDS, *last[:100]) if w not in used_streets)
    return Style(
        name="dev5",
        templates=DEV5_TEMPLATES,
        first_male=tuple(male), first_female=tuple(female), last=tuple(last),
        cities=tuple(c),
        street_names=street_names,
        street_suffixes=("Hwy S", "Road North", "Creek Rd", "Hollow Rd", "Mtn Rd", "Ln.", "Ter.", "Pl.",
                         "Street East", "Ave. NE", "Loop", "Street", "Road", "Drive", "Avenue"),
        units=("", "", "", "", "Box {n}", "Space {n}", "Cabin {n}", "Unit {l}-{n}", "#{l}{n}"),
        hospitals=tuple(hospitals), facilities=tuple(facilities),
        email_domains=("bresnan.net", "suddenlink.net", "gci.net", "hawaii.rr.com", "hawaiiantel.net",
                       "pobox.com", "tutanota.com", "posteo.net", "duck.com"),
        web_hosts=("hospice", "fertility", "poison", "hearing", "ect", "lactation"),
        states=_STATES,
        date_formats=DATE_FORMATS,
        random_date_formats=RANDOM_DATE_FORMATS,
        name_forms=("full", "lf", "f_LAST", "LAST_first", "first_linit", "fm_dots", "last", "LF", "mid"),
        age_forms=AGE_FORMS,
        ids=_ids(),
        email_forms=("{last}{first}{nn}@{domain}", "{first}-{f}{nn}@{domain}", "{last}.{first}.{nn}@{domain}",
                     "{f}.{last}{nn}@{domain}"),
        url_forms=("https://{host}.{hslug}.health/{id}", "http://{hslug}.net/~{host}/",
                   "{hslug}.org/{host}/{id}/consent", "https://portal.{hslug}.org/{host}?pt={id}&v=2"),
        bullets=("o ", "{i}] ", "-> ", "{i}: ", "= "),
        vocab=vocab,
        mess=_mess_factory,
        p_old=0.3,
        extra_name_forms=_name_forms,
    )


# ----------------------------------------------------------------------------- templates
DEV5_TEMPLATES = (
    # ------------------------------------------------------------------ discharge
    Template("palliative_consult", "discharge", """\
PALLIATIVE CARE CONSULTATION -- {HOSP}
Requesting: {DR2.f_LAST}, MD (hospitalist)     Date of consult: {D.today:wkday_month_d}
{PT.LF} | {MRN} | {AGE:age_sex}{PT.mf} | rm <<4|6|8>><<12|27|31>>

Reason: goals of care, symptom management in the setting of <<[[glioblastoma]]|[[ALS]]|end-stage [[CHF]]|\
metastatic [[head and neck SCC]]>>.
HPI: {PT.mr} {PT.last} was admitted {D.adm:dmy_slash} with {SX}. PMH: {PMH_INLINE}. Over the past months \
{PT.he} has lost weight and now spends most of the day in bed (PPS 30%).
Symptoms (ESAS): pain 7/10, dyspnea 5/10, anxiety 6/10, appetite 2/10.
Family meeting held at bedside with {PT.his} {REL.rel} {REL.full} (HCP, {PHONE.rel}) and {REL.first}'s \
partner; also present {X.first_linit} (SW) and chaplain {X.full}.
{PT.first} said: "i want to go home to {CITY}, i don't want the tube again."
Code status changed to [[DNR/DNI]], MOLST completed and scanned as \
MOLST_{PT.userid}_{D.today:ddmonyy_low}.pdf.
Recommendations:
{PLAN}
Hospice referral to {FAC} (intake {PHONE.hospice}, fax {FAX}); {PT.his} address on file: {STREET}, {CITY}, \
{STATE} {ZIP}.
Time spent 80 min, >50% counseling.
{DR.fm_dots}, MD, HMDC   beeper {PHONE.dr:beep}
cc: {PCP.LAST_first}; {HOSP2} oncology
"""),
    Template("bariatric_dc", "discharge", """\
{HOSP} Bariatric & Metabolic Surgery -- DISCHARGE INSTRUCTIONS / SUMMARY
Name: {PT.f_LAST}    DOB: {D.dob:dmy_slash}    Hospital no. {MRN}    Visit {ACCT}
Surgeon: {DR.full}, MD, FACS   Date of surgery: {D.proc:MONTH_d_y}   Discharged: {D.dis:MONTH_d_y}

Procedure: laparoscopic <<[[sleeve gastrectomy]]|[[Roux-en-Y gastric bypass]]>> for [[class III obesity]] \
(pre-op BMI <<41|44|52>>), comorbid {PMH_INLINE}.
Course: uneventful. Leak test negative. Tolerated stage 2 diet (clear protein liquids) on POD #1. \
Pain controlled with [[acetaminophen]] liquid and [[Voltaren gel]] was NOT used.
Discharge meds:
{MEDS}
Also [[ursodiol]] 300 mg BID x 6 months, chewable MVI, [[omeprazole]] 40 mg daily.
Diet: 64 oz fluids, 60-80 g protein daily, no straws, no carbonation. Weigh daily; call if wt gain > 3 lb.
Call {PHONE.clinic} (24/7) for fever > 101.5, vomiting, leg swelling, chest pain -- for emergencies dial 911.
Support group: 2nd Tuesday monthly; register at {URL}. Nutrition visit with {X.full}, RD, on {D.fu:y_mon_d}.
Driver for home: {PT.his} {REL.rel}, {REL.f_LAST}. Insurance {HPLAN}.
Rx for [[oxycodone]] 5 mg #6 written by {DR.fl} (DEA {LIC:dea}); PDMP checked.
Discharging RN: {RN.first_linit}     Provider e-signature: {DR.userid} {D.dis:iso} {TIME}
"""),
    Template("ama_inpatient_form", "discharge", """\
{HOSP2}
DISCHARGE AGAINST MEDICAL ADVICE
Form {ID:ama}

Patient name: {PT.full}            Date of birth: {D.dob:mdy_sp}
Medical record no.: {MRN}          Unit: <<4 South|Telemetry|Ortho>>
Admitted {D.adm:mdy_slash} for {DX}; leaving on {D.dis:mdy_slash} at {TIME}.

I, {PT.full}, am leaving {HOSP2} against the advice of my physician, Dr. {DR.last}. The risks of leaving, \
including <<worsening infection, sepsis and death|heart attack, stroke and death|loss of the limb>>, have \
been explained to me in a language I understand<<| (with {X.full}, interpreter ID {ID:interp})>>. \
I release the hospital and its staff from responsibility.
Patient signature: __{PT.first_linit}__     Witness: {RN.full}, RN
<<Patient refused to sign; witnessed by {RN.full} and {X.full} (house supervisor).|>>

Physician note: {AGE:num}-year-old with {PMH_INLINE}, capacity assessed and present (understands, \
appreciates, reasons, communicates a choice). Given prescriptions for {MEDS_INLINE}. Return anytime. \
{PT.He} gave {PT.his} cell as {PHONE.pt} and is staying with {PT.his} {REL.rel} at {STREET}, {CITY}.
Outpatient f/u: {PCP.full} (PCP) on {D.fu:md}; referral faxed {FAX}.
{DR.full}, DO   NPI {LIC:npi}
"""),
    Template("correctional_transfer", "discharge", """\
{CITY} COUNTY JAIL - HEALTH SERVICES UNIT
INTER-FACILITY TRANSFER / DISCHARGE SUMMARY (CONFIDENTIAL)
Inmate: {PT.LAST_first}   DOC # {ID:doc}   BOP reg. {ID:bop}   DOB {D.dob:dmy_dash}
Custody level: <<medium|minimum|max, 2-officer escort>>   Housing <<B-pod|med unit|seg 4>>

Returned from {HOSP} after admission {D.adm:dmy_dash} to {D.dis:dmy_dash} for {DX}.
Hospital course per records (Dr. {DR2.last}): {COURSE}
Current meds (KOP = keep on person; DOT = directly observed):
{MEDS}
[[Suboxone]] NOT continued per facility policy; MAT referral to {X.full}, LCSW ({LIC}).
Allergies {ALLERGY}. PPD read {D.prev:mon_d}: 0 mm.
Emergency contact on file: {REL.full} ({REL.rel}), {PHONE.rel}, {STREET}, {CITY}, {STATE} {ZIP}.
Transport van plate {VEHICLE}; officers {X.LAST_first} and {X.last}.
Sick call in 7 days. Released-to-community date (tentative) {D.next:mon_dash_yy}.
Signed {DR.full}, MD, facility physician -- {D.dis:mdy_slash}
"""),
    # ------------------------------------------------------------------ radiology (and other reports)
    Template("eeg_report", "radiology", """\
ELECTROENCEPHALOGRAM REPORT
{HOSP}   Neurodiagnostic Laboratory   Study {ID:eeg}
{PT.LAST_first}    {MRN}    {AGE:paren_age}    Recorded {D.proc:y_mon_d} {TIME}
Referring: {DR2.fm_dots}     Technologist: {X.fm_dots}, R. EEG T.
File: {PT.userid}_{D.proc:ddmonyy_low}.edf (acquisition workstation {IP}, amplifier {DEVICE:uuid})

Indication: <<new-onset seizure|spells of staring|[[focal epilepsy]], medication change|AMS>>. \
Meds: [[levetiracetam]], [[lorazepam]] PRN.
Technique: 21 electrodes, international 10-20 system, with EKG. Routine 20-minute recording with \
photic stimulation; hyperventilation <<performed|not performed (patient unable)>>.
Background: posterior dominant rhythm <<9|10|7>> Hz, reactive to eye opening. \
<<Intermittent focal slowing over the left temporal region.|Frequent sharp waves at T7/P7.|No epileptiform \
discharges.>> Sleep: stage N2 recorded.
Impression: <<abnormal EEG, left temporal dysfunction|abnormal EEG, potentially epileptogenic focus|normal \
awake and drowsy EEG>>. Clinical correlation advised. A normal EEG does not exclude epilepsy.
{DR.full}, MD, clinical neurophysiology   {D.today:wk_d_mon}
"""),
    Template("emg_ncs_report", "radiology", """\
EMG / NERVE CONDUCTION STUDY
{FAC}   date {D.proc:nth_month_y}
Patient {PT.full} ({PT.mf}, {AGE:paren_yrs})   chart {MRN}   referring {DR2.LAST_first}

History: numbness and tingling of the <<right|left|both>> hand(s), worse at night; [[Phalen sign]] positive. \
PMH {PMH_INLINE}.
NCS: median sensory latency 4.6 ms (nl < 3.5), amplitude 12 uV; median motor latency 5.1 ms, CV 48 m/s; \
ulnar studies normal. Temperature 32 C. Previous study {D.prev:d_mon_y} at {HOSP2}: <<normal|mild CTS>>.
EMG: APB shows <<no|2+ fibrillations and reduced|mild chronic>> recruitment; C5-T1 paraspinals normal.
Impression:
{IMPRESSION}
<<Moderate|Severe|Mild>> median neuropathy at the wrist ([[carpal tunnel syndrome]]), no cervical \
radiculopathy.
Machine serial {DEVICE}. Report e-mailed to {EMAIL.dr} and {HOSP2}.
{DR.full}, MD (PM&R)
"""),
    Template("autopsy_prelim", "radiology", """\
PRELIMINARY ANATOMIC DIAGNOSIS (PAD) -- AUTOPSY {ID:autopsy}
{HOSP} Department of Pathology
Decedent: {PT.f_LAST}      MR {MRN}      Age {AGE:num}      Sex {PT.mf}
Date/time of death: {D.dis:mdy_slash} {TIME}      Autopsy performed: {D.today:mdy_slash}
Attending of record: {DR2.full}; consent for autopsy by {PT.his} {REL.rel}, {REL.full}, \
<<unrestricted|limited to chest and abdomen, no brain>>.

External: well-developed adult, <<[[PEG]] tube|right IJ catheter|sternotomy scar>> present.
Internal:
{IMAGING}
Heart 480 g; lungs R 910 g / L 780 g. Coronary arteries 70% stenosis LAD.
Provisional cause of death: {DX}, contributing {PMH_INLINE}.
Not a medical examiner case (ME {X.last} declined jurisdiction by phone {PHONE.me}).
Prosector: {X.fm_dots}, MD (resident)   Pathologist: {DR.full}, MD ({DR.ini3})   cc: {X.any}
Slides and DICOM images of gross photos (series UID {ID:dicom}) on PACS.
"""),
    Template("radonc_summary", "radiology", """\
RADIATION ONCOLOGY -- TREATMENT SUMMARY
{HOSP}   {CITY}, {STATE}
{PT.lf}  /  {MRN}  /  DOB {D.dob:mdy_ocr}
Radiation oncologist: {DR.full}, MD    Referring: {DR2.full}, MD    Dosimetrist: {X.first_linit}

Diagnosis: <<[[head and neck SCC]], p16+|[[glioblastoma]], IDH wild-type|prostate adenocarcinoma, Gleason \
4+3>>.
Treatment: [[IMRT]] <<70 Gy in 35 fractions|60 Gy in 30 fractions|70.2 Gy in 39 fractions>>, \
{D.proc:MONTH_d_y} to {D.dis:MONTH_d_y}, concurrent <<cisplatin|temozolomide|ADT>>.
Tolerance: grade 2 [[mucositis]], grade 1 dermatitis; weight down 4 kg; no breaks in treatment.
Imaging:
{IMAGING_INLINE}
Follow-up: MRI/PET in 12 weeks ({D.next:mon_dash_yy}); clinic with Dr. {DR.last} {D.fu:wkday_month_d}.
Mask and immobilization device serial {DEVICE} retained for 1 year.
cc: {PCP.f_LAST} ({FAX})
"""),
    Template("audiology_eval", "radiology", """\
AUDIOLOGIC EVALUATION
{FAC}  --  {D.today:dmy_slash}
{PT.f_LAST}   DOB {D.dob:mdy_slash}   {AGE:YO_slash}   Acct {ACCT}
Referred by {DR2.full}, MD, for <<[[tinnitus]] and decreased hearing|failed school screen|\
[[sensorineural hearing loss]] follow-up>>.

Otoscopy: clear canals bilaterally. [[Tympanometry]]: type A AU. [[Rinne test]] positive AU, [[Weber test]] \
midline.
Pure-tone [[audiogram]]: <<mild sloping to moderately-severe SNHL AU|normal hearing through 2 kHz, moderate \
high-frequency loss AD|profound loss AS>>. WRS 88% AD, 76% AS at 70 dB HL.
Recommendations: binaural amplification trial; hearing aids ordered, serials {DEVICE} (R) and \
{DEVICE:mac} (Bluetooth pairing id, L). Noise protection. Annual re-test.
<<Cochlear implant candidacy referral to {HOSP2}.|>>
Results discussed with {PT.first} and {PT.his} {REL.rel} {REL.full}.
{X.full}, AuD, CCC-A   Lic {LIC}   prior audiogram {D.prev:mdy2} by {X.fl}
"""),
    # ------------------------------------------------------------------ progress
    Template("ect_treatment_note", "progress", """\
ECT TREATMENT NOTE -- treatment #<<4|7|9|12>> (<<index|maintenance>> course)
{HOSP}   Interventional Psychiatry   {D.proc:dmy_slash}
{PT.LF}  {MRN}  {AGE:age_sex}{PT.mf}
Psychiatrist: Dr. {DR.last}   Anesthesia: {DR2.f_LAST}, MD   RN: {RN.first}

Dx: [[treatment-resistant depression]]<<| with [[catatonia]]|, bipolar depression>>. PHQ-9 today <<19|12|8>> \
(was 24 at baseline {D.prev:mon_d}). MoCA 27/30.
Pre-procedure: NPO since midnight, consent on file (signed by patient; witness {X.full}).
Anesthesia: [[methohexital]] 1 mg/kg, [[succinylcholine]] 1 mg/kg, [[glycopyrrolate]] 0.2 mg. \
Bite block in place.
Stimulus: right unilateral ultrabrief, <<6x|8x>> seizure threshold. EEG seizure <<42|38|55>> s, \
motor 28 s, good postictal suppression. {VITALS}.
Recovery: reoriented at 20 min, mild HA, no [[confusion]] on exit.
Plan: next treatment {D.fu:wk_d_mon}; {PT.his} {REL.rel} {REL.first} drives (cannot drive for 24 h). \
Lithium held. Contact {PHONE.unit:int} with questions.
{DR.full}, MD
"""),
    Template("ivf_monitoring", "progress", """\
{FAC} -- IVF monitoring visit, cycle {ID:ivf}
{PT.first_linit} ({PT.full}), {AGE:num} y, G<<0|1|2>>P<<0|1>>, DOB {D.dob:mdy_slash}, MRN {MRN}
Partner: {REL.full}   Stim day <<6|8|10>>   {D.today:wkday_month_d}

Dx: <<[[diminished ovarian reserve]], AMH 0.6|[[PCOS]]|male factor>>. Protocol: antagonist, \
[[follitropin alfa]] 225 units + [[Menopur]] 75 units nightly; cetrorelix started day 6.
TVUS: R ovary <<5|8|11>> follicles, lead 17/16/15 mm; L ovary <<4|6|9>> follicles, lead 16/14 mm. \
Lining 9.1 mm, trilaminar.
Labs: {LABS}. Prior cycles: one IUI in <<2017|2019|2021>>, canceled for poor response.
Plan: <<continue same doses, return in 2 days|trigger tonight with [[Ovidrel]] 250 mcg at 2130, [[oocyte \
retrieval]] in 36 h|decrease Menopur>>. Instructions sent via portal; {PT.first} confirmed by phone \
({PHONE.pt}) and email ({EMAIL.pt}).
[[embryo transfer]] planned for <<day 5|frozen cycle>>. Consents for embryo disposition signed {D.prev:iso}.
Nurse coordinator {RN.full}, RN ({PHONE.ivf:ext})   REI: {DR.full}, MD
"""),
    Template("allergy_skin_test", "progress", """\
Allergy & Immunology Clinic   {FAC}
date {D.today:month_d_low}    {PT.lf_lower}    {MRN}    {AGE:paren_age}
Referring: {PCP.full}

CC: <<[[peanut allergy]] -- hives and lip swelling after a cookie on {D.onset:md}|seasonal [[allergic \
rhinitis]]|[[hives]] for 8 weeks>>. Off [[cetirizine]] x 5 days.
[[skin prick testing]] (device lot {DEVICE}): histamine 6 mm, saline 0 mm; peanut <<9|0|4>> mm, tree nut \
mix 0 mm, dust mite 5 mm, cat 3 mm, grass 7 mm. Reading by {X.first_linit}, RN.
Exam: {EXAM_INLINE}. [[albuterol]] given once for mild wheeze, resolved.
Assessment: {DX}. <<[[oral food challenge]] scheduled at {HOSP} on {D.fu:md}|start [[fluticasone nasal]] 2 \
sprays daily|begin [[Zyrtec]] 10 mg BID>>.
[[EpiPen]] 0.3 mg x2 prescribed (Rx {ID:rx}), school action plan given for {PT.his} {REL.rel} \
{REL.first} to take to {CITY} schools; questions: {PHONE.clinic} or {EMAIL.rel}.
Coverage: <<CHIP {HPLAN:chip}|CHIP member {HPLAN:chip}, copay $0>>. Prior testing {D.prev:mdy2}.
Dictated by {DR.full}, MD [voice recognition -- please excuse errors]   cc: {X.any}
"""),
    Template("sports_med_clearance", "progress", """\
SPORTS MEDICINE -- clinic note / return-to-play
{FAC}   {D.today:nth_month_y}
Athlete: {PT.full} ({PT.mf}), {AGE:num} y, <<soccer|wrestling|lacrosse|cross-country>>, {CITY} High School
Athletic trainer: {X.full}, ATC ({PHONE.atc})   Team physician: Dr. {DR.last}

HPI: <<[[concussion]] on {D.onset:md} after head-to-head contact; no LOC|inversion injury R ankle, \
[[ankle pain]] since {D.onset:md}|[[lateral epicondylitis]] from weight training>>.
SCAT5 symptom score 3/132 (was 41). ImPACT back to baseline. Strength 5/5 all extremities, sensation \
intact, [[Apley test]] negative, [[Lachman test]] negative.
Assessment: {DX}; {PROC} not needed.
Front desk msg {D.onset:month_d_low} {TIME}: "hi its {REL.first}, {PT.first}'s parent, pls call me back at \
{PHONE.rel} about the form for coach {X.last}, thx".
Plan: graduated return-to-play, stage <<3|4|5>> of 6; [[naproxen]] 500 mg BID with food x 7 days.
Cleared for <<non-contact practice|full contact|no activity>> as of {D.fu:mdy_slash}; recheck on the \
{D.lab:nth}. Form faxed to school ({FAX}). Parent {REL.full} in agreement (ID checked, driver's licence \
{LIC:dl}).
{DR.full}, MD, CAQSM
"""),
    Template("interpreter_visit", "progress", """\
Primary care follow-up (interpreter-mediated) -- {HOSP2} Family Medicine
{D.today:mdy_slash}   {PT.full}   MRN {MRN}   {AGE:in_years}
Language: <<Armenian|Greek|Georgian|Macedonian>>. Interpreter: {X.full}, ID {ID:interp}, via <<video \
(cart {IP})|phone, 1-800 language line|in person>>. {PT.His} {REL.rel} {REL.first} was present but \
did not interpret.

S: "the sugar is high in the mornings" (via interpreter). Moved to the US in <<1998|2004|2011>>; \
quit smoking in <<2009|2016>>. Home glucose 150-210. Taking [[metformin]] \
1000 mg BID. {ROS}.
O: {VITALS}. {EXAM_INLINE}. A1c 8.4%.
A/P:
{PLAN}
Teach-back done through interpreter. Diabetes educator {RN.first_linit} to call {PHONE.pt}.
Address updated to {STREET}, {CITY}, {STATE} {ZIP}; new plan {HPLAN:medicare}.
Next visit {D.fu:month_d_y}; book interpreter for 40 min.
{DR.full}, MD
"""),
    # ------------------------------------------------------------------ ed
    Template("poison_center_call", "ed", """\
REGIONAL POISON CENTER -- case {ID}
Call received {D.adm:iso} {TIME} from <<ED RN|caller at home|EMS>>; callback {PHONE.caller}
Caller: {REL.full} ({REL.rel})    Patient: {PT.first_linit}, {AGE:num} y/o {PT.sex}, {CITY}

Exposure: <<[[acetaminophen]] extra strength, est. 30 tablets|grandmother's [[digoxin]] 0.125 mg x 6|\
ethylene glycol (antifreeze), one swallow|unknown mushroom>>, <<intentional|unintentional>>, \
about 4 h before call.
Symptoms: {SX}. Vitals per ED: {VITALS}.
Recommendations: refer to ED ({HOSP}); 4-hour [[APAP level]]; <<start [[acetylcysteine]] 150 mg/kg \
load|[[fomepizole]] 15 mg/kg IV|digoxin-specific Fab if K > 5>>; ECG; LFTs.
Follow-up call {D.adm:md} {TIME} to {HOSP} ED ({PHONE.ed}): level <<142|88|210>> mcg/mL, treatment \
started. Case closed {D.dis:y_doy} by specialist {X.full}, CSPI.
Public number for the caller: Poison Control 1-800-222-1222; in an emergency call 911.
Toxicologist on call: {DR.full}, MD
"""),
    Template("nurse_triage_line", "ed", """\
NURSE ADVICE LINE -- call {ID:call}
{D.adm:MONTH_d_y} {TIME}   inbound from {PHONE.caller:uri}
caller: {REL.lf_lower} ({REL.rel}) calling about {PT.lf_lower}, {AGE:n_slash}{PT.mf}
PCP on file: {PCP.full}   Plan {HPLAN}

Complaint (caller's words): "<<{PT.he} has had a fever since {D.onset:month_d_low} and now {PT.he} is \
breathing fast|{PT.he} fell in the bathroom and cant get up|the rash is spreading up {PT.his} legs>>."
Protocol: <<Fever - Adult|Falls|Rash - Widespread>> (Schmitt-Thompson). Positive: {SX}. \
Negative: chest pain, confusion, bleeding.
Disposition: <<go to ED now -- caller will drive to {HOSP}|call 911 -- caller agreed|see PCP within \
24 h, appointment made for {D.fu:md}>>. Care advice given; call back if worse.
Last office visit {D.prev:mdy2} with {PCP.fl}. \
Callback verified {PHONE.caller:uri}; alt number {PHONE.alt}. Address for EMS: {STREET}, {CITY} {ZIP}.
{RN.full}, RN -- line {PHONE.rn:int}
"""),
    Template("ed_inmate_visit", "ed", """\
ED PROVIDER NOTE
{HOSP}   arrival {D.adm:dmy_slash} {TIME}   ESI 3
{PT.LF}, {AGE:n_slash}{PT.mf}   MRN {MRN}   in custody of {CITY} County Jail \
(DOC {ID:doc}); 2 officers at bedside \
({X.LAST_first}, badge on file)

HPI: {SX} x 2 days, <<swallowed a foreign body (pen spring)|assaulted, struck in face|[[hypoglycemia]] on \
unit>>. Hx {PMH_INLINE}. Meds per facility MAR: {MEDS_INLINE}.
Exam: {EXAM_INLINE}. Shackles on ankles, removed for CT at officer discretion.
Studies: {IMAGING_INLINE}
MDM: {DX}; <<no surgical emergency, GI to see|facial fractures non-operative|dextrose given, stable>>.
Dispo: back to facility; discharge paperwork given to Officer {X.last}. Facility nurse {X.full} called at \
{PHONE.fac} -- report given. Facility fax {FAX}.
Transport: county van {VEHICLE}.
{DR.full}, MD   {D.adm:wk_d_mon}
"""),
    Template("ed_animal_bite", "ed", """\
ED visit - dog bite
{PT.f_LAST}  {AGE:paren_yrs}  MRN {MRN}  seen {D.adm:y_mon_d} {TIME}
Triage RN: {RN.first_linit}    Provider: {DR.fm_dots}, PA-C

Bitten on the <<R hand|L calf|face>> by <<neighbour's dog, vaccinated per owner|a stray dog|a cat>> \
at {STREET} ({CITY}) about 3 h PTA. Owner: {X.full}, phone {PHONE.owner}.
Tdap last {D.prev:mon_dash_yy}<<| -- unknown>>. Allergies {ALLERGY}.
Exam: 2 puncture wounds, 1.5 cm lac, no tendon involvement, cap refill < 2 s, sensation intact.
Irrigated with 500 mL NS; loosely approximated. [[Augmentin]] 875 mg BID x 5 days. Rabies PEP <<not \
indicated, dog to be observed 10 days|started: RIG + vaccine day 0; next doses {D.fu:md}>>.
Animal control notified, report {ID:animal}; officer {X.LAST_first} ({PHONE.ac}).
Wound check in 48 h at {FAC}. Return for redness, pus, fever.
"""),
    # ------------------------------------------------------------------ nursing (ALL CAPS)
    Template("nicu_flowsheet", "nursing", """\
NICU NURSING FLOWSHEET {D.today:dmy_slash} 0700-1900
BABY BOY/GIRL {PT.last}   BAND {ID:nicu}   MRN {MRN}   GA 29+<<3|5>> WK, DOL <<6|12|19>>
MOTHER {REL.f_LAST} (MRN {MRN:mother}), PHONE {PHONE.rel}
ISOLETTE SN {DEVICE}  PUMP SN {DEVICE:uuid}

RESP: CPAP +6, FIO2 <<0.23|0.30>>, [[CAFFEINE CITRATE]] 5 MG/KG DAILY. 2 BRADY EPISODES SELF-RESOLVED.
CV: HR 150S, {VITALS}. NO MURMUR.
FEN/GI: OG FEEDS MBM 24 KCAL 22 ML Q3H, TOLERATING. BILI {LABS}. PHOTOTX <<ON|OFF>>.
ID: [[AMPICILLIN]]/[[GENTAMICIN]] D/C'D AFTER 48H RULE OUT, CX NEG.
NEURO: [[MORO REFLEX]] PRESENT, FONTANELLE SOFT/FLAT. HUS {D.prev:md} NO IVH.
FAMILY: {REL.first} AND {PT.his} DAD {X.full} IN FOR CARE TIMES, KANGAROO CARE 1 HR. CAR SEAT TEST \
PENDING. PARENTS GIVEN CAMERA LINK {URL}.
{RN.full} RN ({RN.ini2}) / NEONATOLOGIST DR {DR.last}
""", upper=True),
    Template("oasis_soc", "nursing", """\
OASIS-E START OF CARE  --  {FAC}
M0010 CMS CERT #: ON FILE     M0020 PATIENT ID: {ID:oasis}     M0030 SOC DATE: {D.today:mdy_sp}
M0040 NAME: {PT.LAST_first}   M0050 STATE: {STATE}   M0060 ZIP: {ZIP}   M0063 MEDICARE #: {HPLAN:medicare}
M0064 SSN: {SSN}   M0066 DOB: {D.dob:mdy_sp}   M0069 GENDER: {PT.mf}
ADDRESS {STREET}, {CITY}. CAREGIVER {REL.full} ({REL.rel}) {PHONE.rel}
REFERRING PHYSICIAN {DR.full}, NPI {LIC:npi}. INPATIENT DC {D.dis:mdy_sp} FROM {HOSP}.

M1021 PRIMARY DX: {DX}.  OTHER: {PMH_INLINE}.
M1800-M1860 ADLS: NEEDS ASSIST WITH BATHING, AMBULATES WITH WALKER 50 FT. FALL RISK (TUG 19 SEC).
MEDS RECONCILED: {MEDS_INLINE}. HIGH-RISK DRUG CLASSES: ANTICOAGULANT.
VITALS {VITALS}. PAIN 3/10. SKIN INTACT. HOME SAFETY: THROW RUGS REMOVED, GRAB BARS NEEDED.
PLAN: SN 2W4, PT 2W3, OT EVAL. NEXT VISIT {D.fu:md}. 911 AND AGENCY ON-CALL {PHONE.agency} REVIEWED.
{RN.full}, RN  ({RN.userid})  GPS CHECK-IN {IP}
""", upper=True),
    Template("lactation_rounds", "nursing", """\
LACTATION CONSULT {D.today:wk_d_mon} {TIME}
MOM {PT.full}  {AGE:YO_slash}  G<<1|2|3>>P<<1|2>>  MRN {MRN}  RM <<2|3>>0<<4|8>>  PEDS: DR {DR2.last}
INFANT {X.first} {PT.last}, DOB {D.adm:md}, BAND {ID:nicu}, BW 3.<<1|4|6>> KG, DOWN 7% TODAY.

CONCERN: [[POOR LATCH]] L BREAST, NIPPLE TRAUMA. TONGUE TIE NOTED -> \
[[FRENOTOMY]] DISCUSSED WITH DR {DR.last}.
OBSERVED FEED: DEEP LATCH ACHIEVED WITH FOOTBALL HOLD, AUDIBLE SWALLOWS, 15 MIN EACH SIDE. LATCH SCORE 8/10.
PUMP: HOSPITAL-GRADE RENTAL, SN {DEVICE}, DEPOSIT ON {REL.rel} {REL.full}'S CARD.
SUPPLEMENT 10 ML EBM BY SPOON. OUTPATIENT LACTATION {D.fu:md} AT {FAC}.
WARMLINE {PHONE.warm}. {PT.his} INSURANCE {HPLAN}, WIC REFERRAL SENT.
{RN.full}, IBCLC
""", upper=True),
    Template("jail_med_pass", "nursing", """\
{CITY} COUNTY JAIL INFIRMARY - MED PASS / NURSING NOTE {D.today:dmy_slash}
INMATE {PT.LAST_first}  BOOKING {ID:doc}  DOB {D.dob:dmy_slash}  CELL <<C|D>>-<<12|14|21>>
{AGE:n_slash}{PT.mf}. ALLERGIES {ALLERGY}.

0800 DOT MEDS: {MEDS_INLINE} -- MOUTH CHECK DONE. REFUSED [[QUETIAPINE]] AT 2000 (SIGNED REFUSAL).
CIWA 6, COWS 4. {VITALS}. [[ROMBERG]] NEG. HEP B SERIES COMPLETED 2019, FLU SHOT REFUSED.
SICK CALL SLIP: "MY TOOTH HURTS AND I NEED MY INHALER" -- [[ALBUTEROL]] MDI ISSUED KOP.
OUTSIDE APPT {HOSP} {D.fu:md}, TRANSPORT PLATE {VEHICLE}. ESCORT SGT {X.last}.
PHONE CALL APPROVED TO {REL.rel} {REL.full} AT {PHONE.rel}. COMMISSARY ACCT {ACCT:ar}.
{RN.full}, LPN ({RN.ini})   REVIEWED BY {DR.fm_dots}, NP
""", upper=True),
)
