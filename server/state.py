"""Coordinator state, saved atomically after every finished round; `load_latest` resumes from it.

Layout (one self-contained folder per finished round, the newest K kept):

    state-dir/
      tokenizer.model                 put there by `medfl-server start` before the run
      LATEST                          "round_000007\n" (a hint; the folders are the truth)
      rounds/round_000007/
        model.safetensors             global weights after round 7 (fp32)
        outer.safetensors             outer-optimiser state (Nesterov momentum buffer; may be empty)
        tokenizer.model               copy, so a round folder alone is a complete checkpoint
        state.json                    round, model config, run config, per-round/per-site history,
                                      tokenizer sha256, sha256 of the two tensor files, "complete": true

Design choices
- Atomic by construction: the folder is written under `rounds/.tmp-*`, every file fsynced, then renamed to
  `round_NNNNNN` (rename is atomic on POSIX) and the parent fsynced. A crash at any point leaves either the
  previous rounds only, or the new folder complete. Stale `.tmp-*` folders are removed by the next save.
- `state.json` is written last inside the temp folder and records the tensor files' sha256, so a folder
  that was damaged later (truncated copy, bit flip) is detected on load; `load_latest` then warns naming
  the file and falls back to the previous round. A finished round is never lost: old folders are pruned
  only after the new one is committed.
- safetensors (not pickle) for tensors: loading a state folder cannot execute code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

ROUND_RE = re.compile(r"^round_(\d{6})$")
STATE_VERSION = 1


@dataclass
class ServerState:
    """Everything needed to continue a federated run after the coordinator restarts."""

    round: int  # last finished round (0 = initial weights, nothing trained yet)
    weights: dict[str, torch.Tensor]
    outer_state: dict[str, torch.Tensor] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)  # one entry per finished round
    model_config: dict[str, Any] = field(default_factory=dict)
    run_config: dict[str, Any] = field(default_factory=dict)
    tokenizer_sha: str = ""

    @property
    def model_version(self) -> int:
        """Sites must train on this version; replies naming another one are stale."""
        return self.round


def round_dir(state_dir: str | Path, rnd: int) -> Path:
    return Path(state_dir) / "rounds" / f"round_{rnd:06d}"


def list_rounds(state_dir: str | Path) -> list[tuple[int, Path]]:
    """(round, folder) of every committed round folder, oldest first."""
    d = Path(state_dir) / "rounds"
    if not d.is_dir():
        return []
    return sorted((int(m.group(1)), p) for p in d.iterdir() if (m := ROUND_RE.match(p.name)))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _contiguous(t: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {k: v.detach().to("cpu").contiguous() for k, v in t.items()}


def save_state(state_dir: str | Path, st: ServerState, *, tokenizer_path: str | Path | None,
               keep_last: int = 3) -> Path:
    """Commit `st` as `rounds/round_{st.round:06d}` atomically; prune to the newest `keep_last` rounds."""
    if keep_last < 1:
        raise ValueError("keep_last must be >= 1")
    for k, v in st.weights.items():
        if v.is_floating_point() and not torch.isfinite(v.sum()):  # NaN/Inf propagate into the sum
            raise MedflError(f"refusing to save round {st.round}: global tensor {k} has NaN/Inf")
    rounds = Path(state_dir) / "rounds"
    rounds.mkdir(parents=True, exist_ok=True)
    for stale in rounds.glob(".tmp-*"):  # left by a crash mid-save
        shutil.rmtree(stale, ignore_errors=True)
    final = round_dir(state_dir, st.round)
    tmp = rounds / f".tmp-{final.name}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        save_file(_contiguous(st.weights), str(tmp / "model.safetensors"))
        save_file(_contiguous(st.outer_state), str(tmp / "outer.safetensors"))
        if tokenizer_path is not None:
            shutil.copyfile(tokenizer_path, tmp / "tokenizer.model")
        meta = {
            "version": STATE_VERSION,
            "round": st.round,
            "model_version": st.model_version,
            "model_config": st.model_config,
            "run_config": st.run_config,
            "tokenizer_sha256": st.tokenizer_sha,
            "history": st.history,
            "files": {n: _sha256(tmp / n) for n in ("model.safetensors", "outer.safetensors")},
            "complete": True,
        }
        (tmp / "state.json").write_text(json.dumps(meta, indent=1) + "\n")
        for p in tmp.iterdir():
            _fsync(p)
        if final.exists():  # re-committing a round (e.g. resumed twice): swap, never leave a gap
            old = rounds / f".tmp-old-{final.name}-{uuid.uuid4().hex[:8]}"
            final.rename(old)
            tmp.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(final)
        _fsync(rounds)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    latest_tmp = Path(state_dir) / f".LATEST.tmp-{uuid.uuid4().hex[:8]}"
    latest_tmp.write_text(final.name + "\n")
    os.replace(latest_tmp, Path(state_dir) / "LATEST")
    for _, p in list_rounds(state_dir)[:-keep_last]:
        shutil.rmtree(p, ignore_errors=True)
    return final


def load_round(folder: str | Path) -> ServerState:
    """Load one round folder, verifying completeness and file hashes (MedflError naming the bad file)."""
    folder = Path(folder)
    meta_path = folder / "state.json"
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError) as e:
        raise MedflError(f"{meta_path}: unreadable ({type(e).__name__})") from None
    if not meta.get("complete") or meta.get("version") != STATE_VERSION:
        raise MedflError(f"{meta_path}: incomplete or unknown state version")
    for name, digest in meta.get("files", {}).items():
        p = folder / name
        if not p.is_file() or _sha256(p) != digest:
            raise MedflError(f"{p}: missing or does not match its recorded sha256")
    return ServerState(
        round=int(meta["round"]),
        weights=load_file(str(folder / "model.safetensors")),
        outer_state=load_file(str(folder / "outer.safetensors")),
        history=list(meta.get("history", [])),
        model_config=dict(meta.get("model_config", {})),
        run_config=dict(meta.get("run_config", {})),
        tokenizer_sha=str(meta.get("tokenizer_sha256", "")),
    )


def load_latest(state_dir: str | Path) -> ServerState | None:
    """Newest loadable round, or None when the state dir has no committed round.

    A damaged newest round is skipped with one warning naming the file; the previous one is used.
    """
    for _, folder in reversed(list_rounds(state_dir)):
        try:
            return load_round(folder)
        except MedflError as e:
            log.warning("skipping damaged round state: %s", e)
    return None


def load_global_model(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, Any], Path]:
    """(weights, model config dict, tokenizer path) of a federated checkpoint, for export/inference.

    `path` is a state dir (its newest good round is used) or one `rounds/round_NNNNNN` folder.
    """
    path = Path(path)
    if (path / "state.json").is_file():
        folder, st = path, load_round(path)
    else:
        st = load_latest(path)
        if st is None:
            raise MedflError(f"{path}: no loadable federated round (expected rounds/round_NNNNNN folders)")
        folder = round_dir(path, st.round)
    return st.weights, st.model_config, folder / "tokenizer.model"
