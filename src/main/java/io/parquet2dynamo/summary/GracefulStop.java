package io.parquet2dynamo.summary;

import io.parquet2dynamo.Errors;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Stops a running load cleanly on SIGTERM (a scheduler's timeout, {@code kill}) or SIGINT (Ctrl-C):
 * the load stops reading and writing, and the job prints and writes its summary with {@code status:
 * "INTERRUPTED"} and the counts so far, then exits with {@value #EXIT_CODE}.
 *
 * <p>How: while the load runs, this handles the two signals itself (in place of the JVM's default
 * handler, which would run the shutdown hooks and exit at once, leaving the summary file at {@code
 * RUNNING}). On a signal it cancels the {@link PipelineResult}: the DirectRunner stops its worker
 * threads, interrupting requests in flight; the SparkRunner ({@code SparkPipelineResult.cancel})
 * stops the Spark context, which cancels its running tasks. The main thread, waiting in {@link
 * #follow}, then returns at once, or after {@value #CANCEL_WAIT_MILLIS} ms at most if the runner is
 * slow to stop, and {@link #report} writes the summary from the counters as they stand: for each,
 * the greater of the runner's attempted value and this JVM's tally ({@link LoadMetrics#tally}),
 * since the runners hand over a bundle's or a task's counts only when it ends. Bounds:
 *
 * <ul>
 *   <li>a second signal exits at once, with {@value #EXIT_CODE} and no summary;
 *   <li>{@value #HARD_LIMIT_MILLIS} ms after the first signal, the JVM halts with {@value
 *       #EXIT_CODE} whatever it is doing (a summary that cannot be written to S3 in time, say), so
 *       the job never outlives a scheduler's grace period by much.
 * </ul>
 *
 * <p>Where the JVM does not let a program handle a signal (run with {@code -Xrs}, or SIGINT of a
 * background job a shell set to be ignored) the default behaviour stays.
 */
public final class GracefulStop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

  /**
   * The exit code of an interrupted load: 128 + 15, what a shell reports for a process SIGTERM
   * ended, and so what a scheduler that sent SIGTERM expects; one code for SIGINT too, so that
   * "interrupted, summary written, run again" has one number.
   */
  public static final int EXIT_CODE = 143;

  /** How long the runner gets to stop after the cancel, before the summary is written anyway. */
  static final long CANCEL_WAIT_MILLIS = 5_000;

  /** When the JVM halts after the first signal, summary written or not. */
  static final long HARD_LIMIT_MILLIS = 20_000;

  private static final List<String> SIGNALS = List.of("TERM", "INT");

  private final PrintStream err;
  private final IntConsumer halt;
  private final AtomicReference<String> signal = new AtomicReference<>();
  private final Map<Signal, SignalHandler> previous = new java.util.HashMap<>();
  private volatile long signalNanos;
  private PipelineResult result;
  private Map<String, Long> tallyAtStart = Map.of();
  private boolean cancelled;
  private Thread watchdog;

  /**
   * @param halt ends the JVM with an exit code, without shutdown hooks ({@code Runtime::halt};
   *     tests record it instead)
   */
  GracefulStop(PrintStream err, IntConsumer halt) {
    this.err = err;
    this.halt = halt;
  }

  /** Handles SIGTERM and SIGINT from now until {@link #close}. */
  public static GracefulStop onSignals(PrintStream err) {
    GracefulStop stop = new GracefulStop(err, Runtime.getRuntime()::halt);
    for (String name : SIGNALS) {
      Signal signal = new Signal(name);
      try {
        stop.previous.put(signal, Signal.handle(signal, s -> stop.request("SIG" + s.getName())));
      } catch (IllegalArgumentException e) {
        // The JVM keeps this signal (-Xrs), or it is ignored: the default behaviour stays.
        LOG.debug("Cannot handle SIG{}: {}", name, e.getMessage());
      }
    }
    return stop;
  }

  /**
   * Asks the load to stop, as SIGTERM or SIGINT does ({@code why} names it): cancels the run if it
   * has started. A second request halts the JVM.
   */
  void request(String why) {
    if (!signal.compareAndSet(null, why)) {
      err.println("ERROR: " + why + " again: exiting now, without a summary");
      err.flush();
      halt.accept(EXIT_CODE);
      return;
    }
    signalNanos = System.nanoTime();
    err.println(
        "STOPPING: "
            + why
            + " received: cancelling the load; the summary follows within "
            + CANCEL_WAIT_MILLIS / 1000
            + " s (send it again to exit at once)");
    startWatchdog();
    cancelOnce();
  }

  private synchronized void startWatchdog() {
    watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(HARD_LIMIT_MILLIS);
              } catch (InterruptedException e) {
                return;
              }
              err.println(
                  "ERROR: the load did not stop within "
                      + HARD_LIMIT_MILLIS / 1000
                      + " s of "
                      + signal.get()
                      + "; exiting without a summary");
              err.flush();
              halt.accept(EXIT_CODE);
            },
            "parquet2dynamo-stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** Cancels the run once both a signal and the run are there. */
  private void cancelOnce() {
    PipelineResult toCancel;
    synchronized (this) {
      if (cancelled || result == null || signal.get() == null) {
        return;
      }
      cancelled = true;
      toCancel = result;
    }
    try {
      toCancel.cancel();
    } catch (Exception e) {
      // The run may have ended meanwhile, or the runner failed it on the way: either way the
      // summary reports what the counters say.
      LOG.info("Cancelling the load: {}", Errors.rootMessage(e));
    }
  }

  /** Whether a signal asked the load to stop. */
  public boolean requested() {
    return signal.get() != null;
  }

  /**
   * As {@link #follow(PipelineResult, Progress)}, with a PROGRESS line every 10 s on {@code out}.
   */
  public PipelineResult.State follow(PipelineResult result, PrintStream out) {
    return follow(result, new Progress(out, 10, null));
  }

  /**
   * Waits for the run as {@link Progress#follow} does, cancelling it if a signal came or comes;
   * once cancelled, returns when the run has stopped or {@value #CANCEL_WAIT_MILLIS} ms after the
   * signal. An error the runner raises because of the cancel is not the load's: it is swallowed.
   */
  public PipelineResult.State follow(PipelineResult result, Progress progress) {
    synchronized (this) {
      this.result = result;
      this.tallyAtStart = LoadMetrics.tally();
    }
    cancelOnce();
    try {
      return progress.follow(
          result,
          () -> {
            long since = signalNanos; // 0 until the signal's time is set, just after requested()
            return since != 0 && System.nanoTime() - since > CANCEL_WAIT_MILLIS * 1_000_000;
          });
    } catch (RuntimeException e) {
      if (requested()) {
        return PipelineResult.State.CANCELLED;
      }
      throw e;
    }
  }

  /**
   * Prints and writes the summary of the interrupted load, says on {@code err} what a re-run does,
   * and returns {@value #EXIT_CODE}.
   */
  public int report(
      PipelineResult result,
      Long rowsInFiles,
      long startNanos,
      Map<String, Object> context,
      boolean deadLettersKept,
      StatusFile status,
      PrintStream out) {
    MetricResults metrics;
    try {
      metrics = result.metrics();
    } catch (RuntimeException e) {
      LOG.info("The runner cannot report its counters after the cancel: {}", e.toString());
      metrics = null;
    }
    context.put("interruptedBy", signal.get());
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    // This run's share of this JVM's tally (tests run several loads in one JVM).
    Map<String, Long> tally = new java.util.TreeMap<>(LoadMetrics.tally());
    synchronized (this) {
      tallyAtStart.forEach((name, before) -> tally.merge(name, -before, Long::sum));
    }
    LoadSummary summary;
    try {
      summary =
          LoadSummary.interrupted(metrics, tally, rowsInFiles, seconds, context, deadLettersKept);
    } catch (RuntimeException e) {
      summary =
          LoadSummary.interrupted(null, tally, rowsInFiles, seconds, context, deadLettersKept);
    }
    out.println("SUMMARY " + summary.toJson());
    out.println(summary.recap());
    out.flush();
    try {
      status.write(summary);
    } catch (Exception e) {
      err.println(
          "ERROR: cannot write --summaryPath=" + status.path() + ": " + Errors.rootMessage(e));
    }
    err.println("ERROR: " + summary.problem());
    err.flush();
    return summary.outcome().exitCode();
  }

  /**
   * Gives the signals back to the JVM's handlers. A watchdog started by a signal keeps running, so
   * that the exit stays bounded through the shutdown hooks (Spark's) that follow.
   */
  @Override
  public synchronized void close() {
    previous.forEach(
        (s, handler) -> {
          try {
            Signal.handle(s, handler);
          } catch (IllegalArgumentException e) {
            LOG.debug("Cannot restore the handler of SIG{}", s.getName());
          }
        });
    previous.clear();
  }

  /** Stops the watchdog (tests, which run loads in their own JVM). */
  synchronized void stopWatchdog() {
    if (watchdog != null) {
      watchdog.interrupt();
    }
  }
}
