package io.parquet2dynamo;

import java.util.List;

/**
 * {@link Parquet2DynamoIT}'s tests, item by item, on the SparkRunner: Spark 3.5.4 in this JVM
 * ({@code local[2]}), as Beam's runner starts it outside spark-submit.
 */
public class SparkRunnerIT extends Parquet2DynamoIT {
  @Override
  protected List<String> runnerArgs() {
    return List.of("--runner=SparkRunner", "--sparkMaster=local[2]");
  }

  @Override
  protected String runnerName() {
    return "SparkRunner";
  }
}
