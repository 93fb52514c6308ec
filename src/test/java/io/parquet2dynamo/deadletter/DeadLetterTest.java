package io.parquet2dynamo.deadletter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.parquet2dynamo.source.SourceFields;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Tests {@link DeadLetter}: the JSON Lines record of a rejected row. */
public class DeadLetterTest {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private static final Schema ADDRESS =
      Schema.builder()
          .addNullableField("city", FieldType.STRING)
          .addNullableField("floor", FieldType.INT32)
          .build();

  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", FieldType.STRING)
          .addDecimalField("amount")
          .addByteArrayField("data")
          .addDoubleField("score")
          .addInt64Field("qty")
          .addBooleanField("paid")
          .addNullableField("note", FieldType.STRING)
          .addLogicalTypeField("day", SqlTypes.DATE)
          .addRowField("address", ADDRESS)
          .addArrayField("tags", FieldType.STRING.withNullable(true))
          .addMapField("attrs", FieldType.STRING, FieldType.INT32.withNullable(true))
          .addArrayField("history", FieldType.row(ADDRESS))
          .addNullableField(SourceFields.FILE, FieldType.STRING)
          .addNullableField(SourceFields.ROW, FieldType.INT64)
          .build();

  private static Row sample() {
    Map<String, Integer> attrs = new LinkedHashMap<>();
    attrs.put("x", 1);
    attrs.put("y", null);
    Row address = Row.withSchema(ADDRESS).addValues("Lyon", null).build();
    return Row.withSchema(SCHEMA)
        .addValues(
            null,
            new BigDecimal("1467.10"),
            new byte[] {1, 2, 3},
            Double.NaN,
            42L,
            true,
            "Büro \"quoted\"\nnext line",
            LocalDate.of(2024, 1, 31),
            address,
            Arrays.asList("a", null),
            attrs,
            List.of(address),
            "s3://b/sales/region=eu/part-0.parquet",
            7L)
        .build();
  }

  private static JsonNode parse(String line) throws Exception {
    return JSON.readTree(line);
  }

  @Test
  public void recordIsOneLineOfJson() throws Exception {
    String line =
        DeadLetter.ofRow(RejectReason.MISSING_KEY, "the partition key\nis null", sample()).toJson();

    assertFalse(line, line.contains("\n"));
    assertFalse(line, line.contains("\r"));
    JsonNode record = parse(line);
    assertEquals(
        List.of("reason", "message", "sourceFile", "sourceRow", "row"), fieldNames(record));
    assertEquals("MISSING_KEY", record.get("reason").asText());
    assertEquals("the partition key\nis null", record.get("message").asText());
    assertEquals("s3://b/sales/region=eu/part-0.parquet", record.get("sourceFile").asText());
    assertTrue(record.get("sourceRow").isIntegralNumber());
    assertEquals(7L, record.get("sourceRow").asLong());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  public void rowHoldsTheDataColumnsButNotTheSourceFields() throws Exception {
    JsonNode row =
        parse(DeadLetter.ofRow(RejectReason.MISSING_KEY, "m", sample()).toJson()).get("row");

    assertEquals(
        List.of(
            "id", "amount", "data", "score", "qty", "paid", "note", "day", "address", "tags",
            "attrs", "history"),
        fieldNames(row));
    assertFalse(row.has(SourceFields.FILE));
    assertFalse(row.has(SourceFields.ROW));
  }

  @Test
  public void valuesAreWrittenFaithfully() throws Exception {
    String line = DeadLetter.ofRow(RejectReason.NUMBER_NOT_REPRESENTABLE, "m", sample()).toJson();
    JsonNode row = parse(line).get("row");

    assertTrue(row.get("id").isNull());
    assertTrue(line, line.contains("\"amount\":1467.10"));
    assertTrue(row.get("amount").isBigDecimal());
    assertEquals("1467.10", row.get("amount").toString());
    assertEquals("AQID", row.get("data").asText());
    assertTrue(row.get("score").isTextual());
    assertEquals("NaN", row.get("score").asText());
    assertTrue(row.get("qty").isIntegralNumber());
    assertEquals(42L, row.get("qty").asLong());
    assertTrue(row.get("paid").isBoolean());
    assertTrue(row.get("paid").asBoolean());
    assertEquals("Büro \"quoted\"\nnext line", row.get("note").asText());
    assertEquals("2024-01-31", row.get("day").asText());
  }

  @Test
  public void nestedRowsMapsAndListsAreJson() throws Exception {
    JsonNode row =
        parse(DeadLetter.ofRow(RejectReason.MISSING_KEY, "m", sample()).toJson()).get("row");

    assertEquals(parse("{\"city\":\"Lyon\",\"floor\":null}"), row.get("address"));
    assertEquals(parse("[\"a\",null]"), row.get("tags"));
    assertEquals(parse("{\"x\":1,\"y\":null}"), row.get("attrs"));
    assertEquals(parse("[{\"city\":\"Lyon\",\"floor\":null}]"), row.get("history"));
  }

  @Test
  public void infiniteDoublesAreText() throws Exception {
    Schema schema =
        Schema.builder().addDoubleField("a").addDoubleField("b").addDoubleField("c").build();
    Row r =
        Row.withSchema(schema)
            .addValues(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1)
            .build();
    JsonNode row =
        parse(DeadLetter.ofRow(RejectReason.NUMBER_NOT_REPRESENTABLE, "m", r).toJson()).get("row");

    assertEquals("Infinity", row.get("a").asText());
    assertEquals("-Infinity", row.get("b").asText());
    assertTrue(row.get("c").isNumber());
    assertEquals("0.1", row.get("c").toString());
  }

  @Test
  public void rowWithoutSourceFieldsHasNullSource() throws Exception {
    Schema schema = Schema.builder().addStringField("id").build();
    JsonNode record =
        parse(
            DeadLetter.ofRow(
                    RejectReason.EMPTY_KEY, "m", Row.withSchema(schema).addValues("").build())
                .toJson());

    assertTrue(record.has("sourceFile"));
    assertTrue(record.get("sourceFile").isNull());
    assertTrue(record.has("sourceRow"));
    assertTrue(record.get("sourceRow").isNull());
    assertEquals("EMPTY_KEY", record.get("reason").asText());
    assertEquals(parse("{\"id\":\"\"}"), record.get("row"));
  }

  @Test
  public void nullSourceFieldValuesGiveNullSource() throws Exception {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addNullableField(SourceFields.FILE, FieldType.STRING)
            .addNullableField(SourceFields.ROW, FieldType.INT64)
            .build();
    JsonNode record =
        parse(
            DeadLetter.ofRow(
                    RejectReason.EMPTY_KEY,
                    "m",
                    Row.withSchema(schema).addValues("", null, null).build())
                .toJson());

    assertTrue(record.get("sourceFile").isNull());
    assertTrue(record.get("sourceRow").isNull());
  }

  @Test
  public void rowZeroIsKept() throws Exception {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addNullableField(SourceFields.FILE, FieldType.STRING)
            .addNullableField(SourceFields.ROW, FieldType.INT64)
            .build();
    JsonNode record =
        parse(
            DeadLetter.ofRow(
                    RejectReason.EMPTY_KEY,
                    "m",
                    Row.withSchema(schema).addValues("", "f", 0L).build())
                .toJson());

    assertEquals(0L, record.get("sourceRow").asLong());
    assertTrue(record.get("sourceRow").isIntegralNumber());
  }

  @Test
  public void floatIsWrittenAsItsShortestDecimal() throws Exception {
    Schema schema = Schema.builder().addFloatField("f").build();
    JsonNode row =
        parse(
                DeadLetter.ofRow(
                        RejectReason.MISSING_KEY,
                        "m",
                        Row.withSchema(schema).addValues(1.1f).build())
                    .toJson())
            .get("row");

    assertEquals("1.1", row.get("f").toString());
  }

  @Test
  public void theCoderCarriesARowWithItsSchemaAndAnItemWithItsAttributes() throws Exception {
    DeadLetter row = DeadLetter.ofRow(RejectReason.MISSING_KEY, "the key is null", sample());
    DeadLetter item =
        DeadLetter.ofItem(
            RejectReason.WRITE_FAILED,
            "not written",
            "s3://b/f.parquet",
            3,
            Map.of(
                "id",
                AttributeValue.fromS("k"),
                "l",
                AttributeValue.fromL(List.of(AttributeValue.fromN("1.5")))));

    for (DeadLetter d : List.of(row, item)) {
      DeadLetter back = CoderUtils.clone(DeadLetter.coder(), d);
      // The record a user reads is what matters: the same after a trip through the coder.
      assertEquals(d.toJson(), back.toJson());
      assertEquals(d.reason(), back.reason());
      assertEquals(d.sourceFile(), back.sourceFile());
      assertEquals(d.sourceRow(), back.sourceRow());
    }
    assertEquals("s3://b/sales/region=eu/part-0.parquet", row.sourceFile());
    assertEquals(7, row.sourceRow());
  }
}
