package io.parquet2dynamo.summary;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;
import org.junit.Test;

/** Tests {@link Progress}: counts from this JVM's tally or the runner, rates and the ETA. */
public class ProgressTest {
  private final Progress progress =
      new Progress(
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), 10, 1000L);

  @Test
  public void countsAreThisRunsShareOfTheTally() {
    // rowsFiltered, not rowsRead: GracefulStopTest's cancelled pipeline may still be counting rows
    // read in this JVM when this test runs.
    LoadMetrics.counter(LoadMetrics.ITEMS_WRITTEN).inc(7); // an earlier load in this JVM
    progress.start();
    LoadMetrics.counter(LoadMetrics.ITEMS_WRITTEN).inc(5);
    LoadMetrics.counter(LoadMetrics.ROWS_FILTERED).inc(9);

    Progress.Counts counts = progress.counts(new Running(null));

    assertEquals(5, counts.get(LoadMetrics.ITEMS_WRITTEN));
    assertEquals(9, counts.get(LoadMetrics.ROWS_FILTERED));
  }

  @Test
  public void whereTheTallyHasNothingTheRunnersAttemptedCountsAreUsed() {
    progress.start();
    LoadMetrics.counter(LoadMetrics.ROWS_FILTERED).inc(3);
    // A cluster's driver: the workers' counts arrive only through the runner's metrics.
    Progress.Counts counts =
        progress.counts(
            new Running(
                metrics(Map.of(LoadMetrics.ITEMS_WRITTEN, 40L, LoadMetrics.ROWS_FILTERED, 2L))));

    assertEquals(40, counts.get(LoadMetrics.ITEMS_WRITTEN));
    assertEquals("the greater of the two", 3, counts.get(LoadMetrics.ROWS_FILTERED));
  }

  @Test
  public void aLineHoldsCountsRatesAndTheEta() {
    Progress.Counts last =
        new Progress.Counts(
            Map.of(LoadMetrics.ITEMS_WRITTEN, 100L, LoadMetrics.WCU_CONSUMED, 200L));
    Progress.Counts now =
        new Progress.Counts(
            Map.of(
                LoadMetrics.ROWS_READ, 1000L,
                LoadMetrics.ITEMS_WRITTEN, 300L,
                LoadMetrics.WCU_CONSUMED, 600L,
                LoadMetrics.ROWS_REJECTED, 4L,
                LoadMetrics.DUPLICATES_DROPPED, 96L));

    assertEquals(
        "PROGRESS elapsed=30s rowsRead=1000 rowsInFiles=1000 itemsWritten=300 rowsRejected=4"
            + " itemsPerSecond=20 wcuPerSecond=40 done=40% eta=30s",
        progress.line(now, last, 10, 30, 20));
  }

  @Test
  public void theKeyPassShowsHowFarItIsUntilTheLoadReads() {
    Progress.Counts keys = new Progress.Counts(Map.of(LoadMetrics.KEY_PASS_ROWS_READ, 400L));
    assertEquals(
        "PROGRESS elapsed=30s rowsRead=0 rowsInFiles=1000 keyPass=40% itemsWritten=0"
            + " rowsRejected=0 itemsPerSecond=0 wcuPerSecond=0 done=0% eta=unknown",
        progress.line(keys, null, 10, 30, 0));
    Progress.Counts loading =
        new Progress.Counts(
            Map.of(LoadMetrics.KEY_PASS_ROWS_READ, 1000L, LoadMetrics.ROWS_READ, 10L));
    assertFalse(progress.line(loading, null, 10, 30, 0).contains("keyPass"));
  }

  @Test
  public void theEtaWaitsForOnePercentOfTheRows() {
    assertEquals("unknown", Progress.eta(995, 1000, 5));
    assertEquals("unknown", Progress.eta(500, 1000, 0));
    assertEquals("50s", Progress.eta(500, 1000, 10));
    assertEquals("12m05s", Progress.eta(725, 1000, 1));
    assertEquals("2h03m", Progress.eta(7380, 10000, 1));
    assertEquals("0s", Progress.eta(0, 1000, 0));
  }

  @Test
  public void followPrintsALineEveryIntervalUntilTheRunEnds() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress every1s = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1, null);
    Running run = new Running(null);
    run.finishAfterWaits = 4;

    assertEquals(PipelineResult.State.DONE, every1s.follow(run));

    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(bytes.toString(StandardCharsets.UTF_8), 3, lines.length);
    for (String line : lines) {
      assertEquals(line, true, line.startsWith("PROGRESS elapsed="));
    }
  }

  /** The runner's metrics of a run, from attempted counter values. */
  static MetricResults metrics(Map<String, Long> attempted) {
    List<MetricResult<Long>> counters = new ArrayList<>();
    attempted.forEach(
        (name, value) ->
            counters.add(
                MetricResult.create(
                    MetricKey.create("step", MetricName.named(LoadMetrics.NAMESPACE, name)),
                    false,
                    value)));
    return new MetricResults() {
      @Override
      public MetricQueryResults queryMetrics(MetricsFilter filter) {
        return MetricQueryResults.create(counters, List.of(), List.of(), List.of());
      }
    };
  }

  /** A run that goes on until it has been waited for {@code finishAfterWaits} times. */
  static final class Running implements PipelineResult {
    private final MetricResults metrics;
    int finishAfterWaits = Integer.MAX_VALUE;
    private int waits;

    Running(MetricResults metrics) {
      this.metrics = metrics;
    }

    @Override
    public State getState() {
      return waits >= finishAfterWaits ? State.DONE : State.RUNNING;
    }

    @Override
    public State cancel() {
      return State.CANCELLED;
    }

    @Override
    public State waitUntilFinish(Duration duration) {
      waits++;
      if (waits >= finishAfterWaits) {
        return State.DONE;
      }
      try {
        Thread.sleep(duration.getMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }

    @Override
    public State waitUntilFinish() {
      return State.DONE;
    }

    @Override
    public MetricResults metrics() {
      if (metrics == null) {
        throw new UnsupportedOperationException("no metrics while running");
      }
      return metrics;
    }
  }
}
