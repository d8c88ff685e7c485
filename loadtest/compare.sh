#!/usr/bin/env bash
# The comparison harness: the same Gatling load against each way of running the shop, side by side.
#
#   loadtest/compare.sh                                   all-in-one, processes, Compose; defaults for 2 cores
#   loadtest/compare.sh --targets all-in-one,processes --rate 8 --sweep 4,8,16,24
#   loadtest/compare.sh --targets external --name kubernetes --base-url http://shop.example:8080 \
#       --kill-cmd '...' --rolling-cmd '...'                (see loadtest/README.md)
#   loadtest/compare.sh --help
#
# Builds what is missing (the shop's jars; the loadtest module), then runs
# dev.vertxshop.loadtest.harness.Compare on the JDK alone. Results: loadtest/results/<timestamp>/report.{md,html}.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

for arg in "$@"; do
  case $arg in -h|--help) skip_build=1 ;; esac
done

if [ -z "${skip_build:-}" ]; then
  if [ ! -f launcher/target/shop.jar ]; then
    echo "compare.sh: building the shop (launcher/target/shop.jar is missing)..." >&2
    ./mvnw -B -q -DskipTests package
  fi
  # Simulations and harness compiled once, online; every Gatling run after this one is offline (-o).
  ./mvnw -B -q -f loadtest/pom.xml test-compile
fi
exec java -Dshop.root="$root" -cp loadtest/target/classes dev.vertxshop.loadtest.harness.Compare "$@"
