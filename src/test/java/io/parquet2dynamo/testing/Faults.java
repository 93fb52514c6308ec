package io.parquet2dynamo.testing;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What {@link FaultyDynamoDb} does to the requests it sees: an immutable value, made with {@link
 * #builder()}.
 *
 * <p>Each request of a faulted operation draws one number from a {@link java.util.Random} seeded
 * with {@link #seed()}, and the draw picks at most one fault: below {@link #throttleFraction()} a
 * throttle answer, then below {@code throttle + serverError} an HTTP 500, then below {@code
 * throttle + serverError + unprocessed} (BatchWriteItem only) a partial write. The same requests in
 * the same order therefore meet the same faults; concurrent requests meet them in the order they
 * arrive. Items whose partition key is one of {@link #alwaysThrottleKeys()} are throttled on every
 * request, whatever the draw.
 */
public final class Faults {
  /** The throttle answers DynamoDB gives, each with the error type the SDK maps to an exception. */
  public enum ThrottleKind {
    /** Table or index throughput exceeded: SDK {@code ProvisionedThroughputExceededException}. */
    PROVISIONED_THROUGHPUT_EXCEEDED(
        "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded."
            + " Consider increasing your provisioning level with the UpdateTable API."),
    /** Control-plane or general rate limit: a plain {@code DynamoDbException} in the SDK. */
    THROTTLING(
        "com.amazon.coral.availability#ThrottlingException",
        "Rate of requests exceeds the allowed throughput."),
    /** Account-level throughput limit: SDK {@code RequestLimitExceededException}. */
    REQUEST_LIMIT_EXCEEDED(
        "com.amazonaws.dynamodb.v20120810#RequestLimitExceeded",
        "Throughput exceeds the current throughput limit for your account.");

    private final String type;
    private final String message;

    ThrottleKind(String type, String message) {
      this.type = type;
      this.message = message;
    }

    /** The {@code __type} of the error body. */
    public String type() {
      return type;
    }

    /** The error code the SDK reports: the part of the type after {@code #}. */
    public String errorCode() {
      return type.substring(type.indexOf('#') + 1);
    }

    String message() {
      return message;
    }
  }

  /** The operations that write items: the ones faulted unless {@link Builder#operations} says. */
  public static final Set<String> WRITE_OPERATIONS =
      Set.of("BatchWriteItem", "PutItem", "DeleteItem", "UpdateItem");

  /** What one draw decided for one request. */
  enum Fault {
    NONE,
    THROTTLE,
    SERVER_ERROR,
    UNPROCESSED,
    /** The request is applied, then answered with a 500: the client cannot know it was. */
    ANSWER_LOST
  }

  private final long seed;
  private final double throttleFraction;
  private final ThrottleKind throttleKind;
  private final double serverErrorFraction;
  private final double unprocessedFraction;
  private final double answerLostFraction;
  private final String partitionKey;
  private final Set<String> alwaysThrottleKeys;
  private final Set<String> refusedKeys;
  private final Set<String> operations;

  private Faults(Builder b) {
    check("throttleFraction", b.throttleFraction);
    check("serverErrorFraction", b.serverErrorFraction);
    check("unprocessedFraction", b.unprocessedFraction);
    check("answerLostFraction", b.answerLostFraction);
    double total =
        b.throttleFraction + b.serverErrorFraction + b.unprocessedFraction + b.answerLostFraction;
    if (total > 1.0 + 1e-9) {
      throw new IllegalArgumentException(
          "the fractions are exclusive and must add up to at most 1, not " + total);
    }
    if ((!b.alwaysThrottleKeys.isEmpty() || !b.refusedKeys.isEmpty()) && b.partitionKey == null) {
      throw new IllegalArgumentException(
          "alwaysThrottleKeys and refusedKeys need the partitionKey attribute");
    }
    seed = b.seed;
    throttleFraction = b.throttleFraction;
    throttleKind = b.throttleKind;
    serverErrorFraction = b.serverErrorFraction;
    unprocessedFraction = b.unprocessedFraction;
    answerLostFraction = b.answerLostFraction;
    partitionKey = b.partitionKey;
    alwaysThrottleKeys = Set.copyOf(b.alwaysThrottleKeys);
    refusedKeys = Set.copyOf(b.refusedKeys);
    operations = Set.copyOf(b.operations);
  }

  private static void check(String name, double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], not " + fraction);
    }
  }

  /** No faults: the proxy forwards everything unchanged. */
  public static Faults none() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .seed(seed)
        .throttleFraction(throttleFraction)
        .throttleKind(throttleKind)
        .serverErrorFraction(serverErrorFraction)
        .unprocessedFraction(unprocessedFraction)
        .answerLostFraction(answerLostFraction)
        .partitionKey(partitionKey)
        .alwaysThrottleKeys(alwaysThrottleKeys)
        .refusedKeys(refusedKeys)
        .operations(operations);
  }

  public long seed() {
    return seed;
  }

  public double throttleFraction() {
    return throttleFraction;
  }

  public ThrottleKind throttleKind() {
    return throttleKind;
  }

  public double serverErrorFraction() {
    return serverErrorFraction;
  }

  /** Applies to BatchWriteItem only; a draw in its range leaves other operations untouched. */
  public double unprocessedFraction() {
    return unprocessedFraction;
  }

  /** The partition key attribute's name, or null. */
  public String partitionKey() {
    return partitionKey;
  }

  public Set<String> alwaysThrottleKeys() {
    return alwaysThrottleKeys;
  }

  /** Applied, then answered with HTTP 500, as when DynamoDB's answer is lost after a write. */
  public double answerLostFraction() {
    return answerLostFraction;
  }

  /** Partition keys whose writes DynamoDB refuses with a ValidationException, as for a bad item. */
  public Set<String> refusedKeys() {
    return refusedKeys;
  }

  /** Whether a partition key value (the S or N value as text) is refused. */
  boolean refuses(String keyValue) {
    return keyValue != null && refusedKeys.contains(keyValue);
  }

  public Set<String> operations() {
    return operations;
  }

  /** Whether requests of this operation (the part of X-Amz-Target after the dot) are faulted. */
  public boolean faults(String operation) {
    return operations.contains(operation);
  }

  /** Whether a partition key value (the S or N value as text) is always throttled. */
  boolean alwaysThrottles(String keyValue) {
    return keyValue != null && alwaysThrottleKeys.contains(keyValue);
  }

  /** The fault a draw in [0, 1) picks for a request of a faulted operation. */
  Fault decide(String operation, double draw) {
    if (draw < throttleFraction) {
      return Fault.THROTTLE;
    }
    if (draw < throttleFraction + serverErrorFraction) {
      return Fault.SERVER_ERROR;
    }
    double upToUnprocessed = throttleFraction + serverErrorFraction + unprocessedFraction;
    if (operation.equals("BatchWriteItem") && draw < upToUnprocessed) {
      return Fault.UNPROCESSED;
    }
    if (draw >= upToUnprocessed && draw < upToUnprocessed + answerLostFraction) {
      return Fault.ANSWER_LOST;
    }
    return Fault.NONE;
  }

  @Override
  public String toString() {
    return "Faults{seed="
        + seed
        + ", throttle="
        + throttleFraction
        + " "
        + throttleKind
        + ", serverError="
        + serverErrorFraction
        + ", unprocessed="
        + unprocessedFraction
        + ", answerLost="
        + answerLostFraction
        + ", refusedKeys="
        + refusedKeys
        + ", partitionKey="
        + partitionKey
        + ", alwaysThrottleKeys="
        + alwaysThrottleKeys
        + ", operations="
        + operations
        + "}";
  }

  public static final class Builder {
    private long seed = 1;
    private double throttleFraction;
    private ThrottleKind throttleKind = ThrottleKind.PROVISIONED_THROUGHPUT_EXCEEDED;
    private double serverErrorFraction;
    private double unprocessedFraction;
    private double answerLostFraction;
    private String partitionKey;
    private Set<String> alwaysThrottleKeys = Set.of();
    private Set<String> refusedKeys = Set.of();
    private Set<String> operations = WRITE_OPERATIONS;

    private Builder() {}

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The fraction of faulted requests answered with HTTP 400 and {@link #throttleKind}. */
    public Builder throttleFraction(double fraction) {
      this.throttleFraction = fraction;
      return this;
    }

    /** The error throttled requests get, drawn or for {@link #alwaysThrottleKeys}. */
    public Builder throttleKind(ThrottleKind kind) {
      this.throttleKind = kind;
      return this;
    }

    /** The fraction of faulted requests applied, then answered with HTTP 500. */
    public Builder answerLostFraction(double fraction) {
      this.answerLostFraction = fraction;
      return this;
    }

    /** Partition key values whose writes are refused with a ValidationException. */
    public Builder refusedKeys(Set<String> keys) {
      this.refusedKeys = keys;
      return this;
    }

    /** The fraction of faulted requests answered with HTTP 500 InternalServerError. */
    public Builder serverErrorFraction(double fraction) {
      this.serverErrorFraction = fraction;
      return this;
    }

    /**
     * The fraction of BatchWriteItem requests of which only the first half of the write requests
     * (rounded down) is written; the rest, at least one, comes back in UnprocessedItems.
     */
    public Builder unprocessedFraction(double fraction) {
      this.unprocessedFraction = fraction;
      return this;
    }

    /** The name of the tables' partition key attribute, for {@link #alwaysThrottleKeys}. */
    public Builder partitionKey(String attributeName) {
      this.partitionKey = attributeName;
      return this;
    }

    /**
     * Partition key values (S or N, as text) that are throttled on every request: PutItem,
     * DeleteItem and UpdateItem on them get a throttle error, and BatchWriteItem returns their
     * write requests in UnprocessedItems while it writes the others.
     */
    public Builder alwaysThrottleKeys(Collection<String> keys) {
      this.alwaysThrottleKeys = new LinkedHashSet<>(keys);
      return this;
    }

    public Builder alwaysThrottleKeys(String... keys) {
      return alwaysThrottleKeys(Arrays.asList(keys));
    }

    /** The operations to fault, by name (e.g. "BatchWriteItem"); the rest pass through. */
    public Builder operations(Collection<String> names) {
      this.operations = new LinkedHashSet<>(names);
      return this;
    }

    public Builder operations(String... names) {
      return operations(Arrays.asList(names));
    }

    public Faults build() {
      return new Faults(this);
    }
  }
}
