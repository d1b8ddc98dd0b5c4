"""Checkpoints: one file per step, written atomically, never with NaN weights, newest-good-first loading.

Design choices
- nanochat layout: `step_000100.pt` (torch.save of a `{"state": ..., "meta": ...}` dict) plus a human-readable
  `step_000100.json` sidecar with the meta (config, step, ...) and the .pt file's size and sha256.
- Atomic: each file is written to a temp file in the same directory, fsynced, then `os.replace`d; the .pt
  rename is the commit point (the sidecar is renamed first), so a crash leaves either the previous
  checkpoint set or the new one, never a half-written `step_*.pt`. Stale temp files from a crash are
  removed by the next save.
- Integrity: the sidecar's sha256 catches a truncated or bit-flipped .pt even where the zip reader would not.
  `load_latest_checkpoint` walks from the newest step down and skips a bad file with one warning naming it.
- `torch.load(weights_only=True)`: a checkpoint (possibly received from another site) cannot run code on load.
  numpy arrays/scalars in the state (RNG state, loader positions) are converted to tensors/Python numbers on
  save so they pass the weights-only unpickler; `numpy_rng_state_to/from` round-trip numpy's global RNG.
- NaN guard: a model state containing a non-finite floating tensor is refused (NonFiniteCheckpointError),
  so a diverged run can never overwrite its last good checkpoint.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import torch

from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

_STEP_RE = re.compile(r"^step_(\d+)\.pt$")
_TMP_SUFFIX = ".tmp"


class NonFiniteCheckpointError(MedflError):
    """Refused to save a checkpoint whose model state has NaN/Inf values."""


def checkpoint_path(ckpt_dir: str | Path, step: int) -> Path:
    return Path(ckpt_dir) / f"step_{step:06d}.pt"


def list_checkpoints(ckpt_dir: str | Path) -> list[tuple[int, Path]]:
    """(step, path) of every committed `step_*.pt` in ckpt_dir, oldest first."""
    d = Path(ckpt_dir)
    if not d.is_dir():
        return []
    out = []
    for p in d.iterdir():
        m = _STEP_RE.match(p.name)
        if m:
            out.append((int(m.group(1)), p))
    return sorted(out)


def _first_nonfinite(tensors: dict[str, Any]) -> str | None:
    for name, t in tensors.items():
        if isinstance(t, torch.Tensor) and t.is_floating_point() and not bool(torch.isfinite(t).all()):
            return name
    return None


def _to_safe(obj: Any) -> Any:
    """Recursively turn numpy arrays/scalars into tensors/Python numbers (weights_only-loadable)."""
    if isinstance(obj, np.ndarray):
        return torch.from_numpy(np.ascontiguousarray(obj))
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        return {k: _to_safe(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_to_safe(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_to_safe(v) for v in obj)
    return obj


class _HashingWriter:
    """File-like wrapper that hashes everything torch.save writes through it."""

    def __init__(self, f):
        self.f, self.h, self.n = f, hashlib.sha256(), 0

    def write(self, b) -> int:
        self.h.update(b)
        self.n += len(b)
        return self.f.write(b)

    def flush(self) -> None:
        self.f.flush()


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:  # some filesystems do not allow opening directories
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json_atomic(path: Path, obj: Any) -> None:
    tmp = path.with_name(path.name + _TMP_SUFFIX)
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=2, sort_keys=True, default=str)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def save_checkpoint(
    ckpt_dir: str | Path, step: int, state: dict[str, Any], meta: dict[str, Any], keep_last: int = 3
) -> Path:
    """Atomically write `step_{step:06d}.pt` + `.json` and prune to the newest `keep_last` checkpoints.

    Args:
        ckpt_dir: directory (created if missing).
        step: training step the state belongs to.
        state: arbitrary torch-serialisable dict; `state["model"]` (a state_dict) is checked for NaN/Inf.
        meta: JSON-serialisable metadata (config, step, tokenizer hash, ...); stored in both files.
        keep_last: checkpoints to keep (>= 1); older ones are deleted once the new one is committed.

    Raises:
        NonFiniteCheckpointError: the model state has a NaN/Inf floating tensor (nothing is written).
    """
    if keep_last < 1:
        raise ValueError(f"keep_last must be >= 1, got {keep_last}")
    model_state = state.get("model")
    if isinstance(model_state, dict):
        bad = _first_nonfinite(model_state)
        if bad is not None:
            raise NonFiniteCheckpointError(
                f"refusing to save checkpoint step {step} in {ckpt_dir}: model tensor {bad!r} has NaN/Inf"
            )
    d = Path(ckpt_dir)
    d.mkdir(parents=True, exist_ok=True)
    for stale in d.glob(f"step_*{_TMP_SUFFIX}"):  # left over from a crash mid-save
        stale.unlink(missing_ok=True)

    path = checkpoint_path(d, step)
    meta = {**meta, "step": step}
    tmp = path.with_name(path.name + _TMP_SUFFIX)
    with open(tmp, "wb") as f:
        w = _HashingWriter(f)
        torch.save({"state": _to_safe(state), "meta": meta}, w)
        f.flush()
        os.fsync(f.fileno())
    # Sidecar first, then the .pt rename commits the checkpoint.
    _write_json_atomic(
        path.with_suffix(".json"), {**meta, "file": path.name, "bytes": w.n, "sha256": w.h.hexdigest()}
    )
    os.replace(tmp, path)
    _fsync_dir(d)
    log.debug("saved checkpoint %s (%d bytes)", path, w.n)

    for old_step, old in list_checkpoints(d)[:-keep_last]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)
        log.debug("pruned checkpoint step %d", old_step)
    return path


def load_checkpoint(path: str | Path, map_location: str | torch.device = "cpu") -> tuple[dict, dict]:
    """Load one checkpoint file -> (state, meta). Verifies the sidecar's size/sha256 when present.

    Raises:
        MedflError: the file is missing, truncated, corrupt or not a medfl checkpoint.
    """
    p = Path(path)
    if not p.is_file():
        raise MedflError(f"checkpoint {p} does not exist")
    sidecar = p.with_suffix(".json")
    if sidecar.is_file():
        try:
            expect = json.loads(sidecar.read_text())
        except (OSError, ValueError) as e:
            raise MedflError(f"checkpoint sidecar {sidecar} is unreadable: {type(e).__name__}") from e
        size = p.stat().st_size
        if "bytes" in expect and size != expect["bytes"]:
            raise MedflError(
                f"checkpoint {p} is truncated or corrupt: {size} bytes, expected {expect['bytes']}"
            )
        if "sha256" in expect:
            h = hashlib.sha256()
            with open(p, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 24), b""):
                    h.update(chunk)
            if h.hexdigest() != expect["sha256"]:
                raise MedflError(f"checkpoint {p} is corrupt: sha256 does not match {sidecar.name}")
    try:
        blob = torch.load(p, map_location=map_location, weights_only=True)
    except Exception as e:  # truncated zip, bad pickle, unsupported type: all mean "unusable"
        raise MedflError(f"checkpoint {p} is truncated or corrupt ({type(e).__name__})") from e
    if not isinstance(blob, dict) or "state" not in blob or "meta" not in blob:
        raise MedflError(f"checkpoint {p} is not a medfl checkpoint (missing state/meta)")
    return blob["state"], blob["meta"]


def load_latest_checkpoint(
    ckpt_dir: str | Path, map_location: str | torch.device = "cpu"
) -> tuple[dict, dict]:
    """Newest usable checkpoint in ckpt_dir -> (state, meta).

    A truncated/corrupt file logs one warning naming it and the next older one is tried.

    Raises:
        MedflError: no usable checkpoint in ckpt_dir (names the directory).
    """
    ckpts = list_checkpoints(ckpt_dir)
    for _step, p in reversed(ckpts):
        try:
            return load_checkpoint(p, map_location=map_location)
        except MedflError as e:
            log.warning("%s; falling back to the previous checkpoint", e)
    if ckpts:
        raise MedflError(f"no usable checkpoint in {ckpt_dir}: all {len(ckpts)} are corrupt")
    raise MedflError(f"no checkpoint found in {ckpt_dir}")


def numpy_rng_state_to_safe() -> dict[str, Any]:
    """numpy's global RNG state as a weights_only-loadable dict."""
    name, keys, pos, has_gauss, cached = np.random.get_state()
    return {
        "name": name,
        "keys": torch.from_numpy(keys.copy()),
        "pos": int(pos),
        "has_gauss": int(has_gauss),
        "cached_gaussian": float(cached),
    }


def numpy_rng_state_from_safe(s: dict[str, Any]) -> None:
    keys = s["keys"].numpy() if isinstance(s["keys"], torch.Tensor) else np.asarray(s["keys"])
    np.random.set_state((s["name"], keys.astype(np.uint32), s["pos"], s["has_gauss"], s["cached_gaussian"]))
