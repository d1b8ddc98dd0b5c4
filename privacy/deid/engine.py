"""Site-local de-identification: presidio + medfl clinical recognizers, tags or surrogates, fail closed.

Design choices
- NLP engine: presidio's own `NoOpNlpEngine` (presidio-analyzer 2.2.366, nlp_engine/no_op_nlp_engine.py).
  The default `AnalyzerEngine()` loads/downloads spaCy `en_core_web_lg`; sites have no network and that NER
  floods clinical abbreviations with false positives. A `spacy.blank("en")` engine would add tokenisation cost
  but no lemmas (so presidio's lemma context enhancer would still see nothing) and no entities. With the no-op
  engine nothing is downloaded or loaded, each recognizer does its own context check on a character window
  (`MedflPatternRecognizer.enhance_using_context`), and per-note cost is only our regexes.
- One analyzer per process (`Deidentifier`, cached by config), built from the YAML registry; patterns are
  compiled once.
- Overlapping detections of any types are merged into their union (fail towards scrubbing); the merged span
  takes the type of its highest-scoring member. Spans are offsets into the ORIGINAL text.
- Fail closed: a document that is not text, cannot be decoded as UTF-8, raises, or exceeds `timeout_s` comes
  back with text=None and a reason, counted and listed in the report. Only the exception TYPE is recorded:
  messages and tracebacks can quote the text. The per-document timeout is SIGALRM-based (it interrupts Python
  and `re` matching) and, with workers > 1, backed by a parent-side deadline that kills a stuck pool.
- `workers > 1`: a spawn-context process pool (no fork of a parent holding torch/threads); documents travel in
  small batches and come back in input order.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

from medfl.core_model.errors import MedflError
from medfl.privacy.deid.recognizers import ENTITY_TYPES, load_recognizers

log = logging.getLogger(__name__)

# The whole tag vocabulary of tags mode (the tokenizer may want these as single tokens).
TAGS: dict[str, str] = {t: f"[{t}]" for t in ENTITY_TYPES}
SECRET_ENV = "MEDFL_DEID_SECRET"
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
# Exotic blanks and curly quotes pasted from web pages and word processors ("MISSED\u00a0DOSE 9/10",
# "O\u2019Brien") are read as their ASCII forms: one character for one, so spans still index the original text
# and every recognizer sees one spelling instead of each having to list them all.
_ASCII_FORMS = str.maketrans(
    {**{c: " " for c in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                        "\u200a\u202f\u205f\u3000"},
     "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"'}
)
# Digit groups joined by "_", "\\", a Unicode dash, a fraction slash or a middle dot ("123_45_6789",
# "3\\4\\2021", "2021_03_04", "617\u2013555\u20130134") are read as joined by "-", "/" or ".": every
# recognizer of dates, SSNs, phones and ids then accepts them without listing the separators (one character
# for one, so spans still index the original text). Between letters they stay ("pt_name", "pain\u2014better").
_JOIN_FORMS = {"_": "-", "\\": "/", "\u2044": "/", "\u2215": "/", "\uff0f": "/", "\u00b7": ".", "\u2024": ".",
               **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"}}
_DIGIT_JOIN = re.compile(r"(?<=\d)[" + re.escape("".join(_JOIN_FORMS)) + r"](?=\d)")
# A reader that could not parse an input record passes {"id": ..., QUARANTINE_KEY: reason}: it is quarantined
# with that reason and still occupies its place in the output.
QUARANTINE_KEY = "__medfl_quarantine__"


@dataclass
class DeidConfig:
    """Site de-identification settings.

    Args:
        mode: "tags" replaces each span by its tag ("[NAME]"); "surrogates" by realistic fake values.
        timeout_s: per-document limit; a slower document is quarantined.
        workers: processes; 1 runs in-process.
        site_secret: key for surrogate generation (else env MEDFL_DEID_SECRET, else a random per-run key).
        patient_key: input field whose value keys the date shift (documents of one patient share an offset);
            documents without it are shifted by a per-document offset.
        registry: recognizer registry YAML; None = the packaged privacy/deid/recognizers.yaml.
        score_threshold: overrides the registry's threshold.
        batch_size: documents per pool task (workers > 1).
    """

    mode: str = "tags"
    timeout_s: float = 10.0
    workers: int = 1
    site_secret: str | None = None
    patient_key: str = "patient_id"
    registry: str | None = None
    score_threshold: float | None = None
    batch_size: int = 16

    def __post_init__(self) -> None:
        if self.mode not in ("tags", "surrogates"):
            raise MedflError(f"deid mode {self.mode!r} is not supported; choose 'tags' or 'surrogates'")
        if not self.timeout_s > 0:
            raise MedflError(f"deid timeout_s must be > 0, got {self.timeout_s}")
        if int(self.workers) < 1:
            raise MedflError(f"deid workers must be >= 1, got {self.workers}")
        if int(self.batch_size) < 1:
            raise MedflError(f"deid batch_size must be >= 1, got {self.batch_size}")


@dataclass
class DeidDoc:
    id: str
    text: str | None  # None = quarantined: never train on it
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    quarantine_reason: str | None = None
    extra: dict = field(default_factory=dict)

    def to_json_dict(self) -> dict:
        out = {**self.extra, "id": self.id, "text": self.text, "spans": [list(s) for s in self.spans]}
        if self.quarantine_reason is not None:
            out["quarantined"] = self.quarantine_reason
        return out


@dataclass
class DeidReport:
    n_docs: int = 0
    n_quarantined: int = 0
    quarantined_ids: list[str] = field(default_factory=list)
    counts_per_type: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    notes_per_s: float = 0.0
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    mode: str = "tags"
    workers: int = 1
    n_chars: int = 0

    def add(self, doc: DeidDoc, n_chars: int = 0) -> None:
        self.n_docs += 1
        self.n_chars += n_chars
        if doc.text is None:
            self.n_quarantined += 1
            self.quarantined_ids.append(doc.id)
            reason = (doc.quarantine_reason or "unknown").split(":")[0]
            self.quarantine_reasons[reason] = self.quarantine_reasons.get(reason, 0) + 1
            return
        for _, _, t in doc.spans:
            self.counts_per_type[t] = self.counts_per_type.get(t, 0) + 1

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        lines = [
            f"de-identification report (mode={self.mode}, workers={self.workers})",
            f"documents: {self.n_docs}   quarantined: {self.n_quarantined}",
            f"time: {self.seconds:.2f} s   {self.notes_per_s:.1f} notes/s   {self.n_chars / 1e6:.2f} M chars",
            "spans per type:",
        ]
        lines += [f"  {t:<10} {n}" for t, n in sorted(self.counts_per_type.items(), key=lambda kv: -kv[1])]
        if self.quarantined_ids:
            lines.append(
                "quarantined (never trained on): "
                + ", ".join(f"{k}={v}" for k, v in sorted(self.quarantine_reasons.items()))
            )
            lines += [f"  {i}" for i in self.quarantined_ids]
        return "\n".join(lines) + "\n"

    def write(self, path: str | Path) -> tuple[Path, Path]:
        """JSON at `path` and the readable summary beside it (same name, .txt)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n")
        txt = path.with_suffix(".txt") if path.suffix != ".txt" else path.with_suffix(".summary.txt")
        txt.write_text(self.summary())
        return path, txt


# ---- the de-identifier ----------------------------------------------------------------------------


class Deidentifier:
    """One presidio AnalyzerEngine with the medfl recognizers; build once per process and reuse."""

    def __init__(self, config: DeidConfig | None = None) -> None:
        from presidio_analyzer import RecognizerRegistry
        from presidio_analyzer.nlp_engine import NoOpNlpEngine

        self.config = config or DeidConfig()
        # presidio logs every recognizer load and, per analyze() call, "Fetching all recognizers" at INFO
        # (its import-time device line is quieted in medfl/privacy/deid/__init__.py)
        presidio_log = logging.getLogger("presidio-analyzer")
        presidio_log.setLevel(max(presidio_log.getEffectiveLevel(), logging.WARNING))
        recognizers, threshold = load_recognizers(self.config.registry)
        if self.config.score_threshold is not None:
            threshold = self.config.score_threshold
        nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "no_op"}])
        nlp.load()
        registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
        self.analyzer = _analyzer_cls()(
            registry=registry,
            nlp_engine=nlp,
            supported_languages=["en"],
            default_score_threshold=threshold,
            context_aware_enhancer=_RecognizerContextOnly(),
        )
        self.recognizers = recognizers

    def analyze(self, text: str) -> list[tuple[int, int, str]]:
        """PHI spans (start, end, type) in `text`, sorted, non-overlapping."""
        if not text:
            return []
        ascii_only = text.isascii()
        if not ascii_only:
            text = text.translate(_ASCII_FORMS)
        if not ascii_only or "_" in text or "\\" in text:
            text = _DIGIT_JOIN.sub(lambda m: _JOIN_FORMS[m.group(0)], text)
        results = self.analyzer.analyze(text=text, language="en")
        return _merge(text, [(r.start, r.end, r.entity_type, r.score) for r in results])

    def redact(
        self,
        text: str,
        spans: list[tuple[int, int, str]],
        *,
        doc_key: str = "",
        patient_key: str | None = None,
        secret: bytes | None = None,
    ) -> str:
        if self.config.mode == "tags":
            return _splice(text, spans, lambda s, e, t: TAGS[t])
        from medfl.privacy.deid.surrogates import Surrogator

        if secret is None:
            secret = _resolve_secret(self.config)
        avoid = frozenset(w.lower() for s, e, _ in spans for w in _WORD.findall(text[s:e]))
        sur = Surrogator(secret, doc_key, patient_key, avoid=avoid)
        return _splice(text, spans, lambda s, e, t: sur.replace(t, text[s:e]))

    def deidentify(
        self, text: str, *, doc_key: str = "", patient_key: str | None = None, secret: bytes | None = None
    ) -> tuple[str, list[tuple[int, int, str]]]:
        spans = self.analyze(text)
        return self.redact(text, spans, doc_key=doc_key, patient_key=patient_key, secret=secret), spans


def _make_context_enhancer_cls():
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer

    class RecognizerContextOnly(ContextAwareEnhancer):
        """Context comes from each recognizer's `enhance_using_context`; presidio's lemma enhancer would only
        deep-copy every result (~2 ms/note) to find no lemmas in the no-op engine's empty artifacts."""

        def __init__(self) -> None:
            super().__init__(
                context_similarity_factor=0.0,
                min_score_with_context_similarity=0.0,
                context_prefix_count=0,
                context_suffix_count=0,
            )

        def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
            return raw_results

    return RecognizerContextOnly


def _RecognizerContextOnly():  # noqa: N802 - built lazily so importing engine does not import presidio
    return _make_context_enhancer_cls()()


@lru_cache(maxsize=1)
def _analyzer_cls():
    from presidio_analyzer import AnalyzerEngine, RecognizerResult

    class GroupedContextAnalyzer(AnalyzerEngine):
        """presidio's AnalyzerEngine with its per-recognizer context pass done in one grouping: presidio
        re-reads every result's recognizer id once per recognizer (about 10% of a note's time with 20
        recognizers); each recognizer still gets its own results and everyone else's, as in presidio."""

        def _enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
            key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
            ids = [r.recognition_metadata[key] for r in raw_results]
            results = []
            for rec in recognizers:
                me = rec.id
                own = [r for r, i in zip(raw_results, ids, strict=True) if i == me]
                if not own:
                    continue  # our recognizers only rescore their own results
                other = [r for r, i in zip(raw_results, ids, strict=True) if i != me]
                results.extend(rec.enhance_using_context(
                    text=text, raw_recognizer_results=own, other_raw_recognizer_results=other,
                    nlp_artifacts=nlp_artifacts, context=context,
                ))
            return self.context_aware_enhancer.enhance_using_context(
                text=text, raw_results=results, nlp_artifacts=nlp_artifacts, recognizers=recognizers,
                context=context,
            )

    return GroupedContextAnalyzer


def _merge(text: str, hits: list[tuple[int, int, str, float]]) -> list[tuple[int, int, str]]:
    """Union of overlapping hits (any type); adjacent same-type hits separated only by blanks are joined."""
    hits.sort(key=lambda h: (h[0], -h[1]))
    merged: list[list] = []  # [start, end, type, score, length]
    for s, e, t, sc in hits:
        if merged:
            ps, pe, pt, psc, plen = merged[-1]
            gap = text[pe:s]
            if s < pe or (pt == t and s >= pe and (gap.strip(" \t") == "") and s - pe <= 2):
                better = (sc, e - s) > (psc, plen)
                merged[-1] = [ps, max(pe, e), t if better else pt, max(sc, psc), max(plen, e - s)]
                continue
        merged.append([s, e, t, sc, e - s])
    return [(s, e, t) for s, e, t, _, _ in merged]


def _splice(text: str, spans, make) -> str:
    out, pos = [], 0
    for s, e, t in spans:
        out.append(text[pos:s])
        out.append(make(s, e, t))
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _resolve_secret(config: DeidConfig) -> bytes:
    if config.site_secret:
        return config.site_secret.encode()
    env = os.environ.get(SECRET_ENV)
    if env:
        return env.encode()
    return _run_secret()


@lru_cache(maxsize=1)
def _run_secret() -> bytes:
    log.warning(
        "no site secret (DeidConfig.site_secret or %s): surrogates use a random per-run key and are "
        "not reproducible across runs",
        SECRET_ENV,
    )
    return secrets.token_bytes(32)


@lru_cache(maxsize=4)
def _deidentifier(config_key: tuple) -> Deidentifier:
    return Deidentifier(DeidConfig(**dict(config_key)))


def _config_key(config: DeidConfig) -> tuple:
    d = asdict(config)
    d["site_secret"] = None  # never part of a cache key / pickled config
    return tuple(sorted(d.items()))


# ---- per-document work with a timeout ---------------------------------------------------------------


class _DocTimeout(BaseException):  # noqa: N818 - BaseException: no `except Exception` on the way can swallow it
    pass


def _alarm(signum, frame):
    raise _DocTimeout()


def _process_one(
    deid: Deidentifier, doc_id: str, text: str, patient: str | None, secret: bytes, timeout_s: float
) -> tuple[str | None, list, str | None]:
    """(text, spans, quarantine_reason). Never raises, never returns exception messages."""
    use_alarm = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    old_handler, old_timer = None, (0.0, 0.0)
    t0 = time.perf_counter()
    try:
        if use_alarm:
            old_handler = signal.signal(signal.SIGALRM, _alarm)
            old_timer = signal.setitimer(signal.ITIMER_REAL, timeout_s)
        out, spans = deid.deidentify(text, doc_key=doc_id, patient_key=patient, secret=secret)
        if time.perf_counter() - t0 > timeout_s:  # without SIGALRM (non-main thread): still fail closed
            return None, [], "timeout"
        return out, spans, None
    except _DocTimeout:
        return None, [], "timeout"
    except Exception as e:  # noqa: BLE001 - fail closed on ANY error; only the type name is kept
        return None, [], f"error:{type(e).__name__}"
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old_handler if old_handler is not None else signal.SIG_DFL)
            if old_timer[0] > 0:  # an alarm of someone else (pytest-timeout) was pending: re-arm the rest
                left = max(old_timer[0] - (time.perf_counter() - t0), 1e-3)
                signal.setitimer(signal.ITIMER_REAL, left, old_timer[1])


def _prepare(doc: dict, config: DeidConfig) -> tuple[str, str | None, dict, str | None, str | None]:
    """(id, text, extra, patient, reason) with text decoded; reason set when the doc must be quarantined."""
    extra = {k: v for k, v in doc.items() if k not in ("id", "text", QUARANTINE_KEY)}
    doc_id = str(doc.get("id", ""))
    if doc.get(QUARANTINE_KEY):
        return doc_id, None, extra, None, str(doc[QUARANTINE_KEY])
    patient = extra.get(config.patient_key)
    patient = str(patient) if patient is not None else None
    text = doc.get("text")
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            return doc_id, None, extra, patient, "undecodable"
    if not isinstance(text, str):
        return doc_id, None, extra, patient, "missing_text" if text is None else "not_text"
    if "\x00" in text:
        return doc_id, None, extra, patient, "binary"
    return doc_id, text, extra, patient, None


# ---- pool workers -----------------------------------------------------------------------------------

_W: dict = {}


def _init_worker(config_key: tuple, secret: bytes) -> None:
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    _W["deid"] = _deidentifier(config_key)
    _W["secret"] = secret
    _W["timeout"] = dict(config_key)["timeout_s"]


def _work_batch(batch: list[tuple[str, str, str | None]]) -> list[tuple[str | None, list, str | None]]:
    deid, secret, timeout = _W["deid"], _W["secret"], _W["timeout"]
    return [_process_one(deid, i, t, p, secret, timeout) for i, t, p in batch]


def _kill_pool(ex: ProcessPoolExecutor) -> None:
    for p in list(getattr(ex, "_processes", {}).values()):  # a stuck worker ignores shutdown(): kill it
        p.kill()
    ex.shutdown(wait=False, cancel_futures=True)


# ---- public entry -----------------------------------------------------------------------------------


def deidentify_documents(
    docs: Iterable[dict], config: DeidConfig, report: DeidReport | None = None
) -> Iterator[DeidDoc]:
    """De-identify documents lazily, in input order; quarantined ones come back with text=None.

    Args:
        docs: dicts with "id" and "text" (str, or bytes decoded as UTF-8); other keys pass through as `extra`.
        config: see `DeidConfig`.
        report: filled in as the iterator is consumed (counts, quarantined ids, notes/s).
    """
    report = report if report is not None else DeidReport()
    report.mode, report.workers = config.mode, int(config.workers)
    secret = _resolve_secret(config) if config.mode == "surrogates" else b""  # tags need no key
    t0 = time.perf_counter()

    def finish(doc: DeidDoc, n_chars: int) -> DeidDoc:
        if doc.text is None:
            log.warning("document %s quarantined (%s)", doc.id, doc.quarantine_reason)
        report.add(doc, n_chars)
        report.seconds = time.perf_counter() - t0
        report.notes_per_s = report.n_docs / report.seconds if report.seconds > 0 else 0.0
        return doc

    if int(config.workers) <= 1:
        deid = _deidentifier(_config_key(config))
        for doc in docs:
            doc_id, text, extra, patient, reason = _prepare(doc, config)
            if reason is None:
                out, spans, reason = _process_one(deid, doc_id, text, patient, secret, config.timeout_s)
            else:
                out, spans = None, []
            yield finish(
                DeidDoc(doc_id, out, spans if reason is None else [], reason, extra), len(text) if text else 0
            )
        return
    yield from _pooled(docs, config, secret, finish)


def _pooled(docs, config: DeidConfig, secret: bytes, finish) -> Iterator[DeidDoc]:
    workers, bs = int(config.workers), int(config.batch_size)
    key = _config_key(config)
    ctx = get_context("spawn")

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(key, secret)
        )

    def batches():
        batch = []
        for doc in docs:
            batch.append(_prepare(doc, config))
            if len(batch) >= bs:
                yield batch
                batch = []
        if batch:
            yield batch

    pool = new_pool()
    pending: list[list] = []  # [batch, future]; futures for batches whose docs all need work
    src = batches()
    window = 2 * workers
    startup_grace = 60.0  # the first task also pays for worker start-up (imports, analyzer build)
    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                batch = next(src, None)
                if batch is None:
                    exhausted = True
                    break
                work = [(i, t, p) for i, t, _, p, r in batch if r is None]
                pending.append([batch, pool.submit(_work_batch, work) if work else None, time.monotonic()])
            if not pending:
                return
            batch, fut, _ = pending.pop(0)
            results: list = []
            if fut is not None:
                # counted from now, not from submission: earlier batches are done, so this one is running or
                # next in line; workers bound each document with SIGALRM, this only catches a stuck process
                budget = config.timeout_s * len(batch) + startup_grace
                try:
                    results = fut.result(timeout=budget)
                except FutureTimeout:
                    log.warning("a de-id worker is stuck; restarting the pool (batch quarantined)")
                    results = [(None, [], "timeout")] * sum(1 for b in batch if b[4] is None)
                    _kill_pool(pool)
                    pool = new_pool()
                    for p in pending:  # resubmit everything that was in flight on the dead pool
                        work = [(i, t, pt) for i, t, _, pt, r in p[0] if r is None]
                        p[1] = pool.submit(_work_batch, work) if work else None
                        p[2] = time.monotonic()
                except Exception as e:  # noqa: BLE001 - e.g. a worker died (BrokenProcessPool)
                    log.warning("de-id worker failed (%s); batch quarantined", type(e).__name__)
                    results = [(None, [], f"error:{type(e).__name__}")] * sum(
                        1 for b in batch if b[4] is None
                    )
                    _kill_pool(pool)
                    pool = new_pool()
                    for p in pending:
                        work = [(i, t, pt) for i, t, _, pt, r in p[0] if r is None]
                        p[1] = pool.submit(_work_batch, work) if work else None
                        p[2] = time.monotonic()
            it = iter(results)
            for doc_id, text, extra, _, reason in batch:
                out, spans = None, []
                if reason is None:
                    out, spans, reason = next(it)
                yield finish(
                    DeidDoc(doc_id, out, spans if reason is None else [], reason, extra),
                    len(text) if text else 0,
                )
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


__all__ = ["TAGS", "DeidConfig", "DeidDoc", "DeidReport", "Deidentifier", "deidentify_documents"]
