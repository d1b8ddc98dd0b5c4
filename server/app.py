"""medfl's Flower ServerApp (Message API): `medfl.server.app:app`.

Thin on purpose: the run config becomes a `RunConfig`, and `medfl.server.rounds.Coordinator` does the
work (initialise or resume state, run the rounds, evaluate, write the run report). See rounds.py for why
the round loop is ours rather than `flwr.serverapp.strategy.FedAvg.start()`: per-round atomic state with
resume, a round timeout that aggregates what arrived when at least min-sites valid updates did, one-line
rejection of bad updates naming the site, and 0.1 s reply polling instead of HttpGrid's 3 s (plus a
short retry backoff for reply objects, `_fast_reply_pulls`).

Run config keys (kebab-case, from federation.toml via `medfl-server start`): num-rounds, local-steps,
strategy (fedavg|fedprox|nesterov), prox-mu, outer-lr, outer-momentum, preset, seq-len, batch-size, lr,
warmup-steps, wire-dtype (fp32|bf16|int8), min-sites, round-timeout-s, state-dir, seed, resume,
tokenizer-path, keep-last, eval-max-seqs, poll-interval-s, max-round-attempts, server-threads (1).
Tokenizer phase (medfl.server.tokenizer_phase): phase ("train" | "tokenizer"), federated-tokenizer (run the
phase first when tokenizer-path does not exist), tokenizer-vocab-size, tokenizer-min-doc-freq,
tokenizer-dp-epsilon, tokenizer-dp-delta.
"""

from __future__ import annotations

import logging

from flwr.app import Context
from flwr.serverapp import Grid, ServerApp

log = logging.getLogger(__name__)

app = ServerApp()


def _fast_reply_pulls() -> None:
    """Retry not-yet-uploaded reply objects after 20 ms (doubling to 0.1 s) instead of flwr's 1, 2, 4 s.

    The SuperLink lists a reply as soon as the SuperNode announces it, before the reply's objects are
    uploaded, and `HttpGrid.pull_messages` then waits with flwr's default object backoff (measured: +1.6 s
    to +3.7 s per round on loopback). flwr is pinned (1.41.0) and http_grid imports `pull_objects` by name.
    No per-object try limit: flwr's 2 h overall limit still applies (a big reply over a slow link may take
    minutes to upload, and 500 tries of 0.1 s would give up after ~50 s)."""
    import functools

    import flwr.superlink.grid.http_grid as http_grid
    from flwr.supercore.inflatable.inflatable_utils import pull_objects

    if not isinstance(http_grid.pull_objects, functools.partial):
        http_grid.pull_objects = functools.partial(pull_objects, initial_backoff=0.02, backoff_cap=0.1,
                                                   max_tries_per_object=None)


def _ensure_logging() -> None:
    # flwr-serverapp configures only flwr's own logger; make medfl's INFO lines visible in the run log.
    medfl_log = logging.getLogger("medfl")
    if not medfl_log.handlers and not logging.getLogger().handlers:
        h = logging.StreamHandler()
        h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
        medfl_log.addHandler(h)
    if medfl_log.level == logging.NOTSET:
        medfl_log.setLevel(logging.INFO)


@app.main()
def main(grid: Grid, context: Context) -> None:
    """Run the whole federated training described by the run config."""
    _ensure_logging()
    _fast_reply_pulls()
    import torch

    from medfl.server.rounds import Coordinator, RunConfig  # torch import deferred to run time
    from medfl.server.tokenizer_phase import PhaseConfig, run_tokenizer_phase

    # server-threads (default 1): torch intra-op threads of the coordinator. Measured on the 2-core demo box
    # (sites on the same CPU): with 2 threads every op on a >32k-element tensor paid ~6 ms of thread hand-off,
    # i.e. ~150 ms to validate one medfl-tiny update, vs 2 ms single-threaded. Raise it on a dedicated
    # coordinator aggregating big models.
    torch.set_num_threads(max(1, int(context.run_config.get("server-threads", 1))))

    phase = PhaseConfig.from_run_config(context.run_config)
    if phase.wanted():  # federated tokenizer (issue 7): counts from the sites, before round 1
        run_tokenizer_phase(grid, phase)
        if phase.phase == "tokenizer":
            return
    cfg = RunConfig.from_run_config(context.run_config)
    log.info("medfl run: %s, %d rounds x %d local steps, %s updates, min %d sites, state %s",
             cfg.strategy, cfg.num_rounds, cfg.local_steps, cfg.wire_dtype, cfg.min_sites, cfg.state_dir)
    report = Coordinator(grid, cfg).run()
    fe = report.get("final_eval", {})
    if "val_ppl" in fe:
        log.info("finished %d rounds: global val ppl %.2f; report in %s/report.json",
                 report["rounds_finished"], fe["val_ppl"], cfg.state_dir)
