package io.parquet2dynamo.sink;

import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.item.LoadItem;
import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Writes items where they are, in batches gathered within a bundle, with no grouping before: a
 * shuffle of every item would cost its bytes on Spark and, on the DirectRunner, hold every item in
 * memory until the last one is read. With a budget, every writer of the process paces its requests
 * by one shared {@link WriteRateLimiter}.
 *
 * <p>Each instance keeps up to {@code concurrency} batches in flight on helper threads, because a
 * request spends most of its time waiting for DynamoDB's answer. A batch's counters go to the
 * step's metrics container; its dead letters are emitted from the DoFn's own thread.
 */
final class WriteBundleFn extends DoFn<KV<String, LoadItem>, DeadLetter> {
  private final WriteConfig config;
  private transient DynamoDbClient client;
  private transient ExecutorService pool;
  private transient BatchWriter writer;
  private transient BatchWriter.Batch batch;
  private transient Deque<Future<List<DeadLetter>>> inFlight;

  WriteBundleFn(WriteConfig config) {
    this.config = config;
  }

  @Setup
  public void setup(PipelineOptions options) {
    client =
        ClientBuilderFactory.buildClient(
            options.as(AwsOptions.class), DynamoDbClient.builder(), config.clientConfiguration);
    // With a budget, the process's one pace; without, DynamoDB's own throttling paces the writes.
    writer =
        new BatchWriter(
            client,
            config,
            config.unitsPerSecond > 0
                ? WriteRateLimiter.shared(config.id, config.unitsPerSecondPerProcess())
                : null,
            new Backoff(config.backoffBaseMillis, config.backoffCapMillis, new Random()));
    pool =
        Executors.newFixedThreadPool(
            config.concurrency,
            r -> {
              Thread t = new Thread(r, "parquet2dynamo-writer");
              t.setDaemon(true);
              return t;
            });
  }

  @StartBundle
  public void startBundle() {
    batch = new BatchWriter.Batch();
    inFlight = new ArrayDeque<>();
  }

  @ProcessElement
  public void process(@Element KV<String, LoadItem> item, OutputReceiver<DeadLetter> deadLetters)
      throws InterruptedException {
    if (item.getValue().rejection() != null) {
      deadLetters.output(item.getValue().rejection()); // rejected before it reached the writer
      return;
    }
    send(batch.add(item.getKey(), item.getValue()), deadLetters);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) throws InterruptedException {
    OutputReceiver<DeadLetter> deadLetters =
        new OutputReceiver<DeadLetter>() {
          @Override
          public void output(DeadLetter deadLetter) {
            outputWithTimestamp(deadLetter, BoundedWindow.TIMESTAMP_MIN_VALUE);
          }

          @Override
          public void outputWithTimestamp(DeadLetter deadLetter, org.joda.time.Instant timestamp) {
            context.output(deadLetter, timestamp, GlobalWindow.INSTANCE);
          }
        };
    send(batch.drain(), deadLetters);
    while (!inFlight.isEmpty()) {
      awaitOldest(deadLetters);
    }
  }

  /** Hands a batch to a writer thread, first waiting for one if all are busy. */
  private void send(List<LoadItem> items, OutputReceiver<DeadLetter> deadLetters)
      throws InterruptedException {
    if (items.isEmpty()) {
      return;
    }
    while (inFlight.size() >= config.concurrency) {
      awaitOldest(deadLetters);
    }
    MetricsContainer metrics = MetricsEnvironment.getCurrentContainer();
    inFlight.add(
        pool.submit(
            () -> {
              try (Closeable ignored = MetricsEnvironment.scopedMetricsContainer(metrics)) {
                return writer.write(items);
              }
            }));
  }

  private void awaitOldest(OutputReceiver<DeadLetter> deadLetters) throws InterruptedException {
    try {
      inFlight.removeFirst().get().forEach(deadLetters::output);
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
    if (client != null) {
      client.close();
    }
  }
}
