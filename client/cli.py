"""`medfl-client`: the hospital-site command line. Thin: each command calls into a library module.

Several commands are added to this file by different people: keep one function per command, import
heavy modules (torch, presidio) inside the command so `--help` stays fast.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer

from medfl.core_model.cli_app import new_app, run_app
from medfl.core_model.errors import MedflError

app = new_app("medfl hospital-site tools.")


# ---- commands (one function each) -------------------------------------------------------------


@app.command("train")
def train(
    data: list[Path] = typer.Option(..., "--data", help="Prepared site dir (repeat: centralized baseline)."),
    tokenizer: Path = typer.Option(..., "--tokenizer", help="SentencePiece .model file."),
    preset: str = typer.Option("medfl-small", "--preset", help="medfl-tiny, medfl-small, medfl-125m, ..."),
    out: Path = typer.Option(..., "--out", help="Run dir (checkpoints, metrics, loss.png)."),
    max_steps: int = typer.Option(200, "--max-steps", min=1),
    batch_size: int = typer.Option(8, "--batch-size", min=1),
    seq_len: int = typer.Option(256, "--seq-len", min=8),
    lr: float = typer.Option(1e-3, "--lr", help="Peak learning rate."),
    warmup_steps: int | None = typer.Option(None, "--warmup-steps", help="Default: 10% of steps, <= 100."),
    grad_accum: int = typer.Option(1, "--grad-accum", min=1),
    time_budget_min: float | None = typer.Option(None, "--time-budget-min", help="Stop + checkpoint."),
    resume: bool = typer.Option(True, "--resume/--no-resume", help="Continue from RUN_DIR/checkpoints."),
    eval_every: int = typer.Option(0, "--eval-every", min=0, help="0: validate only at the end."),
    ckpt_every: int = typer.Option(50, "--ckpt-every", min=0),
    log_every: int = typer.Option(10, "--log-every", min=1),
    device: str = typer.Option("auto", "--device"),
    precision: str = typer.Option("auto", "--precision", help="auto | fp32 | bf16"),
    activation_checkpointing: bool = typer.Option(False, "--activation-checkpointing"),
    seed: int = typer.Option(0, "--seed"),
    threads: int | None = typer.Option(None, "--threads", min=1, help="CPU threads (default: torch's)."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
    dp_epsilon: float | None = typer.Option(
        None, "--dp-epsilon", help="DP-SGD with this ε budget for the site's ledger (one --data only)."),
    dp_delta: float | None = typer.Option(None, "--dp-delta", help="δ (default min(1e-5, 1/units))."),
    dp_max_grad_norm: float = typer.Option(1.0, "--dp-max-grad-norm", help="Per-unit clip norm C."),
    dp_accountant: str = typer.Option("prv", "--dp-accountant", help="prv | rdp"),
    dp_mode: str = typer.Option("ghost", "--dp-mode", help="ghost | hooks"),
    dp_unit: str = typer.Option("record", "--dp-unit", help="record | patient (needs patient_id)."),
    dp_max_physical_batch: int = typer.Option(
        0, "--dp-max-physical-batch", min=0, help="DP memory cap: micro-batches of at most this many units "
        "(same ε; 0 = batch-size when --grad-accum > 1, else the whole Poisson batch)."),
    dp_ledger: Path | None = typer.Option(
        None, "--dp-ledger", help="Site privacy ledger (default RUN_DIR/dp/accountant.json); share it with "
        "`join` (WORK_DIR/dp/SITE/accountant.json) so local and federated training add up."),
) -> None:
    """Pretrain on prepared (de-identified) site data: one site, or several as a centralized baseline."""
    import json

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    from medfl.client.packing import TokenLoader, train_shards, val_sets
    from medfl.client.prepare import require_prepared
    from medfl.client.train import TrainConfig, Trainer
    from medfl.core_model.config import ModelConfig
    from medfl.core_model.tokenizer import Tokenizer

    try:
        ModelConfig.from_name(preset)
    except ValueError as e:
        raise MedflError(str(e)) from None
    for d in data:
        require_prepared(d)  # fail closed: only de-identified data is trained on
    tok = Tokenizer.load(tokenizer)
    model_cfg = ModelConfig.from_name(preset, vocab_size=tok.vocab_size)
    if threads is not None:  # on an oversubscribed CPU one thread was 2-5x faster than two (measured)
        import torch

        torch.set_num_threads(threads)
    if seq_len > model_cfg.max_seq_len:
        raise MedflError(f"--seq-len {seq_len} exceeds {preset}'s max_seq_len {model_cfg.max_seq_len}")
    try:
        train_cfg = TrainConfig(
            lr=lr, warmup_steps=warmup_steps if warmup_steps is not None else min(100, max_steps // 10),
            max_steps=max_steps, batch_size=batch_size, grad_accum=grad_accum, seq_len=seq_len,
            precision=precision, activation_checkpointing=activation_checkpointing, log_every=log_every,
            eval_every=eval_every, ckpt_every=ckpt_every, seed=seed, device=device,
            time_budget_s=time_budget_min * 60 if time_budget_min is not None else None,
        )
    except ValueError as e:
        raise MedflError(str(e)) from None

    shards = train_shards(data, tok, seq_len)
    loader = TokenLoader(shards, seq_len, batch_size, seed=seed)
    dp_factory = None
    if dp_epsilon is not None:
        from medfl.client.prepare import TRAIN
        from medfl.privacy.dp.config import DPConfig
        from medfl.privacy.dp.sampling import PatientUnits, RecordUnits
        from medfl.privacy.dp.standalone import TrainerDP

        if len(data) != 1:
            raise MedflError("--dp-epsilon trains on one site's data: give exactly one --data")
        dp = DPConfig(target_epsilon=dp_epsilon, delta=dp_delta, max_grad_norm=dp_max_grad_norm,
                      accountant=dp_accountant, grad_sample_mode=dp_mode, unit=dp_unit,
                      max_physical_batch=dp_max_physical_batch)
        units = (RecordUnits(shards[0], seq_len) if dp.unit == "record"
                 else PatientUnits(data[0] / TRAIN, tok, seq_len))
        ledger = dp_ledger or out / "dp" / "accountant.json"
        dp_factory = lambda model, opt, done: TrainerDP(dp, ledger, model, opt, units, train_cfg, done)  # noqa: E731
    vals = val_sets(data, tok, seq_len)
    out.mkdir(parents=True, exist_ok=True)
    if not (out / "tokenizer.model").is_file():
        tok.save(out / "tokenizer.model")  # the run dir is self-contained (export reads it)
    meta = {"tokenizer_sha256": tok.sha256, "tokenizer_path": str((out / "tokenizer.model").resolve()),
            "data": [str(d) for d in data]}

    console = Console(stderr=True)
    columns = [TextColumn("[bold]train"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[info]}"), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=json_out) as progress:
        # While the bar is live rich swaps sys.stderr for a proxy that prints above it: route log lines there.
        handlers = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
        old_streams = [h.setStream(sys.stderr) for h in handlers]
        task = progress.add_task("train", total=max_steps, info="")

        def on_step(step: int, rec: dict) -> None:
            info = f"loss {rec['loss']:.3f}" if isinstance(rec.get("loss"), float) else ""
            if "tokens_per_s" in rec:
                info += f"  {rec['tokens_per_s']:.0f} tok/s  mfu {100 * rec['mfu']:.1f}%"
            progress.update(task, completed=step, **({"info": info} if "tokens_per_s" in rec else {}))

        trainer = Trainer(model_cfg, train_cfg, loader, vals, out, resume=resume, meta=meta, on_step=on_step,
                          dp=dp_factory)
        progress.update(task, completed=trainer.step)
        try:
            summary = trainer.fit()
        finally:
            for h, stream in zip(handlers, old_streams, strict=True):
                h.setStream(stream)

    if json_out:
        print(json.dumps(summary, indent=2))
        return
    table = Table(title=f"validation after {summary['steps']} steps ({summary['tokens']:,} tokens)")
    for col in ("source", "loss", "perplexity", "tokens"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for src, r in summary["val"].items():
        table.add_row(src, f"{r['loss']:.4f}", f"{r['ppl']:.2f}", f"{r['tokens']:,}")
    out_console = Console()
    out_console.print(table)
    if summary.get("dp"):
        d = summary["dp"]
        out_console.print(f"DP-SGD: ε={d['epsilon']:.3f} of {d['target_epsilon']:g} spent "
                          f"(δ={d['delta']:.1e}, {d['unit']} unit, {d['steps']} steps, "
                          f"σ={d['noise_multiplier']:.3f}); ledger {d['ledger']}")
    out_console.print(f"{summary['tokens_per_s']:.0f} tok/s, MFU {100 * summary['mfu']:.1f}% "
                      f"(peak {summary['peak_flops'] / 1e9:.0f} GFLOP/s, {summary['peak_flops_source']}); "
                      f"run dir {out}")


@app.command("prepare")
def prepare_cmd(
    raw: Path = typer.Argument(..., help="Raw site input: a .jsonl file or a dir of .txt/.jsonl files."),
    out: Path = typer.Argument(..., help="Output dir (replaced only when prepare succeeds)."),
    mode: str = typer.Option("tags", "--mode", help="De-identification: tags ([NAME]) or surrogates."),
    seed: int = typer.Option(0, "--seed", help="Seed of the train/val split."),
    val_fraction: float = typer.Option(0.05, "--val-fraction", help="Held-out share of each source."),
    workers: int = typer.Option(1, "--workers", help="De-identification worker processes."),
    json_out: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
) -> None:
    """De-identify, filter, dedup and split one site's documents into OUT (train/val + deid manifest)."""
    import json

    from medfl.client.prepare import prepare_site
    from medfl.privacy.deid import DeidConfig

    if mode not in ("tags", "surrogates"):
        raise MedflError(f"--mode must be tags or surrogates, got {mode!r}")
    deid = DeidConfig(mode=mode, workers=workers)
    r = prepare_site(raw, out, deid=deid, seed=seed, val_fraction=val_fraction)
    if json_out:
        typer.echo(json.dumps(r, indent=2))
        return
    rd, f = r["read"], r["filters"]
    typer.echo(
        f"{raw} -> {out}: read {rd['docs']} docs from {rd['files_read']} file(s) "
        f"(skipped {rd['n_skipped_files']} file(s), {rd['n_bad_lines']} bad line(s)); "
        f"quarantined {r['deid']['n_quarantined']}; dropped "
        + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in f["dropped"].items())
        + f"; train {r['split']['train_docs']} / val {r['split']['val_docs']} docs "
        f"in {r['timing']['seconds']:.1f}s ({r['timing']['docs_per_s']:.0f} docs/s)"
    )
    for reason, files in rd["skipped_files"].items():
        for name in files:
            typer.echo(f"  skipped {reason.replace('_', '-')} file: {name}")


@app.command("tokenizer")
def tokenizer_cmd(
    data: list[Path] = typer.Option(..., "--data", help="Prepared site dir (repeatable): docs_train."),
    vocab_size: int = typer.Option(..., "--vocab-size", help="Total vocabulary size (= the model's)."),
    out: Path = typer.Option(..., "--out", help="Output SentencePiece .model file."),
) -> None:
    """Train the medical SentencePiece BPE tokenizer on prepared (de-identified) site text."""
    from medfl.client.corpus import read_documents
    from medfl.client.prepare import TRAIN, require_prepared
    from medfl.core_model.tokenizer import Tokenizer, train_tokenizer

    for d in data:
        require_prepared(d)  # fail closed: only de-identified text trains the tokenizer
    texts = (doc["text"] for d in data for doc in read_documents(d / TRAIN))
    path = train_tokenizer(out_path=out, vocab_size=vocab_size, texts=texts)
    tok = Tokenizer.load(path)
    typer.echo(f"wrote {path}: vocab {tok.vocab_size}, sha256 {tok.sha256}")


@app.command("fertility")
def fertility_cmd(
    tokenizer: Path = typer.Option(..., "--tokenizer", help="Our tokenizer .model file."),
    data: list[Path] = typer.Option(..., "--data", help="Prepared site dir (repeatable): docs_val."),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the report as JSON here."),
    reference: Path | None = typer.Option(None, "--reference", help="General-purpose baseline .model "
                                          "(default: the repository's Mistral v1 copy)."),
    terms: Path | None = typer.Option(None, "--terms", help="Medical term list (default: the shipped one)."),
) -> None:
    """Tokens per word on each site's held-out text and tokens per medical term, ours vs Mistral v1."""
    import json

    from rich.console import Console

    from medfl.client.corpus import read_documents
    from medfl.client.prepare import VAL, require_prepared
    from medfl.core_model import fertility as fert
    from medfl.core_model.tokenizer import Tokenizer

    for d in data:
        require_prepared(d)
    toks = {"medfl": Tokenizer.load(tokenizer), fert.REFERENCE_NAME: fert.load_reference_tokenizer(reference)}
    names = [d.name for d in data]
    names = names if len(set(names)) == len(names) else [str(d) for d in data]
    texts = {n: [doc["text"] for doc in read_documents(d / VAL)] for n, d in zip(names, data, strict=True)}
    report = fert.fertility_report(toks, texts, terms=fert.load_medical_terms(terms) if terms else None)
    Console().print(fert.fertility_table(report))
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(report, indent=2) + "\n")
        typer.echo(f"wrote {json_out}")


@app.command("keys")
def keys_cmd(
    out: Path = typer.Option(..., "--out", help="Directory for site.key (private, 0600) and site.pub."),
    force: bool = typer.Option(False, "--force", help="Replace an existing key pair."),
) -> None:
    """Create this site's SuperNode authentication key pair; send only site.pub to the coordinator."""
    from medfl.client.keys import fingerprint, generate_site_keys, load_public_key

    priv, pub = generate_site_keys(out, overwrite=force)
    typer.echo(f"private key: {priv} (stays on this site)")
    fp = fingerprint(load_public_key(pub))
    typer.echo(f"public key:  {pub} ({fp}) -> medfl-server add-site NAME {pub.name}")


@app.command("join")
def join_cmd(
    superlink: str = typer.Option(..., "--superlink", help="Coordinator HOST:PORT."),
    data: Path = typer.Option(..., "--data", help="Prepared site data dir (medfl-client prepare)."),
    ca: Path | None = typer.Option(None, "--ca", help="Federation CA certificate (ca.crt)."),
    key: Path | None = typer.Option(None, "--key", help="Site private key (site.key)."),
    work_dir: Path | None = typer.Option(None, "--work-dir", help="Site-local working dir."),
    site_id: str = typer.Option("", "--site-id", help="Site name in metrics (default: data dir name)."),
    device: str = typer.Option("auto", "--device", help="Training device: auto, cpu, cuda."),
    threads: int = typer.Option(0, "--threads", help="torch threads (0 = default; 1 if sites share a CPU)."),
    insecure: bool = typer.Option(False, "--insecure", help="No TLS/authentication (dev only)."),
    cold: bool = typer.Option(False, "--cold", help="Fresh ClientApp process per message (flwr default)."),
    register_wait_s: float = typer.Option(30.0, "--register-wait-s", help="Retry a refused key this long."),
    nproc: int = typer.Option(1, "--nproc", min=1, help="Devices per local round (>1: torchrun + FSDP)."),
    activation_checkpointing: bool = typer.Option(False, "--activation-checkpointing",
                                                  help="FSDP rounds: recompute blocks in backward."),
    dp_epsilon: float = typer.Option(0.0, "--dp-epsilon", help="DP-SGD: this site's total ε (0 = DP off)."),
    dp_delta: float = typer.Option(0.0, "--dp-delta", help="DP-SGD δ (0 = min(1e-5, 1/units))."),
    dp_max_grad_norm: float = typer.Option(1.0, "--dp-max-grad-norm", help="DP-SGD per-unit clip norm."),
    dp_unit: str = typer.Option("record", "--dp-unit", help="Privacy unit: record (sequence) or patient."),
    dp_mode: str = typer.Option("ghost", "--dp-mode", help="Clipping: ghost (low memory) or hooks."),
    dp_accountant: str = typer.Option("prv", "--dp-accountant", help="prv or rdp."),
    dp_max_physical_batch: int = typer.Option(
        0, "--dp-max-physical-batch", min=0,
        help="DP-SGD memory cap: run a larger Poisson batch in micro-batches of this many units (same ε)."),
    tok_min_doc_freq: int = typer.Option(
        5, "--tokenizer-min-doc-freq", min=1,
        help="Tokenizer phase: never send words in fewer than K of this site's docs (the server may "
             "only raise K)."),
    tok_dp_epsilon: float = typer.Option(
        0.0, "--tokenizer-dp-epsilon", help="Tokenizer phase: DP noisy, thresholded word counts (0 = off)."),
) -> None:
    """Run this site's SuperNode; site settings (data, site id, work dir) stay local in its node config."""
    from medfl.client.supernode import JoinConfig, join

    extra = {"nproc": str(nproc), "activation-checkpointing": str(activation_checkpointing).lower(),
             "tokenizer-min-doc-freq": str(tok_min_doc_freq)}  # medfl.client.word_counts (issue 7)
    if tok_dp_epsilon > 0:
        extra["tokenizer-dp-epsilon"] = repr(tok_dp_epsilon)
    if dp_epsilon > 0:  # site-local privacy settings: node config only, never from the server
        from medfl.privacy.dp.config import DPConfig

        DPConfig(dp_epsilon, dp_delta or None, dp_max_grad_norm, dp_accountant, dp_mode, dp_unit,
                 max_physical_batch=dp_max_physical_batch)  # validate
        extra.update({"dp-epsilon": repr(dp_epsilon), "dp-max-grad-norm": repr(dp_max_grad_norm),
                      "dp-unit": dp_unit, "dp-mode": dp_mode, "dp-accountant": dp_accountant,
                      "dp-max-physical-batch": str(dp_max_physical_batch),
                      **({"dp-delta": repr(dp_delta)} if dp_delta > 0 else {})})
    cfg = JoinConfig(superlink=superlink, data=data, ca=ca, key=key, work_dir=work_dir, site_id=site_id,
                     device=device, threads=threads, insecure=insecure, warm=not cold,
                     register_wait_s=register_wait_s, extra_node_config=extra)
    raise typer.Exit(join(cfg))


@app.command("deid")
def deid_cmd(
    input_path: Path = typer.Argument(..., metavar="INPUT", help=".jsonl (text, id) or a dir of .txt"),
    output: Path = typer.Argument(..., metavar="OUTPUT", help="Output .jsonl (id, text, spans)."),
    mode: str = typer.Option("tags", "--mode", help="tags ([NAME], [DATE]...) or surrogates (fake values)."),
    report: Path | None = typer.Option(None, "--report", help="Report JSON (+ readable .txt beside it)."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes."),
    timeout: float = typer.Option(10.0, "--timeout", help="Per-document seconds before quarantine."),
) -> None:
    """De-identify clinical text (fail closed: unreadable, failing or slow documents are quarantined)."""
    from medfl.privacy.deid import DeidConfig, DeidReport
    from medfl.privacy.deid.io import deidentify_path

    rep = deidentify_path(input_path, output, DeidConfig(mode=mode, workers=workers, timeout_s=timeout),
                          DeidReport())
    if report is not None:
        rep.write(report)
    typer.echo(rep.summary().rstrip())


@app.command("deid-eval")
def deid_eval_cmd(
    annotated: Path = typer.Argument(..., metavar="ANNOTATED",
                                     help=".jsonl of the site's own notes with hand-checked spans."),
    report: Path = typer.Option(..., "--report", help="Report JSON (+ readable .txt beside it)."),
    mode: str = typer.Option("tags", "--mode", help="tags or surrogates, as the site will run deid."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes."),
    max_leak: float = typer.Option(0.01, "--max-leak", help="Highest acceptable overall leak rate."),
    min_terms: float = typer.Option(0.98, "--min-terms", help="Lowest share of clinical terms kept."),
) -> None:
    """Measure de-identification on the site's own annotated notes before go-live; exit 0 when every goal is
    met, 1 when not. The report lists missed spans by document id and offsets, never their text."""
    import time

    from medfl.core_model.atomic import write_atomic, write_json_atomic
    from medfl.privacy.deid import DeidConfig, DeidReport, deidentify_documents
    from medfl.privacy.deid.evaluation import (
        Goals,
        check_goals,
        evaluate,
        format_goals,
        format_table,
        load_gold,
        missed_spans,
    )

    gold = load_gold(annotated)
    t0, c0 = time.perf_counter(), time.process_time()
    outs = list(deidentify_documents([{"id": d["id"], "text": d["text"]} for d in gold],
                                     DeidConfig(mode=mode, workers=workers), DeidReport()))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    res = evaluate(gold, outs).to_dict()
    # speed is reported, not gated (the site's hardware decides it); with workers this process' CPU is idle
    speed = {"notes_per_s_wall": round(len(gold) / wall, 1) if wall else None,
             "notes_per_s_per_core": round(len(gold) / cpu, 1) if workers == 1 and cpu > 0 else None}
    goals = check_goals(res, Goals(leak_rate_max=max_leak, terms_preserved_min=min_terms),
                        dataset=f"{annotated.name} ({mode})")
    missed = missed_spans(gold, outs)
    write_json_atomic(report, {"annotated": str(annotated), "mode": mode, "goals": goals, "result": res,
                               "speed": speed, "missed_spans": missed})
    text = (format_table(res, f"{annotated.name} ({mode})") + "\n" + format_goals(goals)
            + f"missed spans: {len(missed)} (document ids and offsets in {report.name}); "
            + f"{speed['notes_per_s_wall']} notes/s\n")
    write_atomic(report.with_suffix(".txt"), text)
    typer.echo(text.rstrip())
    raise typer.Exit(0 if goals["met"] else 1)


canaries_app = typer.Typer(no_args_is_help=True, help="Secret canaries for privacy audits (site-local).")
app.add_typer(canaries_app, name="canaries")


@canaries_app.command("plant")
def canaries_plant_cmd(
    data: Path = typer.Argument(..., metavar="DIR", help="Prepared site dir (`prepare` output)."),
    out: Path = typer.Option(..., "--out", help="Site-local secrets file (outside DIR; keep it private)."),
    repeats: str = typer.Option("1,4,16,64", "--repeats", help="Insertion counts, one canary group each."),
    slots: str = typer.Option("64,16,16,8", "--slots", help="Canary slots per group (about half held out)."),
    digits: int = typer.Option(8, "--digits", help="MRN digits (candidate space 10^digits)."),
) -> None:
    """Plant random canary records into DIR's training docs before training (for `medfl-client audit`)."""
    import json

    from medfl.privacy.audit import CanaryConfig, plant_canaries

    try:
        cfg = CanaryConfig(repeats=tuple(int(x) for x in repeats.split(",")),
                           slots_per_repeat=tuple(int(x) for x in slots.split(",")), digits=digits)
    except ValueError as e:
        raise MedflError(f"--repeats/--slots/--digits: {e}") from None
    typer.echo(json.dumps(plant_canaries(data, secrets_path=out, config=cfg), indent=2))


@app.command("audit")
def audit_cmd(
    model: Path = typer.Option(..., "--model", help="Run dir, checkpoints dir, step_*.pt or fed state."),
    data: Path = typer.Option(..., "--data", help="Prepared site dir the model was trained on."),
    raw: Path | None = typer.Option(None, "--raw", help="The site's RAW notes (real-PHI probe; stay local)."),
    out: Path = typer.Option(..., "--out", help="Report dir (report.json + report.html)."),
    policy: Path | None = typer.Option(None, "--policy", help="Policy YAML/JSON (default limits otherwise)."),
    canaries: Path | None = typer.Option(None, "--canaries", help="Secrets file from `canaries plant`."),
    tokenizer: Path | None = typer.Option(None, "--tokenizer", help="Override the checkpoint's tokenizer."),
    site: str | None = typer.Option(None, "--site", help="Site name shown in the report."),
    threads: int | None = typer.Option(None, "--threads", help="torch CPU threads."),
    device: str = typer.Option("cpu", "--device", help="torch device for the probes (cpu, cuda)."),
    exposure_samples: int = typer.Option(1000, "--exposure-samples", help="Random fills per canary."),
    dp_ledger: Path | None = typer.Option(
        None, "--dp-ledger", help="This site's DP ledger (WORK_DIR/dp/SITE/accountant.json): its proven ε."),
) -> None:
    """Privacy-audit a checkpoint at this site; exit 0 on PASS, 1 on FAIL or INCOMPLETE."""
    from medfl.privacy.audit import AuditConfig, run_audit
    from medfl.privacy.audit.exposure import ExposureConfig

    if threads is not None:
        import torch

        torch.set_num_threads(threads)
    cfg = AuditConfig(tokenizer=str(tokenizer) if tokenizer else None, device=device,
                      exposure=ExposureConfig(samples=exposure_samples))
    rep = run_audit(model=model, data=data, raw=raw, out=out, canaries=canaries, policy=policy, site=site,
                    dp_ledger=dp_ledger, config=cfg)
    for c in rep["checks"]:
        mark = {True: "pass", False: "FAIL", None: "not measured"}[c["passed"]]
        val = f"{c['value']:.3g}" if isinstance(c["value"], float) else c["value"]
        typer.echo(f"  {mark:>12}  {c['title']}: {val} (limit {c['limit']})")
    typer.echo(f"{rep['verdict']}: {out / 'report.html'}")
    raise typer.Exit(0 if rep["verdict"] == "PASS" else 1)


def main() -> None:
    """Console-script entry (see medfl.core_model.cli_app.run_app)."""
    run_app(app, "medfl-client")


__all__ = ["app", "main", "Path"]
