package io.parquet2dynamo.summary;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;

/**
 * Waits for a running load and prints a {@code PROGRESS} line every {@code --progressSeconds}:
 *
 * <pre>
 * PROGRESS elapsed=20s rowsRead=3000 rowsInFiles=3000 itemsWritten=812 rowsRejected=5
 *     itemsPerSecond=40 wcuPerSecond=40 done=27% eta=54s
 * </pre>
 *
 * <p>Counted where the work happens: the runners hand a bundle's (or a Spark task's) metrics to the
 * driver only when it ends, and a budgeted write is one long bundle per write stream, so Beam's
 * metrics said {@code itemsWritten=0} at 10 s and 20 s of a 35 s write. The counts here are this
 * JVM's tally ({@link LoadMetrics#tally}) since the load started, which the workers add to as they
 * go: exact on the DirectRunner and a local Spark master. On a cluster the driver's tally stays at
 * zero; each count is the greater of the tally and Beam's attempted metrics, so there the lines
 * show what the runner has reported. Attempted counts include work a runner redoes, so they may run
 * ahead of the summary's, which are committed.
 *
 * <p>While de-duplication's first pass reads the keys, before the load reads a row, the line also
 * says how far that pass is ({@code keyPass=40%}, of the footers' rows).
 *
 * <p>{@code done} is the share of the input's rows that have reached their end (written, filtered,
 * dropped as duplicates, rejected or skipped by the write condition), of the row count in the
 * files' footers; {@code eta} divides the rows still to go by the rate of the last minute.
 */
public final class Progress {
  /** The window the ETA's rate is measured over. */
  static final long RATE_WINDOW_NANOS = 60_000_000_000L;

  private final PrintStream out;
  private final long intervalNanos;
  private final Long rowsInFiles;
  private Map<String, Long> tallyAtStart = Map.of();

  /**
   * @param intervalSeconds seconds between lines ({@code --progressSeconds}); 0 prints none
   * @param rowsInFiles the rows the files' footers hold, or null when unknown (a replay)
   */
  public Progress(PrintStream out, int intervalSeconds, Long rowsInFiles) {
    this.out = out;
    this.intervalNanos = Math.max(0, intervalSeconds) * 1_000_000_000L;
    this.rowsInFiles = rowsInFiles;
  }

  /** Waits until the run ends, printing progress meanwhile; returns its final state. */
  public PipelineResult.State follow(PipelineResult result) {
    return follow(result, () -> false);
  }

  /**
   * As {@link #follow(PipelineResult)}, but also returns, with the run's state at that moment, as
   * soon as {@code giveUp} says so (checked every second).
   */
  public PipelineResult.State follow(PipelineResult result, BooleanSupplier giveUp) {
    start();
    long start = System.nanoTime();
    long lastLine = start;
    Deque<long[]> samples = new ArrayDeque<>(); // {nanos, rows at their end}
    samples.add(new long[] {start, 0});
    Counts last = null;
    while (true) {
      PipelineResult.State state = result.waitUntilFinish(Duration.standardSeconds(1));
      if ((state != null && state.isTerminal()) || giveUp.getAsBoolean()) {
        return state == null ? result.getState() : state;
      }
      long now = System.nanoTime();
      if (intervalNanos == 0 || now - lastLine < intervalNanos) {
        continue;
      }
      Counts counts = counts(result);
      samples.add(new long[] {now, counts.finished()});
      while (samples.size() > 2 && now - samples.peekFirst()[0] > RATE_WINDOW_NANOS) {
        samples.removeFirst();
      }
      double seconds = Math.max(1e-3, (now - lastLine) / 1e9);
      long[] oldest = samples.peekFirst();
      double finishRate = (counts.finished() - oldest[1]) / Math.max(1e-3, (now - oldest[0]) / 1e9);
      out.println(line(counts, last, seconds, (now - start) / 1_000_000_000L, finishRate));
      out.flush();
      lastLine = now;
      last = counts;
    }
  }

  /** Counts from now on: what the tally holds now belongs to earlier loads in this JVM. */
  void start() {
    tallyAtStart = LoadMetrics.tally();
  }

  /** This run's counts so far: its share of this JVM's tally, or the runner's if greater. */
  Counts counts(PipelineResult result) {
    Map<String, Long> counts = new TreeMap<>(LoadMetrics.tally());
    tallyAtStart.forEach((name, before) -> counts.merge(name, -before, Long::sum));
    try {
      attempted(result.metrics()).forEach((name, value) -> counts.merge(name, value, Math::max));
    } catch (RuntimeException e) {
      // A runner that cannot report metrics while running: the tally alone.
    }
    return new Counts(counts);
  }

  /** Every counter of the job, attempted values, summed over the steps that report it. */
  static Map<String, Long> attempted(MetricResults metrics) {
    Map<String, Long> values = new TreeMap<>();
    for (MetricResult<Long> counter :
        metrics
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(LoadMetrics.NAMESPACE))
                    .build())
            .getCounters()) {
      Long value = counter.getAttempted();
      values.merge(counter.getName().getName(), value == null ? 0L : value, Long::sum);
    }
    return values;
  }

  /**
   * One line: counts now, rates since {@code last} ({@code seconds} ago; from zero when null), and
   * the ETA from {@code finishRate}, rows reaching their end per second.
   */
  String line(Counts now, Counts last, double seconds, long elapsedSeconds, double finishRate) {
    long items = now.written();
    long units = now.get(LoadMetrics.WCU_CONSUMED);
    long lastItems = last == null ? 0 : last.written();
    long lastUnits = last == null ? 0 : last.get(LoadMetrics.WCU_CONSUMED);
    StringBuilder s = new StringBuilder("PROGRESS");
    s.append(" elapsed=").append(elapsedSeconds).append('s');
    s.append(" rowsRead=").append(now.get(LoadMetrics.ROWS_READ));
    if (rowsInFiles != null) {
      s.append(" rowsInFiles=").append(rowsInFiles);
      long keys = now.get(LoadMetrics.KEY_PASS_ROWS_READ);
      if (keys > 0 && now.get(LoadMetrics.ROWS_READ) == 0 && rowsInFiles > 0) {
        // De-duplication's first pass reads every key before the load reads its first row: on a
        // large input that is minutes with nothing else moving.
        s.append(" keyPass=").append(Math.min(keys, rowsInFiles) * 100 / rowsInFiles).append('%');
      }
    }
    s.append(
            now.dryRun()
                ? " itemsToWrite="
                : now.get(LoadMetrics.ITEMS_EXPORTED) > 0 ? " itemsExported=" : " itemsWritten=")
        .append(items);
    s.append(" rowsRejected=").append(now.get(LoadMetrics.ROWS_REJECTED));
    s.append(
        String.format(
            Locale.ROOT,
            " itemsPerSecond=%.0f wcuPerSecond=%.0f",
            (items - lastItems) / seconds,
            (units - lastUnits) / seconds));
    if (rowsInFiles != null && rowsInFiles > 0) {
      long finished = Math.min(now.finished(), rowsInFiles);
      s.append(" done=").append(finished * 100 / rowsInFiles).append('%');
      s.append(" eta=").append(eta(rowsInFiles - finished, rowsInFiles, finishRate));
    }
    return s.toString();
  }

  /**
   * "54s", "12m05s", "2h03m", or "unknown" until 1% of the rows have reached their end: before that
   * the rate is of the few rows rejected while reading, and says nothing of the write.
   */
  static String eta(long rowsLeft, long rowsInFiles, double rowsPerSecond) {
    if (rowsLeft <= 0) {
      return "0s";
    }
    if (rowsPerSecond <= 0 || rowsInFiles - rowsLeft < Math.max(1, rowsInFiles / 100)) {
      return "unknown";
    }
    long s = (long) Math.ceil(rowsLeft / rowsPerSecond);
    if (s < 60) {
      return s + "s";
    } else if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  /** A run's counters at one moment. */
  static final class Counts {
    private final Map<String, Long> values;

    Counts(Map<String, Long> values) {
      this.values = values;
    }

    long get(String name) {
      return values.getOrDefault(name, 0L);
    }

    boolean dryRun() {
      return get(LoadMetrics.ITEMS_TO_WRITE) > 0;
    }

    /** Items written, or with a dry run those that would be, or those exported. */
    long written() {
      return get(LoadMetrics.ITEMS_WRITTEN)
          + get(LoadMetrics.ITEMS_TO_WRITE)
          + get(LoadMetrics.ITEMS_EXPORTED);
    }

    /** Rows that have reached their end: the summary's reconciliation, so far. */
    long finished() {
      return written()
          + get(LoadMetrics.SKIPPED_BY_CONDITION)
          + get(LoadMetrics.ROWS_FILTERED)
          + get(LoadMetrics.DUPLICATES_DROPPED)
          + get(LoadMetrics.ROWS_REJECTED);
    }
  }
}
