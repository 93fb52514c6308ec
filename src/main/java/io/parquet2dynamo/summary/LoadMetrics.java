package io.parquet2dynamo.summary;

import io.parquet2dynamo.deadletter.RejectReason;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The Beam counters the steps of a load report, by name. Each is counted where it happens, so the
 * summary's reconciliation compares independent counts, not one count with itself.
 */
public final class LoadMetrics {
  public static final String NAMESPACE = "parquet2dynamo";
  public static final String ROWS_READ = "rowsRead";

  /** Bytes read from the Parquet files: a projection ("select") reads fewer. */
  public static final String BYTES_READ = "bytesRead";

  public static final String ROWS_FILTERED = "rowsFiltered";

  /** Rows de-duplication's first pass read (not part of the input's reconciliation). */
  public static final String KEY_PASS_ROWS_READ = "keyPassRowsRead";

  /** Rows read from the join's dataset (not part of the input's reconciliation). */
  public static final String JOINED_ROWS_READ = "joinedRowsRead";

  public static final String ROWS_REJECTED = "rowsRejected";
  public static final String DUPLICATES_DROPPED = "duplicatesDropped";
  public static final String ITEMS_WRITTEN = "itemsWritten";
  public static final String REJECTED_PREFIX = "rejected.";
  public static final String SKIPPED_BY_CONDITION = "skippedByCondition";

  /** With --dryRun: items that would have been written. */
  public static final String ITEMS_TO_WRITE = "itemsToWrite";

  /**
   * With --dryRun: the write units the items would take, one per started KB of each item by
   * DynamoDB's size rules (a delete at least 1), as the writer paces them.
   */
  public static final String ESTIMATED_WRITE_UNITS = "estimatedWriteUnits";

  /** With --writeMode=export or import: items written to the export's files. */
  public static final String ITEMS_EXPORTED = "itemsExported";

  /**
   * Items the export's manifest lists: put into the summary after the load, from the manifest the
   * export wrote, not counted by a step.
   */
  public static final String MANIFEST_ITEMS = "manifestItemCount";

  /**
   * With --writeMode=import: ImportTable's own counts (DescribeImport's ProcessedItemCount,
   * ImportedItemCount and ErrorCount), put into the summary when the import has ended.
   */
  public static final String IMPORT_PROCESSED_ITEMS = "importProcessedItemCount";

  public static final String IMPORT_IMPORTED_ITEMS = "importImportedItemCount";
  public static final String IMPORT_ERRORS = "importErrorCount";

  /** Write capacity units DynamoDB reported as consumed (ReturnConsumedCapacity), rounded. */
  public static final String WCU_CONSUMED = "wcuConsumed";

  /** With --replayDeadLetters: records whose rows are not written again (not a write failure). */
  public static final String DEAD_LETTERS_NOT_REPLAYED = "deadLettersNotReplayed";

  /** Requests DynamoDB throttled, or answered with some items unprocessed. */
  public static final String THROTTLED_REQUESTS = "throttledRequests";

  /** Requests sent again after a throttle, a 5xx or unprocessed items. */
  public static final String RETRIES = "retries";

  private LoadMetrics() {}

  /**
   * The counter {@code name}: Beam's, which the summary reads, and also this JVM's own tally of it
   * ({@link #tally}).
   */
  public static Counter counter(String name) {
    return new TalliedCounter(Metrics.counter(NAMESPACE, name));
  }

  /**
   * What the workers in this JVM have counted so far, by counter name, since the JVM started: on
   * the DirectRunner and a local Spark master, every worker. The runners hand a bundle's (or a
   * Spark task's) counts to the driver only when it ends, so a load stopped in the middle of a
   * bundle ({@link GracefulStop}) would report too little; this tally does not wait for that. On a
   * cluster the driver runs no workers, and its tally stays at zero.
   */
  public static Map<String, Long> tally() {
    Map<String, Long> values = new TreeMap<>();
    TALLY.forEach((name, adder) -> values.put(name, adder.sum()));
    return values;
  }

  private static final ConcurrentHashMap<String, LongAdder> TALLY = new ConcurrentHashMap<>();

  /** Beam's counter, also counted in {@link #TALLY}. */
  private static final class TalliedCounter implements Counter {
    private static final long serialVersionUID = 1L;
    private final Counter counter;
    private transient LongAdder adder;

    TalliedCounter(Counter counter) {
      this.counter = counter;
    }

    private LongAdder tally() {
      LongAdder a = adder;
      if (a == null) {
        a = TALLY.computeIfAbsent(counter.getName().getName(), n -> new LongAdder());
        adder = a;
      }
      return a;
    }

    @Override
    public void inc() {
      inc(1);
    }

    @Override
    public void inc(long n) {
      counter.inc(n);
      tally().add(n);
    }

    @Override
    public void dec() {
      dec(1);
    }

    @Override
    public void dec(long n) {
      counter.dec(n);
      tally().add(-n);
    }

    @Override
    public MetricName getName() {
      return counter.getName();
    }
  }

  /**
   * A counter's attempted value, summed over the steps that report it: what the runner has counted
   * so far, including work it may redo (committed values are the final word).
   */
  public static long attempted(MetricResults metrics, String name) {
    long sum = 0;
    for (MetricResult<Long> counter :
        metrics
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(NAMESPACE, name))
                    .build())
            .getCounters()) {
      if (isKeyPass(counter)) {
        continue;
      }
      Long value = counter.getAttempted();
      sum += value == null ? 0 : value;
    }
    return sum;
  }

  /**
   * Whether a counter was counted in de-duplication's first pass, which reads and transforms the
   * rows once before the load does: its rows, filtered and rejected rows are not the load's.
   */
  static boolean isKeyPass(MetricResult<Long> counter) {
    String step = counter.getKey().stepName();
    return step != null && step.contains("/" + KEY_PASS_STEP + "/");
  }

  /** The step name of de-duplication's first pass (see {@code ParquetToDynamoDb}). */
  public static final String KEY_PASS_STEP = "KeyPass";

  /** The counter of rows rejected for {@code reason}. */
  public static Counter rejected(RejectReason reason) {
    return counter(REJECTED_PREFIX + reason.name());
  }
}
