"""FSDP2 site rounds (core_model/parallelize.py + client/fsdp_round.py) against the single-process trainer.

The integration test launches real `torchrun --nproc-per-node 2` workers on CPU (gloo) and checks that two
consecutive rounds give the same losses and weights as `local_round` in this process with one optimizer
and one loader carried across the rounds. fp32 on both sides, so agreement is to rounding.
"""

import json
import os
from pathlib import Path

import numpy as np
import pytest
import torch

from medfl.client import fsdp_round
from medfl.client.packing import TokenLoader
from medfl.client.site_task import SiteSettings
from medfl.client.train import TrainConfig, local_round, make_optimizer
from medfl.core_model.config import ModelConfig
from medfl.core_model.errors import MedflError
from medfl.core_model.model import Transformer
from medfl.core_model.parallelize import ParallelConfig, mixed_precision_dtypes

STEPS, SEQ, BATCH = 3, 64, 4


@pytest.fixture
def shard(tmp_path) -> Path:
    """A packed token shard in the on-disk format pack_site writes (raw uint16 + meta.json)."""
    d = tmp_path / "packed"
    d.mkdir()
    np.random.default_rng(0).integers(0, 2048, size=20_000, dtype=np.uint16).tofile(d / "train.bin")
    (d / "meta.json").write_text(json.dumps({"dtype": "uint16", "tokenizer_sha256": "test"}))
    return d / "train.bin"


def test_mixed_precision_policy_per_device():
    assert mixed_precision_dtypes(torch.device("cpu"), ParallelConfig()) == (torch.float32, torch.float32)
    explicit = ParallelConfig(param_dtype=torch.bfloat16)
    assert mixed_precision_dtypes(torch.device("cpu"), explicit) == (torch.bfloat16, torch.float32)


def test_node_config_switches_site_to_fsdp(tmp_path):
    nc = {"data-path": str(tmp_path), "nproc": "2", "activation-checkpointing": "true"}
    s = SiteSettings.from_node_config(nc)
    assert (s.nproc, s.activation_checkpointing) == (2, True)

    class Rt:
        state_dir = tmp_path

    assert fsdp_round.site_local_round(SiteSettings.from_node_config({"data-path": "x"}), Rt, local_round) \
        is local_round
    assert fsdp_round.site_local_round(s, Rt, local_round) is not local_round


def test_batch_must_split_over_ranks(tmp_path, shard):
    cfg = ModelConfig.from_name("medfl-tiny")
    tc = TrainConfig(batch_size=3).to_dict()
    spec = fsdp_round.FsdpRoundSpec(model_config=cfg.to_dict(), train_config=tc, steps=1, shards=[str(shard)])
    with pytest.raises(MedflError, match="nproc=2 must divide"):
        fsdp_round.run_round(tmp_path / "r", spec, {}, nproc=2)


def test_fsdp_two_ranks_gloo_matches_single_process(tmp_path, shard):
    os.environ["OMP_NUM_THREADS"] = "1"
    torch.manual_seed(0)
    cfg = ModelConfig.from_name("medfl-tiny")
    tcfg = TrainConfig(lr=3e-3, warmup_steps=1, max_steps=2 * STEPS, batch_size=BATCH, seq_len=SEQ,
                       precision="fp32", device="cpu")
    model = Transformer(cfg)
    init = {k: v.clone() for k, v in model.state_dict().items()}

    # reference: two rounds in this process, optimizer and loader carried over (what site_task does)
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        loader = TokenLoader(shard, SEQ, BATCH, seed=7)
        opt = make_optimizer(model, tcfg)
        ref = [local_round(model, loader, tcfg, steps=STEPS, optimizer=opt, global_step=r * STEPS)
               for r in range(2)]
    finally:
        torch.set_num_threads(n)
    ref_w = model.state_dict()

    # FSDP: a fresh Transformer object holding the initial weights, run through the site-side drop-in
    fsdp_model = Transformer(cfg)
    fsdp_model.load_state_dict(init)
    fn = fsdp_round.local_round_fn(nproc=2, state_dir=tmp_path / "site-state", timeout_s=120)
    got = [fn(fsdp_model, TokenLoader(shard, SEQ, BATCH, seed=7), tcfg, steps=STEPS, global_step=r * STEPS)
           for r in range(2)]

    for r, (a, b) in enumerate(zip(ref, got, strict=True)):
        assert b["world_size"] == 2 and b["param_dtype"] == "float32"
        assert b["tokens"] == a["tokens"] == STEPS * BATCH * SEQ
        assert b["loss"] == pytest.approx(a["loss"], rel=1e-5), f"round {r}"
        assert b["loss_last"] == pytest.approx(a["loss_last"], rel=1e-5), f"round {r}"
        assert b["grad_norm"] == pytest.approx(a["grad_norm"], rel=1e-4), f"round {r}"
    assert got[1]["loss"] < got[0]["loss"]  # round 2 continued (moments + data position), did not restart
    out_w = fsdp_model.state_dict()
    for k, w in ref_w.items():
        upd = (w - init[k]).abs().mean()
        diff = (out_w[k] - w).abs()
        assert diff.mean() < 1e-3 * upd, k
        if k != "tok_embeddings.weight":  # embedding rows with ~0 gradient: Adam amplifies rounding
            assert diff.max() < 1e-4, k
    assert (tmp_path / "site-state" / "fsdp" / "optim" / ".metadata").is_file()


def test_worker_failure_is_one_medfl_error(tmp_path, shard, monkeypatch):
    """A worker that dies: one MedflError carrying the tail of the workers' log. The launcher is replaced by
    a failing process (a real torchrun start costs ~5 s here; the other tests run the real command)."""
    import sys

    boom = [sys.executable, "-c", "import sys; print('rank 1: CUDA out of memory'); sys.exit(3)"]
    monkeypatch.setattr(fsdp_round, "torchrun_command", lambda round_dir, nproc: boom)
    cfg = ModelConfig.from_name("medfl-tiny")
    tc = TrainConfig(batch_size=2).to_dict()
    spec = fsdp_round.FsdpRoundSpec(model_config=cfg.to_dict(), train_config=tc, steps=1, shards=[str(shard)])
    with pytest.raises(MedflError, match=r"FSDP round .* failed \(torchrun exit 3\): rank 1: CUDA out of"):
        fsdp_round.run_round(tmp_path / "r", spec, Transformer(cfg).state_dict(), nproc=2, timeout_s=60)


@pytest.mark.slow
@pytest.mark.usefixtures("one_torch_thread", "flwr_task_identity")
def test_site_with_nproc_2_trains_its_round_under_fsdp(tmp_path):
    """A real ServerApp round (test_site_task's in-process grid) where the site's node config says nproc=2:
    the ClientApp's round goes through torchrun + FSDP and matches the same site trained in process."""
    import test_site_task as ts  # tests/ is on sys.path under pytest
    from prepared_sites import prepared_site, train_texts

    from medfl.client import site_task

    os.environ["OMP_NUM_THREADS"] = "1"
    root = tmp_path / "w"
    sites = {"site-a": prepared_site(root, "a", ["cdc"])}
    world = (root, sites, ts.train_tokenizer(out_path=root / "tok.model", vocab_size=400,
                                             texts=train_texts(*sites.values())))
    run = {"num-rounds": 1, "min-sites": 1, "strategy": "fedavg", "wire-dtype": "fp32", "local-steps": 2}
    try:
        reports = {}
        for nproc in (1, 2):
            nodes = ts._nodes(world, ["site-a"], tmp_path / f"n{nproc}")
            nodes[100]["nproc"] = str(nproc)
            site_task._RUNTIMES.clear()
            reports[nproc] = ts._run(ts.LocalGrid(nodes), tmp_path / f"state{nproc}", world, **run)
    finally:
        site_task._RUNTIMES.clear()
    one, two = (reports[k]["rounds"][0] for k in (1, 2))
    assert one["sites"]["site-a"]["status"] == two["sites"]["site-a"]["status"] == "ok"
    assert two["tokens"] == one["tokens"]
    assert two["train_loss"] == pytest.approx(one["train_loss"], rel=1e-5)
    ev1, ev2 = reports[1]["eval"][-1]["global"]["val_loss"], reports[2]["eval"][-1]["global"]["val_loss"]
    assert ev2 == pytest.approx(ev1, rel=1e-4)  # the global model after the round: same weights
    assert list((tmp_path / "n2" / "work-site-a" / "fed").glob("*/fsdp/round/local.safetensors"))


@pytest.mark.slow
def test_bf16_compute_fp32_reduce_on_gloo(tmp_path, shard):
    """The GPU recipe (bf16 all-gathered parameters, fp32 reduce-scatter, fp32 master weights) run on CPU:
    close to the fp32 loss, and the gathered result is fp32 master weights, with activation checkpointing."""
    os.environ["OMP_NUM_THREADS"] = "1"
    torch.manual_seed(0)
    cfg = ModelConfig.from_name("medfl-tiny")
    tcfg = TrainConfig(lr=3e-3, warmup_steps=1, max_steps=STEPS, batch_size=BATCH, seq_len=SEQ,
                       precision="fp32", device="cpu", activation_checkpointing=True)
    model = Transformer(cfg)
    init = {k: v.clone() for k, v in model.state_dict().items()}
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        ref = local_round(model, TokenLoader(shard, SEQ, BATCH, seed=7), tcfg, steps=STEPS)
    finally:
        torch.set_num_threads(n)
    spec = fsdp_round.FsdpRoundSpec(model_config=cfg.to_dict(), train_config=tcfg.to_dict(), steps=STEPS,
                                    shards=[str(shard)], loader_seed=7, param_dtype="bfloat16")
    local, got = fsdp_round.run_round(tmp_path / "r", spec, init, nproc=2, timeout_s=120)
    assert got["param_dtype"] == "bfloat16"
    assert got["loss"] == pytest.approx(ref["loss"], rel=2e-3) and got["loss"] != ref["loss"]
    assert all(v.dtype == torch.float32 for v in local.values())
    assert set(local) == set(init)
    moved = [k for k in init if not torch.equal(local[k], init[k])]
    assert len(moved) == len(init)  # every tensor was trained (fp32 masters updated by bf16 gradients)
