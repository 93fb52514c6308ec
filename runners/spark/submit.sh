#!/usr/bin/env bash
# Runs parquet2dynamo on Beam's SparkRunner through spark-submit (Spark 3.5, Scala 2.12, Java 17).
#
#   runners/spark/submit.sh [--master URL] [--deploy-mode client|cluster] [--conf k=v ...] \
#       -- --inputPath=s3://bucket/sales/ --tableName=sales [job options...]
#
# Everything before "--" goes to spark-submit, everything after it to the job (Glue-style
# "--key value" pairs work too). --master defaults to local[*], every core of this machine; on a
# cluster pass e.g. --master yarn --deploy-mode cluster.
#
# Logging: runners/spark/log4j2.properties (or the file P2D_LOG4J2 names) configures the driver's
# Log4j 2: Spark at WARN, the job's own lines at INFO and tagged [parquet2dynamo]. A
# spark.driver.extraJavaOptions of yours replaces it; add -Dlog4j2.configurationFile=... to it then.
#
# Which Spark: $SPARK_HOME/bin/spark-submit, else spark-submit on PATH, else, with SPARK_JARS_DIR
# set to a folder of Spark's jars (mvn -B verify puts Spark 3.5.4's in target/standins/spark/jars),
# Spark's launcher class run with java, as spark-submit itself does.
# Build the jar first: mvn -B -DskipTests package
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JAR="${JAR:-$ROOT/target/parquet2dynamo.jar}"
LOG4J2="${P2D_LOG4J2:-$ROOT/runners/spark/log4j2.properties}"
[[ -f "$JAR" ]] || { echo "ERROR: $JAR is missing; run 'mvn -B -DskipTests package' first" >&2; exit 2; }

# What spark-submit adds on Java 17 (Spark's JavaModuleOptions), for the SPARK_JARS_DIR case.
JAVA17_OPTIONS=(-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false)

if [[ -n "${SPARK_HOME:-}" ]]; then
  SUBMIT=("$SPARK_HOME/bin/spark-submit")
elif command -v spark-submit >/dev/null; then
  SUBMIT=(spark-submit)
elif [[ -n "${SPARK_JARS_DIR:-}" && -d "$SPARK_JARS_DIR" ]]; then
  # shellcheck disable=SC2206
  # This JVM is the driver: the log configuration goes on its command line.
  SUBMIT=(java "${JAVA17_OPTIONS[@]}" "-Dlog4j2.configurationFile=file:$LOG4J2"
    ${SPARK_DRIVER_JAVA_OPTS:-} -cp "$SPARK_JARS_DIR/*" org.apache.spark.deploy.SparkSubmit)
else
  echo "ERROR: no Spark found; set SPARK_HOME, put spark-submit on PATH, or set SPARK_JARS_DIR" >&2
  exit 2
fi

SPARK_ARGS=()
while [[ $# -gt 0 && "$1" != "--" ]]; do SPARK_ARGS+=("$1"); shift; done
[[ "${1:-}" == "--" ]] && shift
if [[ $# -eq 0 ]]; then
  echo "usage: $0 [spark-submit options] -- --inputPath=... --tableName=... [job options]" >&2
  exit 2
fi
has_master=false
for a in "${SPARK_ARGS[@]+"${SPARK_ARGS[@]}"}"; do [[ "$a" == --master* ]] && has_master=true; done
$has_master || SPARK_ARGS=(--master 'local[*]' "${SPARK_ARGS[@]+"${SPARK_ARGS[@]}"}")

# Recommended settings; a --conf of yours for the same key comes later and wins:
# - no console progress bar: it interleaves with the job's own progress and summary lines;
# - the log configuration above (Spark's launcher starts the driver with it in client mode);
# - Beam's runner sizes its shuffle (the de-duplication) by spark.default.parallelism: 2-3 tasks
#   per core keeps every core busy without tiny tasks (on a cluster: 2-3x the total cores).
exec "${SUBMIT[@]}" \
  --class io.parquet2dynamo.Parquet2Dynamo \
  --conf spark.ui.showConsoleProgress=false \
  --conf "spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=file:$LOG4J2" \
  --conf "spark.default.parallelism=${P2D_PARALLELISM:-8}" \
  "${SPARK_ARGS[@]}" \
  "$JAR" --runner=SparkRunner "$@"
