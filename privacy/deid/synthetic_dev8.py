"""DEV8 world of the synthetic note generator: the eighth held-out world, retired after it was measured once.

It was written as a held-out world (without looking at the recognizers, lexicons or engine) and measured once
(leak 5.46%, see README); it is now open for tuning, and the next figures come from a fresh held-out world
(synthetic_heldout.py).

What differs from tuning (synthetic.py) and dev, dev2 ... dev7 (synthetic_dev*.py), on purpose:
- other kinds of documents, mapped onto NOTE_KINDS: Hansen's-disease program discharges, residential
  eating-disorder discharges, LVAD implant discharges and TB isolation releases (discharge); barium
  esophagrams, vascular duplex reports, nuclear SPECT stress studies and thyroid uptake scans (radiology);
  Mohs surgery notes, PrEP clinic visits, FAA aviation medical exams and IRB adverse-event reports
  (progress); hazmat decontamination records, scuba dive incident reports, livestock zoonosis visits and
  mass-casualty triage tags (ed); ALL-CAPS sterile compounding logs, TB directly-observed-therapy logs,
  plasma donation logs and meal-support logs (nursing);
- formats none of the earlier worlds writes: dates "4.III.2021" (Roman-numeral month), "4 MARCH 2021",
  "2021 03 04", "04.Mar.2021", "2021_03_04", "Thursday 4 March 2021", "2021-03", "MAR 4 2021",
  "3\\4\\2021", "21063" (Julian YYDDD), "202103040930" (HL7 timestamp); ages "92 yr. old", "92 y/old",
  "Age - 92", "age at visit 92", "92YO", "92-y"; names "OKAFOR Chidi", "Okafor Chidi" (no comma),
  "C.Okafor", "Okafor (Chidi)", lower-case first names; phones "[314] 555-0134", "314.555.0134 ext 22",
  "314-5550134", foreign "+94 77 123 4567" / "+972 54-123-4567"; slashed and underscored SSNs; Q-dash,
  dotted, H-space and site-suffixed MRNs; encounter-year, "-01"-suffixed and "A:" accounts; Molina,
  Anthem, AHCCCS and Ryan White plan ids; AME, PTCB, RDN, PADI and FAA certificate numbers, Nevada,
  Arizona and Colorado driver's licences; LVAD pump and controller, dive computer, apheresis machine and
  laminar-flow hood serials; aircraft tail numbers, boat hull ids and spaced plates; IRB protocol, study
  subject, decon tag, MCI triage tag, TB case, compounding Rx, plasma donor, FAA application, Mohs
  specimen and nuclear medicine ids; zero-padded and bracketed IPv6 addresses;
- its own messiness (mojibake "â€™" from UTF-8 read as Windows-1252, RTF "\\par" leftovers,
  quoted-printable soft line breaks "=" and "=20", zero-width spaces, soft hyphens), applied to literal text
  only;
- name and place pools disjoint from all seven earlier worlds: names romanised from Sinhala, Hebrew, Persian
  and Arabic (Faker locales no earlier world uses), invented Andean-like surnames and Frisian-like given
  names, and names that are ordinary English words no earlier world uses (candidates an earlier world already
  has are dropped); cities of the desert Southwest, Texas, Florida, the lower Midwest and Delmarva; other
  street, hospital and facility naming patterns ("Baptist Health X", "Hospital de X", "X Plasma Center");
- non-PHI look-alikes left unlabelled: ages <= 89 in every age form, compounding lot numbers and NDCs marked
  not PHI, LVAD speeds, isotope doses, dive depths, FAA medical classes, CPT codes, public numbers (Poison
  Control 1-800-222-1222, CHEMTREC 1-800-424-9300, 988, 911).
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import re
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
    faker_names,
    letters,
    name_pool_words,
    ssn_value,
    tuning_style,
)
from medfl.privacy.deid.synthetic_dev import dev_style
from medfl.privacy.deid.synthetic_dev2 import dev2_style
from medfl.privacy.deid.synthetic_dev3 import dev3_style
from medfl.privacy.deid.synthetic_dev4 import dev4_style
from medfl.privacy.deid.synthetic_dev5 import dev5_style
from medfl.privacy.deid.synthetic_dev6 import _abugida, dev6_style
from medfl.privacy.deid.synthetic_dev7 import dev7_style

# ----------------------------------------------------------------------------- clinical vocabulary
_EXTRA_VOCAB = {
    "drugs": (
        ("dapsone", "100 mg"), ("rifampin", "600 mg"), ("clofazimine", "50 mg"), ("isoniazid", "300 mg"),
        ("pyrazinamide", "1500 mg"), ("ethambutol", "1200 mg"), ("pyridoxine", "25 mg"),
        ("emtricitabine-tenofovir", "200/300 mg"), ("Truvada", "1 tab"), ("Descovy", "1 tab"),
        ("cabotegravir", "600 mg"), ("regadenoson", "0.4 mg"), ("Lexiscan", "0.4 mg"),
        ("technetium-99m sestamibi", "10 mCi"), ("sodium iodide I-123", "200 uCi"), ("methimazole", "10 mg"),
        ("olanzapine", "2.5 mg"), ("thiamine", "100 mg"), ("phosphorus supplement", "250 mg"),
        ("bivalirudin", "0.15 mg/kg/h"), ("milrinone", "0.25 mcg/kg/min"), ("hydroxocobalamin", "5 g"),
        ("atropine", "2 mg"), ("pralidoxime", "1 g"), ("calcium gluconate gel", "2.5%"),
        ("imiquimod", "5% cream"), ("mupirocin", "2% ointment"), ("doxycycline hyclate", "100 mg"),
    ),
    "dx": (
        "Hansen's disease", "lepromatous leprosy", "erythema nodosum leprosum", "anorexia nervosa",
        "refeeding syndrome", "pulmonary tuberculosis", "latent TB infection", "HFrEF with LVAD",
        "driveline infection", "basal cell carcinoma", "squamous cell carcinoma", "achalasia",
        "Zenker's diverticulum", "carotid stenosis", "toxic multinodular goiter", "decompression sickness",
        "arterial gas embolism", "brucellosis", "Q fever", "orf", "chlorine gas inhalation",
        "organophosphate poisoning", "HIV pre-exposure prophylaxis",
    ),
    "symptoms": ("joint pain after diving", "skin mottling", "burning eyes", "numb feet", "dysphagia",
                 "early satiety", "night sweats"),
    "procedures": (
        "Mohs micrographic surgery", "LVAD implantation", "barium esophagram", "carotid duplex",
        "venous duplex", "SPECT myocardial perfusion imaging", "radioactive iodine uptake",
        "plasmapheresis", "recompression therapy", "decontamination shower", "skin slit smear",
        "sputum AFB smear", "driveline dressing change", "nasogastric feeding", "flap closure",
    ),
    "signs": ("Chvostek sign", "Trousseau sign", "Russell's sign", "Lhermitte sign", "Pemberton sign",
              "Levine sign", "Kussmaul breathing", "Hoover sign", "Battle sign", "Beck's triad",
              "von Graefe sign", "Dalrymple sign", "Stellwag sign", "Hamman sign", "Stemmer sign",
              "Carnett sign", "Psoas sign", "Courvoisier sign", "Lasegue sign", "Yergason test",
              "Gaenslen test"),
    "labs": (("phosphorus", "{:.1f}", 1.2, 4.5), ("LDH", "{:.0f}", 180, 900), ("TSH", "{:.2f}", 0.01, 4.5),
             ("free T4", "{:.1f}", 0.8, 4.2), ("cholinesterase", "{:.0f}", 900, 4000),
             ("HIV Ag/Ab", "{:.0f}", 0, 0)),
    "allergies": ("isoniazid (hepatitis)", "iodine contrast (hives)", "nickel (rash)",
                  "chlorhexidine (itch)"),
}


def _vocab() -> dict[str, tuple]:
    vocab = dict(VOCAB)
    for k, extra in _EXTRA_VOCAB.items():
        vocab[k] = tuple(vocab[k]) + extra
    return vocab


# ----------------------------------------------------------------------------- dates
_WEEKDAY = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

DATE_FORMATS: dict[str, Callable[[dt.date], str]] = {
    # the forms issue 3 names (also in tuning) ...
    **{k: TUNING_DATE_FORMATS[k] for k in ("md", "mon_d", "d_mon_y", "iso", "mdy2", "nth", "mdy_slash",
                                           "month_d_y")},
    # ... and forms no earlier world writes
    "roman_month": lambda d: f"{d.day}.{_ROMAN[d.month]}.{d.year}",                 # 4.III.2021
    "d_MONTH_y_caps": lambda d: f"{d.day} {MONTH[d.month].upper()} {d.year}",       # 4 MARCH 2021
    "y_m_d_sp": lambda d: f"{d.year} {d.month:02d} {d.day:02d}",                    # 2021 03 04
    "dd_mon_y_dot": lambda d: f"{d.day:02d}.{MON[d.month]}.{d.year}",               # 04.Mar.2021
    "ymd_under": lambda d: f"{d.year}_{d.month:02d}_{d.day:02d}",                   # 2021_03_04
    # Thursday 4 March 2021
    "wd_d_month_y": lambda d: f"{_WEEKDAY[d.weekday()]} {d.day} {MONTH[d.month]} {d.year}",
    "yyyy_mm": lambda d: f"{d.year}-{d.month:02d}",                                 # 2021-03
    "MON_d_y_caps": lambda d: f"{MON[d.month].upper()} {d.day} {d.year}",           # MAR 4 2021
    "mdy_backslash": lambda d: f"{d.month}\\{d.day}\\{d.year}",                     # 3\4\2021
    "julian_yyddd": lambda d: f"{d.year % 100:02d}{d.timetuple().tm_yday:03d}",     # 21063
    # 202103041722 (HL7 timestamp; the time is a fixed function of the day)
    "hl7_ts": lambda d: f"{d:%Y%m%d}{d.toordinal() * 7 % 24:02d}{d.toordinal() * 13 % 60:02d}",
}
RANDOM_DATE_FORMATS = ("mdy_slash", "mdy_slash", "md", "mdy2", "iso", "mon_d", "roman_month", "dd_mon_y_dot",
                       "y_m_d_sp", "MON_d_y_caps", "month_d_y", "wd_d_month_y", "d_MONTH_y_caps")

AGE_FORMS = {
    "yr_dot_old": ("", " yr. old"), "y_slash_old": ("", " y/old"), "age_dash": ("Age - ", ""),
    "age_at_visit": ("age at visit ", ""), "yo_glued_caps": ("", "YO"), "y_hyphen": ("", "-y"),
    "num": ("", ""),
}


# ----------------------------------------------------------------------------- identifiers
AREA_CODES = ("702", "775", "725", "928", "480", "520", "623", "435", "801", "385", "719", "970", "575",
              "505", "915", "432", "325", "956", "361", "830", "239", "941", "863", "352", "850", "772",
              "812", "765", "260", "574", "740", "937", "419", "302", "410", "443", "717", "814", "760",
              "442", "951")


def _parts(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(AREA_CODES), str(rng.randint(230, 989)), digits(rng, 4)


def tel_bracket(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"[{a}] {b}-{c}"


def tel_dot_ext(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}.{b}.{c} ext {rng.randint(2, 899)}"


def tel_dash7(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}-{b}{c}"


def tel_dots_plain(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}.{b}.{c}"


def tel_foreign(rng: random.Random) -> str:  # relatives abroad: Sri Lanka, Israel, Iran, Jordan
    return rng.choice((f"+94 7{rng.randint(0, 8)} {digits(rng, 3)} {digits(rng, 4)}",
                       f"+972 5{rng.randint(0, 8)}-{digits(rng, 3)}-{digits(rng, 4)}",
                       f"+98 9{digits(rng, 2)} {digits(rng, 3)} {digits(rng, 4)}",
                       f"+962 7 {digits(rng, 4)} {digits(rng, 4)}"))


def fax_bracket(rng: random.Random) -> str:
    return tel_bracket(rng)


def fax_dash7(rng: random.Random) -> str:
    return tel_dash7(rng)


def ssn_slash(rng: random.Random) -> str:
    return ssn_value(rng, "/")


def ssn_under(rng: random.Random) -> str:
    return ssn_value(rng, "_")


def ssn_classic(rng: random.Random) -> str:
    return ssn_value(rng, "-")


def mrn_q_dash(rng: random.Random) -> str:
    return f"Q{digits(rng, 2)}-{digits(rng, 5)}"


def mrn_dot3(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 2)}.{digits(rng, 3)}.{digits(rng, 3)}"


def mrn_h_space(rng: random.Random) -> str:
    return f"H {rng.randint(1, 9)}{digits(rng, 6)}"


def mrn_site_suffix(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 6)}/{rng.choice(('LV', 'PH', 'TU', 'EP', 'MS'))}"


def acct_enc_year(rng: random.Random) -> str:
    return f"ENC-{rng.randint(2012, 2024)}-{digits(rng, 7)}"


def acct_suffix01(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 7)}-{rng.randint(1, 9):02d}"


def acct_colon_a(rng: random.Random) -> str:
    return f"A:{digits(rng, 9)}"


def hp_molina(rng: random.Random) -> str:
    return f"MOL{digits(rng, 9)}"


def hp_anthem3(rng: random.Random) -> str:
    return f"{letters(rng, 3)}{digits(rng, 3)}W{digits(rng, 5)}"


def hp_ahcccs(rng: random.Random) -> str:  # Arizona Medicaid
    return f"A{digits(rng, 8)}"


def hp_ryan_white(rng: random.Random) -> str:
    return f"RW-{digits(rng, 5)}-{letters(rng, 2)}"


def lic_ame(rng: random.Random) -> str:  # FAA aviation medical examiner designation
    return f"AME {digits(rng, 2)}-{digits(rng, 5)}"


def lic_ptcb(rng: random.Random) -> str:
    return f"PTCB {digits(rng, 6)}"


def lic_rdn(rng: random.Random) -> str:
    return f"RDN-{digits(rng, 7)}"


def lic_padi(rng: random.Random) -> str:
    return f"{rng.randint(10, 99)}{digits(rng, 2)}{letters(rng, 1)}{digits(rng, 4)}"


def lic_faa_cert(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 6)}"


def dl_nv10(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 9)}"


def dl_az_d(rng: random.Random) -> str:
    return f"D{digits(rng, 8)}"


def dl_co(rng: random.Random) -> str:
    return f"{digits(rng, 2)}-{digits(rng, 3)}-{digits(rng, 4)}"


def dev_lvad_pump(rng: random.Random) -> str:
    return f"MLP-{digits(rng, 6)}"


def dev_lvad_ctrl(rng: random.Random) -> str:
    return f"SC{digits(rng, 5)}{letters(rng, 1)}"


def dev_dive_comp(rng: random.Random) -> str:
    return f"{rng.choice(('PX', 'TX', 'DC'))}{digits(rng, 2)}-{letters(rng, 2).lower()}{digits(rng, 4)}"


def dev_apheresis(rng: random.Random) -> str:
    return f"PCS2-{letters(rng, 1)}{digits(rng, 6)}"


def dev_hood(rng: random.Random) -> str:  # laminar-flow hood / compounding aseptic isolator
    return f"LAFW-{digits(rng, 4)}-{letters(rng, 1)}"


def aircraft_tail(rng: random.Random) -> str:
    return f"N{rng.randint(1, 9)}{digits(rng, rng.randint(1, 3))}{letters(rng, rng.randint(0, 2))}"


def hull_id(rng: random.Random) -> str:  # boat hull identification number
    return f"{letters(rng, 3)}{digits(rng, 5)}{letters(rng, 1)}{rng.randint(1, 9)}{digits(rng, 2)}"


def plate_space4(rng: random.Random) -> str:
    return f"{letters(rng, 3)} {digits(rng, 4)}"


def irb_protocol(rng: random.Random) -> str:
    return f"IRB-{rng.randint(2012, 2024)}-{digits(rng, 4)}"


def subject_id(rng: random.Random) -> str:
    return f"{digits(rng, 3)}-{digits(rng, 4)}"


def decon_tag(rng: random.Random) -> str:
    return f"HZ{rng.randint(12, 24)}-{digits(rng, 4)}"


def mci_tag(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 6)}"


def tb_case(rng: random.Random) -> str:
    return f"TB{rng.randint(12, 24)}{letters(rng, 1)}{digits(rng, 4)}"


def rx_compound(rng: random.Random) -> str:
    return f"CPD{digits(rng, 6)}"


def plasma_donor(rng: random.Random) -> str:
    return f"PD{digits(rng, 7)}"


def faa_app(rng: random.Random) -> str:  # MedXPress confirmation
    return f"MX{letters(rng, 2)}{digits(rng, 6)}"


def mohs_specimen(rng: random.Random) -> str:
    return f"MS{rng.randint(12, 24)}-{digits(rng, 4)}{rng.choice('ABCD')}"


def nm_acc(rng: random.Random) -> str:  # nuclear medicine accession
    return f"NM{digits(rng, 7)}"


def fluoro_acc(rng: random.Random) -> str:
    return f"FL-{digits(rng, 6)}"


def vasc_acc(rng: random.Random) -> str:
    return f"VL{digits(rng, 2)}.{digits(rng, 5)}"


def dive_log(rng: random.Random) -> str:
    return f"#{rng.randint(40, 2400)}"


def ip_zero_pad(rng: random.Random) -> str:
    return f"010.{rng.randint(0, 255):03d}.{rng.randint(0, 255):03d}.{rng.randint(2, 254):03d}"


def ip_v6_bracket(rng: random.Random) -> str:
    return f"[2001:db8:{rng.randint(1, 65535):x}::{rng.randint(1, 65535):x}]:{rng.choice((443, 8443, 4242))}"


def ip_172_plain(rng: random.Random) -> str:
    return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"


def _ids() -> dict[str, tuple]:
    return {
        "PHONE": (tel_bracket, tel_dash7, tel_dots_plain, tel_bracket, tel_dot_ext),
        "PHONE:foreign": (tel_foreign,),
        "FAX": (fax_bracket, fax_dash7),
        "SSN": (ssn_slash, ssn_under, ssn_classic),
        "MRN": (mrn_q_dash, mrn_dot3, mrn_h_space, mrn_site_suffix),
        "ACCT": (acct_enc_year, acct_suffix01, acct_colon_a),
        "HPLAN": (hp_molina, hp_anthem3, hp_ahcccs),
        "HPLAN:rw": (hp_ryan_white,),
        "LIC": (lic_ame, lic_ptcb, lic_rdn),
        "LIC:ame": (lic_ame,),
        "LIC:ptcb": (lic_ptcb,),
        "LIC:rdn": (lic_rdn,),
        "LIC:padi": (lic_padi,),
        "LIC:faa": (lic_faa_cert,),
        "LIC:dl": (dl_nv10, dl_az_d, dl_co),
        "DEVICE": (dev_lvad_pump, dev_dive_comp, dev_apheresis, dev_hood),
        "DEVICE:pump": (dev_lvad_pump,),
        "DEVICE:ctrl": (dev_lvad_ctrl,),
        "DEVICE:dive": (dev_dive_comp,),
        "DEVICE:aph": (dev_apheresis,),
        "DEVICE:hood": (dev_hood,),
        "VEHICLE": (plate_space4, plate_space4, hull_id),
        "VEHICLE:tail": (aircraft_tail,),
        "VEHICLE:hull": (hull_id,),
        "ID": (subject_id, nm_acc, fluoro_acc),
        "ID:irb": (irb_protocol,),
        "ID:subj": (subject_id,),
        "ID:decon": (decon_tag,),
        "ID:mci": (mci_tag,),
        "ID:tb": (tb_case,),
        "ID:rx": (rx_compound,),
        "ID:donor": (plasma_donor,),
        "ID:faa": (faa_app,),
        "ID:mohs": (mohs_specimen,),
        "ID:nm": (nm_acc,),
        "ID:fl": (fluoro_acc,),
        "ID:vl": (vasc_acc,),
        "ID:dive": (dive_log,),
        "IP": (ip_zero_pad, ip_v6_bracket, ip_172_plain),
    }


# ----------------------------------------------------------------------------- name forms
def _name_forms(p) -> dict[str, str]:
    return {
        "LAST_first": f"{p.last.upper()} {p.first}",            # OKAFOR Chidi (European registry style)
        "last_first_sp": f"{p.last} {p.first}",                 # Okafor Chidi (no comma)
        "fdotlast": f"{p.first[0]}.{p.last}",                   # C.Okafor
        "last_paren_first": f"{p.last} ({p.first})",            # Okafor (Chidi)
        "first_low": p.first.lower(),                           # chidi
    }


# ----------------------------------------------------------------------------- messiness
_MOJIBAKE = (("'", "\u00e2\u20ac\u2122"), (" -- ", " \u00e2\u20ac\u201d "), (" - ", " \u00e2\u20ac\u201c "),
             ("\u00b0", "\u00c2\u00b0"))


def _mess_factory(rng: random.Random, level: float = 0.08) -> Callable[[str], str]:
    """Literal text -> messier literal text; the first and last character of a piece are kept, so a
    neighbouring PHI value keeps its word boundaries."""

    def mess(s: str) -> str:
        if len(s) < 4:
            return s
        head, mid, tail = s[0], s[1:-1], s[-1]
        r = rng.random()
        if r < 1.3 * level:  # UTF-8 read as Windows-1252 by an interface engine
            hits = [(a, b) for a, b in _MOJIBAKE if a in mid]
            if hits:
                a, b = rng.choice(hits)
                mid = mid.replace(a, b, 1)
        elif r < 2.0 * level:  # RTF control word left over from a word-processor template
            i = mid.find("\n")
            if 0 < i:
                mid = mid[:i] + rng.choice(("\\par", " \\par", "\\line")) + mid[i:]
        elif r < 2.8 * level:  # quoted-printable e-mail export: soft line break or encoded blank
            m = re.search(r"[a-z]{3} [a-z]{3}", mid)
            if m:
                i = m.start() + 3
                mid = mid[:i] + rng.choice(("=\n", " =\n", "=20\n")) + mid[i + 1:]
        elif r < 3.6 * level:  # zero-width space pasted from a web form
            m = re.search(r"[a-z] [a-z]", mid)
            if m:
                mid = mid[:m.start() + 1] + rng.choice(("\u200b ", " \u200b")) + mid[m.start() + 2:]
        elif r < 4.4 * level:  # soft hyphen inside a long word (hyphenation hint from a layout tool)
            m = re.search(r"[a-z]{5}([a-z]{4,})", mid)
            if m:
                mid = mid[:m.start(1)] + "\u00ad" + mid[m.start(1):]
        return head + mid + tail

    return mess


# ----------------------------------------------------------------------------- transliteration
# Sinhala is an abugida like Devanagari: consonants carry an inherent "a" unless a vowel sign or the
# al-lakuna (virama) follows.
_SINH_CONS = dict(zip("කඛගඝඞඟචඡජඣඤඥටඨඩඪණඬතථදධනඳපඵබභමඹයරලවශෂසහළෆ",
                      ("k", "kh", "g", "gh", "ng", "ng", "ch", "chh", "j", "jh", "ny", "gn", "t", "th", "d",
                       "dh", "n", "nd", "th", "th", "d", "dh", "n", "nd", "p", "ph", "b", "bh", "m", "mb",
                       "y", "r", "l", "w", "sh", "sh", "s", "h", "l", "f"), strict=True))
_SINH_VOW = dict(zip("අආඇඈඉඊඋඌඑඒඓඔඕඖ", ("a", "a", "ae", "ae", "i", "ee", "u", "oo", "e", "e", "ai", "o",
                                            "o", "au"), strict=True))
_SINH_SIGN = dict(zip("ාැෑිීුූෘෙේෛොෝෞ", ("a", "ae", "ae", "i", "ee", "u", "oo", "ru", "e", "e", "ai", "o",
                                           "o", "au"), strict=True))
_SINH_MISC = {"ං": "n", "ඃ": "h"}

# Hebrew and Arabic script write few vowels: letters map to (latin, kind) with kind c(onsonant), v(owel) or
# s(emivowel: a consonant at the start of a word, a vowel elsewhere); missing vowels are filled in below.
_ARABIC = {
    "ا": ("a", "v"), "أ": ("a", "v"), "إ": ("i", "v"), "آ": ("a", "v"), "ى": ("a", "v"), "ة": ("a", "v"),
    "ب": ("b", "c"), "ت": ("t", "c"), "ث": ("th", "c"), "ج": ("j", "c"), "ح": ("h", "c"), "خ": ("kh", "c"),
    "د": ("d", "c"), "ذ": ("dh", "c"), "ر": ("r", "c"), "ز": ("z", "c"), "س": ("s", "c"), "ش": ("sh", "c"),
    "ص": ("s", "c"), "ض": ("d", "c"), "ط": ("t", "c"), "ظ": ("z", "c"), "ع": ("a", "v"), "غ": ("gh", "c"),
    "ف": ("f", "c"), "ق": ("q", "c"), "ك": ("k", "c"), "ک": ("k", "c"), "ل": ("l", "c"), "م": ("m", "c"),
    "ن": ("n", "c"), "ه": ("h", "c"), "و": ("w|u", "s"), "ي": ("y|i", "s"), "ی": ("y|i", "s"),
    "پ": ("p", "c"), "چ": ("ch", "c"), "ژ": ("zh", "c"), "گ": ("g", "c"),
}
_HEBREW = {
    "א": ("a", "v"), "ב": ("v", "c"), "ג": ("g", "c"), "ד": ("d", "c"), "ה": ("h", "c"), "ו": ("v|o", "s"),
    "ז": ("z", "c"), "ח": ("ch", "c"), "ט": ("t", "c"), "י": ("y|i", "s"), "כ": ("k", "c"), "ך": ("kh", "c"),
    "ל": ("l", "c"), "מ": ("m", "c"), "ם": ("m", "c"), "נ": ("n", "c"), "ן": ("n", "c"), "ס": ("s", "c"),
    "ע": ("a", "v"), "פ": ("p", "c"), "ף": ("f", "c"), "צ": ("tz", "c"), "ץ": ("tz", "c"), "ק": ("k", "c"),
    "ר": ("r", "c"), "ש": ("sh", "c"), "ת": ("t", "c"),
}
_SILENT = set("ءؤئ'׳\u0651\u0640") | {chr(c) for c in range(0x064B, 0x0653)}


def _consonantal(name: str, table: dict) -> str:
    units: list[tuple[str, str]] = []
    for c in name:
        if c in _SILENT:
            continue
        if c not in table:
            return ""  # spaces, digits, letters we cannot spell: drop the name
        latin, kind = table[c]
        if kind == "s":
            cons, vow = latin.split("|")
            latin, kind = (cons, "c") if not units or units[-1][1] == "v" else (vow, "v")
        if kind == "v" and units and units[-1][1] == "v" and units[-1][0] == latin:
            continue  # doubled vowel letter
        units.append((latin, kind))
    if units and table is _HEBREW and units[-1][0] == "h":
        units[-1] = ("a", "v")  # final he is a vowel
    out: list[str] = []
    run = 0
    for i, (latin, kind) in enumerate(units):
        if kind == "c":
            # fill in an "a" between two consonants at the start, at the end, or in a run of three
            if run and (i == 1 or i == len(units) - 1 or run >= 2):
                out.append("a")
                run = 0
            run += 1
        else:
            run = 0
        out.append(latin)
    word = "".join(out)
    return word[:1].upper() + word[1:] if 3 <= len(word) <= 14 else ""


def _translit(name: str, loc: str) -> str:
    name = unicodedata.normalize("NFC", str(name))
    if loc == "si_LK":
        return _abugida(name, _SINH_CONS, _SINH_VOW, _SINH_SIGN, _SINH_MISC, "\u0dca", False)
    return _consonantal(name, _HEBREW if loc == "he_IL" else _ARABIC)


def _locale_names(loc: str) -> tuple[list[str], ...]:
    p = importlib.import_module(f"faker.providers.person.{loc}").Provider
    lists = (getattr(p, "first_names_male", ()), getattr(p, "first_names_female", ()),
             getattr(p, "last_names", ()))
    return tuple([t for t in (_translit(x, loc) for x in lst or ()) if t] for lst in lists)


# locale -> (male, female, last) caps, so no single locale dominates
_LOCALE_CAPS = {"si_LK": (90, 90, 40), "he_IL": (50, 60, 200), "fa_IR": (20, 25, 60), "ar_AA": (35, 30, 120),
                "ar_DZ": (10, 10, 80)}
# real surnames / given names that are also ordinary English words
_WORD_LAST = ("Brewer", "Butcher", "Chandler", "Draper", "Glover", "Hooper", "Slater", "Sawyer", "Weaver",
              "Frost", "Snow", "Hale", "Rivers", "Lamb", "Crow", "Finch", "Lark", "Wren", "Drake",
              "Fairweather", "Goodbody", "Heartwell", "Rainwater", "Sweetwater", "Pillow", "Ladder",
              "Pudding", "Kipper",
              "Crumpet", "Cabbage", "Turnip", "Radish", "Parsley", "Fennel", "Nutmeg", "Clove", "Buckle",
              "Bucket", "Cupboard", "Doorstep", "Hedgehog", "Mallard", "Pheasant", "Plover", "Starling",
              "Haddock", "Herring", "Mackerel", "Pickerel", "Sturgeon", "Tumbleweed", "Cactus", "Mesa")
_WORD_FIRST_F = ("Sunshine", "Blossom", "Unity", "Liberty", "Karma", "Marigold", "Primrose", "Tansy",
                 "Juniper", "Cinnamon", "Peaches", "Sugar", "Cherish", "Rainbow", "Breeze", "Ocean", "Dove",
                 "Sparrow", "Galaxy", "Promise", "Glory", "Temperance", "Verity", "Meadowlark", "Tulip",
                 "Magnolia", "Camellia", "Sage")
_WORD_FIRST_M = ("Shepherd", "Falcon", "Thunder", "Cannon", "Bronze", "Granite", "Cobalt", "Zephyr", "Arrow",
                 "Blaze", "Rebel", "Judge", "Sergeant", "Preacher", "Tank", "Moose", "Drummer", "Saddler",
                 "Trapper", "Rancher", "Sheriff", "Marshal", "Mesquite", "Yucca", "Coyote")

_SUR_HEAD = ("Huayna", "Qori", "Kusi", "Illa", "Wara", "Chaska", "Inti", "Sumaq", "Yupa", "Amaru", "Tupa",
             "Paucar", "Wayra", "Ccori", "Pacha", "Urpi", "Anka", "Killa", "Mayu", "Rumi", "Sacha", "Tika",
             "Qhapaq", "Puma", "Kuntur", "Achachi", "Llanki", "Saywa", "Chuqui", "Titu")
_SUR_TAIL = ("huallpa", "cusi", "mayta", "ticona", "larico", "apaza", "cutipa", "nina", "calisaya", "chambi",
             "poma", "yana", "sonco", "pari", "huanca")
_GIVEN_HEAD = ("Sjo", "Tjal", "Hid", "Wyb", "Fok", "Jel", "Oen", "Rin", "Sie", "Aal", "Bau", "Doed", "Gerl",
               "Hyl")
_GIVEN_TAIL_F = ("tsje", "ske", "ltje", "wke", "itske")
_GIVEN_TAIL_M = ("ert", "mer", "win", "bout", "rik")


DEV8_CITIES = (
    # desert Southwest: Nevada, Arizona, Utah, inland southern California, New Mexico bootheel
    "Pahrump", "Tonopah", "Ely Nv", "Elko", "Winnemucca", "Fallon", "Fernley", "Yerington", "Hawthorne",
    "Caliente", "Mesquite Nv", "Laughlin", "Boulder City", "Searchlight", "Beatty", "Goldfield", "Lovelock",
    "Battle Mountain", "Wells Nv", "Jackpot", "Kingman", "Bullhead City", "Lake Havasu City", "Parker",
    "Quartzsite", "Wickenburg", "Prescott Valley", "Cottonwood Az", "Camp Verde", "Payson", "Show Low",
    "Snowflake", "Holbrook", "Winslow", "Page", "Tuba City", "Chinle", "Kayenta", "Ganado", "Globe",
    "Safford", "Willcox", "Benson", "Sierra Vista", "Bisbee", "Douglas Az", "Nogales", "Ajo", "Gila Bend",
    "Casa Grande", "Eloy", "Florence Az", "Coolidge", "Maricopa", "Buckeye", "Yuma", "San Luis Az",
    "Kanab", "Hurricane", "Cedar City", "Beaver", "Richfield", "Delta Ut", "Nephi", "Price", "Moab",
    "Monticello Ut", "Blanding", "Vernal", "Roosevelt Ut", "Tooele", "Brigham City", "Logan Ut",
    "Blythe", "Needles", "Barstow", "Ridgecrest", "Twentynine Palms", "Yucca Valley", "Indio", "Coachella",
    "Brawley", "El Centro", "Calexico", "Hemet", "Banning", "Victorville", "Hesperia", "Lordsburg",
    "Deming", "Silver City", "Truth or Consequences", "Socorro", "Alamogordo", "Carlsbad Nm", "Hobbs",
    # west and south Texas
    "Alpine Tx", "Marfa", "Presidio", "Fort Stockton", "Pecos", "Monahans", "Kermit", "Andrews", "Big Spring",
    "Snyder", "Sweetwater", "Abilene", "San Angelo", "Del Rio", "Eagle Pass", "Uvalde", "Laredo", "Zapata",
    "Rio Grande City", "McAllen", "Edinburg", "Weslaco", "Harlingen", "Brownsville", "Raymondville",
    "Kingsville", "Alice", "Beeville", "Victoria", "Port Lavaca", "Bay City", "El Campo", "Wharton",
    # Florida
    "Immokalee", "LaBelle", "Clewiston", "Belle Glade", "Okeechobee", "Arcadia", "Wauchula", "Sebring",
    "Avon Park", "Lake Wales", "Bartow", "Palatka", "Starke", "Lake City", "Live Oak", "Perry Fl",
    "Chiefland", "Cross City", "Apalachicola", "Marianna", "Chipley", "DeFuniak Springs", "Crestview",
    "Milton", "Key West", "Marathon", "Homestead", "Florida City", "Fort Pierce", "Vero Beach",
    # lower Midwest: Indiana, Ohio, Illinois
    "Vincennes", "Jasper In", "Tell City", "Madison In", "Seymour", "Columbus In", "Bedford In", "Linton",
    "Sullivan In", "Washington In", "Princeton In", "Mount Vernon In", "Logansport", "Peru In", "Wabash",
    "Huntington In", "Decatur In", "Portland In", "Winchester In", "New Castle", "Connersville", "Rushville",
    "Chillicothe", "Portsmouth", "Ironton", "Gallipolis", "Pomeroy", "Athens Oh", "Marietta", "Cambridge Oh",
    "Zanesville", "Coshocton", "Wooster", "Ashland Oh", "Bucyrus", "Marion Oh", "Kenton", "Wapakoneta",
    "Celina", "Greenville Oh", "Carbondale", "Harrisburg Il", "Cairo Il", "Metropolis", "Mount Vernon Il",
    "Effingham", "Mattoon", "Olney", "Robinson", "Lawrenceville Il",
    # Delmarva and south-central Pennsylvania
    "Georgetown De", "Seaford", "Laurel De", "Milford De", "Lewes", "Rehoboth Beach", "Salisbury Md",
    "Cambridge Md", "Easton", "Chestertown", "Crisfield", "Pocomoke City", "Princess Anne", "Onancock",
    "Chincoteague", "Exmore", "Cape Charles", "Hanover Pa", "Gettysburg", "Chambersburg", "Waynesboro Pa",
    "Carlisle", "Lebanon Pa", "Ephrata", "Lititz", "New Holland", "Columbia Pa",
)
_STREET_WORDS = (
    "Saguaro", "Ocotillo", "Arroyo Seco", "Palo Verde", "Javelina", "Caliche", "Roadrunner", "Cholla",
    "Sagebrush", "Juniper Flats", "Manatee", "Palmetto", "Mangrove", "Sawgrass", "Cypress Knee", "Hoosier",
    "Covered Wagon", "Tobacco Barn", "Oyster Shell", "Crab Pot", "Sand Wash", "Dry Creek", "Caprock",
    "Citrus Grove", "Sugar Mill", "Orange Blossom", "Corn Crib", "Grain Elevator", "Buggy Whip",
    "Dutch Oven", "Tumbleweed Trail", "Pony Express", "Borax", "Turquoise",
)
_STATES = ("NV", "AZ", "UT", "CA", "NM", "TX", "FL", "IN", "OH", "IL", "DE", "MD", "PA", "Nev.", "Ariz.",
           "Tex.", "Fla.", "Ind.", "Del.", "Md.", "Pa.", "Nevada", "Arizona", "Florida", "Indiana")
_BORDER_TOWNS = ("Laredo", "Zapata", "Presidio", "Del Rio", "Eagle Pass", "Rio Grande City", "Edinburg",
                 "Nogales", "Calexico", "Brawley", "Weslaco", "Raymondville")
_FAC_WORDS = ("Sonoran", "Mojave", "Big Bend", "Everglades", "Tri-State", "Chesapeake")


@lru_cache(maxsize=1)
def dev8_style() -> Style:
    others = (tuning_style(), dev_style(), dev2_style(), dev3_style(), dev4_style(), dev5_style(),
              dev6_style(), dev7_style())
    vocab = _vocab()
    other_cities = {c.lower() for s in others for c in s.cities}
    c = [x for x in DEV8_CITIES if x.lower() not in other_cities]
    cities = other_cities | {x.lower() for x in DEV8_CITIES}
    used = set().union(*(name_pool_words(s) for s in others))
    used_streets = set().union(*(set(s.street_names) for s in others))
    en_us = {n.lower() for lst in faker_names(("en_US",)) for n in lst}
    # word names are exempt from the vocabulary and en_US bans only, never from disjointness
    word_names = {w.lower() for w in (*_WORD_LAST, *_WORD_FIRST_F, *_WORD_FIRST_M)} - used - cities
    streets = {w.lower() for w in (*_STREET_WORDS, *used_streets)}
    banned = (_NON_NAMES | used | cities | streets | en_us
              | (_vocab_words(vocab) - word_names))
    rng = random.Random("heldout-8-pools")  # the seed it was measured with: pools stay as reported
    male, female, last = draw_name_pools(
        rng, ((caps, _locale_names(loc)) for loc, caps in _LOCALE_CAPS.items()), banned, word_names,
        invented=((_SUR_HEAD, _SUR_TAIL, 440), (_GIVEN_HEAD, _GIVEN_TAIL_F, 65),
                  (_GIVEN_HEAD, _GIVEN_TAIL_M, 65)),
        words=(_WORD_LAST, _WORD_FIRST_F, _WORD_FIRST_M))
    female = [x for x in female if x not in set(male)]
    last_set = {x.lower() for x in last}
    male = [x for x in male if x.lower() not in last_set or x.lower() in word_names]
    plain = [x for x in c if not re.search(r" [A-Z][a-z]$", x)]  # no "Ely Nv"-style disambiguated names
    border = [x for x in plain if x in _BORDER_TOWNS]
    hospitals = sorted({
        *(f"Baptist Health {x}" for x in plain[:5]),
        *(f"{x} Adventist Hospital" for x in plain[20:24]),
        *(f"Hospital de {x}" for x in border[:4]),
        *(f"{x} Valley Hospital" for x in [y for y in plain if "Valley" not in y][50:54]),
        *(f"{x} Medical Plaza" for x in plain[110:114]),
        *(f"{x} Regional Health" for x in plain[140:145]),
        *(f"{rng.choice(last)} Heart & Vascular Institute" for _ in range(2)),
        *(f"{w} Specialty Hospital" for w in _FAC_WORDS[:3]),
    })
    facilities = sorted({
        *(f"{x} Hansen's Disease Clinic" for x in plain[5:8]),
        *(f"Recovery House of {x}" for x in plain[8:11]),
        *(f"{x} Plasma Center" for x in plain[11:15]),
        *(f"{x} Compounding Pharmacy" for x in plain[15:18]),
        *(f"{x} County Health Department" for x in plain[30:34]),
        *(f"{x} Dermatology & Mohs" for x in plain[34:37]),
        *(f"{x} Aeromedical" for x in plain[37:40]),
        *(f"{x} Dive & Hyperbaric" for x in plain[95:98]),
        *(f"{x} PrEP Clinic" for x in plain[125:128]),
        *(f"{w} Research Institute" for w in _FAC_WORDS[3:]),
    })
    used_places = set().union(*({h.lower() for h in s.hospitals + s.facilities} for s in others))
    hospitals = [h for h in hospitals if h.lower() not in used_places]
    facilities = [f for f in facilities if f.lower() not in used_places]
    street_names = tuple(w for w in (*_STREET_WORDS, *last[:100]) if w not in used_streets)
    return Style(
        name="dev8",
        templates=DEV8_TEMPLATES,
        first_male=tuple(male), first_female=tuple(female), last=tuple(last),
        cities=tuple(c),
        street_names=street_names,
        street_suffixes=("Pkwy", "Blvd.", "Trl", "Pass", "Ct.", "Cv", "Terr.", "Xing", "Run", "Pike", "Sq.",
                         "Street", "Road", "Avenue", "Way"),
        units=("", "", "", "", "Ste {n}", "Trlr {n}", "Spc {n}", "Bldg {l}-{n}", "Casita {n}"),
        hospitals=tuple(hospitals), facilities=tuple(facilities),
        email_domains=("cox.net", "earthlink.net", "juno.com", "bellsouth.net", "q.com", "fastmail.com",
                       "zoho.com", "hey.com", "aol.com", "netzero.net"),
        web_hosts=("decon", "prep", "divelog", "aeromed", "dotlog", "plasma"),
        states=_STATES,
        date_formats=DATE_FORMATS,
        random_date_formats=RANDOM_DATE_FORMATS,
        name_forms=("full", "lf", "LAST_first", "last_first_sp", "fdotlast", "fl", "LF", "mid", "last"),
        age_forms=AGE_FORMS,
        ids=_ids(),
        email_forms=("{last}{nn}@{domain}", "{first}-{last}@{domain}", "{f}_{last}{nn}@{domain}",
                     "{last}.{first}@{domain}"),
        url_forms=("https://{hslug}.org/{host}/r/{id}", "{host}.{hslug}.us/?case={id}",
                   "https://www.{hslug}.com/{host}#{id}", "http://{hslug}.local/{host}/{id}.pdf"),
        bullets=("\u2022 ", "{i}) ", "> ", "-- ", "[{i}] "),
        vocab=vocab,
        mess=_mess_factory,
        p_old=0.3,
        extra_name_forms=_name_forms,
    )


# ----------------------------------------------------------------------------- templates
DEV8_TEMPLATES = (
    # ------------------------------------------------------------------ discharge
    Template("hansens_program_discharge", "discharge", """\
{FAC} -- Hansen's Disease Program -- DISCHARGE / TRANSFER OF CARE
Name: {PT.LAST_first}   Program no. {MRN}   DOB {D.dob:roman_month}   {AGE:yr_dot_old}   sex {PT.mf}
Admitted {D.adm:roman_month}   Discharged {D.dis:roman_month}   Physician {DR.full}, MD   PCP {PCP.lf}

Dx: [[lepromatous leprosy]] ([[Hansen's disease]], MB), complicated by [[erythema nodosum leprosum]]. \
Born abroad; moved to {CITY}, {STATE} in 2009. [[skin slit smear]] BI 3+ on {D.prev:d_mon_y}, now 1+.
Hx [[HTN]], [[DM2]]; [[GI]] upset on [[clofazimine]]. [[numb feet]] bilat, claw toes; protective footwear; \
[[Stemmer sign]] negative.
Regimen: [[rifampin]] 600 mg monthly, [[dapsone]] 100 mg PO daily, [[clofazimine]] 50 mg daily -- month \
<<9|14|20>> of 24. [[prednisone]] taper for ENL. G6PD normal.
Exam: {EXAM_INLINE}. Labs: {LABS}.
Contacts screened: {PT.his} {REL.rel} {REL.full} and {REL.first}'s children, no lesions.
Follow-up {D.fu:roman_month} with Dr. {DR2.last}; {PT.mr} {PT.last} lives at {STREET}, {CITY} {ZIP}, \
tel {PHONE.pt}; {REL.rel} abroad {PHONE:foreign}.
cc: {PCP.fl}; {DR2.fdotlast}; public health nurse {RN.full}
"""),
    Template("eating_disorder_residential_dc", "discharge", """\
Recovery program -- RESIDENTIAL DISCHARGE SUMMARY   {FAC}
Resident: {PT.last_paren_first}   ID {MRN}   {AGE:y_slash_old}   adm {D.adm:dd_mon_y_dot} \
  d/c {D.dis:dd_mon_y_dot}
Team: psychiatrist Dr. {DR.last}, dietitian {X.full} ({LIC:rdn}), therapist {X.fl}, LCSW

Dx: [[anorexia nervosa]], restricting type; [[MDD]]. Admit wt 38.2 kg (BMI 14.6), d/c wt 44.9 kg.
Course: [[refeeding syndrome]] risk -- phos nadir 1.9 on day 3, [[phosphorus supplement]] 250 mg TID, \
[[thiamine]] 100 mg daily. [[Russell's sign]] noted on admission. [[nasogastric feeding]] days 2-9.
[[olanzapine]] 2.5 mg QHS. No [[SOB]], no [[CHF]] signs. Labs: {LABS}.
Family sessions with {PT.his} {REL.rel}, {REL.full}; {REL.first} will supervise meals at home \
({STREET}, {CITY}, {STATE} {ZIP}).
Step-down: PHP at {HOSP2} from {D.fu:dd_mon_y_dot}. Insurance {HPLAN}; auth expires {D.next:mdy2}.
Crisis line 988; after hours {PHONE.clinic}. Signed {DR.fl}, MD  {D.dis:iso}
"""),
    Template("lvad_implant_discharge", "discharge", """\
{HOSP} -- Advanced Heart Failure / MCS -- DISCHARGE SUMMARY
{PT.LF}   MRN {MRN}   ACCT {ACCT}   Admit {D.adm:wd_d_month_y}   Discharge {D.dis:wd_d_month_y}
Surgeon {DR.full}, MD   HF cardiologist {DR2.full}, MD   VAD coordinator {RN.full}, RN

{PT.mr} {PT.last} is a {AGE:yr_dot_old} {PT.sex} with [[HFrEF]] (EF 15%), [[CHF]] NYHA IV, [[HTN]], \
[[CKD stage 3]], admitted for [[LVAD implantation]] (destination therapy) on {D.proc:mon_d}.
Course: [[milrinone]] weaned POD 4; [[bivalirudin]] bridge to [[warfarin]], INR goal 2-3. \
[[driveline dressing change]] teaching done with {PT.his} {REL.rel} {REL.full}.
Pump {DEVICE:pump}, speed 5400 rpm (not an id), flow 4.6 L/min, PI 3.4. Controller {DEVICE:ctrl}.
Meds: {MEDS}
Home: {STREET}, {CITY}. Power company notified (medical priority); {PT.he} may not drive for 6 weeks; \
vehicle {VEHICLE} to be driven by {REL.first}.
VAD pager {PHONE.vad}; clinic {D.fu:md}; INR by home health on the {D.lab:nth}. Remote monitoring {URL}.
"""),
    Template("tb_isolation_release", "discharge", """\
{HOSP} -- AIRBORNE ISOLATION RELEASE & DISCHARGE
Patient {PT.full}   MRN {MRN}   SSN {SSN}   DOB {D.dob:y_m_d_sp}   {AGE:age_at_visit}
TB case {ID:tb}   County {FAC}, nurse case manager {RN.full} {PHONE.rn}

Admitted {D.adm:y_m_d_sp} with [[productive cough]], [[night sweats]], cavitary RUL lesion -> \
[[pulmonary tuberculosis]]. [[sputum AFB smear]] 3+ x3; NAAT positive, rif resistance not detected.
RIPE started {D.adm:mdy_slash}: [[isoniazid]] 300 mg, [[rifampin]] 600 mg, [[pyrazinamide]] 1500 mg, \
[[ethambutol]] 1200 mg PO daily + [[pyridoxine]] 25 mg. Smears negative x3 by {D.dis:y_m_d_sp}.
Hx [[HTN]], [[EtOH use disorder]]; HIV negative. Labs: {LABS}.
Released from isolation; DOT at home: {STREET}, {CITY}, {STATE} {ZIP}. Household contacts: \
{REL.full} ({REL.rel}), {X.full}; [[latent TB infection]] testing arranged.
Employer (meat packing) letter: no work until {D.fu:mon_d}. Follow-up chest clinic Dr. {DR.last}.
{DR.full}, MD   fax to health dept {FAX}
"""),
    # ------------------------------------------------------------------ radiology
    Template("esophagram_report", "radiology", """\
FLUOROSCOPY -- [[barium esophagram]]   acc {ID:fl}
{HOSP}   {D.today:MON_d_y_caps}   {PT.LAST_first}   MRN {MRN}   {AGE:age_dash}
Ordering: {PCP.full}, MD   Performed by {DR.full}, MD; fluoro time 2.1 min (not an id)

Indication: [[dysphagia]] to solids, [[early satiety]], r/o [[achalasia]] vs [[Zenker's diverticulum]]. \
Hx [[GERD]], [[HTN]].
Technique: thin and thick barium, 13 mm tablet. Findings: {IMAGING_INLINE} \
<<Dilated esophagus with bird's-beak narrowing at the GE junction.|A 2 cm posterior pharyngoesophageal \
pouch.|Normal motility; small sliding hiatal hernia.>>
Impression: {IMPRESSION}
Prior {D.prev:MON_d_y_caps} outside film ({HOSP2}) compared.
Images: {PT.lastlower}_esoph_{D.today:ymd_under}.dcm   Reported {D.today:iso} {TIME} {DR.fl}
"""),
    Template("vascular_duplex_report", "radiology", """\
VASCULAR LAB -- <<[[carotid duplex]]|[[venous duplex]] lower extremity>>
{FAC}   study {ID:vl}   date {D.today:dd_mon_y_dot}   tech {RN.fdotlast}, RVT
Pt {PT.last_first_sp}   {MRN}   {AGE:yo_glued_caps}   referring {DR2.lf}

{SIGN} not tested. History: [[TIA]] x2, [[carotid stenosis]] on prior study {D.prev:dd_mon_y_dot}; \
[[HTN]], [[HLD]], [[DM2]].
R ICA PSV 245 cm/s, EDV 88, ICA/CCA 4.1 -> 70-99% stenosis. L ICA PSV 110 cm/s -> <50%. \
Vertebrals antegrade. {IMAGING_INLINE}
Impression: {IMPRESSION}
Critical result called to Dr. {DR2.last} at {PHONE.md} on {D.today:md} {TIME}; read back by \
{DR2.first}.
Interpreting physician {DR.full}, MD, RPVI   PACS node {IP}
"""),
    Template("nuclear_stress_spect", "radiology", """\
NUCLEAR MEDICINE -- [[SPECT myocardial perfusion imaging]] (pharmacologic)
{HOSP}   acc {ID:nm}   {D.today:d_MONTH_y_caps}   {PT.full}   {PT.mf}   {AGE:y_hyphen}
MRN {MRN}   ht 170 cm wt 92 kg   referring {DR2.fl}, MD

Indication: [[chest pain]], [[DOE]]; [[CAD]] risk ([[HTN]], [[DM2]]), unable to exercise ([[gout]]).
Protocol: rest [[technetium-99m sestamibi]] 10 mCi, stress 30 mCi after [[regadenoson]] 0.4 mg IV. \
HR 68 -> 94, BP 138/80 -> 126/74. [[EKG]]: no ST changes. Symptoms: flushing.
Findings: medium reversible defect, mid-distal anterior wall and apex; TID 1.18; EF 52% (gated).
Impression: ischemia in the LAD territory, intermediate risk. Prior {D.prev:mon_d}: normal.
Isotope lot Tc-2417 (not PHI). Read by {DR.full}, MD / {DR.ini}; results to {PCP.full} via {EMAIL.pcp}.
Raw data spect_{PT.lastlower}_{D.today:julian_yyddd}.zip on {IP}
"""),
    Template("thyroid_uptake_scan", "radiology", """\
[[radioactive iodine uptake]] AND SCAN   {FAC}
{PT.lf}   DOB {D.dob:mdy_backslash}   {MRN}   dose given {D.today:mdy_backslash} {TIME}, \
read {D.fu:mdy_backslash}
Referring endocrinologist Dr. {DR2.last} ({DR2.fdotlast})   {AGE:age_at_visit}

History: hyperthyroid, TSH < 0.01, [[Pemberton sign]] <<positive|negative>>; [[Graves' disease]] vs \
[[toxic multinodular goiter]]. [[methimazole]] held 5 days.
[[sodium iodide I-123]] 200 uCi PO. 4 h uptake 18%, 24 h uptake 41% (normal 10-30%).
Scan: heterogeneous gland with hot nodule R lower pole, suppressed background. \
No [[von Graefe sign]] or [[Dalrymple sign]].
Impression: [[toxic multinodular goiter]]; candidate for I-131 therapy.
Pregnancy test negative; [[breastfeeding]] n/a. Results to {PT.first_low} by phone {PHONE.pt}; \
questions to {DR.full}, MD.
"""),
    # ------------------------------------------------------------------ progress
    Template("mohs_surgery_note", "progress", """\
{FAC} -- [[Mohs micrographic surgery]] OPERATIVE NOTE   {D.today:iso}
Patient {PT.full} ({PT.LAST_first})   MRN {MRN}   {AGE:yr_dot_old}   plan {HPLAN}
Mohs surgeon {DR.full}, MD   histotech {X.full}   referring derm {DR2.lf}

Pre-op dx: <<[[basal cell carcinoma]], nodular|[[squamous cell carcinoma]], well differentiated>>, \
L nasal ala, biopsy {ID:mohs} on {D.prev:mon_d} (path outside).
Stage I: 1.2 x 1.0 cm, 4 sections, tumor at 3 o'clock. Stage II: clear. Final defect 1.8 x 1.4 cm.
Repair: bilobed [[flap closure]], 5-0 poliglecaprone, 6-0 nylon. EBL minimal. [[lidocaine with \
epinephrine]] 1% 6 mL. On [[apixaban]] (not held); [[HTN]].
Wound care: [[mupirocin]] 2% ointment BID; suture removal {D.fu:md}. Photos \
{PT.lastlower}_{D.today:ymd_under}_stage2.jpg.
{PT.mr} {PT.last}'s driver: {REL.rel} {REL.full}. Post-op call {PHONE.pt}. \
Dictated {DR.fl}, MD   cc: {DR2.full}, MD; {PCP.fl}
"""),
    Template("prep_clinic_visit", "progress", """\
{FAC} -- PrEP FOLLOW-UP VISIT   {D.today:mon_d}   telehealth: <<no|yes>>
{PT.first_low} ({PT.full}), {AGE:y_slash_old}, pronouns <<he/him|she/her|they/them>>   MRN {MRN}
Program {HPLAN:rw}   pharmacy {X.last} Drug, {PHONE.pharm}

S: on [[HIV pre-exposure prophylaxis]] since {D.prev:yyyy_mm}; adherence 6-7/7 days. No rash, [[GI]] ok.
Partner {REL.first} (HIV+, undetectable) -- not a patient here. Condoms offered.
O: {VITALS}. HIV Ag/Ab negative, Cr 0.9, HBsAg neg, RPR NR, GC/CT neg x3 sites.
A/P: continue <<[[Truvada]] 1 tab PO daily|[[Descovy]] 1 tab PO daily|[[cabotegravir]] 600 mg IM q2 \
months>>. \
Next labs {D.fu:month_d_y}. Doxy-PEP: [[doxycycline hyclate]] 200 mg within 72 h discussed.
Portal {URL}; text reminders to {PHONE.pt}; e-mail {EMAIL.pt}.
{DR.full}, NP -- supervising Dr. {DR2.last}
"""),
    Template("faa_medical_exam", "progress", """\
FAA AVIATION MEDICAL EXAMINATION (Form 8500-8 worksheet)   MedXPress {ID:faa}
Applicant {PT.LAST_first}   DOB {D.dob:hl7_ts}   {AGE:num}   pilot cert {LIC:faa}
Address {STREET}, {CITY}, {STATE} {ZIP}   tel {PHONE.pt}   aircraft {VEHICLE:tail}
Examiner {DR.full}, MD, {LIC:ame}   {FAC}   exam {D.today:d_mon_y}

Class applied: <<first|second|third>>. Total flight time 1,240 h (not an id). Hx [[HTN]] on \
[[lisinopril]] 10 mg PO daily; [[OSA on CPAP]] with compliance report; no [[syncope]].
Vision 20/20 corrected, color normal. BP 134/82, pulse 70. Hearing: conversational voice at 6 ft.
Urine: protein neg, glucose neg. [[EKG]] (age 40+): NSR. {EXAM_INLINE}.
Decision: <<issued|deferred to AMCD|issued with SODA>>. Next due {D.next:yyyy_mm}.
Records to the Aerospace Medical Certification Division; applicant's emergency contact \
{REL.full} ({REL.rel}).
"""),
    Template("irb_adverse_event", "progress", """\
SERIOUS ADVERSE EVENT REPORT TO THE IRB   protocol {ID:irb}
Site: {HOSP}   PI {DR.full}, MD   study coordinator {X.full} ({EMAIL.x})
Subject {ID:subj}   initials {PT.ini3}   {AGE:age_dash}   enrolled {D.prev:roman_month}

Event: <<[[pneumonia]] requiring admission|[[AKI]] (Cr 2.9)|[[syncope]] with fall>> on {D.adm:mdy_slash}, \
day <<43|88|120>> of study drug (blinded). Hx [[CHF]], [[HTN]], [[afib]].
Relatedness: possibly related. Expected: no. Unblinding: not requested.
Treated at {HOSP2} by Dr. {DR2.last}; discharged {D.dis:month_d_y}. Outcome: recovering.
Source documents (MRN {MRN}) redacted before upload to {URL}.
Participant's {REL.rel} {REL.full} was the reporter ({PHONE.rel}). Sponsor notified {D.dis:iso}.
Signature {DR.fl}, MD   date {D.dis:mdy2}
"""),
    # ------------------------------------------------------------------ ed
    Template("hazmat_decon_record", "ed", """\
HAZMAT / DECONTAMINATION RECORD   tag {ID:decon}   {HOSP} ED
Arrival {D.adm:hl7_ts} by {CITY} Fire Rescue; incident at <<pool chemical store|farm co-op|rail yard>>
{PT.full}   {AGE:yo_glued_caps}   {PT.mf}   MRN {MRN}   home {STREET}, {CITY}

Agent: <<chlorine gas -> [[chlorine gas inhalation]]|organophosphate pesticide -> \
[[organophosphate poisoning]]|unknown powder>>. [[burning eyes]], cough, [[SOB]]. \
Hx [[HTN]], [[COPD]].
[[decontamination shower]] 10 min warm water; clothing bagged (bag {ID:decon}-B).
Vitals {VITALS}. Exam: {EXAM_INLINE}. [[Kussmaul breathing]] absent. Labs: {LABS}.
Tx: nebulized [[albuterol]]; [[atropine]] 2 mg IV x<<1|3>>, [[pralidoxime]] 1 g IV if OP.
Poison Control 1-800-222-1222 consulted; CHEMTREC 1-800-424-9300 for SDS.
Employer contact {X.full} {PHONE.emp}. Dispo: admit to ICU under Dr. {DR2.last}. {DR.full}, MD
"""),
    Template("scuba_dive_incident", "ed", """\
DIVE INCIDENT / HYPERBARIC REFERRAL   {FAC}   log {ID:dive}
Diver {PT.lf}   {AGE:y_hyphen}   cert {LIC:padi}   dive computer {DEVICE:dive}
Boat {VEHICLE:hull}; dive buddy {REL.full} ({REL.rel}), {PHONE:foreign}
Dive {D.onset:d_MONTH_y_caps}: 31 m for 42 min, rapid ascent from 12 m (out of air).

Symptoms 40 min after surfacing: [[joint pain after diving]] R shoulder, [[skin mottling]] trunk, \
[[numb feet]]. [[SOB]] <<none|mild>>; [[Hamman sign]] absent. \
No [[Lhermitte sign]]. [[Romberg]] <<negative|positive>>.
Dx: [[decompression sickness]] type <<I|II>>; r/o [[arterial gas embolism]].
Tx: 100% O2 by NRB, IV NS 1 L; [[recompression therapy]] Table 6 at {HOSP} on {D.adm:d_MONTH_y_caps}.
Hx [[HTN]]; no asthma. Ins {HPLAN}. DAN hotline +1-919-684-9111 (public) called.
{DR.full}, MD, UHM   nurse {RN.fl}   computer download saved as {PT.lastlower}_{D.onset:ymd_under}.log
"""),
    Template("livestock_zoonosis_visit", "ed", """\
ED NOTE -- ANIMAL/ZOONOTIC EXPOSURE   {HOSP}   {D.adm:mdy_slash} {TIME}
{PT.full}   MRN {MRN}   {AGE:yr_dot_old}   rancher, {CITY}, {STATE}   SSN {SSN}

<<Assisted goat births 2 wk ago; now [[fever]], [[night sweats]], [[HA]]; concern [[Q fever]] or \
[[brucellosis]]|Thumb lesion after bottle-feeding lambs -- [[orf]]|Unpasteurized milk from {PT.his} \
own herd; fevers and [[weakness]] -> [[brucellosis]]>>.
Exam: {EXAM_INLINE}. Labs: {LABS}. Blood cx x2, Brucella and Coxiella serologies sent.
Plan: [[doxycycline hyclate]] 100 mg PO BID; [[rifampin]] 600 mg daily if Brucella confirmed. \
State vet and county health dept ({FAC}) notified, fax {FAX}.
Herd owner {X.full}; {PT.his} {REL.rel} {REL.full} also exposed ({PHONE.rel}) -- advised to see PCP.
Truck {VEHICLE} left in lot. F/u {D.fu:mdy_slash} Dr. {DR2.last}. {DR.full}, MD
"""),
    Template("mci_triage_tag", "ed", """\
MASS CASUALTY INCIDENT -- TRIAGE TAG TRANSCRIPTION   tag {ID:mci}   <<RED|YELLOW|GREEN>>
Incident: <<bus rollover on I-10|grandstand collapse|tornado>> near {CITY}, {D.adm:MON_d_y_caps}
Name (if known): {PT.LAST_first}   {AGE:yo_glued_caps}   {PT.mf}   receiving: {HOSP}
Triage officer {X.full}, NREMT; transport unit Medic <<7|12|41>>

START: resp 32, cap refill > 2 s, follows commands. Injuries: L femur deformity, [[SOB]], \
scalp lac. [[Battle sign]] <<absent|present>>.
Tx field: tourniquet 14:05, [[fentanyl]] 50 mcg IN.
ED: {VITALS}. FAST negative. {IMAGING_INLINE}
Family reunification: {REL.full} ({REL.rel}) at {PHONE.rel}; reunification center at {FAC}.
Belongings bag {ID:mci}-1. Physician {DR.full}, MD; scribe {RN.ini2}
"""),
    # ------------------------------------------------------------------ nursing (ALL CAPS)
    Template("compounding_log_caps", "nursing", """\
{FAC} -- STERILE COMPOUNDING LOG   {D.today:julian_yyddd}   HOOD {DEVICE:hood}
RX      | PATIENT             | MRN      | PRODUCT                          | BUD
{ID:rx} | {PT.LF} | {MRN} | [[VANCOMYCIN]] 1 G / NS 250 ML         | {D.fu:julian_yyddd}
{ID:rx}-2 | {X.LF} | {MRN:x} | [[CEFTRIAXONE]] 1 G / D5W 50 ML    | {D.fu:julian_yyddd}
COMPOUNDED BY {RN.full} ({LIC:ptcb})   VERIFIED BY {DR.full}, RPH
LOT 21-4471 AND NDC 0409-6509-01 ARE NOT PHI. PATIENT {PT.last}: {AGE:num}, \
[[CHF]], [[HTN]], [[PO]] INTAKE POOR.
DELIVER TO {HOSP} 4 WEST; CALL {PHONE.pharm}. HOME INFUSION ADDRESS {STREET}, {CITY} {ZIP}.
""", upper=True),
    Template("tb_dot_log_caps", "nursing", """\
DIRECTLY OBSERVED THERAPY LOG   {FAC}   CASE {ID:tb}
CLIENT {PT.LAST_first}   {AGE:age_dash}   DOB {D.dob:MON_d_y_caps}   PHONE {PHONE.pt}
ADDRESS {STREET}, {CITY}, {STATE} {ZIP}

DATE          | DOSE GIVEN                         | NURSE | NOTES
{D.today:mon_d} | [[ISONIAZID]] 900 MG, [[RIFAMPIN]] 600 MG | {RN.ini2} | NO [[GI]] UPSET
{D.fu:mon_d} | [[ISONIAZID]] 900 MG, [[RIFAMPIN]] 600 MG | {RN.ini2} | [[N/V]] X1
VIDEO DOT VIA APP ON {D.next:mon_d}, DEVICE IP {IP}. {PT.first}'S {REL.rel} {REL.full} PRESENT.
HX [[HTN]]; [[SOB]] IMPROVING. LFTS DUE THE {D.lab:nth}; NEXT SPUTUM {D.fu:iso}. \
MD {DR.fl}. NURSE {RN.full}, RN
""", upper=True),
    Template("plasma_donation_log_caps", "nursing", """\
{FAC} -- DONOR FLOOR LOG   {D.today:y_m_d_sp}   MACHINE {DEVICE:aph}
DONOR {ID:donor}   {PT.last_first_sp}   {AGE:y_hyphen}   ID CHECKED: DL {LIC:dl}
HGB 13.4, TOTAL PROTEIN 6.8, WT 81 KG -> 880 ML COLLECTED. ARM L. [[CHVOSTEK SIGN]] NEG.
REACTION: <<NONE|CITRATE TINGLING, SLOWED RETURN|VASOVAGAL, LEGS UP>>. [[HTN]] HX, BP 128/76.
DONOR LIVES {CITY}; PAYMENT CARD {ACCT}. NEXT ELIGIBLE {D.fu:md}.
PHLEB {RN.full} / SUPERVISOR {X.full}   MEDICAL SPECIALIST {DR.full}
""", upper=True),
    Template("meal_support_log_caps", "nursing", """\
MEAL SUPPORT LOG   {FAC}   {D.today:wd_d_month_y}
RESIDENT {PT.last_paren_first}   {AGE:yr_dot_old}   ROOM <<2|5|9>>   ID {MRN}
BREAKFAST 100%, LUNCH 75% (REFUSED DESSERT), SNACK 100%. ENSURE PLUS X1 [[PO]].
[[RUSSELL'S SIGN]] NOT SEEN. BATHROOM MONITORED 60 MIN POST MEAL. [[SOB]] NONE, [[CHF]] N/A.
VITALS {VITALS}. WT (BLIND) 44.1 KG. LABS {LABS}.
PHONE CALL WITH {REL.rel} {REL.full} {PHONE.rel}, ALLOWED PER PLAN. DIETITIAN {X.fl} ({LIC:rdn}).
STAFF {RN.full} ({RN.ini}); DR {DR.last} AWARE.
""", upper=True),
)
