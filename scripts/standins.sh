#!/usr/bin/env bash
# Starts the local stand-ins for AWS (DynamoDB Local and S3Proxy, in memory, each its own JVM) and
# keeps them up until Ctrl-C. Prints their endpoints and the keys S3Proxy accepts as shell
# assignments, then READY.
#
#   scripts/standins.sh [dynamoDbPort [s3Port]]     # default: free ports
#
# Needs only Java 17 and Maven: the first run fetches the stand-ins from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f target/standins/s3proxy/s3proxy.jar || ! -d target/test-classes/io ]]; then
  mvn -B -q -DskipTests package
fi
exec java -cp target/test-classes io.parquet2dynamo.testing.LocalStandIns "$@"
