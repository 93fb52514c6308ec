package io.parquet2dynamo.dedupe;

import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.summary.LoadMetrics;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The second of de-duplication's two passes: drops, as the items stream by, those whose rows {@link
 * FindDuplicates} found to lose to another row of their key, and counts them as {@code
 * duplicatesDropped}. Nothing is grouped or held but the {@link Losers}, which each worker keeps in
 * memory: 16 bytes per row that loses.
 */
public final class DropDuplicates
    extends PTransform<PCollection<KV<String, LoadItem>>, PCollection<KV<String, LoadItem>>> {
  private final PCollectionView<Iterable<byte[]>> losers;

  private DropDuplicates(PCollectionView<Iterable<byte[]>> losers) {
    this.losers = losers;
  }

  /** Drops the items whose rows are among {@code losers}, as {@link FindDuplicates} names them. */
  public static DropDuplicates losing(PCollectionView<Iterable<byte[]>> losers) {
    return new DropDuplicates(losers);
  }

  @Override
  public PCollection<KV<String, LoadItem>> expand(PCollection<KV<String, LoadItem>> items) {
    return items
        .apply("DropLosers", ParDo.of(new DropFn(losers)).withSideInputs(losers))
        .setCoder(items.getCoder());
  }

  static final class DropFn extends DoFn<KV<String, LoadItem>, KV<String, LoadItem>> {
    private final PCollectionView<Iterable<byte[]>> losers;
    private final Counter duplicatesDropped = LoadMetrics.counter(LoadMetrics.DUPLICATES_DROPPED);
    private transient Iterable<byte[]> seen;
    private transient Losers set;

    /** Whether {@link #set} is this bundle's: the runner is asked for the view once a bundle. */
    private transient boolean fetched;

    DropFn(PCollectionView<Iterable<byte[]>> losers) {
      this.losers = losers;
    }

    @StartBundle
    public void startBundle() {
      fetched = false;
    }

    @ProcessElement
    public void process(
        @Element KV<String, LoadItem> item,
        ProcessContext context,
        OutputReceiver<KV<String, LoadItem>> out) {
      if (!fetched) {
        // Asking the DirectRunner for a side input costs a lookup per element (3% of a dry run's
        // CPU, JFR); every element of a load is in the global window, so one view serves a bundle.
        Iterable<byte[]> view = context.sideInput(losers);
        if (view != seen) {
          // The view is the same object for every bundle of a run: built once per worker.
          set = Losers.of(view);
          seen = view;
        }
        fetched = true;
      }
      LoadItem value = item.getValue();
      if (value.sourceFile() != null
          && set.contains(value.sourceFile(), value.sourceRow(), item.getKey())) {
        duplicatesDropped.inc();
        return;
      }
      out.output(item);
    }
  }
}
