"""A site's work for one federated round: the logic behind medfl's thin Flower ClientApp.

train(content, settings): decode the global weights, evaluate them on the site's held-out data, run
`local_round` for H steps on the site's packed data, and reply with the pseudo-gradient (global - local)
encoded per wire-dtype plus metrics (`num-examples` = tokens trained). evaluate(content, settings): the
evaluation half only.

Design choices
- Site settings come only from the node config (data-path, site-id, work-dir, device, optional threads);
  the server's run config decides everything federation-wide (model, steps, lr, wire dtype). A site never
  trains on data that has not been through `prepare` (`pack_site` -> `require_prepared`, fail closed).
- The tokenizer arrives once (ConfigRecord "tokenizer" on first contact), is checked against its sha256
  and cached in `work-dir/tokenizers/<sha>.model`; later messages carry only the sha.
- A module-level cache keeps the model, optimiser, loader and validation windows between messages when the
  ClientApp process is long-lived (medfl-client join's worker, or simulation), keyed by everything that
  shapes them (site, data path, tokenizer sha, model config, seq-len, batch size, seed, device). The inner
  AdamW state is kept across rounds in that cache (DiLoCo keeps it local); a fresh process starts with
  fresh moments. The loader position is also written to `work-dir/fed/<key>/loader.json` after every
  round, so even one-process-per-message deployments walk through the data instead of replaying it.
- Downlink: the first message (and any resync) carries the full weights in fp32; later ones carry only
  the delta since the version the site holds, in wire-dtype. The site keeps the received weights
  (memory, and `work-dir/fed/<key>/base.safetensors`, written while it trains) to add the next delta to.
- The round's lr follows one warmup + cosine schedule over num-rounds x local-steps
  (`local_round(global_step=(round-1)*H)`).
- Nothing from the documents reaches metrics, logs or errors: only counts, losses and shapes.
- DP-SGD (`medfl.privacy.dp`) is switched on by the SITE (node config dp-epsilon, dp-delta,
  dp-max-grad-norm, dp-accountant, dp-mode, dp-unit), never by the server. With it on, the site loads its
  privacy ledger before every round, calibrates σ for its planned participation (rounds x local steps of
  this run) on first contact, declines a round that would exceed its ε (a reply with no update and a
  "declined" reason, which the server records), trains on Poisson batches with per-unit clipping and
  noise, charges the round to the ledger before replying, and reports ε spent, δ, σ, C, q, steps and the
  unit. num-examples is then the EXPECTED token count (the real Poisson batch sizes are data-dependent),
  and the private training loss is not reported (validation loss on held-out data still is). With nproc > 1
  the DP round runs on FSDP workers (`medfl.privacy.dp.fsdp`); sampling and the ledger stay in this process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from flwr.app import ConfigRecord, MetricRecord, RecordDict
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file, save_file

from medfl.client import fsdp_round
from medfl.core_model.errors import MedflError
from medfl.privacy.dp.config import DPConfig
from medfl.server import wire

log = logging.getLogger(__name__)


@dataclass
class SiteSettings:
    """Site-local settings, from the SuperNode's node config only."""

    data_path: Path
    site_id: str
    work_dir: Path
    device: str = "auto"
    threads: int = 0  # torch intra-op threads (0 = torch default); several sites on one CPU want 1
    dp: DPConfig | None = None  # site-level DP-SGD (node config dp-*); None = off
    nproc: int = 1  # > 1: local rounds run under torchrun with FSDP on this many devices (fsdp_round.py)
    activation_checkpointing: bool = False  # FSDP path only: recompute blocks in backward (memory)

    @classmethod
    def from_node_config(cls, nc: dict[str, Any]) -> SiteSettings:
        if not nc.get("data-path"):
            raise MedflError("node config lacks data-path (set by `medfl-client join --data DIR`)")
        data = Path(str(nc["data-path"]))
        site = str(nc.get("site-id") or data.name)
        work = Path(str(nc.get("work-dir") or data / "fed-work"))
        try:
            threads = int(nc.get("threads") or 0)
        except ValueError:
            raise MedflError(f"node config threads={nc.get('threads')!r} is not an integer") from None
        return cls(data_path=data, site_id=site, work_dir=work, device=str(nc.get("device") or "auto"),
                   threads=threads, dp=DPConfig.from_node_config(nc), nproc=int(nc.get("nproc") or 1),
                   activation_checkpointing=str(nc.get("activation-checkpointing")).lower() in ("1", "true"))


@dataclass
class RoundSpec:
    """What the server asks for in one message (ConfigRecord "config")."""

    server_round: int
    model_version: int
    local_steps: int
    lr: float
    warmup_steps: int
    total_steps: int
    prox_mu: float
    wire_dtype: str
    downlink: str  # "full": arrays are the weights; "delta": add them to the weights of base_version
    base_version: int
    downlink_dtype: str
    seq_len: int
    batch_size: int
    seed: int
    eval_max_seqs: int
    model_config: dict[str, Any]
    tokenizer_sha: str
    evaluate_only: bool

    @classmethod
    def from_config(cls, c: ConfigRecord) -> RoundSpec:
        try:
            return cls(
                server_round=int(c["server-round"]), model_version=int(c["model-version"]),
                local_steps=int(c.get("local-steps", 1)), lr=float(c.get("lr", 1e-3)),
                warmup_steps=int(c.get("warmup-steps", 0)), total_steps=int(c.get("total-steps", 1)),
                prox_mu=float(c.get("prox-mu", 0.0)), wire_dtype=wire.check_wire_dtype(str(c["wire-dtype"])),
                downlink=str(c.get("downlink", "full")), base_version=int(c.get("base-version", -1)),
                downlink_dtype=wire.check_wire_dtype(str(c["downlink-dtype"])), seq_len=int(c["seq-len"]),
                batch_size=int(c["batch-size"]), seed=int(c.get("seed", 0)),
                eval_max_seqs=int(c.get("eval-max-seqs", 0)), model_config=json.loads(str(c["model-config"])),
                tokenizer_sha=str(c["tokenizer-sha"]), evaluate_only=bool(c.get("evaluate-only", False)),
            )
        except KeyError as e:
            raise MedflError(f"server message config lacks {e.args[0]!r}") from None


def site_hash(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:6], "big")


# ---- tokenizer cache --------------------------------------------------------------------------------


def get_tokenizer(settings: SiteSettings, config: ConfigRecord, sha: str):
    """The run's tokenizer: from the message (verified, then cached) or from work-dir/tokenizers/."""
    from medfl.core_model.tokenizer import Tokenizer

    path = settings.work_dir / "tokenizers" / f"{sha}.model"
    if "tokenizer" in config:
        data = bytes(config["tokenizer"])
        if hashlib.sha256(data).hexdigest() != sha:
            raise MedflError(f"site {settings.site_id}: received tokenizer does not match tokenizer-sha")
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            Tokenizer.from_bytes(data, name="received tokenizer").save(path)
    if not path.is_file():
        raise MedflError(f"site {settings.site_id}: tokenizer {sha[:12]} not cached and not sent")
    return _load_tokenizer(str(path))


_TOKENIZERS: dict[str, Any] = {}


def _load_tokenizer(path: str):
    from medfl.core_model.tokenizer import Tokenizer

    if path not in _TOKENIZERS:
        _TOKENIZERS[path] = Tokenizer.load(path)
    return _TOKENIZERS[path]


# ---- per-site runtime (cached between messages of a long-lived process) ---------------------------------


class SiteRuntime:
    """Model, optimiser, loader and validation windows of one site for one run configuration."""

    def __init__(self, settings: SiteSettings, spec: RoundSpec, tokenizer, key: str) -> None:
        from medfl.client.packing import TokenLoader, pack_site, val_sets
        from medfl.client.train import resolve_autocast_dtype, resolve_device
        from medfl.core_model.config import ModelConfig
        from medfl.core_model.model import Transformer

        t0 = time.perf_counter()
        if settings.threads > 0:
            torch.set_num_threads(settings.threads)
        self.settings, self.key = settings, key
        self.mcfg = ModelConfig.from_dict(spec.model_config)
        if self.mcfg.vocab_size < tokenizer.vocab_size:
            raise MedflError(f"site {settings.site_id}: model vocab {self.mcfg.vocab_size} < tokenizer vocab "
                             f"{tokenizer.vocab_size}")
        self.device = resolve_device(settings.device)
        self.autocast = resolve_autocast_dtype("auto", self.device)
        self.model = Transformer(self.mcfg).to(self.device)
        packed = pack_site(settings.data_path, tokenizer, spec.seq_len)
        self.loader = TokenLoader(packed / "train.bin", spec.seq_len, spec.batch_size,
                                  seed=spec.seed + site_hash(settings.site_id) % (1 << 31))
        vs = val_sets(settings.data_path, tokenizer, spec.seq_len)
        self.val = {k: (v[: spec.eval_max_seqs] if spec.eval_max_seqs > 0 else v) for k, v in vs.items()}
        self.optimizer = None  # built on the first round (needs the TrainConfig)
        self.dp_units = None  # privacy units (record windows or patients), built on the first DP round
        self.dp_engine = None  # opacus hooks + DP optimizer around self.model / self.optimizer
        self.base: dict[str, torch.Tensor] | None = None  # global weights as last received (fp32, CPU)
        self.base_version = -1
        self._base_writer: threading.Thread | None = None
        self.state_dir = settings.work_dir / "fed" / key
        self.state_dir.mkdir(parents=True, exist_ok=True)
        lp = self.state_dir / "loader.json"
        if lp.is_file():
            try:
                self.loader.load_state_dict(json.loads(lp.read_text()))
            except (ValueError, KeyError, MedflError) as e:
                log.warning("site %s: ignoring loader state %s (%s)", settings.site_id, lp, e)
        log.info("site %s: runtime ready in %.1f s (%s, %d train windows, %d val sources)", settings.site_id,
                 time.perf_counter() - t0, self.mcfg.name, self.loader.n_windows, len(self.val))

    def save_loader(self) -> None:
        tmp = self.state_dir / "loader.json.tmp"
        tmp.write_text(json.dumps(self.loader.state_dict()))
        tmp.replace(self.state_dir / "loader.json")

    def load_global(self, arrays, spec: RoundSpec) -> dict[str, torch.Tensor]:
        """Decode the downlink (full weights, or a delta onto the base version we hold), apply it to the
        model and return the weights (fp32, CPU): the reference of this round's pseudo-gradient."""
        want = wire.spec_of(self.model.state_dict())
        try:
            d = wire.decode_state(arrays, spec.downlink_dtype, want)
        except wire.UpdateRejected as e:
            raise MedflError(f"site {self.settings.site_id}: global weights rejected: {e}") from None
        if spec.downlink == "delta":  # same fp32 addition as the server's view: bit-identical weights
            base = self._base(spec.base_version)
            d = {k: base[k] + v for k, v in d.items()}
        self.base, self.base_version = d, spec.model_version
        self.model.load_state_dict(d)
        # persist for a fresh process next round (one-process-per-message SuperNodes); overlaps training
        self._base_writer = threading.Thread(target=self._save_base, args=(d, spec.model_version))
        self._base_writer.start()
        return d

    def _save_base(self, weights: dict[str, torch.Tensor], version: int) -> None:
        tmp = self.state_dir / f"base.safetensors.tmp-{os.getpid()}"
        try:
            save_file(weights, str(tmp), metadata={"model-version": str(version)})
            os.replace(tmp, self.state_dir / "base.safetensors")
        except OSError as e:  # only costs a full resync if this process does not live to the next round
            log.warning("site %s: could not persist the received weights: %s", self.settings.site_id, e)

    def wait_base_saved(self) -> None:
        if self._base_writer is not None:
            self._base_writer.join()
            self._base_writer = None

    def _base(self, version: int) -> dict[str, torch.Tensor]:
        """Weights of model `version` as received earlier: in memory, or persisted by an earlier process."""
        if self.base is not None and self.base_version == version:
            return self.base
        self.wait_base_saved()
        path = self.state_dir / "base.safetensors"
        try:
            with safe_open(str(path), "pt") as f:
                if int((f.metadata() or {}).get("model-version", -2)) == version:
                    return load_file(str(path))
        except (OSError, ValueError, SafetensorError):
            pass
        raise MedflError(f"site {self.settings.site_id}: holds no model version {version} to apply the "
                         "server's delta to (restarted?); the server resends full weights next round")

    def evaluate(self) -> dict[str, float]:
        from medfl.client.train import evaluate

        if not self.val:
            return {}
        res = evaluate(self.model, self.val, device=self.device, autocast_dtype=self.autocast)
        toks = sum(r["tokens"] for r in res.values())
        loss = sum(r["loss"] * r["tokens"] for r in res.values()) / max(toks, 1)
        return {"val-loss": loss, "val-tokens": toks}


_RUNTIMES: dict[str, SiteRuntime] = {}  # site id -> its runtime for the current run configuration


def get_runtime(settings: SiteSettings, spec: RoundSpec, tokenizer) -> SiteRuntime:
    ident = json.dumps([str(settings.data_path.resolve()), settings.site_id, tokenizer.sha256,
                        spec.model_config, spec.seq_len, spec.batch_size, spec.seed, spec.eval_max_seqs,
                        settings.device, settings.dp.to_dict() if settings.dp else None], sort_keys=True)
    key = f"{tokenizer.sha256[:12]}-{hashlib.sha256(ident.encode()).hexdigest()[:12]}"
    rt = _RUNTIMES.get(settings.site_id)
    if rt is None or rt.key != key:  # one configuration per site at a time: bounded memory
        _RUNTIMES.pop(settings.site_id, None)
        rt = _RUNTIMES[settings.site_id] = SiteRuntime(settings, spec, tokenizer, key)
    return rt


# ---- message handlers -------------------------------------------------------------------------------


def _site_record(settings: SiteSettings, spec: RoundSpec, tokenizer) -> ConfigRecord:
    return ConfigRecord({"site-id": settings.site_id, "tokenizer-sha": tokenizer.sha256})


# ---- site-level DP ------------------------------------------------------------------------------------


def _dp_units(rt: SiteRuntime, dp: DPConfig, tok, spec: RoundSpec):
    from medfl.client.prepare import TRAIN
    from medfl.privacy.dp.sampling import PatientUnits, RecordUnits

    if rt.dp_units is None:
        rt.dp_units = (RecordUnits(rt.loader.paths[0], spec.seq_len) if dp.unit == "record"
                       else PatientUnits(rt.settings.data_path / TRAIN, tok, spec.seq_len))
    return rt.dp_units


def _dp_ledger(settings: SiteSettings, dp: DPConfig, n_units: int):
    """The site's privacy ledger (one per site, shared by every run and data version; see accounting)."""
    from medfl.privacy.dp.accounting import SiteAccountant

    path = settings.work_dir / "dp" / settings.site_id / "accountant.json"
    return SiteAccountant.load(path, target_epsilon=dp.target_epsilon, delta=dp.resolve_delta(n_units),
                               accountant=dp.accountant, unit=dp.unit, max_grad_norm=dp.max_grad_norm)


def _dp_report(dp: DPConfig, ledger, eps: float) -> tuple[dict[str, float], dict[str, str]]:
    """(MetricRecord entries, ConfigRecord entries) describing the site's DP state."""
    plan = ledger.plan
    return ({"dp-epsilon": float(eps), "dp-delta": ledger.delta, "dp-target-epsilon": dp.target_epsilon,
             "dp-noise-multiplier": float(plan.get("noise_multiplier", float("nan"))),
             "dp-max-grad-norm": dp.max_grad_norm, "dp-sample-rate": float(plan.get("sample_rate", 0.0)),
             "dp-steps": ledger.steps},
            {"dp-unit": dp.unit, "dp-accountant": dp.accountant, "dp-mode": dp.grad_sample_mode,
             "dp-mechanism": "DP-SGD (Poisson-subsampled Gaussian, per-unit clipping; opacus)"})


def _decline(settings: SiteSettings, spec: RoundSpec, tok, reason: str, dp_metrics: dict, dp_info: dict,
             t0: float) -> RecordDict:
    log.warning("site %s round %d: declined: %s", settings.site_id, spec.server_round, reason)
    site = _site_record(settings, spec, tok)
    site["declined"] = reason
    for k, v in dp_info.items():
        site[k] = v
    metrics = MetricRecord({"model-version": spec.model_version, "site-id": site_hash(settings.site_id),
                            "site-seconds": time.perf_counter() - t0,
                            **{k: v for k, v in dp_metrics.items() if v == v}})  # drop NaN (no plan)
    return RecordDict({"metrics": metrics, "site": site})


def _dp_check(settings: SiteSettings, spec: RoundSpec, tok, rt: SiteRuntime, t0: float):
    """Site DP before a round: (ledger, σ, q, None) if the round may train, else (.., decline reply)."""
    dp = settings.dp
    if settings.nproc > 1 and dp.grad_sample_mode != "ghost":
        raise MedflError(f"site {settings.site_id}: dp-mode={dp.grad_sample_mode} is not supported with "
                         "nproc > 1 (opacus hooks mode fails under FSDP2); use dp-mode=ghost")
    if settings.nproc > 1 and dp.max_physical_batch:
        raise MedflError(f"site {settings.site_id}: dp-max-physical-batch is not supported with nproc > 1 "
                         "(each rank already holds only its share of the Poisson batch)")
    if settings.nproc > 1 and settings.activation_checkpointing:
        raise MedflError(f"site {settings.site_id}: activation-checkpointing is not supported with DP-SGD "
                         "and nproc > 1 (the clipping hooks would see every block twice)")
    units = _dp_units(rt, dp, tok, spec)
    ledger = _dp_ledger(settings, dp, units.n)
    q = min(1.0, spec.batch_size / units.n)
    remaining = max(spec.total_steps - (spec.server_round - 1) * spec.local_steps, spec.local_steps)
    plan_key = json.dumps([spec.total_steps, spec.local_steps, spec.batch_size, spec.seq_len, units.n,
                           dp.to_dict()], sort_keys=True)
    try:
        sigma = ledger.ensure_plan(plan_key, sample_rate=q, planned_steps=remaining, n_units=units.n)
    except MedflError as e:
        eps = ledger.epsilon()
        return ledger, 0.0, q, _decline(settings, spec, tok, f"site {settings.site_id}: {e}",
                                        *_dp_report(dp, ledger, eps), t0)
    allowed, eps_next = ledger.check_round(spec.local_steps)
    if not allowed:
        eps = ledger.epsilon()
        reason = (f"site {settings.site_id}: privacy budget exhausted: round {spec.server_round} would raise "
                  f"ε from {eps:.3f} to {eps_next:.3f} > target {dp.target_epsilon:g} (δ={ledger.delta:.2e}, "
                  f"{dp.unit} unit)")
        return ledger, sigma, q, _decline(settings, spec, tok, reason, *_dp_report(dp, ledger, eps), t0)
    return ledger, sigma, q, None


def train(content: RecordDict, settings: SiteSettings) -> RecordDict:
    """Handle a train message: evaluate the received global model, train H local steps, return the update."""
    from medfl.client.train import TrainConfig, local_round, make_optimizer

    t0 = time.perf_counter()
    spec = RoundSpec.from_config(content.config_records["config"])
    tok = get_tokenizer(settings, content.config_records["config"], spec.tokenizer_sha)
    rt = get_runtime(settings, spec, tok)
    local_round = fsdp_round.site_local_round(settings, rt, local_round)  # nproc > 1: torchrun + FSDP
    dp, ledger, sigma, q = settings.dp, None, 0.0, 1.0
    if dp is not None:  # budget check BEFORE anything is trained or released
        ledger, sigma, q, declined = _dp_check(settings, spec, tok, rt, t0)
        if declined is not None:
            return declined
    glob = rt.load_global(content.array_records["arrays"], spec)
    ev = rt.evaluate()
    tcfg = TrainConfig(lr=spec.lr, warmup_steps=spec.warmup_steps, max_steps=max(spec.total_steps, 1),
                       batch_size=spec.batch_size, seq_len=spec.seq_len, seed=spec.seed,
                       device=settings.device, log_every=max(spec.local_steps, 1), ckpt_every=0)
    if rt.optimizer is None:
        rt.optimizer = make_optimizer(rt.model, tcfg)
    dp_metrics: dict[str, float] = {}
    dp_info: dict[str, str] = {}
    if dp is None:
        m = local_round(rt.model, rt.loader, tcfg, steps=spec.local_steps, prox_mu=spec.prox_mu,
                        optimizer=rt.optimizer, global_step=(spec.server_round - 1) * spec.local_steps)
    else:
        from medfl.privacy.dp.engine import DPEngine
        from medfl.privacy.dp.fsdp import FsdpDPRound

        eng = rt.dp_engine
        if eng is None or eng.noise_multiplier != sigma or eng.sample_rate != q:
            if eng is not None:
                eng.detach()
            kw = dict(noise_multiplier=sigma, sample_rate=q, max_grad_norm=dp.max_grad_norm)
            eng = rt.dp_engine = (  # nproc > 1: torchrun + FSDP2 workers, same sampler/ledger here
                FsdpDPRound(rt.model, rt.dp_units, nproc=settings.nproc, state_dir=rt.state_dir, **kw)
                if settings.nproc > 1 else
                DPEngine(rt.model, rt.optimizer, rt.dp_units, mode=dp.grad_sample_mode,
                         max_physical_batch=dp.max_physical_batch, **kw))
        m = eng.local_round(tcfg, steps=spec.local_steps, prox_mu=spec.prox_mu,
                            global_step=(spec.server_round - 1) * spec.local_steps)
        eps = ledger.record_round(spec.server_round, spec.local_steps)  # charged before anything leaves
        dp_metrics, dp_info = _dp_report(dp, ledger, eps)
        log.info("site %s round %d: DP ε=%.3f/%g (δ=%.2e, σ=%.3f, q=%.4g, %d steps charged)",
                 settings.site_id, spec.server_round, eps, dp.target_epsilon, ledger.delta, sigma, q,
                 ledger.steps)
    rt.save_loader()
    rt.wait_base_saved()
    local = {k: v.detach().to("cpu", torch.float32) for k, v in rt.model.state_dict().items()}
    delta = {k: glob[k] - local[k] for k in glob}
    bad = [k for k, v in delta.items() if not wire.all_finite(v)]
    if bad:
        raise MedflError(f"site {settings.site_id}: local training diverged (NaN/Inf in {bad[0]})")
    upd = wire.encode_state(delta, spec.wire_dtype)
    if dp is None:
        counts = {"num-examples": int(m["tokens"]), "train-loss": float(m["loss"])}
    else:  # expected tokens (data-independent); the private training loss stays on the site
        counts = {"num-examples": int(spec.local_steps * rt.dp_engine.expected_batch * spec.seq_len)}
    metrics = MetricRecord({
        **counts, "train-seconds": float(m["seconds"]),
        "model-version": spec.model_version, "site-id": site_hash(settings.site_id),
        "bytes-up": wire.record_nbytes(upd), "site-seconds": time.perf_counter() - t0, **ev, **dp_metrics,
    })
    log.info("site %s round %d: %d tokens, loss %.4f, %.1f s training, %.1f s total", settings.site_id,
             spec.server_round, int(m["tokens"]), m["loss"], m["seconds"], time.perf_counter() - t0)
    site = _site_record(settings, spec, tok)
    for k, v in dp_info.items():
        site[k] = v
    return RecordDict({"update": upd, "metrics": metrics, "site": site})


def evaluate(content: RecordDict, settings: SiteSettings) -> RecordDict:
    """Handle an evaluate message: validation loss of the received global model on this site's data."""
    t0 = time.perf_counter()
    spec = RoundSpec.from_config(content.config_records["config"])
    tok = get_tokenizer(settings, content.config_records["config"], spec.tokenizer_sha)
    rt = get_runtime(settings, spec, tok)
    rt.load_global(content.array_records["arrays"], spec)
    ev = rt.evaluate()
    rt.wait_base_saved()
    metrics = MetricRecord({"num-examples": int(ev.get("val-tokens", 0)), "model-version": spec.model_version,
                            "site-id": site_hash(settings.site_id), "site-seconds": time.perf_counter() - t0,
                            **ev})
    return RecordDict({"metrics": metrics, "site": _site_record(settings, spec, tok)})
