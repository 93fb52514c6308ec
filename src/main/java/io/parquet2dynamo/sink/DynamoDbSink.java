package io.parquet2dynamo.sink;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.aws.DynamoDbClients;
import io.parquet2dynamo.item.DynamoJson;
import io.parquet2dynamo.item.ItemFormat;
import io.parquet2dynamo.item.ItemMapper;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.source.SourceFields;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sample;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Writes items to a DynamoDB table: duplicates resolved across the whole input by the {@link
 * DedupePolicy}, then, with a write budget, {@code shards} sequential write streams, each paced to
 * its share of the budget ({@link WriteShardFn}); without one, every worker writes the items it
 * holds as they come ({@link WriteBundleFn}). Returns the dead-letter records of items DynamoDB did
 * not take.
 *
 * <p><b>How the budget is shared.</b> Items are spread over a fixed number of shards by a hash of
 * their key, and a shard's items are written by one worker thread, one request at a time, at {@code
 * budget / shards} write units per second. The total therefore never exceeds the budget, whatever
 * the runner, its parallelism or its number of workers: more workers only run more shards at once.
 * It reaches the budget when all shards run at the same time, so {@code --writeShards} should not
 * exceed the number of threads the runner writes with (the default is the runner's parallelism).
 *
 * <p>De-duplication groups items by a hash bucket of their key (about {@value #ITEMS_PER_BUCKET}
 * items a bucket, held in memory) rather than by the key itself, which would cost a group per item.
 */
public class DynamoDbSink
    extends PTransform<PCollection<KV<String, LoadItem>>, PCollection<String>> {
  /** Target bucket size: small enough to hold in memory, large enough to be cheap to group. */
  static final int ITEMS_PER_BUCKET = 5_000;

  /** Backoff between retries: 100 ms doubling up to 20 s, with full jitter. */
  static final long BACKOFF_BASE_MILLIS = 100;

  static final long BACKOFF_CAP_MILLIS = 20_000;

  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbSink.class);

  private final DedupePolicy dedupe;
  private final WriteBudget budget;
  private final int buckets;
  private final int shards;
  private final WriteShardFn.Config config;

  /** Without a budget: batches each writer keeps in flight. */
  private int writeConcurrency = 4;

  /** With {@code --dryRun}: how many items to sample instead of writing; -1 to write. */
  private int dryRunSample = -1;

  /**
   * @param expectedItems about how many items will arrive, to size the de-duplication buckets
   */
  public DynamoDbSink(
      String tableName,
      TableKey key,
      ClientConfiguration clientConfiguration,
      DedupePolicy dedupe,
      WriteMode mode,
      WriteBudget budget,
      int shards,
      int maxAttempts,
      boolean failOnWriteError,
      long expectedItems) {
    this.dedupe = dedupe;
    this.budget = budget;
    this.buckets = (int) Math.max(1, Math.min(1 << 20, expectedItems / ITEMS_PER_BUCKET));
    this.shards = Math.max(1, shards);
    this.config =
        new WriteShardFn.Config(
            tableName,
            key,
            clientConfiguration,
            mode,
            budget.unitsPerSecond() > 0 ? budget.unitsPerSecond() / this.shards : 0,
            maxAttempts,
            failOnWriteError,
            BACKOFF_BASE_MILLIS,
            BACKOFF_CAP_MILLIS);
  }

  /**
   * The sink the options describe, checked against the input's schema and the table before any
   * work: the budget is resolved (and logged), and the columns {@code maxBy} and {@code putIfNewer}
   * compare must exist and be comparable.
   */
  public static DynamoDbSink fromOptions(
      Parquet2DynamoOptions options,
      TableKey key,
      Schema schema,
      ItemFormat format,
      long expectedItems) {
    WriteMode mode = WriteMode.parse(options.getWriteMode());
    DedupePolicy dedupe = DedupePolicy.parse(options.getDedupe());
    if (mode.column() != null) {
      checkComparable("--writeMode=" + mode, mode.column(), schema, format);
      if (key.attributes().stream().anyMatch(a -> a.name.equals(mode.column()))) {
        throw new InvalidInputException(
            "--writeMode=" + mode + ": '" + mode.column() + "' is a key of the table");
      }
    }
    if (dedupe.column() != null) {
      checkComparable("--dedupe=" + dedupe, dedupe.column(), schema, format);
    }
    if (options.getMaxWriteAttempts() < 1) {
      throw new InvalidInputException(
          "--maxWriteAttempts must be at least 1, not " + options.getMaxWriteAttempts());
    }
    TableDescription table = null;
    if (options.getWriteCapacityPercent() != null) {
      try (DynamoDbClient client = DynamoDbClients.create(options)) {
        table = client.describeTable(b -> b.tableName(options.getTableName())).table();
      }
    }
    WriteBudget budget =
        WriteBudget.resolve(
            options.getMaxWriteUnitsPerSecond(), options.getWriteCapacityPercent(), table);
    int shards = options.getWriteShards() > 0 ? options.getWriteShards() : defaultShards(options);
    LOG.info(
        "Writing with --writeMode={}, --dedupe={}, budget {}, over {} write streams",
        mode,
        dedupe,
        budget,
        shards);
    if (options.getWriteConcurrency() < 1) {
      throw new InvalidInputException(
          "--writeConcurrency must be at least 1, not " + options.getWriteConcurrency());
    }
    return new DynamoDbSink(
            options.getTableName(),
            key,
            DynamoDbClients.writerConfiguration(options),
            dedupe,
            mode,
            budget,
            shards,
            options.getMaxWriteAttempts(),
            options.getFailOnWriteError(),
            expectedItems)
        .withWriteConcurrency(options.getWriteConcurrency());
  }

  /** The runner's parallelism, where it can be known when the pipeline is built. */
  static int defaultShards(Parquet2DynamoOptions options) {
    String runner = options.getRunner().getSimpleName();
    if (runner.equals("DirectRunner")) {
      return Math.max(1, options.as(DirectOptions.class).getTargetParallelism());
    }
    if (runner.equals("SparkRunner")) {
      // spark-submit's --master reaches the driver as a system property, and wins over the option.
      String master =
          System.getProperty(
              "spark.master", options.as(SparkPipelineOptions.class).getSparkMaster());
      java.util.regex.Matcher local =
          java.util.regex.Pattern.compile("local\\[(\\d+|\\*)").matcher(master);
      if (local.lookingAt()) {
        return local.group(1).equals("*")
            ? Runtime.getRuntime().availableProcessors()
            : Integer.parseInt(local.group(1));
      }
    }
    return 8;
  }

  private static void checkComparable(
      String option, String column, Schema schema, ItemFormat format) {
    if (!schema.hasField(column) || SourceFields.isSourceField(column)) {
      throw new InvalidInputException(option + ": '" + column + "' is not a column of the input");
    }
    FieldType type = schema.getField(column).getType();
    String dynamoType = ItemMapper.dynamoType(type, format);
    if (!Set.of("N", "S", "B", "BOOL").contains(dynamoType)) {
      throw new InvalidInputException(
          option + ": column '" + column + "' maps to " + dynamoType + ", which has no order");
    }
    if (ItemMapper.isTimestamp(type) && dynamoType.equals("S")) {
      // 2024-01-31T08:15:30Z sorts after 2024-01-31T08:15:30.5Z as text.
      throw new InvalidInputException(
          option
              + ": column '"
              + column
              + "' is a timestamp written as ISO text, whose varying precision does not sort; "
              + "add --timestampFormat=epochMicros to compare it as a number");
    }
  }

  /**
   * A dry run instead of a load: duplicates are resolved as for a load, the items that would be
   * written are counted as {@code itemsToWrite}, nothing reaches DynamoDB, and the output holds up
   * to {@code sample} of those items in DynamoDB JSON (rather than dead letters).
   */
  public DynamoDbSink dryRun(int sample) {
    this.dryRunSample = Math.max(0, sample);
    return this;
  }

  /** Without a write budget: how many batches each writer thread keeps in flight. */
  public DynamoDbSink withWriteConcurrency(int concurrency) {
    this.writeConcurrency = Math.max(1, concurrency);
    return this;
  }

  /** The budget the sink paces the job to. */
  public WriteBudget budget() {
    return budget;
  }

  public WriteMode mode() {
    return config.mode;
  }

  public DedupePolicy dedupe() {
    return dedupe;
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, LoadItem>> items) {
    PCollection<KV<String, LoadItem>> unique = items;
    if (!dedupe.isNone()) {
      int bucketCount = buckets;
      unique =
          items
              .apply(
                  "AssignBuckets",
                  WithKeys.<Integer, KV<String, LoadItem>>of(
                          kv -> Math.floorMod(kv.getKey().hashCode(), bucketCount))
                      .withKeyType(TypeDescriptors.integers()))
              .apply("GroupByBucket", GroupByKey.create())
              .apply("KeepOnePerKey", ParDo.of(new KeepWinnerFn(dedupe)))
              .setCoder(items.getCoder());
    }
    if (dryRunSample >= 0) {
      return unique
          .apply("CountItemsToWrite", ParDo.of(new CountFn()))
          .apply("Sample", Sample.any(dryRunSample))
          .apply(
              "ToDynamoJson",
              MapElements.into(TypeDescriptors.strings())
                  .via((KV<String, LoadItem> kv) -> DynamoJson.item(kv.getValue().attributes())));
    }
    if (budget.unitsPerSecond() <= 0) {
      return unique
          .apply("Write", ParDo.of(new WriteBundleFn(config, writeConcurrency)))
          .setCoder(StringUtf8Coder.of());
    }
    int shardCount = shards;
    return unique
        .apply(
            "AssignShards",
            WithKeys.<Integer, KV<String, LoadItem>>of(kv -> shardOf(kv.getKey(), shardCount))
                .withKeyType(TypeDescriptors.integers()))
        .apply("GroupByShard", GroupByKey.create())
        .apply("Write", ParDo.of(new WriteShardFn(config)))
        .setCoder(StringUtf8Coder.of());
  }

  /** A shard for a key, by a hash mixed differently from the buckets' so the two do not align. */
  static int shardOf(String key, int shards) {
    return Math.floorMod(key.hashCode() * 0x9E3779B9, shards);
  }

  /** Counts the items a dry run would write. */
  static final class CountFn extends DoFn<KV<String, LoadItem>, KV<String, LoadItem>> {
    private final Counter itemsToWrite = LoadMetrics.counter(LoadMetrics.ITEMS_TO_WRITE);

    @ProcessElement
    public void process(
        @Element KV<String, LoadItem> item, OutputReceiver<KV<String, LoadItem>> out) {
      itemsToWrite.inc();
      out.output(item);
    }
  }

  /** Keeps, per table key in a bucket, the item the policy prefers; counts the others. */
  static final class KeepWinnerFn
      extends DoFn<KV<Integer, Iterable<KV<String, LoadItem>>>, KV<String, LoadItem>> {
    private final DedupePolicy policy;
    private transient Comparator<LoadItem> order;
    private final Counter duplicatesDropped = LoadMetrics.counter(LoadMetrics.DUPLICATES_DROPPED);

    KeepWinnerFn(DedupePolicy policy) {
      this.policy = policy;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, LoadItem>>> bucket,
        OutputReceiver<KV<String, LoadItem>> out) {
      if (order == null) {
        order = policy.order();
      }
      Map<String, LoadItem> winners = new HashMap<>();
      long dropped = 0;
      for (KV<String, LoadItem> keyed : bucket.getValue()) {
        LoadItem item = keyed.getValue();
        LoadItem previous = winners.putIfAbsent(keyed.getKey(), item);
        if (previous != null) {
          dropped++;
          if (order.compare(item, previous) > 0) {
            winners.put(keyed.getKey(), item);
          }
        }
      }
      duplicatesDropped.inc(dropped);
      winners.forEach((k, v) -> out.output(KV.of(k, v)));
    }
  }
}
