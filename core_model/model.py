"""The medfl LLaMA-style decoder, in one readable file (nanoGPT style).

Design choices
- Pre-norm decoder: x + Attn(RMSNorm(x)), then x + SwiGLU(RMSNorm(x)); final RMSNorm; untied lm head.
- Built only from nn.Embedding, nn.Linear (no bias), nn.RMSNorm and F.scaled_dot_product_attention, so
  opacus can compute per-sample gradients for every parameter (ghost clipping needs the loss outside the
  model: `F.cross_entropy(model(x).flatten(0, 1), y.flatten())`).
- Grouped-query attention (n_kv_heads <= n_heads) through SDPA's `enable_gqa`, causal via `is_causal=True`
  (no mask tensor is built).
- Q, K and V come from one fused `wqkv` Linear and SwiGLU's gate and up projections from one fused `w13`
  Linear: fewer kernel launches and one input-gradient matmul instead of three (a GPU/launch-overhead win;
  on one CPU core the matmul time is the same, see bench/train_throughput.py). The HF mapping (hf.py)
  splits them into q/k/v_proj and gate/up_proj.
- RoPE in HuggingFace Llama's "rotate_half" layout (first half / second half of each head), so weights map
  1:1 to `LlamaForCausalLM` without permutation. The cos/sin tables are non-persistent buffers on
  `RotaryEmbedding`, a module that owns no parameters. RoPE is applied to Q and K in one call.
- Init: N(0, init_std) everywhere, residual output projections (wo, w2) scaled by 1/sqrt(2 * n_layers)
  (GPT-2); RMSNorm weights 1. `init_weights()` can be re-run after `to_empty()` (meta-device build).
- This file never imports torch.distributed: FSDP / activation checkpointing wrap `model.layers` from outside.
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from medfl.core_model.config import ModelConfig


class RotaryEmbedding(nn.Module):
    """Rotary position embedding (HF Llama convention). Holds cos/sin buffers, no parameters."""

    def __init__(self, head_dim: int, max_seq_len: int, theta: float):
        super().__init__()
        self.head_dim, self.max_seq_len, self.theta = head_dim, max_seq_len, theta
        self.register_buffer("cos", torch.empty(max_seq_len, head_dim), persistent=False)
        self.register_buffer("sin", torch.empty(max_seq_len, head_dim), persistent=False)
        self.reset_buffers()

    @torch.no_grad()
    def reset_buffers(self) -> None:
        # Computed in fp32 on the buffers' device, exactly as HF does, so logits match to ~1e-6.
        dev = self.cos.device
        hd = self.head_dim
        inv_freq = 1.0 / (self.theta ** (torch.arange(0, hd, 2, device=dev).float() / hd))  # (hd/2,)
        freqs = torch.outer(torch.arange(self.max_seq_len, device=dev).float(), inv_freq)  # (T, hd/2)
        emb = torch.cat((freqs, freqs), dim=-1)  # (T, hd): same angle for dims i and i + hd/2
        self.cos.copy_(emb.cos())
        self.sin.copy_(emb.sin())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: (B, T, n, hd) -> same shape, rotated by position
        return _RotaryFn.apply(x, self.cos, self.sin)


def _tables(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    T, half = x.shape[1], x.shape[-1] // 2
    cos = cos[:T, None, :].to(x.dtype)  # (T, 1, hd)
    sin = sin[:T, None, :].to(x.dtype)
    return cos, torch.cat((-sin[..., :half], sin[..., half:]), dim=-1)


def _rotate(x: torch.Tensor, sin_signed: torch.Tensor) -> torch.Tensor:
    # rotate_half(x) * sin == cat(x2, x1) * cat(-sin, sin) (the sign is folded into the table)
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((x2, x1), dim=-1).mul_(sin_signed)


class _RotaryFn(torch.autograd.Function):
    """x * cos + rotate_half(x) * sin with a hand-written backward: RoPE is a rotation, so its gradient is
    the inverse rotation (-sin). Three memory-bound kernels each way instead of autograd's ~10, and only the
    tiny (T, 1, hd) tables are saved. Parameter-free, so opacus is unaffected."""

    generate_vmap_rule = True  # torch.func / opacus' functorch mode can vmap through it

    @staticmethod
    def forward(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        cos, sin_signed = _tables(x, cos, sin)
        return _rotate(x, sin_signed).addcmul_(x, cos)

    @staticmethod
    def setup_context(ctx, inputs, output) -> None:
        x, cos, sin = inputs
        ctx.save_for_backward(*_tables(x, cos, sin))  # (T, 1, hd) each: tiny, recomputed rather than kept

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> tuple[torch.Tensor, None, None]:
        cos, sin_signed = ctx.saved_tensors
        # Transpose of x -> cat(x2, x1) * s is g -> cat((g*s)_2, (g*s)_1).
        u1, u2 = (grad * sin_signed).chunk(2, dim=-1)
        return torch.cat((u2, u1), dim=-1).addcmul_(grad, cos), None, None


class Attention(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.n_heads, self.n_kv_heads, self.head_dim = cfg.n_heads, cfg.n_kv_heads, cfg.head_dim
        qkv_out = (cfg.n_heads + 2 * cfg.n_kv_heads) * cfg.head_dim
        self.wqkv = nn.Linear(cfg.dim, qkv_out, bias=False)  # rows: [q heads | k heads | v heads]
        self.wo = nn.Linear(cfg.n_heads * cfg.head_dim, cfg.dim, bias=False)

    def forward(self, x: torch.Tensor, rope: RotaryEmbedding) -> torch.Tensor:
        B, T, C = x.shape
        H, KV, hd = self.n_heads, self.n_kv_heads, self.head_dim
        qkv = self.wqkv(x).view(B, T, H + 2 * KV, hd)  # (B, T, H + 2KV, hd)
        # split (not slicing): its backward is one cat instead of zero-filled full-size buffers per slice
        qk, v = qkv.split([H + KV, KV], dim=2)
        q, k = rope(qk).split([H, KV], dim=2)  # q and k rotated in one call
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)  # (B, H|KV, T, hd)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=H != KV)  # (B, H, T, hd)
        y = y.transpose(1, 2).reshape(B, T, H * hd)  # (B, T, C); free when SDPA returns (B, T, H, hd) memory
        return self.wo(y)


class FeedForward(nn.Module):
    """SwiGLU: w2(silu(x W1) * (x W3)), with W1 (gate) and W3 (up) fused in one Linear."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.w13 = nn.Linear(cfg.dim, 2 * cfg.ffn_dim, bias=False)  # rows: [gate | up]
        self.w2 = nn.Linear(cfg.ffn_dim, cfg.dim, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate, up = self.w13(x).chunk(2, dim=-1)  # 2 x (B, T, ffn_dim)
        return self.w2(F.silu(gate) * up)


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.attn_norm = nn.RMSNorm(cfg.dim, eps=cfg.norm_eps)
        self.attn = Attention(cfg)
        self.ffn_norm = nn.RMSNorm(cfg.dim, eps=cfg.norm_eps)
        self.ffn = FeedForward(cfg)

    def forward(self, x: torch.Tensor, rope: RotaryEmbedding) -> torch.Tensor:
        x = x + self.attn(self.attn_norm(x), rope)
        return x + self.ffn(self.ffn_norm(x))


class Transformer(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.tok_embeddings = nn.Embedding(cfg.vocab_size, cfg.dim)
        self.rope = RotaryEmbedding(cfg.head_dim, cfg.max_seq_len, cfg.rope_theta)
        self.layers = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.norm = nn.RMSNorm(cfg.dim, eps=cfg.norm_eps)
        self.output = nn.Linear(cfg.dim, cfg.vocab_size, bias=False)  # untied from tok_embeddings
        self.init_weights()

    @torch.no_grad()
    def init_weights(self) -> None:
        """(Re)initialise parameters and RoPE tables; call after `to_empty(device=...)` on a meta model."""
        std = self.cfg.init_std
        residual_std = std / math.sqrt(2 * self.cfg.n_layers)
        for name, m in self.named_modules():
            if isinstance(m, nn.Linear):
                is_residual_out = name.endswith("attn.wo") or name.endswith("ffn.w2")
                nn.init.normal_(m.weight, mean=0.0, std=residual_std if is_residual_out else std)
            elif isinstance(m, nn.Embedding):
                nn.init.normal_(m.weight, mean=0.0, std=std)
            elif isinstance(m, nn.RMSNorm):
                nn.init.ones_(m.weight)
        self.rope.reset_buffers()

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        # idx: (B, T) token ids -> logits (B, T, vocab_size)
        T = idx.shape[1]
        if T > self.cfg.max_seq_len:
            raise ValueError(f"sequence length {T} exceeds max_seq_len {self.cfg.max_seq_len}")
        x = self.tok_embeddings(idx.contiguous())  # (B, T, C); contiguous ids for opacus' embedding sampler
        for layer in self.layers:
            x = layer(x, self.rope)
        return self.output(self.norm(x))  # (B, T, V)

    def num_params(self, non_embedding: bool = False) -> int:
        """Parameter count; `non_embedding=True` drops the input embedding table (a lookup, not a matmul).
        Works on meta-device models (counts shapes, allocates nothing)."""
        n = sum(p.numel() for p in self.parameters())
        return n - self.tok_embeddings.weight.numel() if non_embedding else n

    def flops_per_token(self, seq_len: int) -> int:
        """Training FLOPs per token (forward + backward), PaLM appendix B convention:
        6 * N + 12 * L * n_heads * head_dim * T, where N = parameters that take part in matmuls (all but the
        input embedding; lm head included) and the second term is QK^T and AV over the full T x T (causal
        masking's saving is not subtracted, as in PaLM and nanoGPT)."""
        c = self.cfg
        n_matmul = self.num_params(non_embedding=True)
        return 6 * n_matmul + 12 * c.n_layers * c.n_heads * c.head_dim * seq_len
