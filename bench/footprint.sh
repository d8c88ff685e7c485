#!/usr/bin/env bash
# Benchmark: what one service JVM costs (RSS at rest and after a bounded load, JVM start to ready with the
# cluster join apart) with the JVM options before and after, alternated, every service in its own JVM.
#
#   bench/footprint.sh            (env: ROUNDS=3 REQUESTS=4000 SETTLE=8 OPTS_A="..." OPTS_B="...")
set -euo pipefail
cd "$(dirname "$0")/.."
ls verticles/*/target/shop-*-fat.jar >/dev/null 2>&1 && [ -f launcher/target/shop.jar ] || ./mvnw -B -q -DskipTests install
exec java -Xmx512m -cp launcher/target/shop.jar bench/Footprint.java
