"""Real federation on loopback: `medfl-server start` (flower-superlink with TLS + SuperNode auth) and sites
joined through real flower-supernode processes running medfl's ServerApp/ClientApp on medfl-tiny.

Covers: 2 sites x 2 rounds end to end through the CLIs, with an unregistered site key refused meanwhile;
a malformed (NaN) update rejected, then that site killed mid-run -> rounds complete with the other site; the
coordinator SIGKILLed -> `start --resume` continues from the last finished round (and the old run's orphaned
ServerApp does not keep running). Every process runs on random free ports with bounded waits and is killed in
`finally`. ~3.5 min on the shared 2-core box (each round pays flwr's per-object HTTP transfers).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from prepared_sites import prepared_site, train_texts

from medfl.client.keys import generate_site_keys
from medfl.client.supernode import JoinConfig, SiteProcesses, flwr_env, free_port, wait_for_port
from medfl.server.certs import generate_certs
from medfl.server.coordinator import finished_rounds
from medfl.server.superlink import add_site

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from medfl.core_model.tokenizer import train_tokenizer

    root = tmp_path_factory.mktemp("fedops")
    sites = {"site-a": prepared_site(root, "a", ["cdc"], n=16),
             "site-b": prepared_site(root, "b", ["ninds"], n=16)}
    tok = train_tokenizer(out_path=root / "tok.model", vocab_size=512, texts=train_texts(*sites.values()))
    certs = generate_certs(root / "certs")
    keys = {name: generate_site_keys(root / "keys" / name) for name in [*sites, "intruder"]}
    return {"root": root, "sites": sites, "tok": Path(tok), "certs": certs, "keys": keys}


def _federation(world, state: Path, port: int, **run) -> Path:
    """A federation.toml for a tiny fast run; registers site-a and site-b in `state`."""
    for name in ("site-a", "site-b"):
        add_site(state, name, world["keys"][name][1])
    rc = {"num-rounds": 2, "local-steps": 2, "strategy": "nesterov", "preset": "medfl-tiny", "seq-len": 32,
          "batch-size": 4, "lr": 3e-3, "warmup-steps": 1, "wire-dtype": "bf16", "min-sites": 2,
          "round-timeout-s": 60.0, "tokenizer": str(world["tok"]), **run}
    lines = ["[superlink]", 'host = "127.0.0.1"', f"port = {port}", f'state-dir = "{state}"',
             f'certs-dir = "{world["certs"].ca_cert.parent}"', "wait-for-sites-s = 90.0",
             "site-grace-s = 90.0", "", "[run]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in rc.items()]
    path = state.parent / f"{state.name}.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _env() -> dict[str, str]:
    # tests/ on the path: the tamper ClientApp lives there; 1 torch thread per process on the 2-core CI box
    return flwr_env({"PYTHONPATH": os.pathsep.join([str(REPO / "tests"), os.environ.get("PYTHONPATH", "")]),
                     "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})


def _start_server(config: Path, log: Path, *extra: str, app_args: tuple[str, ...] = ()) -> subprocess.Popen:
    cmd = [str(BIN / "medfl-server"), "start", "--config", str(config), "--json", *extra]
    return subprocess.Popen(cmd, stdout=open(log, "wb"), stderr=subprocess.STDOUT, env=_env(),  # noqa: SIM115
                            start_new_session=True)


def _site(world, name: str, port: int, *, key: str | None = None, **kw) -> SiteProcesses:
    cfg = JoinConfig(superlink=f"127.0.0.1:{port}", data=world["sites"].get(name, world["sites"]["site-a"]),
                     ca=world["certs"].ca_cert, key=world["keys"][key or name][0], site_id=name,
                     work_dir=world["root"] / "work" / name, device="cpu", stall_timeout_s=15.0, **kw)
    return SiteProcesses(cfg, log_dir=world["root"] / "logs" / f"{name}-{port}", env=_env())


def _kill_group(p: subprocess.Popen) -> None:
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait(10)


def _wait(pred, timeout: float, what: str, procs=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        for p in procs:
            if p.poll() is not None:
                raise AssertionError(f"process exited (code {p.returncode}) while waiting for {what}")
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def _rounds(state: Path) -> list[dict]:
    return [r for r in finished_rounds(state) if int(r["round"]) > 0]


def _log_tail(*paths: Path, n: int = 25) -> str:
    out = []
    for p in paths:
        if p.is_file():
            out.append(f"--- {p}\n" + "\n".join(p.read_text(errors="replace").splitlines()[-n:]))
    return "\n".join(out)


def test_two_sites_two_rounds_tls_auth_and_intruder_refused(world, tmp_path):
    port = free_port()
    state = tmp_path / "state"
    config = _federation(world, state, port)
    server_log = tmp_path / "server.log"
    server = _start_server(config, server_log)
    sites: list[SiteProcesses] = []
    joins: list[subprocess.Popen] = []
    try:
        wait_for_port("127.0.0.1", port, 60, server)
        # site-a through the real CLI, site-b through the library; both warm (default)
        joins.append(subprocess.Popen(
            [str(BIN / "medfl-client"), "join", "--superlink", f"127.0.0.1:{port}",
             "--data", str(world["sites"]["site-a"]), "--ca", str(world["certs"].ca_cert),
             "--key", str(world["keys"]["site-a"][0]), "--site-id", "site-a", "--device", "cpu",
             "--work-dir", str(tmp_path / "work-a")],
            stdout=open(tmp_path / "join-a.log", "wb"), stderr=subprocess.STDOUT, env=_env(),  # noqa: SIM115
            start_new_session=True))
        sites.append(_site(world, "site-b", port).start())
        # a third site whose key the coordinator never registered: refused, never part of the run
        intruder = subprocess.Popen(
            [str(BIN / "medfl-client"), "join", "--superlink", f"127.0.0.1:{port}",
             "--data", str(world["sites"]["site-a"]), "--ca", str(world["certs"].ca_cert),
             "--key", str(world["keys"]["intruder"][0]), "--site-id", "intruder", "--register-wait-s", "3",
             "--work-dir", str(tmp_path / "work-x")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=_env(), start_new_session=True)
        joins.append(intruder)
        out, _ = intruder.communicate(timeout=90)
        assert intruder.returncode == 2, out.decode(errors="replace")
        assert b"not registered" in out

        server.wait(timeout=240)
        assert server.returncode == 0, _log_tail(server_log, state / "logs" / "superlink.log")
        outcome = json.loads(server_log.read_text()[server_log.read_text().index("{"):])
        assert outcome["status"] == "finished:completed" and outcome["rounds_done"] == 2
        rounds = _rounds(state)
        assert [r["round"] for r in rounds] == [1, 2]
        for r in rounds:
            h = r["history"][-1]
            assert {k: v["status"] for k, v in h["sites"].items()} == {"site-a": "ok", "site-b": "ok"}
            assert "intruder" not in h["sites"]
        assert (state / "report.json").is_file()
        # the SuperLink was shut down: the port is free again
        with pytest.raises(OSError):
            import socket

            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        # warm worker: one process served both rounds (no fresh ClientApp per message)
        wlog = (world["root"] / "logs" / f"site-b-{port}" / "worker.log").read_text()
        assert wlog.count("task ") >= 2 and "warm worker serving medfl.client.app:app" in wlog
    finally:
        for s in sites:
            s.stop()
        for j in joins:
            if j.poll() is None:
                os.killpg(j.pid, signal.SIGTERM)
                try:
                    j.wait(15)
                except subprocess.TimeoutExpired:
                    _kill_group(j)
        _kill_group(server)


def test_malformed_update_rejected_and_site_killed_mid_run(world, tmp_path):
    """Round 1: site-b's update is NaN (tamper ClientApp) -> rejected, round aggregates site-a only.
    Then site-b is killed: round 2 (already sent to it, or about to be) completes with site-a."""
    port = free_port()
    state = tmp_path / "state"
    config = _federation(world, state, port, **{"num-rounds": 2, "min-sites": 1, "round-timeout-s": 25.0})
    server_log = tmp_path / "server.log"
    # start_federation with the tamper ClientApp (tests/fedproto): medfl's app, except on a node whose node
    # config says tamper="nan". site-grace-s makes the coordinator wait for both registered sites.
    cmd = [sys.executable, "-c",
           "from pathlib import Path; from medfl.server.federation import load_federation_config as L; "
           "from medfl.server.coordinator import start_federation as S; "
           f"o = S(L(Path({str(config)!r})), clientapp='fedproto.tamper_client:app'); print(o.status)"]
    server = subprocess.Popen(cmd, stdout=open(server_log, "wb"), stderr=subprocess.STDOUT, env=_env(),  # noqa: SIM115
                              start_new_session=True)
    sites: list[SiteProcesses] = []
    try:
        wait_for_port("127.0.0.1", port, 60, server)
        sites = [_site(world, "site-a", port, clientapp="fedproto.tamper_client:app"),
                 _site(world, "site-b", port, clientapp="fedproto.tamper_client:app",
                       extra_node_config={"tamper": "nan"})]
        for s in sites:
            s.start()
        _wait(lambda: len(_rounds(state)) >= 1, 150, "round 1", [server])
        sites[1].kill()  # site-b dies: round 2 was just sent (or is about to be) and never gets its reply
        server.wait(timeout=150)
        assert server.returncode == 0, _log_tail(server_log, state / "logs" / "superlink.log")
        r1, r2 = (r["history"][-1] for r in _rounds(state))
        assert r1["sites"]["site-a"]["status"] == "ok" and r1["n_ok"] == 1
        assert r1["sites"]["site-b"]["status"] == "rejected" and "NaN" in r1["sites"]["site-b"]["reason"]
        assert r2["round"] == 2 and r2["n_ok"] == 1 and r2["sites"]["site-a"]["status"] == "ok"
        assert r2["sites"].get("site-b", {"status": "timeout"})["status"] in ("timeout", "failed")
    finally:
        for s in sites:
            s.stop()
        _kill_group(server)


def test_coordinator_killed_then_resume_continues(world, tmp_path):
    port = free_port()
    state = tmp_path / "state"
    config = _federation(world, state, port, **{"num-rounds": 3})
    log1, log2 = tmp_path / "server1.log", tmp_path / "server2.log"
    server = _start_server(config, log1)
    sites: list[SiteProcesses] = []
    server2 = None
    try:
        wait_for_port("127.0.0.1", port, 60, server)
        sites = [_site(world, n, port).start() for n in ("site-a", "site-b")]
        _wait(lambda: len(_rounds(state)) >= 1, 150, "round 1", [server])
        os.kill(server.pid, signal.SIGKILL)  # the coordinator process only: its SuperLink follows (PDEATHSIG)
        server.wait(10)
        _wait(lambda: _port_free(port), 30, "the killed SuperLink to release its port")
        # a plain restart refuses to overwrite the finished rounds
        again = subprocess.run([str(BIN / "medfl-server"), "start", "--config", str(config)],
                               capture_output=True, env=_env(), timeout=60)
        assert again.returncode == 2 and b"--resume" in again.stderr
        server2 = _start_server(config, log2, "--resume")
        server2.wait(timeout=240)
        assert server2.returncode == 0, _log_tail(log2, state / "logs" / "superlink.log")
        rounds = _rounds(state)
        assert [r["round"] for r in rounds][-2:] == [2, 3]
        # round 2 trained from round 1's model: nothing finished was lost or redone
        assert rounds[-2]["history"][-1]["trained_from_version"] == 1
        # no failed attempts anywhere: the killed coordinator's ServerApp did not keep running its old run
        # next to the resumed one (it did, before superlink.kill_leftovers existed)
        hist = rounds[-1]["history"]
        assert [h["round"] for h in hist if h["round"] > 0] == [1, 2, 3], hist
        assert all(s["status"] == "ok" for h in hist for s in h.get("sites", {}).values()), hist
        assert not any(h.get("failed_attempts") for h in hist), hist
    finally:
        for s in sites:
            s.stop()
        _kill_group(server)
        if server2 is not None:
            _kill_group(server2)


def _port_free(port: int) -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return False
    except OSError:
        return True
