package io.parquet2dynamo;

import io.parquet2dynamo.aws.DynamoDbClients;
import io.parquet2dynamo.aws.PathStyleS3ClientBuilderFactory;
import io.parquet2dynamo.deadletter.WriteDeadLetters;
import io.parquet2dynamo.item.ItemFormat;
import io.parquet2dynamo.item.MapToItems;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.options.JobArguments;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.sink.DynamoDbSink;
import io.parquet2dynamo.sink.SampleFiles;
import io.parquet2dynamo.source.ParquetDataset;
import io.parquet2dynamo.source.ParquetSource;
import io.parquet2dynamo.summary.LoadSummary;
import io.parquet2dynamo.summary.Progress;
import io.parquet2dynamo.transform.JoinRows;
import io.parquet2dynamo.transform.Mapping;
import io.parquet2dynamo.transform.MappingSpec;
import io.parquet2dynamo.transform.SqlQuery;
import io.parquet2dynamo.transform.TransformRows;
import io.parquet2dynamo.transform.UserTransform;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Loads Parquet files from S3 (or local paths) into a DynamoDB table:
 *
 * <pre>
 *   ReadParquet → TransformRows → MapToItems → WriteToDynamoDB
 *                                       └────→ WriteDeadLetters
 * </pre>
 *
 * <p>Exit codes: 0 the load completed and every row is accounted for; 1 the load failed while
 * running; 2 bad options or input, found before any work; 3 the load completed but rows were
 * rejected and no {@code --deadLetterPath} was given to keep them, or the counts do not reconcile.
 */
public final class Parquet2Dynamo {
  private static final Logger LOG = LoggerFactory.getLogger(Parquet2Dynamo.class);

  public static final int OK = 0;
  public static final int LOAD_FAILED = 1;
  public static final int INVALID_INPUT = 2;
  public static final int ROWS_NOT_KEPT = 3;

  private Parquet2Dynamo() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a load with command-line arguments and returns the exit code; never calls exit. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PipelineOptionsFactory.register(Parquet2DynamoOptions.class);
    if (Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.startsWith("--help="))) {
      PipelineOptionsFactory.printHelp(out, Parquet2DynamoOptions.class);
      return OK;
    }
    long start = System.nanoTime();
    Parquet2DynamoOptions options;
    Pipeline pipeline;
    WriteDeadLetters deadLetters = null;
    ParquetDataset dataset;
    DynamoDbSink sink;
    SampleFiles samples = null;
    try {
      // Glue's "--key value" pairs and its own keys, turned into what Beam parses.
      List<String> beamArgs = new JobArguments(Parquet2DynamoOptions.class).normalise(args);
      options =
          PipelineOptionsFactory.fromArgs(beamArgs.toArray(new String[0]))
              .withValidation()
              .as(Parquet2DynamoOptions.class);
      if (options.getS3ClientFactoryClass() == DefaultS3ClientBuilderFactory.class) {
        options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
      }
      FileSystems.setDefaultPipelineOptions(options);
      ItemFormat format = ItemFormat.of(options.getTimestampFormat(), options.getNullPolicy());
      TableKey key = describeTable(options);
      dataset = ParquetDataset.scan(options.getInputPath());

      pipeline = Pipeline.create(options);
      Mapping mapping = null;
      JoinRows join = null;
      ParquetSource source = new ParquetSource(dataset);
      if (!isBlank(options.getMapping())) {
        MappingSpec spec = MappingSpec.load(options.getMapping());
        Instant loadTime = Instant.now();
        if (spec.join != null) {
          join = JoinRows.of(spec.join, dataset.schema());
        }
        mapping =
            Mapping.compile(spec, join == null ? dataset.schema() : join.outputSchema(), loadTime);
        if (mapping.requiredColumns() != null) {
          // Pushed down to the reader: unselected columns are never read.
          Set<String> columns = new TreeSet<>(mapping.requiredColumns());
          if (join != null) {
            columns.add(join.leftKey());
          }
          source = new ParquetSource(dataset, columns);
          if (join != null) {
            join = JoinRows.of(spec.join, source.schema());
          }
          mapping =
              Mapping.compile(spec, join == null ? source.schema() : join.outputSchema(), loadTime);
          LOG.info("Reading only the columns {}", source.schema().getFieldNames());
        }
      }
      PCollection<Row> read = pipeline.apply("ReadParquet", source);
      if (join != null) {
        read = read.apply("Join", join);
      }
      PCollectionTuple transformed = read.apply("TransformRows", new TransformRows(mapping));
      PCollection<Row> rows = transformed.get(TransformRows.ROWS);
      if (!isBlank(options.getSql())) {
        rows = rows.apply("SqlQuery", new SqlQuery(options.getSql()));
      }
      if (!isBlank(options.getTransformClass())) {
        rows = rows.apply("UserTransform", UserTransform.load(options.getTransformClass()));
      }
      PCollectionTuple items = rows.apply("MapToItems", new MapToItems(key, format));
      sink = DynamoDbSink.fromOptions(options, key, rows.getSchema(), format, dataset.rowCount());
      PCollectionList<String> rejections =
          PCollectionList.of(transformed.get(TransformRows.REJECTED))
              .and(items.get(MapToItems.REJECTED));
      if (options.getDryRun()) {
        samples = SampleFiles.create(options, runId());
        items
            .get(MapToItems.ITEMS)
            .apply("DryRun", sink.dryRun(options.getSample()))
            .apply("WriteSample", samples.write());
      } else {
        rejections = rejections.and(items.get(MapToItems.ITEMS).apply("WriteToDynamoDB", sink));
      }
      if (!isBlank(options.getDeadLetterPath())) {
        deadLetters = new WriteDeadLetters(options.getDeadLetterPath(), runId());
        deadLetters.checkWritable();
        rejections
            .apply("AllRejections", Flatten.pCollections())
            .apply("WriteDeadLetters", deadLetters);
      }
      if (options.getRunner().getSimpleName().equals("DirectRunner")) {
        DirectOptions direct = options.as(DirectOptions.class);
        // So that run() returns and the progress line can be printed while the load runs.
        direct.setBlockOnRun(false);
        // The DirectRunner's checks that DoFns neither modify their inputs nor emit what their
        // coder cannot encode copy every element through its coder at every step: they made a
        // load 5 times slower (scripts/bench.sh). They are test aids, so a load runs without them
        // unless asked for; the tests ask for them.
        if (!mentions(beamArgs, "enforceImmutability")) {
          direct.setEnforceImmutability(false);
        }
        if (!mentions(beamArgs, "enforceEncodability")) {
          direct.setEnforceEncodability(false);
        }
      }
      if (options.getRunner().getSimpleName().equals("SparkRunner")
          && !mentions(beamArgs, "storageLevel")) {
        // The SparkRunner keeps the outputs of a step with several (as MapToItems has) with this
        // level. Spark's default, MEMORY_ONLY, drops what does not fit in memory and recomputes it
        // from the files when needed: every row read twice, and counted twice, so the summary
        // does not reconcile (1,750,000 rows read of 1,000,000 in scripts/bench.sh). Serialized
        // with spill to disk, nothing is read twice.
        options.as(SparkPipelineOptions.class).setStorageLevel("MEMORY_AND_DISK_SER");
      }
      // Written now, so an unwritable path stops the job before the load rather than after it.
      writeStatus(options, "RUNNING", null);
    } catch (InvalidInputException e) {
      err.println("ERROR: " + e.getMessage());
      return INVALID_INPUT;
    } catch (IllegalArgumentException | IllegalStateException e) {
      // Beam's option parsing and AWS client validation report problems this way.
      err.println("ERROR: " + optionProblem(Errors.rootMessage(e)));
      err.println("Run with --help for the list of options.");
      return INVALID_INPUT;
    } catch (RuntimeException e) {
      // Anything else before the load starts, e.g. the AWS SDK finding no region.
      String message = Errors.rootMessage(e);
      err.println(
          "ERROR: "
              + (message.startsWith("Unable to load region")
                  ? "no AWS region is configured; set --awsRegion or AWS_REGION"
                  : message));
      return INVALID_INPUT;
    }

    PipelineResult result;
    try {
      result = pipeline.run();
      PipelineResult.State state = Progress.follow(result, out);
      if (state != PipelineResult.State.DONE) {
        err.println("ERROR: the load ended in state " + state);
        return LOAD_FAILED;
      }
    } catch (RuntimeException e) {
      String message = "the load failed: " + failureMessage(e);
      err.println("ERROR: " + message);
      LOG.debug("Load failure", e);
      try {
        writeStatus(options, "FAILED", message);
      } catch (InvalidInputException ignored) {
        // Already reported at start if the path were unwritable; the load error matters more.
      }
      return LOAD_FAILED;
    }

    Map<String, Object> context = new LinkedHashMap<>();
    context.put("table", options.getTableName());
    context.put("inputFiles", dataset.fileCount());
    // Which engine did the load, and under which job name (Glue's JOB_NAME and run id, if any).
    context.put("runner", options.getRunner().getSimpleName());
    context.put("jobName", options.getJobName());
    context.put("deadLetterFiles", deadLetters == null ? null : deadLetters.filePattern());
    if (options.getDryRun()) {
      context.put("dryRun", true);
    }
    context.put("writeMode", sink.mode().toString());
    context.put("dedupe", sink.dedupe().toString());
    context.put("writeBudget", sink.budget().toString());
    LoadSummary summary =
        LoadSummary.of(
            result.metrics(), dataset.rowCount(), (System.nanoTime() - start) / 1e9, context);
    if (samples != null) {
      for (String item : samples.read()) {
        out.println("SAMPLE " + item);
      }
    }
    out.println("SUMMARY " + summary.toJson());
    if (!isBlank(options.getSummaryPath())) {
      try {
        summary.writeTo(options.getSummaryPath());
      } catch (Exception e) {
        err.println(
            "ERROR: cannot write --summaryPath="
                + options.getSummaryPath()
                + ": "
                + Errors.rootMessage(e));
        return LOAD_FAILED;
      }
    }
    if (!summary.reconciles()) {
      err.println("ERROR: the counts do not reconcile; some rows are unaccounted for");
      return ROWS_NOT_KEPT;
    }
    if (summary.rowsRejected() > 0 && deadLetters == null) {
      err.println(
          "ERROR: "
              + summary.rowsRejected()
              + " rows were rejected "
              + summary.rejectedByReason()
              + " and not kept; set --deadLetterPath to keep them");
      return ROWS_NOT_KEPT;
    }
    return OK;
  }

  private static void writeStatus(Parquet2DynamoOptions options, String status, String error) {
    if (isBlank(options.getSummaryPath())) {
      return;
    }
    try {
      LoadSummary.writeStatus(options.getSummaryPath(), status, error);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          "--summaryPath="
              + options.getSummaryPath()
              + " is not writable: "
              + Errors.rootMessage(e),
          e);
    }
  }

  private static TableKey describeTable(Parquet2DynamoOptions options) {
    String endpoint =
        !isBlank(options.getDynamoDbEndpoint())
            ? options.getDynamoDbEndpoint()
            : options.getEndpoint() != null ? options.getEndpoint().toString() : null;
    String where =
        "in region " + options.getAwsRegion() + (endpoint == null ? "" : " at " + endpoint);
    try (DynamoDbClient client = DynamoDbClients.create(options)) {
      TableKey key = TableKey.describe(client, options.getTableName(), where);
      LOG.info("Loading {}", key);
      return key;
    }
  }

  /** A UTC timestamp and a random suffix: unique per run, and sorts by time. */
  private static String runId() {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now())
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Beam quotes an option's whole description when it is missing; the name is enough. */
  static String optionProblem(String message) {
    Matcher missing = MISSING_OPTION.matcher(message);
    return missing.find() ? missing.group(1) + " is required" : message;
  }

  private static final Pattern MISSING_OPTION =
      Pattern.compile("^Missing required value for \\[(--\\w+),");

  /** The message of the innermost error we raised ourselves, else of the root cause. */
  private static String failureMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidInputException) {
        return t.getMessage();
      }
    }
    return Errors.rootMessage(e);
  }

  private static boolean mentions(List<String> args, String option) {
    return args.stream()
        .anyMatch(a -> a.equals("--" + option) || a.startsWith("--" + option + "="));
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
