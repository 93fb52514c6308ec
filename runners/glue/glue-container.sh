#!/usr/bin/env bash
# Runs parquet2dynamo with spark-submit inside the AWS Glue 5.0 image, as AWS documents for testing
# Glue jobs locally: the same Spark 3.5.4, Java 17 and Glue libraries as a Glue 5.0 job.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

usage() {
  cat <<'EOF'
Usage: runners/glue/glue-container.sh [script options] --inputPath=... --tableName=... [job options]

Runs target/parquet2dynamo.jar with spark-submit --master 'local[*]' in the AWS Glue 5.0 image
(public.ecr.aws/glue/aws-glue-libs:5), with --runner=SparkRunner. Needs Docker. Every argument
that is not a script option is a job option (see java -jar target/parquet2dynamo.jar --help);
paths must be s3:// URLs, as the container sees only the jar.

Script options:
  --profile NAME   AWS profile from ~/.aws, mounted read-only (default: $AWS_PROFILE, else
                   default). AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and
                   AWS_REGION are passed on when set.
  --host-network   share the host's network (Linux), so http://127.0.0.1:PORT reaches services on
                   the host, such as the stand-ins of scripts/standins.sh. Without it the host
                   is http://host.docker.internal:PORT (Docker Desktop; Linux for services that
                   listen on every interface).
  --image IMAGE    another image (default public.ecr.aws/glue/aws-glue-libs:5) [GLUE_IMAGE]
  --jar PATH       the jar (default target/parquet2dynamo.jar) [JAR]
  --dry-run        print the docker command instead of running it
  -h, --help       this text

Against real AWS:
  runners/glue/glue-container.sh --profile my-profile --awsRegion=eu-west-1 \
    --inputPath=s3://my-data/sales/ --tableName=sales \
    --deadLetterPath=s3://my-bucket/parquet2dynamo/dead-letters/

Against the local stand-ins on Linux (scripts/standins.sh prints the ports and keys):
  runners/glue/glue-container.sh --host-network --awsRegion=us-east-1 \
    --inputPath=s3://sample-data/sales/ --tableName=sales \
    --s3Endpoint=http://127.0.0.1:S3PORT --dynamoDbEndpoint=http://127.0.0.1:DDBPORT \
    --awsCredentialsProvider='{"@type":"StaticCredentialsProvider","accessKeyId":"...","secretAccessKey":"..."}'
EOF
}

IMAGE=${GLUE_IMAGE:-public.ecr.aws/glue/aws-glue-libs:5}
JAR=${JAR:-$ROOT/target/parquet2dynamo.jar}
LOG4J2=${P2D_LOG4J2:-$ROOT/runners/spark/log4j2.properties}
PROFILE=${AWS_PROFILE:-default}
HOST_NETWORK=false
DRY_RUN=false
JOB_OPTIONS=()
while (($# > 0)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --dry-run) DRY_RUN=true; shift ;;
    --host-network) HOST_NETWORK=true; shift ;;
    --profile | --image | --jar)
      (($# >= 2)) || { echo "ERROR: $1 needs a value" >&2; exit 2; }
      case $1 in
        --profile) PROFILE=$2 ;;
        --image) IMAGE=$2 ;;
        --jar) JAR=$2 ;;
      esac
      shift 2
      ;;
    *) JOB_OPTIONS+=("$1"); shift ;;
  esac
done
if [[ ! -f $JAR ]] && ! $DRY_RUN; then
  echo "ERROR: $JAR is missing; run 'mvn -B -DskipTests package' first" >&2
  exit 2
fi
[[ $JAR == /* ]] || JAR="$PWD/$JAR" # docker -v needs an absolute path
[[ $LOG4J2 == /* ]] || LOG4J2="$PWD/$LOG4J2"

WORKSPACE=/home/hadoop/workspace # the image's user is hadoop
args=(run --rm)
if [[ -t 0 && -t 1 ]]; then
  args+=(-it)
fi
if [[ -d $HOME/.aws ]]; then
  args+=(-v "$HOME/.aws:/home/hadoop/.aws:ro" -e "AWS_PROFILE=$PROFILE")
fi
for variable in AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_REGION; do
  if [[ -n ${!variable:-} ]]; then
    args+=(-e "$variable") # passed on from this environment, not written on the command line
  fi
done
if $HOST_NETWORK; then
  args+=(--network host)
else
  args+=(--add-host host.docker.internal:host-gateway)
fi
args+=(-v "$JAR:$WORKSPACE/parquet2dynamo.jar:ro")
# Spark at WARN, the job's own lines at INFO and tagged [parquet2dynamo] (runners/spark/log4j2.properties).
args+=(-v "$LOG4J2:$WORKSPACE/log4j2.properties:ro")
args+=("$IMAGE" spark-submit --class io.parquet2dynamo.Parquet2Dynamo --master 'local[*]'
  --conf spark.ui.showConsoleProgress=false
  --conf "spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=file:$WORKSPACE/log4j2.properties"
  "$WORKSPACE/parquet2dynamo.jar" --runner=SparkRunner)
args+=(${JOB_OPTIONS[@]+"${JOB_OPTIONS[@]}"})

if $DRY_RUN; then
  printf 'docker'
  printf ' %q' "${args[@]}"
  printf '\n'
else
  exec docker "${args[@]}"
fi
