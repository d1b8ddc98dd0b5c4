"""DP-SGD engine on the GQA/RoPE model: opacus ghost and hooks clipping vs a hand-written per-sample
clipping reference in float64 with noise 0; Poisson sampling; patient units."""

import json

import numpy as np
import pytest
import torch

from medfl.client.train import TrainConfig
from medfl.core_model.config import ModelConfig
from medfl.core_model.errors import MedflError
from medfl.core_model.model import Transformer
from medfl.privacy.dp import ghost
from medfl.privacy.dp.engine import DPEngine, per_sequence_loss
from medfl.privacy.dp.sampling import IGNORE_INDEX, PatientUnits, PoissonSampler


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def _model(seed=0):
    cfg = ModelConfig.from_name("medfl-tiny", vocab_size=64, dim=32, n_layers=2, n_heads=4, n_kv_heads=2,
                                ffn_dim=64, max_seq_len=32)
    assert cfg.n_kv_heads < cfg.n_heads  # GQA
    torch.manual_seed(seed)
    return Transformer(cfg).double()


class FixedUnits:
    """n units whose batch is always the same n rows (sample rate 1 draws every unit each step)."""

    unit = "record"

    def __init__(self, x, y):
        self.x, self.y, self.n = x, y, len(x)

    def batch(self, idx, rng):
        assert list(idx) == list(range(self.n))
        return self.x, self.y


def _reference(model, x, y, C):
    """Σ_i clip_C(∇ mean_t loss(x_i, y_i)) / n, one sequence at a time, plain autograd."""
    params = [p for p in model.parameters()]
    total = [torch.zeros_like(p) for p in params]
    norms = []
    for i in range(len(x)):
        model.zero_grad()
        per_sequence_loss(model(x[i : i + 1]), y[i : i + 1]).backward()
        g = [p.grad.detach().clone() for p in params]
        nrm = torch.sqrt(sum((t**2).sum() for t in g))
        norms.append(float(nrm))
        f = min(1.0, C / (float(nrm) + 1e-6))  # opacus' clip factor C / (norm + 1e-6)
        for t, gi in zip(total, g, strict=True):
            t.add_(gi, alpha=f)
    return [t / len(x) for t in total], norms


@pytest.mark.parametrize(("mode", "fast"), [("ghost", True), ("ghost", False), ("hooks", False)])
def test_clipped_update_matches_per_sample_reference_float64(mode, fast, monkeypatch):
    torch.manual_seed(1)
    x = torch.randint(0, 64, (6, 24))
    y = torch.randint(0, 64, (6, 24))
    y[2, 20:] = IGNORE_INDEX  # a padded patient window: ignored targets do not count in its mean
    ref_model = _model()
    ref, norms = _reference(ref_model, x, y, C=1.0)
    C = float(np.median(norms))  # half the rows get clipped
    ref, _ = _reference(ref_model, x, y, C=C)
    assert sum(n > C for n in norms) >= 2

    model = _model()
    before = [p.detach().clone() for p in model.parameters()]
    opt = torch.optim.SGD(model.parameters(), lr=1.0)  # update = -grad
    if fast:  # T=24: the mixed norm takes the Gram path for ffn.w13 and per-sample grads (in chunks of
        # one sequence here) for the other Linears
        monkeypatch.setattr(ghost, "PSG_CHUNK_ELEMS", 1)
    eng = DPEngine(model, opt, FixedUnits(x, y), noise_multiplier=0.0, sample_rate=1.0, max_grad_norm=C,
                   mode=mode, fast=fast, seed=0)
    assert eng.fast == fast
    cfg = TrainConfig(lr=1.0, warmup_steps=0, max_steps=1, min_lr_ratio=1.0, precision="fp32", device="cpu")
    m = eng.local_round(cfg, steps=1)
    eng.detach()
    assert m["steps"] == 1 and m["empty_batches"] == 0 and m["tokens"] == 6 * 24 - 4
    got = [b - p.detach() for b, p in zip(before, model.parameters(), strict=True)]
    for name_p, g, r in zip(model.named_parameters(), got, ref, strict=True):
        torch.testing.assert_close(g, r, rtol=1e-9, atol=1e-12, msg=f"{mode}: {name_p[0]}")
    # the unclipped mean gradient is different: clipping really happened
    model2 = _model()
    model2.zero_grad()
    per_sequence_loss(model2(x), y).backward()
    assert not torch.allclose(next(model2.parameters()).grad, ref[0])


def test_noise_has_the_calibrated_scale():
    """With zero gradients' signal removed (C tiny), the update's std is σC/(q n)."""
    torch.manual_seed(2)
    x, y = torch.randint(0, 64, (4, 8)), torch.randint(0, 64, (4, 8))
    model = _model()
    before = [p.detach().clone() for p in model.parameters()]
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    sigma, C = 2.0, 1e-6
    eng = DPEngine(model, opt, FixedUnits(x, y), noise_multiplier=sigma, sample_rate=1.0, max_grad_norm=C,
                   mode="ghost", seed=3)
    eng.local_round(TrainConfig(lr=1.0, warmup_steps=0, max_steps=1, min_lr_ratio=1.0, precision="fp32",
                                device="cpu"), steps=1)
    d = torch.cat([(b - p.detach()).flatten() for b, p in zip(before, model.parameters(), strict=True)])
    assert abs(float(d.std()) / (sigma * C / 4) - 1) < 0.02


def test_poisson_sampler_rate_and_empty_batch_noise_step():
    s = PoissonSampler(1000, 0.02, seed=0)
    sizes = [len(s.sample()) for _ in range(400)]
    assert abs(np.mean(sizes) - 20) < 1.0 and np.std(sizes) > 2  # variable batch size
    idx = s.sample()
    assert len(set(idx.tolist())) == len(idx) and (np.diff(idx) > 0).all()

    class NoUnits(FixedUnits):
        def batch(self, idx, rng):
            raise AssertionError("empty batches must not reach the model")

    model = _model()
    before = [p.detach().clone() for p in model.parameters()]
    eng = DPEngine(model, torch.optim.SGD(model.parameters(), lr=1.0), NoUnits(torch.zeros(5, 4), None),
                   noise_multiplier=1.0, sample_rate=1e-9, max_grad_norm=1.0, mode="ghost", seed=0)
    m = eng.local_round(TrainConfig(lr=1.0, warmup_steps=0, max_steps=2, precision="fp32", device="cpu"),
                        steps=2)
    assert m["empty_batches"] == 2 and m["tokens"] == 0
    assert all(not torch.equal(b, p) for b, p in zip(before, model.parameters(), strict=True))  # noise added


class _Tok:
    eos_id, pad_id = 2, 0

    def encode(self, text):
        return [4 + (ord(c) % 50) for c in text]


def test_patient_units_one_window_per_patient_never_mixed(tmp_path):
    docs = [{"id": f"d{i}", "text": "abcdefghij" * (i + 1), "patient_id": f"p{i % 3}"} for i in range(6)]
    p = tmp_path / "docs_train.jsonl"
    p.write_text("".join(json.dumps(d) + "\n" for d in docs))
    u = PatientUnits(p, _Tok(), seq_len=16)
    assert u.n == 3
    for pid, w in zip(("p0", "p1", "p2"), u.windows, strict=True):
        own = sum(len(d["text"]) + 1 for d in docs if d["patient_id"] == pid)  # + </s> per doc
        assert int((w[:, 1:] >= 0).sum()) == own - 1  # each of the patient's tokens predicted once, alone
    x, y = u.batch(np.array([0, 2]), np.random.default_rng(0))
    assert x.shape == y.shape == (2, 16) and x.min() >= 0
    docs[4].pop("patient_id")
    p.write_text("".join(json.dumps(d) + "\n" for d in docs))
    with pytest.raises(MedflError, match="has no patient_id"):
        PatientUnits(p, _Tok(), seq_len=16)


@pytest.mark.parametrize(("T", "d_in", "d_out"), [(3, 16, 16), (40, 8, 8), (5, 4, 12)])
def test_mixed_linear_norms_equal_explicit_per_sample_gradients(T, d_in, d_out):
    torch.manual_seed(0)
    a, g = torch.randn(5, T, d_in, dtype=torch.float64), torch.randn(5, T, d_out, dtype=torch.float64)
    ref = torch.stack([(g[i].T @ a[i]).pow(2).sum() for i in range(5)])
    gram = T * (d_in + d_out) <= d_in * d_out
    assert gram == (T == 3)  # both branches covered
    torch.testing.assert_close(ghost.linear_sq_norms(a, g, chunk_elems=2 * d_in * d_out), ref)
    torch.testing.assert_close(ghost.linear_sq_norms(a[:, 0], g[:, 0]),
                               torch.stack([(torch.outer(g[i, 0], a[i, 0])).pow(2).sum() for i in range(5)]))


def test_tied_weights_are_rejected_by_book_keeping():
    model = _model()
    model.output.weight = model.tok_embeddings.weight  # tied (our model never does this)
    with pytest.raises(ValueError, match="tied weights"):
        ghost.BookKeepingClipper(model, 1.0)


@pytest.mark.parametrize("fast", [True, False])
def test_fedprox_under_dp_adds_the_proximal_gradient_after_noise(fast):
    """Noise 0, SGD lr 1: step 1 is the plain DP step (w = round start), step 2 adds exactly μ(w1 − w0)."""
    torch.manual_seed(4)
    x, y = torch.randint(0, 64, (4, 16)), torch.randint(0, 64, (4, 16))
    cfg = TrainConfig(lr=1.0, warmup_steps=0, max_steps=2, min_lr_ratio=1.0, precision="fp32", device="cpu")
    mu = 0.3

    def run(prox_mu, steps):
        model = _model()
        eng = DPEngine(model, torch.optim.SGD(model.parameters(), lr=1.0), FixedUnits(x, y),
                       noise_multiplier=0.0, sample_rate=1.0, max_grad_norm=0.05, mode="ghost", fast=fast,
                       seed=0)
        m = eng.local_round(cfg, steps=steps, prox_mu=prox_mu)
        return [p.detach().clone() for p in model.parameters()], m, eng

    w0 = [p.detach().clone() for p in _model().parameters()]
    w1, _, _ = run(0.0, 1)
    w2_plain, _, _ = run(0.0, 2)
    w2_prox, m, eng = run(mu, 2)
    for a, b, p1, p0 in zip(w2_prox, w2_plain, w1, w0, strict=True):
        torch.testing.assert_close(a, b - mu * (p1 - p0), rtol=1e-9, atol=1e-12)
    expected = 0.5 * mu * float(sum(((a - p0) ** 2).sum() for a, p0 in zip(w2_prox, w0, strict=True)))
    assert m["prox_term"] == pytest.approx(expected) and m["prox_term"] > 0
    assert eng._prox is None  # nothing leaks into a later round without μ


class AnyUnits(FixedUnits):
    """Rows by index: micro-batches take any subset."""

    def batch(self, idx, rng):
        idx = torch.as_tensor(np.asarray(idx))
        return self.x[idx], self.y[idx]


@pytest.mark.parametrize("cap", [1, 2, 4])
def test_micro_batches_give_the_same_dp_step_as_the_whole_batch(cap):
    """Clipped sums accumulate over micro-batches and the noise (here 0) is added once: the update equals the
    whole Poisson batch's, to float64 rounding, and the reported loss is the batch mean."""
    torch.manual_seed(5)
    x, y = torch.randint(0, 64, (7, 16)), torch.randint(0, 64, (7, 16))
    cfg = TrainConfig(lr=1.0, warmup_steps=0, max_steps=1, min_lr_ratio=1.0, precision="fp32", device="cpu")

    def run(max_physical_batch):
        model = _model()
        eng = DPEngine(model, torch.optim.SGD(model.parameters(), lr=1.0), AnyUnits(x, y),
                       noise_multiplier=0.0, sample_rate=1.0, max_grad_norm=0.05, seed=0,
                       max_physical_batch=max_physical_batch)
        m = eng.local_round(cfg, steps=1)
        return [p.detach().clone() for p in model.parameters()], m

    whole, m_whole = run(None)
    chunked, m_chunked = run(cap)
    for a, b in zip(chunked, whole, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-13)
    assert m_chunked["loss"] == pytest.approx(m_whole["loss"], rel=1e-6)  # train_step sums losses in fp32
    assert m_chunked["tokens"] == m_whole["tokens"] == 7 * 16


@pytest.mark.parametrize(("mode", "fast"), [("hooks", False), ("ghost", False)])
def test_micro_batches_need_the_book_keeping_clipper(mode, fast):
    model = _model()
    with pytest.raises(MedflError, match="book-keeping"):
        DPEngine(model, torch.optim.SGD(model.parameters(), lr=1.0), AnyUnits(torch.zeros(2, 4), None),
                 noise_multiplier=1.0, sample_rate=0.5, max_grad_norm=1.0, mode=mode, fast=fast,
                 max_physical_batch=2)
