package io.parquet2dynamo.sink;

import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.item.LoadItem;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Writes one shard of items with a write budget: sequentially, paced by the shard's share of the
 * budget, one batch at a time. Requests, retries and counts are {@link BatchWriter}'s.
 */
final class WriteShardFn extends DoFn<KV<Integer, Iterable<KV<String, LoadItem>>>, DeadLetter> {
  private final WriteConfig config;
  private transient DynamoDbClient client;

  WriteShardFn(WriteConfig config) {
    this.config = config;
  }

  @Setup
  public void setup(PipelineOptions options) {
    client = buildClient(options, config);
  }

  /** The DynamoDB client the pipeline's AWS options and the write's client settings describe. */
  static DynamoDbClient buildClient(PipelineOptions options, WriteConfig config) {
    return ClientBuilderFactory.buildClient(
        options.as(AwsOptions.class), DynamoDbClient.builder(), config.clientConfiguration);
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<KV<String, LoadItem>>> shard,
      OutputReceiver<DeadLetter> deadLetters)
      throws InterruptedException {
    BatchWriter writer =
        new BatchWriter(
            client,
            config,
            WriteRateLimiter.of(config.unitsPerSecondPerShard()),
            new Backoff(config.backoffBaseMillis, config.backoffCapMillis, new Random()));
    BatchWriter.Batch batch = new BatchWriter.Batch();
    for (KV<String, LoadItem> keyed : shard.getValue()) {
      emit(writer.write(batch.add(keyed.getKey(), keyed.getValue())), deadLetters);
    }
    emit(writer.write(batch.drain()), deadLetters);
  }

  private static void emit(List<DeadLetter> failed, OutputReceiver<DeadLetter> out) {
    failed.forEach(out::output);
  }

  @Teardown
  public void teardown() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
