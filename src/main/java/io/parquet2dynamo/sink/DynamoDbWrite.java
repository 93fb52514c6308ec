package io.parquet2dynamo.sink;

import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.item.LoadItem;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes items to a DynamoDB table, and returns the dead letters of those DynamoDB did not take: an
 * immutable transform in the style of Beam's {@code DynamoDBIO.Write}, configured by a {@link
 * WriteConfig}, with its DynamoDB client built from the pipeline's AWS options on each worker.
 *
 * <pre>{@code
 * items.apply(DynamoDbWrite.of(WriteConfig.of(tableKey).withBudget(1000, 8)));
 * }</pre>
 *
 * <p>Items are keyed by a string equal for two items exactly when their table keys are equal
 * ({@code ItemMapper#keyOf}); a batch never holds two items of one key. A row rejected before the
 * writer ({@code LoadItem#rejected}) is handed over as the dead letter it carries.
 *
 * <p>Items are written where they are, as they come, a few requests in flight per writer ({@link
 * WriteBundleFn}): nothing is grouped or shuffled, so no step holds more than a batch of items.
 * <b>With a budget</b>, every writer of a worker process (JVM) takes its turn from one pace shared
 * by the process, at {@code budget / processes} write units per second: the total never exceeds the
 * budget, whatever the number of threads, as long as no more than {@code processes} processes write
 * at once (the DirectRunner and a local Spark master are one; a Spark cluster, its executors). An
 * earlier design grouped items into paced write streams by key; both the DirectRunner and the
 * SparkRunner hold a whole group in memory (the SparkRunner as a list of encoded values per key),
 * and 10⁸ items over 8 streams is 12.5 million items a group.
 *
 * <p>Why not Beam's {@code DynamoDBIO.write()}: it has no rate limit, no dead-letter output (after
 * its retries the bundle fails), no conditional writes and no counts of what was written.
 */
public final class DynamoDbWrite
    extends PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> {
  private final WriteConfig config;

  private DynamoDbWrite(WriteConfig config) {
    this.config = config;
  }

  /** Writes as {@code config} says. */
  public static DynamoDbWrite of(WriteConfig config) {
    return new DynamoDbWrite(config);
  }

  /** A copy that writes as {@code value} says. */
  public DynamoDbWrite withConfig(WriteConfig value) {
    return new DynamoDbWrite(value);
  }

  public WriteConfig config() {
    return config;
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<KV<String, LoadItem>> items) {
    config.validate();
    return items.apply("Write", ParDo.of(new WriteBundleFn(config))).setCoder(DeadLetter.coder());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("tableName", config.tableName))
        .add(DisplayData.item("writeMode", config.mode.toString()))
        .add(DisplayData.item("unitsPerSecond", config.unitsPerSecond))
        .add(DisplayData.item("processes", config.shards))
        .add(DisplayData.item("concurrency", config.concurrency))
        .add(DisplayData.item("maxAttempts", config.maxAttempts));
  }
}
