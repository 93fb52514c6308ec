#!/usr/bin/env bash
# Deploys parquet2dynamo as an AWS Glue 5.0 job and runs it, with the AWS CLI (v1 or v2) only.
# Run with -h for the options. docs/GLUE.md walks through it, says why job.json sets what it sets
# (JSON has no comments) and what iam-policy.json grants.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

usage() {
  cat <<'EOF'
Usage: runners/glue/deploy.sh [options] [-- --jobOption=value ...]

Uploads target/parquet2dynamo.jar (built first if missing) and Placeholder.scala to
s3://BUCKET/parquet2dynamo/, creates the Glue job from runners/glue/job.json (or updates it if
it exists), starts a run, follows it until it ends, then prints the run's summary and where its
dead letters and logs are. Exits 0 when the run SUCCEEDED, 1 when it did not, 2 on bad usage.

Required (flag, or the environment variable in brackets):
  --bucket NAME        S3 bucket for the jar, the script, dead letters and summaries [BUCKET]
  --role-arn ARN       the job's IAM role, see iam-policy.json and trust-policy.json [ROLE_ARN]
  --table NAME         DynamoDB table to load [TABLE]
  --input-path S3URL   Parquet input, e.g. s3://data/sales/ (the job's --inputPath) [INPUT_PATH];
                       the role may read only below it. A path without a wildcard is a folder
                       (s3://data/sales means s3://data/sales/) unless it ends in .parquet
  --region REGION      AWS region of the job and the table [REGION, AWS_REGION, AWS_DEFAULT_REGION]
Optional:
  --job-name NAME      Glue job name (default parquet2dynamo) [JOB_NAME]; letters, digits, - and _
                       (it names the job's log groups, /aws-glue/jobs/NAME/output and .../error)
  --jar PATH           the shaded jar (default target/parquet2dynamo.jar) [JAR]
  --worker-type TYPE   this run's worker type, e.g. G.2X (the job's default is G.1X)
  --workers N          this run's number of workers (the job's default is 2)
  --timeout MINUTES    this run's timeout (the job's default is 240)
  --bookmarks MODE     the job's bookmark (--job-bookmark-option): enable, so that each run loads
                       only the files that are new or changed since the last successful one
                       (docs/RECURRING.md), pause, or disable (the default, as Glue's) [BOOKMARKS].
                       It is kept at s3://BUCKET/parquet2dynamo/temporary/parquet2dynamo-bookmarks/
                       JOB_NAME.json (the job's --TempDir), or at a --bookmarkPath=s3://... job
                       option; iam-policy.json grants that object either way
  --no-run             deploy the job, start nothing
  --no-wait            start the run and return without following it
  --dry-run            print the AWS CLI commands instead of running them (the JSON inputs are
                       rendered into a temporary directory, which is printed)
  --render DIR         only write the rendered create-job.json, update-job.json,
                       start-job-run.json, iam-policy.json and trust-policy.json into DIR
  -h, --help           this text
After --, job options for this run in --key=value form, e.g. -- --timestampFormat=epochMillis
(they override the job's default arguments; see java -jar target/parquet2dynamo.jar --help).
--writeMode there also decides the DynamoDB action iam-policy.json grants: BatchWriteItem for
put (the default) and delete, PutItem for putIfAbsent and putIfNewer:<column>.

Example:
  runners/glue/deploy.sh --bucket my-glue-bucket --region eu-west-1 \
    --role-arn arn:aws:iam::123456789012:role/parquet2dynamo-glue \
    --table sales --input-path s3://my-data/sales/
A nightly job that loads only what is new (add a scheduled trigger, docs/RECURRING.md):
  runners/glue/deploy.sh ... --job-name sales-nightly --bookmarks enable
EOF
}

die() {
  echo "ERROR: $*" >&2
  exit 2
}

BUCKET=${BUCKET:-}
ROLE_ARN=${ROLE_ARN:-}
TABLE=${TABLE:-}
INPUT_PATH=${INPUT_PATH:-}
REGION=${REGION:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}
JOB_NAME=${JOB_NAME:-parquet2dynamo}
JAR=${JAR:-$ROOT/target/parquet2dynamo.jar}
BOOKMARKS=${BOOKMARKS:-disable}
WORKER_TYPE=""
WORKERS=""
TIMEOUT=""
RUN=true
WAIT=true
DRY_RUN=false
RENDER_DIR=""
POLL_SECONDS=${POLL_SECONDS:-30}
JOB_OPTIONS=()

while (($# > 0)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --no-run) RUN=false; shift; continue ;;
    --no-wait) WAIT=false; shift; continue ;;
    --dry-run) DRY_RUN=true; shift; continue ;;
    --) shift; JOB_OPTIONS=("$@"); break ;;
  esac
  # Options with a value, as "--name value" or "--name=value".
  name=${1%%=*}
  if [[ $1 == *=* ]]; then
    value=${1#*=}
    shift
  else
    (($# >= 2)) || die "$1 needs a value (see -h)"
    value=$2
    shift 2
  fi
  case $name in
    --bucket) BUCKET=$value ;;
    --role-arn) ROLE_ARN=$value ;;
    --table) TABLE=$value ;;
    --input-path) INPUT_PATH=$value ;;
    --region) REGION=$value ;;
    --job-name) JOB_NAME=$value ;;
    --jar) JAR=$value ;;
    --worker-type) WORKER_TYPE=$value ;;
    --workers) WORKERS=$value ;;
    --timeout) TIMEOUT=$value ;;
    --bookmarks) BOOKMARKS=$value ;;
    --render) RENDER_DIR=$value ;;
    *) die "unknown option $name (see -h)" ;;
  esac
done

[[ -n $BUCKET ]] || die "--bucket is required (see -h)"
[[ -n $ROLE_ARN ]] || die "--role-arn is required (see -h)"
[[ -n $TABLE ]] || die "--table is required (see -h)"
[[ -n $INPUT_PATH ]] || die "--input-path is required (see -h)"
[[ -n $REGION ]] || die "--region is required (see -h)"
[[ $JOB_NAME =~ ^[A-Za-z0-9_-]+$ ]] ||
  die "--job-name may hold only letters, digits, - and _ (it names the job's log groups), not '$JOB_NAME'"
[[ $ROLE_ARN =~ ^arn:([a-z-]+):iam::([0-9]{12}):role/.+$ ]] ||
  die "--role-arn must look like arn:aws:iam::123456789012:role/NAME, not '$ROLE_ARN'"
PARTITION=${BASH_REMATCH[1]}
ACCOUNT_ID=${BASH_REMATCH[2]}
[[ $INPUT_PATH =~ ^(s3[an]?://([^/,]+))(/?)([^,]*) ]] ||
  die "--input-path must be an s3:// URL, not '$INPUT_PATH'"
# For iam-policy.json: the input's bucket, and INPUT_KEYS, the keys the job may list and read,
# as an IAM pattern. A prefix always ends at a '/': 's3://b/sales' granted as 'sales*' would also
# grant 'sales-archive/'.
INPUT_BUCKET=${BASH_REMATCH[2]}
input_key=${BASH_REMATCH[4]}
if [[ $input_key == *[*?[{]* ]]; then
  # A glob: the folder holding its first wildcard (the glob can match nothing above it).
  input_key=${input_key%%[*?[{]*}
  INPUT_KEYS=${input_key%"${input_key##*/}"}*
elif [[ -z $input_key || $input_key == */ ]]; then
  INPUT_KEYS=$input_key*
elif [[ $input_key == *.parquet ]]; then
  INPUT_KEYS=$input_key # one file
else
  # The job reads s3://b/sales as the file 'sales' if there is one, else as the folder sales/. It
  # tells the two apart by S3 answering 404 for a missing object, which S3 does only to a role that
  # may list the whole bucket (otherwise 403). So the job is given the folder's own path.
  first=${BASH_REMATCH[0]}
  INPUT_PATH="$first/${INPUT_PATH:${#first}}"
  INPUT_KEYS=$input_key/*
  echo "NOTE: --input-path $first is read as the folder $first/ (name a single file by its" \
    ".parquet name)" >&2
fi
if [[ $INPUT_PATH == *,* ]]; then
  echo "WARNING: iam-policy.json is rendered for the first input pattern only; add the others" >&2
fi
[[ -z $WORKERS || $WORKERS =~ ^[1-9][0-9]*$ ]] || die "--workers must be a whole number"
[[ -z $TIMEOUT || $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a whole number of minutes"
[[ $BOOKMARKS =~ ^(enable|pause|disable)$ ]] ||
  die "--bookmarks must be enable, pause or disable, not '$BOOKMARKS'"
BOOKMARK_OPTION=job-bookmark-$BOOKMARKS

# Where deploy.sh puts things; job.json and iam-policy.json name the same places.
PREFIX="s3://$BUCKET/parquet2dynamo"
# The job's own log groups (Glue 5's --custom-logGroup-prefix), so that the role writes no other
# job's logs: LOG_GROUP_PREFIX/output (what the job prints) and LOG_GROUP_PREFIX/error (Spark, Glue).
LOG_GROUP_PREFIX="/aws-glue/jobs/$JOB_NAME"
JAR_URI="$PREFIX/jars/parquet2dynamo.jar"
SCRIPT_URI="$PREFIX/scripts/Placeholder.scala"

json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# Prints a template with each ${NAME} replaced by that variable's value, as JSON string content.
render() {
  local text name value placeholder re='\$\{[A-Z_]+\}'
  text=$(<"$1")
  for name in JOB_NAME ROLE_ARN BUCKET TABLE INPUT_PATH REGION PARTITION ACCOUNT_ID \
    INPUT_BUCKET INPUT_KEYS WRITE_ACTION LOG_GROUP_PREFIX BOOKMARK_OPTION BOOKMARK_BUCKET \
    BOOKMARK_KEY; do
    value=$(json_string "${!name}")
    value=${value:1:${#value}-2}
    placeholder="\${$name}"
    text=${text//"$placeholder"/"$value"}
  done
  if [[ $text =~ $re ]]; then
    die "$1 has a placeholder deploy.sh does not know: ${BASH_REMATCH[0]}"
  fi
  printf '%s\n' "$text"
}

# UpdateJob takes the same definition as CreateJob, less the name, wrapped in a JobUpdate.
render_update() {
  local line found=false body="" name_line='  "Name": "${JOB_NAME}",' tmp
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == "$name_line" ]]; then
      found=true
    else
      body+="$line"$'\n'
    fi
  done <"$HERE/job.json"
  $found || die "job.json has no line '$name_line'"
  tmp=$(mktemp)
  printf '%s' "$body" >"$tmp"
  body=$(render "$tmp")
  rm -f "$tmp"
  printf '{\n"JobName": %s,\n"JobUpdate": %s}\n' "$(json_string "$JOB_NAME")" "$body"
}

# This run's arguments: the pipeline options deploy.sh sets, then the ones after --.
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
ARG_KEYS=(--inputPath --tableName --awsRegion --summaryPath)
ARG_VALUES=("$INPUT_PATH" "$TABLE" "$REGION" "$PREFIX/summaries/$JOB_NAME-$STAMP.json")
set_argument() {
  local i
  for i in "${!ARG_KEYS[@]}"; do
    if [[ ${ARG_KEYS[$i]} == "$1" ]]; then
      ARG_VALUES[$i]=$2
      return
    fi
  done
  ARG_KEYS+=("$1")
  ARG_VALUES+=("$2")
}
argument() {
  local i
  for i in "${!ARG_KEYS[@]}"; do
    [[ ${ARG_KEYS[$i]} != "$1" ]] || { printf '%s' "${ARG_VALUES[$i]}"; return; }
  done
  printf '%s' "$2"
}
for option in ${JOB_OPTIONS[@]+"${JOB_OPTIONS[@]}"}; do
  [[ $option =~ ^--[A-Za-z][A-Za-z0-9]*=(.*)$ ]] ||
    die "job options go after -- as --key=value, not '$option'"
  set_argument "${option%%=*}" "${BASH_REMATCH[1]}"
done
SUMMARY_PATH=$(argument --summaryPath "")
# The one DynamoDB write action the write mode sends (see the sink's WriteMode).
WRITE_MODE=$(argument --writeMode put)
case $WRITE_MODE in
  put | delete) WRITE_ACTION=dynamodb:BatchWriteItem ;;
  putIfAbsent | putIfNewer:?*) WRITE_ACTION=dynamodb:PutItem ;;
  update) WRITE_ACTION=dynamodb:UpdateItem ;;
  export) WRITE_ACTION=dynamodb:DescribeTable ;; # files only; the table need not exist
  import) WRITE_ACTION=dynamodb:ImportTable ;; # creates the table; DescribeImport follows it
  *) die "--writeMode=$WRITE_MODE is not one of put, putIfAbsent, putIfNewer:<column>, update, delete, export, import" ;;
esac
DEAD_LETTER_PATH=$(argument --deadLetterPath "$PREFIX/dead-letters/")
# The bookmark, for iam-policy.json: where the job keeps it when bookmarks are enabled (by
# --bookmarks, or later by a run's --job-bookmark-option): below job.json's --TempDir, named after
# the job (whose name holds no character the job would replace), unless --bookmarkPath says where.
BOOKMARK_PATH=$(argument --bookmarkPath "$PREFIX/temporary/parquet2dynamo-bookmarks/$JOB_NAME.json")
[[ $BOOKMARK_PATH =~ ^s3[an]?://([^/]+)/([^*?]*[^/*?])$ ]] ||
  die "--bookmarkPath must name an s3:// object on Glue (without * or ?), not '$BOOKMARK_PATH'"
BOOKMARK_BUCKET=${BASH_REMATCH[1]}
BOOKMARK_KEY=${BASH_REMATCH[2]}

render_start() {
  local i sep=""
  printf '{\n  "JobName": %s,\n  "Arguments": {' "$(json_string "$JOB_NAME")"
  for i in "${!ARG_KEYS[@]}"; do
    printf '%s\n    %s: %s' "$sep" "$(json_string "${ARG_KEYS[$i]}")" \
      "$(json_string "${ARG_VALUES[$i]}")"
    sep=","
  done
  printf '\n  }'
  [[ -z $WORKER_TYPE ]] || printf ',\n  "WorkerType": %s' "$(json_string "$WORKER_TYPE")"
  [[ -z $WORKERS ]] || printf ',\n  "NumberOfWorkers": %s' "$WORKERS"
  [[ -z $TIMEOUT ]] || printf ',\n  "Timeout": %s' "$TIMEOUT"
  printf '\n}\n'
}

render_all() {
  mkdir -p "$1"
  render "$HERE/job.json" >"$1/create-job.json"
  render_update >"$1/update-job.json"
  render_start >"$1/start-job-run.json"
  render "$HERE/iam-policy.json" >"$1/iam-policy.json"
  render "$HERE/trust-policy.json" >"$1/trust-policy.json"
}

if [[ -n $RENDER_DIR ]]; then
  render_all "$RENDER_DIR"
  echo "Rendered create-job.json, update-job.json, start-job-run.json, iam-policy.json and" \
    "trust-policy.json into $RENDER_DIR"
  exit 0
fi

export AWS_PAGER="" # AWS CLI v2 would otherwise page its output
aws_cli() {
  if $DRY_RUN; then
    printf '+ aws'
    printf ' %q' "$@" --region "$REGION"
    printf '\n'
  else
    aws "$@" --region "$REGION"
  fi
}

$DRY_RUN || command -v aws >/dev/null || die "the AWS CLI (aws) is not on PATH"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/parquet2dynamo-glue.XXXXXX")
$DRY_RUN || trap 'rm -rf "$WORK"' EXIT
render_all "$WORK"
$DRY_RUN && echo "Rendered the JSON inputs into $WORK"

if [[ ! -f $JAR ]]; then
  echo "$JAR is missing; building it"
  if $DRY_RUN; then
    echo "+ (cd $ROOT && mvn -B -q -DskipTests package)"
  else
    (cd "$ROOT" && mvn -B -q -DskipTests package)
  fi
fi

echo "Uploading the jar and the placeholder script to $PREFIX/"
aws_cli s3 cp "$JAR" "$JAR_URI" --only-show-errors
aws_cli s3 cp "$HERE/Placeholder.scala" "$SCRIPT_URI" --only-show-errors

if $DRY_RUN; then
  aws_cli glue get-job --job-name "$JOB_NAME"
  echo "# if get-job finds no job:"
  aws_cli glue create-job --cli-input-json "file://$WORK/create-job.json"
  echo "# if it finds one:"
  aws_cli glue update-job --cli-input-json "file://$WORK/update-job.json"
elif error=$(aws_cli glue get-job --job-name "$JOB_NAME" 2>&1 >/dev/null); then
  aws_cli glue update-job --cli-input-json "file://$WORK/update-job.json" >/dev/null
  echo "Updated Glue job $JOB_NAME"
elif [[ $error == *EntityNotFoundException* ]]; then
  aws_cli glue create-job --cli-input-json "file://$WORK/create-job.json" >/dev/null
  echo "Created Glue job $JOB_NAME"
else
  echo "$error" >&2
  die "cannot tell whether Glue job $JOB_NAME exists"
fi

if ! $RUN; then
  echo "Deployed; start a run with: aws glue start-job-run --job-name $JOB_NAME --region $REGION"
  exit 0
fi

if $DRY_RUN; then
  aws_cli glue start-job-run --cli-input-json "file://$WORK/start-job-run.json" \
    --query JobRunId --output text
  RUN_ID="jr_DRYRUN"
else
  RUN_ID=$(aws_cli glue start-job-run --cli-input-json "file://$WORK/start-job-run.json" \
    --query JobRunId --output text)
fi
echo "Started run $RUN_ID of Glue job $JOB_NAME"
echo "  summary:      $SUMMARY_PATH"
echo "  dead letters: ${DEAD_LETTER_PATH}dead-letters-*.jsonl"
echo "  logs:         CloudWatch log group $LOG_GROUP_PREFIX/output (the job's output and errors)"
echo "                and $LOG_GROUP_PREFIX/error (Spark and Glue), streams $RUN_ID-*"

if $DRY_RUN; then
  aws_cli glue get-job-run --job-name "$JOB_NAME" --run-id "$RUN_ID" \
    --query JobRun.JobRunState --output text
  echo "# ... every $POLL_SECONDS s until the run ends, then:"
  aws_cli s3 cp "$SUMMARY_PATH" -
  exit 0
fi
if ! $WAIT; then
  echo "Follow it with: aws glue get-job-run --job-name $JOB_NAME --run-id $RUN_ID" \
    "--region $REGION --query JobRun.JobRunState"
  exit 0
fi

state=""
failures=0
while :; do
  previous=$state
  if ! run=$(aws_cli glue get-job-run --job-name "$JOB_NAME" --run-id "$RUN_ID" \
    --query 'JobRun.[JobRunState,ErrorMessage]' --output text); then
    # A long load can outlast a network blip; five failures in a row are not a blip.
    failures=$((failures + 1))
    if ((failures >= 5)); then
      echo "ERROR: lost track of run $RUN_ID; it may still be running" >&2
      exit 1
    fi
    sleep "$POLL_SECONDS"
    continue
  fi
  failures=0
  state=${run%%$'\t'*}
  [[ $state == "$previous" ]] || echo "$(date -u +%H:%M:%SZ) $state"
  case $state in
    SUCCEEDED | FAILED | STOPPED | TIMEOUT | ERROR | EXPIRED) break ;;
  esac
  sleep "$POLL_SECONDS"
done

echo "Summary ($SUMMARY_PATH):"
aws_cli s3 cp "$SUMMARY_PATH" - 2>/dev/null || echo "  (none was written)"
echo "Dead letters, if any: aws s3 ls ${DEAD_LETTER_PATH} --region $REGION"
echo "The job's output: aws logs filter-log-events --log-group-name $LOG_GROUP_PREFIX/output" \
  "--log-stream-name-prefix $RUN_ID --query 'events[].message' --output text --region $REGION"
if [[ $state != SUCCEEDED ]]; then
  echo "Run $RUN_ID ended $state: ${run#*$'\t'}" >&2
  aws_cli logs filter-log-events --log-group-name "$LOG_GROUP_PREFIX/output" \
    --log-stream-name-prefix "$RUN_ID" --filter-pattern 'ERROR' \
    --query 'events[].message' --output text >&2 2>/dev/null || true
  exit 1
fi
echo "Run $RUN_ID SUCCEEDED"
