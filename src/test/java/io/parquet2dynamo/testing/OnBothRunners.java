package io.parquet2dynamo.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/**
 * Base of the end-to-end tests that run each test on the DirectRunner and on the SparkRunner (Spark
 * 3.5 in the test JVM, {@code local[2]}) against the stand-ins: only the runner options differ.
 */
@RunWith(Parameterized.class)
public abstract class OnBothRunners extends WithStandIns {
  @Parameter(0)
  public String runnerName;

  @Parameter(1)
  public List<String> runnerArgs;

  @Parameters(name = "{0}")
  public static List<Object[]> runners() {
    return List.of(
        new Object[] {"DirectRunner", List.of()},
        new Object[] {"SparkRunner", List.of("--runner=SparkRunner", "--sparkMaster=local[2]")});
  }

  /** Runs the job with the stand-ins' options, {@code args}, and this test's runner. */
  protected LoadRun load(String... args) {
    List<String> all = new ArrayList<>(LoadRun.standInArgs(standIns, args));
    all.addAll(runnerArgs);
    return LoadRun.of(all);
  }
}
