"""DEV6 world of the synthetic note generator: the sixth held-out world, retired after it was measured once.

It was written as a held-out world (without looking at the recognizers, lexicons or engine) and measured once
(leak 4.83%, see README); it is now open for tuning, and the next figures come from a fresh held-out world
(synthetic_heldout.py). What differs from tuning (synthetic.py), dev, dev2, dev3, dev4 and dev5
(synthetic_dev*.py), on purpose:
- other kinds of documents, mapped onto NOTE_KINDS: cardiac-rehab completion summaries, burn-unit
  discharges, court-ordered evaluations, hyperbaric-oxygen course summaries and bone-marrow transplant
  discharges (discharge); DEXA reports, mammography call-back letters, CPAP titration studies, bone-marrow
  biopsy reports and blood-bank crossmatch reports (radiology); dialysis-access clinic, podiatry,
  optometry, telepsychiatry and anticoagulation-clinic phone visits (progress); stroke-code activations,
  trauma tertiary surveys, ambulance run reports and COVID testing-site logs (ed); ALL-CAPS ICU flowsheets,
  wound-vac home visits, school-nurse logs and occupational-therapy home-safety visits (nursing);
- formats none of the earlier worlds writes: dates "Mar 04, 2021", "04 MAR 2021", "2021 Mar 4",
  "Mar/04/2021", "03-04-21", "2021/3/4", "Thu, 04 Mar 2021" (e-mail headers), "3.4.2021", "MAR 04",
  "4 Mar 21", "Thursday 3/4/2021", "3/04/2021", "March the 4th"; ages "aet. 92", "(92y)", "92 years",
  "[age 92]", "Age: 92 yrs", "92-year old", "AGE 92Y"; names "LAST/FIRST" (pharmacy labels), "Last^First"
  (HL7 dumps), "first.last" logins, "F. LAST", "Last FM" (citation style), "First L"; phones "337 555 0134",
  "+1 337 555 0134", "1 (337) 555-0134", "337-5550134", en-dashed "337–555–0134", bare ten digits,
  "#2"-suffixed menu options and "5-0134" campus extensions; spaced and hash-masked SSNs; slash-prefixed,
  paired, letter-bracketed and hash-grouped MRNs; PFS, guarantor and four-group accounts; Aetna-, UHC-,
  TRICARE DBN-, VA ICN- and state-Medicaid-shaped plan ids; respiratory therapist, OTR/L, podiatrist,
  optometrist, CRNA and perfusionist licences, Montana, Wyoming and Kansas driver's licences; wound-vac,
  CGM, dialysis machine, oxygen concentrator and Android device ids; digits-first and county-prefixed
  plates, spaced VINs; blood-bank unit, crossmatch specimen, ambulance run, court docket, student,
  sleep-study, DEXA, mammography, hyperbaric, COVID kit, burn registry, trauma registry, stroke code,
  telepsychiatry meeting, anticoagulation log and wound-care order numbers; 172.16/12 addresses with
  ports and IPv6 unique-local addresses;
- its own messiness (OCR confusions such as "tbe", "witli", "norrnal", form feeds at page breaks, en dashes
  and ellipses pasted from word processors, missing space after a colon, sentences started in lower case),
  applied to literal text only;
- name and place pools disjoint from all six earlier worlds: names transliterated from Devanagari (Hindi,
  Nepali, Marathi), Tamil and Korean (Faker locales no earlier world uses), invented Basque-like surnames and
  Occitan-like given names, and names that are ordinary English words no earlier world uses (Hammer, Spindle,
  Kestrel, Juniper, Blaze ...; candidates an earlier world already has are dropped); cities of the Gulf
  Coast, the Great Plains, the Mountain West, the Ozarks and the desert Southwest; other street, hospital
  and facility naming patterns;
- non-PHI look-alikes left unlabelled: ages <= 89 in every age form, bare years, states, scores (T-score
  -2.6, BI-RADS 4, AHI 32, NIHSS 7, GCS 15, ISS 17, Epworth 14/24), doses, INR values, lab values, visual
  acuities (20/40), public numbers (988, 911, CDC 1-800-232-4636);
- clinical vocabulary of cardiac rehab, burns, hyperbaric medicine, haematology, bone density, breast
  imaging, sleep medicine, vascular access, podiatry, ophthalmology, psychiatry, anticoagulation, stroke and
  trauma, mixed with the shared common vocabulary.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import re
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
    ordinal,
    ssn_value,
    tuning_style,
)
from medfl.privacy.deid.synthetic_dev import dev_style, vin
from medfl.privacy.deid.synthetic_dev2 import dev2_style
from medfl.privacy.deid.synthetic_dev3 import dev3_style
from medfl.privacy.deid.synthetic_dev4 import dev4_style
from medfl.privacy.deid.synthetic_dev5 import dev5_style

# ----------------------------------------------------------------------------- clinical vocabulary
_EXTRA_VOCAB = {
    "drugs": (
        ("rivaroxaban", "20 mg"), ("dabigatran", "150 mg"), ("alteplase", "0.9 mg/kg"),
        ("tenecteplase", "0.25 mg/kg"), ("silver sulfadiazine", "1% cream"), ("zoledronic acid", "5 mg"),
        ("alendronate", "70 mg"), ("denosumab", "60 mg"), ("epoetin alfa", "10000 units"),
        ("sevelamer", "800 mg"), ("calcitriol", "0.25 mcg"), ("latanoprost", "1 drop"),
        ("timolol", "1 drop"), ("terbinafine", "250 mg"), ("clozapine", "100 mg"), ("lurasidone", "40 mg"),
        ("phytonadione", "2.5 mg"),
        ("tranexamic acid", "1 g"), ("Kcentra", "25 units/kg"), ("Xarelto", "20 mg"), ("Prolia", "60 mg"),
        ("hydroxyurea", "500 mg"), ("filgrastim", "5 mcg/kg"),
    ),
    "dx": (
        "osteopenia", "AV fistula stenosis", "dialysis access steal syndrome", "diabetic foot ulcer",
        "onychomycosis", "plantar fasciitis", "open-angle glaucoma", "diabetic retinopathy",
        "myelodysplastic syndrome", "partial-thickness burn", "inhalation injury", "acute ischemic stroke",
        "large vessel occlusion", "schizoaffective disorder", "central sleep apnea", "calciphylaxis",
        "hallux valgus", "radiation proctitis", "chronic osteomyelitis", "subtherapeutic INR",
    ),
    "symptoms": ("blurry vision", "foot numbness", "facial droop", "slurred speech", "loss of smell",
                 "daytime sleepiness", "thrill absent"),
    "procedures": (
        "DEXA", "diagnostic mammogram", "bone marrow biopsy", "CPAP titration", "fistulogram",
        "mechanical thrombectomy", "escharotomy", "split-thickness skin graft", "hyperbaric oxygen therapy",
        "negative pressure wound therapy", "type and crossmatch", "nail avulsion", "dilated fundus exam",
        "visual field test", "IV thrombolysis", "FAST exam", "nasopharyngeal swab", "cardiac rehab",
    ),
    "signs": ("Froment sign", "Hoover sign", "Battle sign", "raccoon eyes", "Nikolsky sign", "Amsler grid",
              "Seidel test", "Thompson test", "Mulder sign", "Silfverskiold test", "pronator drift",
              "Hoffmann sign", "Kehr sign", "Cullen sign", "Finkelstein test", "Hawkins-Kennedy test",
              "Spurling test", "Chvostek sign", "Trousseau sign", "Grey Turner sign", "Thessaly test"),
    "labs": (("INR", "{:.1f}", 1.1, 4.8), ("anti-Xa", "{:.2f}", 0.1, 1.1), ("ferritin", "{:.0f}", 20, 2200),
             ("iPTH", "{:.0f}", 90, 900), ("ESR", "{:.0f}", 5, 110), ("COHb", "{:.1f}%", 0.5, 18.0)),
    "allergies": ("adhesive tape (blisters)", "chlorhexidine (rash)", "heparin (HIT)", "tramadol (seizure)"),
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
    "mon_dd_c_y": lambda d: f"{MON[d.month]} {d.day:02d}, {d.year}",             # Mar 04, 2021
    "dd_MON_yyyy": lambda d: f"{d.day:02d} {MON[d.month].upper()} {d.year}",     # 04 MAR 2021
    "y_mon_d_sp": lambda d: f"{d.year} {MON[d.month]} {d.day}",                  # 2021 Mar 4
    "mon_sl_dd_y": lambda d: f"{MON[d.month]}/{d.day:02d}/{d.year}",             # Mar/04/2021
    "mdy2_dash": lambda d: f"{d.month:02d}-{d.day:02d}-{d.year % 100:02d}",      # 03-04-21
    "ymd_sl_unpad": lambda d: f"{d.year}/{d.month}/{d.day}",                     # 2021/3/4
    "rfc_hdr": lambda d: f"{_WD[d.weekday()]}, {d.day:02d} {MON[d.month]} {d.year}",  # Thu, 04 Mar 2021
    "mdy_dot_unpad": lambda d: f"{d.month}.{d.day}.{d.year}",                    # 3.4.2021
    "MON_dd": lambda d: f"{MON[d.month].upper()} {d.day:02d}",                   # MAR 04
    "d_mon_yy_sp": lambda d: f"{d.day} {MON[d.month]} {d.year % 100:02d}",       # 4 Mar 21
    "wkday_mdy": lambda d: f"{_WEEKDAY[d.weekday()]} {d.month}/{d.day}/{d.year}",  # Thursday 3/4/2021
    "m_0d_y": lambda d: f"{d.month}/{d.day:02d}/{d.year}",                       # 3/04/2021
    "month_the_nth": lambda d: f"{MONTH[d.month]} the {ordinal(d.day)}",         # March the 4th
}
RANDOM_DATE_FORMATS = ("mdy_slash", "mdy_slash", "md", "mdy2", "iso", "mon_d", "mon_dd_c_y", "dd_MON_yyyy",
                       "mdy2_dash", "m_0d_y", "mdy_dot_unpad", "y_mon_d_sp")

AGE_FORMS = {
    "aet": ("aet. ", ""), "paren_y": ("(", "y)"), "years_sp": ("", " years"), "bracket_age": ("[age ", "]"),
    "age_c_yrs": ("Age: ", " yrs"), "year_old_hy": ("", "-year old"), "AGE_Y": ("AGE ", "Y"),
    "num": ("", ""),
}


# ----------------------------------------------------------------------------- identifiers
AREA_CODES = ("337", "985", "225", "504", "318", "228", "601", "662", "251", "334", "850", "806", "432",
              "915", "956", "361", "580", "405", "918", "620", "785", "316", "701", "605", "406", "307",
              "435", "775", "505", "575", "479", "870", "417", "573", "308", "402", "719", "970")


def _parts(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(AREA_CODES), str(rng.randint(220, 979)), digits(rng, 4)


def tel_spaces(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a} {b} {c}"


def tel_plus_spaces(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"+1 {a} {b} {c}"


def tel_one_paren(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"1 ({a}) {b}-{c}"


def tel_3_7(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}-{b}{c}"


def tel_endash(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}\u2013{b}\u2013{c}"


def tel_bare10(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}{b}{c}"


def tel_press(rng: random.Random) -> str:  # phone tree option after the number
    a, b, c = _parts(rng)
    return f"{a}-{b}-{c} #{rng.randint(1, 9)}"


def tel_campus5(rng: random.Random) -> str:
    return f"{rng.randint(4, 8)}-{digits(rng, 4)}"


def fax_spaces(rng: random.Random) -> str:
    return tel_spaces(rng)


def fax_one_paren(rng: random.Random) -> str:
    return tel_one_paren(rng)


def ssn_spaced(rng: random.Random) -> str:
    return ssn_value(rng, " ")


def ssn_hashmask(rng: random.Random) -> str:
    return f"###-##-{ssn_value(rng)[-4:]}"


def ssn_plain_dash(rng: random.Random) -> str:
    return ssn_value(rng)


def mrn_slash_m(rng: random.Random) -> str:
    return f"M/{rng.randint(1, 9)}{digits(rng, 6)}"


def mrn_pairs(rng: random.Random) -> str:
    return f"{rng.randint(10, 99)}-{digits(rng, 2)}-{digits(rng, 2)}-{rng.randint(0, 9)}"


def mrn_bracketed(rng: random.Random) -> str:
    return f"K{digits(rng, 7)}{letters(rng, 1)}"


def mrn_hash_grp(rng: random.Random) -> str:
    return f"{digits(rng, 2)}-{digits(rng, 3)}-{digits(rng, 3)}"


def acct_pfs(rng: random.Random) -> str:
    return f"PFS-{digits(rng, 10)}"


def acct_guarantor(rng: random.Random) -> str:
    return f"G{rng.randint(1, 9)}{digits(rng, 5)}-{rng.randint(1, 9)}"


def acct_4grp(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 3)} {digits(rng, 4)} {digits(rng, 4)}"


def hp_aetna_w(rng: random.Random) -> str:
    return f"W{rng.randint(1, 9)}{digits(rng, 8)}"


def hp_uhc(rng: random.Random) -> str:
    return f"{rng.randint(8, 9)}{digits(rng, 8)}{rng.randint(0, 2)}{rng.randint(1, 9)}"


def hp_tricare_dbn(rng: random.Random) -> str:
    return f"DBN {rng.randint(1, 9)}{digits(rng, 10)}"


def hp_va_icn(rng: random.Random) -> str:
    return f"10{digits(rng, 8)}V{digits(rng, 6)}"


def hp_medicaid_la(rng: random.Random) -> str:
    return f"{digits(rng, 4)}-{digits(rng, 4)}-{digits(rng, 5)}"


def lic_rrt(rng: random.Random) -> str:
    return f"RRT-{digits(rng, 5)}"


def lic_otr(rng: random.Random) -> str:
    return f"OTR/L {rng.randint(1000, 9999)}"


def lic_dpm(rng: random.Random) -> str:
    return f"DPM{digits(rng, 5)}"


def lic_od(rng: random.Random) -> str:
    return f"OD-{digits(rng, 4)}{letters(rng, 1)}"


def lic_crna(rng: random.Random) -> str:
    return f"CRNA.{digits(rng, 6)}"


def lic_ccp(rng: random.Random) -> str:  # certified clinical perfusionist
    return f"CCP#{digits(rng, 4)}"


def dl_mt13(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 12)}"


def dl_wy(rng: random.Random) -> str:
    return f"{digits(rng, 6)}-{digits(rng, 3)}"


def dl_ks(rng: random.Random) -> str:
    return f"K{digits(rng, 2)}-{digits(rng, 2)}-{digits(rng, 4)}"


def dev_woundvac(rng: random.Random) -> str:
    return f"WVA{digits(rng, 5)}{letters(rng, 2)}"


def dev_cgm_tx(rng: random.Random) -> str:
    return f"8G{digits(rng, 2)}{letters(rng, 2)}"


def dev_dialyzer(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{letters(rng, 3)}{digits(rng, 6)}-T"


def dev_o2conc(rng: random.Random) -> str:
    return f"OC{digits(rng, 3)}-{digits(rng, 3)}-{digits(rng, 3)}"


def dev_android(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(16))


def plate_num_first(rng: random.Random) -> str:
    return f"{digits(rng, 3)} {letters(rng, 3)}"


def plate_county(rng: random.Random) -> str:  # Montana-style county prefix
    return f"{rng.randint(1, 56)}-{digits(rng, 4)}{letters(rng, 1)}"


def vin_grouped(rng: random.Random) -> str:
    v = vin(rng)
    return f"{v[:3]} {v[3:8]} {v[8:11]} {v[11:]}"


def bb_unit(rng: random.Random) -> str:
    return f"W{digits(rng, 4)} {rng.randint(18, 24)} {digits(rng, 6)}"


def xm_specimen(rng: random.Random) -> str:
    return f"BB{rng.randint(18, 24)}-{digits(rng, 5)}"


def run_number(rng: random.Random) -> str:
    return f"{rng.randint(18, 24)}-{digits(rng, 6)}-{letters(rng, 1)}"


def court_docket(rng: random.Random) -> str:
    return f"{rng.choice(('CR', 'MH', 'JV'))}-{rng.randint(18, 24)}-{digits(rng, 5)}"


def student_id(rng: random.Random) -> str:
    return f"S{digits(rng, 7)}"


def psg_study(rng: random.Random) -> str:
    return f"PSG{digits(rng, 5)}"


def dexa_acc(rng: random.Random) -> str:
    return f"BD{digits(rng, 7)}"


def mammo_acc(rng: random.Random) -> str:
    return f"MG-{digits(rng, 3)}-{digits(rng, 4)}"


def hbo_tx(rng: random.Random) -> str:
    return f"HBO/{digits(rng, 4)}/{rng.randint(1, 40):02d}"


def covid_kit(rng: random.Random) -> str:
    return f"{letters(rng, 2)}{digits(rng, 8)}"


def burn_registry(rng: random.Random) -> str:
    return f"BR{digits(rng, 6)}"


def trauma_registry(rng: random.Random) -> str:
    return f"TR-{digits(rng, 7)}"


def stroke_code(rng: random.Random) -> str:
    return f"SC{digits(rng, 4)}{letters(rng, 1)}"


def meeting_id(rng: random.Random) -> str:
    return f"{rng.randint(81, 99)}{digits(rng, 1)} {digits(rng, 4)} {digits(rng, 4)}"


def acc_log(rng: random.Random) -> str:
    return f"AC{rng.randint(1, 9)}{digits(rng, 5)}"


def wound_order(rng: random.Random) -> str:
    return f"WO{digits(rng, 3)}.{digits(rng, 3)}"


def bmt_number(rng: random.Random) -> str:
    return f"BMT-{digits(rng, 4)}"


def marrow_acc(rng: random.Random) -> str:
    return f"BM{rng.randint(18, 24)}-{digits(rng, 4)}"


def ip_172_port(rng: random.Random) -> str:
    port = rng.choice((8443, 3389, 5060))
    return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}:{port}"


def ip_ula6(rng: random.Random) -> str:
    head = ":".join(f"{rng.randint(0, 65535):x}" for _ in range(3))
    return f"fd{head}::{rng.randint(1, 4095):x}"


def _ids() -> dict[str, tuple]:
    return {
        "PHONE": (tel_spaces, tel_spaces, tel_plus_spaces, tel_one_paren, tel_3_7, tel_endash, tel_bare10),
        "PHONE:menu": (tel_press,),
        "PHONE:campus": (tel_campus5,),
        "FAX": (fax_spaces, fax_one_paren),
        "SSN": (ssn_spaced, ssn_hashmask, ssn_plain_dash),
        "MRN": (mrn_slash_m, mrn_pairs, mrn_bracketed, mrn_hash_grp),
        "ACCT": (acct_pfs, acct_4grp),
        "ACCT:guar": (acct_guarantor,),
        "HPLAN": (hp_aetna_w, hp_uhc, hp_medicaid_la),
        "HPLAN:tricare": (hp_tricare_dbn,),
        "HPLAN:va": (hp_va_icn,),
        "LIC": (lic_rrt, lic_otr, lic_dpm, lic_od, lic_crna, lic_ccp),
        "LIC:dl": (dl_mt13, dl_wy, dl_ks),
        "DEVICE": (dev_woundvac, dev_cgm_tx, dev_dialyzer, dev_o2conc),
        "DEVICE:android": (dev_android,),
        "VEHICLE": (plate_num_first, plate_county, vin_grouped),
        "ID": (bb_unit,),
        "ID:xm": (xm_specimen,),
        "ID:run": (run_number,),
        "ID:court": (court_docket,),
        "ID:student": (student_id,),
        "ID:psg": (psg_study,),
        "ID:dexa": (dexa_acc,),
        "ID:mammo": (mammo_acc,),
        "ID:hbo": (hbo_tx,),
        "ID:covid": (covid_kit,),
        "ID:burn": (burn_registry,),
        "ID:trauma": (trauma_registry,),
        "ID:stroke": (stroke_code,),
        "ID:meet": (meeting_id,),
        "ID:acc": (acc_log,),
        "ID:wound": (wound_order,),
        "ID:bmt": (bmt_number,),
        "ID:marrow": (marrow_acc,),
        "IP": (ip_172_port, ip_ula6),
    }


# ----------------------------------------------------------------------------- name forms
def _name_forms(p) -> dict[str, str]:
    return {
        "LFslash": f"{p.last}/{p.first}".upper(),               # ADHIKARI/ANJALI (pharmacy label)
        "hl7": f"{p.last}^{p.first}",                           # Adhikari^Anjali (interface dump)
        "dotlogin": f"{p.first}.{p.last}".lower(),              # anjali.adhikari
        "f_dot_LAST": f"{p.first[0]}. {p.last.upper()}",        # A. ADHIKARI
        "last_ini": f"{p.last} {p.first[0]}{p.middle[0]}",      # Adhikari AM (citation style)
        "first_li": f"{p.first} {p.last[0]}",                   # Anjali A
    }


# ----------------------------------------------------------------------------- messiness
_OCR = (("the", "tbe"), ("with", "witli"), ("normal", "norrnal"), ("time", "tirne"), ("home", "horne"),
        ("will", "wi11"), ("follow", "fol1ow"), ("patient", "patlent"), ("clinic", "c1inic"),
        ("family", "farnily"), ("left", "1eft"), ("reviewed", "reviewcd"), ("return", "retum"))
_CAP_STARTS = ("The ", "Patient ", "She ", "He ", "No ", "Will ", "Plan ", "Pt ")


def _mess_factory(rng: random.Random, level: float = 0.08) -> Callable[[str], str]:
    """Literal text -> messier literal text; the first and last character of a piece are kept, so a
    neighbouring PHI value keeps its word boundaries."""

    def mess(s: str) -> str:
        if len(s) < 4:
            return s
        head, mid, tail = s[0], s[1:-1], s[-1]
        r = rng.random()
        if r < 1.2 * level:  # OCR confusion of a whole word (scanned forms)
            hits = [(a, b) for a, b in _OCR if re.search(rf"\b{a}\b", mid)]
            if hits:
                a, b = rng.choice(hits)
                mid = re.sub(rf"\b{a}\b", b, mid, count=1)
        elif r < 1.8 * level:  # form feed at a page break of a scanned or printed document
            i = mid.find("\n")
            if 0 <= i < len(mid) - 1:
                mid = mid[:i] + "\n\x0c" + mid[i + 1:]
        elif r < 2.6 * level:  # word-processor punctuation pasted in
            if " - " in mid:
                mid = mid.replace(" - ", " \u2013 ", 1)
            elif ". " in mid:
                mid = mid.replace(". ", "\u2026 ", 1)
        elif r < 3.4 * level:  # no space after a colon
            m = re.search(r"([a-z]): ([A-Za-z])", mid)
            if m:
                mid = mid[:m.start()] + m.group(1) + ":" + m.group(2) + mid[m.end():]
        elif r < 4.2 * level:  # sentence started in lower case
            m = re.search(r"[a-z]{2}\. ([A-Z])[a-z]", mid)
            if m:
                mid = mid[:m.start(1)] + m.group(1).lower() + mid[m.end(1):]
        return head + mid + tail

    return mess


# ----------------------------------------------------------------------------- transliteration
# Devanagari (hi, ne, mr) and Tamil are abugidas: a consonant carries an inherent "a" unless a vowel sign
# or a virama follows it.
_DEVA_CONS = dict(zip("कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसहळ",
                      ("k", "kh", "g", "gh", "ng", "ch", "chh", "j", "jh", "n", "t", "th", "d", "dh", "n",
                       "t", "th", "d", "dh", "n", "p", "ph", "b", "bh", "m", "y", "r", "l", "v", "sh", "sh",
                       "s", "h", "l"), strict=True))
_DEVA_VOW = dict(zip("अआइईउऊऋएऐओऔऑ", ("a", "a", "i", "i", "u", "u", "ri", "e", "ai", "o", "au", "o"),
                     strict=True))
_DEVA_SIGN = dict(zip("ािीुूृेैोौॅॉ", ("a", "i", "i", "u", "u", "ri", "e", "ai", "o", "au", "e", "o"),
                      strict=True))
_DEVA_MISC = {"ं": "n", "ँ": "n", "ः": "h"}
_TAMIL_CONS = dict(zip("கஙசஞடணதநபமயரலவழளறனஜஷஸஹஶ",
                       ("k", "ng", "s", "nj", "d", "n", "th", "n", "p", "m", "y", "r", "l", "v", "zh", "l",
                        "r", "n", "j", "sh", "s", "h", "sh"), strict=True))
_TAMIL_VOW = dict(zip("அஆஇஈஉஊஎஏஐஒஓஔ", ("a", "aa", "i", "ee", "u", "oo", "e", "e", "ai", "o", "o", "au"),
                      strict=True))
_TAMIL_SIGN = dict(zip("ாிீுூெேைொோௌ", ("aa", "i", "ee", "u", "oo", "e", "e", "ai", "o", "o", "au"),
                       strict=True))


def _abugida(s: str, cons: dict, vow: dict, sign: dict, misc: dict, virama: str, schwa_drop: bool) -> str:
    out: list[str] = []
    chars = [c for c in s if c not in "\u093c\u200c\u200d"]  # nukta, zero-width (non-)joiner
    last_inherent = -1
    conjunct = False
    for i, c in enumerate(chars):
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if c in cons:
            prev_virama = i > 0 and chars[i - 1] == virama
            out.append(cons[c])
            if nxt in sign or nxt == virama:
                continue
            out.append("a")
            last_inherent, conjunct = len(out) - 1, prev_virama
        elif c in sign:
            out.append(sign[c])
        elif c in vow:
            out.append(vow[c])
        elif c in misc:
            out.append(misc[c])
        elif c == virama:
            continue
        else:
            return ""  # a character we cannot spell: drop the name
    if schwa_drop and last_inherent == len(out) - 1 and len(out) > 3 and not conjunct:
        out.pop()  # Hindi/Nepali drop a word-final inherent vowel: Ajay, not Ajaya
    word = "".join(out)
    return word[:1].upper() + word[1:]


_L = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_V = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
      "yu", "eu", "ui", "i")
_T = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
      "ng", "t", "t", "k", "t", "p", "t")


def _hangul(s: str) -> str:
    """Revised Romanization of Hangul syllables (without the sound-change rules)."""
    out = []
    for c in s:
        code = ord(c) - 0xAC00
        if not 0 <= code < 11172:
            return ""
        out.append(_L[code // 588] + _V[(code % 588) // 28] + _T[code % 28])
    word = "".join(out)
    return word[:1].upper() + word[1:]


def _translit(name: str, loc: str) -> str:
    if loc == "ko_KR":
        return _hangul(name)
    if loc == "ta_IN":
        return _abugida(name, _TAMIL_CONS, _TAMIL_VOW, _TAMIL_SIGN, {}, "\u0bcd", False)
    return _abugida(name, _DEVA_CONS, _DEVA_VOW, _DEVA_SIGN, _DEVA_MISC, "\u094d", True)


def _locale_names(loc: str) -> tuple[list[str], list[str], list[str]]:
    p = importlib.import_module(f"faker.providers.person.{loc}").Provider
    male = list(getattr(p, "first_names_male", ()) or ())
    female = list(getattr(p, "first_names_female", ()) or ())
    last = list(getattr(p, "last_names", ()) or ())
    return tuple([t for t in (_translit(x, loc) for x in lst) if t] for lst in (male, female, last))


# locale -> (male, female, last) caps, so no single locale dominates
_LOCALE_CAPS = {"ne_NP": (70, 70, 320), "hi_IN": (45, 45, 70), "mr_IN": (12, 10, 20), "ta_IN": (55, 60, 420),
                "ko_KR": (30, 30, 25)}
# real surnames / given names that are also ordinary English words
_WORD_LAST = ("Hammer", "Mallet", "Spindle", "Thimble", "Quill", "Kestrel", "Heron", "Puddle", "Meadow",
              "Gravel", "Pebbles", "Tumbler", "Skillet", "Ladle", "Kettleman", "Bucketts", "Bellows",
              "Trowel", "Shovel", "Bushel", "Wicket", "Gable", "Rafter", "Shingle", "Cellar", "Attic",
              "Hearth", "Chimney", "Lintel", "Spigot", "Ratchet", "Sprocket", "Tallow", "Pewter", "Saffron",
              "Nutmeg",
              "Parsley", "Turnip", "Radish", "Cabbage", "Walrus", "Beaver", "Weasel", "Ferret", "Starling",
              "Plover", "Puffin", "Pelican")
_WORD_FIRST_F = ("Juniper", "Marigold", "Tulip", "Cinnamon", "Ember", "Saylor", "Wrenna", "Sparrowe",
                 "Meadowlark", "Primrose", "Zinnia", "Dahlia", "Acacia", "Calla", "Clementine", "Sage",
                 "Serenity", "Trinity", "Destiny", "Kindness", "Temperance", "Verity", "Halcyon", "Lark")
_WORD_FIRST_M = ("Archer", "Booker", "Sailor", "Cannon", "Banner", "Fox", "Hawk", "Steel", "Blaze", "Ash",
                 "Ryder", "Ledger", "Judge", "Marshal", "Sheriff", "Captain", "Cash", "Maverick", "Tucker",
                 "Bronco", "Diesel", "Gauge", "Stetson", "Wrangler")

_SUR_HEAD = ("Etxe", "Goi", "Iri", "Olab", "Urki", "Zubi", "Arri", "Legar", "Mendi", "Ibar", "Aran", "Lasa")
_SUR_TAIL = ("zabal", "koetxe", "barren", "gaitz", "ondoa", "aurre", "txipi", "lategi", "buruko", "zelai")
_GIVEN_HEAD = ("Aur", "Bel", "Cel", "Ios", "Mael", "Ner", "Sul", "Tav", "Ezt", "Gui", "Rai", "Vidal")
_GIVEN_TAIL_F = ("ina", "eta", "ouna", "ara", "ieta")
_GIVEN_TAIL_M = ("ic", "ou", "eric", "ald", "ot")


DEV6_CITIES = (
    "Mamou", "Church Point", "Rayne", "Kaplan", "Gueydan", "Jennings", "Iota", "Basile", "Oberlin", "Kinder",
    "DeRidder", "Leesville", "Zwolle", "Winnfield", "Haynesville", "Farmerville", "Oak Grove",
    "Lake Providence",
    "Tallulah", "Ferriday", "Vidalia", "Jonesville", "Marksville", "Bunkie", "Simmesport", "Plaquemine",
    "Donaldsonville", "Napoleonville", "Labadieville", "Raceland", "Golden Meadow", "Cut Off", "Galliano",
    "Grand Isle", "Pierre Part", "Franklinton", "Amite", "Kentwood", "Greensburg", "Poplarville", "Wiggins",
    "Lucedale", "Leakesville", "Waynesboro", "Kosciusko", "Mendenhall", "Magee", "Prentiss", "Tylertown",
    "Woodville", "Port Gibson", "Rolling Fork", "Belzoni", "Indianola", "Ruleville", "Tutwiler", "Dumas",
    "Stratford", "Perryton", "Spearman", "Canadian", "Shamrock", "Clarendon", "Childress", "Quanah",
    "Paducah", "Crowell", "Seymour", "Muleshoe", "Littlefield", "Levelland", "Brownfield", "Denver City",
    "Kermit", "Wink",
    "McCamey", "Rankin", "Iraan", "Ozona", "Sonora", "Eldorado", "Rocksprings", "Brackettville", "Sanderson",
    "Marfa", "Presidio", "Van Horn", "Fort Stockton", "Ulysses", "Hugoton", "Elkhart", "Tribune", "Leoti",
    "Scott City", "Oakley", "WaKeeney", "Ness City", "Dighton", "Kinsley", "Coldwater", "Medicine Lodge",
    "Anthony", "Kingman", "Lyons", "Ellsworth", "Beloit", "Mankato", "Belleville", "Marysville", "Seneca",
    "Hiawatha", "Holton", "Imperial", "Benkelman", "Trenton", "Stratton", "Arapahoe", "Holdrege", "Minden",
    "Burwell", "Ainsworth", "Bassett", "O'Neill", "Atkinson", "Hyannis", "Mullen", "Thedford", "Oshkosh",
    "Chappell", "Kimball", "Gering", "Rushville", "Hay Springs", "Wibaux", "Ekalaka", "Broadus", "Scobey",
    "Plentywood", "Wolf Point", "Glasgow", "Malta", "Chinook", "Shelby", "Cut Bank", "Browning", "Choteau",
    "Conrad", "Harlowton", "Roundup", "Hardin", "Red Lodge", "Big Timber", "Townsend", "Philipsburg",
    "Thompson Falls", "Libby", "Sundance", "Moorcroft", "Lusk", "Wheatland", "Torrington", "Kemmerer",
    "Pinedale", "Dubois", "Thermopolis", "Worland", "Lovell", "Greybull", "Raton", "Springer", "Clayton",
    "Mosquero", "Santa Rosa", "Fort Sumner", "Vaughn", "Estancia", "Moriarty", "Belen", "Los Lunas",
    "Magdalena", "Reserve", "Truth or Consequences", "Hatch", "Lordsburg", "Carrizozo", "Ruidoso",
    "Cloudcroft", "Artesia", "Lovington", "Jal", "Tatum", "Portales", "Chama", "Dulce", "Espanola",
    "Bernalillo", "Mena", "Waldron", "Ozark", "Clarksville Ar", "Heber Springs", "Marshall Ar", "Jasper Ar",
    "Berryville", "Eureka Springs", "Huntsville Ar", "Ava", "Gainesville Mo", "Doniphan", "Van Buren Mo",
    "Eminence", "Salem Mo", "Houston Mo", "Cabool", "Mountain Grove", "Hartville",
)
_STREET_WORDS = (
    "Bayou Teche", "Levee", "Cane Field", "Pecan Grove", "Crawfish", "Mesquite", "Caliche", "Tumbleweed",
    "Windmill", "Prairie Dog", "Sandhill", "Buffalo Wallow", "Sagebrush", "Juniper Draw", "Arroyo", "Acequia",
    "Pinon", "Chamisa", "Cholla", "Ocotillo", "Razorback", "Sorghum", "Grain Elevator", "Feedlot",
    "Section Line", "Oxbow", "Palmetto", "Live Oak Alley", "Gator Pond", "Saltgrass", "Shrimp Boat",
    "Cattle Guard",
)
_STATES = ("LA", "MS", "AL", "OK", "KS", "NE", "ND", "SD", "MT", "WY", "NM", "AR", "Louisiana", "Okla.",
           "Kans.", "Nebr.", "N. Dak.", "Mont.", "Wyo.", "N. Mex.", "Ark.", "Miss.")
_SAINTS = ("Landry", "Tammany", "Bernadette", "Martin de Porres", "Kateri", "Isidore")
_FAC_WORDS = ("High Plains", "Red River", "Sandhills", "Gulf Breeze", "Big Sky", "Painted Desert")


@lru_cache(maxsize=1)
def dev6_style() -> Style:
    others = (tuning_style(), dev_style(), dev2_style(), dev3_style(), dev4_style(), dev5_style())
    vocab = _vocab()
    other_cities = {c.lower() for s in others for c in s.cities}
    c = [x for x in DEV6_CITIES if x.lower() not in other_cities]
    cities = other_cities | {x.lower() for x in DEV6_CITIES}
    used = set().union(*(name_pool_words(s) for s in others))
    used_streets = set().union(*(set(s.street_names) for s in others))
    en_us = {n.lower() for lst in faker_names(("en_US",)) for n in lst}
    # word names are exempt from the vocabulary and en_US bans only, never from disjointness
    word_names = {w.lower() for w in (*_WORD_LAST, *_WORD_FIRST_F, *_WORD_FIRST_M)} - used - cities
    streets = {w.lower() for w in (*_STREET_WORDS, *used_streets)}
    banned = (_NON_NAMES | used | cities | streets | en_us
              | (_vocab_words(vocab) - word_names))
    rng = random.Random("heldout-6-pools")
    male, female, last = draw_name_pools(
        rng, ((caps, _locale_names(loc)) for loc, caps in _LOCALE_CAPS.items()), banned, word_names,
        invented=((_SUR_HEAD, _SUR_TAIL, 60), (_GIVEN_HEAD, _GIVEN_TAIL_F, 35),
                  (_GIVEN_HEAD, _GIVEN_TAIL_M, 35)),
        words=(_WORD_LAST, _WORD_FIRST_F, _WORD_FIRST_M))
    hospitals = sorted({
        *(f"{x} Parish Medical Center" for x in c[:8]),
        *(f"{x} Regional Hospital Authority" for x in c[40:45]),
        *(f"{x} Critical Access Hospital" for x in c[60:66]),
        *(f"{x} Comprehensive Health Care Facility" for x in c[103:106]),
        *(f"St. {w} Parish Hospital" for w in _SAINTS),
        *(f"{x} Mennonite Hospital" for x in c[66:69]),
        *(f"{x} Osteopathic Hospital" for x in c[86:89]),
        *(f"{rng.choice(last)} Burn & Trauma Center" for _ in range(2)),
        *(f"{rng.choice(last)} Memorial Heart Institute" for _ in range(2)),
        *(f"{x} Frontier Medical Center" for x in c[89:93]),
        *(f"{w} Health System" for w in _FAC_WORDS[:3]),
    })
    facilities = sorted({
        *(f"{x} Cardiac Rehab" for x in c[16:19]),
        *(f"{x} Sleep Disorders Lab" for x in c[19:22]),
        *(f"{x} Wound & Hyperbaric Center" for x in c[22:25]),
        *(f"{x} Breast Imaging" for x in c[25:28]),
        *(f"{x} Vascular Access Center" for x in c[28:31]),
        *(f"{x} Foot & Ankle Clinic" for x in c[31:34]),
        *(f"{x} Eye Associates" for x in c[45:48]),
        *(f"{x} Anticoagulation Clinic" for x in c[48:51]),
        *(f"{x} Drive-Thru Testing Site" for x in c[51:54]),
        *(f"{x} Independent School District" for x in c[54:58]),
        *(f"{w} Home Medical" for w in _FAC_WORDS[3:]),
    })
    used_places = set().union(*({h.lower() for h in s.hospitals + s.facilities} for s in others))
    hospitals = [h for h in hospitals if h.lower() not in used_places]
    facilities = [f for f in facilities if f.lower() not in used_places]
    street_names = tuple(w for w in (*_STREET_WORDS, *last[:100]) if w not in used_streets)
    return Style(
        name="dev6",
        templates=DEV6_TEMPLATES,
        first_male=tuple(male), first_female=tuple(female), last=tuple(last),
        cities=tuple(c),
        street_names=street_names,
        street_suffixes=("Rd. W", "Cutoff", "Frontage Rd", "County Rd", "Spur Rd", "Trce.", "Bnd", "Trail SE",
                         "Lane W", "Hwy. N", "Street", "Road", "Drive", "Avenue", "Ln"),
        units=("", "", "", "", "No. {n}", "Trailer {n}{l}", "Rear", "Upper", "Apt {l}{n}"),
        hospitals=tuple(hospitals), facilities=tuple(facilities),
        email_domains=("cox-internet.com", "nctc.com", "rtconnect.net", "vtc.net", "wyoming.com",
                       "swbell.net", "laposte.net", "hey.com", "mailbox.org"),
        web_hosts=("rehab", "sleeplab", "anticoag", "telepsych", "covidresults", "woundcare"),
        states=_STATES,
        date_formats=DATE_FORMATS,
        random_date_formats=RANDOM_DATE_FORMATS,
        name_forms=("full", "lf", "LFslash", "last_ini", "f_dot_LAST", "mid", "fl", "last"),
        age_forms=AGE_FORMS,
        ids=_ids(),
        email_forms=("{f}{last}{nn}@{domain}", "{first}{nn}.{last}@{domain}", "{last}-{first}@{domain}",
                     "{first}{f}{last}@{domain}"),
        url_forms=("https://{hslug}.org/{host}/appt/{id}", "{host}.{hslug}.us/?mrn={id}",
                   "http://{hslug}.com/{host}-{id}.pdf", "https://app.{hslug}.care/{host}#{id}"),
        bullets=("{i}.) ", "\u2022\t", "--> ", "[ ] ", "{i}> "),
        vocab=vocab,
        mess=_mess_factory,
        p_old=0.3,
        extra_name_forms=_name_forms,
    )


# ----------------------------------------------------------------------------- templates
DEV6_TEMPLATES = (
    # ------------------------------------------------------------------ discharge
    Template("cardiac_rehab_completion", "discharge", """\
{FAC} -- Phase II [[cardiac rehab]] DISCHARGE / COMPLETION SUMMARY
Participant: {PT.hl7}    MRN {MRN}    {AGE:years_sp}    Sessions 36/36
Referring cardiologist: Dr. {DR2.last_ini}    Medical director: Dr. {DR.full}    Exercise physiologist: {X.fl}

Qualifying event: <<[[CABG]] x3|NSTEMI with [[PCI]] to the LAD|[[HFrEF]], EF 30%>> at {HOSP} \
(discharged {D.prev:mon_dd_c_y}). Program dates {D.adm:mon_sl_dd_y} through {D.dis:mon_sl_dd_y}.
Risk factors: [[HTN]], {PMH_INLINE}. Quit tobacco in <<2009|2015|2019>>.
Outcomes: 6MWT 310 -> 452 m; METs 3.1 -> 6.4; PHQ-9 11 -> 4; weight down 5 kg. Resting {VITALS}.
Meds at completion: {MEDS_INLINE}; [[rivaroxaban]] 20 mg daily <<was stopped|continues>>.
Home exercise plan given; {PT.first} walks with {PT.his} {REL.rel} {REL.first_li} at the {CITY} rec center.
Phase III maintenance starts {D.next:mon_d} -- portal {URL}. Questions: {PHONE.rehab} or {EMAIL.pt}.
Copies to:  {PCP.LFslash} (fax {FAX})  /  {DR2.full}, MD  /  file {PT.dotlogin}_rehab_{D.dis:iso}.pdf
"""),
    Template("burn_unit_discharge", "discharge", """\
{HOSP}  REGIONAL BURN CENTER   Discharge Summary
Name {PT.f_dot_LAST}  ({PT.full})   Burn registry {ID:burn}   Acct {ACCT}
Admit {D.adm:dd_MON_yyyy}   D/C {D.dis:dd_MON_yyyy}   Attending {DR.full}, MD, FACS

Mechanism: <<grease fire in kitchen|gasoline burn while burning brush|house fire, found by {PT.his} \
{REL.rel}>> at home ({STREET}, {CITY}, {STATE}). TBSA 14% (<<8|11>>% [[partial-thickness burn]], 3% \
full-thickness) to R arm, chest and hands. \
<<[[inhalation injury]] suspected, COHb 9.2%.|No inhalation injury.>>
Course:
{COURSE}
OR {D.proc:mdy2_dash}: excision and [[split-thickness skin graft]] R forearm (donor L thigh). \
[[escharotomy]] not needed.
Dressings: [[silver sulfadiazine]] 1% cream to face BID; Mepilex Ag to donor site.
Discharge meds:
{MEDS}
Follow-up: burn clinic {D.fu:mon_dd_c_y} ({PHONE.clinic}), OT splint check -- therapist {X.full}, \
{LIC}. Home health: {FAC}.
Emergency contact {REL.full} ({REL.rel}) {PHONE.rel}
Dict: {DR.last_ini}/{RN.ini2}   job 7731   T: {D.dis:mdy_dot_unpad}
"""),
    Template("court_ordered_evaluation", "discharge", """\
{CITY} COUNTY DISTRICT COURT -- COURT-ORDERED PSYCHIATRIC EVALUATION AND DISCHARGE
Docket {ID:court}      Hon. {X.f_dot_LAST}, presiding
Respondent: {PT.full}   DOB {D.dob:m_0d_y}   {AGE:age_c_yrs}   Facility MRN {MRN}
Evaluator: Dr {DR.full}, board-certified forensic psychiatry   Site: {HOSP}

Referral question: <<competency to stand trial|need for involuntary commitment|risk assessment prior to \
release>>. Petition filed by {PT.his} {REL.rel}, {REL.full}, on {D.adm:rfc_hdr}.
Sources: interview ({D.proc:mdy_slash}, 95 min), collateral from {REL.first} ({PHONE.rel}) and case \
manager {X.full}; records from {HOSP2}; jail medical records (booking {ID:court}).
History: {PMH_INLINE}. Two prior admissions (2016, 2019). Treated with [[clozapine]] 100 mg in the past; \
now on [[lurasidone]] 40 mg with good adherence.
Mental status: calm, linear, no AH/VH today. MoCA 26/30. Understands charges and roles of the court.
Opinion: <<competent to proceed|does not meet criteria for commitment; discharged to outpatient care|\
meets criteria; 30-day order recommended>>. Dx {DX}.
Outpatient f/u at {FAC}, {STREET}, {CITY} {ZIP}; crisis line 988.
cc: Public Defender {X.last_ini}; Assistant DA {X.hl7}; {PCP.full}
/s/ {DR.fl}, MD   {D.dis:month_the_nth}, {D.dis:mdy_slash}
"""),
    Template("hyperbaric_course_summary", "discharge", """\
HYPERBARIC MEDICINE -- COURSE COMPLETION  ({FAC})
pt: {PT.lf}  |  {MRN}  |  {AGE:paren_y}  |  plan {HPLAN}
Indication: <<[[radiation proctitis]] after prostate RT in 2017|[[chronic osteomyelitis]] of the R heel|\
[[diabetic foot ulcer]], Wagner grade 3|carbon monoxide poisoning>>.
Treatments: {ID:hbo} series, 40 dives at 2.4 ATA x 90 min, {D.adm:ymd_sl_unpad} to {D.dis:ymd_sl_unpad}.
Complications: <<none|mild ear barotrauma (TEED 1), resolved|myopia, expected to resolve>>. \
Pre-dive glucose checks 140-220; [[hyperbaric oxygen therapy]] held x1 for fever.
Wound: 3.2 x 2.1 cm -> 0.8 x 0.5 cm; granulating. [[negative pressure wound therapy]] continues \
(unit {DEVICE}).
Next: wound clinic with Dr. {DR.last} on {D.fu:d_mon_yy_sp}; PCP {PCP.full}.
Transport: {PT.his} {REL.rel} {REL.first} drives ({VEHICLE}).
Safety officer {X.fl}, CHT.   Physician: {DR.full}, MD, UHM
"""),
    Template("bmt_discharge", "discharge", """\
BLOOD & MARROW TRANSPLANT -- DISCHARGE SUMMARY
{HOSP}    BMT # {ID:bmt}    unit 9 West
{PT.LFslash}    MRN: {MRN}    DOB: {D.dob:mdy_slash}    {AGE:num} y/o {PT.sex}
Donor: <<{PT.his} {REL.rel} {REL.full} (10/10 match)|unrelated donor, 9/10|autologous>>
Transplant day 0: {D.proc:wkday_mdy}    Discharged day +<<18|21|26>>: {D.dis:wkday_mdy}

Dx: [[myelodysplastic syndrome]]<<|, high risk>>; conditioning Flu/Mel. \
Engraftment: ANC > 500 on day +14, platelets > 20k on day +19 (last [[bone marrow biopsy]] {D.prev:mdy2}).
Course:
{COURSE}
GVHD prophylaxis: tacrolimus, methotrexate. [[filgrastim]] 5 mcg/kg stopped at engraftment.
Meds:
{MEDS}
Caregiver 24/7: {REL.full}, {PHONE.rel}; local lodging {STREET}, {CITY}. Must stay within 30 min of \
{HOSP} until day +100.
Labs twice weekly at {FAC}. Guarantor acct {ACCT:guar}. \
Fever >= 100.4: call BMT line {PHONE.bmt:menu} immediately.
{DR.full}, MD / {X.full}, NP ({LIC})
"""),
    # ------------------------------------------------------------------ radiology (and other reports)
    Template("dexa_report", "radiology", """\
BONE DENSITOMETRY (DXA) REPORT
{FAC}   Accession {ID:dexa}   Scanner {DEVICE:android}
{PT.LFslash}   MRN {MRN}   {AGE:AGE_Y}   {PT.mf}   exam {D.proc:mon_dd_c_y}
Referring: Dr. {DR2.f_dot_LAST}

Indication: <<postmenopausal, on [[alendronate]] since 2016|long-term prednisone|hyperparathyroidism>>. \
Height 160 cm, weight 58 kg.
Results:
  Site           BMD (g/cm2)   T-score   Z-score
  L1-L4          0.842         -2.6      -1.1
  L femoral neck 0.611         -2.3      -0.8
  Total hip      0.702         -1.9      -0.5
Prior study {D.prev:mon_dd_c_y} at {HOSP2}: L1-L4 change -3.1% (significant, LSC 2.8%).
FRAX 10-yr risk: major osteoporotic 22%, hip 4.1%.
Impression: <<[[osteoporosis]]|[[osteopenia]], high fracture risk>> per WHO criteria. Consider \
<<[[zoledronic acid]] 5 mg IV yearly|[[denosumab]] 60 mg SQ q6mo|continuing therapy>>.
Read by {DR.full}, MD, CCD   {D.today:dd_MON_yyyy}
"""),
    Template("mammo_callback_letter", "radiology", """\
{FAC}
{STREET}
{CITY}, {STATE} {ZIP}

{D.today:month_d_y}

{PT.full}
ref. {ID:mammo}

Dear {PT.mr} {PT.last},

Thank you for having your screening mammogram at {FAC} on {D.proc:month_the_nth}. Your radiologist, \
Dr. {DR.last}, found an area that needs a closer look (BI-RADS 0, incomplete). This is common: most \
women who are called back do not have cancer.
Please call {PHONE.sched} to schedule a [[diagnostic mammogram]] and possible ultrasound. Bring this \
letter. Your doctor, Dr. {PCP.last}, has also received a copy.
Findings (for your doctor): <<focal asymmetry R breast upper outer quadrant, posterior depth|\
new calcifications L breast 2 o'clock, 6 cm FN|architectural distortion L breast on tomosynthesis>>. \
Breast density: heterogeneously dense (C). Prior exams {D.prev:mdy_slash} for comparison.
If you have questions, call the breast care navigator {X.full} at {PHONE.nav} or write to {EMAIL.nav}.

Sincerely,
{DR.fl}, MD -- Breast Imaging
CC: {PCP.last_ini}, MD ({FAX})   Patient DOB {D.dob:mdy_slash}   Chart {MRN}
"""),
    Template("cpap_titration_study", "radiology", """\
POLYSOMNOGRAPHY -- [[CPAP titration]] REPORT
{FAC}   study {ID:psg}   night of {D.proc:rfc_hdr}
Patient {PT.last_ini} ({PT.full})   MRN {MRN}   DOB {D.dob:mdy2_dash}   BMI 38
Referring: Dr. {DR2.last}   Scoring tech: {X.first_li}, RPSGT   Interpreting: {DR.fl}, MD

History: [[OSA on CPAP]] intolerance; diagnostic study {D.prev:mdy2_dash} AHI 32/h, nadir SpO2 79%. \
Epworth 14/24. <<[[central sleep apnea]] on opioids suspected.|No opioid use.>>
Titration: CPAP 5 -> 13 cm H2O, medium full-face mask (ResMed F20). At 12 cm: AHI 3.1/h, supine REM \
observed, SpO2 nadir 90%. <<BiPAP 16/12 trialed for pressure intolerance.|>>
Sleep efficiency 81%, arousal index 14/h. Limb movements 4/h. EKG: {EKG_LINE}
Impression: <<optimal pressure CPAP 12 cm H2O|adequate titration at BiPAP 16/12|inadequate titration; \
repeat study>>.
DME order to {FAC}; device serial on delivery {DEVICE}; modem data to {URL}.
Compliance check {D.fu:mdy_dot_unpad}. Driving: counselled (CDL holder).
"""),
    Template("bone_marrow_biopsy_report", "radiology", """\
HEMATOPATHOLOGY -- BONE MARROW ASPIRATE AND CORE BIOPSY
Case {ID:marrow}   {HOSP} Laboratory Medicine   CLIA 19D0462183
Patient: {PT.hl7}   MR# {MRN}   DOB {D.dob:m_0d_y}   sex {PT.mf}
Collected {D.proc:y_mon_d_sp} (posterior iliac crest, R) by {DR2.fl}, MD; received {D.proc:y_mon_d_sp}
Clinical: {PMH_INLINE}; pancytopenia, ferritin 1870.

Aspirate: cellular, spicular. Differential (500 cells): blasts 7%, promyelocytes 2%, myelocytes 11%, \
erythroid 34% with megaloblastoid change, ring sideroblasts 18%.
Core: 70% cellular (expected 30%); dysplastic megakaryocytes; reticulin MF-1.
Flow: CD34+ blasts 6.2%, aberrant CD7. Cytogenetics: 46,XX,del(5q)[12]/46,XX[8]. NGS: SF3B1 pending.
Diagnosis:
{IMPRESSION}
Consistent with [[myelodysplastic syndrome]] with excess blasts (MDS-EB1), IPSS-R high.
Electronically signed {D.today:y_mon_d_sp} {TIME} -- {DR.full}, MD   copy: {DR2.last_ini}, {PCP.f_dot_LAST}
"""),
    Template("crossmatch_report", "radiology", """\
BLOOD BANK / TRANSFUSION SERVICE -- [[type and crossmatch]] REPORT
{HOSP}        specimen {ID:xm}        drawn {D.adm:MON_dd} {TIME} by {RN.dotlogin}
{PT.LFslash}      {MRN}      DOB {D.dob:mdy_slash}      armband verified by two RNs

ABO/Rh: <<O POS|A NEG|B POS|AB POS>>     Antibody screen: <<negative|POSITIVE -- anti-K identified>>
DAT: negative.    Prior BB history at {HOSP2}: <<none|anti-E (2017)>>.
Units crossmatched (IS + AHG, compatible):
  {ID}    RBC LR    exp {D.next:mdy_slash}
  {ID:xmb}    RBC LR    exp {D.next:mdy_slash}
Issued to OR 7 for <<[[CABG]]|hip fracture repair|[[GI]] bleed>>; ordering {DR.f_dot_LAST} \
(pager {PHONE.dr:campus}). Transfusion reaction workup: none reported.
Reviewed by {DR2.full}, MD, medical director.   {D.today}
Filed under {DR.LF}.
"""),
    # ------------------------------------------------------------------ progress
    Template("dialysis_access_clinic", "progress", """\
Dialysis Access Clinic -- {FAC}       {D.today:m_0d_y}
{PT.full} / {MRN} / {AGE:year_old_hy} {PT.sex} / HD unit: {HOSP2} (MWF 2nd shift)
Nephrologist Dr. {DR2.full}; vascular surgeon {DR.full}, MD

Access: L brachiocephalic AVF created {D.prev:mon_dd_c_y}. Per HD RN: prolonged bleeding after needle \
removal, venous pressures 240, Kt/V 1.1. <<[[thrill absent]] at the anastomosis today|thrill present, \
pulsatile upstream>>.
Exam: aneurysmal segment 2.5 cm, skin intact. Hand warm; [[Allen test]] normal. No [[dialysis access steal \
syndrome]].
Labs: {LABS}. Meds: [[epoetin alfa]], [[sevelamer]] 800 mg TID with meals, [[calcitriol]].
A/P: [[AV fistula stenosis]], probable outflow. [[fistulogram]] with angioplasty {D.fu:mon_dd_c_y} at \
{HOSP}; hold [[warfarin]] 3 days (INR 2.6 today). Transport by {X.full} ({PHONE.ride}).
{PT.first} asks that updates go to {PT.his} {REL.rel}: {REL.full}, {PHONE.rel}.
Portal msg {D.onset:md} from {REL.first}: "hi its {PT.first}'s {REL.rel}, the arm is swollen again and \
{PT.he} missed tuesday, can someone call me at {PHONE.rel2} thx"
{DR.fl}, MD    NPI on file
"""),
    Template("podiatry_visit", "progress", """\
FOOT & ANKLE -- podiatry progress note
{FAC}   DOS {D.today:mdy2_dash}
Pt: {PT.last_ini}   acct {ACCT}   ins {HPLAN}   {AGE:paren_y}   DM x 20 yrs, A1c 8.9%

cc: "my left foot is numb and the big toe nail is thick" -- [[foot numbness]], [[onychomycosis]].
Monofilament 4/10 sites L, 6/10 R. DP/PT pulses 1+. [[Mulder sign]] negative, [[Silfverskiold test]] \
positive (gastroc equinus). [[hallux valgus]] L, 25 degrees.
Wound plantar L 1st MTPJ 1.1 x 0.9 cm, probes to bone? no. X-ray {D.prev:mdy2_dash}: no osteomyelitis.
Procedures: debridement of nails 1-5 bilat; [[nail avulsion]] L hallux <<deferred|performed under digital \
block>>.
Rx [[terbinafine]] 250 mg daily x 12 wk (LFTs at {FAC}). Offloading shoe, diabetic shoes ordered.
RTC 2 wks, on the {D.lab:nth} (order {ID:wound}). {PT.his} {REL.rel} {REL.first} to check feet daily.
{DR.full}, DPM   {LIC}
"""),
    Template("optometry_exam", "progress", """\
COMPREHENSIVE EYE EXAMINATION
{FAC}       {D.today:mon_sl_dd_y}
{PT.full}   DOB {D.dob:mon_sl_dd_y}   pt # {MRN}   vision plan {HPLAN}

CC: [[blurry vision]] at distance x 6 mo, glare driving at night. Last exam {D.prev:d_mon_yy_sp}.
VA sc: OD 20/50, OS 20/40; cc OD 20/25, OS 20/20. IOP (iCare) 21/23 mmHg at {TIME}.
[[Amsler grid]] normal OU. [[Seidel test]] negative. Pupils: no APD.
[[dilated fundus exam]]: C/D 0.6/0.7, <<mild nonproliferative [[diabetic retinopathy]] OU|no DR|drusen \
OU>>; [[visual field test]] 24-2: early superior arcuate defect OS.
Assessment: [[open-angle glaucoma]] suspect OU; cataract NS 2+ OU.
Msg from patient {D.prev:md} (typed): "cant see the tv good at nite, pls move my appt, {PT.first_li}".
Plan: start [[latanoprost]] 1 drop OS QHS; OCT RNFL in 6 wk ({D.fu:mon_sl_dd_y}); new Rx glasses.
Letter to PCP Dr. {PCP.last} and to {PT.his} {REL.rel} {REL.full} per patient request ({EMAIL.rel}).
{DR.full}, OD   {LIC}
"""),
    Template("telepsychiatry_session", "progress", """\
TELEPSYCHIATRY FOLLOW-UP (video)
Provider location: {HOSP}     Patient location: home, {CITY} {STATE}
Platform meeting ID {ID:meet}; connection from {IP}; identity verified with DOB {D.dob:m_0d_y}.
{PT.full}   MRN {MRN}   {AGE:bracket_age}   Session {D.today:rfc_hdr}, 30 min

S: {PT.first} reports sleeping better; voices "quieter". Works part-time at a feed store. \
Denies SI/HI. PHQ-9 9, GAD-7 7.
Meds: [[clozapine]] 100 mg QHS (ANC {D.prev:md}: 2.9), [[lurasidone]] 40 mg with dinner. \
Side effects: [[daytime sleepiness]], drooling at night.
MSE: casually dressed, cooperative, mood "ok", affect reactive, thought process linear.
Dx: [[schizoaffective disorder]], bipolar type.
Plan: continue; ANC monthly at {FAC}; <<reduce clozapine to 75 mg|no changes>>. Safety plan reviewed; \
988 crisis line and 911 given.
Coverage: VA community care, ICN {HPLAN:va}.
Collateral: {PT.his} {REL.rel} {REL.full} joined the call (ok per patient), cell {PHONE.rel}.
Next video visit {D.fu:wkday_mdy}; link will be texted to {PHONE.pt}.
{DR.full}, MD   {LIC:dl} n/a   e-signed {D.today:mdy_slash}
"""),
    Template("anticoag_phone_visit", "progress", """\
ANTICOAGULATION CLINIC -- telephone encounter   log {ID:acc}
{FAC}   {D.today:mdy_slash} {TIME}
Pt {PT.first_li} ({PT.lf}), {AGE:num}, {PT.first}'s pharmacy confirmed, \
indication <<afib|mechanical mitral valve|recurrent DVT>>, goal \
INR <<2.0-3.0|2.5-3.5>>
Spoke with: <<patient|{PT.his} {REL.rel} {REL.full}>> at {PHONE.pt}; two identifiers confirmed.

POC INR today 1.6 ([[subtherapeutic INR]]). Missed 2 doses over the weekend; no bleeding, no new meds, \
more salad than usual.
Current dose: [[warfarin]] 5 mg daily except 7.5 mg Mon/Fri (40 mg/wk).
Plan: 7.5 mg tonight, then 42.5 mg/wk; recheck {D.fu:mdy2_dash} at {FAC}. <<Bridge with [[enoxaparin]] \
1 mg/kg BID x 4 days.|No bridging needed.>>
Discussed switching to [[Xarelto]] 20 mg -- copay with plan {HPLAN} too high.
Last INR check {D.prev}. Voicemail left for {PCP.last_ini} re plan. Pharmacist: {X.full}, PharmD
"""),
    # ------------------------------------------------------------------ ed
    Template("stroke_code_activation", "ed", """\
STROKE CODE -- ED ACTIVATION RECORD   code {ID:stroke}
{HOSP}   arrival {D.adm:mdy_slash} {TIME} by EMS   LKW {D.onset:MON_dd} 2140 (per {PT.his} {REL.rel})
{PT.LFslash}   MRN {MRN}   {AGE:aet}   wt 84 kg

Sx: [[facial droop]] R, [[slurred speech]], R arm drift ([[pronator drift]] 3/4). NIHSS <<7|12|17>>. \
Glucose 142. BP 188/102 -> 176/96 after labetalol.
CT head {TIME}: no hemorrhage, ASPECTS 9. CTA: <<[[large vessel occlusion]] L M1|no LVO>>.
<<[[tenecteplase]] 0.25 mg/kg IV bolus|[[alteplase]] 0.9 mg/kg, 10% bolus then infusion>> at door-to-needle \
38 min; consent by {REL.full} ({REL.rel}, {PHONE.rel}).
<<[[mechanical thrombectomy]]: transfer to {HOSP2}, accepted by {DR2.full}; flight crew {X.last_ini}.|\
Admit neuro ICU.>>
Home meds: {MEDS_INLINE}; on [[dabigatran]]? <<no|last dose unknown>>.
Stroke neurologist (tele): Dr. {DR.last}, via cart {IP}.
Dx: [[acute ischemic stroke]]. Timeline signed {D.adm:mdy_slash} by {RN.full}, RN
"""),
    Template("trauma_tertiary_survey", "ed", """\
TRAUMA SURGERY -- TERTIARY SURVEY (HD#<<2|3>>)
{HOSP}   trauma registry {ID:trauma}   {D.today:dd_MON_yyyy}
{PT.hl7}, {AGE:num} {PT.mf}, MRN {MRN}, activation level <<I|II>>

Mechanism: <<rollover MVC, unrestrained, ejected|ATV rollover on a ranch outside {CITY}|fall from \
hay loft, 12 ft>>. Vehicle {VEHICLE}; patient's licence {LIC:dl} on the chart.
Injuries known: L rib fx 4-7, L pneumothorax s/p chest tube, grade II splenic lac ([[FAST exam]] positive \
on arrival {D.adm:MON_dd}), ISS 17.
Head-to-toe today: new tenderness R wrist -> XR: nondisplaced distal radius fx (missed injury). \
[[Battle sign]] absent, no [[raccoon eyes]], [[Kehr sign]] <<positive|negative>>, [[Cullen sign]] negative. \
GCS 15.
Labs: {LABS}. [[tranexamic acid]] 1 g given in ED.
Plan: splint, ortho Dr. {DR2.last} ({DR2.f_dot_LAST}); incentive spirometry; SBIRT (BAL 0.21).
Family: {REL.full} ({REL.rel}), {PHONE.rel}; {PT.his} employer called -- no info given.
{DR.full}, MD (trauma) / {X.full}, PA-C
"""),
    Template("ambulance_run_report", "ed", """\
{CITY} COUNTY EMS -- PATIENT CARE REPORT
Run # {ID:run}   Medic <<4|11|17>>   Date {D.adm:mdy_dot_unpad}   Dispatch {TIME}
Crew: {X.fl} (Paramedic, {LIC}), {X.first_li} (EMT)
Pt: {PT.LFslash}   DOB {D.dob:mdy_dot_unpad}   {AGE:AGE_Y}   SSN {SSN}
Pickup: {STREET}, {CITY}, {STATE} {ZIP}   Dest: {HOSP}

CC: [[SOB]], {SX}. Found sitting in recliner, {PT.his} {REL.rel} {REL.first} on scene (callback {PHONE.rel}).
Hx [[CHF]], {PMH_INLINE}; last transport {D.prev:d_mon_y}. \
Meds (bottles brought): {MEDS_INLINE}. Allergies {ALLERGY}.
VS x3: {VITALS}. 12-lead: {EKG_LINE} Glucose 212. GCS 15.
Tx: O2 2 L NC, IV 18g L AC, [[aspirin]] 324 mg PO, [[nitroglycerin]] 0.4 mg SL x2.
Transport priority 2, no lights/sirens. Report to {HOSP} charge RN at {TIME}. Transfer of care to \
{RN.full}, RN. Billing: {HPLAN:tricare} / Medicare.
Unit GPS {IP}
"""),
    Template("covid_test_site_log", "ed", """\
{FAC} -- DRIVE-THRU RESPIRATORY TESTING LOG    lane <<1|2|3>>    {D.adm:wkday_mdy}
row | time  | name                 | DOB        | kit           | vehicle      | result
 <<14|27|33>>  | {TIME} | {PT.LFslash} | {D.dob:mdy_slash} | {ID:covid} | {VEHICLE} | <<NEG|POS|pending>>

Collector: {RN.dotlogin}  |  Supervisor: {X.full}  |  Site phone {PHONE.site}
[[nasopharyngeal swab]] + rapid antigen. Symptoms reported: <<[[loss of smell]], [[fever]]|none \
(pre-op screen for {HOSP})|[[productive cough]]>>; {AGE:num} y; exposure: {PT.his} {REL.rel} positive \
{D.onset:mdy_slash}.
Results sent by SMS to {PHONE.pt} and posted to {URL}. Positive results are reported to the state \
health department; CDC info line 1-800-232-4636.
ID checked: driver's licence {LIC:dl}. Insurance {HPLAN} (no copay).
"""),
    # ------------------------------------------------------------------ nursing (ALL CAPS)
    Template("icu_flowsheet_caps", "nursing", """\
SICU FLOWSHEET  {D.today:MON_dd}  0700-1900   BED <<4|9|12>>
{PT.LFslash}   {MRN}   {AGE:AGE_Y}   CODE: <<FULL|DNR/DNI>>   WT 91 KG
ATTENDING {DR.f_dot_LAST}   RN {RN.full} / RT {X.fl} ({LIC})

HOUR  HR   BP       MAP  SPO2  FIO2  PEEP
0800  {VITALS}
1200  HR 102, BP 104/58, MAP 73, SPO2 95%, FIO2 0.40, PEEP 8
DRIPS: NOREPI 0.06 MCG/KG/MIN, PROPOFOL 30 MCG/KG/MIN, FENTANYL 50 MCG/HR.
VENT: AC 18/450/8/40%. ABG {LABS}.
LINES: R IJ TLC (DAY 4), A-LINE L RADIAL, FOLEY. WOUND VAC ABD SN {DEVICE}.
NEURO: RASS -2, CAM-ICU NEG. [[HOFFMANN SIGN]] NEG.
FAMILY: {REL.rel} {REL.full} CALLED {PHONE.rel}, UPDATED BY DR {DR.last}. PASSWORD FOR PHONE INFO ON FILE.
{RN.full} RN  ({RN.dotlogin})
""", upper=True),
    Template("woundvac_home_visit", "nursing", """\
HOME HEALTH SKILLED NURSING VISIT -- WOUND VAC    {FAC}
VISIT {D.today:mdy2_dash} {TIME}   PT {PT.full}   DOB {D.dob:mdy2_dash}   {AGE:year_old_hy}
ADDRESS {STREET}, {CITY} {ZIP}  (GATE CODE GIVEN BY {REL.rel} {REL.first})   PHONE {PHONE.pt}

WOUND: {DX} -- SACRAL STAGE 4 / ABD DEHISCENCE. 6.2 X 4.0 X 2.1 CM, 40% SLOUGH, NO ODOR.
[[NEGATIVE PRESSURE WOUND THERAPY]] -125 MMHG CONTINUOUS, UNIT SN {DEVICE}, CANISTER CHANGED. \
ORDER {ID:wound}.
DRESSING: BLACK FOAM X1, DRAPE, PERIWOUND SKIN PROTECTANT. PATIENT TOLERATED, PAIN 4/10.
VITALS {VITALS}. GLUCOSE 188. MEDS REVIEWED: {MEDS_INLINE}.
TEACHING: {REL.full} RETURN-DEMO OF ALARM TROUBLESHOOTING. OXYGEN CONCENTRATOR {DEVICE:o2}.
NEXT VISIT {D.fu:mdy2_dash}. MD {DR.full} NOTIFIED VIA FAX {FAX}.
{RN.full}, RN   GPS {IP}
""", upper=True),
    Template("school_nurse_log", "nursing", """\
{FAC} -- HEALTH OFFICE LOG   {CITY}   {D.today:mdy_slash}
STUDENT {PT.LFslash}   ID {ID:student}   GRADE <<3|7|10>>   {AGE:num} Y   HOMEROOM {X.last}

TIME IN {TIME}: C/O [[HA]] AND <<STOMACH ACHE|[[DIZZINESS]]|ASTHMA SX AFTER PE>>. TEMP 98.9. {VITALS}.
<<ALBUTEROL 2 PUFFS PER ACTION PLAN, PEAK FLOW 220 -> 310.|BLOOD GLUCOSE 64, 15 G JUICE, RECHECK 102. \
CGM TX {DEVICE}.|REST 20 MIN, RETURNED TO CLASS.>>
PARENT {REL.full} ({REL.rel}) CALLED {PHONE.rel} -- <<PICKED UP AT 1130|OK TO STAY>>.
VISION SCREEN 20/40 OU -> REFERRAL LETTER HOME. IMMUNIZATIONS: TDAP DUE.
MEDICAID {HPLAN}. PCP DR {PCP.full} FAX {FAX}.
SCHOOL NURSE {RN.full}, RN, NCSN
""", upper=True),
    Template("ot_home_safety", "nursing", """\
OCCUPATIONAL THERAPY -- HOME SAFETY EVALUATION
{FAC}   {D.today:dd_MON_yyyy}   CLIENT {PT.hl7}   {AGE:aet}   REF BY {DR.full}
LIVES AT {STREET}, {CITY}, {STATE} {ZIP} WITH {PT.his} {REL.rel} {REL.full} ({PHONE.rel})

DX {DX}; HX {PMH_INLINE}. FALLS X2 IN 6 MONTHS. TUG 17 SEC, 30-SEC CHAIR STAND 6.
ENTRY: 4 STEPS, NO RAIL -> RAIL RECOMMENDED. BATHROOM: TUB/SHOWER COMBO, NO GRAB BARS; \
TUB TRANSFER BENCH TRIALED. LIGHTING POOR IN HALLWAY. THROW RUGS X3 REMOVED WITH CONSENT.
KITCHEN: STOVE KNOBS -- USES MICROWAVE ONLY. MEDS IN PILL ORGANIZER FILLED BY \
{REL.first}; {PT.first}'S CANE TOO SHORT.
DME: BEDSIDE COMMODE, REACHER, SOCK AID. MEDICAL ALERT PENDANT DEVICE {DEVICE:android}.
VEHICLE TRANSFERS: SON'S TRUCK {VEHICLE} TOO HIGH -> STEP STOOL.
PLAN OT 1W4. {X.full}, {LIC}
""", upper=True),
)
