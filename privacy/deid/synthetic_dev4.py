"""DEV4 world of the synthetic note generator: the fourth held-out world, retired after it was measured once.

It was written as a held-out world (without looking at the recognizers, lexicons or engine) and measured once
(leak 2.44%, see README); it is now open for tuning, and the reported figures come from a fresh held-out world
(synthetic_heldout.py). What differs from tuning (synthetic.py), dev, dev2 and dev3 (synthetic_dev*.py), on
purpose:
- other kinds of documents, mapped onto NOTE_KINDS: release-of-information letters, return-to-work/school
  notes, utilization-review notes, transplant clinic letters (discharge); tumor board summaries, dental
  panoramic films, retinal OCT reports, transfusion-reaction work-ups (radiology); chemotherapy infusion
  visits, genetic counselling notes, wound clinic visits, speech-language swallow evaluations (progress);
  rapid response and code blue records, needlestick occupational-health visits, dental-abscess ED visits (ed);
  ALL-CAPS restraint/seclusion flowsheets, PACU handoffs, vaccine clinic records, chaplain visits (nursing);
- formats none of the earlier worlds writes: dates "Tue 3/4", "MAR-04-2021", "04/Mar/2021", "030421",
  "March 4 2021", "Mar 4 '21", "4 March", "2021.03.04", "March, 2021"; ages "92F" (sex glued), "age=92",
  "92 yoa", "92 y.", "Age (yrs): 92"; names "First M Last" without a dot, "LAST F", "Last,First",
  "a.p." lower-case dotted initials, "first.last" logins, "F Last", "/s/" signatures, possessives;
  phones "+1 (423) 555-0134", "555.555.5555", ", ext. 221" extensions, 6-digit Vocera-style numbers;
  star-masked and unseparated SSNs; Epic "E"-prefixed, zero-padded 10-digit and "AB-123456" MRNs; FIN and
  claim numbers; Medicaid CIN, Kaiser-style and raw MBI plan ids; Texas/Washington licences, DDS and CNA
  licences; IMEI, MAC-address, implant and GS1 (21) serials; "ABC-1234" plates; UNOS, ISBT blood unit,
  tumor-board, genetics-order, ROI-request, rapid-response and occupational-health incident numbers;
- its own messiness (other misspellings, missing space after commas, doubled full stops, space before
  commas, trailing spaces at line ends, lower-cased line starts), applied to literal text only;
- name and place pools disjoint from all four worlds: romanised Japanese, Chinese and Taiwanese names,
  transliterated Russian, Ukrainian and Bulgarian names (Faker locales no earlier world uses), invented
  "-sen/-quist/-gren/-berry/-lof" surnames and "-lyn/-leigh/-ric/-den" given names, and names that are
  ordinary English words no earlier world uses (Brook, Meadow, Spring, Lake, Money, Driver, Rider, Liberty,
  Verity, Chance ...); other cities, streets, hospital and facility naming patterns;
- clinical vocabulary of oncology, transplant, ophthalmology, dermatology, dental, wound care, speech
  pathology, transfusion medicine and anaesthesia, mixed with the shared common vocabulary.
"""

from __future__ import annotations

import datetime as dt
import importlib
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
    _vocab_words,
    ascii_fold,
    dea_number,
    digits,
    draw_name_pools,
    letters,
    medicare_mbi,
    name_pool_words,
    ssn_value,
    tuning_style,
)
from medfl.privacy.deid.synthetic_dev import dev_style, npi, vin
from medfl.privacy.deid.synthetic_dev2 import _FOLD, dev2_style
from medfl.privacy.deid.synthetic_dev3 import dev3_style

# ----------------------------------------------------------------------------- clinical vocabulary
# Shared blocks only get terms that fit any patient; specialty terms are written inline where they belong.
_EXTRA_VOCAB = {
    "drugs": (
        ("tacrolimus", "2 mg"), ("Prograf", "1 mg"), ("mycophenolate", "500 mg"), ("CellCept", "1000 mg"),
        ("latanoprost", "1 drop"), ("timolol", "1 drop"), ("dexamethasone", "4 mg"), ("Decadron", "4 mg"),
        ("allopurinol", "300 mg"), ("finasteride", "5 mg"), ("oxybutynin", "5 mg"), ("cephalexin", "500 mg"),
        ("valganciclovir", "450 mg"), ("Valcyte", "900 mg"), ("ferrous sulfate", "325 mg"),
        ("meloxicam", "15 mg"), ("Mobic", "7.5 mg"), ("prochlorperazine", "10 mg"), ("Compazine", "10 mg"),
        ("magic mouthwash", "10 mL"),
    ),
    "dx": (
        "primary open-angle glaucoma", "wet AMD", "nuclear sclerotic cataract", "BCC", "melanoma in situ",
        "actinic keratosis", "venous stasis ulcer", "diabetic foot ulcer",
        "s/p deceased-donor renal transplant",
        "BRCA2 carrier", "oropharyngeal dysphagia", "moderate protein-calorie malnutrition",
        "rotator cuff tear", "nephrolithiasis", "stage IIIA breast cancer", "DLBCL", "CLL",
    ),
    "symptoms": ("blurry vision", "odynophagia", "pruritus", "hematuria", "knee pain", "mucositis"),
    "procedures": (
        "Mohs surgery", "cataract extraction", "sharp debridement", "TKA", "ACL reconstruction", "cystoscopy",
        "ureteroscopy", "port placement", "modified barium swallow", "FEES", "bone marrow biopsy",
        "renal transplant", "intravitreal injection",
    ),
    "signs": ("Spurling test", "Hawkins-Kennedy test", "Neer sign", "Phalen sign", "anterior drawer test",
              "Thompson test", "Auspitz sign", "Nikolsky sign", "Darier sign", "Kehr sign"),
    "labs": (("ANC", "{:.1f}", 0.2, 8.0), ("tacro trough", "{:.1f}", 3.0, 15.0),
             ("albumin", "{:.1f}", 2.0, 4.8), ("prealbumin", "{:.0f}", 6, 35), ("CEA", "{:.1f}", 0.5, 40.0),
             ("LDH", "{:.0f}", 120, 900)),
    "allergies": ("carboplatin (infusion reaction)", "chlorhexidine (rash)", "cefazolin (hives)",
                  "nickel"),
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
    "wk_md": lambda d: f"{_WD[d.weekday()]} {d.month}/{d.day}",              # Tue 3/4 (weekday is a date)
    "MON_dash": lambda d: f"{MON[d.month].upper()}-{d.day:02d}-{d.year}",    # MAR-04-2021
    "d_slash_mon": lambda d: f"{d.day:02d}/{MON[d.month]}/{d.year}",         # 04/Mar/2021 (blood bank LIS)
    "mmddyy": lambda d: f"{d.month:02d}{d.day:02d}{d.year % 100:02d}",        # 030421
    "month_d_y_nc": lambda d: f"{MONTH[d.month]} {d.day} {d.year}",          # March 4 2021
    "mon_d_apos": lambda d: f"{MON[d.month]} {d.day} '{d.year % 100:02d}",   # Mar 4 '21
    "d_month": lambda d: f"{d.day} {MONTH[d.month]}",                         # 4 March
    "ymd_dot": lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",               # 2021.03.04
    "month_c_y": lambda d: f"{MONTH[d.month]}, {d.year}",                     # March, 2021
}
RANDOM_DATE_FORMATS = ("mdy_slash", "mdy_slash", "md", "mdy2", "iso", "mon_d", "wk_md", "MON_dash",
                       "month_d_y_nc", "mon_d_apos", "d_month", "ymd_dot")

AGE_FORMS = {
    "agesex": ("", ""), "age_eq": ("age=", ""), "yoa": ("", " yoa"), "y_dot": ("", " y."),
    "age_yrs": ("Age (yrs): ", ""), "yo": ("", " y/o"), "num": ("", ""),
}


# ----------------------------------------------------------------------------- identifiers
AREA_CODES = ("218", "320", "507", "651", "701", "605", "308", "620", "918", "479", "501", "662", "601",
              "334", "256", "318", "337", "985", "830", "432", "505", "720", "307", "406", "208", "360",
              "707", "530", "760", "928", "906", "231", "715", "920", "989", "269", "573", "660", "785")


def _parts(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(AREA_CODES), str(rng.randint(220, 979)), digits(rng, 4)


def tel_dash(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}-{b}-{c}"


def tel_paren(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"({a}) {b}-{c}"


def tel_dotted(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}.{b}.{c}"


def tel_plus_paren(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"+1 ({a}) {b}-{c}"


def tel_ext_comma(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}-{b}-{c}, ext. {digits(rng, 3)}"


def vocera_6(rng: random.Random) -> str:
    return str(rng.randint(3, 8)) + digits(rng, 5)


def fax_dash(rng: random.Random) -> str:
    return tel_dash(rng)


def fax_dotted(rng: random.Random) -> str:
    return tel_dotted(rng)


def ssn_hyph(rng: random.Random) -> str:
    return ssn_value(rng)


def ssn_nosep(rng: random.Random) -> str:
    return ssn_value(rng, "")


def ssn_star(rng: random.Random) -> str:
    return f"***-**-{ssn_value(rng)[-4:]}"


def mrn_e9(rng: random.Random) -> str:
    return "E" + str(rng.randint(1, 9)) + digits(rng, 8)


def mrn_pad10(rng: random.Random) -> str:
    return "000" + str(rng.randint(1, 9)) + digits(rng, 6)


def mrn_ab(rng: random.Random) -> str:
    return f"{letters(rng, 2)}-{digits(rng, 6)}"


def mrn_plain9(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, 8)


def fin_12(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + digits(rng, 11)


def acct_v_dash(rng: random.Random) -> str:
    return f"V-{digits(rng, 10)}"


def claim_14(rng: random.Random) -> str:
    return f"{rng.randint(20, 24)}{digits(rng, 12)}"


def hp_cin(rng: random.Random) -> str:  # NY Medicaid CIN style: AB12345C
    return f"{letters(rng, 2)}{digits(rng, 5)}{letters(rng, 1)}"


def hp_9lead(rng: random.Random) -> str:
    return "9" + digits(rng, 8)


def hp_kp(rng: random.Random) -> str:
    return "KP" + digits(rng, 8)


def hp_mbi_raw(rng: random.Random) -> str:
    return medicare_mbi(rng, dashes=False)


def hp_grp_5(rng: random.Random) -> str:
    return digits(rng, 5) + letters(rng, 1)


def dl_tx(rng: random.Random) -> str:
    return str(rng.randint(1, 4)) + digits(rng, 7)


def dl_wa(rng: random.Random) -> str:
    return "WDL" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(9))


def lic_dds(rng: random.Random) -> str:
    return f"DDS-{digits(rng, 5)}"


def lic_cna(rng: random.Random) -> str:
    return f"CNA{digits(rng, 7)}"


def lic_md_state(rng: random.Random) -> str:
    return f"{rng.choice(('MN', 'ND', 'NM', 'MT'))}-{digits(rng, 5)}"


def dea_chk(rng: random.Random) -> str:
    return dea_number(rng)


def npi_chk(rng: random.Random) -> str:
    return npi(rng)


def imei_15(rng: random.Random) -> str:
    return "35" + digits(rng, 13)


def mac_addr(rng: random.Random) -> str:
    return ":".join(f"{rng.randint(0, 255):02X}" for _ in range(6))


def implant_sn(rng: random.Random) -> str:
    return f"{letters(rng, 2)}{digits(rng, 4)}-{letters(rng, 1)}{digits(rng, 2)}"


def gs1_serial(rng: random.Random) -> str:
    return f"(01)0{digits(rng, 13)}(21){digits(rng, 8)}"


def pump_sn_alpha(rng: random.Random) -> str:
    return f"SN{digits(rng, 7)}{letters(rng, 1)}"


def plate_3l4d(rng: random.Random) -> str:
    return f"{letters(rng, 3)}-{digits(rng, 4)}"


def plate_mixed(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{letters(rng, 2)}{rng.randint(1, 9)}{letters(rng, 1)}{digits(rng, 2)}"


def vin_17(rng: random.Random) -> str:
    return vin(rng)


def unos_id(rng: random.Random) -> str:
    return f"{letters(rng, 3)}{digits(rng, 3)}"


def isbt_din(rng: random.Random) -> str:  # ISBT 128 donation number: facility, year, sequence
    return f"W{digits(rng, 4)} {rng.randint(20, 24)} {digits(rng, 6)}"


def tumor_board_case(rng: random.Random) -> str:
    return f"TB-{rng.randint(20, 24)}-{digits(rng, 3)}"


def genetics_order(rng: random.Random) -> str:
    return f"GX{digits(rng, 7)}"


def roi_request(rng: random.Random) -> str:
    return f"ROI{digits(rng, 6)}"


def rrt_event(rng: random.Random) -> str:
    return f"RRT-{digits(rng, 5)}"


def occ_incident(rng: random.Random) -> str:
    return f"OH{rng.randint(20, 24)}-{digits(rng, 4)}"


def ur_review(rng: random.Random) -> str:
    return f"UR{digits(rng, 8)}"


def type_screen(rng: random.Random) -> str:
    return f"BB{digits(rng, 6)}"


def ip_cgnat(rng: random.Random) -> str:
    return f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ip_ten(rng: random.Random) -> str:
    return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _ids() -> dict[str, tuple]:
    return {
        "PHONE": (tel_dash, tel_dash, tel_paren, tel_paren, tel_dotted, tel_plus_paren),
        "PHONE:ext": (tel_ext_comma,),
        "PHONE:vocera": (vocera_6,),
        "FAX": (fax_dash, fax_dotted),
        "SSN": (ssn_hyph, ssn_hyph, ssn_nosep, ssn_star),
        "MRN": (mrn_e9, mrn_pad10, mrn_ab, mrn_plain9, mrn_plain9),
        "ACCT": (fin_12, acct_v_dash),
        "ACCT:claim": (claim_14,),
        "HPLAN": (hp_cin, hp_9lead, hp_kp),
        "HPLAN:medicare": (hp_mbi_raw,),
        "HPLAN:grp": (hp_grp_5,),
        "LIC": (lic_md_state, lic_dds, lic_cna),
        "LIC:dea": (dea_chk,),
        "LIC:npi": (npi_chk,),
        "LIC:dl": (dl_tx, dl_wa),
        "DEVICE": (pump_sn_alpha, implant_sn),
        "DEVICE:phone": (imei_15,),
        "DEVICE:mac": (mac_addr,),
        "DEVICE:gs1": (gs1_serial,),
        "VEHICLE": (plate_3l4d, plate_mixed, vin_17),
        "ID": (type_screen,),
        "ID:unos": (unos_id,),
        "ID:din": (isbt_din,),
        "ID:tb": (tumor_board_case,),
        "ID:gx": (genetics_order,),
        "ID:roi": (roi_request,),
        "ID:rrt": (rrt_event,),
        "ID:occ": (occ_incident,),
        "ID:ur": (ur_review,),
        "IP": (ip_cgnat, ip_ten),
    }


# ----------------------------------------------------------------------------- name forms
def _name_forms(p) -> dict[str, str]:
    return {
        "fm_l": f"{p.first} {p.middle[0]} {p.last}",              # Haruto K Sorensen (no dot)
        "LASTi": f"{p.last.upper()} {p.first[0]}",                # SORENSEN H
        "lfc": f"{p.last},{p.first}",                             # Sorensen,Haruto
        "inidotlow": f"{p.first[0]}.{p.last[0]}.".lower(),        # h.s.
        "login": f"{p.first}.{p.last}".lower(),                   # haruto.sorensen
        "fl_nodot": f"{p.first[0]} {p.last}",                     # H Sorensen
    }


# ----------------------------------------------------------------------------- messiness
_MISSPELL = (("consent", "consnet"), ("discharge", "dischrage"), ("infusion", "infusoin"),
             ("swallow", "swalow"), ("therapy", "theraphy"), ("evaluation", "evaulation"),
             ("reviewed", "reveiwed"), ("scheduled", "schedueled"), ("continue", "contiue"),
             ("received", "recevied"), ("family", "famly"), ("wound", "wuond"), ("tolerated", "tolarated"))


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
        elif r < 2 * level:  # no space after a comma
            i = mid.find(", ")
            if 0 < i < len(mid) - 2 and mid[i + 2].isalpha():
                mid = mid[:i + 1] + mid[i + 2:]
        elif r < 3.0 * level:  # doubled full stop
            i = mid.find(". ")
            if 0 < i and mid[i - 1].isalpha():
                mid = mid[:i] + ".." + mid[i + 1:]
        elif r < 3.6 * level:  # space before a comma (dictation software)
            i = mid.find(", ")
            if 0 < i and mid[i - 1].isalpha():
                mid = mid[:i] + " ," + mid[i + 1:]
        elif r < 4.6 * level:  # trailing spaces at a line end
            i = mid.find("\n")
            if 0 < i and mid[i - 1] not in " \n":
                mid = mid[:i] + "  " + mid[i:]
        elif r < 5.2 * level:  # line typed without the shift key
            i = mid.find("\n")
            if 0 <= i < len(mid) - 2 and mid[i + 1].isupper() and mid[i + 2].islower():
                mid = mid[:i + 1] + mid[i + 1].lower() + mid[i + 2:]
        return head + mid + tail

    return mess


# ----------------------------------------------------------------------------- pools
def _cyr(s: str) -> str:
    table = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
             "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
             "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
             "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "є": "ye", "і": "i", "ї": "yi",
             "ґ": "g", "'": ""}
    out = "".join(table.get(ch.lower(), ch) if ch.lower() in table else ch for ch in s)
    return out[:1].upper() + out[1:] if s[:1].isupper() else out


def _romanized(loc: str) -> tuple[list[str], list[str], list[str]]:
    p = importlib.import_module(f"faker.providers.person.{loc}").Provider
    first = list(getattr(p, "first_romanized_names", ()) or ())
    male = list(getattr(p, "first_romanized_names_male", ()) or ()) or first
    female = list(getattr(p, "first_romanized_names_female", ()) or ()) or first
    return male, female, list(getattr(p, "last_romanized_names", ()) or ())


def _cyrillic(loc: str) -> tuple[list[str], list[str], list[str]]:
    p = importlib.import_module(f"faker.providers.person.{loc}").Provider
    male = list(getattr(p, "first_names_male", ()) or ())
    female = list(getattr(p, "first_names_female", ()) or ())
    last = list(getattr(p, "last_names_male", ()) or getattr(p, "last_names", ()) or ())
    return [_cyr(str(x)) for x in male], [_cyr(str(x)) for x in female], [_cyr(str(x)) for x in last]


# locale -> (male, female, last) caps, so no single locale dominates
_LOCALE_CAPS = {"ja_JP": (60, 60, 120), "zh_CN": (0, 0, 60), "zh_TW": (50, 50, 40), "ru_RU": (50, 50, 200),
                "uk_UA": (50, 50, 200), "bg_BG": (30, 30, 120)}
# real surnames / given names that are also ordinary English words
_WORD_LAST = ("Brook", "Forest", "Glass", "Hawk", "Meadow", "Barley", "Plum", "Apple", "Pine", "Slate",
              "Shore", "Lake", "Rain", "Spring", "Star", "Quick", "Bold", "Jolly", "Friend", "Abbot",
              "Falconer", "Plowman", "Rider", "Driver", "Sailor", "Seaman", "Shipman", "Kitchen", "Mill",
              "Gate", "Towers", "Beacon", "Banner", "Fiddler", "Dancer", "Money", "Moor", "Fell", "Stringer",
              "Cutler", "Hatter", "Bowyer", "Draper", "Salter")
_WORD_FIRST_F = ("Chastity", "Temperance", "Verity", "Liberty", "Unity", "Rue", "Saffron", "Dahlia",
                 "Magnolia", "Marigold", "Pansy", "Primrose", "Tulip", "Goldie")
_WORD_FIRST_M = ("Chance", "Ash", "Rider", "Dell", "Beacon")

_SUR_HEAD = ("Alm", "Berg", "Dahl", "Ek", "Holm", "Lind", "Nord", "Sand", "Strand", "Vik", "Blom", "Fager",
             "Hag", "Kvist", "Lund", "Rask", "Tor", "Wick", "Hazel", "Bram", "Cran", "Elder", "Goose",
             "Mul", "Rasp", "Thim")
_SUR_TAIL = ("sen", "quist", "gren", "berry", "lof")
_GIVEN_HEAD = ("Kay", "Bray", "Jay", "Ash", "Rae", "Tam", "Dar", "Jer", "Ker", "Mad", "Bren", "Cor", "Kend",
               "Tal", "Sher")
_GIVEN_TAIL_F = ("lyn", "leigh", "anne", "ella", "issa")
_GIVEN_TAIL_M = ("ric", "den", "ston", "vin", "lon")


DEV4_CITIES = (
    "Bemidji", "Brainerd", "Owatonna", "Winona", "Hibbing", "Escanaba", "Alpena", "Petoskey",
    "Sault Ste. Marie", "Rhinelander", "Sheboygan", "Manitowoc", "Stevens Point", "Dickinson", "Jamestown",
    "Williston", "Pierre", "Spearfish", "McCook", "Liberal", "Great Bend", "Hot Springs", "Conway",
    "Cullman", "Selma", "Ruston", "Opelousas", "Bogalusa", "Natchitoches", "Del Rio", "Kerrville",
    "Brownwood", "Pecos", "Taos", "Trinidad", "Riverton", "Havre", "Port Angeles", "Ukiah", "Barstow",
    "Show Low", "Ely", "Winnemucca", "Hope", "Moorhead", "Valley City", "Devils Lake", "Fergus Falls",
    "Thief River Falls", "Detroit Lakes", "Willmar", "New Ulm", "Albert Lea", "Ironwood", "Houghton",
    "Iron Mountain", "Menominee", "Cadillac", "Big Rapids", "Ludington", "Manistee", "Marinette", "Antigo",
    "Ashland", "Superior", "Cloquet", "International Falls", "Grand Rapids", "Park Rapids", "Wahpeton",
    "Mandan", "Watford City", "Mitchell", "Yankton", "Brookings", "Huron", "Vermillion", "Chadron",
    "Alliance", "Ogallala", "Beatrice", "Pratt", "Colby", "Goodland", "Guymon", "Woodward", "Altus",
    "Durant", "McAlester", "Harrison", "Mountain Home", "Russellville", "Magnolia", "El Dorado",
    "Batesville", "Clarksdale", "Oxford", "Starkville", "McComb", "Picayune", "Enterprise", "Andalusia",
    "Ozark", "Eufaula", "Crowley", "Abbeville", "Thibodaux", "Morgan City", "Minden", "Uvalde",
    "Eagle Pass", "Alpine", "Fort Stockton", "Artesia", "Carlsbad", "Deming", "Silver City", "Socorro",
    "Raton", "Espanola", "Alamosa", "Montrose", "Lamar", "Rawlins", "Worland", "Cody", "Lander",
    "Glendive", "Miles City", "Lewistown", "Dillon", "Sandpoint", "Moscow", "Blackfoot", "Rexburg",
    "Ellensburg", "Moses Lake", "Omak", "Centralia", "Crescent City", "Susanville", "Truckee",
    "Ridgecrest", "Nogales", "Safford", "Payson", "Fallon", "Tonopah", "Pahrump",
)
_STREET_WORDS = (
    "Tamarack", "Basswood", "Chokecherry", "Juniper", "Aspen", "Cottonwood", "Sagebrush", "Mesquite", "Yucca",
    "Larch", "Spruce", "Hemlock", "Ironwood", "Buffalo Grass", "Prairie Rose", "Sandhill", "Coulee",
    "Butte View", "Loon Lake", "Walleye", "Rimrock", "Kestrel", "Heron", "Osprey", "Pheasant", "Old Mill",
    "Railroad", "Grain Elevator", "Section Line", "Township Road 7", "Frontage", "Sixth", "Seventh",
    "14th", "22nd", "Ridgeview", "Lakeshore", "Bluff", "Arrowhead", "Timberline",
)
_STATES = ("MN", "ND", "SD", "KS", "OK", "AR", "MS", "AL", "LA", "NM", "MT", "ID", "Minnesota", "Montana",
           "N. Dak.", "Ark.")
_SAINTS = ("St. Alexius", "St. Cloud", "St. Gabriel's", "St. Benedict's", "St. Dominic", "St. Bernards",
           "St. Patrick", "St. Claire")
_FAC_WORDS = ("Aspen", "Bluestem", "Wheatland", "Big Sky", "Red River", "High Plains", "Bitterroot",
              "Mesa Verde")


def _locale_lists():
    """(caps, folded name lists) per locale: romanised Japanese/Chinese, transliterated Cyrillic."""
    for loc, caps in _LOCALE_CAPS.items():
        lists = _romanized(loc) if loc[:2] in ("ja", "zh") else _cyrillic(loc)
        yield caps, [[ascii_fold(str(x).translate(_FOLD)) for x in lst] for lst in lists]


@lru_cache(maxsize=1)
def dev4_style() -> Style:
    others = (tuning_style(), dev_style(), dev2_style(), dev3_style())
    vocab = _vocab()
    cities = {c.lower() for s in others for c in s.cities} | {c.lower() for c in DEV4_CITIES}
    used = set().union(*(name_pool_words(s) for s in others))
    # word names are exempt from the vocabulary ban only, never from disjointness
    word_names = {w.lower() for w in (*_WORD_LAST, *_WORD_FIRST_F, *_WORD_FIRST_M)} - used - cities
    banned = (_NON_NAMES | used | cities | {w.lower() for w in _STREET_WORDS}
              | (_vocab_words(vocab) - word_names))
    rng = random.Random("heldout-4-pools")
    male, female, last = draw_name_pools(
        rng, _locale_lists(), banned, word_names,
        invented=((_SUR_HEAD, _SUR_TAIL, 70), (_GIVEN_HEAD, _GIVEN_TAIL_F, 45),
                  (_GIVEN_HEAD, _GIVEN_TAIL_M, 45)),
        words=(_WORD_LAST, _WORD_FIRST_F, _WORD_FIRST_M))
    c = [x for x in DEV4_CITIES if x.lower() not in {y.lower() for s in others for y in s.cities}]
    hospitals = sorted({
        *(f"{x} Community Hospital" for x in c[:10]),
        *(f"{x} Clinic" for x in c[10:16]),
        *(f"{s} Hospital" for s in _SAINTS[:4]),
        *(f"{s} Medical Center" for s in _SAINTS[4:]),
        *(f"Baptist Memorial Hospital-{x}" for x in c[16:20]),
        *(f"{x} Lutheran Hospital" for x in c[20:24]),
        *(f"VA {x} Health Care System" for x in c[24:27]),
        *(f"{x} Children's Hospital" for x in c[27:29]),
        *(f"{rng.choice(last)} Cancer Institute" for _ in range(4)),
        *(f"{rng.choice(last)} Eye Institute" for _ in range(3)),
        *(f"Sanford {x} Medical Center" for x in c[29:33]),
        *(f"{x} Regional Health" for x in c[33:40]),
    })
    facilities = sorted({
        *(f"{x} Wound Care Center" for x in c[40:45]),
        *(f"{x} Surgery Center" for x in c[45:50]),
        *(f"{rng.choice(last)} Family Dental" for _ in range(4)),
        *(f"{x} Veterans Home" for x in c[50:53]),
        *(f"{w} Infusion Suites" for w in _FAC_WORDS[:4]),
        *(f"{w} Pointe Senior Living" for w in _FAC_WORDS[4:]),
        *(f"{x} Occupational Medicine" for x in c[53:57]),
        *(f"{x} Transitional Care Unit" for x in c[57:62]),
    })
    # a pattern may coincide with an earlier world's name ("Moorhead Clinic"): drop those
    used_places = set().union(*({h.lower() for h in s.hospitals + s.facilities} for s in others))
    hospitals = [h for h in hospitals if h.lower() not in used_places]
    facilities = [f for f in facilities if f.lower() not in used_places]
    used_streets = set().union(*(set(s.street_names) for s in others))
    street_names = tuple(w for w in (*_STREET_WORDS, *last[:100]) if w not in used_streets)
    return Style(
        name="dev4",
        templates=DEV4_TEMPLATES,
        first_male=tuple(male), first_female=tuple(female), last=tuple(last),
        cities=tuple(c),
        street_names=street_names,
        street_suffixes=("St. NW", "Ave. S", "Trl", "Way", "Pass", "Rdg", "Cres.", "Bypass", "Court",
                         "Street", "Avenue", "Dr.", "Rd", "Ave SE", "Cir."),
        units=("", "", "", "", "Apt {l}", "#{n}{l}", "Unit #{n}", "Spc {n}", "Suite {n}"),
        hospitals=tuple(hospitals), facilities=tuple(facilities),
        email_domains=("rocketmail.com", "tds.net", "midco.net", "mchsi.com", "cableone.net", "optonline.net",
                       "zoho.com", "fastmail.com", "hughes.net"),
        web_hosts=("roi", "careteam", "billing", "vaccines", "trials", "genetics"),
        states=_STATES,
        date_formats=DATE_FORMATS,
        random_date_formats=RANDOM_DATE_FORMATS,
        name_forms=("full", "lf", "fm_l", "fl_nodot", "last", "LF", "lfc", "mid"),
        age_forms=AGE_FORMS,
        ids=_ids(),
        email_forms=("{last}_{first}@{domain}", "{f}{last}.{nn}@{domain}", "{first}{nn}{last}@{domain}",
                     "{first}.{last}@{domain}"),
        url_forms=("http://{hslug}.org/{host}", "https://{host}.{hslug}.net/r/{id}",
                   "{hslug}.org/forms/{host}-release.pdf", "https://www.{hslug}.org/{host}#{id}"),
        bullets=("~ ", "{i}/ ", "> ", "[{i}] ", "-- "),
        vocab=vocab,
        mess=_mess_factory,
        p_old=0.3,
        extra_name_forms=_name_forms,
    )


# ----------------------------------------------------------------------------- templates
DEV4_TEMPLATES = (
    # ------------------------------------------------------------------ discharge
    Template("roi_records_letter", "discharge", """\
{HOSP} - Health Information Management / Release of Information
{STREET}, {CITY}, {STATE} {ZIP}   Phone {PHONE.him}   Fax {FAX}

{D.today:month_d_y_nc}

RE: request {ID:roi}
Patient: {PT.lfc}   DOB: {D.dob:mdy_slash}   MRN: {MRN}   SSN on request: {SSN}

Dear {X.mr} {X.last},

We received the authorization signed by {PT.full} on {D.prev:d_month} for release of records of the \
admission of {D.adm:mdy2} to {D.dis:mdy2} (discharge diagnosis {DX}) to {FAC}. <<Records were sent by \
secure e-mail to {EMAIL.rel}.|Records are available for 30 days at {URL}.>> Psychotherapy notes and \
substance-use treatment records (42 CFR Part 2) were not included.
Identity verified with driver's license {LIC:dl}; request logged by {X.fl} on {D.today:d_mon_y}.
Questions: call {PHONE.him:ext} or write to {EMAIL.him}.

/s/ {DR.full}
Release of Information Specialist, HIM
cc: {PCP.fl_nodot}, MD
"""),
    Template("return_to_work_note", "discharge", """\
{HOSP2}  *  Occupational & Urgent Care
WORK / SCHOOL EXCUSE

Date: {D.dis:wk_md}
To whom it may concern,
{PT.fm_l} (DOB {D.dob:mdy2}) was seen in our clinic on {D.adm:mon_d} for {DX}. \
<<{PT.He} may return to work on {D.fu:month_d_y_nc} with restrictions: no lifting over 10 lb, no ladders.|\
Please excuse {PT.him} from school/work from {D.adm:md} through {D.dis:md}.|\
{PT.He} is unable to work until re-evaluated by Dr. {DR2.last} on {D.fu:mon_d}.>>
Employer: <<{FAC}|{CITY} school district|Tri-County Grain Co-op>>   Claim #: {ACCT:claim}
Diagnosis and restrictions discussed with {PT.first}; copy scanned to chart {MRN}.
If you have questions please call {PHONE.clinic}.

Rx given: <<[[meloxicam]] 15 mg daily x 10 days|[[cyclobenzaprine]] 5 mg QHS PRN|none>>. Follow up on the \
{D.lab:nth}.
{DR.full}, <<MD|DO|PA-C|FNP-C>>   NPI {LIC:npi}   DEA {LIC:dea}
"""),
    Template("utilization_review", "discharge", """\
UTILIZATION REVIEW / CASE MANAGEMENT NOTE   {D.today:MON_dash}
Pt: {PT.LF}  {AGE:agesex}{PT.mf}  FIN {ACCT}  MRN {MRN}
Payer: <<Medicaid, CIN {HPLAN}|Medicare A/B, MBI {HPLAN:medicare}|commercial, member {HPLAN}, \
group {HPLAN:grp}>>   Review # {ID:ur}
Level of care: <<inpatient|observation>>, admitted {D.adm:mdy_slash} for {DX}. InterQual criteria \
<<met|not met, physician advisor {DR2.fl_nodot} consulted>>.
Clinical: {VITALS}; {LABS}. On {DRUG} {ROUTE}.
Barriers to discharge: lives alone at {STREET}, {CITY}; {PT.his} {REL.rel}, {REL.full}, works nights \
(cell {PHONE.rel}). Needs <<SNF placement|home health|DME: hospital bed and commode>>.
Referrals sent to {FAC} and {HOSP2} on {D.today:mon_d_apos}; reviewer at payer: {X.full}, RN, \
{PHONE.payer}, fax {FAX}.
Anticipated discharge {D.dis:md}. Will follow.
{RN.full}, RN, CCM
"""),
    Template("transplant_clinic_letter", "discharge", """\
{HOSP} Kidney & Pancreas Transplant Program
{D.today:month_d_y}

Dear Dr. {PCP.last},

I saw your patient {PT.mr} {PT.last} ({PT.full}, MRN {MRN}) in transplant clinic today. {PT.He} is a \
{AGE:num}-year-old {PT.sex} with ESRD from {DX}, now <<3|6|14>> months s/p [[deceased-donor kidney \
transplant]] on {D.prev:ymd_dot} (UNOS {ID:unos}), induction with [[thymoglobulin]].
Since {PT.his} last visit on {D.onset:d_month}, {PT.he} reports {SX}. {PT.mr} {PT.last}'s creatinine is \
stable. Labs: {LABS}; [[BK virus PCR]] <<negative|low-level positive>>.
Immunosuppression: [[tacrolimus]] (goal trough 6-8), [[mycophenolate]] 500 mg BID, [[prednisone]] 5 mg daily.
Prophylaxis: [[valganciclovir]], [[Bactrim SS]].
Plan:
{PLAN}
We will see {PT.him} again on {D.fu:mon_d}. Our transplant coordinator, {RN.full}, can be reached at \
{PHONE.tx} or {EMAIL.rn}.

Sincerely,
{DR.full}, MD, Transplant Nephrology
"""),
    # ------------------------------------------------------------------ radiology (and other reports)
    Template("tumor_board_summary", "radiology", """\
MULTIDISCIPLINARY TUMOR BOARD - {HOSP}
Case {ID:tb}   Conference date {D.today:wk_md}
{PT.lf}  |  {MRN}  |  {AGE:age_yrs}  |  referring: Dr. {DR2.last}

Diagnosis: <<[[stage IIIA breast cancer]], ER+/PR+/HER2-|[[DLBCL]], stage II|[[pancreatic head mass]]>>, \
biopsy {D.prev:mdy_slash}.
Imaging reviewed: [[PET/CT]] {D.onset:iso}:
{IMAGING}
Pathology (Dr. {X.last}): margins <<negative|close, 1 mm>>, <<2/14|0/3>> nodes.
Genetics: {PT.first}'s <<mother|sister>> had ovarian cancer; referred for counseling (order {ID:gx}).
Discussion: {DX}; considered [[neoadjuvant chemotherapy]] vs upfront surgery.
Recommendation:
{IMPRESSION}
Marker clip UDI {DEVICE:gs1}. Next imaging due {D.next:d_mon_y}.
Present: {DR.full} (med onc), {DR2.full} (surgery), {X.fm_l} (rad onc), {X.full} (pathology), \
{RN.fl_nodot} (navigator, {PHONE.nav}).
"""),
    Template("dental_panorex", "radiology", """\
{FAC}
PANORAMIC RADIOGRAPH REPORT
Patient: {PT.full}   Chart {MRN}   DOB {D.dob:mmddyy}   Exam {D.adm:mmddyy}
Referred by: {DR2.full}, DDS   License {LIC}

Findings: <<#17 and #32 impacted, mesioangular|periapical radiolucency at #19, 6 mm|\
generalized horizontal bone loss, moderate>>. [[Caries]] #3, #14. [[Mandibular canal]] intact bilaterally. \
Maxillary sinuses clear. No [[TMJ]] degenerative change.
Impression: <<recommend extraction under IV sedation|endodontic evaluation #19|periodontal referral>>.
Medical hx: {PMH_INLINE}. Meds: {MEDS_INLINE}.
Consent for extraction signed by {PT.fl_nodot}; {PT.his} {REL.rel} {REL.first} will drive after sedation \
(cell {PHONE.rel}).
Pre-op instructions: NPO after midnight, hold [[metformin]] morning of surgery. Insurance: dental plan \
member {HPLAN}.
Read by {DR.fl_nodot}, DMD on {D.adm:mon_d}.
"""),
    Template("retina_oct_report", "radiology", """\
{HOSP2} Eye Institute - OCT MACULA, BOTH EYES
{PT.LF}   ({MRN})   {D.today:mon_d_apos}
Indication: {AGE:yo} {PT.mf} with <<[[wet AMD]]|[[diabetic macular edema]]|[[epiretinal membrane]]>>, \
f/u after [[intravitreal injection]] #<<4|7|11>> of [[aflibercept]].
Device: Cirrus 5000, serial {DEVICE}, network adapter {DEVICE:mac}; uploaded from {IP}.
OD: central subfield thickness <<312|268|401>> um, <<small SRF nasally|no SRF/IRF|persistent IRF>>.
OS: CST <<255|289>> um, drusen, no fluid.
VA cc: OD 20/<<40|60|80>>, OS 20/25. IOP 16/17 ([[latanoprost]] qHS OU).
Impression: {DX}; <<treat-and-extend to 8 wks|repeat injection today OD>>.
Plan: next injection {D.fu:wk_md}; {PT.mr} {PT.last} does not drive after dilation, {PT.his} {REL.rel} \
{REL.full} brings {PT.him} ({PHONE.rel}).
Interpreted by {DR.full}, MD. Tech: {X.inidotlow}
"""),
    Template("transfusion_reaction_workup", "radiology", """\
BLOOD BANK - TRANSFUSION REACTION INVESTIGATION
{HOSP}   Transfusion Service   Medical director: {DR.full}, MD
Patient {PT.LASTi}   MRN {MRN}   Type & screen {ID}   ABO/Rh <<O POS|A NEG|B POS>>
Unit DIN {ID:din}   Component: <<RBC, leukoreduced|apheresis platelets|FFP>>   issued \
{D.proc:d_slash_mon} {TIME}

Reaction reported by {RN.full}, RN ({PHONE.unit:vocera}) at {TIME}: <<[[febrile non-hemolytic reaction]], \
T rose 1.4 C|[[urticaria]] on chest and arms|dyspnea, SpO2 88%>>. Transfusion stopped after ~<<80|120>> mL.
Clerical check: correct. Post-transfusion DAT <<negative|negative (IgG, C3)>>. Visual hemolysis: none. \
Repeat ABO/Rh concordant. Bilirubin, LDH, haptoglobin sent. Urine negative for hemoglobin. Culture of bag \
sent.
Interpretation: <<[[FNHTR]]; premedicate with acetaminophen|mild allergic reaction; diphenhydramine \
before future transfusions|possible [[TACO]], report to hemovigilance>>.
Reported to Dr. {DR2.last} on {D.proc:month_d_y_nc}. Previous transfusion {D.prev:d_slash_mon} at {HOSP2}.
"""),
    # ------------------------------------------------------------------ progress
    Template("chemo_infusion_note", "progress", """\
Infusion Center Visit   {D.today:month_d_y_nc}   {FAC}
{PT.full}   MRN {MRN}   Cycle <<2|3|4|6>> Day 1   Regimen: <<[[carboplatin]]/[[paclitaxel]]|[[FOLFOX]]|\
[[R-CHOP]]|[[pembrolizumab]]>>
Oncologist: Dr. {DR.last}   Port placed {D.prev:mon_d_apos}, [[port]] accessed without difficulty, +blood \
return.

Interval hx: {PT.first} reports {SX} and <<grade 1 [[neuropathy]] in fingertips|[[mucositis]] improving with \
[[magic mouthwash]]|fatigue, still walking daily>>. No fevers. {PT.His} {REL.rel} {REL.first} drove \
{PT.him} today.
{VITALS}.  Wt stable. ECOG <<0|1|2>>.
Labs: {LABS}. Treatment parameters met; <<proceed|dose-reduced 20% per Dr. {DR.last}>>.
Premeds: [[ondansetron]] 16 mg IV, [[dexamethasone]] 12 mg IV, [[famotidine]] 20 mg IV.
Tolerated well, no [[infusion reaction]]. [[GI]] toxicity: none beyond grade 1 nausea. Pump for home 5-FU \
<<not applicable|connected, SN {DEVICE}>>.
Portal message this morning: "hi this is {PT.lower}, can i get my [[Compazine]] refilled" - refilled.
Home symptom-monitoring tablet IMEI {DEVICE:phone} reassigned to {PT.him}.
Next: C<<3|4|5>>D1 {D.fu:wk_md}. Neulasta on-body injector applied. Triage line {PHONE.triage}.
{RN.full}, RN, OCN
"""),
    Template("genetic_counseling", "progress", """\
GENETIC COUNSELING NOTE
{HOSP} Cancer Genetics   Visit {D.today:d_month}   (telehealth, {PT.he} joined from {CITY})
Patient: {PT.lf}   DOB {D.dob:month_d_y}   {AGE:age_yrs}   MRN {MRN}   order {ID:gx}
Referred by: {DR2.full}, MD

Indication: personal history of <<breast cancer at 44|colon cancer at 39|[[pancreatic adenocarcinoma]]>>.
Family history (pedigree in media tab): {PT.his} <<mother|father>> {X.first} had ovarian cancer at 52; \
maternal aunt {X.first} {X.last}, breast cancer in her 40s; paternal grandfather died at 71. \
Ashkenazi ancestry <<denied|reported>>.
Discussed [[hereditary breast and ovarian cancer syndrome]], [[Lynch syndrome]], autosomal dominant \
inheritance, 50% risk to each child, GINA protections.
Consent obtained for a <<47|84>>-gene panel. Result: <<pathogenic [[BRCA2]] variant c.5946delT|\
[[VUS]] in ATM|negative>>.
Plan: cascade testing offered to {PT.his} {REL.rel} {REL.full} ({EMAIL.rel}); letter to relatives given.
Results letter mailed to {STREET}, {CITY}, {STATE} {ZIP} on {D.fu:d_mon_y}.
Patient-facing summary and family letter posted to {URL}.
Time: 55 min, >50% counseling.
{X.full}, MS, CGC
"""),
    Template("wound_clinic_visit", "progress", """\
{FAC} - Wound & Hyperbaric Clinic
Date of service: {D.today:mdy_slash}    Patient: {PT.LF}    {AGE:yoa} {PT.sex}    Acct {ACCT}
Referring: {PCP.full}, NP

Wound #1: <<[[venous stasis ulcer]] R medial malleolus|[[diabetic foot ulcer]] L plantar 1st MTP|\
[[pressure injury]] sacrum, stage 4>>, present since {D.prev:month_c_y}.
Measurements: <<3.2 x 2.1 x 0.4|5.0 x 4.4 x 1.1|1.8 x 1.5 x 0.2>> cm, undermining 0.5 cm at 12 o'clock. \
Wound bed 70% granulation, 30% slough. Moderate serous drainage. Periwound macerated.
Procedure: [[sharp debridement]] to subcutaneous tissue with curette, 4.2 sq cm; hemostasis with pressure.
Dressing: [[calcium alginate]], ABD, [[Unna boot]]/<<3-layer compression|offloading boot>>.
<<[[HBOT]] dive 14 of 40 at 2.4 ATA, tolerated.|Ankle-brachial index 0.92 R.|>>
HbA1c 8.1%. Albumin low; dietitian referral.
Photos uploaded ({PT.lastlower}_wound1.jpg). RTC 1 week ({D.fu:md}). {PT.mr} {PT.last} and {PT.his} \
{REL.rel} educated on \
dressing changes.
{DR.full}, DPM
"""),
    Template("slp_swallow_eval", "progress", """\
SPEECH-LANGUAGE PATHOLOGY - CLINICAL SWALLOW EVALUATION
{PT.lf}   rm 3<<14|22|08>>   {MRN}   {D.today:iso}   {AGE:yoa} {PT.mf}
Ordered by {DR.fl_nodot}, MD for {DX}; hx {PMH_INLINE}.

Pt seen upright in bed, alert, following 1-step commands. {PT.His} {REL.rel} present.
Oral mech: <<mild R facial droop|reduced lingual strength|WFL>>. Voice <<wet after thin \
liquids|hoarse|clear>>.
Trials: ice chips, thin via cup and straw, nectar-thick, puree, mech soft. <<Immediate cough with thin \
liquids x3.|Delayed swallow initiation, multiple swallows per bolus.|No overt s/s aspiration.>>
Impression: <<moderate [[oropharyngeal dysphagia]]|mild [[oral dysphagia]]|functional swallow>>.
Recs: <<[[IDDSI]] level 5 minced & moist, mildly thick liquids|regular diet, thin liquids>>, meds \
crushed in puree, 1:1 supervision, HOB > 45. [[MBS]] scheduled {D.fu:md}. [[Aspiration precautions]] sign \
posted.
Discussed with RN {RN.first} and Dr. {DR.last}.
{X.full}, M.S., CCC-SLP
"""),
    # ------------------------------------------------------------------ ed
    Template("rapid_response", "ed", """\
RAPID RESPONSE TEAM RECORD   event {ID:rrt}
{HOSP}, unit 5 North   called {D.adm:mdy_slash} at {TIME} by {RN.full}, RN
Patient: {PT.full}   MRN {MRN}   {AGE:y_dot} {PT.mf}   Attending: Dr. {DR2.last}

Reason for call: [[SOB]], <<acute change in mental status|SpO2 84% on 4L|SBP 78|HR 148>>.
Background: admitted {D.adm:mon_d} with {DX}; {PMH_INLINE}.
Assessment on arrival: {VITALS}. {EXAM_INLINE}.
Interventions: <<500 mL LR bolus, [[blood cultures]] x2, lactate|[[nonrebreather]], ABG, portable CXR|\
[[naloxone]] 0.4 mg IV with improvement|fingerstick 42, D50 given>>. {EKG_LINE}
Outcome: <<transferred to ICU bed 4|remained on unit with q1h vitals|upgraded to stepdown>>.
Family notified: {REL.rel} {REL.full} at {PHONE.rel}.
Team: RRT RN {X.fm_l}, RT {X.fl}, {DR.full}, MD (hospitalist)
"""),
    Template("code_blue_record", "ed", """\
CODE BLUE / CARDIOPULMONARY ARREST RECORD
{HOSP}    location: <<ED bay 7|radiology hallway|lobby>>    date {D.adm:MON_dash}
Pt {PT.LASTi} ({MRN})   est. age {AGE:num}   wt 70 kg   code status on file: FULL

Time	Event
{TIME}	unresponsive, pulseless; CPR started by {X.full}, RN
+2 min	pads on: <<VF|PEA|asystole>>
+3 min	<<shock 200 J|epinephrine 1 mg IO>>
+5 min	[[ETT]] 7.5 placed by Dr. {DR2.last}, ETCO2 22
+9 min	[[ROSC]] <<achieved|not achieved>>
Meds: epinephrine x<<2|4>>, amiodarone 300 mg, sodium bicarb 50 mEq.
Defibrillator serial {DEVICE}; strip printed and scanned.
Family: {PT.his} {REL.rel}, {REL.full}, was present in the waiting room and informed by Dr. {DR.last}; \
contact {PHONE.rel}.
Code leader: {DR.full}, MD   Recorder: {RN.fm_l}, RN   Pharmacy: {X.lfc} (logged in as {X.login})   \
Scribe initials {X.ini}
"""),
    Template("needlestick_occ_health", "ed", """\
EMPLOYEE HEALTH / ED - BLOOD & BODY FLUID EXPOSURE
{FAC}   Incident {ID:occ}   Date {D.adm:mdy2}   Time {TIME}
Employee: {PT.full}   Employee ID {MRN}   Dept: <<OR|med-surg|dialysis|lab>>   Phone {PHONE.pt}
Supervisor: {X.full}

Exposure: <<percutaneous, 25G hollow-bore needle after SQ injection|splash to L eye|\
scalpel cut to R index finger>>. Wound washed with soap and water immediately.
Source patient: {X.lf}, MRN {MRN:source}, consented to rapid HIV, HBsAg, HCV Ab (results \
<<negative|pending>>).
Employee: hep B vaccinated, titer <<immune|non-immune>>. Tdap {D.prev:month_c_y}. LMP n/a.
{VITALS}
Plan: <<PEP not indicated|PEP offered: [[bictegravir/emtricitabine/tenofovir]] x 28 days, started at \
{TIME}>>; \
baseline labs drawn; repeat HCV RNA at 3 wks and HCV Ab/HIV at 6 wks and 4 months.
Employee parking permit plate {VEHICLE}. Workers' comp claim {ACCT:claim}. Off work: <<none|remainder of \
shift>>.
{DR.full}, MD (Occupational Medicine)   {D.adm:wk_md}
"""),
    Template("dental_ed_abscess", "ed", """\
ED note -- dental pain
{PT.fm_l}, {AGE:agesex}{PT.mf}, MRN {MRN}, seen {D.adm:mon_d_apos} {TIME}, triage ESI 4

CC: R lower jaw pain x 5 days, swelling since {D.onset:wk_md}. Last dentist visit "years ago" at \
{FAC}. Tried ibuprofen and clove oil. Denies trismus, drooling, voice change, fever.
PMH {PMH_INLINE}. Allergies: {ALLERGY}.
Vitals: {VITALS}
Exam: <<fractured #30 with fluctuant buccal swelling|#18 caries, gingival erythema, no fluctuance>>, \
floor of mouth soft, no [[Ludwig angina]]. Uvula midline.
Procedure: <<I&D of buccal abscess after [[inferior alveolar nerve block]], 3 mL bupivacaine 0.5%, \
purulent drainage|none>>.
Rx: [[amoxicillin-clavulanate]] 875 mg BID x 7d, [[ibuprofen]] 600 mg q6h PRN. No opioids.
Dental f/u: {HOSP2} dental clinic, phone {PHONE.dental}; referral faxed to {FAX}.
Driving: {PT.his} plate {VEHICLE} noted by security for the lot pass.
{DR.lfc}, MD
"""),
    # ------------------------------------------------------------------ nursing (ALL CAPS)
    Template("restraint_seclusion", "nursing", """\
RESTRAINT / SECLUSION FLOWSHEET {D.today:md}
PT {PT.LAST}, {PT.FIRST}   MRN {MRN}   {AGE:agesex}{PT.mf}   RM <<2|4|6>>1<<1|3>>
TYPE: <<BILATERAL SOFT WRIST RESTRAINTS (NON-VIOLENT)|4-POINT LOCKED (VIOLENT/SELF-DESTRUCTIVE)|\
SECLUSION>>
REASON: PULLING AT <<NG TUBE|CENTRAL LINE|ETT>>, LESS RESTRICTIVE MEASURES TRIED (SITTER, \
DIVERSION, FAMILY AT BEDSIDE) AND FAILED.
ORDER: DR {DR.last} AT {TIME}, FACE-TO-FACE DONE BY {DR2.fl_nodot} WITHIN 1 HR. RENEWED {D.today:mon_d}.
Q15 MIN CHECKS: CIRCULATION/SKIN INTACT, ROM EACH LIMB Q2H, FLUIDS OFFERED, TOILETING OFFERED.
{VITALS}
{REL.rel} {REL.full} NOTIFIED BY PHONE {PHONE.rel} OF RESTRAINT USE.
RELEASE CRITERIA REVIEWED WITH PT. <<REMAINS AGITATED|CALM, RELEASED AT 0400>>.
{RN.full} RN / {X.LASTi} CNA
""", upper=True),
    Template("pacu_handoff", "nursing", """\
PACU PHASE I NURSING NOTE {D.proc:wk_md} {TIME}
PT: {PT.lf}  MRN {MRN}  PROC: <<[[TKA]] R|[[ACL reconstruction]] L|[[cystoscopy]] WITH STENT|\
[[cataract extraction]] OS|[[port placement]]>>  SURGEON DR {DR.last}
ANESTHESIA: <<GA WITH ETT|SPINAL + SEDATION|MAC>>, ANESTHESIOLOGIST {DR2.fl_nodot}, CRNA {X.first}.
ARRIVED AWAKE, AIRWAY PATENT, ON 2L NC. ALDRETE 8 -> 10. {VITALS}
PAIN 6/10 -> 3/10 AFTER [[HYDROMORPHONE]] 0.2 MG IV X2. PONV: [[ONDANSETRON]] GIVEN.
<<NERVE BLOCK CATHETER R ADDUCTOR CANAL, PUMP SN {DEVICE}.|DRESSING CDI, ICE APPLIED.|\
VOIDED 250 ML.>> CMS INTACT DISTALLY.
{PT.his} {REL.rel} {REL.first} UPDATED IN WAITING ROOM ({PHONE.rel}), RIDE HOME CONFIRMED.
REPORT GIVEN TO {RN.fl_nodot} RN, DISCHARGED TO <<PHASE II|4 WEST|HOME>>.
{X.full} RN
""", upper=True),
    Template("vaccine_clinic_record", "nursing", """\
IMMUNIZATION ADMINISTRATION RECORD  {FAC}
NAME {PT.lf}   DOB {D.dob:mdy_slash}   MRN {MRN}   {AGE:age_eq}
INSURANCE {HPLAN}   PHONE {PHONE.pt}   {STREET}, {CITY} {ZIP}
VIS GIVEN: <<INFLUENZA|PNEUMOCOCCAL|RSV|TDAP|SHINGRIX>> (EDITION DATE ON FILE)
SCREENING: NO FEVER, NO PRIOR REACTION, NOT IMMUNOCOMPROMISED. CONSENT SIGNED BY \
<<PATIENT|{REL.rel} {REL.full} (POA)>>.
VACCINE: <<FLUZONE HIGH-DOSE|PREVNAR 20|AREXVY|BOOSTRIX|SHINGRIX DOSE 2>> 0.5 ML IM L DELTOID.
PT GIVEN CARD AND LINK {URL} FOR RECORD.
OBSERVED 15 MIN, NO REACTION. NEXT DOSE DUE {D.next:month_c_y}.
REPORTED TO STATE IIS FROM WORKSTATION {IP}.
ADMINISTERED BY {RN.fm_l}, RN   LIC {LIC}
""", upper=True),
    Template("chaplain_visit", "nursing", """\
SPIRITUAL CARE NOTE {D.today:d_month}
PATIENT {PT.full}  MRN {MRN}  {HOSP} ICU BED <<3|9|12>>
REFERRAL: <<RN|FAMILY|ROUTINE ROUNDING|PALLIATIVE CARE TEAM>>   FAITH: <<LUTHERAN|CATHOLIC|NONE \
STATED|BAPTIST>>
PT <<INTUBATED, SEDATED|AWAKE, TEARFUL|ACTIVELY DYING>>. MET WITH {PT.his} {REL.rel} {REL.full} AND \
{REL.first}'S CHILDREN AT BEDSIDE.
FAMILY SHARED STORIES OF {PT.FIRST}'S WORK ON THE FARM NEAR {CITY}. EXPRESSED ANTICIPATORY GRIEF.
INTERVENTIONS: PRESENCE, ACTIVE LISTENING, PRAYER AT FAMILY REQUEST, <<ANOINTING ARRANGED WITH FR. \
{X.last}|BLESSING|PSALM 23 READ>>.
PLAN: FOLLOW DAILY. FAMILY CAN REACH ON-CALL CHAPLAIN VIA OPERATOR OR {PHONE.chap:vocera}.
{X.full}, MDIV, BCC  ({X.inidotlow})
""", upper=True),
)
