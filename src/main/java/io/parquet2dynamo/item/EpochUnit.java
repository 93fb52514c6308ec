package io.parquet2dynamo.item;

import java.math.BigInteger;
import java.time.Instant;

/**
 * Whole units since 1970-01-01T00:00:00Z, rounded down (towards the past, also before 1970): the
 * one conversion behind {@code --timestampFormat=epoch*} and the mapping file's {@code epoch*}
 * casts and {@code ttl}, so the two can never disagree on a value.
 */
public enum EpochUnit {
  SECONDS(1L, 1_000_000_000),
  MILLIS(1_000L, 1_000_000),
  MICROS(1_000_000L, 1_000);

  private final long perSecond;
  private final int nanosPerUnit;

  EpochUnit(long perSecond, int nanosPerUnit) {
    this.perSecond = perSecond;
    this.nanosPerUnit = nanosPerUnit;
  }

  /**
   * The exact count, however far the instant is: INT96 and nanosecond timestamps reach years where
   * microseconds overflow a long.
   */
  public BigInteger count(Instant instant) {
    // getEpochSecond is already the floor, since getNano is never negative.
    return BigInteger.valueOf(instant.getEpochSecond())
        .multiply(BigInteger.valueOf(perSecond))
        .add(BigInteger.valueOf(instant.getNano() / nanosPerUnit));
  }

  /**
   * The count as a long, for a column typed INT64.
   *
   * @throws ArithmeticException if it does not fit in a long
   */
  public long countExact(Instant instant) {
    return count(instant).longValueExact();
  }
}
