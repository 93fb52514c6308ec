package io.parquet2dynamo.summary;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;

/**
 * Waits for a running load and prints a {@code PROGRESS} line every {@value #INTERVAL_SECONDS}
 * seconds: rows read, items written, and the write rate in items and write units per second since
 * the last line. Counts are the runner's attempted values, so a retried bundle may briefly count
 * twice; the final summary uses committed values.
 */
public final class Progress {
  static final int INTERVAL_SECONDS = 10;

  private Progress() {}

  /** Waits until the run ends, printing progress meanwhile; returns its final state. */
  public static PipelineResult.State follow(PipelineResult result, PrintStream out) {
    return follow(result, out, () -> false);
  }

  /**
   * As {@link #follow(PipelineResult, PrintStream)}, but also returns, with the run's state at that
   * moment, as soon as {@code giveUp} says so (checked every second).
   */
  public static PipelineResult.State follow(
      PipelineResult result, PrintStream out, BooleanSupplier giveUp) {
    long start = System.nanoTime();
    long lastNanos = start;
    long lastItems = 0;
    long lastUnits = 0;
    while (true) {
      PipelineResult.State state = result.waitUntilFinish(Duration.standardSeconds(1));
      if ((state != null && state.isTerminal()) || giveUp.getAsBoolean()) {
        return state == null ? result.getState() : state;
      }
      long now = System.nanoTime();
      if (now - lastNanos < INTERVAL_SECONDS * 1_000_000_000L) {
        continue;
      }
      long items;
      long units;
      long rows;
      try {
        items = LoadMetrics.attempted(result.metrics(), LoadMetrics.ITEMS_WRITTEN);
        units = LoadMetrics.attempted(result.metrics(), LoadMetrics.WCU_CONSUMED);
        rows = LoadMetrics.attempted(result.metrics(), LoadMetrics.ROWS_READ);
      } catch (RuntimeException e) {
        // A runner that cannot report metrics while running: no progress line, same load.
        lastNanos = now;
        continue;
      }
      double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
      out.println(
          line(
              rows,
              items,
              (items - lastItems) / seconds,
              (units - lastUnits) / seconds,
              (now - start) / 1_000_000_000L));
      lastNanos = now;
      lastItems = items;
      lastUnits = units;
    }
  }

  static String line(
      long rows, long items, double itemsPerSecond, double unitsPerSecond, long elapsedSeconds) {
    return String.format(
        Locale.ROOT,
        "PROGRESS rowsRead=%d itemsWritten=%d rate=%.0f items/s %.0f WCU/s elapsed=%ds",
        rows,
        items,
        itemsPerSecond,
        unitsPerSecond,
        elapsedSeconds);
  }
}
