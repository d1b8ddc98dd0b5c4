import ast
import math
from pathlib import Path

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from medfl.core_model.config import ModelConfig
from medfl.core_model.model import RotaryEmbedding, Transformer


@pytest.fixture(scope="module")
def tiny():
    torch.manual_seed(0)
    cfg = ModelConfig.from_name("medfl-tiny")
    return cfg, Transformer(cfg)


def test_forward_shapes(tiny):
    cfg, model = tiny
    idx = torch.randint(0, cfg.vocab_size, (3, 17))
    logits = model(idx)
    assert logits.shape == (3, 17, cfg.vocab_size)
    assert logits.dtype == torch.float32 and torch.isfinite(logits).all()
    assert isinstance(model.layers, nn.ModuleList) and len(model.layers) == cfg.n_layers


def test_non_contiguous_ids(tiny):
    cfg, model = tiny
    idx = torch.randint(0, cfg.vocab_size, (8, 4)).t()  # (4, 8) non-contiguous view
    assert not idx.is_contiguous()
    torch.testing.assert_close(model(idx), model(idx.contiguous()))


def test_causal(tiny):
    cfg, model = tiny
    idx = torch.randint(0, cfg.vocab_size, (2, 32))
    changed = idx.clone()
    changed[:, 20] = (changed[:, 20] + 1) % cfg.vocab_size
    with torch.no_grad():
        a, b = model(idx), model(changed)
    torch.testing.assert_close(a[:, :20], b[:, :20], rtol=0, atol=1e-6)
    assert (a[:, 20:] - b[:, 20:]).abs().max() > 1e-4  # the change does reach later positions


def test_too_long_sequence_rejected(tiny):
    cfg, model = tiny
    with pytest.raises(ValueError, match="exceeds max_seq_len"):
        model(torch.zeros(1, cfg.max_seq_len + 1, dtype=torch.long))


def test_untied_embeddings_and_init(tiny):
    cfg, model = tiny
    assert model.output.weight is not model.tok_embeddings.weight
    assert model.output.weight.data_ptr() != model.tok_embeddings.weight.data_ptr()
    std = lambda t: t.float().std().item()  # noqa: E731
    assert std(model.tok_embeddings.weight) == pytest.approx(cfg.init_std, rel=0.1)
    assert std(model.layers[0].attn.wqkv.weight) == pytest.approx(cfg.init_std, rel=0.1)
    scaled = cfg.init_std / math.sqrt(2 * cfg.n_layers)
    assert std(model.layers[0].ffn.w2.weight) == pytest.approx(scaled, rel=0.1)
    assert std(model.layers[0].attn.wo.weight) == pytest.approx(scaled, rel=0.1)
    assert torch.equal(model.norm.weight, torch.ones(cfg.dim))


def test_only_opacus_friendly_layers_and_rope_owns_no_params(tiny):
    _, model = tiny
    allowed = (nn.Embedding, nn.Linear, nn.RMSNorm)
    for name, m in model.named_modules():
        own = list(m.parameters(recurse=False))
        if own:
            assert isinstance(m, allowed), name
        if isinstance(m, nn.Linear):
            assert m.bias is None, name
    assert list(model.rope.parameters()) == []
    assert {n for n, _ in model.named_buffers()} == {"rope.cos", "rope.sin"}
    assert not any(k.startswith("rope.") for k in model.state_dict())  # non-persistent: not in checkpoints


def test_opacus_validator_strict(tiny):
    from opacus.validators import ModuleValidator

    _, model = tiny
    assert ModuleValidator.validate(model, strict=True) == []


def test_opacus_per_sample_grads_match_batch_grad():
    """Hooks-based per-sample gradients (what DP-SGD clips) sum to the ordinary batch gradient."""
    from opacus import GradSampleModule

    torch.manual_seed(0)
    cfg = ModelConfig.from_name("medfl-tiny", n_layers=1, vocab_size=64, max_seq_len=16)
    model = Transformer(cfg)
    x = torch.randint(0, 64, (3, 8))
    y = torch.randint(0, 64, (3, 8))
    gsm = GradSampleModule(model, loss_reduction="sum")
    F.cross_entropy(gsm(x).flatten(0, 1), y.flatten(), reduction="sum").backward()
    for name, p in model.named_parameters():
        assert p.grad_sample.shape == (3, *p.shape), name
        torch.testing.assert_close(p.grad_sample.sum(0), p.grad, rtol=1e-4, atol=1e-5, msg=name)


def test_rope_backward_is_exact():
    rope = RotaryEmbedding(head_dim=8, max_seq_len=16, theta=10000.0).double()
    x = torch.randn(2, 5, 3, 8, dtype=torch.double, requires_grad=True)
    assert torch.autograd.gradcheck(rope, (x,))
    # Reference: HF's rotate_half formula.
    x1, x2 = x.chunk(2, dim=-1)
    ref = x * rope.cos[:5, None] + torch.cat((-x2, x1), dim=-1) * rope.sin[:5, None]
    torch.testing.assert_close(rope(x), ref)


def test_meta_build_then_materialize_matches_fresh_model():
    cfg = ModelConfig.from_name("medfl-tiny")
    with torch.device("meta"):
        m = Transformer(cfg)
    m.to_empty(device="cpu")
    m.init_weights()
    fresh = Transformer(cfg)
    torch.testing.assert_close(m.rope.cos, fresh.rope.cos, rtol=0, atol=0)
    torch.testing.assert_close(m.rope.sin, fresh.rope.sin, rtol=0, atol=0)
    m.load_state_dict(fresh.state_dict())
    idx = torch.randint(0, cfg.vocab_size, (1, 8))
    torch.testing.assert_close(m(idx), fresh(idx))


def test_flops_per_token(tiny):
    cfg, model = tiny
    n = model.num_params() - cfg.vocab_size * cfg.dim
    assert model.flops_per_token(256) == 6 * n + 12 * cfg.n_layers * cfg.dim * 256


def test_training_reduces_loss():
    torch.manual_seed(0)
    cfg = ModelConfig.from_name("medfl-tiny", vocab_size=32, max_seq_len=16)
    model = Transformer(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    x = torch.randint(0, 32, (4, 16))
    losses = []
    for _ in range(15):
        loss = F.cross_entropy(model(x[:, :-1]).flatten(0, 1), x[:, 1:].flatten())
        loss.backward()
        opt.step()
        opt.zero_grad()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def test_model_file_never_imports_torch_distributed():
    import medfl.core_model.model as mod

    tree = ast.parse(Path(mod.__file__).read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.startswith("torch.distributed")]
