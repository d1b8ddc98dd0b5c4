"""Packing into token shards, and the resumable shuffled loader over them.

Hermetic: sites are prepared (real de-id) from a slice of the shipped sample data in tmp dirs and a
throwaway tokenizer is trained in-process.
"""

import json
import os

import numpy as np
import pytest
import torch

from medfl.client.packing import TokenLoader, open_shard, pack_site, token_dtype, train_shards, val_sets
from medfl.client.prepare import prepare_site
from medfl.core_model.errors import MedflError
from medfl.core_model.tokenizer import Tokenizer, train_tokenizer
from medfl.privacy.deid import DeidConfig

T = 32  # seq_len


def _slice(repo_root, site, n):
    lines = (repo_root / "data" / "sites" / site / "raw" / "docs.jsonl").read_text(encoding="utf-8")
    return "".join(lines.splitlines(keepends=True)[:n])


@pytest.fixture(scope="module")
def sites(tmp_path_factory, request):
    """Two prepared sites: A holds two sources (cdc + ninds), B one (niddk)."""
    from pathlib import Path

    repo_root = Path(request.config.rootpath)
    base = tmp_path_factory.mktemp("sites")
    raw_a, raw_b = base / "a_raw", base / "b_raw"
    raw_a.mkdir()
    raw_b.mkdir()
    (raw_a / "cdc.jsonl").write_text(_slice(repo_root, "cdc", 30), encoding="utf-8")
    (raw_a / "ninds.jsonl").write_text(_slice(repo_root, "ninds", 40), encoding="utf-8")
    (raw_b / "niddk.jsonl").write_text(_slice(repo_root, "niddk", 20), encoding="utf-8")
    a, b = base / "a", base / "b"
    prepare_site(raw_a, a, deid=DeidConfig(), val_fraction=0.1)
    prepare_site(raw_b, b, deid=DeidConfig(), val_fraction=0.1)
    return a, b


@pytest.fixture(scope="module")
def tok(sites, tmp_path_factory):
    texts = [json.loads(line)["text"] for d in sites for line in (d / "docs_train.jsonl").open()]
    path = train_tokenizer(out_path=tmp_path_factory.mktemp("tok") / "tok.model", vocab_size=400, texts=texts)
    return Tokenizer.load(path)


def _expected_stream(tok, path, source=None):
    docs = [json.loads(line) for line in open(path, encoding="utf-8")]
    return [i for d in docs if source in (None, d["source"]) for i in (*tok.encode(d["text"]), tok.eos_id)]


def test_pack_is_docs_concatenated_with_eos_no_padding(sites, tok):
    a, _ = sites
    p = pack_site(a, tok, T)
    assert p == a / "packed" / f"{tok.sha256[:12]}-{T}"
    meta = json.loads((p / "meta.json").read_text())
    train, _ = open_shard(p / "train.bin")
    assert train.dtype == np.uint16 and meta["dtype"] == "uint16"
    expected = _expected_stream(tok, a / "docs_train.jsonl")
    assert np.array_equal(np.asarray(train), expected)
    assert tok.pad_id not in set(np.unique(train).tolist())  # no padding anywhere
    n_docs = sum(1 for _ in open(a / "docs_train.jsonl"))
    assert int((np.asarray(train) == tok.eos_id).sum()) == n_docs == meta["train"]["docs"]
    assert meta["train"]["tokens"] == len(expected) and meta["train"]["windows"] == (len(expected) - 1) // T
    assert meta["tokenizer_sha256"] == tok.sha256 and meta["seq_len"] == T
    assert set(meta["val"]) == {"cdc", "ninds"}  # one val shard per source
    for source in ("cdc", "ninds"):
        arr, _ = open_shard(p / meta["val"][source]["file"])
        assert np.array_equal(np.asarray(arr), _expected_stream(tok, a / "docs_val.jsonl", source))


def test_pack_reused_then_rebuilt_when_stale(sites, tok):
    a, _ = sites
    p = pack_site(a, tok, T)
    before = os.stat(p / "train.bin").st_mtime_ns
    assert pack_site(a, tok, T) == p and os.stat(p / "train.bin").st_mtime_ns == before
    meta = json.loads((p / "meta.json").read_text())
    meta["docs_sha256"]["docs_train.jsonl"] = "0" * 64  # made from other docs
    (p / "meta.json").write_text(json.dumps(meta))
    pack_site(a, tok, T)
    assert json.loads((p / "meta.json").read_text())["docs_sha256"]["docs_train.jsonl"] != "0" * 64
    assert not [q for q in p.parent.iterdir() if q.name.startswith(".")]  # no temp dirs left


def test_pack_refuses_unprepared_dir(tmp_path, tok):
    (tmp_path / "docs_train.jsonl").write_text('{"id": "1", "source": "s", "text": "x"}\n')
    with pytest.raises(MedflError, match="deid_manifest.json"):
        pack_site(tmp_path, tok, T)


def test_uint32_for_large_vocab():
    assert token_dtype(64000) == np.uint16 and token_dtype(65536) == np.uint16
    assert token_dtype(65537) == np.uint32


def test_loader_windows_cover_each_epoch_once(sites, tok):
    a, _ = sites
    (shard,) = train_shards(a, tok, T)
    stream = torch.from_numpy(np.asarray(open_shard(shard)[0]).astype(np.int64))
    loader = TokenLoader([shard], T, batch_size=5, seed=0)
    n = loader.n_windows
    assert n == (len(stream) - 1) // T
    seen = []
    while len(seen) < n:
        x, y = loader.next_batch()
        assert x.shape == y.shape == (5, T) and x.dtype == torch.long
        assert torch.equal(x[:, 1:], y[:, :-1])  # y is x shifted by one
        seen.extend(torch.cat([x, y[:, -1:]], 1))
    # Every window stream[k*T : k*T + T + 1] exactly once per epoch (as a multiset: text may repeat),
    # in a shuffled order.
    all_windows = [tuple(stream[k * T : k * T + T + 1].tolist()) for k in range(n)]
    got = [tuple(w.tolist()) for w in seen[:n]]
    assert sorted(got) == sorted(all_windows) and got != all_windows


def test_shuffle_deterministic_by_seed_and_epoch(sites, tok):
    shards = train_shards(sites, tok, T)
    l1, l2, l3 = (TokenLoader(shards, T, 4, seed=s) for s in (0, 0, 1))
    b1, b2, b3 = l1.next_batch()[0], l2.next_batch()[0], l3.next_batch()[0]
    assert torch.equal(b1, b2) and not torch.equal(b1, b3)
    assert not np.array_equal(l1._order(0), l1._order(1))


def test_loader_resume_is_exact_across_epochs(sites, tok):
    shards = train_shards(sites, tok, T)
    ref = TokenLoader(shards, T, batch_size=7, seed=3)
    k = ref.per_rank // 7 + 2  # past the first epoch boundary
    for _ in range(k):
        ref.next_batch()
    state = json.loads(json.dumps(ref.state_dict()))  # survives a JSON round-trip (checkpoint meta)
    resumed = TokenLoader(shards, T, batch_size=7, seed=3)
    resumed.load_state_dict(state)
    assert state["epoch"] == 1
    for _ in range(3):
        (x1, y1), (x2, y2) = ref.next_batch(), resumed.next_batch()
        assert torch.equal(x1, x2) and torch.equal(y1, y2)


def test_resume_rejects_changed_data(sites, tok):
    a, b = sites
    state = TokenLoader(train_shards(a, tok, T), T, 2).state_dict()
    with pytest.raises(MedflError, match="n_windows"):
        TokenLoader(train_shards([a, b], tok, T), T, 2).load_state_dict(state)


def test_multi_site_and_ranks(sites, tok):
    shards = train_shards(sites, tok, T)
    single = [TokenLoader(s, T, 1).n_windows for s in shards]
    both = TokenLoader(shards, T, 1)
    assert both.n_windows == sum(single)  # windows never straddle shards
    ranks = [TokenLoader(shards, T, 1, seed=0, rank=r, world_size=3) for r in range(3)]
    orders = [set(r._order(0).tolist()) for r in ranks]
    assert all(len(o) == both.n_windows // 3 for o in orders)
    assert not (orders[0] & orders[1]) and not (orders[1] & orders[2]) and not (orders[0] & orders[2])


def test_loader_too_little_data(sites, tok):
    a, _ = sites
    with pytest.raises(MedflError, match="too few"):
        TokenLoader(train_shards(a, tok, 10**6), 10**6, 1)


def test_val_sets_per_source(sites, tok):
    a, b = sites
    vs = val_sets([a, b], tok, T)
    assert set(vs) == {"cdc", "ninds", "niddk"}
    for source, t in vs.items():
        d = b if source == "niddk" else a
        stream = torch.tensor(_expected_stream(tok, d / "docs_val.jsonl", source))
        n = (len(stream) - 1) // T
        assert t.shape == (n, T + 1) and t.dtype == torch.long
        assert torch.equal(t[-1], stream[(n - 1) * T : n * T + 1]) and torch.equal(t[0], stream[: T + 1])
