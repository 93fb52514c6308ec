package io.parquet2dynamo;

import io.parquet2dynamo.aws.AwsProblems;
import io.parquet2dynamo.deadletter.WriteDeadLetters;
import io.parquet2dynamo.export.AfterExport;
import io.parquet2dynamo.load.LoadResult;
import io.parquet2dynamo.load.ParquetToDynamoDb;
import io.parquet2dynamo.options.JobOptions;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.options.Usage;
import io.parquet2dynamo.plan.LoadPlan;
import io.parquet2dynamo.sink.SampleFiles;
import io.parquet2dynamo.summary.GracefulStop;
import io.parquet2dynamo.summary.LoadSummary;
import io.parquet2dynamo.summary.LogLevel;
import io.parquet2dynamo.summary.Outcome;
import io.parquet2dynamo.summary.Progress;
import io.parquet2dynamo.summary.StatusFile;
import java.io.PrintStream;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * Loads Parquet files from S3 (or local paths) into a DynamoDB table: parses the options, plans the
 * load ({@link LoadPlan}), runs it ({@link ParquetToDynamoDb}) and reports what it did.
 *
 * <p>Exit codes: 0 the load completed and every row is accounted for; 1 the load failed while
 * running; 2 bad options or input, found before any work; 3, 4, 5, 6 and 143 the load ended
 * otherwise: each {@link Outcome} says when (rows not kept, items not confirmed written, the
 * bookmark not updated, interrupted by a signal as {@link GracefulStop} handles).
 */
public final class Parquet2Dynamo {
  public static final int OK = 0;
  public static final int LOAD_FAILED = 1;
  public static final int INVALID_INPUT = 2;
  public static final int ROWS_NOT_KEPT = 3;
  public static final int INCOMPLETE = 4;

  private Parquet2Dynamo() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a load with command-line arguments and returns the exit code; never calls exit. */
  public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
    Secrets.learn(args); // from here on, credentials are masked in every line printed
    LogLevel.configure(args); // before the job's loggers exist
    PrintStream out = Secrets.masking(stdout);
    PrintStream err = Secrets.masking(stderr);
    if (Usage.handled(args, out)) { // --help, -h, --version
      return OK;
    }
    long start = System.nanoTime();
    Parquet2DynamoOptions options;
    LoadPlan plan;
    Pipeline pipeline;
    WriteDeadLetters deadLetters = null;
    SampleFiles samples = null;
    StatusFile status;
    try {
      options = JobOptions.parse(args);
      plan = LoadPlan.resolve(options, JobOptions.glueArguments(args));
      plan.warnings().forEach(w -> err.println("WARNING: " + w));
      plan.bookmark().announce(out);
      if (plan.nothingToLoad()) { // stop here: no pipeline, no runner started
        return plan.bookmark().finishWithoutLoad(plan.summaryFields(), start, options, out, err);
      }
      pipeline = Pipeline.create(options);
      LoadResult result = pipeline.apply("Load", ParquetToDynamoDb.of(plan));
      if (plan.dryRun()) {
        samples = SampleFiles.create(options.getTempLocation(), plan.runId());
        result.sample().apply("WriteSample", samples.write());
      }
      if (options.getDeadLetterPath() != null && !options.getDeadLetterPath().isBlank()) {
        deadLetters = new WriteDeadLetters(options.getDeadLetterPath(), plan.runId());
        deadLetters.checkWritable();
        result.deadLetters().apply("WriteDeadLetters", deadLetters);
      }
      status = new StatusFile(options.getSummaryPath());
      status.running();
    } catch (InvalidInputException e) {
      err.println("ERROR: " + AwsProblems.explain(e.getMessage()));
      return INVALID_INPUT;
    } catch (IllegalArgumentException | IllegalStateException e) {
      // Beam's option parsing and AWS client validation report problems this way.
      err.println("ERROR: " + JobOptions.optionProblem(Errors.rootMessage(e)));
      err.println("Run with --help for the list of options.");
      return INVALID_INPUT;
    } catch (RuntimeException e) {
      // Anything else before the load starts, e.g. the AWS SDK finding no region.
      err.println("ERROR: " + AwsProblems.explain(Errors.rootMessage(e)));
      return INVALID_INPUT;
    }

    Map<String, Object> context = plan.summaryFields();
    context.put("deadLetterFiles", deadLetters == null ? null : deadLetters.filePattern());
    PipelineResult result;
    try (GracefulStop stop = GracefulStop.onSignals(err)) {
      result = pipeline.run();
      PipelineResult.State state =
          stop.follow(result, new Progress(out, options.getProgressSeconds(), plan.rowsInFiles()));
      if (stop.requested()) {
        return stop.report(
            result, plan.rowsInFiles(), start, context, deadLetters != null, status, out);
      }
      if (state != PipelineResult.State.DONE) {
        err.println("ERROR: the load ended in state " + state);
        return LOAD_FAILED;
      }
    } catch (Exception e) { // also Spark's SparkException, checked but thrown undeclared
      String message = "the load failed: " + AwsProblems.explain(Errors.ownMessage(e));
      err.println("ERROR: " + message);
      status.failed(message);
      return LOAD_FAILED;
    }

    LoadSummary summary =
        LoadSummary.of(
            result.metrics(),
            plan.rowsInFiles(),
            (System.nanoTime() - start) / 1e9,
            context,
            deadLetters != null);
    if (plan.export() != null && !plan.dryRun()) { // the manifest's count; ImportTable's
      summary = AfterExport.finish(plan.export(), options, plan.runId(), summary, out);
    }
    summary = plan.bookmark().afterLoad(summary, out); // records the files only if it SUCCEEDED
    if (samples != null) {
      samples.read().forEach(item -> out.println("SAMPLE " + item));
    }
    out.println("SUMMARY " + summary.toJson());
    out.println(summary.recap());
    try {
      status.write(summary);
    } catch (Exception e) {
      err.println(
          "ERROR: cannot write --summaryPath=" + status.path() + ": " + Errors.rootMessage(e));
      return LOAD_FAILED;
    }
    if (summary.outcome() != Outcome.SUCCEEDED) {
      err.println("ERROR: " + summary.problem());
    }
    return summary.outcome().exitCode();
  }
}
