package io.parquet2dynamo.item;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

public class LoadItemTest {
  private static Map<String, AttributeValue> order() {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("id", AttributeValue.fromS("order-0000000042"));
    item.put("total", AttributeValue.fromN("181.68"));
    item.put("paid", AttributeValue.fromBool(true));
    item.put("tags", AttributeValue.fromL(List.of(AttributeValue.fromS("gift"))));
    item.put("address", AttributeValue.fromM(Map.of("zip", AttributeValue.fromS("52941"))));
    item.put("blob", AttributeValue.fromB(SdkBytes.fromUtf8String("x")));
    item.put("empty", AttributeValue.fromL(List.of()));
    return item;
  }

  @Test
  public void keepsTheAttributesEncodedAndGivesBackEqualOnes() {
    LoadItem item = new LoadItem(order(), "s3://b/part-0.parquet", 42);
    assertEquals(order(), item.attributes());
    // Decoded anew each time, so a caller cannot change what the item holds.
    assertNotSame(item.attributes(), item.attributes());
    item.attributes().clear();
    assertEquals(order(), item.attributes());
    assertEquals("s3://b/part-0.parquet", item.sourceFile());
    assertEquals(42, item.sourceRow());
  }

  @Test
  public void isAboutAsLargeEncodedAsDynamoDbCountsIt() {
    Map<String, AttributeValue> attributes = order();
    LoadItem item = new LoadItem(attributes, null, 0);
    long dynamoSize = ItemSize.of(attributes);
    assertTrue(item.encodedSize() + " vs " + dynamoSize, item.encodedSize() <= dynamoSize + 32);
    assertNull(item.sourceFile());
  }

  @Test
  public void namesFromTheSchemaAreEncodedAsIndexesAndOthersSpelledOut() {
    AttributeNames names = new AttributeNames(List.of("id", "total", "paid", "tags", "address"));
    LoadItem indexed = new LoadItem(order(), names, "f", 1);
    LoadItem spelled = new LoadItem(order(), "f", 1);
    // "blob" and "empty" are not among the names, and still come back.
    assertEquals(order(), indexed.attributes());
    assertEquals(spelled, indexed);
    int namesBytes = "idtotalpaidtagsaddress".length() + 5;
    assertEquals(spelled.encodedSize() - namesBytes, indexed.encodedSize());
  }

  @Test
  public void aCoderWithOtherNamesReencodesRatherThanMisreads() throws Exception {
    AttributeNames names = new AttributeNames(List.of("total", "id"));
    LoadItem.ItemCoder coder = LoadItem.ItemCoder.of(names);
    LoadItem item = new LoadItem(order(), new AttributeNames(List.of("id", "total")), "f", 3);
    assertEquals(item, CoderUtils.clone(coder, item));
    CoderProperties.coderDecodeEncodeEqual(coder, new LoadItem(order(), names, "f", 3));
    CoderProperties.coderSerializable(coder);
    assertEquals(coder, LoadItem.ItemCoder.of(new AttributeNames(List.of("total", "id"))));
  }

  @Test
  public void carriesItsDynamoDbSizeThroughTheCoder() throws Exception {
    LoadItem item = new LoadItem(order(), "f", 1);
    assertEquals(ItemSize.of(order()), item.size());
    LoadItem.ItemCoder coder = LoadItem.ItemCoder.of(new AttributeNames(List.of("id")));
    assertEquals(ItemSize.of(order()), CoderUtils.clone(coder, item).size());
    assertEquals(ItemSize.of(order()), CoderUtils.clone(LoadItem.ItemCoder.of(), item).size());
  }

  @Test
  public void coderRoundTripsItems() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(
        LoadItem.ItemCoder.of(), new LoadItem(order(), "s3://b/part-0.parquet", 7));
    CoderProperties.coderDecodeEncodeEqual(
        LoadItem.ItemCoder.of(), new LoadItem(Map.of(), null, Long.MAX_VALUE));
  }
}
