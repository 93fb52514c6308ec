package io.parquet2dynamo.testing;

import static org.junit.Assert.assertEquals;

import io.parquet2dynamo.testing.SampleSales.Sale;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * What the sample sales must become in DynamoDB, written out from the sales' own fields, for every
 * test that loads them whatever the runner.
 */
public final class SampleTable {
  private SampleTable() {}

  /** A new table keyed like the sample: order_id (S) and line (N). */
  public static String create(StandInClients aws) {
    return aws.createTable(
        "sales", "order_id", ScalarAttributeType.S, "line", ScalarAttributeType.N);
  }

  private static String key(Map<String, AttributeValue> item) {
    return item.get("order_id").s() + "#" + item.get("line").n();
  }

  /** The item each sale must become, written out from the sale's own fields. */
  public static Map<String, AttributeValue> expectedItem(Sale sale) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("order_id", AttributeValue.fromS(sale.orderId));
    item.put("line", AttributeValue.fromN(Integer.toString(sale.line)));
    if (sale.customer != null) {
      item.put("customer", AttributeValue.fromS(sale.customer));
    }
    item.put("amount", AttributeValue.fromN(sale.amount.stripTrailingZeros().toPlainString()));
    item.put("quantity", AttributeValue.fromN(Integer.toString(sale.quantity)));
    item.put(
        "unit_price",
        AttributeValue.fromN(
            new BigDecimal(Double.toString(sale.unitPrice)).stripTrailingZeros().toPlainString()));
    item.put("paid", AttributeValue.fromBool(sale.paid));
    // TIMESTAMP(MICROS): ISO-8601 in UTC with 6 fraction digits, trailing zeros included.
    item.put(
        "ordered_at",
        AttributeValue.fromS(
            new java.time.format.DateTimeFormatterBuilder()
                .appendInstant(6)
                .toFormatter()
                .format(sale.orderedAt())));
    List<AttributeValue> tags = new ArrayList<>();
    sale.tags.forEach(t -> tags.add(AttributeValue.fromS(t)));
    item.put("tags", AttributeValue.fromL(tags));
    Map<String, AttributeValue> shipping = new HashMap<>();
    shipping.put("city", AttributeValue.fromS(sale.city));
    shipping.put("country", AttributeValue.fromS(sale.country));
    if (sale.postcode != null) {
      shipping.put("postcode", AttributeValue.fromS(sale.postcode));
    }
    item.put("shipping", AttributeValue.fromM(shipping));
    if (sale.notes != null) {
      item.put("notes", AttributeValue.fromS(sale.notes));
    }
    item.put("region", AttributeValue.fromS(sale.region));
    item.put("day", AttributeValue.fromS(sale.day));
    return item;
  }

  /** The rows that must end in the table: keyed rows, the last in file order winning. */
  public static Map<String, Sale> expectedSurvivors(List<Sale> rows) {
    Map<String, Sale> survivors = new LinkedHashMap<>();
    for (Sale sale : rows) {
      if (sale.orderId != null && !sale.orderId.isEmpty()) {
        survivors.put(sale.orderId + "#" + sale.line, sale);
      }
    }
    return survivors;
  }

  /** Asserts that {@code table} holds exactly the items of {@code survivors}. */
  public static void assertHolds(StandInClients aws, String table, Map<String, Sale> survivors) {
    Map<String, Map<String, AttributeValue>> items = aws.scan(table, SampleTable::key);
    assertEquals("items in the table", survivors.size(), items.size());
    for (Map.Entry<String, Sale> e : survivors.entrySet()) {
      assertEquals("item " + e.getKey(), expectedItem(e.getValue()), items.get(e.getKey()));
    }
  }
}
