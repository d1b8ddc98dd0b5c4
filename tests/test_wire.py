"""Wire codec: fp32/bf16/int8 round trips in ONE packed Array and byte counts; validation rejects NaN/Inf,
shapes, dtypes, missing/extra/duplicate tensors, malformed indexes and headers that lie about sizes."""

import json

import numpy as np
import pytest
import torch
from flwr.app import Array, ArrayRecord

from medfl.core_model.errors import MedflError
from medfl.server import wire
from medfl.server.wire import UpdateRejected, decode_state, encode_state, record_nbytes


def _delta(seed=0):
    g = torch.Generator().manual_seed(seed)
    # rows of very different magnitude: what per-row scales are for
    w = torch.randn(64, 32, generator=g) * torch.logspace(-4, 0, 64)[:, None]
    return {"layers.0.w": w, "norm.weight": torch.randn(32, generator=g) * 1e-3, "emb": torch.randn(10, 4, 3)}


def test_fp32_roundtrip_is_exact():
    d = _delta()
    out = decode_state(encode_state(d, "fp32"), "fp32", wire.spec_of(d))
    for k in d:
        assert torch.equal(out[k], d[k])


def test_bf16_bits_match_torch_bfloat16():
    d = _delta()
    out = decode_state(encode_state(d, "bf16"), "bf16", wire.spec_of(d))
    for k in d:
        assert torch.equal(out[k], d[k].to(torch.bfloat16).float())
        rel = ((out[k] - d[k]).abs() / d[k].abs().clamp_min(1e-30)).max().item()
        assert rel <= 2**-8  # 8 significant bits, round to nearest
    # bf16 segments are half the size of fp32 ones (bit patterns, not floats)
    n = sum(t.numel() for t in d.values())
    assert 2 * n <= record_nbytes(encode_state(d, "bf16")) < 2 * n + 400 < 4 * n


def test_int8_per_row_error_bound():
    d = _delta()
    rec = encode_state(d, "int8")
    out = decode_state(rec, "int8", wire.spec_of(d))
    for k, t in d.items():
        rows = t.reshape(t.shape[0], -1) if t.dim() >= 2 else t.reshape(1, -1)
        scale = rows.abs().amax(1) / 127
        err = (out[k] - t).reshape(rows.shape).abs()
        assert (err <= scale[:, None] / 2 + 1e-12).all()
    # per-row keeps small rows accurate where one per-tensor scale would flatten them to 0
    w = d["layers.0.w"]
    rel_small_rows = ((out["layers.0.w"][:8] - w[:8]).norm() / w[:8].norm()).item()
    assert rel_small_rows < 0.01


def test_one_array_per_state_dict():
    """The point of the packed format: one flwr Array (= one object per leg) whatever the tensor count."""
    d = {f"layers.{i}.w": torch.randn(4, 3) for i in range(30)}
    for dt in wire.WIRE_DTYPES:
        rec = encode_state(d, dt)
        assert list(rec.keys()) == [wire.PACKED_KEY]
        assert rec[wire.PACKED_KEY].dtype == "uint8"
        assert rec[wire.PACKED_KEY].numpy().shape == tuple(rec[wire.PACKED_KEY].shape)  # a valid .npy
        assert wire.packed_index(rec) == (dt, [(k, (4, 3)) for k in d])
        assert list(decode_state(rec, dt, wire.spec_of(d))) == list(d)  # order kept


def test_odd_shapes_roundtrip():
    d = {"scalar": torch.tensor(1.5), "empty": torch.zeros(4, 0), "odd": torch.randn(3, 5, 7),
         "v": torch.randn(3)}
    for dt in wire.WIRE_DTYPES:
        out = decode_state(encode_state(d, dt), dt, wire.spec_of(d))
        for k, t in d.items():
            assert out[k].shape == t.shape and out[k].dtype == torch.float32
            assert torch.allclose(out[k], t, atol=0.02 * (t.abs().max().item() if t.numel() else 1))


def test_zero_tensor_quantizes_to_zero():
    z = {"z": torch.zeros(4, 5)}
    assert torch.equal(decode_state(encode_state(z, "int8"), "int8")["z"], z["z"])


def test_byte_counts_scale_with_dtype():
    d = {"w": torch.randn(256, 256), "n": torch.randn(256)}
    n = 256 * 256 + 256
    b = {dt: record_nbytes(encode_state(d, dt)) for dt in wire.WIRE_DTYPES}
    hdr = 2 * 200  # .npy headers + key names, generous
    assert 4 * n <= b["fp32"] <= 4 * n + hdr
    assert 2 * n <= b["bf16"] <= 2 * n + hdr
    assert n + 4 * 257 <= b["int8"] <= n + 4 * 257 + 2 * hdr
    assert b["fp32"] / b["int8"] > 3.9


def test_unknown_dtype():
    with pytest.raises(MedflError, match="wire-dtype='fp16'"):
        encode_state({}, "fp16")


# ---- validation -------------------------------------------------------------------------------------


def _spec():
    return {"a": (2, 3), "b": (3,)}


def _good():
    return {"a": torch.ones(2, 3), "b": torch.ones(3)}


@pytest.mark.parametrize("dt", wire.WIRE_DTYPES)
def test_valid_update_passes(dt):
    assert set(decode_state(encode_state(_good(), dt), dt, _spec())) == {"a", "b"}


def _bits(dt, t):
    """Raw segment buffers of one tensor, as encode_state lays them out."""
    if dt == "fp32":
        return [t.numpy()]
    if dt == "bf16":
        return [wire.bf16_bits(t)]
    q, scale = wire.quantize_int8(t)
    return [scale, q]


def test_rejects_nan_fp32():
    g = _good()
    g["a"][0, 1] = float("nan")
    with pytest.raises(UpdateRejected, match="a: contains NaN/Inf"):
        decode_state(encode_state(g, "fp32"), "fp32", _spec())


def test_rejects_inf_bf16_bits():
    bits = np.full((3,), 0x7F80, dtype=np.uint16)  # +inf in bfloat16
    rec = wire._packed_record("bf16", [("a", (2, 3)), ("b", (3,))],
                              [_bits("bf16", torch.ones(2, 3)), [bits]])
    with pytest.raises(UpdateRejected, match="b: contains NaN/Inf"):
        decode_state(rec, "bf16", _spec())


@pytest.mark.parametrize("bad", [np.nan, np.inf, -1.0])
def test_rejects_bad_int8_scale(bad):
    q, _ = wire.quantize_int8(torch.ones(2, 3))
    scale = np.array([bad, 1.0], dtype=np.float32)
    rec = wire._packed_record("int8", [("a", (2, 3)), ("b", (3,))],
                              [[scale, q], _bits("int8", torch.ones(3))])
    with pytest.raises(UpdateRejected, match="a: int8 scale has NaN/Inf or negative"):
        decode_state(rec, "int8", _spec())


def test_rejects_wrong_shape():
    g = _good()
    g["a"] = torch.ones(3, 2)
    with pytest.raises(UpdateRejected, match=r"a: shape \(3, 2\), expected \(2, 3\)"):
        decode_state(encode_state(g, "fp32"), "fp32", _spec())


def test_rejects_wrong_dtype():
    with pytest.raises(UpdateRejected, match="wire dtype 'fp32', expected 'bf16'"):
        decode_state(encode_state(_good(), "fp32"), "bf16", _spec())
    rec = ArrayRecord({wire.PACKED_KEY: Array(np.ones(64, dtype=np.float64))})
    with pytest.raises(UpdateRejected, match="packed: dtype float64 shape \\(64,\\), expected 1-D uint8"):
        decode_state(rec, "fp32", _spec())
    rec = wire._packed_record("fp16", [("a", (2, 3)), ("b", (3,))],
                              [[np.ones(6, np.float16)], [np.ones(3, np.float16)]])
    with pytest.raises(UpdateRejected, match="wire dtype 'fp16'"):
        decode_state(rec, "fp32", _spec())


def test_rejects_old_per_tensor_format():
    rec = ArrayRecord({"a": Array(np.ones((2, 3), dtype=np.float32)),
                       "b": Array(np.ones(3, dtype=np.float32))})
    with pytest.raises(UpdateRejected, match="expected one array 'packed', got 2"):
        decode_state(rec, "fp32", _spec())


def test_rejects_missing_extra_and_duplicate_tensors():
    g = _good()
    del g["b"]
    with pytest.raises(UpdateRejected, match="1 missing, 0 unexpected"):
        decode_state(encode_state(g, "fp32"), "fp32", _spec())
    g = {**_good(), "c": torch.ones(1)}
    with pytest.raises(UpdateRejected, match="0 missing, 1 unexpected"):
        decode_state(encode_state(g, "int8"), "int8", _spec())
    rec = wire._packed_record("fp32", [("a", (2, 3)), ("a", (2, 3))], [[np.ones(6, np.float32)]] * 2)
    with pytest.raises(UpdateRejected, match="duplicate tensor names"):
        decode_state(rec, "fp32")


@pytest.mark.parametrize("dt", wire.WIRE_DTYPES)
def test_rejects_index_that_lies_about_sizes(dt):
    # the index claims a is (2, 3) but 3x3 elements follow; and a truncated payload
    segs = [_bits(dt, torch.ones(3, 3)), _bits(dt, torch.ones(3))]
    rec = wire._packed_record(dt, [("a", (2, 3)), ("b", (3,))], segs)
    with pytest.raises(UpdateRejected, match="payload is \\d+ bytes, its index describes \\d+"):
        decode_state(rec, dt, _spec())
    good = encode_state(_good(), dt)[wire.PACKED_KEY].numpy()
    short = ArrayRecord({wire.PACKED_KEY: Array(good[:-8].copy())})
    with pytest.raises(UpdateRejected, match="payload is"):
        decode_state(short, dt, _spec())


def test_rejects_malformed_index():
    good = encode_state(_good(), "fp32")[wire.PACKED_KEY].numpy()

    def rec_of(buf):
        return ArrayRecord({wire.PACKED_KEY: Array(np.frombuffer(bytes(buf), dtype=np.uint8).copy())})

    bad_magic = bytearray(good)
    bad_magic[:4] = b"XXXX"
    with pytest.raises(UpdateRejected, match="bad magic"):
        decode_state(rec_of(bad_magic), "fp32", _spec())
    huge_len = bytearray(good)
    huge_len[4:8] = (2**31).to_bytes(4, "little")
    with pytest.raises(UpdateRejected, match="index length"):
        decode_state(rec_of(huge_len), "fp32", _spec())
    garbled = bytearray(good)
    garbled[8] = ord("!")  # index JSON no longer parses
    with pytest.raises(UpdateRejected, match="not valid JSON"):
        decode_state(rec_of(garbled), "fp32", _spec())
    for tensors in ([["a", [2, -3]]], [["a", [2, 3.0]]], [["a", [True]]], [["a"]], [[1, [2]]], "a"):
        idx = json.dumps({"v": 1, "wire": "fp32", "tensors": tensors}).encode()
        buf = wire.MAGIC + len(idx).to_bytes(4, "little") + idx
        with pytest.raises(UpdateRejected, match="malformed index entry|index format"):
            decode_state(rec_of(buf), "fp32")
    idx = b'{"v":2,"wire":"fp32","tensors":[]}'
    with pytest.raises(UpdateRejected, match="not medfl-wire v1"):
        decode_state(rec_of(wire.MAGIC + len(idx).to_bytes(4, "little") + idx), "fp32")


def test_rejects_header_that_lies_about_shape():
    rec = encode_state(_good(), "fp32")
    real = rec[wire.PACKED_KEY]
    # declared shape one byte shorter than the .npy buffer holds
    rec[wire.PACKED_KEY] = Array(dtype="uint8", shape=(real.shape[0] - 1,), stype=real.stype, data=real.data)
    with pytest.raises(UpdateRejected, match="header disagrees"):
        decode_state(rec, "fp32", _spec())
    # headers agree with each other but the buffer is cut short
    rec[wire.PACKED_KEY] = Array(dtype="uint8", shape=real.shape, stype=real.stype, data=real.data[:-8])
    with pytest.raises(UpdateRejected, match="header disagrees"):
        decode_state(rec, "fp32", _spec())
    rec[wire.PACKED_KEY] = Array(dtype="uint8", shape=real.shape, stype=real.stype, data=b"not an npy buffer")
    with pytest.raises(UpdateRejected, match="unreadable array"):
        decode_state(rec, "fp32", _spec())
