#!/usr/bin/env bash
# The main job on the shipped sample data: de-identify + prepare three hospital sites, train the medical
# tokenizer, pretrain medfl-small for a few minutes, then print validation perplexity and the fertility table.
set -euo pipefail
WORK=${1:-work/demo}
BIN=.venv/bin
SITES=${DEMO_SITES:-"cancergov niddk pubmedqa"}
MINUTES=${DEMO_MINUTES:-4}
mkdir -p "$WORK"
data_args=()
for s in $SITES; do
  $BIN/medfl-client prepare "data/sites/$s/raw" "$WORK/sites/$s"
  data_args+=(--data "$WORK/sites/$s")
done
$BIN/medfl-client tokenizer "${data_args[@]}" --vocab-size 8000 --out "$WORK/tokenizer.model"
$BIN/medfl-client train "${data_args[@]}" --tokenizer "$WORK/tokenizer.model" --preset medfl-small \
  --out "$WORK/run" --time-budget-min "$MINUTES"
$BIN/medfl-client fertility --tokenizer "$WORK/tokenizer.model" "${data_args[@]}" --json "$WORK/fertility.json"
echo "demo outputs in $WORK"
