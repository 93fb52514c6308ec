package io.parquet2dynamo.transform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.source.SourceFields;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;

/** Tests {@link Mapping} and {@link MappingSpec} on rows built by hand. */
public class MappingTest {
  private static final Instant LOAD = Instant.parse("2026-11-25T12:00:00Z");

  private static final Schema INPUT =
      Schema.builder()
          .addStringField("order_id")
          .addInt32Field("line")
          .addDecimalField("amount")
          .addStringField("region")
          .addStringField("country")
          .addStringField("city")
          .addLogicalTypeField("ordered_at", new NanosInstant())
          .addInt32Field("qty")
          .addNullableField("price", FieldType.DOUBLE)
          .addNullableField(SourceFields.FILE, FieldType.STRING)
          .addNullableField(SourceFields.ROW, FieldType.INT64)
          .build();

  private static final String SPEC =
      "select: [order_id, line, amount, region, ordered_at]\n"
          + "rename: {order_id: pk, sk: sort_key}\n"
          + "cast: {line: string, ordered_at: epochSeconds}\n"
          + "filter: \"amount > 100 && region =^ 'e'\"\n"
          + "derive:\n"
          + "  sk: {template: \"{country}#{city}\"}\n"
          + "  total: {expr: \"qty * price\", type: number}\n"
          + "  source: \"'parquet'\"\n"
          + "  loaded: loadTime\n";

  private static MappingSpec spec(String yaml) {
    return MappingSpec.parse(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "m.yaml");
  }

  private static Row row(String region, String amount, Double price) {
    return Row.withSchema(INPUT)
        .addValues(
            "o-1",
            3,
            new BigDecimal(amount),
            region,
            "PT",
            "Lisbon",
            Instant.parse("2024-01-31T08:15:30.5Z"),
            4,
            price,
            "s3://b/f.parquet",
            7L)
        .build();
  }

  @Test
  public void theOutputSchemaIsDecidedOnce() {
    Mapping mapping = Mapping.compile(spec(SPEC), INPUT, LOAD);

    Schema out = mapping.outputSchema();
    assertEquals(
        java.util.List.of(
            "pk",
            "line",
            "amount",
            "region",
            "ordered_at",
            SourceFields.FILE,
            SourceFields.ROW,
            "sort_key",
            "total",
            "source",
            "loaded"),
        out.getFieldNames());
    assertEquals(FieldType.STRING, out.getField("line").getType());
    assertEquals(FieldType.INT64, out.getField("ordered_at").getType());
    assertEquals(FieldType.DECIMAL.withNullable(true), out.getField("total").getType());
  }

  @Test
  public void aRowIsFilteredDerivedCastAndRenamed() throws Exception {
    Mapping mapping = Mapping.compile(spec(SPEC), INPUT, LOAD);

    Row out = mapping.apply(row("eu", "150.25", 2.5));

    assertEquals("o-1", out.getString("pk"));
    assertEquals("3", out.getString("line"));
    assertEquals(new BigDecimal("150.25"), out.getDecimal("amount"));
    assertEquals(Long.valueOf(1706688930L), out.getInt64("ordered_at"));
    assertEquals("PT#Lisbon", out.getString("sort_key"));
    assertEquals(0, new BigDecimal("10").compareTo(out.getDecimal("total")));
    assertEquals("parquet", out.getString("source"));
    assertEquals("2026-11-25T12:00:00Z", out.getString("loaded"));
    assertEquals(Long.valueOf(7), out.getInt64(SourceFields.ROW));
  }

  @Test
  public void theFilterDropsRows() throws Exception {
    Mapping mapping = Mapping.compile(spec(SPEC), INPUT, LOAD);

    assertNull(mapping.apply(row("eu", "99.99", 1.0)));
    assertNull(mapping.apply(row("us", "500", 1.0)));
  }

  @Test
  public void anExpressionThatFailsOnARowIsATransformError() {
    Mapping mapping = Mapping.compile(spec(SPEC), INPUT, LOAD);

    TransformException e =
        assertThrows(TransformException.class, () -> mapping.apply(row("eu", "150", null)));
    assertTrue(e.getMessage(), e.getMessage().startsWith("derive.total: "));
  }

  @Test
  public void aCastThatCannotConvertIsATransformError() {
    Mapping mapping = Mapping.compile(spec("cast: {region: number}\n"), INPUT, LOAD);

    TransformException e =
        assertThrows(TransformException.class, () -> mapping.apply(row("eu", "1", 1.0)));
    assertEquals("region: cannot cast 'eu' to number", e.getMessage());
  }

  @Test
  public void unknownColumnsAreNamedWithTheKnownOnes() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> Mapping.compile(spec("select: [order_id, amout]\n"), INPUT, LOAD));
    assertTrue(e.getMessage(), e.getMessage().startsWith("--mapping: select: 'amout' is not"));
    assertTrue(e.getMessage(), e.getMessage().contains("[order_id, line, amount,"));

    e =
        assertThrows(
            InvalidInputException.class,
            () -> Mapping.compile(spec("filter: \"amout > 1\"\n"), INPUT, LOAD));
    assertTrue(e.getMessage(), e.getMessage().contains("filter uses 'amout'"));
  }

  @Test
  public void aBadExpressionPointsAtItsPosition() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> Mapping.compile(spec("filter: \"amount > > 1\"\n"), INPUT, LOAD));
    assertTrue(e.getMessage(), e.getMessage().startsWith("--mapping: filter: cannot parse"));
    assertTrue(e.getMessage(), e.getMessage().contains("at column"));
  }

  @Test
  public void anUnknownKeyInTheFileNamesTheKnownKeys() {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> spec("filtre: \"amount > 1\"\n"));
    assertTrue(e.getMessage(), e.getMessage().contains("property 'filtre' is not defined"));
    assertTrue(
        e.getMessage(), e.getMessage().contains("the keys are select, rename, cast, filter"));
  }

  @Test
  public void valuesOutsideTheSchemaAreNamedByTheirPath() {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> spec("cast: {amount: decimal}\n"));
    assertTrue(e.getMessage(), e.getMessage().contains("$.cast.amount"));
    e =
        assertThrows(
            InvalidInputException.class, () -> spec("join: {path: x, on: {a: b}, type: outer}\n"));
    assertTrue(e.getMessage(), e.getMessage().contains("$.join.type"));
  }

  @Test
  public void jsonFilesWorkToo() throws Exception {
    Mapping mapping =
        Mapping.compile(
            spec("{\"rename\": {\"order_id\": \"pk\"}, \"filter\": \"line == 3\"}"), INPUT, LOAD);

    assertEquals("o-1", mapping.apply(row("eu", "1", 1.0)).getString("pk"));
  }

  @Test
  public void binaryCastToStringIsUtf8Text() throws Exception {
    assertEquals("héllo", Cast.STRING.apply("héllo".getBytes(StandardCharsets.UTF_8), "c"));
    TransformException e =
        assertThrows(
            TransformException.class, () -> Cast.STRING.apply(new byte[] {(byte) 0xff, 0x41}, "c"));
    assertEquals("c: cannot cast binary that is not UTF-8 to string", e.getMessage());
  }
}
