package io.parquet2dynamo.dedupe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.LoadItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Tests {@link DedupePolicy}: parsing, and which item {@code maxBy} keeps. */
public class DedupePolicyTest {
  private static LoadItem item(AttributeValue updated, String file, long row) {
    Map<String, AttributeValue> attributes = new HashMap<>();
    attributes.put("id", AttributeValue.fromS("k"));
    if (updated != null) {
      attributes.put("updated", updated);
    }
    return new LoadItem(attributes, file, row);
  }

  private static LoadItem winner(DedupePolicy policy, List<LoadItem> items) {
    return Collections.max(items, policy.order());
  }

  @Test
  public void parsesTheThreePolicies() {
    assertEquals("last", DedupePolicy.parse(null).toString());
    assertEquals("none", DedupePolicy.parse("none").toString());
    assertTrue(DedupePolicy.parse("none").isNone());
    assertEquals("updated", DedupePolicy.parse("maxBy:updated").column());
    assertEquals(
        "--dedupe=maxBy: is not a valid value; use one of last, maxBy:<column>, none",
        assertThrows(InvalidInputException.class, () -> DedupePolicy.parse("maxBy:")).getMessage());
  }

  @Test
  public void maxByComparesNumbersByValueNotText() {
    DedupePolicy maxBy = DedupePolicy.parse("maxBy:updated");
    LoadItem nine = item(AttributeValue.fromN("9"), "b", 0);
    LoadItem ten = item(AttributeValue.fromN("10.0"), "a", 0);

    assertEquals(ten, winner(maxBy, List.of(nine, ten)));
    assertEquals(ten, winner(maxBy, List.of(ten, nine)));
  }

  @Test
  public void maxByTiesGoToTheLastInInputOrderAndAbsentLoses() {
    DedupePolicy maxBy = DedupePolicy.parse("maxBy:updated");
    LoadItem early = item(AttributeValue.fromS("2024-02"), "a.parquet", 5);
    LoadItem late = item(AttributeValue.fromS("2024-02"), "b.parquet", 0);
    LoadItem missing = item(null, "z.parquet", 9);
    LoadItem nul = item(AttributeValue.fromNul(true), "z.parquet", 10);

    List<LoadItem> items = new ArrayList<>(List.of(missing, late, nul, early));
    for (int i = 0; i < 4; i++) {
      Collections.rotate(items, 1);
      assertEquals(late, winner(maxBy, items));
    }
  }

  @Test
  public void valuesOrderByTypeRules() {
    assertTrue(
        DedupePolicy.compareValues(AttributeValue.fromS("b"), AttributeValue.fromS("ab")) > 0);
    assertTrue(
        DedupePolicy.compareValues(
                AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {(byte) 0xff})),
                AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2})))
            > 0);
    assertTrue(
        DedupePolicy.compareValues(AttributeValue.fromBool(true), AttributeValue.fromBool(false))
            > 0);
    assertTrue(DedupePolicy.compareValues(null, AttributeValue.fromN("-1e9")) < 0);
  }
}
