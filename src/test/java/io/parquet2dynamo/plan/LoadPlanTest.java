package io.parquet2dynamo.plan;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.testing.FakeCatalog;
import io.parquet2dynamo.testing.SampleSales;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Tests {@link LoadPlan}: what a load will do, decided from options without a pipeline. */
public class LoadPlanTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private Path root;
  private FakeCatalog catalog;

  @Before
  public void writeSales() throws IOException {
    root = tmp.getRoot().toPath();
    SampleSales.write(root);
    catalog = new FakeCatalog(FakeCatalog.table("sales", "order_id", "line", 200));
  }

  private LoadPlan plan(String... more) {
    List<String> args = new ArrayList<>();
    args.add("--inputPath=" + root.resolve("sales") + "/");
    args.add("--tableName=sales");
    args.addAll(List.of(more));
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .as(Parquet2DynamoOptions.class);
    return LoadPlan.resolve(options, catalog, Instant.EPOCH, "run-1");
  }

  private String refusal(String... args) {
    return assertThrows(InvalidInputException.class, () -> plan(args)).getMessage();
  }

  /** A plan of this run as Glue starts it: its own arguments beside the options. */
  private LoadPlan planOnGlue(Map<String, String> glueArguments, String... more) {
    List<String> args = new ArrayList<>();
    args.add("--inputPath=" + root.resolve("sales") + "/");
    if (Stream.of(more).noneMatch(a -> a.startsWith("--tableName="))) {
      args.add("--tableName=sales");
    }
    args.addAll(List.of(more));
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .as(Parquet2DynamoOptions.class);
    return LoadPlan.resolve(options, glueArguments, catalog, Instant.EPOCH, "run-glue");
  }

  /** Records the plan's files in its bookmark, as the main class does after a load succeeded. */
  private static void commit(LoadPlan plan) {
    assertTrue(plan.bookmark().run().commit(plan.runId(), plan.dataset().rowsByFile()));
  }

  /** The sample's files, sorted by path. */
  private List<Path> salesFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root.resolve("sales"))) {
      return files.filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> bookmarkField(LoadPlan plan) {
    return (Map<String, Object>) plan.summaryFields().get("bookmark");
  }

  @Test
  public void aPlainLoadReadsEveryColumnAndPutsAsFastAsTheTableTakes() {
    LoadPlan plan = plan();

    assertEquals("sales", plan.tableKey().tableName());
    assertEquals("order_id", plan.tableKey().attributes().get(0).name);
    assertEquals("line", plan.tableKey().attributes().get(1).name);
    assertEquals(6, plan.dataset().fileCount());
    assertEquals(3000, plan.dataset().rowCount());
    assertNull("every column", plan.columns());
    assertNull(plan.mapping());
    assertEquals("put", plan.write().mode().toString());
    assertEquals("last", plan.dedupe().toString());
    assertEquals(0, plan.write().unitsPerSecond(), 0);
    assertEquals(10, plan.write().maxAttempts());
    assertEquals(4, plan.write().concurrency());
    assertFalse(plan.dryRun());
    assertEquals(
        List.of("describeTable sales", "list " + root.resolve("sales") + "/", "scan 6 files"),
        catalog.calls);
  }

  @Test
  public void aPercentOfCapacityIsSplitOverTheRunnersWriters() {
    LoadPlan plan = plan("--writeCapacityPercent=25");

    assertEquals(50, plan.write().unitsPerSecond(), 0);
    assertEquals(1, plan.write().processes());
    assertEquals(7, plan("--maxWriteUnitsPerSecond=100", "--writeShards=7").write().processes());
  }

  @Test
  public void aMappingsSelectIsPushedDownToTheReader() throws IOException {
    Path mapping = root.resolve("mapping.yaml");
    Files.writeString(
        mapping,
        "select: [order_id, line, amount]\nfilter: \"quantity > 1\"\nrename: {amount: total}\n");

    LoadPlan plan = plan("--mapping=" + mapping);

    assertEquals(Set.of("amount", "line", "order_id", "quantity"), plan.columns());
    Schema out = plan.mapping().outputSchema();
    assertTrue(out.toString(), out.hasField("total"));
    assertFalse(out.toString(), out.hasField("quantity"));
  }

  @Test
  public void optionsWithAFixedSetOfValuesAreCheckedBeforeAnyLookup() {
    assertEquals(
        "--writeMode=upsert is not a valid value; use one of put, putIfAbsent,"
            + " putIfNewer:<column>, update, delete, export, import",
        refusal("--writeMode=upsert"));
    assertEquals(
        "--dedupe=first is not a valid value; use one of last, maxBy:<column>, none",
        refusal("--dedupe=first"));
    assertEquals(
        "--timestampFormat=epochNanos is not a valid value; use one of iso, epochSeconds,"
            + " epochMillis, epochMicros",
        refusal("--timestampFormat=epochNanos"));
    assertEquals(
        "--nullPolicy=drop is not a valid value; use one of omit, null",
        refusal("--nullPolicy=drop"));
    assertEquals(
        "--logLevel=verbose is not a valid value; use one of warn, info, debug, trace",
        refusal("--logLevel=verbose"));
    assertEquals("--maxWriteAttempts must be at least 1, not 0", refusal("--maxWriteAttempts=0"));
    assertEquals(
        "--progressSeconds must be 0 (no PROGRESS lines) or more, not -1",
        refusal("--progressSeconds=-1"));
    assertEquals("no DescribeTable, no listing", List.of(), catalog.calls);
  }

  @Test
  public void aConditionOnTheTablesKeyIsRefused() {
    assertEquals(
        "--writeMode=putIfNewer:line: 'line' is a key of the table",
        refusal("--writeMode=putIfNewer:line"));
  }

  @Test
  public void columnsThatDecideBetweenItemsMustHaveAnOrder() {
    LoadPlan byTags = plan("--dedupe=maxBy:tags");
    Schema rows = byTags.dataset().schema();
    InvalidInputException list =
        assertThrows(InvalidInputException.class, () -> byTags.checkItemColumns(rows));
    assertEquals(
        "--dedupe=maxBy:tags: column 'tags' maps to L, which has no order", list.getMessage());

    LoadPlan byMissing = plan("--writeMode=putIfNewer:nope");
    assertEquals(
        "--writeMode=putIfNewer:nope: 'nope' is not a column of the input",
        assertThrows(InvalidInputException.class, () -> byMissing.checkItemColumns(rows))
            .getMessage());

    // The duplicate rule compares the typed values, whatever form the item writes them in.
    plan("--dedupe=maxBy:ordered_at").checkItemColumns(rows);
    plan("--dedupe=maxBy:ordered_at", "--timestampFormat=epochMicros").checkItemColumns(rows);
    // DynamoDB compares the stored text, whose order is time order (fixed fraction digits).
    plan("--writeMode=putIfNewer:ordered_at").checkItemColumns(rows);
  }

  @Test
  public void skippedFilesAreCountedAndNamedInAWarning() throws IOException {
    Path sales = root.resolve("sales");
    Files.writeString(sales.resolve("_SUCCESS"), "");
    Files.writeString(sales.resolve("README.txt"), "about the data");

    LoadPlan plan = plan();

    assertEquals(6, plan.summaryFields().get("inputFiles"));
    assertEquals(2, plan.summaryFields().get("filesIgnored"));
    assertEquals(1, plan.warnings().size());
    String warning = plan.warnings().get(0);
    assertTrue(warning, warning.startsWith("--inputPath: ignored 2 files: 1 hidden"));
    assertTrue(warning, warning.contains(sales.resolve("_SUCCESS").toString()));
    assertTrue(warning, warning.contains(sales.resolve("README.txt").toString()));
  }

  @Test
  public void nothingSkippedNoWarning() {
    LoadPlan plan = plan();
    assertEquals(0, plan.summaryFields().get("filesIgnored"));
    assertEquals(List.of(), plan.warnings());
  }

  @Test
  public void plainHttpToAnAwsHostIsWarnedOf() {
    LoadPlan plan =
        plan(
            "--dynamoDbEndpoint=http://dynamodb.eu-west-1.amazonaws.com",
            "--s3Endpoint=https://s3.eu-west-1.amazonaws.com",
            "--endpoint=http://127.0.0.1:8000");

    assertEquals(1, plan.warnings().size());
    assertTrue(
        plan.warnings().get(0),
        plan.warnings()
            .get(0)
            .startsWith(
                "--dynamoDbEndpoint=http://dynamodb.eu-west-1.amazonaws.com reaches AWS over"
                    + " plain HTTP"));
  }

  @Test
  public void aDryRunSamplesInsteadOfWriting() {
    LoadPlan plan = plan("--dryRun", "--sample=3");

    assertTrue(plan.dryRun());
    assertEquals(3, plan.sampleSize());
    assertEquals(true, plan.summaryFields().get("dryRun"));
  }

  @Test
  public void aBookmarkReadsTheFootersOfNewAndChangedFilesOnly() throws IOException {
    String bookmark = root.resolve("state/sales.json").toString();
    LoadPlan first = plan("--bookmarkPath=" + bookmark);
    assertEquals(6, first.dataset().fileCount());
    assertEquals(6, first.summaryFields().get("filesLoaded"));
    assertEquals(null, bookmarkField(first).get("previousRunId"));
    commit(first);

    // One file rewritten (a new modification time), one added: only those two are read.
    List<Path> files = salesFiles();
    Files.setLastModifiedTime(files.get(2), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    Path added = root.resolve("sales/region=eu/day=2030-01-01/part-00000.parquet");
    Files.createDirectories(added.getParent());
    Files.copy(files.get(0), added);
    catalog.calls.clear();

    LoadPlan second = plan("--bookmarkPath=" + bookmark);

    assertEquals(
        List.of("describeTable sales", "list " + root.resolve("sales") + "/", "scan 2 files"),
        catalog.calls);
    assertEquals(
        Set.of(files.get(2).toString(), added.toString()), second.dataset().rowsByFile().keySet());
    assertEquals(1000, (long) second.rowsInFiles());
    Map<String, Object> fields = second.summaryFields();
    assertEquals(2, fields.get("inputFiles"));
    assertEquals(2, fields.get("filesLoaded"));
    assertEquals(5, fields.get("filesSkipped"));
    assertEquals(0, fields.get("filesGone"));
    assertEquals(0, fields.get("filesPending"));
    assertEquals(bookmark, bookmarkField(second).get("path"));
    assertEquals("run-1", bookmarkField(second).get("previousRunId"));
    assertEquals(1, bookmarkField(second).get("newFiles"));
    assertEquals(1, bookmarkField(second).get("changedFiles"));
    assertEquals(false, bookmarkField(second).get("updated"));
    assertFalse(second.nothingToLoad());
  }

  @Test
  public void nothingNewLeavesNoDatasetAndReadsNoFooter() throws IOException {
    String bookmark = root.resolve("sales.json").toString();
    commit(plan("--bookmarkPath=" + bookmark));
    Files.delete(salesFiles().get(5));
    catalog.calls.clear();

    // A mapping that fits no input is not compiled: there are no rows to map.
    Path mapping = root.resolve("mapping.yaml");
    Files.writeString(mapping, "select: [no_such_column]\n");
    LoadPlan idle = plan("--bookmarkPath=" + bookmark, "--mapping=" + mapping);

    assertTrue(idle.nothingToLoad());
    assertNull(idle.dataset());
    assertNull(idle.mapping());
    assertEquals(0L, (long) idle.rowsInFiles());
    assertEquals(
        List.of("describeTable sales", "list " + root.resolve("sales") + "/"), catalog.calls);
    Map<String, Object> fields = idle.summaryFields();
    assertEquals(0, fields.get("inputFiles"));
    assertEquals(0, fields.get("filesLoaded"));
    assertEquals(5, fields.get("filesSkipped"));
    assertEquals(1, fields.get("filesGone"));
    assertEquals("put", fields.get("writeMode"));
  }

  @Test
  public void maxFilesPerRunLoadsTheOldestPendingFilesFirst() throws IOException {
    List<Path> files = salesFiles();
    // The last file by path is the oldest, then the fourth.
    for (int i = 0; i < files.size(); i++) {
      Files.setLastModifiedTime(files.get(i), FileTime.fromMillis(1_000_000L * (10 + i)));
    }
    Files.setLastModifiedTime(files.get(5), FileTime.fromMillis(1_000L));
    Files.setLastModifiedTime(files.get(3), FileTime.fromMillis(2_000L));
    String bookmark = root.resolve("sales.json").toString();

    LoadPlan slice = plan("--bookmarkPath=" + bookmark, "--maxFilesPerRun=2");

    assertEquals(
        Set.of(files.get(3).toString(), files.get(5).toString()),
        slice.dataset().rowsByFile().keySet());
    assertEquals(2, slice.summaryFields().get("filesLoaded"));
    assertEquals(4, slice.summaryFields().get("filesPending"));
    commit(slice);
    LoadPlan next = plan("--bookmarkPath=" + bookmark, "--maxBytesPerRun=1");
    assertEquals(
        "at least one file, even one larger than the limit",
        Set.of(files.get(0).toString()),
        next.dataset().rowsByFile().keySet());
    assertEquals(3, next.summaryFields().get("filesPending"));
  }

  @Test
  public void bookmarkOptionsAreCheckedBeforeAnyLookup() {
    assertEquals(
        "--maxFilesPerRun needs a bookmark: give --bookmarkPath (or, on Glue, --job-bookmark-option"
            + " job-bookmark-enable)",
        refusal("--maxFilesPerRun=10"));
    assertEquals(
        "--maxBytesPerRun must be 1 or more, not 0",
        refusal("--bookmarkPath=" + root.resolve("b.json"), "--maxBytesPerRun=0"));
    assertEquals(
        "--bookmarkPath does not apply to --replayDeadLetters, which reads dead letters, not input"
            + " files: leave it out",
        assertThrows(
                InvalidInputException.class,
                () ->
                    LoadPlan.resolve(
                        PipelineOptionsFactory.fromArgs(
                                "--replayDeadLetters=" + root,
                                "--tableName=sales",
                                "--bookmarkPath=" + root.resolve("b.json"))
                            .as(Parquet2DynamoOptions.class),
                        catalog,
                        Instant.EPOCH,
                        "run-1"))
            .getMessage());
    assertEquals(List.of(), catalog.calls);
  }

  @Test
  public void aBookmarkOfAnotherTableStopsThePlanBeforeAnyFooterIsRead() {
    String bookmark = root.resolve("sales.json").toString();
    commit(plan("--bookmarkPath=" + bookmark));
    catalog = new FakeCatalog(FakeCatalog.table("orders", "order_id", "line", 200));

    String refusal =
        assertThrows(
                InvalidInputException.class,
                () -> planOnGlue(Map.of(), "--tableName=orders", "--bookmarkPath=" + bookmark))
            .getMessage();

    assertTrue(
        refusal,
        refusal.startsWith("the bookmark " + bookmark + " records the table sales, not orders:"));
    assertTrue(refusal, refusal.contains("--bookmarkReset"));
    assertEquals(
        List.of("describeTable orders", "list " + root.resolve("sales") + "/"), catalog.calls);
  }

  @Test
  public void gluesBookmarkOptionKeepsTheBookmarkInItsTemporaryDirectory() {
    Map<String, String> glue =
        Map.of(
            "job-bookmark-option", "job-bookmark-enable",
            "TempDir", root.resolve("glue-tmp") + "/",
            "JOB_NAME", "nightly sales");

    LoadPlan plan = planOnGlue(glue);

    assertEquals(
        root.resolve("glue-tmp/parquet2dynamo-bookmarks/nightly_sales.json").toString(),
        bookmarkField(plan).get("path"));
    assertEquals("enable", bookmarkField(plan).get("mode"));
    assertEquals(6, plan.summaryFields().get("filesLoaded"));

    Map<String, String> disabled = new java.util.HashMap<>(glue);
    disabled.put("job-bookmark-option", "job-bookmark-disable");
    LoadPlan off = planOnGlue(disabled, "--bookmarkPath=" + root.resolve("b.json"));
    assertNull("no bookmark fields", off.summaryFields().get("bookmark"));
    assertNull(off.summaryFields().get("filesLoaded"));
    assertEquals(6, off.dataset().fileCount());
    assertEquals(1, off.warnings().size());
    assertTrue(off.warnings().get(0), off.warnings().get(0).startsWith("--bookmarkPath ignored"));
  }

  @Test
  public void aReplayOnAGlueJobWithBookmarksIgnoresThemWithAWarning() throws IOException {
    Path dead = Files.createDirectories(root.resolve("dead"));
    Files.writeString(dead.resolve("dead-letters-run-0-00000.jsonl"), "");
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs("--replayDeadLetters=" + dead, "--tableName=sales")
            .as(Parquet2DynamoOptions.class);

    LoadPlan plan =
        LoadPlan.resolve(
            options,
            Map.of(
                "job-bookmark-option", "job-bookmark-enable",
                "TempDir", root + "/tmp/",
                "JOB_NAME", "nightly"),
            catalog,
            Instant.EPOCH,
            "run-1");

    assertFalse(plan.nothingToLoad());
    assertNull(plan.summaryFields().get("bookmark"));
    assertEquals(1, plan.warnings().size());
    assertTrue(
        plan.warnings().get(0),
        plan.warnings().get(0).startsWith("--replayDeadLetters reads dead letters"));
  }
}
