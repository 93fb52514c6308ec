package io.parquet2dynamo.item;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.ItemFormat.Nulls;
import io.parquet2dynamo.item.ItemFormat.Timestamps;
import java.time.Instant;
import org.junit.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Tests {@link ItemFormat}: parsing the options and writing timestamps in each form. */
public class ItemFormatTest {
  private static final Instant T = Instant.parse("2024-01-31T08:15:30.123456789Z");

  @Test
  public void blankOrAbsentOptionsMeanTheDefaults() {
    ItemFormat format = ItemFormat.of(null, " ");
    assertEquals(Timestamps.ISO, format.timestamps());
    assertEquals(Nulls.OMIT, format.nulls());
  }

  @Test
  public void parsesEveryValueByItsOptionSpelling() {
    assertEquals(Timestamps.EPOCH_SECONDS, ItemFormat.of("epochSeconds", null).timestamps());
    assertEquals(Timestamps.EPOCH_MILLIS, ItemFormat.of("epochMillis", null).timestamps());
    assertEquals(Timestamps.EPOCH_MICROS, ItemFormat.of("epochMicros", null).timestamps());
    assertEquals(Nulls.NULL, ItemFormat.of(null, "null").nulls());
  }

  @Test
  public void anUnknownValueNamesTheOptionAndTheValidOnes() {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ItemFormat.of("epochNanos", null));
    assertEquals(
        "--timestampFormat=epochNanos is not a valid value; use one of iso, epochSeconds, "
            + "epochMillis, epochMicros",
        e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> ItemFormat.of(null, "NULL"));
    assertTrue(e.getMessage(), e.getMessage().endsWith("use one of omit, null"));
  }

  @Test
  public void isoHasTheColumnsNumberOfFractionDigits() {
    assertEquals(
        AttributeValue.fromS("2024-01-31T08:15:30.123456789Z"), Timestamps.ISO.write(T, 9));
    Instant second = Instant.parse("2024-01-31T08:15:30Z");
    assertEquals(AttributeValue.fromS("2024-01-31T08:15:30.000Z"), Timestamps.ISO.write(second, 3));
    assertEquals(
        AttributeValue.fromS("2024-01-31T08:15:30.000000Z"), Timestamps.ISO.write(second, 6));
    assertEquals(
        AttributeValue.fromS("2024-01-31T08:15:30.120000Z"),
        Timestamps.ISO.write(Instant.parse("2024-01-31T08:15:30.12Z"), 6));
  }

  @Test
  public void epochFormsCountWholeUnitsRoundedDown() {
    // The ISO digits do not apply.
    assertEquals(AttributeValue.fromN("1706688930"), Timestamps.EPOCH_SECONDS.write(T, 3));
    assertEquals(AttributeValue.fromN("1706688930123"), Timestamps.EPOCH_MILLIS.write(T, 9));
    assertEquals(AttributeValue.fromN("1706688930123456"), Timestamps.EPOCH_MICROS.write(T, 9));
  }

  @Test
  public void beforeTheEpochRoundsTowardsThePast() {
    // 1969-12-31T23:59:59.9995Z is 0.5 ms before the epoch: -1 ms, -1 s.
    Instant t = Instant.parse("1969-12-31T23:59:59.999500Z");
    assertEquals(AttributeValue.fromN("-1"), Timestamps.EPOCH_SECONDS.write(t, 6));
    assertEquals(AttributeValue.fromN("-1"), Timestamps.EPOCH_MILLIS.write(t, 6));
    assertEquals(AttributeValue.fromN("-500"), Timestamps.EPOCH_MICROS.write(t, 6));
    assertEquals(AttributeValue.fromS("1969-12-31T23:59:59.999500Z"), Timestamps.ISO.write(t, 6));
  }

  @Test
  public void farFutureTimestampsKeepEveryDigit() {
    // INT96 from Spark reaches 9999-12-31 (parquet-testing int96_from_spark.md).
    Instant t = Instant.parse("9999-12-31T03:00:00Z");
    assertEquals(AttributeValue.fromN("253402225200000000"), Timestamps.EPOCH_MICROS.write(t, 9));
    assertEquals(
        AttributeValue.fromS("9999-12-31T03:00:00.000000000Z"), Timestamps.ISO.write(t, 9));
  }
}
