package io.parquet2dynamo.item;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.deadletter.RejectReason;
import io.parquet2dynamo.source.SourceFields;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.MicrosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Tests {@link ItemMapper}: column type mapping, key checks and item limits. */
public class ItemMapperTest {
  private static final ScalarAttributeType S = ScalarAttributeType.S;
  private static final ScalarAttributeType N = ScalarAttributeType.N;
  private static final ScalarAttributeType B = ScalarAttributeType.B;

  private static final TableKey KEY_S = TableKey.of("t", "id", S, null, null);
  private static final TableKey KEY_N = TableKey.of("t", "id", N, null, null);
  private static final TableKey KEY_S_S = TableKey.of("t", "pk", S, "sk", S);

  /** A schema of {@code id} (nullable) of {@code idType}, then the two source fields. */
  private static Schema idSchema(FieldType idType) {
    return Schema.builder()
        .addNullableField("id", idType)
        .addNullableField(SourceFields.FILE, FieldType.STRING)
        .addNullableField(SourceFields.ROW, FieldType.INT64)
        .build();
  }

  private static Row idRow(Schema schema, Object id) {
    return Row.withSchema(schema).addValues(id, "f.parquet", 3L).build();
  }

  private static Map<String, AttributeValue> item(TableKey key, Schema schema, Object id)
      throws RejectedRowException {
    return new ItemMapper(schema, key).toItem(idRow(schema, id));
  }

  private static RejectedRowException rejected(TableKey key, Row row) {
    ItemMapper mapper = new ItemMapper(row.getSchema(), key);
    return assertThrows(RejectedRowException.class, () -> mapper.toItem(row));
  }

  @Test
  public void scalarColumnTypes() throws Exception {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addInt32Field("i32")
            .addInt64Field("i64")
            .addInt16Field("i16")
            .addByteField("i8")
            .addDecimalField("dec")
            .addDoubleField("dbl")
            .addFloatField("flt")
            .addBooleanField("bool")
            .addByteArrayField("bin")
            .addDateTimeField("joda")
            .build();
    Row row =
        Row.withSchema(schema)
            .addValues(
                "k",
                -7,
                9_007_199_254_740_993L,
                (short) 12,
                (byte) -3,
                new BigDecimal("12345678901234567890.1234567890"),
                0.1,
                1.1f,
                false,
                new byte[] {1, 2, 3},
                new org.joda.time.Instant(1_706_688_930_123L))
            .build();

    ItemMapper mapper = new ItemMapper(schema, KEY_S);
    Map<String, AttributeValue> item = mapper.toItem(row);

    assertEquals(11, item.size());
    // The size the encoder counts is DynamoDB's, which writes and dry runs cost items by.
    assertEquals(ItemSize.of(item), mapper.encode(row).size());
    assertEquals(AttributeValue.fromS("k"), item.get("id"));
    assertEquals(AttributeValue.fromN("-7"), item.get("i32"));
    assertEquals(AttributeValue.fromN("9007199254740993"), item.get("i64"));
    assertEquals(AttributeValue.fromN("12"), item.get("i16"));
    assertEquals(AttributeValue.fromN("-3"), item.get("i8"));
    // Exact, trailing zeros dropped.
    assertEquals(AttributeValue.fromN("12345678901234567890.123456789"), item.get("dec"));
    assertEquals(AttributeValue.fromN("0.1"), item.get("dbl"));
    assertEquals(AttributeValue.fromN("1.1"), item.get("flt"));
    assertEquals(AttributeValue.fromBool(false), item.get("bool"));
    assertEquals(AttributeValue.Type.B, item.get("bin").type());
    assertArrayEquals(new byte[] {1, 2, 3}, item.get("bin").b().asByteArray());
    // A DATETIME column (Joda, milliseconds): ISO text with 3 fraction digits.
    assertEquals("2024-01-31T08:15:30.123Z", item.get("joda").s());
  }

  @Test
  public void arrayKeepsNullElementsAsNull() throws Exception {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addArrayField("tags", FieldType.STRING.withNullable(true))
            .addArrayField("empty", FieldType.INT32)
            .build();
    Row row =
        Row.withSchema(schema).addValues("k", Arrays.asList("a", null, "b"), List.of()).build();

    Map<String, AttributeValue> item = new ItemMapper(schema, KEY_S).toItem(row);

    assertEquals(
        AttributeValue.fromL(
            List.of(
                AttributeValue.fromS("a"),
                AttributeValue.fromNul(true),
                AttributeValue.fromS("b"))),
        item.get("tags"));
    assertEquals(AttributeValue.Type.L, item.get("empty").type());
    assertTrue(item.get("empty").l().isEmpty());
  }

  @Test
  public void mapOmitsNullValues() throws Exception {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addMapField("attrs", FieldType.STRING, FieldType.INT32.withNullable(true))
            .build();
    Map<String, Integer> attrs = new LinkedHashMap<>();
    attrs.put("x", 1);
    attrs.put("y", null);
    attrs.put("z", 3);
    Row row = Row.withSchema(schema).addValues("k", attrs).build();

    Map<String, AttributeValue> item = new ItemMapper(schema, KEY_S).toItem(row);

    assertEquals(
        AttributeValue.fromM(
            Map.of("x", AttributeValue.fromN("1"), "z", AttributeValue.fromN("3"))),
        item.get("attrs"));
  }

  @Test
  public void nestedRowIsMapWithoutNullFields() throws Exception {
    Schema address =
        Schema.builder()
            .addNullableField("city", FieldType.STRING)
            .addNullableField("postcode", FieldType.STRING)
            .addNullableField("floor", FieldType.INT32)
            .build();
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addRowField("address", address)
            .addArrayField("history", FieldType.row(address))
            .build();
    Row home = Row.withSchema(address).addValues("São Paulo", null, 3).build();
    Row empty = Row.withSchema(address).addValues(null, null, null).build();
    Row row = Row.withSchema(schema).addValues("k", home, List.of(home, empty)).build();

    ItemMapper mapper = new ItemMapper(schema, KEY_S);
    Map<String, AttributeValue> item = mapper.toItem(row);
    assertEquals(ItemSize.of(item), mapper.encode(row).size());

    AttributeValue homeItem =
        AttributeValue.fromM(
            Map.of("city", AttributeValue.fromS("São Paulo"), "floor", AttributeValue.fromN("3")));
    assertEquals(homeItem, item.get("address"));
    assertEquals(
        AttributeValue.fromL(List.of(homeItem, AttributeValue.fromM(Map.of()))),
        item.get("history"));
  }

  @Test
  public void dateAndTimeLogicalTypesAreIsoStrings() throws Exception {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addLogicalTypeField("date", SqlTypes.DATE)
            .addLogicalTypeField("ts", SqlTypes.TIMESTAMP)
            .addLogicalTypeField("time", SqlTypes.TIME)
            .addLogicalTypeField("local", SqlTypes.DATETIME)
            .build();
    Instant instant = Instant.parse("2024-01-31T08:15:30.123456Z");
    Row row =
        Row.withSchema(schema)
            .addValues(
                "k",
                LocalDate.of(2024, 1, 31),
                instant,
                LocalTime.of(8, 15, 30, 123_000_000),
                LocalDateTime.of(2024, 1, 31, 8, 15, 30))
            .build();

    Map<String, AttributeValue> item = new ItemMapper(schema, KEY_S).toItem(row);

    assertEquals(AttributeValue.fromS("2024-01-31"), item.get("date"));
    assertEquals("2024-01-31T08:15:30.123456Z", item.get("ts").s());
    assertEquals(AttributeValue.fromS("08:15:30.123"), item.get("time"));
    assertEquals(AttributeValue.fromS("2024-01-31T08:15:30"), item.get("local"));
  }

  @Test
  public void nullAttributesAreOmittedAndEmptyStringsKept() throws Exception {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addNullableField("note", FieldType.STRING)
            .addNullableField("qty", FieldType.INT32)
            .addNullableField("tags", FieldType.array(FieldType.STRING))
            .addStringField("blank")
            .build();
    Row row = Row.withSchema(schema).addValues("k", null, null, null, "").build();

    Map<String, AttributeValue> item = new ItemMapper(schema, KEY_S).toItem(row);

    assertEquals(Map.of("id", AttributeValue.fromS("k"), "blank", AttributeValue.fromS("")), item);
  }

  @Test
  public void sourceFieldsAreNeverWritten() throws Exception {
    Map<String, AttributeValue> item = item(KEY_S, idSchema(FieldType.STRING), "k");

    assertEquals(Map.of("id", AttributeValue.fromS("k")), item);
    assertFalse(item.containsKey(SourceFields.FILE));
    assertFalse(item.containsKey(SourceFields.ROW));
  }

  @Test
  public void nullKeyIsMissingKey() {
    Schema schema = idSchema(FieldType.STRING);
    RejectedRowException e = rejected(KEY_S, idRow(schema, null));
    assertEquals(RejectReason.MISSING_KEY, e.reason());
    assertTrue(e.getMessage(), e.getMessage().contains("'id'"));
  }

  @Test
  public void nullSortKeyIsMissingKey() {
    Schema schema =
        Schema.builder().addStringField("pk").addNullableField("sk", FieldType.STRING).build();
    Row row = Row.withSchema(schema).addValues("a", null).build();
    assertEquals(RejectReason.MISSING_KEY, rejected(KEY_S_S, row).reason());
  }

  @Test
  public void emptyStringKeyIsEmptyKey() {
    Schema schema = idSchema(FieldType.STRING);
    assertEquals(RejectReason.EMPTY_KEY, rejected(KEY_S, idRow(schema, "")).reason());
  }

  @Test
  public void emptyBinaryKeyIsEmptyKey() throws Exception {
    Schema schema = idSchema(FieldType.BYTES);
    TableKey key = TableKey.of("t", "id", B, null, null);
    assertEquals(RejectReason.EMPTY_KEY, rejected(key, idRow(schema, new byte[0])).reason());
    // A non-empty binary key is fine.
    assertArrayEquals(
        new byte[] {9}, item(key, schema, new byte[] {9}).get("id").b().asByteArray());
  }

  @Test
  public void numberColumnFeedsStringKey() throws Exception {
    assertEquals(AttributeValue.fromS("42"), item(KEY_S, idSchema(FieldType.INT64), 42L).get("id"));
    assertEquals(
        AttributeValue.fromS("1.5"),
        item(KEY_S, idSchema(FieldType.DECIMAL), new BigDecimal("1.50")).get("id"));
  }

  @Test
  public void numericStringFeedsNumberKey() throws Exception {
    assertEquals(
        AttributeValue.fromN("42"), item(KEY_N, idSchema(FieldType.STRING), "0042").get("id"));
    assertEquals(
        AttributeValue.fromN("7"), item(KEY_N, idSchema(FieldType.STRING), " 7 ").get("id"));
  }

  @Test
  public void nonNumericStringForNumberKeyIsTypeMismatch() {
    Schema schema = idSchema(FieldType.STRING);
    RejectedRowException e = rejected(KEY_N, idRow(schema, "abc"));
    assertEquals(RejectReason.KEY_TYPE_MISMATCH, e.reason());
    assertTrue(e.getMessage(), e.getMessage().contains("'abc'"));
    // Numbers DynamoDB cannot store are also a mismatch for a key.
    assertEquals(RejectReason.KEY_TYPE_MISMATCH, rejected(KEY_N, idRow(schema, "1E+200")).reason());
  }

  @Test
  public void emptyStringForNumberKeyIsEmptyKey() {
    // As docs/TYPES.md says: an empty key is EMPTY_KEY whatever the key's type.
    RejectedRowException e = rejected(KEY_N, idRow(idSchema(FieldType.STRING), ""));
    assertEquals(RejectReason.EMPTY_KEY, e.reason());
    assertTrue(e.getMessage(), e.getMessage().contains("is empty"));
    // Blank is not empty: it is text that is not a number.
    assertEquals(
        RejectReason.KEY_TYPE_MISMATCH,
        rejected(KEY_N, idRow(idSchema(FieldType.STRING), "  ")).reason());
  }

  @Test
  public void numberKeyFromNumberColumn() throws Exception {
    assertEquals(AttributeValue.fromN("-5"), item(KEY_N, idSchema(FieldType.INT32), -5).get("id"));
  }

  @Test
  public void partitionKeyLimitIs2048Bytes() throws Exception {
    Schema schema = idSchema(FieldType.STRING);
    assertEquals(2048, item(KEY_S, schema, "x".repeat(2048)).get("id").s().length());

    RejectedRowException e = rejected(KEY_S, idRow(schema, "x".repeat(2049)));
    assertEquals(RejectReason.KEY_TOO_LARGE, e.reason());
    assertTrue(e.getMessage(), e.getMessage().contains("2049"));
    // Counted in UTF-8 bytes: 1025 characters of two bytes each.
    assertEquals(
        RejectReason.KEY_TOO_LARGE, rejected(KEY_S, idRow(schema, "ü".repeat(1025))).reason());
  }

  @Test
  public void partitionKeyBinaryLimitIs2048Bytes() {
    Schema schema = idSchema(FieldType.BYTES);
    TableKey key = TableKey.of("t", "id", B, null, null);
    assertEquals(RejectReason.KEY_TOO_LARGE, rejected(key, idRow(schema, new byte[2049])).reason());
  }

  @Test
  public void sortKeyLimitIs1024Bytes() throws Exception {
    Schema schema = Schema.builder().addStringField("pk").addStringField("sk").build();
    ItemMapper mapper = new ItemMapper(schema, KEY_S_S);
    assertEquals(
        1024,
        mapper
            .toItem(Row.withSchema(schema).addValues("a", "x".repeat(1024)).build())
            .get("sk")
            .s()
            .length());

    Row row = Row.withSchema(schema).addValues("a", "x".repeat(1025)).build();
    RejectedRowException e = assertThrows(RejectedRowException.class, () -> mapper.toItem(row));
    assertEquals(RejectReason.KEY_TOO_LARGE, e.reason());
    assertTrue(e.getMessage(), e.getMessage().contains("sort key"));
  }

  @Test
  public void itemOver400KbIsTooLarge() throws Exception {
    Schema schema = Schema.builder().addStringField("id").addStringField("payload").build();
    ItemMapper mapper = new ItemMapper(schema, KEY_S);
    // "id" + "k" + "payload" = 10 bytes besides the payload's value.
    int atLimit = ItemSize.MAX_ITEM_BYTES - 10;

    Map<String, AttributeValue> item =
        mapper.toItem(Row.withSchema(schema).addValues("k", "x".repeat(atLimit)).build());
    assertEquals(ItemSize.MAX_ITEM_BYTES, ItemSize.of(item));

    Row over = Row.withSchema(schema).addValues("k", "x".repeat(atLimit + 1)).build();
    RejectedRowException e = assertThrows(RejectedRowException.class, () -> mapper.toItem(over));
    assertEquals(RejectReason.ITEM_TOO_LARGE, e.reason());
    assertTrue(
        e.getMessage(), e.getMessage().contains(String.valueOf(ItemSize.MAX_ITEM_BYTES + 1)));
  }

  @Test
  public void nanDoubleIsNotRepresentable() {
    Schema schema = Schema.builder().addStringField("id").addDoubleField("score").build();
    Row row = Row.withSchema(schema).addValues("k", Double.NaN).build();
    assertEquals(RejectReason.NUMBER_NOT_REPRESENTABLE, rejected(KEY_S, row).reason());
  }

  @Test
  public void nanInsideListIsNotRepresentable() {
    Schema schema =
        Schema.builder().addStringField("id").addArrayField("scores", FieldType.DOUBLE).build();
    Row row = Row.withSchema(schema).addValues("k", List.of(1.0, Double.NaN)).build();
    assertEquals(RejectReason.NUMBER_NOT_REPRESENTABLE, rejected(KEY_S, row).reason());
  }

  @Test
  public void missingKeyColumnIsInvalidInput() {
    Schema schema =
        Schema.builder()
            .addStringField("a")
            .addInt32Field("b")
            .addNullableField(SourceFields.FILE, FieldType.STRING)
            .addNullableField(SourceFields.ROW, FieldType.INT64)
            .build();
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> new ItemMapper(schema, KEY_S));
    assertTrue(e.getMessage(), e.getMessage().contains("'id'"));
    assertTrue(e.getMessage(), e.getMessage().contains("[a, b]"));
    assertTrue(e.getMessage(), e.getMessage().contains("'t'"));
  }

  @Test
  public void missingSortKeyColumnIsInvalidInput() {
    Schema schema = Schema.builder().addStringField("pk").build();
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> new ItemMapper(schema, KEY_S_S));
    assertTrue(e.getMessage(), e.getMessage().contains("sort key 'sk'"));
    assertTrue(e.getMessage(), e.getMessage().contains("[pk]"));
  }

  @Test
  public void aReservedSourceFieldIsNotAKeyColumn() {
    TableKey byRow = TableKey.of("t", SourceFields.ROW, N, null, null);
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> new ItemMapper(idSchema(FieldType.STRING), byRow));
    assertTrue(e.getMessage(), e.getMessage().contains("is not a column of the input"));
    assertTrue(e.getMessage(), e.getMessage().contains("[id]"));
  }

  @Test
  public void booleanColumnCannotFillStringKey() {
    Schema schema = Schema.builder().addBooleanField("id").build();
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> new ItemMapper(schema, KEY_S));
    assertTrue(e.getMessage(), e.getMessage().contains("'id'"));
    assertTrue(e.getMessage(), e.getMessage().contains("BOOL"));
  }

  @Test
  public void incompatibleKeyColumnTypesAreInvalidInput() {
    TableKey keyB = TableKey.of("t", "id", B, null, null);
    assertThrows(
        InvalidInputException.class,
        () -> new ItemMapper(Schema.builder().addStringField("id").build(), keyB));
    assertThrows(
        InvalidInputException.class,
        () -> new ItemMapper(Schema.builder().addByteArrayField("id").build(), KEY_S));
    assertThrows(
        InvalidInputException.class,
        () ->
            new ItemMapper(Schema.builder().addArrayField("id", FieldType.STRING).build(), KEY_N));
  }

  @Test
  public void keyOfIsEqualForEqualKeys() throws Exception {
    Schema schema =
        Schema.builder().addStringField("pk").addStringField("sk").addInt32Field("v").build();
    ItemMapper mapper = new ItemMapper(schema, KEY_S_S);
    Map<String, AttributeValue> a =
        mapper.toItem(Row.withSchema(schema).addValues("a", "b", 1).build());
    Map<String, AttributeValue> b =
        mapper.toItem(Row.withSchema(schema).addValues("a", "b", 2).build());
    Map<String, AttributeValue> c =
        mapper.toItem(Row.withSchema(schema).addValues("a", "c", 1).build());

    assertEquals(mapper.keyOf(a), mapper.keyOf(b));
    assertNotEquals(mapper.keyOf(a), mapper.keyOf(c));
  }

  @Test
  public void stringKeysFromTheRowEqualTheKeyOfTheItem() throws Exception {
    // Keys of string columns are read straight from the row (the fast path); the key of the item
    // they become is the reference. The sort key comes first among the columns, unlike the key.
    Schema schema =
        Schema.builder().addStringField("sk").addInt32Field("v").addStringField("pk").build();
    ItemMapper mapper = new ItemMapper(schema, KEY_S_S);
    for (String[] values :
        new String[][] {{"a", "b"}, {"é€😀", "1:x"}, {"S1:a", ""}, {"x".repeat(1000), "y"}}) {
      Row row = Row.withSchema(schema).addValues(values[1], 7, values[0]).build();
      if (values[1].isEmpty()) {
        assertEquals(
            RejectReason.EMPTY_KEY,
            assertThrows(RejectedRowException.class, () -> mapper.keyOf(row)).reason());
        assertEquals(RejectReason.EMPTY_KEY, rejected(KEY_S_S, row).reason());
        continue;
      }
      String expected = KEY_S_S.keyString(mapper.toItem(row));
      assertEquals(expected, mapper.keyOf(row));
      assertEquals(expected, mapper.encode(row).key());
    }
  }

  @Test
  public void keyOfDoesNotConfuseSplitsOfTheSameText() throws Exception {
    Schema schema = Schema.builder().addStringField("pk").addStringField("sk").build();
    ItemMapper mapper = new ItemMapper(schema, KEY_S_S);

    assertNotEquals(
        mapper.keyOf(mapper.toItem(Row.withSchema(schema).addValues("a", "bc").build())),
        mapper.keyOf(mapper.toItem(Row.withSchema(schema).addValues("ab", "c").build())));
    assertNotEquals(
        mapper.keyOf(mapper.toItem(Row.withSchema(schema).addValues("a1:", "b").build())),
        mapper.keyOf(mapper.toItem(Row.withSchema(schema).addValues("a", "1:b").build())));
  }

  @Test
  public void keyOfNumberAndBinaryKeys() throws Exception {
    Schema schema = Schema.builder().addInt64Field("pk").addByteArrayField("sk").build();
    ItemMapper mapper = new ItemMapper(schema, TableKey.of("t", "pk", N, "sk", B));

    String k1 =
        mapper.keyOf(
            mapper.toItem(Row.withSchema(schema).addValues(1L, new byte[] {1, 2}).build()));
    String k2 =
        mapper.keyOf(
            mapper.toItem(Row.withSchema(schema).addValues(1L, new byte[] {1, 2}).build()));
    String k3 =
        mapper.keyOf(
            mapper.toItem(Row.withSchema(schema).addValues(1L, new byte[] {1, 3}).build()));
    String k4 =
        mapper.keyOf(
            mapper.toItem(Row.withSchema(schema).addValues(11L, new byte[] {1, 2}).build()));

    assertEquals(k1, k2);
    assertNotEquals(k1, k3);
    assertNotEquals(k1, k4);
  }

  @Test
  public void mapperIsSerializable() throws Exception {
    Schema schema = idSchema(FieldType.STRING);
    ItemMapper copy = SerializableUtils.clone(new ItemMapper(schema, KEY_S));
    assertEquals(Map.of("id", AttributeValue.fromS("k")), copy.toItem(idRow(schema, "k")));
  }

  @Test
  public void binaryValueIsCopiedAsIs() throws Exception {
    Schema schema = Schema.builder().addStringField("id").addByteArrayField("bin").build();
    byte[] bytes = {0, -1, 127};
    Row row = Row.withSchema(schema).addValues("k", bytes).build();
    assertEquals(
        AttributeValue.fromB(SdkBytes.fromByteArray(bytes)),
        new ItemMapper(schema, KEY_S).toItem(row).get("bin"));
  }

  @Test
  public void indexKeysAreCheckedWhenPresentAndMayBeAbsent() throws Exception {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addNullableField("code", FieldType.STRING)
            .addNullableField("rank", FieldType.STRING)
            .build();
    TableKey key =
        TableKey.of("t", "id", ScalarAttributeType.S, null, null)
            .withIndexAttributes(
                List.of(
                    TableKey.indexAttribute("code", ScalarAttributeType.S, true, "byCode"),
                    TableKey.indexAttribute("rank", ScalarAttributeType.N, false, "byCode")));
    ItemMapper mapper = new ItemMapper(schema, key);

    Map<String, AttributeValue> absent =
        mapper.toItem(Row.withSchema(schema).addValues("a", null, null).build());
    assertEquals(Map.of("id", AttributeValue.fromS("a")), absent);
    Map<String, AttributeValue> converted =
        mapper.toItem(Row.withSchema(schema).addValues("b", "x", "007").build());
    assertEquals(AttributeValue.fromN("7"), converted.get("rank"));

    RejectedRowException empty =
        assertThrows(
            RejectedRowException.class,
            () -> mapper.toItem(Row.withSchema(schema).addValues("c", "", null).build()));
    assertEquals(RejectReason.EMPTY_KEY, empty.reason());
    assertTrue(empty.getMessage(), empty.getMessage().contains("of index 'byCode'"));
    RejectedRowException notNumber =
        assertThrows(
            RejectedRowException.class,
            () -> mapper.toItem(Row.withSchema(schema).addValues("d", "x", "high").build()));
    assertEquals(RejectReason.KEY_TYPE_MISMATCH, notNumber.reason());
  }

  @Test
  public void indexKeyColumnOfAnImpossibleTypeIsInvalidInput() {
    Schema schema = Schema.builder().addStringField("id").addBooleanField("flag").build();
    TableKey key =
        TableKey.of("t", "id", ScalarAttributeType.S, null, null)
            .withIndexAttributes(
                List.of(TableKey.indexAttribute("flag", ScalarAttributeType.S, true, "byFlag")));

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> new ItemMapper(schema, key));
    assertTrue(e.getMessage(), e.getMessage().contains("of index 'byFlag'"));
  }

  @Test
  public void emptyMapKeyIsRejected() {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addMapField("attrs", FieldType.STRING, FieldType.STRING)
            .build();
    ItemMapper mapper =
        new ItemMapper(schema, TableKey.of("t", "id", ScalarAttributeType.S, null, null));

    RejectedRowException e =
        assertThrows(
            RejectedRowException.class,
            () -> mapper.toItem(Row.withSchema(schema).addValues("a", Map.of("", "v")).build()));
    assertEquals(RejectReason.EMPTY_ATTRIBUTE_NAME, e.reason());
  }

  private static final Schema TIMES =
      Schema.builder()
          .addStringField("id")
          .addLogicalTypeField("nanos", new NanosInstant())
          .addLogicalTypeField("micros", new MicrosInstant())
          .addDateTimeField("joda")
          .build();

  private static Row times() {
    Instant t = Instant.parse("2024-01-31T08:15:30.123456789Z");
    return Row.withSchema(TIMES)
        .addValues(
            "k", t, t.truncatedTo(ChronoUnit.MICROS), new org.joda.time.Instant(t.toEpochMilli()))
        .build();
  }

  @Test
  public void timestampsAreIsoTextByDefault() throws Exception {
    Map<String, AttributeValue> item = new ItemMapper(TIMES, KEY_S).toItem(times());

    assertEquals(AttributeValue.fromS("2024-01-31T08:15:30.123456789Z"), item.get("nanos"));
    assertEquals(AttributeValue.fromS("2024-01-31T08:15:30.123456Z"), item.get("micros"));
    assertEquals(AttributeValue.fromS("2024-01-31T08:15:30.123Z"), item.get("joda"));
  }

  @Test
  public void isoTimestampsHaveTheirColumnsFractionDigitsWhateverTheValue() throws Exception {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addField("nanos", FieldType.logicalType(new NanosInstant()))
            .addField("micros", FieldType.logicalType(new MicrosInstant()))
            .addDateTimeField("joda")
            // Read from Parquet TIMESTAMP(MILLIS) and TIMESTAMP(MICROS): nanosecond instants
            // marked with their unit (source/ParquetSchemas).
            .addField(
                "fromMillis",
                IsoTimestamps.withDigits(FieldType.logicalType(new NanosInstant()), 3))
            .addField(
                "fromMicros",
                IsoTimestamps.withDigits(FieldType.logicalType(new NanosInstant()), 6))
            .addField(
                "listOfMillis",
                FieldType.array(
                    IsoTimestamps.withDigits(FieldType.logicalType(new NanosInstant()), 3)))
            .build();
    Instant second = Instant.parse("2024-01-31T08:15:30Z");
    Row row =
        Row.withSchema(schema)
            .addValues(
                "k",
                second,
                second,
                new org.joda.time.Instant(second.toEpochMilli()),
                second,
                second.plusMillis(500),
                List.of(second, second.plusMillis(5)))
            .build();

    Map<String, AttributeValue> item = new ItemMapper(schema, KEY_S).toItem(row);

    assertEquals("2024-01-31T08:15:30.000000000Z", item.get("nanos").s());
    assertEquals("2024-01-31T08:15:30.000000Z", item.get("micros").s());
    assertEquals("2024-01-31T08:15:30.000Z", item.get("joda").s());
    assertEquals("2024-01-31T08:15:30.000Z", item.get("fromMillis").s());
    assertEquals("2024-01-31T08:15:30.500000Z", item.get("fromMicros").s());
    assertEquals(
        List.of("2024-01-31T08:15:30.000Z", "2024-01-31T08:15:30.005Z"),
        item.get("listOfMillis").l().stream().map(AttributeValue::s).toList());
  }

  @Test
  public void aValueFinerThanItsColumnIsNotCut() throws Exception {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addField("ts", IsoTimestamps.withDigits(FieldType.logicalType(new NanosInstant()), 3))
            .build();
    Instant t = Instant.parse("2024-01-31T08:15:30.123456Z");

    Map<String, AttributeValue> item =
        new ItemMapper(schema, KEY_S).toItem(Row.withSchema(schema).addValues("k", t).build());

    assertEquals("2024-01-31T08:15:30.123456Z", item.get("ts").s());
  }

  @Test
  public void isoTextOfAColumnSortsInTimeOrder() throws Exception {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addField("ts", IsoTimestamps.withDigits(FieldType.logicalType(new NanosInstant()), 6))
            .build();
    ItemMapper mapper = new ItemMapper(schema, KEY_S);
    java.util.Random random = new java.util.Random(42);
    List<Instant> times = new java.util.ArrayList<>();
    Instant base = Instant.parse("2024-01-31T08:15:30Z");
    for (int i = 0; i < 2000; i++) {
      // Whole seconds, whole milliseconds and microseconds, as a real column mixes them.
      long micros = random.nextInt(3_000_000);
      micros =
          i % 3 == 0 ? micros / 1_000_000 * 1_000_000 : i % 3 == 1 ? micros / 1000 * 1000 : micros;
      times.add(base.plus(micros, ChronoUnit.MICROS));
    }
    List<String> texts = new java.util.ArrayList<>();
    for (Instant t : times) {
      texts.add(mapper.toItem(Row.withSchema(schema).addValues("k", t).build()).get("ts").s());
    }
    List<Instant> byText = new java.util.ArrayList<>(times);
    byText.sort(java.util.Comparator.comparing(t -> texts.get(times.indexOf(t))));
    List<Instant> byTime = new java.util.ArrayList<>(times);
    java.util.Collections.sort(byTime);
    assertEquals(byTime, byText);
  }

  @Test
  public void timestampFormatWritesEpochNumbers() throws Exception {
    ItemFormat millis = ItemFormat.of("epochMillis", null);

    Map<String, AttributeValue> item = new ItemMapper(TIMES, KEY_S, millis).toItem(times());

    assertEquals(AttributeValue.fromN("1706688930123"), item.get("nanos"));
    assertEquals(AttributeValue.fromN("1706688930123"), item.get("micros"));
    assertEquals(AttributeValue.fromN("1706688930123"), item.get("joda"));
  }

  @Test
  public void anEpochTimestampCanFillAnNumberKeyButAnIsoOneCannot() throws Exception {
    TableKey byTime = TableKey.of("t", "id", S, "nanos", N);

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> new ItemMapper(TIMES, byTime));
    assertTrue(e.getMessage(), e.getMessage().contains("--timestampFormat=epochSeconds"));
    Map<String, AttributeValue> item =
        new ItemMapper(TIMES, byTime, ItemFormat.of("epochSeconds", null)).toItem(times());
    assertEquals(AttributeValue.fromN("1706688930"), item.get("nanos"));
  }

  private static final Schema WITH_NULLS =
      Schema.builder()
          .addStringField("id")
          .addNullableField("note", FieldType.STRING)
          .addNullableField("gsiKey", FieldType.STRING)
          .addNullableField(
              "props", FieldType.map(FieldType.STRING, FieldType.INT32.withNullable(true)))
          .addNullableField(
              "inner", FieldType.row(Schema.builder().addNullableInt64Field("n").build()))
          .addNullableField("list", FieldType.array(FieldType.STRING.withNullable(true)))
          .build();

  private static Row withNulls() {
    Map<String, Integer> props = new LinkedHashMap<>();
    props.put("a", 1);
    props.put("b", null);
    Schema inner = WITH_NULLS.getField("inner").getType().getRowSchema();
    return Row.withSchema(WITH_NULLS)
        .addValues(
            "k",
            null,
            null,
            props,
            Row.withSchema(inner).addValue(null).build(),
            Arrays.asList("x", null))
        .build();
  }

  @Test
  public void nullsAreOmittedInMapsAndKeptInListsByDefault() throws Exception {
    Map<String, AttributeValue> item = new ItemMapper(WITH_NULLS, KEY_S).toItem(withNulls());

    assertEquals(Set.of("id", "props", "inner", "list"), item.keySet());
    assertEquals(AttributeValue.fromM(Map.of("a", AttributeValue.fromN("1"))), item.get("props"));
    assertEquals(AttributeValue.fromM(Map.of()), item.get("inner"));
    assertEquals(
        AttributeValue.fromL(List.of(AttributeValue.fromS("x"), AttributeValue.fromNul(true))),
        item.get("list"));
  }

  @Test
  public void nullPolicyNullWritesNullEverywhereButInIndexKeys() throws Exception {
    TableKey withIndex =
        KEY_S.withIndexAttributes(List.of(TableKey.indexAttribute("gsiKey", S, true, "byGsiKey")));
    AttributeValue nul = AttributeValue.fromNul(true);

    Map<String, AttributeValue> item =
        new ItemMapper(WITH_NULLS, withIndex, ItemFormat.of(null, "null")).toItem(withNulls());

    assertEquals(Set.of("id", "note", "props", "inner", "list"), item.keySet());
    assertEquals(nul, item.get("note"));
    assertEquals(
        AttributeValue.fromM(Map.of("a", AttributeValue.fromN("1"), "b", nul)), item.get("props"));
    assertEquals(AttributeValue.fromM(Map.of("n", nul)), item.get("inner"));
  }

  @Test
  public void aNullKeyIsMissingWhateverTheNullPolicy() {
    Schema schema = idSchema(FieldType.STRING);
    ItemMapper mapper = new ItemMapper(schema, KEY_S, ItemFormat.of(null, "null"));

    RejectedRowException e =
        assertThrows(RejectedRowException.class, () -> mapper.toItem(idRow(schema, null)));
    assertEquals(RejectReason.MISSING_KEY, e.reason());
  }

  /** {@code levels} lists of lists around a string. */
  private static FieldType nestedLists(int levels) {
    FieldType type = FieldType.STRING;
    for (int i = 0; i < levels; i++) {
      type = FieldType.array(type);
    }
    return type;
  }

  /** {@code levels} lists around "x". */
  private static Object nestedValue(int levels) {
    Object value = "x";
    for (int i = 0; i < levels; i++) {
      value = List.of(value);
    }
    return value;
  }

  /** {@code levels} lists, the innermost empty. */
  private static Object emptyAtLevel(int levels) {
    Object value = List.of();
    for (int i = 1; i < levels; i++) {
      value = List.of(value);
    }
    return value;
  }

  @Test
  public void nestingAtDynamoDbsLimitIsAccepted() throws Exception {
    Schema schema = Schema.builder().addStringField("id").addField("deep", nestedLists(31)).build();

    Map<String, AttributeValue> item =
        new ItemMapper(schema, KEY_S)
            .toItem(Row.withSchema(schema).addValues("k", nestedValue(31)).build());

    assertEquals(31, ItemMapper.containerDepth(item.get("deep")));
  }

  @Test
  public void nestingBeyondDynamoDbsLimitIsRejectedOnlyWhereAValueReachesIt() throws Exception {
    Schema schema = Schema.builder().addStringField("id").addField("deep", nestedLists(33)).build();
    ItemMapper mapper = new ItemMapper(schema, KEY_S);

    RejectedRowException e =
        assertThrows(
            RejectedRowException.class,
            () -> mapper.toItem(Row.withSchema(schema).addValues("k", nestedValue(33)).build()));
    assertEquals(RejectReason.NESTING_TOO_DEEP, e.reason());
    assertEquals(
        "attribute 'deep' nests 33 maps and lists; DynamoDB's limit is 32 levels, the item "
            + "included",
        e.getMessage());
    // The same schema, but this row's lists end early: 31 levels fit.
    Map<String, AttributeValue> shallow =
        mapper.toItem(Row.withSchema(schema).addValues("k", emptyAtLevel(31)).build());
    assertEquals(31, ItemMapper.containerDepth(shallow.get("deep")));
  }

  @Test
  public void aColumnWithAnEmptyNameIsRefusedBeforeAnyWork() {
    Schema schema =
        Schema.builder().addStringField("id").addNullableField("", FieldType.STRING).build();
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                new ItemMapper(schema, TableKey.of("t", "id", ScalarAttributeType.S, null, null)));
    assertTrue(e.getMessage(), e.getMessage().contains("a column with an empty name"));
  }
}
