#!/usr/bin/env bash
# The shop on Docker Compose, for real: build the images, start everything, wait until every container
# is healthy, walk the shop through the published edge, kill one catalog replica and walk again, tear
# everything down with its volumes. Prints the timings; exits non-zero on any failure; leaves nothing
# running (a trap on EXIT tears down, whatever happened).
#
#   compose/e2e.sh            as root on Debian 12; needs only Debian's packages and Maven Central
#
# Installs what is missing (docker.io, docker-compose, debootstrap, openssl, python3), starts dockerd
# when no daemon answers (and stops it again at the end), packages the fat jars when they are missing.
# Settings: SHOP_VERSION (image tag, 0.1.0), E2E_PROJECT (compose project, vertx-shop-e2e),
# E2E_HEALTH_TIMEOUT (s, 300), E2E_SETTLE_WINDOW (s, 60: retries of the first walk), E2E_RECOVERY_WINDOW
# (s, 120: retries of the walk after the kill), E2E_HTTP_PORT (default: 8080, or a free
# port when 8080 is taken), E2E_KEEP=1 (leave the shop running; for debugging only).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/compose"

VERSION=${SHOP_VERSION:-0.1.0}
PROJECT=${E2E_PROJECT:-vertx-shop-e2e}
HEALTH_TIMEOUT=${E2E_HEALTH_TIMEOUT:-300}
RECOVERY_WINDOW=${E2E_RECOVERY_WINDOW:-120}
SETTLE_WINDOW=${E2E_SETTLE_WINDOW:-60}
SERVICES="gateway catalog users cart orders payments notifications search payment-provider"

started_dockerd=""
status=1
declare -A timing=()

log() { printf '%s e2e: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

compose() { docker-compose -p "$PROJECT" -f docker-compose.yml "$@"; }

# shellcheck disable=SC2317 # report and cleanup run from the EXIT trap
report() {
  echo "---- e2e timings (seconds) ----" >&2
  for k in prerequisites jars images up-to-healthy walk kill-and-walk teardown; do
    [ -n "${timing[$k]:-}" ] && printf '  %-16s %8s\n' "$k" "${timing[$k]}" >&2
  done
  return 0
}

# shellcheck disable=SC2317
cleanup() {
  local exit_code=$?
  trap - EXIT
  if [ "$exit_code" != 0 ] && docker info >/dev/null 2>&1 && [ -f .env ]; then
    log "diagnostics: container states and the last log lines of unhealthy containers"
    compose ps >&2 || true
    for id in $(compose ps -q 2>/dev/null); do
      state=$(docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id" 2>/dev/null || true)
      case $state in
        *" running healthy") ;;
        *) echo "==== $state" >&2; docker logs --tail 40 "$id" 2>&1 | cut -c1-400 >&2 || true ;;
      esac
    done
    # Healthy is not yet working together (a walk that fails with every container healthy): the
    # warnings and errors of every container say which member lost whom.
    log "diagnostics: the last warnings and errors of every container"
    for id in $(compose ps -q 2>/dev/null); do
      echo "==== $(docker inspect -f '{{.Name}}' "$id" 2>/dev/null | tr -d /)" >&2
      docker logs "$id" 2>&1 | grep -E '"level":"(WARN|ERROR)"' | grep -vE 'Retrying invocation|No Invocation found' \
        | tail -n 15 | cut -c1-400 >&2 || true
    done
  fi
  if [ "${E2E_KEEP:-0}" = 1 ]; then
    log "E2E_KEEP=1: the shop keeps running (docker-compose -p $PROJECT down -v to stop it)"
  elif docker info >/dev/null 2>&1 && [ -f .env ]; then
    local t; t=$(now)
    compose down -v --remove-orphans --timeout 30 >/dev/null 2>&1 || log "warning: docker-compose down failed"
    timing[teardown]=$(since "$t")
    left=$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT" | wc -l)
    [ "$left" = 0 ] || { log "warning: $left containers of $PROJECT remain"; exit_code=1; }
  fi
  if [ -n "$started_dockerd" ] && [ "${E2E_KEEP:-0}" != 1 ]; then
    log "stopping the dockerd this script started (pid $started_dockerd)"
    kill "$started_dockerd" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$started_dockerd" 2>/dev/null || break; sleep 1; done
  fi
  report
  if [ "$exit_code" = 0 ]; then log "PASSED"; else log "FAILED (exit $exit_code)"; fi
  exit "$exit_code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 1. prerequisites ---------------------------------------------------------------------------
t=$(now)
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v openssl >/dev/null || missing+=(openssl)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing ${missing[*]}: run as root to install them"
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "no Docker daemon answers and this is not root"
  log "starting dockerd"
  dockerd >/var/log/dockerd-e2e.log 2>&1 &
  started_dockerd=$!
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || die "dockerd did not start (see /var/log/dockerd-e2e.log)"
fi
timing[prerequisites]=$(since "$t")

# ---- 2. jars and images -------------------------------------------------------------------------
t=$(now)
for s in $SERVICES; do
  if [ ! -f "$root/verticles/$s/target/shop-$s-0.1.0-SNAPSHOT-fat.jar" ]; then
    log "fat jars missing: ./mvnw -B -q -DskipTests package"
    (cd "$root" && ./mvnw -B -q -DskipTests package)
    break
  fi
done
timing[jars]=$(since "$t")

t=$(now)
"$root/docker/build-base.sh"
"$root/docker/build-images.sh" "$VERSION"
timing[images]=$(since "$t")

# ---- 3. up, until every container is healthy ----------------------------------------------------
./make-env.sh
set -a
# shellcheck disable=SC1091
. ./.env
set +a
export SHOP_VERSION=$VERSION
port=${E2E_HTTP_PORT:-}
if [ -z "$port" ]; then
  port=8080
  if (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null; then
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    log "127.0.0.1:8080 is taken; the edge publishes 127.0.0.1:$port instead"
  fi
fi
export SHOP_HTTP_BIND=127.0.0.1 SHOP_HTTP_PORT=$port
base="http://127.0.0.1:$port"

# Leftovers of an interrupted earlier run of this project go first.
compose down -v --remove-orphans --timeout 10 >/dev/null 2>&1 || true

t=$(now)
log "docker-compose -p $PROJECT up -d"
# `up -d` is idempotent: a container that failed to be created (docker-compose 1.29 against a busy
# daemon) is created by a second call; the first error is printed either way.
up_log=$(mktemp)
if ! compose up -d --no-build >"$up_log" 2>&1; then
  log "docker-compose up failed once; its output:"
  sed 's/^/  | /' "$up_log" >&2
  log "docker-compose up, second attempt"
  compose up -d --no-build >"$up_log" 2>&1 || { sed 's/^/  | /' "$up_log" >&2; rm -f "$up_log"; die "docker-compose up failed twice"; }
fi
rm -f "$up_log"
expected=$(docker-compose -p "$PROJECT" -f docker-compose.yml config | python3 -c '
import sys, yaml
services = yaml.safe_load(sys.stdin)["services"]
print(sum(int(s.get("scale", 1)) for s in services.values()))' 2>/dev/null || echo 0)
deadline=$(( $(date +%s) + HEALTH_TIMEOUT ))
last_print=0
while :; do
  healthy=0; total=0; bad=""
  for id in $(compose ps -q); do
    total=$((total + 1))
    read -r name state health < <(docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id")
    if [ "$state" = running ] && [ "$health" = healthy ]; then
      healthy=$((healthy + 1))
    elif [ "$state" = exited ] || [ "$state" = dead ]; then
      bad="$bad ${name#/}($state)"
    fi
  done
  if [ "$total" -ge "$expected" ] && [ "$healthy" = "$total" ] && [ "$total" -gt 0 ]; then
    break
  fi
  [ -z "$bad" ] || die "containers stopped while starting:$bad"
  [ "$(date +%s)" -lt "$deadline" ] || die "not every container was healthy within $HEALTH_TIMEOUT s ($healthy of $total, $expected expected)"
  if [ $(( $(date +%s) - last_print )) -ge 15 ]; then
    log "$healthy of $total containers healthy ($(since "$t") s)"
    last_print=$(date +%s)
  fi
  sleep 2
done
timing[up-to-healthy]=$(since "$t")
log "all $total containers healthy in ${timing[up-to-healthy]} s; the shop answers on $base"

# ---- 4. the walk ---------------------------------------------------------------------------------
# Healthy containers are not yet a settled cluster: a member that failed its start under the load of
# a dozen JVMs starting on a small machine, and was restarted, may still be joining. The first walk
# therefore gets a bounded settle window; every failed attempt is printed and counted.
t=$(now)
attempt=0
settle_deadline=$(( $(date +%s) + SETTLE_WINDOW ))
while :; do
  attempt=$((attempt + 1))
  log "walk 1, attempt $attempt: the shop as a customer and an admin see it"
  if python3 ./walk.py --base "$base" --admin-token "$SHOP_ADMIN_TOKEN"; then
    break
  fi
  [ "$(date +%s)" -lt "$settle_deadline" ] || die "the walk did not succeed within $SETTLE_WINDOW s of all-healthy"
  sleep 3
done
timing[walk]=$(since "$t")
[ "$attempt" = 1 ] || log "walk 1 needed $attempt attempts"
restarts=$(for id in $(compose ps -q); do docker inspect -f '{{.RestartCount}}' "$id"; done | awk '{ s += $1 } END { print s + 0 }')
log "container restarts before the kill: $restarts"

# ---- 5. kill a catalog replica, walk again -----------------------------------------------------
# (No `| head`: with pipefail, the writer's SIGPIPE would fail the script.)
catalogs=$(compose ps -q catalog)
victim=${catalogs%%$'\n'*}
[ -n "$victim" ] || die "no catalog container to kill"
replicas=$(printf '%s\n' "$catalogs" | wc -l)
log "killing catalog replica $(docker inspect -f '{{.Name}}' "$victim" | tr -d /) (1 of $replicas)"
t=$(now)
docker kill "$victim" >/dev/null
attempt=0
until_deadline=$(( $(date +%s) + RECOVERY_WINDOW ))
while :; do
  attempt=$((attempt + 1))
  log "walk 2, attempt $attempt: with one catalog replica killed"
  if python3 ./walk.py --base "$base" --admin-token "$SHOP_ADMIN_TOKEN" --patience 20; then
    break
  fi
  [ "$(date +%s)" -lt "$until_deadline" ] || die "the walk did not succeed within $RECOVERY_WINDOW s of the kill"
  sleep 3
done
timing[kill-and-walk]=$(since "$t")
log "after the kill: $(docker inspect -f '{{.State.Status}} (restarts: {{.RestartCount}})' "$victim") for the killed replica"
status=0
exit $status
