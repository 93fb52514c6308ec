package io.parquet2dynamo.plan;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.aws.DynamoDbClients;
import io.parquet2dynamo.aws.Endpoints;
import io.parquet2dynamo.bookmark.BookmarkCommit;
import io.parquet2dynamo.bookmark.BookmarkRun;
import io.parquet2dynamo.bookmark.BookmarkSettings;
import io.parquet2dynamo.bookmark.Bookmarks;
import io.parquet2dynamo.bookmark.ItemShape;
import io.parquet2dynamo.dedupe.DedupePolicy;
import io.parquet2dynamo.export.ExportPlan;
import io.parquet2dynamo.item.ItemFormat;
import io.parquet2dynamo.item.ItemMapper;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.options.RunnerTuning;
import io.parquet2dynamo.sink.WriteBudget;
import io.parquet2dynamo.sink.WriteConfig;
import io.parquet2dynamo.sink.WriteMode;
import io.parquet2dynamo.source.InputFiles;
import io.parquet2dynamo.source.ParquetDataset;
import io.parquet2dynamo.source.ParquetSource;
import io.parquet2dynamo.source.SourceFields;
import io.parquet2dynamo.summary.LoadSummary;
import io.parquet2dynamo.summary.LogLevel;
import io.parquet2dynamo.transform.JoinRows;
import io.parquet2dynamo.transform.Mapping;
import io.parquet2dynamo.transform.MappingSpec;
import io.parquet2dynamo.transform.UserTransform;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Everything a load will do, decided from the options before any work: the table's key, the input
 * files and the columns to read, the join, mapping, SQL and user transform, how rows become items,
 * the duplicate rule and how items are written. A bad option, a missing table, an unreadable file
 * or a mapping that does not fit the input stops the job here, with one line, before a pipeline
 * exists.
 *
 * <p>With a bookmark ({@code io.parquet2dynamo.bookmark}), the plan lists the input, reads the
 * bookmark, and reads the footers of the files to load only: new and changed ones, within {@code
 * --maxFilesPerRun} / {@code --maxBytesPerRun}. When none is left, {@link #nothingToLoad()}: the
 * plan has no dataset, and the main class stops without a pipeline. {@link #bookmark()} holds what
 * the main class needs to record the files once the load succeeded.
 *
 * <p>{@link #resolve} reads the outside world only through a {@link Catalog} (DescribeTable, the
 * files' footers), so a plan can be made and checked in a unit test. {@code
 * io.parquet2dynamo.load.ParquetToDynamoDb} turns it into the pipeline.
 */
public final class LoadPlan {
  private static final Logger LOG = LoggerFactory.getLogger(LoadPlan.class);

  private final String runId;
  private final TableKey tableKey;
  private final ParquetDataset dataset;
  private final long rowsPerRange;
  private final int filesIgnored;
  private final BookmarkCommit bookmark;
  private final String replay;
  private final Set<String> columns;
  private final JoinRows join;
  private final Mapping mapping;
  private final String sql;
  private final UserTransform userTransform;
  private final ItemFormat format;
  private final DedupePolicy dedupe;
  private final WriteBudget budget;
  private final WriteConfig write;
  private final ExportPlan export;
  private final int sample;
  private final List<String> warnings;
  private final String runner;
  private final String jobName;

  private LoadPlan(Builder b) {
    this.runId = b.runId;
    this.tableKey = b.tableKey;
    this.dataset = b.dataset;
    this.rowsPerRange = b.rowsPerRange;
    this.filesIgnored = b.filesIgnored;
    this.bookmark = b.bookmark;
    this.replay = b.replay;
    this.columns = b.columns;
    this.join = b.join;
    this.mapping = b.mapping;
    this.sql = b.sql;
    this.userTransform = b.userTransform;
    this.format = b.format;
    this.dedupe = b.dedupe;
    this.budget = b.budget;
    this.write = b.write;
    this.export = b.export;
    this.sample = b.sample;
    this.warnings = List.copyOf(b.warnings);
    this.runner = b.runner;
    this.jobName = b.jobName;
  }

  /**
   * Decides this run's load: through AWS ({@link AwsCatalog}), at the time of the call, with a new
   * {@link #newRunId()}.
   *
   * @param glueArguments Glue's own arguments, as for {@link #resolve(Parquet2DynamoOptions, Map,
   *     Catalog, Instant, String)}
   */
  public static LoadPlan resolve(Parquet2DynamoOptions options, Map<String, String> glueArguments) {
    return resolve(options, glueArguments, new AwsCatalog(options), Instant.now(), newRunId());
  }

  /**
   * Decides the load the options describe, without Glue's arguments: {@link
   * #resolve(Parquet2DynamoOptions, Map, Catalog, Instant, String)}.
   */
  public static LoadPlan resolve(
      Parquet2DynamoOptions options, Catalog catalog, Instant loadTime, String runId) {
    return resolve(options, Map.of(), catalog, loadTime, runId);
  }

  /**
   * Decides the load the options describe.
   *
   * @param glueArguments Glue's own arguments ({@code JobArguments.Normalised#glueArguments}):
   *     their {@code job-bookmark-option}, {@code TempDir} and {@code JOB_NAME} decide the bookmark
   *     with the options ({@link BookmarkSettings})
   * @param loadTime the value of {@code loadTime} in the mapping's expressions
   * @param runId names this run's output files, and is recorded in the bookmark
   * @throws InvalidInputException for anything that would stop the load, in one line
   */
  public static LoadPlan resolve(
      Parquet2DynamoOptions options,
      Map<String, String> glueArguments,
      Catalog catalog,
      Instant loadTime,
      String runId) {
    Builder b = new Builder();
    b.runId = runId;
    b.runner = options.getRunner().getSimpleName();
    b.jobName = options.getJobName();
    boolean replay = !isBlank(options.getReplayDeadLetters());
    if (replay == !isBlank(options.getInputPath())) {
      throw new InvalidInputException(
          replay ? "give --inputPath or --replayDeadLetters, not both" : "--inputPath is required");
    }
    // Options that need no lookup first, so a typo costs no call to S3 or DynamoDB.
    b.format = ItemFormat.of(options.getTimestampFormat(), options.getNullPolicy());
    WriteMode mode = WriteMode.parse(options.getWriteMode());
    b.dedupe = DedupePolicy.parse(options.getDedupe());
    LogLevel.parse(options.getLogLevel()); // applied at start (LogLevel.configure); checked here
    b.warnings.addAll(Endpoints.plainHttpToAws(options));
    atLeastOne("maxWriteAttempts", options.getMaxWriteAttempts());
    atLeastOne("writeConcurrency", options.getWriteConcurrency());
    if (options.getProgressSeconds() < 0) {
      throw new InvalidInputException(
          "--progressSeconds must be 0 (no PROGRESS lines) or more, not "
              + options.getProgressSeconds());
    }
    if (options.getWriteShards() < 0) {
      throw new InvalidInputException(
          "--writeShards must be 0 (the runner's worker processes) or more, not "
              + options.getWriteShards());
    }
    BookmarkSettings bookmarkSettings = bookmarkSettings(options, glueArguments, replay, b);

    TableDescription table;
    if (mode.exports()) { // needs no table: the key may come from --keySchema
      b.export =
          ExportPlan.resolve(options, mode, catalog.findTable(options.getTableName()), runId);
      table = b.export.table();
    } else {
      table = catalog.describeTable(options.getTableName());
    }
    b.tableKey = TableKey.of(table);
    LOG.info("Loading {}", b.tableKey);
    if (mode.column() != null && isKey(b.tableKey, mode.column())) {
      throw new InvalidInputException(
          "--writeMode=" + mode + ": '" + mode.column() + "' is a key of the table");
    }
    b.budget =
        WriteBudget.resolve(
            options.getMaxWriteUnitsPerSecond(), options.getWriteCapacityPercent(), table);

    b.sample = options.getDryRun() ? Math.max(0, options.getSample()) : -1;
    if (replay) {
      b.bookmark = BookmarkCommit.none();
      b.replay = catalog.deadLetterFiles(options.getReplayDeadLetters());
      for (String ignored : new String[] {options.getMapping(), options.getSql()}) {
        if (!isBlank(ignored)) {
          LOG.warn(
              "--replayDeadLetters writes the items as they were: the mapping and SQL are not"
                  + " applied again");
        }
      }
    } else {
      planInput(b, options, bookmarkSettings, catalog, loadTime);
    }

    int shards =
        options.getWriteShards() > 0
            ? options.getWriteShards()
            : RunnerTuning.writerProcesses(options);
    b.write =
        WriteConfig.of(b.tableKey)
            .withClientConfiguration(DynamoDbClients.writerConfiguration(options))
            .withMode(mode)
            .withBudget(b.budget.unitsPerSecond(), shards)
            .withConcurrency(options.getWriteConcurrency())
            .withMaxAttempts(options.getMaxWriteAttempts())
            .withFailOnWriteError(options.getFailOnWriteError());
    LOG.info(
        "Writing with --writeMode={}, --dedupe={}, budget {}, split over {} writer processes",
        mode,
        b.dedupe,
        b.budget,
        shards);
    return new LoadPlan(b);
  }

  /**
   * Lists the input, starts the bookmark run, and reads the footers of the files to load only, then
   * plans the mapping against their schema. With nothing to load there is no dataset, and nothing
   * to map: the mapping is compiled by the next run that has files.
   */
  private static void planInput(
      Builder b,
      Parquet2DynamoOptions options,
      BookmarkSettings settings,
      Catalog catalog,
      Instant loadTime) {
    LOG.info("Listing {} and reading the files' footers", options.getInputPath());
    InputFiles.Listing listing = catalog.list(options.getInputPath(), settings.enabled());
    b.filesIgnored = listing.ignoredCount();
    if (listing.warning() != null) {
      b.warnings.add("--inputPath: " + listing.warning());
    }
    BookmarkRun run =
        Bookmarks.start(settings, listing.files, settings.enabled() ? ItemShape.of(options) : null);
    b.warnings.addAll(run.warnings());
    if (run.nothingToLoad()) {
      b.bookmark = BookmarkCommit.of(run, b.runId, Map.of(), b.sample >= 0);
      return;
    }
    b.dataset = catalog.scan(run.filesToLoad()).ignoring(listing);
    b.bookmark = BookmarkCommit.of(run, b.runId, b.dataset.rowsByFile(), b.sample >= 0);
    if (RunnerTuning.isSpark(options)) {
      b.rowsPerRange = b.dataset.rowsPer(RANGE_BYTES);
    }
    if (!isBlank(options.getMapping())) {
      planMapping(b, MappingSpec.load(options.getMapping()), loadTime);
      if (b.join != null && b.join.ignoredWarning() != null) {
        b.warnings.add("--mapping: " + b.join.ignoredWarning());
      }
    }
    b.sql = isBlank(options.getSql()) ? null : options.getSql();
    b.userTransform =
        isBlank(options.getTransformClass())
            ? null
            : UserTransform.load(options.getTransformClass());
    if (b.mapping == null && b.sql == null && b.userTransform == null) {
      // The rows are the files' own: their key columns can be checked now, against all of them.
      new ItemMapper(b.dataset.schema(), b.tableKey, b.format);
    }
  }

  /**
   * The bookmark's settings, checked before any lookup. A replay of dead letters reads no input
   * files, so it has no bookmark: one asked for on the command line is an error, one a Glue job
   * turns on by default is ignored with a warning.
   */
  private static BookmarkSettings bookmarkSettings(
      Parquet2DynamoOptions options, Map<String, String> glueArguments, boolean replay, Builder b) {
    BookmarkSettings settings = BookmarkSettings.resolve(options, glueArguments);
    if (replay) {
      b.warnings.addAll(settings.warnings());
      if (settings.enabled()) {
        if (isBlank(glueArguments.get("job-bookmark-option"))) {
          throw new InvalidInputException(
              "--bookmarkPath does not apply to --replayDeadLetters, which reads dead letters,"
                  + " not input files: leave it out");
        }
        b.warnings.add(
            "--replayDeadLetters reads dead letters, not input files: the job's bookmark ("
                + settings.path()
                + ") is neither read nor updated");
      }
    }
    return settings;
  }

  /**
   * The join, then the mapping compiled once against the whole input; its {@code select} is pushed
   * down to the reader, so columns it does not need are never read.
   */
  private static void planMapping(Builder b, MappingSpec spec, Instant loadTime) {
    Schema input = b.dataset.schema();
    if (spec.join != null) {
      b.join = JoinRows.of(spec.join, input);
      input = b.join.outputSchema();
    }
    b.mapping = Mapping.compile(spec, input, loadTime);
    if (b.mapping.requiredColumns() != null) {
      Set<String> read = new TreeSet<>(b.mapping.requiredColumns());
      if (b.join != null) {
        read.add(b.join.leftKey());
      }
      // The join's columns come from the other dataset; the source fields are always read.
      read.removeIf(c -> !b.dataset.schema().hasField(c) || SourceFields.isSourceField(c));
      b.columns = read;
      if (b.join != null) {
        b.join = b.join.withInput(ParquetSource.project(b.dataset.schema(), read));
      }
      LOG.info("Reading only the columns {}", read);
    }
  }

  /**
   * Checks the columns the write mode and the duplicate rule compare against the schema of the rows
   * that become items (known once the SQL and the user's transform are applied): they must exist
   * and have an order.
   *
   * @throws InvalidInputException naming the option and the column
   */
  public void checkItemColumns(Schema rows) {
    if (write.mode().column() != null) {
      // DynamoDB compares the stored attribute: ISO timestamps sort as text, since every value
      // of a column has the same number of fraction digits (item/IsoTimestamps).
      checkComparable("--writeMode=" + write.mode(), write.mode().column(), rows);
    }
    if (dedupe.column() != null) {
      // The duplicate rule compares the rows' typed values (timestamps in time), whatever the
      // item writes.
      checkComparable("--dedupe=" + dedupe, dedupe.column(), rows);
    }
  }

  private void checkComparable(String option, String column, Schema schema) {
    if (!schema.hasField(column) || SourceFields.isSourceField(column)) {
      throw new InvalidInputException(option + ": '" + column + "' is not a column of the input");
    }
    FieldType type = schema.getField(column).getType();
    AttributeValue.Type dynamoType = ItemMapper.dynamoType(type, format);
    if (!ORDERED.contains(dynamoType)) {
      throw new InvalidInputException(
          option + ": column '" + column + "' maps to " + dynamoType + ", which has no order");
    }
  }

  private static final Set<AttributeValue.Type> ORDERED =
      Set.of(
          AttributeValue.Type.N,
          AttributeValue.Type.S,
          AttributeValue.Type.B,
          AttributeValue.Type.BOOL);

  private static boolean isKey(TableKey key, String column) {
    return key.attributes().stream().anyMatch(a -> a.name.equals(column));
  }

  private static void atLeastOne(String option, int value) {
    if (value < 1) {
      throw new InvalidInputException("--" + option + " must be at least 1, not " + value);
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** A new run id: a UTC timestamp and a random suffix, unique per run, and sorts by time. */
  public static String newRunId() {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now())
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Names this run's output files (dead letters, the dry run's sample). */
  public String runId() {
    return runId;
  }

  public TableKey tableKey() {
    return tableKey;
  }

  /** The input, or null when the run replays dead letters or has {@link #nothingToLoad()}. */
  public ParquetDataset dataset() {
    return dataset;
  }

  /**
   * With {@code --replayDeadLetters}: the pattern of the dead-letter files to replay, else null.
   */
  public String replay() {
    return replay;
  }

  /**
   * Rows the input's footers say they hold (0 when there is {@link #nothingToLoad()}); null for a
   * replay, where no footer says.
   */
  public Long rowsInFiles() {
    return replay != null ? null : dataset == null ? 0L : dataset.rowCount();
  }

  /**
   * Whether the bookmark left no file to read: there is no dataset, and the run stops before any
   * pipeline.
   */
  public boolean nothingToLoad() {
    return bookmark.nothingToLoad();
  }

  /** The run's bookmark, and its commit once the load succeeded; off for a run without one. */
  public BookmarkCommit bookmark() {
    return bookmark;
  }

  /**
   * How many rows the reader hands on per range of a split (0: whole splits): on the SparkRunner,
   * which holds a step's outputs for one element, about {@value #RANGE_BYTES} bytes of rows as the
   * files' footers measure them, whatever the row-group size; the DirectRunner cuts splits itself.
   */
  public long rowsPerRange() {
    return rowsPerRange;
  }

  /** Uncompressed bytes of rows the SparkRunner's reader hands on per element. */
  static final long RANGE_BYTES = 8L << 20;

  /** About how many items the load will see: what sizes the duplicate rule's groups. */
  public long expectedItems() {
    return dataset == null ? 0 : dataset.rowCount();
  }

  /** The columns to read, or null for all of them. */
  public Set<String> columns() {
    return columns;
  }

  /**
   * The columns de-duplication's first pass reads: with no mapping, SQL or transform of the user's,
   * only the key columns and the {@code maxBy} column; otherwise what the load reads ({@link
   * #columns}), since the key may come out of any of them.
   */
  public Set<String> keyColumns() {
    if (mapping != null || sql != null || userTransform != null) {
      return columns;
    }
    Set<String> read = new TreeSet<>();
    tableKey.attributes().forEach(a -> read.add(a.name));
    if (dedupe.column() != null) {
      read.add(dedupe.column());
    }
    read.removeIf(c -> !dataset.schema().hasField(c));
    return read;
  }

  /** The mapping's join, or null. */
  public JoinRows join() {
    return join;
  }

  /** The mapping, or null. */
  public Mapping mapping() {
    return mapping;
  }

  /** The {@code --sql} query, or null. */
  public String sql() {
    return sql;
  }

  /** The user's transform, or null. */
  public UserTransform userTransform() {
    return userTransform;
  }

  public ItemFormat format() {
    return format;
  }

  public DedupePolicy dedupe() {
    return dedupe;
  }

  public WriteBudget budget() {
    return budget;
  }

  public WriteConfig write() {
    return write;
  }

  /** With --writeMode=export or import: where the files go and what is imported; else null. */
  public ExportPlan export() {
    return export;
  }

  /** Whether this is a dry run: everything but the write. */
  public boolean dryRun() {
    return sample >= 0;
  }

  /** With a dry run, how many items to print. */
  public int sampleSize() {
    return Math.max(0, sample);
  }

  /**
   * What the user should hear of before the load runs, one line each: files the listing skipped,
   * endpoints that reach AWS over plain HTTP.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** What the summary says of the plan. */
  public Map<String, Object> summaryFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("table", tableKey.tableName());
    if (replay == null) {
      fields.put("inputFiles", dataset == null ? 0 : dataset.fileCount());
      fields.put("filesIgnored", filesIgnored);
      fields.putAll(bookmark.summaryFields());
    } else {
      fields.put("replayed", replay);
    }
    if (dryRun()) {
      fields.put("dryRun", true);
      if (budget.unitsPerSecond() > 0) {
        // For the summary's estimate of how long the write would take.
        fields.put(LoadSummary.BUDGET_FIELD, budget.unitsPerSecond());
      }
    }
    fields.put("writeMode", write.mode().toString());
    if (export != null) {
      fields.put("exportPath", export.layout().base());
    }
    fields.put("dedupe", dedupe.toString());
    fields.put("writeBudget", budget.toString());
    // Which engine did the load, and under which job name (Glue's JOB_NAME and run id, if any).
    fields.put("runner", runner);
    fields.put("jobName", jobName);
    return fields;
  }

  /** A plan under construction. */
  private static final class Builder {
    String runId;
    TableKey tableKey;
    ParquetDataset dataset;
    long rowsPerRange;
    int filesIgnored;
    BookmarkCommit bookmark;
    String replay;
    Set<String> columns;
    JoinRows join;
    Mapping mapping;
    String sql;
    UserTransform userTransform;
    ItemFormat format;
    DedupePolicy dedupe;
    WriteBudget budget;
    WriteConfig write;
    ExportPlan export;
    int sample;
    final List<String> warnings = new ArrayList<>();
    String runner;
    String jobName;
  }
}
