"""medfl's Flower ServerApp (Message API): `medfl.server.app:app`.

Thin on purpose: the run config becomes a `RunConfig`, and `medfl.server.rounds.Coordinator` does the
work (initialise or resume state, run the rounds, evaluate, write the run report). See rounds.py for why
the round loop is ours rather than `flwr.serverapp.strategy.FedAvg.start()`: per-round atomic state with
resume, a round timeout that aggregates what arrived when at least min-sites valid updates did, one-line
rejection of bad updates naming the site, and 0.1 s reply polling instead of HttpGrid's 3 s.

Run config keys (kebab-case, from federation.toml via `medfl-server start`): num-rounds, local-steps,
strategy (fedavg|fedprox|nesterov), prox-mu, outer-lr, outer-momentum, preset, seq-len, batch-size, lr,
warmup-steps, wire-dtype (fp32|bf16|int8), min-sites, round-timeout-s, state-dir, seed, resume,
tokenizer-path, keep-last, eval-max-seqs, poll-interval-s, max-round-attempts.
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
    from medfl.server.rounds import Coordinator, RunConfig  # torch import deferred to run time
    from medfl.server.tokenizer_phase import PhaseConfig, run_tokenizer_phase

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
