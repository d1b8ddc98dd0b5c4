"""Tokenize prepared docs into memory-mapped token shards, and a resumable loader over them.

Layout (under a prepared site dir, see `medfl.client.prepare`):

    packed/<tokenizer sha256[:12]>-<seq_len>/
        train.bin            every train doc's tokens followed by </s>, concatenated (no padding)
        val/<source>.bin     the same, per source, for per-source validation perplexity
        meta.json            dtype, token/doc counts, tokenizer sha, seq_len, sha256 of the docs it came from

Design choices:
- Shards are raw little-endian uint16 arrays (uint32 when the vocab exceeds 65536 ids), read with
  np.memmap, as in nanoGPT: no per-sequence padding, nothing loaded into RAM.
- A training example is a window of seq_len + 1 consecutive tokens (x = w[:-1], y = w[1:]); windows
  start every seq_len tokens, so each token is predicted once per epoch and windows never straddle shards.
  Documents may straddle windows; </s> tells the model where one ends.
- The packed dir is reused when its meta matches the tokenizer and the docs' sha256 in the de-id
  manifest; otherwise it is rebuilt. Built in a temp dir and renamed into place (atomic).
- TokenLoader shuffles window order with numpy's Generator seeded by (seed, epoch); epochs chain without a
  gap (a batch may span two epochs), so the state is just (epoch, position) and resume is exact.
  With world_size > 1, rank r takes every world_size-th window of the epoch's permutation.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import re
import shutil
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from medfl.client.prepare import TRAIN, VAL, require_prepared
from medfl.core_model.errors import MedflError

if TYPE_CHECKING:
    from medfl.core_model.tokenizer import Tokenizer

log = logging.getLogger(__name__)

META = "meta.json"
_ENCODE_BATCH = 256  # docs per encode_batch call


def token_dtype(vocab_size: int) -> np.dtype:
    return np.dtype(np.uint16) if vocab_size <= 1 << 16 else np.dtype(np.uint32)


def _safe_name(source: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", source) or "_"


def packed_dir(data_dir: Path, tokenizer: Tokenizer, seq_len: int) -> Path:
    return Path(data_dir) / "packed" / f"{tokenizer.sha256[:12]}-{seq_len}"


def _read_meta(path: Path) -> dict | None:
    try:
        return json.loads((path / META).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return None


def _docs(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def _encoded(path: Path, tokenizer: Tokenizer) -> Iterator[tuple[str, np.ndarray]]:
    """(source, token ids + </s>) for each doc of a docs file, encoded in batches (streaming)."""
    docs = _docs(path)
    while batch := list(itertools.islice(docs, _ENCODE_BATCH)):
        for d, ids in zip(batch, tokenizer.encode_batch([d["text"] for d in batch]), strict=True):
            arr = np.array([*ids, tokenizer.eos_id], dtype=np.int64)
            if arr.min() < 0 or arr.max() >= tokenizer.vocab_size:
                raise ValueError("tokenizer produced ids outside [0, vocab_size)")
            yield d["source"], arr


def pack_site(data_dir: Path, tokenizer: Tokenizer, seq_len: int) -> Path:
    """Tokenize and pack a prepared site dir; return the packed dir (reused when already up to date)."""
    data_dir = Path(data_dir)
    if seq_len < 1:
        raise ValueError(f"seq_len must be >= 1, got {seq_len}")
    manifest = require_prepared(data_dir)
    docs_sha = {name: manifest["files"][name]["sha256"] for name in (TRAIN, VAL)}
    out = packed_dir(data_dir, tokenizer, seq_len)
    meta = _read_meta(out)
    if meta and meta.get("docs_sha256") == docs_sha and meta.get("tokenizer_sha256") == tokenizer.sha256:
        return out
    if out.exists():
        log.warning("packed data in %s is stale or incomplete; rebuilding", out)

    dtype = token_dtype(tokenizer.vocab_size)
    tmp = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
    (tmp / "val").mkdir(parents=True)
    try:
        n_train = n_train_docs = 0
        with open(tmp / "train.bin", "wb") as f:
            for _, arr in _encoded(data_dir / TRAIN, tokenizer):
                arr.astype(dtype).tofile(f)
                n_train, n_train_docs = n_train + arr.size, n_train_docs + 1
        val_meta: dict[str, dict] = {}
        with contextlib.ExitStack() as stack:
            files = {}
            for source, arr in _encoded(data_dir / VAL, tokenizer):
                if source not in files:
                    rel = f"val/{_safe_name(source)}.bin"
                    files[source] = stack.enter_context(open(tmp / rel, "wb"))
                    val_meta[source] = {"file": rel, "tokens": 0, "docs": 0}
                arr.astype(dtype).tofile(files[source])
                val_meta[source]["tokens"] += int(arr.size)
                val_meta[source]["docs"] += 1
        for v in val_meta.values():
            v["windows"] = max(0, (v["tokens"] - 1) // seq_len)
        meta = {
            "format": "medfl-packed/1",
            "dtype": dtype.name,
            "seq_len": seq_len,
            "tokenizer_sha256": tokenizer.sha256,
            "vocab_size": tokenizer.vocab_size,
            "eos_id": tokenizer.eos_id,
            "docs_sha256": docs_sha,
            "train": {"file": "train.bin", "tokens": n_train, "docs": n_train_docs,
                      "windows": max(0, (n_train - 1) // seq_len)},
            "val": dict(sorted(val_meta.items())),
        }
        (tmp / META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        try:
            os.rename(tmp, out)
        except OSError:
            # Another process packed the same dir meanwhile: use theirs if it is complete.
            if _read_meta(out) is None:
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("packed %s: %d train tokens, %d val sources -> %s", data_dir, n_train, len(val_meta), out)
    return out


def train_shards(data_dirs: Path | Sequence[Path], tokenizer: Tokenizer, seq_len: int) -> list[Path]:
    """Pack every site dir (if needed) and return their train.bin paths, for `TokenLoader`."""
    dirs = [data_dirs] if isinstance(data_dirs, str | Path) else list(data_dirs)
    return [pack_site(d, tokenizer, seq_len) / "train.bin" for d in dirs]


def open_shard(path: Path) -> tuple[np.memmap, dict]:
    """Memory-map a .bin shard (or a packed dir's train.bin) using the dtype recorded in its meta.json."""
    path = Path(path)
    if path.is_dir():
        path = path / "train.bin"
    for d in (path.parent, path.parent.parent):
        meta = _read_meta(d)
        if meta is not None:
            break
    else:
        raise MedflError(f"no {META} found beside shard {path}")
    if not path.is_file():
        raise MedflError(f"shard {path} does not exist")
    dtype = np.dtype(meta["dtype"])
    if path.stat().st_size == 0:  # np.memmap cannot map an empty file
        return np.empty(0, dtype=dtype), meta
    return np.memmap(path, dtype=dtype, mode="r"), meta


class TokenLoader:
    """Endless, shuffled, resumable batches of (x, y) windows over one or more token shards.

    Args:
        shards: .bin paths (several sites = centralized baseline).
        seq_len: tokens per example (windows are seq_len + 1 long).
        batch_size: examples per batch.
        seed: seeds the window permutation of each epoch together with the epoch number.
        rank, world_size: data-parallel slice of each epoch.
    """

    def __init__(self, shards: Sequence[Path] | Path, seq_len: int, batch_size: int, seed: int = 0,
                 rank: int = 0, world_size: int = 1):
        shards = [shards] if isinstance(shards, str | Path) else list(shards)
        if not shards:
            raise ValueError("TokenLoader needs at least one shard")
        if not 0 <= rank < world_size:
            raise ValueError(f"rank {rank} not in [0, {world_size})")
        self.seq_len, self.batch_size, self.seed = seq_len, batch_size, seed
        self.rank, self.world_size = rank, world_size
        self.paths = [Path(p) for p in shards]
        self._arrays, shas = [], set()
        counts = []
        for p in self.paths:
            arr, meta = open_shard(p)
            shas.add(meta["tokenizer_sha256"])
            self._arrays.append(arr)
            counts.append(max(0, (len(arr) - 1) // seq_len))
        if len(shas) > 1:
            raise MedflError(f"shards were made with different tokenizers: {[str(p) for p in self.paths]}")
        self.n_windows = int(sum(counts))
        self._starts = np.cumsum([0, *counts])  # window-index offset of each shard
        self.per_rank = self.n_windows // world_size
        if self.per_rank == 0:
            raise MedflError(
                f"shards {[str(p) for p in self.paths]} hold {self.n_windows} windows of {seq_len + 1} "
                f"tokens: too few for {world_size} rank(s); add data or lower seq_len"
            )
        self.epoch, self.pos = 0, 0
        self._perm_epoch, self._perm = -1, np.empty(0, dtype=np.int64)

    @property
    def tokens_per_epoch(self) -> int:
        return self.per_rank * self.seq_len

    def _order(self, epoch: int) -> np.ndarray:
        if epoch != self._perm_epoch:
            perm = np.random.default_rng([self.seed, epoch]).permutation(self.n_windows)
            self._perm = perm[: self.per_rank * self.world_size][self.rank :: self.world_size]
            self._perm_epoch = epoch
        return self._perm

    def _window(self, w: int) -> np.ndarray:
        s = int(np.searchsorted(self._starts, w, side="right")) - 1
        start = (w - int(self._starts[s])) * self.seq_len
        return self._arrays[s][start : start + self.seq_len + 1]

    def next_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Return x, y LongTensors of shape (batch_size, seq_len)."""
        out = np.empty((self.batch_size, self.seq_len + 1), dtype=np.int64)
        for b in range(self.batch_size):
            out[b] = self._window(int(self._order(self.epoch)[self.pos]))
            self.pos += 1
            if self.pos == self.per_rank:
                self.epoch, self.pos = self.epoch + 1, 0
        t = torch.from_numpy(out)
        return t[:, :-1], t[:, 1:]

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        while True:
            yield self.next_batch()

    def state_dict(self) -> dict:
        return {"epoch": self.epoch, "pos": self.pos, "seed": self.seed, "seq_len": self.seq_len,
                "batch_size": self.batch_size, "rank": self.rank, "world_size": self.world_size,
                "n_windows": self.n_windows}

    def load_state_dict(self, state: dict) -> None:
        for k in ("seq_len", "world_size", "n_windows"):
            if state[k] != getattr(self, k):
                raise MedflError(f"loader state has {k}={state[k]} but this loader has {getattr(self, k)}; "
                                 "the data or settings changed since the checkpoint")
        self.seed, self.epoch, self.pos = state["seed"], state["epoch"], state["pos"]


def windows(arr: np.ndarray, seq_len: int) -> torch.Tensor:
    """All non-overlapping (stride seq_len) windows of seq_len + 1 tokens: LongTensor (N, seq_len + 1)."""
    n = max(0, (len(arr) - 1) // seq_len)
    if n == 0:
        return torch.empty((0, seq_len + 1), dtype=torch.long)
    flat = np.asarray(arr[: n * seq_len + 1])
    view = np.lib.stride_tricks.sliding_window_view(flat, seq_len + 1)[::seq_len]
    return torch.from_numpy(view.astype(np.int64))


def val_sets(data_dirs: Path | Sequence[Path], tokenizer: Tokenizer, seq_len: int) -> dict[str, torch.Tensor]:
    """Per-source validation windows {source: LongTensor (N, seq_len + 1)}, packing sites if needed.

    Sources from several site dirs with the same name are concatenated. A source whose held-out text is
    shorter than one window is left out with a warning.
    """
    dirs = [data_dirs] if isinstance(data_dirs, str | Path) else list(data_dirs)
    parts: dict[str, list[torch.Tensor]] = {}
    for d in dirs:
        pdir = pack_site(d, tokenizer, seq_len)
        meta = _read_meta(pdir)
        for source, info in meta["val"].items():
            arr, _ = open_shard(pdir / info["file"])
            parts.setdefault(source, []).append(windows(arr, seq_len))
    out = {}
    for source, ts in sorted(parts.items()):
        t = torch.cat(ts)
        if len(t) == 0:
            log.warning("validation source %s has fewer than %d tokens; left out", source, seq_len + 1)
            continue
        out[source] = t
    return out
