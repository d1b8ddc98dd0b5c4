"""Site DP-SGD inside real federated rounds (in-process LocalGrid of medfl.server.local_grid: the real
ServerApp and ClientApp, no SuperLink): every reply carries the site's DP state, ε grows across rounds and
survives a site restart (ledger on disk), budget exhaustion declines cleanly and the server records it,
central DP."""

import json
from pathlib import Path

import pytest
from flwr.app import Context, RecordDict
from prepared_sites import prepared_site, train_texts, write_prepared

from medfl.client import site_task
from medfl.core_model.errors import MedflError
from medfl.core_model.tokenizer import train_tokenizer
from medfl.privacy.dp.accounting import SiteAccountant, epsilon_of
from medfl.server.app import app as server_app
from medfl.server.local_grid import LocalGrid

pytestmark = pytest.mark.usefixtures("one_torch_thread", "flwr_task_identity")


def _with_patients(d: Path, n_patients: int = 5) -> Path:
    """Give every training doc a patient_id (as a de-identified EHR export would) and refresh the manifest."""
    train, val = ([json.loads(x) for x in (d / f).read_text(encoding="utf-8").splitlines()]
                  for f in ("docs_train.jsonl", "docs_val.jsonl"))
    return write_prepared(d, [{**x, "patient_id": f"pt-{i % n_patients}"} for i, x in enumerate(train)], val)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("dpfed")
    sites = {"site-a": prepared_site(root, "a", ["cdc"]),
             "site-b": _with_patients(prepared_site(root, "b", ["ninds"]))}
    tok = train_tokenizer(out_path=root / "tok.model", vocab_size=400, texts=train_texts(*sites.values()))
    return root, sites, tok


DP_A = {"dp-epsilon": "8", "dp-accountant": "rdp", "dp-mode": "ghost", "dp-max-grad-norm": "1.0"}
DP_B = {"dp-epsilon": "8", "dp-accountant": "rdp", "dp-mode": "hooks", "dp-unit": "patient"}


def _nodes(world, work: Path, dp: dict[str, dict]):
    _, sites, _ = world
    return {100 + i: {"data-path": str(sites[n]), "site-id": n, "work-dir": str(work / f"work-{n}"),
                      "device": "cpu", **dp.get(n, {})} for i, n in enumerate(sites)}


def _run(grid, state_dir, world, **over):
    _, _, tok = world
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / "tokenizer.model").write_bytes(Path(tok).read_bytes())
    rc = {"num-rounds": 2, "local-steps": 2, "strategy": "fedavg", "preset": "medfl-tiny", "seq-len": 32,
          "batch-size": 4, "lr": 3e-3, "warmup-steps": 1, "wire-dtype": "bf16", "min-sites": 2,
          "round-timeout-s": 60.0, "state-dir": str(state_dir), "seed": 0, "eval-max-seqs": 4,
          "poll-interval-s": 0.01, **over}
    server_app(grid, Context(run_id=1, node_id=0, node_config={}, state=RecordDict(), run_config=rc))
    return json.loads((state_dir / "report.json").read_text())


def _ledger(node_cfg) -> SiteAccountant:
    (path,) = Path(node_cfg["work-dir"], "dp").glob("*/accountant.json")
    return SiteAccountant.load(path, target_epsilon=8.0, delta=1e-5, accountant="rdp",
                               unit=node_cfg.get("dp-unit", "record"))


def test_dp_rounds_restart_and_budget_exhaustion(world, tmp_path):
    # every message is handled by a fresh site runtime: what a restarted site (or a one-process-per-message
    # SuperNode) sees; the privacy ledger must come back from disk
    grid = LocalGrid(_nodes(world, tmp_path, {"site-a": DP_A, "site-b": DP_B}),
                     before=lambda node, msg: site_task._RUNTIMES.clear())
    rep = _run(grid, tmp_path / "state", world)
    assert rep["rounds_finished"] == 2 and rep["stopped_early"] is None
    eps = {s: [] for s in ("site-a", "site-b")}
    for e in rep["rounds"]:
        assert "train_loss" not in e  # the private training loss stays on the sites
        for s, rec in e["sites"].items():
            assert rec["status"] == "ok", rec
            dp = rec["dp"]
            assert dp["unit"] == ("record" if s == "site-a" else "patient")
            assert dp["delta"] <= 1e-5 and dp["max_grad_norm"] == 1.0 and dp["noise_multiplier"] > 0
            assert 0 < dp["sample_rate"] <= 1 and dp["steps"] == 2 * len(eps[s]) + 2
            assert rec["num_examples"] == pytest.approx(2 * 4 * 32, abs=1)  # expected, not actual, tokens
            eps[s].append(dp["epsilon"])
    for s, node in zip(("site-a", "site-b"), grid.node_configs.values(), strict=True):
        assert 0 < eps[s][0] < eps[s][1] <= 8.0  # grows, within the target the plan was calibrated for
        led = _ledger(node)
        sigma, q = led.plan["noise_multiplier"], led.plan["sample_rate"]
        assert led.history == [(sigma, q, 4)]
        assert eps[s][1] == pytest.approx(epsilon_of([(sigma, q, 4)], led.delta, "rdp"))
    assert rep["eval"][-1]["global"]["val_loss"] < rep["eval"][0]["global"]["val_loss"] + 0.5
    priv = rep["privacy"]
    assert set(priv["sites"]) == {"site-a", "site-b"} and priv["non_private_sites"] == []
    assert priv["federated"]["epsilon"] == pytest.approx(max(v[-1] for v in eps.values()))
    assert "max over sites" in priv["federated"]["composition"]

    # the site audits the global model: the guarantee it reports is the one its own ledger proves
    from medfl.privacy.audit import AuditConfig, run_audit
    from medfl.privacy.audit.mia import MIAConfig

    node_a = next(iter(grid.node_configs.values()))
    (ledger_path,) = Path(node_a["work-dir"], "dp").glob("*/accountant.json")
    audit = run_audit(model=tmp_path / "state", data=world[1]["site-a"], out=tmp_path / "audit",
                      dp_ledger=ledger_path, config=AuditConfig(mia=MIAConfig(max_tokens=32)))
    assert audit["dp"]["epsilon"] == pytest.approx(eps["site-a"][-1])
    assert audit["dp"]["unit"] == "record" and audit["dp"]["steps"] == 4 and audit["dp"]["rounds"] == 2
    assert "site DP ledger" in (tmp_path / "audit" / "report.html").read_text()
    with pytest.raises(MedflError, match="privacy ledger .*missing.json does not exist"):
        run_audit(model=tmp_path / "state", data=world[1]["site-a"], out=tmp_path / "audit2",
                  dp_ledger=tmp_path / "missing.json")

    # a new run on the same data: the ledger carries the spent budget, both sites decline, the run ends
    # cleanly (no retries, final evaluation, report says why)
    rep2 = _run(LocalGrid(grid.node_configs), tmp_path / "state2", world)
    assert rep2["rounds_finished"] == 0 and "declined" in rep2["stopped_early"]
    (attempt,) = rep2["failed_round_attempts"]
    for s, rec in attempt["sites"].items():
        assert rec["status"] == "declined" and "privacy budget exhausted" in rec["reason"]
        assert rec["dp"]["epsilon"] == pytest.approx(eps[s][1])  # nothing more was charged
    assert rep2["final_eval"]["val_loss"] > 0
    assert all(_ledger(n).steps == 4 for n in grid.node_configs.values())


def test_exhausted_site_declines_and_the_run_continues_with_the_others(world, tmp_path):
    nodes = _nodes(world, tmp_path, {"site-a": DP_A})
    # site-a has already spent its budget on this data (a real history, as an earlier run would leave)
    a = nodes[100]
    led = SiteAccountant(Path(a["work-dir"]) / "dp" / "site-a" / "accountant.json",
                         target_epsilon=8.0, delta=1e-5, accountant="rdp")
    led.history = [(0.5, 0.1, 400)]
    led.save()
    rep = _run(LocalGrid(nodes), tmp_path / "state", world, **{"min-sites": 1, "num-rounds": 2})
    assert rep["rounds_finished"] == 2 and rep["stopped_early"] is None
    for e in rep["rounds"]:
        assert e["sites"]["site-a"]["status"] == "declined"
        assert "budget exhausted" in e["sites"]["site-a"]["reason"]
        assert e["sites"]["site-b"]["status"] == "ok" and "dp" not in e["sites"]["site-b"]
        assert e["n_ok"] == 1
    assert rep["privacy"]["non_private_sites"] == ["site-b"]
    assert rep["privacy"]["federated"]["epsilon"] == "inf"


def test_central_dp_round_is_clipped_noised_and_accounted(world, tmp_path):
    nodes = _nodes(world, tmp_path, {})
    rep = _run(LocalGrid(nodes), tmp_path / "state", world,
               **{"num-rounds": 2, "central-dp-noise": 1.5, "central-dp-clip": 0.05})
    assert rep["rounds_finished"] == 2
    cd = [e["central_dp"] for e in rep["rounds"]]
    assert [c["round_index"] for c in cd] == [1, 2] and all(c["n_sites"] == 2 for c in cd)
    assert all(n > 0.05 for c in cd for n in c["update_norms"]) and cd[0]["n_clipped"] == 2
    assert cd[1]["epsilon"] == pytest.approx(epsilon_of([(1.5, 1.0, 2)], 1e-5, "rdp"))
    assert cd[1]["epsilon"] > cd[0]["epsilon"] > 0
    c = rep["privacy"]["central"]
    assert c["unit"] == "site" and c["epsilon"] == pytest.approx(cd[1]["epsilon"]) and c["rounds"] == 2
