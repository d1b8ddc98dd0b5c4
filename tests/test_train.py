"""Local pretraining loop: exact resume, NaN skipping, spikes, optimizer groups, schedule, FedProx, eval."""

import copy
import json
import logging
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from medfl.client.packing import TokenLoader
from medfl.client.train import (
    StabilityMonitor,
    StepResult,
    TrainConfig,
    Trainer,
    apply_activation_checkpointing,
    default_loss,
    evaluate,
    local_round,
    lr_lambda,
    make_optimizer,
    make_scheduler,
    param_groups,
    train_step,
)
from medfl.core_model.checkpoint import list_checkpoints, load_checkpoint
from medfl.core_model.config import ModelConfig
from medfl.core_model.errors import MedflError
from medfl.core_model.model import Transformer

SEQ, BATCH = 32, 4


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny models gain nothing from a second thread, and on a shared, oversubscribed 2-core machine OpenMP
    spin-waits made steps ~10x slower (measured): use one intra-op thread in these tests."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def tiny_cfg() -> ModelConfig:
    return ModelConfig.from_name("medfl-tiny", vocab_size=256, n_layers=2, max_seq_len=64)


@pytest.fixture
def shard(tmp_path):
    """A packed train shard in the packing format (uint16 tokens + meta.json): a noisy periodic token stream,
    so the tiny model has something learnable."""
    d = tmp_path / "packed"
    d.mkdir()
    rng = np.random.default_rng(0)
    base = np.tile(np.arange(7, 7 + 50, dtype=np.uint16), 200)
    noise = rng.random(len(base)) < 0.1
    base[noise] = rng.integers(0, 256, noise.sum())
    base.tofile(d / "train.bin")
    (d / "meta.json").write_text(json.dumps({"dtype": "uint16", "tokenizer_sha256": "test", "seq_len": SEQ}))
    return d / "train.bin"


def loader(shard, seed=0) -> TokenLoader:
    return TokenLoader([shard], SEQ, BATCH, seed=seed)


def cfg(**kw) -> TrainConfig:
    base = dict(
        lr=3e-3, warmup_steps=3, max_steps=20, batch_size=BATCH, seq_len=SEQ, log_every=5, ckpt_every=10
    )
    return TrainConfig(**{**base, **kw})


def records(run_dir, kind=None):
    recs = [json.loads(ln) for ln in (run_dir / "metrics.jsonl").read_text().splitlines()]
    return [r for r in recs if kind is None or r["kind"] == kind]


def test_resume_is_bit_identical(tmp_path, shard):
    """20 steps straight == crash after step 13 (last checkpoint 10) + resume + 10 more, bit for bit."""
    val = {"site": torch.from_numpy(np.fromfile(shard, dtype=np.uint16)[: 4 * (SEQ + 1)].astype(np.int64))}
    val["site"] = val["site"].view(4, SEQ + 1)
    straight = Trainer(tiny_cfg(), cfg(), loader(shard), val, tmp_path / "a")
    summary_a = straight.fit()

    class Crash(Exception):
        pass

    def crash_at_13(step, rec):
        if step == 13:
            raise Crash

    run_b = tmp_path / "b"
    with pytest.raises(Crash):
        Trainer(tiny_cfg(), cfg(), loader(shard), val, run_b, on_step=crash_at_13).fit()
    assert [s for s, _ in list_checkpoints(run_b / "checkpoints")] == [10]
    # Fresh objects, as after a process restart; the loader is rebuilt at position 0 and must be restored.
    resumed = Trainer(tiny_cfg(), cfg(), loader(shard), val, run_b)
    assert resumed.step == 10
    summary_b = resumed.fit()

    sa, sb = straight.model.state_dict(), resumed.model.state_dict()
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
    oa, ob = straight.optimizer.state_dict()["state"], resumed.optimizer.state_dict()["state"]
    assert all(torch.equal(oa[i]["exp_avg_sq"], ob[i]["exp_avg_sq"]) for i in oa)
    assert summary_a["val"] == summary_b["val"] and summary_b["steps"] == 20
    # metrics written after the checkpoint by the crashed run were dropped, not duplicated
    steps_b = [r["step"] for r in records(run_b, "train")]
    assert steps_b == [5, 10, 15, 20] == [r["step"] for r in records(tmp_path / "a", "train")]
    assert [r["loss"] for r in records(run_b, "train")] == [
        r["loss"] for r in records(tmp_path / "a", "train")
    ]
    for r in records(run_b, "train"):
        assert r["tokens_per_s"] > 0 and r["peak_flops"] > 0
        assert r["mfu"] == pytest.approx(resumed.flops_per_token * r["tokens_per_s"] / r["peak_flops"])
    # the model learned the periodic stream
    assert summary_a["val"]["site"]["loss"] < math.log(256) - 1.0
    for f in ("metrics.jsonl", "loss.png", "summary.json"):
        assert (run_b / f).is_file()


def test_resume_falls_back_from_truncated_checkpoint(tmp_path, shard, caplog):
    Trainer(tiny_cfg(), cfg(max_steps=8, ckpt_every=4, keep_last=3), loader(shard), None, tmp_path).fit()
    ckpts = list_checkpoints(tmp_path / "checkpoints")
    assert [s for s, _ in ckpts] == [4, 8]
    data = ckpts[-1][1].read_bytes()
    ckpts[-1][1].write_bytes(data[: len(data) // 3])
    with caplog.at_level(logging.WARNING):
        t = Trainer(tiny_cfg(), cfg(max_steps=8, ckpt_every=4), loader(shard), None, tmp_path)
    assert t.step == 4
    assert any("step_000008.pt" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_nan_step_is_skipped_recorded_and_never_checkpointed(tmp_path, shard):
    t = Trainer(tiny_cfg(), cfg(max_steps=6, ckpt_every=3, log_every=1), loader(shard), None, tmp_path)
    calls = {"n": 0}

    def poison(module, args, output):  # NaN activations in the 4th forward pass = step 4
        calls["n"] += 1
        return output * float("nan") if calls["n"] == 4 else output

    t.model.layers[0].register_forward_hook(poison)
    before = {}

    def snapshot(step, rec):
        if step == 3:
            before.update({k: v.clone() for k, v in t.model.state_dict().items()})
        if step == 4:  # the skipped step left the weights untouched
            assert all(torch.equal(before[k], v) for k, v in t.model.state_dict().items())

    t.on_step = snapshot
    summary = t.fit()
    assert summary["skipped_steps"] == 1 and summary["steps"] == 6
    events = records(tmp_path, "event")
    assert [(e["event"], e["step"]) for e in events] == [("nonfinite_step_skipped", 4)]
    assert events[0]["loss"] == "nan"
    assert all(torch.isfinite(p).all() for p in t.model.parameters())
    # AdamW took 5 real steps; lr schedule still advanced 6 times
    assert all(s["step"].item() == 5 for s in t.optimizer.state_dict()["state"].values())
    assert t.scheduler.last_epoch == 6
    train_recs = {r["step"]: r for r in records(tmp_path, "train")}
    assert train_recs[4]["loss"] == "nan" and train_recs[4]["skipped_steps"] == 1
    state, meta = load_checkpoint(list_checkpoints(tmp_path / "checkpoints")[-1][1])
    assert meta["step"] == 6 and all(torch.isfinite(v).all() for v in state["model"].values())


def test_persistent_divergence_stops_the_run(tmp_path, shard):
    t = Trainer(
        tiny_cfg(), cfg(max_steps=20, ckpt_every=2, max_skips_in_a_row=3), loader(shard), None, tmp_path
    )
    calls = {"n": 0}

    def poison_from_step_5(module, args, output):
        calls["n"] += 1
        return output * float("inf") if calls["n"] >= 5 else output

    t.model.output.register_forward_hook(poison_from_step_5)
    with pytest.raises(
        MedflError, match=r"diverged: 3 non-finite steps in a row up to step 7.*step_000006\.pt"
    ):
        t.fit()
    state, _ = load_checkpoint(list_checkpoints(tmp_path / "checkpoints")[-1][1])
    assert all(torch.isfinite(v).all() for v in state["model"].values())


def test_loss_spike_event(tmp_path, shard):
    t = Trainer(tiny_cfg(), cfg(max_steps=10, log_every=10), loader(shard), None, tmp_path)
    calls = {"n": 0}

    def blow_up_logits(module, args, output):
        calls["n"] += 1
        return output * 50.0 if calls["n"] == 9 else output

    t.model.output.register_forward_hook(blow_up_logits)
    t.fit()
    events = [(e["event"], e["step"]) for e in records(tmp_path, "event")]
    assert ("loss_spike", 9) in events and ("grad_norm_spike", 9) in events


def test_stability_monitor_thresholds():
    m = StabilityMonitor(loss_factor=2.0, grad_factor=10.0, beta=0.9, warmup=3)
    ok = StepResult(loss=2.0, grad_norm=1.0, lr=1e-3, tokens=1, skipped=False)
    for s in range(5):
        assert m.update(s, ok) == []
    assert m.update(5, StepResult(3.9, 9.0, 1e-3, 1, False)) == []  # below both thresholds
    ev = m.update(6, StepResult(4.5, 20.0, 1e-3, 1, False))  # avgs now 2.19 and 1.8
    assert [e["event"] for e in ev] == ["loss_spike", "grad_norm_spike"]
    ev = m.update(7, StepResult(float("inf"), float("nan"), 1e-3, 1, True))
    assert ev[0]["event"] == "nonfinite_step_skipped" and ev[0]["loss"] == "inf"
    n = m.n
    m2 = StabilityMonitor()
    m2.load_state_dict(m.state_dict())
    assert m2.n == n and m2.loss_avg == m.loss_avg


def test_weight_decay_groups_exclude_norms_and_embeddings():
    model = Transformer(tiny_cfg())
    decay, no_decay = param_groups(model, 0.1)
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    names = {id(p): n for n, p in model.named_parameters()}
    d = {names[id(p)] for p in decay["params"]}
    nd = {names[id(p)] for p in no_decay["params"]}
    assert d | nd == set(names.values()) and not d & nd
    assert "tok_embeddings.weight" in nd and "norm.weight" in nd
    assert all("norm" in n or "embeddings" in n for n in nd)
    assert "output.weight" in d and all(
        n.endswith(("wqkv.weight", "wo.weight", "w13.weight", "w2.weight", "output.weight")) for n in d
    )
    # biases (when a model has them) are not decayed either
    lin = torch.nn.Sequential(torch.nn.Linear(4, 4, bias=True))
    g = param_groups(lin, 0.1)
    assert [p.shape for p in g[1]["params"]] == [torch.Size([4])]
    opt = make_optimizer(model, cfg())
    assert opt.defaults["betas"] == (0.9, 0.95) and opt.defaults["eps"] == 1e-8


def test_lr_schedule_values():
    c = cfg(lr=1.0, warmup_steps=10, max_steps=110, min_lr_ratio=0.1)
    assert lr_lambda(0, c) == pytest.approx(0.1)
    assert lr_lambda(4, c) == pytest.approx(0.5)
    assert lr_lambda(9, c) == pytest.approx(1.0) and lr_lambda(10, c) == pytest.approx(1.0)
    assert lr_lambda(60, c) == pytest.approx(0.55)  # halfway through the cosine: (1 + 0.1) / 2
    assert lr_lambda(110, c) == pytest.approx(0.1) and lr_lambda(500, c) == pytest.approx(0.1)
    vals = [lr_lambda(s, c) for s in range(10, 111)]
    assert all(a >= b for a, b in zip(vals, vals[1:], strict=False))
    # through LambdaLR: the lr used by update k is peak * lr_lambda(k)
    model = torch.nn.Linear(2, 2)
    opt = make_optimizer(model, cfg(lr=2e-3, warmup_steps=10, max_steps=110))
    sched = make_scheduler(opt, cfg(lr=2e-3, warmup_steps=10, max_steps=110))
    seen = []
    for _ in range(70):
        seen.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    assert seen[0] == pytest.approx(2e-4) and seen[60] == pytest.approx(2e-3 * 0.55)


def test_grad_accumulation_matches_one_big_batch():
    torch.manual_seed(0)
    m1 = Transformer(tiny_cfg())
    m2 = copy.deepcopy(m1)
    x = torch.randint(0, 256, (4, SEQ + 1))

    class Batches:
        def __init__(self, chunks):
            self.chunks = list(chunks)

        def next_batch(self):
            c = self.chunks.pop(0)
            return c[:, :-1], c[:, 1:]

    o1 = torch.optim.SGD(m1.parameters(), lr=0.1)
    o2 = torch.optim.SGD(m2.parameters(), lr=0.1)
    r1 = train_step(m1, Batches([x]), o1, grad_accum=1)
    r2 = train_step(m2, Batches(x.split(2)), o2, grad_accum=2)
    assert r1.tokens == r2.tokens == 4 * SEQ
    assert r1.loss == pytest.approx(r2.loss, rel=1e-5) and r1.grad_norm == pytest.approx(
        r2.grad_norm, rel=1e-4
    )
    for p1, p2 in zip(m1.parameters(), m2.parameters(), strict=True):
        torch.testing.assert_close(p1, p2, rtol=1e-4, atol=1e-6)


def test_activation_checkpointing_same_grads_same_names(shard):
    torch.manual_seed(0)
    plain = Transformer(tiny_cfg())
    ckpt = apply_activation_checkpointing(copy.deepcopy(plain))
    assert list(ckpt.state_dict()) == list(plain.state_dict())
    x, y = loader(shard).next_batch()
    for m in (plain, ckpt):
        default_loss(m(x), y).backward()
    for p1, p2 in zip(plain.parameters(), ckpt.parameters(), strict=True):
        torch.testing.assert_close(p1.grad, p2.grad, rtol=0, atol=0)


def test_local_round_and_fedprox(shard):
    torch.manual_seed(0)
    global_model = Transformer(tiny_cfg())
    c = cfg(max_steps=12, warmup_steps=2)
    m0 = copy.deepcopy(global_model)
    metrics = local_round(m0, loader(shard), c, steps=6)
    assert metrics["tokens"] == 6 * BATCH * SEQ and metrics["steps"] == 6 and metrics["skipped_steps"] == 0
    assert math.isfinite(metrics["loss"]) and metrics["prox_term"] == 0.0
    assert all(isinstance(v, int | float) for v in metrics.values())
    # the second round continues the same lr schedule
    m2 = local_round(m0, loader(shard, seed=1), c, steps=6, global_step=6)
    assert m2["lr_last"] == pytest.approx(c.lr * lr_lambda(11, c))

    def dist(m):
        return sum(
            ((p - q) ** 2).sum() for p, q in zip(m.parameters(), global_model.parameters(), strict=True)
        ).item()

    free, prox = copy.deepcopy(global_model), copy.deepcopy(global_model)
    local_round(free, loader(shard), c, steps=6, prox_mu=0.0)
    mp = local_round(
        prox,
        loader(shard),
        c,
        steps=6,
        prox_mu=50.0,
        prox_ref=[p.detach().clone() for p in global_model.parameters()],
    )
    assert dist(prox) < 0.5 * dist(free)
    assert mp["prox_term"] == pytest.approx(25.0 * dist(prox), rel=1e-4)


def test_fedprox_gradient_equals_loss_term(shard):
    """train_step's prox gradient == autograd of CE + (mu/2)||w - ref||^2."""
    torch.manual_seed(0)
    a = Transformer(tiny_cfg())
    ref = [p.detach() + 0.01 * torch.randn_like(p) for p in a.parameters()]
    b = copy.deepcopy(a)
    mu = 3.0
    oa, ob = torch.optim.SGD(a.parameters(), lr=0.05), torch.optim.SGD(b.parameters(), lr=0.05)
    train_step(a, loader(shard), oa, grad_clip=0, prox=(mu, ref))

    def loss_with_prox(logits, y):
        sq = sum(((p - r) ** 2).sum() for p, r in zip(b.parameters(), ref, strict=True))
        return default_loss(logits, y) + 0.5 * mu * sq

    train_step(b, loader(shard), ob, grad_clip=0, loss_fn=loss_with_prox)
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        torch.testing.assert_close(pa, pb, rtol=1e-5, atol=1e-7)


def test_evaluate_matches_manual_perplexity():
    torch.manual_seed(0)
    model = Transformer(tiny_cfg())
    seqs = torch.randint(0, 256, (5, SEQ + 1))
    out = evaluate(model, {"a": seqs, "b": seqs[:2]}, batch_size=2)
    with torch.no_grad():
        ref = default_loss(model(seqs[:, :-1]), seqs[:, 1:]).item()
    assert out["a"]["loss"] == pytest.approx(ref, rel=1e-5)
    assert out["a"]["ppl"] == pytest.approx(math.exp(ref), rel=1e-5) and out["a"]["tokens"] == 5 * SEQ
    assert set(out) == {"a", "b"} and model.training


def test_refuses_to_overwrite_or_mix_runs(tmp_path, shard):
    Trainer(tiny_cfg(), cfg(max_steps=2, ckpt_every=0), loader(shard), None, tmp_path).fit()
    with pytest.raises(MedflError, match="already has checkpoints"):
        Trainer(tiny_cfg(), cfg(max_steps=2), loader(shard), None, tmp_path, resume=False)
    other = ModelConfig.from_name("medfl-tiny", vocab_size=256, n_layers=3, max_seq_len=64)
    with pytest.raises(MedflError, match="n_layers"):
        Trainer(other, cfg(max_steps=2), loader(shard), None, tmp_path)


def test_time_budget_stops_and_checkpoints(tmp_path, shard):
    s = Trainer(tiny_cfg(), cfg(max_steps=1000, time_budget_s=0.0), loader(shard), None, tmp_path).fit()
    assert s["stopped_by_time_budget"] and s["steps"] == 0
    assert [st for st, _ in list_checkpoints(tmp_path / "checkpoints")] == [0]


def test_train_config_validation():
    with pytest.raises(ValueError, match="precision"):
        TrainConfig(precision="fp16")
    with pytest.raises(ValueError, match="batch_size"):
        TrainConfig(batch_size=0)
    c = TrainConfig.from_dict({**TrainConfig().to_dict(), "betas": [0.9, 0.95], "unknown": 1})
    assert c.betas == (0.9, 0.95)


# ---- `medfl-client train` end to end (real de-id, packing and a throwaway tokenizer) ------------------


@pytest.fixture(scope="module")
def prepared_site(tmp_path_factory, request):
    from medfl.client.prepare import prepare_site
    from medfl.core_model.tokenizer import train_tokenizer
    from medfl.privacy.deid import DeidConfig

    root = request.config.rootpath
    base = tmp_path_factory.mktemp("cli")
    raw = base / "raw"
    raw.mkdir()
    for source in ("cdc", "ninds"):
        lines = (root / "data" / "sites" / source / "raw" / "docs.jsonl").read_text(encoding="utf-8")
        (raw / f"{source}.jsonl").write_text("".join(lines.splitlines(keepends=True)[:30]), encoding="utf-8")
    site = base / "site"
    prepare_site(raw, site, deid=DeidConfig(), val_fraction=0.1)
    texts = [json.loads(ln)["text"] for ln in (site / "docs_train.jsonl").open(encoding="utf-8")]
    tok = train_tokenizer(out_path=base / "tok.model", vocab_size=400, texts=texts)
    return site, tok


def run_cli(monkeypatch, capsys, *args):
    import sys

    from medfl.client.cli import main

    monkeypatch.setattr(sys, "argv", ["medfl-client", *map(str, args)])
    with pytest.raises(SystemExit) as e:
        main()
    out, err = capsys.readouterr()
    return e.value.code, out, err


def test_cli_train_resume_and_outputs(prepared_site, tmp_path, monkeypatch, capsys):
    site, tok = prepared_site
    run = tmp_path / "run"
    common = [
        "train",
        "--data",
        site,
        "--tokenizer",
        tok,
        "--preset",
        "medfl-tiny",
        "--out",
        run,
        "--batch-size",
        4,
        "--seq-len",
        32,
        "--log-every",
        2,
        "--ckpt-every",
        2,
        "--json",
    ]
    code, out, _ = run_cli(monkeypatch, capsys, *common, "--max-steps", 4)
    assert code in (0, None)
    s = json.loads(out)
    assert s["steps"] == 4 and s["tokens"] == 4 * 4 * 32 and set(s["val"]) == {"cdc", "ninds"}
    assert all(math.isfinite(v["ppl"]) and v["ppl"] > 1 for v in s["val"].values())
    for f in ("metrics.jsonl", "loss.png", "summary.json", "tokenizer.model"):
        assert (run / f).is_file(), f
    _, meta = load_checkpoint(list_checkpoints(run / "checkpoints")[-1][1])
    assert meta["model_config"]["vocab_size"] == 400 and len(meta["tokenizer_sha256"]) == 64
    assert Path(meta["tokenizer_path"]) == (run / "tokenizer.model").resolve()
    # a second invocation with a larger step budget resumes at step 4
    code, out, _ = run_cli(monkeypatch, capsys, *common, "--max-steps", 6)
    assert json.loads(out)["steps"] == 6
    assert [r["step"] for r in records(run, "train")] == [2, 4, 6]
    code, _, err = run_cli(monkeypatch, capsys, *common, "--max-steps", 8, "--no-resume")
    assert code == 2 and "already has checkpoints" in err and len(err.strip().splitlines()) == 1


def test_cli_train_dp_charges_the_ledger_before_each_checkpoint(prepared_site, tmp_path, monkeypatch, capsys):
    from medfl.privacy.audit.lm import load_audit_model
    from medfl.privacy.dp.accounting import epsilon_of, ledger_summary

    site, tok = prepared_site
    run, ledger = tmp_path / "run", tmp_path / "site-ledger.json"
    common = ["train", "--data", site, "--tokenizer", tok, "--preset", "medfl-tiny", "--out", run,
              "--batch-size", 4, "--seq-len", 32, "--ckpt-every", 3, "--dp-epsilon", 4,
              "--dp-accountant", "rdp", "--dp-ledger", ledger, "--json"]
    code, out, _ = run_cli(monkeypatch, capsys, *common, "--max-steps", 6)
    assert code in (0, None)
    s = json.loads(out)
    led = ledger_summary(ledger)
    assert led["steps"] == s["dp"]["steps"] == 6 and led["rounds"] == 2  # charged at each of 2 checkpoints
    assert s["dp"]["epsilon"] == pytest.approx(led["epsilon"]) and 0 < led["epsilon"] <= 4.0
    sigma, q = s["dp"]["noise_multiplier"], s["dp"]["sample_rate"]
    assert s["dp"]["epsilon"] == pytest.approx(epsilon_of([(sigma, q, 6)], s["dp"]["delta"], "rdp"))
    assert all(math.isfinite(v["ppl"]) for v in s["val"].values())
    # the checkpoint carries the guarantee: what `medfl-client audit` reports
    assert load_audit_model(run).info["dp"]["steps"] == 6
    # resuming with the same plan continues the same ledger with the same noise
    code, out, _ = run_cli(monkeypatch, capsys, *common, "--max-steps", 6)
    assert json.loads(out)["dp"]["steps"] == 6 and ledger_summary(ledger)["steps"] == 6
    # a new run on the same data and ledger: the budget is spent, refused before training
    code, _, err = run_cli(monkeypatch, capsys, *[a if a != run else tmp_path / "run2" for a in common],
                           "--max-steps", 6, "--dp-epsilon", 1)
    assert code == 2 and f"privacy ledger {ledger}: " in err and "budget exhausted" in err
    assert len(err.strip().splitlines()) == 1
    assert not list((tmp_path / "run2").glob("checkpoints/*.pt"))


def test_cli_train_dp_with_grad_accum_samples_the_larger_batch(prepared_site, tmp_path, monkeypatch, capsys):
    """--grad-accum k under DP: Poisson rate for batch-size x k units, run in micro-batches of batch-size."""
    site, tok = prepared_site
    base = ["train", "--data", site, "--tokenizer", tok, "--preset", "medfl-tiny", "--batch-size", 2,
            "--seq-len", 32, "--max-steps", 2, "--ckpt-every", 0, "--dp-epsilon", 8, "--dp-accountant", "rdp",
            "--json"]
    q = {}
    for k in (1, 3):
        code, out, _ = run_cli(monkeypatch, capsys, *base, "--out", tmp_path / f"run{k}", "--grad-accum", k)
        assert code in (0, None)
        s = json.loads(out)
        assert s["dp"]["steps"] == 2 and math.isfinite(s["final_train_loss"])
        q[k] = s["dp"]["sample_rate"]
    assert q[3] == pytest.approx(3 * q[1])


def test_cli_train_bad_input_is_one_line(prepared_site, tmp_path, monkeypatch, capsys):
    site, tok = prepared_site
    args = ["train", "--data", site, "--tokenizer", tok, "--out", tmp_path / "run"]
    code, _, err = run_cli(monkeypatch, capsys, *args, "--preset", "medfl-huge")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "'medfl-huge' is not a known preset" in err and "medfl-tiny" in err and "medfl-7b" in err
    raw = tmp_path / "not_prepared"
    raw.mkdir()
    code, _, err = run_cli(
        monkeypatch,
        capsys,
        "train",
        "--data",
        raw,
        "--tokenizer",
        tok,
        "--preset",
        "medfl-tiny",
        "--out",
        tmp_path / "run",
    )
    assert code == 2 and "deid_manifest.json" in err and str(raw) in err
    assert not (tmp_path / "run").exists()


def test_resume_with_a_longer_schedule_uses_the_new_one(tmp_path, shard):
    Trainer(tiny_cfg(), cfg(max_steps=4, ckpt_every=0), loader(shard), None, tmp_path).fit()
    longer = cfg(max_steps=8, lr=1e-3)
    t = Trainer(tiny_cfg(), longer, loader(shard), None, tmp_path)
    assert t.step == 4
    assert t.optimizer.param_groups[0]["lr"] == pytest.approx(1e-3 * lr_lambda(4, longer), rel=1e-12)
    assert t.fit()["steps"] == 8 and t.scheduler.last_epoch == 8


def test_bf16_autocast_keeps_fp32_master_weights(shard):
    from medfl.client.train import resolve_autocast_dtype

    cpu = torch.device("cpu")
    assert resolve_autocast_dtype("auto", cpu) is None  # CPU bf16 autocast measured slower here
    assert resolve_autocast_dtype("bf16", cpu) is torch.bfloat16
    assert resolve_autocast_dtype("fp32", cpu) is None
    torch.manual_seed(0)
    model = Transformer(tiny_cfg())
    opt = make_optimizer(model, cfg())
    r = train_step(model, loader(shard), opt, autocast_dtype=torch.bfloat16)
    assert math.isfinite(r.loss) and not r.skipped
    assert all(p.dtype == torch.float32 for p in model.parameters())
    assert all(s["exp_avg"].dtype == torch.float32 for s in opt.state.values())
