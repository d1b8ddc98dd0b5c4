"""`medfl-client join`: run this site's Flower SuperNode (plus a warm ClientApp worker) against a SuperLink.

Design choices:
- Site-local settings travel only in the SuperNode's *node config* (`site-id`, `data-path`, `work-dir`,
  `device`): the coordinator cannot point a site at other data or change where it writes.
- TLS and node authentication are on unless `--insecure` (local development): the SuperLink's CA
  certificate verifies the coordinator, the site's EC private key (from `medfl-client keys`) authenticates
  the site; the coordinator registers the matching public key with `medfl-server add-site`.
- Process model (measured, see bench/fed_round_overhead.py): by default the SuperNode runs with
  `--isolation process` and a long-lived `medfl.client.warm_worker` executes every ClientApp message in one
  warm process, instead of flwr's fresh `flwr-clientapp` process per message. `--cold` keeps flwr's default
  (`--isolation subprocess`).
- flwr 1.41's SuperNode loop sleeps a hard-coded 3 s whenever no message is pending (and 0.5 s while waiting
  for a reply), which adds up to ~3.5 s to every round, and it pulls a message's objects with flwr's 1-2-4 s
  retry backoff although the SuperLink lists the message before the ServerApp has uploaded them. We launch
  the SuperNode through this module's `__main__`, which caps the idle poll at `--poll-interval` (default
  0.2 s), the local reply waits at 20 ms, the object-pull backoff at 20 ms..0.2 s, and otherwise runs flwr's
  own `flower-supernode` entry point unchanged.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

# flwr ExitCode logged by flower-supernode when the SuperLink refuses to activate the node (unknown or
# unregistered key). flwr's process exit status is just 1 for every error, so we read the logged code.
EXIT_NODE_NOT_ACTIVATED = 305
_EXIT_CODE_RE = re.compile(rb"Exit Code: (\d+)")


@dataclass
class JoinConfig:
    """One site joining a federation. Args:
    superlink: coordinator address HOST:PORT.
    data: the site's prepared data dir (medfl-client prepare output).
    ca: the federation's CA certificate (ca.crt from the coordinator).
    key: this site's private key (site.key from `medfl-client keys`).
    work_dir: site-local scratch/checkpoints (default: <data>/../fl-work).
    site_id: name of the site in metrics (default: the data dir's name).
    device: torch device for local training ("auto", "cpu", "cuda").
    threads: torch CPU threads for this site (0 = torch default; 1 when several sites share a CPU).
    insecure: no TLS, no authentication (local development only).
    warm: keep one long-lived ClientApp process (default) instead of a fresh process per message.
    runtime_port: the SuperNode's local Runtime API port (0 = pick a free one).
    poll_interval: seconds between the SuperNode's polls for new messages when idle.
    max_wait_s: give up if the SuperLink cannot be reached for this long (None = keep retrying).
    register_wait_s: a SuperLink that refuses this site's key is retried for this long (the coordinator
        registers site keys right after its SuperLink starts, so a site that connects in that window, or
        whose key is added a moment later, gets in without a manual restart).
    stall_timeout_s: the warm worker drops a message whose objects stop arriving for this long.
    rejoin: restart the SuperNode when it leaves after having joined (coordinator restarted).
    """

    superlink: str
    data: Path
    ca: Path | None = None
    key: Path | None = None
    work_dir: Path | None = None
    site_id: str = ""
    device: str = "auto"
    threads: int = 0
    insecure: bool = False
    warm: bool = True
    runtime_port: int = 0
    poll_interval: float = 0.2
    max_wait_s: float | None = None
    register_wait_s: float = 30.0
    stall_timeout_s: float = 60.0
    rejoin: bool = True
    clientapp: str = "medfl.client.app:app"
    extra_node_config: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.data = Path(self.data).expanduser().resolve()
        if self.work_dir is None:
            self.work_dir = self.data.parent / f"{self.data.name}-fl-work"
        self.work_dir = Path(self.work_dir).expanduser().resolve()
        if not self.site_id:
            self.site_id = self.data.name
        host, sep, port = self.superlink.rpartition(":")
        if not sep or not host or not port.isdigit():
            raise MedflError(f"--superlink: {self.superlink!r} is not HOST:PORT")

    def validate(self) -> None:
        from medfl.client.keys import check_private_key

        if not self.data.is_dir():
            raise MedflError(f"{self.data}: site data directory not found")
        if self.insecure:
            return
        if self.ca is None or not Path(self.ca).is_file():
            raise MedflError(f"{self.ca}: CA certificate not found (copy ca.crt from the coordinator)")
        if self.key is None:
            raise MedflError("--key: a site private key is required unless --insecure")
        check_private_key(Path(self.key))

    def node_config(self) -> str:
        """`--node-config` value: space-separated key="value" pairs (flwr parses values as TOML)."""
        items = {
            "site-id": self.site_id,
            "data-path": str(self.data),
            "work-dir": str(self.work_dir),
            "device": self.device,
            **({"threads": self.threads} if self.threads else {}),
            **self.extra_node_config,
        }
        parts = []
        for k, v in items.items():
            if any(c in str(v) for c in ' "\'\\=\n'):
                raise MedflError(f"node config {k}: {v!r} must not contain spaces, quotes, '=' or '\\'")
            parts.append(f"{k}={v}" if isinstance(v, int) else f'{k}="{v}"')
        return " ".join(parts)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise MedflError(f"process exited (code {proc.returncode}) before listening on {host}:{port}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise MedflError(f"{host}:{port}: nothing listening after {timeout:.0f}s")


def flwr_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for every flwr process we start: offline, no runtime `uv sync` of app dependencies."""
    env = dict(os.environ)
    # flwr spawns flower-superexec / flwr-serverapp / flwr-clientapp by name: put our venv's bin first.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(
        {
            "FLWR_DISABLE_UPDATE_CHECK": "1",
            "FLWR_DISABLE_RUNTIME_DEPENDENCY_INSTALLATION": "1",
            "FLWR_TELEMETRY_ENABLED": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def supernode_command(cfg: JoinConfig, runtime_port: int) -> list[str]:
    cmd = [sys.executable, "-m", "medfl.client.supernode", "--poll-interval", str(cfg.poll_interval), "--"]
    cmd += ["--superlink", cfg.superlink, "--port", str(runtime_port), "--host", "127.0.0.1"]
    cmd += ["--node-config", cfg.node_config()]
    cmd += ["--isolation", "process" if cfg.warm else "subprocess"]
    if cfg.insecure:
        cmd += ["--insecure"]
    else:
        cmd += ["--root-certificates", str(Path(cfg.ca).resolve())]  # type: ignore[arg-type]
        cmd += ["--auth-supernode-private-key", str(Path(cfg.key).resolve())]  # type: ignore[arg-type]
    if cfg.max_wait_s is not None:
        cmd += ["--max-wait-time", str(cfg.max_wait_s)]
    return cmd


def worker_command(cfg: JoinConfig, runtime_port: int, parent_pid: int) -> list[str]:
    return [
        sys.executable, "-m", "medfl.client.warm_worker",
        "--runtime-api-address", f"127.0.0.1:{runtime_port}",
        "--clientapp", cfg.clientapp,
        "--parent-pid", str(parent_pid),
        "--stall-timeout-s", str(cfg.stall_timeout_s),
    ]


def _terminate(proc: subprocess.Popen | None, timeout: float = 10.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class SiteProcesses:
    """The running SuperNode (+ warm worker) of one site; `stop()` ends both."""

    def __init__(self, cfg: JoinConfig, *, log_dir: Path | None = None, env: dict[str, str] | None = None):
        self.cfg = cfg
        self.log_dir = Path(log_dir) if log_dir else Path(cfg.work_dir) / "logs"  # type: ignore[arg-type]
        self.env = flwr_env(env)
        self.supernode: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.runtime_port = cfg.runtime_port or free_port()
        self._files: list = []
        self._t_start = 0.0
        self.refusals = 0
        self.flwr_exit_code: int | None = None  # "Exit Code: N" line of the last SuperNode, if any
        self.activated = False  # the last SuperNode logged its node id (it was let in)
        self.rejoins = 0
        self._pump: threading.Thread | None = None

    def _open_log(self, name: str):  # noqa: ANN202
        self.log_dir.mkdir(parents=True, exist_ok=True)
        f = open(self.log_dir / name, "ab")  # noqa: SIM115 - closed in stop()
        self._files.append(f)
        return f

    def start(self, *, to_console: bool = False) -> SiteProcesses:
        self.cfg.validate()
        Path(self.cfg.work_dir).mkdir(parents=True, exist_ok=True)  # type: ignore[arg-type]
        self._to_console = to_console
        self._t_start = time.monotonic()
        self._launch()
        return self

    def _launch(self) -> None:
        to_console = self._to_console
        sink = sys.stdout.buffer if to_console else self._open_log("supernode.log")
        self.flwr_exit_code = None
        self.activated = False
        self.supernode = subprocess.Popen(
            supernode_command(self.cfg, self.runtime_port), env=self.env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._pump = threading.Thread(target=self._pump_output, args=(self.supernode.stdout, sink),
                                      daemon=True)
        self._pump.start()
        log.info("site %s: SuperNode pid %d -> %s", self.cfg.site_id, self.supernode.pid, self.cfg.superlink)
        if self.cfg.warm:
            wait_for_port("127.0.0.1", self.runtime_port, 60, self.supernode)
            wout = None if to_console else self._open_log("worker.log")
            self.worker = subprocess.Popen(
                worker_command(self.cfg, self.runtime_port, self.supernode.pid),
                env=self.env, stdout=wout, stderr=subprocess.STDOUT,
            )

    def _pump_output(self, pipe, sink) -> None:  # noqa: ANN001
        """Copy the SuperNode's output to its log/console and remember flwr's logged exit code."""
        for line in iter(pipe.readline, b""):
            if m := _EXIT_CODE_RE.search(line):
                self.flwr_exit_code = int(m.group(1))
            elif b"SuperNode ID:" in line:
                self.activated = True
            try:
                sink.write(line)
                sink.flush()
            except (ValueError, OSError):  # log closed during shutdown
                pass

    def poll(self) -> int | None:
        """None while the site runs; the SuperNode's exit code once it ended for good.

        Restarts (a) a SuperNode refused activation within `register_wait_s` of its start, (b) a SuperNode
        that had joined and then exited: the coordinator restarted (an in-memory SuperLink forgets its nodes,
        so the old SuperNode fails with 401 and exits; the coordinator re-registers the site keys at start),
        and (c) a crashed warm worker.
        """
        assert self.supernode is not None
        code = self.supernode.poll()
        if code is not None:
            if self._pump is not None:
                self._pump.join(5)  # the exit-code line is read before we decide
            now = time.monotonic()
            if self.activated and self.cfg.rejoin:
                self.rejoins += 1
                log.warning("site %s: SuperNode left the federation (exit %s); rejoining", self.cfg.site_id,
                            self.flwr_exit_code or code)
                self._relaunch(now)
                return None
            in_window = now - self._t_start < self.cfg.register_wait_s
            if self.flwr_exit_code == EXIT_NODE_NOT_ACTIVATED and in_window:
                self.refusals += 1
                log.warning("site %s: SuperLink refused activation (key not registered yet?); retrying",
                            self.cfg.site_id)
                self._relaunch(None)
                return None
            return code
        if self.worker is not None and self.worker.poll() is not None:
            log.warning("site %s: warm worker exited (code %s); restarting it", self.cfg.site_id,
                        self.worker.returncode)
            self.worker = subprocess.Popen(
                worker_command(self.cfg, self.runtime_port, self.supernode.pid),
                env=self.env, stdout=None if self._to_console else self._open_log("worker.log"),
                stderr=subprocess.STDOUT,
            )
        return None

    def _relaunch(self, new_window_from: float | None) -> None:
        _terminate(self.worker)
        time.sleep(1.0)
        if new_window_from is not None:
            self._t_start = new_window_from  # a fresh registration window after a coordinator restart
        self._launch()

    def stop(self) -> None:
        _terminate(self.worker)
        _terminate(self.supernode)
        for f in self._files:
            f.close()
        self._files.clear()

    def kill(self) -> None:
        """Hard kill (tests: a site dying mid-round)."""
        for p in (self.worker, self.supernode):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait(5)


def join(cfg: JoinConfig) -> int:
    """Run until the SuperNode exits or we are interrupted; return a process exit code."""
    site = SiteProcesses(cfg)
    stopping = False

    def _on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        site.start(to_console=True)
        while not stopping:
            code = site.poll()
            if code is not None:
                if site.flwr_exit_code == EXIT_NODE_NOT_ACTIVATED:
                    raise MedflError(
                        f"{cfg.superlink} refused site {cfg.site_id!r}: its public key is not registered "
                        "(ask the coordinator to run `medfl-server add-site NAME site.pub`) or the "
                        "SuperLink is not reachable"
                    )
                return code
            time.sleep(0.5)
        return 0
    finally:
        site.stop()
        for s, h in old.items():
            signal.signal(s, h)


class _CappedTime:
    """`time` module stand-in for flwr's SuperNode loop (see module docstring). flwr sleeps 3 s between
    polls of the SuperLink (capped at `cap`: each poll is a signed HTTPS request) and 0.5 s while waiting
    for the local ClientApp's reply or its objects (capped at `local_cap`: a look into in-process state)."""

    def __init__(self, cap: float, local_cap: float = 0.02) -> None:
        self._cap = cap
        self._local_cap = local_cap

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, self._cap if seconds >= 1.0 else self._local_cap))

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(time, name)


class _ReplyGuard:
    """Only the reply to the message the SuperNode is handling now may leave it (flwr 1.41 SuperNode fix).

    flwr's loop is: receive one message, then `_push_messages` pushes *whatever* reply is in the node state
    and deletes it. When a received message is dropped after its task was created (the SuperLink restarted:
    "Run ... is not in RUNNING status. Ignoring message"), a fast warm worker may already have answered it;
    that orphan reply is then pushed in place of the next message's reply, whose own reply is pushed one
    message later, and so on: the site lags one message behind for the rest of the run (seen in
    tests/test_federation_e2e.py: coordinator killed, resumed rounds time out on that site). Here replies to
    any other message are dropped (logged) and the loop keeps waiting for the right one."""

    def __init__(self, sci: object) -> None:
        self.current: str | None = None
        self._pull, self._push = sci._pull_and_store_message, sci._push_messages  # type: ignore[attr-defined]

    def pull_and_store_message(self, **kw: object) -> int | None:
        receive = kw["receive"]

        def recording_receive():  # noqa: ANN202
            got = receive()  # type: ignore[operator]
            if got is not None:
                self.current = got[0].metadata.message_id
            return got

        return self._pull(**{**kw, "receive": recording_receive})

    def push_messages(self, **kw: object) -> None:
        guard, state, store = self, kw["state"], kw["object_store"]

        class _State:
            def __getattr__(self, name: str):  # noqa: ANN204
                return getattr(state, name)

            def get_messages_legacy(self, **f: object):  # noqa: ANN202
                msgs = state.get_messages_legacy(**f)  # type: ignore[attr-defined]
                if not f.get("is_reply") or guard.current is None:
                    return msgs
                keep = []
                for m in msgs:
                    if m.metadata.reply_to_message_id == guard.current:
                        keep.append(m)
                    else:
                        log.warning("dropping a reply to message %s (not the one being handled)",
                                    m.metadata.reply_to_message_id[:12])
                        state.delete_messages(message_ids=[m.metadata.message_id])  # type: ignore[attr-defined]
                        store.delete(m.metadata.message_id)  # type: ignore[attr-defined]
                return keep

        self._push(**{**kw, "state": _State()})


def _supernode_main() -> None:
    """`python -m medfl.client.supernode [--poll-interval S] -- <flower-supernode args>`."""
    argv = sys.argv[1:]
    cap = 0.2
    if argv[:1] == ["--poll-interval"]:
        cap, argv = float(argv[1]), argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    import functools

    import flwr.supernode.start_client_internal as sci
    from flwr.supernode.cli.flower_supernode import flower_supernode

    sci.time = _CappedTime(cap)  # type: ignore[assignment]
    # The SuperLink hands this node a message before the ServerApp finished uploading its objects; flwr's
    # default object backoff (1 s, 2 s, 4 s) then delays every round. No per-object try limit (a big model
    # over a slow link takes minutes); flwr's 2 h overall limit stays.
    sci.pull_objects = functools.partial(sci.pull_objects, initial_backoff=0.02, backoff_cap=0.2,
                                         max_tries_per_object=None)
    guard = _ReplyGuard(sci)
    sci._pull_and_store_message = guard.pull_and_store_message  # type: ignore[assignment]
    sci._push_messages = guard.push_messages  # type: ignore[assignment]
    sys.argv = ["flower-supernode", *argv]
    flower_supernode()


if __name__ == "__main__":
    _supernode_main()
