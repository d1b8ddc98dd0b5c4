"""A site's local round across several devices: `torchrun --nproc-per-node N` workers running FSDP2.

The Flower client stays one process. For a site whose node config has `nproc` > 1, `site_task.train` swaps
`medfl.client.train.local_round` for `local_round_fn(...)` from here, which has the same contract (model
updated in place, same metrics) but runs the round in N torchrun workers:

    site process                                   torchrun workers (rank 0..N-1)
    write <round>/global.safetensors + spec.json ->  build the model on meta, fully_shard, load the global
                                                     weights (rank 0 reads, broadcast), run local_round()
                                                     with a rank-sliced TokenLoader, gather the full state
    read <round>/local.safetensors + metrics.json <- (rank 0 writes both atomically)

Design choices
- Same inner loop as the single-process path: the workers call `medfl.client.train.local_round` (hence
  `train_step`) on the FSDP-wrapped model; only the loader (rank r reads every N-th window of the epoch's
  permutation, batch_size / N per rank) and the loss (logits upcast to fp32 under bf16 FSDP parameters)
  differ. Rank r's micro-batch at step k is the r-th interleaved slice of the single-process batch, so on
  fp32 (CPU/gloo) the two paths train on the same windows and agree to rounding (tests/test_parallelize.py).
- Mixed precision is FSDP2's policy (core_model/parallelize.py), not autocast: `precision="fp32"` is passed
  to local_round so no autocast context wraps the bf16 compute.
- Global weights go in through rank 0 only (`broadcast_from_rank0`), so N ranks do not each hold a full
  fp32 copy in host memory; the result is gathered to rank 0 (`full_state_dict=True, cpu_offload=True`).
- AdamW moments stay on the workers' side between rounds as a sharded torch.distributed.checkpoint (DCP)
  in `<state-dir>/fsdp/optim` (DiLoCo keeps the inner optimizer state local); DCP reshards on load, so a
  changed N still resumes. Each rank's loader position is kept in `<state-dir>/fsdp/loader_rank{r}.json`.
- Files are written temp + rename; a failed worker run raises MedflError with the tail of its log
  (which holds only shapes, losses and stack traces, never document text).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F

from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

SPEC, GLOBAL, LOCAL = "spec.json", "global.safetensors", "local.safetensors"
METRICS, LOG = "metrics.json", "log.txt"


@dataclass
class FsdpRoundSpec:
    """Everything a worker needs for one round (written as spec.json into the round dir)."""

    model_config: dict[str, Any]
    train_config: dict[str, Any]  # TrainConfig.to_dict(); batch_size is the site's batch (all ranks)
    steps: int
    global_step: int = 0
    prox_mu: float = 0.0
    shards: list[str] = field(default_factory=list)
    loader_seed: int = 0
    state_dir: str = ""  # optimizer (DCP) and per-rank loader state across rounds; "" = none kept
    param_dtype: str = "auto"  # FSDP compute dtype: auto (bf16 on CUDA, fp32 on CPU) | float32 | bfloat16
    dp: dict[str, Any] | None = None  # DP-SGD round (medfl.privacy.dp.fsdp): pre-sampled batches, σ, C, q·n


def fp32_loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Cross-entropy with the logits upcast to fp32 (they are bf16 under FSDP's bf16 parameters)."""
    return F.cross_entropy(logits.float().flatten(0, 1), y.flatten())


# ---- site side ---------------------------------------------------------------------------------------


def _save_atomic_safetensors(state: dict[str, torch.Tensor], path: Path) -> None:
    from safetensors.torch import save_file

    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    save_file({k: v.detach().to("cpu", torch.float32).contiguous() for k, v in state.items()}, str(tmp))
    os.replace(tmp, path)


def torchrun_command(round_dir: Path, nproc: int) -> list[str]:
    """`torchrun --standalone --nproc-per-node N -m medfl.client.fsdp_round ROUND_DIR` via this Python."""
    return [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", str(nproc),
            "-m", "medfl.client.fsdp_round", str(round_dir)]


def run_round(round_dir: Path, spec: FsdpRoundSpec, weights: dict[str, torch.Tensor], *, nproc: int,
              timeout_s: float | None = None, env: dict[str, str] | None = None
              ) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """Run one local round under torchrun and return (updated fp32 CPU weights, metrics).

    Args:
        round_dir: scratch dir for this round's files (created; emptied first).
        spec: the round (steps, schedule position, data shards, ...).
        weights: the global weights to start from (any device/dtype; written as fp32).
        nproc: processes (one per GPU on CUDA); must divide spec.train_config["batch_size"].
        timeout_s: kill the workers after this long.
        env: extra environment variables for the workers.
    """
    from safetensors.torch import load_file

    bs = int(spec.train_config["batch_size"])
    if nproc < 1 or (bs % nproc and spec.dp is None):  # DP: Poisson batches, split row by row
        raise MedflError(f"node config nproc={nproc} must divide the run's batch-size {bs}")
    round_dir = Path(round_dir)
    shutil.rmtree(round_dir, ignore_errors=True)
    round_dir.mkdir(parents=True)
    _save_atomic_safetensors(weights, round_dir / GLOBAL)
    (round_dir / SPEC).write_text(json.dumps(asdict(spec), indent=1))
    wenv = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"), **(env or {})}
    t0 = time.perf_counter()
    with open(round_dir / LOG, "wb") as logf:
        try:
            proc = subprocess.run(torchrun_command(round_dir, nproc), stdout=logf, stderr=subprocess.STDOUT,
                                  env=wenv, timeout=timeout_s, check=False)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    wall = time.perf_counter() - t0
    if code != 0 or not (round_dir / METRICS).is_file():
        tail = (round_dir / LOG).read_text(errors="replace").strip().splitlines()[-15:]
        raise MedflError(f"FSDP round in {round_dir} failed (torchrun exit {code}): " + " | ".join(tail))
    metrics = json.loads((round_dir / METRICS).read_text())
    metrics["wall_seconds"] = wall
    metrics["launch_overhead_seconds"] = wall - metrics["seconds"]
    local = load_file(str(round_dir / LOCAL))
    return local, metrics


def site_local_round(settings, rt, default: Callable[..., dict]) -> Callable[..., dict]:
    """The local_round a site uses: `default` (in-process) unless its node config asks for nproc > 1.

    Args:
        settings: site_task.SiteSettings (nproc, activation_checkpointing from the node config).
        rt: the site's SiteRuntime (its state_dir keeps the workers' optimizer and loader state).
    """
    nproc = int(getattr(settings, "nproc", 1) or 1)
    if nproc <= 1:
        return default
    return local_round_fn(nproc=nproc, state_dir=rt.state_dir,
                          activation_checkpointing=bool(getattr(settings, "activation_checkpointing", False)))


def local_round_fn(*, nproc: int, state_dir: Path, timeout_s: float | None = None,
                   activation_checkpointing: bool = False) -> Callable[..., dict]:
    """A drop-in for `medfl.client.train.local_round` that runs the round under torchrun with FSDP.

    Same call signature and contract (the model is updated in place, the same metric keys are returned);
    `optimizer`/`optimizer_state` are not used: the workers keep their own sharded AdamW state in
    `state_dir/fsdp/optim`. `loss_fn` must be the default (DP under FSDP goes through
    `medfl.privacy.dp.fsdp.FsdpDPRound`, which calls `run_round` with `spec.dp`).
    """

    def fsdp_local_round(model: nn.Module, loader, train_cfg, *, steps: int, optimizer_state=None,
                         prox_mu: float = 0.0, prox_ref=None, optimizer=None, global_step: int = 0,
                         loss_fn=None) -> dict[str, float]:
        from medfl.client.train import default_loss

        if loss_fn is not None and loss_fn is not default_loss:
            raise MedflError("a custom loss (e.g. DP) is not supported by the FSDP site path; set nproc=1")
        if prox_ref is not None:
            raise MedflError("prox_ref is not supported by the FSDP site path (the round start is the ref)")
        tdict = {**train_cfg.to_dict(), "activation_checkpointing": activation_checkpointing
                 or train_cfg.activation_checkpointing}
        spec = FsdpRoundSpec(model_config=model.cfg.to_dict(), train_config=tdict, steps=steps,
                             global_step=global_step, prox_mu=prox_mu, shards=[str(p) for p in loader.paths],
                             loader_seed=loader.seed, state_dir=str(Path(state_dir) / "fsdp"))
        if global_step == 0:  # a run's first round starts with fresh moments, as a fresh optimizer would
            shutil.rmtree(Path(state_dir) / "fsdp" / "optim", ignore_errors=True)
        local, metrics = run_round(Path(state_dir) / "fsdp" / "round", spec, model.state_dict(), nproc=nproc,
                                   timeout_s=timeout_s)
        model.load_state_dict(local)
        log.info("FSDP round on %d processes: %d tokens, loss %.4f, %.1f s training + %.1f s launch/IO",
                 nproc, metrics["tokens"], metrics["loss"], metrics["seconds"],
                 metrics["launch_overhead_seconds"])
        return metrics

    return fsdp_local_round


# ---- worker side (one process per rank, started by torchrun) -------------------------------------------


def _rank_device(requested: str) -> torch.device:
    """cuda:LOCAL_RANK for "auto" (when CUDA is there) or "cuda*", else the CPU."""
    if requested == "cpu" or (requested == "auto" and not torch.cuda.is_available()):
        return torch.device("cpu")
    if not torch.cuda.is_available():
        raise MedflError(f"device {requested!r} requested for the FSDP round but CUDA is not available")
    dev = torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0)))
    torch.cuda.set_device(dev)
    return dev


def _flops_per_token(model_config: dict[str, Any], seq_len: int) -> int:
    from medfl.core_model.config import ModelConfig
    from medfl.core_model.model import Transformer

    with torch.device("meta"):
        return Transformer(ModelConfig.from_dict(model_config)).flops_per_token(seq_len)


def _load_loader_state(loader, path: Path) -> None:
    if not path.is_file():
        return
    try:
        loader.load_state_dict(json.loads(path.read_text()))
    except (ValueError, KeyError, MedflError) as e:  # world size or data changed: start the epoch afresh
        log.warning("ignoring loader state %s (%s)", path, e)


def _load_optimizer(model: nn.Module, opt: torch.optim.Optimizer, ckpt: Path) -> bool:
    import torch.distributed.checkpoint as dcp
    from torch.distributed.checkpoint.state_dict import get_optimizer_state_dict, set_optimizer_state_dict

    if not (ckpt / ".metadata").is_file():
        return False
    osd = get_optimizer_state_dict(model, opt)
    dcp.load({"optim": osd}, checkpoint_id=str(ckpt))
    set_optimizer_state_dict(model, opt, osd)
    return True


def _save_optimizer(model: nn.Module, opt: torch.optim.Optimizer, ckpt: Path, rank: int) -> None:
    import torch.distributed as dist
    import torch.distributed.checkpoint as dcp
    from torch.distributed.checkpoint.state_dict import get_optimizer_state_dict

    tmp = ckpt.with_name(ckpt.name + ".tmp")
    if rank == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    dist.barrier()
    dcp.save({"optim": get_optimizer_state_dict(model, opt)}, checkpoint_id=str(tmp))
    dist.barrier()
    if rank == 0:
        shutil.rmtree(ckpt, ignore_errors=True)
        os.replace(tmp, ckpt)


def worker_main(round_dir: Path) -> None:
    """One rank's round: build + shard the model, load the global weights, train, write the result."""
    import torch.distributed as dist
    from safetensors.torch import load_file

    from medfl.client.packing import TokenLoader
    from medfl.client.train import TrainConfig, local_round, make_optimizer
    from medfl.core_model.config import ModelConfig
    from medfl.core_model.model import Transformer
    from medfl.core_model.parallelize import (
        ParallelConfig,
        full_state_dict,
        load_full_state_dict,
        mixed_precision_dtypes,
        parallelize,
    )

    round_dir = Path(round_dir)
    spec = FsdpRoundSpec(**json.loads((round_dir / SPEC).read_text()))
    device = _rank_device(str(spec.train_config.get("device", "auto")))
    dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    try:
        tcfg = TrainConfig.from_dict(spec.train_config)
        # FSDP's MixedPrecisionPolicy does the bf16 compute: no autocast on top; the lr schedule, clipping
        # and step loop are local_round's. Each rank reads batch_size / world windows per micro-batch.
        tcfg = TrainConfig.from_dict({**tcfg.to_dict(), "precision": "fp32", "device": str(device),
                                      "activation_checkpointing": False,
                                      "batch_size": max(1, tcfg.batch_size // world)})
        with torch.device("meta"):
            model = Transformer(ModelConfig.from_dict(spec.model_config))
        pdt = None if spec.param_dtype == "auto" else getattr(torch, spec.param_dtype)
        pcfg = ParallelConfig(activation_checkpointing=bool(spec.train_config["activation_checkpointing"]),
                              param_dtype=pdt)
        parallelize(model, device=device, cfg=pcfg)
        model.to_empty(device=device)
        model.rope.reset_buffers()  # non-persistent buffers are not in the state dict
        glob = load_file(str(round_dir / GLOBAL)) if rank == 0 else {}
        load_full_state_dict(model, glob, from_rank0=True)
        del glob
        loader = None if spec.dp else TokenLoader([Path(p) for p in spec.shards], tcfg.seq_len,
                                                  tcfg.batch_size, seed=spec.loader_seed, rank=rank,
                                                  world_size=world)
        state_dir = Path(spec.state_dir) if spec.state_dir else None
        opt = make_optimizer(model, tcfg)
        if state_dir is not None:
            if loader is not None:
                _load_loader_state(loader, state_dir / f"loader_rank{rank}.json")
            if _load_optimizer(model, opt, state_dir / "optim"):
                log.info("rank %d: AdamW state restored from %s", rank, state_dir / "optim")
        if spec.dp:  # DP-SGD: Poisson batches drawn by the site process, per-row clipping, noise once
            from medfl.privacy.dp.fsdp import worker_dp_round

            m = worker_dp_round(model, opt, tcfg, spec.dp, steps=spec.steps, global_step=spec.global_step,
                                rank=rank, world=world, device=device, prox_mu=spec.prox_mu)
        else:
            m = local_round(model, loader, tcfg, steps=spec.steps, optimizer=opt, prox_mu=spec.prox_mu,
                            global_step=spec.global_step, loss_fn=fp32_loss)
        # every rank saw the same number of tokens: the global mean loss is the mean of the rank means
        t = torch.tensor([m["loss"], m["loss_last"], float(m["tokens"]), m["seconds"]], dtype=torch.float64,
                         device=device)
        dist.all_reduce(t)
        state = full_state_dict(model)
        if state_dir is not None:
            state_dir.mkdir(parents=True, exist_ok=True)
            if loader is not None:
                tmp = state_dir / f"loader_rank{rank}.json.tmp"
                tmp.write_text(json.dumps(loader.state_dict()))
                tmp.replace(state_dir / f"loader_rank{rank}.json")
            _save_optimizer(model, opt, state_dir / "optim", rank)
        if rank == 0:
            _save_atomic_safetensors(state, round_dir / LOCAL)
            tokens = int(t[2])
            seconds = float(t[3]) / world
            metrics = {**m, "loss": float(t[0]) / world, "loss_last": float(t[1]) / world, "tokens": tokens,
                       "seconds": seconds, "tokens_per_s": tokens / seconds if seconds > 0 else 0.0,
                       "world_size": world, "device": device.type,
                       "param_dtype": str(mixed_precision_dtypes(device, pcfg)[0]).replace("torch.", "")}
            if device.type == "cuda":  # datasheet peak of the GPU in the compute dtype (train._GPU_PEAKS)
                from medfl.client.train import peak_flops

                peak, _ = peak_flops(device, mixed_precision_dtypes(device, pcfg)[0])
                fpt = _flops_per_token(spec.model_config, tcfg.seq_len)
                metrics["mfu"] = fpt * metrics["tokens_per_s"] / (peak * world)
                metrics["peak_flops_per_gpu"] = peak
            if m["prox_term"]:  # local_round summed the local shards only
                metrics["prox_term"] = None
            tmp = round_dir / (METRICS + ".tmp")
            tmp.write_text(json.dumps(metrics, indent=1))
            tmp.replace(round_dir / METRICS)
        dist.barrier()
    finally:
        dist.destroy_process_group()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s rank" + os.environ.get("RANK", "?")
                        + " %(levelname)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    worker_main(Path(sys.argv[1]))
