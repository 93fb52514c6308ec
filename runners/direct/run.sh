#!/usr/bin/env bash
# Runs parquet2dynamo on Beam's DirectRunner, in this JVM, on every core of this machine.
#
#   runners/direct/run.sh --inputPath=s3://bucket/sales/ --tableName=sales [options...]
#
# JAVA_OPTS passes JVM settings, e.g. JAVA_OPTS=-Xmx4g. Build the jar first: mvn -B -DskipTests package
set -euo pipefail
JAR="$(cd "$(dirname "$0")/../.." && pwd)/target/parquet2dynamo.jar"
[[ -f "$JAR" ]] || { echo "ERROR: $JAR is missing; run 'mvn -B -DskipTests package' first" >&2; exit 2; }
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "$JAR" --runner=DirectRunner "$@"
