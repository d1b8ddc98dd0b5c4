"""HuggingFace interop: map medfl weights to/from `LlamaForCausalLM` and export a loadable model folder.

Design choices
- Pure tensor renaming plus two splits/concats (our fused `wqkv` <-> q/k/v_proj, `w13` <-> gate/up_proj).
  RoPE already uses HF's rotate_half layout, so no head permutation is needed.
- Nothing here imports transformers: `hf_config` returns a plain dict that `LlamaConfig(**d)` accepts, and
  the export writes JSON + safetensors directly. Tests check the result against transformers itself.
- `export_hf` writes into a temporary sibling folder and renames it into place, so a crash never leaves a
  half-written model where a downstream job might load it. An existing output folder is only replaced with
  `overwrite=True`, and only once the new one is complete.
- The tokenizer ships as `tokenizer.model` (SentencePiece, for llama.cpp/vLLM/sentencepiece users) plus a
  `tokenizer.json` we build ourselves (see `sentencepiece_to_tokenizer_json`), loaded by
  `AutoTokenizer` as a `PreTrainedTokenizerFast` with identical ids on ordinary text.
- Token ids follow medfl's tokenizer contract: <pad>=0, <s>=1, </s>=2, <unk>=3.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import save_file

from medfl.core_model.config import ModelConfig
from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

PAD_ID, BOS_ID, EOS_ID, UNK_ID = 0, 1, 2, 3

# Prefixes that wrappers add to state_dict keys: torch.compile, opacus GradSampleModule, DDP.
_WRAPPER_PREFIXES = ("_orig_mod.", "_module.", "module.")

# Per-layer parameters that are renamed 1:1 (ours -> HF, without the "layers.{i}." prefixes).
_LAYER_RENAMES = {
    "attn_norm.weight": "input_layernorm.weight",
    "attn.wo.weight": "self_attn.o_proj.weight",
    "ffn_norm.weight": "post_attention_layernorm.weight",
    "ffn.w2.weight": "mlp.down_proj.weight",
}
_TOP_RENAMES = {
    "tok_embeddings.weight": "model.embed_tokens.weight",
    "norm.weight": "model.norm.weight",
    "output.weight": "lm_head.weight",
}


def strip_wrapper_prefixes(key: str) -> str:
    """`_orig_mod.layers.0...` (compile) / `_module.` (opacus) / `module.` (DDP) -> `layers.0...`."""
    changed = True
    while changed:
        changed = False
        for p in _WRAPPER_PREFIXES:
            if key.startswith(p):
                key, changed = key[len(p) :], True
    return key


def to_hf_state_dict(state_dict: dict[str, torch.Tensor], cfg: ModelConfig) -> dict[str, torch.Tensor]:
    """medfl `Transformer.state_dict()` -> `LlamaForCausalLM.state_dict()` names and shapes.
    Output tensors are contiguous and share no memory (safetensors requires both)."""
    q_rows, kv_rows = cfg.n_heads * cfg.head_dim, cfg.n_kv_heads * cfg.head_dim
    out: dict[str, torch.Tensor] = {}
    for key, t in state_dict.items():
        key = strip_wrapper_prefixes(key)
        if key in _TOP_RENAMES:
            out[_TOP_RENAMES[key]] = t.detach().clone()
            continue
        m = re.fullmatch(r"layers\.(\d+)\.(.+)", key)
        if m is None:
            raise MedflError(f"unexpected parameter {key!r} in medfl state_dict")
        i, rest = m.group(1), m.group(2)
        pre = f"model.layers.{i}."
        if rest in _LAYER_RENAMES:
            out[pre + _LAYER_RENAMES[rest]] = t.detach().clone()
        elif rest == "attn.wqkv.weight":
            q, k, v = t.detach().split([q_rows, kv_rows, kv_rows], dim=0)
            out[pre + "self_attn.q_proj.weight"] = q.clone()
            out[pre + "self_attn.k_proj.weight"] = k.clone()
            out[pre + "self_attn.v_proj.weight"] = v.clone()
        elif rest == "ffn.w13.weight":
            gate, up = t.detach().split([cfg.ffn_dim, cfg.ffn_dim], dim=0)
            out[pre + "mlp.gate_proj.weight"] = gate.clone()
            out[pre + "mlp.up_proj.weight"] = up.clone()
        else:
            raise MedflError(f"unexpected parameter {key!r} in medfl state_dict")
    return out


def from_hf_state_dict(hf_state: dict[str, torch.Tensor], cfg: ModelConfig) -> dict[str, torch.Tensor]:
    """`LlamaForCausalLM.state_dict()` -> medfl `Transformer` names (fusing q/k/v and gate/up).
    Buffers HF may include (rotary inv_freq) are ignored; a missing weight raises MedflError."""
    top_back = {v: k for k, v in _TOP_RENAMES.items()}
    layer_back = {v: k for k, v in _LAYER_RENAMES.items()}

    def get(name: str) -> torch.Tensor:
        if name not in hf_state:
            raise MedflError(f"HF state_dict is missing {name!r}")
        return hf_state[name].detach()

    out: dict[str, torch.Tensor] = {}
    for hf_key, ours in top_back.items():
        if hf_key == "lm_head.weight" and hf_key not in hf_state:
            raise MedflError("HF state_dict has no lm_head.weight (tied embeddings are not supported)")
        out[ours] = get(hf_key).clone()
    for i in range(cfg.n_layers):
        pre = f"model.layers.{i}."
        for hf_rest, ours in layer_back.items():
            out[f"layers.{i}.{ours}"] = get(pre + hf_rest).clone()
        out[f"layers.{i}.attn.wqkv.weight"] = torch.cat(
            [get(pre + f"self_attn.{p}_proj.weight") for p in ("q", "k", "v")], dim=0
        )
        out[f"layers.{i}.ffn.w13.weight"] = torch.cat(
            [get(pre + f"mlp.{p}_proj.weight") for p in ("gate", "up")], dim=0
        )
    return out


def hf_config(cfg: ModelConfig, *, torch_dtype: str = "float32") -> dict[str, Any]:
    """A `config.json` dict for `LlamaForCausalLM` equivalent to `cfg` (`LlamaConfig(**d)` accepts it).
    Carries both `rope_parameters` (transformers >= 5) and `rope_theta` (older readers, vLLM, llama.cpp)."""
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "vocab_size": cfg.vocab_size,
        "hidden_size": cfg.dim,
        "intermediate_size": cfg.ffn_dim,
        "num_hidden_layers": cfg.n_layers,
        "num_attention_heads": cfg.n_heads,
        "num_key_value_heads": cfg.n_kv_heads,
        "head_dim": cfg.head_dim,
        "max_position_embeddings": cfg.max_seq_len,
        "rms_norm_eps": cfg.norm_eps,
        "rope_theta": cfg.rope_theta,
        "rope_parameters": {"rope_type": "default", "rope_theta": cfg.rope_theta},
        "hidden_act": "silu",
        "attention_bias": False,
        "mlp_bias": False,
        "attention_dropout": 0.0,
        "tie_word_embeddings": False,
        "initializer_range": cfg.init_std,
        "pad_token_id": PAD_ID,
        "bos_token_id": BOS_ID,
        "eos_token_id": EOS_ID,
        "torch_dtype": torch_dtype,
        "dtype": torch_dtype,
        "use_cache": True,
        "medfl_preset": cfg.name,
    }


# ---- tokenizer ---------------------------------------------------------------------------------
# transformers converts a SentencePiece `.model` through protobuf, whose generated code needs a newer
# protobuf runtime than flwr allows. We write `tokenizer.json` (the `tokenizers` format every HF tokenizer
# loads) ourselves instead: a byte-fallback BPE whose merges are derived from the SentencePiece scores,
# the same construction as transformers' LlamaConverter, with the pieces read by a minimal protobuf
# wire-format reader (no protobuf dependency).

_PIECE_NORMAL, _PIECE_UNKNOWN, _PIECE_CONTROL, _PIECE_USER, _PIECE_UNUSED, _PIECE_BYTE = 1, 2, 3, 4, 5, 6


def _proto_fields(buf: bytes):
    """Yield (field_number, wire_type, value) of one protobuf message (value: int, bytes or raw bytes)."""
    i, n = 0, len(buf)

    def varint() -> int:
        nonlocal i
        shift = out = 0
        while True:
            b = buf[i]
            i += 1
            out |= (b & 0x7F) << shift
            if b < 0x80:
                return out
            shift += 7

    while i < n:
        key = varint()
        field, wire = key >> 3, key & 7
        if wire == 0:
            yield field, wire, varint()
        elif wire == 1:
            yield field, wire, buf[i : i + 8]
            i += 8
        elif wire == 2:
            size = varint()
            yield field, wire, buf[i : i + size]
            i += size
        elif wire == 5:
            yield field, wire, buf[i : i + 4]
            i += 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")


def _read_sentencepiece(path: Path) -> tuple[list[tuple[str, float, int]], dict[str, Any]]:
    """(pieces as (piece, score, type), model options) from a SentencePiece ModelProto file."""
    import struct

    pieces: list[tuple[str, float, int]] = []
    opts: dict[str, Any] = {"model_type": 1, "add_dummy_prefix": True, "remove_extra_whitespaces": True,
                            "normalizer": "nmt_nfkc"}  # proto defaults
    try:
        for field, _, val in _proto_fields(path.read_bytes()):
            if field == 1:  # repeated SentencePiece {1: piece, 2: score, 3: type}
                piece, score, typ = "", 0.0, _PIECE_NORMAL
                for f, _, v in _proto_fields(val):
                    if f == 1:
                        piece = v.decode("utf-8")
                    elif f == 2:
                        score = struct.unpack("<f", v)[0]
                    elif f == 3:
                        typ = v
                pieces.append((piece, score, typ))
            elif field == 2:  # TrainerSpec: 3 = model_type
                for f, _, v in _proto_fields(val):
                    if f == 3:
                        opts["model_type"] = v
            elif field == 3:  # NormalizerSpec: 1 = name, 3 = add_dummy_prefix, 4 = remove_extra_whitespaces
                for f, _, v in _proto_fields(val):
                    if f == 1:
                        opts["normalizer"] = v.decode("utf-8")
                    elif f == 3:
                        opts["add_dummy_prefix"] = bool(v)
                    elif f == 4:
                        opts["remove_extra_whitespaces"] = bool(v)
    except (ValueError, IndexError, UnicodeDecodeError) as e:
        raise MedflError(f"tokenizer file {path} is not a SentencePiece model ({type(e).__name__})") from e
    if not pieces:
        raise MedflError(f"tokenizer file {path} is not a SentencePiece model (no pieces)")
    return pieces, opts


def sentencepiece_to_tokenizer_json(path: str | Path) -> dict[str, Any]:
    """A `tokenizers` JSON (byte-fallback BPE, Llama-style Metaspace) equal to a SentencePiece BPE model."""
    path = Path(path)
    pieces, opts = _read_sentencepiece(path)
    if opts["model_type"] != 2:
        raise MedflError(f"tokenizer file {path} is not a BPE SentencePiece model (no tokenizer.json)")
    if opts["normalizer"] != "identity" or opts["remove_extra_whitespaces"]:
        log.warning("tokenizer %s normalises text (%s); tokenizer.json skips that step", path.name,
                    opts["normalizer"])
    prefix = opts["add_dummy_prefix"]
    vocab = {p: i for i, (p, _, _) in enumerate(pieces)}
    normal = {p for p, _, t in pieces if t == _PIECE_NORMAL}
    # Every split of a normal piece into two normal pieces is a merge, ranked by the merged piece's score.
    merges: list[tuple[float, int, int, str, str]] = []
    for p, score, t in pieces:
        if t != _PIECE_NORMAL:
            continue
        for k in range(1, len(p)):
            left, right = p[:k], p[k:]
            if left in normal and right in normal:
                merges.append((-score, vocab[left], vocab[right], left, right))
    merges.sort()
    unk = next((p for p, _, t in pieces if t == _PIECE_UNKNOWN), "<unk>")
    bos = pieces[BOS_ID][0]
    added = [
        {"id": i, "content": p, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False,
         "special": t != _PIECE_USER}
        for i, (p, _, t) in enumerate(pieces)
        if t in (_PIECE_UNKNOWN, _PIECE_CONTROL, _PIECE_USER)
    ]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        # Llama's non-legacy layout. Known differences to SentencePiece, both at the very start of a text:
        # a leading user-defined symbol gets no standalone "\u2581" piece before it, and a leading space is
        # not doubled.
        "pre_tokenizer": {
            "type": "Metaspace", "replacement": "\u2581",
            "prepend_scheme": "first" if prefix else "never", "split": False,
        },
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [
                {"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": bos, "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}},
            ],
            "special_tokens": {bos: {"id": bos, "ids": [BOS_ID], "tokens": [bos]}},
        },
        "decoder": {
            "type": "Sequence",
            "decoders": [
                {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
                {"type": "ByteFallback"},
                {"type": "Fuse"},
                *([{"type": "Strip", "content": " ", "start": 1, "stop": 0}] if prefix else []),
            ],
        },
        "model": {
            "type": "BPE", "dropout": None, "unk_token": unk, "continuing_subword_prefix": None,
            "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
            "vocab": vocab, "merges": [[m[3], m[4]] for m in merges],
        },
    }


def _tokenizer_files(tokenizer_path: Path, max_len: int) -> dict[str, Any]:
    """tokenizer.json + the JSON side files `AutoTokenizer` reads (a Llama-style tokenizer)."""
    try:
        extra = {"tokenizer.json": sentencepiece_to_tokenizer_json(tokenizer_path)}
    except MedflError as e:  # e.g. a unigram model: ship tokenizer.model only (transformers converts it)
        log.warning("%s", e)
        extra = {}
    specials = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}
    return {
        **extra,
        "tokenizer_config.json": {
            "tokenizer_class": "PreTrainedTokenizerFast",
            **specials,
            "add_bos_token": True,
            "add_eos_token": False,
            "add_prefix_space": None,
            "model_max_length": max_len,
            "legacy": False,
            "clean_up_tokenization_spaces": False,
            "sp_model_kwargs": {},
        },
        "special_tokens_map.json": specials,
    }


def export_hf(
    model_or_state: torch.nn.Module | dict[str, torch.Tensor],
    cfg: ModelConfig,
    tokenizer_path: str | Path | None,
    out_dir: str | Path,
    *,
    dtype: torch.dtype | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a HuggingFace model folder loadable by `AutoModelForCausalLM.from_pretrained(out_dir)`.

    Args:
        model_or_state: a medfl `Transformer` or its state_dict (wrapper prefixes are stripped).
        cfg: the model's `ModelConfig`.
        tokenizer_path: SentencePiece `.model` shipped as `tokenizer.model` (+ HF tokenizer files), or None.
        out_dir: destination folder; written via a temporary sibling folder and renamed into place.
        dtype: cast weights (e.g. torch.bfloat16) before saving; default keeps their dtype.
        overwrite: replace an existing non-empty `out_dir` (only after the new folder is complete).
    Returns the output folder.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())) and not overwrite:
        raise MedflError(f"export folder {out_dir} already exists and is not empty (pass overwrite)")
    tok = Path(tokenizer_path) if tokenizer_path is not None else None
    if tok is not None and not tok.is_file():
        raise MedflError(f"tokenizer file {tok} not found")

    state = model_or_state.state_dict() if isinstance(model_or_state, torch.nn.Module) else model_or_state
    tensors = to_hf_state_dict(state, cfg)
    if dtype is not None:
        tensors = {k: v.to(dtype) for k, v in tensors.items()}
    tensors = {k: v.cpu().contiguous() for k, v in tensors.items()}
    dtype_name = str(next(iter(tensors.values())).dtype).removeprefix("torch.")

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    old: Path | None = None
    try:
        save_file(tensors, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        files: dict[str, Any] = {
            "config.json": hf_config(cfg, torch_dtype=dtype_name),
            "generation_config.json": {
                "bos_token_id": BOS_ID,
                "eos_token_id": EOS_ID,
                "pad_token_id": PAD_ID,
                "max_length": cfg.max_seq_len,
            },
        }
        if tok is not None:
            shutil.copyfile(tok, tmp / "tokenizer.model")
            files.update(_tokenizer_files(tok, cfg.max_seq_len))
        for name, obj in files.items():
            (tmp / name).write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")
        # Swap into place: the old folder (if any) is removed only once the new one is complete.
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old-{tmp.name.rsplit('-', 1)[-1]}")
            out_dir.rename(old)
        tmp.rename(out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and old.exists() and not out_dir.exists():  # put the previous export back
            old.rename(out_dir)
        raise
    n = sum(t.numel() for t in tensors.values())
    log.info("exported %s (%.1fM params, %s) to %s", cfg.name, n / 1e6, dtype_name, out_dir)
    return out_dir
