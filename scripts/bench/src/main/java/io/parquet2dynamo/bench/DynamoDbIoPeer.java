package io.parquet2dynamo.bench;

import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.load.ParquetToDynamoDb;
import io.parquet2dynamo.options.JobOptions;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.plan.AwsCatalog;
import io.parquet2dynamo.plan.LoadPlan;
import io.parquet2dynamo.summary.LoadMetrics;
import java.net.URI;
import java.time.Instant;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.io.aws2.dynamodb.DynamoDBIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Beam's own DynamoDB writer as a peer of the job's sink: the job's pipeline as it is (the same
 * plan, read, mapping and de-duplication, through {@link ParquetToDynamoDb}), with only the writer
 * replaced by {@code DynamoDBIO.write()} of {@code beam-sdks-java-io-amazon-web-services2} 2.62.0:
 * a plain put of each item, DynamoDBIO's default batching (25 items, one synchronous {@code
 * BatchWriteItem} at a time per DoFn instance) and retries (the SDK's, and up to 25 rounds for
 * unprocessed items before the bundle fails). It has no write budget, no dead letters, no
 * conditional modes and no counts of what it wrote, so it returns no dead letters and the harness
 * counts the table instead.
 *
 * <p>Takes the job's own options ({@link JobOptions#parse}, so the runner is tuned as the job's);
 * prints {@code ROWS n}, the items handed to DynamoDBIO, and {@code ROWS_READ n}, the job's own
 * count of rows read. Exits 1 if the pipeline does not finish.
 *
 * <pre>
 * java -cp JOB_CLASSES:JOB_RUNTIME_CLASSPATH:BENCH_CLASSES io.parquet2dynamo.bench.DynamoDbIoPeer
 *   --inputPath=... --tableName=... [job options]</pre>
 */
public final class DynamoDbIoPeer {
  static final String NAMESPACE = "bench";
  static final String HANDED = "itemsHandedToDynamoDBIO";

  private DynamoDbIoPeer() {}

  public static void main(String[] args) {
    Parquet2DynamoOptions options = JobOptions.parse(args);
    LoadPlan plan =
        LoadPlan.resolve(options, new AwsCatalog(options), Instant.now(), LoadPlan.newRunId());
    if (plan.dryRun() || plan.replay() != null) {
      throw new IllegalArgumentException("the DynamoDBIO peer writes: no --dryRun or replay");
    }
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply(
        "Load",
        ParquetToDynamoDb.of(plan)
            .withWriter(
                new DynamoDbIoWrite(options.getTableName(), options.getDynamoDbEndpoint())));
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      System.out.println("ERROR: the pipeline ended " + state);
      System.exit(1);
    }
    System.out.println(
        "ROWS_READ " + counter(result, LoadMetrics.NAMESPACE, LoadMetrics.ROWS_READ));
    System.out.println("ROWS " + counter(result, NAMESPACE, HANDED));
    System.exit(0);
  }

  private static long counter(PipelineResult result, String namespace, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(namespace, name))
                    .build())
            .getCounters()) {
      total +=
          counter.getCommittedOrNull() != null ? counter.getCommitted() : counter.getAttempted();
    }
    return total;
  }

  /** The writer {@link ParquetToDynamoDb#withWriter} takes: DynamoDBIO, and no dead letters. */
  static final class DynamoDbIoWrite
      extends PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> {
    private final String table;
    private final String endpoint;

    DynamoDbIoWrite(String table, String endpoint) {
      this.table = table;
      this.endpoint = endpoint;
    }

    @Override
    public PCollection<DeadLetter> expand(PCollection<KV<String, LoadItem>> items) {
      // Region and credentials come from the pipeline's AWS options, as for the job's own client;
      // the endpoint from the job's --dynamoDbEndpoint.
      ClientConfiguration client =
          endpoint == null || endpoint.isBlank()
              ? ClientConfiguration.EMPTY
              : ClientConfiguration.builder().endpoint(URI.create(endpoint)).build();
      items.apply(
          "DynamoDBIO.write",
          DynamoDBIO.<KV<String, LoadItem>>write()
              .withClientConfiguration(client)
              .withWriteRequestMapperFn(new ToPut(table)));
      return items.getPipeline().apply("NoDeadLetters", Create.empty(DeadLetter.coder()));
    }
  }

  /** An item as a plain put into the table, counted. */
  static final class ToPut
      implements SerializableFunction<KV<String, LoadItem>, KV<String, WriteRequest>> {
    private static final Counter HANDED_ITEMS = Metrics.counter(NAMESPACE, HANDED);
    private final String table;

    ToPut(String table) {
      this.table = table;
    }

    @Override
    public KV<String, WriteRequest> apply(KV<String, LoadItem> item) {
      HANDED_ITEMS.inc();
      return KV.of(
          table,
          WriteRequest.builder()
              .putRequest(PutRequest.builder().item(item.getValue().attributes()).build())
              .build());
    }
  }
}
