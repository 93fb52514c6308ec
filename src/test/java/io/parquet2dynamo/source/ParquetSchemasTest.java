package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.IsoTimestamps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.Test;

/**
 * Tests {@link ParquetSchemas}: what each Parquet type becomes, decided from the Parquet schema.
 */
public class ParquetSchemasTest {

  private static Schema schema(String fields) {
    return ParquetSchemas.toBeamSchema(
        MessageTypeParser.parseMessageType("message m { " + fields + " }"), "f.parquet");
  }

  private static FieldType type(String field) {
    return schema(field).getField(0).getType();
  }

  @Test
  public void scalarTypes() {
    assertEquals(FieldType.BOOLEAN, type("required boolean a;"));
    assertEquals(FieldType.INT32.withNullable(true), type("optional int32 a;"));
    assertEquals(FieldType.INT32, type("required int32 a (INTEGER(8,true));"));
    assertEquals(FieldType.INT32, type("required int32 a (INTEGER(16,false));"));
    assertEquals(FieldType.INT64, type("required int32 a (INTEGER(32,false));"));
    assertEquals(FieldType.DECIMAL, type("required int64 a (INTEGER(64,false));"));
    assertEquals(FieldType.INT64, type("required int64 a;"));
    assertEquals(FieldType.DECIMAL, type("required int32 a (DECIMAL(9,2));"));
    assertEquals(FieldType.DECIMAL, type("required int64 a (DECIMAL(18,2));"));
    assertEquals(FieldType.DECIMAL, type("required binary a (DECIMAL(30,2));"));
    assertEquals(FieldType.DECIMAL, type("required fixed_len_byte_array(16) a (DECIMAL(38,2));"));
    assertEquals(FieldType.FLOAT, type("required float a;"));
    assertEquals(FieldType.DOUBLE, type("required double a;"));
    assertEquals(FieldType.STRING, type("required binary a (STRING);"));
    assertEquals(FieldType.STRING, type("required binary a (UTF8);"));
    assertEquals(FieldType.STRING, type("required binary a (ENUM);"));
    assertEquals(FieldType.STRING, type("required binary a (JSON);"));
    assertEquals(FieldType.STRING, type("required fixed_len_byte_array(16) a (UUID);"));
    assertEquals(FieldType.BYTES, type("required binary a;"));
    assertEquals(FieldType.BYTES, type("required fixed_len_byte_array(4) a;"));
  }

  @Test
  public void dateTimeTypes() {
    assertEquals(FieldType.logicalType(SqlTypes.DATE), type("required int32 a (DATE);"));
    assertEquals(
        FieldType.logicalType(SqlTypes.TIME), type("required int32 a (TIME(MILLIS,true));"));
    assertEquals(
        FieldType.logicalType(SqlTypes.TIME), type("required int64 a (TIME(NANOS,false));"));
    String utc = new NanosInstant().getIdentifier();
    for (String unit : new String[] {"MILLIS", "MICROS", "NANOS"}) {
      assertEquals(
          utc,
          type("required int64 a (TIMESTAMP(" + unit + ",true));")
              .getLogicalType()
              .getIdentifier());
      // Not UTC-adjusted is taken as UTC, as the type contract says.
      assertEquals(
          utc,
          type("required int64 a (TIMESTAMP(" + unit + ",false));")
              .getLogicalType()
              .getIdentifier());
    }
    assertEquals(utc, type("required int96 a;").getLogicalType().getIdentifier());
  }

  @Test
  public void timestampsAreMarkedWithTheirUnitsFractionDigits() {
    assertEquals(3, IsoTimestamps.digitsOf(type("required int64 a (TIMESTAMP(MILLIS,true));")));
    assertEquals(6, IsoTimestamps.digitsOf(type("optional int64 a (TIMESTAMP(MICROS,false));")));
    assertEquals(9, IsoTimestamps.digitsOf(type("required int64 a (TIMESTAMP(NANOS,true));")));
    assertEquals(9, IsoTimestamps.digitsOf(type("required int96 a;")));
    // Inside a list, each element's type carries it.
    assertEquals(
        3,
        IsoTimestamps.digitsOf(
            type("optional group a (LIST) { repeated group list {"
                    + " optional int64 element (TIMESTAMP(MILLIS,true)); } }")
                .getCollectionElementType()));
  }

  @Test
  public void listLayouts() {
    FieldType ints = FieldType.array(FieldType.INT32.withNullable(true));
    // Standard 3-level list with optional elements.
    assertEquals(
        ints.withNullable(true),
        type("optional group a (LIST) { repeated group list { optional int32 element; } }"));
    // 2-level: the repeated primitive is the element.
    assertEquals(
        FieldType.array(FieldType.INT32),
        type("required group a (LIST) { repeated int32 element; }"));
    // 2-level: a repeated group named "array" or "<name>_tuple", or of several fields, is the
    // element.
    Schema pair = Schema.builder().addInt32Field("x").addInt32Field("y").build();
    assertEquals(
        FieldType.array(FieldType.row(pair)),
        type(
            "required group a (LIST) { repeated group pair { required int32 x; required int32 y; } }"));
    Schema one = Schema.builder().addInt32Field("x").build();
    assertEquals(
        FieldType.array(FieldType.row(one)),
        type("required group a (LIST) { repeated group array { required int32 x; } }"));
    assertEquals(
        FieldType.array(FieldType.row(one)),
        type("required group a (LIST) { repeated group a_tuple { required int32 x; } }"));
    // A repeated field without annotation is a list of its values.
    assertEquals(FieldType.array(FieldType.STRING), type("repeated binary a (STRING);"));
  }

  @Test
  public void mapLayouts() {
    assertEquals(
        FieldType.map(FieldType.STRING, FieldType.INT64.withNullable(true)),
        type(
            "required group a (MAP) { repeated group key_value { required binary key (STRING);"
                + " optional int64 value; } }"));
    // Keys of other types are kept; the item mapper writes them by their string form.
    assertEquals(
        FieldType.map(FieldType.INT32, FieldType.INT32.withNullable(true)),
        type(
            "required group a (MAP) { repeated group key_value { required int32 key;"
                + " optional int32 value; } }"));
    // A map without values is the list of its keys.
    assertEquals(
        FieldType.array(FieldType.INT32),
        type("required group a (MAP) { repeated group key_value { required int32 key; } }"));
  }

  @Test
  public void namesAvroRefusesAreKept() {
    MessageType message =
        Types.buildMessage()
            .required(PrimitiveTypeName.INT32)
            .named("order-id")
            .optional(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("Order Date")
            .named("");
    Schema s = ParquetSchemas.toBeamSchema(message, "f.parquet");
    assertEquals(2, s.getFieldCount());
    assertEquals("order-id", s.getField(0).getName());
    assertEquals("Order Date", s.getField(1).getName());
  }

  @Test
  public void malformedListIsAClearError() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> type("required group a (LIST) { required int32 x; }"));
    assertTrue(e.getMessage(), e.getMessage().contains("f.parquet: column 'a'"));
  }

  private static Binary int96(long nanosOfDay, int julianDay) {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(nanosOfDay).putInt(julianDay);
    return Binary.fromConstantByteArray(b.array());
  }

  @Test
  public void int96DecodesAsSparkWroteIt() {
    // Values from parquet-testing's int96_from_spark.md, as microseconds since the epoch.
    long[] micros = {
      1704141296123456L, 1704070800000000L, 253402225200000000L, 9089380393200000000L
    };
    for (long m : micros) {
      long seconds = Math.floorDiv(m, 1_000_000L);
      long epochDay = Math.floorDiv(seconds, 86_400L);
      long nanosOfDay =
          (seconds - epochDay * 86_400L) * 1_000_000_000L + Math.floorMod(m, 1_000_000L) * 1000L;
      Instant expected = Instant.ofEpochSecond(seconds, Math.floorMod(m, 1_000_000L) * 1000L);
      assertEquals(
          expected, RowMaterializer.int96(int96(nanosOfDay, (int) (epochDay + 2_440_588L))));
    }
    assertEquals(
        Instant.parse("2024-01-01T12:34:56.123456Z"),
        RowMaterializer.int96(int96(45_296_123_456_000L, 2_460_311)));
  }

  @Test
  public void int96PastTheYear287500DecodesAsSparkWroteIt() {
    // What Spark's DateTimeUtils.toJulianDay writes for the last value of int96_from_spark.md,
    // 290000-12-31T01:00:00+02:00: its Julian microseconds overflow 64 bits and wrap, leaving a
    // negative day and negative nanoseconds. Read as unsigned or exactly, that is another year.
    long micros = 9089380393200000000L;
    long julianMicros = micros + 2_440_588L * 86_400_000_000L;
    int julianDay = (int) (julianMicros / 86_400_000_000L);
    long nanosOfDay = julianMicros % 86_400_000_000L * 1000L;
    assertTrue(julianDay < 0 && nanosOfDay < 0);
    assertEquals(
        Instant.parse("+290000-12-30T23:00:00Z"),
        RowMaterializer.int96(int96(nanosOfDay, julianDay)));
    // Impala's INT96 carries nanoseconds; they are kept.
    assertEquals(
        Instant.parse("1969-12-31T23:59:59.999999999Z"),
        RowMaterializer.int96(int96(86_399_999_999_999L, 2_440_587)));
  }
}
