"""`medfl-server`: the coordinator command line. Thin: each command calls into a library module.

Several commands are added to this file by different people: keep one function per command, import
heavy modules (torch, presidio) inside the command so `--help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from medfl.core_model.cli_app import new_app, run_app
from medfl.core_model.errors import MedflError

app = new_app("medfl coordinator tools.")


def _federation_config(console, config: Path | None, state_dir: Path | None, port: int | None, insecure: bool,
                       **run_overrides):
    """federation.toml with the command-line overrides; warns on stderr when the run is insecure."""
    from medfl.server.federation import load_federation_config

    fed = load_federation_config(
        config,
        superlink__state_dir=str(state_dir.resolve()) if state_dir else None,
        superlink__port=port,
        superlink__insecure=True if insecure else None,
        **run_overrides,
    )
    if fed.superlink.insecure:
        console.print("[yellow]WARNING: --insecure: no TLS and no site authentication (development only)")
    return fed


# ---- commands (one function each) -------------------------------------------------------------


@app.command("certs")
def certs_cmd(
    out: Path = typer.Option(..., "--out", help="Directory for ca.crt, ca.key, server.pem, server.key."),
    hostname: list[str] = typer.Option([], "--hostname", help="Extra DNS name/IP of the coordinator."),
    days: int = typer.Option(365, "--days", help="Server certificate validity."),
) -> None:
    """Create the federation CA (reused if present) and a SuperLink TLS certificate. Give sites ca.crt."""
    from medfl.server.certs import certificate_sans, generate_certs

    paths = generate_certs(out, hostnames=hostname, days=days)
    typer.echo(f"CA: {paths.ca_cert} (give this file to every site; keep ca.key private)")
    typer.echo(f"server: {paths.server_cert} SANs: {', '.join(certificate_sans(paths.server_cert))}")


@app.command("add-site")
def add_site_cmd(
    name: str = typer.Argument(..., help="Site name (letters, digits, . _ -)."),
    pubkey: Path = typer.Argument(..., help="The site's site.pub from `medfl-client keys`."),
    config: Path | None = typer.Option(None, "--config", help="federation.toml (for its state-dir)."),
    state_dir: Path | None = typer.Option(None, "--state-dir", help="Override [superlink] state-dir."),
) -> None:
    """Authorize a site: its key is registered with the SuperLink now (if running) and at every start."""
    from medfl.server.federation import load_federation_config
    from medfl.server.superlink import Control, add_site, register_sites, running_superlink

    fed = load_federation_config(config, superlink__state_dir=str(state_dir) if state_dir else None)
    dest = add_site(fed.superlink.state_path, name, pubkey)
    typer.echo(f"site {name}: {dest}")
    if running_superlink(fed.superlink.state_path) and not fed.superlink.insecure:
        control = Control(fed.superlink)
        try:
            node = register_sites(control, fed.superlink.state_path).get(name)
        finally:
            control.close()
        typer.echo(f"site {name}: registered with the running SuperLink (node {node})")


@app.command("start")
def start_cmd(
    config: Path | None = typer.Option(None, "--config", help="federation.toml ([superlink] and [run])."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the last finished round."),
    insecure: bool = typer.Option(False, "--insecure", help="No TLS, no site authentication (dev only)."),
    state_dir: Path | None = typer.Option(None, "--state-dir", help="Override [superlink] state-dir."),
    port: int | None = typer.Option(None, "--port", help="Override [superlink] port."),
    rounds: int | None = typer.Option(None, "--rounds", help="Override [run] num-rounds."),
    local_steps: int | None = typer.Option(None, "--local-steps", help="Override [run] local-steps."),
    strategy: str | None = typer.Option(None, "--strategy", help="Override [run] strategy."),
    wire_dtype: str | None = typer.Option(None, "--wire-dtype", help="Override [run] wire-dtype."),
    min_sites: int | None = typer.Option(None, "--min-sites", help="Override [run] min-sites."),
    tokenizer: Path | None = typer.Option(None, "--tokenizer", help="Override [run] tokenizer."),
    json_out: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
) -> None:
    """Start the SuperLink (TLS + site auth), run the federated training, write the report, shut down."""
    import dataclasses
    import json

    from rich.console import Console

    from medfl.server.coordinator import start_federation

    console = Console(stderr=True)
    fed = _federation_config(
        console, config, state_dir, port, insecure,
        run__num_rounds=rounds,
        run__local_steps=local_steps,
        run__strategy=strategy,
        run__wire_dtype=wire_dtype,
        run__min_sites=min_sites,
        run__tokenizer=str(tokenizer.resolve()) if tokenizer else None,
    )
    out = start_federation(fed, resume=resume, console=None if json_out else console)
    if json_out:
        typer.echo(json.dumps(dataclasses.asdict(out), indent=2))
        return
    typer.echo(f"run {out.run_id}: {out.status}, {out.rounds_done} round(s) in {out.seconds:.1f}s")
    for f in out.report_files:
        typer.echo(f"  report: {f}")


@app.command("tokenizer")
def tokenizer_cmd(
    config: Path | None = typer.Option(None, "--config", help="federation.toml (\\[superlink] and \\[run])."),
    insecure: bool = typer.Option(False, "--insecure", help="No TLS, no site authentication (dev only)."),
    state_dir: Path | None = typer.Option(None, "--state-dir", help="Override \\[superlink] state-dir."),
    port: int | None = typer.Option(None, "--port", help="Override \\[superlink] port."),
    vocab_size: int | None = typer.Option(None, "--vocab-size",
                                          help="Override \\[run] tokenizer-vocab-size."),
    min_doc_freq: int | None = typer.Option(None, "--min-doc-freq", min=1,
                                            help="Override \\[run] tokenizer-min-doc-freq (k)."),
    dp_epsilon: float | None = typer.Option(None, "--dp-epsilon", help="Request DP counts (eps > 0)."),
    min_sites: int | None = typer.Option(None, "--min-sites", help="Override \\[run] min-sites."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace <state-dir>/tokenizer.model."),
    json_out: bool = typer.Option(False, "--json", help="Print the phase report as JSON."),
) -> None:
    """Train the shared tokenizer from the joined sites' word counts (no text leaves a site)."""
    import json

    from rich.console import Console

    from medfl.server.coordinator import start_federation
    from medfl.server.tokenizer_phase import REPORT

    fed = _federation_config(
        Console(stderr=True), config, state_dir, port, insecure,
        run__min_sites=min_sites,
        run__tokenizer="",  # this command makes the tokenizer: never copy one in
        run__tokenizer_vocab_size=vocab_size,
        run__tokenizer_min_doc_freq=min_doc_freq,
        run__tokenizer_dp_epsilon=dp_epsilon,
    )
    dest = fed.superlink.state_path / "tokenizer.model"
    if dest.exists() and not overwrite:
        raise MedflError(f"{dest} exists; pass --overwrite to train a new one")
    out = start_federation(fed, console=None, extra_run_config={"phase": "tokenizer"})
    rep = json.loads((fed.superlink.state_path / REPORT).read_text())
    if json_out:
        typer.echo(json.dumps(rep, indent=2))
        return
    typer.echo(f"run {out.run_id}: {out.status} in {out.seconds:.1f}s: {rep['tokenizer']} "
               f"(vocab {rep['vocab_size']}, sha256 {rep['sha256'][:12]}) from {rep['n_ok']} site(s), "
               f"{rep['merged']['num_words']} merged words")
    for name, s in rep["sites"].items():
        typer.echo(f"  {name}: {s['status']}" + (f", {s['num_words']:.0f} words sent" if "num_words" in s else
                                                 f" ({s.get('reason', '')})"))


@app.command("status")
def status_cmd(
    config: Path | None = typer.Option(None, "--config", help="federation.toml (for its state-dir)."),
    state_dir: Path | None = typer.Option(None, "--state-dir", help="Override [superlink] state-dir."),
    json_out: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Last finished round, its metrics and the registered sites of a federation state dir."""
    import json

    from medfl.server.coordinator import finished_rounds
    from medfl.server.federation import load_federation_config
    from medfl.server.superlink import list_sites

    fed = load_federation_config(config, superlink__state_dir=str(state_dir) if state_dir else None)
    sd = fed.superlink.state_path
    rounds = finished_rounds(sd)
    pid_file = sd / "superlink.pid"
    info = {
        "state-dir": str(sd),
        "last-round": int(rounds[-1]["round"]) if rounds else 0,
        "num-rounds": fed.run.num_rounds,
        "history": rounds[-1].get("history", []) if rounds else [],
        "sites": sorted(list_sites(sd)),
        "superlink-pid": int(pid_file.read_text()) if pid_file.is_file() else None,
    }
    if json_out:
        typer.echo(json.dumps(info, indent=2, default=str))
        return
    typer.echo(f"{sd}: {info['last-round']} round(s) finished; sites: {', '.join(info['sites']) or '-'}")
    for h in info["history"][-5:]:
        nums = {k: v for k, v in h.items() if isinstance(v, int | float)} if isinstance(h, dict) else h
        typer.echo(f"  {nums}")


@app.command("export")
def export_cmd(
    checkpoint: Path = typer.Option(..., "--checkpoint", help="Run dir, checkpoints dir or step_*.pt."),
    fmt: str = typer.Option("hf", "--format", help="Export format (only 'hf': HuggingFace Llama)."),
    out: Path = typer.Option(..., "--out", help="Output folder (must not exist or be empty)."),
    tokenizer: Path | None = typer.Option(None, "--tokenizer", help="SentencePiece .model (default: meta)."),
    dtype: str = typer.Option("float32", "--dtype", help="Saved weight dtype: float32 or bfloat16."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace a non-empty --out folder."),
) -> None:
    """Export a checkpoint as a HuggingFace LlamaForCausalLM folder (config, safetensors, tokenizer)."""
    import hashlib

    import torch

    from medfl.core_model.checkpoint import load_checkpoint, load_latest_checkpoint
    from medfl.core_model.config import ModelConfig
    from medfl.core_model.hf import export_hf, strip_wrapper_prefixes
    from medfl.core_model.model import Transformer

    if fmt != "hf":
        raise MedflError(f"--format {fmt!r} is not supported; use 'hf'")
    if dtype not in ("float32", "bfloat16"):
        raise MedflError(f"--dtype {dtype!r} is not supported; use float32 or bfloat16")
    if checkpoint.is_dir() and ((checkpoint / "rounds").is_dir() or (checkpoint / "state.json").is_file()):
        from medfl.server.state import load_global_model  # a federation state dir or one round folder

        weights, mcfg, tok_path = load_global_model(checkpoint)
        state = {"model": weights}
        meta = {"model_config": mcfg, "tokenizer_path": str(tok_path) if tok_path.is_file() else None,
                "step": f"{tok_path.parent.name} (federated)"}
    elif checkpoint.is_file():
        state, meta = load_checkpoint(checkpoint)
    elif (checkpoint / "checkpoints").is_dir():
        state, meta = load_latest_checkpoint(checkpoint / "checkpoints")
    elif checkpoint.is_dir():
        state, meta = load_latest_checkpoint(checkpoint)
    else:
        raise MedflError(f"checkpoint {checkpoint} does not exist")
    if "model_config" not in meta or "model" not in state:
        raise MedflError(f"checkpoint {checkpoint} has no model_config or model state (not a medfl run)")
    cfg = ModelConfig.from_dict(meta["model_config"])
    model = Transformer(cfg)
    try:
        model.load_state_dict({strip_wrapper_prefixes(k): v for k, v in state["model"].items()})
    except RuntimeError as e:
        raise MedflError(f"checkpoint {checkpoint} does not match its model_config ({cfg.name})") from e

    tok = tokenizer or (Path(meta["tokenizer_path"]) if meta.get("tokenizer_path") else None)
    if tok is not None and tok.is_file() and meta.get("tokenizer_sha256"):
        if hashlib.sha256(tok.read_bytes()).hexdigest() != meta["tokenizer_sha256"]:
            raise MedflError(f"tokenizer {tok} is not the one this checkpoint was trained with (sha256)")
    if tok is None:
        typer.echo("warning: no tokenizer given or recorded; exporting weights and config only", err=True)
    dest = export_hf(model, cfg, tok, out, dtype=getattr(torch, dtype), overwrite=overwrite)
    step = meta.get("step", "?")
    typer.echo(f"exported {cfg.name} step {step} ({model.num_params() / 1e6:.1f}M params) to {dest}")


@app.command("demo")
def demo_cmd(
    work: Path = typer.Option(Path("work/demo"), "--work", help="Work dir (data, keys, state, report)."),
    rounds: int = typer.Option(12, "--rounds", min=1, help="Federated rounds."),
    local_steps: int = typer.Option(25, "--local-steps", min=1, help="Local steps per site per round."),
    strategy: str = typer.Option("nesterov", "--strategy", help="fedavg | fedprox | nesterov."),
    wire_dtype: str = typer.Option("bf16", "--wire-dtype", help="fp32 | bf16 | int8 updates."),
    preset: str = typer.Option("medfl-tiny", "--preset", help="Model preset."),
    source: list[str] = typer.Option(list(("cancergov", "niddk", "pubmedqa")), "--source",
                                     help="Shipped source = one site (repeatable; data/sites/<name>)."),
    resume: bool = typer.Option(False, "--resume", help="Continue the last demo run instead of a clean one."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """The main job on one machine: prepare 3 sites, federated tokenizer + training on real processes."""
    import json

    from rich.console import Console

    from medfl.server.demo import DemoConfig, run_demo

    cfg = DemoConfig(work=work, rounds=rounds, local_steps=local_steps, strategy=strategy,
                     wire_dtype=wire_dtype, preset=preset, sources=tuple(source), resume=resume)
    # a pipe/log file gets a wide console (rich would fall back to 80 columns and squeeze the table)
    console = Console() if sys.stdout.isatty() else Console(width=160)
    summary = run_demo(cfg, console=None if json_out else console)
    if json_out:
        typer.echo(json.dumps(summary, indent=2, default=str))


@app.command("plan")
def plan_cmd(
    preset: str = typer.Option("medfl-7b", "--preset", help="Model preset."),
    gpus_per_site: int = typer.Option(8, "--gpus-per-site", min=1, help="GPUs per site = FSDP shard degree."),
    gpu_mem_gb: float = typer.Option(80.0, "--gpu-mem-gb", help="Memory per GPU (GB)."),
    sites: int = typer.Option(1, "--sites", min=1, help="Sites training in parallel."),
    tokens: float = typer.Option(100e9, "--tokens", help="Token budget of the whole federation."),
    mfu: float = typer.Option(0.4, "--mfu", help="Assumed model FLOPs utilisation."),
    peak_tflops: float = typer.Option(312.0, "--peak-tflops", help="Dense bf16 peak per GPU (A100: 312)."),
    seq_len: int | None = typer.Option(None, "--seq-len", help="Default: the preset's max_seq_len."),
    micro_batch: int = typer.Option(1, "--micro-batch", min=1, help="Sequences per GPU per micro-step."),
    vocab_size: int | None = typer.Option(None, "--vocab-size", help="Override the preset's vocab size."),
    n_kv_heads: int | None = typer.Option(None, "--n-kv-heads", help="Override the preset's KV heads."),
    json_out: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """Per-GPU memory under FSDP, checkpoint size, days to a token budget and bytes per round (computed)."""
    import json

    from rich.console import Console

    from medfl.server.plan import PlanConfig, compute_plan, render

    overrides = {k: v for k, v in (("vocab_size", vocab_size), ("n_kv_heads", n_kv_heads)) if v is not None}
    try:
        pc = PlanConfig(preset=preset, overrides=overrides, gpus_per_site=gpus_per_site,
                        gpu_mem_gb=gpu_mem_gb, sites=sites, tokens=tokens, mfu=mfu,
                        peak_flops=peak_tflops * 1e12, seq_len=seq_len, micro_batch=micro_batch)
        plan = compute_plan(pc)
    except ValueError as e:
        raise MedflError(str(e)) from None
    if json_out:
        typer.echo(json.dumps(plan, indent=2))
        return
    console = Console()
    for r in render(plan):
        console.print(r)


@app.command("report")
def report_cmd(
    sites: list[Path] = typer.Option(..., "--sites", help="Site audit report dirs or report.json files."),
    out: Path = typer.Option(..., "--out", help="Output dir (federation_report.json + .html)."),
) -> None:
    """Merge the sites' privacy-audit summaries (no secrets) into one federation report."""
    from medfl.privacy.audit import merge_site_reports

    fed = merge_site_reports(sites, out)
    for s in fed["sites"]:
        typer.echo(f"  {s['site']}: {s['verdict']}")
    typer.echo(f"{fed['verdict']}: {out / 'federation_report.html'}")


def main() -> None:
    """Console-script entry (see medfl.core_model.cli_app.run_app)."""
    run_app(app, "medfl-server")


__all__ = ["app", "main", "Path"]
