package io.parquet2dynamo.item;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.math.BigInteger;
import java.time.Instant;
import org.junit.Test;

/** Tests {@link EpochUnit}: whole units since the epoch, rounded towards the past. */
public class EpochUnitTest {
  @Test
  public void roundsDownAfterAndBefore1970() {
    Instant after = Instant.parse("2024-01-31T08:15:30.123456789Z");
    assertEquals(BigInteger.valueOf(1706688930L), EpochUnit.SECONDS.count(after));
    assertEquals(BigInteger.valueOf(1706688930123L), EpochUnit.MILLIS.count(after));
    assertEquals(BigInteger.valueOf(1706688930123456L), EpochUnit.MICROS.count(after));

    Instant before = Instant.parse("1969-12-31T23:59:59.999Z");
    assertEquals(BigInteger.valueOf(-1), EpochUnit.SECONDS.count(before));
    assertEquals(BigInteger.valueOf(-1), EpochUnit.MILLIS.count(before));
    assertEquals(BigInteger.valueOf(-1000), EpochUnit.MICROS.count(before));
  }

  @Test
  public void theExactCountRefusesWhatALongCannotHold() {
    // Year +300000: microseconds beyond a long, as INT96 and nanosecond timestamps can reach.
    Instant far = Instant.parse("+300000-01-01T00:00:00Z");
    assertEquals("9404918380800000000", EpochUnit.MICROS.count(far).toString());
    assertThrows(ArithmeticException.class, () -> EpochUnit.MICROS.countExact(far));
    assertEquals(9404918380800L, EpochUnit.SECONDS.countExact(far));
  }
}
