package io.parquet2dynamo.item;

import static org.junit.Assert.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Tests {@link ItemSize} against DynamoDB's documented item size rules. */
public class ItemSizeTest {

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(String value) {
    return AttributeValue.fromN(value);
  }

  private static AttributeValue b(int length) {
    return AttributeValue.fromB(SdkBytes.fromByteArray(new byte[length]));
  }

  @Test
  public void stringIsUtf8BytesOfValue() {
    assertEquals(3, ItemSize.of(s("abc")));
    // ü is two bytes in UTF-8.
    assertEquals(5, ItemSize.of(s("Büro")));
    // An emoji is a surrogate pair in Java and four bytes in UTF-8.
    assertEquals(4, ItemSize.of(s("\uD83D\uDE00")));
    assertEquals(0, ItemSize.of(s("")));
  }

  @Test
  public void stringAttributeCountsNameAndValue() {
    assertEquals(4 + 5, ItemSize.of(Map.of("name", s("Büro"))));
    // A multi-byte name counts in UTF-8 bytes too.
    assertEquals(5 + 1, ItemSize.of(Map.of("Büro", s("x"))));
  }

  @Test
  public void numberIsItsBase100PairsAlignedOnThePointPlusOneAndOneMoreIfNegative() {
    // Each figure is what DynamoDB Local 2.6.1 counts (measured by ItemSizeIT's kind).
    assertEquals(2, ItemSize.of(n("7")));
    assertEquals(3, ItemSize.of(n("1.5")));
    assertEquals(3, ItemSize.of(n("-7")));
    assertEquals(4, ItemSize.of(n("-1.5")));
    assertEquals(4, ItemSize.of(n("12345")));
    assertEquals(5, ItemSize.of(n("-12345")));
    assertEquals(2, ItemSize.of(n("0.001")));
    assertEquals(3, ItemSize.of(n("-0.001")));
    assertEquals(2, ItemSize.of(n("1.5E+3")));
    assertEquals(2, ItemSize.of(n("1E-5")));
    assertEquals(5, ItemSize.of(n("123.456")));
    assertEquals(4, ItemSize.of(n("1234.5")));
    assertEquals(4, ItemSize.of(n("12.345")));
    assertEquals(6, ItemSize.of(n("0.123456789")));
    assertEquals(3, ItemSize.of(n("-100")));
    assertEquals(20, ItemSize.of(n("99999999999999999999999999999999999999")));
  }

  @Test
  public void numberAttributeCountsName() {
    assertEquals(5 + 3, ItemSize.of(Map.of("price", n("123"))));
    assertEquals(1 + 2, ItemSize.of(Map.of("n", n("0.00100"))));
  }

  @Test
  public void numberSizeTrimsLeadingAndTrailingZeros() {
    assertEquals(2, ItemSize.numberSize("000100"));
    assertEquals(3, ItemSize.numberSize("-0.0500"));
    assertEquals(2, ItemSize.numberSize("0"));
    assertEquals(2, ItemSize.numberSize("1.00e2"));
    assertEquals(3, ItemSize.numberSize("1.50e2"));
    // Zeros between significant digits count.
    assertEquals(3, ItemSize.numberSize("1001"));
  }

  @Test
  public void binaryIsRawLength() {
    assertEquals(10, ItemSize.of(b(10)));
    assertEquals(0, ItemSize.of(b(0)));
    assertEquals(3 + 7, ItemSize.of(Map.of("bin", b(7))));
  }

  @Test
  public void boolAndNullAreOneByte() {
    assertEquals(1, ItemSize.of(AttributeValue.fromBool(true)));
    assertEquals(1, ItemSize.of(AttributeValue.fromBool(false)));
    assertEquals(1, ItemSize.of(AttributeValue.fromNul(true)));
    assertEquals(4 + 1, ItemSize.of(Map.of("flag", AttributeValue.fromBool(true))));
  }

  @Test
  public void listIsThreePlusElementsPlusOneBytePerElement() {
    AttributeValue list =
        AttributeValue.fromL(List.of(s("ab"), n("123"), AttributeValue.fromNul(true)));
    assertEquals(3 + (1 + 2) + (1 + 3) + (1 + 1), ItemSize.of(list));
  }

  @Test
  public void emptyListAndMapAreThreeBytes() {
    assertEquals(3, ItemSize.of(AttributeValue.fromL(List.of())));
    assertEquals(3, ItemSize.of(AttributeValue.fromM(Map.of())));
  }

  @Test
  public void mapElementsCountTheirKeys() {
    Map<String, AttributeValue> map = new LinkedHashMap<>();
    map.put("k", s("v"));
    map.put("ü", AttributeValue.fromBool(true));
    // 3 + (1 + key 1 + value 1) + (1 + key 2 + value 1)
    assertEquals(3 + 3 + 4, ItemSize.of(AttributeValue.fromM(map)));
  }

  @Test
  public void nestedListsAndMapsAddUp() {
    AttributeValue inner = AttributeValue.fromM(Map.of("a", AttributeValue.fromL(List.of())));
    // inner map: 3 + (1 + 1 + 3) = 8; outer list: 3 + (1 + 8) = 12
    assertEquals(8, ItemSize.of(inner));
    assertEquals(12, ItemSize.of(AttributeValue.fromL(List.of(inner))));
  }

  @Test
  public void setsAreTheSumOfTheirMembers() {
    assertEquals(1 + 3, ItemSize.of(AttributeValue.fromSs(List.of("a", "bü"))));
    assertEquals(3 + 2, ItemSize.of(AttributeValue.fromNs(List.of("123", "1000"))));
    assertEquals(
        2 + 3,
        ItemSize.of(
            AttributeValue.fromBs(
                List.of(
                    SdkBytes.fromByteArray(new byte[2]), SdkBytes.fromByteArray(new byte[3])))));
  }

  @Test
  public void itemIsTheSumOfItsAttributes() {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("id", s("Büro"));
    item.put("qty", n("-12.5"));
    item.put("tags", AttributeValue.fromL(List.of(s("x"))));
    assertEquals((2 + 5) + (3 + 4) + (4 + 3 + 1 + 1), ItemSize.of(item));
    assertEquals(0, ItemSize.of(Map.of()));
  }

  @Test
  public void itemExactlyAtTheLimit() {
    // name "a" (1 byte) + value of MAX - 1 bytes
    Map<String, AttributeValue> item = Map.of("a", s("x".repeat(ItemSize.MAX_ITEM_BYTES - 1)));
    assertEquals(409600, ItemSize.MAX_ITEM_BYTES);
    assertEquals(ItemSize.MAX_ITEM_BYTES, ItemSize.of(item));
  }

  @Test
  public void itemJustOverTheLimit() {
    Map<String, AttributeValue> item = Map.of("a", s("x".repeat(ItemSize.MAX_ITEM_BYTES)));
    assertEquals(ItemSize.MAX_ITEM_BYTES + 1, ItemSize.of(item));
  }
}
