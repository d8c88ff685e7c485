#!/usr/bin/env bash
# Benchmark: GET /api/products/{id} through the gateway of the all-in-one shop, loaded with wrk,
# next to pgbench -S (select-only) against the same embedded PostgreSQL, in one run on this machine.
# Prints requests/s, p50, p99, the ratio to pgbench's TPS, time to ready and the JVM's RSS.
#
#   bench/product-by-id.sh            (env: DURATION=20 CONNECTIONS=64 THREADS=2 WARMUP=10)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PGCLIENTS=${PGCLIENTS:-16}
GATEWAY_PORT=${GATEWAY_PORT:-18080}
OPS_PORT=${OPS_PORT:-19000}
DB_PORT=${DB_PORT:-15432}
WORK=$(mktemp -d)
trap 'kill "${SHOP_PID:-}" 2>/dev/null || true; wait "${SHOP_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk || ! need pgbench || ! need curl; then
  echo "installing wrk, pgbench (postgresql-client) and curl from the distribution..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk postgresql-client curl >/dev/null
fi
[ -f launcher/target/shop.jar ] || ./mvnw -B -q -DskipTests package

echo "starting the all-in-one shop..."
T0=$(date +%s%N)
SHOP_GATEWAY_PORT=$GATEWAY_PORT SHOP_OPS_PORT=$OPS_PORT SHOP_EMBEDDED_DB_PORT=$DB_PORT SHOP_LOG_FORMAT=text \
  java -jar launcher/target/shop.jar >"$WORK/shop.log" 2>&1 &
SHOP_PID=$!
for _ in $(seq 1 600); do
  grep -q "Vert.x Shop ready" "$WORK/shop.log" && break
  kill -0 $SHOP_PID 2>/dev/null || { cat "$WORK/shop.log"; echo "shop exited before ready"; exit 1; }
  sleep 0.1
done
grep -q "Vert.x Shop ready" "$WORK/shop.log" || { tail -50 "$WORK/shop.log"; echo "not ready after 60 s"; exit 1; }
READY_MS=$(( ($(date +%s%N) - T0) / 1000000 ))

# Rotate over every product id so the path is not one cached row.
curl -fsS "http://127.0.0.1:$GATEWAY_PORT/api/products?size=100&page=1" >"$WORK/p1.json"
curl -fsS "http://127.0.0.1:$GATEWAY_PORT/api/products?size=100&page=2" >"$WORK/p2.json"
IDS=$(cat "$WORK/p1.json" "$WORK/p2.json" | grep -o '"id":"[0-9a-f-]\{36\}"' | cut -d'"' -f4 | sed 's/.*/"&",/' | tr -d '\n')
cat >"$WORK/ids.lua" <<LUA
local ids = { ${IDS} }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/products/" .. ids[(i % #ids) + 1])
end
LUA

echo "warm-up ${WARMUP}s..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$WORK/ids.lua" "http://127.0.0.1:$GATEWAY_PORT" >/dev/null
RSS_KB=$(awk '/VmRSS/ {print $2}' /proc/$SHOP_PID/status)

echo "gateway load ${DURATION}s (wrk -t$THREADS -c$CONNECTIONS)..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/ids.lua" "http://127.0.0.1:$GATEWAY_PORT" >"$WORK/wrk.txt"
HTTP_RPS=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
HTTP_P50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.txt")
HTTP_P99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.txt")
HTTP_ERR=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/wrk.txt")

echo "pgbench -S ${DURATION}s against the same PostgreSQL (shop idle)..."
export PGHOST=127.0.0.1 PGPORT=$DB_PORT PGUSER=postgres PGPASSWORD=postgres
psql -q -d postgres -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" >/dev/null
pgbench -q -i -s 10 bench >/dev/null 2>&1
(cd "$WORK" && pgbench -S -c "$PGCLIENTS" -j "$THREADS" -T "$DURATION" -l bench >"$WORK/pgbench.txt" 2>&1)
PG_TPS=$(awk '/^tps/ {print $3; exit}' "$WORK/pgbench.txt")
# Per-transaction log: column 3 is the latency in microseconds.
cat "$WORK"/pgbench_log.* | awk '{print $3}' | sort -n >"$WORK/pg_lat.txt"
N=$(wc -l <"$WORK/pg_lat.txt")
PG_P50=$(awk -v n="$N" 'NR==int(n*0.50)+1 {printf "%.2fms", $1/1000}' "$WORK/pg_lat.txt")
PG_P99=$(awk -v n="$N" 'NR==int(n*0.99)+1 {printf "%.2fms", $1/1000}' "$WORK/pg_lat.txt")
RATIO=$(awk -v a="$HTTP_RPS" -v b="$PG_TPS" 'BEGIN {printf "%.2f", a/b}')

kill -TERM $SHOP_PID
wait $SHOP_PID 2>/dev/null || true
SHOP_PID=

echo
echo "| measure | GET /api/products/{id} via gateway | pgbench -S |"
echo "|---|---|---|"
echo "| throughput | ${HTTP_RPS} req/s | ${PG_TPS} tps |"
echo "| p50 | ${HTTP_P50} | ${PG_P50} |"
echo "| p99 | ${HTTP_P99} | ${PG_P99} |"
echo "| ratio (gateway / pgbench) | ${RATIO} | 1 |"
echo "| connections | ${CONNECTIONS} HTTP (wrk, ${THREADS} threads) | ${PGCLIENTS} clients |"
echo
echo "time from JVM start to ready: ${READY_MS} ms ($(grep -o 'ready in [0-9]* ms' "$WORK/shop.log" | head -1) by the shop's own clock)"
echo "RSS of the all-in-one JVM after warm-up: $((RSS_KB / 1024)) MiB (PostgreSQL processes not included)"
[ -z "$HTTP_ERR" ] || echo "wrk errors: $HTTP_ERR"
