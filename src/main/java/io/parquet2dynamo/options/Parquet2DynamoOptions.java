package io.parquet2dynamo.options;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * Everything a parquet2dynamo run is told. Beam's {@link S3Options} (and through it {@code
 * AwsOptions}) contributes {@code --awsRegion}, {@code --awsCredentialsProvider} and {@code
 * --endpoint}, which configure S3 and DynamoDB alike; the options here add what is specific to the
 * load. {@code --help} prints them all.
 */
public interface Parquet2DynamoOptions extends S3Options {

  @Description(
      "Parquet input, required (unless --replayDeadLetters): one or more comma-separated "
          + "patterns. Each is a file, a glob (s3://bucket/prefix/*.parquet, /data/**/*.parquet) or "
          + "a directory (s3://bucket/dir/ or a local directory), which means every *.parquet file "
          + "below it, recursively. Names "
          + "Spark skips are skipped: starting with '.', or with '_' unless a key=value folder "
          + "(_SUCCESS, _temporary/ are skipped; _part=1/ is read); a file named in full is read "
          + "whatever its name. Skipped files count as filesIgnored in the summary and a warning "
          + "names a few. Hive-style folders (region=eu/) become string columns of the rows read "
          + "below them. s3a:// and s3n:// paths are read as s3://.")
  String getInputPath();

  void setInputPath(String value);

  @Description(
      "DynamoDB table to load, required. Its key schema is read with DescribeTable at start. "
          + "With --writeMode=export, the table the items are for, which need not exist "
          + "(--keySchema); with import, the table ImportTable creates, which must not exist.")
  @Validation.Required
  String getTableName();

  void setTableName(String value);

  @Description(
      "Endpoint for S3 only, overriding --endpoint (e.g. http://localhost:9000 for a local S3 "
          + "stand-in). S3 is always addressed path-style when an endpoint is given.")
  String getS3Endpoint();

  void setS3Endpoint(String value);

  @Description(
      "Endpoint for DynamoDB only, overriding --endpoint (e.g. http://127.0.0.1:8000 for "
          + "DynamoDB Local).")
  String getDynamoDbEndpoint();

  void setDynamoDbEndpoint(String value);

  @Description(
      "Where rejected rows go: a local directory or an s3:// prefix. Each run writes JSON Lines "
          + "files named dead-letters-<UTC time>-<random>-*.jsonl there (none when no row is rejected), one object per row with 'reason', "
          + "'message', 'sourceFile', 'sourceRow' and 'row'. Without it, any rejected row makes "
          + "the job exit with a non-zero code after printing the summary.")
  String getDeadLetterPath();

  void setDeadLetterPath(String value);

  @Description("Optional local path or s3:// URL where the final summary is written as JSON.")
  String getSummaryPath();

  void setSummaryPath(String value);

  @Description(
      "How timestamps (TIMESTAMP of any unit, UTC-adjusted or not, and INT96) are written. iso "
          + "(default): S, ISO-8601 in UTC with the column's number of fraction digits (3 for "
          + "millis, 6 for micros, 9 for nanos and INT96), e.g. 2024-01-31T08:15:30.123450Z, so "
          + "that text order is time order. epochSeconds, epochMillis or epochMicros: N, the whole "
          + "number of that unit since 1970-01-01T00:00:00Z, rounded down (epochSeconds is "
          + "DynamoDB's TTL form).")
  @Default.String("iso")
  String getTimestampFormat();

  void setTimestampFormat(String value);

  @Description(
      "What a null value becomes. omit (default): the attribute is left out, at every level of "
          + "maps; inside lists a null stays as NULL so positions hold. null: NULL everywhere, "
          + "top-level attributes included. A null table key rejects the row either way; a null "
          + "index key attribute is always left out, since DynamoDB refuses NULL there.")
  @Default.String("omit")
  String getNullPolicy();

  void setNullPolicy(String value);

  @Description(
      "Write budget for the whole job, in DynamoDB write capacity units per second (1 WCU per "
          + "started KB of an item). Shared by all workers on every runner: it is split evenly "
          + "over the writer processes (--writeShards), and every writer thread of a process "
          + "takes its turn from the process's share. Without it (or "
          + "--writeCapacityPercent) the job writes as fast as DynamoDB takes it.")
  Double getMaxWriteUnitsPerSecond();

  void setMaxWriteUnitsPerSecond(Double value);

  @Description(
      "Write budget as a percentage (0-100] of the table's capacity, read with DescribeTable: "
          + "of its provisioned WCU (or its smallest global index's), or for an on-demand table of "
          + "its OnDemandThroughput.MaxWriteRequestUnits. An on-demand table without that maximum "
          + "needs --maxWriteUnitsPerSecond instead.")
  Double getWriteCapacityPercent();

  void setWriteCapacityPercent(Double value);

  @Description(
      "BatchWriteItem requests each worker thread keeps in flight. A "
          + "request waits on the network and on DynamoDB for most of its time, so one at a time "
          + "leaves the worker idle; more than a few only queue at the table.")
  @Default.Integer(4)
  int getWriteConcurrency();

  void setWriteConcurrency(int value);

  @Description(
      "With a write budget: the number of worker processes (JVMs) it is split over; every "
          + "writer thread of a process shares the process's pace. Default (0): 1 on the "
          + "DirectRunner and a local Spark master; on a Spark cluster its executors "
          + "(spark.executor.instances, or spark.dynamicAllocation.maxExecutors), else 8. Set it to "
          + "the number of executors that write at once: fewer lets the job exceed the budget, "
          + "more leaves part of it unused.")
  @Default.Integer(0)
  int getWriteShards();

  void setWriteShards(int value);

  @Description(
      "How many times a write is sent before its items go to the dead letters with reason "
          + "WRITE_FAILED (throttling, 5xx answers and unprocessed items are retried with capped "
          + "exponential backoff and jitter).")
  @Default.Integer(10)
  int getMaxWriteAttempts();

  void setMaxWriteAttempts(int value);

  @Description(
      "Stop the job when a write fails after its retries, instead of sending the items to the "
          + "dead letters and going on.")
  @Default.Boolean(false)
  boolean getFailOnWriteError();

  void setFailOnWriteError(boolean value);

  @Description(
      "Which of several rows with one table key is written. last (default): the last in input "
          + "order: file path order, then row order, paths compared naturally (numeric partition "
          + "values and digit runs in names as numbers, so batch=10/ comes after batch=9/ and "
          + "part-10 after part-9). maxBy:<column>: the greatest value of the "
          + "column; ties go to the last in input order. none: every row is written in arrival "
          + "order (which one stays is not defined). Dropped rows count as duplicatesDropped.")
  @Default.String("last")
  String getDedupe();

  void setDedupe(String value);

  @Description(
      "put (default): BatchWriteItem. putIfAbsent: write only where no item has the key. "
          + "putIfNewer:<column>: write only where the stored item's column is older or absent "
          + "(a number, a string, or a timestamp, also as ISO text). "
          + "update: one UpdateItem per item, setting its attributes and keeping the stored "
          + "item's others (a null with --nullPolicy=null removes the attribute). "
          + "delete: delete the items whose keys appear in the input. Items a condition skips "
          + "count as skippedByCondition. "
          + "export: write no item but gzip DynamoDB JSON files in ImportTable's format and a "
          + "manifest below --exportPath (counted as itemsExported). "
          + "import: export, then create --tableName (which must not exist) from the files with "
          + "DynamoDB's ImportTable. See docs/WRITE_MODES.md.")
  @Default.String("put")
  String getWriteMode();

  void setWriteMode(String value);

  @Description(
      "With --writeMode=export or import: a local directory or an s3:// prefix (s3:// for "
          + "import) below which each run writes RUN_ID/data/part-NNNNN.json.gz (one "
          + "{\"Item\":{...}} per line, the files ImportTable reads) and RUN_ID/manifest.json "
          + "(files, item counts, bytes, key schema).")
  String getExportPath();

  void setExportPath(String value);

  @Description(
      "With --writeMode=export or import when --tableName does not exist: the key schema, "
          + "pk:TYPE[,sk:TYPE] with TYPE S, N or B, e.g. order_id:S,line:N. An existing table's "
          + "own key schema (DescribeTable) is used otherwise, and must agree with this if given.")
  String getKeySchema();

  void setKeySchema(String value);

  @Description(
      "With --writeMode=import: a JSON file (local or s3://) in the form aws dynamodb "
          + "create-table --cli-input-json takes, for what ImportTable creates besides the key: "
          + "AttributeDefinitions, GlobalSecondaryIndexes, BillingMode, ProvisionedThroughput, "
          + "SSESpecification. Its KeySchema, if present, must agree with the key schema used.")
  String getTableDefinition();

  void setTableDefinition(String value);

  @Description(
      "With --writeMode=import: the new table's billing mode, PAY_PER_REQUEST (default, unless "
          + "--tableDefinition says otherwise) or PROVISIONED (needs ProvisionedThroughput in "
          + "--tableDefinition).")
  String getBillingMode();

  void setBillingMode(String value);

  @Description(
      "Read, transform, map and validate as a load would, and resolve duplicates, but write "
          + "nothing to DynamoDB: print the summary (itemsToWrite instead of itemsWritten, "
          + "estimatedWriteUnits as DynamoDB would count them and, with a write budget, "
          + "estimatedWriteSeconds) and "
          + "--sample items as DynamoDB JSON, the form aws dynamodb put-item --item takes. Dead "
          + "letters are still written when --deadLetterPath is given.")
  @Default.Boolean(false)
  boolean getDryRun();

  void setDryRun(boolean value);

  @Description("With --dryRun: how many of the items that would be written to print.")
  @Default.Integer(5)
  int getSample();

  void setSample(int value);

  @Description(
      "A mapping file (YAML or JSON; local path or s3:// URL) that transforms rows before they "
          + "become items: join, filter, derive, cast, select, rename, sets and ttl. See "
          + "docs/MAPPING.md.")
  String getMapping();

  void setMapping(String value);

  @Description(
      "Your own transform: the class name of a PTransform<PCollection<Row>, PCollection<Row>> "
          + "with a public no-argument constructor, on the class path (e.g. java -cp "
          + "parquet2dynamo.jar:yours.jar, or spark-submit --jars). Applied after --mapping and "
          + "--sql; its output needs a schema. Rows it drops count as rowsFiltered.")
  String getTransformClass();

  void setTransformClass(String value);

  @Description(
      "A Beam SQL (Calcite dialect) query over the rows, read as table 'input', e.g. "
          + "\"SELECT order_id, line, amount * 100 AS cents FROM input WHERE region <> 'apac'\". "
          + "Applied after --mapping. One row in, at most one out: rows it does not return count "
          + "as rowsFiltered; aggregates, JOIN, UNION, ORDER BY and LIMIT are refused. Timestamps "
          + "and times are seen to the millisecond. See docs/SQL.md.")
  String getSql();

  void setSql(String value);

  // Recurring loads (bookmarks): see docs/RECURRING.md and io.parquet2dynamo.bookmark.

  @Description(
      "Bookmark: a JSON file (local path or s3:// object) recording which input files earlier "
          + "runs loaded (path, size, ETag or modification time, rows, run id). With it, a run "
          + "loads only the files that are new or changed since (none: it reads nothing and exits "
          + "0), and records them only if the load SUCCEEDED (not after a failed, interrupted, "
          + "INCOMPLETE or dry run, so the next run loads them again); files no longer listed are "
          + "reported as filesGone and nothing is deleted. Two runs sharing it: the later commit "
          + "fails with exit code 5. Glue's --job-bookmark-option job-bookmark-enable turns it on at "
          + "<--TempDir>/parquet2dynamo-bookmarks/<--JOB_NAME>.json unless this is given; "
          + "job-bookmark-pause reads it without updating it; job-bookmark-disable ignores it. "
          + "See docs/RECURRING.md.")
  String getBookmarkPath();

  void setBookmarkPath(String value);

  @Description(
      "Start the bookmark over: ignore what it holds (even when it is unreadable or names "
          + "another input or table), load every file, and on success replace it, keeping the old "
          + "one next to it as <bookmark>.reset-<run id>.")
  @Default.Boolean(false)
  boolean getBookmarkReset();

  void setBookmarkReset(boolean value);

  @Description(
      "With a bookmark: load at most this many of the pending (new or changed) files in this "
          + "run, oldest first (by last-modified time, then path); the rest wait for the next "
          + "runs. Each run records its slice, so a large backlog loads over several runs.")
  Integer getMaxFilesPerRun();

  void setMaxFilesPerRun(Integer value);

  @Description(
      "With a bookmark: load pending files, oldest first, only while their total size stays "
          + "within this many bytes (at least one file is always loaded, however large). "
          + "Combined with --maxFilesPerRun, whichever limit is reached first applies.")
  Long getMaxBytesPerRun();

  void setMaxBytesPerRun(Long value);

  @Description(
      "Instead of --inputPath: write again the items an earlier run could not confirm written "
          + "(dead letters with reason WRITE_FAILED or WRITE_UNCONFIRMED), with the same table, "
          + "write mode, budget and retries. The value is the deadLetterFiles pattern of that "
          + "run's summary, or a dead-letter directory (every run's files in it). Safe to repeat: "
          + "put and delete are idempotent, putIfAbsent and putIfNewer skip what is there.")
  String getReplayDeadLetters();

  void setReplayDeadLetters(String value);

  // What the operator sees while the load runs: see docs/TROUBLESHOOTING.md.

  @Description(
      "Seconds between PROGRESS lines while the load runs: rows read, items written and "
          + "dead-lettered so far, the current rate in items/s and WCU/s, and an estimate of the "
          + "time left from the row count in the files' footers. 0 prints none.")
  @Default.Integer(10)
  int getProgressSeconds();

  void setProgressSeconds(int value);

  @Description(
      "How much the job logs, on stderr. info (default): the job's own steps (listing, reading N "
          + "files, writing at budget B), warnings and errors; libraries (Parquet, Hadoop, Beam, "
          + "Spark, the AWS SDK) only when they warn. debug: the job's details, and the "
          + "libraries' INFO lines (each file Parquet opens, Spark's stages). trace: everything, "
          + "the libraries' DEBUG lines included. warn: warnings and errors only. The PROGRESS "
          + "and SUMMARY lines on stdout are printed whatever the level.")
  @Default.String("info")
  String getLogLevel();

  void setLogLevel(String value);
}
