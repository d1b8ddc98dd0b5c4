"""Poisson sampling over privacy units: training sequences (record unit) or patients (patient unit).

Design choices
- DP-SGD's accounting assumes Poisson sampling: every unit joins each step's batch independently with
  probability q, so the batch size varies (expected q*n). We draw k ~ Binomial(n, q) and then k distinct
  units uniformly, which is the same distribution. An empty batch still takes a noise-only step
  (see `engine`): skipping it would not match the analysed mechanism.
- The sampling RNG is seeded from OS entropy (`secrets`) unless a seed is given (tests): a predictable
  sample would weaken the amplification-by-sampling argument.
- Record unit: the units are the site's packed training windows (seq-len + 1 tokens at stride seq-len,
  exactly the windows `TokenLoader` draws from). A window may span two documents; the guarantee is about
  one window of text.
- Patient unit: every training document must carry "patient_id" (fail closed otherwise). Each patient's
  documents are tokenized and packed on their own (never sharing a window with another patient), into
  windows of seq-len + 1 (the last one padded, its padded targets = -100, ignored by the loss). A sampled
  patient contributes exactly ONE window per step, chosen uniformly among its windows, and that row's
  gradient is clipped to C. Adding or removing a patient therefore changes a step's batch by at most one
  clipped row: the standard subsampled-Gaussian analysis applies with the patient as the unit, in ghost
  and hooks mode alike. The cost is utility: a patient with much text contributes one window per step.
"""

from __future__ import annotations

import json
import logging
import secrets
from pathlib import Path

import numpy as np
import torch

from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

IGNORE_INDEX = -100  # F.cross_entropy's default ignore_index


class PoissonSampler:
    """Indices of the units in each step's batch: each of n units independently with probability q."""

    def __init__(self, n: int, sample_rate: float, seed: int | None = None) -> None:
        if n < 1:
            raise ValueError("PoissonSampler needs at least one unit")
        if not 0 < sample_rate <= 1:
            raise ValueError(f"sample_rate must be in (0, 1], got {sample_rate}")
        self.n, self.q = n, float(sample_rate)
        self.rng = np.random.default_rng(secrets.randbits(128) if seed is None else seed)
        self.last_size = 0  # size of the latest batch (metrics)

    def sample(self) -> np.ndarray:
        k = self.last_size = int(self.rng.binomial(self.n, self.q))
        return np.sort(self.rng.choice(self.n, size=k, replace=False)) if k else np.empty(0, dtype=np.int64)


class RecordUnits:
    """The site's packed training windows as privacy units (one unit = one sequence)."""

    unit = "record"

    def __init__(self, shard: Path, seq_len: int) -> None:
        from medfl.client.packing import open_shard

        self.arr, _ = open_shard(Path(shard))
        self.seq_len = seq_len
        self.n = max(0, (len(self.arr) - 1) // seq_len)
        if self.n == 0:
            raise MedflError(f"{shard}: no training window of {seq_len + 1} tokens")

    def batch(self, idx: np.ndarray, rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        out = np.empty((len(idx), self.seq_len + 1), dtype=np.int64)
        for r, w in enumerate(idx):
            out[r] = self.arr[int(w) * self.seq_len : int(w) * self.seq_len + self.seq_len + 1]
        t = torch.from_numpy(out)
        return t[:, :-1], t[:, 1:]


class PatientUnits:
    """Per-patient windows as privacy units (one unit = all of a patient's training text)."""

    unit = "patient"

    def __init__(self, docs_path: Path, tokenizer, seq_len: int) -> None:
        self.seq_len = seq_len
        by_patient: dict[str, list[int]] = {}
        with open(docs_path, encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                d = json.loads(line)
                pid = d.get("patient_id")
                if pid is None or str(pid) == "":
                    raise MedflError(f"{docs_path}:{ln}: document {str(d.get('id'))[:40]!r} has no "
                                     "patient_id; dp-unit=patient needs it on every training document")
                ids = tokenizer.encode(d["text"]) + [tokenizer.eos_id]
                by_patient.setdefault(str(pid), []).extend(ids)
        if not by_patient:
            raise MedflError(f"{docs_path}: no training documents")
        self.windows: list[np.ndarray] = []  # per patient: (n_windows, seq_len + 1)
        pad = tokenizer.pad_id
        for _, toks in sorted(by_patient.items()):
            a = np.asarray(toks, dtype=np.int64)
            n = max(1, -(-(len(a) - 1) // seq_len))  # ceil((len-1)/seq_len): every token predicted once
            w = np.full((n, seq_len + 1), pad, dtype=np.int64)
            for i in range(n):
                chunk = a[i * seq_len : i * seq_len + seq_len + 1]
                w[i, : len(chunk)] = chunk
                w[i, len(chunk):] = -1  # marks padding (targets become IGNORE_INDEX)
            self.windows.append(w)
        self.n = len(self.windows)
        log.info("patient units: %d patients, %d windows", self.n, sum(len(w) for w in self.windows))

    def batch(self, idx: np.ndarray, rng: np.random.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        rows = np.stack([self.windows[int(p)][rng.integers(len(self.windows[int(p)]))] for p in idx]) \
            if len(idx) else np.empty((0, self.seq_len + 1), dtype=np.int64)
        x, y = rows[:, :-1].copy(), rows[:, 1:].copy()
        x[x < 0] = 0  # padded inputs: any id (their targets are ignored and causal attention hides them)
        y[y < 0] = IGNORE_INDEX
        return torch.from_numpy(x), torch.from_numpy(y)
