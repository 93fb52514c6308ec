package io.parquet2dynamo.dedupe;

import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.HashSet;
import java.util.Set;
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
 * duplicatesDropped}. Nothing is grouped or held but the losers' identities, which each worker
 * keeps in memory (about 100 bytes per duplicate row: duplicates are rare in real data).
 */
public final class DropDuplicates
    extends PTransform<PCollection<KV<String, LoadItem>>, PCollection<KV<String, LoadItem>>> {
  private final PCollectionView<Iterable<String>> losers;

  private DropDuplicates(PCollectionView<Iterable<String>> losers) {
    this.losers = losers;
  }

  /** Drops the items whose rows are among {@code losers}, as {@link FindDuplicates} names them. */
  public static DropDuplicates losing(PCollectionView<Iterable<String>> losers) {
    return new DropDuplicates(losers);
  }

  @Override
  public PCollection<KV<String, LoadItem>> expand(PCollection<KV<String, LoadItem>> items) {
    return items
        .apply("DropLosers", ParDo.of(new DropFn(losers)).withSideInputs(losers))
        .setCoder(items.getCoder());
  }

  static final class DropFn extends DoFn<KV<String, LoadItem>, KV<String, LoadItem>> {
    private final PCollectionView<Iterable<String>> losers;
    private final Counter duplicatesDropped = LoadMetrics.counter(LoadMetrics.DUPLICATES_DROPPED);
    private transient Iterable<String> seen;
    private transient Set<String> set;

    DropFn(PCollectionView<Iterable<String>> losers) {
      this.losers = losers;
    }

    @ProcessElement
    public void process(
        @Element KV<String, LoadItem> item,
        ProcessContext context,
        OutputReceiver<KV<String, LoadItem>> out) {
      Iterable<String> view = context.sideInput(losers);
      if (view != seen) {
        // The view is the same object for every bundle of a run: built once per worker.
        Set<String> built = new HashSet<>();
        view.forEach(built::add);
        set = built;
        seen = view;
      }
      LoadItem value = item.getValue();
      if (!set.isEmpty()
          && value.sourceFile() != null
          && set.contains(
              FindDuplicates.loser(value.sourceFile(), value.sourceRow(), item.getKey()))) {
        duplicatesDropped.inc();
        return;
      }
      out.output(item);
    }
  }
}
