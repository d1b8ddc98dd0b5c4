"""Shard a medfl Transformer over a site's devices with FSDP2 (torchtitan's `parallelize.py` pattern).

Design choices
- Parallelism lives here, apart from the model: model.py never imports torch.distributed. The order is
  torchtitan's: activation checkpointing on each block first, then `fully_shard` on every block of
  `model.layers`, then on the root (embeddings, final norm, lm head form the root's FSDP unit).
- Mixed precision is FSDP2's `MixedPrecisionPolicy`: on CUDA the all-gathered (compute) parameters are bf16
  and gradients are reduce-scattered in fp32; the sharded master parameters, their gradients and the AdamW
  state stay fp32. On CPU (gloo) everything stays fp32: gloo has no bf16 reduce-scatter worth using, and
  fp32 is what the single-process CPU trainer uses, so the two paths can be compared step for step.
- The last block is not resharded after forward (FSDP would all-gather it again at once for backward);
  the same choice torchtitan makes.
- Activation checkpointing reuses `medfl.client.train.apply_activation_checkpointing` (non-reentrant,
  parameter names unchanged), so an FSDP state dict has exactly the single-process model's keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class ParallelConfig:
    """How to shard one model. `param_dtype=None` means 'auto': bf16 on CUDA, fp32 elsewhere."""

    param_dtype: torch.dtype | None = None
    reduce_dtype: torch.dtype = torch.float32
    activation_checkpointing: bool = False
    reshard_after_forward: bool = True


def mixed_precision_dtypes(device: torch.device, cfg: ParallelConfig) -> tuple[torch.dtype, torch.dtype]:
    """(param_dtype, reduce_dtype) FSDP2 will use on `device`."""
    if cfg.param_dtype is not None:
        return cfg.param_dtype, cfg.reduce_dtype
    if device.type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.bfloat16, cfg.reduce_dtype
    return torch.float32, torch.float32


def parallelize(model: nn.Module, *, device: torch.device, mesh=None, cfg: ParallelConfig | None = None
                ) -> nn.Module:
    """Apply activation checkpointing (optional) and FSDP2 to `model` in place; returns it.

    Args:
        model: a Transformer (anything with a `layers` ModuleList of blocks), on `device` or on meta.
        device: the rank's device (decides the mixed-precision default).
        mesh: a 1-D DeviceMesh; None = the default process group (all ranks).
        cfg: ParallelConfig; default: auto precision, no activation checkpointing.
    """
    from torch.distributed.fsdp import MixedPrecisionPolicy, fully_shard

    cfg = cfg or ParallelConfig()
    if cfg.activation_checkpointing:
        from medfl.client.train import apply_activation_checkpointing

        apply_activation_checkpointing(model)
    param_dtype, reduce_dtype = mixed_precision_dtypes(device, cfg)
    mp = MixedPrecisionPolicy(param_dtype=param_dtype, reduce_dtype=reduce_dtype)
    n = len(model.layers)
    for i, block in enumerate(model.layers):
        reshard = cfg.reshard_after_forward and i < n - 1
        fully_shard(block, mesh=mesh, mp_policy=mp, reshard_after_forward=reshard)
    fully_shard(model, mesh=mesh, mp_policy=mp, reshard_after_forward=cfg.reshard_after_forward)
    return model


def full_state_dict(model: nn.Module) -> dict[str, torch.Tensor]:
    """The unsharded fp32 state dict on CPU, gathered on every rank's call but materialised on rank 0 only
    (other ranks get {}). Collective: every rank must call it."""
    from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict

    return get_model_state_dict(model, options=StateDictOptions(full_state_dict=True, cpu_offload=True))


def load_full_state_dict(model: nn.Module, state: dict[str, torch.Tensor], *, from_rank0: bool = True
                         ) -> None:
    """Load an unsharded state dict into a sharded model; each rank keeps its shard. Collective.

    from_rank0: only rank 0 passes the weights (others pass {}) and they are broadcast, so N ranks do not
        each hold a full copy in host memory."""
    from torch.distributed.checkpoint.state_dict import StateDictOptions, set_model_state_dict

    set_model_state_dict(model, state, options=StateDictOptions(full_state_dict=True, strict=True,
                                                                broadcast_from_rank0=from_rank0))
