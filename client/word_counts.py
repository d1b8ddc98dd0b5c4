"""A site's contribution to the federated tokenizer (issue 7): word counts, never text.

    prepared docs_train.jsonl -> pre-tokens per document -> drop words seen in < k documents
                              -> (optional) bounded contributions + noise + threshold -> {word: count}

The server sums the sites' counts and trains SentencePiece BPE from them (`medfl.server.tokenizer_phase`);
BPE never merges across SentencePiece's pre-tokens, so these counts carry everything it would have read from
the text (`medfl.core_model.tokenizer.pretokenize`).

Design choices
- Fail closed: `require_prepared` first; only de-identified training documents are counted (never the
  held-out split, which stays untouched for the fertility comparison).
- k-document threshold (default k=5): a word that occurs in fewer than k of the site's documents is dropped,
  whatever its total count. Leftover identifiers (a name the de-identifier missed, an MRN) live in one
  patient's few notes; words used across many documents are vocabulary. The site enforces the stricter of
  its own k (node config `tokenizer-min-doc-freq`) and the server's request: the server can tighten, never
  loosen it.
- Fragments of rare words (default on, exact-count mode): a dropped word is replaced by its greedy
  longest-first segmentation into substrings (<= 16 characters) that each occur in >= k of the site's
  documents, so the tail of the vocabulary still teaches BPE its subwords ("cardiomyopathy" in 3 documents
  -> "cardio" + "myopathy") while every released string is k-frequent at the site; the word itself is
  never sent. A fragment that does not start the word is sent behind FRAGMENT_MARK (U+A500, a Vai letter:
  SentencePiece never merges across scripts, so the mark only costs the two pieces "ꔀ" and "▁ꔀ" and the
  fragment is learned as a word-internal piece, not as a word start). On the 10 shipped sample sites
  (67-242 documents each) this halves the fertility cost of k=5 (bench/federated_tokenizer.py).
- Optional differential privacy (node config `tokenizer-dp-epsilon` > 0, or requested by the server): the
  differentially private set union / histogram of Korolova et al. (WWW 2009) and Wilson et al. (PoPETs 2020,
  "DP SQL with bounded user contribution"), with one DOCUMENT as the privacy unit:
    1. each document contributes to at most L distinct words (a uniform random subset when it has more)
       and at most C to each word's count (clipped per-document occurrences; C=1 counts documents);
    2. noise on every count: Laplace(b = L*C/eps), or Gaussian with sigma from the analytic Gaussian
       mechanism (Balle & Wang 2018) for L2 sensitivity sqrt(L)*C at (eps, delta/2);
    3. release a word only if its noisy count exceeds tau = C + b*ln(L/(2 delta)) (Laplace) or
       C + sigma*Phi^-1(1 - delta/(2L)) (Gaussian): the chance that any of a document's own words (count <= C
       without it) is released is then <= delta (Laplace) or delta/2 (Gaussian), which makes the SET of
       released words (eps, delta)-DP as well as their counts. The k threshold becomes max(tau, k) on the
       noisy count (with C=1 that is the noisy document frequency).
  The noisy counts are rounded to integers (>= 1). A word released by one site is summed by the server
  (post-processing). Caveats: the guarantee is per document, not per patient (prepared docs carry no
  patient id), and numpy's floating-point noise is not hardened against the Mironov (2012) attacks.
- Nothing here logs, raises or reports a word: only numbers (documents, distinct words, tokens, eps/delta).
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from statistics import NormalDist
from typing import Any

from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

FRAGMENT_MARK = "\ua500"  # precedes word-internal fragments (see module docstring)
_MAX_FRAGMENT = 16
PHASE = "tokenizer"  # ConfigRecord "config"["phase"] and the Flower message type "query.tokenizer"
MECHANISMS = ("gaussian", "laplace")


@dataclass(frozen=True)
class WordCountConfig:
    """How a site turns its documents into releasable word counts. Args:
    min_doc_freq: k; words in fewer than k documents of this site are never sent.
    fragments: send k-frequent fragments of the dropped words instead (exact-count mode only).
    max_words: send at most this many words (the highest counts): bounds the message size.
    dp_epsilon: > 0 switches the DP set union on (per-document privacy unit); 0 = counts are exact.
    dp_delta: delta of the DP guarantee (covers both the noise and the release of never-seen words).
    dp_mechanism: "gaussian" (L2 sensitivity, better for large L) or "laplace".
    dp_max_words_per_doc: L, distinct words one document may contribute to (DP only).
    dp_max_count_per_word: C, what one document may add to a word's count (DP only).
    """

    min_doc_freq: int = 5
    fragments: bool = True
    max_words: int = 500_000
    dp_epsilon: float = 0.0
    dp_delta: float = 1e-6
    dp_mechanism: str = "gaussian"
    dp_max_words_per_doc: int = 256
    dp_max_count_per_word: int = 1

    def __post_init__(self) -> None:
        if self.min_doc_freq < 1:
            raise MedflError(f"tokenizer min-doc-freq must be >= 1, got {self.min_doc_freq}")
        if self.max_words < 1:
            raise MedflError(f"tokenizer max-words must be >= 1, got {self.max_words}")
        if not (self.dp_epsilon >= 0 and math.isfinite(self.dp_epsilon)):
            raise MedflError(f"tokenizer dp-epsilon must be >= 0, got {self.dp_epsilon}")
        if self.dp_epsilon > 0:
            if not 0 < self.dp_delta < 1:
                raise MedflError(f"tokenizer dp-delta must be in (0, 1), got {self.dp_delta}")
            if self.dp_mechanism not in MECHANISMS:
                raise MedflError(f"tokenizer dp-mechanism {self.dp_mechanism!r} is not one of "
                                 f"{', '.join(MECHANISMS)}")
            if self.dp_max_words_per_doc < 1 or self.dp_max_count_per_word < 1:
                raise MedflError("tokenizer dp-max-words-per-doc and dp-max-count-per-word must be >= 1")

    @property
    def dp(self) -> bool:
        return self.dp_epsilon > 0

    # node config (site) and message config (server) use the same kebab-case keys, prefixed "tokenizer-"
    _KEYS = {"min_doc_freq": int, "fragments": lambda v: str(v).lower() in ("1", "true", "yes"),
             "max_words": int, "dp_epsilon": float, "dp_delta": float,
             "dp_mechanism": str, "dp_max_words_per_doc": int, "dp_max_count_per_word": int}

    @classmethod
    def from_mapping(cls, m: Any, *, prefix: str = "tokenizer-",
                     where: str = "node config") -> WordCountConfig:
        kw: dict[str, Any] = {}
        for name, typ in cls._KEYS.items():
            key = prefix + name.replace("_", "-")
            if key in m and m[key] not in ("", None):
                try:
                    kw[name] = typ(m[key])
                except (TypeError, ValueError):
                    raise MedflError(f"{where} {key}={m[key]!r} is not valid") from None
        return cls(**kw)

    def to_mapping(self, prefix: str = "tokenizer-") -> dict[str, Any]:
        return {prefix + k.replace("_", "-"): v for k, v in asdict(self).items()}

    def stricter(self, other: WordCountConfig) -> WordCountConfig:
        """The tighter of two settings (site floor vs server request): larger k, smaller eps/delta/L/C."""
        eps = [e for e in (self.dp_epsilon, other.dp_epsilon) if e > 0]
        mech = self.dp_mechanism if self.dp_epsilon > 0 else other.dp_mechanism
        return replace(self, min_doc_freq=max(self.min_doc_freq, other.min_doc_freq),
                       fragments=self.fragments and other.fragments,
                       max_words=min(self.max_words, other.max_words),
                       dp_epsilon=min(eps) if eps else 0.0, dp_delta=min(self.dp_delta, other.dp_delta),
                       dp_mechanism=mech,
                       dp_max_words_per_doc=min(self.dp_max_words_per_doc, other.dp_max_words_per_doc),
                       dp_max_count_per_word=min(self.dp_max_count_per_word, other.dp_max_count_per_word))


# ---- DP calibration ------------------------------------------------------------------------------------

_N = NormalDist()


def _analytic_gaussian_delta(sigma: float, eps: float, sens: float) -> float:
    """delta of the Gaussian mechanism with noise sigma and L2 sensitivity sens (Balle & Wang 2018, Thm 8)."""
    a, b = sens / (2 * sigma), eps * sigma / sens
    return _N.cdf(a - b) - math.exp(eps) * _N.cdf(-a - b)


def gaussian_sigma(eps: float, delta: float, sens: float) -> float:
    """Smallest sigma (bisection, 1e-6 relative) with the analytic Gaussian mechanism's delta <= delta."""
    lo, hi = 1e-6 * sens, sens
    while _analytic_gaussian_delta(hi, eps, sens) > delta:
        hi *= 2
    while hi - lo > 1e-6 * hi:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _analytic_gaussian_delta(mid, eps, sens) > delta else (lo, mid)
    return hi


def dp_calibration(cfg: WordCountConfig) -> dict[str, float]:
    """Noise scale and release threshold for cfg's (eps, delta, L, C); see the module docstring."""
    L, C, eps, delta = cfg.dp_max_words_per_doc, cfg.dp_max_count_per_word, cfg.dp_epsilon, cfg.dp_delta
    if cfg.dp_mechanism == "laplace":
        scale = L * C / eps
        tau = C + scale * math.log(L / (2 * delta))
    else:
        scale = gaussian_sigma(eps, delta / 2, math.sqrt(L) * C)
        tau = C + scale * _N.inv_cdf(1 - delta / (2 * L))
    return {"scale": scale, "threshold": max(tau, float(cfg.min_doc_freq))}


# ---- counting ------------------------------------------------------------------------------------------


@dataclass
class SiteWordCounts:
    """What a site releases (`counts`) plus numbers about it (no words)."""

    counts: dict[str, int]
    stats: dict[str, float]


def count_site_words(data_dir: Path, cfg: WordCountConfig, *, seed: int | None = None) -> SiteWordCounts:
    """Word counts of a prepared site's training documents, thresholded (and noised) per ``cfg``.

    Args:
        data_dir: a `medfl-client prepare` output dir (deid manifest checked first: fail closed).
        cfg: threshold / DP settings (already merged with the server's request).
        seed: DP randomness (document subsampling and noise); None = fresh OS entropy. Tests only.

    Stats (numbers only): num-docs, num-words-seen / num-tokens-seen (distinct pre-tokens / occurrences in
    the documents), num-words-dropped (distinct pre-tokens under k), num-fragments-sent (fragment
    occurrences standing in for them), num-words / num-tokens (keys released / sum of released counts).
    With DP only what the mechanism outputs is reported (exact document and word numbers are not DP).
    """
    import numpy as np

    from medfl.client.corpus import read_documents
    from medfl.client.prepare import TRAIN, require_prepared
    from medfl.core_model.tokenizer import pretokenize

    data_dir = Path(data_dir)
    require_prepared(data_dir)
    rng = np.random.default_rng(seed)
    L, C = cfg.dp_max_words_per_doc, cfg.dp_max_count_per_word
    totals: Counter[str] = Counter()  # exact path: occurrences; DP path: clipped contributions
    doc_freq: Counter[str] = Counter()
    n_docs = n_tokens = 0
    doc_words: list[list[str]] = []  # distinct words per document, for fragment document frequencies
    for doc in read_documents(data_dir / TRAIN):
        text = doc.get("text")
        if not isinstance(text, str):
            continue
        words = Counter(pretokenize(text))
        n_docs += 1
        n_tokens += sum(words.values())
        if cfg.dp:
            if len(words) > L:  # bounded contribution: a uniform random L-subset of the doc's words
                keys = sorted(words)  # sorted: the subset depends on the rng only, not on dict order
                words = Counter({keys[i]: words[keys[i]] for i in rng.choice(len(keys), L, replace=False)})
            words = Counter({w: min(c, C) for w, c in words.items()})
        totals.update(words)
        doc_freq.update(words.keys())
        if cfg.fragments and not cfg.dp:
            doc_words.append(list(words))

    stats: dict[str, float] = {"num-docs": n_docs, "num-words-seen": len(totals), "num-tokens-seen": n_tokens,
                               "min-doc-freq": cfg.min_doc_freq}
    if not cfg.dp:
        kept = {w: c for w, c in totals.items() if doc_freq[w] >= cfg.min_doc_freq}
        if cfg.fragments:
            rare = [w for w in totals if doc_freq[w] < cfg.min_doc_freq]
            frags = _fragments(rare, doc_words, cfg.min_doc_freq)
            n_frag = 0
            for w in rare:
                for f in frags.get(w, ()):
                    kept[f] = kept.get(f, 0) + totals[w]
                    n_frag += 1
            stats["num-fragments-sent"] = n_frag
    else:
        cal = dp_calibration(cfg)
        words = sorted(totals)
        vals = np.fromiter((totals[w] for w in words), dtype=np.float64, count=len(words))
        if cfg.dp_mechanism == "laplace":
            noisy = vals + rng.laplace(0.0, cal["scale"], size=len(vals))
        else:
            noisy = vals + rng.normal(0.0, cal["scale"], size=len(vals))
        kept = {w: max(1, round(v)) for w, v in zip(words, noisy.tolist(), strict=True)
                if v > cal["threshold"]}
        # exact document/word numbers are not DP: release only what the mechanism outputs
        stats = {"min-doc-freq": cfg.min_doc_freq, "dp-epsilon": cfg.dp_epsilon, "dp-delta": cfg.dp_delta,
                 "dp-noise-scale": cal["scale"], "dp-threshold": cal["threshold"],
                 "dp-max-words-per-doc": L, "dp-max-count-per-word": C}
    if len(kept) > cfg.max_words:  # the most frequent words carry the merges; ties broken by the word
        top = sorted(kept.items(), key=lambda wc: (-wc[1], wc[0]))[: cfg.max_words]
        kept = dict(top)
    stats["num-words"] = len(kept)
    stats["num-tokens"] = sum(kept.values())
    if not cfg.dp:
        stats["num-words-dropped"] = len(totals) - len(kept)
    return SiteWordCounts(counts=kept, stats=stats)


def _substrings(w: str, keep: set[str] | None = None) -> set[str]:
    n = len(w)
    out = {w[i:j] for i in range(n) for j in range(i + 1, min(n, i + _MAX_FRAGMENT) + 1)}
    return out if keep is None else out & keep


def _fragments(rare: list[str], doc_words: list[list[str]], k: int) -> dict[str, list[str]]:
    """Rare word -> its k-frequent fragments (greedy longest first; word-internal ones behind the mark).

    A substring's document frequency counts the documents in which it occurs inside any word."""
    rare = [w for w in rare if len(w) <= 256]  # longer pre-tokens are no words (SentencePiece skips them)
    cand: set[str] = set()
    for w in rare:
        cand |= _substrings(w)
    per_word: dict[str, set[str]] = {}
    sub_df: Counter[str] = Counter()
    for words in doc_words:
        in_doc: set[str] = set()
        for w in words:
            s = per_word.get(w)
            if s is None:
                s = per_word[w] = _substrings(w, cand) if len(w) <= 256 else set()
            in_doc |= s
        sub_df.update(in_doc)
    out: dict[str, list[str]] = {}
    for w in rare:
        parts, i = [], 0
        while i < len(w):
            for j in range(min(len(w), i + _MAX_FRAGMENT), i, -1):
                if sub_df[w[i:j]] >= k:
                    if i == 0:
                        parts.append(w[:j])
                    elif j - i >= 2:  # single characters carry no pair statistics
                        parts.append(FRAGMENT_MARK + w[i:j])
                    i = j
                    break
            else:  # no k-frequent substring starts here (a rare character): skip it
                i += 1
        if parts:
            out[w] = parts
    return out


# ---- the Flower message handler (ClientApp "query.tokenizer") -------------------------------------------


def handle(content: Any, settings: Any, site_floor: WordCountConfig) -> Any:
    """Answer the server's tokenizer-phase message: RecordDict {"counts": ConfigRecord, "metrics"}.

    ``settings`` is the site's `medfl.client.site_task.SiteSettings` (data path, site id); ``site_floor``
    its own node config (``tokenizer-*`` keys), applied on top of the server's request in "config".
    """
    from flwr.app import ConfigRecord, MetricRecord, RecordDict

    from medfl.client.site_task import site_hash

    t0 = time.perf_counter()
    req = content.config_records.get("config") or ConfigRecord()
    if str(req.get("phase", PHASE)) != PHASE:
        raise MedflError(f"site {settings.site_id}: not a tokenizer-phase message")
    server = WordCountConfig.from_mapping(req, where="server message config")
    cfg = site_floor.stricter(server)
    res = count_site_words(settings.data_path, cfg)
    words = sorted(res.counts)  # sorted: the message does not reveal document order
    counts = ConfigRecord({"site-id": settings.site_id, "words": words,
                           "counts": [int(res.counts[w]) for w in words],
                           "dp-mechanism": cfg.dp_mechanism if cfg.dp else "none"})
    metrics = MetricRecord({**{k: float(v) for k, v in res.stats.items()},
                            "num-examples": int(res.stats["num-tokens"]),
                            "site-id": site_hash(settings.site_id),
                            "site-seconds": time.perf_counter() - t0})
    log.info("site %s: tokenizer phase: %d words / %d tokens released (k=%d%s), %.1f s", settings.site_id,
             len(words), res.stats["num-tokens"], cfg.min_doc_freq,
             f", DP eps={cfg.dp_epsilon:g} delta={cfg.dp_delta:.1e} {cfg.dp_mechanism}" if cfg.dp else "",
             time.perf_counter() - t0)
    return RecordDict({"counts": counts, "metrics": metrics})
