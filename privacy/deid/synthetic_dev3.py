"""DEV3 world of the synthetic note generator: the third held-out world, retired after it was measured once.

It was written as a held-out world (without looking at the recognizers, lexicons or engine) and measured once
(leak 2.17%, see README); it is now open for tuning, and the reported figures come from a fresh held-out world
(synthetic_heldout.py).

What differs from tuning (synthetic.py), dev (synthetic_dev.py) and dev2 (synthetic_dev2.py), on purpose:
- other kinds of documents, mapped onto NOTE_KINDS: death summaries, postpartum/newborn discharges, insurance
  prior-authorization letters, home-infusion (OPAT) referrals, behavioural-health discharges with safety plans
  (discharge); endoscopy, cardiac cath, bronchoscopy/EBUS, OB ultrasound and sleep-study reports (radiology);
  admission H&Ps, psychiatric intakes, telehealth video visits, PT/OT daily notes, hemodialysis run sheets
  (progress); L&D triage, emergency-detention holds, fast-track laceration notes, overdose notes, nursing-home
  send-outs (ed); ALL-CAPS SBAR handoffs, infection-prevention notes, home-infusion visits, newborn nursery
  and hospice visit notes (nursing);
- formats none of the three writes: dates "3-4-2021", "Mar. 4, 2021", "4 Mar 2021", "Mar 4th",
  "March 4th, 2021", "03.04.2021", "3-4", "4-Mar", "Mar '21"; ages "92 yrs old", "92 yr", "92-y/o",
  "92-years-old", "92 YO", "92/F";
  names "Last, F.", "First L.", "J.K.M.", "LAST First", "LAST FIRST" wristband style, lower-case initials as
  sign-offs, possessives, names after relation words; phones "+1-318-...", "(318)-555-...", "1.318.555....",
  "x1234" extensions, "4-1234" pagers; masked SSNs; Meditech-style, hyphenated and check-digit MRNs; HAR and
  encounter numbers; Aetna-style, "-01" suffixed and DoD health-plan ids; Florida-style driver's licences,
  professional licences; pump, scope and infant-security-tag serials, GS1 UDIs in brackets; "482 TKM" plates;
  prior-auth, referral, OPO, specimen, meeting and badge numbers;
- its own messiness (other misspellings, doubled words, "w/" "pt" "&" shorthand, flattened line breaks, double
  spaces, curly apostrophes, non-breaking spaces from pasted text), applied to literal text only so gold
  offsets stay exact;
- name and place pools disjoint from all three worlds: Faker locales none uses (Austrian/Luxembourg/
  Liechtenstein German, Catalan, Quebec/Swiss/Belgian/Algerian French, Estonian, Azerbaijani, Uzbek, Igbo,
  Hausa, Twi, Nigerian English, Icelandic given names), invented "Mc/Mac" surnames and "-ette/-ard" given
  names, and names that are ordinary or clinical-looking English words (Gall, Blood, Lung, Hurt, Vane, Salt,
  Pepper, Blessing, Comfort, Goodluck ...); other cities, street words, hospital and facility naming patterns;
- obstetric notes name the mother by surname and initial only ("Ms. Hames", "Hames, V."): synthetic.py draws
  the patient's sex at random, and a given name would make half the mothers men;
- clinical vocabulary of obstetrics, endoscopy, cath lab, psychiatry, dialysis, hospice and infection control,
  in a realistic mix with the shared common vocabulary.
"""

from __future__ import annotations

import datetime as dt
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
    ssn_value,
    tuning_style,
)
from medfl.privacy.deid.synthetic_dev import dev_style, npi, vin
from medfl.privacy.deid.synthetic_dev2 import _FOLD, dev2_style

# ----------------------------------------------------------------------------- clinical vocabulary
# Only vocabulary that fits any patient goes into the shared blocks; obstetric, dialysis and procedure-room
# terms are written inline ([[...]]) in the templates where they belong.
_EXTRA_VOCAB = {
    "drugs": (
        ("olanzapine", "10 mg"), ("Zyprexa", "5 mg"), ("aripiprazole", "10 mg"), ("Abilify", "5 mg"),
        ("lithium carbonate", "300 mg"), ("buprenorphine-naloxone", "8/2 mg"), ("Suboxone", "8/2 mg"),
        ("naloxone", "0.4 mg"), ("methadone", "60 mg"), ("calcitriol", "0.25 mcg"), ("cinacalcet", "30 mg"),
        ("ertapenem", "1 g"), ("daptomycin", "6 mg/kg"), ("cefazolin", "2 g"), ("nafcillin", "2 g"),
        ("Dilaudid", "0.5 mg"), ("ticagrelor", "90 mg"), ("Brilinta", "90 mg"), ("hydroxyzine", "25 mg"),
        ("clonidine", "0.1 mg"), ("melatonin", "3 mg"), ("Entresto", "24/26 mg"), ("Jardiance", "10 mg"),
    ),
    "dx": (
        "bipolar I disorder", "schizoaffective disorder", "PTSD", "opioid use disorder", "C. diff colitis",
        "MRSA bacteremia", "osteomyelitis", "ESRD", "secondary hyperparathyroidism", "metastatic NSCLC",
        "pancreatic adenocarcinoma", "failure to thrive", "NSTEMI", "adenomatous polyp", "OSA",
        "HFpEF", "T2DM with neuropathy",
    ),
    "symptoms": ("SI", "poor PO intake", "fatigue", "insomnia", "falls", "confusion"),
    "procedures": (
        "LHC", "RHC", "cardiac cath", "bronchoscopy with BAL", "EBUS-TBNA", "flexible sigmoidoscopy",
        "PEG placement", "tunneled HD catheter", "AV fistula", "polysomnography", "CPAP titration",
        "cold snare polypectomy", "TAVR", "TURP",
    ),
    # mostly plain exam findings: real notes use a few eponyms, not a stack of rare ones
    "signs": ("pronator drift", "asterixis", "sustained clonus", "CVA tenderness", "rebound tenderness",
              "shifting dullness", "egophony", "positive straight leg raise", "Finkelstein test",
              "Allen test"),
    "labs": (("Mg", "{:.1f}", 1.2, 3.1), ("phos", "{:.1f}", 2.0, 8.5), ("TSH", "{:.2f}", 0.2, 9.0),
             ("procalcitonin", "{:.2f}", 0.05, 12.0), ("CK", "{:.0f}", 40, 4200),
             ("ammonia", "{:.0f}", 15, 140)),
    "allergies": ("vancomycin (red man)", "morphine (itching)", "adhesive tape", "shellfish"),
}


def _vocab() -> dict[str, tuple]:
    vocab = dict(VOCAB)
    for k, extra in _EXTRA_VOCAB.items():
        vocab[k] = tuple(vocab[k]) + extra
    return vocab


# ----------------------------------------------------------------------------- dates
DATE_FORMATS: dict[str, Callable[[dt.date], str]] = {
    # the forms issue 3 names (also in tuning) ...
    **{k: TUNING_DATE_FORMATS[k] for k in ("md", "mon_d", "d_mon_y", "iso", "mdy2", "nth", "mdy_slash",
                                           "month_d_y")},
    # ... and forms none of tuning, dev and dev2 writes
    "mdy_dash_y4": lambda d: f"{d.month}-{d.day}-{d.year}",                   # 3-4-2021
    "mon_dot_d_y": lambda d: f"{MON[d.month]}. {d.day}, {d.year}",            # Mar. 4, 2021
    "d_mon_y_sp": lambda d: f"{d.day} {MON[d.month]} {d.year}",               # 4 Mar 2021
    "mon_nth": lambda d: f"{MON[d.month]} {ordinal(d.day)}",                  # Mar 4th
    "month_nth_y": lambda d: f"{MONTH[d.month]} {ordinal(d.day)}, {d.year}",  # March 4th, 2021
    "mdy_dot4": lambda d: f"{d.month:02d}.{d.day:02d}.{d.year}",              # 03.04.2021
    "md_dash": lambda d: f"{d.month}-{d.day}",                                # 3-4
    "d_mon_dash": lambda d: f"{d.day}-{MON[d.month]}",                        # 4-Mar (flowsheet export)
    "mon_apos_yy": lambda d: f"{MON[d.month]} '{d.year % 100:02d}",           # Mar '21 (the month is PHI)
}
RANDOM_DATE_FORMATS = ("mdy_slash", "mdy_slash", "md", "mdy2", "iso", "mon_d", "mdy_dash_y4", "mon_dot_d_y",
                       "d_mon_y_sp", "mon_nth", "month_nth_y", "mdy_dot4")

AGE_FORMS = {
    "yrs": ("", " yrs old"), "yr": ("", " yr"), "yo_hy": ("", "-y/o"), "years_hy": ("", "-years-old"),
    "YO": ("", " YO"), "slash": ("", ""), "yo2": ("", " yo"), "num": ("", ""),
}


# ----------------------------------------------------------------------------- identifiers
AREA_CODES = ("423", "865", "931", "615", "706", "478", "912", "229", "803", "828", "252", "910", "434",
              "276", "717", "484", "315", "518", "845", "413", "419", "740", "937", "765", "812", "618",
              "217", "563", "641", "402", "816", "417", "580", "903", "936", "575", "928", "775", "541",
              "458", "509", "406", "307", "435", "719", "970", "316", "785", "870", "662")


def _parts(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(AREA_CODES), str(rng.randint(212, 989)), digits(rng, 4)


def phone_std(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}-{b}-{c}"


def phone_parens(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"({a}) {b}-{c}"


def phone_plus_dash(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"+1-{a}-{b}-{c}"


def phone_paren_hyph(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"({a})-{b}-{c}"


def phone_one_dots(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"1.{a}.{b}.{c}"


def phone_x(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}-{b}-{c} x{digits(rng, rng.choice((3, 4)))}"


def pager_hyph(rng: random.Random) -> str:
    return f"{rng.randint(2, 8)}-{digits(rng, 4)}"


def ssn_std(rng: random.Random) -> str:
    return ssn_value(rng)


def ssn_masked(rng: random.Random) -> str:
    return f"XXX-XX-{ssn_value(rng)[-4:]}"


def mrn_8plain(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, 7)


def mrn_meditech(rng: random.Random) -> str:
    return "M00" + digits(rng, 7)


def mrn_hyph(rng: random.Random) -> str:
    return f"{digits(rng, 2)}-{digits(rng, 2)}-{digits(rng, 2)}"


def mrn_check(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 6)}-{rng.randint(0, 9)}"


def acct_har(rng: random.Random) -> str:
    return "3" + digits(rng, 8)


def acct_enc11(rng: random.Random) -> str:
    return "2" + digits(rng, 10)


def acct_alpha(rng: random.Random) -> str:
    return rng.choice("AHV") + digits(rng, 8)


def hp_w9(rng: random.Random) -> str:
    return "W" + digits(rng, 9)


def hp_suffix01(rng: random.Random) -> str:
    return f"{digits(rng, 9)}-0{rng.randint(1, 4)}"


def hp_dodid(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, 9)


def hp_prefix_space(rng: random.Random) -> str:
    return f"{letters(rng, 3)} {digits(rng, 8)}"


def hp_mbi(rng: random.Random) -> str:
    return medicare_mbi(rng, dashes=rng.random() < 0.3)


def hp_group_hyph(rng: random.Random) -> str:
    return f"{digits(rng, 6)}-{digits(rng, 3)}"


def dl_fl(rng: random.Random) -> str:  # Florida-style: L###-###-##-###-#
    d = digits(rng, 12)
    return f"{letters(rng, 1)}{d[:3]}-{d[3:6]}-{d[6:8]}-{d[8:11]}-{d[11]}"


def dl_8(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, 7)


def lic_prof(rng: random.Random) -> str:
    return f"{rng.choice(('0001', '0002', '0025'))}{digits(rng, 6)}"


def lic_rn_hyph(rng: random.Random) -> str:
    return f"RN-{digits(rng, 6)}"


def dea_std(rng: random.Random) -> str:
    return dea_number(rng)


def npi_std(rng: random.Random) -> str:
    return npi(rng)


def serial_pump(rng: random.Random) -> str:
    return f"{digits(rng, 2)}-{digits(rng, 3)}-{digits(rng, 4)}"


def serial_hex(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789ABCDEF") for _ in range(10))


def serial_scope(rng: random.Random) -> str:
    return f"{rng.randint(2, 7)}{digits(rng, 6)}"


def udi_brackets(rng: random.Random) -> str:
    exp = f"{rng.randint(25, 29)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return f"(01){digits(rng, 14)}(17){exp}(10){letters(rng, 2)}{digits(rng, 4)}"


def tag_serial(rng: random.Random) -> str:
    return f"{letters(rng, 1)}{digits(rng, 5)}"


def plate_d3l(rng: random.Random) -> str:
    return f"{digits(rng, 3)} {letters(rng, 3)}"


def plate_2l5(rng: random.Random) -> str:
    return f"{letters(rng, 2)}-{digits(rng, 5)}"


def vin_std(rng: random.Random) -> str:
    return vin(rng)


def auth_num(rng: random.Random) -> str:
    return f"PA{rng.randint(20, 25)}{digits(rng, 7)}"


def referral_num(rng: random.Random) -> str:
    return "REF" + digits(rng, 8)


def opo_ref(rng: random.Random) -> str:
    return f"{digits(rng, 2)}-{digits(rng, 5)}"


def specimen_id(rng: random.Random) -> str:
    return f"{rng.choice(('GS', 'GI', 'CY'))}{rng.randint(20, 25)}-{digits(rng, 5)}"


def lab_spec(rng: random.Random) -> str:
    return f"L{digits(rng, 10)}"


def cath_case(rng: random.Random) -> str:
    return f"CL{rng.randint(20, 25)}-{digits(rng, 4)}"


def meeting_id(rng: random.Random) -> str:
    return f"{digits(rng, 3)} {digits(rng, 4)} {digits(rng, 4)}"


def badge_num(rng: random.Random) -> str:
    return str(rng.randint(100, 9999))


def band_num(rng: random.Random) -> str:
    return digits(rng, 5)


def ipv4_home(rng: random.Random) -> str:
    return f"192.168.{rng.randint(0, 3)}.{rng.randint(2, 254)}"


def ipv4_public(rng: random.Random) -> str:
    first = rng.choice((68, 71, 73, 98, 174, 184))
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _ids() -> dict[str, tuple]:
    return {
        "PHONE": (phone_std, phone_std, phone_parens, phone_parens, phone_plus_dash, phone_paren_hyph,
                  phone_one_dots),
        "PHONE:ext": (phone_x,),
        "PHONE:pager": (pager_hyph,),
        "FAX": (phone_std, phone_parens, phone_paren_hyph),
        "SSN": (ssn_std, ssn_std, ssn_masked),
        "MRN": (mrn_8plain, mrn_8plain, mrn_meditech, mrn_hyph, mrn_check),
        "ACCT": (acct_har, acct_enc11, acct_alpha),
        "HPLAN": (hp_w9, hp_suffix01, hp_prefix_space),
        "HPLAN:medicare": (hp_mbi,),
        "HPLAN:tricare": (hp_dodid,),
        "HPLAN:grp": (hp_group_hyph,),
        "LIC": (lic_prof, lic_rn_hyph),
        "LIC:dea": (dea_std,),
        "LIC:npi": (npi_std,),
        "LIC:dl": (dl_fl, dl_8),
        "DEVICE": (serial_pump, serial_hex),
        "DEVICE:scope": (serial_scope,),
        "DEVICE:udi": (udi_brackets,),
        "DEVICE:tag": (tag_serial,),
        "VEHICLE": (plate_d3l, plate_2l5, vin_std),
        "ID": (lab_spec,),
        "ID:auth": (auth_num,),
        "ID:ref": (referral_num,),
        "ID:opo": (opo_ref,),
        "ID:spec": (specimen_id,),
        "ID:case": (cath_case,),
        "ID:meeting": (meeting_id,),
        "ID:badge": (badge_num,),
        "ID:band": (band_num,),
        "IP": (ipv4_home, ipv4_public),
    }


# ----------------------------------------------------------------------------- name forms
def _name_forms(p) -> dict[str, str]:
    return {
        "lf_i": f"{p.last}, {p.first[0]}.",                       # Thill, A.
        "f_li": f"{p.first} {p.last[0]}.",                        # Aloyse T.
        "ini3dots": f"{p.first[0]}.{p.middle[0]}.{p.last[0]}.",   # A.M.T.
        "LASTf": f"{p.last.upper()} {p.first}",                   # THILL Aloyse
        "LASTFIRST": f"{p.last} {p.first}".upper(),               # THILL ALOYSE (wristband)
        "inilow": f"{p.first[0]}{p.last[0]}".lower(),             # at (sign-off)
        "firstlow": p.first.lower(),                              # aloyse (typed quickly)
    }


# ----------------------------------------------------------------------------- messiness
_MISSPELL = (("separate", "seperate"), ("occurred", "occured"), ("tomorrow", "tommorow"),
             ("assessment", "assesment"), ("necessary", "neccessary"), ("referred", "refered"),
             ("breathing", "breathng"), ("medication", "medicaiton"), ("pressure", "presure"),
             ("daughter", "daugther"), ("appointment", "appointmnet"), ("bedside", "bedisde"),
             ("tolerating", "tolerting"), ("discussed", "discused"), ("present", "presnet"))
_SHORTHAND = ((" with ", " w/ "), (" patient ", " pt "), (" and ", " & "), (" without ", " w/o "),
              (" history of ", " hx of "), (" because ", " b/c "), (" times ", " x "))
_DOUBLE = ("the", "to", "and", "of", "was", "is")


def _mess_factory(rng: random.Random, level: float = 0.09) -> Callable[[str], str]:
    """Literal text -> messier literal text; the first and last character of a piece are kept, so a
    neighbouring PHI value keeps its word boundaries."""

    def mess(s: str) -> str:
        if len(s) < 4:
            return s
        head, mid, tail = s[0], s[1:-1], s[-1]
        r = rng.random()
        if r < level:  # common misspelling
            hits = [(a, b) for a, b in _MISSPELL if a in mid]
            if hits:
                a, b = rng.choice(hits)
                mid = mid.replace(a, b, 1)
        elif r < 2.2 * level:  # shorthand as people type it
            hits = [(a, b) for a, b in _SHORTHAND if a in mid]
            if hits:
                a, b = rng.choice(hits)
                mid = mid.replace(a, b, 1)
        elif r < 2.7 * level:  # doubled word ("to to")
            words = [w for w in _DOUBLE if f" {w} " in mid]
            if words:
                w = rng.choice(words)
                mid = mid.replace(f" {w} ", f" {w} {w} ", 1)
        elif r < 3.3 * level:  # line break lost in an interface export
            i = mid.find("\n")
            if 0 < i < len(mid) - 1 and mid[i - 1] not in "\n:" and mid[i + 1] not in "\n":
                mid = mid[:i] + " " + mid[i + 1:]
        elif r < 3.9 * level:  # double space between words
            i = mid.find(" ", rng.randint(0, max(0, len(mid) - 1)))
            if 0 < i < len(mid) - 1 and mid[i - 1].isalpha() and mid[i + 1].isalpha():
                mid = mid[:i] + "  " + mid[i + 1:]
        elif r < 4.4 * level:  # text pasted from a word processor: curly apostrophes, non-breaking spaces
            if "'" in mid:
                mid = mid.replace("'", "\u2019")
            elif ": " in mid:
                mid = mid.replace(": ", ":\u00a0", 1)
        return head + mid + tail

    return mess


# ----------------------------------------------------------------------------- pools
# locale -> (male, female, last) caps, so no single locale dominates
_LOCALE_CAPS = {
    "de_AT": (15, 35, 170), "de_LU": (30, 40, 90), "de_LI": (10, 15, 30), "es_CA": (8, 5, 200),
    "fr_QC": (0, 0, 58), "fr_CH": (2, 5, 60), "fr_BE": (35, 40, 90), "et_EE": (10, 8, 60),
    "az_AZ": (12, 12, 25), "uz_UZ": (10, 10, 20), "ig_NG": (12, 12, 18), "ha_NG": (6, 8, 10),
    "tw_GH": (10, 12, 35), "en_NG": (0, 3, 16), "is_IS": (40, 45, 0), "fr_DZ": (15, 12, 35),
}
# real surnames / given names that are also ordinary or clinical-looking English words
_WORD_LAST = ("Gall", "Blood", "Lung", "Hurt", "Vane", "Bacon", "Carver", "Cash", "Child", "Cutter", "Faulk",
              "Gentle", "Goodnight", "Gold", "Jewell", "Lemon", "Lovejoy", "Painter", "Parson", "Pepper",
              "Salt", "Shanks", "Singer", "Sparrow", "Squire", "Sterling", "Trout", "Bliss", "Christmas",
              "Easter", "Honey", "Hipp", "Legge", "Shinn")
_WORD_FIRST_F = ("Blessing", "Comfort", "Favour", "Precious", "Treasure", "Lyric", "Haven", "Blythe",
                 "Heaven", "Justice")
_WORD_FIRST_M = ("Goodluck", "Godspower", "Gift", "Rocky", "Marshal")

_MC_STEM = ("Alester", "Bride", "Cready", "Elwee", "Fadden", "Gahee", "Intosh", "Kinlay", "Lendon", "Murtry",
            "Quaid", "Rae", "Sween", "Taggart", "Vey", "Whorter", "Brayne", "Caskill", "Dougal", "Gruder",
            "Ilhenny", "Kendree", "Lellan", "Nab", "Phail", "Tavish", "Corkle", "Gillicuddy")
_GIVEN_HEAD = ("Lor", "Jol", "Mar", "Deb", "Lyn", "Char", "Ber", "Ger", "Rich", "Clar", "Wyn", "Dor", "Jean",
               "Nan", "Ros", "Ev", "Vern", "Lav")
_GIVEN_TAIL_F = ("ette", "elle", "ina", "etta", "ene", "ona")
_GIVEN_TAIL_M = ("ard", "ell", "ias", "wood", "ton", "mond")


HELDOUT_CITIES = (
    "Tifton", "Thomasville", "Statesboro", "Florence", "Sumter", "Orangeburg", "Aiken", "Beaufort",
    "Gastonia", "Goldsboro", "Rocky Mount", "Greenwood", "Bluefield", "Beckley", "Parkersburg", "Clarksburg",
    "Danville",
    "Winchester", "Fredericksburg", "Petersburg", "Salisbury", "Dover", "Lancaster", "Reading", "Pottsville",
    "Hazleton", "Stroudsburg", "Oneonta", "Ithaca", "Watertown", "Glens Falls", "Saratoga Springs",
    "Poughkeepsie", "Torrington", "Bennington", "Rutland", "St. Johnsbury", "Laconia", "Presque Isle",
    "Biddeford", "Waterville", "Ashtabula", "Mansfield", "Lima", "Findlay", "Zanesville", "Chillicothe",
    "Marietta", "Lafayette", "Vincennes", "Carbondale", "Galesburg", "Decatur", "Kankakee", "Ottumwa",
    "Mason City", "Ames", "Fort Dodge", "Emporia", "Garden City", "Hays", "Ardmore", "Shawnee", "Tyler",
    "Longview", "Lufkin", "Nacogdoches", "Victoria", "Sherman", "Wichita Falls", "Big Spring", "Alamogordo",
    "Clovis", "Hobbs", "Gallup", "Sierra Vista", "Kingman", "Elko", "Carson City", "Klamath Falls",
    "Roseburg", "Bend", "Pendleton", "Astoria", "Coeur d'Alene", "Helena", "Butte", "Sheridan", "Gillette",
    "Rock Springs", "Logan", "Cedar City", "Hastings", "Murfreesboro", "Cleveland", "Dalton", "Rome",
    "Athens", "Anniston", "Gadsden", "Opelika", "Vicksburg", "Natchez", "Hammond", "Houma", "Alexandria",
)
_STREET_WORDS = (
    "Persimmon", "Catalpa", "Buckeye", "Redbud", "Hackberry", "Sweetgum", "Pecan", "Peachtree", "Palmetto",
    "Live Oak", "Blue Ridge", "Piedmont", "Cumberland", "Shenandoah", "Catawba", "Plank", "Toll Gate",
    "Quarry", "Foundry", "Depot", "Canal", "Wharf", "Levee", "Sawmill", "Meadowlark", "Bobwhite",
    "Whippoorwill", "Cardinal", "Mockingbird", "Tanglewood", "Briarwood", "Foxfire", "Deer Run",
    "Sugar Maple", "Wisteria", "Honeysuckle", "Azalea", "Camellia", "Eighth", "Ninth", "12th", "31st",
    "County Road 14", "State Route 9", "Old Post",
)
_STATES = ("TN", "GA", "OR", "NV", "UT", "WY", "CO", "IN", "IA", "MO", "KY", "DE", "RI", "Oregon", "Georgia",
           "Tenn.", "Ky.")
_OUR_LADY = ("Guadalupe", "the Lake", "Bellefonte", "Peace", "Angels", "Victory", "Grace", "Fatima")
_BRANDS = ("Northbay Health", "Heartland Regional", "Bluestem Health", "Prairie Ridge Health")
_FAC_WORDS = ("Sycamore", "Laurel", "Heather", "Bramble", "Primrose", "Larkspur", "Thistle", "Clover")


@lru_cache(maxsize=1)
def dev3_style() -> Style:
    others = (tuning_style(), dev_style(), dev2_style())
    vocab = _vocab()
    word_names = {w.lower() for w in (*_WORD_LAST, *_WORD_FIRST_F, *_WORD_FIRST_M)}
    cities = {c.lower() for s in others for c in s.cities} | {c.lower() for c in HELDOUT_CITIES}
    used = set().union(*(name_pool_words(s) for s in others))
    banned = (_NON_NAMES | used | cities | {w.lower() for w in _STREET_WORDS}
              | (_vocab_words(vocab) - word_names) | {"ange", "aly", "peace"})
    rng = random.Random("heldout-3-pools")
    male: list[str] = []
    female: list[str] = []
    last: list[str] = []
    for loc, (cm, cf, cl) in _LOCALE_CAPS.items():
        m, f, la = ([ascii_fold(str(x).translate(_FOLD)) for x in lst] for lst in faker_names((loc,)))
        m, f, la = (_clean_names(x, banned) for x in (m, f, la))
        male += rng.sample(m, min(cm, len(m)))
        female += rng.sample(f, min(cf, len(f)))
        last += rng.sample(la, min(cl, len(la)))
    last += ["Mc" + s for s in _MC_STEM[:20]] + ["Mac" + s for s in _MC_STEM[20:]] + list(_WORD_LAST)
    female += invented_names(rng, _GIVEN_HEAD, _GIVEN_TAIL_F, 40) + list(_WORD_FIRST_F)
    male += invented_names(rng, _GIVEN_HEAD, _GIVEN_TAIL_M, 40) + list(_WORD_FIRST_M)
    # word names are exempt from the vocabulary ban, nothing else is
    male = _clean_names(male, banned - word_names)
    female = _clean_names(female, banned - word_names)
    last = _clean_names(last, banned - word_names)
    c = HELDOUT_CITIES
    hospitals = sorted({
        *(f"{x} County Hospital" for x in c[:10]),
        *(f"Our Lady of {x} Hospital" for x in _OUR_LADY),
        *(f"Sacred Heart Hospital of {x}" for x in c[10:14]),
        *(f"{x} Area Hospital" for x in c[14:22]),
        *(f"UH {x} Campus" for x in c[22:26]),
        *(f"{x} Infirmary" for x in c[26:30]),
        *(f"{rng.choice(last)} Health System" for _ in range(6)),
        *(f"{b} {x}" for b, x in zip(_BRANDS * 2, c[30:38], strict=True)),
        *(f"{x} Women & Infants Hospital" for x in c[38:41]),
        *(f"{x} Critical Access Hospital" for x in c[41:44]),
        *(f"{x} Behavioral Health Hospital" for x in c[44:47]),
    })
    facilities = sorted({
        # post-acute and residential care only, so "sent from", "discharged to", "resides at" all read right
        *(f"{w} Glen Retirement Community" for w in _FAC_WORDS[:4]),
        *(f"{x} Convalescent Center" for x in c[47:55]),
        *(f"{rng.choice(last)} Hospice House" for _ in range(5)),
        *(f"{x} Long-Term Acute Care Hospital" for x in c[55:58]),
        *(f"{w} Crossing Assisted Living" for w in _FAC_WORDS[4:]),
        *(f"{w} Haven Memory Care" for w in ("Still Water", "Bright", "Golden Leaf")),
        *(f"{x} Skilled Nursing Center" for x in c[58:64]),
        *(f"{rng.choice(last)} Manor Care Home" for _ in range(4)),
    })
    used_streets = set().union(*(set(s.street_names) for s in others))
    street_names = tuple(w for w in (*_STREET_WORDS, *last[:100]) if w not in used_streets)
    return Style(
        name="dev3",
        templates=HELDOUT_TEMPLATES,
        first_male=tuple(male), first_female=tuple(female), last=tuple(last),
        cities=HELDOUT_CITIES,
        street_names=street_names,
        street_suffixes=("Rd.", "Dr", "Blvd", "Ct.", "Lane", "Ln.", "Trace", "Alley", "Spur", "Crossing",
                         "Ridge", "Hwy.", "Pkwy.", "Cv", "Mews", "Plz", "Street", "Road", "Ave"),
        units=("", "", "", "", "# {n}", "Apt. {n}-{l}", "Unit {l}{n}", "Rm {n}", "Bldg {n}"),
        hospitals=tuple(hospitals), facilities=tuple(facilities),
        email_domains=("windstream.net", "earthlink.net", "embarqmail.com", "juno.com", "q.com",
                       "roadrunner.com", "netzero.net", "centurylink.net", "gmx.com"),
        web_hosts=("join", "refer", "auth", "sleep", "infusion", "meet"),
        states=_STATES,
        date_formats=DATE_FORMATS,
        random_date_formats=RANDOM_DATE_FORMATS,
        name_forms=("full", "lf", "f_li", "lf_i", "fl", "last", "mid", "LASTf"),
        age_forms=AGE_FORMS,
        ids=_ids(),
        email_forms=("{first}{last}@{domain}", "{f}_{last}{nn}@{domain}", "{last}{nn}@{domain}",
                     "{first}.{f}.{last}@{domain}", "{last}-{first}@{domain}"),
        url_forms=("https://{host}.{hslug}.org/s/{id}", "{host}.{hslug}.org/{id}",
                   "https://www.{hslug}.com/{host}/forms", "https://{hslug}.org/{host}/?id={id}"),
        bullets=("- ", "{i}) ", "\u25aa ", "{i}- ", "  "),
        vocab=vocab,
        mess=_mess_factory,
        p_old=0.3,
        extra_name_forms=_name_forms,
    )


# ----------------------------------------------------------------------------- templates
HELDOUT_TEMPLATES = (
    # ------------------------------------------------------------------ discharge
    Template("death_summary", "discharge", """\
DEATH SUMMARY
{HOSP}  -  {PT.LASTFIRST}  -  {MRN}  -  DOB {D.dob:mdy_dot4}
Date of death: {D.dis:month_nth_y}    Time: {TIME}
Pronounced by: {DR2.fl}, MD (night float)

Called by {RN.f_li}, RN to evaluate {PT.mr} {PT.last}, a {AGE:yrs} {PT.sex} with {PMH_INLINE}, admitted \
{D.adm:mon_dot_d_y} with {DX}. Patient had been [[DNR/DNI]] and [[comfort measures only]] since \
{D.proc:md_dash}.
Exam: no response to voice or sternal rub. No spontaneous respirations, no heart sounds over one \
full minute, \
pupils fixed and dilated.
Family: {PT.his} {REL.rel} {REL.full} was at the bedside<<| and declined autopsy| and requested autopsy>>. \
<<{REL.first} asked that Dr. {PCP.last} be told; {PCP.last}'s office was called at {PHONE.pcp}.|\
Attending Dr. {DR.last} notified by phone.>>
Organ procurement organization notified, referral # {ID:opo}. <<Not a medical examiner case.|\
ME investigator {X.full} ({PHONE.me}) declined jurisdiction.>>
For the death certificate: SSN {SSN}, residence {STREET}, {CITY}, {STATE} {ZIP}.

Brief hospital course:
{COURSE}

{DR.full}, MD  {D.dis:iso}
"""),
    Template("postpartum_newborn_dc", "discharge", """\
MOTHER-BABY DISCHARGE SUMMARY  {HOSP}
Mother: {PT.lf_i}   MRN {MRN}   Acct {ACCT}
Infant: Baby <<Girl|Boy>> {PT.last}   MRN {MRN:infant}   Born {D.proc:d_mon_y_sp} at {TIME}
Delivering provider: {DR.mid}, MD     Pediatrician: Dr. {PCP.last}

Ms. {PT.last} is a G<<2|3|4>>P<<1|2|3>> who presented at 39w<<1|4|6>>d in active labor on {D.adm:mon_nth}. \
Delivered by <<[[SVD]] under [[labor epidural]]|[[primary C-section]] for arrest of dilation>>. EBL 450 mL. \
Complicated by <<[[preeclampsia]] without severe features, on [[magnesium sulfate]] x 24 h|\
[[gestational diabetes]], diet controlled|nothing>>.
Infant: [[Apgars]] 8 and 9, birth weight 3410 g, [[erythromycin ophthalmic]] and [[phytonadione]] given. \
Hep B vaccine {D.proc:md}. Newborn screen sent {D.today:md_dash}; hearing screen passed both ears.
Support person: {REL.full} ({REL.rel}), {PHONE.rel}.

Discharge medications (mother):
{MEDS}

Follow-up: postpartum visit with {DR.lf_i} at {HOSP2} Women's Clinic in 6 weeks, BP check on the \
{D.fu:nth}. Baby to see Dr. {PCP.last} in 2 days ({PHONE.peds}).
{DR2.full}, CNM
"""),
    Template("prior_auth_letter", "discharge", """\
{HOSP}  Utilization Management
{STREET}, {CITY}, {STATE} {ZIP}   Fax {FAX}

{D.today:month_d_y}

<<Humana Gold Plus|Ambetter|WellCare|Aetna Better Health>> - Prior Authorization Department
RE: {PT.full}    DOB: {D.dob:mdy_slash}
Member ID: {HPLAN}    Group #: {HPLAN:grp}
Reference #: {ID:auth}

To whom it may concern,

I am writing to request authorization for admission to {FAC} for skilled nursing and [[PT/OT]] after \
{PT.his} hospital stay from {D.adm:mon_dot_d_y} through {D.dis:mon_dot_d_y}. {PT.mr} {PT.last} is a \
{AGE:years_hy} {PT.sex} with {PMH_INLINE} admitted for {DX}. {PT.He} still requires [[IV antibiotics]] \
(<<[[ertapenem]]|[[daptomycin]]|[[cefazolin]]|[[nafcillin]]|[[vancomycin]]>>) until \
{D.next:mdy_slash}, assistance of one for transfers, and daily wound care. {PT.He} lives \
alone and {PT.his} {REL.rel} works full time.

Please contact our case manager, {RN.full}, RN at {PHONE.RN:ext} or {EMAIL.RN} with any questions. \
Clinicals can also be uploaded at {URL}.

Sincerely,

{DR.full}, MD
NPI {LIC:npi}
"""),
    Template("home_infusion_referral", "discharge", """\
OPAT / HOME INFUSION REFERRAL
Referring: {DR.lf}, MD ({HOSP})   Pager {PHONE:pager}
Patient: {PT.full}   DOB {D.dob:mdy_dash_y4}   SSN {SSN}   MRN {MRN}
Address: {STREET}
         {CITY}, {STATE} {ZIP}
Home phone {PHONE.pt}   Alt contact: {REL.full} ({REL.rel}) {PHONE.rel}
Primary insurance: Medicare {HPLAN:medicare}   Secondary: {HPLAN}

Diagnosis: {DX} with <<[[osteomyelitis]] of the R foot|[[MRSA bacteremia]]|[[epidural abscess]]>>
Line: [[PICC]] R basilic, 5 Fr double lumen, placed {D.proc:mon_d}, tip at [[cavoatrial junction]] on CXR.
Orders: <<[[ertapenem]]|[[daptomycin]]|[[cefazolin]]|[[nafcillin]]|[[vancomycin]]>> IV q24h, start \
{D.dis:md}, stop date {D.next:mon_dot_d_y}. Weekly [[CBC w/ diff]], [[CMP]], \
[[CK]] and [[ESR/CRP]], results faxed to {FAX} attn ID clinic.
Allergies: {ALLERGY}
First home visit requested {D.dis:mdy2}. ID follow-up with Dr. {DR2.last} on {D.fu:mon_nth}.
Referral # {ID:ref}
"""),
    Template("psych_dc_aftercare", "discharge", """\
BEHAVIORAL HEALTH DISCHARGE / AFTERCARE PLAN
Unit 3 North, {HOSP}
{PT.LASTf}   {MRN}   Adm {D.adm:d_mon_y_sp}   D/C {D.dis:d_mon_y_sp}   Legal status: \
<<voluntary|involuntary, \
converted to voluntary>>

Reason for admission: {AGE:num} y/o {PT.sex} with h/o {DX} admitted after <<[[SI]] with plan|\
stopping [[lithium carbonate]] and sleeping 2 hours a night|[[AH]] telling {PT.him} to hurt others>>.
Course: started <<[[olanzapine]]|[[aripiprazole]]|[[sertraline]]>>; attended groups; no restraints \
or seclusion. [[PHQ-9]] 21 on admission, 8 \
at discharge. \
Denies [[SI/HI]] at discharge; future oriented, wants to return to work.

Safety plan reviewed with patient and {PT.his} {REL.rel} {REL.first}:
- warning signs: not sleeping, isolating
- people to call: {REL.first} {PHONE.rel}; sponsor {X.f_li}
- crisis: call or text 988, or go to nearest ED
- firearms removed from the home by {REL.first} on {D.today:md}

Aftercare: therapy intake with {X.full}, LCSW on {D.fu:month_d_y} ({PHONE.clinic}); med management with \
Dr. {PCP.last} at {HOSP2}. Prescriptions sent to pharmacy (DEA {LIC:dea}).
Medications:
{MEDS}
{DR.full}, MD (attending psychiatrist)
"""),
    # ------------------------------------------------------------------ radiology / procedures
    Template("endoscopy_report", "radiology", """\
{HOSP} Endoscopy Unit
PROCEDURE: <<Colonoscopy|EGD and colonoscopy|EGD with biopsy>>
Patient: {PT.lf}   DOB: {D.dob:mdy2}   MRN: {MRN}   Visit: {ACCT}
Date: {D.proc:mdy_slash}   Endoscopist: {DR.full}, MD   Referring: {PCP.lf_i}
Scope: CF-HQ190L serial {DEVICE:scope}

Indication: {SX}, <<[[iron deficiency anemia]]|positive FIT|surveillance, h/o [[adenomatous polyp]]>>.
Sedation: monitored anesthesia care, [[propofol]] by {X.fl}, CRNA. [[ASA class]] 3. Procedure RN \
{RN.ini3dots}
Findings:
- [[Boston Bowel Prep Scale]] 2-2-3.
- A 6 mm sessile polyp in the ascending colon, removed by [[cold snare polypectomy]], retrieved (jar A).
- Small internal hemorrhoids. Otherwise normal to the [[cecum]]; [[appendiceal orifice]] and [[ileocecal \
valve]] photographed.
Specimens: A {ID:spec}
Impression: <<[[adenomatous polyp]], resected|[[diverticulosis]] of the sigmoid colon>>.
Recommendations: await pathology, letter to patient; repeat colonoscopy in 3-5 years. Resume {DRUG} \
tomorrow. Results will be mailed to {STREET}, {CITY}.
{DR.fl}, MD
"""),
    Template("cath_lab_report", "radiology", """\
CARDIAC CATHETERIZATION LABORATORY REPORT
Case {ID:case}    {D.proc:month_d_y}    {HOSP}
{PT.LF}  MRN {MRN}  {AGE:slash}/{PT.mf}
Operator: {DR.mid}, MD    Fellow: {DR2.f_li}, MD    Referring: Dr. {PCP.last}

Indication: {SX} with [[NSTEMI]], [[trop]] peak 2.8.
Access: right radial, [[Allen test]] normal. 6 Fr sheath. [[bivalirudin]] bolus and infusion.
Procedures: [[LHC]], selective coronary angiography, <<[[PCI]] of the mid [[LAD]]|[[RHC]]>>.
Findings: [[LM]] normal. [[LAD]] 90% mid stenosis. [[LCx]] 40% proximal. [[RCA]] dominant, mild luminal \
irregularities. [[LVEDP]] 18 mmHg.
Intervention: 3.0 x 18 mm drug-eluting stent to mid [[LAD]], 0% residual, [[TIMI 3]] flow.
Implant UDI: {DEVICE:udi}
Closure: [[TR band]]; 2+ radial pulse post. Consent witnessed by {X.ini3dots}
Plan: [[aspirin]] and [[ticagrelor]] for 12 months, [[TTE]], cardiac rehab referral. Discussed with \
{PT.first}'s {REL.rel} in the waiting room.
"""),
    Template("bronchoscopy_report", "radiology", """\
BRONCHOSCOPY / EBUS REPORT
{PT.full}  ({MRN})   {D.proc:mon_dot_d_y}
Attending: {DR.full}, MD    Anesthesia: general, 8.0 [[ETT]]
Bronchoscope SN {DEVICE:scope}

Indication: <<a 2.4 cm [[RUL]] mass with [[mediastinal adenopathy]] on CT {D.prev:mdy_slash}|\
[[ground-glass opacities]], immunocompromised, r/o [[PJP]]>>.
Airway exam: normal vocal cords, trachea and carina; mild erythema of the [[RML]] orifice.
[[EBUS-TBNA]] of stations 4R, 7 and 11R, 4 passes each, [[ROSE]] adequate.
[[BAL]] from the [[RML]], 120 mL instilled, 45 mL returned, sent for cultures, cytology and [[PJP]] stain.
Specimens {ID:spec} (cytology) and {ID:lab} (micro).
Complications: none. EBL minimal.
Plan: CXR post procedure; results to Dr. {PCP.last}'s office; tumor board {D.fu:mon_nth}.
{DR.lf_i}, MD / {DR2.fl}, MD (fellow)
"""),
    Template("ob_ultrasound", "radiology", """\
OBSTETRIC ULTRASOUND - second trimester anatomy survey
{HOSP2} Maternal-Fetal Medicine
Name: {PT.fl}    MRN: {MRN}    Exam date: {D.adm:iso}
Referring: {DR.lf}    Sonographer: {X.f_li}, RDMS

EDD by LMP {D.next:mdy_slash}; EDD by this exam {D.next:mon_dot_d_y}.
Single live intrauterine pregnancy, cephalic. FHR 148 bpm.
Biometry: BPD, HC, AC and FL consistent with 20w3d; EFW 340 g (48th percentile).
Placenta posterior, no [[previa]]. Amniotic fluid normal, MVP 4.6 cm. Cervical length 3.8 cm transvaginal.
Anatomy: complete and normal <<|except the [[fetal heart]] views, suboptimal due to position>>.
Impression: appropriately grown fetus at 20 weeks; <<follow-up views in 4 weeks|no further imaging needed>>.
Results reviewed with the patient and {REL.rel} ({REL.first}).
{DR2.full}, MD
"""),
    Template("sleep_study", "radiology", """\
POLYSOMNOGRAPHY REPORT
{HOSP} Sleep Disorders Center     Study date: {D.proc:mdy_dot4}
Patient: {PT.full}   DOB: {D.dob:mdy_slash}   MRN: {MRN}   {AGE:yo2} {PT.mf}
Referring provider: {PCP.full}, NP    Interpreting: {DR.full}, MD

Indication: snoring, witnessed apneas, [[Epworth Sleepiness Scale]] 15, [[Mallampati class III]].
Study type: split night; [[CPAP titration]] from 5 to 11 cm H2O.
Diagnostic portion: total sleep time 161 min, [[AHI]] 38/h, [[RDI]] 41/h, nadir SpO2 79%.
Titration: [[AHI]] 3/h on 10 cm H2O, supine REM observed.
EKG: [[NSR]] with occasional [[PVCs]].
Impression: severe [[OSA]], well controlled on CPAP 10 cm H2O.
Plan: order CPAP via DME ({PHONE.dme}); device serial {DEVICE} to be entered for compliance data upload at \
{URL}. Follow-up in 31-90 days for compliance.
{DR.lf}, MD, D-ABSM
"""),
    # ------------------------------------------------------------------ progress
    Template("hp_admission", "progress", """\
HISTORY AND PHYSICAL
{HOSP} - Hospitalist Service
{PT.lf} | MRN {MRN} | {ACCT} | Adm {D.adm:mdy_slash}

CC: {SX}
HPI: {PT.first} {PT.last} is a {AGE:yo_hy} {PT.sex} with {PMH_INLINE} who presents with {SX} and {SX} \
since {D.onset:mon_d}. <<{PT.He} was seen at {HOSP2} urgent care on {D.onset:md} and given {DRUG}.|\
History obtained from {PT.his} {REL.rel}, who says {PT.he} has been more confused.>>
PMH:
{PMH}
PSH: <<appendectomy, cholecystectomy|[[CABG]]|none>>
FH: father d. of MI at 61; mother with DM2.
SH: lives with {PT.his} {REL.rel} {REL.first} in {CITY}; pcp is dr {PCP.lastlower}. Former smoker, \
30 pack-years, quit 2006. \
Occasional EtOH. Retired <<machinist|school teacher|truck driver>>.
ROS: {ROS}
Allergies: {ALLERGY}
Home meds: {MEDS_INLINE}
PE: {VITALS}
{EXAM}
  {SIGN}: <<present|absent>>
Data: {LABS}. {EKG_LINE}
A/P:
{PLAN}
DVT ppx: [[enoxaparin]]. Code: <<[[full code]]|[[DNR/DNI]]>>, confirmed with {REL.first}. \
HCP {REL.lf} {PHONE.rel}.
{DR.full}, MD, Hospitalist
"""),
    Template("psych_intake", "progress", """\
PSYCHIATRIC INTAKE EVALUATION
Patient: {PT.full}    DOB: {D.dob:month_d_y}    MRN: {MRN}
Date: {D.today:mdy2}    Clinician: {DR.full}, MD    Location: {HOSP2}
Sources: patient, chart, collateral from {REL.lower} ({REL.rel}) by phone ({PHONE.rel})

Identifying data: {AGE:num} y/o <<divorced|married|single>> {PT.sex}, lives in {CITY}, referred by Dr. \
{PCP.last} for <<depression|mood instability|anxiety and insomnia>>.
HPI: reports low mood for about 3 months, since losing {PT.his} job in {D.prev:mon_apos_yy}. Poor sleep, \
anhedonia, guilt. [[PHQ-9]] 18, [[GAD-7]] 14. Passive [[SI]] without plan or intent; [[C-SSRS]] low risk.
Psych hx: one prior hospitalization at {FAC} ({D.prev:mon_d}); trials of <<[[sertraline]] and \
[[bupropion]]|[[Lexapro]] and [[mirtazapine]]|[[Zoloft]]>>.
Substance use: <<EtOH 4-5 beers nightly|cannabis daily|denies>>. Legal: none.
Social: {PT.first}'s {REL.rel} {REL.first} is supportive. <<Has a dog.|Attends church.>>
MSE: casually dressed, good eye contact, speech normal rate, mood "down", affect constricted, thought \
process linear, no [[AH]] or [[VH]], insight and judgment fair.
Dx: {DX}; r/o [[bipolar I disorder]].
Plan: start {MEDS_INLINE}; therapy referral; safety plan given; f/u {D.fu:mon_nth}.
{DR.fl}, MD
"""),
    Template("telehealth_visit", "progress", """\
TELEHEALTH VISIT - video
Patient: {PT.lf}   DOB: {D.dob:mdy_slash}   MRN: {MRN}
Visit date: {D.today:month_d_y}   Provider: {DR.full}, <<MD|DO|NP>>
Patient location: home, {STREET}, {CITY}, {STATE}; provider location: {HOSP2}.
Others present: {PT.his} {REL.rel} {REL.first}.
Connection: link {URL} (meeting ID {ID:meeting}); patient device IP {IP} logged. Audio dropped once, \
reconnected by phone at {PHONE.pt}.
Consent: verbal consent for telehealth obtained.

S: f/u {DX} and {DX}. Since the last visit on {D.prev:d_mon_y} {PT.he} reports {SX}; home BP readings \
140s/80s. Taking {MEDS_INLINE}.
O: well appearing on video, speaking full sentences, no accessory muscle use. Home scale weight 84 kg.
A/P:
{PLAN}
Labs ordered at {HOSP} outpatient lab. Portal message to {EMAIL.PT} with instructions.
Total time 25 minutes, > 50% counseling.
{DR.fl}
"""),
    Template("pt_ot_daily", "progress", """\
<<PHYSICAL|OCCUPATIONAL>> THERAPY DAILY NOTE   {D.today:d_mon_dash}
{PT.LASTf}   RM 4<<12|08|21>>   MRN {MRN}   Dx: {DX} s/p <<[[TKA]]|fall with hip fx, [[ORIF]]>>
Orders: Dr. {DR.last}   PLOF: independent with SPC, lives with {REL.rel} in a 2-story home

Subjective: pt reports pain 4/10, "I want to go home, {X.firstlow} is feeding my cat." {PT.His} \
{REL.rel} {REL.first} present and \
participating.
Objective: bed mobility min A; sit-to-stand CGA with RW; ambulated 150 ft x 2 with RW, CGA. [[TUG]] 24 s. \
[[Berg Balance Scale]] 38/56. Stair training 4 steps with rail, min A.
Assessment: progressing toward goals, limited by endurance and {SX}. High fall risk.
Plan: continue 5x/week; recommend <<home with home health PT|STR at {FAC}|acute rehab>>; DME: RW, \
shower chair.
Treatment time 38 min.
{X.full}, PT, DPT    cosign {X.f_li}, PTA
"""),
    Template("dialysis_run_sheet", "progress", """\
HEMODIALYSIS TREATMENT RECORD    {HOSP2} Dialysis Unit
{PT.lf}  {MRN}   Tx date {D.today:mdy_slash}   Chair 7   Machine # {DEVICE}
Nephrologist: Dr. {DR.last}   RN: {RN.f_li}   Tech: {X.inilow}
Medicare: {HPLAN:medicare}

Access: <<L [[AV fistula]]|R [[tunneled HD catheter]]>>, bruit/thrill present, no signs of infection.
Pre: {VITALS}. Weight 81.4 kg, EDW 79.0 kg.
Rx: 4 h, [[Kt/V]] goal 1.2, Qb 400, Qd 600, 2K/2.5Ca bath, UF goal 2.4 L, heparin per protocol.
Time	BP	HR	Qb	UF
0700	148/82	78	400	0.0
0800	126/70	84	400	0.8
0900	<<102/58	96	300	1.4|131/74	80	400	1.5>>
Event: <<[[intradialytic hypotension]] at 0900, UF paused, 200 mL NS given|none>>.
Post: weight 79.3 kg. Labs drawn ({ID}): {LABS}.
Meds given: [[epoetin alfa]] IV, [[calcitriol]]. Next tx {D.fu:md}.
Report called to {PT.his} {REL.rel} at {PHONE.rel} re: missed Saturday run.
"""),
    # ------------------------------------------------------------------ ed
    Template("ld_triage", "ed", """\
L&D OB TRIAGE NOTE   {D.adm:mdy_slash} {TIME}
{PT.lf_i}  ({MRN})   G<<2|3>>P<<1|2>> at 34w<<2|5>>d   EDC {D.next:mon_dot_d_y}
Prenatal care: {HOSP2} with Dr. {DR2.last}; records reviewed.

CC: <<[[contractions]] since 0300|[[LOF]] at home, clear fluid|[[decreased fetal movement]] since yesterday>>.
Denies VB, HA, vision changes, RUQ pain.
BP 128/84, HR 96. FHT baseline 140, moderate variability, + accels, no decels, Category I. Toco: q5-7 min, \
mild.
SVE: 2/50/-2, [[Bishop score of 6]]. Nitrazine negative. <<[[Leopold maneuvers]]: vertex.|>>
Labs: GBS unknown, Rh positive, rubella immune.
Plan: <<[[terbutaline]] 0.25 mg SQ x1, recheck cervix in 2 h|admit for [[PPROM]], latency antibiotics, \
[[betamethasone]]|reactive NST, discharge home with kick counts>>.
Support person {REL.full} ({REL.rel}) at bedside, cell {PHONE.rel}.
{DR.full}, MD (OB hospitalist) / {RN.fl}, RN
"""),
    Template("ed_emergency_hold", "ed", """\
ED NOTE - EMERGENCY DETENTION
{HOSP}   Arrival {D.adm:mon_dot_d_y} {TIME} by police
Patient: {PT.full}   DOB {D.dob:mdy2}   MRN {MRN}   ID checked: driver's license {LIC:dl}

Brought in by Officer {X.last} (badge {ID:badge}) of the {CITY} police department on an emergency \
detention order after {PT.his} {REL.rel}, {REL.full}, called 911 reporting that {PT.he} was threatening \
to harm {PT.him}self. Found sitting in {PT.his} car (plate {VEHICLE}) outside {STREET}.
{AGE:yr} {PT.mf} with h/o {DX}, off meds x 3 weeks per {REL.first}.
Pt states "I'm fine, they're overreacting." Endorses [[SI]]; declines to say whether {PT.he} has a plan.
Vitals: {VITALS}
Exam: disheveled, guarded, no injuries. Tox screen <<positive for [[THC]]|positive for \
[[cocaine]]|negative>>. {LABS}
MDM: medically cleared for psychiatric evaluation. Sitter at bedside, belongings searched, room safe.
Dispo: awaiting bed at <<{HOSP2}|a behavioral health unit>>. Collateral phone {PHONE.rel}.
{DR.lf}, MD   {D.adm:mdy_slash}
"""),
    Template("ed_fasttrack_lac", "ed", """\
FAST TRACK NOTE
{PT.LF}   {MRN}   {D.adm:mdy_dash_y4} {TIME}
Provider: {DR.f_li}, PA-C   Supervising: Dr. {DR2.last}

{AGE:yr} {PT.mf} presents with a laceration to the <<L hand|R forearm|scalp>> from <<a kitchen knife|\
broken glass|sheet metal at work>> about 2 hours ago. Tetanus <<UTD|unknown, [[Tdap]] given>>. \
Denies numbness. On <<[[aspirin]]|no anticoagulants>>.
Exam: 3 cm linear laceration, no tendon involvement, FROM, sensation intact, cap refill < 2 s.
Procedure: [[lidocaine 1%]] local, irrigated with 500 mL NS, closed with 5 simple interrupted 4-0 nylon.
Work note given for {D.adm:md}-{D.dis:md}. Employer: <<{HOSP2} maintenance|Ace Sheet Metal>>; workers' comp \
claim # {ACCT}.
Suture removal in 10 days at {HOSP2} urgent care or with PCP Dr. {PCP.last}.
Return for fever, redness, pus.
"""),
    Template("ed_overdose", "ed", """\
ED PHYSICIAN NOTE - overdose
{PT.full}, {AGE:YO} {PT.mf}, MRN {MRN}, arrived {D.adm:mon_nth} at {TIME} via EMS

Found unresponsive in a parked vehicle (VIN {VEHICLE:vin}) at {STREET}, {CITY} by a bystander, who gave \
[[Narcan]] 4 mg IN. EMS gave 0.4 mg IV with improvement in RR.
Hx per EMS and {PT.his} {REL.rel} {REL.first} ({PHONE.rel}): [[opioid use disorder]], recently out of \
rehab at {FAC}. PDMP reviewed: <<[[buprenorphine-naloxone]] filled {D.prev:md}|no controlled Rx in \
12 months>>.
Vitals: {VITALS}
Exam: somnolent but arousable, pinpoint pupils, no track marks, lungs with scattered rhonchi.
Data: {LABS}. {EKG_LINE} Acetaminophen and salicylate levels negative.
Poison Control (1-800-222-1222) consulted.
MDM: opioid toxicity, possible aspiration. Observe 4 h after last naloxone dose.
Dispo: <<started on [[buprenorphine-naloxone]] in the ED, bridge script, f/u at {HOSP2} addiction clinic|\
admitted to medicine for [[aspiration pneumonitis]]>>. Narcan kit given.
{DR.full}, DO
"""),
    Template("ed_snf_sendout", "ed", """\
ED NOTE
Sent from {FAC} (facility phone {PHONE.fac:ext}) on {D.adm:mon_dot_d_y} for {SX}.
Patient: {PT.lf}   DOB {D.dob:mdy_slash}   MRN {MRN}   SSN {SSN}
POLST: <<DNR, limited interventions|full treatment>>. DPOA: {REL.full} ({REL.rel}) {PHONE.rel}.

{AGE:yrs} {PT.sex} with {PMH_INLINE}, baseline oriented to self only, non-ambulatory. Facility nurse \
{X.fl} reports {SX} and <<[[poor PO intake]]|a fall from bed this AM|new [[Stage 3 pressure injury]]>> \
for 2 days. Last BM {D.onset:md}.
Vitals: {VITALS}
Exam: {EXAM_INLINE}. {SIGN} <<present|absent>>.
Labs: {LABS}
Imaging: {IMAGING_INLINE}
MDM: {DX}; considered {DX}. Discussed goals with {REL.first} by phone; {PT.his} wishes are to avoid ICU.
Dispo: <<admit to Dr. {DR2.last}, hospitalist|treated and returned to facility, report to {X.f_li}, RN>>.
{DR.full}, MD
"""),
    # ------------------------------------------------------------------ nursing (ALL CAPS)
    Template("sbar_handoff", "nursing", """\
SBAR HANDOFF {D.today:md} {TIME}  RM 5<<07|12|19>>
S: {PT.LAST}, {PT.FIRST}  {AGE:slash}/{PT.mf}  MRN {MRN}  ADM {D.adm:md} FOR {DX}. <<FULL CODE|DNR/DNI>>.
B: HX {PMH_INLINE}. ALLERGIES {ALLERGY}. DR {DR.last}'S TEAM PRIMARY, CONSULTS {DR2.last}.
A: {VITALS}. A&OX<<2|3|4>>. {EXAM_INLINE}. PAIN 3/10, LAST {DRUG} AT 1600. VOIDING. <<FOLEY|PUREWICK>>. \
LAST BM {D.onset:d_mon_dash}. SKIN INTACT EXCEPT COCCYX STAGE 2.
R: REPEAT {LABS} IN AM. <<PENDING PT EVAL|D/C PLANNING W CM>>. {REL.rel} {REL.first} CALLING AT \
{PHONE.rel} FOR UPDATE. FALL RISK, BED ALARM ON.
GIVEN TO {RN.f_li} RN BY {X.inilow}
""", upper=True),
    Template("infection_prevention", "nursing", """\
INFECTION PREVENTION NOTE {D.today:mdy_slash}
PT {PT.full} MRN {MRN} UNIT 6W BED A, {HOSP}
RESULT: <<MRSA SCREEN POSITIVE (NARES)|[[C. diff colitis]], TOXIN PCR POSITIVE|[[VRE]] FROM URINE>> \
COLLECTED {D.proc:md}, SPECIMEN {ID}.
ACTIONS: [[CONTACT PRECAUTIONS]] <<|ENHANCED (SOAP AND WATER)>> STARTED, SIGN POSTED, DEDICATED EQUIPMENT. \
ROOMMATE {X.LF} (BED B) MOVED TO PRIVATE ROOM AND SCREENED.
PRIMARY RN {RN.fl} AND DR {DR.last} NOTIFIED. PT AND {PT.his} {REL.rel} {REL.full} EDUCATED, VERBALIZED \
UNDERSTANDING. FLAG ADDED TO CHART.
REPORTED TO COUNTY HEALTH DEPT PER PROTOCOL: NO.
{X.full}, RN, CIC, INFECTION PREVENTIONIST  EXT 4<<4|6|8>>12
""", upper=True),
    Template("home_infusion_visit", "nursing", """\
HOME INFUSION NURSING VISIT {D.today:mon_dot_d_y}
PT: {PT.lf}  DOB {D.dob:mdy2}  ADDRESS {STREET}, {CITY}, {STATE} {ZIP}
REFERRING MD: {DR.full}  PHARMACY ON-CALL {PHONE.pharm}
THERAPY: <<[[ertapenem]]|[[daptomycin]]|[[cefazolin]]|[[nafcillin]]|[[vancomycin]]>> IV Q24H VIA \
[[PICC]] R ARM, DAY <<8|15|22>> OF 42. PUMP SN {DEVICE}.
ARM CIRCUMFERENCE 29 CM, UNCHANGED. DRESSING AND [[BIOPATCH]] CHANGED, SITE CLEAN, NO REDNESS. \
LUMENS FLUSHED W [[HEPARIN FLUSH]], BRISK BLOOD RETURN.
{VITALS}
LABS DRAWN AND SENT, SPECIMEN {ID}. PT TOLERATING, DENIES DIARRHEA OR RASH. {PT.his} {REL.rel} \
{REL.first} TAUGHT TO DISCONNECT PUMP, RETURN DEMO DONE.
NEXT VISIT {D.fu:md}. CALL INFUSION LINE {PHONE.line} FOR ALARMS.
NURSE LIC {LIC}
{RN.full}, RN
""", upper=True),
    Template("newborn_nursery", "nursing", """\
NEWBORN ADMISSION NURSING NOTE {D.proc:mon_d} {TIME}
BABY <<BOY|GIRL>> {PT.LAST}, MRN {MRN:infant}, BORN {D.proc:mdy_slash} TO {PT.fl} (MRN {MRN}).
ID BANDS # {ID:band} CHECKED WITH MOTHER AND {REL.rel} {REL.first}. SECURITY TAG {DEVICE:tag} APPLIED.
APGARS 8/9. WT 3.21 KG. T 98.2 AX, HR 142, RR 48. SKIN PINK, FONTANELLE SOFT. VOIDED X1, NO STOOL YET.
[[ERYTHROMYCIN OPHTHALMIC]] AND [[PHYTONADIONE]] GIVEN. HEP B VACCINE <<GIVEN|DEFERRED PER PARENTS>>.
BREASTFEEDING, LATCH SCORE 8. SKIN TO SKIN WITH MOM. BLOOD GLUCOSE 52 AT 1 HR.
PEDIATRICIAN DR {PCP.last} AT {HOSP2} NOTIFIED OF BIRTH.
{RN.LASTf} RN
""", upper=True),
    Template("hospice_visit", "nursing", """\
HOSPICE RN VISIT NOTE {D.today:mdy_dash_y4}
PT {PT.lf}  {AGE:yrs}  DX {DX}  [[PPS]] <<30|40|50>>%  ATTENDING DR {DR.last}
VISIT AT <<HOME, {STREET}, {CITY}|{FAC}, RM 2<<14|06>>>>
CAREGIVER: {REL.rel} {REL.full}, PRESENT. PHONE {PHONE.rel}.
PT RESTING, INTERMITTENT [[TERMINAL SECRETIONS]], RR 24 WITH PERIODS OF APNEA. {VITALS}.
[[ROXANOL]] 5 MG SL Q2H PRN USED X3 IN 24 H WITH RELIEF. [[GLYCOPYRROLATE]] STARTED. COMFORT KIT IN HOME.
MOUTH CARE DONE. REPOSITIONED. FAMILY TEARFUL, CHAPLAIN {X.full} TO VISIT {D.fu:md}.
EDUCATED {REL.first} ON SIGNS OF ACTIVE DYING AND TO CALL 24/7 LINE {PHONE.line} BEFORE 911.
{RN.full}, RN CASE MANAGER
""", upper=True),
)
