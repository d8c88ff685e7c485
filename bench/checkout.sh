#!/usr/bin/env bash
# Benchmark: checkouts per second through the gateway of the all-in-one shop, payment provider
# latency 0. Starts the shop, restocks the demo catalog, runs bench/CheckoutBench.java, stops the shop.
#
#   bench/checkout.sh            (env: CONCURRENCY=32 WARMUP_SECONDS=10 SECONDS=30)
set -euo pipefail
cd "$(dirname "$0")/.."
GATEWAY_PORT=${GATEWAY_PORT:-18080}
OPS_PORT=${OPS_PORT:-19000}
WORK=$(mktemp -d)
trap 'kill "${SHOP_PID:-}" 2>/dev/null || true; wait "${SHOP_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ -f launcher/target/shop.jar ] || ./mvnw -B -q -DskipTests package
ADMIN_TOKEN=bench-$(od -An -N12 -tx1 /dev/urandom | tr -d " \n")
echo "starting the all-in-one shop (provider latency 0)..."
SHOP_GATEWAY_PORT=$GATEWAY_PORT SHOP_OPS_PORT=$OPS_PORT SHOP_ADMIN_TOKEN=$ADMIN_TOKEN SHOP_USERS_REGISTER_ADDRESS_ATTEMPTS=1000000 SHOP_PROVIDER_LATENCY=0 \
  SHOP_LOG_FORMAT=text java -jar launcher/target/shop.jar >"$WORK/shop.log" 2>&1 &
SHOP_PID=$!
for _ in $(seq 1 900); do
  grep -q "Vert.x Shop ready" "$WORK/shop.log" && break
  kill -0 $SHOP_PID 2>/dev/null || { cat "$WORK/shop.log"; echo "shop exited before ready"; exit 1; }
  sleep 0.1
done
grep -q "Vert.x Shop ready" "$WORK/shop.log" || { tail -50 "$WORK/shop.log"; echo "not ready after 90 s"; exit 1; }

BASE_URL=http://127.0.0.1:$GATEWAY_PORT ADMIN_TOKEN=$ADMIN_TOKEN java bench/CheckoutBench.java
RSS_KB=$(awk '/VmRSS/ {print $2}' /proc/$SHOP_PID/status)
echo "RSS of the all-in-one JVM after the run: $((RSS_KB / 1024)) MiB"
