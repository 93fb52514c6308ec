package io.parquet2dynamo.options;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What the job sets for the runner it runs on, and what it knows of the runner's parallelism: the
 * one place that knows runners by name.
 */
public final class RunnerTuning {
  /**
   * The SparkRunner by name: its class cannot even be loaded where Spark is not on the class path
   * ({@code java -jar} runs on the DirectRunner without Spark: NoClassDefFoundError), while its
   * options interface can.
   */
  static final String SPARK_RUNNER = "org.apache.beam.runners.spark.SparkRunner";

  /** Parallelism assumed where the runner's cannot be known when the pipeline is built. */
  static final int DEFAULT_PARALLELISM = 8;

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
   * The runner's parallelism, where it can be known when the pipeline is built: the DirectRunner's
   * {@code --targetParallelism}, the cores of a local Spark master, else {@value
   * #DEFAULT_PARALLELISM}.
   */
  public static int parallelism(PipelineOptions options) {
    if (isDirect(options)) {
      return Math.max(1, options.as(DirectOptions.class).getTargetParallelism());
    }
    if (isSpark(options)) {
      // spark-submit's --master reaches the driver as a system property, and wins over the option.
      String master =
          System.getProperty(
              "spark.master", options.as(SparkPipelineOptions.class).getSparkMaster());
      Matcher local = LOCAL_MASTER.matcher(master);
      if (local.lookingAt()) {
        return local.group(1).equals("*")
            ? Runtime.getRuntime().availableProcessors()
            : Integer.parseInt(local.group(1));
      }
    }
    return DEFAULT_PARALLELISM;
  }

  private static final Pattern LOCAL_MASTER = Pattern.compile("local\\[(\\d+|\\*)");
}
