package io.parquet2dynamo.item;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Tests the {@link AttributeValues} coder: every attribute type survives a round trip. */
public class AttributeValuesTest {
  private static final Coder<Map<String, AttributeValue>> CODER = AttributeValues.of();

  private static SdkBytes bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return SdkBytes.fromByteArray(b);
  }

  private static Map<String, AttributeValue> roundTrip(Map<String, AttributeValue> item)
      throws CoderException {
    return CoderUtils.decodeFromByteArray(CODER, CoderUtils.encodeToByteArray(CODER, item));
  }

  /** An item with every attribute type, empty strings, lists and maps included. */
  private static Map<String, AttributeValue> everyType() {
    Map<String, AttributeValue> nested = new LinkedHashMap<>();
    nested.put("inner", AttributeValue.fromM(Map.of("deep", AttributeValue.fromN("-0.5"))));
    nested.put("list", AttributeValue.fromL(List.of(AttributeValue.fromS("x"))));
    nested.put("emptyMap", AttributeValue.fromM(Map.of()));

    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("s", AttributeValue.fromS("hello"));
    item.put("sEmpty", AttributeValue.fromS(""));
    item.put("sUnicode", AttributeValue.fromS("São Paulo \uD83D\uDE00 Büro"));
    item.put("n", AttributeValue.fromN("12345678901234567890.123456789"));
    item.put("b", AttributeValue.fromB(bytes(0, 1, 255, 128)));
    item.put("bEmpty", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[0])));
    item.put("boolTrue", AttributeValue.fromBool(true));
    item.put("boolFalse", AttributeValue.fromBool(false));
    item.put("nul", AttributeValue.fromNul(true));
    item.put(
        "l",
        AttributeValue.fromL(
            List.of(
                AttributeValue.fromS("a"),
                AttributeValue.fromNul(true),
                AttributeValue.fromN("1"),
                AttributeValue.fromL(List.of()),
                AttributeValue.fromM(Map.of()))));
    item.put("lEmpty", AttributeValue.fromL(List.of()));
    item.put("m", AttributeValue.fromM(nested));
    item.put("mEmpty", AttributeValue.fromM(Map.of()));
    item.put("ss", AttributeValue.fromSs(List.of("a", "ü", "")));
    item.put("ns", AttributeValue.fromNs(List.of("1", "-2.5", "1E+3")));
    item.put("bs", AttributeValue.fromBs(List.of(bytes(1), bytes(2, 3))));
    item.put("", AttributeValue.fromS("empty name"));
    return item;
  }

  @Test
  public void roundTripOfEveryType() throws Exception {
    Map<String, AttributeValue> item = everyType();
    Map<String, AttributeValue> decoded = roundTrip(item);

    assertEquals(item, decoded);
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      assertEquals(e.getKey(), e.getValue().type(), decoded.get(e.getKey()).type());
    }
  }

  @Test
  public void emptyListAndMapStayEmptyListAndMap() throws Exception {
    Map<String, AttributeValue> decoded = roundTrip(everyType());

    assertEquals(AttributeValue.Type.L, decoded.get("lEmpty").type());
    assertTrue(decoded.get("lEmpty").hasL());
    assertTrue(decoded.get("lEmpty").l().isEmpty());
    assertEquals(AttributeValue.Type.M, decoded.get("mEmpty").type());
    assertTrue(decoded.get("mEmpty").hasM());
    assertTrue(decoded.get("mEmpty").m().isEmpty());
    AttributeValue nestedEmpty = decoded.get("m").m().get("emptyMap");
    assertEquals(AttributeValue.Type.M, nestedEmpty.type());
    assertTrue(nestedEmpty.m().isEmpty());
    assertEquals(AttributeValue.Type.L, decoded.get("l").l().get(3).type());
    assertEquals(AttributeValue.Type.M, decoded.get("l").l().get(4).type());
  }

  @Test
  public void scalarValuesAreExact() throws Exception {
    Map<String, AttributeValue> decoded = roundTrip(everyType());

    assertEquals("", decoded.get("sEmpty").s());
    assertEquals("São Paulo \uD83D\uDE00 Büro", decoded.get("sUnicode").s());
    assertEquals("12345678901234567890.123456789", decoded.get("n").n());
    assertArrayEquals(
        new byte[] {0, 1, (byte) 255, (byte) 128}, decoded.get("b").b().asByteArray());
    assertEquals(0, decoded.get("bEmpty").b().asByteArray().length);
    assertEquals(AttributeValue.Type.B, decoded.get("bEmpty").type());
    assertEquals(Boolean.TRUE, decoded.get("boolTrue").bool());
    assertEquals(Boolean.FALSE, decoded.get("boolFalse").bool());
    assertEquals(Boolean.TRUE, decoded.get("nul").nul());
    assertEquals(List.of("a", "ü", ""), decoded.get("ss").ss());
    assertEquals(List.of("1", "-2.5", "1E+3"), decoded.get("ns").ns());
    assertEquals(List.of(bytes(1), bytes(2, 3)), decoded.get("bs").bs());
  }

  @Test
  public void emptyItem() throws Exception {
    assertEquals(Map.of(), roundTrip(Map.of()));
  }

  @Test
  public void coderPropertiesHold() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(CODER, everyType());
    CoderProperties.coderSerializable(CODER);
  }

  @Test
  public void unknownTagIsCoderException() {
    // One entry named "a" (length 1) with tag 99.
    byte[] encoded = {1, 1, 'a', 99};
    CoderException e =
        assertThrows(CoderException.class, () -> CoderUtils.decodeFromByteArray(CODER, encoded));
    assertTrue(e.getMessage(), e.getMessage().contains("99"));
  }

  @Test
  public void declaresItselfNonDeterministicBecauseMapsEncodeInIterationOrder() throws Exception {
    Map<String, AttributeValue> ab = new LinkedHashMap<>();
    ab.put("a", AttributeValue.fromS("1"));
    ab.put("b", AttributeValue.fromS("2"));
    Map<String, AttributeValue> ba = new LinkedHashMap<>();
    ba.put("b", AttributeValue.fromS("2"));
    ba.put("a", AttributeValue.fromS("1"));

    // Equal items, different bytes: so the coder must not claim determinism (it is never a key).
    assertEquals(ab, ba);
    assertFalse(
        Arrays.equals(
            CoderUtils.encodeToByteArray(CODER, ab), CoderUtils.encodeToByteArray(CODER, ba)));
    assertThrows(Coder.NonDeterministicException.class, CODER::verifyDeterministic);
  }
}
