"""Book-keeping ghost clipping: per-sample clipped gradients in ONE backward pass, no per-sample gradients.

opacus' ghost clipping runs two backward passes: the first only to get every sequence's gradient norm, the
second to back-propagate the re-weighted loss Σ_i c_i·loss_i. Book-keeping (Bu et al. 2023, "Differentially
private optimization on large model at small cost") keeps, for every parametrised layer, its input `a`
(already held by autograd) and the gradient of its output `g` from the single backward pass; once all norms
are known it forms each weight's clipped gradient directly:

    Linear     W.grad = Σ_i c_i g_iᵀ a_i = (c ⊙ g)ᵀ a                      (one matmul, as a normal backward)
    Embedding  W.grad = index_add over token ids of c ⊙ g
    RMSNorm    w.grad = Σ_i c_i Σ_t g_it ⊙ x̂_it                           (x̂: the normalised input)

The single backward computes only activation gradients (`torch.autograd.grad` towards the embedding table;
autograd prunes every Linear weight-gradient matmul), so a step is forward + input-gradient backward +
norms + weight gradients, against forward + 2 full backwards + norms for opacus' ghost.

Per-sample norms (squared, summed over layers):
    Linear     the cheaper, for the layer's shapes, of the Gram trick ⟨a_i a_iᵀ, g_i g_iᵀ⟩ (B·T²·(d_in+d_out)
               MACs) and the explicit per-sample gradient g_iᵀ a_i (B·T·d_in·d_out, chunked over the batch
               so a transient block stays under 64 MB): "mixed ghost clipping" (Bu et al. 2022)
    Embedding  Σ_{t,t'} [id_t = id_t'] ⟨g_t, g_t'⟩ (Gram of the output gradients masked by equal ids)
    RMSNorm    ||Σ_t g_t ⊙ x̂_t||² (its per-sample gradient is only d numbers)

Memory: the output gradients of every parametrised layer are kept until the end of the backward (about
one more copy of the activations); no per-sample gradient is ever materialised beyond one chunk. Exact:
tests compare the update with hand-written per-sample clipping in float64.
Supported: nn.Linear, nn.Embedding, nn.RMSNorm (1-D), each called once per forward (no weight tying: it is
rejected), no activation checkpointing (hooks would fire twice).
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

PSG_CHUNK_ELEMS = 16 * 1024 * 1024  # cap on a transient (b, d_out, d_in) per-sample-gradient block


def linear_sq_norms(a: torch.Tensor, g: torch.Tensor, chunk_elems: int | None = None) -> torch.Tensor:
    """Squared per-sample weight-gradient norms of a Linear with input a (B, [T,] d_in), output grad g."""
    if g.dim() == 2:
        return g.pow(2).sum(1) * a.pow(2).sum(1)
    a, g = a.flatten(1, -2), g.flatten(1, -2)  # (B, T, d)
    B, T, d_out = g.shape
    d_in = a.shape[-1]
    if T * (d_in + d_out) <= d_in * d_out:  # Gram trick is cheaper
        return (torch.bmm(a, a.transpose(1, 2)) * torch.bmm(g, g.transpose(1, 2))).sum((1, 2)).clamp(min=0)
    chunk = max(1, (chunk_elems or PSG_CHUNK_ELEMS) // (d_in * d_out))
    return torch.cat([torch.bmm(g[i : i + chunk].transpose(1, 2), a[i : i + chunk]).pow(2).sum((1, 2))
                      for i in range(0, B, chunk)])


class BookKeepingClipper:
    """Forward hooks on every parametrised layer of `model`; `backward(per_sample_loss)` leaves the SUM of
    per-sample clipped gradients (clip norm `max_grad_norm`) in each parameter's .grad."""

    def __init__(self, model: nn.Module, max_grad_norm: float) -> None:
        self.max_grad_norm = float(max_grad_norm)
        self.params = [p for p in model.parameters() if p.requires_grad]
        owners: dict[int, str] = {}
        for name, m in model.named_modules():
            for p in m.parameters(recurse=False):
                if id(p) in owners:
                    raise ValueError(f"{name} shares a parameter with {owners[id(p)]} (tied weights): not "
                                     "supported by book-keeping ghost clipping")
                owners[id(p)] = name
        self.leaves = []
        self.handles = []
        for name, m in model.named_modules():
            own = [p for p in m.parameters(recurse=False) if p.requires_grad]
            if not own:
                continue
            if not isinstance(m, (nn.Linear, nn.Embedding, nn.RMSNorm)):
                raise ValueError(f"book-keeping ghost clipping does not support {type(m).__name__} ({name}); "
                                 "use dp-mode=hooks")
            if isinstance(m, nn.RMSNorm) and len(m.normalized_shape) != 1:
                raise ValueError(f"{name}: only 1-D RMSNorm is supported")
            if isinstance(m, nn.Embedding):
                self.leaves.append(m.weight)
            self.handles.append(m.register_forward_hook(self._capture))
        if not self.leaves:  # no embedding: differentiate towards every parameter (no pruning)
            self.leaves = list(self.params)
        self.records: list[list] = []  # [module, input, output grad]
        self.last_norms: torch.Tensor | None = None

    def remove(self) -> None:
        for h in self.handles:
            h.remove()
        self.handles = []

    def _capture(self, m: nn.Module, inp: tuple, out: torch.Tensor) -> None:
        if not (m.training and torch.is_grad_enabled() and out.requires_grad):
            return
        rec = [m, inp[0].detach(), None]
        self.records.append(rec)
        out.register_hook(lambda g, rec=rec: rec.__setitem__(2, g.detach()))

    def _rms_psg(self, m: nn.RMSNorm, a: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
        x = a.to(g.dtype)  # g is fp32 or fp64 (see backward)
        eps = m.eps if m.eps is not None else torch.finfo(x.dtype).eps
        xhat = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
        return (g * xhat).flatten(1, -2).sum(1)  # (B, d)

    def backward(self, per_sample_loss: torch.Tensor) -> torch.Tensor:
        """One backward pass of Σ_i loss_i; sets p.grad = Σ_i min(1, C/||∇loss_i||)·∇loss_i. Returns the
        per-sample gradient norms (B,)."""
        records, self.records = self.records, []
        seen = set()
        for m, _, _ in records:
            if id(m) in seen:
                raise ValueError(f"{type(m).__name__} ran twice in one forward (tied or reused weights)")
            seen.add(id(m))
        torch.autograd.grad(per_sample_loss.sum(), self.leaves, allow_unused=True)
        B = per_sample_loss.shape[0]
        pdt = self.params[0].dtype
        sq = torch.zeros(B, dtype=pdt if pdt in (torch.float32, torch.float64) else torch.float32,
                         device=per_sample_loss.device)
        work = []
        for m, a, g in records:
            if g is None:  # output did not reach the loss
                continue
            g = g if g.dtype in (torch.float32, torch.float64) else g.float()  # bf16 autocast: fp32 math
            if isinstance(m, nn.Linear):
                a = a.to(g.dtype)
                sq += linear_sq_norms(a, g).to(sq.dtype)
                if m.bias is not None and m.bias.requires_grad:
                    sq += g.flatten(1, -2).sum(1).pow(2).sum(1).to(sq.dtype)
                work.append((m, a, g, None))
            elif isinstance(m, nn.Embedding):
                g = g.flatten(1, -2)
                ids = a.reshape(B, -1)
                if m.padding_idx is not None:
                    g = g * (ids != m.padding_idx).unsqueeze(-1)
                same = ids.unsqueeze(2) == ids.unsqueeze(1)  # (B, T, T)
                sq += (torch.bmm(g, g.transpose(1, 2)) * same).sum((1, 2)).to(sq.dtype)
                work.append((m, ids, g, None))
            else:  # RMSNorm
                psg = self._rms_psg(m, a, g)
                sq += psg.pow(2).sum(1).to(sq.dtype)
                work.append((m, a, g, psg))
        norms = sq.sqrt()
        c = (self.max_grad_norm / (norms + 1e-6)).clamp(max=1.0)  # opacus' clip factor
        for m, a, g, psg in work:
            cg = c.to(g.dtype).view(-1, *([1] * (g.dim() - 1)))
            if isinstance(m, nn.Linear):
                gc = g * cg
                _add_grad(m.weight, gc.flatten(0, -2).t() @ a.flatten(0, -2))
                if m.bias is not None and m.bias.requires_grad:
                    _add_grad(m.bias, gc.flatten(0, -2).sum(0))
            elif isinstance(m, nn.Embedding):
                rows = (g * cg).flatten(0, 1).to(m.weight.dtype)
                _add_grad(m.weight, torch.zeros_like(m.weight).index_add_(0, a.flatten(), rows))
            else:
                _add_grad(m.weight, (psg * c.unsqueeze(1)).sum(0).to(m.weight.dtype))
        for p in self.params:  # parameters the loss did not reach: a zero (clipped) gradient
            if p.grad is None:
                p.grad = torch.zeros_like(p)
        self.last_norms = norms
        return norms


def _add_grad(p: torch.Tensor, g: torch.Tensor) -> None:
    g = g.to(p.dtype).view_as(p)
    p.grad = g if p.grad is None else p.grad + g


def per_sequence_losses(logits: torch.Tensor, y: torch.Tensor, ignore_index: int = -100) -> torch.Tensor:
    """(B,) mean token cross-entropy of each sequence (targets equal to ignore_index excluded)."""
    B, T = y.shape
    lo = logits if logits.dtype in (torch.float32, torch.float64) else logits.float()  # bf16 autocast
    tok = F.cross_entropy(lo.flatten(0, 1), y.flatten(), reduction="none", ignore_index=ignore_index)
    return tok.view(B, T).sum(1) / (y != ignore_index).sum(1).clamp(min=1)


class BKLoss:
    """What train_step sees as the loss: `.backward()` runs the book-keeping clipped backward."""

    def __init__(self, clipper: BookKeepingClipper, per_sample: torch.Tensor) -> None:
        self.clipper, self.per_sample = clipper, per_sample

    def detach(self) -> torch.Tensor:
        return self.per_sample.detach().mean()

    def __truediv__(self, k: float) -> BKLoss:
        if k != 1:
            raise ValueError("gradient accumulation is not supported under DP-SGD")
        return self

    def backward(self) -> None:
        self.clipper.backward(self.per_sample)
