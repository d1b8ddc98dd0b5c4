"""Load a checkpoint for auditing and query it: per-token log-probs (with the moments Min-K%++ needs) and
batched greedy / sampled generation.

Design choices
- One loader for every checkpoint medfl writes: a trainer run dir (checkpoints/ + tokenizer.model), its
  checkpoints/ dir, one step_*.pt, or a federation state dir / round folder
  (`server.state.load_global_model`).
- Documents are scored as the trainer saw them: packing puts </s> before every document, so every scored
  sequence and every prompt starts with eos_id.
- No KV cache: audit prompts are short and models are small on site machines; sequences are grouped by
  length so batches need no padding (right padding would be harmless for scoring, but not for generation).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)


@dataclass
class AuditModel:
    model: torch.nn.Module
    tokenizer: Any  # medfl.core_model.tokenizer.Tokenizer
    info: dict[str, Any] = field(default_factory=dict)  # kind, path, step/round, num_params, dp (or None)

    @property
    def max_len(self) -> int:
        return int(self.model.cfg.max_seq_len) if hasattr(self.model, "cfg") else 256


def _dp_from_meta(meta: dict) -> dict | None:
    """DP parameters recorded by the trainer / federation (None when the run had no DP)."""
    for key in ("dp", "dp_report", "privacy"):
        v = meta.get(key)
        if isinstance(v, dict) and v:
            return dict(v)
    return None


def load_audit_model(
    path: str | Path, *, tokenizer: str | Path | None = None, device: str = "cpu"
) -> AuditModel:
    """Build the Transformer of any medfl checkpoint and its tokenizer (see module docstring for `path`)."""
    from medfl.core_model.checkpoint import list_checkpoints, load_checkpoint, load_latest_checkpoint
    from medfl.core_model.config import ModelConfig
    from medfl.core_model.model import Transformer
    from medfl.core_model.tokenizer import Tokenizer

    path = Path(path)
    if not path.exists():
        raise MedflError(f"model checkpoint {path} does not exist")
    tok_guess: list[Path] = []
    if path.is_file():
        state, meta = load_checkpoint(path)
        weights, kind = state["model"], "train"
        tok_guess = [path.parent / "tokenizer.model", path.parent.parent / "tokenizer.model"]
    elif (path / "checkpoints").is_dir() or list_checkpoints(path):
        ckdir = path / "checkpoints" if (path / "checkpoints").is_dir() else path
        state, meta = load_latest_checkpoint(ckdir)
        weights, kind = state["model"], "train"
        tok_guess = [ckdir.parent / "tokenizer.model"]
    else:
        from medfl.server.state import load_global_model, load_latest, load_round

        weights, cfg_dict, tok_path = load_global_model(path)
        st = load_round(path) if (path / "state.json").is_file() else load_latest(path)
        meta = {
            "model_config": cfg_dict,
            "round": st.round if st else None,
            **({"dp": st.run_config.get("dp")} if st and isinstance(st.run_config.get("dp"), dict) else {}),
        }
        for k in ("dp", "dp_report", "privacy"):  # a DP run may record its accountant in run config / history
            if st and isinstance(st.run_config.get(k), dict):
                meta[k] = st.run_config[k]
        kind, tok_guess = "federated", [tok_path]
    if meta.get("tokenizer_path"):
        tok_guess.insert(0, Path(meta["tokenizer_path"]))
    tok_file = Path(tokenizer) if tokenizer else next((p for p in tok_guess if p.is_file()), None)
    if tok_file is None or not tok_file.is_file():
        raise MedflError(f"no tokenizer found for {path}; pass --tokenizer tok.model")
    tok = Tokenizer.load(tok_file)
    cfg = ModelConfig.from_dict(meta["model_config"])
    model = Transformer(cfg)
    weights = {k.replace("_checkpoint_wrapped_module.", ""): v for k, v in weights.items()}
    try:
        model.load_state_dict(weights)
    except RuntimeError as e:
        raise MedflError(f"{path}: weights do not match model_config ({str(e).splitlines()[0]})") from None
    model.to(device).eval()
    info = {
        "kind": kind,
        "path": str(path),
        "step": meta.get("step"),
        "round": meta.get("round"),
        "preset": cfg.name,
        "num_params": model.num_params(),
        "tokens_trained": meta.get("tokens"),
        "tokenizer_sha256": tok.sha256,
        "dp": _dp_from_meta(meta),
    }
    return AuditModel(model=model, tokenizer=tok, info=info)


def _device(model: torch.nn.Module) -> torch.device:
    return next(model.parameters()).device


def _by_length(seqs: list[list[int]], batch_size: int):
    """Yield (indices, LongTensor (B, T)) batches of equal-length sequences."""
    groups: dict[int, list[int]] = {}
    for i, s in enumerate(seqs):
        groups.setdefault(len(s), []).append(i)
    for _, idx in sorted(groups.items()):
        for j in range(0, len(idx), batch_size):
            chunk = idx[j : j + batch_size]
            yield chunk, torch.tensor([seqs[i] for i in chunk], dtype=torch.long)


@torch.no_grad()
def token_scores(
    am: AuditModel, seqs: list[list[int]], *, batch_size: int = 64, moments: bool = False
) -> list[dict[str, np.ndarray]]:
    """Per sequence: "logp" (T-1,) = log p(x_t | x_<t) for t >= 1; with moments also "mu" and "sigma", the
    mean and std of log p(z) under the model's own next-token distribution (Min-K%++). Sequences longer than
    the model context are cut to their first max_len tokens."""
    dev = _device(am.model)
    seqs = [s[: am.max_len] for s in seqs]
    out: list[dict[str, np.ndarray] | None] = [None] * len(seqs)
    for idx, x in _by_length(seqs, batch_size):
        x = x.to(dev)
        logits = am.model(x[:, :-1]).float()  # (B, T-1, V)
        lp = F.log_softmax(logits, dim=-1)
        tgt = lp.gather(-1, x[:, 1:, None]).squeeze(-1)  # (B, T-1)
        if moments:
            p = lp.exp()
            mu = (p * lp).sum(-1)
            sigma = ((p * lp * lp).sum(-1) - mu * mu).clamp_min(1e-12).sqrt()
        for b, i in enumerate(idx):
            d = {"logp": tgt[b].cpu().numpy()}
            if moments:
                d["mu"], d["sigma"] = mu[b].cpu().numpy(), sigma[b].cpu().numpy()
            out[i] = d
    return out  # type: ignore[return-value]


def sequence_nll(am: AuditModel, seqs: list[list[int]], *, batch_size: int = 256) -> np.ndarray:
    """Total negative log-likelihood (nats) of each sequence: Carlini's log-perplexity."""
    return np.array([-float(d["logp"].sum()) for d in token_scores(am, seqs, batch_size=batch_size)])


@torch.no_grad()
def generate(
    am: AuditModel,
    prompts: list[list[int]],
    max_new: int,
    *,
    greedy: bool = True,
    temperature: float = 1.0,
    top_k: int | None = None,
    seed: int = 0,
    batch_size: int = 64,
) -> list[list[int]]:
    """Continue each prompt by max_new tokens (greedy or sampled); returns only the new tokens."""
    dev = _device(am.model)
    gen = torch.Generator(device="cpu").manual_seed(seed)
    out: list[list[int] | None] = [None] * len(prompts)
    for idx, x in _by_length(prompts, batch_size):
        x = x.to(dev)
        new = []
        for _ in range(max_new):
            logits = am.model(x[:, -am.max_len :])[:, -1].float()  # (B, V)
            if greedy:
                nxt = logits.argmax(-1)
            else:
                logits = logits / max(temperature, 1e-6)
                if top_k:
                    kth = logits.topk(min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
                    logits = logits.masked_fill(logits < kth, float("-inf"))
                probs = F.softmax(logits, dim=-1).cpu()
                nxt = torch.multinomial(probs, 1, generator=gen).squeeze(-1).to(dev)
            new.append(nxt)
            x = torch.cat([x, nxt[:, None]], dim=1)
        ids = torch.stack(new, dim=1).cpu().tolist()
        for b, i in enumerate(idx):
            out[i] = ids[b]
    return out  # type: ignore[return-value]
