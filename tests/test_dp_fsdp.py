"""DP-SGD under FSDP2 (privacy/dp/fsdp.py) on CPU with gloo and 2 processes.

1. The clipped, summed gradient of a Poisson batch split over 2 FSDP ranks (opacus ghost_fsdp hooks on our
   per-block fully_shard layout) equals a hand-written per-row clipping reference in float64, including a
   step where one rank's share is empty (dummy row); and the noise is added once per coordinate.
2. A site round through site_task (nproc=2, DP on) trains on torchrun workers and charges the site's ledger
   exactly like a single-device site with the same plan.
"""

import json
import os
import socket
from pathlib import Path

import pytest
import torch
import torch.multiprocessing as mp

from medfl.core_model.config import ModelConfig
from medfl.core_model.model import Transformer
from medfl.privacy.dp.engine import per_sequence_loss
from medfl.privacy.dp.sampling import IGNORE_INDEX

C = 10.0  # between the rows' gradient norms (about 9 to 12): some rows are clipped, some are not


def _cfg() -> ModelConfig:
    return ModelConfig.from_name("medfl-tiny", vocab_size=128, max_seq_len=32)


def _batches():
    g = torch.Generator().manual_seed(3)
    x = torch.randint(0, 128, (6, 16), generator=g)
    y = torch.randint(0, 128, (6, 16), generator=g)
    y[4, 10:] = IGNORE_INDEX  # a padded patient window
    return [(x[:5], y[:5]), (x[5:], y[5:])]  # 5 rows (3 + 2 over the ranks), 1 row (rank 1: dummy)


def _reference(x, y):
    """Σ_i clip_C(∇ mean_t loss(x_i, y_i)), one row at a time with plain autograd, float64."""
    torch.manual_seed(0)
    model = Transformer(_cfg()).double()
    params = list(model.parameters())
    total = [torch.zeros_like(p) for p in params]
    norms = []
    for i in range(len(x)):
        model.zero_grad()
        per_sequence_loss(model(x[i : i + 1]), y[i : i + 1]).backward()
        nrm = float(torch.sqrt(sum((p.grad**2).sum() for p in params)))
        norms.append(nrm)
        for t, p in zip(total, params, strict=True):
            t.add_(p.grad, alpha=min(1.0, C / (nrm + 1e-6)))
    return {n: t for (n, _), t in zip(model.named_parameters(), total, strict=True)}, norms


def _rank(rank: int, world: int, port: int, out: str) -> None:
    import torch.distributed as dist

    from medfl.core_model.parallelize import ParallelConfig, parallelize
    from medfl.privacy.dp.fsdp import add_noise, attach_clipping_hooks, clipped_grad_sum

    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    try:
        torch.manual_seed(0)
        model = Transformer(_cfg()).double()
        parallelize(model, device=torch.device("cpu"),
                    cfg=ParallelConfig(param_dtype=torch.float64, reduce_dtype=torch.float64))
        hooks = attach_clipping_hooks(model, C)
        res = {}
        for k, (x, y) in enumerate(_batches()):
            rows = torch.arange(len(x))[rank::world]
            if len(rows):
                xs, ys, w = x[rows], y[rows], torch.ones(len(rows), dtype=torch.float64)
            else:
                xs, ys, w = x[:1], y[:1], torch.zeros(1, dtype=torch.float64)
            clipped_grad_sum(model, hooks, xs, ys, w, world=world)
            res[f"grad{k}"] = {n: p.grad.full_tensor().clone() for n, p in model.named_parameters()}
            for p in model.parameters():
                p.grad = None
        # noise: each rank draws for its own shard only, so the gathered noise has one draw per coordinate
        g = torch.Generator().manual_seed(100 + rank)
        add_noise(model, std=1.0, generator=g, scale=1.0)
        res["noise"] = {n: p.grad.full_tensor().clone() for n, p in model.named_parameters()}
        res["local_numel"] = sum(p.grad.to_local().numel() for p in model.parameters())
        hooks.cleanup()
        if rank == 0:
            torch.save(res, out)
    finally:
        dist.destroy_process_group()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_fsdp_clipped_sum_matches_per_row_reference_float64(tmp_path):
    out = tmp_path / "res.pt"
    mp.spawn(_rank, args=(2, _free_port(), str(out)), nprocs=2, join=True)
    res = torch.load(out)
    for k, (x, y) in enumerate(_batches()):
        ref, norms = _reference(x, y)
        if k == 0:
            assert min(norms) < C < max(norms)  # clipped and unclipped rows in one batch
        got = res[f"grad{k}"]
        assert set(got) == set(ref)
        for n in ref:
            torch.testing.assert_close(got[n], ref[n], rtol=1e-9, atol=1e-12, msg=n)
    noise = torch.cat([v.flatten() for v in res["noise"].values()])
    total = sum(v.numel() for v in ref.values())
    assert noise.numel() == total and res["local_numel"] < total  # rank 0 holds a strict part
    assert abs(float(noise.std()) - 1.0) < 0.05 and abs(float(noise.mean())) < 0.05


# ---- the site round path ------------------------------------------------------------------------------


@pytest.mark.usefixtures("one_torch_thread", "flwr_task_identity")
def test_site_round_nproc2_dp_charges_ledger_like_single_device(tmp_path, monkeypatch):
    from flwr.app import Context, RecordDict
    from prepared_sites import prepared_site, train_texts

    from medfl.core_model.tokenizer import train_tokenizer
    from medfl.privacy.dp.accounting import SiteAccountant, epsilon_of
    from medfl.server.app import app as server_app
    from medfl.server.local_grid import LocalGrid

    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    data = prepared_site(tmp_path, "a", ["cdc"])
    tok = train_tokenizer(out_path=tmp_path / "tok.model", vocab_size=400, texts=train_texts(data))
    dp = {"dp-epsilon": "8", "dp-accountant": "rdp", "dp-max-grad-norm": "1.0"}
    nodes = {100 + i: {"data-path": str(data), "site-id": name, "work-dir": str(tmp_path / f"w-{name}"),
                       "device": "cpu", **dp, **extra}
             for i, (name, extra) in enumerate((("multi", {"nproc": "2"}), ("single", {})))}
    state = tmp_path / "state"
    state.mkdir()
    (state / "tokenizer.model").write_bytes(Path(tok).read_bytes())
    rc = {"num-rounds": 1, "local-steps": 2, "strategy": "fedavg", "preset": "medfl-tiny", "seq-len": 32,
          "batch-size": 4, "lr": 3e-3, "warmup-steps": 1, "wire-dtype": "fp32", "min-sites": 2,
          "round-timeout-s": 120.0, "state-dir": str(state), "seed": 0, "eval-max-seqs": 4,
          "poll-interval-s": 0.01}
    server_app(LocalGrid(nodes), Context(run_id=1, node_id=0, node_config={}, state=RecordDict(),
                                         run_config=rc))
    rep = json.loads((state / "report.json").read_text())
    assert rep["rounds_finished"] == 1, rep.get("stopped_early")
    sites = rep["rounds"][0]["sites"]
    assert sites["multi"]["status"] == "ok" and sites["single"]["status"] == "ok", sites
    ledgers = {}
    for name in ("multi", "single"):
        (path,) = (tmp_path / f"w-{name}" / "dp").glob("*/accountant.json")
        ledgers[name] = SiteAccountant.load(path, target_epsilon=8.0, delta=1e-5, accountant="rdp")
    a, b = ledgers["multi"], ledgers["single"]
    sigma, q = b.plan["noise_multiplier"], b.plan["sample_rate"]
    assert a.history == b.history == [(sigma, q, 2)] and a.delta == b.delta
    assert sites["multi"]["dp"] == sites["single"]["dp"]
    assert sites["multi"]["dp"]["epsilon"] == pytest.approx(epsilon_of([(sigma, q, 2)], a.delta, "rdp"))
    assert sites["multi"]["num_examples"] == sites["single"]["num_examples"]
    # the workers really trained: the multi-device site's update moved the model
    assert (tmp_path / "w-multi").glob("fed/*/fsdp/round/metrics.json")
    (mpath,) = (tmp_path / "w-multi").glob("fed/*/fsdp/round/metrics.json")
    wm = json.loads(mpath.read_text())
    assert wm["world_size"] == 2 and wm["steps"] == 2


@pytest.mark.parametrize("prox_mu", [0.0, 0.5])
def test_fsdp_dp_round_equals_single_device_engine_noise0(tmp_path, monkeypatch, prox_mu):
    """Same seed -> same Poisson batches; σ=0: two AdamW steps on 2 FSDP workers == DPEngine in process,
    with and without FedProx."""
    import numpy as np

    from medfl.client.train import TrainConfig, make_optimizer
    from medfl.privacy.dp.engine import DPEngine
    from medfl.privacy.dp.fsdp import FsdpDPRound
    from medfl.privacy.dp.sampling import RecordUnits

    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    d = tmp_path / "packed"
    d.mkdir()
    np.random.default_rng(0).integers(0, 128, size=40 * 16 + 1, dtype=np.uint16).tofile(d / "train.bin")
    (d / "meta.json").write_text(json.dumps({"dtype": "uint16", "tokenizer_sha256": "test"}))
    units = RecordUnits(d / "train.bin", 16)
    tcfg = TrainConfig(lr=1e-2, warmup_steps=1, max_steps=2, batch_size=4, seq_len=16, precision="fp32",
                       device="cpu", grad_clip=0.0)
    torch.manual_seed(0)
    ref = Transformer(_cfg())
    init = {k: v.clone() for k, v in ref.state_dict().items()}
    kw = dict(noise_multiplier=0.0, sample_rate=0.15, max_grad_norm=C / 4, seed=5)
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        eng = DPEngine(ref, make_optimizer(ref, tcfg), units, mode="ghost", **kw)
        m_ref = eng.local_round(tcfg, steps=2, prox_mu=prox_mu)
        eng.detach()
    finally:
        torch.set_num_threads(n)
    model = Transformer(_cfg())
    model.load_state_dict(init)
    m = FsdpDPRound(model, units, nproc=2, state_dir=tmp_path / "state", **kw).local_round(tcfg, steps=2,
                                                                                        prox_mu=prox_mu)
    assert m["mean_batch"] == m_ref["mean_batch"] > 0 and m["tokens"] == m_ref["tokens"]
    moved = 0.0
    for k, v in ref.state_dict().items():
        # fp32 sums in another order: AdamW's m/sqrt(v) turns rounding in near-zero gradient coordinates into
        # differences up to ~1% of a step (lr 1e-2) for a handful of coordinates; everything else agrees
        dd = (model.state_dict()[k] - v).abs()
        # (a handful: at most 2 coordinates of a small tensor, 0.1% of a large one; which: depends on the CPU)
        assert float(dd.max()) < 5e-4 and int((dd > 2e-5).sum()) <= max(2, 1e-3 * dd.numel()), k
        moved = max(moved, float((v - init[k]).abs().max()))
    assert moved > 1e-3  # the two steps really changed the weights
    assert not (tmp_path / "state" / "fsdp" / "dp_batches.safetensors").exists()


@pytest.mark.parametrize(("extra", "match"), [
    ({"dp-mode": "hooks"}, "dp-mode=hooks is not supported with nproc"),
    ({"activation-checkpointing": "true"}, "activation-checkpointing"),
    ({"dp-max-physical-batch": "4"}, "dp-max-physical-batch is not supported with nproc")])
def test_unsupported_dp_settings_under_fsdp_are_refused(tmp_path, extra, match):
    from medfl.client import site_task
    from medfl.core_model.errors import MedflError

    s = site_task.SiteSettings.from_node_config({"data-path": str(tmp_path), "nproc": "2", "dp-epsilon": "8",
                                                 **extra})
    with pytest.raises(MedflError, match=match):
        site_task._dp_check(s, None, None, None, 0.0)  # refused before anything is loaded or charged
