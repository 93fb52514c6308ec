package io.parquet2dynamo.sink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

/** Tests {@link Backoff}: exponential, capped, jittered below the ceiling. */
public class BackoffTest {
  @Test
  public void ceilingDoublesUpToTheCap() {
    Backoff backoff = new Backoff(100, 20_000, new Random(1));
    assertEquals(100, backoff.ceilingMillis(0));
    assertEquals(200, backoff.ceilingMillis(1));
    assertEquals(12_800, backoff.ceilingMillis(7));
    assertEquals(20_000, backoff.ceilingMillis(8));
    assertEquals(20_000, backoff.ceilingMillis(200));
  }

  @Test
  public void delaysSpreadBetweenZeroAndTheCeiling() {
    Backoff backoff = new Backoff(100, 20_000, new Random(7));
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 10_000; i++) {
      long d = backoff.delayMillis(3);
      min = Math.min(min, d);
      max = Math.max(max, d);
      assertTrue(d >= 0 && d <= 800);
    }
    assertTrue("full jitter reaches near zero: " + min, min < 10);
    assertTrue("and near the ceiling: " + max, max > 790);
  }
}
