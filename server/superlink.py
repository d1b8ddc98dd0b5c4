"""The coordinator side of a real Flower deployment: run `flower-superlink`, register sites, submit and follow
the medfl run.

    start_superlink()  -> flower-superlink with TLS + SuperNode authentication (or --insecure for dev)
    register_sites()   -> every key in <state-dir>/sites/*.pub registered through the Control API
    write_app_dir()    -> a minimal Flower App (pyproject only) whose components are in the installed package
    submit_run()       -> `flwr run <app-dir> medfl` ; run_status()/stop_run() through the Control API

Design choices:
- SuperLink state in `<state-dir>/superlink.db` by default ([superlink] database): registered keys survive a
  coordinator restart and connected SuperNodes reconnect on their own, so `start --resume` needs nothing
  from the sites. A restarted in-memory SuperLink has forgotten every node: its old SuperNodes hang (or fail
  with 401 and exit; `medfl-client join` then rejoins). In-memory is ~2x faster per round (flwr 1.41's
  SQLite object store), so it is offered as `database = ":memory:"` for runs that will not be resumed.
- `FLWR_HOME=<state-dir>/flwr-home` holds the one SuperLink connection ("medfl") the flwr CLI and our Control
  client use, so nothing is read from or written to the user's ~/.flwr.
- The generated app contains only a pyproject.toml: the FAB carries configuration, not code. Sites run the
  medfl they installed (the warm worker refuses any other ClientApp reference), and the ServerApp imports the
  coordinator's installed medfl. Runtime dependency installation (`uv sync`) is disabled everywhere: it would
  try to reach the internet (and pulled a multi-GB CUDA torch when it could).
- The SuperLink runs in its own process group (its flower-superexec and flwr-serverapp inherit it) and with
  PR_SET_PDEATHSIG, so killing `medfl-server start` (even with SIGKILL) stops the SuperLink at once. flwr's
  own parent-pid monitors do NOT reliably stop the ServerApp then (a dead parent that nobody reaps stays a
  zombie and still "exists"; seen here): the orphaned ServerApp reconnected to the restarted SuperLink and
  kept running the old run next to the resumed one. So `stop()` and the next `start` kill the whole recorded
  process group (`<state-dir>/superlink.pid`), after checking it still holds flwr processes.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medfl.client.supernode import flwr_env, wait_for_port
from medfl.core_model.errors import MedflError
from medfl.server.federation import FederationConfig, SuperLinkConfig

log = logging.getLogger(__name__)

CONNECTION = "medfl"
APP_NAME = "medfl-federation"
SERVERAPP_REF = "medfl.server.app:app"
CLIENTAPP_REF = "medfl.client.app:app"
_SITE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _bin(name: str) -> str:
    """flwr console scripts next to the running interpreter (the venv), else on PATH."""
    cand = Path(sys.executable).parent / name
    return str(cand) if cand.exists() else (shutil.which(name) or name)


def _pdeathsig() -> None:  # runs in the child between fork and exec
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _group_members(pgid: int) -> list[int]:
    """PIDs in process group `pgid` whose command line is a flwr/flower process (Linux /proc)."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            if os.getpgid(int(d.name)) != pgid:
                continue
            cmd = (d / "cmdline").read_bytes()
        except (OSError, ProcessLookupError):
            continue
        if b"flwr" in cmd or b"flower-" in cmd:
            out.append(int(d.name))
    return out


def kill_leftovers(state_dir: Path, *, timeout: float = 10.0) -> int:
    """Kill what is left of a previous SuperLink of this state dir (its process group); return #killed."""
    pidfile = Path(state_dir) / "superlink.pid"
    if not pidfile.is_file() or not Path("/proc").is_dir():
        return 0
    try:
        pgid = int(pidfile.read_text().split()[0])
    except (ValueError, IndexError):
        return 0
    members = _group_members(pgid)
    if members:
        log.warning("killing %d leftover SuperLink/ServerApp process(es) of a previous coordinator "
                    "(group %d)", len(members), pgid)
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + wait
            while _group_members(pgid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if not _group_members(pgid):
                break
    pidfile.unlink(missing_ok=True)
    return len(members)


# ---- site registry -----------------------------------------------------------------------------------


def sites_dir(state_dir: Path) -> Path:
    return Path(state_dir) / "sites"


def add_site(state_dir: Path, name: str, pubkey: Path) -> Path:
    """Store a site's public key under <state-dir>/sites/NAME.pub (registered at the next `start`)."""
    from medfl.client.keys import fingerprint, load_public_key

    if not _SITE_NAME.match(name):
        raise MedflError(f"site name {name!r}: use letters, digits, '.', '_' or '-' (max 64)")
    key = load_public_key(Path(pubkey))
    d = sites_dir(state_dir)
    d.mkdir(parents=True, exist_ok=True)
    fp = fingerprint(key)
    for other, other_key in list_sites(state_dir).items():
        if other != name and fingerprint(other_key) == fp:
            raise MedflError(f"{pubkey}: this key is already registered as site {other!r}")
    dest = d / f"{name}.pub"
    dest.write_bytes(Path(pubkey).read_bytes().strip() + b"\n")
    log.info("site %s registered locally (%s)", name, fp)
    return dest


def list_sites(state_dir: Path) -> dict[str, Any]:
    from medfl.client.keys import load_public_key

    d = sites_dir(state_dir)
    return {p.stem: load_public_key(p) for p in sorted(d.glob("*.pub"))} if d.is_dir() else {}


# ---- flwr home / control client ------------------------------------------------------------------------


def write_flwr_home(cfg: SuperLinkConfig) -> Path:
    """Write <state-dir>/flwr-home/config.toml with the "medfl" SuperLink connection; return FLWR_HOME."""
    home = cfg.state_path / "flwr-home"
    home.mkdir(parents=True, exist_ok=True)
    lines = ["[superlink]", f'default = "{CONNECTION}"', "", f"[superlink.{CONNECTION}]",
             f'address = "{cfg.connect_address}"']
    if cfg.insecure:
        lines.append("insecure = true")
    else:
        lines.append(f'root-certificates = "{(cfg.certs_path / "ca.crt").resolve()}"')
    (home / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return home


class Control:
    """In-process flwr Control API client (cheaper than one `flwr` CLI process per status poll)."""

    def __init__(self, cfg: SuperLinkConfig) -> None:
        from flwr.cli.typing import SuperLinkConnection
        from flwr.cli.utils import init_http_client_from_connection

        os.environ["FLWR_HOME"] = str(write_flwr_home(cfg))
        logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise
        conn = SuperLinkConnection(
            name=CONNECTION,
            address=cfg.connect_address,
            root_certificates=None if cfg.insecure else str((cfg.certs_path / "ca.crt").resolve()),
            insecure=cfg.insecure,
        )
        self._stub = init_http_client_from_connection(conn)

    def close(self) -> None:
        self._stub.close()

    def nodes(self) -> list[Any]:
        from flwr.proto.control_pb2 import ListNodesRequest  # pylint: disable=E0611

        return list(self._stub.ListNodes(ListNodesRequest()).nodes_info)

    def register(self, name: str, public_key_pem: bytes) -> int:
        from flwr.proto.control_pb2 import RegisterNodeRequest  # pylint: disable=E0611

        return int(self._stub.RegisterNode(RegisterNodeRequest(public_key=public_key_pem, name=name)).node_id)

    def run(self, run_id: int) -> Any:
        from flwr.proto.control_pb2 import ListRunsRequest  # pylint: disable=E0611

        res = self._stub.ListRuns(ListRunsRequest(run_id=run_id))
        return res.run_dict[run_id] if run_id in res.run_dict else None

    def stop_run(self, run_id: int) -> None:
        from flwr.proto.control_pb2 import StopRunRequest  # pylint: disable=E0611

        self._stub.StopRun(StopRunRequest(run_id=run_id))


def register_sites(control: Control, state_dir: Path) -> dict[str, int]:
    """Register every <state-dir>/sites/*.pub not yet known to the SuperLink; return name -> node id."""
    from flwr.supercore.primitives.asymmetric import public_key_to_bytes

    known = {bytes(n.public_key): n for n in control.nodes() if n.status != "unregistered"}
    out: dict[str, int] = {}
    for name, key in list_sites(state_dir).items():
        pem = public_key_to_bytes(key)
        if pem in known:
            out[name] = int(known[pem].node_id)
            continue
        out[name] = control.register(name, pem)
        log.info("site %s registered with the SuperLink (node %d)", name, out[name])
    return out


def running_superlink(state_dir: Path) -> int | None:
    """PID of this state dir's SuperLink if one is running (from <state-dir>/superlink.pid), else None."""
    pidfile = Path(state_dir) / "superlink.pid"
    try:
        pid = int(pidfile.read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return pid if _group_members(pid) else None


def online_nodes(control: Control) -> list[int]:
    return [int(n.node_id) for n in control.nodes() if n.status == "online"]


# ---- SuperLink process ---------------------------------------------------------------------------------


def superlink_command(cfg: SuperLinkConfig) -> list[str]:
    cmd = [_bin("flower-superlink"), "--host", cfg.host, "--port", str(cfg.port),
           "--isolation", "subprocess", "--disable-runtime-dependency-installation"]
    # ":memory:" = flwr's default in-memory state: omit --database. (`--database :memory:` in flwr 1.41 gives
    # every SQLAlchemy connection its own empty SQLite db: push-messages fails on a foreign key.)
    if cfg.database != ":memory:":
        cmd += ["--database", cfg.database or str(cfg.state_path / "superlink.db")]
    if cfg.insecure:
        cmd.append("--insecure")
    else:
        c = cfg.certs_path
        for f in ("ca.crt", "server.pem", "server.key"):
            if not (c / f).is_file():
                raise MedflError(f"{c / f}: TLS file missing; run `medfl-server certs --out {c}` "
                                 "(or pass --insecure for local development)")
        cmd += ["--ssl-ca-certfile", str(c / "ca.crt"), "--ssl-certfile", str(c / "server.pem"),
                "--ssl-keyfile", str(c / "server.key"), "--enable-supernode-auth"]
    return cmd


@dataclass
class SuperLink:
    cfg: SuperLinkConfig
    proc: subprocess.Popen
    log_path: Path
    _log_file: Any = None

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 15.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("SuperLink did not stop within %.0fs; killing it", timeout)
                self.proc.kill()
                self.proc.wait(5)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        kill_leftovers(self.cfg.state_path, timeout=5.0)  # a ServerApp that outlived its SuperLink
        return int(self.proc.returncode)


def start_superlink(cfg: SuperLinkConfig, *, timeout: float = 60.0) -> SuperLink:
    """Start flower-superlink and wait until it accepts connections."""
    cfg.state_path.mkdir(parents=True, exist_ok=True)
    logs = cfg.state_path / "logs"
    logs.mkdir(exist_ok=True)
    log_path = logs / "superlink.log"
    kill_leftovers(cfg.state_path)
    f = open(log_path, "ab")  # noqa: SIM115 - owned by the SuperLink handle
    env = flwr_env({"FLWR_HOME": str(write_flwr_home(cfg))})
    proc = subprocess.Popen(superlink_command(cfg), stdout=f, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True,  # own process group: see kill_leftovers()
                            preexec_fn=_pdeathsig if sys.platform.startswith("linux") else None)
    sl = SuperLink(cfg, proc, log_path, f)
    (cfg.state_path / "superlink.pid").write_text(f"{proc.pid}\n")
    try:
        host, port = cfg.connect_address.rsplit(":", 1)
        wait_for_port(host, int(port), timeout, proc)
    except MedflError:
        sl.stop()
        tail = log_path.read_text(errors="replace").splitlines()[-5:]
        raise MedflError(f"flower-superlink failed to start on port {cfg.port} (see {log_path}): "
                         + " | ".join(t.strip() for t in tail)) from None
    log.info("SuperLink pid %d listening on %s:%d (%s)", proc.pid, cfg.host, cfg.port,
             "INSECURE" if cfg.insecure else "TLS + SuperNode auth")
    return sl


# ---- the medfl Flower App ------------------------------------------------------------------------------


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    return json.dumps(str(v))  # JSON strings are valid TOML basic strings


def write_app_dir(dest: Path, run_config: dict[str, Any], *, serverapp: str = SERVERAPP_REF,
                  clientapp: str = CLIENTAPP_REF, version: str = "1.0.0") -> Path:
    """Write a minimal Flower App (just pyproject.toml) whose components live in the installed package."""
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    cfg_lines = "\n".join(f"{k} = {_toml_value(v)}" for k, v in run_config.items())
    (dest / "pyproject.toml").write_text(
        f"""# Generated by `medfl-server start`: configuration only; the code is the installed medfl package.
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "{APP_NAME}"
version = "{version}"
description = "medfl federated pretraining run"
dependencies = []

[tool.flwr.app]
publisher = "medfl"

[tool.flwr.app.components]
serverapp = "{serverapp}"
clientapp = "{clientapp}"

[tool.flwr.app.config]
{cfg_lines}
""",
        encoding="utf-8",
    )
    return dest


def submit_run(app_dir: Path, cfg: SuperLinkConfig) -> int:
    """`flwr run APP medfl --format json` against our SuperLink; return the run id."""
    env = flwr_env({"FLWR_HOME": str(write_flwr_home(cfg))})
    res = subprocess.run([_bin("flwr"), "run", str(app_dir), CONNECTION, "--format", "json"],
                         capture_output=True, text=True, env=env, timeout=120)
    try:
        out = json.loads(res.stdout[res.stdout.index("{"):])
    except (ValueError, json.JSONDecodeError):
        out = {}
    if res.returncode != 0 or not out.get("success"):
        msg = out.get("error-message") or (res.stderr or res.stdout).strip().splitlines()[-1:]
        raise MedflError(f"flwr run {app_dir} failed: {msg}")
    return int(out["run-id"])


def run_status(run: Any) -> str:
    """'pending' | 'starting' | 'running' | 'finished:completed' | 'finished:failed' | 'finished:stopped'."""
    if run is None:
        return "unknown"
    st = run.status
    return f"{st.status}:{st.sub_status}" if st.sub_status else st.status


def prepare_start(fed: FederationConfig, *, resume: bool) -> tuple[Path, Path | None]:
    """Check the state dir against --resume and put the tokenizer in place; return (state_dir, tokenizer)."""
    state_dir = fed.superlink.state_path
    state_dir.mkdir(parents=True, exist_ok=True)
    rounds = sorted((state_dir / "rounds").glob("round_*")) if (state_dir / "rounds").is_dir() else []
    if rounds and not resume:
        raise MedflError(f"{state_dir}: holds {len(rounds)} finished round(s); pass --resume to continue "
                         "that run, or choose an empty state-dir")
    tok_dest = state_dir / "tokenizer.model"
    if fed.run.tokenizer:
        src = Path(fed.run.tokenizer)
        if not src.is_file():
            raise MedflError(f"[run] tokenizer: {src} not found")
        if src.resolve() != tok_dest.resolve():
            if resume and tok_dest.is_file() and tok_dest.read_bytes() != src.read_bytes():
                raise MedflError(f"[run] tokenizer: {src} differs from the run's {tok_dest}; cannot resume")
            shutil.copyfile(src, tok_dest)
    elif not tok_dest.is_file() and not fed.run.federated_tokenizer:
        raise MedflError(f"{fed.source}: [run] tokenizer is required (the SentencePiece .model of the run) "
                         "unless federated-tokenizer = true")
    # else: no tokenizer yet -> the ServerApp trains it from the sites' word counts before round 1
    return state_dir, tok_dest
