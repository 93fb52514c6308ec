package io.parquet2dynamo.dedupe;

import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keeps one item per table key across the whole input, the one the {@link DedupePolicy} prefers,
 * and counts the others as {@code duplicatesDropped}. With {@code none} it passes every item on.
 *
 * <p>Items are grouped by a hash bucket of their key (about {@value #ITEMS_PER_BUCKET} items a
 * bucket, held in memory) rather than by the key itself, which would cost a group per item.
 */
public final class DropDuplicates
    extends PTransform<PCollection<KV<String, LoadItem>>, PCollection<KV<String, LoadItem>>> {
  /** Target bucket size: small enough to hold in memory, large enough to be cheap to group. */
  static final int ITEMS_PER_BUCKET = 5_000;

  private final DedupePolicy policy;
  private final int buckets;

  private DropDuplicates(DedupePolicy policy, int buckets) {
    this.policy = policy;
    this.buckets = buckets;
  }

  /**
   * @param expectedItems about how many items will arrive, to size the buckets
   */
  public static DropDuplicates of(DedupePolicy policy, long expectedItems) {
    return new DropDuplicates(
        policy, (int) Math.max(1, Math.min(1 << 20, expectedItems / ITEMS_PER_BUCKET)));
  }

  @Override
  public PCollection<KV<String, LoadItem>> expand(PCollection<KV<String, LoadItem>> items) {
    if (policy.isNone()) {
      return items;
    }
    int bucketCount = buckets;
    return items
        .apply(
            "AssignBuckets",
            WithKeys.<Integer, KV<String, LoadItem>>of(
                    kv -> Math.floorMod(kv.getKey().hashCode(), bucketCount))
                .withKeyType(TypeDescriptors.integers()))
        .apply("GroupByBucket", GroupByKey.create())
        .apply("KeepOnePerKey", ParDo.of(new KeepWinnerFn(policy)))
        .setCoder(items.getCoder());
  }

  /** Keeps, per table key in a bucket, the item the policy prefers; counts the others. */
  static final class KeepWinnerFn
      extends DoFn<KV<Integer, Iterable<KV<String, LoadItem>>>, KV<String, LoadItem>> {
    private final DedupePolicy policy;
    private transient Comparator<LoadItem> order;
    private final Counter duplicatesDropped = LoadMetrics.counter(LoadMetrics.DUPLICATES_DROPPED);

    KeepWinnerFn(DedupePolicy policy) {
      this.policy = policy;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, LoadItem>>> bucket,
        OutputReceiver<KV<String, LoadItem>> out) {
      if (order == null) {
        order = policy.order();
      }
      Map<String, LoadItem> winners = new HashMap<>();
      long dropped = 0;
      for (KV<String, LoadItem> keyed : bucket.getValue()) {
        LoadItem item = keyed.getValue();
        LoadItem previous = winners.putIfAbsent(keyed.getKey(), item);
        if (previous != null) {
          dropped++;
          if (order.compare(item, previous) > 0) {
            winners.put(keyed.getKey(), item);
          }
        }
      }
      duplicatesDropped.inc(dropped);
      winners.forEach((k, v) -> out.output(KV.of(k, v)));
    }
  }
}
