package io.parquet2dynamo.sink;

import io.parquet2dynamo.item.LoadItem;
import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Writes items where they are, in batches of 25 gathered within a bundle, with no grouping before:
 * the sink's way when no write budget has to be held. Grouping items into write streams (as {@link
 * WriteShardFn} needs for a budget) costs a shuffle of every item on Spark and, on the
 * DirectRunner, holds every item in memory until the last one is read.
 *
 * <p>Each instance keeps up to {@code concurrency} batches in flight, because a request spends most
 * of its time waiting for DynamoDB's answer. Retries, dead letters and counters are {@link
 * WriteShardFn}'s own; the counters of a batch written on a helper thread are reported to the
 * step's metrics container, and its dead letters are emitted from the DoFn's own thread.
 */
final class WriteBundleFn extends DoFn<KV<String, LoadItem>, String> {
  private final WriteShardFn writer;
  private final int concurrency;
  private transient Map<String, LoadItem> batch;
  private transient ExecutorService pool;
  private transient Deque<Future<List<String>>> inFlight;

  WriteBundleFn(WriteShardFn.Config config, int concurrency) {
    this.writer = new WriteShardFn(config);
    this.concurrency = Math.max(1, concurrency);
  }

  @Setup
  public void setup() {
    writer.setup();
    pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "parquet2dynamo-writer");
              t.setDaemon(true);
              return t;
            });
  }

  @StartBundle
  public void startBundle(StartBundleContext context) {
    writer.connect(context.getPipelineOptions());
    batch = new LinkedHashMap<>();
    inFlight = new ArrayDeque<>();
  }

  @ProcessElement
  public void process(@Element KV<String, LoadItem> item, OutputReceiver<String> deadLetters)
      throws InterruptedException {
    if (batch.containsKey(item.getKey()) || batch.size() == WriteShardFn.BATCH_SIZE) {
      send(deadLetters);
    }
    if (writer.batched()) {
      batch.put(item.getKey(), item.getValue());
    } else {
      // A conditional write is one PutItem each, written here and now.
      writer.offer(item, batch, null, deadLetters);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) throws InterruptedException {
    OutputReceiver<String> deadLetters =
        new OutputReceiver<String>() {
          @Override
          public void output(String deadLetter) {
            outputWithTimestamp(deadLetter, BoundedWindow.TIMESTAMP_MIN_VALUE);
          }

          @Override
          public void outputWithTimestamp(String deadLetter, Instant timestamp) {
            context.output(deadLetter, timestamp, GlobalWindow.INSTANCE);
          }
        };
    send(deadLetters);
    while (!inFlight.isEmpty()) {
      awaitOldest(deadLetters);
    }
  }

  /** Hands the batch to a writer thread, first waiting for one if all are busy. */
  private void send(OutputReceiver<String> deadLetters) throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    while (inFlight.size() >= concurrency) {
      awaitOldest(deadLetters);
    }
    List<LoadItem> items = new ArrayList<>(batch.values());
    batch.clear();
    MetricsContainer metrics = MetricsEnvironment.getCurrentContainer();
    inFlight.add(
        pool.submit(
            () -> {
              List<String> failed = new ArrayList<>();
              try (Closeable ignored = MetricsEnvironment.scopedMetricsContainer(metrics)) {
                writer.writeBatch(items, null, new Collecting(failed));
              }
              return failed;
            }));
  }

  private void awaitOldest(OutputReceiver<String> deadLetters) throws InterruptedException {
    try {
      for (String deadLetter : inFlight.removeFirst().get()) {
        deadLetters.output(deadLetter);
      }
    } catch (ExecutionException e) {
      // Such as --failOnWriteError giving up: the bundle fails with the writer's own error.
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IllegalStateException(cause);
    }
  }

  @Teardown
  public void teardown() {
    if (pool != null) {
      pool.shutdownNow();
    }
    writer.teardown();
  }

  /** Gathers the dead letters of a batch written on a helper thread. */
  private static final class Collecting implements OutputReceiver<String> {
    private final List<String> into;

    Collecting(List<String> into) {
      this.into = into;
    }

    @Override
    public void output(String deadLetter) {
      into.add(deadLetter);
    }

    @Override
    public void outputWithTimestamp(String deadLetter, Instant timestamp) {
      into.add(deadLetter);
    }
  }
}
