package io.parquet2dynamo.testing;

import java.util.List;

/**
 * The runners the end-to-end tests run on, as JUnit parameters: a name, then the options that
 * choose the runner. Use with {@code @RunWith(Parameterized.class)} and {@code @Parameter(1)}.
 */
public final class Runners {
  private Runners() {}

  /** The DirectRunner, and Spark 3.5 in the test JVM on two cores. */
  public static List<Object[]> directAndSpark() {
    return List.of(
        new Object[] {"DirectRunner", List.of()},
        new Object[] {"SparkRunner", List.of("--runner=SparkRunner", "--sparkMaster=local[2]")});
  }
}
