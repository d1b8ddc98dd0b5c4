"""`medfl-server start`: SuperLink up -> sites registered -> run submitted -> followed -> SuperLink down.

Design choices:
- Progress comes from two cheap sources: the run status (in-process Control API client, every ~2 s) and the
  round folders fed-core's ServerApp commits atomically under <state-dir>/rounds/ (their state.json holds
  the round number and per-round history). No log scraping.
- The ServerApp's own logs are streamed by `flwr log --stream` into <state-dir>/logs/run-<id>.log.
- Whatever happens (run finished, failed, Ctrl-C, error), the run is stopped and the SuperLink shut down.
"""

from __future__ import annotations

import json
import logging
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medfl.core_model.errors import MedflError
from medfl.server.federation import FederationConfig

log = logging.getLogger(__name__)


@dataclass
class RunOutcome:
    run_id: int
    status: str
    rounds_done: int
    seconds: float
    round_times: list[float] = field(default_factory=list)
    report_files: list[str] = field(default_factory=list)


def finished_rounds(state_dir: Path) -> list[dict[str, Any]]:
    """state.json of every committed round folder, oldest first (unreadable ones skipped)."""
    out = []
    rd = Path(state_dir) / "rounds"
    if not rd.is_dir():
        return out
    for folder in sorted(rd.glob("round_[0-9]*")):
        try:
            st = json.loads((folder / "state.json").read_text())
        except (OSError, ValueError):
            continue
        st.setdefault("round", int(folder.name.split("_")[1]))
        out.append(st)
    return out


def last_round(state_dir: Path) -> int:
    rounds = finished_rounds(state_dir)
    return int(rounds[-1]["round"]) if rounds else 0


def _metrics_line(st: dict[str, Any]) -> str:
    """One progress line from a round's state.json (keys of server/rounds.py history entries)."""
    hist = st.get("history") or []
    h = hist[-1] if hist else {}
    parts = []
    if "n_ok" in h:
        parts.append(f"sites {h['n_ok']}/{len(h.get('sites', {}))}")
    if "train_loss" in h:
        parts.append(f"train loss {h['train_loss']:.3f}")
    ev = h.get("eval") or {}
    if "val_ppl" in ev:
        parts.append(f"val ppl {ev['val_ppl']:.1f}")
    if "wall_s" in h:
        parts.append(f"{h['wall_s']:.1f}s (overhead {h.get('overhead_s', 0.0):.1f}s)")
    return ", ".join(parts)


def wait_for_sites(control: Any, need: int, timeout: float, console: Any = None, *, want: int = 0,
                   grace: float = 0.0) -> list[int]:
    """Wait until `need` sites are online (error after `timeout`), then up to `grace` s more for `want`."""
    from medfl.server.superlink import online_nodes

    deadline = time.monotonic() + timeout
    want = max(want, need)
    enough_at: float | None = None
    online: list[int] = []
    status = console.status(f"waiting for {need} site(s) to come online") if console else None
    if status:
        status.start()
    try:
        while time.monotonic() < deadline:
            online = online_nodes(control)
            if status:
                status.update(f"waiting for sites: {len(online)} online (need {need}, registered {want})")
            if len(online) >= want:
                return online
            if len(online) >= need:
                enough_at = enough_at or time.monotonic()
                if time.monotonic() - enough_at >= grace:
                    return online
            time.sleep(0.5)
    finally:
        if status:
            status.stop()
    raise MedflError(f"only {len(online)} of the {need} required site(s) came online within {timeout:.0f}s "
                     "(check `medfl-client join` on the sites and `medfl-server add-site`)")


def start_federation(fed: FederationConfig, *, resume: bool = False, console: Any = None,
                     serverapp: str | None = None, clientapp: str | None = None,
                     extra_run_config: dict[str, Any] | None = None) -> RunOutcome:
    """Run one federated training run end to end on a real SuperLink. Args:
    fed: federation config (TOML + CLI overrides).
    resume: continue from the last finished round in the state dir (else the state dir must have none).
    console: rich Console for progress (None: log lines only).
    serverapp/clientapp: component references (tests use small apps; default: medfl's).
    extra_run_config: additional run-config entries (tests, benches).
    """
    from medfl.server import superlink as sl

    cfg = fed.superlink
    state_dir, tokenizer = sl.prepare_start(fed, resume=resume)
    app_dir = sl.write_app_dir(
        state_dir / "app",
        {**fed.run_config(state_dir=state_dir, tokenizer_path=tokenizer, resume=resume),
         **(extra_run_config or {})},
        serverapp=serverapp or sl.SERVERAPP_REF,
        clientapp=clientapp or sl.CLIENTAPP_REF,
    )
    start_round = last_round(state_dir)
    link = sl.start_superlink(cfg)
    control = logs = None
    run_id = 0
    t0 = time.monotonic()
    try:
        control = sl.Control(cfg)
        registered: dict[str, int] = {}
        if not cfg.insecure:
            registered = sl.register_sites(control, state_dir)
            if not registered:
                raise MedflError(f"{state_dir / 'sites'}: no sites registered; run "
                                 "`medfl-server add-site NAME site.pub` for each site first")
        wait_for_sites(control, fed.run.min_sites, cfg.wait_for_sites_s, console, want=len(registered),
                       grace=cfg.site_grace_s)
        run_id = sl.submit_run(app_dir, cfg)
        log.info("run %d submitted (rounds %d..%d)", run_id, start_round + 1, fed.run.num_rounds)
        logs = subprocess.Popen(
            [sl._bin("flwr"), "log", str(run_id), sl.CONNECTION, "--stream"],
            stdout=open(state_dir / "logs" / f"run-{run_id}.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            env=sl.flwr_env({"FLWR_HOME": str(cfg.state_path / "flwr-home")}),
            preexec_fn=sl._pdeathsig,  # dies with us
        )
        outcome = _follow(control, link, run_id, fed, start_round, console)
    except KeyboardInterrupt:
        if control is not None and run_id:
            try:
                control.stop_run(run_id)
            except Exception:  # noqa: BLE001 - best effort on the way out
                pass
        raise
    finally:
        if logs is not None:
            logs.terminate()
            try:
                logs.wait(5)
            except subprocess.TimeoutExpired:
                logs.kill()
        if control is not None:
            control.close()
        link.stop()
    outcome.seconds = time.monotonic() - t0
    outcome.report_files = sorted(
        str(p) for p in state_dir.iterdir() if p.suffix in (".json", ".png") and p.is_file()
    )
    if outcome.status != "finished:completed":
        raise MedflError(f"run {run_id} ended as {outcome.status} after round {outcome.rounds_done}; "
                         f"see {state_dir / 'logs' / f'run-{run_id}.log'}")
    return outcome


def _follow(control: Any, link: Any, run_id: int, fed: FederationConfig, start_round: int,
            console: Any) -> RunOutcome:
    from medfl.server import superlink as sl

    state_dir = fed.superlink.state_path
    total = fed.run.num_rounds
    status, last_check, seen = "pending", 0.0, start_round
    last_ok = time.monotonic()
    round_times: list[float] = []
    t_round = time.monotonic()
    progress = task = None
    if console is not None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        progress = Progress(TextColumn("[bold]round"), MofNCompleteColumn(), BarColumn(), TimeElapsedColumn(),
                            TextColumn("{task.description}"), console=console, transient=False)
        task = progress.add_task(status, total=total, completed=start_round)
        progress.start()
    try:
        while True:
            if not link.alive():
                raise MedflError(f"flower-superlink exited unexpectedly (code {link.proc.returncode}); "
                                 f"see {link.log_path}")
            now = time.monotonic()
            if now - last_check > 2.0:
                try:
                    status = sl.run_status(control.run(run_id))
                    last_ok = now
                except Exception as e:  # noqa: BLE001 - a transient Control API error must not end the run
                    if now - last_ok > 60:
                        raise MedflError(f"run {run_id}: SuperLink Control API failing for 60 s ({e})") from e
                    log.debug("run status poll failed: %s", e)
                last_check = now
            rounds = finished_rounds(state_dir)
            if rounds and int(rounds[-1]["round"]) > seen:
                seen = int(rounds[-1]["round"])
                round_times.append(now - t_round)
                t_round = now
                line = _metrics_line(rounds[-1])
                log.info("round %d/%d finished in %.1fs %s", seen, total, round_times[-1], line)
                if progress is not None:
                    progress.update(task, completed=seen, description=line)
            elif progress is not None:
                progress.update(task, description=status if seen == start_round else None)
            if status.startswith("finished"):
                rounds = finished_rounds(state_dir)
                seen = int(rounds[-1]["round"]) if rounds else seen
                if progress is not None:
                    progress.update(task, completed=seen, description=status)
                return RunOutcome(run_id, status, seen, 0.0, round_times)
            time.sleep(0.3)
    finally:
        if progress is not None:
            progress.stop()
