package io.parquet2dynamo.summary;

import io.parquet2dynamo.deadletter.RejectReason;
import org.apache.beam.sdk.metrics.Counter;
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

  /** Rows read from the join's dataset (not part of the input's reconciliation). */
  public static final String JOINED_ROWS_READ = "joinedRowsRead";

  public static final String ROWS_REJECTED = "rowsRejected";
  public static final String DUPLICATES_DROPPED = "duplicatesDropped";
  public static final String ITEMS_WRITTEN = "itemsWritten";
  public static final String REJECTED_PREFIX = "rejected.";
  public static final String SKIPPED_BY_CONDITION = "skippedByCondition";

  /** With --dryRun: items that would have been written. */
  public static final String ITEMS_TO_WRITE = "itemsToWrite";

  /** Write capacity units DynamoDB reported as consumed (ReturnConsumedCapacity), rounded. */
  public static final String WCU_CONSUMED = "wcuConsumed";

  /** With --replayDeadLetters: records whose rows are not written again (not a write failure). */
  public static final String DEAD_LETTERS_NOT_REPLAYED = "deadLettersNotReplayed";

  /** Requests DynamoDB throttled, or answered with some items unprocessed. */
  public static final String THROTTLED_REQUESTS = "throttledRequests";

  /** Requests sent again after a throttle, a 5xx or unprocessed items. */
  public static final String RETRIES = "retries";

  private LoadMetrics() {}

  public static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
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
      Long value = counter.getAttempted();
      sum += value == null ? 0 : value;
    }
    return sum;
  }

  /** The counter of rows rejected for {@code reason}. */
  public static Counter rejected(RejectReason reason) {
    return Metrics.counter(NAMESPACE, REJECTED_PREFIX + reason.name());
  }
}
