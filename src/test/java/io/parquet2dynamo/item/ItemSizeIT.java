package io.parquet2dynamo.item;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.testing.WithStandIns;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Checks {@link ItemSize} against DynamoDB Local at the 400 KB boundary, for each kind of number: a
 * list of as many copies as ItemSize says fit is taken, and one more is refused. Long lists of
 * small numbers are where a miscount adds up (110,000 × 1.5 was sized at 330 KB and refused).
 */
public class ItemSizeIT extends WithStandIns {
  private static String table;

  @BeforeClass
  public static void createTable() {
    table = aws.createTable("size", "pk", ScalarAttributeType.S, null, null);
  }

  private static Map<String, AttributeValue> item(String number, int count) {
    List<AttributeValue> list =
        new ArrayList<>(Collections.nCopies(count, AttributeValue.fromN(number)));
    return Map.of("pk", AttributeValue.fromS("k"), "l", AttributeValue.fromL(list));
  }

  /** The longest list of {@code number} that ItemSize says fits in an item. */
  private static int mostThatFit(String number) {
    // Each element adds the same: found from the sizes of lists of 0 and 1 element.
    long empty = ItemSize.of(item(number, 0));
    long each = ItemSize.of(item(number, 1)) - empty;
    int count = (int) ((ItemSize.MAX_ITEM_BYTES - empty) / each);
    assertTrue(ItemSize.of(item(number, count)) <= ItemSize.MAX_ITEM_BYTES);
    assertTrue(ItemSize.of(item(number, count + 1)) > ItemSize.MAX_ITEM_BYTES);
    return count;
  }

  private static boolean accepted(Map<String, AttributeValue> item) {
    try {
      aws.dynamoDb.putItem(b -> b.tableName(table).item(item));
      return true;
    } catch (DynamoDbException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("Item size has exceeded"));
      return false;
    }
  }

  private static void checkBoundary(String number, int expectedCount) {
    int count = mostThatFit(number);
    assertEquals(number + ": elements that fit by ItemSize", expectedCount, count);
    assertTrue(number + " x " + count + " refused", accepted(item(number, count)));
    assertFalse(number + " x " + (count + 1) + " accepted", accepted(item(number, count + 1)));
  }

  @Test
  public void smallIntegers() {
    checkBoundary("7", 136_531);
    checkBoundary("12345", 81_918);
  }

  @Test
  public void numbersWithAFraction() {
    checkBoundary("1.5", 102_398);
    checkBoundary("123.456", 68_265);
    checkBoundary("0.001", 136_531);
  }

  @Test
  public void negativeNumbers() {
    checkBoundary("-7", 102_398);
    checkBoundary("-1.5", 81_918);
  }

  @Test
  public void exponentsAndLongNumbers() {
    checkBoundary("1.5E+3", 136_531);
    checkBoundary("99999999999999999999999999999999999999", 19_504);
  }
}
