"""Checkpoint files: atomic one-file-per-step layout, NaN guard, pruning, corrupt-file fallback."""

import json
import logging
import random

import numpy as np
import pytest
import torch

from medfl.core_model.checkpoint import (
    NonFiniteCheckpointError,
    list_checkpoints,
    load_checkpoint,
    load_latest_checkpoint,
    numpy_rng_state_from_safe,
    numpy_rng_state_to_safe,
    save_checkpoint,
)
from medfl.core_model.errors import MedflError


def _state(seed: int) -> dict:
    g = torch.Generator().manual_seed(seed)
    model = {"w": torch.randn(8, 8, generator=g), "b": torch.randn(8, generator=g), "ids": torch.arange(4)}
    return {"model": model, "loader": {"epoch": np.int64(2), "pos": 7}, "note": [1, 2.5, "x"]}


def test_roundtrip_layout_and_sidecar(tmp_path):
    p = save_checkpoint(tmp_path, 100, _state(0), {"model_config": {"dim": 8}}, keep_last=3)
    assert p.name == "step_000100.pt"
    sidecar = json.loads((tmp_path / "step_000100.json").read_text())
    assert sidecar["step"] == 100 and sidecar["model_config"] == {"dim": 8}
    assert sidecar["bytes"] == p.stat().st_size and len(sidecar["sha256"]) == 64
    state, meta = load_checkpoint(p)
    assert meta == {"model_config": {"dim": 8}, "step": 100}
    for k, v in _state(0)["model"].items():
        assert torch.equal(state["model"][k], v)
    # numpy scalars are stored as Python numbers so the weights_only loader accepts them
    assert state["loader"] == {"epoch": 2, "pos": 7} and type(state["loader"]["epoch"]) is int
    assert state["note"] == [1, 2.5, "x"]
    assert not list(tmp_path.glob("*.tmp"))


def test_keep_last_prunes_oldest(tmp_path):
    for step in (10, 20, 30, 40):
        save_checkpoint(tmp_path, step, _state(step), {}, keep_last=2)
    assert [s for s, _ in list_checkpoints(tmp_path)] == [30, 40]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "step_000030.json",
        "step_000030.pt",
        "step_000040.json",
        "step_000040.pt",
    ]
    state, meta = load_latest_checkpoint(tmp_path)
    assert meta["step"] == 40 and torch.equal(state["model"]["w"], _state(40)["model"]["w"])


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_nonfinite_model_state_is_never_written(tmp_path, bad):
    save_checkpoint(tmp_path, 1, _state(1), {})
    poisoned = _state(2)
    poisoned["model"]["b"][3] = bad
    with pytest.raises(NonFiniteCheckpointError, match="'b'"):
        save_checkpoint(tmp_path, 2, poisoned, {})
    assert [s for s, _ in list_checkpoints(tmp_path)] == [1]
    assert not (tmp_path / "step_000002.json").exists()


def test_truncated_latest_falls_back_with_one_warning(tmp_path, caplog):
    save_checkpoint(tmp_path, 1, _state(1), {})
    p2 = save_checkpoint(tmp_path, 2, _state(2), {})
    data = p2.read_bytes()
    p2.write_bytes(data[: len(data) // 2])
    with caplog.at_level(logging.WARNING, logger="medfl.core_model.checkpoint"):
        state, meta = load_latest_checkpoint(tmp_path)
    assert meta["step"] == 1 and torch.equal(state["model"]["w"], _state(1)["model"]["w"])
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "step_000002.pt" in warnings[0].getMessage()
    with pytest.raises(MedflError, match="truncated or corrupt"):
        load_checkpoint(p2)


def test_truncated_without_sidecar_and_bitflip_are_detected(tmp_path, caplog):
    save_checkpoint(tmp_path, 1, _state(1), {})
    p2 = save_checkpoint(tmp_path, 2, _state(2), {})
    p3 = save_checkpoint(tmp_path, 3, _state(3), {})
    # step 3: same size, one flipped byte inside the tensor data -> only the sha256 catches it
    raw = bytearray(p3.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    p3.write_bytes(bytes(raw))
    # step 2: truncated and its sidecar lost -> the zip reader catches it
    p2.write_bytes(p2.read_bytes()[:100])
    p2.with_suffix(".json").unlink()
    with caplog.at_level(logging.WARNING):
        _, meta = load_latest_checkpoint(tmp_path)
    assert meta["step"] == 1
    msgs = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert (
        len(msgs) == 2 and "step_000003.pt" in msgs[0] and "sha256" in msgs[0] and "step_000002.pt" in msgs[1]
    )


def test_no_usable_checkpoint_names_the_dir(tmp_path):
    with pytest.raises(MedflError, match="no checkpoint found in .*empty"):
        load_latest_checkpoint(tmp_path / "empty")
    p = save_checkpoint(tmp_path / "run", 5, _state(5), {})
    p.write_bytes(b"not a zip")
    with pytest.raises(MedflError, match=r"no usable checkpoint in .*run"):
        load_latest_checkpoint(tmp_path / "run")


def test_crash_leftovers_are_ignored_and_cleaned(tmp_path):
    save_checkpoint(tmp_path, 1, _state(1), {})
    # A crash mid-save leaves a temp file; it is never mistaken for a checkpoint and is removed next time.
    (tmp_path / "step_000002.pt.tmp").write_bytes(b"partial")
    assert [s for s, _ in list_checkpoints(tmp_path)] == [1]
    assert load_latest_checkpoint(tmp_path)[1]["step"] == 1
    save_checkpoint(tmp_path, 3, _state(3), {})
    assert not (tmp_path / "step_000002.pt.tmp").exists()


def test_checkpoint_cannot_execute_code_on_load(tmp_path):
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    p = tmp_path / "step_000001.pt"
    torch.save({"state": {"x": Evil()}, "meta": {}}, p)
    with pytest.raises(MedflError, match="truncated or corrupt"):
        load_checkpoint(p)


def test_rng_states_roundtrip(tmp_path):
    np.random.seed(123)
    random.seed(7)
    state = {
        "model": {},
        "rng": {
            "numpy": numpy_rng_state_to_safe(),
            "python": random.getstate(),
            "torch": torch.get_rng_state(),
        },
    }
    expect = (np.random.rand(3), random.random(), torch.rand(3))
    save_checkpoint(tmp_path, 1, state, {})
    loaded, _ = load_latest_checkpoint(tmp_path)
    numpy_rng_state_from_safe(loaded["rng"]["numpy"])
    random.setstate(loaded["rng"]["python"])
    torch.set_rng_state(loaded["rng"]["torch"])
    got = (np.random.rand(3), random.random(), torch.rand(3))
    assert np.array_equal(expect[0], got[0]) and expect[1] == got[1] and torch.equal(expect[2], got[2])
