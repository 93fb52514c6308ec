package io.parquet2dynamo.sink;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.deadletter.RejectReason;
import io.parquet2dynamo.item.ItemSize;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
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
 * Sends items to DynamoDB and accounts for them: the request, retry and counting logic both of
 * {@link DynamoDbWrite}'s paths share (with a budget, {@link WriteShardFn}; without, {@link
 * WriteBundleFn}). A plain class, not a DoFn, so it can run on any thread.
 *
 * <p>{@code put} and {@code delete} go in one BatchWriteItem per call; the conditional modes as one
 * PutItem per item. Throttling ({@code ProvisionedThroughputExceededException}, {@code
 * ThrottlingException}, {@code RequestLimitExceeded}), 5xx answers, network errors and unprocessed
 * items are retried with capped exponential backoff and jitter, up to {@code maxAttempts} sends per
 * item; then the items become dead letters with reason {@code WRITE_FAILED} and the last error (or
 * the write fails, with {@code failOnWriteError}). Any other refusal (validation, a missing table,
 * access denied) cannot get better by waiting, so it fails the write at once with DynamoDB's
 * message.
 *
 * <p>Counters are Beam metrics, reported to whichever metrics container is current on the calling
 * thread.
 */
final class BatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  /** DynamoDB's limit of requests in one BatchWriteItem. */
  static final int BATCH_SIZE = 25;

  private static final Set<String> THROTTLING =
      Set.of(
          "ProvisionedThroughputExceededException",
          "ThrottlingException",
          "RequestLimitExceeded",
          "TransactionInProgressException");

  private final DynamoDbClient client;
  private final WriteConfig config;
  private final WriteRateLimiter limiter;
  private final Backoff backoff;

  private final Counter itemsWritten = LoadMetrics.counter(LoadMetrics.ITEMS_WRITTEN);
  private final Counter skippedByCondition = LoadMetrics.counter(LoadMetrics.SKIPPED_BY_CONDITION);
  private final Counter wcuConsumed = LoadMetrics.counter(LoadMetrics.WCU_CONSUMED);
  private final Counter throttled = LoadMetrics.counter(LoadMetrics.THROTTLED_REQUESTS);
  private final Counter retries = LoadMetrics.counter(LoadMetrics.RETRIES);
  private final Counter rowsRejected = LoadMetrics.counter(LoadMetrics.ROWS_REJECTED);
  private final Counter writeFailed = LoadMetrics.rejected(RejectReason.WRITE_FAILED);

  /**
   * @param limiter paces the writes, or null for none; used from one thread at a time
   */
  BatchWriter(
      DynamoDbClient client, WriteConfig config, WriteRateLimiter limiter, Backoff backoff) {
    this.client = client;
    this.config = config;
    this.limiter = limiter;
    this.backoff = backoff;
  }

  /**
   * Writes {@code items} (at most {@link #BATCH_SIZE}, with distinct keys: see {@link Batch}) and
   * returns the dead letters of those that could not be written.
   *
   * @throws InvalidInputException when DynamoDB refuses the write for a reason waiting cannot fix,
   *     or items fail their retries with {@code failOnWriteError}
   */
  List<DeadLetter> write(List<LoadItem> items) throws InterruptedException {
    List<DeadLetter> deadLetters = new ArrayList<>();
    if (config.mode.batched()) {
      writeBatch(items, deadLetters);
    } else {
      for (LoadItem item : items) {
        writeOne(item, deadLetters);
      }
    }
    return deadLetters;
  }

  /**
   * Gathers items into batches DynamoDB takes: at most {@link #BATCH_SIZE}, and never two items of
   * one key (DynamoDB refuses the whole batch then, and the second must be written after the
   * first). A conditional mode's batch is written as that many PutItems, in order.
   */
  static final class Batch {
    private final Map<String, LoadItem> items = new LinkedHashMap<>();

    /** Adds an item; returns the items to write before it (a full batch), or an empty list. */
    List<LoadItem> add(String key, LoadItem item) {
      List<LoadItem> ready = List.of();
      if (items.containsKey(key) || items.size() == BATCH_SIZE) {
        ready = drain();
      }
      items.put(key, item);
      return ready;
    }

    /** The items gathered so far, leaving the batch empty. */
    List<LoadItem> drain() {
      List<LoadItem> ready = new ArrayList<>(items.values());
      items.clear();
      return ready;
    }
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

  private void writeBatch(List<LoadItem> items, List<DeadLetter> deadLetters)
      throws InterruptedException {
    if (items.isEmpty()) {
      return;
    }
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
                BatchWriteItemRequest.builder()
                    .requestItems(Map.of(config.tableName, requests))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                    .build());
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

  private void writeOne(LoadItem item, List<DeadLetter> deadLetters) throws InterruptedException {
    PutItemRequest request = conditionalPut(item);
    long units = units(request.item());
    String lastError;
    for (int attempt = 1; ; attempt++) {
      if (limiter != null) {
        limiter.acquire(units);
      }
      try {
        consumed(Collections.singletonList(client.putItem(request).consumedCapacity()));
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
        giveUp(List.of(item), attempt, lastError, deadLetters);
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
    if (capacities == null) {
      return;
    }
    double units = 0;
    for (ConsumedCapacity c : capacities) {
      if (c != null && c.capacityUnits() != null) {
        units += c.capacityUnits();
      }
    }
    wcuConsumed.inc(Math.round(units));
  }

  /**
   * The message of an error worth retrying; any other error fails the write with a clear message.
   */
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
      List<LoadItem> items, int attempts, String lastError, List<DeadLetter> deadLetters) {
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
      deadLetters.add(
          DeadLetter.ofItem(
              RejectReason.WRITE_FAILED,
              message,
              item.sourceFile(),
              item.sourceRow(),
              item.attributes()));
    }
  }
}
