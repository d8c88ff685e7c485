#!/usr/bin/env bash
# Load smoke test for CI: the Mixed simulation for ~20 s against the all-in-one shop, failing when more
# requests fail than the SLO allows. Builds the shop if its jar is missing, starts it, runs Gatling, stops it.
# About 1-2 minutes once the jar exists (the shop's start, a pool of signed-in shoppers, 25 s of load, the report).
#
#   loadtest/smoke.sh        env: RATE=4 DURATION=20 USERS=10 SLO_ERROR_PCT=1 SLO_P99_MS=5000
#                                 GATEWAY_PORT=18180 OPS_PORT=18181 (free ports on this machine)
#
# The p99 bound is loose on purpose: CI machines differ, and a smoke catches breakage (errors), not
# regressions of a few milliseconds; loadtest/compare.sh is for figures.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

RATE=${RATE:-4}
DURATION=${DURATION:-20}
USERS=${USERS:-10}
SLO_ERROR_PCT=${SLO_ERROR_PCT:-1}
SLO_P99_MS=${SLO_P99_MS:-5000}
GATEWAY_PORT=${GATEWAY_PORT:-18180}
OPS_PORT=${OPS_PORT:-18181}

log() { printf '%s smoke: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

if [ ! -f launcher/target/shop.jar ]; then
  log "building the shop (launcher/target/shop.jar is missing)"
  ./mvnw -B -q -DskipTests package
fi

work=$(mktemp -d)
shop_pid=
stop_shop() {
  if [ -n "$shop_pid" ] && kill -0 "$shop_pid" 2>/dev/null; then
    kill -TERM "$shop_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$shop_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$shop_pid" 2>/dev/null || true
    wait "$shop_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_shop EXIT

token=smoke-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
log "starting the all-in-one shop on 127.0.0.1:$GATEWAY_PORT"
started=$(date +%s)
# Provider ports next to the gateway's, so that a shop on the default ones elsewhere cannot collide.
SHOP_GATEWAY_PORT=$GATEWAY_PORT SHOP_OPS_PORT=$OPS_PORT SHOP_ADMIN_TOKEN=$token SHOP_USERS_REGISTER_ADDRESS_ATTEMPTS=1000000 \
  SHOP_PROVIDER_PORT=$((GATEWAY_PORT + 2)) SHOP_PROVIDER_ADMIN_PORT=$((GATEWAY_PORT + 3)) \
  SHOP_PAYMENTS_PROVIDER_URL=http://127.0.0.1:$((GATEWAY_PORT + 2)) SHOP_LOG_FORMAT=text \
  java -jar launcher/target/shop.jar >"$work/shop.log" 2>&1 &
shop_pid=$!
for _ in $(seq 1 1800); do
  grep -q "Vert.x Shop ready" "$work/shop.log" && break
  kill -0 "$shop_pid" 2>/dev/null || { tail -50 "$work/shop.log" >&2; log "the shop exited before it was ready"; exit 1; }
  sleep 0.1
done
grep -q "Vert.x Shop ready" "$work/shop.log" || { tail -50 "$work/shop.log" >&2; log "the shop was not ready after 180 s"; exit 1; }
log "ready after $(( $(date +%s) - started )) s; Mixed at $RATE arrivals/s for $DURATION s (SLO: errors <= $SLO_ERROR_PCT %, p99 <= $SLO_P99_MS ms)"

status=0
SHOP_ADMIN_TOKEN=$token ./mvnw -B -f loadtest/pom.xml gatling:test \
  -Dgatling.simulationClass=dev.vertxshop.loadtest.Mixed \
  -Dgatling.resultsFolder="$root/loadtest/target/gatling-smoke" \
  -DbaseUrl="http://127.0.0.1:$GATEWAY_PORT" -Drate="$RATE" -Dduration="$DURATION" -Dramp=5 -Dusers="$USERS" \
  -Dslo.errorPct="$SLO_ERROR_PCT" -Dslo.p99Ms="$SLO_P99_MS" >"$work/gatling.log" 2>&1 || status=$?
# The console summary and the assertions, without Maven's chatter.
sed -n '/---- Global Information/,/^=====/p; /Global: /p; /^timeline: /p' "$work/gatling.log" >&2
if [ "$status" -ne 0 ]; then
  grep -E "ERROR|Exception|failed" "$work/gatling.log" | head -20 >&2 || true
  log "FAILED (report in loadtest/target/gatling-smoke/; shop log tail below)"
  tail -30 "$work/shop.log" >&2
  exit 1
fi
log "passed in $(( $(date +%s) - started )) s (report in loadtest/target/gatling-smoke/)"
