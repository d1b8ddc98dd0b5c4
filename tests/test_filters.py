"""Quality filters, exact and MinHash near-duplicate removal."""

import random

import pytest

from medfl.client.filters import Deduplicator, FilterConfig, FilterStats, filter_documents, quality_reason

WORDS = ("patient heart renal dose insulin fever cough chronic acute therapy biopsy tumor lesion blood "
         "pressure lung liver kidney infection cells gene protein symptom diagnosis clinical trial risk "
         "study treatment surgery pain brain nerve muscle bone skin eye ear vaccine virus bacteria").split()


def words(n, seed):
    rng = random.Random(seed)
    return [rng.choice(WORDS) for _ in range(n)]


def shingle_jaccard(a, b, k=5):
    sa = {tuple(a[i : i + k]) for i in range(len(a) - k + 1)}
    sb = {tuple(b[i : i + k]) for i in range(len(b) - k + 1)}
    return len(sa & sb) / len(sa | sb)


def run(docs, cfg=None):
    stats = FilterStats()
    kept = [d["id"] for d in filter_documents(docs, cfg, stats)]
    return kept, stats


def test_length_threshold_is_50_whitespace_words():
    cfg = FilterConfig()
    assert quality_reason(" ".join(words(49, 0)), cfg) == "too_short"
    assert quality_reason(" ".join(words(50, 0)), cfg) is None


def test_symbol_soup_dropped_but_whitespace_does_not_count():
    cfg = FilterConfig()
    soup = " ".join(["---|---|", "=*=*=", "a1"] * 40)  # 120 words, mostly symbols
    assert quality_reason(soup, cfg) == "non_alnum"
    indented = "\n                \n".join(words(60, 1))  # MedQuAD-style indentation is not noise
    assert quality_reason(indented, cfg) is None
    punctuated = " ".join(w + "," for w in words(60, 2))
    assert quality_reason(punctuated, cfg) is None


def test_exact_duplicate_after_normalisation():
    base = " ".join(words(80, 3))
    docs = [{"id": "a", "text": base}, {"id": "b", "text": "  " + base.upper().replace(" ", "\n  ")}]
    kept, stats = run(docs)
    assert kept == ["a"] and stats.dropped["exact_dup"] == 1 and stats.dropped_ids["exact_dup"] == ["b"]


def test_near_duplicate_at_0_9_removed_and_distinct_docs_kept():
    a = words(200, 4)
    b = list(a)
    b[60], b[140] = "hospital", "pharmacy"  # each edit touches 5 shingles: J = 186/206
    j = shingle_jaccard(a, b)
    assert 0.88 < j < 0.92
    c = words(200, 5)  # unrelated
    d = a[:100] + words(100, 6)  # half shared: J ~ 0.3, well below 0.8
    assert shingle_jaccard(a, d) < 0.5
    docs = [{"id": k, "text": " ".join(v)} for k, v in (("a", a), ("b", b), ("c", c), ("d", d))]
    kept, stats = run(docs)
    assert kept == ["a", "c", "d"]
    assert stats.dropped == {"too_short": 0, "non_alnum": 0, "exact_dup": 0, "near_dup": 1}
    assert stats.docs_in == 4 and stats.kept == 3


@pytest.mark.parametrize("seed", range(11, 16))
def test_near_duplicates_removed_across_seeds(seed):
    rng = random.Random(seed)
    a = words(300, seed)
    b = list(a)
    for i in rng.sample(range(0, 300, 10), 3):  # 3 separated edits: J ~ 0.9
        b[i] = "hospital"
    far = list(a)
    for i in range(0, 300, 12):  # an edit every 12 words: J ~ 0.4, must be kept
        far[i] = "pharmacy"
    assert 0.88 < shingle_jaccard(a, b) < 0.93 and shingle_jaccard(a, far) < 0.6
    kept, stats = run([{"id": "a", "text": " ".join(a)}, {"id": "b", "text": " ".join(b)},
                       {"id": "far", "text": " ".join(far)}])
    assert kept == ["a", "far"] and stats.dropped["near_dup"] == 1


def test_counts_per_reason_and_order_kept():
    base = words(100, 7)
    docs = [
        {"id": "short", "text": "too short"},
        {"id": "soup", "text": " ".join(["#$%&*"] * 60)},
        {"id": "x", "text": " ".join(base)},
        {"id": "x-dup", "text": " ".join(base)},
        {"id": "y", "text": " ".join(words(100, 8))},
    ]
    kept, stats = run(docs)
    assert kept == ["x", "y"]
    assert stats.dropped == {"too_short": 1, "non_alnum": 1, "exact_dup": 1, "near_dup": 0}


def test_dedup_is_deterministic():
    a, b = " ".join(words(300, 9)), " ".join(words(300, 10))
    assert (Deduplicator().minhash(a).hashvalues == Deduplicator().minhash(a).hashvalues).all()
    assert not (Deduplicator().minhash(a).hashvalues == Deduplicator().minhash(b).hashvalues).all()


def test_bad_config():
    with pytest.raises(ValueError, match="near_dup_threshold"):
        FilterConfig(near_dup_threshold=1.5)
