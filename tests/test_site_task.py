"""Site task + ServerApp/ClientApp in one process (no Ray, no SuperLink): rounds, resume, failures.

`LocalGrid` (medfl.server.local_grid) is the in-process transport implementing flwr's `Grid`: it hands each
message to the real medfl ClientApp in this process (a ClientApp exception becomes an error reply, as the
SuperNode does) and can drop or tamper with replies. Real SuperLink/SuperNode processes are exercised by
test_federation_e2e.py.
Sites are written in the prepared-dir format (deid manifest + docs) from the shipped public sample texts.
"""

import json
import logging
from pathlib import Path

import pytest
from flwr.app import Context, RecordDict
from prepared_sites import prepared_site, train_texts

from medfl.client import site_task
from medfl.core_model.errors import MedflError
from medfl.core_model.tokenizer import train_tokenizer
from medfl.server import wire
from medfl.server.app import app as server_app
from medfl.server.local_grid import LocalGrid
from medfl.server.state import list_rounds, load_latest

pytestmark = pytest.mark.usefixtures("one_torch_thread", "flwr_task_identity")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("fed")
    sites = {"site-a": prepared_site(root, "a", ["cdc"]), "site-b": prepared_site(root, "b", ["ninds"]),
             "site-c": prepared_site(root, "c", ["niddk", "nhlbi"])}
    tok = train_tokenizer(out_path=root / "tok.model", vocab_size=400, texts=train_texts(*sites.values()))
    return root, sites, tok


def _nodes(world, names, tmp):
    _, sites, _ = world
    return {100 + i: {"data-path": str(sites[n]), "site-id": n, "work-dir": str(tmp / f"work-{n}"),
                      "device": "cpu"} for i, n in enumerate(names)}


def _run(grid, state_dir, world, **over):
    _, _, tok = world
    state_dir.mkdir(parents=True, exist_ok=True)
    if not (state_dir / "tokenizer.model").exists():
        (state_dir / "tokenizer.model").write_bytes(Path(tok).read_bytes())
    rc = {"num-rounds": 2, "local-steps": 2, "strategy": "nesterov", "preset": "medfl-tiny", "seq-len": 32,
          "batch-size": 4, "lr": 3e-3, "warmup-steps": 1, "wire-dtype": "bf16", "min-sites": 2,
          "round-timeout-s": 30.0, "state-dir": str(state_dir), "seed": 0, "eval-max-seqs": 8,
          "poll-interval-s": 0.01, **over}
    server_app(grid, Context(run_id=1, node_id=0, node_config={}, state=RecordDict(), run_config=rc))
    return json.loads((state_dir / "report.json").read_text())


def test_two_sites_two_rounds_then_resume(world, tmp_path):
    grid = LocalGrid(_nodes(world, ["site-a", "site-b"], tmp_path))
    rep = _run(grid, tmp_path / "state", world)
    assert rep["rounds_finished"] == 2
    for e in rep["rounds"]:
        assert {s: v["status"] for s, v in e["sites"].items()} == {"site-a": "ok", "site-b": "ok"}
        assert e["bytes_up"] > 0 and e["bytes_down"] > 0 and e["tokens"] == 2 * 2 * 4 * 32
    ev = rep["eval"]
    assert [e["model_version"] for e in ev] == [0, 1, 2]
    assert set(ev[0]["sites"]) == {"site-a", "site-b"}
    assert ev[-1]["global"]["val_loss"] < ev[0]["global"]["val_loss"]  # it learns
    assert (tmp_path / "state" / "report.png").stat().st_size > 0
    # the tokenizer travels only on first contact
    with_tok = [m.content.config_records["config"].get("tokenizer") is not None for m in grid.sent]
    assert with_tok == [True, True] + [False] * (len(grid.sent) - 2)
    # downlink: full fp32 weights on first contact, then bf16 deltas; uplink bf16
    kinds = [(m.content.config_records["config"]["downlink"],
              wire.packed_index(m.content.array_records["arrays"])[0]) for m in grid.sent]
    assert kinds == [("full", "fp32")] * 2 + [("delta", "bf16")] * (len(grid.sent) - 2)
    r1, r2 = rep["rounds"]
    assert r2["bytes_down"] < 0.51 * r1["bytes_down"] and r1["bytes_up"] < 0.51 * r1["bytes_down"]

    # coordinator restarted: without resume it refuses to overwrite, with resume it continues at round 3
    with pytest.raises(MedflError, match="already holds round 2"):
        _run(LocalGrid(grid.node_configs), tmp_path / "state", world, **{"num-rounds": 3})
    rep = _run(LocalGrid(grid.node_configs), tmp_path / "state", world, **{"num-rounds": 3, "resume": True})
    assert rep["rounds_finished"] == 3
    assert rep["rounds"][2]["trained_from_version"] == 2
    assert [e["model_version"] for e in rep["eval"]] == [0, 1, 2, 3]
    assert load_latest(tmp_path / "state").round == 3
    with pytest.raises(MedflError, match="preset changed"):
        _run(LocalGrid(grid.node_configs), tmp_path / "state", world,
             **{"num-rounds": 4, "resume": True, "preset": "medfl-small"})


def test_dead_site_and_bad_updates_are_recorded_not_fatal(world, tmp_path, caplog):
    nodes = _nodes(world, ["site-a", "site-b", "site-c"], tmp_path)
    dead, bad = 101, 102  # site-b never answers; site-c sends NaN, then a stale model version, then
    # claims more tokens than 2 local steps can train (to outweigh the others in the average)

    def tamper(node, reply):
        if node != bad or reply.has_error() or reply.metadata.message_type != "train":
            return
        m = reply.content.metric_records["metrics"]
        if m["model-version"] == 0:
            upd = wire.decode_state(reply.content.array_records["update"], "fp32")
            upd["output.weight"].view(-1)[0] = float("nan")
            reply.content["update"] = wire.encode_state(upd, "fp32")
        elif m["model-version"] == 1:
            m["model-version"] = 0
        else:
            m["num-examples"] = 10**9

    grid = LocalGrid(nodes, drop=[dead], tamper=tamper)
    with caplog.at_level(logging.WARNING, logger="medfl.server.rounds"):
        rep = _run(grid, tmp_path / "state", world, **{"min-sites": 1, "round-timeout-s": 1.0,
                                                       "num-rounds": 3, "wire-dtype": "fp32",
                                                       "strategy": "fedavg"})
    assert rep["rounds_finished"] == 3
    r1, r2, r3 = rep["rounds"]
    assert r1["sites"]["site-a"]["status"] == "ok" and r1["n_ok"] == 1
    assert r1["sites"]["node-101"]["status"] == "timeout"
    assert r1["sites"]["site-c"] == {"status": "rejected", "reason": "output.weight: contains NaN/Inf"}
    assert r2["sites"]["site-c"]["status"] == "rejected"
    assert "stale model-version 0" in r2["sites"]["site-c"]["reason"]
    lines = [r.getMessage() for r in caplog.records if "rejected update" in r.getMessage()]
    assert lines == ["round 1: rejected update from site site-c: output.weight: contains NaN/Inf",
                     "round 2: rejected update from site site-c: stale model-version 0 (current 1)",
                     "round 3: rejected update from site site-c: num-examples 1000000000 outside (0, 256] "
                     "(local-steps x batch-size x seq-len)"]
    assert r3["n_ok"] == 1


def test_too_few_sites_keeps_last_finished_round(world, tmp_path):
    grid = LocalGrid(_nodes(world, ["site-a", "site-b"], tmp_path), drop=[101])
    with pytest.raises(MedflError, match="round 1 failed 2 times"):
        _run(grid, tmp_path / "state", world, **{"round-timeout-s": 0.5, "max-round-attempts": 2})
    assert [r for r, _ in list_rounds(tmp_path / "state")] == [0]
    rep = json.loads((tmp_path / "state" / "report.json").read_text())
    assert len(rep["failed_round_attempts"]) == 2


def test_int8_fedprox_round_and_site_errors(world, tmp_path):
    grid = LocalGrid(_nodes(world, ["site-a", "site-c"], tmp_path))
    rep = _run(grid, tmp_path / "state", world,
               **{"num-rounds": 1, "wire-dtype": "int8", "strategy": "fedprox", "prox-mu": 0.1})
    assert rep["rounds_finished"] == 1 and rep["rounds"][0]["n_ok"] == 2
    cfg = grid.sent[0].content.config_records["config"]
    assert cfg["prox-mu"] == 0.1 and cfg["wire-dtype"] == "int8"
    assert rep["rounds"][0]["bytes_up"] < rep["rounds"][0]["bytes_down"] * 0.6  # int8 up vs bf16 down

    with pytest.raises(MedflError, match="lacks data-path"):
        site_task.SiteSettings.from_node_config({"site-id": "x"})
    with pytest.raises(MedflError, match="threads='two'"):
        site_task.SiteSettings.from_node_config({"data-path": "/d", "threads": "two"})
    st = site_task.SiteSettings.from_node_config({"data-path": "/d/site-x", "threads": 1})
    assert (st.site_id, st.threads, st.device) == ("site-x", 1, "auto")
    assert st.work_dir == Path("/d/site-x/fed-work")
    # a site that lost its tokenizer cache and is not sent one fails cleanly (the server then resends)
    msg = grid.sent[-1]
    cfg = msg.content.config_records["config"]
    cfg.pop("tokenizer", None)
    fresh = site_task.SiteSettings.from_node_config(
        {"data-path": grid.node_configs[100]["data-path"], "site-id": "site-a", "work-dir": str(tmp_path)})
    with pytest.raises(MedflError, match="not cached and not sent"):
        site_task.train(msg.content, fresh)


def test_single_site_fedavg_fp32_global_equals_site_model(world, tmp_path):
    """Sign/codec convention end to end: FedAvg over one site with fp32 updates = that site's model."""
    import torch

    trained = {}

    def capture(node, reply):
        if reply.metadata.message_type == "train" and not reply.has_error():
            model = site_task._RUNTIMES["site-a"].model
            trained.update({k: v.detach().clone() for k, v in model.state_dict().items()})

    grid = LocalGrid(_nodes(world, ["site-a"], tmp_path), tamper=capture)
    _run(grid, tmp_path / "state", world, **{"num-rounds": 1, "min-sites": 1, "strategy": "fedavg",
                                             "wire-dtype": "fp32"})
    glob = load_latest(tmp_path / "state").weights
    assert trained and set(trained) == set(glob)
    for k in glob:
        torch.testing.assert_close(glob[k], trained[k], rtol=0, atol=1e-6)


def test_malformed_reply_and_duplicate_site_id_are_rejected(world, tmp_path, caplog):
    nodes = _nodes(world, ["site-a", "site-b", "site-c"], tmp_path)
    nodes[102] = {**nodes[102], "site-id": "site-a"}  # a second SuperNode claiming to be site-a

    def tamper(node, reply):
        if node == 101 and reply.metadata.message_type == "train":
            reply.content.metric_records["metrics"]["model-version"] = [0, 1]  # wrong type

    grid = LocalGrid(nodes, tamper=tamper)
    with caplog.at_level(logging.WARNING, logger="medfl.server.rounds"):
        rep = _run(grid, tmp_path / "state", world, **{"num-rounds": 1, "min-sites": 1})
    sites = rep["rounds"][0]["sites"]
    assert sites["site-a"]["status"] == "ok" and rep["rounds"][0]["n_ok"] == 1
    dup = [k for k in sites if k.startswith("site-a@node-")]  # whichever of the two replied second
    assert len(dup) == 1 and sites[dup[0]] == {"status": "rejected", "reason": "duplicate site-id"}
    assert sites["site-b"] == {"status": "rejected", "reason": "malformed reply (TypeError)"}
    assert "rejected update from site site-b: malformed reply (TypeError)" in caplog.text


def test_downlink_deltas_keep_sites_bit_identical_and_resync_after_loss(world, tmp_path):
    """Sites hold exactly the server's view after int8 deltas; a site that lost it gets fp32 again."""
    import torch

    from medfl.server.rounds import Coordinator, RunConfig

    nodes = _nodes(world, ["site-a", "site-b"], tmp_path)

    def before(node, msg):
        rnd = msg.content.config_records["config"]["server-round"]
        if node == 100 and rnd in (2, 3) and msg.metadata.message_type == "train":
            site_task._RUNTIMES.pop("site-a", None)  # process restarted: memory gone
            if rnd == 3:  # ... and the persisted copy too
                for p in (tmp_path / "work-site-a" / "fed").glob("*/base.safetensors"):
                    p.unlink()

    grid = LocalGrid(nodes, before=before)
    state = tmp_path / "state"
    state.mkdir()
    (state / "tokenizer.model").write_bytes(Path(world[2]).read_bytes())
    rc = {"num-rounds": 3, "local-steps": 2, "preset": "medfl-tiny", "seq-len": 32, "batch-size": 4,
          "wire-dtype": "int8", "min-sites": 2, "state-dir": str(state), "eval-max-seqs": 4,
          "poll-interval-s": 0.01}
    coord = Coordinator(grid, RunConfig.from_run_config(rc))
    rep = coord.run()
    assert rep["rounds_finished"] == 3
    r2, r3 = rep["rounds"][1], rep["rounds"][2]
    assert r2["failed_attempts"] == []  # restarted process found the persisted weights
    (failed,) = r3["failed_attempts"]  # lost everything: one failed attempt, then an fp32 resync
    assert failed["sites"]["site-a"]["status"] == "failed"
    assert "holds no model version 1" in failed["sites"]["site-a"]["reason"]
    assert r3["n_ok"] == 2
    for name in ("site-a", "site-b"):
        base = site_task._RUNTIMES[name].base
        for k, v in coord.view.items():
            assert torch.equal(base[k], v), (name, k)
    # the view tracks the true global model up to one round's int8 error
    for k, v in coord.state.weights.items():
        assert (coord.view[k] - v).abs().max() <= (v.abs().max() + 1e-3) * 0.02
