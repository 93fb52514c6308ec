package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import java.math.BigDecimal;
import org.apache.avro.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.Test;

/** Tests {@link IntDecimals}: INT32/INT64 decimals keep their scale through parquet-avro. */
public class IntDecimalsTest {

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

    assertTrue(IntDecimals.annotate(avro, parquet, "f.parquet"));

    assertEquals(Integer.valueOf(2), IntDecimals.scaleOf(avro.getField("price").schema()));
    assertEquals(
        Integer.valueOf(4), IntDecimals.scaleOf(avro.getField("total").schema().getTypes().get(1)));
    assertNull(IntDecimals.scaleOf(avro.getField("plain").schema()));
    Schema struct = avro.getField("s").schema().getTypes().get(1);
    assertEquals(Integer.valueOf(3), IntDecimals.scaleOf(struct.getField("d").schema()));
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
    IntDecimals.annotate(avro, parquet, "f.parquet");

    Schema reparsed = new Schema.Parser().parse(avro.toString());

    assertEquals(Integer.valueOf(2), IntDecimals.scaleOf(reparsed.getField("price").schema()));
  }

  @Test
  public void filesWithoutIntDecimalsAreLeftAlone() {
    MessageType parquet =
        MessageTypeParser.parseMessageType(
            "message m { required binary d (DECIMAL(9,2)); required int64 n; }");
    Schema avro = avroOf(parquet);
    String before = avro.toString();

    assertFalse(IntDecimals.annotate(avro, parquet, "f.parquet"));
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
            InvalidInputException.class, () -> IntDecimals.annotate(avro, parquet, "f.parquet"));
    assertTrue(e.getMessage(), e.getMessage().contains("f.parquet: column 'prices'"));
  }
}
