package io.parquet2dynamo.sink;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.deadletter.RejectReason;
import io.parquet2dynamo.item.DynamoJson;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.summary.LoadMetrics;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
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
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Sends items to DynamoDB and accounts for them: the request, retry and counting logic of {@link
 * DynamoDbWrite}. A plain class, not a DoFn, so it can run on any thread.
 *
 * <p>{@code put} and {@code delete} go in one BatchWriteItem per call; the conditional modes as one
 * PutItem per item, {@code update} as one UpdateItem per item ({@link UpdateRequests}). Throttling
 * ({@code ProvisionedThroughputExceededException}, {@code ThrottlingException}, {@code
 * RequestLimitExceeded}), 5xx answers, network errors and unprocessed items are retried with capped
 * exponential backoff and jitter, up to {@code maxAttempts} sends per item; then the items become
 * dead letters with reason {@code WRITE_FAILED} and the last error (or the write fails, with {@code
 * failOnWriteError}). Any other refusal (validation, a missing table, access denied) cannot get
 * better by waiting, so it fails the write at once with DynamoDB's message.
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
  private final Counter refused = LoadMetrics.rejected(RejectReason.REFUSED_BY_DYNAMODB);

  /**
   * Items refused on their own with nothing written in between. Past {@value
   * #MAX_REFUSED_IN_A_ROW}, the refusals are about the table or the whole data, and the write stops
   * rather than turn every row into a dead letter.
   */
  static final int MAX_REFUSED_IN_A_ROW = 100;

  private int refusedInARow;

  /**
   * @param limiter paces the writes, or null for none; shared by the threads of a process
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
   * @throws InvalidInputException when DynamoDB refuses the write for a reason about the table or
   *     the request, which waiting cannot fix, or items fail their retries with {@code
   *     failOnWriteError}
   */
  List<DeadLetter> write(List<LoadItem> items) throws InterruptedException {
    List<DeadLetter> deadLetters = new ArrayList<>();
    if (items.isEmpty()) {
      return deadLetters;
    }
    List<Outgoing> outgoing = new ArrayList<>(items.size());
    items.forEach(item -> outgoing.add(new Outgoing(item)));
    if (config.mode.batched()) {
      writeBatch(outgoing, deadLetters);
    } else {
      for (Outgoing o : outgoing) {
        writeOne(o, deadLetters);
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
    return units(item.size());
  }

  /** Write units of an item of {@code size} bytes by DynamoDB's rules: one per started KB. */
  static long units(long size) {
    return Math.max(1, (size + 1023) / 1024);
  }

  /**
   * An item with its request and cost, worked out once however often it is retried. A batched
   * mode's item carries its WriteRequest; the others their attributes, to build their own request.
   */
  private final class Outgoing {
    final LoadItem item;
    final Map<String, AttributeValue> key;
    final Map<String, AttributeValue> attributes;
    final WriteRequest request;
    final long units;

    /** Whether a request that held it may have been applied though no answer said so. */
    boolean maybeWritten;

    Outgoing(LoadItem item) {
      Map<String, AttributeValue> attributes = item.attributes();
      this.item = item;
      this.key = keyOf(attributes);
      if (config.mode.kind() == WriteMode.Kind.DELETE) {
        this.attributes = null;
        this.request =
            WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build();
        // A delete costs by the stored item's size, unknown here: at least 1.
        this.units = 1;
      } else {
        this.attributes = config.mode.batched() ? null : attributes;
        this.request =
            config.mode.batched()
                ? WriteRequest.builder()
                    .putRequest(PutRequest.builder().item(attributes).build())
                    .build()
                : null;
        // An update costs by the larger of the stored and the updated item: at least this.
        this.units = units(item.size());
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

  /**
   * Writes the items in one BatchWriteItem, sending again what is left unprocessed or throttled.
   * When DynamoDB refuses the batch for something about an item (a {@code ValidationException}),
   * the halves are written apart until the item is found; it becomes a dead letter, the others are
   * written.
   */
  private void writeBatch(List<Outgoing> items, List<DeadLetter> deadLetters)
      throws InterruptedException {
    Map<Map<String, AttributeValue>, Outgoing> byKey = new HashMap<>();
    items.forEach(o -> byKey.put(o.key, o));
    List<Outgoing> pending = items;
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
        written(pending.size() - unprocessed.size());
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
        if (isItemRefusal(e)) {
          if (pending.size() == 1) {
            refuse(pending.get(0), (DynamoDbException) e, deadLetters);
          } else {
            int half = pending.size() / 2;
            writeBatch(new ArrayList<>(pending.subList(0, half)), deadLetters);
            writeBatch(new ArrayList<>(pending.subList(half, pending.size())), deadLetters);
          }
          return;
        }
        lastError = retryableError(e, pending);
      }
      if (attempt >= config.maxAttempts) {
        giveUp(pending, attempt, lastError, deadLetters);
        return;
      }
      retries.inc();
      Thread.sleep(backoff.delayMillis(attempt - 1));
    }
  }

  /**
   * Writes one item with its own request: a conditional PutItem, or with {@code update} an
   * UpdateItem (an item whose UpdateItem would exceed DynamoDB's limits on expressions becomes a
   * dead letter, unsent).
   */
  private void writeOne(Outgoing item, List<DeadLetter> deadLetters) throws InterruptedException {
    Supplier<ConsumedCapacity> send;
    if (config.mode.kind() == WriteMode.Kind.UPDATE) {
      UpdateItemRequest update;
      try {
        update = UpdateRequests.of(config.tableName, config.key, item.attributes);
      } catch (UpdateRequests.TooLarge e) {
        reject(item, RejectReason.UPDATE_EXPRESSION_TOO_LARGE, e.getMessage(), deadLetters);
        return;
      }
      send = () -> client.updateItem(update).consumedCapacity();
    } else {
      PutItemRequest put = conditionalPut(item.attributes);
      send = () -> client.putItem(put).consumedCapacity();
    }
    String lastError;
    for (int attempt = 1; ; attempt++) {
      if (limiter != null) {
        limiter.acquire(item.units);
      }
      try {
        consumed(Collections.singletonList(send.get()));
        written(1);
        return;
      } catch (ConditionalCheckFailedException e) {
        // The stored item is newer (or present): that is the condition doing its job.
        skippedByCondition.inc();
        return;
      } catch (SdkException e) {
        if (isItemRefusal(e)) {
          refuse(item, (DynamoDbException) e, deadLetters);
          return;
        }
        lastError = retryableError(e, List.of(item));
      }
      if (attempt >= config.maxAttempts) {
        giveUp(List.of(item), attempt, lastError, deadLetters);
        return;
      }
      retries.inc();
      Thread.sleep(backoff.delayMillis(attempt - 1));
    }
  }

  /** A PutItem of {@code attributes} with the write mode's condition. */
  PutItemRequest conditionalPut(Map<String, AttributeValue> attributes) {
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
   * The message of an error worth retrying, noting that the items may have been written when the
   * error leaves that open; any other error fails the write with a clear message.
   */
  private String retryableError(SdkException e, List<Outgoing> sent) {
    if (isThrottling(e)) {
      throttled.inc();
    }
    if (isRetryable(e)) {
      if (mayHaveBeenApplied(e)) {
        sent.forEach(o -> o.maybeWritten = true);
      }
      return e.getMessage();
    }
    if (e instanceof DynamoDbException) {
      throw new InvalidInputException(
          "DynamoDB refused a write to table '"
              + config.tableName
              + "' and retrying cannot help: "
              + dynamoDbMessage((DynamoDbException) e),
          e);
    }
    throw new InvalidInputException(
        "a write to table '" + config.tableName + "' failed: " + e.getMessage(), e);
  }

  private static String dynamoDbMessage(DynamoDbException d) {
    String code = d.awsErrorDetails() == null ? null : d.awsErrorDetails().errorCode();
    return (d.awsErrorDetails() == null ? d.getMessage() : d.awsErrorDetails().errorMessage())
        + (code == null ? "" : " (" + code + ")");
  }

  /**
   * A refusal about an item, not the table or the request: DynamoDB's {@code ValidationException}
   * (an item over 400 KB by its count, an empty attribute name, a key of the wrong type...). A
   * missing table, missing permissions or bad credentials are other errors, and stop the job.
   */
  static boolean isItemRefusal(SdkException e) {
    return e instanceof DynamoDbException
        && ((DynamoDbException) e).awsErrorDetails() != null
        && "ValidationException".equals(((DynamoDbException) e).awsErrorDetails().errorCode());
  }

  /**
   * Whether a failed request may still have been applied: a 5xx answer, or a network error after
   * the request may have left (a timeout, a dropped connection). Throttling, other 4xx answers and
   * a connection that was never made mean it was not.
   */
  static boolean mayHaveBeenApplied(SdkException e) {
    if (e instanceof DynamoDbException) {
      return !isThrottling(e) && ((DynamoDbException) e).statusCode() >= 500;
    }
    return !(Errors.find(e, ConnectException.class).isPresent()
        || Errors.find(e, UnknownHostException.class).isPresent()
        || Errors.find(e, NoRouteToHostException.class).isPresent());
  }

  /** An item DynamoDB refused on its own: a dead letter with DynamoDB's reason. */
  private void refuse(Outgoing item, DynamoDbException e, List<DeadLetter> deadLetters) {
    refusedInARow++;
    if (refusedInARow >= MAX_REFUSED_IN_A_ROW) {
      // Every item refused on its own is not about items: the table or the data's shape is wrong.
      throw new InvalidInputException(
          "DynamoDB refused "
              + refusedInARow
              + " items in a row, each on its own, writing to table '"
              + config.tableName
              + "': "
              + dynamoDbMessage(e));
    }
    rowsRejected.inc();
    refused.inc();
    String message =
        "DynamoDB refused the item with key "
            + DynamoJson.item(item.key)
            + ": "
            + dynamoDbMessage(e);
    LOG.warn("{} ({} row {})", message, item.item.sourceFile(), item.item.sourceRow());
    deadLetters.add(
        DeadLetter.ofItem(
            RejectReason.REFUSED_BY_DYNAMODB,
            message,
            item.item.sourceFile(),
            item.item.sourceRow(),
            item.item.attributes()));
  }

  /** An item not sent: a dead letter for {@code reason}, counted as rejected. */
  private void reject(
      Outgoing item, RejectReason reason, String why, List<DeadLetter> deadLetters) {
    rowsRejected.inc();
    LoadMetrics.rejected(reason).inc();
    String message = "not sent: " + why;
    LOG.warn(
        "The item with key {} {} ({} row {})",
        DynamoJson.item(item.key),
        message,
        item.item.sourceFile(),
        item.item.sourceRow());
    deadLetters.add(
        DeadLetter.ofItem(
            reason, message, item.item.sourceFile(), item.item.sourceRow(), item.attributes));
  }

  private void written(long count) {
    if (count > 0) {
      itemsWritten.inc(count);
      refusedInARow = 0;
    }
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

  /**
   * Items that outlasted their retries: dead letters, {@code WRITE_UNCONFIRMED} where a request may
   * have written them after all, {@code WRITE_FAILED} where none did.
   */
  private void giveUp(
      List<Outgoing> items, int attempts, String lastError, List<DeadLetter> deadLetters) {
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
    for (Outgoing o : items) {
      RejectReason reason =
          o.maybeWritten ? RejectReason.WRITE_UNCONFIRMED : RejectReason.WRITE_FAILED;
      rowsRejected.inc();
      LoadMetrics.rejected(reason).inc();
      deadLetters.add(
          DeadLetter.ofItem(
              reason,
              o.maybeWritten ? message + " (an earlier attempt may have written it)" : message,
              o.item.sourceFile(),
              o.item.sourceRow(),
              o.item.attributes()));
    }
  }
}
