package io.parquet2dynamo.summary;

import static org.junit.Assert.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;

/** Tests {@link LoadSummary#recap}: the lines a person reads after the JSON. */
public class LoadSummaryRecapTest {
  private static Map<String, Object> context(String deadLetters) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("table", "sales");
    context.put("deadLetterFiles", deadLetters);
    return context;
  }

  @Test
  public void aLoadWithRejectedRowsSaysWhereTheyAre() {
    LoadSummary summary =
        LoadSummary.of(
            ProgressTest.metrics(
                Map.of(
                    LoadMetrics.ROWS_READ,
                    3000L,
                    LoadMetrics.ITEMS_WRITTEN,
                    2974L,
                    LoadMetrics.DUPLICATES_DROPPED,
                    21L,
                    LoadMetrics.ROWS_REJECTED,
                    5L,
                    LoadMetrics.REJECTED_PREFIX + "EMPTY_KEY",
                    2L,
                    LoadMetrics.REJECTED_PREFIX + "MISSING_KEY",
                    3L,
                    LoadMetrics.WCU_CONSUMED,
                    2974L)),
            3000L,
            20.04,
            context("/data/rejected/dead-letters-r1-*.jsonl"),
            true);

    assertEquals(
        String.join(
            System.lineSeparator(),
            "SUCCEEDED: 3000 rows read -> 2974 items written to table 'sales', 21 duplicates"
                + " dropped, 0 filtered, 5 rejected (EMPTY_KEY 2, MISSING_KEY 3)",
            "Took 20.0 s; 2974 WCU consumed (148 WCU/s), 0 throttled requests, 0 retries",
            "Dead letters: /data/rejected/dead-letters-r1-*.jsonl"),
        summary.recap());
  }

  @Test
  public void rejectedRowsWithoutADeadLetterPathAreSaidLost() {
    LoadSummary summary =
        LoadSummary.of(
            ProgressTest.metrics(
                Map.of(
                    LoadMetrics.ROWS_READ,
                    10L,
                    LoadMetrics.ITEMS_WRITTEN,
                    9L,
                    LoadMetrics.ROWS_REJECTED,
                    1L,
                    LoadMetrics.REJECTED_PREFIX + "MISSING_KEY",
                    1L)),
            12L,
            1,
            context(null),
            false);

    assertEquals(
        String.join(
            System.lineSeparator(),
            "NOT_RECONCILED: 10 rows read (of 12 in the files) -> 9 items written to table"
                + " 'sales', 0 duplicates dropped, 0 filtered, 1 rejected (MISSING_KEY 1)",
            "Took 1.0 s; 0 WCU consumed (0 WCU/s), 0 throttled requests, 0 retries",
            "Dead letters: none kept (no --deadLetterPath); the rejected rows are lost"),
        summary.recap());
  }
}
