package io.parquet2dynamo.sink;

import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.io.aws2.dynamodb.DynamoDBIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes items to a DynamoDB table with Beam's {@link DynamoDBIO} (BatchWriteItem of Put requests),
 * after making table keys unique across the whole input.
 *
 * <p>Duplicate rule: of the rows that share a table key, the one that comes last in input order is
 * written, input order being file path order and, within a file, row order (as if the files were
 * loaded one after the other). The others count as {@code duplicatesDropped}. The rule is
 * deterministic whatever the runner or its parallelism, and a batch sent to DynamoDB never holds
 * two items with the same key (DynamoDB rejects such a batch).
 *
 * <p>Items are grouped by a hash bucket of their key rather than by the key itself: each bucket
 * (about {@value #ITEMS_PER_BUCKET} items) is de-duplicated in memory and leaves as one bundle, so
 * DynamoDBIO fills its batches of 25. Grouping by key would hand it one-item bundles on the
 * DirectRunner, and so one-item BatchWriteItem calls.
 */
public class DynamoDbSink extends PTransform<PCollection<KV<String, LoadItem>>, PCollection<Void>> {
  /** Input order, for the duplicate rule; rows of a dropped source field sort first. */
  static final Comparator<LoadItem> INPUT_ORDER =
      Comparator.comparing(LoadItem::sourceFile, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparingLong(LoadItem::sourceRow);

  /** Target bucket size: small enough to hold in memory, large enough to batch well. */
  static final int ITEMS_PER_BUCKET = 5_000;

  private final String tableName;
  private final ClientConfiguration clientConfiguration;
  private final int buckets;

  /**
   * @param expectedItems about how many items will arrive (the input's row count), to size the
   *     de-duplication buckets
   */
  public DynamoDbSink(
      String tableName, ClientConfiguration clientConfiguration, long expectedItems) {
    this.tableName = tableName;
    this.clientConfiguration = clientConfiguration;
    this.buckets = (int) Math.max(1, Math.min(1 << 20, expectedItems / ITEMS_PER_BUCKET));
  }

  @Override
  public PCollection<Void> expand(PCollection<KV<String, LoadItem>> items) {
    int bucketCount = buckets;
    return items
        .apply(
            "AssignBuckets",
            WithKeys.<Integer, KV<String, LoadItem>>of(
                    kv -> Math.floorMod(kv.getKey().hashCode(), bucketCount))
                .withKeyType(TypeDescriptors.integers()))
        .apply("GroupByBucket", GroupByKey.create())
        .apply("KeepLastInInputOrder", ParDo.of(new KeepLastFn()))
        .setCoder(LoadItem.ItemCoder.of())
        .apply(
            "BatchWriteItem",
            DynamoDBIO.<LoadItem>write()
                .withWriteRequestMapperFn(new ToPutRequest(tableName))
                .withClientConfiguration(clientConfiguration));
  }

  /** Keeps, per table key in a bucket, the item last in input order. */
  static final class KeepLastFn
      extends DoFn<KV<Integer, Iterable<KV<String, LoadItem>>>, LoadItem> {
    private final Counter duplicatesDropped = LoadMetrics.counter(LoadMetrics.DUPLICATES_DROPPED);

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, LoadItem>>> bucket, OutputReceiver<LoadItem> out) {
      Map<String, LoadItem> last = new HashMap<>();
      long dropped = 0;
      for (KV<String, LoadItem> keyed : bucket.getValue()) {
        LoadItem item = keyed.getValue();
        LoadItem previous = last.putIfAbsent(keyed.getKey(), item);
        if (previous != null) {
          dropped++;
          if (INPUT_ORDER.compare(item, previous) > 0) {
            last.put(keyed.getKey(), item);
          }
        }
      }
      duplicatesDropped.inc(dropped);
      last.values().forEach(out::output);
    }
  }

  /**
   * Put request of an item; counts the items handed to DynamoDBIO, which fails the job on error.
   */
  static final class ToPutRequest
      implements SerializableFunction<LoadItem, KV<String, WriteRequest>> {
    private static final long serialVersionUID = 1L;
    private final String tableName;
    private transient Counter itemsWritten;

    ToPutRequest(String tableName) {
      this.tableName = tableName;
    }

    @Override
    public KV<String, WriteRequest> apply(LoadItem item) {
      if (itemsWritten == null) {
        itemsWritten = LoadMetrics.counter(LoadMetrics.ITEMS_WRITTEN);
      }
      itemsWritten.inc();
      return KV.of(
          tableName,
          WriteRequest.builder()
              .putRequest(PutRequest.builder().item(item.attributes()).build())
              .build());
    }
  }
}
