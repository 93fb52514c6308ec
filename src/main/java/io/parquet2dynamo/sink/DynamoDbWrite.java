package io.parquet2dynamo.sink;

import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.item.LoadItem;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

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
 * ({@code ItemMapper#keyOf}); a batch never holds two items of one key.
 *
 * <p><b>Without a budget</b> every worker writes the items it holds as they come ({@link
 * WriteBundleFn}): nothing is grouped or shuffled. <b>With a budget</b>, items are spread over
 * {@code shards} sequential write streams by a hash of their key, and a stream's items are written
 * by one worker thread, one request at a time, at {@code budget / shards} write units per second
 * ({@link WriteShardFn}). The total therefore never exceeds the budget, whatever the runner, its
 * parallelism or its number of workers: more workers only run more streams at once. It reaches the
 * budget when all streams run at the same time, so {@code shards} should not exceed the number of
 * threads the runner writes with.
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
    if (config.unitsPerSecond <= 0) {
      return items.apply("Write", ParDo.of(new WriteBundleFn(config))).setCoder(DeadLetter.coder());
    }
    int shards = config.shards;
    return items
        .apply(
            "AssignShards",
            WithKeys.<Integer, KV<String, LoadItem>>of(kv -> shardOf(kv.getKey(), shards))
                .withKeyType(TypeDescriptors.integers()))
        .apply("GroupByShard", GroupByKey.create())
        .apply("Write", ParDo.of(new WriteShardFn(config)))
        .setCoder(DeadLetter.coder());
  }

  /** A shard for a key, by a hash mixed so that it does not align with other hash buckets. */
  static int shardOf(String key, int shards) {
    return Math.floorMod(key.hashCode() * 0x9E3779B9, shards);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("tableName", config.tableName))
        .add(DisplayData.item("writeMode", config.mode.toString()))
        .add(DisplayData.item("unitsPerSecond", config.unitsPerSecond))
        .add(DisplayData.item("shards", config.shards))
        .add(DisplayData.item("concurrency", config.concurrency))
        .add(DisplayData.item("maxAttempts", config.maxAttempts));
  }
}
