"""Wire codec: torch state dicts <-> Flower ArrayRecords, plus validation of what sites send back.

Design choices
- Flower `Array`s are `.npy` buffers, and numpy has no bfloat16. bf16 tensors therefore travel as their
  raw 16-bit patterns in a `uint16` array (`tensor.view(torch.int16)`), and are reinterpreted on arrival.
  No rounding happens on the numpy side; the only rounding is fp32 -> bf16 (round-to-nearest-even in torch).
- int8 is symmetric and per row: a 2-D (or N-D, rows = first dim) tensor gets one fp32 scale per row,
  `scale = max|row| / 127`; 1-D tensors (norm weights, biases) get one scale. The scales travel beside the
  int8 array under `<name>::scale`. Per-row beats per-tensor for embeddings/heads, whose rows differ in norm
  by orders of magnitude. Error per element <= scale / 2.
- Only differences are quantised: sites send pseudo-gradients (global - local); the server sends a site
  the model delta since the version it holds (see medfl.server.rounds), or the full weights in fp32
  when the site holds nothing usable. int8-quantised *weights* would cost perplexity every round.
- The receiver never trusts the sender: `decode_update` checks the exact key set, shapes, dtypes and
  finiteness before a tensor reaches the aggregator, and raises `UpdateRejected` with a short reason that
  the server logs on one line with the site name. Nothing from the payload is echoed except shapes/dtypes.
- Bytes are counted as the serialized array buffers (`ArrayRecord.count_bytes()`, what Flower ships,
  including the small .npy headers), reported per round as bytes-down / bytes-up.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import torch
from flwr.app import Array, ArrayRecord

from medfl.core_model.errors import MedflError

WIRE_DTYPES = ("fp32", "bf16", "int8")
SCALE_SUFFIX = "::scale"
# numpy dtype that carries each wire dtype
_NP_DTYPE = {"fp32": "float32", "bf16": "uint16", "int8": "int8"}

Spec = Mapping[str, tuple[int, ...]]  # tensor name -> shape the server expects


class UpdateRejected(MedflError):
    """A site's reply failed validation; the message is a short reason without payload contents."""


def check_wire_dtype(wire_dtype: str) -> str:
    if wire_dtype not in WIRE_DTYPES:
        raise MedflError(f"run config wire-dtype={wire_dtype!r}: choose one of {', '.join(WIRE_DTYPES)}")
    return wire_dtype


def spec_of(state: Mapping[str, torch.Tensor]) -> dict[str, tuple[int, ...]]:
    return {k: tuple(v.shape) for k, v in state.items()}


# ---- bf16 bit patterns --------------------------------------------------------------------------


def bf16_bits(t: torch.Tensor) -> np.ndarray:
    """fp32 tensor -> uint16 array holding the bfloat16 bit patterns (round-to-nearest-even)."""
    return t.detach().to("cpu", torch.bfloat16).contiguous().view(torch.int16).numpy().view(np.uint16)


def from_bf16_bits(a: np.ndarray) -> torch.Tensor:
    """uint16 bit patterns -> fp32 tensor."""
    return torch.from_numpy(np.ascontiguousarray(a).view(np.int16)).view(torch.bfloat16).float()


# ---- int8 per-row ---------------------------------------------------------------------------------


def quantize_int8(t: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 with one fp32 scale per row (first dim); 1-D/0-D tensors get one scale."""
    t = t.detach().to("cpu", torch.float32)
    rows = t.reshape(t.shape[0], -1) if t.dim() >= 2 else t.reshape(1, -1)  # (R, C)
    scale = rows.abs().amax(dim=1) / 127.0  # (R,)
    safe = torch.where(scale > 0, scale, torch.ones_like(scale))
    q = torch.round(rows / safe[:, None]).clamp_(-127, 127).to(torch.int8)
    return q.reshape(t.shape).numpy(), scale.numpy().astype(np.float32)


def dequantize_int8(q: np.ndarray, scale: np.ndarray) -> torch.Tensor:
    qt = torch.from_numpy(np.ascontiguousarray(q)).float()
    rows = qt.reshape(qt.shape[0], -1) if qt.dim() >= 2 else qt.reshape(1, -1)
    return (rows * torch.from_numpy(np.ascontiguousarray(scale))[:, None]).reshape(qt.shape)


def _n_rows(shape: tuple[int, ...]) -> int:
    return shape[0] if len(shape) >= 2 else 1


def all_finite(t: torch.Tensor) -> bool:
    """No NaN/Inf in t. One reduction instead of an isfinite mask: NaN/Inf propagate into the sum (a sum
    that overflows fp32 also counts as non-finite: such an update is garbage anyway)."""
    return bool(torch.isfinite(t.sum())) if t.is_floating_point() else True


# ---- encode / decode --------------------------------------------------------------------------------


def encode_state(state: Mapping[str, torch.Tensor], wire_dtype: str) -> ArrayRecord:
    """Encode fp32 tensors (weights or pseudo-gradients) as an ArrayRecord in `wire_dtype`."""
    check_wire_dtype(wire_dtype)
    rec = ArrayRecord()
    for name, t in state.items():
        if wire_dtype == "fp32":
            rec[name] = Array(t.detach().to("cpu", torch.float32).contiguous().numpy())
        elif wire_dtype == "bf16":
            rec[name] = Array(bf16_bits(t))
        else:
            q, scale = quantize_int8(t)
            rec[name] = Array(q)
            rec[name + SCALE_SUFFIX] = Array(scale)
    return rec


def decode_state(rec: ArrayRecord, wire_dtype: str, spec: Spec | None = None) -> dict[str, torch.Tensor]:
    """Decode an ArrayRecord into fp32 tensors, validating against `spec` (name -> shape) when given.

    Raises UpdateRejected on missing/extra keys, wrong shapes or dtypes, and NaN/Inf values.
    """
    check_wire_dtype(wire_dtype)
    names = [k for k in rec.keys() if not k.endswith(SCALE_SUFFIX)]
    scale_keys = {k for k in rec.keys() if k.endswith(SCALE_SUFFIX)}
    if spec is not None:
        missing, extra = set(spec) - set(names), set(names) - set(spec)
        if missing or extra:
            raise UpdateRejected(
                f"tensor names differ from the global model ({len(missing)} missing, {len(extra)} unexpected)"
            )
    expected_scales = {n + SCALE_SUFFIX for n in names} if wire_dtype == "int8" else set()
    if scale_keys != expected_scales:
        raise UpdateRejected(f"scale arrays do not match wire-dtype {wire_dtype}")
    out: dict[str, torch.Tensor] = {}
    for name in names:
        arr = rec[name]
        shape = tuple(arr.shape)
        if spec is not None and shape != tuple(spec[name]):
            raise UpdateRejected(f"{name}: shape {shape}, expected {tuple(spec[name])}")
        if arr.dtype != _NP_DTYPE[wire_dtype]:
            raise UpdateRejected(f"{name}: dtype {arr.dtype}, expected {_NP_DTYPE[wire_dtype]}")
        try:
            a = arr.numpy()
        except Exception as e:  # malformed .npy buffer
            raise UpdateRejected(f"{name}: unreadable array ({type(e).__name__})") from None
        if tuple(a.shape) != shape or str(a.dtype) != arr.dtype:
            raise UpdateRejected(f"{name}: array header disagrees with its declared shape/dtype")
        if wire_dtype == "fp32":
            t = torch.from_numpy(a if a.flags.writeable else a.copy())  # np.load gives a fresh array
        elif wire_dtype == "bf16":
            t = from_bf16_bits(a)
        else:
            s_arr = rec[name + SCALE_SUFFIX]
            if s_arr.dtype != "float32" or tuple(s_arr.shape) != (_n_rows(shape),):
                raise UpdateRejected(f"{name}: int8 scale must be float32 of shape ({_n_rows(shape)},)")
            s = s_arr.numpy()
            if not np.all(np.isfinite(s)) or np.any(s < 0):
                raise UpdateRejected(f"{name}: int8 scale has NaN/Inf or negative values")
            t = dequantize_int8(a, s)
        if not all_finite(t):
            raise UpdateRejected(f"{name}: contains NaN/Inf")
        out[name] = t
    return out


def record_nbytes(rec: ArrayRecord) -> int:
    """Serialized size of an ArrayRecord as Flower ships it (array buffers + keys)."""
    return int(rec.count_bytes())
