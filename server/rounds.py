"""The coordinator's round loop over a Flower `Grid` (Message API): send, collect, validate, aggregate, save.

Why our own loop instead of `flwr.serverapp.strategy.FedAvg.start()`
- Resume: `Strategy.start()` always counts rounds from 1 and keeps state only in memory; we need
  per-round atomic state (`medfl.server.state`) and to continue after the last finished round.
- Failures: a round must end at `round-timeout-s`, aggregate what arrived if at least `min-sites` valid
  updates did, and record every missing/errored/rejected site. `Strategy.aggregate_train` sees only the
  replies and `validate_message_reply_consistency` raises on the first malformed one, failing the run.
- Latency: `HttpGrid.send_and_receive` sleeps a hard-coded 3 s between pulls (flwr 1.41
  superlink/grid/http_grid.py); we push once and poll `pull_messages` every `poll-interval-s` (0.1 s).
- Pseudo-gradients: flwr's strategies average weights (`aggregate_arrayrecords`); ours aggregate
  compressed pseudo-gradients with an outer optimiser (`medfl.server.strategy`), and bf16/int8 decoding
  needs the codec in `medfl.server.wire` anyway.
So strategies stay pure (torch in, torch out) and this module is the only place that talks to Flower.

Privacy: sites running DP-SGD report their ε/δ/σ/C/q/steps/unit in every reply (recorded per round and
in the report's "privacy" table); a site whose budget is spent declines the round (status "declined",
with its reason). If declines leave fewer than min-sites able to train, the run ends cleanly after a
final evaluation instead of retrying. Optional central DP (run config central-dp-noise > 0, central-dp-clip,
central-dp-delta): each site's pseudo-gradient is clipped and Gaussian noise is added to their sum before
the outer step (`medfl.privacy.dp.central`; site-level ε recorded per round).

Downlink: the first message to a site (and any resync: after resume, a missed round, a site restart that
lost its copy) carries the full weights in fp32; every other one carries only `global - view` in wire-dtype,
where `view` is the model the sites hold, updated on both sides with the same decoded delta (bit-identical;
the quantisation error is carried into the next delta instead of accumulating). So bf16/int8 runs pay
fp32 once and 2x/4x less than fp32 per round after that, in both directions.

Evaluation rides on the train message: each site first evaluates the model it receives (version r-1;
with bf16/int8 the sites' view of it) on its held-out data, then trains. That gives per-site and global
(token-weighted) validation loss for every model version at no extra message round trip; one evaluate
message after the last round covers the final version.

Critical path between rounds: replies are validated and decoded as they arrive (overlapping slower sites),
and each round's commit (state folder + report.json) is written by a background thread while the next round
trains; a round counts as finished once its folder is committed.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import torch
from flwr.app import ArrayRecord, ConfigRecord, Message, MessageType, RecordDict
from flwr.serverapp import Grid

from medfl.core_model.errors import MedflError
from medfl.privacy.dp.central import CentralDP, CentralDPConfig
from medfl.server import wire
from medfl.server.state import ServerState, load_latest, save_state
from medfl.server.strategy import OuterSGD, SiteUpdate, make_strategy

log = logging.getLogger(__name__)

# Fields that must not change when a run is resumed (they define the model / its data).
_FIXED_ON_RESUME = ("preset", "seq-len", "strategy", "seed")


def from_run_config(cls: type, rc: Mapping[str, Any]) -> Any:
    """Build dataclass `cls` from Flower's run config (kebab-case keys, each field's default fixes its type);
    unknown keys are ignored because other components read them."""
    kw: dict[str, Any] = {}
    for f in fields(cls):
        key = f.name.replace("_", "-")
        if key not in rc:
            continue
        v, typ = rc[key], type(getattr(cls, f.name))
        try:
            kw[f.name] = (str(v).lower() in ("1", "true", "yes")) if typ is bool else typ(v)
        except (TypeError, ValueError):
            raise MedflError(f"run config {key}={v!r} is not a valid {typ.__name__}") from None
    return cls(**kw)


@dataclass
class RunConfig:
    """Federation-wide settings (Flower run config, kebab-case keys: `num-rounds`, `wire-dtype`, ...)."""

    num_rounds: int = 3
    local_steps: int = 20
    strategy: str = "nesterov"  # fedavg | fedprox | nesterov
    prox_mu: float = 0.01
    outer_lr: float = 0.7
    outer_momentum: float = 0.9
    preset: str = "medfl-tiny"
    seq_len: int = 128
    batch_size: int = 8
    lr: float = 1e-3  # inner (site) peak lr; warmup + cosine over num_rounds * local_steps
    warmup_steps: int = 10
    wire_dtype: str = "bf16"  # fp32 | bf16 | int8 (uplink pseudo-gradients)
    min_sites: int = 2
    round_timeout_s: float = 600.0
    state_dir: str = "work/server-state"
    seed: int = 0
    resume: bool = False
    tokenizer_path: str = ""  # default: <state-dir>/tokenizer.model
    keep_last: int = 3
    eval_max_seqs: int = 0  # validation windows per source per site and round (0 = all)
    poll_interval_s: float = 0.1
    max_round_attempts: int = 3  # a round with < min-sites valid updates is retried, then the run stops
    central_dp_noise: float = 0.0  # central DP noise multiplier σ (0 = off); see medfl.privacy.dp.central
    central_dp_clip: float = 1.0  # central DP clip norm of each site's pseudo-gradient
    central_dp_delta: float = 1e-5  # δ of the site-level central DP guarantee

    def __post_init__(self) -> None:
        wire.check_wire_dtype(self.wire_dtype)
        make_strategy(self.strategy, prox_mu=self.prox_mu, outer_lr=self.outer_lr,
                      outer_momentum=self.outer_momentum)
        for f in ("num_rounds", "local_steps", "seq_len", "batch_size", "min_sites", "keep_last",
                  "max_round_attempts"):
            if getattr(self, f) < 1:
                raise MedflError(f"run config {f.replace('_', '-')} must be >= 1, got {getattr(self, f)}")
        if not self.round_timeout_s > 0:
            raise MedflError(f"run config round-timeout-s must be > 0, got {self.round_timeout_s}")
        self.central_dp()  # validates the central-dp-* keys

    def central_dp(self) -> CentralDPConfig:
        return CentralDPConfig(self.central_dp_noise, self.central_dp_clip, self.central_dp_delta)

    @classmethod
    def from_run_config(cls, rc: Mapping[str, Any]) -> RunConfig:
        """Build from Flower's run config; unknown keys are ignored (other components may read them)."""
        return from_run_config(cls, rc)

    def to_dict(self) -> dict[str, Any]:
        return {k.replace("_", "-"): v for k, v in asdict(self).items()}


def _global_eval(per_site: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """Token-weighted global validation loss over sites (= loss on the union of their held-out data)."""
    toks = sum(s["val_tokens"] for s in per_site.values())
    if toks <= 0:
        return {}
    loss = sum(s["val_loss"] * s["val_tokens"] for s in per_site.values()) / toks
    return {"val_loss": loss, "val_ppl": math.exp(min(loss, 80.0)), "val_tokens": toks}


def _dp_info(info: Mapping[str, Any], m: Mapping[str, Any]) -> dict[str, Any]:
    """A site's reported DP state (empty when the site does not run DP-SGD)."""
    if "dp-epsilon" not in m:
        return {}
    out: dict[str, Any] = {k: str(info[f"dp-{k}"])[:100] for k in ("unit", "accountant", "mode", "mechanism")
                           if f"dp-{k}" in info}
    for k in ("epsilon", "delta", "target-epsilon", "noise-multiplier", "max-grad-norm", "sample-rate",
              "steps"):
        if f"dp-{k}" in m:
            out[k.replace("-", "_")] = float(m[f"dp-{k}"])
    return out


def _declines_stop(entry: Mapping[str, Any], min_sites: int) -> str | None:
    """Why the run must end when declined sites leave fewer than min-sites that can train, else None."""
    sites = entry.get("sites", {})
    declined = sorted(k for k, v in sites.items() if v.get("status") == "declined")
    if declined and len(sites) - len(declined) < min_sites:
        return (f"{len(declined)} site(s) declined ({', '.join(declined)}): fewer than min-sites {min_sites} "
                "can still train")
    return None


class Coordinator:
    """Runs the federated rounds of one Flower run; `run()` returns the report dict."""

    def __init__(self, grid: Grid, cfg: RunConfig) -> None:
        from medfl.core_model.tokenizer import Tokenizer  # sentencepiece: only needed here

        self.grid, self.cfg = grid, cfg
        self.state_dir = Path(cfg.state_dir)
        self.tok_path = Path(cfg.tokenizer_path or self.state_dir / "tokenizer.model")
        if not self.tok_path.is_file():
            raise MedflError(f"tokenizer {self.tok_path} not found (`medfl-server start` copies it there)")
        self.tokenizer = Tokenizer.load(self.tok_path)
        self.strategy: OuterSGD = make_strategy(cfg.strategy, prox_mu=cfg.prox_mu, outer_lr=cfg.outer_lr,
                                                outer_momentum=cfg.outer_momentum)
        self.state = self._init_or_resume()
        self.spec = wire.spec_of(self.state.weights)
        self.node_sites: dict[int, str] = {}  # node id -> site name, learned from replies
        self.nodes_with_tokenizer: set[int] = set()
        # downlink: the model version sites hold (`view`), which version each node holds, the last delta
        self.view: dict[str, torch.Tensor] | None = None
        self.view_version = -1
        self.node_has: dict[int, int] = {}
        self._delta: tuple[int, ArrayRecord | None] = (-1, None)
        self.final_eval: dict[str, Any] = {}
        self._saver: threading.Thread | None = None
        self._save_error: BaseException | None = None
        self.central = CentralDP(cfg.central_dp()) if cfg.central_dp().enabled else None

    # ---- state ------------------------------------------------------------------------------------

    def _init_or_resume(self) -> ServerState:
        from medfl.core_model.config import ModelConfig
        from medfl.core_model.model import Transformer

        prev = load_latest(self.state_dir)
        if prev is not None and not self.cfg.resume:
            raise MedflError(f"state dir {self.state_dir} already holds round {prev.round}: resume it "
                             "(--resume) or choose an empty state dir")
        if prev is not None:
            old = prev.run_config
            changed = [k for k in _FIXED_ON_RESUME if k in old and old[k] != self.cfg.to_dict()[k]]
            if changed:
                raise MedflError(f"cannot resume {self.state_dir}: run config {', '.join(changed)} changed")
            if prev.tokenizer_sha != self.tokenizer.sha256:
                raise MedflError(f"cannot resume {self.state_dir}: tokenizer {self.tok_path} "
                                 "is not the one the run started with")
            self.strategy.load_state_dict(prev.outer_state)
            prev.run_config = self.cfg.to_dict()
            log.info("resuming from round %d in %s", prev.round, self.state_dir)
            return prev
        mcfg = ModelConfig.from_name(self.cfg.preset, vocab_size=self.tokenizer.vocab_size)
        if self.cfg.seq_len > mcfg.max_seq_len:
            raise MedflError(f"run config seq-len {self.cfg.seq_len} exceeds {mcfg.name} max_seq_len "
                             f"{mcfg.max_seq_len}")
        torch.manual_seed(self.cfg.seed)
        weights = {k: v.float() for k, v in Transformer(mcfg).state_dict().items()}
        st = ServerState(round=0, weights=weights, model_config=mcfg.to_dict(), run_config=self.cfg.to_dict(),
                         tokenizer_sha=self.tokenizer.sha256)
        save_state(self.state_dir, st, tokenizer_path=self.tok_path, keep_last=self.cfg.keep_last)
        log.info("initialised %s (%.2fM params) in %s", mcfg.name,
                 sum(v.numel() for v in weights.values()) / 1e6, self.state_dir)
        return st

    # ---- messaging --------------------------------------------------------------------------------

    def _site(self, node_id: int) -> str:
        return self.node_sites.get(node_id, f"node-{node_id}")

    def _wait_for_nodes(self) -> list[int]:
        deadline = time.monotonic() + self.cfg.round_timeout_s
        while True:
            nodes = sorted(self.grid.get_node_ids())
            if len(nodes) >= self.cfg.min_sites:
                return nodes
            if time.monotonic() > deadline:
                n, t = len(nodes), self.cfg.round_timeout_s
                raise MedflError(f"only {n} site(s) connected after {t:.0f} s; "
                                 f"run config min-sites is {self.cfg.min_sites}")
            time.sleep(max(self.cfg.poll_interval_s, 0.5))

    def _config(self, rnd: int, node_id: int, *, evaluate: bool, downlink: str, base: int) -> ConfigRecord:
        c = self.cfg
        cr = ConfigRecord({
            "server-round": rnd, "model-version": self.state.model_version, "local-steps": c.local_steps,
            "lr": c.lr, "warmup-steps": c.warmup_steps, "total-steps": c.num_rounds * c.local_steps,
            "wire-dtype": c.wire_dtype, "downlink": downlink, "base-version": base,
            "downlink-dtype": c.wire_dtype if downlink == "delta" else "fp32", "seq-len": c.seq_len,
            "batch-size": c.batch_size, "seed": c.seed,
            "eval-max-seqs": c.eval_max_seqs,
            "model-config": json.dumps(self.state.model_config), "tokenizer-sha": self.tokenizer.sha256,
            "evaluate-only": evaluate, **self.strategy.site_config(),
        })
        if node_id not in self.nodes_with_tokenizer:  # first contact in this run (or after an error)
            cr["tokenizer"] = self.tokenizer.to_bytes()
        return cr

    def _exchange(self, rnd: int, *, evaluate: bool,
                  on_reply: Callable[[int, Message], None]) -> tuple[list[int], set[int], dict]:
        """Send the current global model to every connected site; hand each reply to `on_reply` as it
        arrives (so validation/decoding overlaps with slower sites) until all replied or the timeout."""
        nodes = self._wait_for_nodes()
        base, delta = self._advance_view()
        full: ArrayRecord | None = None
        mtype = MessageType.EVALUATE if evaluate else MessageType.TRAIN
        msgs, down = [], 0
        for n in nodes:
            if delta is not None and self.node_has.get(n) == base:
                kind, arrays = "delta", delta
            else:  # first contact, after resume, or the node missed a round: exact fp32 resync
                full = full or wire.encode_state(self.view, "fp32")
                kind, arrays = "full", full
            down += wire.record_nbytes(arrays)
            cfg = self._config(rnd, n, evaluate=evaluate, downlink=kind, base=base)
            # every message shares one ArrayRecord object per kind: flwr's object store uploads it once
            msgs.append(Message(RecordDict({"arrays": arrays, "config": cfg}), dst_node_id=n,
                                message_type=mtype, group_id=str(rnd), ttl=self.cfg.round_timeout_s + 60))
        t0 = time.monotonic()
        # HttpGrid returns None for a message it could not push; that site simply gets no reply (timeout)
        ids = {mid: n for mid, n in zip(self.grid.push_messages(msgs), nodes, strict=True) if mid}
        replied: set[int] = set()
        pending = set(ids)
        while pending:  # pull at least once, even if pushing took the whole timeout (huge models)
            for r in self.grid.pull_messages(list(pending)):
                mid = r.metadata.reply_to_message_id
                if mid in pending:
                    pending.discard(mid)
                    replied.add(ids[mid])
                    on_reply(ids[mid], r)
            if not pending or time.monotonic() - t0 >= self.cfg.round_timeout_s:
                break
            time.sleep(self.cfg.poll_interval_s)
        return nodes, replied, {"exchange_s": time.monotonic() - t0, "bytes_down": float(down)}

    def _advance_view(self) -> tuple[int, ArrayRecord | None]:
        """Bring the sites' view of the global model to the current version; return (base version, delta).

        `self.view` is the model the sites hold: exactly what they reconstruct from what we sent. With
        wire-dtype fp32 it is the global model itself. Otherwise a node that holds view version `base`
        gets `encode(global - view)` in wire-dtype and adds its decoded value, as we do here, so both sides
        stay bit-identical; quantisation error is not lost but carried into the next round's delta (error
        feedback on the downlink). Nodes that do not hold `base` get the view in fp32 (exact resync)."""
        v = self.state.model_version
        if self.cfg.wire_dtype == "fp32" or self.view is None:
            self.view = {k: t.clone() for k, t in self.state.weights.items()}
            self.view_version, self._delta = v, (v, None)
        elif self.view_version != v:  # once per version (a retried round reuses the same delta)
            d = {k: self.state.weights[k] - self.view[k] for k in self.view}
            rec = wire.encode_state(d, self.cfg.wire_dtype)
            for k, dq in wire.decode_state(rec, self.cfg.wire_dtype, self.spec).items():
                self.view[k].add_(dq)
            self._delta, self.view_version = (self.view_version, rec), v
        return self._delta

    def _check_reply(self, rnd: int, node: int, msg: Message,
                     evaluate: bool) -> tuple[dict, SiteUpdate | None]:
        """Validate one reply -> (site record, update or None). Rejections log one line naming the site."""
        if msg.has_error():
            self.nodes_with_tokenizer.discard(node)  # e.g. a site that lost its cache: resend next time
            self.node_has.pop(node, None)  # and its model: resync in fp32 next time
            reason = f"error reply (code {msg.error.code}): {msg.error.reason[:200]}"
            log.warning("round %d: site %s failed: %s", rnd, self._site(node), reason)
            return {"status": "failed", "reason": reason}, None
        try:
            content = msg.content
            info, m = content.config_records.get("site"), content.metric_records.get("metrics")
            if info is None or m is None:
                raise wire.UpdateRejected("reply lacks the 'site' config or 'metrics' record")
            self.node_sites[node] = name = str(info.get("site-id", f"node-{node}"))[:64]
            if info.get("tokenizer-sha") == self.tokenizer.sha256:
                self.nodes_with_tokenizer.add(node)
            dp = _dp_info(info, m)
            if info.get("declined"):  # e.g. its privacy budget is spent: recorded, not an error
                reason = str(info["declined"])[:300]
                log.warning("round %d: site %s declined: %s", rnd, name, reason)
                return {"status": "declined", "reason": reason, **({"dp": dp} if dp else {})}, None
            if int(m.get("model-version", -1)) != self.state.model_version:
                raise wire.UpdateRejected(f"stale model-version {m.get('model-version')} "
                                          f"(current {self.state.model_version})")
            self.node_has[node] = self.view_version  # it applied this round's downlink
            rec = {"status": "ok"}
            for k in ("val-loss", "val-tokens", "num-examples", "train-loss", "train-seconds", "site-seconds",
                      "bytes-up"):
                if k in m:
                    v = float(m[k])
                    if not math.isfinite(v):
                        raise wire.UpdateRejected(f"metric {k} is not finite")
                    rec[k.replace("-", "_")] = v
            if "val_loss" in rec:
                rec["val_ppl"] = math.exp(min(rec["val_loss"], 80.0))
            if dp:
                rec["dp"] = dp
            if evaluate:
                return rec, None
            tokens = rec.get("num_examples", 0.0)
            most = self.cfg.local_steps * self.cfg.batch_size * self.cfg.seq_len  # a site cannot claim more
            if not 0 < tokens <= most:
                raise wire.UpdateRejected(f"num-examples {tokens:.0f} outside (0, {most}] (local-steps x "
                                          "batch-size x seq-len)")
            upd = content.array_records.get("update")
            if upd is None:
                raise wire.UpdateRejected("reply lacks the 'update' array record")
            rec["bytes_up"] = float(wire.record_nbytes(upd))
            delta = wire.decode_state(upd, self.cfg.wire_dtype, self.spec)
            return rec, SiteUpdate(site=name, delta=delta, weight=tokens)
        except (wire.UpdateRejected, TypeError, ValueError, KeyError) as e:  # never let a reply kill the run
            reason = str(e) if isinstance(e, wire.UpdateRejected) else f"malformed reply ({type(e).__name__})"
            log.warning("round %d: rejected update from site %s: %s", rnd, self._site(node), reason)
            return {"status": "rejected", "reason": reason}, None

    # ---- rounds -----------------------------------------------------------------------------------

    def _collect(self, rnd: int, *, evaluate: bool) -> tuple[dict[str, dict], list[SiteUpdate], dict]:
        sites: dict[str, dict] = {}
        updates: list[SiteUpdate] = []

        def on_reply(node: int, msg: Message) -> None:
            rec, upd = self._check_reply(rnd, node, msg, evaluate=evaluate)
            name = self._site(node)
            if name in sites:  # two SuperNodes with one site-id would count that site twice
                log.warning("round %d: rejected update from site %s: duplicate site-id (node %d)", rnd, name,
                            node)
                name, upd = f"{name}@node-{node}", None
                rec = {"status": "rejected", "reason": "duplicate site-id"}
            sites[name] = rec
            if upd is not None:
                updates.append(upd)

        nodes, replied, stats = self._exchange(rnd, evaluate=evaluate, on_reply=on_reply)
        for n in sorted(set(nodes) - replied):
            log.warning("round %d: site %s sent no reply within %.0f s", rnd, self._site(n),
                        self.cfg.round_timeout_s)
            sites[self._site(n)] = {"status": "timeout"}
        return dict(sorted(sites.items())), updates, stats

    def _round(self, rnd: int, failed_attempts: list[dict]) -> bool:
        t0 = time.monotonic()
        sites, updates, stats = self._collect(rnd, evaluate=False)
        ok = [s for s in sites.values() if s["status"] == "ok"]
        entry: dict[str, Any] = {
            "round": rnd, "trained_from_version": self.state.model_version, "sites": sites,
            "n_ok": len(updates), "bytes_down": stats["bytes_down"],
            "bytes_up": sum(s.get("bytes_up", 0.0) for s in ok), "exchange_s": stats["exchange_s"],
            "tokens": sum(u.weight for u in updates),
        }
        if ok:
            with_loss = [s for s in ok if "train_loss" in s]  # DP sites keep their private train loss
            if with_loss:
                entry["train_loss"] = (sum(s["train_loss"] * s["num_examples"] for s in with_loss)
                                       / sum(s["num_examples"] for s in with_loss))
            entry["eval"] = {"model_version": self.state.model_version,
                             **_global_eval({k: v for k, v in sites.items() if v.get("val_tokens")})}
        if len(updates) < self.cfg.min_sites:
            log.warning("round %d: %d valid update(s) < min-sites %d; global model unchanged", rnd,
                        len(updates), self.cfg.min_sites)
            failed_attempts.append(entry)
            return False
        self._wait_saved()  # the previous round's commit reads the momentum buffer we are about to update
        if self.central is not None:  # clip each site, noise the sum; the outer step is post-processing
            noised, info = self.central.aggregate([u.delta for u in updates])
            n_dp = 1 + sum(1 for e in self.state.history if "central_dp" in e)
            entry["central_dp"] = {"round_index": n_dp, "epsilon": self.central.epsilon(n_dp), **info}
            agg = [SiteUpdate(site="central-dp", delta=noised, weight=1.0)]
        else:
            agg = updates
        new = self.strategy.aggregate(self.state.weights, agg)
        bad = [k for k, v in new.items() if not wire.all_finite(v)]
        if bad:
            log.warning("round %d: aggregate has NaN/Inf in %s; round discarded", rnd, bad[0])
            failed_attempts.append(entry)
            return False
        entry["failed_attempts"] = list(failed_attempts)
        # round wall time: start of this round -> next round can start (commit runs in the background)
        entry["wall_s"] = time.monotonic() - t0
        entry["overhead_s"] = entry["wall_s"] - max(s.get("train_seconds", 0.0) for s in ok)
        # the part of the overhead outside the sites' handlers (transport, queuing, process start, server)
        entry["transport_s"] = entry["wall_s"] - max(s.get("site_seconds", 0.0) for s in ok)
        self.state.weights, self.state.round = new, rnd
        self.state.outer_state = self.strategy.state_dict()
        self.state.history.append(entry)
        self._commit_async()
        g = entry.get("eval", {})
        log.info("round %d/%d: %d/%d sites, train loss %.4f, val ppl(v%d) %.2f, %.1f s (overhead %.1f s), "
                 "%.1f MB down / %.1f MB up", rnd, self.cfg.num_rounds, len(updates), len(sites),
                 entry.get("train_loss", float("nan")), self.state.model_version - 1,
                 g.get("val_ppl", float("nan")), entry["wall_s"], entry["overhead_s"],
                 entry["bytes_down"] / 1e6, entry["bytes_up"] / 1e6)
        return True

    def evaluate_final(self) -> dict[str, Any]:
        """Evaluate the current global model on every site's held-out data (one evaluate message each)."""
        sites, _, stats = self._collect(self.state.round, evaluate=True)
        ok = {k: v for k, v in sites.items() if v.get("val_tokens")}
        return {"model_version": self.state.model_version, "sites": sites, **_global_eval(ok),
                "wall_s": stats["exchange_s"]}

    # ---- commits: state + report, overlapped with the next round's training -----------------------

    def _commit_async(self) -> None:
        """Save the round in a background thread: sites start the next round while ~100 MB-10 GB are
        written and fsynced. The round counts as finished (resumable) once `save_state` returns; a crash
        before that resumes from the previous round and redoes this one."""
        snap = ServerState(round=self.state.round, weights=self.state.weights,  # never mutated in place
                           outer_state={k: v.clone() for k, v in self.state.outer_state.items()},
                           history=list(self.state.history), model_config=self.state.model_config,
                           run_config=self.state.run_config, tokenizer_sha=self.state.tokenizer_sha)
        self._wait_saved()
        self._saver = threading.Thread(target=self._commit, args=(snap,), name="medfl-commit")
        self._saver.start()

    def _commit(self, snap: ServerState) -> None:
        from medfl.server.report import write_report

        try:
            save_state(self.state_dir, snap, tokenizer_path=self.tok_path, keep_last=self.cfg.keep_last)
            write_report(self.state_dir, self.cfg, snap, self.strategy, plot=False)
        except BaseException as e:  # surfaced by _wait_saved in the main thread
            self._save_error = e

    def _wait_saved(self) -> None:
        if self._saver is not None:
            self._saver.join()
            self._saver = None
        if self._save_error is not None:
            e, self._save_error = self._save_error, None
            raise MedflError(f"could not save round state in {self.state_dir}: {e}") from e

    def run(self) -> dict[str, Any]:
        from medfl.server.report import write_report

        while self.state.round < self.cfg.num_rounds:
            rnd, failed = self.state.round + 1, []
            while not self._round(rnd, failed):
                stop = _declines_stop(failed[-1], self.cfg.min_sites)
                if stop:  # declines are final (a spent budget does not come back): end cleanly
                    log.warning("round %d: %s; ending the run after %d round(s)", rnd, stop, self.state.round)
                    self._wait_saved()
                    self.final_eval = self.evaluate_final()
                    return write_report(self.state_dir, self.cfg, self.state, self.strategy,
                                        final_eval=self.final_eval, failed_round=failed, stopped=stop)
                if len(failed) >= self.cfg.max_round_attempts:
                    self._wait_saved()
                    write_report(self.state_dir, self.cfg, self.state, self.strategy, failed_round=failed)
                    raise MedflError(f"round {rnd} failed {len(failed)} times (fewer than min-sites "
                                     f"{self.cfg.min_sites} valid updates); state kept at round {rnd - 1}")
        self._wait_saved()
        self.final_eval = self.evaluate_final()
        return write_report(self.state_dir, self.cfg, self.state, self.strategy, final_eval=self.final_eval)
