"""Calibration runs: a site-shaped toy world in which the probes' answers are known in advance.

`make_site` writes synthetic raw notes with real-looking PHI (privacy/deid/synthetic.py), prepares them with
the real de-identifier, optionally copies a few raw notes into training un-redacted (a simulated de-id miss,
the thing the real-PHI probe exists to catch) and plants canaries. `train_memorising` trains medfl-tiny for
many epochs on it with the real Trainer (no DP), producing a model that must FAIL the audit. The tests and
bench/audit_probes.py use both; a site can use them to check that its audit set-up detects leakage.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medfl.privacy.audit.canaries import CanaryConfig, plant_canaries

log = logging.getLogger(__name__)


@dataclass
class CalibrationSite:
    raw: Path
    prepared: Path
    secrets: Path
    tokenizer: Path
    leaked_ids: list[str]


def make_site(
    root: str | Path,
    *,
    n_notes: int = 40,
    leak_notes: int = 2,
    leak_repeats: int = 16,
    vocab_size: int = 512,
    val_fraction: float = 0.4,
    canaries: CanaryConfig | None = None,
    seed: int = 0,
) -> CalibrationSite:
    """Raw synthetic notes -> prepared (tags de-id) -> leaked copies -> canaries -> tokenizer."""
    from medfl.client.prepare import MANIFEST, TRAIN, VAL, prepare_site, sha256_file
    from medfl.core_model.tokenizer import train_tokenizer
    from medfl.privacy.deid import DeidConfig
    from medfl.privacy.deid.synthetic import generate_notes

    root = Path(root)
    raw = root / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    notes = generate_notes(n_notes, seed)
    with open(raw / "docs.jsonl", "w", encoding="utf-8") as f:
        for n in notes:
            f.write(json.dumps({"id": n["id"], "text": n["text"], "spans": n["spans"]}) + "\n")
    prepared = root / "prepared"
    prepare_site(raw, prepared, deid=DeidConfig(mode="tags"), seed=seed, val_fraction=val_fraction)

    # Simulated de-identification misses: replace a few trained notes by their raw text.
    by_id = {n["id"]: n["text"] for n in notes}
    lines = [json.loads(x) for x in (prepared / TRAIN).read_text(encoding="utf-8").splitlines()]
    leaked = [d["id"] for d in lines[:leak_notes]]
    for d in lines[:leak_notes]:
        d["text"] = by_id[d["id"]]
    # ... copied leak_repeats times (a templated note duplicated across records): a small model memorises it
    lines += [dict(d) for d in lines[:leak_notes] for _ in range(leak_repeats - 1)]
    (prepared / TRAIN).write_text("".join(json.dumps(d) + "\n" for d in lines), encoding="utf-8")
    manifest = json.loads((prepared / MANIFEST).read_text())
    manifest["files"] = {
        n: {"sha256": sha256_file(prepared / n), "bytes": (prepared / n).stat().st_size} for n in (TRAIN, VAL)
    }
    manifest["calibration_leaked_docs"] = len(leaked)
    (prepared / MANIFEST).write_text(json.dumps(manifest, indent=2))

    secrets = root / "secrets" / "canaries.json"
    plant_canaries(prepared, secrets_path=secrets, config=canaries or CanaryConfig(seed=seed))
    texts = [json.loads(x)["text"] for x in (prepared / TRAIN).read_text(encoding="utf-8").splitlines()]
    tok = train_tokenizer(out_path=root / "tok.model", vocab_size=vocab_size, texts=texts)
    return CalibrationSite(
        raw=raw, prepared=prepared, secrets=secrets, tokenizer=Path(tok), leaked_ids=leaked
    )


def _run_setup(site: CalibrationSite, out: str | Path, model: dict | None, **train: Any):
    """(tokenizer, run dir with the tokenizer saved in it, model config, train config) shared by both runs.

    medfl-tiny, narrowed further by `model`: memorisation is the point, speed on a 2-core CI box the
    constraint. `train` overrides TrainConfig fields on top of the calibration defaults."""
    from medfl.client.train import TrainConfig
    from medfl.core_model.config import ModelConfig
    from medfl.core_model.tokenizer import Tokenizer

    tok = Tokenizer.load(site.tokenizer)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tok.save(out / "tokenizer.model")
    mcfg = ModelConfig.from_name("medfl-tiny", vocab_size=tok.vocab_size, max_seq_len=train["seq_len"],
                                 **(model or {}))
    defaults = {"warmup_steps": 10, "weight_decay": 0.0, "device": "cpu", "precision": "fp32"}
    tcfg = TrainConfig(**{**defaults, **train})
    return tok, out, mcfg, tcfg


def train_memorising(
    site: CalibrationSite,
    out: str | Path,
    *,
    steps: int = 300,
    seq_len: int = 64,
    batch_size: int = 16,
    lr: float = 3e-3,
    seed: int = 0,
    model: dict | None = None,
) -> Path:
    """Train medfl-tiny many epochs over the site (no DP) with the real Trainer; returns the run dir."""
    from medfl.client.packing import TokenLoader, train_shards
    from medfl.client.train import Trainer

    tok, out, mcfg, tcfg = _run_setup(site, out, model, lr=lr, max_steps=steps, batch_size=batch_size,
                                      seq_len=seq_len, seed=seed, ckpt_every=0, log_every=50, peak_flops=1e9)
    loader = TokenLoader(train_shards([site.prepared], tok, seq_len), seq_len, batch_size, seed=seed)
    trainer = Trainer(
        mcfg,
        tcfg,
        loader,
        None,
        out,
        resume=False,
        meta={"tokenizer_path": str((out / "tokenizer.model").resolve())},
    )
    summary = trainer.fit()
    log.info("memorising run: %d steps, final loss %s", steps, summary.get("loss_last", summary.get("loss")))
    return out


def train_dp(
    site: CalibrationSite,
    out: str | Path,
    *,
    epsilon: float,
    delta: float = 1e-5,
    steps: int = 300,
    seq_len: int = 64,
    batch_size: int = 16,
    lr: float = 3e-3,
    max_grad_norm: float = 1.0,
    seed: int = 0,
    model: dict | None = None,
) -> Path:
    """The same run as `train_memorising`, with DP-SGD (medfl.privacy.dp: opacus ghost clipping, Poisson
    sampling of training windows, noise calibrated to `epsilon` at `delta` for `steps` steps)."""
    import torch

    from medfl.client.packing import train_shards
    from medfl.client.train import make_optimizer
    from medfl.core_model.checkpoint import save_checkpoint
    from medfl.core_model.model import Transformer
    from medfl.privacy.dp import calibrate_noise, epsilon_of
    from medfl.privacy.dp.engine import DPEngine
    from medfl.privacy.dp.sampling import RecordUnits

    tok, out, mcfg, tcfg = _run_setup(site, out, model, lr=lr, max_steps=steps, batch_size=batch_size,
                                      seq_len=seq_len, seed=seed, grad_clip=0.0)
    torch.manual_seed(seed)
    net = Transformer(mcfg)
    units = RecordUnits(train_shards([site.prepared], tok, seq_len)[0], seq_len)
    q = min(1.0, batch_size / units.n)
    sigma = calibrate_noise(target_epsilon=epsilon, delta=delta, sample_rate=q, steps=steps)
    engine = DPEngine(
        net,
        make_optimizer(net, tcfg),
        units,
        noise_multiplier=sigma,
        sample_rate=q,
        max_grad_norm=max_grad_norm,
        seed=seed,
    )
    metrics = engine.local_round(tcfg, steps=steps)
    engine.detach()
    spent = epsilon_of([(sigma, q, steps)], delta)
    dp = {
        "epsilon": spent,
        "delta": delta,
        "target_epsilon": epsilon,
        "noise_multiplier": sigma,
        "max_grad_norm": max_grad_norm,
        "sample_rate": q,
        "steps": steps,
        "unit": "record (training window)",
        "accountant": "prv",
    }
    save_checkpoint(
        out / "checkpoints",
        steps,
        {"model": net.state_dict()},
        {
            "kind": "medfl-train",
            "model_config": mcfg.to_dict(),
            "tokens": metrics["tokens"],
            "tokenizer_path": str((out / "tokenizer.model").resolve()),
            "dp": dp,
        },
    )
    log.info(
        "DP run: eps %.2f (sigma %.2f, q %.3f, %d steps), loss %.3f", spent, sigma, q, steps, metrics["loss"]
    )
    return out
