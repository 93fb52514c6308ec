package io.parquet2dynamo.sink;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.deadletter.RejectReason;
import io.parquet2dynamo.item.ItemSize;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes one shard of items: sequentially, paced by the shard's share of the write budget, with
 * retries that end in the dead letters rather than in a failed job.
 *
 * <p>Throttling ({@code ProvisionedThroughputExceededException}, {@code ThrottlingException},
 * {@code RequestLimitExceeded}), 5xx answers, network errors and unprocessed items are retried with
 * capped exponential backoff and jitter, up to {@code maxAttempts} sends per item; then the items
 * go to the dead letters with reason {@code WRITE_FAILED} and the last error (or the job stops,
 * with {@code --failOnWriteError}). Any other refusal (validation, a missing table, access denied)
 * cannot get better by waiting, so it stops the job at once with DynamoDB's message.
 */
final class WriteShardFn extends DoFn<KV<Integer, Iterable<KV<String, LoadItem>>>, String> {
  private static final Logger LOG = LoggerFactory.getLogger(WriteShardFn.class);

  /** DynamoDB's limit of requests in one BatchWriteItem. */
  static final int BATCH_SIZE = 25;

  private static final Set<String> THROTTLING =
      Set.of(
          "ProvisionedThroughputExceededException",
          "ThrottlingException",
          "RequestLimitExceeded",
          "TransactionInProgressException");

  private final Config config;

  private transient DynamoDbClient client;
  private transient Backoff backoff;
  private transient Counter itemsWritten;
  private transient Counter skippedByCondition;
  private transient Counter wcuConsumed;
  private transient Counter throttled;
  private transient Counter retries;
  private transient Counter rowsRejected;
  private transient Counter writeFailed;

  /** Everything a shard needs to know, fixed when the pipeline is built. */
  static final class Config implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final String tableName;
    final TableKey key;
    final ClientConfiguration clientConfiguration;
    final WriteMode mode;

    /** This shard's share of the budget; 0 or less means no limit. */
    final double unitsPerSecond;

    final int maxAttempts;
    final boolean failOnWriteError;
    final long backoffBaseMillis;
    final long backoffCapMillis;

    Config(
        String tableName,
        TableKey key,
        ClientConfiguration clientConfiguration,
        WriteMode mode,
        double unitsPerSecond,
        int maxAttempts,
        boolean failOnWriteError,
        long backoffBaseMillis,
        long backoffCapMillis) {
      this.tableName = tableName;
      this.key = key;
      this.clientConfiguration = clientConfiguration;
      this.mode = mode;
      this.unitsPerSecond = unitsPerSecond;
      this.maxAttempts = maxAttempts;
      this.failOnWriteError = failOnWriteError;
      this.backoffBaseMillis = backoffBaseMillis;
      this.backoffCapMillis = backoffCapMillis;
    }
  }

  WriteShardFn(Config config) {
    this.config = config;
  }

  @Setup
  public void setup() {
    backoff = new Backoff(config.backoffBaseMillis, config.backoffCapMillis, new Random());
    itemsWritten = LoadMetrics.counter(LoadMetrics.ITEMS_WRITTEN);
    skippedByCondition = LoadMetrics.counter(LoadMetrics.SKIPPED_BY_CONDITION);
    wcuConsumed = LoadMetrics.counter(LoadMetrics.WCU_CONSUMED);
    throttled = LoadMetrics.counter(LoadMetrics.THROTTLED_REQUESTS);
    retries = LoadMetrics.counter(LoadMetrics.RETRIES);
    rowsRejected = LoadMetrics.counter(LoadMetrics.ROWS_REJECTED);
    writeFailed = LoadMetrics.rejected(RejectReason.WRITE_FAILED);
  }

  @StartBundle
  public void startBundle(StartBundleContext context) {
    connect(context.getPipelineOptions());
  }

  /** Builds the DynamoDB client on first use, from the pipeline's AWS options. */
  void connect(org.apache.beam.sdk.options.PipelineOptions options) {
    if (client == null) {
      client =
          ClientBuilderFactory.buildClient(
              options.as(AwsOptions.class), DynamoDbClient.builder(), config.clientConfiguration);
    }
  }

  @Teardown
  public void teardown() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<KV<String, LoadItem>>> shard,
      OutputReceiver<String> deadLetters)
      throws InterruptedException {
    WriteRateLimiter limiter =
        config.unitsPerSecond > 0 ? WriteRateLimiter.of(config.unitsPerSecond) : null;
    Map<String, LoadItem> batch = new LinkedHashMap<>();
    for (KV<String, LoadItem> keyed : shard.getValue()) {
      offer(keyed, batch, limiter, deadLetters);
    }
    flush(batch, limiter, deadLetters);
  }

  /**
   * Adds an item to {@code batch}, first writing the batch if it is full or holds the item's key
   * (DynamoDB refuses a batch with two items of one key); an item whose write mode has a condition
   * is written on its own at once.
   */
  void offer(
      KV<String, LoadItem> keyed,
      Map<String, LoadItem> batch,
      WriteRateLimiter limiter,
      OutputReceiver<String> deadLetters)
      throws InterruptedException {
    if (!config.mode.batched()) {
      writeOne(keyed.getValue(), limiter, deadLetters);
      return;
    }
    if (batch.containsKey(keyed.getKey()) || batch.size() == BATCH_SIZE) {
      flush(batch, limiter, deadLetters);
    }
    batch.put(keyed.getKey(), keyed.getValue());
  }

  /** Writes what {@code batch} holds and empties it. */
  void flush(Map<String, LoadItem> batch, WriteRateLimiter limiter, OutputReceiver<String> out)
      throws InterruptedException {
    if (!batch.isEmpty()) {
      writeBatch(new ArrayList<>(batch.values()), limiter, out);
      batch.clear();
    }
  }

  /** Whether items are written in batches, or (with a condition) one PutItem each. */
  boolean batched() {
    return config.mode.batched();
  }

  /** Write capacity units of writing {@code item}: one per started KB (DynamoDB's rule). */
  static long units(LoadItem item) {
    return units(item.attributes());
  }

  static long units(Map<String, AttributeValue> attributes) {
    return Math.max(1, (ItemSize.of(attributes) + 1023) / 1024);
  }

  /** An item with its request and cost, worked out once however often it is retried. */
  private final class Outgoing {
    final LoadItem item;
    final Map<String, AttributeValue> key;
    final WriteRequest request;
    final long units;

    Outgoing(LoadItem item) {
      Map<String, AttributeValue> attributes = item.attributes();
      this.item = item;
      this.key = keyOf(attributes);
      if (config.mode.kind() == WriteMode.Kind.DELETE) {
        this.request =
            WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build();
        // A delete costs by the stored item's size, unknown here: at least 1.
        this.units = 1;
      } else {
        this.request =
            WriteRequest.builder()
                .putRequest(PutRequest.builder().item(attributes).build())
                .build();
        this.units = units(attributes);
      }
    }
  }

  private Map<String, AttributeValue> keyOf(Map<String, AttributeValue> attributes) {
    Map<String, AttributeValue> key = new HashMap<>();
    for (TableKey.Attribute a : config.key.attributes()) {
      key.put(a.name, attributes.get(a.name));
    }
    return key;
  }

  void writeBatch(
      List<LoadItem> items, WriteRateLimiter limiter, OutputReceiver<String> deadLetters)
      throws InterruptedException {
    Map<Map<String, AttributeValue>, Outgoing> byKey = new HashMap<>();
    List<Outgoing> pending = new ArrayList<>(items.size());
    for (LoadItem item : items) {
      Outgoing outgoing = new Outgoing(item);
      byKey.put(outgoing.key, outgoing);
      pending.add(outgoing);
    }
    String lastError = null;
    for (int attempt = 1; ; attempt++) {
      if (limiter != null) {
        limiter.acquire(pending.stream().mapToLong(o -> o.units).sum());
      }
      List<WriteRequest> requests = new ArrayList<>(pending.size());
      pending.forEach(o -> requests.add(o.request));
      try {
        BatchWriteItemResponse response =
            client.batchWriteItem(
                b ->
                    b.requestItems(Map.of(config.tableName, requests))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        consumed(response.consumedCapacity());
        List<WriteRequest> unprocessed =
            response.hasUnprocessedItems()
                ? response.unprocessedItems().getOrDefault(config.tableName, List.of())
                : List.of();
        itemsWritten.inc(pending.size() - unprocessed.size());
        if (unprocessed.isEmpty()) {
          return;
        }
        throttled.inc();
        List<Outgoing> left = new ArrayList<>(unprocessed.size());
        for (WriteRequest r : unprocessed) {
          Map<String, AttributeValue> attributes =
              r.putRequest() != null ? r.putRequest().item() : r.deleteRequest().key();
          left.add(byKey.get(keyOf(attributes)));
        }
        pending = left;
        lastError = "DynamoDB left the item unprocessed (UnprocessedItems)";
      } catch (SdkException e) {
        lastError = retryableError(e);
      }
      if (attempt >= config.maxAttempts) {
        giveUp(pending.stream().map(o -> o.item).toList(), attempt, lastError, deadLetters);
        return;
      }
      retries.inc();
      Thread.sleep(backoff.delayMillis(attempt - 1));
    }
  }

  private void writeOne(LoadItem item, WriteRateLimiter limiter, OutputReceiver<String> out)
      throws InterruptedException {
    PutItemRequest request = conditionalPut(item);
    long units = units(request.item());
    String lastError;
    for (int attempt = 1; ; attempt++) {
      if (limiter != null) {
        limiter.acquire(units);
      }
      try {
        consumed(List.of(client.putItem(request).consumedCapacity()));
        itemsWritten.inc();
        return;
      } catch (ConditionalCheckFailedException e) {
        // The stored item is newer (or present): that is the condition doing its job.
        skippedByCondition.inc();
        return;
      } catch (SdkException e) {
        lastError = retryableError(e);
      }
      if (attempt >= config.maxAttempts) {
        giveUp(List.of(item), attempt, lastError, out);
        return;
      }
      retries.inc();
      Thread.sleep(backoff.delayMillis(attempt - 1));
    }
  }

  /** A PutItem with the write mode's condition. */
  PutItemRequest conditionalPut(LoadItem item) {
    Map<String, AttributeValue> attributes = item.attributes();
    Map<String, String> names = new HashMap<>();
    names.put("#pk", config.key.attributes().get(0).name);
    String condition = "attribute_not_exists(#pk)";
    Map<String, AttributeValue> values = null;
    if (config.mode.kind() == WriteMode.Kind.PUT_IF_NEWER) {
      AttributeValue value = attributes.get(config.mode.column());
      if (value != null && value.type() != AttributeValue.Type.NUL) {
        names.put("#c", config.mode.column());
        values = Map.of(":v", value);
        condition += " OR attribute_not_exists(#c) OR #c < :v";
      }
    }
    PutItemRequest.Builder b =
        PutItemRequest.builder()
            .tableName(config.tableName)
            .item(attributes)
            .conditionExpression(condition)
            .expressionAttributeNames(names)
            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
    if (values != null) {
      b.expressionAttributeValues(values);
    }
    return b.build();
  }

  private void consumed(List<ConsumedCapacity> capacities) {
    double units = 0;
    for (ConsumedCapacity c : capacities) {
      if (c != null && c.capacityUnits() != null) {
        units += c.capacityUnits();
      }
    }
    wcuConsumed.inc(Math.round(units));
  }

  /** The message of an error worth retrying; any other error stops the job with a clear message. */
  private String retryableError(SdkException e) {
    if (isThrottling(e)) {
      throttled.inc();
    }
    if (isRetryable(e)) {
      return e.getMessage();
    }
    if (e instanceof DynamoDbException) {
      DynamoDbException d = (DynamoDbException) e;
      String code = d.awsErrorDetails() == null ? null : d.awsErrorDetails().errorCode();
      throw new InvalidInputException(
          "DynamoDB refused a write to table '"
              + config.tableName
              + "' and retrying cannot help: "
              + (d.awsErrorDetails() == null ? d.getMessage() : d.awsErrorDetails().errorMessage())
              + (code == null ? "" : " (" + code + ")"),
          e);
    }
    throw new InvalidInputException(
        "a write to table '" + config.tableName + "' failed: " + e.getMessage(), e);
  }

  /** Throttling, by DynamoDB's error codes. */
  static boolean isThrottling(SdkException e) {
    if (!(e instanceof DynamoDbException)) {
      return false;
    }
    DynamoDbException d = (DynamoDbException) e;
    return d.awsErrorDetails() != null && THROTTLING.contains(d.awsErrorDetails().errorCode());
  }

  /** Throttling, a 5xx answer, or a network error (timeout, dropped connection): worth a retry. */
  static boolean isRetryable(SdkException e) {
    if (e instanceof DynamoDbException) {
      return isThrottling(e) || ((DynamoDbException) e).statusCode() >= 500;
    }
    return e instanceof SdkClientException;
  }

  private void giveUp(
      List<LoadItem> items, int attempts, String lastError, OutputReceiver<String> deadLetters) {
    String message = "not written after " + attempts + " attempts; the last error: " + lastError;
    if (config.failOnWriteError) {
      throw new InvalidInputException(
          items.size()
              + " items for table '"
              + config.tableName
              + "' were "
              + message
              + " (--failOnWriteError)");
    }
    LOG.warn("{} items {}", items.size(), message);
    for (LoadItem item : items) {
      rowsRejected.inc();
      writeFailed.inc();
      deadLetters.output(
          DeadLetter.ofItem(
              RejectReason.WRITE_FAILED,
              message,
              item.sourceFile(),
              item.sourceRow(),
              item.attributes()));
    }
  }
}
