package io.parquet2dynamo.sink;

import java.util.Random;

/**
 * Capped exponential backoff with full jitter (the AWS SDKs' and the AWS Architecture Blog's
 * recommendation): the n-th retry waits a random time between 0 and {@code min(cap, base × 2^n)},
 * so writers that were throttled together do not come back together.
 */
final class Backoff {
  private final long baseMillis;
  private final long capMillis;
  private final Random random;

  Backoff(long baseMillis, long capMillis, Random random) {
    this.baseMillis = baseMillis;
    this.capMillis = capMillis;
    this.random = random;
  }

  /** The wait before retry number {@code retry} (0 for the first retry), in milliseconds. */
  long delayMillis(int retry) {
    long ceiling = capMillis;
    if (retry < 30) {
      ceiling = Math.min(capMillis, baseMillis << retry);
    }
    return (long) (random.nextDouble() * (ceiling + 1));
  }

  /** The largest wait before retry number {@code retry}: what the jitter draws below. */
  long ceilingMillis(int retry) {
    return retry < 30 ? Math.min(capMillis, baseMillis << retry) : capMillis;
  }
}
