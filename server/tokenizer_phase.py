"""The federated tokenizer phase (issue 7): sites send word counts, the server trains the shared tokenizer.

    ServerApp -> "query.tokenizer" message to every site (ConfigRecord "config": phase, k, DP request)
    site      -> RecordDict {"counts": ConfigRecord(words, counts), "metrics": MetricRecord}   (no text)
    ServerApp -> sum counts -> SentencePiece BPE from the word-frequency list -> <state-dir>/tokenizer.model

Design choices
- Same authenticated Flower channel, same round machinery as training (push once, poll pull_messages every
  poll-interval-s, round-timeout-s, min-sites); a Flower message type of its own ("query.tokenizer") so the
  ClientApp routes it without touching the train/evaluate handlers.
- When: run config `phase = "tokenizer"` runs only this phase (`medfl-server tokenizer`); otherwise it
  runs before round 1 when `federated-tokenizer` is true (default) and the tokenizer path does not exist
  yet (`medfl-server start` without a [run] tokenizer). A state dir that already holds a round is refused:
  its tokenizer is fixed by the checkpoints.
- The tokenizer is written atomically (`train_tokenizer`); the Coordinator then commits it in the round-0
  state and every round's checkpoint, and sites receive it with their first training message (cached by
  sha256). Training is deterministic, so the same counts give the same bytes.
- Replies are validated (record present, words are non-empty single-line strings, counts positive ints,
  equal lengths, the site applied at least the requested k); a bad reply is rejected with one log line
  naming the site, never its words. The report (<state-dir>/tokenizer_report.json) holds numbers only.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from flwr.app import ConfigRecord, Message, RecordDict
from flwr.serverapp import Grid

from medfl.core_model.atomic import write_json_atomic
from medfl.core_model.errors import MedflError
from medfl.server.rounds import from_run_config

log = logging.getLogger(__name__)

MESSAGE_TYPE = "query.tokenizer"
REPORT = "tokenizer_report.json"
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


@dataclass
class PhaseConfig:
    """Run config of the tokenizer phase (kebab-case keys; unknown keys ignored)."""

    phase: str = "train"  # "tokenizer": only this phase; "train": this phase first if needed, then rounds
    federated_tokenizer: bool = True
    tokenizer_vocab_size: int = 8000
    tokenizer_min_doc_freq: int = 5  # k requested from every site (a site may apply a larger one)
    tokenizer_dp_epsilon: float = 0.0  # > 0 requests the DP set union from every site
    tokenizer_dp_delta: float = 1e-6
    state_dir: str = "work/server-state"
    tokenizer_path: str = ""  # default <state-dir>/tokenizer.model
    min_sites: int = 2
    round_timeout_s: float = 600.0
    poll_interval_s: float = 0.1

    def __post_init__(self) -> None:
        if self.phase not in ("train", "tokenizer"):
            raise MedflError(f"run config phase={self.phase!r}: use 'train' or 'tokenizer'")
        if self.tokenizer_min_doc_freq < 1:
            raise MedflError("run config tokenizer-min-doc-freq must be >= 1, got "
                             f"{self.tokenizer_min_doc_freq}")

    @classmethod
    def from_run_config(cls, rc: Mapping[str, Any]) -> PhaseConfig:
        return from_run_config(cls, rc)

    @property
    def tok_path(self) -> Path:
        return Path(self.tokenizer_path or Path(self.state_dir) / "tokenizer.model")

    def wanted(self) -> bool:
        """Run the phase now? Always for phase=tokenizer; before round 1 if there is no tokenizer yet."""
        return self.phase == "tokenizer" or (self.federated_tokenizer and not self.tok_path.exists())

    def request(self) -> ConfigRecord:
        """What every site is asked to apply (sites enforce the stricter of this and their node config)."""
        return ConfigRecord({"phase": "tokenizer", "tokenizer-min-doc-freq": self.tokenizer_min_doc_freq,
                             "tokenizer-dp-epsilon": self.tokenizer_dp_epsilon,
                             "tokenizer-dp-delta": self.tokenizer_dp_delta})


class _Rejected(Exception):
    pass


def _check_reply(msg: Message, min_doc_freq: int) -> tuple[str, dict[str, int], dict[str, float]]:
    """(site name, counts, metrics) of a valid reply; _Rejected (message without words) otherwise."""
    content = msg.content
    rec, m = content.config_records.get("counts"), content.metric_records.get("metrics")
    if rec is None or m is None:
        raise _Rejected("reply lacks the 'counts' config or 'metrics' record")
    words, counts = rec.get("words"), rec.get("counts")
    if not isinstance(words, list) or not isinstance(counts, list) or len(words) != len(counts):
        raise _Rejected("counts record needs equal-length lists 'words' and 'counts'")
    for i, (w, c) in enumerate(zip(words, counts, strict=True)):
        if not isinstance(w, str) or not w or not _LINE_BREAKS.isdisjoint(w):  # never echo the word
            raise _Rejected(f"word #{i} is not a non-empty single-line string")
        if not isinstance(c, int) or isinstance(c, bool) or c < 1:
            raise _Rejected(f"count #{i} is not a positive integer")
    if len(set(words)) != len(words):
        raise _Rejected("counts record repeats a word")
    k = float(m.get("min-doc-freq", 0))
    if k < min_doc_freq:
        raise _Rejected(f"applied min-doc-freq {k:g} < requested {min_doc_freq}")
    name = str(rec.get("site-id", ""))[:64]
    return name, dict(zip(words, counts, strict=True)), {k: float(v) for k, v in m.items()}


def _label(msg: Message, node: int) -> str:
    """The site name a reply gives (for logs and the report), else node-<id>."""
    try:
        name = str(msg.content.config_records["counts"]["site-id"])[:64]
    except (KeyError, TypeError, AttributeError, ValueError):
        name = ""
    return name or f"node-{node}"


def _exchange(grid: Grid, cfg: PhaseConfig) -> tuple[list[int], dict[int, Message], float]:
    """Send the phase message to every connected site; collect replies until all or round-timeout-s."""
    deadline = time.monotonic() + cfg.round_timeout_s
    while len(nodes := sorted(grid.get_node_ids())) < cfg.min_sites:
        if time.monotonic() >= deadline:
            raise MedflError(f"tokenizer phase: only {len(nodes)} site(s) connected within "
                             f"{cfg.round_timeout_s:.0f} s (min-sites {cfg.min_sites})")
        time.sleep(1.0)
    req = cfg.request()
    msgs = [Message(RecordDict({"config": req}), dst_node_id=n, message_type=MESSAGE_TYPE,
                    group_id="tokenizer", ttl=cfg.round_timeout_s + 60) for n in nodes]
    t0 = time.monotonic()
    ids = {mid: n for mid, n in zip(grid.push_messages(msgs), nodes, strict=True) if mid}
    replies: dict[int, Message] = {}
    while ids:
        for r in grid.pull_messages(list(ids)):
            n = ids.pop(r.metadata.reply_to_message_id, None)
            if n is not None:
                replies[n] = r
        if not ids or time.monotonic() - t0 >= cfg.round_timeout_s:
            break
        time.sleep(cfg.poll_interval_s)
    return nodes, replies, time.monotonic() - t0


def run_tokenizer_phase(grid: Grid, cfg: PhaseConfig) -> dict[str, Any]:
    """Collect every site's counts, train the shared tokenizer into cfg.tok_path; return the report."""
    from medfl.core_model.tokenizer import Tokenizer, train_tokenizer
    from medfl.server.state import list_rounds

    t_start = time.monotonic()
    state_dir = Path(cfg.state_dir)
    if list_rounds(state_dir):
        raise MedflError(f"tokenizer phase: state dir {state_dir} already holds rounds; their tokenizer is "
                         "fixed (use an empty state dir for a new tokenizer)")
    log.info("tokenizer phase: asking sites for word counts (k=%d%s), vocab %d", cfg.tokenizer_min_doc_freq,
             f", DP eps={cfg.tokenizer_dp_epsilon:g}" if cfg.tokenizer_dp_epsilon > 0 else "",
             cfg.tokenizer_vocab_size)
    nodes, replies, exchange_s = _exchange(grid, cfg)

    sites: dict[str, dict[str, Any]] = {}
    merged: Counter[str] = Counter()
    per_site_words: list[set[str]] = []
    for n in nodes:
        msg = replies.get(n)
        if msg is None:
            log.warning("tokenizer phase: site node-%d sent no reply within %.0f s", n, cfg.round_timeout_s)
            sites[f"node-{n}"] = {"status": "timeout"}
            continue
        if msg.has_error():
            reason = f"error reply (code {msg.error.code}): {msg.error.reason[:200]}"
            log.warning("tokenizer phase: site node-%d failed: %s", n, reason)
            sites[f"node-{n}"] = {"status": "failed", "reason": reason}
            continue
        name = _label(msg, n)
        try:
            _, counts, metrics = _check_reply(msg, cfg.tokenizer_min_doc_freq)
            if name in sites:
                name = f"{name}@node-{n}"
                raise _Rejected("duplicate site-id")
        except (_Rejected, TypeError, ValueError, AttributeError) as e:
            reason = str(e) if isinstance(e, _Rejected) else f"malformed reply ({type(e).__name__})"
            log.warning("tokenizer phase: rejected counts from site %s: %s", name, reason)
            sites[name] = {"status": "rejected", "reason": reason}
            continue
        merged.update(counts)
        per_site_words.append(set(counts))
        up = sum(len(w.encode()) + 8 for w in counts)  # payload estimate: utf-8 words + int64 counts
        sites[name] = {"status": "ok", "bytes_up": up,
                       **{k.replace("-", "_"): v for k, v in metrics.items() if k != "site-id"}}
        log.info("tokenizer phase: site %s: %d words, %d tokens", name, len(counts), sum(counts.values()))
    n_ok = len(per_site_words)
    if n_ok < cfg.min_sites:
        raise MedflError(f"tokenizer phase: {n_ok} valid site(s) < min-sites {cfg.min_sites}; no tokenizer "
                         "written (see the log for each site)")

    t_train = time.monotonic()
    train_tokenizer(out_path=cfg.tok_path, vocab_size=cfg.tokenizer_vocab_size, word_counts=merged)
    tok = Tokenizer.load(cfg.tok_path)
    in_all = set.intersection(*per_site_words) if per_site_words else set()
    report = {
        "tokenizer": str(cfg.tok_path), "sha256": tok.sha256, "vocab_size": tok.vocab_size,
        "min_doc_freq": cfg.tokenizer_min_doc_freq, "dp_epsilon_requested": cfg.tokenizer_dp_epsilon,
        "sites": dict(sorted(sites.items())), "n_ok": n_ok,
        "merged": {"num_words": len(merged), "num_tokens": sum(merged.values()),
                   "num_words_in_all_sites": len(in_all)},
        "bytes_up": sum(s.get("bytes_up", 0) for s in sites.values()),
        "exchange_s": exchange_s, "train_s": time.monotonic() - t_train,
        "wall_s": time.monotonic() - t_start, "config": asdict(cfg),
    }
    write_json_atomic(state_dir / REPORT, report)
    log.info("tokenizer phase: %d/%d sites, %d merged words -> vocab %d tokenizer %s (sha256 %s), %.1f s",
             n_ok, len(nodes), len(merged), tok.vocab_size, cfg.tok_path, tok.sha256[:12], report["wall_s"])
    return report
