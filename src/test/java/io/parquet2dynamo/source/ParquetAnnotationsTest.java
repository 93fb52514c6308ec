package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.apache.avro.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.Test;

/**
 * Tests {@link ParquetAnnotations}: INT32/INT64 decimals, unsigned integers and nanosecond times
 * keep their meaning through parquet-avro.
 */
public class ParquetAnnotationsTest {

  private static Schema avroOf(MessageType parquet) {
    return new AvroSchemaConverter(ParquetReadConfig.hadoopConfiguration()).convert(parquet);
  }

  @Test
  public void marksTopLevelAndNestedStructDecimals() {
    MessageType parquet =
        MessageTypeParser.parseMessageType(
            "message m { required int32 price (DECIMAL(9,2)); optional int64 total (DECIMAL(18,4));"
                + " required int32 plain; optional group s { required int64 d (DECIMAL(10,3)); } }");
    Schema avro = avroOf(parquet);

    assertTrue(ParquetAnnotations.annotate(avro, parquet, "f.parquet"));

    assertEquals(Integer.valueOf(2), ParquetAnnotations.scaleOf(avro.getField("price").schema()));
    assertEquals(
        Integer.valueOf(4),
        ParquetAnnotations.scaleOf(avro.getField("total").schema().getTypes().get(1)));
    assertNull(ParquetAnnotations.scaleOf(avro.getField("plain").schema()));
    Schema struct = avro.getField("s").schema().getTypes().get(1);
    assertEquals(Integer.valueOf(3), ParquetAnnotations.scaleOf(struct.getField("d").schema()));
    // The Beam schema and values follow the mark.
    org.apache.beam.sdk.schemas.Schema beam = AvroRows.toBeamSchema(avro, "f.parquet");
    assertEquals(FieldType.DECIMAL, beam.getField("price").getType());
    assertEquals(FieldType.INT32, beam.getField("plain").getType());
    assertEquals(
        new BigDecimal("1.05"),
        AvroRows.converter(avro.getField("price").schema(), FieldType.DECIMAL).convert(105));
    assertEquals(
        new BigDecimal("-0.0001"),
        AvroRows.converter(avro.getField("total").schema(), FieldType.DECIMAL).convert(-1L));
  }

  @Test
  public void theMarkSurvivesTheSchemaTextTheReaderIsGiven() {
    MessageType parquet =
        MessageTypeParser.parseMessageType("message m { required int32 price (DECIMAL(9,2)); }");
    Schema avro = avroOf(parquet);
    ParquetAnnotations.annotate(avro, parquet, "f.parquet");

    Schema reparsed = new Schema.Parser().parse(avro.toString());

    assertEquals(
        Integer.valueOf(2), ParquetAnnotations.scaleOf(reparsed.getField("price").schema()));
  }

  @Test
  public void filesWithoutMarkedColumnsAreLeftAlone() {
    MessageType parquet =
        MessageTypeParser.parseMessageType(
            "message m { required binary d (DECIMAL(9,2)); required int64 n;"
                + " required int32 i (INTEGER(32,true)); required int64 ts (TIMESTAMP(MICROS,true));"
                + " required int32 u8 (UINT_8); required int32 u16 (INTEGER(16,false)); }");
    Schema avro = avroOf(parquet);
    String before = avro.toString();

    assertFalse(ParquetAnnotations.annotate(avro, parquet, "f.parquet"));
    assertEquals(before, avro.toString());
  }

  @Test
  public void intDecimalsInsideAListAreRefusedNotMisread() {
    MessageType parquet =
        MessageTypeParser.parseMessageType(
            "message m { optional group prices (LIST) { repeated group list {"
                + " optional int32 element (DECIMAL(9,2)); } } }");
    Schema avro = avroOf(parquet);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ParquetAnnotations.annotate(avro, parquet, "f.parquet"));
    assertTrue(e.getMessage(), e.getMessage().contains("f.parquet: column 'prices'"));
  }

  /** The Beam value {@code avroValue} of column {@code name} becomes, after annotating. */
  private static Object read(Schema avro, String name, Object avroValue) {
    Schema fieldSchema = avro.getField(name).schema();
    FieldType type = AvroRows.toBeamType(fieldSchema, name, "f.parquet");
    return AvroRows.converter(fieldSchema, type).convert(avroValue);
  }

  private static FieldType beamType(Schema avro, String name) {
    return AvroRows.toBeamType(avro.getField(name).schema(), name, "f.parquet");
  }

  @Test
  public void unsignedIntegersReadAsTheirValueNotTheirBitPattern() {
    MessageType parquet =
        MessageTypeParser.parseMessageType(
            "message m { required int32 u32 (INTEGER(32,false)); optional int64 u64 (UINT_64);"
                + " required int32 legacy32 (UINT_32); required int32 u8 (UINT_8);"
                + " required int32 u16 (INTEGER(16,false)); required int32 s32 (INTEGER(32,true));"
                + " required int64 s64 (INTEGER(64,true)); }");
    Schema avro = avroOf(parquet);

    assertTrue(ParquetAnnotations.annotate(avro, parquet, "f.parquet"));

    assertEquals(FieldType.INT64, beamType(avro, "u32"));
    assertEquals(4294967295L, read(avro, "u32", -1));
    assertEquals(2147483648L, read(avro, "legacy32", Integer.MIN_VALUE));
    assertEquals(7L, read(avro, "u32", 7));
    assertEquals(FieldType.DECIMAL.withNullable(true), beamType(avro, "u64"));
    assertEquals(new BigDecimal("18446744073709551615"), read(avro, "u64", -1L));
    assertEquals(new BigDecimal("9223372036854775808"), read(avro, "u64", Long.MIN_VALUE));
    assertEquals(new BigDecimal("42"), read(avro, "u64", 42L));
    assertNull(read(avro, "u64", null));
    // 8- and 16-bit unsigned values fit an int as they are: nothing to mark.
    assertNull(ParquetAnnotations.kindOf(avro.getField("u8").schema()));
    assertEquals(FieldType.INT32, beamType(avro, "u8"));
    assertEquals(255, read(avro, "u8", 255));
    assertEquals(65535, read(avro, "u16", 65535));
    // Signed integers are untouched.
    assertNull(ParquetAnnotations.kindOf(avro.getField("s32").schema()));
    assertNull(ParquetAnnotations.kindOf(avro.getField("s64").schema()));
    assertEquals(FieldType.INT32, beamType(avro, "s32"));
    assertEquals(-1, read(avro, "s32", -1));
    assertEquals(-1L, read(avro, "s64", -1L));
  }

  @Test
  public void nanosecondTimestampsAndTimesKeepEveryNanosecond() {
    MessageType parquet =
        MessageTypeParser.parseMessageType(
            "message m { required int64 ts (TIMESTAMP(NANOS,true));"
                + " optional int64 local (TIMESTAMP(NANOS,false));"
                + " required int64 t (TIME(NANOS,true)); required int64 micros (TIMESTAMP(MICROS,true));"
                + " }");
    Schema avro = avroOf(parquet);

    assertTrue(ParquetAnnotations.annotate(avro, parquet, "f.parquet"));

    assertEquals(FieldType.logicalType(new NanosInstant()), beamType(avro, "ts"));
    assertEquals(
        Instant.parse("2024-01-31T08:15:30.123456789Z"), read(avro, "ts", 1706688930123456789L));
    // Before the epoch the nanoseconds count forward from the earlier second.
    assertEquals(Instant.parse("1969-12-31T23:59:59.999999999Z"), read(avro, "ts", -1L));
    assertEquals(
        Instant.parse("1969-12-31T23:59:58.500000001Z"), read(avro, "ts", -1_499_999_999L));
    assertEquals(
        FieldType.logicalType(SqlTypes.DATETIME).withNullable(true), beamType(avro, "local"));
    assertEquals(
        LocalDateTime.of(2024, 1, 31, 8, 15, 30, 123456789),
        read(avro, "local", 1706688930123456789L));
    assertEquals(FieldType.logicalType(SqlTypes.TIME), beamType(avro, "t"));
    assertEquals(LocalTime.of(8, 15, 30, 123456789), read(avro, "t", 29730123456789L));
    // parquet-avro already reads microseconds as timestamp-micros: not marked.
    assertNull(ParquetAnnotations.kindOf(avro.getField("micros").schema()));
    assertEquals(FieldType.logicalType(SqlTypes.TIMESTAMP), beamType(avro, "micros"));
  }

  @Test
  public void everyKindIsMarkedInNestedStructsAndSurvivesTheSchemaText() {
    MessageType parquet =
        MessageTypeParser.parseMessageType(
            "message m { required int32 price (DECIMAL(9,2)); optional group s {"
                + " optional int32 u32 (UINT_32); optional int64 u64 (INTEGER(64,false));"
                + " optional int64 ts (TIMESTAMP(NANOS,true)); optional int64 local"
                + " (TIMESTAMP(NANOS,false)); optional int64 t (TIME(NANOS,false)); } }");
    Schema avro = avroOf(parquet);
    assertTrue(ParquetAnnotations.annotate(avro, parquet, "f.parquet"));

    Schema reparsed = new Schema.Parser().parse(avro.toString());

    assertEquals(
        ParquetAnnotations.Kind.DECIMAL,
        ParquetAnnotations.kindOf(reparsed.getField("price").schema()));
    Schema struct = reparsed.getField("s").schema().getTypes().get(1);
    assertEquals(
        ParquetAnnotations.Kind.UINT32,
        ParquetAnnotations.kindOf(struct.getField("u32").schema().getTypes().get(1)));
    assertEquals(
        ParquetAnnotations.Kind.UINT64,
        ParquetAnnotations.kindOf(struct.getField("u64").schema().getTypes().get(1)));
    assertEquals(
        ParquetAnnotations.Kind.TIMESTAMP_NANOS,
        ParquetAnnotations.kindOf(struct.getField("ts").schema().getTypes().get(1)));
    assertEquals(
        ParquetAnnotations.Kind.LOCAL_TIMESTAMP_NANOS,
        ParquetAnnotations.kindOf(struct.getField("local").schema().getTypes().get(1)));
    assertEquals(
        ParquetAnnotations.Kind.TIME_NANOS,
        ParquetAnnotations.kindOf(struct.getField("t").schema().getTypes().get(1)));
    // The Beam schema of the reparsed text is the annotated one.
    assertEquals(
        AvroRows.toBeamSchema(avro, "f.parquet"), AvroRows.toBeamSchema(reparsed, "f.parquet"));
    org.apache.beam.sdk.schemas.Schema nested =
        AvroRows.toBeamSchema(reparsed, "f.parquet").getField("s").getType().getRowSchema();
    assertEquals(FieldType.INT64.withNullable(true), nested.getField("u32").getType());
    assertEquals(
        FieldType.logicalType(new NanosInstant()).withNullable(true),
        nested.getField("ts").getType());
  }

  @Test
  public void unsignedIntegersInsideAListAreRefusedNotMisread() {
    MessageType parquet =
        MessageTypeParser.parseMessageType(
            "message m { required int32 id; optional group counts (LIST) { repeated group list {"
                + " optional int32 element (UINT_32); } } }");
    Schema avro = avroOf(parquet);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ParquetAnnotations.annotate(avro, parquet, "f.parquet"));
    assertTrue(e.getMessage(), e.getMessage().contains("f.parquet: column 'counts'"));
    assertTrue(e.getMessage(), e.getMessage().contains("unsigned 32-bit integers"));
  }

  @Test
  public void nanosecondTimestampsInsideAMapAreRefusedNotMisread() {
    MessageType parquet =
        MessageTypeParser.parseMessageType(
            "message m { optional group seen (MAP) { repeated group key_value {"
                + " required binary key (STRING); optional int64 value (TIMESTAMP(NANOS,true)); } } }");
    Schema avro = avroOf(parquet);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ParquetAnnotations.annotate(avro, parquet, "f.parquet"));
    assertTrue(e.getMessage(), e.getMessage().contains("f.parquet: column 'seen'"));
    assertTrue(e.getMessage(), e.getMessage().contains("timestamps in nanoseconds"));
  }

  @Test
  public void aRepeatedUnsignedColumnIsAListAndIsRefused() {
    // parquet-avro's own conversion refuses repeated fields outside LIST/MAP, but a file may carry
    // the Avro schema it was written with, which reads such a legacy list as an Avro array.
    MessageType parquet =
        MessageTypeParser.parseMessageType("message m { repeated int64 ids (UINT_64); }");
    Schema avro =
        new Schema.Parser()
            .parse(
                "{\"type\": \"record\", \"name\": \"m\", \"fields\": [{\"name\": \"ids\","
                    + " \"type\": {\"type\": \"array\", \"items\": \"long\"}}]}");

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ParquetAnnotations.annotate(avro, parquet, "f.parquet"));
    assertTrue(e.getMessage(), e.getMessage().contains("f.parquet: column 'ids'"));
  }

  @Test
  public void smallUnsignedIntegersInsideAListNeedNoMarkAndAreRead() {
    MessageType parquet =
        MessageTypeParser.parseMessageType(
            "message m { optional group bytes (LIST) { repeated group list {"
                + " optional int32 element (UINT_8); } } }");
    Schema avro = avroOf(parquet);

    assertFalse(ParquetAnnotations.annotate(avro, parquet, "f.parquet"));
    assertEquals(
        FieldType.array(FieldType.INT32.withNullable(true)).withNullable(true),
        beamType(avro, "bytes"));
  }
}
