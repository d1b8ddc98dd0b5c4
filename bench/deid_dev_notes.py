"""Fresh "dev" clinical notes for measuring how the de-identifier generalises, plus the dev benchmark.

    python bench/deid_dev_notes.py [--n 300] [--seed 7] [--tuning-n 300] [--medquad-docs 400]

Why a third note set: the recognizers were tuned on privacy/deid/synthetic.py's "tuning" templates; the
held-out set is measured once by the lead. These notes were written independently of both: names and places
come from an invented syllable generator (no Faker, no lexicon entry can match them by construction), and the
phrasings are deliberately messy: lower-case names after cues, initials + surname, unusual date forms
(14MAR2021, 14.03.2021, "March 14th", "on the 14th"), unlabelled and dashed identifiers, pagers/extensions,
international phones, ZIP+4, "X Rehab" / "Y Nursing Home" facilities, typos and ALL-CAPS notes.

Metrics are medfl.privacy.deid.evaluation's (token recall/precision, leak rate, clinical terms preserved).
Also reported: the fraction of word tokens scrubbed on the shipped MedQuAD text (data/sites/*/raw), which has
no PHI, so every scrubbed token there is lost training text. Only counts are printed, never note text.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_ON = [
    "b",
    "br",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "h",
    "k",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "qu",
    "r",
    "s",
    "st",
    "t",
    "th",
    "tr",
    "v",
    "w",
    "z",
    "zh",
    "y",
    "sk",
    "bl",
    "ch",
    "j",
]
_NU = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ae", "y", "io", "ua"]
_CO = ["", "", "n", "r", "l", "s", "th", "x", "nd", "rk", "sk", "m", "v", "lt", "z"]
_PLACE_END = [
    "wick",
    "dale",
    "moor",
    "stead",
    "ham",
    "combe",
    "thorpe",
    "field",
    "mere",
    "brook",
    "holm",
    "ridge",
    "crest",
    "by",
]
_FAC = [
    "Rehab",
    "Nursing Home",
    "Hospital",
    "Medical Center",
    "Clinic",
    "Hospice",
    "Manor",
    "Health",
    "Care Center",
    "Rehabilitation Center",
    "Skilled Nursing",
    "Memorial Hospital",
    "Family Practice",
]
_STATES = ["MA", "NY", "OH", "TX", "CA", "Vermont", "NH", "Ohio", "GA", "WA", "Maine", "Oregon"]
_TERMS = [
    "CHF",
    "COPD",
    "furosemide",
    "Lasix",
    "metoprolol",
    "NPO",
    "BID",
    "PO",
    "afib",
    "HTN",
    "DM2",
    "CXR",
    "Foley catheter",
    "Parkinson's disease",
    "Eliquis",
    "pneumonia",
    "cellulitis",
    "UTI",
    "warfarin",
    "vancomycin",
    "EKG",
    "troponin",
    "creatinine",
    "Crohn's disease",
    "Babinski",
    "albuterol",
    "pantoprazole",
    "PICC",
    "Zosyn",
    "dyspnea",
    "orthopnea",
    "Bell's palsy",
    "Coumadin",
    "insulin",
    "lisinopril",
    "sepsis",
    "AKI",
    "GERD",
    "BPH",
    "hypothyroidism",
    "Keppra",
    "Tylenol",
    "heparin",
]


def _word(r: random.Random, syl: int) -> str:
    return "".join(r.choice(_ON) + r.choice(_NU) + r.choice(_CO) for _ in range(syl))


class _Gen:
    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.parts: list[str] = []
        self.spans: list[list] = []
        self.kinds: list[str] = []
        self.terms: list[list] = []
        self.n = 0

    def lit(self, s: str) -> None:
        self.parts.append(s)
        self.n += len(s)

    def phi(self, typ: str, v: str, kind: str) -> None:
        self.spans.append([self.n, self.n + len(v), typ])
        self.kinds.append(f"{typ}:{kind}")
        self.lit(v)

    def term(self, v: str) -> None:
        self.terms.append([self.n, self.n + len(v), v])
        self.lit(v)

    def text(self) -> str:
        return "".join(self.parts)


def _name(r: random.Random) -> tuple[str, str]:
    first, last = _word(r, r.choice((1, 2))).capitalize(), _word(r, r.choice((2, 2, 3))).capitalize()
    if r.random() < 0.2:
        last = r.choice(("Mc", "O'", "Van ", "De")) + last
    return first, last


def _place(r: random.Random) -> str:
    return (_word(r, r.choice((1, 2))) + r.choice(_PLACE_END)).capitalize()


def _date(r: random.Random) -> tuple[str, str]:
    y, m, d = r.randint(2015, 2024), r.randint(1, 12), r.randint(1, 28)
    mon = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][m - 1]
    forms = [
        ("compact", f"{d:02d}{mon[:3].upper()}{y}"),
        ("dotted", f"{d:02d}.{m:02d}.{y}"),
        ("md", f"{m}/{d}"),
        ("mon_ord", f"{mon} {d}{_ord(d)}"),
        ("mdy", f"{m:02d}/{d:02d}/{str(y)[2:]}"),
        ("iso", f"{y}-{m:02d}-{d:02d}"),
        ("d_mon", f"{d}-{mon[:3]}-{y}"),
        ("mon_abbr", f"{mon[:3]}. {d}, {y}"),
        ("dash_md", f"{m}-{d}-{y}"),
    ]
    return r.choice(forms)


def _ord(d: int) -> str:
    return "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")


def _digits(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789") for _ in range(n))


def _idv(r: random.Random) -> tuple[str, str]:
    forms = [
        ("dashed", f"{_digits(r, 2)}-{_digits(r, 2)}-{_digits(r, 3)}"),
        ("alpha", f"AB{_digits(r, 7)}"),
        ("plain", _digits(r, r.randint(6, 9))),
        ("spaced", f"{_digits(r, 3)} {_digits(r, 3)} {_digits(r, 3)}"),
        ("mixed", f"{_digits(r, 3)}-{r.choice('ABCXYZ')}{_digits(r, 4)}"),
        ("letters_tail", f"{_digits(r, 7)}{r.choice('ABCX')}"),
    ]
    return r.choice(forms)


def _phone(r: random.Random) -> tuple[str, str]:
    a, b, c = str(r.randint(201, 989)), str(r.randint(201, 989)), _digits(r, 4)
    forms = [
        ("paren_ext", f"({a}) {b}-{c} ext. {_digits(r, 4)}"),
        ("dots", f"{a}.{b}.{c}"),
        ("plain10", f"{a}{b}{c}"),
        ("intl_uk", f"+44 20 {_digits(r, 4)} {_digits(r, 4)}"),
        ("x_ext", f"{a}-{b}-{c} x{_digits(r, 3)}"),
        ("one", f"1-{a}-{b}-{c}"),
        ("slash", f"{a}/{b}-{c}"),
    ]
    return r.choice(forms)


_TEMPLATES = [
    # each: list of pieces; ("N",) patient name full, ("L",) surname only, ("n",) lower-case full, etc.
    "Pt {N} seen in clinic {D}. Hx {T}, {T}. MRN {I}. Daughter {n2} at bedside, cb {P}.",
    "{NI} is an {AGE} y/o admitted from {F}, {C}, {S} {Z}. Started {T} and {T}. f/u w/ Dr {dl} on {D}.",
    "d/w {N2} (pharmacist), pager {PG}. Plan: continue {T}, hold {T}. {L} agreeable. acct# {I}",
    "PROGRESS NOTE {D}\nSubjective: {N} reports less {T}. lives w/ wife {n2} in {C}.\nID: {I}\n",
    "Transferred from {F} on {D}. Call back {P}. Insurance {I}. Pt {L} is {AGE}. Rx: {T} {T}.",
    "{NU} ADMITTED {D} FROM {FU}. HX {TU}. SEEN BY DR {LU}. CONTACT SON {NU2} {P}.",
    "Signed: {NI2}, NP  {D}\nRe: {N} ({I}) - {T} stable, {T} titrated. Lives at {A}, {C}, {S} {Z}.",
    "Spoke to pt's niece {n2} on the {ORD} re: dc to {F}. Fax {P}. Her # is {I}.",
    "{N} was discharged {D} to {F}; pcp {N2}. Labs: {T} ok. e-mail {E}",
    "per {N2} RN the pt ({L}) refused {T} overnight. pgr {PG}. next appt {D} at {F}.",
]


# Set "B": written after the allow-list pass was tuned on set "A"; measured once before any fix (see report).
_TEMPLATES_B = [
    "f/u call to pt's husband {n2} ({PB}) re: {T}; he states {L} is doing ok. {DB}",
    "pt {NM}, {AGEB}, hx {T}/{T}, from {C} {ZB}. ss {SB}. mrn {IB}",
    "{NH} seen today - dx {T}. Referred to {FB} by {N2}. DOB {DB}.",
    "nursing: {NU} ambulated w/ PT. son {NU2} visited. pt c/o {TU}.",
    "spoke w/ {N2}, case mgr at {FB}, phone {PB}. Pt lives at {AB}, {C} {ZB}.",
    "Addendum {DB}: results d/w {n2} (sister). {L} will return {DB}. Ref# {IB}",
    "{L}, {NM} - {AGEB} - {T} exacerbation; admitted via ED {DB}.",
]


# Set "C": written last, run once for the report, never used to change a rule.
_TEMPLATES_C = [
    "Chaplain {N2} visited; pt's grandson, {N2}, can be reached by text at {PB}.",
    "Outpatient PT at {X} Physical Therapy in {C}. Last seen {DB}. Acct {IB}.",
    "seen in {X} urgent care on {D} - {T}. dr {dl} notified. pt {n2} {L} agrees.",
    "HPI: {AGEB} gentleman ({NM}) w/ {T}, {T}; transferred by {X} Ambulance from {FB}.",
    "{NU}  DOB {DB}  MRN {IB}\nPCP: {N2}  tel {PB}\nAddress: {AB}, {C} {ZB}",
    "Per her niece {N2} ({E}), the pt moved from {C} to {X} Village in {DB}.",
]


def _fill_b(g: _Gen, r: random.Random, k: str, pf: str, pl: str, of: str, ol: str, city: str) -> bool:
    """Keys of set B; False if `k` is not one of them."""
    if k == "NM":
        g.phi("NAME", f"{pf} {r.choice('ABCDEFGHJKLMNPRSTW')}. {pl}", "middle_initial")
    elif k == "NH":
        g.phi("NAME", f"{pf} {pl}-{ol}", "hyphenated")
    elif k == "DB":
        d, y = r.randint(1, 28), r.randint(2015, 2024)
        mon = r.choice(("March", "April", "June", "October", "December", "January"))
        forms = [
            ("of_month", f"{d}{_ord(d)} of {mon}"),
            ("weekday_ord", f"Tuesday the {d}{_ord(d)}"),
            ("mid_month", f"mid-{mon} {y}"),
            ("dmy_slash", f"{d:02d}/{r.randint(1, 12):02d}/{y}"),
            ("md_at", f"{r.randint(1, 12)}/{d}"),
            ("mon_apos", f"{mon} '{str(y)[2:]}"),
            ("ymd_slash", f"{y}/{r.randint(1, 12)}/{d}"),
            ("compact_num", f"{y}{r.randint(1, 12):02d}{d:02d}"),
        ]
        kind, v = r.choice(forms)
        g.phi("DATE", v, kind)
        if kind == "md_at":
            g.lit(f" @ {r.randint(6, 22):02d}00")
    elif k == "IB":
        forms = [
            ("hash_dash", f"#{_digits(r, 4)}-{_digits(r, 4)}"),
            ("abc11", f"ABC{_digits(r, 8)}"),
            ("pairs", f"{_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)}"),
            ("dash4", f"{_digits(r, 3)}-{_digits(r, 2)}-{_digits(r, 3)}-{_digits(r, 1)}"),
            ("glued", f"MRN{_digits(r, 7)}"),
        ]
        kind, v = r.choice(forms)
        g.phi("MRN", v, kind)
    elif k == "PB":
        a, b, c = str(r.randint(201, 989)), str(r.randint(201, 989)), _digits(r, 4)
        forms = [
            ("spaced_c", f"{a} {b} {c} (c)"),
            ("fr", f"+33 1 {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)}"),
            ("paren_tight", f"({a}){b}-{c}"),
            ("ext_word", f"{a}-{b}-{c} ext {_digits(r, 2)}"),
            ("local7", f"{b}{c}"),
        ]
        kind, v = r.choice(forms)
        g.phi("PHONE", v, kind)
    elif k == "AGEB":
        a = r.randint(90, 104)
        kind, v = r.choice(
            [("glued_yo", f"{a}yo"), ("sex", f"{a}F"), ("aged", f"aged {a}"), ("of_age", f"{a} years of age")]
        )
        num = str(a)
        i = v.index(num)
        g.lit(v[:i])
        g.phi("AGE", num, kind)
        g.lit(v[i + len(num) :])
    elif k == "ZB":
        g.phi("ZIP", _digits(r, 5), "zip_no_state")
    elif k == "SB":
        g.phi("SSN", f"{r.randint(100, 665)} {r.randint(10, 99)} {r.randint(1000, 9999)}", "ssn_spaced")
    elif k == "FB":
        x = r.choice((_place(r), ol))
        forms = [
            f"the {x} Center for Rehabilitation",
            f"{x} Assisted Living",
            f"Sisters of {x} Hospice",
            f"{x} House",
            f"{x} Senior Care",
        ]
        v = r.choice(forms)
        if v.startswith("the "):
            g.lit("the ")
            v = v[4:]
        g.phi("HOSPITAL", v, "facility_b")
    elif k == "X":
        g.phi("HOSPITAL", r.choice((_place(r), _word(r, 2).capitalize())), "org_name")
    elif k == "AB":
        g.phi(
            "STREET",
            r.choice(
                (
                    f"Apt {r.randint(1, 9)}, {r.randint(2, 999)} {_place(r)} Close",
                    f"{r.randint(2, 999)} {_place(r)} Rd. #{r.randint(1, 30)}",
                )
            ),
            "street_b",
        )
    else:
        return False
    return True


def _fill(g: _Gen, r: random.Random, tpl: str) -> None:
    pf, pl = _name(r)
    of, ol = _name(r)
    city, state = _place(r), r.choice(_STATES)
    for tok in re.split(r"(\{[A-Za-z0-9]+\})", tpl):
        if not tok.startswith("{"):
            g.lit(tok)
            continue
        k = tok[1:-1]
        if k == "N":
            g.phi("NAME", f"{pf} {pl}" if r.random() < 0.6 else f"{pl}, {pf}", "full")
        elif k == "NU":
            g.phi("NAME", f"{pl.upper()}, {pf.upper()}", "caps")
        elif k == "NU2":
            g.phi("NAME", f"{of.upper()} {ol.upper()}", "caps")
        elif k == "LU":
            g.phi("NAME", ol.upper(), "caps_last")
        elif k == "NI":
            g.phi("NAME", f"{pf[0]}. {pl}" if r.random() < 0.5 else f"{pf[0]} {pl}", "initial")
        elif k == "NI2":
            g.phi("NAME", f"{of[0]}. {ol}", "initial")
        elif k == "N2":
            g.phi("NAME", f"{of} {ol}", "other")
        elif k == "n2":
            g.phi("NAME", of.lower() if r.random() < 0.5 else of, "lower")
        elif k == "dl":
            g.phi("NAME", ol.lower(), "lower_dr")
        elif k == "L":
            g.phi("NAME", pl, "surname")
        elif k == "D":
            kind, v = _date(r)
            g.phi("DATE", v, kind)
        elif k == "ORD":
            g.phi("DATE", f"{r.randint(1, 28)}{r.choice(['th', 'st'])}", "ordinal")
        elif k == "I":
            kind, v = _idv(r)
            g.phi("MRN", v, kind)
        elif k == "P":
            kind, v = _phone(r)
            g.phi("PHONE", v, kind)
        elif k == "PG":
            g.phi("PHONE", _digits(r, r.choice((4, 5))), "pager")
        elif k == "E":
            g.phi("EMAIL", f"{pf.lower()}.{pl.lower().replace(' ', '')}@{_word(r, 2)}.org", "email")
        elif k == "AGE":
            g.phi("AGE", str(r.randint(90, 103)), "age")
        elif k == "F":
            base = r.choice((_place(r), pl, f"{_place(r)} Valley", f"St. {of}"))
            g.phi("HOSPITAL", f"{base} {r.choice(_FAC)}", "facility")
        elif k == "FU":
            g.phi("HOSPITAL", f"{_place(r).upper()} {r.choice(_FAC).upper()}", "facility_caps")
        elif k == "C":
            g.phi("CITY", city, "city")
        elif k == "S":
            g.lit(state)
        elif k == "Z":
            g.phi("ZIP", _digits(r, 5) + (f"-{_digits(r, 4)}" if r.random() < 0.5 else ""), "zip")
        elif k == "A":
            g.phi(
                "STREET",
                f"{r.randint(2, 9999)} {_place(r)} {r.choice(('Rd', 'Lane', 'Street', 'Ave', 'Way'))}",
                "street",
            )
        elif k == "T":
            g.term(r.choice(_TERMS))
        elif _fill_b(g, r, k, pf, pl, of, ol, city):
            pass
        elif k == "TU":
            g.term(r.choice(_TERMS).upper())
        else:
            raise KeyError(k)


def generate_dev_notes(n: int, seed: int, template_set: str = "A") -> list[dict]:
    """n dev notes (2-4 template paragraphs each) with gold spans in generate_notes' format.

    template_set "A" was used while developing the allow-list pass; "B" was written afterwards (measured once,
    then used for fixes); "C" was written last and only measured.
    """
    templates = {"A": _TEMPLATES, "B": _TEMPLATES_B, "C": _TEMPLATES_C}[template_set]
    r = random.Random(f"dev{template_set}:{seed}" if template_set != "A" else f"dev:{seed}")
    notes = []
    for i in range(n):
        g = _Gen(r)
        for j in range(r.randint(2, 4)):
            if j:
                g.lit("\n")
            _fill(g, r, r.choice(templates))
        notes.append(
            {
                "id": f"dev{template_set}-s{seed}-{i:05d}",
                "text": g.text(),
                "spans": g.spans,
                "span_kinds": g.kinds,
                "clinical_terms": g.terms,
                "kind": "dev",
                "template": template_set,
            }
        )
    return notes


def medquad_docs(n: int) -> list[dict]:
    """Up to n/10 documents from each shipped site, with their site name."""
    docs = []
    for f in sorted((ROOT / "data" / "sites").glob("*/raw/docs.jsonl")):
        with f.open() as fh:
            for k, line in enumerate(fh):
                if k >= max(1, n // 10):
                    break
                d = json.loads(line)
                docs.append({"id": d["id"], "text": d["text"], "site": f.parts[-3]})
    return docs


def scrub_rate(docs: list[dict]) -> dict:
    """Fraction of word tokens inside a predicted span, on text without PHI (timed in CPU seconds)."""
    from medfl.privacy.deid import DeidConfig, Deidentifier

    deid = Deidentifier(DeidConfig())
    tok = re.compile(r"[^\W\d_]+|\d+")
    total = scrubbed = 0
    by_type: dict[str, int] = {}
    c0 = time.process_time()
    for d in docs:
        spans = deid.analyze(d["text"])
        for s, e, t in spans:
            by_type[t] = by_type.get(t, 0) + len(tok.findall(d["text"][s:e]))
        covered = [0] * (len(d["text"]) + 1)
        for s, e, _ in spans:
            for c in range(s, e):
                covered[c] = 1
        for m in tok.finditer(d["text"]):
            total += 1
            scrubbed += all(covered[m.start() : m.end()])
    return {
        "docs": len(docs),
        "tokens": total,
        "scrubbed": scrubbed,
        "scrub_rate": round(scrubbed / max(1, total), 5),
        "tokens_by_type": by_type,
        "cpu_s": round(time.process_time() - c0, 2),
    }


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    from deid_eval import evaluate_set, print_table  # reuse the held-out bench's scoring

    from medfl.privacy.deid.evaluation import check_goals
    from medfl.privacy.deid.synthetic import generate_notes

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tuning-n", type=int, default=300)
    ap.add_argument("--tuning-seed", type=int, default=1)
    ap.add_argument("--medquad-docs", type=int, default=400)
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "deid_dev.json")
    args = ap.parse_args(argv)
    out = {}
    for name, docs in (
        (f"dev(n={args.n},seed={args.seed})", generate_dev_notes(args.n, args.seed)),
        (f"devB(n={args.n},seed={args.seed})", generate_dev_notes(args.n, args.seed, "B")),
        (f"devC(n={args.n},seed={args.seed})", generate_dev_notes(args.n, args.seed, "C")),
        (
            f"tuning(n={args.tuning_n},seed={args.tuning_seed})",
            generate_notes(args.tuning_n, args.tuning_seed, "tuning"),
        ),
    ):
        res = evaluate_set(name, docs, "tags")
        print_table(res, args.details)
        g = check_goals(res)
        print("  zero-leak types:", g["zero_leak_types"]["leaked"])
        out[name] = res
    if args.medquad_docs:
        from deid_build_lexicons import HOLDOUT_SITES  # sites the generated allow-lists were NOT built from

        docs = medquad_docs(args.medquad_docs)
        for label, sub in (
            ("all sites", docs),
            ("lexicon-holdout sites", [d for d in docs if d["site"] in HOLDOUT_SITES]),
        ):
            mq = scrub_rate(sub)
            print(
                f"MedQuAD {label} (no PHI): {mq['scrubbed']}/{mq['tokens']} word tokens scrubbed = "
                f"{100 * mq['scrub_rate']:.2f}%  by type {mq['tokens_by_type']}  ({mq['docs']} docs)"
            )
            out[f"medquad {label}"] = mq
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
