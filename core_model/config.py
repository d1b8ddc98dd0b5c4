"""Model configuration: one dataclass, named presets (litgpt style).

Design choices
- One flat `ModelConfig` describes every LLaMA-style size we train; presets are plain dicts of overrides
  so `ModelConfig.from_name("medfl-7b", vocab_size=32000)` reads like litgpt's `Config.from_name`.
- `medfl-7b` is the seed case study's model exactly: hidden 4096, 32 layers, 32 query heads, 8 KV heads
  (GQA), SwiGLU FFN 11008, vocab 64000, context 4096: 6.195B parameters with untied embeddings
  (GQA saves 0.81B against LLaMA-2-7B's 6.74B, the 64k vocab adds 0.26B).
- Smaller presets keep head_dim 64 (except tiny) and a 4:1 or 3:1 query:KV ratio, so they exercise the same
  code paths (GQA, RoPE) as the 7B model. `medfl-small` is sized for a CPU demo: wide enough matrices
  for good matmul efficiency, few enough layers to train for minutes on two cores.
- Validation happens in `__post_init__` so a bad override fails at construction, naming the field.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass
class ModelConfig:
    name: str = "custom"
    vocab_size: int = 2048
    dim: int = 128  # hidden size
    n_layers: int = 4
    n_heads: int = 4  # query heads
    n_kv_heads: int = 2  # key/value heads (GQA when < n_heads)
    ffn_dim: int = 384  # SwiGLU inner size
    max_seq_len: int = 256  # RoPE table length; longer inputs are rejected
    rope_theta: float = 10000.0
    norm_eps: float = 1e-5
    init_std: float = 0.02

    def __post_init__(self) -> None:
        for f in ("vocab_size", "dim", "n_layers", "n_heads", "n_kv_heads", "ffn_dim", "max_seq_len"):
            v = getattr(self, f)
            if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
                raise ValueError(f"ModelConfig.{f} must be a positive int, got {v!r}")
        if self.dim % self.n_heads:
            raise ValueError(f"ModelConfig.dim ({self.dim}) must be divisible by n_heads ({self.n_heads})")
        if self.n_heads % self.n_kv_heads:
            raise ValueError(
                f"ModelConfig.n_heads ({self.n_heads}) must be divisible by n_kv_heads ({self.n_kv_heads})"
            )
        if self.head_dim % 2:
            raise ValueError(f"ModelConfig head_dim ({self.head_dim}) must be even for RoPE")
        for f in ("rope_theta", "norm_eps", "init_std"):
            if not getattr(self, f) > 0:
                raise ValueError(f"ModelConfig.{f} must be > 0, got {getattr(self, f)!r}")

    @property
    def head_dim(self) -> int:
        return self.dim // self.n_heads

    @classmethod
    def from_name(cls, name: str, **overrides: Any) -> ModelConfig:
        """Build a preset by name; keyword overrides replace single fields (e.g. vocab_size)."""
        if name not in PRESETS:
            raise ValueError(f"{name!r} is not a known preset; choose one of {', '.join(PRESETS)}")
        unknown = set(overrides) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown ModelConfig field(s): {', '.join(sorted(unknown))}")
        return cls(**{**PRESETS[name], **overrides})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ModelConfig:
        """Inverse of to_dict; ignores keys this version does not know (forward compatibility)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


# name -> fields. Parameter counts (untied embeddings) in the comments; tests/test_config.py checks them.
PRESETS: dict[str, dict[str, Any]] = {
    # ~1.3M: unit tests.
    "medfl-tiny": dict(
        name="medfl-tiny", vocab_size=2048, dim=128, n_layers=4, n_heads=4, n_kv_heads=2, ffn_dim=384,
        max_seq_len=256,
    ),
    # ~25M: CPU demo.
    "medfl-small": dict(
        name="medfl-small", vocab_size=8000, dim=512, n_layers=6, n_heads=8, n_kv_heads=2, ffn_dim=1408,
        max_seq_len=512,
    ),
    # ~125M (GPT-2-small scale, 32k vocab).
    "medfl-125m": dict(
        name="medfl-125m", vocab_size=32000, dim=768, n_layers=12, n_heads=12, n_kv_heads=4, ffn_dim=2048,
        max_seq_len=2048,
    ),
    # ~1.2B (TinyLlama-like shape with the 64k medical vocab).
    "medfl-1b": dict(
        name="medfl-1b", vocab_size=64000, dim=2048, n_layers=22, n_heads=32, n_kv_heads=8, ffn_dim=5632,
        max_seq_len=4096,
    ),
    # ~6.2B: the seed case study (LLaMA-2-7B dims with GQA 32/8 and vocab 64000).
    "medfl-7b": dict(
        name="medfl-7b", vocab_size=64000, dim=4096, n_layers=32, n_heads=32, n_kv_heads=8, ffn_dim=11008,
        max_seq_len=4096,
    ),
}

# Inclusive parameter-count ranges each preset promises (used by tests and docs).
PRESET_PARAM_RANGES: dict[str, tuple[float, float]] = {
    "medfl-tiny": (1e6, 3e6),
    "medfl-small": (20e6, 30e6),
    "medfl-125m": (100e6, 150e6),
    "medfl-1b": (0.9e9, 1.4e9),
    # The issue text asked for 6.6-6.8B, but that is LLaMA-2-7B (32 KV heads, 32k vocab). The seed's exact
    # shape (8 KV heads, 64k vocab) has 6,195,253,248 parameters; the shape wins.
    "medfl-7b": (6.1e9, 6.3e9),
}
