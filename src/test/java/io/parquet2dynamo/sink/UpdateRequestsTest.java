package io.parquet2dynamo.sink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.item.TableKey;
import java.util.HashMap;
import java.util.Map;
import org.junit.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The UpdateItem of {@code --writeMode=update}: its expression, its placeholders, its limits. */
public class UpdateRequestsTest {
  private static final TableKey KEY =
      TableKey.of("t", "pk", ScalarAttributeType.S, "sk", ScalarAttributeType.N);

  private static Map<String, AttributeValue> item(int attributes) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS("a"));
    item.put("sk", AttributeValue.fromN("1"));
    for (int i = 0; i < attributes; i++) {
      item.put(String.format("c%04d", i), AttributeValue.fromN("1"));
    }
    return item;
  }

  @Test
  public void setsEachAttributeThroughPlaceholdersAndNeverTheKey() throws Exception {
    Map<String, AttributeValue> item = item(0);
    item.put("name", AttributeValue.fromS("reserved word"));
    item.put("a.b", AttributeValue.fromN("2"));
    item.put("1st", AttributeValue.fromBool(true));

    UpdateItemRequest request = UpdateRequests.of("t", KEY, item);

    assertEquals("t", request.tableName());
    assertEquals(Map.of("pk", item.get("pk"), "sk", item.get("sk")), request.key());
    // In name order: 1st, a.b, name.
    assertEquals("SET #0=:0,#1=:1,#2=:2", request.updateExpression());
    assertEquals(
        Map.of("#0", "1st", "#1", "a.b", "#2", "name"), request.expressionAttributeNames());
    assertEquals(
        Map.of(":0", item.get("1st"), ":1", item.get("a.b"), ":2", item.get("name")),
        request.expressionAttributeValues());
    assertFalse(request.expressionAttributeNames().containsValue("pk"));
    assertFalse(request.expressionAttributeNames().containsValue("sk"));
  }

  @Test
  public void aTopLevelNullRemovesTheAttributeANestedOneIsSet() throws Exception {
    Map<String, AttributeValue> item = item(0);
    item.put("gone", AttributeValue.fromNul(true));
    item.put("kept", AttributeValue.fromS("x"));
    item.put("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromNul(true))));

    UpdateItemRequest request = UpdateRequests.of("t", KEY, item);

    assertEquals("SET #1=:1,#2=:2 REMOVE #0", request.updateExpression());
    assertEquals(Map.of("#0", "gone", "#1", "kept", "#2", "m"), request.expressionAttributeNames());
    assertEquals(
        Map.of(":1", item.get("kept"), ":2", item.get("m")), request.expressionAttributeValues());
  }

  @Test
  public void onlyRemovalsSendNoValues() throws Exception {
    Map<String, AttributeValue> item = item(0);
    item.put("gone", AttributeValue.fromNul(true));

    UpdateItemRequest request = UpdateRequests.of("t", KEY, item);

    assertEquals("REMOVE #0", request.updateExpression());
    assertFalse(request.hasExpressionAttributeValues());
  }

  @Test
  public void anItemOfKeysOnlyHasNoExpression() throws Exception {
    UpdateItemRequest request = UpdateRequests.of("t", KEY, item(0));

    assertNull(request.updateExpression());
    assertFalse(request.hasExpressionAttributeNames());
    assertEquals(2, request.key().size());
  }

  @Test
  public void fiveHundredTwentyAttributesFitInFourKilobytesAndOneMoreDoesNot() throws Exception {
    // #0=:0 for the first 36, #10=:10 up to 1295, with commas: 4 + 36 * 6 - 1 + 484 * 8 = 4091.
    String longest = UpdateRequests.of("t", KEY, item(520)).updateExpression();
    assertEquals(4091, longest.length());
    assertTrue(longest.endsWith(",#ef=:ef"));

    UpdateRequests.TooLarge e =
        assertThrows(UpdateRequests.TooLarge.class, () -> UpdateRequests.of("t", KEY, item(521)));
    assertEquals(
        "its update expression, for 521 attributes, would be 4099 bytes, over DynamoDB's limit"
            + " of 4096 on an expression; write it with --writeMode=put, or write fewer"
            + " attributes",
        e.getMessage());
  }

  @Test
  public void namesAndValuesOverTwoMegabytesAreTooLarge() {
    // Not an item the mapper lets through (it is over 400 KB), but the limit is DynamoDB's own.
    Map<String, AttributeValue> item = item(0);
    for (int i = 0; i < 6; i++) {
      item.put("big" + i, AttributeValue.fromS("x".repeat(400_000)));
    }

    UpdateRequests.TooLarge e =
        assertThrows(UpdateRequests.TooLarge.class, () -> UpdateRequests.of("t", KEY, item));
    assertTrue(e.getMessage(), e.getMessage().contains("over DynamoDB's limit of 2097152"));
  }
}
