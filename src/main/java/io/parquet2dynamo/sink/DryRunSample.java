package io.parquet2dynamo.sink;

import io.parquet2dynamo.item.DynamoJson;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.summary.LoadMetrics;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sample;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * What a dry run does instead of writing: counts the items that would be written ({@code
 * itemsToWrite}) and returns up to {@code size} of them in DynamoDB JSON, the form {@code aws
 * dynamodb put-item --item} takes. Nothing reaches DynamoDB.
 */
public final class DryRunSample
    extends PTransform<PCollection<KV<String, LoadItem>>, PCollection<String>> {
  private final int size;

  private DryRunSample(int size) {
    this.size = size;
  }

  /** Samples up to {@code size} items (none for 0). */
  public static DryRunSample of(int size) {
    return new DryRunSample(Math.max(0, size));
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, LoadItem>> items) {
    return items
        .apply("CountItemsToWrite", ParDo.of(new CountFn()))
        .apply("Sample", Sample.any(size))
        .apply(
            "ToDynamoJson",
            MapElements.into(TypeDescriptors.strings())
                .via((KV<String, LoadItem> kv) -> DynamoJson.item(kv.getValue().attributes())));
  }

  /** Counts the items a dry run would write. */
  static final class CountFn extends DoFn<KV<String, LoadItem>, KV<String, LoadItem>> {
    private final Counter itemsToWrite = LoadMetrics.counter(LoadMetrics.ITEMS_TO_WRITE);

    @ProcessElement
    public void process(
        @Element KV<String, LoadItem> item, OutputReceiver<KV<String, LoadItem>> out) {
      itemsToWrite.inc();
      out.output(item);
    }
  }
}
