"""DEV9 world of the synthetic note generator: the ninth held-out world, retired after it was measured once.

It was written as a held-out world (without looking at the recognizers, lexicons or engine) and measured once
(leak 0.92%, see README); it is now open for tuning, and the next figures come from a fresh held-out world
(synthetic_heldout.py).

What differs from tuning (synthetic.py) and dev, dev2 ... dev8 (synthetic_dev*.py), on purpose:
- other kinds of documents, mapped onto NOTE_KINDS: rural critical-access hospital transfers, snakebite
  antivenom discharges, frostbite discharges and paediatric lead-chelation discharges (discharge); refugee
  panel chest films, ILO B-reader films, port-placement fluoroscopy and infant hip ultrasounds (radiology);
  migrant-farmworker clinic visits, school-based health center visits, veterans' PTSD group notes, hearing-aid
  fittings and wheelchair seating evaluations (progress); altitude-illness, lightning-strike, fireworks hand
  injury and ice-fishing carbon-monoxide visits (ed); ALL-CAPS port flush logs, summer-camp nurse logs, home
  oxygen delivery tickets and jail intake screens (nursing);
- formats none of the earlier worlds writes: dates "4Mar2021", "04-MAR-2021", "2021.3.4", "04/Mar/2021",
  "Mar. 4th, 2021", "4.3.21", "04032021", "fourth of March" (dictated), "Mar-04", "4 MAR", "3-4-21"; ages
  "age 92y", "at age 92", "92 Y.O.", "age is 92", "92-yrs-old"; names "OKAFOR,CHIDI" and "Okafor,Chidi" (no
  space), "Chidi OKAFOR", "chidi.okafor", "Okafor C"; phones "919 555 0134", "1 (919) 555-0134",
  "9195550134", "919-555-0134x204", "+1 919 555 0134"; spaced and star-masked SSNs; ten-digit zero-padded,
  check-digit, two-letter and year-slash MRNs; "V"-zero, triplet and guarantor accounts; VA ICNs, TRICARE
  DBNs, PeachCare and WellCare plan ids; hearing-aid dispenser, RESNA ATP, LPC and NC/CA/NJ driver's
  licences; hearing-aid, power-wheelchair, implanted-port, oxygen-concentrator and LeadCare serials; farm
  plates, tractor PINs and NC boat registrations; A-Numbers, I-94s, jail booking numbers, camper ids, student
  ids, poison-center cases, ILO film numbers, seating orders, oxygen tickets and group-session ids; IPv4 with
  a port, LAN 192.168 and IPv4-mapped IPv6 addresses;
- its own messiness (speech-recognition dictation artefacts "period" / "comma" / "new paragraph", CRLF line
  endings, hyphenated line wraps, fax-header OCR noise lines, OCR letter/digit confusions, Windows-1252 en
  dashes and ellipses, Word Symbol-font bullet glyphs), applied to literal text only;
- name and place pools disjoint from all eight earlier worlds and tuning: Palestinian and Saudi Arabic names
  (transliterated) and Faker's generic "en" lists minus en_US (Faker locales no earlier world uses),
  invented Occitan-like surnames and Breton-like given names, and names that are ordinary English words no
  earlier world uses; cities of the Carolinas, Georgia, the Alabama Black Belt, the Mississippi Delta, west
  Tennessee, Southside Virginia, California's Central Valley and North Coast and South Jersey; other street,
  hospital and facility naming patterns ("X Critical Access Hospital", "X Infirmary", "Camp X");
- non-PHI look-alikes left unlabelled: ages <= 89 in every age form, antivenom and port lot numbers marked
  not PHI, ILO profusion "1/0", Huber needle "3/4 in", HCPCS codes, blood lead levels, elevations, public
  numbers (Veterans Crisis Line 988 press 1, VA benefits 1-800-827-1000, TTY 711).
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
    ascii_fold,
    digits,
    draw_name_pools,
    faker_names,
    letters,
    name_pool_words,
    ordinal,
    ssn_value,
    tuning_style,
)
from medfl.privacy.deid.synthetic_dev import dev_style
from medfl.privacy.deid.synthetic_dev2 import dev2_style
from medfl.privacy.deid.synthetic_dev3 import dev3_style
from medfl.privacy.deid.synthetic_dev4 import dev4_style
from medfl.privacy.deid.synthetic_dev5 import dev5_style
from medfl.privacy.deid.synthetic_dev6 import dev6_style
from medfl.privacy.deid.synthetic_dev7 import dev7_style
from medfl.privacy.deid.synthetic_dev8 import _translit, dev8_style

# ----------------------------------------------------------------------------- clinical vocabulary
_EXTRA_VOCAB = {
    "drugs": (
        ("crotalidae polyvalent immune fab", "6 vials"), ("CroFab", "4 vials"), ("Anavip", "10 vials"),
        ("succimer", "350 mg/m2"), ("edetate calcium disodium", "1000 mg/m2/day"),
        ("dimercaprol", "75 mg/m2"),
        ("iloprost", "2 ng/kg/min"), ("acetazolamide", "125 mg"), ("nifedipine ER", "30 mg"),
        ("onabotulinumtoxinA", "50 units"), ("prazosin", "2 mg"), ("heparin lock flush", "500 units"),
        ("tetanus toxoid", "0.5 mL"), ("aluminum chloride hexahydrate", "20% solution"),
    ),
    "dx": (
        "crotaline envenomation", "copperhead bite", "frostbite of digits", "high-altitude pulmonary edema",
        "high-altitude cerebral edema", "lead poisoning", "elevated blood lead level", "keraunoparalysis",
        "lightning injury", "carbon monoxide poisoning", "blast injury of hand", "combat-related PTSD",
        "bilateral sensorineural hearing loss", "primary hyperhidrosis", "silicosis",
        "coal workers' pneumoconiosis", "developmental dysplasia of the hip", "heat exhaustion",
        "green tobacco sickness", "pesticide dermatitis", "compartment syndrome", "pica",
    ),
    "symptoms": ("hand swelling", "blistered fingertips", "ringing in ears", "clumsy hands",
                 "morning headache", "sweaty palms", "breathless on stairs"),
    "procedures": (
        "antivenom infusion", "fasciotomy", "digit amputation", "whirlpool rewarming", "chelation therapy",
        "port access", "port flush", "ILO classification read", "spirometry", "hearing aid fitting",
        "real-ear measurement", "pressure mapping", "seating assessment", "Graf hip ultrasound",
        "portable hyperbaric bag", "tap water iontophoresis", "wound debridement",
    ),
    "signs": ("Lichtenberg figures", "Galeazzi sign", "Burton line", "Wartenberg sign",
              "Minor starch-iodine test", "Klisic test", "Thomas test", "Gowers sign", "Ober test",
              "Frank sign", "Mees lines", "Terry nails", "Stenger test", "Hennebert sign",
              "Tullio phenomenon",
              "Schirmer test", "Trendelenburg sign"),
    "labs": (("blood lead", "{:.0f} mcg/dL", 3, 70), ("COHb", "{:.0f}%", 1, 38), ("CK", "{:.0f}", 90, 9000),
             ("fibrinogen", "{:.0f}", 40, 400), ("FEV1/FVC", "{:.2f}", 0.45, 0.85),
             ("ZPP", "{:.0f}", 20, 300)),
    "allergies": ("horse serum (anaphylaxis)", "papain (rash)", "adhesive tape (blisters)", "sheep products"),
}


def _vocab() -> dict[str, tuple]:
    vocab = dict(VOCAB)
    for k, extra in _EXTRA_VOCAB.items():
        vocab[k] = tuple(vocab[k]) + extra
    return vocab


# ----------------------------------------------------------------------------- dates
_DAY_WORDS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
              "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
              "seventeenth",
              "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third",
              "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth",
              "twenty-ninth", "thirtieth", "thirty-first")

DATE_FORMATS: dict[str, Callable[[dt.date], str]] = {
    # the forms issue 3 names (also in tuning) ...
    **{k: TUNING_DATE_FORMATS[k] for k in ("md", "mon_d", "d_mon_y", "iso", "mdy2", "nth", "mdy_slash",
                                           "month_d_y", "mdy_short")},
    # ... and forms no earlier world writes
    "dmonyyyy_glued": lambda d: f"{d.day}{MON[d.month]}{d.year}",                    # 4Mar2021
    "dd_MON_yyyy_dash": lambda d: f"{d.day:02d}-{MON[d.month].upper()}-{d.year}",    # 04-MAR-2021
    "ymd_dot_unpad": lambda d: f"{d.year}.{d.month}.{d.day}",                        # 2021.3.4
    "dd_mon_yyyy_slash": lambda d: f"{d.day:02d}/{MON[d.month]}/{d.year}",           # 04/Mar/2021
    "mon_dot_nth_y": lambda d: f"{MON[d.month]}. {ordinal(d.day)}, {d.year}",        # Mar. 4th, 2021
    "dmy_dot_short": lambda d: f"{d.day}.{d.month}.{d.year % 100:02d}",              # 4.3.21
    "ddmmyyyy": lambda d: f"{d.day:02d}{d.month:02d}{d.year}",                       # 04032021
    "spoken_ordinal": lambda d: f"{_DAY_WORDS[d.day]} of {MONTH[d.month]}",           # fourth of March
    "mon_dash_dd": lambda d: f"{MON[d.month]}-{d.day:02d}",                          # Mar-04
    "d_MON_caps": lambda d: f"{d.day} {MON[d.month].upper()}",                       # 4 MAR
    "mdy_dash_unpad2": lambda d: f"{d.month}-{d.day}-{d.year % 100:02d}",            # 3-4-21
}
RANDOM_DATE_FORMATS = ("mdy_slash", "mdy_slash", "md", "mdy2", "iso", "mon_d", "dd_MON_yyyy_dash",
                       "mon_dot_nth_y", "dmonyyyy_glued", "mdy_dash_unpad2", "month_d_y", "ymd_dot_unpad")

AGE_FORMS = {
    "age_y_glued": ("age ", "y"), "at_age": ("at age ", ""), "y_o_caps_dot": ("", " Y.O."),
    "age_is": ("age is ", ""), "yrs_hy_old": ("", "-yrs-old"), "num": ("", ""),
}


# ----------------------------------------------------------------------------- identifiers
AREA_CODES = ("919", "984", "336", "704", "980", "828", "910", "252", "843", "854", "864", "803", "839",
              "229", "478", "912", "706", "762", "334", "251", "662", "901", "731", "434", "276", "209",
              "559", "661", "707", "530", "856", "609", "640")


def _parts(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(AREA_CODES), str(rng.randint(230, 989)), digits(rng, 4)


def tel_spaces(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a} {b} {c}"


def tel_one_paren(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"1 ({a}) {b}-{c}"


def tel_glued10(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}{b}{c}"


def tel_x_glued(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}-{b}-{c}x{rng.randint(2, 899)}"


def tel_plus1_spaces(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"+1 {a} {b} {c}"


def tel_abroad(rng: random.Random) -> str:  # relatives abroad: Mexico, Guatemala, Ukraine, DR Congo
    return rng.choice((f"+52 1 {digits(rng, 3)} {digits(rng, 3)} {digits(rng, 4)}",
                       f"+502 {digits(rng, 4)}-{digits(rng, 4)}",
                       f"+380 {rng.randint(50, 99)} {digits(rng, 3)} {digits(rng, 2)} {digits(rng, 2)}",
                       f"+243 {rng.randint(81, 99)} {digits(rng, 3)} {digits(rng, 4)}"))


def fax_spaces(rng: random.Random) -> str:
    return tel_spaces(rng)


def fax_glued10(rng: random.Random) -> str:
    return tel_glued10(rng)


def ssn_spaced(rng: random.Random) -> str:
    return ssn_value(rng, " ")


def ssn_star4(rng: random.Random) -> str:
    return f"***-**-{rng.randint(1, 9999):04d}"


def ssn_plain_dash(rng: random.Random) -> str:
    return ssn_value(rng, "-")


def mrn_zero10(rng: random.Random) -> str:
    return f"0000{rng.randint(1, 9)}{digits(rng, 5)}"


def mrn_check_dash(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 5)}-{rng.randint(0, 9)}"


def mrn_two_letter(rng: random.Random) -> str:
    return f"{rng.choice(('KH', 'RD', 'BW', 'TC', 'PM'))}{digits(rng, 6)}"


def mrn_year_slash(rng: random.Random) -> str:
    return f"{rng.randint(12, 24)}/{digits(rng, 6)}"


def acct_v_zero(rng: random.Random) -> str:
    return f"V000{rng.randint(1, 9)}{digits(rng, 7)}"


def acct_triplet(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 2)}-{digits(rng, 3)}-{digits(rng, 3)}"


def acct_guarantor(rng: random.Random) -> str:
    return f"G-{digits(rng, 7)}"


def hp_va_icn(rng: random.Random) -> str:  # VA integration control number
    return f"10{digits(rng, 8)}V{digits(rng, 6)}"


def hp_tricare_dbn(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 10)}"


def hp_peachcare(rng: random.Random) -> str:
    return f"PC{digits(rng, 9)}"


def hp_wellcare(rng: random.Random) -> str:
    return f"WC{digits(rng, 8)}-{rng.randint(1, 9):02d}"


def lic_had(rng: random.Random) -> str:  # hearing-aid dispenser
    return f"HAD-{digits(rng, 4)}"


def lic_atp(rng: random.Random) -> str:  # RESNA assistive technology professional
    return f"ATP{digits(rng, 5)}"


def lic_lpc(rng: random.Random) -> str:
    return f"LPC {rng.randint(1, 9)}{digits(rng, 4)}"


def dl_nc12(rng: random.Random) -> str:
    return f"0000{digits(rng, 8)}"


def dl_ca_l7(rng: random.Random) -> str:
    return f"{letters(rng, 1)}{digits(rng, 7)}"


def dl_nj_spaced(rng: random.Random) -> str:
    return f"{letters(rng, 1)}{digits(rng, 4)} {digits(rng, 5)} {digits(rng, 5)}"


def dev_hearing_aid(rng: random.Random) -> str:
    return f"{rng.randint(17, 24)}{digits(rng, 2)}{letters(rng, 1)}{digits(rng, 4)}"


def dev_power_chair(rng: random.Random) -> str:
    return f"QX{digits(rng, 2)}-{digits(rng, 5)}-{letters(rng, 2)}"


def dev_port(rng: random.Random) -> str:
    return f"PP{digits(rng, 7)}"


def dev_o2_conc(rng: random.Random) -> str:
    return f"{rng.choice(('EV', 'NV', 'IN'))}{digits(rng, 7)}"


def dev_leadcare(rng: random.Random) -> str:
    return f"LC2-{digits(rng, 6)}"


def plate_farm(rng: random.Random) -> str:
    return f"FM {digits(rng, 5)}"


def tractor_pin(rng: random.Random) -> str:
    return f"1{letters(rng, 2)}{rng.randint(1, 9)}{digits(rng, 3)}{letters(rng, 1)}{digits(rng, 6)}"


def boat_reg_nc(rng: random.Random) -> str:
    return f"NC {digits(rng, 4)} {letters(rng, 2)}"


def plate_dash34(rng: random.Random) -> str:
    return f"{letters(rng, 3)}-{digits(rng, 4)}"


def a_number(rng: random.Random) -> str:  # USCIS alien registration number
    return f"A{rng.randint(1, 2)}{digits(rng, 8)}"


def i94_number(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 10)}"


def booking_no(rng: random.Random) -> str:
    return f"BK{rng.randint(2012, 2024)}-{digits(rng, 6)}"


def camper_id(rng: random.Random) -> str:
    return f"C{rng.randint(12, 24)}-{digits(rng, 3)}"


def student_id(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 7)}"


def poison_case(rng: random.Random) -> str:
    return f"PC-{digits(rng, 2)}-{digits(rng, 6)}"


def ilo_film(rng: random.Random) -> str:
    return f"ILO{digits(rng, 6)}"


def seating_order(rng: random.Random) -> str:
    return f"SO-{digits(rng, 5)}"


def o2_ticket(rng: random.Random) -> str:
    return f"T{digits(rng, 8)}"


def group_session(rng: random.Random) -> str:
    return f"GS{rng.randint(12, 24)}{digits(rng, 3)}"


def cah_transfer_no(rng: random.Random) -> str:
    return f"TX-{digits(rng, 3)}-{digits(rng, 4)}"


def fluoro_case(rng: random.Random) -> str:
    return f"IR{digits(rng, 6)}"


def us_hip_acc(rng: random.Random) -> str:
    return f"US.{digits(rng, 7)}"


def ip_port(rng: random.Random) -> str:
    port = rng.choice((8080, 104, 11112))
    return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}:{port}"


def ip_lan(rng: random.Random) -> str:
    return f"192.168.{rng.randint(0, 255)}.{rng.randint(2, 254)}"


def ip_mapped(rng: random.Random) -> str:
    return f"::ffff:10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"


def _ids() -> dict[str, tuple]:
    return {
        "PHONE": (tel_spaces, tel_one_paren, tel_glued10, tel_x_glued, tel_plus1_spaces, tel_spaces),
        "PHONE:abroad": (tel_abroad,),
        "FAX": (fax_spaces, fax_glued10),
        "SSN": (ssn_spaced, ssn_star4, ssn_plain_dash),
        "MRN": (mrn_zero10, mrn_check_dash, mrn_two_letter, mrn_year_slash),
        "ACCT": (acct_v_zero, acct_triplet, acct_guarantor),
        "HPLAN": (hp_tricare_dbn, hp_peachcare, hp_wellcare),
        "HPLAN:va": (hp_va_icn,),
        "LIC": (lic_had, lic_atp, lic_lpc),
        "LIC:had": (lic_had,),
        "LIC:atp": (lic_atp,),
        "LIC:lpc": (lic_lpc,),
        "LIC:dl": (dl_nc12, dl_ca_l7, dl_nj_spaced),
        "DEVICE": (dev_hearing_aid, dev_power_chair, dev_port, dev_o2_conc, dev_leadcare),
        "DEVICE:ha": (dev_hearing_aid,),
        "DEVICE:chair": (dev_power_chair,),
        "DEVICE:port": (dev_port,),
        "DEVICE:o2": (dev_o2_conc,),
        "DEVICE:lead": (dev_leadcare,),
        "VEHICLE": (plate_dash34, plate_dash34, plate_farm),
        "VEHICLE:tractor": (tractor_pin,),
        "VEHICLE:boat": (boat_reg_nc,),
        "ID": (student_id, fluoro_case, us_hip_acc),
        "ID:anum": (a_number,),
        "ID:i94": (i94_number,),
        "ID:book": (booking_no,),
        "ID:camper": (camper_id,),
        "ID:student": (student_id,),
        "ID:poison": (poison_case,),
        "ID:ilo": (ilo_film,),
        "ID:seat": (seating_order,),
        "ID:o2": (o2_ticket,),
        "ID:group": (group_session,),
        "ID:cah": (cah_transfer_no,),
        "ID:ir": (fluoro_case,),
        "ID:hip": (us_hip_acc,),
        "IP": (ip_port, ip_lan, ip_mapped),
    }


# ----------------------------------------------------------------------------- name forms
def _name_forms(p) -> dict[str, str]:
    return {
        "LASTcFIRST": f"{p.last},{p.first}".upper(),            # OKAFOR,CHIDI (registration system)
        "lastcfirst": f"{p.last},{p.first}",                    # Okafor,Chidi
        "first_LAST": f"{p.first} {p.last.upper()}",            # Chidi OKAFOR
        "dotted_user": f"{p.first}.{p.last}".lower(),           # chidi.okafor (log-in name)
        "last_i": f"{p.last} {p.first[0]}",                     # Okafor C (reference style)
    }


# ----------------------------------------------------------------------------- messiness
_FAX_NOISE = ("\n~~ FAX RCVD  PG 2 ~~", "\n.  .  .. PAGE 002 .. :", "\n|||| FAX ||||", "\n-- fx p.3/4 --")
_OCR = (("l", "1"), ("O", "0"), ("rn", "m"), ("cl", "d"))


def _mess_factory(rng: random.Random, level: float = 0.07) -> Callable[[str], str]:
    """Literal text -> messier literal text; the first and last character of a piece are kept, so a
    neighbouring PHI value keeps its word boundaries."""

    def mess(s: str) -> str:
        if len(s) < 4:
            return s
        head, mid, tail = s[0], s[1:-1], s[-1]
        r = rng.random()
        if r < 1.2 * level:  # speech recognition wrote the spoken punctuation out
            m = re.search(r"[a-z]{2}([.,]) [A-Za-z]", mid)
            if m:
                word = " period " if m.group(1) == "." else " comma "
                mid = mid[:m.start(1)] + rng.choice((word, word.upper())) + mid[m.start(1) + 2:]
            elif "\n\n" in mid:
                mid = mid.replace("\n\n", "\nnew paragraph\n", 1)
        elif r < 2.0 * level:  # Windows line endings kept by a file transfer
            mid = mid.replace("\n", "\r\n")
        elif r < 2.8 * level:  # re-wrapped at a fixed width with a hyphen
            m = re.search(r"[a-z]{4}([a-z]{4,})", mid)
            if m:
                mid = mid[:m.start(1)] + "-\n" + mid[m.start(1):]
        elif r < 3.4 * level:  # fax header printed over the text, read back by OCR
            i = mid.find("\n")
            if 0 < i:
                mid = mid[:i] + rng.choice(_FAX_NOISE) + mid[i:]
        elif r < 4.2 * level:  # OCR letter/digit confusion inside a word
            m = re.search(r"[a-z]{2}(l|O|rn|cl)[a-z]{2}", mid)
            if m:
                a, b = next((a, b) for a, b in _OCR if a == m.group(1))
                mid = mid[:m.start(1)] + b + mid[m.start(1) + len(a):]
        elif r < 5.0 * level:  # Windows-1252 punctuation from a word processor
            if " - " in mid:
                mid = mid.replace(" - ", " \u2013 ", 1)
            elif ". " in mid:
                mid = mid.replace(". ", "\u2026 ", 1)
        return head + mid + tail

    return mess


# ----------------------------------------------------------------------------- pools
def _locale_names(loc: str) -> tuple[list[str], ...]:
    p = importlib.import_module(f"faker.providers.person.{loc}").Provider
    lists = (getattr(p, "first_names_male", ()), getattr(p, "first_names_female", ()),
             getattr(p, "last_names", ()))
    if loc == "en":
        return tuple([ascii_fold(str(x)) for x in lst or ()] for lst in lists)
    return tuple([t for t in (_translit(x, "ar_AA") for x in lst or ()) if t] for lst in lists)


# locale -> (male, female, last) caps, so no single locale dominates
_LOCALE_CAPS = {"en": (110, 120, 240), "ar_PS": (45, 35, 30), "ar_SA": (0, 0, 20)}
# real surnames / given names that are also ordinary English words
_WORD_LAST = ("Plowman", "Thatcher", "Tanner", "Cooper", "Carter", "Miller", "Baker", "Fowler", "Fisher",
              "Hunter", "Mason", "Turner", "Porter", "Walker", "Sparks", "Stone", "Hill", "Marsh", "Banks",
              "Ford", "Forest", "Field", "Woods", "Moss", "Reed", "Rush", "Pike", "Trout", "Salmon", "Bass",
              "Gray", "Brown", "Green", "Black", "White", "Young", "Little", "Strong", "Swift", "Noble",
              "Wise", "Hardy", "Goodman", "Bishop", "Abbot", "Monk", "Knight", "Squire", "Steward", "Sexton",
              "Fiddler", "Piper", "Harper", "Singer", "Dancer", "Gardener", "Orchard", "Barley", "Oats",
              "Rye", "Cotton", "Peanut", "Pecan", "Collard", "Okra", "Biscuit", "Gravy", "Skillet",
              "Lantern", "Wagon", "Anvil", "Hammer", "Nail", "Bolt", "Rivet",
              "Sadler", "Coachman", "Wheelwright", "Ploughwright", "Pedlar", "Hawker", "Banker", "Mariner",
              "Arrowsmith", "Goodenough", "Goodheart", "Truelove", "Kindly", "Meek", "Humble", "Prim",
              "Dandy", "Nickels", "Copper", "Cinder", "Ashby", "Tinder", "Bunting", "Swallow", "Sycamore",
              "Hickory",
              "Burdock", "Yarrow", "Dogwood", "Redbud", "Sassafras", "Haystack", "Pitchfork", "Rooster",
              "Gander", "Heifer", "Bridle", "Stirrup", "Buckboard", "Molasses", "Hominy", "Gumbo", "Chowder",
              "Fudge", "Custard", "Fritter")
_WORD_FIRST_F = ("Dixie", "Magnolia", "Azalea", "Camellia", "Gardenia", "Honeysuckle", "Lavender", "Clover",
                 "Daisy", "Violet", "Iris", "Ivy", "Holly", "Hazel", "Pearl", "Ruby", "Opal", "Goldie",
                 "Crystal", "Amber", "Jewel", "Charity", "Hope", "Faith", "Grace", "Joy", "Patience", "Honor",
                 "Mercy", "Harmony", "Melody", "Autumn", "Summer", "Dawn", "Star", "Raven", "Robin", "Wynn",
                 "Dolly", "Trixie", "Birdie", "Candy", "Sweetie", "Praline", "Divinity", "Jubilee", "Psalm",
                 "Hymn", "Oriole", "Bluebird", "Dulcimer", "Persimmon", "Larkspur", "Taffy")
_WORD_FIRST_M = ("Colt", "Ranger", "Hunter", "Gunner", "Cash", "Major", "Deacon", "Bishop", "Pastor", "King",
                 "Prince", "Duke", "Earl", "Baron", "Chief", "Captain", "Ace", "Buck", "Bud", "Stormy",
                 "Rusty", "Sonny", "Dusty", "Rocky", "Brick", "Flint", "Slate", "Ridge", "River", "Forrest",
                 "Cotton", "Tater", "Biscuit", "Pecan", "Catfish", "Bear", "Wolf", "Hawk", "Colter", "Spur",
                 "Bobcat", "Mustang", "Cowboy", "Drover", "Gambler", "Banjo", "Sugarfoot", "Dapper",
                 "Chipper", "Nickel", "Dollar", "Cougar", "Panther", "Possum", "Trader")

_SUR_HEAD = ("Cazal", "Montes", "Bousq", "Fabr", "Lacomb", "Rouqu", "Castel", "Mazel", "Albar", "Peyr",
             "Cabr", "Ferr", "Garrig", "Salv", "Vidal", "Astr", "Bonn", "Coust", "Delm", "Espin", "Fourn",
             "Guir", "Lafarg", "Marty", "Rigal", "Sabat", "Taill", "Vern")
_SUR_TAIL = ("ac", "ous", "ouse", "ergue", "ieu", "ayrac", "anel", "iol", "ignac", "assou", "oulet", "adier",
             "ens", "ut", "arède")
_GIVEN_HEAD = ("Gwen", "Mael", "Tanguy", "Ewen", "Loeiz", "Yann", "Soaz", "Nolwenn", "Bleun", "Deniel",
               "Gurvan", "Kristell", "Rozenn", "Tudual")
_GIVEN_TAIL_F = ("aig", "ell", "ven", "enna", "ig")
_GIVEN_TAIL_M = ("ig", "ec", "ael", "og", "an")


DEV9_CITIES = (
    # North and South Carolina: Piedmont, Sandhills, Lowcountry, Outer Banks
    "Siler City", "Asheboro", "Sanford Nc", "Laurinburg", "Lumberton", "Pembroke", "Rockingham",
    "Hamlet", "Wadesboro", "Albemarle", "Lexington Nc", "Thomasville", "Eden", "Reidsville", "Roxboro",
    "Oxford Nc", "Henderson Nc", "Warrenton Nc", "Louisburg", "Smithfield Nc", "Goldsboro", "Kinston",
    "Tarboro", "Wilson", "Rocky Mount", "Ahoskie", "Edenton", "Elizabeth City", "Manteo", "Hatteras",
    "Williamston", "Washington Nc", "Plymouth Nc", "Whiteville", "Elizabethtown Nc", "Clinton Nc",
    "Kenansville", "Wallace", "Burgaw", "Jacksonville Nc", "Morehead City", "Beaufort Nc", "Swansboro",
    "Orangeburg", "Walterboro", "Bamberg", "Barnwell", "Allendale", "Hampton Sc", "Ridgeland",
    "Bennettsville", "Dillon", "Marion Sc", "Kingstree", "Manning", "Sumter", "Bishopville", "Camden Sc",
    "Chester Sc",
    "Union Sc", "Gaffney", "Laurens", "Abbeville", "Edgefield", "Saluda", "Newberry", "Moncks Corner",
    "Georgetown Sc", "Conway Sc", "Loris", "Darlington", "Hartsville", "Cheraw",
    # south Georgia
    "Vidalia", "Swainsboro", "Statesboro", "Metter", "Claxton", "Jesup", "Hazlehurst", "Baxley", "Douglas Ga",
    "Fitzgerald", "Ocilla", "Tifton", "Moultrie", "Quitman", "Thomasville Ga", "Cairo Ga", "Bainbridge",
    "Donalsonville", "Blakely", "Cuthbert", "Dawson Ga", "Americus", "Cordele", "Vienna Ga", "Hawkinsville",
    "Eastman", "Dublin Ga", "Sandersville", "Louisville Ga", "Waynesboro Ga", "Sylvania", "Millen",
    # Alabama Black Belt and the Mississippi Delta
    "Selma", "Demopolis", "Greensboro Al", "Eutaw", "Livingston Al", "Camden Al", "Linden", "Marion Al",
    "Uniontown", "Hayneville", "Tuskegee", "Union Springs", "Greenville Al", "Monroeville", "Thomasville Al",
    "Clarksdale", "Greenwood Ms", "Greenville Ms", "Cleveland Ms", "Indianola", "Belzoni", "Yazoo City",
    "Rolling Fork", "Ruleville", "Drew", "Marks", "Tunica", "Batesville Ms", "Charleston Ms", "Lexington Ms",
    "Helena-West Helena", "Lake Village", "Dumas", "McGehee", "Forrest City", "Marianna Ar", "Wynne",
    # west Tennessee and Southside Virginia
    "Covington Tn", "Ripley Tn", "Dyersburg", "Union City", "Martin Tn", "Humboldt", "Brownsville Tn",
    "Bolivar", "Somerville Tn", "Savannah Tn", "Selmer", "Henderson Tn", "Lexington Tn", "Parsons",
    "South Hill", "Emporia", "Lawrenceville Va", "Farmville", "Kenbridge", "Chase City", "Clarksville Va",
    "Danville", "Martinsville", "Chatham Va", "Halifax Va", "South Boston", "Keysville", "Blackstone",
    "Franklin Va", "Courtland", "Waverly Va", "Wakefield Va",
    # California Central Valley and North Coast
    "Delano", "Wasco", "Shafter", "McFarland", "Arvin", "Lamont", "Porterville", "Lindsay", "Exeter Ca",
    "Dinuba", "Reedley", "Sanger", "Selma Ca", "Kingsburg", "Hanford", "Lemoore", "Corcoran", "Avenal",
    "Coalinga", "Huron Ca", "Firebaugh", "Mendota", "Los Banos", "Dos Palos", "Chowchilla", "Madera",
    "Livingston Ca", "Atwater", "Turlock", "Patterson Ca", "Newman", "Oakdale Ca", "Lodi", "Galt",
    "Arcata", "Eureka", "Fortuna", "Ferndale Ca", "Crescent City", "Ukiah", "Willits", "Fort Bragg",
    "Lakeport", "Clearlake", "Red Bluff", "Corning Ca", "Orland", "Willows", "Colusa", "Yreka", "Weed",
    # South Jersey
    "Bridgeton", "Millville", "Vineland", "Salem Nj", "Pennsville", "Glassboro", "Hammonton",
    "Egg Harbor City", "Mays Landing", "Tuckerton", "Woodbine", "Cape May Court House", "Pleasantville",
    "Absecon",
)
_STREET_WORDS = (
    "Longleaf", "Loblolly", "Sweetgum", "Tupelo", "Live Oak Bluff", "Spanish Moss", "Tobacco Road",
    "Peanut Mill", "Cotton Gin", "Boll Weevil", "Catfish Pond", "Crawdad", "Kudzu", "Scuppernong",
    "Muscadine", "Sorghum Mill", "Pecan Grove", "Chinaberry", "Sweet Potato", "Collard Patch",
    "Grapevine Ext", "Almond Orchard", "Walnut Huller", "Raisin", "Packing Shed", "Irrigation Canal",
    "Redwood Grove",
    "Fog Bank", "Cranberry Bog", "Blueberry Farm", "Pine Barrens", "Glasshouse", "Saltmarsh", "Oyster Creek",
)
_STATES = ("NC", "SC", "GA", "AL", "MS", "AR", "TN", "VA", "CA", "NJ", "N.C.", "S.C.", "Ga.", "Ala.", "Miss.",
           "Tenn.", "Va.", "Calif.", "N.J.", "North Carolina", "South Carolina", "Georgia", "Mississippi")
_CAMP_WORDS = ("Tall Pines", "Laurel Ridge", "Bluewater", "Cedar Lake", "Whippoorwill", "Three Rivers")


@lru_cache(maxsize=1)
def dev9_style() -> Style:
    others = (tuning_style(), dev_style(), dev2_style(), dev3_style(), dev4_style(), dev5_style(),
              dev6_style(), dev7_style(), dev8_style())
    vocab = _vocab()
    other_cities = {c.lower() for s in others for c in s.cities}
    c = [x for x in DEV9_CITIES if x.lower() not in other_cities]
    cities = other_cities | {x.lower() for x in DEV9_CITIES}
    used = set().union(*(name_pool_words(s) for s in others))
    used_streets = set().union(*(set(s.street_names) for s in others))
    en_us = {n.lower() for lst in faker_names(("en_US",)) for n in lst}
    # word names are exempt from the vocabulary and en_US bans only, never from disjointness
    word_names = {w.lower() for w in (*_WORD_LAST, *_WORD_FIRST_F, *_WORD_FIRST_M)} - used - cities
    streets = {w.lower() for w in (*_STREET_WORDS, *used_streets)}
    banned = (_NON_NAMES | used | cities | streets | en_us
              | (_vocab_words(vocab) - word_names))
    rng = random.Random("heldout-9-pools")  # the seed it was measured with: pools stay as reported
    male, female, last = draw_name_pools(
        rng, ((caps, _locale_names(loc)) for loc, caps in _LOCALE_CAPS.items()), banned, word_names,
        invented=((_SUR_HEAD, _SUR_TAIL, 410), (_GIVEN_HEAD, _GIVEN_TAIL_F, 60),
                  (_GIVEN_HEAD, _GIVEN_TAIL_M, 60)),
        words=(_WORD_LAST, _WORD_FIRST_F, _WORD_FIRST_M))
    female = [x for x in female if x not in set(male)]
    last_set = {x.lower() for x in last}
    male = [x for x in male if x.lower() not in last_set or x.lower() in word_names]
    female = [x for x in female if x.lower() not in last_set or x.lower() in word_names]
    plain = [x for x in c if not re.search(r" [A-Z][a-z]$", x)]  # no "Sanford Nc"-style disambiguated names
    hospitals = sorted({
        *(f"{x} Critical Access Hospital" for x in plain[:6]),
        *(f"{x} Infirmary" for x in plain[20:24]),
        *(f"Good Shepherd Hospital of {x}" for x in plain[60:63]),
        *(f"{x} Hospital Authority" for x in plain[90:94]),
        *(f"{x}-{y} Medical Center" for x, y in zip(plain[120:123], plain[123:126], strict=True)),
        *(f"{rng.choice(last)} Sanatorium Hospital" for _ in range(2)),
        *(f"{x} Community Hospital of the Delta" for x in plain[150:152]),
    })
    facilities = sorted({
        *(f"{x} Farmworker Health" for x in plain[6:9]),
        *(f"{x} Refugee Health Program" for x in plain[9:12]),
        *(f"{x} School-Based Health Center" for x in plain[12:15]),
        *(f"{x} Vet Center" for x in plain[15:18]),
        *(f"{x} Hearing Aid Center" for x in plain[30:33]),
        *(f"{x} Seating & Mobility" for x in plain[33:36]),
        *(f"{x} County Detention Medical Unit" for x in plain[36:39]),
        *(f"{x} Home Oxygen & DME" for x in plain[40:43]),
        *(f"{x} Lead Clinic" for x in plain[43:45]),
        *(f"Camp {w}" for w in _CAMP_WORDS),
    })
    used_places = set().union(*({h.lower() for h in s.hospitals + s.facilities} for s in others))
    hospitals = [h for h in hospitals if h.lower() not in used_places]
    facilities = [f for f in facilities if f.lower() not in used_places]
    street_names = tuple(w for w in (*_STREET_WORDS, *last[:100]) if w not in used_streets)
    return Style(
        name="dev9",
        templates=DEV9_TEMPLATES,
        first_male=tuple(male), first_female=tuple(female), last=tuple(last),
        cities=tuple(c),
        street_names=street_names,
        street_suffixes=("Rd", "Road", "Hwy", "Church Rd", "Mill Rd", "Ext", "Loop", "Trace", "Bend",
                         "Landing", "Street", "Avenue", "Ln", "Cir"),
        units=("", "", "", "", "Lot {n}", "Box {n}", "Apt {l}{n}", "Rm {n}", "RR {n}"),
        hospitals=tuple(hospitals), facilities=tuple(facilities),
        email_domains=("windstream.net", "centurylink.net", "frontier.com", "embarqmail.com", "charter.net",
                       "att.net", "icloud.com", "protonmail.com", "ymail.com", "mail.com"),
        web_hosts=("lead", "portflush", "o2", "seating", "hearing", "campnurse"),
        states=_STATES,
        date_formats=DATE_FORMATS,
        random_date_formats=RANDOM_DATE_FORMATS,
        name_forms=("full", "lf", "lastcfirst", "first_LAST", "last_i", "fl", "LF", "mid", "last"),
        age_forms=AGE_FORMS,
        ids=_ids(),
        email_forms=("{first}{last}@{domain}", "{last}_{first}{nn}@{domain}", "{f}.{last}@{domain}",
                     "{first}{nn}@{domain}"),
        url_forms=("https://{host}.{hslug}.net/p/{id}", "{hslug}.org/{host}?mrn={id}",
                   "http://intranet.{hslug}.local/{host}/{id}", "https://{hslug}.health/{host}/{id}"),
        bullets=("\uf0b7 ", "\u25aa ", "\u27a2 ", "{i}.) "),
        vocab=vocab,
        mess=_mess_factory,
        p_old=0.3,
        extra_name_forms=_name_forms,
    )


# ----------------------------------------------------------------------------- templates
DEV9_TEMPLATES = (
    # ------------------------------------------------------------------ discharge
    Template("critical_access_transfer", "discharge", """\
{HOSP} -- 25-bed critical access hospital -- TRANSFER SUMMARY   ref {ID:cah}
Pt: {PT.lastcfirst}   MR# {MRN}   Acct {ACCT}   DOB {D.dob:dd_MON_yyyy_dash}   {AGE:age_y_glued} {PT.mf}
Admitted {D.adm:dd_MON_yyyy_dash}   transferred {D.dis:dd_MON_yyyy_dash} by air to {HOSP2}
Sending: {DR.full}, DO (the only physician on call)   Accepting: Dr. {DR2.last}   PCP {PCP.last_i}

{PT.mr} {PT.last} is a {AGE:yrs_hy_old} {PT.sex} farmer from {CITY}, {STATE}, hx {PMH_INLINE}, who came in \
with {SX} and [[SOB]]. Workup here limited (no CT after 5 pm, no cath lab). {EKG_LINE}
Course:
{COURSE}
Meds sent with pt: {MEDS_INLINE}
Allergies: {ALLERGY}
Family: {PT.his} {REL.rel} {REL.full} is driving from {STREET}, {CITY} {ZIP}; cell {PHONE.rel}.
Records faxed to {FAX} on {D.dis:mdy_slash}; images pushed to PACS {IP}.
{DR.fl}, DO -- dictated on the {D.dis:nth}, transcribed {D.dis:mdy_short}
"""),
    Template("snakebite_antivenom_dc", "discharge", """\
DISCHARGE SUMMARY -- ENVENOMATION   {HOSP}
{PT.full} ({PT.LASTcFIRST})   MRN {MRN}   {AGE:at_age}   bitten {D.onset:mon_dot_nth_y}
Attending {DR.full}, MD   Toxicology {DR2.fl}   Poison center case {ID:poison}

Bitten on the R hand by a <<copperhead|timber rattlesnake|cottonmouth>> while clearing brush behind \
{PT.his} home on {STREET}. Dx: [[crotaline envenomation]] <<([[copperhead bite]])|>> with [[hand swelling]] \
to the elbow; [[compartment syndrome]] ruled out, no [[fasciotomy]].
[[antivenom infusion]]: <<[[CroFab]] 4 vials x2, then 2 vials q6h x3|[[Anavip]] 10 vials, then 4 vials>>; \
lot 4RC22 (not PHI). Labs: {LABS}. Fibrinogen nadir 92, platelets 61.
Hx [[HTN]], [[CHF]] (EF 40%); home [[furosemide]] 20 mg [[PO]] daily resumed. [[tetanus toxoid]] 0.5 mL given.
[[Allen test]] normal at discharge; [[Kanavel signs]] absent.
D/c {D.dis:mon_dot_nth_y} home with {PT.his} {REL.rel}, {REL.full}. Recheck platelets on the {D.lab:nth} \
and {D.fu:mon_dot_nth_y}; return for bleeding. Horse-serum allergy card given.
Copy: {PCP.full}, NP; Dr. {DR2.last}, toxicology   Tel {PHONE.pt}
"""),
    Template("frostbite_dc", "discharge", """\
{HOSP} Burn & Wound -- DISCHARGE   {D.dis:ymd_dot_unpad}
Name {PT.first_LAST}   Med rec {MRN}   SSN {SSN}   {AGE:y_o_caps_dot}   Ins {HPLAN}
Admitted {D.adm:ymd_dot_unpad}; attending {DR.full}, MD; wound RN {RN.full}

{PT.He} was found by {REL.first} ({PT.his} {REL.rel}) in an unheated trailer at {STREET}, {CITY}, after \
an ice storm. Dx: [[frostbite of digits]] grade 3, both hands; [[blistered fingertips]].
[[whirlpool rewarming]] 40 C x 30 min on arrival; [[iloprost]] 2 ng/kg/min IV x5 days (no tPA: \
head strike). [[ibuprofen]] 400 mg [[PO]] q12h. Hx [[HTN]], [[DM2]], [[EtOH use disorder]].
Tc-99m bone scan {D.proc:md}: perfusion to the PIP joints. [[wound debridement]] of bullae; \
demarcation expected in 3-4 wk; [[digit amputation]] deferred.
Home with VNA; follow up hand clinic {D.fu:dmonyyyy_glued}. Shelter placement through social work \
({X.full}, {PHONE.sw}). Signed {DR.fl}, MD
"""),
    Template("lead_chelation_dc", "discharge", """\
PEDIATRIC DISCHARGE -- LEAD CHELATION   {HOSP}
Child: {PT.lf}   MRN {MRN}   DOB {D.dob:mdy_slash}   Medicaid {HPLAN}
Admit {D.adm:mon_dash_dd} -- discharge {D.dis:mon_dash_dd}   Attending {DR.full}, MD   Lead clinic {FAC}

Dx: [[lead poisoning]] (venous [[blood lead]] 58 mcg/dL on {D.prev:mdy_slash}), [[pica]], \
[[iron deficiency anemia]]. KUB: radiopaque flecks in the colon -> bowel prep.
Chelation: [[edetate calcium disodium]] 1000 mg/m2/day IV x5 days; [[succimer]] 350 mg/m2 [[PO]] \
TID to follow. No [[dimercaprol]] needed (BLL < 70). [[Burton line]] absent.
Home: 1930s rental at {STREET}, {CITY} {ZIP}; county inspector {X.full} found peeling paint; child \
to stay with grandmother {REL.full} ({PHONE.rel}) until abatement.
Caregiver: {PT.his} {REL.rel} {REL.first} -- reads Spanish; interpreter used. \
Repeat BLL {D.fu:mdy_slash}, ZPP, CBC. LeadCare meter {DEVICE:lead} used in clinic. Portal {URL}.
{DR.fl}, MD   cc {PCP.full}, MD; state lead program fax {FAX}
"""),
    # ------------------------------------------------------------------ radiology
    Template("refugee_panel_cxr", "radiology", """\
IMMIGRATION / REFUGEE HEALTH -- CHEST RADIOGRAPH   {FAC}
Applicant {PT.LASTcFIRST}   A-Number {ID:anum}   I-94 {ID:i94}   DOB {D.dob:dd_mon_yyyy_slash}
{AGE:age_is}   arrived {D.prev:dd_mon_yyyy_slash}   case worker {X.full} {PHONE.cw}

Overseas exam {D.prev:month_d_y}. Indication: Class B1 TB follow-up; IGRA <<positive|indeterminate>>. \
Hx [[HTN]], hep B carrier.
PA view {D.today:dd_mon_yyyy_slash}: {IMAGING_INLINE}
Impression: {IMPRESSION}
Classification: <<no TB|TB, inactive|refer for sputum>>. [[pulmonary nodule]] <<absent|stable>>.
Family members screened same day: {REL.full} ({REL.rel}), {X.full}.
Reader {DR.full}, MD   DS-3025 sent to {EMAIL.dr}   interpreter phone line +1 800 555 0199 (vendor)
Relative abroad {PHONE:abroad}
"""),
    Template("b_reader_ilo_film", "radiology", """\
ILO CLASSIFICATION OF RADIOGRAPH OF PNEUMOCONIOSES   film {ID:ilo}
Worker {PT.lf}   DOB {D.dob:ddmmyyyy}   SSN {SSN}   {AGE:num}   employer mine no. 44-0791 (not PHI)
Facility {FAC}   film date {D.today:ddmmyyyy}   reader {DR.full}, MD, B Reader   {LIC}

Film quality 1. Small opacities: shape q/t, zones upper R/L, profusion 1/0. Large opacities: 0.
Pleural abnormalities: none. Symbols: ax? no. Other: {IMAGING_INLINE}
Impression: consistent with <<[[coal workers' pneumoconiosis]]|[[silicosis]]>>, ILO category 1/0.
[[spirometry]] same day: FEV1 2.41 L (68%), FVC 3.30 L, [[FEV1/FVC]] 0.73.
Previous film {D.prev:ddmmyyyy} read 0/1. Copy to NIOSH and to the miner at {STREET}, {CITY}, \
{STATE} {ZIP}. Signed {DR.fl} {D.today:mdy_slash}
"""),
    Template("port_placement_fluoro", "radiology", """\
IR PROCEDURE -- CHEST PORT PLACEMENT   case {ID:ir}   {HOSP}
{PT.lastcfirst}   {MRN}   {AGE:yrs_hy_old}   {D.proc:d_MON_caps} {TIME}
Operator {DR.full}, MD   Assist {RN.fl}, RN   Referring oncologist {DR2.last_i}

Indication: chemotherapy, {DX}. Consent from {PT.him}. Time-out done.
R IJ access under US; single-lumen 8 Fr port, serial {DEVICE:port}, lot 22P-7711 (not PHI). Catheter tip at \
the [[cavoatrial junction]] on fluoro (0.8 min). Pocket closed 3-0/4-0.
Impression: successful [[port access]] device placement; ready for use with a 20G 3/4 in Huber needle.
EBL < 5 mL. Hx {PMH_INLINE}. Implant card mailed to {STREET}, {CITY}, {STATE} {ZIP}.
Report on {URL}. Images saved {PT.lastlower}_port_{D.proc:ddmmyyyy}.dcm on {IP}
"""),
    Template("infant_hip_ultrasound", "radiology", """\
PEDIATRIC ULTRASOUND -- HIPS (Graf)   acc {ID:hip}   {HOSP}
Infant {PT.full}   MRN {MRN}   DOB {D.dob:dmy_dot_short}   scanned {D.today:dmy_dot_short}
Ordering {PCP.first_LAST}, MD; mother {REL.full}; grandmother's age in chart {AGE:age_y_glued}

Indication: breech, positive [[Ortolani maneuver]] L; [[Barlow maneuver]] equivocal; [[Galeazzi sign]] \
<<present|absent>>. [[Klisic test]] not done.
[[Graf hip ultrasound]]: R alpha 63 degrees (type I); L alpha 52 degrees, beta 70 (type IIa/IIc).
Impression: L [[developmental dysplasia of the hip]]; Pavlik harness; repeat in 4 weeks \
({D.fu:dmy_dot_short}).
Discussed with {REL.first} by phone {PHONE.rel}. Read by {DR.full}, MD
"""),
    # ------------------------------------------------------------------ progress
    Template("farmworker_clinic_visit", "progress", """\
{FAC} -- mobile unit, <<tobacco|blueberry|sweet potato|grape>> camp visit   {D.today:mdy_dash_unpad2}
Pt {PT.full}   chart {MRN}   {AGE:at_age}   H-2A worker from {CITY}; crew leader {X.full} ({PHONE.crew})
Employer housing: {STREET}, {CITY} {ZIP}. Phone {PHONE.pt} (WhatsApp), family abroad {PHONE:abroad}

S: {SX}, nausea and dizziness after harvesting wet leaves -> [[green tobacco sickness]] vs \
[[heat exhaustion]]; rash on forearms ([[pesticide dermatitis]]). Hx [[HTN]], [[DM2]].
O: {VITALS}. {EXAM_INLINE}.
A/P:
{PLAN}
[[ondansetron]] 4 mg [[PO]]; fluids, shade breaks; gloves and long sleeves. Work note until \
{D.fu:mdy_dash_unpad2}.
Pesticide exposure report to state ag dept; tractor {VEHICLE:tractor} named in report.
{DR.full}, PA-C / promotora {RN.first_LAST}
"""),
    Template("school_health_center_visit", "progress", """\
{FAC}   {D.today:mon_dash_dd}   student id {ID:student}   grade <<7|9|11>>
{PT.lf}, {AGE:num}, {PT.mf}   consent on file from {REL.rel} {REL.full} ({PHONE.rel})
Seen by {DR.full}, NP; school nurse {RN.full}, RN

Reason: <<asthma action plan|sports physical|[[morning headache]] and missed school|[[sweaty palms]], \
embarrassed in class>>. Hx {PMH_INLINE}.
Vitals {VITALS}. [[Gowers sign]] negative. [[Minor starch-iodine test]] <<not done|positive palms>>.
Plan: {PLAN_INLINE}. [[albuterol]] 2 puffs before gym; spacer teaching done; flu shot given {D.prev:mon_d}.
Note sent to teacher {X.last_i} by {EMAIL.x}. Next visit {D.fu:mon_dash_dd}. Clinic line 911 for \
emergencies, counselor via 988.
"""),
    Template("ptsd_group_note", "progress", """\
{FAC} -- readjustment counseling -- GROUP NOTE   session {ID:group}   {D.today:dmonyyyy_glued}
Veteran {PT.first_LAST}   ICN {HPLAN:va}   {AGE:y_o_caps_dot}   branch <<Army|USMC|Navy|Air Force>>
Facilitator {DR.full}, {LIC:lpc}   co-facilitator {X.full}, LCSW

Group: combat trauma, 8 members, session <<4|7|11>> of 12 (CPT). {PT.first} spoke about the IED blast \
(Helmand, 2011).
Mood "tired"; nightmares 3/wk on [[prazosin]] 2 mg QHS; no SI/HI. [[combat-related PTSD]], [[MDD]], \
[[EtOH use disorder]] in remission.
Homework: stuck-point log. Next session {D.fu:dmonyyyy_glued}. {PT.He} rides with {REL.rel} {REL.full}.
Veterans Crisis Line 988 press 1; VA benefits 1-800-827-1000 (public). TTY 711.
Signed {DR.fl} -- cosign Dr. {DR2.last}
"""),
    Template("hearing_aid_fitting", "progress", """\
{FAC} -- HEARING AID FITTING   {D.today:mon_dot_nth_y}
Patient {PT.lastcfirst}   {MRN}   {AGE:age_is}   plan {HPLAN}
Dispenser {X.full}, {LIC:had}   audiologist {DR.full}, AuD

Dx: [[bilateral sensorineural hearing loss]], sloping mild to severe; [[ringing in ears]]. [[Weber test]] \
midline, [[Stenger test]] negative; no [[Hennebert sign]] or [[Tullio phenomenon]].
Audiogram {D.prev:d_mon_y}. Fit: RIC aids, L serial {DEVICE.l:ha}, R serial {DEVICE.r:ha}; [[real-ear \
measurement]] to NAL-NL2 \
targets within 5 dB. PTA 48 dB (not an id). Bluetooth paired with {PT.his} phone {PHONE.pt}.
Hx [[HTN]], [[DM2]]; on [[aspirin]] 81 mg. 45-day trial ends {D.fu:mon_dot_nth_y}. \
{PT.mr} {PT.last}'s {REL.rel} {REL.full} attended.
Portal {URL}. {DR.fl}, AuD
"""),
    Template("wheelchair_seating_eval", "progress", """\
{FAC} -- SEATING & WHEELED MOBILITY EVALUATION   order {ID:seat}   {D.today:iso}
Client {PT.full}   DOB {D.dob:mdy_slash}   {AGE:yrs_hy_old}   Medicare/secondary {HPLAN}
Therapist {DR.full}, PT, {LIC:atp}   vendor rep {X.full}   MD {PCP.fl}

Dx: [[spinal cord injury]] C6 <<AIS B|AIS C>> since 2009; [[clumsy hands]]; [[Thomas test]] + hip flexion \
contracture; [[Ober test]] +; hx stage 3 sacral ulcer. [[pressure mapping]] peak 180 mmHg on current cushion.
[[seating assessment]]: power tilt 30 deg, recline; seat width 18 in; HCPCS K0861, E1161 (not ids).
Current chair {DEVICE:chair} is 7 yr old; van plate {VEHICLE}; home {STREET}, {CITY}, {STATE} {ZIP} with \
ramp. Caregiver {REL.rel} {REL.full}.
Plan: {PLAN_INLINE}. Letter of medical necessity to {PCP.full} ({FAX}).
"""),
    # ------------------------------------------------------------------ ed
    Template("altitude_illness_ed", "ed", """\
ED NOTE -- {HOSP}   {D.adm:mdy_slash} {TIME}   elevation 2,700 m at trailhead
{PT.full}   MRN {MRN}   {AGE:at_age}   visitor from {CITY}, {STATE}   tel {PHONE.pt}

Hiker ascended 1,400 m in 2 days; [[HA]], [[N/V]], [[breathless on stairs]]. <<No ataxia|Ataxic gait, \
confusion>>. Hx {PMH_INLINE}.
Vitals {VITALS}. Exam: {EXAM_INLINE}.
Dx: <<[[acute mountain sickness]]|[[high-altitude pulmonary edema]]|[[high-altitude cerebral edema]]>>.
Tx: O2 4 L, [[acetazolamide]] 125 mg [[PO]] [[BID]], <<[[nifedipine ER]] 30 mg|[[dexamethasone]] 8 mg IV>>; \
[[portable hyperbaric bag]] 1 h on scene by ranger {X.full}.
Prior AMS episode {D.prev:d_mon_y}. Dispo: descend; recheck with PCP {D.fu:mon_d}; friend {REL.full} \
({REL.rel}) driving, {PHONE.rel}. Rental car {VEHICLE}.
{DR.full}, MD -- {D.adm:mdy_short}
"""),
    Template("lightning_strike_ed", "ed", """\
TRAUMA / ENVIRONMENTAL -- LIGHTNING STRIKE   {HOSP}   arrival {D.adm:dd_MON_yyyy_dash} {TIME}
{PT.LASTcFIRST}   {MRN}   {AGE:y_o_caps_dot}   {PT.mf}   struck on a golf course near {CITY}

Bystander CPR x2 min by {X.full}. GCS 14. [[Lichtenberg figures]] across the chest and L arm; \
[[keraunoparalysis]] of both legs resolving over 40 min; TM rupture R.
[[lightning injury]] workup: {EKG_LINE} trop x2, [[CK]] 1850, UA neg. {LABS}.
Hx [[HTN]]; [[SOB]] none. [[GI]] benign.
Dispo: obs 24 h telemetry; ENT and ophthalmology f/u. {PT.His} {REL.rel} {REL.full} at bedside, \
{PHONE.rel}. Golf cart id {DEVICE} (club property).
{DR.full}, MD; scribe {RN.ini2}
"""),
    Template("fireworks_hand_ed", "ed", """\
ED PROVIDER NOTE   {HOSP}   {D.adm:spoken_ordinal}, 23:40 -- holiday shift
Pt {PT.full} ({PT.dotted_user})   MRN {MRN}   {AGE:age_is}   SSN {SSN}   ins {HPLAN}

Mortar tube discharged in {PT.his} R hand at a party on {STREET}. [[blast injury of hand]]: \
partial amputation thumb tip, burns palm, [[Froment sign]] not testable, [[Wartenberg sign]] absent.
Tx: [[tetanus toxoid]] 0.5 mL IM, [[cefazolin]] 2 g IV, [[fentanyl]] 50 mcg. XR: comminuted distal \
phalanx fx. Hand surgery Dr. {DR2.last} ({PHONE.hand}) to OR.
Police {X.full} took a statement; truck {VEHICLE} towed. Hx [[HTN]], [[afib]].
{PT.His} {REL.rel} {REL.first} ({PHONE.rel}) updated. {DR.fl}, MD
"""),
    Template("ice_fishing_co_ed", "ed", """\
ED NOTE   {D.adm:d_MON_caps} {TIME}   {HOSP}   Poison center {ID:poison}
{PT.lf}   {AGE:age_y_glued}   MRN {MRN}   home {STREET}, {CITY} {ZIP}

Found by {PT.his} {REL.rel} {REL.full} in a shanty with a propane heater; [[morning headache]], \
confusion. [[carbon monoxide poisoning]]: [[COHb]] 27% on arrival. Second victim {X.full} to {HOSP2}.
Hx {PMH_INLINE}. Vitals {VITALS}. {EXAM_INLINE}.
Tx: 100% O2 NRB; HBO considered (no syncope, no pregnancy). Repeat COHb 6% at 4 h.
Boat/shanty reg {VEHICLE:boat}. Contact {PHONE.rel}. Signed {DR.full}, MD {D.adm:mdy2}
"""),
    # ------------------------------------------------------------------ nursing (ALL CAPS)
    Template("port_flush_log_caps", "nursing", """\
{FAC} -- IMPLANTED PORT FLUSH LOG   PORT SN {DEVICE:port}
PT {PT.LASTcFIRST}   MRN {MRN}   {AGE:yrs_hy_old}   PHONE {PHONE.pt}

DATE      | NEEDLE           | BLOOD RETURN | FLUSH                         | RN
{D.today:d_MON_caps} | 20G 3/4 IN HUBER | YES | [[HEPARIN LOCK FLUSH]] 500 UNITS | {RN.ini2}
{D.fu:d_MON_caps} | 20G 3/4 IN HUBER | SLUGGISH | [[ALTEPLASE]] 2 MG DWELL | {RN.ini2}
NEXT FLUSH {D.next:d_MON_caps}. HX [[CHF]], [[HTN]]; [[SOB]] NONE. NO [[GI]] COMPLAINTS.
{PT.first}'S {REL.rel} {REL.full} DRIVES; CALLS {PHONE.rel}. LOT 7H0921 (NOT PHI). RN {RN.full}
""", upper=True),
    Template("camp_nurse_log_caps", "nursing", """\
{FAC} -- HEALTH LODGE LOG   WEEK OF {D.today:mon_dash_dd}   CAMP NURSE {RN.full}, RN
CAMPER {ID:camper}   {PT.last_i}   {AGE:num}   CABIN <<OWLS|FOXES|HERONS>>   PARENT {REL.full} {PHONE.rel}

TIME  | COMPLAINT                | TX                                 | INITIALS
0815  | [[ASTHMA]] WHEEZE        | [[ALBUTEROL]] 2 PUFFS              | {RN.ini2}
1330  | BEE STING L ARM          | ICE, [[CETIRIZINE]] 10 MG [[PO]]   | {RN.ini2}
2100  | HOMESICK, [[N/V]] X1     | REST, FLUIDS                       | {RN.ini2}
MEDS LOCKED; PARENT EMAIL {EMAIL.rel}. CAMP DOCTOR {DR.full} ON CALL {PHONE.md}. [[HTN]] N/A.
""", upper=True),
    Template("home_oxygen_delivery_caps", "nursing", """\
{FAC} -- HOME OXYGEN DELIVERY TICKET {ID:o2}   {D.today:dd_MON_yyyy_dash}
PATIENT {PT.LF}   DOB {D.dob:mdy_slash}   {AGE:age_is}   MEDICARE {HPLAN}
ADDRESS {STREET}, {CITY}, {STATE} {ZIP}   GATE CODE 4410 (NOT AN ID)

CONCENTRATOR {DEVICE:o2} SET 2 LPM; 6 E-CYLINDERS; [[COPD]], [[CHF]]. SPO2 RA 86%, ON 2 L 93%.
NO SMOKING SIGNS POSTED; {REL.rel} {REL.full} SMOKES OUTSIDE. [[SOB]] WITH ADLS.
RT {RN.full} (TECH {X.last_i}); ORDERING MD {DR.lf}. TRUCK {VEHICLE}. NEXT VISIT {D.fu:mdy_slash}.
""", upper=True),
    Template("jail_intake_screen_caps", "nursing", """\
{FAC} -- RECEIVING SCREENING   BOOKING {ID:book}   {D.adm:dd_MON_yyyy_dash} {TIME}
INMATE {PT.LASTcFIRST}   DOB {D.dob:mdy_slash}   {AGE:at_age}   SSN {SSN}   DL {LIC:dl}
ARRESTING AGENCY {CITY} PD   EMERGENCY CONTACT {REL.full} ({REL.rel}) {PHONE.rel}

MEDS: {MEDS_INLINE}. HX [[HTN]], [[DM2]], [[HCV]]. [[ETOH USE DISORDER]]: LAST DRINK <<TODAY|YESTERDAY>>, \
CIWA 8. SI SCREEN NEG. TB SX NEG. [[SOB]] NONE.
VITALS {VITALS}. [[GI]] OK. PLACED IN MEDICAL OBS; MD {DR.last} NOTIFIED.
SCREENING RN {RN.full}   TERMINAL {IP}
""", upper=True),
)
