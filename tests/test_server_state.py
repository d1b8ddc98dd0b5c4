"""Coordinator state: atomic per-round save, resume from the newest good round, keep-last pruning."""

import logging

import pytest
import torch

from medfl.core_model.errors import MedflError
from medfl.server import state as st_mod
from medfl.server.state import ServerState, list_rounds, load_latest, load_round, round_dir, save_state


def _st(rnd, seed=0):
    g = torch.Generator().manual_seed(seed + rnd)
    return ServerState(
        round=rnd,
        weights={"w": torch.randn(4, 3, generator=g), "b": torch.randn(3, generator=g)},
        outer_state={"momentum/w": torch.randn(4, 3, generator=g)} if rnd else {},
        history=[{"round": r, "sites": {"a": {"status": "ok"}}} for r in range(1, rnd + 1)],
        model_config={"name": "medfl-tiny", "vocab_size": 400},
        run_config={"num-rounds": 5, "strategy": "nesterov"},
        tokenizer_sha="ab" * 32,
    )


@pytest.fixture
def tok(tmp_path):
    p = tmp_path / "tokenizer.model"
    p.write_bytes(b"not a real model, copied verbatim")
    return p


def test_roundtrip_and_layout(tmp_path, tok):
    sd = tmp_path / "state"
    s = _st(2)
    folder = save_state(sd, s, tokenizer_path=tok)
    assert folder == round_dir(sd, 2)
    assert (sd / "LATEST").read_text().strip() == "round_000002"
    assert (folder / "tokenizer.model").read_bytes() == tok.read_bytes()
    got = load_latest(sd)
    assert got.round == 2 and got.model_version == 2
    for k in s.weights:
        assert torch.equal(got.weights[k], s.weights[k])
    assert torch.equal(got.outer_state["momentum/w"], s.outer_state["momentum/w"])
    assert got.history == s.history and got.model_config == s.model_config
    assert got.run_config == s.run_config and got.tokenizer_sha == s.tokenizer_sha


def test_empty_state_dir_and_empty_outer_state(tmp_path, tok):
    assert load_latest(tmp_path / "nothing") is None
    save_state(tmp_path / "s", _st(0), tokenizer_path=tok)
    assert load_latest(tmp_path / "s").outer_state == {}


def test_keep_last(tmp_path, tok):
    for r in range(6):
        save_state(tmp_path, _st(r), tokenizer_path=tok, keep_last=3)
    assert [r for r, _ in list_rounds(tmp_path)] == [3, 4, 5]
    assert load_latest(tmp_path).round == 5


def test_crash_mid_save_leaves_previous_round_loadable(tmp_path, tok, monkeypatch):
    save_state(tmp_path, _st(1), tokenizer_path=tok)
    real = st_mod.save_file
    calls = []

    def dying_save_file(tensors, path, *a, **kw):
        calls.append(path)
        if len(calls) == 2:  # weights written, outer state not: "power cut"
            raise KeyboardInterrupt("simulated crash")
        return real(tensors, path, *a, **kw)

    monkeypatch.setattr(st_mod, "save_file", dying_save_file)
    with pytest.raises(KeyboardInterrupt):
        save_state(tmp_path, _st(2), tokenizer_path=tok)
    assert [r for r, _ in list_rounds(tmp_path)] == [1]
    assert load_latest(tmp_path).round == 1
    assert not list((tmp_path / "rounds").glob(".tmp-*"))  # cleaned on the way out


def test_hard_kill_leftovers_are_ignored_and_cleaned(tmp_path, tok):
    save_state(tmp_path, _st(1), tokenizer_path=tok)
    # what a SIGKILL mid-save leaves: a half-written temp folder
    half = tmp_path / "rounds" / ".tmp-round_000002-deadbeef"
    half.mkdir()
    (half / "model.safetensors").write_bytes(b"\x00" * 10)
    assert load_latest(tmp_path).round == 1
    save_state(tmp_path, _st(2), tokenizer_path=tok)
    assert not half.exists()
    assert load_latest(tmp_path).round == 2


def test_damaged_newest_round_falls_back_with_warning(tmp_path, tok, caplog):
    save_state(tmp_path, _st(1), tokenizer_path=tok)
    save_state(tmp_path, _st(2), tokenizer_path=tok)
    f = round_dir(tmp_path, 2) / "model.safetensors"
    f.write_bytes(f.read_bytes()[:-7])  # truncated
    with caplog.at_level(logging.WARNING, logger="medfl.server.state"):
        got = load_latest(tmp_path)
    assert got.round == 1
    assert str(f) in caplog.text
    with pytest.raises(MedflError, match="sha256"):
        load_round(round_dir(tmp_path, 2))
    (round_dir(tmp_path, 1) / "state.json").write_text("{")  # both damaged -> nothing to resume
    assert load_latest(tmp_path) is None


def test_recommit_same_round_and_nan_refused(tmp_path, tok):
    save_state(tmp_path, _st(1), tokenizer_path=tok)
    again = _st(1, seed=9)
    save_state(tmp_path, again, tokenizer_path=tok)
    assert torch.equal(load_latest(tmp_path).weights["w"], again.weights["w"])
    bad = _st(2)
    bad.weights["w"][0, 0] = float("inf")
    with pytest.raises(MedflError, match="NaN/Inf"):
        save_state(tmp_path, bad, tokenizer_path=tok)
    assert load_latest(tmp_path).round == 1


def test_load_global_model_from_state_dir_or_round_folder(tmp_path, tok):
    from medfl.server.state import load_global_model

    save_state(tmp_path, _st(1), tokenizer_path=tok)
    save_state(tmp_path, _st(2), tokenizer_path=tok)
    w, cfg, tpath = load_global_model(tmp_path)
    assert torch.equal(w["w"], _st(2).weights["w"]) and cfg["name"] == "medfl-tiny"
    assert tpath == round_dir(tmp_path, 2) / "tokenizer.model" and tpath.read_bytes() == tok.read_bytes()
    w1, _, _ = load_global_model(round_dir(tmp_path, 1))
    assert torch.equal(w1["w"], _st(1).weights["w"])
    with pytest.raises(MedflError, match="no loadable federated round"):
        load_global_model(tmp_path / "empty")
