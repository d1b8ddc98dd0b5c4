"""HELD-OUT world of the synthetic note generator: the tenth world, written blind to the de-identifier.

It was written without looking at the recognizers, lexicons or engine; nobody tunes against it. Once it has
been measured it will be retired to synthetic_dev10.py like the nine before it.

What differs from tuning (synthetic.py) and dev, dev2 ... dev9 (synthetic_dev*.py), on purpose:
- other kinds of documents, mapped onto NOTE_KINDS: VA-ECMO decannulation, sickle-cell day-hospital, home
  birth transfer and botulism antitoxin discharges (discharge); shock-wave lithotripsy fluoroscopy, spinal
  cord stimulator trial lead films, intragastric balloon abdominal films and paediatric airway foreign-body
  films (radiology); hospital-at-home rounds, transplant pharmacist visits, stimulator trial follow-ups and
  balloon dietitian visits (progress); marathon medical-tent heat stroke, roofer heat illness, e-bike
  collisions and magnet ingestion (ed); ALL-CAPS group-home med passes, adult day care logs, ECMO circuit
  checks and sickle-cell PCA logs (nursing);
- a different EHR's conventions: HL7-style "LAST^FIRST^M" names, "Okafor/Chidi", "chidi_okafor",
  "C.M. Okafor"; dates "4-Mar-21", "MARCH 4 2021", "04 03 2021", "Mar/4/2021", "21-03-04", "4 March, 2021",
  "3_4_2021", "4th Mar 2021", "03 / 04 / 21", "2021-03-04T00:00:00Z", "21MAR04"; ages "aged 92y",
  "92 yr. old", "Age(y): 92", "92 y.o.a."; phones "(907) 555.0134", "+1.907.555.0134", "+19075550134",
  "907-555-0134 x.22", "907/555-0134"; dotted, glued and x-masked SSNs; H-padded, site-dash, check-letter
  and triple-dash MRNs; encounter-slash, dotted FIN and spaced accounts; IHS, Alaska Medicaid, Hawaii QUEST
  and three-letter-prefix plan ids; pharmacist, medication-aide, midwife (CNM, CPM) licences and Hawaii /
  North Dakota driver's licences; stimulator IPG, ECMO console, hospital-at-home kit, balloon and PCA pump
  serials; Alaska and Hawaii plates and e-bike frame serials; race bibs, tent cots, lithotripsy cases, trial
  numbers, hospital-at-home episodes, pharmacy refs, group-home resident ids, day-care member ids, OSHA log
  cases, ECMO runs, birth worksheets, foreign-body cases, day-hospital visits and balloon registry ids;
  IPv6 documentation addresses, hotspot 100.64 and tent LAN 172.20 addresses;
- its own messiness (e-mail thread quoting "> ", repeated page headers/footers of a printed PDF, XML export
  tags and entities left in the text, spell-checker "corrections" of clinical shorthand), literal text only;
- name and place pools disjoint from all ten earlier worlds: Thai names (crudely romanised; a Faker locale no
  earlier world uses), invented Manx-like surnames and Gaulish-like given names, and names that are ordinary
  English words no earlier world uses; cities of Alaska, Hawaii, the Dakotas, Wyoming, Montana, Nevada,
  Idaho, Michigan's Upper Peninsula and northern Maine; hospital and facility naming patterns of its own
  ("X Healthplex", "X Hospital & Clinics", "X Miners' Hospital", "X Hospital at Home");
- non-PHI look-alikes left unlabelled: ages <= 89 in every age form, balloon and cannula lot numbers marked
  not PHI, race distances, core temperatures, WBGT readings, stimulator settings, public numbers (CDC-INFO
  1-800-232-4636, OSHA 1-800-321-6742, Poison Help 1-800-222-1222), bare years and states.
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
from medfl.privacy.deid.synthetic_dev import dev_style
from medfl.privacy.deid.synthetic_dev2 import dev2_style
from medfl.privacy.deid.synthetic_dev3 import dev3_style
from medfl.privacy.deid.synthetic_dev4 import dev4_style
from medfl.privacy.deid.synthetic_dev5 import dev5_style
from medfl.privacy.deid.synthetic_dev6 import dev6_style
from medfl.privacy.deid.synthetic_dev7 import dev7_style
from medfl.privacy.deid.synthetic_dev8 import dev8_style
from medfl.privacy.deid.synthetic_dev9 import dev9_style

# ----------------------------------------------------------------------------- clinical vocabulary
_EXTRA_VOCAB = {
    "drugs": (
        ("hydroxyurea", "1000 mg"), ("voxelotor", "1500 mg"), ("crizanlizumab", "5 mg/kg"),
        ("L-glutamine powder", "15 g"), ("hydromorphone PCA", "0.2 mg"), ("tacrolimus", "2 mg"),
        ("mycophenolate mofetil", "1000 mg"), ("valganciclovir", "450 mg"), ("Prograf", "1 mg"),
        ("botulism antitoxin heptavalent", "1 vial"), ("oxytocin", "10 units"),
        ("methylergonovine", "0.2 mg"),
        ("tamsulosin ER", "0.4 mg"), ("bivalirudin", "0.15 mg/kg/h"), ("polyethylene glycol 3350", "17 g"),
        ("cold saline", "1 L"), ("midazolam intranasal", "0.2 mg/kg"), ("Rh immune globulin", "300 mcg"),
    ),
    "dx": (
        "sickle cell anemia HbSS", "vaso-occlusive crisis", "acute chest syndrome", "exertional heat stroke",
        "heat exhaustion with rhabdomyolysis", "nephrolithiasis", "ureteral calculus",
        "failed back surgery syndrome",
        "complex regional pain syndrome", "cardiogenic shock on VA-ECMO", "infant botulism",
        "foodborne botulism", "postpartum hemorrhage", "retained placenta", "magnet ingestion",
        "aspirated foreign body", "class II obesity", "kidney transplant recipient", "tacrolimus toxicity",
        "intellectual disability", "mild cognitive impairment", "e-bike collision", "clavicle fracture",
    ),
    "symptoms": ("flank colic", "leg pain with walking", "early satiety", "heat cramps", "droopy eyelids",
                 "trouble swallowing", "bone pain", "stridor"),
    "procedures": (
        "shock wave lithotripsy", "ureteral stent", "spinal cord stimulator trial",
        "percutaneous lead placement",
        "intragastric balloon placement", "balloon retrieval", "ECMO decannulation", "VA-ECMO",
        "ice water immersion", "rigid bronchoscopy", "exchange transfusion", "simple transfusion",
        "manual placental removal", "nasogastric decompression", "KUB", "lateral neck film",
        "drug level monitoring", "remote patient monitoring",
    ),
    "signs": ("Chvostek sign", "Trousseau sign", "Lloyd sign", "Grey Turner sign", "Cullen sign",
              "Kehr sign", "Boas sign", "Dance sign", "Hoover sign", "Waddell signs", "Lasegue sign",
              "Patrick test", "Brudzinski contralateral sign", "Jendrassik maneuver", "Hutchinson sign",
              "Levine sign", "Carnett sign", "Rovsing sign", "Psoas sign", "Obturator sign", "Markle sign",
              "Aaron sign", "Blumberg sign", "Ballance sign", "Courvoisier sign", "Sister Mary Joseph nodule",
              "Battle sign", "Beck triad", "Kussmaul sign", "Ewart sign", "Pemberton sign", "Stemmer sign"),
    "labs": (("HbS", "{:.0f}%", 20, 92), ("retic", "{:.1f}%", 0.5, 19.0), ("LDH", "{:.0f}", 140, 1900),
             ("tacrolimus trough", "{:.1f} ng/mL", 3.0, 21.0), ("core temp", "{:.1f} C", 37.0, 42.5),
             ("myoglobin", "{:.0f}", 20, 9000), ("fibrinogen level", "{:.0f}", 90, 520)),
    "allergies": ("morphine (itching)", "silicone (rash)", "chlorhexidine (hives)", "horse serum"),
}


def _vocab() -> dict[str, tuple]:
    vocab = dict(VOCAB)
    for k, extra in _EXTRA_VOCAB.items():
        vocab[k] = tuple(vocab[k]) + extra
    return vocab


# ----------------------------------------------------------------------------- dates
DATE_FORMATS: dict[str, Callable[[dt.date], str]] = {
    # a few shared ones ...
    **{k: TUNING_DATE_FORMATS[k] for k in ("md", "mon_d", "iso", "mdy2", "mdy_slash", "month_d_y", "d_mon_y",
                                           "nth")},
    # ... and forms no earlier world writes
    "d_mon_dash_yy": lambda d: f"{d.day}-{MON[d.month]}-{d.year % 100:02d}",            # 4-Mar-21
    "MONTH_d_y_bare": lambda d: f"{MONTH[d.month].upper()} {d.day} {d.year}",           # MARCH 4 2021
    "dd_mm_yyyy_sp": lambda d: f"{d.day:02d} {d.month:02d} {d.year}",                   # 04 03 2021
    "mon_d_slash_y": lambda d: f"{MON[d.month]}/{d.day}/{d.year}",                      # Mar/4/2021
    "yy_mm_dd_hy": lambda d: f"{d.year % 100:02d}-{d.month:02d}-{d.day:02d}",           # 21-03-04
    "d_month_comma_y": lambda d: f"{d.day} {MONTH[d.month]}, {d.year}",                 # 4 March, 2021
    "m_d_yyyy_under": lambda d: f"{d.month}_{d.day}_{d.year}",                          # 3_4_2021
    "nth_mon_y": lambda d: f"{ordinal(d.day)} {MON[d.month]} {d.year}",                 # 4th Mar 2021
    "mdy_sp_slash": lambda d: f"{d.month:02d} / {d.day:02d} / {d.year % 100:02d}",      # 03 / 04 / 21
    "iso_zulu": lambda d: f"{d.isoformat()}T00:00:00Z",                                 # 2021-03-04T00:00:00Z
    "yymondd_caps": lambda d: f"{d.year % 100:02d}{MON[d.month].upper()}{d.day:02d}",   # 21MAR04
}
RANDOM_DATE_FORMATS = ("mdy_slash", "mdy_slash", "iso", "md", "mon_d", "d_mon_dash_yy", "mon_d_slash_y",
                       "nth_mon_y", "d_month_comma_y", "yy_mm_dd_hy", "month_d_y", "MONTH_d_y_bare")

AGE_FORMS = {
    "aged_y": ("aged ", "y"), "yr_dot_old_sp": ("", " yr. old"), "age_y_paren": ("Age(y): ", ""),
    "yoa_dots": ("", " y.o.a."), "num": ("", ""),
}


# ----------------------------------------------------------------------------- identifiers
AREA_CODES = ("907", "808", "701", "605", "307", "406", "775", "702", "208", "906", "207", "218", "989")


def _parts(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(AREA_CODES), str(rng.randint(220, 988)), digits(rng, 4)


def tel_paren_dot(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"({a}) {b}.{c}"


def tel_plus1_dots(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"+1.{a}.{b}.{c}"


def tel_e164_glued(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"+1{a}{b}{c}"


def tel_dash_x_dot(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}-{b}-{c} x.{rng.randint(2, 89)}"


def tel_slash_area(rng: random.Random) -> str:
    a, b, c = _parts(rng)
    return f"{a}/{b}-{c}"


def fax_plus1_dots(rng: random.Random) -> str:
    return tel_plus1_dots(rng)


def fax_paren_dot(rng: random.Random) -> str:
    return tel_paren_dot(rng)


def ssn_dot3(rng: random.Random) -> str:
    return ssn_value(rng, ".")


def ssn_glued_9(rng: random.Random) -> str:
    return ssn_value(rng, "")


def ssn_x_last4(rng: random.Random) -> str:
    return f"XXX-XX-{rng.randint(1, 9999):04d}"


def mrn_h_pad9(rng: random.Random) -> str:
    return f"H000{rng.randint(1, 9)}{digits(rng, 5)}"


def mrn_site_dash2(rng: random.Random) -> str:
    return f"{rng.choice(('AK', 'HI', 'ND', 'WY', 'UP'))}-{digits(rng, 7)}"


def mrn_chk_letter(rng: random.Random) -> str:
    num = f"{rng.randint(1, 9)}{digits(rng, 6)}"
    return num + "ABCDEFGHJK"[sum(int(c) * (i + 2) for i, c in enumerate(num)) % 10]


def mrn_triple_dash(rng: random.Random) -> str:
    return f"{digits(rng, 3)}-{digits(rng, 3)}-{digits(rng, 3)}"


def acct_enc_slash(rng: random.Random) -> str:
    return f"E{rng.randint(12, 24)}/{digits(rng, 7)}"


def acct_fin_dot(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 3)}.{digits(rng, 4)}.{digits(rng, 2)}"


def acct_sp9(rng: random.Random) -> str:
    return f"{rng.randint(4, 7)}{digits(rng, 2)} {digits(rng, 3)} {digits(rng, 3)}"


def hp_ihs_benef(rng: random.Random) -> str:  # Indian Health Service beneficiary chart
    return f"IHS{digits(rng, 2)}-{digits(rng, 6)}"


def hp_ak_medicaid(rng: random.Random) -> str:
    return f"{rng.randint(1, 9)}{digits(rng, 9)}AK"


def hp_quest_hi(rng: random.Random) -> str:
    return f"QI{digits(rng, 9)}"


def hp_alpha3_9(rng: random.Random) -> str:
    return f"{letters(rng, 3)}{digits(rng, 9)}"


def lic_pharm_state(rng: random.Random) -> str:
    return f"PHAR{digits(rng, 4)}"


def lic_cma(rng: random.Random) -> str:  # certified medication aide (group homes)
    return f"CMA-{digits(rng, 5)}"


def lic_cnm(rng: random.Random) -> str:
    return f"APRN-CNM {digits(rng, 4)}"


def lic_cpm(rng: random.Random) -> str:
    return f"CPM{rng.randint(12, 24)}{digits(rng, 3)}"


def dl_hi(rng: random.Random) -> str:
    return f"H{digits(rng, 8)}"


def dl_nd(rng: random.Random) -> str:
    return f"{letters(rng, 3)}-{digits(rng, 2)}-{digits(rng, 4)}"


def dev_ipg_scs(rng: random.Random) -> str:
    return f"NPG{digits(rng, 6)}{letters(rng, 1)}"


def dev_ecmo_console(rng: random.Random) -> str:
    return f"CDL{rng.randint(10, 99)}-{digits(rng, 4)}"


def dev_hah_kit(rng: random.Random) -> str:
    return f"KIT-{letters(rng, 2)}{digits(rng, 5)}"


def dev_balloon_sn(rng: random.Random) -> str:
    return f"IGB{digits(rng, 7)}"


def dev_pca_pump(rng: random.Random) -> str:
    return f"{digits(rng, 4)}{letters(rng, 1)}{digits(rng, 3)}"


def plate_ak(rng: random.Random) -> str:
    return f"{letters(rng, 3)} {digits(rng, 3)}"


def plate_hi(rng: random.Random) -> str:
    return f"{letters(rng, 3)}-{digits(rng, 3)}"


def ebike_frame(rng: random.Random) -> str:
    return f"WTU{digits(rng, 3)}{letters(rng, 1)}{digits(rng, 4)}{letters(rng, 1)}"


def race_bib(rng: random.Random) -> str:
    return str(rng.randint(1001, 39999))


def tent_cot(rng: random.Random) -> str:
    return f"{rng.choice('ABCD')}-{rng.randint(1, 40):02d}"


def eswl_case(rng: random.Random) -> str:
    return f"ESWL{rng.randint(12, 24)}{digits(rng, 4)}"


def scs_trial_no(rng: random.Random) -> str:
    return f"TR-{digits(rng, 5)}"


def hah_episode(rng: random.Random) -> str:
    return f"HAH{digits(rng, 6)}"


def tx_pharm_ref(rng: random.Random) -> str:
    return f"TXP{digits(rng, 2)}.{digits(rng, 4)}"


def group_home_res(rng: random.Random) -> str:
    return f"R{digits(rng, 4)}"


def day_care_member(rng: random.Random) -> str:
    return f"ADC-{digits(rng, 4)}-{rng.randint(1, 9)}"


def osha_300_case(rng: random.Random) -> str:
    return f"{rng.randint(2016, 2024)}-{digits(rng, 3)}"


def ecmo_run(rng: random.Random) -> str:
    return f"ECMO{digits(rng, 4)}"


def birth_worksheet(rng: random.Random) -> str:
    return f"BW{digits(rng, 8)}"


def fb_case(rng: random.Random) -> str:
    return f"FB-{digits(rng, 5)}"


def sickle_dh_visit(rng: random.Random) -> str:
    return f"DH{digits(rng, 7)}"


def balloon_reg(rng: random.Random) -> str:
    return f"IGBR-{digits(rng, 6)}"


def ip_doc_v6(rng: random.Random) -> str:
    return f"2001:db8:{rng.randint(1, 65535):x}::{rng.randint(1, 65535):x}"


def ip_hotspot(rng: random.Random) -> str:
    return f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"


def ip_tent_lan(rng: random.Random) -> str:
    return f"172.20.{rng.randint(0, 255)}.{rng.randint(2, 254)}"


def _ids() -> dict[str, tuple]:
    return {
        "PHONE": (tel_paren_dot, tel_plus1_dots, tel_e164_glued, tel_dash_x_dot, tel_slash_area,
                  tel_paren_dot),
        "FAX": (fax_plus1_dots, fax_paren_dot),
        "SSN": (ssn_dot3, ssn_glued_9, ssn_x_last4),
        "MRN": (mrn_h_pad9, mrn_site_dash2, mrn_chk_letter, mrn_triple_dash),
        "ACCT": (acct_enc_slash, acct_fin_dot, acct_sp9),
        "HPLAN": (hp_ak_medicaid, hp_quest_hi, hp_alpha3_9),
        "HPLAN:ihs": (hp_ihs_benef,),
        "LIC": (lic_pharm_state, lic_cma, lic_cnm, lic_cpm),
        "LIC:ph": (lic_pharm_state,),
        "LIC:cma": (lic_cma,),
        "LIC:mw": (lic_cnm, lic_cpm),
        "LIC:dl": (dl_hi, dl_nd),
        "DEVICE": (dev_ipg_scs, dev_ecmo_console, dev_hah_kit, dev_balloon_sn, dev_pca_pump),
        "DEVICE:ipg": (dev_ipg_scs,),
        "DEVICE:ecmo": (dev_ecmo_console,),
        "DEVICE:kit": (dev_hah_kit,),
        "DEVICE:igb": (dev_balloon_sn,),
        "DEVICE:pca": (dev_pca_pump,),
        "VEHICLE": (plate_ak, plate_hi, plate_ak),
        "VEHICLE:ebike": (ebike_frame,),
        "ID": (eswl_case, fb_case, tx_pharm_ref),
        "ID:bib": (race_bib,),
        "ID:cot": (tent_cot,),
        "ID:eswl": (eswl_case,),
        "ID:trial": (scs_trial_no,),
        "ID:hah": (hah_episode,),
        "ID:txp": (tx_pharm_ref,),
        "ID:res": (group_home_res,),
        "ID:adc": (day_care_member,),
        "ID:osha": (osha_300_case,),
        "ID:ecmo": (ecmo_run,),
        "ID:bw": (birth_worksheet,),
        "ID:fb": (fb_case,),
        "ID:dh": (sickle_dh_visit,),
        "ID:igb": (balloon_reg,),
        "IP": (ip_doc_v6, ip_hotspot, ip_tent_lan),
    }


# ----------------------------------------------------------------------------- name forms
def _name_forms(p) -> dict[str, str]:
    return {
        "hl7": f"{p.last}^{p.first}^{p.middle[0]}".upper(),     # OKAFOR^CHIDI^M (interface feed)
        "slash": f"{p.last}/{p.first}",                          # Okafor/Chidi
        "under": f"{p.first}_{p.last}".lower(),                  # chidi_okafor (log-in name)
        "fm_last": f"{p.first[0]}.{p.middle[0]}. {p.last}",      # C.M. Okafor
        "Last_FIRST": f"{p.last} {p.first.upper()}",             # Okafor CHIDI
    }


# ----------------------------------------------------------------------------- messiness
_PAGE_HDR = ("\n-- Page 2 of 3 -- PRINTED COPY -- CONFIDENTIAL --\n", "\n[continued] pg 2/2 ~ chart copy\n",
             "\n===== printed by HIM, do not re-release =====\n")
_XML = (("\n", "</line>\n<line>"), (" & ", " &amp; "), ("\n\n", "\n</para><para>\n"))
_SPELL = (("Hx", "Hex"), ("hx", "hex"), ("pt ", "put "), ("Pt ", "Put "), ("wnl", "win"), ("Dx", "Ex"),
          ("prn", "pen"), ("afebrile", "a febrile"))


def _mess_factory(rng: random.Random, level: float = 0.07) -> Callable[[str], str]:
    """Literal text -> messier literal text; the first and last character of a piece are kept, so a
    neighbouring PHI value keeps its word boundaries."""

    def mess(s: str) -> str:
        if len(s) < 4:
            return s
        head, mid, tail = s[0], s[1:-1], s[-1]
        r = rng.random()
        if r < 1.3 * level:  # forwarded through an e-mail thread: quoted lines
            mid = mid.replace("\n", "\n> ")
        elif r < 2.2 * level:  # printed to PDF and re-extracted: running header/footer mid-text
            i = mid.find("\n")
            if 0 < i:
                mid = mid[:i] + rng.choice(_PAGE_HDR) + mid[i + 1:]
        elif r < 3.2 * level:  # XML export: tags and entities left in the text
            a, b = rng.choice(_XML)
            if a in mid:
                mid = mid.replace(a, b, 1)
        elif r < 4.4 * level:  # spell-checker "corrected" shorthand
            for a, b in rng.sample(_SPELL, len(_SPELL)):
                end = r"(?![A-Za-z])" if a[-1] != " " else ""
                m = re.search(r"(?<![A-Za-z])" + re.escape(a) + end, mid)
                if m:
                    mid = mid[:m.start()] + b + mid[m.end():]
                    break
        return head + mid + tail

    return mess


# ----------------------------------------------------------------------------- pools
_TH_CONS = dict(zip("กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ",
                    ("k", "kh", "kh", "kh", "kh", "kh", "ng", "ch", "ch", "ch", "s", "ch", "y", "d", "t",
                     "th", "th", "th", "n", "d", "t", "th", "th", "th", "n", "b", "p", "ph", "f", "ph", "f",
                     "ph", "m",
                     "y", "r", "l", "w", "s", "s", "s", "h", "l", "", "h"), strict=True))
_TH_VOW = {"ะ": "a", "ั": "a", "า": "a", "ำ": "am", "ิ": "i", "ี": "i", "ึ": "ue", "ื": "ue", "ุ": "u",
           "ู": "u", "ฤ": "rue", "ๅ": ""}
_TH_LEAD = {"เ": "e", "แ": "ae", "โ": "o", "ใ": "ai", "ไ": "ai"}  # written before, spoken after the consonant


_TH_FINAL = (("ng", "ng"), ("ch", "t"), ("th", "t"), ("ph", "p"), ("kh", "k"))


def _th_final(m: re.Match) -> str:
    """A final consonant cluster is spoken as one of k/p/t/n/m/ng (no final r, ch or th)."""
    cl = m.group(0)
    for head, sound in _TH_FINAL:
        if cl.startswith(head):
            return sound
    return {"g": "k", "b": "p", "f": "p", "d": "t", "s": "t", "c": "t", "r": "n", "l": "n", "y": "i",
            "w": "o", "h": ""}.get(cl[0], cl[0])


def _thai(name: str) -> str:
    """A crude romanisation of a Thai name (enough for distinct, pronounceable surrogates)."""
    toks: list[list[str]] = []
    lead = ""
    for ch in str(name):
        if ch in _TH_LEAD:
            lead = _TH_LEAD[ch]
        elif ch in _TH_CONS:
            toks.append(["C", _TH_CONS[ch]])
            if lead:
                toks.append(["V", lead])
                lead = ""
        elif ch in _TH_VOW:
            toks.append(["V", _TH_VOW[ch]])
        elif ch == "\u0e4c" and toks and toks[-1][0] == "C":  # silent-letter mark
            toks.pop()
    out = ""
    for i, (kind, val) in enumerate(toks):
        out += val
        nxt = [t[0] for t in toks[i + 1:i + 3]]
        if kind == "C" and nxt[:1] == ["C"] and (i == 0 or nxt[1:2] == ["C"]):
            out += "a" if i == 0 else "o"
    out = re.sub(r"(?<=[aeiou])[^aeiou]+$", _th_final, out.replace("ww", "w"))
    return out[:1].upper() + out[1:] if 3 <= len(out) <= 16 else ""


def _locale_names(loc: str) -> tuple[list[str], ...]:
    p = importlib.import_module(f"faker.providers.person.{loc}").Provider
    lists = (getattr(p, "first_names_male", ()), getattr(p, "first_names_female", ()),
             getattr(p, "last_names", ()))
    return tuple([t for t in (_thai(x) for x in lst or ()) if t] for lst in lists)


_LOCALE_CAPS = {"th_TH": (240, 240, 240)}
# real surnames / given names that are also ordinary English words
_WORD_LAST = ("Kettleby", "Glacier", "Tundra", "Caribou", "Walrus", "Puffin", "Halibut", "Salmonberry",
              "Ptarmigan", "Muskeg", "Sourdough", "Pemmican", "Bannock", "Lumber", "Sawmill", "Quarry",
              "Prairie", "Badlands", "Sagebrush", "Bison", "Antelope", "Coyote", "Gopher", "Pheasantry",
              "Wheatley", "Harvest", "Combine", "Silo", "Granary", "Tractor", "Mustard", "Pickle", "Pretzel",
              "Waffle", "Muffin", "Noodle", "Dumpling", "Teapot", "Saucer", "Ladle", "Spoon", "Kettlewell",
              "Thimbleby", "Button", "Ribbon", "Velvet", "Satin", "Linen", "Tweed", "Flannel", "Denim",
              "Calico", "Paisley", "Gingham", "Harbor", "Lighthouse", "Anchor", "Rudder", "Keel", "Mast",
              "Oar", "Paddle", "Canoe", "Kayak", "Sledge", "Snowshoe", "Mitten", "Parka", "Blizzard",
              "Icicle",
              "Frostick", "Winterbottom", "Summerhill", "Springer", "Dewdrop", "Raindrop", "Thunderbird",
              "Volcano", "Lava", "Coral", "Reef", "Lagoon", "Pineapple", "Mango", "Papaya", "Coconut", "Taro")
_WORD_FIRST_F = ("Aurora", "Borealis", "Glacia", "Snowy", "Blizzie", "Sable", "Ermine", "Mink", "Plumeria",
                 "Orchid", "Hibiscus", "Lilac", "Peony", "Zinnia", "Petunia", "Begonia", "Cosmos", "Aster",
                 "Heather", "Fern", "Moss", "Rain", "Misty", "Stormie", "Sunny", "Bliss", "Precious",
                 "Treasure",
                 "Destiny", "Miracle", "Angel", "Heaven", "Paradise", "Charm", "Kindness", "Sincerity",
                 "Serendipity", "Velvet", "Silk", "Lace", "Tinsel", "Sprinkle", "Cupcake", "Muffin")
_WORD_FIRST_M = ("Glacier", "Kodiak", "Grizzly", "Timber", "Logger", "Trapper", "Musher", "Husky", "Harpoon",
                 "Diesel", "Torque", "Piston", "Axle", "Gauge", "Ledger", "Tally", "Bounty", "Fortune",
                 "Lucky", "Jackpot", "Dakota", "Sheriff", "Marshal", "Bronco", "Maverick", "Stetson",
                 "Wrangler",
                 "Rodeo", "Bandit", "Outlaw", "Justice", "Loyal", "Valor", "Noble", "Brave", "True",
                 "Sterling",
                 "Tundra", "Walrus", "Harbor")

_SUR_HEAD = ("Qual", "Kerm", "Cregg", "Quill", "Kinv", "Cors", "Skill", "Mylr", "Kewl", "Clagu", "Faragh",
             "Gawn", "Kerru", "Lewn", "Moor", "Quay", "Sayl", "Teare", "Vondy", "Watterh", "Cowl", "Brewsh",
             "Callist", "Cannel", "Crenn", "Duggh", "Gelling", "Kneal", "Looney", "Mylch")
_SUR_TAIL = ("ey", "ode", "agh", "een", "ister", "trough", "arr", "aine", "ogue", "eish", "ollin", "ane",
             "oby", "ough", "ick", "ard")
_GIVEN_HEAD = ("Ambio", "Boduo", "Catu", "Dumno", "Epo", "Segov", "Tarvo", "Vercin", "Cintu", "Brigo",
               "Nanto", "Ollo", "Suelo", "Litav")
_GIVEN_TAIL_F = ("gena", "sia", "ra", "lla", "ssa", "na")
_GIVEN_TAIL_M = ("rix", "marus", "gnatus", "genus", "dubnos", "clos")

HELDOUT_CITIES = (
    # Alaska
    "Bethel", "Dillingham", "Kotzebue", "Utqiagvik", "Nome", "Unalaska", "Kodiak Ak", "Homer", "Soldotna",
    "Kenai", "Seward", "Valdez", "Cordova", "Palmer", "Wasilla", "Talkeetna", "Delta Junction", "Tok",
    "Glennallen", "Sitka", "Petersburg Ak", "Wrangell", "Ketchikan", "Haines", "Skagway", "Craig Ak",
    # Hawaii
    "Hilo", "Kailua-Kona", "Waimea Hi", "Honokaa", "Pahoa", "Kealakekua", "Wailuku", "Kahului", "Lahaina",
    "Makawao", "Kihei", "Lihue", "Kapaa", "Waimea Kauai", "Hanapepe", "Kaunakakai", "Lanai City", "Waianae",
    "Wahiawa", "Kaneohe", "Waipahu", "Ewa Beach",
    # North and South Dakota
    "Minot", "Williston", "Dickinson", "Watford City", "Devils Lake", "Jamestown Nd", "Valley City",
    "Wahpeton", "Grafton Nd", "Rugby", "Bottineau", "Belcourt", "Fort Yates", "New Town", "Mandan",
    "Aberdeen Sd", "Watertown Sd", "Mobridge", "Pierre", "Chamberlain", "Winner", "Pine Ridge", "Martin Sd",
    "Spearfish", "Sturgis", "Belle Fourche", "Lemmon", "Eagle Butte",
    # Wyoming and Montana
    "Gillette", "Sheridan Wy", "Buffalo Wy", "Riverton", "Lander", "Rawlins", "Rock Springs", "Green River",
    "Evanston Wy", "Kemmerer", "Worland", "Thermopolis", "Cody", "Powell", "Torrington", "Wheatland",
    "Douglas Wy", "Glendive", "Miles City", "Sidney Mt", "Glasgow Mt", "Wolf Point", "Havre", "Shelby Mt",
    "Cut Bank", "Browning", "Lewistown Mt", "Livingston Mt", "Dillon Mt", "Hamilton Mt", "Polson",
    "Libby", "Kalispell", "Whitefish", "Anaconda", "Butte",
    # Nevada and Idaho
    "Elko", "Winnemucca", "Ely Nv", "Fallon", "Tonopah", "Hawthorne Nv", "Pahrump", "Mesquite Nv",
    "Lovelock", "Battle Mountain", "Yerington", "Twin Falls", "Burley", "Rupert", "Jerome", "Blackfoot",
    "Rexburg", "Salmon Id", "Challis", "Grangeville", "Orofino", "Sandpoint", "Bonners Ferry", "Driggs",
    # Michigan's Upper Peninsula and northern Maine
    "Marquette", "Escanaba", "Ishpeming", "Negaunee", "Houghton", "Hancock Mi", "Ironwood", "Iron Mountain",
    "Menominee", "Manistique", "Munising", "Newberry Mi", "Sault Ste. Marie", "St. Ignace", "L'Anse",
    "Presque Isle", "Caribou", "Fort Kent", "Madawaska", "Houlton", "Millinocket", "Lincoln Me",
    "Dover-Foxcroft", "Machias", "Calais", "Eastport", "Van Buren Me", "Mars Hill",
    # smaller places of the same regions
    "Aniak", "McGrath", "Galena Ak", "Fort Yukon", "Unalakleet", "Togiak", "Naknek", "King Salmon",
    "Sand Point Ak", "Chignik", "Kake", "Hoonah", "Yakutat", "Angoon", "Klawock", "Hydaburg", "Metlakatla",
    "Ninilchik", "Anchor Point", "Seldovia", "Girdwood", "Sutton Ak", "Chitina", "Copper Center", "Chugiak",
    "North Pole", "Healy", "Nenana", "Cantwell", "Kivalina", "Point Hope", "Shishmaref", "Savoonga",
    "Gambell",
    "Emmonak", "Hooper Bay", "Kwethluk", "Quinhagak", "Toksook Bay", "Naalehu", "Laupahoehoe", "Papaikou",
    "Keaau", "Hawi", "Kapaau", "Waikoloa", "Holualoa", "Captain Cook", "Haiku", "Paia", "Kula", "Hana",
    "Koloa", "Kalaheo", "Eleele", "Kilauea", "Hanalei", "Haleiwa", "Laie", "Hauula", "Kahuku", "Nanakuli",
    "Waimanalo", "Langdon", "Cavalier", "Park River", "Mayville Nd", "Hillsboro Nd", "Lisbon Nd", "Oakes",
    "Ellendale", "Linton", "Hettinger", "Bowman", "Killdeer", "Stanley Nd", "Tioga", "Crosby Nd", "Kenmare",
    "Harvey Nd", "Carrington", "McClusky", "Garrison Nd", "Hazen", "Beulah", "Faith Sd", "Philip", "Kadoka",
    "Murdo", "Gregory", "Burke Sd", "Platte", "Wagner", "Parkston", "Redfield", "Faulkton", "Ipswich",
    "Britton", "Sisseton", "Milbank", "Lusk", "Newcastle Wy", "Sundance", "Moorcroft", "Saratoga Wy",
    "Pinedale", "Afton Wy", "Dubois Wy", "Greybull", "Lovell", "Ekalaka", "Forsyth", "Hardin", "Lame Deer",
    "Roundup", "Harlowton", "White Sulphur Springs", "Big Timber", "Red Lodge", "Chinook", "Malta", "Scobey",
    "Plentywood", "Conrad", "Choteau", "Fort Benton", "Thompson Falls", "Philipsburg", "Deer Lodge", "Ennis",
    "Townsend", "Baraga", "Ontonagon", "Bessemer", "Crystal Falls", "Iron River", "Gladstone", "Rapid River",
    "Naubinway", "Engadine", "Pickford", "Cedarville", "Calumet", "Lake Linden", "Laurium", "Painesdale",
    "Ashland Me", "Frenchville", "Limestone", "Island Falls", "Patten", "Danforth", "Lubec", "Jonesport",
    "Cherryfield", "Milbridge", "Jackman", "Rangeley", "Bingham Me",
)
_STREET_WORDS = (
    "Muskox", "Spruce Tip", "Fireweed", "Devils Club", "Cranberry Bench", "Aurora View", "Permafrost",
    "Tidewater", "Kiawe", "Lehua", "Ohia", "Plumeria", "Kukui", "Lava Flow", "Cinder Cone", "Sugar Mill",
    "Section Line", "Township", "Grain Elevator", "Oil Patch", "Shelterbelt", "Coulee", "Butte View",
    "Buffalo Jump", "Sage Grouse", "Jackalope", "Silver Lode", "Mine Shaft", "Iron Range", "Copper Harbor",
    "Pasty", "Snowmobile Trail", "Potato Barrel", "Bog Brook",
)
_STATES = ("AK", "HI", "ND", "SD", "WY", "MT", "NV", "ID", "MI", "ME", "Alaska", "Hawaii", "N. Dak.",
           "S. Dak.", "Wyo.", "Mont.", "Nev.", "Ida.", "Mich.", "Maine")


@lru_cache(maxsize=1)
def heldout_style() -> Style:
    others = (tuning_style(), dev_style(), dev2_style(), dev3_style(), dev4_style(), dev5_style(),
              dev6_style(), dev7_style(), dev8_style(), dev9_style())
    vocab = _vocab()
    other_cities = {c.lower() for s in others for c in s.cities}
    c = [x for x in HELDOUT_CITIES if x.lower() not in other_cities]
    cities = other_cities | {x.lower() for x in HELDOUT_CITIES}
    used = set().union(*(name_pool_words(s) for s in others))
    used_streets = set().union(*(set(s.street_names) for s in others))
    en_us = {n.lower() for lst in faker_names(("en_US",)) for n in lst}
    # word names are exempt from the vocabulary and en_US bans only, never from disjointness
    word_names = {w.lower() for w in (*_WORD_LAST, *_WORD_FIRST_F, *_WORD_FIRST_M)} - used - cities
    streets = {w.lower() for w in (*_STREET_WORDS, *used_streets)}
    banned = (_NON_NAMES | used | cities | streets | en_us
              | (_vocab_words(vocab) - word_names))
    rng = random.Random("heldout-10-pools")
    male, female, last = draw_name_pools(
        rng, ((caps, _locale_names(loc)) for loc, caps in _LOCALE_CAPS.items()), banned, word_names,
        invented=((_SUR_HEAD, _SUR_TAIL, 460), (_GIVEN_HEAD, _GIVEN_TAIL_F, 70),
                  (_GIVEN_HEAD, _GIVEN_TAIL_M, 70)),
        words=(_WORD_LAST, _WORD_FIRST_F, _WORD_FIRST_M))
    female = [x for x in female if x not in set(male)]
    last_set = {x.lower() for x in last}
    male = [x for x in male if x.lower() not in last_set or x.lower() in word_names]
    female = [x for x in female if x.lower() not in last_set or x.lower() in word_names]
    plain = [x for x in c if not re.search(r" [A-Z][a-z]$|-|\.|'| Kauai$", x)]
    hospitals = sorted({
        *(f"{x} Healthplex" for x in plain[:5]),
        *(f"{x} Hospital & Clinics" for x in plain[20:26]),
        *(f"{x} Miners' Hospital" for x in plain[60:63]),
        *(f"{rng.choice(last)} Deaconess Hospital" for _ in range(3)),
        *(f"{x} Native Medical Center" for x in plain[90:93]),
        *(f"Queen's {x} Medical Center" for x in plain[120:122]),
        *(f"{x} Borough Regional Medical Campus" for x in plain[5:8]),
    })
    facilities = sorted({
        *(f"{x} Hospital at Home" for x in plain[8:11]),
        *(f"{x} Sickle Cell Day Hospital" for x in plain[11:13]),
        *(f"{x} Stone & Lithotripsy Center" for x in plain[13:16]),
        *(f"{x} Group Home" for x in plain[30:33]),
        *(f"{x} Adult Day Services" for x in plain[33:36]),
        *(f"{x} Transplant Pharmacy" for x in plain[36:38]),
        *(f"{x} Birth Center" for x in plain[40:43]),
        *(f"{x} Neuromodulation Clinic" for x in plain[43:45]),
        *(f"{x} Weight Management Institute" for x in plain[45:47]),
        *(f"{x} Marathon Medical Tent" for x in plain[47:49]),
    })
    used_places = set().union(*({h.lower() for h in s.hospitals + s.facilities} for s in others))
    hospitals = [h for h in hospitals if h.lower() not in used_places]
    facilities = [f for f in facilities if f.lower() not in used_places]
    street_names = tuple(w for w in (*_STREET_WORDS, *last[:100]) if w not in used_streets)
    return Style(
        name="heldout",
        templates=HELDOUT_TEMPLATES,
        first_male=tuple(male), first_female=tuple(female), last=tuple(last),
        cities=tuple(c),
        street_names=street_names,
        street_suffixes=("Rd", "Trl", "Hwy", "Spur", "Pkwy", "Loop", "Lp", "Street", "St", "Pl", "Ave", "Cir",
                         "Way", "Section Rd", "Mile"),
        units=("", "", "", "", "Unit {n}{l}", "Spc {n}", "#{n}", "Bldg {l}", "PO Box {n}"),
        hospitals=tuple(hospitals), facilities=tuple(facilities),
        email_domains=("gci.net", "hawaiiantel.net", "midco.net", "bresnan.net", "gmx.com", "fastmail.com",
                       "tutanota.com", "zoho.com", "aol.com", "live.com"),
        web_hosts=("hah", "tentmed", "stone", "scs", "txrx", "dayhosp"),
        states=_STATES,
        date_formats=DATE_FORMATS,
        random_date_formats=RANDOM_DATE_FORMATS,
        name_forms=("full", "lf", "slash", "Last_FIRST", "fm_last", "fl", "LF", "mid", "last"),
        age_forms=AGE_FORMS,
        ids=_ids(),
        email_forms=("{first}_{last}@{domain}", "{last}{f}{nn}@{domain}", "{first}.{last}{nn}@{domain}",
                     "{f}_{last}@{domain}"),
        url_forms=("https://{hslug}.org/{host}/v/{id}", "https://{host}-{hslug}.com/e?id={id}",
                   "{hslug}.net/{host}/{id}", "http://10.0.0.1/{host}/{hslug}/{id}"),
        bullets=("o ", "~ ", "({i}) ", "[{i}] "),
        vocab=vocab,
        mess=_mess_factory,
        p_old=0.3,
        extra_name_forms=_name_forms,
    )


# ----------------------------------------------------------------------------- templates
HELDOUT_TEMPLATES = (
    # ------------------------------------------------------------------ discharge
    Template("ecmo_decannulation_dc", "discharge", """\
<document type="DischargeSummary" facility="{HOSP}">
Patient: {PT.hl7}   MRN: {MRN}   FIN: {ACCT}   DOB: {D.dob:iso_zulu}
Admit: {D.adm:iso_zulu}   Discharge: {D.dis:iso_zulu}   ECMO run {ID:ecmo}
Attending: {DR.full}, MD   Perfusion: {RN.fm_last}, CCP   Referring: {HOSP2}

{PT.mr} {PT.last} is a {AGE:yr_dot_old_sp} {PT.sex} from {CITY}, {STATE} with \
[[cardiogenic shock on VA-ECMO]] \
after a large anterior MI. Console {DEVICE:ecmo}; [[bivalirudin]] 0.15 mg/kg/h for anticoagulation.
Hx {PMH_INLINE}. Wean trial {D.proc:d_mon_dash_yy}: flow 1.5 L/min, TTE LVEF 30%.
[[ECMO decannulation]] {D.proc:d_mon_dash_yy} in OR; femoral cannula lot 19F-2208 (not PHI); \
[[Lloyd sign]] n/a.
Course:
{COURSE}
Discharge meds: {MEDS_INLINE}
Family: {PT.his} {REL.rel} {REL.full} stayed at the family house; {PHONE.rel}. Outside records faxed {FAX}.
Follow-up heart failure clinic {D.fu:d_mon_dash_yy}. Electronically signed {DR.slash} {D.dis:mdy_slash}
</document>
"""),
    Template("sickle_day_hospital_dc", "discharge", """\
{FAC} -- DAY HOSPITAL DISCHARGE   visit {ID:dh}
Name {PT.Last_FIRST}   MRN {MRN}   {AGE:aged_y}   plan {HPLAN}   seen {D.today:nth_mon_y}
Hematologist {DR.full}, MD   Day-hospital RN {RN.full}

Dx: [[sickle cell anemia HbSS]], uncomplicated [[vaso-occlusive crisis]] ([[bone pain]] back and legs, 8/10).
Individualized pain plan: [[hydromorphone PCA]] 0.2 mg demand q10 min x4 h via pump {DEVICE:pca}; IV fluids \
0.45 NS at 125 mL/h. [[simple transfusion]] not needed (Hgb 7.9, baseline 8). {LABS}.
Pain 3/10 at discharge; no [[acute chest syndrome]] (CXR clear). On [[hydroxyurea]] 1000 mg [[PO]] daily, \
[[L-glutamine powder]] 15 g [[BID]]. Prior admission {D.prev:nth_mon_y}; dictated on the {D.dis:nth}.
Home to {STREET}, {CITY} {ZIP} with {PT.his} {REL.rel} {REL.first} driving ({PHONE.rel}).
Return to day hospital PRN; clinic {D.fu:nth_mon_y}. CDC-INFO 1-800-232-4636 (public). -- {DR.fl}
"""),
    Template("home_birth_transfer_dc", "discharge", """\
POSTPARTUM DISCHARGE -- PLANNED HOME BIRTH, INTRAPARTUM/POSTPARTUM TRANSFER   {HOSP}
Mother: {PT.lf}   MRN {MRN}   G2P2   her grandmother (support person) {AGE:yoa_dots}   worksheet {ID:bw}
Delivered at home {D.adm:d_month_comma_y} with midwife {X.full}, {LIC:mw}; transferred by EMS for \
[[retained placenta]] and [[postpartum hemorrhage]] (EBL 1,200 mL).

In L&D: [[oxytocin]] 10 units IM given at home; [[manual placental removal]] under spinal; \
[[methylergonovine]] 0.2 mg IM x1. 2 u PRBC. [[Rh immune globulin]] 300 mcg (mother Rh neg).
Newborn {REL.full} stayed with father; weight 3,640 g; exam normal.
Discharged {D.dis:d_month_comma_y}. Address {STREET}, {CITY}, {STATE} {ZIP}; cell {PHONE.pt}.
Home visit by CNM {D.fu:mdy_slash}. Attending {DR.full}, MD (OB); cc {PCP.fm_last}
"""),
    Template("botulism_antitoxin_dc", "discharge", """\
{HOSP} -- Discharge Summary -- page 1
Pt: {PT.slash}   MRN {MRN}   Acct {ACCT}   {AGE:age_y_paren}   DOB {D.dob:MONTH_d_y_bare}
Admit {D.adm:MONTH_d_y_bare}   D/C {D.dis:MONTH_d_y_bare}   Attending {DR.full}, MD   ID: {DR2.fl}

Home-canned <<salmon|beets|fermented seal flipper|garlic in oil>> eaten {D.onset:MONTH_d_y_bare} \
(CDC consult {D.proc:d_mon_y}); \
[[droopy eyelids]], [[trouble swallowing]], descending weakness -> [[foodborne botulism]].
State health dept released [[botulism antitoxin heptavalent]] 1 vial IV (lot 0014Z not PHI); \
[[nasogastric decompression]]; NIF monitored q4h, lowest -28. No intubation.
Hx {PMH_INLINE}. Two household contacts ({REL.full}, {X.full}) observed, well.
Discharge to {FAC}. {PT.His} {REL.rel} can be reached at {PHONE.rel}. Epi case e-mail {EMAIL.dr}.
{DR.fl}, MD   Poison Help 1-800-222-1222 (public)
"""),
    # ------------------------------------------------------------------ radiology
    Template("eswl_fluoro_report", "radiology", """\
{FAC}   SHOCK WAVE LITHOTRIPSY -- FLUOROSCOPY REPORT   case {ID:eswl}
{PT.lf}   {MRN}   {AGE:yoa_dots}   {PT.mf}   date {D.proc:yy_mm_dd_hy}
Urologist {DR.full}, MD   Tech {RN.fl}   Referred by {PCP.full}

Indication: 9 mm left [[ureteral calculus]] at L3, [[flank colic]]. Hx [[nephrolithiasis]], {DX}.
[[shock wave lithotripsy]]: 3,000 shocks, 90/min, power level 6 (not an id); fluoro time 2.1 min.
Findings: {IMAGING_INLINE} Stone fragmented; residual 2 mm fragments.
Impression:
{IMPRESSION}
[[ureteral stent]] <<not placed|placed 6 Fr x 26 cm>>. [[tamsulosin ER]] 0.4 mg daily. [[KUB]] on \
{D.fu:yy_mm_dd_hy}. Images {PT.lastlower}_eswl_{D.proc:m_d_yyyy_under}.dcm -> PACS {IP}
"""),
    Template("scs_lead_position_xr", "radiology", """\
XR THORACIC SPINE 2V -- SPINAL CORD STIMULATOR TRIAL LEADS   {HOSP}
Pt {PT.Last_FIRST}   MRN {MRN}   trial {ID:trial}   exam {D.today:mon_d_slash_y}
Ordering {DR.full}, MD (pain)   Read {DR2.fm_last}, MD

History: [[failed back surgery syndrome]], [[complex regional pain syndrome]] L leg; [[Waddell signs]] 0/5.
Technique: AP and lateral. Comparison {D.prev:mon_d_slash_y}.
Findings: two 8-contact percutaneous leads, tips at the superior endplate of T8, paramedian <<L|R>>; \
no fracture. {IMAGING_INLINE}
Impression: [[percutaneous lead placement]] unchanged vs intraop film; no migration.
Trial generator {DEVICE:ipg}. Dictated {D.today:mon_d_slash_y} by {DR2.last}; transcribed by {X.under}
"""),
    Template("intragastric_balloon_kub", "radiology", """\
ABDOMEN 1 VIEW (KUB) -- INTRAGASTRIC BALLOON CHECK   {FAC}
Patient {PT.full}   chart {MRN}   {AGE:num}   registry {ID:igb}
Ordering {DR.full}, MD   Exam date {D.today:dd_mm_yyyy_sp}

Clinical: [[class II obesity]]; [[intragastric balloon placement]] on {D.proc:dd_mm_yyyy_sp} \
(balloon {DEVICE:igb}, fill 550 mL saline + methylene blue; lot 77-1043 not PHI). Now [[early satiety]], \
<<vomiting|cramping>>.
Findings: balloon in the gastric body, <<normal shape|reduced volume>>; {IMAGING_INLINE}
Impression: {IMPRESSION}
[[balloon retrieval]] by endoscopy planned {D.fu:dd_mm_yyyy_sp}. {PT.His} {REL.rel} {REL.full} called \
{PHONE.rel}. Report: {URL}
"""),
    Template("airway_fb_film", "radiology", """\
PEDS RADIOLOGY -- CHEST INSP/EXP AND LATERAL NECK   case {ID:fb}   {HOSP}
{PT.full} ({PT.hl7})   MRN {MRN}   DOB {D.dob:mdy_sp_slash}   scanned {D.today:mdy_sp_slash}
Ordering ED physician {DR.full}; read by {DR2.full}, MD

History: choking on <<peanuts|a popcorn kernel|a toy part>> at a birthday party, then [[stridor]] and \
cough; [[aspirated foreign body]]?
Findings: [[lateral neck film]] normal airway. Expiratory view: air trapping in the <<right|left>> \
lower lobe; no radiopaque FB. {IMAGING_INLINE}
Impression: findings favour a bronchial FB; [[rigid bronchoscopy]] advised.
Discussed with {DR.last} by phone {PHONE.dr} at 14:12. Mother {REL.full} present. Grandfather aged \
{AGE:num} in waiting room with {REL.first}.
"""),
    # ------------------------------------------------------------------ progress
    Template("hospital_at_home_rounds", "progress", """\
{FAC} -- DAILY ROUNDS (virtual + RN in home)   episode {ID:hah}   day <<2|3|4>>
{PT.lf}   MRN {MRN}   {AGE:aged_y}   {D.today:d_mon_dash_yy}
MD {DR.full} (video)   RN {RN.full} (in home)   Paramedic {X.fl}

Admitted to HaH {D.adm:iso} for [[CHF]] exacerbation. S: {PT.first} slept well; {SX} improving; \
[[GI]] ok. {PT.His} {REL.rel} {REL.full} is the caregiver.
O: {VITALS} (via kit {DEVICE:kit}, hotspot {IP}). {EXAM_INLINE}.
[[remote patient monitoring]] alerts overnight: 0.
A/P:
{PLAN}
Escalation: call 911 or the HaH line {PHONE.hah}. Home {STREET}, {CITY} {ZIP}; gate code 2211 (not an id).
Next video visit {D.next:d_mon_dash_yy}. -- {DR.fl}, MD
"""),
    Template("transplant_pharmacist_visit", "progress", """\
{FAC}   TRANSPLANT PHARMACIST VISIT   ref {ID:txp}
Patient {PT.slash}   MRN {MRN}   Tx date {D.prev:d_month_comma_y}   {AGE:yr_dot_old_sp}
Pharmacist {DR.full}, PharmD, {LIC:ph}   Transplant nephrology {DR2.fm_last}

[[kidney transplant recipient]] (deceased donor, 2019). [[tacrolimus trough]] 14.2 ng/mL on \
{D.lab:d_month_comma_y} -> [[tacrolimus toxicity]]? tremor, Cr up. [[drug level monitoring]] reviewed.
Regimen: [[tacrolimus]] 2 mg BID -> 1.5 mg BID; [[mycophenolate mofetil]] 1000 mg BID; [[valganciclovir]] \
450 mg daily; [[Prograf]] brand only per insurer {HPLAN}.
Interaction: started <<clarithromycin|diltiazem|fluconazole>> at an urgent care -- stopped.
Refills mailed to {STREET}, {CITY}, {STATE} {ZIP}. Repeat level {D.fu:d_month_comma_y}.
Pt e-mail {EMAIL.pt}; {REL.rel} {REL.full} helps with the pillbox.
"""),
    Template("scs_trial_followup", "progress", """\
{FAC} -- SCS TRIAL DAY 5 CHECK   trial {ID:trial}   {D.today:yymondd_caps}
Pt {PT.lf}   MRN {MRN}   {AGE:age_y_paren}   rep on site {X.full} (company, not staff)
Provider {DR.full}, MD   Nurse {RN.first}

[[spinal cord stimulator trial]] placed {D.proc:yymondd_caps}; generator {DEVICE:ipg}. \
Pain 7/10 -> 2/10; walking 40 min vs 10 ([[leg pain with walking]] better). Opioid use halved.
Program 3: 1.2 mA, 40 Hz, 300 us (settings, not ids). [[Patrick test]] -, [[Lasegue sign]] -, \
[[Hoover sign]] normal.
Leads pulled today, tips intact. Plan: permanent implant; psych clearance done {D.prev:yymondd_caps}.
Hx {PMH_INLINE}. Spouse {REL.full} ({PHONE.rel}). -- {DR.fl}
"""),
    Template("balloon_dietitian_visit", "progress", """\
{FAC}   NUTRITION FOLLOW-UP, INTRAGASTRIC BALLOON MONTH <<2|3|5>>
{PT.Last_FIRST}   MRN {MRN}   {AGE:num}   plan {HPLAN}   {D.today:mon_d}
RD {DR.full}, LD   MD {DR2.full}

Weight 102.4 kg (start 114.0). BMI 36.1. [[early satiety]]; mild reflux on [[pantoprazole]] 40 mg.
24-h recall: 3 small meals, protein 70 g. Hx [[class II obesity]], [[HTN]], {DX}; no [[SOB]]. \
[[Boas sign]] n/a.
Goals: 60 min activity/day; log in app (user {PT.under}). Balloon due out {D.fu:mon_d}.
Next visit {D.next:mon_d}. Messages to {EMAIL.pt}. Clinic fax {FAX}.
"""),
    # ------------------------------------------------------------------ ed
    Template("marathon_tent_heatstroke", "ed", """\
{FAC} -- MEDICAL TENT RECORD   bib {ID:bib}   cot {ID:cot}   {D.adm:mdy_slash}
Runner {PT.full}   {AGE:aged_y}   {PT.mf}   from {CITY}, {STATE}   ICE contact {REL.full} {PHONE.rel}
Tent physician {DR.full}, MD   Athletic trainer {X.full}

Registered {D.prev:md}. Collapsed at mile 24 (WBGT 27.8 C, not an id). [[exertional heat stroke]]: \
rectal [[core temp]] 41.6 C, \
confused. [[ice water immersion]] 14 min -> 38.9 C. {VITALS}.
Na 137 by i-STAT. [[cold saline]] 1 L IV. No [[Chvostek sign]].
Dispo: to {HOSP} by ambulance <<for CK and LFTs|-- released after 2 h, walked out with family>>.
Race medical director Dr. {DR2.last}. Tent laptop {IP}. 26.2 mi course; bib numbers in race log.
"""),
    Template("roofer_heat_illness_ed", "ed", """\
ED NOTE   {HOSP}   {D.adm:month_d_y} 15:40   OSHA log case {ID:osha}
{PT.lf}   MRN {MRN}   {AGE:yoa_dots}   employer crew lead {X.full} ({PHONE.work})
Home {STREET}, {CITY} {ZIP}   SSN {SSN}   ins {HPLAN}

Roofer, 6th hour on a tar roof, heat index 104. [[heat cramps]], vomiting, then syncope. \
[[heat exhaustion with rhabdomyolysis]]: [[myoglobin]] high, CK 14,800.
Hx {PMH_INLINE}. Exam: {EXAM_INLINE}; {SIGN} negative.
Tx: 3 L LR, cooling. Admit for fluids; Cr trend. Workers' comp claim to employer; OSHA 1-800-321-6742.
{PT.His} {REL.rel} {REL.full} notified. {DR.full}, MD {D.adm:mdy2}
"""),
    Template("ebike_collision_ed", "ed", """\
EMERGENCY DEPT PROVIDER NOTE -- {HOSP}   arrival {D.adm:d_mon_dash_yy} 18:05
Pt: {PT.fm_last}   MRN {MRN}   {AGE:yr_dot_old_sp}   DL {LIC:dl}   phone {PHONE.pt}

[[e-bike collision]] with a car door at ~20 mph; helmet on. L shoulder pain, abrasions.
XR: mid-shaft [[clavicle fracture]], 1 cm displacement; no PTX. [[Kehr sign]] negative, FAST negative.
Hx {PMH_INLINE}. {VITALS}.
Plan: sling, ortho f/u {D.fu:d_mon_dash_yy}; [[acetaminophen]] 1 g q6h.
Police report: car plate {VEHICLE}; e-bike frame {VEHICLE:ebike} (stolen bikes are checked). \
Friend {REL.full} to drive home. {DR.full}, MD
"""),
    Template("magnet_ingestion_ed", "ed", """\
PEDIATRIC ED NOTE   {HOSP}   {D.adm:mon_d} {TIME}   case {ID:fb}
{PT.full} ({PT.under})   MRN {MRN}   age 4   mother {REL.full} ({PHONE.rel})

Swallowed <<2|3|4>> high-power magnets from a desk toy ~3 h ago. [[magnet ingestion]]; no pain, tolerating PO.
[[KUB]]: magnets clumped in the stomach vs proximal bowel. Peds GI Dr. {DR2.last} paged.
Plan: <<endoscopic retrieval tonight|serial films q4-6h, [[polyethylene glycol 3350]] 17 g>>. \
No MRI while magnets in situ. Grandmother, {AGE:aged_y}, brought {PT.him} in.
{DR.full}, MD -- Poison Help 1-800-222-1222 (public)
"""),
    # ------------------------------------------------------------------ nursing (ALL CAPS)
    Template("group_home_med_pass_caps", "nursing", """\
{FAC} -- MEDICATION ADMINISTRATION RECORD   RES {ID:res}   MONTH OF {D.today:mon_d_slash_y}
RESIDENT {PT.hl7}   DOB {D.dob:mdy_slash}   {AGE:num}   MEDICAID {HPLAN}   GUARDIAN {REL.full} {PHONE.rel}

TIME | MED                          | DOSE   | INITIALS
0800 | [[LEVETIRACETAM]]            | 500 MG | {RN.ini2}
0800 | [[SERTRALINE]]               | 50 MG  | {RN.ini2}
2000 | [[QUETIAPINE]]               | 25 MG  | {X.ini2}
DX: [[INTELLECTUAL DISABILITY]], SEIZURE DISORDER. MED AIDE {RN.full}, {LIC:cma}. PRN NONE GIVEN.
PHARMACY {PHONE.rx}. NURSE DELEGATOR {DR.lf}. REFUSED 2000 DOSE {D.next:mdy_slash} -- REPORTED.
""", upper=True),
    Template("adult_day_care_log_caps", "nursing", """\
{FAC} -- PARTICIPANT DAILY LOG   MEMBER {ID:adc}   {D.today:mdy_sp_slash}
{PT.Last_FIRST}   {AGE:aged_y}   RIDE VAN {VEHICLE}   FAMILY {REL.full} ({REL.rel}) {PHONE.rel}

ARRIVED 0915 | BP 138/82 | WT 61.2 KG | [[MILD COGNITIVE IMPAIRMENT]], [[HTN]], [[DM2]]
NOON MEDS: [[METFORMIN]] 500 MG GIVEN; FINGERSTICK 142. LUNCH 75%.
ACTIVITIES: CHAIR EXERCISE, BINGO. [[SOB]] NONE. FALL NONE.
NOTE FOR FAMILY: NEW SHOES RUBBING L HEEL. NEXT PODIATRY {D.fu:mdy_slash}. RN {RN.full}
""", upper=True),
    Template("ecmo_circuit_check_caps", "nursing", """\
ECMO CIRCUIT CHECK -- {HOSP}   RUN {ID:ecmo}   CONSOLE {DEVICE:ecmo}
PT {PT.LF}   MRN {MRN}   {AGE:num}   {D.today:yy_mm_dd_hy}

HOUR | RPM  | FLOW L/MIN | SWEEP | PRE/POST P | CLOTS | RN
0000 | 3200 | 3.8        | 2.5   | 310/280    | NONE  | {RN.ini2}
0400 | 3150 | 3.7        | 2.0   | 305/276    | NONE  | {RN.ini2}
0800 | 2900 | 3.1        | 2.0   | 290/262    | FIBRIN R SIDE | {X.ini2}
[[BIVALIRUDIN]] PER PROTOCOL; APTT 64. [[FIBRINOGEN LEVEL]] 210. SPECIALIST {X.full}. MD {DR.last} AWARE.
""", upper=True),
    Template("sickle_pca_log_caps", "nursing", """\
PCA FLOWSHEET -- {FAC}   PUMP {DEVICE:pca}   {D.today:mon_d_slash_y}
PATIENT {PT.lf}   MRN {MRN}   {AGE:yr_dot_old_sp}

TIME | DEMANDS/GOOD | MG GIVEN | PAIN | RASS | RR | SPO2 | RN
0900 | 6/4          | 0.8      | 8    | 0    | 18 | 97   | {RN.ini2}
1100 | 9/6          | 1.2      | 5    | 0    | 16 | 96   | {RN.ini2}
1300 | 3/3          | 0.6      | 3    | -1   | 14 | 95   | {RN.ini2}
[[VASO-OCCLUSIVE CRISIS]]; [[HYDROMORPHONE PCA]] 0.2 MG, LOCKOUT 10 MIN. [[INCENTIVE SPIROMETRY]] 10X/H.
MOTHER {REL.full} AT BEDSIDE, CELL {PHONE.rel}. HEMATOLOGY {DR.full} ROUNDED.
""", upper=True),
)
