"""DEV7 world of the synthetic note generator: the seventh held-out world, retired after it was measured once.

It was written as a held-out world (without looking at the recognizers, lexicons or engine) and measured once
(leak 1.80%, see README); it is now open for tuning, and the next figures come from a fresh held-out world
(synthetic_heldout.py).

What differs from tuning (synthetic.py) and dev, dev2 ... dev6 (synthetic_dev*.py), on purpose:
- other kinds of documents, mapped onto NOTE_KINDS: organ-procurement case summaries, cruise-ship
  infirmary disembarkation summaries, methadone-taper discharges and gender-affirming surgery discharges
  (discharge); cochlear-implant mapping reports, laser tattoo-removal treatment records, pediatric bone-age
  reads and audiograms (radiology); well-child visits, travel-clinic consults, vasectomy consults and
  prosthetics fittings (progress); ski-patrol incident reports, wilderness-rescue reports, occupational
  animal-bite reports and VAERS-style vaccine adverse-event forms (ed); ALL-CAPS dialysis-unit censuses,
  methadone dosing logs, after-hours nurse-line calls and workers' compensation first-report forms (nursing);
- formats none of the earlier worlds writes: dates "04.03.2021", "2021-W09-4" (ISO week), "2021-063"
  (ordinal day), "4th of March 2021", "MARCH 4", "03/2021", "04/MAR/21", "Thu 3/4", "March 2021",
  "4-3-2021", "Mar 4 '21", "21.03.04"; ages "age=92", "92 y.o.", "92 years of age", "aged 92",
  "age in years: 92", "92 (yrs)"; names "first_last" user names, "LAST, F.", "Dr. First", "first l.",
  "F.M. Last"; phones "337/555-0134", "+1.337.555.0134", "(337)555-0134", "1-337-555-0134", "ext."
  extensions; nine-digit, dotted and "xxx-xx-" masked SSNs; tilde, E-prefixed, site-colon and spaced MRNs;
  HB/year, VN and dotted accounts; BCBS-prefix, Humana, Cigna, Kaiser and CHIP plan ids; audiologist,
  prosthetist, LCSW, NREMT and veterinarian licences, Oregon, Alaska and Vermont driver's licences; sound
  processor, microprocessor-knee, laser, UDI, dialysis-machine and take-home-bottle device ids; dashed
  and lower-case plates, lower-case VINs, snowmobile registrations; VAERS, workers' comp claim, patrol
  incident, donor, mapping session, passport, OTP client, bite report, ship medical log, consent and census
  ids; CGNAT, link-local IPv6 and CIDR-suffixed addresses;
- its own messiness (curly quotes, non-breaking spaces, doubled words, HTML leftovers "&amp;" and "<br>"
  from portal exports, trailing blanks at line ends), applied to literal text only;
- name and place pools disjoint from all six earlier worlds: names transliterated from Bengali, Gujarati and
  Odia (Faker locales no earlier world uses), invented Polynesian-like surnames and Sardinian-like given
  names, and names that are ordinary English words no earlier world uses (Anvil, Lantern, Clover, Ridge
  ...; candidates an earlier world already has are dropped); cities of Alaska, the Pacific Northwest, the
  Upper Midwest, Appalachia and northern New England; other street, hospital and facility naming patterns;
- non-PHI look-alikes left unlabelled: ages <= 89 in every age form, vaccine lot numbers, CPT and ICD-10
  codes, implant model numbers, audiogram thresholds, ship IMO numbers, doses, public numbers (VAERS
  1-800-822-7967, SAMHSA 1-800-662-4357, 911).
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
from medfl.privacy.deid.synthetic_dev6 import (
    _DEVA_CONS,
    _DEVA_MISC,
    _DEVA_SIGN,
    _DEVA_VOW,
    _abugida,
    dev6_style,
)

# ----------------------------------------------------------------------------- clinical vocabulary
_EXTRA_VOCAB = {
    "drugs": (
        ("methadone", "60 mg"), ("buprenorphine-naloxone", "8/2 mg"), ("naloxone", "4 mg"),
        ("estradiol valerate", "20 mg"), ("testosterone cypionate", "100 mg"), ("leuprolide", "7.5 mg"),
        ("atovaquone-proguanil", "250/100 mg"), ("Malarone", "1 tab"), ("doxycycline", "100 mg"),
        ("mefloquine", "250 mg"), ("azithromycin", "500 mg"), ("rabies immune globulin", "20 IU/kg"),
        ("Tdap", "0.5 mL"), ("yellow fever vaccine", "0.5 mL"), ("typhoid Vi vaccine", "0.5 mL"),
        ("meclizine", "25 mg"), ("scopolamine patch", "1 mg"), ("lidocaine with epinephrine", "1%"),
        ("amoxicillin-clavulanate", "875 mg"), ("cefazolin", "2 g"), ("tacrolimus", "1 mg"),
        ("spironolactone", "100 mg"),
    ),
    "dx": (
        "opioid use disorder", "gender dysphoria", "sensorineural hearing loss", "below-knee amputation",
        "transfemoral amputation", "acute mountain sickness", "high-altitude pulmonary edema", "frostbite",
        "hypothermia", "tibial plateau fracture", "dog bite", "cat bite", "rabies exposure",
        "travelers' diarrhea", "motion sickness", "norovirus gastroenteritis", "brain death",
        "anoxic brain injury", "vasovagal syncope", "well child", "delayed bone age", "keloid",
    ),
    "symptoms": ("tinnitus", "vertigo", "phantom limb pain", "injection-site swelling", "stump pain",
                 "numb fingers", "vomiting at sea"),
    "procedures": (
        "cochlear implant activation", "audiogram", "tympanometry", "Q-switched laser", "picosecond laser",
        "no-scalpel vasectomy", "semen analysis", "socket casting", "gait training", "bone age radiograph",
        "organ recovery", "apnea test", "wound irrigation", "rabies post-exposure prophylaxis",
        "splinting", "traction splint", "orchiectomy", "vaginoplasty", "hemodialysis run",
    ),
    "signs": ("Weber test", "Rinne test", "Dix-Hallpike maneuver", "Stimson technique", "Kanavel signs",
              "Ortolani maneuver", "Barlow maneuver", "Moro reflex", "Tanner stage", "Nikolsky-negative",
              "Apley scratch test", "doll's eyes", "oculocephalic reflex", "corneal reflex",
              "Simmonds test"),
    "labs": (("HCG", "{:.0f}", 1, 5), ("UDS fentanyl", "{:.0f} ng/mL", 0, 50),
             ("tacrolimus", "{:.1f}", 3, 15),
             ("testosterone", "{:.0f}", 15, 900), ("estradiol", "{:.0f}", 20, 400),
             ("Kt/V", "{:.2f}", 1.0, 1.8)),
    "allergies": ("adhesive bandage (itch)", "neomycin (rash)", "egg (hives)", "gelatin (anaphylaxis)"),
}


def _vocab() -> dict[str, tuple]:
    vocab = dict(VOCAB)
    for k, extra in _EXTRA_VOCAB.items():
        vocab[k] = tuple(vocab[k]) + extra
    return vocab


# ----------------------------------------------------------------------------- dates
_WD = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

DATE_FORMATS: dict[str, Callable[[dt.date], str]] = {
    # the forms issue 3 names (also in tuning) ...
    **{k: TUNING_DATE_FORMATS[k] for k in ("md", "mon_d", "d_mon_y", "iso", "mdy2", "nth", "mdy_slash",
                                           "month_d_y")},
    # ... and forms no earlier world writes
    "dmy_dot_pad": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",              # 04.03.2021
    "iso_week": lambda d: "{}-W{:02d}-{}".format(*d.isocalendar()),               # 2021-W09-4
    "iso_ordinal": lambda d: f"{d.year}-{d.timetuple().tm_yday:03d}",             # 2021-063
    "nth_of_month_y": lambda d: f"{ordinal(d.day)} of {MONTH[d.month]} {d.year}",  # 4th of March 2021
    "MONTH_d_caps": lambda d: f"{MONTH[d.month].upper()} {d.day}",                # MARCH 4
    "mm_yyyy": lambda d: f"{d.month:02d}/{d.year}",                               # 03/2021
    "dd_MON_yy_sl": lambda d: f"{d.day:02d}/{MON[d.month].upper()}/{d.year % 100:02d}",  # 04/MAR/21
    "wd_md": lambda d: f"{_WD[d.weekday()]} {d.month}/{d.day}",                   # Thu 3/4
    "month_year": lambda d: f"{MONTH[d.month]} {d.year}",                         # March 2021
    "dmy_dash_unpad": lambda d: f"{d.day}-{d.month}-{d.year}",                    # 4-3-2021
    "mon_d_apos": lambda d: f"{MON[d.month]} {d.day} '{d.year % 100:02d}",        # Mar 4 '21
    "yy_mm_dd_dot": lambda d: f"{d.year % 100:02d}.{d.month:02d}.{d.day:02d}",    # 21.03.04
}
RANDOM_DATE_FORMATS = ("mdy_slash", "mdy_slash", "md", "mdy2", "iso", "mon_d", "dmy_dot_pad", "mon_d_apos",
                       "dmy_dash_unpad", "nth_of_month_y", "dd_MON_yy_sl", "month_d_y")

AGE_FORMS = {
    "age_eq": ("age=", ""), "y_dot_o": ("", " y.o."), "yrs_of_age": ("", " years of age"),
    "aged": ("aged ", ""), "age_in_years": ("age in years: ", ""), "yrs_paren": ("", " (yrs)"),
    "num": ("", ""),
}


# ----------------------------------------------------------------------------- identifiers
AREA_CODES = ("907", "206", "253", "360", "509", "503", "541", "971", "208", "986", "406", "218", "320",
              "507", "612", "715", "906", "989", "231", "304", "681", "276", "540", "606", "423", "865",
              "802", "603", "207", "413", "774")


def _parts(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(AREA_CODES), str(rng.randint(220, 979)), digits(rng, 4)


def tel_slash(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}/{b}-{c}"


def tel_plus_dots(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"+1.{a}.{b}.{c}"


def tel_paren_tight(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"({a}){b}-{c}"


def tel_one_dash(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"1-{a}-{b}-{c}"


def tel_ext_word(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}-{b}-{c} ext. {rng.randint(100, 4999)}"


def fax_slash(rng: random.Random) -> str:
    return tel_slash(rng)


def fax_plus_dots(rng: random.Random) -> str:
    return tel_plus_dots(rng)


def ssn_nine(rng: random.Random) -> str:
    return ssn_value(rng, "")


def ssn_dotted(rng: random.Random) -> str:
    return ssn_value(rng, ".")


def ssn_xmask_lower(rng: random.Random) -> str:
    return f"xxx-xx-{ssn_value(rng)[-4:]}"


def mrn_tilde(rng: random.Random) -> str:
    return f"MR~{digits(rng, 7)}"


def mrn_e_prefix(rng: random.Random) -> str:
    return f"E-{rng.randint(1, 9)}{digits(rng, 7)}"


def mrn_site_colon(rng: random.Random) -> str:
    return f"{rng.randint(1, 39):02d}:{rng.randint(1, 9)}{digits(rng, 6)}"


def mrn_spaced3(rng: random.Random) -> str:
    return f"{digits(rng, 3)} {digits(rng, 3)} {digits(rng, 3)}"


def acct_hb_year(rng: random.Random) -> str:
    return f"HB/{rng.randint(2012, 2024)}/{digits(rng, 6)}"


def acct_vn(rng: random.Random) -> str:
    return f"VN{digits(rng, 8)}"


def acct_dotted(rng: random.Random) -> str:
    return f"{rng.randint(10, 99)}.{digits(rng, 4)}.{digits(rng, 2)}"


def hp_bcbs_prefix(rng: random.Random) -> str:
    return f"{letters(rng, 3)}{rng.randint(1, 9)}{digits(rng, 8)}"


def hp_humana_h(rng: random.Random) -> str:
    return f"H{rng.randint(1, 9)}{digits(rng, 7)}"


def hp_cigna_u(rng: random.Random) -> str:
    return f"U{digits(rng, 8)} {digits(rng, 2)}"


def hp_kaiser(rng: random.Random) -> str:
    return f"KP-{digits(rng, 9)}"


def hp_chip(rng: random.Random) -> str:
    return f"CHIP {digits(rng, 2)}-{digits(rng, 7)}"


def lic_aud(rng: random.Random) -> str:
    return f"AuD-{rng.randint(1000, 9999)}"


def lic_cpo(rng: random.Random) -> str:  # certified prosthetist-orthotist
    return f"CPO {rng.randint(10000, 99999)}"


def lic_lcsw(rng: random.Random) -> str:
    return f"LCSW#{digits(rng, 5)}"


def lic_nremt(rng: random.Random) -> str:
    return f"P{rng.randint(1, 9)}{digits(rng, 6)}"


def lic_dvm(rng: random.Random) -> str:
    return f"DVM {rng.randint(100, 9999)}"


def dl_or7(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 6)}"


def dl_ak(rng: random.Random) -> str:
    return f"AK-{digits(rng, 7)}"


def dl_vt(rng: random.Random) -> str:
    return f"{digits(rng, 7)}A"


def dev_ci_processor(rng: random.Random) -> str:
    return f"SP{rng.randint(5, 9)}-{digits(rng, 8)}"


def dev_knee(rng: random.Random) -> str:
    return f"3C{rng.randint(60, 99)}-{digits(rng, 6)}"


def dev_laser(rng: random.Random) -> str:
    return f"PW{digits(rng, 4)}-{letters(rng, 2).lower()}"


def dev_udi(rng: random.Random) -> str:
    return f"(01){digits(rng, 14)}(21){letters(rng, 1)}{digits(rng, 5)}"


def dev_bottle(rng: random.Random) -> str:  # take-home methadone lock box / bottle tag
    return f"TH-{digits(rng, 5)}-{rng.randint(1, 28):02d}"


def dev_hd_machine(rng: random.Random) -> str:  # dialysis machine serial
    return f"{digits(rng, 2)}T{digits(rng, 6)}"


def plate_dash3(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}-{letters(rng, 3)}-{digits(rng, 3)}"


def plate_lower(rng: random.Random) -> str:
    return f"{letters(rng, 3).lower()}{digits(rng, 4)}"


def vin_lower(rng: random.Random) -> str:
    return vin(rng).lower()


def snowmobile_reg(rng: random.Random) -> str:
    return f"SN{digits(rng, 4)}{letters(rng, 2)}"


def vaers_id(rng: random.Random) -> str:
    return f"{rng.randint(1, 2)}{digits(rng, 6)}-1"


def wc_claim(rng: random.Random) -> str:
    return f"WC{rng.randint(12, 24)}-{digits(rng, 6)}"


def patrol_incident(rng: random.Random) -> str:
    return f"{rng.randint(12, 24)}/{digits(rng, 4)}-SP"


def donor_id(rng: random.Random) -> str:
    return f"{letters(rng, 3)}{digits(rng, 3)}"


def mapping_session(rng: random.Random) -> str:
    return f"MAP{rng.randint(1, 40):02d}-{digits(rng, 5)}"


def passport_no(rng: random.Random) -> str:
    return f"{rng.choice('ACEF')}{digits(rng, 8)}"


def otp_client(rng: random.Random) -> str:
    return f"OTP{digits(rng, 5)}"


def bite_report(rng: random.Random) -> str:
    return f"AB-{rng.randint(12, 24)}-{digits(rng, 4)}"


def ship_medlog(rng: random.Random) -> str:
    return f"ML{digits(rng, 4)}/{rng.randint(1, 52):02d}"


def consent_no(rng: random.Random) -> str:
    return f"CF{digits(rng, 6)}"


def census_row(rng: random.Random) -> str:
    return f"DX{digits(rng, 4)}"


def ip_cgnat(rng: random.Random) -> str:
    return f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"


def ip_linklocal6(rng: random.Random) -> str:
    tail = ":".join(f"{rng.randint(0, 65535):x}" for _ in range(4))
    return f"fe80::{tail}"


def ip_cidr(rng: random.Random) -> str:
    return f"192.168.{rng.randint(0, 255)}.{rng.randint(2, 254)}/{rng.choice((24, 26, 28))}"


def _ids() -> dict[str, tuple]:
    return {
        "PHONE": (tel_slash, tel_plus_dots, tel_paren_tight, tel_one_dash, tel_slash),
        "PHONE:ext": (tel_ext_word,),
        "FAX": (fax_slash, fax_plus_dots),
        "SSN": (ssn_nine, ssn_dotted, ssn_xmask_lower),
        "MRN": (mrn_tilde, mrn_e_prefix, mrn_site_colon, mrn_spaced3),
        "ACCT": (acct_hb_year, acct_vn, acct_dotted),
        "HPLAN": (hp_bcbs_prefix, hp_humana_h, hp_cigna_u, hp_kaiser),
        "HPLAN:chip": (hp_chip,),
        "LIC": (lic_aud, lic_cpo, lic_lcsw, lic_dvm),
        "LIC:emt": (lic_nremt,),
        "LIC:dl": (dl_or7, dl_ak, dl_vt),
        "DEVICE": (dev_ci_processor, dev_knee, dev_laser, dev_udi),
        "DEVICE:bottle": (dev_bottle,),
        "DEVICE:hd": (dev_hd_machine,),
        "VEHICLE": (plate_dash3, plate_lower, vin_lower),
        "VEHICLE:sled": (snowmobile_reg,),
        "ID": (consent_no,),
        "ID:vaers": (vaers_id,),
        "ID:wc": (wc_claim,),
        "ID:patrol": (patrol_incident,),
        "ID:donor": (donor_id,),
        "ID:map": (mapping_session,),
        "ID:passport": (passport_no,),
        "ID:otp": (otp_client,),
        "ID:bite": (bite_report,),
        "ID:ship": (ship_medlog,),
        "ID:census": (census_row,),
        "IP": (ip_cgnat, ip_linklocal6, ip_cidr),
    }


# ----------------------------------------------------------------------------- name forms
def _name_forms(p) -> dict[str, str]:
    return {
        "under": f"{p.first}_{p.last}".lower(),                  # ananya_talukdar (user name)
        "LAST_F": f"{p.last.upper()}, {p.first[0]}.",            # TALUKDAR, A.
        "fm_last": f"{p.first[0]}.{p.middle[0]}. {p.last}",      # A.R. Talukdar
        "first_l_low": f"{p.first} {p.last[0]}.".lower(),        # ananya t.
    }


# ----------------------------------------------------------------------------- messiness
_DOUBLE = ("the", "to", "and", "of", "with", "for")


def _mess_factory(rng: random.Random, level: float = 0.08) -> Callable[[str], str]:
    """Literal text -> messier literal text; the first and last character of a piece are kept, so a
    neighbouring PHI value keeps its word boundaries."""

    def mess(s: str) -> str:
        if len(s) < 4:
            return s
        if ("'" in s or '"' in s) and rng.random() < 0.5:  # word processor: curly apostrophes and quotes
            return re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", s.replace("'", "\u2019"))
        head, mid, tail = s[0], s[1:-1], s[-1]
        r = rng.random()
        if r < 1.8 * level:  # non-breaking space pasted from a web page
            i = mid.find(" ")
            if i >= 0:
                mid = mid[:i] + "\u00a0" + mid[i + 1:]
        elif r < 2.6 * level:  # doubled word from dictation correction
            hits = [w for w in _DOUBLE if re.search(rf"\b{w} ", mid)]
            if hits:
                w = rng.choice(hits)
                mid = re.sub(rf"\b{w} ", f"{w} {w} ", mid, count=1)
        elif r < 3.4 * level:  # HTML leftovers from a portal export
            if "&" in mid:
                mid = mid.replace("&", "&amp;", 1)
            elif "\n" in mid:
                mid = mid.replace("\n", "<br>\n", 1)
        elif r < 4.2 * level:  # trailing blanks at a line end
            mid = mid.replace("\n", "   \n", 1)
        return head + mid + tail

    return mess


# ----------------------------------------------------------------------------- transliteration
# Bengali, Gujarati and Odia share Devanagari's code-point layout (each block sits at a fixed offset), so
# one abugida table spells all three.
_BLOCK = {"bn_BD": 0x0980, "gu_IN": 0x0A80, "or_IN": 0x0B00}


def _translit(name: str, loc: str) -> str:
    base = _BLOCK[loc]
    s = "".join(chr(ord(c) - base + 0x0900) if base <= ord(c) < base + 0x80 else c for c in name)
    return _abugida(s, _DEVA_CONS, _DEVA_VOW, _DEVA_SIGN, _DEVA_MISC, "\u094d", True)


def _locale_names(loc: str) -> tuple[list[str], ...]:
    p = importlib.import_module(f"faker.providers.person.{loc}").Provider
    lists = (getattr(p, "first_names_male", ()), getattr(p, "first_names_female", ()),
             getattr(p, "last_names", ()))
    return tuple([t for t in (_translit(x, loc) for x in lst or ()) if t] for lst in lists)


# locale -> (male, female, last) caps, so no single locale dominates
_LOCALE_CAPS = {"or_IN": (120, 100, 260), "bn_BD": (50, 60, 70), "gu_IN": (25, 8, 8)}
# real surnames / given names that are also ordinary English words
_WORD_LAST = ("Anvil", "Lantern", "Saddle", "Bramble", "Thistle", "Barrow", "Marble", "Button", "Candle",
              "Fiddle", "Hatchet", "Nettle", "Pickle", "Quarry", "Rook", "Satchel", "Tinker", "Wicker",
              "Cobble", "Furrow", "Gully", "Harrow", "Larder", "Mortar", "Oyster", "Parcel", "Rudder",
              "Sickle", "Thatcher", "Bobbin", "Tackle", "Griddle", "Muskrat", "Badger", "Otter", "Gopher",
              "Pigeon", "Crane", "Minnow", "Walnut", "Acorn", "Chestnut", "Barley", "Mustard", "Ginger",
              "Treacle", "Biscuit", "Porridge")
_WORD_FIRST_F = ("Clover", "Poppy", "Briar", "Echo", "Story", "Autumn", "Winter", "Summer", "Raven", "Skye",
                 "Bluebell", "Daisy", "Ivy", "Holly", "Rain", "Starla", "Velvet", "Lavender", "Cricket",
                 "Honeybee", "Mercy", "Patience", "Prudence", "Charity")
_WORD_FIRST_M = ("Forrest", "River", "Stone", "Canyon", "Ridge", "Chase", "Hunter", "Fisher", "Knight",
                 "Major", "King", "Bishop", "Deacon", "Pilot", "Bear", "Wolf", "Birch", "Timber", "Glacier",
                 "Boulder", "Harbor", "Anchor", "Dodge", "Ranger")

_SUR_HEAD = ("Kalo", "Mahe", "Nohi", "Pali", "Haku", "Leia", "Kama", "Lono", "Keli", "Malu", "Moana",
             "Puna", "Kapa", "Waia", "Hoku", "Laka", "Niele", "Hana", "Pua", "Kuia", "Rangi", "Tepa", "Fetu",
             "Vaio", "Mataa", "Ioane", "Sefo", "Tuala", "Pelu", "Aumo")
_SUR_TAIL = ("kaupe", "henua", "loa", "wainui", "akahi", "malie", "kekona", "pahia", "nohea", "ulani",
             "kuahu", "meheu", "tonga", "ariki", "wahine")
_GIVEN_HEAD = ("Bach", "Cost", "Efis", "Giomm", "Luxor", "Murg", "Nann", "Pasqu", "Sebast", "Tott", "Zuan",
               "Baing", "Chicc", "Ghian")
_GIVEN_TAIL_F = ("edda", "ina", "ora", "uedda", "icca")
_GIVEN_TAIL_M = ("ore", "eddu", "ine", "icu", "oi")


DEV7_CITIES = (
    "Bethel", "Dillingham", "Kotzebue", "Nome", "Utqiagvik", "Unalaska", "Kodiak", "Homer", "Seward",
    "Valdez", "Cordova", "Wasilla", "Palmer", "Talkeetna", "Tok", "Delta Junction", "Healy", "Soldotna",
    "Kenai", "Sitka", "Petersburg", "Wrangell", "Ketchikan", "Haines", "Skagway", "Craig Ak", "Galena",
    "Aniak", "Forks", "Port Angeles", "Sequim", "Chimacum", "Aberdeen Wa", "Hoquiam", "Raymond", "Ilwaco",
    "Long Beach Wa", "Chehalis", "Morton", "Packwood", "Yakima", "Toppenish", "Sunnyside", "Prosser",
    "Ritzville", "Colville", "Republic", "Omak", "Okanogan", "Twisp", "Winthrop", "Chelan", "Leavenworth",
    "Cle Elum", "Ellensburg", "Goldendale", "Stevenson", "Astoria", "Seaside", "Tillamook", "Newport Or",
    "Waldport", "Florence Or", "Reedsport", "Coos Bay", "Bandon", "Gold Beach", "Brookings", "Cave Junction",
    "Grants Pass", "Klamath Falls", "Lakeview", "Burns", "John Day", "Enterprise Or", "Joseph", "La Grande",
    "Baker City", "Ontario Or", "Hermiston", "Pendleton", "Condon", "Fossil", "Madras", "Prineville",
    "Sisters", "Bonners Ferry", "Sandpoint", "Priest River", "Kellogg", "Wallace", "St. Maries", "Orofino",
    "Grangeville", "Cottonwood", "McCall", "Cascade Id", "Salmon", "Challis", "Grand Marais", "Ely",
    "Tower", "Cook", "Orr", "International Falls", "Baudette", "Warroad", "Roseau", "Thief River Falls",
    "Bagley", "Bemidji", "Walker", "Park Rapids", "Wadena", "Aitkin", "Hinckley", "Mora", "Pine City",
    "Two Harbors", "Silver Bay", "Hayward", "Ashland Wi", "Washburn", "Bayfield", "Hurley", "Minocqua",
    "Rhinelander", "Eagle River", "Crandon", "Laona", "Antigo", "Merrill", "Tomahawk", "Phillips",
    "Ladysmith", "Iron Mountain", "Ironwood", "Bessemer", "Ontonagon", "Houghton", "Hancock", "Calumet",
    "L'Anse", "Munising", "Newberry", "Manistique", "Escanaba", "Gladstone", "Menominee", "Sault Ste. Marie",
    "St. Ignace", "Cheboygan", "Gaylord", "Grayling", "Welch", "War", "Pineville", "Logan", "Madison Wv",
    "Hamlin", "Harts", "Gilbert", "Matewan", "Williamson", "Hindman", "Hazard", "Whitesburg", "Jenkins",
    "Harlan", "Cumberland", "Pikeville", "Prestonsburg", "Paintsville", "Inez", "Hyden", "Manchester Ky",
    "Booneville", "Jackson Ky", "Beattyville", "Grundy", "Vansant", "Clintwood", "Wise", "Big Stone Gap",
    "Pennington Gap", "Jonesville Va", "Sneedville", "Tazewell", "Maynardville", "Jamestown Tn",
    "Island Pond", "Newport Vt", "Derby Line", "St. Johnsbury", "Lyndonville", "Hardwick", "Morrisville",
    "Colebrook", "Lancaster Nh", "Berlin Nh", "Gorham Nh", "Littleton", "Woodsville", "Rangeley",
    "Kingfield", "Farmington Me", "Skowhegan", "Dover-Foxcroft", "Millinocket", "Houlton", "Presque Isle",
    "Caribou", "Fort Kent", "Madawaska", "Van Buren Me", "Calais", "Machias", "Lubec", "Eastport",
)
_STREET_WORDS = (
    "Tundra", "Muskeg", "Fireweed", "Spruce Tip", "Totem", "Salmonberry", "Fish Wheel", "Dog Mushers",
    "Ptarmigan", "Boardwalk", "Cannery", "Ferry Dock", "Logging Spur", "Cedar Shake", "Clearcut",
    "Huckleberry",
    "Sawmill Pond", "Iron Range", "Taconite", "Snowshoe", "Ice Road", "Portage", "Walleye", "Loon Lake",
    "Hollow Fork", "Coal Camp", "Tipple", "Holler", "Sugarbush", "Covered Bridge", "Maple Sap",
    "Moose Crossing",
)
_STATES = ("AK", "WA", "OR", "ID", "MN", "WI", "MI", "WV", "KY", "VA", "TN", "VT", "NH", "ME", "Alaska",
           "Wash.", "Ore.", "Minn.", "Wis.", "Mich.", "W. Va.", "Ky.", "Vt.", "Maine")
_FAC_WORDS = ("Northern Lights", "Cascade Crest", "Iron Range", "Blue Ridge Hollow", "North Woods",
              "Lakes Country")


@lru_cache(maxsize=1)
def dev7_style() -> Style:
    others = (tuning_style(), dev_style(), dev2_style(), dev3_style(), dev4_style(), dev5_style(),
              dev6_style())
    vocab = _vocab()
    other_cities = {c.lower() for s in others for c in s.cities}
    c = [x for x in DEV7_CITIES if x.lower() not in other_cities]
    cities = other_cities | {x.lower() for x in DEV7_CITIES}
    used = set().union(*(name_pool_words(s) for s in others))
    used_streets = set().union(*(set(s.street_names) for s in others))
    en_us = {n.lower() for lst in faker_names(("en_US",)) for n in lst}
    # word names are exempt from the vocabulary and en_US bans only, never from disjointness
    word_names = {w.lower() for w in (*_WORD_LAST, *_WORD_FIRST_F, *_WORD_FIRST_M)} - used - cities
    streets = {w.lower() for w in (*_STREET_WORDS, *used_streets)}
    banned = (_NON_NAMES | used | cities | streets | en_us
              | (_vocab_words(vocab) - word_names))
    rng = random.Random("heldout-7-pools")  # the seed it was measured with: pools stay as reported
    male, female, last = draw_name_pools(
        rng, ((caps, _locale_names(loc)) for loc, caps in _LOCALE_CAPS.items()), banned, word_names,
        invented=((_SUR_HEAD, _SUR_TAIL, 420), (_GIVEN_HEAD, _GIVEN_TAIL_F, 60),
                  (_GIVEN_HEAD, _GIVEN_TAIL_M, 60)),
        words=(_WORD_LAST, _WORD_FIRST_F, _WORD_FIRST_M))
    female = [x for x in female if x not in set(male)]
    hospitals = sorted({
        *(f"{x} Borough Hospital" for x in c[:6]),
        *(f"{x} Tribal Health Center" for x in c[6:10]),
        *(f"{x} Community Hospital District" for x in c[30:35]),
        *(f"{x} Miners' Memorial Hospital" for x in c[150:155]),
        *(f"{x} Lutheran Medical Center" for x in c[100:104]),
        *(f"{rng.choice(last)} Children's Hospital" for _ in range(2)),
        *(f"{x} Hospital & Clinics" for x in c[200:205]),
        *(f"{w} Medical Center" for w in _FAC_WORDS[:3]),
    })
    facilities = sorted({
        *(f"{x} Travel Medicine" for x in c[40:43]),
        *(f"{x} Hearing & Balance Center" for x in c[43:46]),
        *(f"{x} Limb & Brace" for x in c[46:49]),
        *(f"{x} Laser & Skin" for x in c[60:63]),
        *(f"{x} Opioid Treatment Program" for x in c[63:66]),
        *(f"{x} Kidney Center" for x in c[66:69]),
        *(f"{x} Pediatrics" for x in c[69:73]),
        *(f"{x} Urology Associates" for x in c[73:76]),
        *(f"{x} Ski Patrol" for x in c[110:113]),
        *(f"{w} Nurse Advice Line" for w in _FAC_WORDS[3:]),
    })
    used_places = set().union(*({h.lower() for h in s.hospitals + s.facilities} for s in others))
    hospitals = [h for h in hospitals if h.lower() not in used_places]
    facilities = [f for f in facilities if f.lower() not in used_places]
    street_names = tuple(w for w in (*_STREET_WORDS, *last[:100]) if w not in used_streets)
    return Style(
        name="dev7",
        templates=DEV7_TEMPLATES,
        first_male=tuple(male), first_female=tuple(female), last=tuple(last),
        cities=tuple(c),
        street_names=street_names,
        street_suffixes=("Loop Rd", "Hwy Spur", "Mile Rd", "Landing", "Fork Rd", "Hollow", "Cir.", "Trail NW",
                         "Ave. E", "St. N", "Street", "Road", "Drive", "Lane"),
        units=("", "", "", "", "Cabin {n}", "Slip {n}{l}", "Lot {n}", "Box {n}", "#{n}{l}"),
        hospitals=tuple(hospitals), facilities=tuple(facilities),
        email_domains=("gci.net", "acsalaska.net", "frontier.com", "centurylink.net", "tds.net",
                       "myfairpoint.net", "gmx.com", "tutanota.com", "pm.me"),
        web_hosts=("vaers", "mapping", "travelrx", "otp", "nurseline", "wcclaims"),
        states=_STATES,
        date_formats=DATE_FORMATS,
        random_date_formats=RANDOM_DATE_FORMATS,
        name_forms=("full", "lf", "LAST_F", "fm_last", "fl", "LF", "mid", "last"),
        age_forms=AGE_FORMS,
        ids=_ids(),
        email_forms=("{first}_{last}@{domain}", "{last}.{f}{nn}@{domain}", "{f}.{last}@{domain}",
                     "{first}{nn}{last}@{domain}"),
        url_forms=("https://{host}.{hslug}.net/case/{id}", "{hslug}.org/{host}?id={id}",
                   "https://portal.{hslug}.health/{host}/{id}", "http://{host}-{id}.{hslug}.io"),
        bullets=("{i}: ", "\u25aa ", "~ ", "({i}) ", "* "),
        vocab=vocab,
        mess=_mess_factory,
        p_old=0.3,
        extra_name_forms=_name_forms,
    )


# ----------------------------------------------------------------------------- templates
DEV7_TEMPLATES = (
    # ------------------------------------------------------------------ discharge
    Template("organ_procurement_summary", "discharge", """\
ORGAN PROCUREMENT ORGANIZATION -- DONOR CASE SUMMARY
Donor {ID:donor}   referred by {HOSP} ICU on {D.adm:dmy_dot_pad} {TIME}   OPO coordinator {X.full}
Decedent: {PT.LAST_F}   {PT.lf}   MRN {MRN}   {AGE:aged}   {PT.mf}   ABO <<O|A|B>>

Cause of death: [[anoxic brain injury]] after <<cardiac arrest at home in {CITY}|drowning at a lake \
outside {CITY}|overdose>>. [[brain death]] declared {D.proc:nth_of_month_y} by Dr. {DR.last} and \
{DR2.fm_last}, MD; [[apnea test]] positive (PaCO2 68). Absent [[corneal reflex]], no [[doll's eyes]].
Hx: [[HTN]], [[CHF]] (EF 45%), {PMH_INLINE}. Serologies: HIV/HBV/HCV NAT negative.
Authorization: first-person registry; family informed -- {PT.his} {REL.rel} {REL.full} ({PHONE.rel}), \
witnessed by {RN.fl}, RN. Chaplain present.
[[organ recovery]] {D.dis:dmy_dot_pad}: kidneys x2, liver, <<heart|lungs|no thoracic organs>>. \
Cross-clamp {TIME}. Meds in OR: {MEDS_INLINE}.
Tissue referral {ID}. Medical examiner released ({D.proc:iso}).
cc: {DR.LF}; {PCP.fl}; file {PT.under}_donor.pdf
"""),
    Template("ship_infirmary_disembark", "discharge", """\
M/S <<Aurora Borealis|Northern Star|Glacier Queen>> (IMO 9383936) -- MEDICAL CENTRE DISEMBARKATION SUMMARY
Med log {ID:ship}   Cabin <<8142|6021|10233>>   Port: Juneau, {D.dis:mon_d_apos}
Guest: {PT.full}   DOB {D.dob:dmy_dot_pad}   {AGE:y_dot_o}   passport {ID:passport}
Home: {STREET}, {CITY}, {STATE} {ZIP}   Emergency contact: {REL.full} ({REL.rel}) {PHONE.rel}

Presented {D.adm:mon_d_apos} with [[vomiting at sea]], [[SOB]] and [[norovirus gastroenteritis]] \
during the outbreak on deck 9. Also [[CHF]], {PMH_INLINE}.
Course: IV fluids 2 L, [[ondansetron]] 4 mg IV, [[meclizine]] 25 mg PO; [[scopolamine patch]] removed \
(confusion). Isolation x48 h. Labs: {LABS}.
Disembarked for shore care at {HOSP}; handed to {DR2.full}, MD. Insurer {HPLAN}; claim {ACCT}.
Ship physician {DR.full}, MD   nurse {RN.first_l_low}   e-mail copy to {EMAIL.pt}
"""),
    Template("methadone_taper_discharge", "discharge", """\
{FAC} -- DISCHARGE FROM OPIOID TREATMENT
Client {PT.fm_last}   client no {ID:otp}   DOB {D.dob:mdy_slash}   SSN {SSN}   {AGE:age_eq}
Counselor {X.full}, {LIC:emt}   Medical director Dr. {DR.full}   LCSW {X.fl} ({LIC})

Admitted {D.prev:month_year} for [[opioid use disorder]] (fentanyl, IV). [[HTN]]; hep C treated.
Dosing: [[methadone]] peaked at 110 mg; voluntary taper to 0 mg completed {D.dis:iso}. UDS last 6 \
months negative; {LABS}.
Transfer plan: [[buprenorphine-naloxone]] 8/2 mg SL daily via {DR2.full}, MD at {HOSP2}. \
[[naloxone]] 4 mg kits x2 given; {PT.his} {REL.rel} {REL.first} trained.
Take-home lock box {DEVICE:bottle} returned. SAMHSA helpline 1-800-662-4357 given.
Discharge summary faxed to {FAX} on {D.dis:d_mon_y}; release signed by {PT.first}.
"""),
    Template("gender_affirming_discharge", "discharge", """\
{HOSP} -- Plastic & Reconstructive Surgery -- Discharge Summary
{PT.full} (chosen name; legal name on insurance: {PT.LF})   MRN {MRN}   acct {ACCT}
Admit {D.adm:month_d_y}   Discharge {D.dis:month_d_y}   Surgeon Dr. {DR.last}   PCP {PCP.full}

Dx: [[gender dysphoria]]; hx [[HTN]], [[GI]] reflux. On [[estradiol valerate]] 20 mg IM q2wk (held 2 wk \
pre-op), [[spironolactone]] 100 mg stopped after [[orchiectomy]].
Procedure {D.proc:mdy2}: [[vaginoplasty]] (penile inversion) with {DR2.fm_last}, MD. EBL 350 mL.
Course: packing removed POD 5; dilation teaching done; voiding. {SX} on POD 3 resolved.
Exam: {EXAM_INLINE}. Labs: {LABS}.
Meds: {MEDS}
Follow-up {D.fu:mon_d} with Dr. {DR.last}; {PT.first}'s partner {REL.full} ({PHONE.rel}) will drive. \
Letters for name change: see {URL}.
Dictated by {X.full}, PA-C; e-signed {DR.full}, MD on {D.dis:mdy_slash}.
"""),
    # ------------------------------------------------------------------ radiology
    Template("ci_mapping_report", "radiology", """\
COCHLEAR IMPLANT PROGRAMMING (MAPPING) REPORT      session {ID:map}
{FAC}   date {D.today:iso_week}   audiologist {DR.full}, {LIC}
Patient {PT.lf}   pt#{MRN}   {AGE:yrs_of_age}   implant: R Nucleus CI612 (model, not serial)
Sound processor {DEVICE}   remote paired from {IP}

Hx: bilateral [[sensorineural hearing loss]], progressive; [[cochlear implant activation]] \
{D.prev:dmy_dot_pad}. [[tinnitus]] improved. [[Weber test]] n/a post-op.
Impedances normal, electrodes 1-22 active. T/C levels raised 5 CU on basal electrodes. \
Aided thresholds 25-30 dB HL 250-6000 Hz; CNC words 62% (was 38%).
Program slots: 1 everyday, 2 noise, 3 music. Datalogging 11.5 h/day.
Plan: next mapping on {D.fu:dmy_dot_pad}; auditory rehab with {X.full}. \
Questions to {PHONE:ext} or {EMAIL.pt}. {PT.mr} {PT.last} agrees.
CPT 92602. ICD-10 H90.3, Z96.21.
"""),
    Template("tattoo_laser_record", "radiology", """\
{FAC} -- LASER TATTOO REMOVAL TREATMENT RECORD
Client: {PT.first_l_low} ({PT.full})   chart {MRN}   consent {ID}   Fitzpatrick <<II|III|IV>>
Device {DEVICE}, <<[[picosecond laser]] 755 nm|[[Q-switched laser]] 1064 nm>>, 3 mm spot, 2.8 J/cm2

Session <<3|5|7>> of est. 10 on {D.today:yy_mm_dd_dot}. Location: L forearm, black ink, amateur. \
Prior sessions {D.prev:yy_mm_dd_dot}. No [[keloid]]; mild blistering last time.
Immediate frosting, no pinpoint bleeding. Aftercare: petrolatum, no sun 2 wk.
Hx [[HTN]]; meds {MEDS_INLINE}. Allergies {ALLERGY}.
Operator {RN.full}, RN under Dr. {DR.last}; photos saved as {PT.under}_{D.today:iso}.jpg
Next {D.fu:dmy_dash_unpad}. Card on file; acct {ACCT}.
"""),
    Template("bone_age_read", "radiology", """\
PEDIATRIC RADIOLOGY -- [[bone age radiograph]] (L hand/wrist)
{HOSP}   exam {D.today:dd_MON_yy_sl}   ord. by {PCP.fl}, MD   reader {DR.full}, MD
Pt: {PT.LAST_F}   {MRN}   DOB {D.dob:dd_MON_yy_sl}   sex {PT.mf}   Hx: short stature, [[delayed bone age]]?

Chronological age 11 y 4 mo. Greulich & Pyle bone age 9 y 6 mo (SD 10.7 mo) -> delayed by \
> 2 SD. Physes open. No [[Tanner stage]] data given.
Predicted adult height 172 cm (Bayley-Pinneau). {IMPRESSION}
Compared with {D.prev:dd_MON_yy_sl} study at {HOSP2}.
Result to parent {REL.full} ({REL.rel}) via portal {URL}; {PT.his} CHIP {HPLAN:chip}.
Signed {D.today:dd_MON_yy_sl} {TIME}, {DR.LF}
"""),
    Template("audiogram_report", "radiology", """\
AUDIOLOGIC EVALUATION   {FAC}
Name {PT.full}   {AGE:age_in_years}   MRN {MRN}   Date {D.today:wd_md} ({D.today:mon_d_apos})
Referred by Dr. {DR2.last} for [[tinnitus]] and [[vertigo]]; noise exposure (sawmill, 22 years).

[[audiogram]]: R 25/35/50/65 dB HL (0.5/1/2/4 kHz); L 20/30/55/70 dB HL. SRT R 35, L 30 dB. \
WRS 84% / 88%. [[tympanometry]] type A bilat. [[Rinne test]] positive bilat, [[Weber test]] midline. \
[[Dix-Hallpike maneuver]] <<negative|positive R>>.
Impression: bilateral high-frequency [[sensorineural hearing loss]], noise-induced pattern.
Hearing aids recommended; workers' comp form sent to employer ({ID:wc}). Copy to {PCP.full}, MD. \
{DR.full}, {LIC}
"""),
    # ------------------------------------------------------------------ progress
    Template("well_child_visit", "progress", """\
WELL CHILD CHECK -- 12 month visit   {FAC}   {D.today:mon_d_apos}
{PT.full} ("{PT.first}")   DOB {D.dob:iso}   MRN {MRN}   Medicaid/CHIP {HPLAN:chip}
Accompanied by {REL.rel} {REL.full}; {PT.his} other parent {X.full} on speaker ({PHONE.rel}).

[[well child]]. Growth: wt 9.8 kg (55th %ile), length 75 cm, HC 46 cm. Walking with support, 3 words. \
Parent's concern: "doesn't sleep through the night".
Exam: {EXAM_INLINE}. [[Ortolani maneuver]] and [[Barlow maneuver]] negative; [[Moro reflex]] gone.
Vaccines given: MMR, varicella, Hep A, PCV (lot EW0182, not PHI). VIS dated {D.prev:month_year}.
Lead 2 mcg/dL. Hgb 11.9. Anticipatory guidance: car seat rear facing, water temp, poison control.
Next WCC at 15 months on the {D.fu:nth}. Dr. {DR.last} / {RN.fl}, RN
"""),
    Template("travel_clinic_consult", "progress", """\
TRAVEL MEDICINE CONSULTATION   {FAC}   {D.today:dmy_dot_pad}
Traveller {PT.lf}   passport {ID:passport}   DOB {D.dob:dmy_dot_pad}   {AGE:y_dot_o}
Traveller's words: "first big trip since I retired". Itinerary: \
Peru (Cusco, Amazon lodge) {D.next:mdy_slash} for 3 weeks, then Bolivia; trekking to 4800 m.

PMH: [[HTN]], {PMH_INLINE}. Meds {MEDS_INLINE}. Allergies {ALLERGY}.
Risk review: [[acute mountain sickness]], [[high-altitude pulmonary edema]], [[travelers' diarrhea]], \
malaria (Amazon), dengue, rabies (dogs).
Given: [[yellow fever vaccine]] 0.5 mL SC (ICVP signed), [[typhoid Vi vaccine]], [[Tdap]]. \
Rx [[atovaquone-proguanil]] 250/100 mg daily; [[azithromycin]] 500 mg x3 standby; acetazolamide.
Letter for {PT.his} travel companion {REL.full} on request; {REL.first}'s \
vaccines are up to date. CDC travel notices reviewed.
Paid by {HPLAN}; receipt to {EMAIL.pt}. {DR.full}, MD, CTropMed
"""),
    Template("vasectomy_consult", "progress", """\
UROLOGY -- VASECTOMY CONSULTATION   {FAC}
Pt {PT.full}  ({PT.LAST_F})   DOB {D.dob:mdy_slash}   MRN {MRN}   seen {D.today:month_d_y}
Partner {REL.first} present (consent not required; info given at {PT.his} request).

Two children; desires permanent contraception: "we're done, two's plenty". \
Hx [[HTN]], GERD; no [[GI]] issues. Meds: {MEDS_INLINE}.
Exam: testes descended, vasa easily palpable bilat. No varicocele.
Counselled: [[no-scalpel vasectomy]], failure 1/2000, [[semen analysis]] at 12 wk, chronic pain 1-2%.
Consent form {ID} signed {D.today:mdy2}. Procedure scheduled {D.fu:month_d_y}; [[lidocaine with \
epinephrine]] 1% local. Hold [[aspirin]] 7 days.
Ins {HPLAN} (prior auth not required). cc {PCP.fm_last}, MD. {DR.full}, MD
"""),
    Template("prosthetics_fitting", "progress", """\
{FAC} -- PROSTHETIC FITTING NOTE   {D.today:dmy_dash_unpad}
Patient: {PT.full}   {AGE:yrs_paren}   acct {ACCT}   plan {HPLAN}   K-level <<3|4>>
Prosthetist {X.full}, {LIC}   PT {RN.fl}   physiatrist Dr. {DR.last}

Dx [[transfemoral amputation]] L ({D.prev:month_year}, trauma) / prior [[below-knee amputation]] R? no.
[[socket casting]] done {D.prev:dmy_dash_unpad}; check socket today. Microprocessor knee {DEVICE}, \
carbon foot. [[stump pain]] 3/10, [[phantom limb pain]] nightly.
[[gait training]] 10 m: mild vaulting, corrected with 4 mm heel wedge. [[Simmonds test]] n/a.
{PT.first} drives with L-foot accelerator; vehicle {VEHICLE}. {PT.His} {REL.rel} \
{REL.full} helps with donning ({PHONE.rel}).
Next visit {D.fu:dmy_dash_unpad}. Letter of medical necessity sent to {HPLAN} on {D.today:iso}.
"""),
    # ------------------------------------------------------------------ ed
    Template("ski_patrol_incident", "ed", """\
{FAC} -- PATROL INCIDENT REPORT   #{ID:patrol}
Date {D.adm:dmy_dot_pad}   time of call {TIME}   run: <<Widowmaker (black)|Bunny Hill|Lift 4 maze>>
Injured: {PT.full}   {AGE:aged}   home {CITY}, {STATE}   tel {PHONE.pt}   season pass {ACCT}
Patrollers: {X.full} ({LIC:emt}), {X.fl}; toboggan to base clinic.

Mechanism: <<fall on ice, struck tree|collision with snowboarder|binding pre-release>>. \
Helmet yes ({PT.first}'s helmet cracked). GCS 15, [[SOB]] none. \
Pain L knee -> [[tibial plateau fracture]] suspected; \
[[traction splint]] not used, vacuum [[splinting]].
Vitals {VITALS}. Witness {REL.full} ({REL.rel}), {PHONE.rel}.
Transported by ambulance to {HOSP}. Skis tagged, locker key returned. Vehicle in lot B: {VEHICLE}.
Patroller signature: {X.lf}   Supervisor {DR.fl}
"""),
    Template("wilderness_rescue_report", "ed", """\
SEARCH & RESCUE / WILDERNESS MEDICINE REPORT   {CITY} borough   mission {ID}
Subject {PT.LAST_F}   {PT.full}   {AGE:age_eq}   reported overdue {D.onset:iso_ordinal} by {PT.his} \
{REL.rel} {REL.full} ({PHONE.rel})
Located {D.adm:iso_ordinal} {TIME} at 61.2N 149.9W; snowmachine {VEHICLE:sled} found nearby.

Core temp 32.4 C -> [[hypothermia]] moderate; [[frostbite]] 2nd degree fingers R hand, [[numb fingers]]. \
[[SOB]], [[CHF]] history per family, {PMH_INLINE}.
Tx: {PT.first}'s wet layers cut off, hypothermia wrap, warm IV fluids, [[aspirin]] held. \
No [[doll's eyes]] testing needed, GCS 14.
Helo to {HOSP}; handoff to {DR.full}, MD. Team lead {X.full}, {LIC:emt}. Radio relay via {IP}.
Report filed {D.adm:iso} to state troopers.
"""),
    Template("animal_bite_occupational", "ed", """\
ED NOTE -- OCCUPATIONAL ANIMAL BITE   report {ID:bite}
{HOSP}   {D.adm:mdy_slash} {TIME}   employer: {FAC} (veterinary tech)
{PT.full}   MRN {MRN}   {AGE:yrs_of_age}   WC claim {ID:wc}   SSN {SSN}

<<[[dog bite]]: 80 lb shepherd during nail trim|[[cat bite]] to R thenar eminence|[[dog bite]] to L forearm \
from boarding dog>>. Animal owner {X.full}, {PHONE}; vaccination status verified by \
Dr. {X.last}, {LIC}.
Exam: two puncture wounds, no tendon exposure; [[Kanavel signs]] negative. {EXAM_INLINE}.
[[wound irrigation]] 500 mL; left open. [[amoxicillin-clavulanate]] 875 mg BID x5 d. [[Tdap]] given.
[[rabies post-exposure prophylaxis]] <<not indicated (animal vaccinated, 10-day observation)|started: \
[[rabies immune globulin]] 20 IU/kg + vaccine day 0>>.
Health dept notified; bite form faxed {FAX}. Return to work {D.fu:md}. {DR.full}, MD
"""),
    Template("vaers_form", "ed", """\
VACCINE ADVERSE EVENT REPORT (VAERS-style worksheet)   VAERS ID {ID:vaers}
Item 1  Patient name: {PT.lf}        Item 2  DOB: {D.dob:mdy_slash}       Item 3  Age: {AGE:num}
Item 4  Address: {STREET}, {CITY}, {STATE} {ZIP}   Phone: {PHONE.pt}
Item 6  Date vaccinated: {D.onset:mdy_slash}   Item 7  Onset: {D.adm:mdy_slash} {TIME}
Item 8  Reporter: {RN.full}, RN, {FAC}, {PHONE.site}, {EMAIL.rn}

Item 18 Describe adverse event: [[injection-site swelling]] 10 cm, [[fever]], [[vasovagal syncope]] in \
the ED of {HOSP}; <<hives, treated with diphenhydramine|no anaphylaxis>>. Hx [[HTN]].
Vaccine: Tdap, lot EL9261 (not PHI), L deltoid. Allergies {ALLERGY}.
Item 21 Outcome: recovered. Seen by {DR.full}, MD; PCP {PCP.lf}.
Submit to VAERS 1-800-822-7967 or online. Internal ref {MRN}; insurer {HPLAN}.
"""),
    # ------------------------------------------------------------------ nursing (ALL CAPS)
    Template("dialysis_census_caps", "nursing", """\
{FAC} -- DAILY CENSUS   {D.today:MONTH_d_caps}   SHIFT <<1|2|3>>   CHARGE RN {RN.full}
CHAIR | PATIENT            | ROW ID   | DRY WT | ACCESS  | NOTES
 <<4|7|12>>    | {PT.LF} | {ID:census} | 71.5   | L AVF   | [[HEMODIALYSIS RUN]] 4 H, [[KT/V]] 1.4
 <<5|8|13>>    | {X.LF} | {MRN} | 88.0   | R IJ TDC | [[SOB]], UF HELD
MD ROUNDING: DR {DR.last} ({DR.fl}). {PT.last}: {AGE:age_eq}, [[CHF]], [[HTN]]; {VITALS}.
LABS {LABS}. EPO PER PROTOCOL. TRANSPORT BY {REL.rel} {REL.full} {PHONE.rel}.
MACHINE {DEVICE:hd}. NEXT TX {D.fu:MONTH_d_caps}. NEPHROLOGY FAX {FAX}.
""", upper=True),
    Template("methadone_dosing_log", "nursing", """\
{FAC} -- DOSING WINDOW LOG   {D.today:wd_md}
CLIENT {ID:otp}   {PT.LAST_F}   PHOTO ID CHECKED ({LIC:dl})   {AGE:num}
DOSE [[METHADONE]] <<60|85|110>> MG LIQUID, OBSERVED, {TIME}. TAKE-HOMES X<<0|2|6>> ({DEVICE:bottle}).
UDS: {LABS}. COWS 2. NO SEDATION. [[NALOXONE]] KIT ON HAND.
{PT.first} REPORTS {PT.his} {REL.rel} {REL.full} WILL PICK UP NEXT WEEK (AUTHORIZED, CALL {PHONE.rel}).
MISSED DOSE {D.prev:md}; COUNSELOR {X.fl} INFORMED. DR {DR.last} REVIEWED.
NURSE {RN.full} ({RN.ini2})   {RN.under}
""", upper=True),
    Template("nurse_line_afterhours", "nursing", """\
{FAC} -- AFTER-HOURS TRIAGE CALL   {D.adm:mdy_slash} {TIME}   CALL ID {ID}
CALLER {REL.full} ({REL.rel}) FROM {PHONE.rel}, CALLING ABOUT {PT.full}, {AGE:yrs_paren}, MRN {MRN}
PCP {PCP.full}; CALLBACK {PHONE:ext}

COMPLAINT: [[SOB]] AND SWELLING, HX [[CHF]], [[HTN]]. WEIGHT UP 2 KG SINCE {D.onset:md}.
PROTOCOL: BREATHING PROBLEMS (ADULT). NO CHEST PAIN, SPEAKING FULL SENTENCES. MEDS {MEDS_INLINE}.
DISPOSITION: <<SEE IN OFFICE WITHIN 24 H|GO TO ED NOW -- {HOSP}|CALL 911>>.
CALLER VERBALIZED UNDERSTANDING. ROUTED TO DR {DR.last} IN AM.  RN {RN.fl} / {RN.ini}
""", upper=True),
    Template("workers_comp_form", "nursing", """\
EMPLOYER'S FIRST REPORT OF INJURY / OCCUPATIONAL HEALTH NURSE   CLAIM {ID:wc}
EMPLOYEE {PT.LF}   SSN {SSN}   DOB {D.dob:mdy_slash}   {AGE:num}   PHONE {PHONE.pt}
HOME {STREET}, {CITY}, {STATE} {ZIP}
EMPLOYER <<CANNERY|SAWMILL|FISH PROCESSING PLANT>> IN {CITY}; SUPERVISOR {X.full} {PHONE.sup}

DATE OF INJURY {D.onset:mdy_slash} {TIME}. DESCRIPTION: <<LACERATION L HAND ON BAND SAW|BACK STRAIN \
LIFTING TOTES|FALL ON WET DOCK>>. {SX}. HX [[HTN]].
FIRST AID: [[WOUND IRRIGATION]], STERI-STRIPS. REFERRED TO {HOSP}. DR {DR.full}.
LIGHT DUTY UNTIL {D.fu:mdy_slash}. INSURER {HPLAN}. PRIOR CLAIM {ACCT}.
NURSE {RN.full}, RN, COHN   {RN.under}
""", upper=True),
)
