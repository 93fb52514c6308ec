package io.parquet2dynamo.sink;

import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.item.DynamoJson;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sample;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * What a dry run does instead of writing: counts the items that would be written ({@code
 * itemsToWrite}) and the write units they would take ({@code estimatedWriteUnits}: one per started
 * KB of each item by DynamoDB's size rules, as {@link BatchWriter#units} paces a write; a delete
 * 1), and returns up to {@code size} of them in DynamoDB JSON ({@link #SAMPLE}), the form {@code
 * aws dynamodb put-item --item} takes, and the rows rejected on the way ({@link #DEAD_LETTERS}).
 * Nothing reaches DynamoDB. Each bundle keeps a sample of its own (reservoir sampling) before the
 * global one, so what leaves the step is small: a step with several outputs has them all kept by
 * the SparkRunner.
 */
public final class DryRunSample
    extends PTransform<PCollection<KV<String, LoadItem>>, PCollectionTuple> {
  /** Sampled items, in DynamoDB JSON. */
  public static final TupleTag<String> SAMPLE = new TupleTag<>() {};

  /** Rows rejected before the write. */
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final int size;
  private final boolean deletes;

  private DryRunSample(int size, boolean deletes) {
    this.size = size;
    this.deletes = deletes;
  }

  /** Samples up to {@code size} items (none for 0), estimating the units of a put. */
  public static DryRunSample of(int size) {
    return new DryRunSample(Math.max(0, size), false);
  }

  /**
   * A copy that estimates the write units of {@code mode}: a delete costs by the stored item's
   * size, unknown here, so at least 1; every other mode by the item's own size (an update at least
   * that, as it costs by the larger of the stored and the updated item).
   */
  public DryRunSample forMode(WriteMode mode) {
    return new DryRunSample(size, mode.kind() == WriteMode.Kind.DELETE);
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<String, LoadItem>> items) {
    PCollectionTuple counted =
        items.apply(
            "CountItemsToWrite",
            ParDo.of(new CountFn(size, deletes))
                .withOutputTags(SAMPLE, TupleTagList.of(DEAD_LETTERS)));
    counted.get(SAMPLE).setCoder(StringUtf8Coder.of());
    counted.get(DEAD_LETTERS).setCoder(DeadLetter.coder());
    return PCollectionTuple.of(SAMPLE, counted.get(SAMPLE).apply("Sample", Sample.any(size)))
        .and(DEAD_LETTERS, counted.get(DEAD_LETTERS));
  }

  /** Counts the items a dry run would write, and keeps a sample of each bundle's. */
  static final class CountFn extends DoFn<KV<String, LoadItem>, String> {
    private final Counter itemsToWrite = LoadMetrics.counter(LoadMetrics.ITEMS_TO_WRITE);
    private final Counter units = LoadMetrics.counter(LoadMetrics.ESTIMATED_WRITE_UNITS);
    private final int size;
    private final boolean deletes;
    private transient List<LoadItem> reservoir;
    private transient long seen;

    /**
     * Items and units not yet added to the counters: a counter's increment looks the counter up in
     * the runner's metrics container, which at one per item was a few percent of a dry run's CPU.
     */
    private transient long pendingItems;

    private transient long pendingUnits;
    private transient Random random;

    CountFn(int size, boolean deletes) {
      this.size = size;
      this.deletes = deletes;
    }

    @StartBundle
    public void startBundle() {
      reservoir = new ArrayList<>(size);
      seen = 0;
      pendingItems = 0;
      pendingUnits = 0;
      random = new Random();
    }

    @ProcessElement
    public void process(@Element KV<String, LoadItem> item, MultiOutputReceiver out) {
      if (item.getValue().rejection() != null) {
        out.get(DEAD_LETTERS).output(item.getValue().rejection());
        return;
      }
      pendingItems++;
      pendingUnits += deletes ? 1 : BatchWriter.units(item.getValue());
      if (pendingItems >= COUNT_EVERY) {
        count();
      }
      seen++;
      if (reservoir.size() < size) {
        reservoir.add(item.getValue());
      } else if (size > 0) {
        long slot = (long) (random.nextDouble() * seen);
        if (slot < size) {
          reservoir.set((int) slot, item.getValue());
        }
      }
    }

    /** Items between two increments of the counters; progress lines see them as they go. */
    static final int COUNT_EVERY = 1024;

    private void count() {
      itemsToWrite.inc(pendingItems);
      units.inc(pendingUnits);
      pendingItems = 0;
      pendingUnits = 0;
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      count();
      for (LoadItem item : reservoir) {
        context.output(
            SAMPLE,
            DynamoJson.item(item.attributes()),
            BoundedWindow.TIMESTAMP_MIN_VALUE,
            GlobalWindow.INSTANCE);
      }
      reservoir = null;
    }
  }
}
