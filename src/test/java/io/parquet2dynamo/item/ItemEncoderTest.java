package io.parquet2dynamo.item;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The encoder must write exactly the bytes {@link AttributeValues} writes for the same item, and
 * count exactly the size {@link ItemSize} counts (checked against DynamoDB itself by ItemSizeIT),
 * since the writer decodes these bytes and the size limit is enforced on the encoder's count.
 */
public class ItemEncoderTest {
  private static final AttributeNames NAMES = new AttributeNames(List.of("id", "nested"));

  @Test
  public void writesTheSameBytesAndSizeAsTheSdkValues() throws Exception {
    Map<String, AttributeValue> expected = new LinkedHashMap<>();
    expected.put("id", AttributeValue.fromS("k-1é"));
    expected.put(
        "nested",
        AttributeValue.fromM(
            Map.of(
                "n",
                AttributeValue.fromN("-12.5e3"),
                "l",
                AttributeValue.fromL(
                    List.of(AttributeValue.fromBool(true), AttributeValue.fromNul(true))))));
    expected.put("blob", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[300])));
    expected.put("ns", AttributeValue.fromNs(List.of("1", "100.01")));
    expected.put("ss", AttributeValue.fromSs(List.of("a", "ü")));
    expected.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1, 2}))));
    expected.put("key", AttributeValue.fromN("42"));

    ItemEncoder encoder = new ItemEncoder();
    encoder.reset();
    encoder.attribute("id", 0, 2);
    encoder.s("k-1é");
    encoder.attribute("nested", 1, 6);
    AttributeValue nested = expected.get("nested");
    encoder.startMap(2);
    for (Map.Entry<String, AttributeValue> e : nested.m().entrySet()) {
      encoder.name(e.getKey());
      if (e.getValue().n() != null) {
        encoder.n(e.getValue().n());
      } else {
        encoder.startList(2);
        encoder.bool(true);
        encoder.nul();
        encoder.end();
      }
    }
    encoder.end();
    encoder.attribute("blob", -1, 4);
    encoder.b(new byte[300]);
    encoder.attribute("ns", -1, 2);
    encoder.strings(true, List.of("1", "100.01"));
    encoder.attribute("ss", -1, 2);
    encoder.strings(false, List.of("a", "ü"));
    encoder.attribute("bs", -1, 2);
    encoder.binaries(List.of(new byte[] {1, 2}));
    encoder.attribute("key", -1, 3);
    encoder.value(AttributeValue.fromN("42"));

    ByteArrayOutputStream sdk = new ByteArrayOutputStream();
    AttributeValues.encodeItem(expected, NAMES, new DataOutputStream(sdk));
    byte[] bytes = encoder.item(expected.size());
    assertArrayEquals(sdk.toByteArray(), bytes);
    assertEquals(ItemSize.of(expected), encoder.size());
    assertEquals(2, encoder.takeDeepest());
    assertEquals(
        expected,
        AttributeValues.decodeItem(NAMES, new DataInputStream(new ByteArrayInputStream(bytes))));
  }

  @Test
  public void growsPastItsFirstBufferAndStartsAfreshOnReset() {
    ItemEncoder encoder = new ItemEncoder();
    encoder.reset();
    encoder.attribute("big", -1, 3);
    String big = "x".repeat(5000);
    encoder.s(big);
    assertEquals(3 + 5000, encoder.size());
    encoder.reset();
    encoder.s("one");
    assertEquals(AttributeValue.fromS("one"), encoder.single());
    assertEquals(3, encoder.size());
  }
}
