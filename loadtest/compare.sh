#!/usr/bin/env bash
# The comparison harness: the same Gatling load against each way of running the shop, side by side.
#
#   loadtest/compare.sh                                   all-in-one, processes, Compose; defaults for 2 cores
#   loadtest/compare.sh --targets all-in-one,processes --rounds 3 --rate 8 --sweep 4,8,16,24
#   loadtest/compare.sh --targets k8s=$HOME/.kube/lab,nomad=http://nomad.lab:4646 --k8s-entry http://shop.lab
#   loadtest/compare.sh --help                            (see loadtest/README.md)
#
# Builds what is missing (the shop's jars; the loadtest module), then runs
# dev.vertxshop.loadtest.harness.Compare on the JDK alone, from a copy of its classes (a rebuild during
# the comparison changes nothing in it). Maven options for every build and Gatling run: MAVEN_ARGS
# (e.g. MAVEN_ARGS="-o -Dmaven.repo.local=..."). Results: loadtest/results/<timestamp>/report.{md,html}.
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
  # Simulations and harness compiled once; every Gatling run after this one is offline (-o).
  ./mvnw -B -q -f loadtest/pom.xml test-compile
fi
classes=$(mktemp -d "${TMPDIR:-/tmp}/shop-harness.XXXXXX")
cp -r loadtest/target/classes/. "$classes/"
# In the background, so that a TERM or INT reaches the harness (its shutdown hook tears the target down)
# and the copy of the classes is removed after it.
java -Dshop.root="$root" -cp "$classes" dev.vertxshop.loadtest.harness.Compare "$@" &
harness=$!
trap 'kill -TERM "$harness" 2>/dev/null' INT TERM
status=0
wait "$harness" || status=$?
if kill -0 "$harness" 2>/dev/null; then
  wait "$harness" || status=$?
fi
rm -rf "$classes"
exit "$status"
