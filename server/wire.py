"""Wire codec: torch state dicts <-> Flower ArrayRecords, plus validation of what sites send back.

Design choices
- ONE Flower `Array` per message. flwr 1.41 moves every Array (and every <= 5 MB chunk of it) as its own
  object = its own HTTP request on each of the 6 legs of a round (ServerApp -> SuperLink -> SuperNode ->
  ClientApp and back); with one Array per tensor, medfl-tiny's 27 tensors made ~42 objects per message and
  the transfers, not the payload, dominated the round overhead (.plan/FLWR_NOTES.md). So a state dict
  travels as a single uint8 array `packed`:

      b"MFW1" | uint32 LE index length | index (compact JSON) | pad to 8 | segment 0 | pad | segment 1 | ...
      index = {"v": 1, "wire": "fp32"|"bf16"|"int8", "tensors": [[name, [d0, d1, ...]], ...]}

  Segment offsets are *not* in the index: they follow from the shapes and the wire dtype (fp32 4 B, bf16
  2 B per element; int8: one fp32 scale per row, then 1 B per element; every segment padded to 8 B). The
  receiver recomputes them and requires the payload length to match exactly, so a header cannot point
  outside the buffer or lie about a tensor's size without the update being rejected.
- numpy has no bfloat16: bf16 tensors travel as their raw 16-bit patterns (`tensor.view(torch.int16)`) and
  are reinterpreted on arrival. The only rounding is fp32 -> bf16 (round-to-nearest-even in torch).
- int8 is symmetric and per row: a 2-D (or N-D, rows = first dim) tensor gets one fp32 scale per row,
  `scale = max|row| / 127`; 1-D/0-D tensors get one scale. Per-row beats per-tensor for embeddings/heads,
  whose rows differ in norm by orders of magnitude. Error per element <= scale / 2.
- Only differences are quantised: sites send pseudo-gradients (global - local); the server sends a site
  the model delta since the version it holds (see medfl.server.rounds), or the full weights in fp32
  when the site holds nothing usable. int8-quantised *weights* would cost perplexity every round.
- The receiver never trusts the sender: `decode_state` checks the array's own header, the index (format,
  wire dtype, exact tensor-name set, shapes), the payload length, int8 scales and finiteness before a
  tensor reaches the aggregator, and raises `UpdateRejected` with a short reason that the server logs on
  one line with the site name. Nothing from the payload is echoed except names, shapes and dtypes.
- Bytes are counted as the serialized array buffers (`ArrayRecord.count_bytes()`, what Flower ships,
  including the .npy header and the index), reported per round as bytes-down / bytes-up.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence

import numpy as np
import torch
from flwr.app import Array, ArrayRecord

from medfl.core_model.errors import MedflError

WIRE_DTYPES = ("fp32", "bf16", "int8")
PACKED_KEY = "packed"  # the one Array of an encoded ArrayRecord
MAGIC = b"MFW1"
FORMAT_VERSION = 1
_ALIGN = 8
_MAX_INDEX_BYTES = 4 << 20  # a 7B model's index is ~20 KB
_MAX_DIMS = 8
_ELEM_BYTES = {"fp32": 4, "bf16": 2, "int8": 1}
_NPY_STYPE = "numpy.ndarray"  # flwr's SType.NUMPY

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
    rows = _as_rows(t)  # (R, C)
    scale = rows.abs().amax(dim=1) / 127.0 if rows.shape[1] else torch.zeros(rows.shape[0])  # (R,)
    safe = torch.where(scale > 0, scale, torch.ones_like(scale))
    q = torch.round(rows / safe[:, None]).clamp_(-127, 127).to(torch.int8)
    return q.reshape(t.shape).numpy(), scale.numpy().astype(np.float32)


def dequantize_int8(q: np.ndarray, scale: np.ndarray) -> torch.Tensor:
    qt = torch.from_numpy(np.ascontiguousarray(q)).float()
    rows = _as_rows(qt)
    return (rows * torch.from_numpy(np.ascontiguousarray(scale))[:, None]).reshape(qt.shape)


def _n_rows(shape: tuple[int, ...]) -> int:
    return shape[0] if len(shape) >= 2 else 1


def _as_rows(t: torch.Tensor) -> torch.Tensor:
    """(R, C) view: rows = first dim of an N-D tensor, one row for 0-D/1-D (explicit C: empty tensors)."""
    r = _n_rows(tuple(t.shape))
    return t.reshape(r, t.numel() // r if r else 0)


def all_finite(t: torch.Tensor) -> bool:
    """No NaN/Inf in t. One reduction instead of an isfinite mask: NaN/Inf propagate into the sum (a sum
    that overflows fp32 also counts as non-finite: such an update is garbage anyway)."""
    return bool(torch.isfinite(t.sum())) if t.is_floating_point() else True


# ---- packed layout ---------------------------------------------------------------------------------


def _pad(n: int) -> int:
    return -n % _ALIGN


def _segment_layout(shape: tuple[int, ...], wire_dtype: str) -> tuple[int, int, int]:
    """(bytes of int8 scales, bytes of elements, padded segment size) of one tensor."""
    n = 1
    for d in shape:
        n *= d
    scale_b = 4 * _n_rows(shape) if wire_dtype == "int8" else 0
    data_b = n * _ELEM_BYTES[wire_dtype]
    return scale_b, data_b, scale_b + data_b + _pad(scale_b + data_b)


def _packed_record(wire_dtype: str, entries: Sequence[tuple[str, tuple[int, ...]]],
                   segments: Sequence[Sequence[object]]) -> ArrayRecord:
    """Assemble the packed Array from an index and each tensor's raw buffers (bytes-like objects).

    No validation here (the receiver validates); tests use it to build malformed payloads."""
    index = json.dumps({"v": FORMAT_VERSION, "wire": wire_dtype,
                        "tensors": [[name, list(shape)] for name, shape in entries]},
                       separators=(",", ":")).encode()
    head = MAGIC + len(index).to_bytes(4, "little") + index
    parts: list[object] = [head, b"\0" * _pad(len(head))]
    for bufs in segments:
        size = 0
        for b in bufs:
            parts.append(b)
            size += memoryview(b).nbytes  # type: ignore[arg-type]
        parts.append(b"\0" * _pad(size))
    payload_len = sum(memoryview(p).nbytes for p in parts)  # type: ignore[arg-type]
    npy = io.BytesIO()
    np.lib.format.write_array_header_1_0(npy, {"descr": "|u1", "fortran_order": False,
                                              "shape": (payload_len,)})
    data = b"".join([npy.getvalue(), *parts])  # type: ignore[list-item]  # the one copy of the payload
    return ArrayRecord({PACKED_KEY: Array(dtype="uint8", shape=(payload_len,), stype=_NPY_STYPE, data=data)})


def encode_state(state: Mapping[str, torch.Tensor], wire_dtype: str) -> ArrayRecord:
    """Encode fp32 tensors (weights or pseudo-gradients) in `wire_dtype` as ONE packed Array."""
    check_wire_dtype(wire_dtype)
    entries, segments = [], []
    for name, t in state.items():
        entries.append((name, tuple(t.shape)))
        if wire_dtype == "fp32":
            segments.append([t.detach().to("cpu", torch.float32).contiguous().numpy()])
        elif wire_dtype == "bf16":
            segments.append([bf16_bits(t)])
        else:
            q, scale = quantize_int8(t)
            segments.append([scale, np.ascontiguousarray(q)])
    return _packed_record(wire_dtype, entries, segments)


def _packed_payload(rec: ArrayRecord) -> memoryview:
    """The packed Array's payload after checking that its .npy header agrees with what the Array declares."""
    keys = list(rec.keys())
    if keys != [PACKED_KEY]:
        raise UpdateRejected(f"expected one array {PACKED_KEY!r}, got {len(keys)} array(s)")
    arr = rec[PACKED_KEY]
    if arr.dtype != "uint8" or len(arr.shape) != 1 or arr.stype != _NPY_STYPE:
        raise UpdateRejected(f"{PACKED_KEY}: dtype {arr.dtype} shape {tuple(arr.shape)}, expected 1-D uint8")
    try:
        raw = arr.data
        f = io.BytesIO(raw)
        major, _ = np.lib.format.read_magic(f)
        fmt = np.lib.format
        shape, fortran, dtype = (fmt.read_array_header_1_0 if major == 1 else fmt.read_array_header_2_0)(f)
    except Exception as e:  # malformed .npy buffer
        raise UpdateRejected(f"{PACKED_KEY}: unreadable array ({type(e).__name__})") from None
    off = f.tell()
    if (dtype != np.uint8 or fortran or tuple(shape) != tuple(arr.shape)
            or len(raw) - off != arr.shape[0]):
        raise UpdateRejected(f"{PACKED_KEY}: array header disagrees with its declared shape/dtype")
    return memoryview(raw)[off:]


def _read_index(buf: memoryview) -> tuple[str, list[tuple[str, tuple[int, ...]]], int]:
    """-> (wire dtype, [(name, shape)], offset of the first segment). Rejects anything malformed."""
    if len(buf) < 8 or bytes(buf[:4]) != MAGIC:
        raise UpdateRejected(f"{PACKED_KEY}: not a medfl packed array (bad magic)")
    n = int.from_bytes(buf[4:8], "little")
    if n > min(len(buf) - 8, _MAX_INDEX_BYTES):
        raise UpdateRejected(f"{PACKED_KEY}: index length {n} exceeds the payload")
    try:
        idx = json.loads(bytes(buf[8:8 + n]).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise UpdateRejected(f"{PACKED_KEY}: index is not valid JSON") from None
    if not (isinstance(idx, dict) and idx.get("v") == FORMAT_VERSION
            and isinstance(idx.get("tensors"), list)):
        raise UpdateRejected(f"{PACKED_KEY}: index format is not medfl-wire v{FORMAT_VERSION}")
    entries: list[tuple[str, tuple[int, ...]]] = []
    for e in idx["tensors"]:
        ok = (isinstance(e, list) and len(e) == 2 and isinstance(e[0], str) and isinstance(e[1], list)
              and len(e[1]) <= _MAX_DIMS and all(type(d) is int and d >= 0 for d in e[1]))
        if not ok:
            raise UpdateRejected(f"{PACKED_KEY}: malformed index entry")
        entries.append((e[0], tuple(e[1])))
    names = [name for name, _ in entries]
    if len(set(names)) != len(names):
        raise UpdateRejected(f"{PACKED_KEY}: duplicate tensor names in index")
    return str(idx.get("wire")), entries, 8 + n + _pad(8 + n)


def decode_state(rec: ArrayRecord, wire_dtype: str, spec: Spec | None = None) -> dict[str, torch.Tensor]:
    """Decode a packed ArrayRecord into fp32 tensors, validating against `spec` (name -> shape) when given.

    Raises UpdateRejected on a malformed array/index, a different wire dtype, missing/extra tensors, wrong
    shapes, a payload whose size disagrees with its index, bad int8 scales, and NaN/Inf values.
    """
    check_wire_dtype(wire_dtype)
    buf = _packed_payload(rec)
    sent_dtype, entries, pos = _read_index(buf)
    if sent_dtype != wire_dtype:
        raise UpdateRejected(f"wire dtype {sent_dtype[:16]!r}, expected {wire_dtype!r}")
    if spec is not None:
        names = {name for name, _ in entries}
        missing, extra = set(spec) - names, names - set(spec)
        if missing or extra:
            raise UpdateRejected(
                f"tensor names differ from the global model ({len(missing)} missing, {len(extra)} unexpected)"
            )
        for name, shape in entries:
            if shape != tuple(spec[name]):
                raise UpdateRejected(f"{name}: shape {shape}, expected {tuple(spec[name])}")
    layout = [_segment_layout(shape, wire_dtype) for _, shape in entries]
    expected = pos + sum(seg for _, _, seg in layout)
    if expected != len(buf):
        raise UpdateRejected(f"{PACKED_KEY}: payload is {len(buf)} bytes, its index describes {expected}")
    # one writable copy of the payload: fp32 tensors are views into it (no torch read-only warnings)
    data = np.frombuffer(bytearray(buf), dtype=np.uint8)
    out: dict[str, torch.Tensor] = {}
    for (name, shape), (scale_b, data_b, seg) in zip(entries, layout, strict=True):
        body = data[pos + scale_b:pos + scale_b + data_b]
        if wire_dtype == "fp32":
            t = torch.from_numpy(body.view(np.float32).reshape(shape))
        elif wire_dtype == "bf16":
            t = from_bf16_bits(body.view(np.uint16)).reshape(shape)
        else:
            s = data[pos:pos + scale_b].view(np.float32)
            if not np.all(np.isfinite(s)) or np.any(s < 0):
                raise UpdateRejected(f"{name}: int8 scale has NaN/Inf or negative values")
            t = dequantize_int8(body.view(np.int8).reshape(shape), s).reshape(shape)
        if not all_finite(t):
            raise UpdateRejected(f"{name}: contains NaN/Inf")
        out[name] = t
        pos += seg
    return out


def packed_index(rec: ArrayRecord) -> tuple[str, list[tuple[str, tuple[int, ...]]]]:
    """(wire dtype, [(tensor name, shape)]) of a packed record, validated like `decode_state` does."""
    wire_dtype, entries, _ = _read_index(_packed_payload(rec))
    return wire_dtype, entries


def record_nbytes(rec: ArrayRecord) -> int:
    """Serialized size of an ArrayRecord as Flower ships it (array buffers + keys)."""
    return int(rec.count_bytes())
