package io.parquet2dynamo.sink;

import java.util.function.LongSupplier;

/**
 * Paces one stream of writes to a rate in write capacity units per second. A write of any size is
 * let through as soon as the previous writes are paid for, and the stream then owes its cost: the
 * next write waits until the debt is repaid at the rate. So over any interval the stream writes at
 * most {@code rate × interval + burst}, where the burst is one write plus at most {@link
 * #MAX_SAVED_SECONDS} of unused rate (so an idle stream cannot save up a flood).
 *
 * <p>Not thread-safe: one instance paces one sequential stream ({@link #shared} gives the one pace
 * of a process). Time and sleeping are injected so tests can use a fake clock.
 */
class WriteRateLimiter {
  /** How much unused capacity an idle stream may save, in seconds of its rate. */
  static final double MAX_SAVED_SECONDS = 0.1;

  /** Sleeps for a number of nanoseconds. */
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final double unitsPerNano;
  private final LongSupplier clock;
  private final Sleeper sleeper;

  /** Capacity available now: positive when saved up, negative when owed. */
  private double balance;

  private long last;

  WriteRateLimiter(double unitsPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
    if (!(unitsPerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive: " + unitsPerSecond);
    }
    this.unitsPerNano = unitsPerSecond / 1e9;
    this.clock = nanoClock;
    this.sleeper = sleeper;
    this.last = nanoClock.getAsLong();
  }

  private static final java.util.Map<String, WriteRateLimiter> SHARED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The one pace of this process for the write {@code id}: every writer thread of the process takes
   * its turn from it. Threads wait on one another while one waits its turn, which is the point: the
   * process's writes together keep to the rate.
   */
  static WriteRateLimiter shared(String id, double unitsPerSecond) {
    return SHARED.computeIfAbsent(id, k -> new Synchronized(unitsPerSecond));
  }

  /** A limiter that several threads share. */
  private static final class Synchronized extends WriteRateLimiter {
    Synchronized(double unitsPerSecond) {
      super(
          unitsPerSecond,
          System::nanoTime,
          nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    @Override
    synchronized long acquire(double units) throws InterruptedException {
      return super.acquire(units);
    }

    @Override
    synchronized void refund(double units) {
      super.refund(units);
    }
  }

  /** A limiter on the system clock. */
  static WriteRateLimiter of(double unitsPerSecond) {
    return new WriteRateLimiter(
        unitsPerSecond,
        System::nanoTime,
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  /** Waits until a write of {@code units} may go, then charges it; returns the nanos waited. */
  long acquire(double units) throws InterruptedException {
    refill();
    long waited = 0;
    if (balance < 0) {
      long wait = (long) Math.ceil(-balance / unitsPerNano);
      sleeper.sleepNanos(wait);
      waited = wait;
      refill();
    }
    balance -= units;
    return waited;
  }

  /** Takes back {@code units} charged for writes that did not happen (e.g. a refused request). */
  void refund(double units) {
    balance = Math.min(balance + units, maxSaved());
  }

  private void refill() {
    long now = clock.getAsLong();
    balance = Math.min(balance + (now - last) * unitsPerNano, maxSaved());
    last = now;
  }

  private double maxSaved() {
    return MAX_SAVED_SECONDS * 1e9 * unitsPerNano;
  }
}
