import pytest
import torch

from medfl.core_model.config import PRESET_PARAM_RANGES, PRESETS, ModelConfig
from medfl.core_model.model import Transformer


def llama_param_count(c: ModelConfig) -> int:
    """Closed-form count for an untied LLaMA-style decoder (embeddings, attention, SwiGLU, norms)."""
    attn = c.dim * c.head_dim * (2 * c.n_heads + 2 * c.n_kv_heads)
    ffn = 3 * c.dim * c.ffn_dim
    return 2 * c.vocab_size * c.dim + c.n_layers * (attn + ffn + 2 * c.dim) + c.dim


@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_param_count_in_range(name):
    cfg = ModelConfig.from_name(name)
    with torch.device("meta"):  # no memory: even 7B builds instantly
        model = Transformer(cfg)
    n = model.num_params()
    lo, hi = PRESET_PARAM_RANGES[name]
    assert lo <= n <= hi, f"{name}: {n:,} not in [{lo:,.0f}, {hi:,.0f}]"
    assert n == llama_param_count(cfg)


def test_7b_is_the_seed_shape_and_allocates_nothing():
    cfg = ModelConfig.from_name("medfl-7b")
    shape = (cfg.dim, cfg.n_layers, cfg.n_heads, cfg.n_kv_heads, cfg.ffn_dim, cfg.vocab_size, cfg.max_seq_len)
    assert shape == (4096, 32, 32, 8, 11008, 64000, 4096)
    with torch.device("meta"):
        model = Transformer(cfg)
    assert all(p.is_meta for p in model.parameters())
    assert model.output.weight is not model.tok_embeddings.weight  # untied
    # 32 x (41.9M attention with 8 KV heads + 135.3M SwiGLU) + 2 x 262.1M embeddings.
    assert model.num_params() == 6_195_253_248


def test_unknown_preset_lists_valid_names():
    with pytest.raises(ValueError) as e:
        ModelConfig.from_name("medfl-13b")
    msg = str(e.value)
    assert "'medfl-13b' is not a known preset" in msg
    for name in PRESETS:
        assert name in msg


def test_overrides_and_unknown_override():
    cfg = ModelConfig.from_name("medfl-tiny", vocab_size=512, max_seq_len=64)
    assert (cfg.vocab_size, cfg.max_seq_len, cfg.dim) == (512, 64, 128)
    with pytest.raises(ValueError, match="unknown ModelConfig field"):
        ModelConfig.from_name("medfl-tiny", hidden=3)


@pytest.mark.parametrize(
    "bad, match",
    [
        (dict(dim=130), "divisible by n_heads"),
        (dict(n_heads=4, n_kv_heads=3), "divisible by n_kv_heads"),
        (dict(dim=12, n_heads=4, n_kv_heads=4), "even for RoPE"),
        (dict(n_layers=0), "n_layers must be a positive int"),
        (dict(vocab_size=1.5), "vocab_size must be a positive int"),
        (dict(norm_eps=0.0), "norm_eps must be > 0"),
    ],
)
def test_validation(bad, match):
    with pytest.raises(ValueError, match=match):
        ModelConfig.from_name("medfl-tiny", **bad)


def test_dict_roundtrip_ignores_unknown_keys():
    cfg = ModelConfig.from_name("medfl-small")
    d = cfg.to_dict()
    assert d["name"] == "medfl-small" and "head_dim" not in d  # derived, not stored
    assert ModelConfig.from_dict(d) == cfg
    assert ModelConfig.from_dict({**d, "added_in_a_later_version": 1}) == cfg
    assert cfg.head_dim == 64
