package io.parquet2dynamo.sink;

import io.parquet2dynamo.item.TableKey;
import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;

/**
 * How {@link DynamoDbWrite} writes: the table, the write mode, the pacing and the retries. A value:
 * every {@code withX} returns a changed copy. It knows nothing of the job's options or of runners:
 * whoever builds it (the job's plan, or any pipeline that reuses the writer) decides.
 */
public final class WriteConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Backoff between retries: 100 ms doubling up to 20 s, with full jitter. */
  static final long DEFAULT_BACKOFF_BASE_MILLIS = 100;

  static final long DEFAULT_BACKOFF_CAP_MILLIS = 20_000;

  final String tableName;
  final TableKey key;
  final ClientConfiguration clientConfiguration;
  final WriteMode mode;
  final double unitsPerSecond;
  final int shards;
  final int concurrency;
  final int maxAttempts;
  final boolean failOnWriteError;
  final long backoffBaseMillis;
  final long backoffCapMillis;

  /** Tells this write's pace from another's, in a JVM that runs several (tests do). */
  final String id = java.util.UUID.randomUUID().toString();

  private WriteConfig(Settings s) {
    this.tableName = s.key.tableName();
    this.key = s.key;
    this.clientConfiguration = s.clientConfiguration;
    this.mode = s.mode;
    this.unitsPerSecond = s.unitsPerSecond;
    this.shards = s.shards;
    this.concurrency = s.concurrency;
    this.maxAttempts = s.maxAttempts;
    this.failOnWriteError = s.failOnWriteError;
    this.backoffBaseMillis = s.backoffBaseMillis;
    this.backoffCapMillis = s.backoffCapMillis;
  }

  /** The settings of a config being made: a copy to change, then a new config. */
  private static final class Settings {
    TableKey key;
    ClientConfiguration clientConfiguration = ClientConfiguration.builder().build();
    WriteMode mode = WriteMode.parse("put");
    double unitsPerSecond;
    int shards = 1;
    int concurrency = 4;
    int maxAttempts = 10;
    boolean failOnWriteError;
    long backoffBaseMillis = DEFAULT_BACKOFF_BASE_MILLIS;
    long backoffCapMillis = DEFAULT_BACKOFF_CAP_MILLIS;
  }

  private WriteConfig with(Consumer<Settings> change) {
    Settings s = new Settings();
    s.key = key;
    s.clientConfiguration = clientConfiguration;
    s.mode = mode;
    s.unitsPerSecond = unitsPerSecond;
    s.shards = shards;
    s.concurrency = concurrency;
    s.maxAttempts = maxAttempts;
    s.failOnWriteError = failOnWriteError;
    s.backoffBaseMillis = backoffBaseMillis;
    s.backoffCapMillis = backoffCapMillis;
    change.accept(s);
    return new WriteConfig(s);
  }

  /**
   * Puts into {@code key}'s table, as fast as it takes them, with 4 requests in flight per writer,
   * 10 attempts per item and the default client configuration.
   */
  public static WriteConfig of(TableKey key) {
    Settings s = new Settings();
    s.key = key;
    return new WriteConfig(s);
  }

  /**
   * The AWS client settings (endpoint, the SDK's own retries); credentials and region come from the
   * pipeline's AWS options.
   */
  public WriteConfig withClientConfiguration(ClientConfiguration value) {
    return with(s -> s.clientConfiguration = value);
  }

  public WriteConfig withMode(WriteMode value) {
    return with(s -> s.mode = value);
  }

  /**
   * A write budget for the whole job, split evenly over the {@code processes} worker processes
   * (JVMs) that write at once; {@code unitsPerSecond} 0 for none. Within a process, every writer
   * shares one pace, whatever the number of threads.
   */
  public WriteConfig withBudget(double unitsPerSecond, int processes) {
    return with(
        s -> {
          s.unitsPerSecond = unitsPerSecond;
          s.shards = processes;
        });
  }

  /** Without a budget: requests each writer keeps in flight. */
  public WriteConfig withConcurrency(int value) {
    return with(s -> s.concurrency = value);
  }

  /** How many times an item is sent before it goes to the dead letters. */
  public WriteConfig withMaxAttempts(int value) {
    return with(s -> s.maxAttempts = value);
  }

  /**
   * Stop the pipeline, rather than send them to the dead letters, when items fail their retries.
   */
  public WriteConfig withFailOnWriteError(boolean value) {
    return with(s -> s.failOnWriteError = value);
  }

  /** Retries wait a random time below {@code min(cap, base × 2^retry)}. */
  public WriteConfig withBackoff(long baseMillis, long capMillis) {
    return with(
        s -> {
          s.backoffBaseMillis = baseMillis;
          s.backoffCapMillis = capMillis;
        });
  }

  public String tableName() {
    return tableName;
  }

  public TableKey key() {
    return key;
  }

  public ClientConfiguration clientConfiguration() {
    return clientConfiguration;
  }

  public WriteMode mode() {
    return mode;
  }

  /** The budget for the whole job in write units per second; 0 for none. */
  public double unitsPerSecond() {
    return unitsPerSecond;
  }

  /** The number of worker processes the budget is split over. */
  public int processes() {
    return shards;
  }

  public int concurrency() {
    return concurrency;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public boolean failOnWriteError() {
    return failOnWriteError;
  }

  /** One process's share of the budget; 0 for none. */
  double unitsPerSecondPerProcess() {
    return unitsPerSecond > 0 ? unitsPerSecond / shards : 0;
  }

  /**
   * Checks the settings, with a message that names the bad one.
   *
   * @throws IllegalArgumentException for a setting no write can run with
   */
  void validate() {
    check(tableName != null && !tableName.isEmpty(), "a table name is required");
    check(key != null && !key.attributes().isEmpty(), "the table's key is required");
    check(mode != null, "a write mode is required");
    check(
        !mode.exports(),
        "writeMode " + mode + " writes files, not items to a table (io.parquet2dynamo.export)");
    check(unitsPerSecond >= 0, "the budget must not be negative, not " + unitsPerSecond);
    check(shards >= 1, "processes must be at least 1, not " + shards);
    check(concurrency >= 1, "concurrency must be at least 1, not " + concurrency);
    check(maxAttempts >= 1, "maxAttempts must be at least 1, not " + maxAttempts);
    check(
        backoffBaseMillis >= 0 && backoffCapMillis >= backoffBaseMillis,
        "backoff must be 0 <= base <= cap, not " + backoffBaseMillis + ", " + backoffCapMillis);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("DynamoDbWrite: " + message);
    }
  }

  @Override
  public String toString() {
    return "table '"
        + tableName
        + "', mode "
        + mode
        + (unitsPerSecond > 0 ? ", " + unitsPerSecond + " WCU/s over " + shards + " processes" : "")
        + ", "
        + maxAttempts
        + " attempts";
  }
}
