package io.parquet2dynamo.transform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.Parquet2Dynamo;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.SampleSales.Sale;
import io.parquet2dynamo.testing.SampleSalesOnBothRunners;
import io.parquet2dynamo.testing.SampleTable;
import java.math.BigDecimal;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code --sql} end to end on the DirectRunner and the SparkRunner: the sample sales through a
 * query with a WHERE, computed columns and a renamed one, compared item by item with the query
 * applied by hand to the sales; and bad queries refused before any work.
 */
public class SqlIT extends SampleSalesOnBothRunners {

  // The source fields are not selected: they are added, so the 2024-01-31 corrections still win.
  private static final String QUERY =
      "SELECT order_id, line, customer AS buyer, amount, amount * 100 AS cents,\n"
          + "  region || '/' || `day` AS route, paid, ordered_at, tags\n"
          + "FROM input\n"
          + "WHERE amount > 1000 AND region <> 'apac'";

  private static boolean kept(Sale s) {
    return s.amount.compareTo(new BigDecimal(1000)) > 0 && !s.region.equals("apac");
  }

  private static Map<String, AttributeValue> expected(Sale s) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("order_id", AttributeValue.fromS(s.orderId));
    item.put("line", AttributeValue.fromN(Integer.toString(s.line)));
    if (s.customer != null) {
      item.put("buyer", AttributeValue.fromS(s.customer));
    }
    item.put("amount", AttributeValue.fromN(s.amount.stripTrailingZeros().toPlainString()));
    item.put(
        "cents",
        AttributeValue.fromN(
            s.amount.multiply(BigDecimal.valueOf(100)).stripTrailingZeros().toPlainString()));
    item.put("route", AttributeValue.fromS(s.region + "/" + s.day));
    item.put("paid", AttributeValue.fromBool(s.paid));
    // Beam SQL holds timestamps in milliseconds: ISO text with 3 fraction digits.
    item.put(
        "ordered_at",
        AttributeValue.fromS(
            new java.time.format.DateTimeFormatterBuilder()
                .appendInstant(3)
                .toFormatter()
                .format(s.orderedAt().truncatedTo(ChronoUnit.MILLIS))));
    item.put(
        "tags",
        AttributeValue.fromL(
            s.tags.stream().map(AttributeValue::fromS).collect(Collectors.toList())));
    return item;
  }

  @Test
  public void theQueryShapesEveryItemAndTheCountsReconcile() throws Exception {
    String table = SampleTable.create(aws);

    LoadRun run = loadSample(table, "--sql=" + QUERY);

    assertEquals(run.stderr, 0, run.exitCode);
    List<Sale> kept = sales.stream().filter(SqlIT::kept).collect(Collectors.toList());
    Map<String, Sale> survivors = SampleTable.expectedSurvivors(kept);
    long rejected = kept.stream().filter(s -> s.orderId == null || s.orderId.isEmpty()).count();
    JsonNode summary = run.summary();
    assertEquals(sales.size() - kept.size(), summary.get("rowsFiltered").asLong());
    assertEquals(rejected, summary.get("rowsRejected").asLong());
    assertEquals(
        kept.size() - rejected - survivors.size(), summary.get("duplicatesDropped").asLong());
    assertEquals(survivors.size(), summary.get("itemsWritten").asLong());
    assertTrue(summary.get("reconciled").asBoolean());
    Map<String, Map<String, AttributeValue>> items =
        aws.scan(table, i -> i.get("order_id").s() + "#" + i.get("line").n());
    assertEquals(survivors.size(), items.size());
    for (Map.Entry<String, Sale> e : survivors.entrySet()) {
      assertEquals(e.getKey(), expected(e.getValue()), items.get(e.getKey()));
    }
  }

  private void assertRefused(String query, String... expectedInError) throws Exception {
    String table = SampleTable.create(aws);

    LoadRun run = loadSample(table, "--sql=" + query);

    assertEquals(run.stderr, Parquet2Dynamo.INVALID_INPUT, run.exitCode);
    assertEquals("one line: " + run.stderr, 1, run.stderr.strip().split("\n").length);
    assertFalse("not a stack trace", run.stderr.contains("\tat "));
    for (String part : expectedInError) {
      assertTrue(run.errorLine(), run.errorLine().contains(part));
    }
    assertEquals("nothing written", 0, aws.scan(table, i -> i.toString()).size());
  }

  @Test
  public void aSyntaxErrorIsOneLineBeforeAnyWork() throws Exception {
    assertRefused(
        "SELECT order_id, FROM input", "ERROR: --sql: ", "\", FROM\"", "line 1, column 16");
  }

  @Test
  public void anUnknownColumnIsOneLineBeforeAnyWork() throws Exception {
    assertRefused(
        "SELECT order_id, line, price FROM input",
        "ERROR: --sql: ",
        "Column 'price' not found",
        "the columns of input are [order_id, line, customer");
  }

  @Test
  public void anAggregateIsRefused() throws Exception {
    assertRefused(
        "SELECT order_id, MAX(line) AS line FROM input GROUP BY order_id",
        "ERROR: --sql: only row-by-row queries");
  }
}
