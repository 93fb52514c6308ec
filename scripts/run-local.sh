#!/usr/bin/env bash
# parquet2dynamo end to end on a laptop, with nothing but Java 17 and Maven:
#   1. builds target/parquet2dynamo.jar (and fetches DynamoDB Local and S3Proxy from Maven Central)
#      when it is missing or older than a file under src/ or a pom.xml,
#   2. starts DynamoDB Local and S3Proxy on free ports,
#   3. writes the sample data set (3000 sales rows in 6 Hive-partitioned Parquet files),
#      uploads it to s3://sample-data/sales/ and creates table 'sales',
#   4. runs the job on the DirectRunner, exactly as you would run it yourself,
#   5. prints the summary, the dead letters and a few items read back from the table,
#   6. stops the stand-ins (also on Ctrl-C or error).
# Output of the run goes to target/local-run/.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=target/local-run
# The last build this script made from the sources as they were when it started. The jar alone
# would not do: the run also needs the test classes (the stand-ins' launcher, the sample data),
# their class path and the stand-ins, and a build that changed nothing may leave the jar's time.
BUILT=target/run-local.built
needs_build() {
  local f
  for f in target/parquet2dynamo.jar target/test-classpath.txt "$BUILT" \
    target/test-classes/io/parquet2dynamo/testing/LocalDemo.class \
    target/standins/s3proxy/s3proxy.jar target/standins/dynamodb-local; do
    [[ -e $f ]] || return 0
  done
  # Anything newer than the last build: sources (main and test), resources, a pom.
  [[ -n $(find src pom.xml scripts/standins -newer "$BUILT" -type f -print -quit) ]]
}
if needs_build; then
  echo "==> Building (first run: downloads dependencies, a few minutes)"
  mkdir -p target
  touch target/run-local.building # before the build, so an edit made during it counts next time
  rm -f "$BUILT"
  mvn -B -q -DskipTests package
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
  mv target/run-local.building "$BUILT"
else
  echo "==> target/parquet2dynamo.jar is up to date with src/ and the poms; not rebuilding"
fi
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
rm -rf "$WORK" && mkdir -p "$WORK"

echo "==> Starting DynamoDB Local and S3Proxy"
java -cp target/test-classes io.parquet2dynamo.testing.LocalStandIns > "$WORK/standins.env" 2>&1 &
STANDINS=$!
STANDIN_PIDS=""
stop() {
  # The launcher stops its servers on exit; their PIDs cover the case where it could not.
  kill "$STANDINS" $STANDIN_PIDS 2>/dev/null || true
  wait "$STANDINS" 2>/dev/null || true
  for pid in $STANDIN_PIDS; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap stop EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 90); do
  grep -q '^READY' "$WORK/standins.env" && break
  kill -0 "$STANDINS" 2>/dev/null || { cat "$WORK/standins.env"; exit 1; }
  sleep 1
done
grep -q '^READY' "$WORK/standins.env" || { echo "the stand-ins did not start; see target/standins/logs"; exit 1; }
source <(grep -E '^[A-Z0-9_]+=' "$WORK/standins.env")
echo "    DynamoDB Local: $DYNAMODB_ENDPOINT    S3Proxy: $S3_ENDPOINT"

echo "==> Creating the sample data, bucket and table"
java -cp "$CP" io.parquet2dynamo.testing.LocalDemo setup "$S3_ENDPOINT" "$DYNAMODB_ENDPOINT" "$WORK"

CREDENTIALS="{\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"$AWS_ACCESS_KEY_ID\",\"secretAccessKey\":\"$AWS_SECRET_ACCESS_KEY\"}"
JOB=(java -jar target/parquet2dynamo.jar
  --inputPath=s3://sample-data/sales/
  --tableName=sales
  --awsRegion="$AWS_REGION"
  --awsCredentialsProvider="$CREDENTIALS"
  --s3Endpoint="$S3_ENDPOINT"
  --dynamoDbEndpoint="$DYNAMODB_ENDPOINT"
  --deadLetterPath="$WORK/dead-letters"
  --summaryPath="$WORK/summary.json")
echo "==> Running the job:"
printf '    %s %s %s' "${JOB[@]:0:3}"; printf ' \\\n        %q' "${JOB[@]:3}"; echo
status=0
"${JOB[@]}" || status=$?

echo "==> Dead letters (rows that could not become items, with the reason):"
cat "$WORK"/dead-letters/*.jsonl 2>/dev/null | cut -c1-200 | sed 's/^/    /'
echo "==> Reading back from DynamoDB Local:"
java -cp "$CP" io.parquet2dynamo.testing.LocalDemo show "$S3_ENDPOINT" "$DYNAMODB_ENDPOINT" sales 3
echo "==> Summary: $WORK/summary.json; the job exited with $status"
exit "$status"
