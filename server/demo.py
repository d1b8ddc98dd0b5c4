"""`medfl-server demo` (what `make demo` runs): a whole federation on one machine, with real processes.

    shipped public sources --prepare (de-id)--> 3 site data dirs     (one per source: non-IID sites)
    coordinator certs (CA + TLS) + one key pair per site, registered with add-site
    medfl-server start: flower-superlink (TLS + SuperNode auth) -> federated tokenizer -> N rounds
    3 x medfl-client join: flower-supernode + warm ClientApp worker per site, 1 torch thread each
    -> per-round validation perplexity per site and global, report.json/report.png, HF export, summary table

Design choices:
- The driver calls the same library functions the CLIs call (prepare_site, generate_certs,
  generate_site_keys, add_site, start_federation, medfl.client.supernode.SiteProcesses): the processes
  that talk to each other are the real ones (`flower-superlink`, `flower-supernode`, warm worker,
  `flwr-serverapp`); only the shell plumbing is replaced by Python, so one Ctrl-C stops everything.
- Everything lives under one work dir (default work/demo): `sites/<source>` (prepared, de-identified data,
  reused when its raw input is unchanged), `keys/<site>` and `certs/` (reused), `coordinator/` (the
  federation state dir: rounds, report, tokenizer) and `site-work/<site>` (site-local scratch). A new run
  wipes `coordinator/`, `site-work/` and the export, so re-running starts clean; `--resume` instead
  continues the last run up to `rounds`.
- The run is written to `federation.toml` first, so the exact same federation can be driven by hand
  (`medfl-server start --config work/demo/federation.toml` + `medfl-client join ...` per site).
- Child processes: the SuperLink dies with this process (PR_SET_PDEATHSIG, see server/superlink.py); the
  sites' SuperNodes and workers are stopped in `finally`, and their pids are recorded in `demo.pids` so a
  demo killed with SIGKILL is cleaned up by the next one.
- Default size (measured on the shared 2-core box): medfl-small (25M) takes ~6 s per step on one thread,
  far too slow for three sites in 10 minutes, so the demo trains medfl-tiny with the 8k-vocab federated
  tokenizer (2.8M params).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = ("cancergov", "niddk", "pubmedqa")


@dataclass
class DemoConfig:
    """What the demo runs. Args:
    work: work dir (everything the demo writes).
    sources: shipped sources under data/sites/<source>/raw; one site each.
    max_docs: use only the first N raw documents per source (0 = all; tests).
    rounds, local_steps, strategy, wire_dtype, preset, seq_len, batch_size, lr, warmup_steps: the [run].
    vocab_size: size of the federated tokenizer; min_doc_freq: its k (words in < k docs never leave a site).
    eval_max_seqs: validation windows per site per round (0 = all).
    threads: torch threads per site (3 sites share 2 cores: 1).
    resume: continue the last run instead of starting clean.
    export: write the HuggingFace export of the final global model.
    """

    work: Path = Path("work/demo")
    sources: tuple[str, ...] = DEFAULT_SOURCES
    max_docs: int = 0
    rounds: int = 12
    local_steps: int = 25
    strategy: str = "nesterov"
    wire_dtype: str = "bf16"
    preset: str = "medfl-tiny"
    seq_len: int = 128
    batch_size: int = 8
    lr: float = 3e-3
    warmup_steps: int = 10
    vocab_size: int = 8000
    min_doc_freq: int = 5
    eval_max_seqs: int = 0
    threads: int = 1
    round_timeout_s: float = 300.0
    resume: bool = False
    export: bool = True
    extra_run: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.work = Path(self.work).expanduser().resolve()
        self.sources = tuple(self.sources)
        if len(self.sources) < 2:
            raise MedflError("demo: at least 2 sources are needed for a federation")
        for s in self.sources:
            if not (REPO / "data" / "sites" / s / "raw").is_dir():
                raise MedflError(f"demo: data/sites/{s}/raw not found (shipped sources: "
                                 f"{', '.join(sorted(p.name for p in (REPO / 'data' / 'sites').iterdir()))})")

    @property
    def state_dir(self) -> Path:
        return self.work / "coordinator"


# ---- steps ------------------------------------------------------------------------------------------


def _kill_recorded(pid_file: Path) -> int:
    """SIGTERM site processes a previous demo left running (it was SIGKILLed); only medfl/flwr ones."""
    if not pid_file.is_file():
        return 0
    n = 0
    for pid in json.loads(pid_file.read_text() or "[]"):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"medfl.client" in cmd or b"flower" in cmd:
            try:
                os.kill(pid, signal.SIGTERM)
                n += 1
            except ProcessLookupError:
                pass
    pid_file.unlink(missing_ok=True)
    return n


def prepare_sites(cfg: DemoConfig) -> dict[str, Path]:
    """De-identify + split each source into work/sites/<source> (parallel `medfl-client prepare` runs).

    A site dir is reused when its stamp says it was prepared from the same input (prepare is deterministic).
    """
    out: dict[str, Path] = {}
    procs: list[tuple[str, Path, Path, subprocess.Popen]] = []
    (cfg.work / "logs").mkdir(parents=True, exist_ok=True)
    for src in cfg.sources:
        raw = REPO / "data" / "sites" / src / "raw"
        dest = cfg.work / "sites" / src
        stamp = cfg.work / "sites" / f"{src}.stamp.json"
        want = {"raw": str(raw), "max_docs": cfg.max_docs}
        out[src] = dest
        reuse = (dest / "deid_manifest.json").is_file() and stamp.is_file()
        if reuse and json.loads(stamp.read_text()) == want:
            log.info("site %s: prepared data reused (%s)", src, dest)
            continue
        if cfg.max_docs:  # tests: a small raw input with the same format
            small = cfg.work / "raw" / src / "docs.jsonl"
            small.parent.mkdir(parents=True, exist_ok=True)
            lines = (raw / "docs.jsonl").read_text(encoding="utf-8").splitlines()[: cfg.max_docs]
            small.write_text("\n".join(lines) + "\n", encoding="utf-8")
            raw = small.parent
        stamp.unlink(missing_ok=True)
        logf = cfg.work / "logs" / f"prepare-{src}.log"
        cmd = [_bin("medfl-client"), "prepare", str(raw), str(dest)]
        p = subprocess.Popen(cmd, stdout=open(logf, "wb"), stderr=subprocess.STDOUT)  # noqa: SIM115
        procs.append((src, stamp, logf, p))
    try:
        for src, stamp, logf, p in procs:
            if p.wait() != 0:
                raise MedflError(f"demo: prepare of {src} failed (exit {p.returncode}); see {logf}")
            stamp.write_text(json.dumps({"raw": str(REPO / "data" / "sites" / src / "raw"),
                                         "max_docs": cfg.max_docs}))
    finally:
        for _, _, _, p in procs:
            if p.poll() is None:
                p.terminate()
                p.wait(10)
    return out


def _bin(name: str) -> str:
    cand = Path(sys.executable).parent / name
    return str(cand) if cand.exists() else name


def setup_security(cfg: DemoConfig, sites: dict[str, Path]) -> tuple[Any, dict[str, tuple[Path, Path]]]:
    """CA + SuperLink certificate (medfl-server certs), a key pair per site (medfl-client keys), add-site."""
    from medfl.client.keys import PRIVATE_KEY, PUBLIC_KEY, generate_site_keys
    from medfl.server.certs import generate_certs
    from medfl.server.superlink import add_site

    certs = generate_certs(cfg.work / "certs")
    keys = {}
    for name in sites:
        kdir = cfg.work / "keys" / name
        if (kdir / PRIVATE_KEY).is_file() and (kdir / PUBLIC_KEY).is_file():
            keys[name] = (kdir / PRIVATE_KEY, kdir / PUBLIC_KEY)
        else:
            keys[name] = generate_site_keys(kdir, overwrite=True)
        add_site(cfg.state_dir, name, keys[name][1])
    return certs, keys


def write_federation_toml(cfg: DemoConfig, port: int, certs_dir: Path) -> Path:
    """The demo's federation as a config file `medfl-server start --config` reads."""
    run = {
        "num-rounds": cfg.rounds, "local-steps": cfg.local_steps, "strategy": cfg.strategy,
        "wire-dtype": cfg.wire_dtype, "preset": cfg.preset, "seq-len": cfg.seq_len,
        "batch-size": cfg.batch_size, "lr": cfg.lr, "warmup-steps": cfg.warmup_steps,
        "min-sites": len(cfg.sources), "round-timeout-s": cfg.round_timeout_s,
        "eval-max-seqs": cfg.eval_max_seqs, "federated-tokenizer": True,
        "tokenizer-vocab-size": cfg.vocab_size, "tokenizer-min-doc-freq": cfg.min_doc_freq,
    }
    lines = ["# written by `medfl-server demo`", "[superlink]", 'host = "127.0.0.1"', f"port = {port}",
             f'state-dir = "{cfg.state_dir}"', f'certs-dir = "{certs_dir}"', "wait-for-sites-s = 180.0",
             # the demo restarts SuperLink and sites together: an in-memory SuperLink is ~2x faster per
             # round, and a --resume does not see the previous run's (stopped) SuperNodes as live nodes
             'database = ":memory:"', "site-grace-s = 60.0", "", "[run]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in run.items()]
    path = cfg.work / "federation.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


class _Sites:
    """The sites' `medfl-client join` processes (SuperNode + warm worker each), started once the SuperLink
    listens and kept alive (SiteProcesses.poll retries a key refused before add-site reached it)."""

    def __init__(self, cfg: DemoConfig, sites: dict[str, Path], keys: dict[str, tuple[Path, Path]],
                 ca: Path, port: int):
        from medfl.client.supernode import JoinConfig, SiteProcesses

        env = {"OMP_NUM_THREADS": str(cfg.threads or 1), "MKL_NUM_THREADS": str(cfg.threads or 1)}
        self.procs = [
            SiteProcesses(
                JoinConfig(superlink=f"127.0.0.1:{port}", data=path, ca=ca, key=keys[name][0], site_id=name,
                           work_dir=cfg.work / "site-work" / name, device="cpu", threads=cfg.threads,
                           register_wait_s=120.0, max_wait_s=120.0,
                           extra_node_config={"tokenizer-min-doc-freq": str(cfg.min_doc_freq)}),
                log_dir=cfg.work / "logs" / name, env=env)
            for name, path in sites.items()
        ]
        self.port = port
        self.pid_file = cfg.work / "demo.pids"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="demo-sites")
        self.error: BaseException | None = None

    def start(self) -> None:
        self._thread.start()

    def _record_pids(self) -> None:
        pids = [p.pid for s in self.procs for p in (s.supernode, s.worker) if p is not None]
        self.pid_file.write_text(json.dumps(pids))

    def _run(self) -> None:
        from medfl.client.supernode import wait_for_port

        try:
            deadline = time.monotonic() + 120
            while not self._stop.is_set():  # the coordinator starts the SuperLink first
                try:
                    wait_for_port("127.0.0.1", self.port, 1.0)
                    break
                except MedflError:
                    if time.monotonic() > deadline:
                        raise
            for s in self.procs:
                if not self._stop.is_set():
                    s.start()
            self._record_pids()
            while not self._stop.wait(0.5):
                for s in self.procs:
                    code = s.poll()
                    if code is not None and not self._stop.is_set():
                        log.warning("site %s: SuperNode exited with %s; see %s", s.cfg.site_id, code,
                                    s.log_dir)
                self._record_pids()
        except BaseException as e:  # noqa: BLE001 - reported by the main thread
            self.error = e

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
        for s in self.procs:
            s.stop()
        self.pid_file.unlink(missing_ok=True)


def export_final(state_dir: Path, out: Path) -> Path:
    """HF (LlamaForCausalLM) export of the newest global model in the state dir."""
    from medfl.core_model.config import ModelConfig
    from medfl.core_model.hf import export_hf
    from medfl.core_model.model import Transformer
    from medfl.server.state import load_global_model

    weights, mcfg, tok = load_global_model(state_dir)
    cfg = ModelConfig.from_dict(mcfg)
    model = Transformer(cfg)
    model.load_state_dict(weights)
    return export_hf(model, cfg, tok, out, overwrite=True)


# ---- summary ----------------------------------------------------------------------------------------


def summary_rows(report: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """One row per global model version: its validation ppl per site and global, plus the round that made
    it (train loss, MB down/up, wall and overhead seconds). Version 0 is the untrained initial model."""
    ev = report.get("eval", [])
    sites = sorted({s for e in ev for s in e["sites"]})
    by_round = {e["round"]: e for e in report.get("rounds", [])}
    rows = []
    for e in ev:
        v = int(e["model_version"])
        r = by_round.get(v, {})
        rows.append({
            "version": v,
            "train_loss": r.get("train_loss"),
            "global_ppl": e["global"].get("val_ppl"),
            "sites_ppl": {s: e["sites"].get(s, {}).get("val_ppl") for s in sites},
            "mb_down": r.get("bytes_down", 0.0) / 1e6 if r else None,
            "mb_up": r.get("bytes_up", 0.0) / 1e6 if r else None,
            "wall_s": r.get("wall_s"),
            "overhead_s": r.get("overhead_s"),
        })
    return sites, rows


def render_summary(report: dict[str, Any], phases: dict[str, float], console: Any) -> None:
    from rich.table import Table

    sites, rows = summary_rows(report)
    rc = report.get("run_config", {})
    mc = report.get("model_config", {})
    t = Table(title=f"medfl demo: {report.get('strategy', {}).get('strategy', '?')}, {mc.get('name', '?')} "
                    f"(vocab {mc.get('vocab_size', '?')}), {rc.get('wire-dtype', '?')} updates, "
                    f"{rc.get('local-steps', '?')} local steps/round; validation perplexity of the global "
                    "model after each round, per site and global (token-weighted)")
    t.add_column("round", justify="right")
    t.add_column("train loss", justify="right")
    t.add_column("ppl global", justify="right", style="bold")
    for s in sites:
        t.add_column(f"ppl {s}", justify="right")
    for c in ("MB down", "MB up", "round s", "overhead s"):
        t.add_column(c, justify="right")

    def f(x: Any, fmt: str) -> str:
        return "-" if x is None else format(x, fmt)

    for r in rows:
        t.add_row(str(r["version"]) if r["version"] else "0 (init)", f(r["train_loss"], ".3f"),
                  f(r["global_ppl"], ".1f"), *(f(r["sites_ppl"][s], ".1f") for s in sites),
                  f(r["mb_down"], ".1f"), f(r["mb_up"], ".1f"), f(r["wall_s"], ".1f"),
                  f(r["overhead_s"], ".1f"))
    console.print(t)
    tot = report.get("totals", {})
    console.print(f"tokens trained {tot.get('tokens', 0):,.0f} | communicated "
                  f"{tot.get('bytes_down', 0) / 1e6:.1f} MB down + {tot.get('bytes_up', 0) / 1e6:.1f} MB "
                  f"up | mean round overhead {tot.get('mean_overhead_s', 0):.1f} s")
    console.print("wall time: " + ", ".join(f"{k} {v:.0f} s" for k, v in phases.items()))


# ---- driver -----------------------------------------------------------------------------------------


def run_demo(cfg: DemoConfig, *, console: Any = None) -> dict[str, Any]:
    """Run the whole demo; return the summary (also written to <work>/demo_summary.json)."""
    from medfl.client.supernode import free_port
    from medfl.server.coordinator import start_federation
    from medfl.server.federation import load_federation_config
    from medfl.server.state import list_rounds

    def say(msg: str) -> None:
        if console is not None:
            console.print(f"[bold cyan]demo[/]: {msg}")
        else:
            log.info("%s", msg)

    t_all = time.monotonic()
    phases: dict[str, float] = {}
    cfg.work.mkdir(parents=True, exist_ok=True)
    if n := _kill_recorded(cfg.work / "demo.pids"):
        say(f"stopped {n} site process(es) left by an interrupted demo")
    resume = cfg.resume and bool(list_rounds(cfg.state_dir))
    (cfg.work / "demo_summary.json").unlink(missing_ok=True)  # never leave a previous run's summary
    if not resume:  # a fresh run: clean coordinator state and site scratch; data, keys and CA are reused
        for d in (cfg.state_dir, cfg.work / "site-work", cfg.work / "export"):
            shutil.rmtree(d, ignore_errors=True)

    t = time.monotonic()
    say(f"prepare (de-identify, filter, split) {len(cfg.sources)} sites: {', '.join(cfg.sources)}")
    sites = prepare_sites(cfg)
    phases["prepare"] = time.monotonic() - t

    t = time.monotonic()
    certs, keys = setup_security(cfg, sites)
    port = free_port()
    toml = write_federation_toml(cfg, port, certs.ca_cert.parent)
    phases["certs+keys"] = time.monotonic() - t
    say(f"federation: {toml} (TLS + site auth, SuperLink 127.0.0.1:{port}); "
        f"{cfg.rounds} rounds x {cfg.local_steps} local steps, {cfg.preset}, {cfg.strategy}, "
        f"{cfg.wire_dtype}")

    t = time.monotonic()
    fed = load_federation_config(toml)
    siteprocs = _Sites(cfg, sites, keys, certs.ca_cert, port)
    old_term = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        siteprocs.start()
        outcome = start_federation(fed, resume=resume, console=console,
                                   extra_run_config=cfg.extra_run or None)
    finally:
        siteprocs.stop()
        signal.signal(signal.SIGTERM, old_term)
    if siteprocs.error is not None:
        log.warning("site launcher: %s", siteprocs.error)
    phases["federation"] = time.monotonic() - t

    export_dir = None
    if cfg.export:
        t = time.monotonic()
        export_dir = export_final(cfg.state_dir, cfg.work / "export" / "hf")
        phases["export"] = time.monotonic() - t
    phases["total"] = time.monotonic() - t_all

    report = json.loads((cfg.state_dir / "report.json").read_text())
    tok_report = cfg.state_dir / "tokenizer_report.json"
    _, rows = summary_rows(report)
    summary = {
        "config": {**asdict(cfg), "work": str(cfg.work)},
        "phases_s": phases,
        "run_id": outcome.run_id,
        "status": outcome.status,
        "rounds": rows,
        "final_eval": report.get("final_eval", {}),
        "totals": report.get("totals", {}),
        "files": {"report_json": str(cfg.state_dir / "report.json"),
                  "report_png": str(cfg.state_dir / "report.png"), "federation_toml": str(toml),
                  "hf_export": str(export_dir) if export_dir else None,
                  "tokenizer_report": str(tok_report) if tok_report.is_file() else None},
    }
    (cfg.work / "demo_summary.json").write_text(json.dumps(summary, indent=1, default=str) + "\n")
    if console is not None:
        render_summary(report, phases, console)
        for k, v in summary["files"].items():
            if v:
                console.print(f"  {k}: {v}")
    return summary


def _raise_interrupt(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")
