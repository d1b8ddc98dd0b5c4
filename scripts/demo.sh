#!/usr/bin/env bash
# The main job (`make demo`): a federation of three simulated hospital sites on this machine, with real
# flower-superlink / flower-supernode processes, TLS and site authentication. medfl-server demo prepares
# (de-identifies) the sites, trains the federated tokenizer, runs the federated rounds, prints the summary
# table and writes the run report (report.json / report.png) and a HuggingFace export under WORK.
# Extra arguments go to `medfl-server demo` (e.g. --rounds 4, --strategy fedavg, --resume).
set -euo pipefail
WORK=${1:-work/demo}
shift || true
exec .venv/bin/medfl-server demo --work "$WORK" "$@"
