"""Score a de-identifier against gold PHI spans: token recall/precision (i2b2 style), leaks, terms kept.

Design choices
- Tokens are maximal runs of letters or of digits (unicode-aware): "94yo" -> "94", "yo"; "MRN12345" ->
  "MRN", "12345". A glued unit or label then cannot hide an age or an id inside a bigger token.
- A token is gold PHI of type T if it overlaps a gold span of type T. It is predicted PHI if EVERY character
  of it lies inside the union of predicted spans: a half-masked token still leaks part of the value.
- Recall per gold type is type-agnostic (any predicted type counts): for privacy what matters is that the
  token was removed, and label sets differ between systems. Precision is per predicted type after
  `normalize_type` (PERSON -> NAME, DATE_TIME -> DATE ...): a predicted token is correct if it is gold PHI of
  any type.
- IGNORE-typed gold spans (e.g. presidio's TITLE) take their tokens out of scoring; `report_only` types get a
  recall row but their tokens are left out of the overall figures (e.g. GPE mixes cities with countries).
- Leak rate, per gold span occurrence: for each distinct gold value v in a document,
  leaked(v) = min(#gold spans with value v, max(0, #v in output - #v in the original outside gold spans)),
  matching v only at letter/digit boundaries. The subtraction keeps "SpO2 92%" from counting as a leaked
  age 92, while a missed "92" next to it still counts.
- A clinical term occurrence is preserved if no predicted span overlaps it.
- A quarantined document (output text None) releases nothing: no leaks; it is left out of token scores and
  term counts and counted in `n_quarantined` (report it: quarantining everything would look perfect).
- Only counts leave this module: no document text goes to logs or results.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from medfl.core_model.errors import MedflError

TOKEN_RE = re.compile(r"\d+|[^\W\d_]+")

# Other systems' labels -> medfl PHI types (synthetic.PHI_TYPES). Unknown labels are kept (upper-cased).
TYPE_SYNONYMS = {
    "PERSON": "NAME", "PATIENT": "NAME", "DOCTOR": "NAME", "USERNAME": "NAME", "PER": "NAME",
    "DATE_TIME": "DATE", "PHONE_NUMBER": "PHONE", "TELEPHONE": "PHONE", "FAX_NUMBER": "FAX",
    "EMAIL_ADDRESS": "EMAIL", "US_SSN": "SSN", "IP_ADDRESS": "IP", "IPADDR": "IP", "MEDICALRECORD": "MRN",
    "MEDICAL_RECORD": "MRN", "MEDICAL_RECORD_NUMBER": "MRN", "ACCOUNT_NUMBER": "ACCOUNT",
    "HEALTHPLAN": "HEALTH_PLAN",
    "US_DRIVER_LICENSE": "LICENSE", "STREET_ADDRESS": "STREET", "ADDRESS": "STREET", "ZIP_CODE": "ZIP",
    "ZIPCODE": "ZIP", "FACILITY": "HOSPITAL", "DOMAIN_NAME": "URL", "IDNUM": "ID",
}

# presidio-research synth_dataset_v2 labels -> (medfl type, how scored); see data/phi/README.md
PRESIDIO_TYPE_MAP = {
    "PERSON": "NAME", "STREET_ADDRESS": "STREET", "ZIP_CODE": "ZIP", "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL", "US_SSN": "SSN", "IP_ADDRESS": "IP", "DOMAIN_NAME": "URL",
    "CREDIT_CARD": "ACCOUNT", "IBAN_CODE": "ACCOUNT", "US_DRIVER_LICENSE": "LICENSE", "DATE_TIME": "DATE",
    "AGE": "AGE", "GPE": "GPE",
    "ORGANIZATION": "ORGANIZATION", "TITLE": "IGNORE", "NRP": "IGNORE",
}
PRESIDIO_REPORT_ONLY = frozenset({"GPE", "ORGANIZATION"})
IGNORE = "IGNORE"
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def normalize_type(label: str) -> str:
    up = label.upper().strip("[]<> ")
    return TYPE_SYNONYMS.get(up, up)


def presidio_gold(record: dict) -> list[tuple[int, int, str]]:
    """Gold spans of one presidio-research record in medfl types (IGNORE for what Safe Harbor allows)."""
    spans = []
    for s in record["spans"]:
        typ = PRESIDIO_TYPE_MAP.get(s["entity_type"], s["entity_type"])
        value = s["entity_value"].strip()
        if typ == "DATE" and (re.fullmatch(r"\d{4}", value) or value.lower() in _WEEKDAYS):
            typ = IGNORE  # a bare year or a weekday is not a date element under Safe Harbor
        if typ == "AGE" and not (value.isdigit() and int(value) > 89):
            typ = IGNORE  # ages <= 89 are not PHI
        spans.append((s["start_position"], s["end_position"], typ))
    return spans


def _boundary_pattern(value: str) -> re.Pattern:
    # letter/digit boundaries: "92" matches in "92yo" and "age 92" but not in "1920"
    def side(ch: str, look: str) -> str:
        if ch.isdigit():
            return f"(?{look}\\d)"
        if ch.isalpha():
            return f"(?{look}[^\\W\\d_])"
        return ""

    return re.compile(side(value[0], "<!") + re.escape(value) + side(value[-1], "!"))


def count_occurrences(value: str, text: str, exclude: Sequence[tuple[int, int]] = ()) -> int:
    """Non-overlapping boundary-aware occurrences of value in text, skipping those overlapping `exclude`."""
    if not value:
        return 0
    n = 0
    for m in _boundary_pattern(value).finditer(text):
        if not any(m.start() < e and s < m.end() for s, e in exclude):
            n += 1
    return n


@dataclass
class DocScore:
    """Counts for one document (see the module docstring for the definitions)."""

    gold_tokens: Counter = field(default_factory=Counter)  # gold type -> tokens
    gold_hit: Counter = field(default_factory=Counter)  # gold type -> tokens predicted
    pred_tokens: Counter = field(default_factory=Counter)  # predicted type -> tokens
    pred_hit: Counter = field(default_factory=Counter)  # predicted type -> tokens that are gold PHI
    kind_tokens: Counter = field(default_factory=Counter)  # span kind (e.g. "DATE:iso") -> tokens
    kind_hit: Counter = field(default_factory=Counter)
    spans: Counter = field(default_factory=Counter)  # gold type -> spans
    spans_masked: Counter = field(default_factory=Counter)  # gold type -> spans with every token predicted
    leak_total: Counter = field(default_factory=Counter)  # gold type -> span occurrences
    leaked: Counter = field(default_factory=Counter)
    terms_total: int = 0
    terms_kept: int = 0
    terms_lost: Counter = field(default_factory=Counter)  # term text -> occurrences scrubbed
    overall_gold: int = 0
    overall_gold_hit: int = 0
    overall_pred: int = 0
    overall_pred_hit: int = 0


def score_document(
    text: str,
    gold: Sequence[Sequence],
    pred: Sequence[Sequence],
    output: str | None,
    *,
    terms: Sequence[Sequence] = (),
    span_kinds: Sequence[str] | None = None,
    report_only: Iterable[str] = (),
) -> DocScore:
    """Score one document. gold/pred: [start, end, type] in ORIGINAL offsets; output: de-identified text."""
    report_only = frozenset(report_only)
    sc = DocScore()
    n = len(text)
    gold_at: list[int | None] = [None] * n  # index of the gold span covering each character
    for i, (s, e, _t) in enumerate(gold):
        for c in range(max(0, s), min(n, e)):
            if gold_at[c] is None:
                gold_at[c] = i
    pred_at: list[int | None] = [None] * n
    for i, (s, e, _t) in enumerate(pred):
        for c in range(max(0, s), min(n, e)):
            if pred_at[c] is None:
                pred_at[c] = i

    # ---- tokens
    span_tok: Counter = Counter()
    span_tok_hit: Counter = Counter()
    for m in TOKEN_RE.finditer(text):
        s, e = m.span()
        g = next((gold_at[c] for c in range(s, e) if gold_at[c] is not None), None)
        gtype = gold[g][2] if g is not None else None
        if gtype == IGNORE:
            continue
        predicted = all(pred_at[c] is not None for c in range(s, e))
        if g is not None:
            sc.gold_tokens[gtype] += 1
            sc.gold_hit[gtype] += predicted
            span_tok[g] += 1
            span_tok_hit[g] += predicted
            if span_kinds is not None:
                sc.kind_tokens[span_kinds[g]] += 1
                sc.kind_hit[span_kinds[g]] += predicted
        if gtype in report_only:
            continue
        if g is not None:
            sc.overall_gold += 1
            sc.overall_gold_hit += predicted
        if predicted:
            ptype = normalize_type(str(pred[pred_at[s]][2]))
            sc.pred_tokens[ptype] += 1
            sc.pred_hit[ptype] += g is not None
            sc.overall_pred += 1
            sc.overall_pred_hit += g is not None
    for i, (_s, _e, t) in enumerate(gold):
        if t == IGNORE or not span_tok[i]:
            continue
        sc.spans[t] += 1
        sc.spans_masked[t] += span_tok[i] == span_tok_hit[i]

    # ---- leaks
    gold_ranges = [(s, e) for s, e, _t in gold]
    by_value: dict[str, list[str]] = {}
    for s, e, t in gold:
        if t != IGNORE:
            by_value.setdefault(text[s:e], []).append(t)
    for value, types in by_value.items():
        for t in types:
            sc.leak_total[t] += 1
        if output is None or not value.strip():
            continue
        extra = count_occurrences(value, output) - count_occurrences(value, text, gold_ranges)
        leaked = min(len(types), max(0, extra))
        for t in types[:leaked]:
            sc.leaked[t] += 1

    # ---- clinical terms
    for s, e, term in terms:
        sc.terms_total += 1
        if any(pred_at[c] is not None for c in range(s, min(e, n))):
            sc.terms_lost[term] += 1
        else:
            sc.terms_kept += 1
    return sc


@dataclass
class EvalResult:
    """Sum of DocScores plus bookkeeping; `to_dict()` gives the per-type table."""

    n_docs: int = 0
    n_quarantined: int = 0
    total: DocScore = field(default_factory=DocScore)
    report_only: frozenset = frozenset()

    def add(self, sc: DocScore) -> None:
        self.n_docs += 1
        t = self.total
        for name in ("gold_tokens", "gold_hit", "pred_tokens", "pred_hit", "kind_tokens", "kind_hit", "spans",
                     "spans_masked", "leak_total", "leaked", "terms_lost"):
            getattr(t, name).update(getattr(sc, name))
        for name in ("terms_total", "terms_kept", "overall_gold", "overall_gold_hit", "overall_pred",
                     "overall_pred_hit"):
            setattr(t, name, getattr(t, name) + getattr(sc, name))

    def add_quarantined(self, gold: Sequence[Sequence]) -> None:
        """A quarantined document: nothing released, so its gold spans count for the leak denominator only."""
        self.n_docs += 1
        self.n_quarantined += 1
        for _s, _e, t in gold:
            if t != IGNORE:
                self.total.leak_total[t] += 1

    def to_dict(self) -> dict:
        t = self.total

        def ratio(a: float, b: float) -> float | None:
            return round(a / b, 4) if b else None

        types = sorted(set(t.gold_tokens) | set(t.pred_tokens) | set(t.leak_total))
        per_type = {}
        for typ in types:
            per_type[typ] = {
                "gold_tokens": t.gold_tokens[typ], "recall": ratio(t.gold_hit[typ], t.gold_tokens[typ]),
                "pred_tokens": t.pred_tokens[typ], "precision": ratio(t.pred_hit[typ], t.pred_tokens[typ]),
                "spans": t.spans[typ], "span_recall": ratio(t.spans_masked[typ], t.spans[typ]),
                "gold_values": t.leak_total[typ], "leaked": t.leaked[typ],
                "leak_rate": ratio(t.leaked[typ], t.leak_total[typ]),
                "report_only": typ in self.report_only,
            }
        scored = [typ for typ in t.leak_total if typ not in self.report_only]
        leaked = sum(t.leaked[x] for x in scored)
        values = sum(t.leak_total[x] for x in scored)
        return {
            "n_docs": self.n_docs,
            "n_quarantined": self.n_quarantined,
            "overall": {
                "recall": ratio(t.overall_gold_hit, t.overall_gold),
                "precision": ratio(t.overall_pred_hit, t.overall_pred),
                "f1": ratio(2 * t.overall_gold_hit * t.overall_pred_hit,
                            t.overall_gold_hit * t.overall_pred + t.overall_pred_hit * t.overall_gold),
                "gold_tokens": t.overall_gold, "pred_tokens": t.overall_pred,
                "leak_rate": ratio(leaked, values), "leaked": leaked, "gold_values": values,
            },
            "per_type": per_type,
            "per_kind_recall": {
                k: {"tokens": t.kind_tokens[k], "recall": ratio(t.kind_hit[k], t.kind_tokens[k])}
                for k in sorted(t.kind_tokens)
            },
            "clinical_terms": {"total": t.terms_total, "preserved": t.terms_kept,
                               "preserved_rate": ratio(t.terms_kept, t.terms_total),
                               "most_scrubbed": t.terms_lost.most_common(15)},
        }


def evaluate(gold_docs: Sequence[dict], outputs: Sequence, *, report_only: Iterable[str] = ()) -> EvalResult:
    """Score de-identified outputs against gold documents, pairwise in order.

    Args:
        gold_docs: dicts with "text", "spans" and optionally "clinical_terms", "span_kinds".
        outputs: objects with .text (None = quarantined) and .spans in ORIGINAL offsets
            (e.g. medfl.privacy.deid.DeidDoc).
        report_only: gold types reported per type but left out of the overall figures.
    """
    if len(gold_docs) != len(outputs):
        raise ValueError(f"{len(gold_docs)} gold documents but {len(outputs)} de-identified outputs")
    res = EvalResult(report_only=frozenset(report_only))
    for g, out in zip(gold_docs, outputs, strict=True):
        if out.text is None:
            res.add_quarantined(g["spans"])
            continue
        res.add(score_document(g["text"], g["spans"], [tuple(s) for s in out.spans], out.text,
                               terms=g.get("clinical_terms", ()), span_kinds=g.get("span_kinds"),
                               report_only=res.report_only))
    return res


# ---- goals and reports (issue 3's targets; `bench/deid_eval.py` and `medfl-client deid-eval` share them)
ZERO_LEAK_TYPES = ("SSN", "PHONE", "FAX", "EMAIL", "MRN", "ACCOUNT", "HEALTH_PLAN")


@dataclass(frozen=True)
class Goals:
    """Go-live targets: overall leak rate, zero leaks for record-like types, clinical terms kept, speed."""

    leak_rate_max: float = 0.01
    terms_preserved_min: float = 0.98
    notes_per_s_per_core_min: float = 100.0
    zero_leak_types: tuple[str, ...] = ZERO_LEAK_TYPES


def check_goals(res: dict, goals: Goals = Goals(), *, dataset: str = "") -> dict:
    """Each goal's value and whether it is met; a goal with nothing to measure (no terms, no timing) is
    skipped. `res` is `EvalResult.to_dict()`, optionally with "timing": {"notes_per_s_per_core": ...}."""
    per = res["per_type"]
    zero = {t: per[t]["leaked"] for t in goals.zero_leak_types if t in per}
    leak, terms = res["overall"]["leak_rate"], res["clinical_terms"]["preserved_rate"]
    out = {
        "dataset": dataset,
        "leak_rate_overall": {"value": leak, "goal": f"<= {goals.leak_rate_max}",
                              "met": leak is not None and leak <= goals.leak_rate_max},
        "zero_leak_types": {"leaked": zero, "goal": "0 each", "met": not any(zero.values())},
        "quarantined": res["n_quarantined"],
    }
    if terms is not None:
        out["clinical_terms_preserved"] = {"value": terms, "goal": f">= {goals.terms_preserved_min}",
                                           "met": terms >= goals.terms_preserved_min}
    speed = res.get("timing", {}).get("notes_per_s_per_core")
    if speed is not None:
        out["notes_per_s_per_core"] = {"value": speed, "goal": f">= {goals.notes_per_s_per_core_min}",
                                       "met": speed >= goals.notes_per_s_per_core_min}
    out["met"] = all(v["met"] for v in out.values() if isinstance(v, dict))
    return out


def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:6.2f}"


def format_table(res: dict, title: str, *, details: bool = False) -> str:
    """The per-type table a person reads: recall, span recall, precision, values and leaks per type."""
    o, ct = res["overall"], res["clinical_terms"]
    lines = [f"== {title}: {res['n_docs']} docs, {res['n_quarantined']} quarantined",
             f"{'type':<14}{'gold tok':>9}{'recall%':>9}{'span rec%':>10}{'pred tok':>9}{'prec%':>8}"
             f"{'values':>8}{'leaked':>7}{'leak%':>8}"]
    for typ, r in res["per_type"].items():
        mark = " *" if r["report_only"] else ""
        lines.append(f"{typ + mark:<14}{r['gold_tokens']:>9}{_pct(r['recall']):>9}"
                     f"{_pct(r['span_recall']):>10}{r['pred_tokens']:>9}{_pct(r['precision']):>8}{r['gold_values']:>8}{r['leaked']:>7}"
                     f"{_pct(r['leak_rate']):>8}")
    lines.append(f"{'OVERALL':<14}{o['gold_tokens']:>9}{_pct(o['recall']):>9}{'':>10}{o['pred_tokens']:>9}"
                 f"{_pct(o['precision']):>8}{o['gold_values']:>8}{o['leaked']:>7}{_pct(o['leak_rate']):>8}")
    if any(r["report_only"] for r in res["per_type"].values()):
        lines.append("(* reported only, not in OVERALL)")
    if ct["total"]:
        rate = _pct(ct["preserved_rate"]).strip()
        lines.append(f"clinical terms preserved: {ct['preserved']}/{ct['total']} = {rate}%"
                     + (f"; most scrubbed: {ct['most_scrubbed'][:8]}" if ct["most_scrubbed"] else ""))
    if details:
        lines.append("recall by span form:")
        lines += [f"  {k:<32}{v['tokens']:>7}{_pct(v['recall']):>9}"
                  for k, v in res["per_kind_recall"].items()]
    return "\n".join(lines) + "\n"


def format_goals(goals: dict) -> str:
    lines = [f"goals on {goals['dataset']}"]
    for k, g in goals.items():
        if isinstance(g, dict):
            status = "MET " if g["met"] else "MISS"
            lines.append(f"  {k:<26} {status}  {g.get('value', g.get('leaked'))}  (goal {g['goal']})")
    return "\n".join(lines) + "\n"


def missed_spans(gold_docs: Sequence[dict], outputs: Sequence) -> list[dict]:
    """Gold spans not completely removed, as {"id", "type", "start", "end"}: positions only, never the text,
    so the list can sit in a report next to the site's annotated file."""
    missed = []
    for g, out in zip(gold_docs, outputs, strict=True):
        if out.text is None:
            continue
        covered = bytearray(len(g["text"]))
        for s, e, _t in out.spans:
            covered[max(0, s):max(0, e)] = b"\x01" * (max(0, e) - max(0, s))
        for s, e, t in g["spans"]:
            if t == IGNORE:
                continue
            toks = [m.span() for m in TOKEN_RE.finditer(g["text"], s, e)]
            if any(not all(covered[a:b]) for a, b in toks):
                missed.append({"id": g.get("id"), "type": t, "start": s, "end": e})
    return missed


def load_gold(path: Path) -> list[dict]:
    """An annotated .jsonl file: one {"id"?, "text", "spans": [[start, end, type], ...], "clinical_terms"?}
    per line (the de-id OUTPUT format, with hand-checked spans). Types are normalised (PERSON -> NAME, ...).
    Raises MedflError naming the file and line on anything malformed; no document text is echoed."""
    path = Path(path)
    if not path.is_file():
        raise MedflError(f"annotated file {path} does not exist")
    from medfl.privacy.deid.io import MALFORMED, jsonl_lines

    docs = []
    for no, obj in jsonl_lines(path):
        where = f"{path}:{no}"
        if obj is MALFORMED:
            raise MedflError(f"{where}: not valid UTF-8 JSON")
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise MedflError(f"{where}: expected an object with a \"text\" string")
        text, spans = obj["text"], obj.get("spans")
        if not isinstance(spans, list):
            raise MedflError(f"{where}: expected \"spans\": [[start, end, type], ...]")
        clean = []
        for sp in spans:
            ok = (isinstance(sp, list) and len(sp) == 3 and all(isinstance(x, int) for x in sp[:2])
                  and isinstance(sp[2], str) and 0 <= sp[0] < sp[1] <= len(text))
            if not ok:
                raise MedflError(f"{where}: bad span {sp[:2] if isinstance(sp, list) else '?'} "
                                 f"(need [start, end, type] with 0 <= start < end <= {len(text)})")
            clean.append((sp[0], sp[1], normalize_type(sp[2])))
        terms = [tuple(t) for t in obj.get("clinical_terms", [])]
        docs.append({"id": str(obj.get("id", f"{path.stem}:{no}")), "text": text, "spans": clean,
                     "clinical_terms": terms})
    if not docs:
        raise MedflError(f"annotated file {path} holds no documents")
    return docs
