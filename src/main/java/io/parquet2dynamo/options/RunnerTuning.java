package io.parquet2dynamo.options;

import java.util.Set;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What the job sets for the runner it runs on, and what it knows of the runner's processes: the one
 * place that knows runners by name.
 */
public final class RunnerTuning {
  /**
   * The SparkRunner by name: its class cannot even be loaded where Spark is not on the class path
   * ({@code java -jar} runs on the DirectRunner without Spark: NoClassDefFoundError), while its
   * options interface can.
   */
  static final String SPARK_RUNNER = "org.apache.beam.runners.spark.SparkRunner";

  /** Writer processes assumed where their number cannot be known when the pipeline is built. */
  static final int DEFAULT_PROCESSES = 8;

  private RunnerTuning() {}

  public static boolean isDirect(PipelineOptions options) {
    return options.getRunner() == DirectRunner.class;
  }

  public static boolean isSpark(PipelineOptions options) {
    return options.getRunner().getName().equals(SPARK_RUNNER);
  }

  /**
   * Sets what a load needs on its runner, leaving alone what the user set ({@code given}: the names
   * of the options on the command line).
   */
  public static void apply(PipelineOptions options, Set<String> given) {
    if (isDirect(options)) {
      DirectOptions direct = options.as(DirectOptions.class);
      // So that run() returns and the progress line can be printed while the load runs.
      direct.setBlockOnRun(false);
      // The DirectRunner's checks that DoFns neither modify their inputs nor emit what their coder
      // cannot encode copy every element through its coder at every step: they made a load 5
      // times slower (scripts/bench.sh). They are test aids, so a load runs without them unless
      // asked for; the tests ask for them.
      if (!given.contains("enforceImmutability")) {
        direct.setEnforceImmutability(false);
      }
      if (!given.contains("enforceEncodability")) {
        direct.setEnforceEncodability(false);
      }
    }
    if (isSpark(options) && !given.contains("storageLevel")) {
      // The SparkRunner keeps the outputs of a step with several (as MapToItems has) with this
      // level. Spark's default, MEMORY_ONLY, drops what does not fit in memory and recomputes it
      // from the files when needed: every row read twice, and counted twice, so the summary does
      // not reconcile (1,750,000 rows read of 1,000,000 in scripts/bench.sh). Serialized with
      // spill to disk, nothing is read twice.
      options.as(SparkPipelineOptions.class).setStorageLevel("MEMORY_AND_DISK_SER");
    }
  }

  /**
   * How many worker processes (JVMs) write at once, where it can be known when the pipeline is
   * built: one on the DirectRunner and on a local Spark master; on a Spark cluster its executors
   * ({@code spark.executor.instances}, or with dynamic allocation {@code
   * spark.dynamicAllocation.maxExecutors}), else {@value #DEFAULT_PROCESSES}. A write budget is
   * split evenly over them.
   */
  public static int writerProcesses(PipelineOptions options) {
    if (isDirect(options)) {
      return 1;
    }
    if (isSpark(options)) {
      // spark-submit's settings reach the driver as system properties, and win over the option.
      String master =
          System.getProperty(
              "spark.master", options.as(SparkPipelineOptions.class).getSparkMaster());
      if (LOCAL_MASTER.matcher(master).lookingAt() || master.equals("local")) {
        return 1;
      }
      boolean dynamic =
          Boolean.parseBoolean(System.getProperty("spark.dynamicAllocation.enabled", "false"));
      String executors =
          dynamic
              ? System.getProperty("spark.dynamicAllocation.maxExecutors")
              : System.getProperty("spark.executor.instances");
      if (executors != null && executors.matches("\\d+") && Integer.parseInt(executors) > 0) {
        return Integer.parseInt(executors);
      }
    }
    return DEFAULT_PROCESSES;
  }

  private static final Pattern LOCAL_MASTER = Pattern.compile("local\\[(\\d+|\\*)");
}
