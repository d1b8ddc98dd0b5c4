#!/usr/bin/env bash
# One-shot provisioning for the LOCAL docker-compose demo only. In a real federation each step runs on a
# different machine (see deploy/README.md): the CA and add-site on the coordinator, keys and prepare at each
# hospital, and only site.pub / ca.crt cross the network.
set -euo pipefail
FED=/fed
mkdir -p "$FED"
cp -n /opt/medfl/deploy/compose/federation.toml "$FED/federation.toml"
# 1. coordinator: federation CA + SuperLink certificate valid for the compose service name
medfl-server certs --out "$FED/certs" --hostname coordinator
for s in a b c; do
  # 2. site: its own key pair (site.key stays in the site's volume) and the CA certificate
  if [ ! -f "/keys-$s/site.key" ]; then
    medfl-client keys --out "/keys-$s"
  fi
  cp "$FED/certs/ca.crt" "/keys-$s/ca.crt"
  # 3. coordinator: authorize the site's public key
  medfl-server add-site "hospital-$s" "/keys-$s/site.pub" --config "$FED/federation.toml"
done
# 4. demo tokenizer from the public sample texts (a real federation agrees on one before training)
if [ ! -f "$FED/tokenizer.model" ]; then
  for s in cancergov niddk pubmedqa; do
    medfl-client prepare "/samples/$s/raw" "/tmp/tok-$s"
  done
  medfl-client tokenizer --data /tmp/tok-cancergov --data /tmp/tok-niddk --data /tmp/tok-pubmedqa \
    --vocab-size 2048 --out "$FED/tokenizer.model"
fi
echo "provisioned: $FED"
