package io.parquet2dynamo.plan;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.options.RunnerTuning;
import io.parquet2dynamo.testing.FakeCatalog;
import io.parquet2dynamo.testing.SampleSales;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
        List.of("describeTable sales", "scan " + root.resolve("sales") + "/"), catalog.calls);
  }

  @Test
  public void aPercentOfCapacityIsSplitOverTheRunnersWriters() {
    LoadPlan plan = plan("--writeCapacityPercent=25");

    assertEquals(50, plan.write().unitsPerSecond(), 0);
    assertEquals(RunnerTuning.parallelism(PipelineOptionsFactory.create()), plan.write().shards());
    assertEquals(7, plan("--maxWriteUnitsPerSecond=100", "--writeShards=7").write().shards());
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
            + " putIfNewer:<column>, delete",
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

    LoadPlan byTime = plan("--dedupe=maxBy:ordered_at");
    assertTrue(
        assertThrows(InvalidInputException.class, () -> byTime.checkItemColumns(rows))
            .getMessage()
            .contains("is a timestamp written as ISO text"));
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
}
