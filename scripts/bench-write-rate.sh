#!/usr/bin/env bash
# How closely a load holds its write budget: loads ITEMS items of ~1 KB (one write unit each) into
# DynamoDB Local with --maxWriteUnitsPerSecond=BUDGET and prints the achieved WCU/s over the write
# and the busiest one-second window, each with its ratio to the budget, then the same as JSON
# (a BENCH line). The issue's targets: achieved within ±10% of the budget, no second over +20%.
#
#   scripts/bench-write-rate.sh [ITEMS [BUDGET [job options...]]]     # default 30000 1000
#
# Needs only Java 17 and Maven; the first run builds the project and fetches the stand-ins.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -d target/test-classes/io/parquet2dynamo/bench || ! -f target/standins/s3proxy/s3proxy.jar ]]; then
  mvn -B -q -DskipTests package
fi
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
exec java -Xmx2g -Dstandins.dir=target/standins \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.parquet2dynamo.bench.WriteRateBenchmark "$@"
