#!/usr/bin/env bash
# The benchmark: parquet2dynamo against the raw limit and against the loaders users pick today, on
# this machine, in one run. Each candidate runs in its own JVM on cached data sets (20 columns,
# about 290 bytes per item); loads go into a fresh DynamoDB Local each. Prints one table of rows/s,
# CPU seconds per million rows and peak RSS with their ratios to the baselines, then the floors of
# issue 13 (rows/s, CPU per million rows, and the small-heap memory runs completing), and writes the
# same to target/bench/results.json. Exit code: 0 all runs fine and the floors hold, 1 a floor is
# missed (a memory run failing included), 2 another run failed. docs/PERFORMANCE.md describes it.
#
#   scripts/bench.sh [--rows=1000000] [--files=8] [--runners=direct,spark]
#                    [--stages=dry,load,memory] [--peers=raw-loader,raw-loader-rcc,...]
#                    [--largeRows=10000000] [--memoryRows=2000000] [--memoryFiles=4] [--rowGroupRows=250000] [--memoryWriteUnits=20000]
#                    [--heap=4g] [--timeoutSeconds=1200]
#
# Needs only Java 17 and Maven; the first run builds the job, fetches the stand-ins, Spark 3.5.4 and
# the benchmark's own libraries (parquet-avro, emr-dynamodb-hadoop), and writes the data sets.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  # Always rebuilt, so the figures are those of the code in the work tree.
  echo "==> Building the job (first run: also fetches the stand-ins and Spark 3.5.4)"
  mvn -B -q -DskipTests -Pfetch-spark-jars package
  echo "==> Building the benchmark harness"
  mvn -B -q -f scripts/bench/pom.xml package
fi
exec java -cp "scripts/bench/target/classes:$(cat scripts/bench/target/runtime-classpath.txt)" \
  io.parquet2dynamo.bench.Bench "$@"
