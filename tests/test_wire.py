"""Wire codec: fp32/bf16/int8 round trips and byte counts; validation rejects NaN/Inf, shapes, dtypes."""

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
    assert encode_state(d, "bf16")["emb"].dtype == "uint16"


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
    assert tuple(rec["layers.0.w" + wire.SCALE_SUFFIX].shape) == (64,)
    assert tuple(rec["norm.weight" + wire.SCALE_SUFFIX].shape) == (1,)


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


def test_rejects_nan_fp32():
    g = _good()
    g["a"][0, 1] = float("nan")
    with pytest.raises(UpdateRejected, match="a: contains NaN/Inf"):
        decode_state(encode_state(g, "fp32"), "fp32", _spec())


def test_rejects_inf_bf16_bits():
    rec = encode_state(_good(), "bf16")
    bits = np.full((3,), 0x7F80, dtype=np.uint16)  # +inf in bfloat16
    rec["b"] = Array(bits)
    with pytest.raises(UpdateRejected, match="b: contains NaN/Inf"):
        decode_state(rec, "bf16", _spec())


def test_rejects_nan_int8_scale():
    rec = encode_state(_good(), "int8")
    rec["a::scale"] = Array(np.array([np.nan, 1.0], dtype=np.float32))
    with pytest.raises(UpdateRejected, match="scale"):
        decode_state(rec, "int8", _spec())


def test_rejects_wrong_shape():
    g = _good()
    g["a"] = torch.ones(3, 2)
    with pytest.raises(UpdateRejected, match=r"a: shape \(3, 2\), expected \(2, 3\)"):
        decode_state(encode_state(g, "fp32"), "fp32", _spec())


def test_rejects_wrong_dtype():
    with pytest.raises(UpdateRejected, match="dtype float32, expected uint16"):
        decode_state(encode_state(_good(), "fp32"), "bf16", _spec())
    rec = ArrayRecord({"a": Array(np.ones((2, 3), dtype=np.float64)),
                       "b": Array(np.ones(3, dtype=np.float32))})
    with pytest.raises(UpdateRejected, match="a: dtype float64"):
        decode_state(rec, "fp32", _spec())


def test_rejects_missing_extra_keys_and_scales():
    g = _good()
    del g["b"]
    with pytest.raises(UpdateRejected, match="1 missing"):
        decode_state(encode_state(g, "fp32"), "fp32", _spec())
    g = {**_good(), "c": torch.ones(1)}
    with pytest.raises(UpdateRejected, match="1 unexpected"):
        decode_state(encode_state(g, "fp32"), "fp32", _spec())
    rec = encode_state(_good(), "int8")
    del rec["b::scale"]
    with pytest.raises(UpdateRejected, match="scale arrays"):
        decode_state(rec, "int8", _spec())
    rec = encode_state(_good(), "int8")
    rec["a::scale"] = Array(np.ones(5, dtype=np.float32))
    with pytest.raises(UpdateRejected, match=r"shape \(2,\)"):
        decode_state(rec, "int8", _spec())


def test_rejects_header_that_lies_about_shape():
    rec = encode_state(_good(), "fp32")
    real = rec["a"]
    rec["a"] = Array(dtype="float32", shape=(2, 3), stype=real.stype,
                     data=Array(np.ones((3, 3), dtype=np.float32)).data)
    with pytest.raises(UpdateRejected, match="header disagrees"):
        decode_state(rec, "fp32", _spec())
