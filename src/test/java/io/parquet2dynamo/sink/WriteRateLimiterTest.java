package io.parquet2dynamo.sink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Tests {@link WriteRateLimiter} on a fake clock that only moves when the limiter sleeps. */
public class WriteRateLimiterTest {
  /** A clock that advances by exactly the time slept, plus what a test adds. */
  private static final class FakeClock {
    long nanos = 1_000_000_000L;
    long slept;

    WriteRateLimiter limiter(double unitsPerSecond) {
      return new WriteRateLimiter(
          unitsPerSecond,
          () -> nanos,
          wait -> {
            nanos += wait;
            slept += wait;
          });
    }
  }

  @Test
  public void aSteadyStreamRunsAtTheRate() throws Exception {
    FakeClock clock = new FakeClock();
    WriteRateLimiter limiter = clock.limiter(100);

    // 1000 writes of 25 units at 100 units/s: 250 s, less the first write, which goes at once.
    for (int i = 0; i < 1000; i++) {
      limiter.acquire(25);
    }

    assertEquals(249.75, clock.slept / 1e9, 1e-6);
  }

  @Test
  public void noSecondExceedsTheRateByMoreThanOneWrite() throws Exception {
    FakeClock clock = new FakeClock();
    WriteRateLimiter limiter = clock.limiter(1000);
    long[] perSecond = new long[40];
    long start = clock.nanos;

    for (int i = 0; i < 30_000; i++) {
      limiter.acquire(1);
      int second = (int) ((clock.nanos - start) / 1_000_000_000L);
      if (second < perSecond.length) {
        perSecond[second]++;
      }
    }

    for (int s = 0; s < 29; s++) {
      assertTrue("second " + s + ": " + perSecond[s], perSecond[s] <= 1001);
      assertTrue("second " + s + ": " + perSecond[s], perSecond[s] >= 999);
    }
  }

  @Test
  public void idleTimeSavesAtMostATenthOfASecond() throws Exception {
    FakeClock clock = new FakeClock();
    WriteRateLimiter limiter = clock.limiter(100);
    limiter.acquire(1);
    clock.nanos += 60_000_000_000L; // a minute idle

    // 10 units saved (0.1 s at 100/s): the writes after the first 11 units must wait.
    for (int i = 0; i < 11; i++) {
      limiter.acquire(1);
    }
    assertEquals(0, clock.slept);
    limiter.acquire(1);
    assertEquals(10_000_000L, clock.slept);
  }

  @Test
  public void aWriteLargerThanASecondGoesAndIsPaidForAfterwards() throws Exception {
    FakeClock clock = new FakeClock();
    WriteRateLimiter limiter = clock.limiter(10);

    assertEquals(0, limiter.acquire(400)); // a 400 KB item at 10 units/s
    assertEquals(40_000_000_000L, limiter.acquire(1));
  }

  @Test
  public void refundsReturnUnusedUnits() throws Exception {
    FakeClock clock = new FakeClock();
    WriteRateLimiter limiter = clock.limiter(10);
    limiter.acquire(20);
    limiter.refund(20);

    assertEquals(0, limiter.acquire(1));
  }

  @Test
  public void theRateMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new FakeClock().limiter(0));
  }
}
