package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.SampleSales;
import io.parquet2dynamo.testing.SampleSales.Sale;
import io.parquet2dynamo.testing.SampleTable;
import io.parquet2dynamo.testing.WithStandIns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A user's session: the sample data set on the S3 stand-in, loaded on the DirectRunner into a table
 * on DynamoDB Local with the arguments a user types; then every item is compared with the row it
 * came from, and the summary and the dead letters are read back. {@link SparkRunnerIT} runs the
 * same tests on the SparkRunner.
 */
public class Parquet2DynamoIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /** Reads JSON numbers as written, so "1467.10" stays 1467.10. */
  private static final ObjectMapper EXACT_JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  private static Path sampleDir;
  private static List<Sale> sales;

  @BeforeClass
  public static void setUp() throws Exception {
    sampleDir = TMP.newFolder("sample").toPath();
    sales = SampleSales.write(sampleDir);
  }

  /** The options that choose the runner; the DirectRunner is Beam's default. */
  protected List<String> runnerArgs() {
    return List.of();
  }

  /** The runner's name in the summary. */
  protected String runnerName() {
    return "DirectRunner";
  }

  /** Runs the job on this test's runner with the stand-ins' options and {@code args}. */
  private LoadRun load(String... args) {
    List<String> all = new ArrayList<>(LoadRun.standInArgs(standIns, args));
    all.addAll(runnerArgs());
    return LoadRun.of(all);
  }

  private static String salesTable() {
    return SampleTable.create(aws);
  }

  private static void assertTableHolds(String table, Map<String, Sale> survivors) {
    SampleTable.assertHolds(aws, table, survivors);
  }

  @Test
  public void loadsTheSampleFromS3AndAccountsForEveryRow() throws Exception {
    String bucket = aws.createBucket("sample");
    aws.upload(sampleDir, bucket);
    String table = salesTable();

    LoadRun run =
        load(
            "--inputPath=s3://" + bucket + "/sales/",
            "--tableName=" + table,
            "--deadLetterPath=s3://" + bucket + "/rejected/",
            "--summaryPath=s3://" + bucket + "/out/summary.json");

    assertEquals(run.stderr, 0, run.exitCode);
    Map<String, Sale> survivors = SampleTable.expectedSurvivors(sales);
    long rejected = SampleSales.NULL_ORDER_ID_ROWS.size() + SampleSales.EMPTY_ORDER_ID_ROWS.size();
    JsonNode summary = run.summary();
    assertEquals(sales.size(), summary.get("rowsRead").asLong());
    assertEquals(survivors.size(), summary.get("itemsWritten").asLong());
    assertEquals(
        sales.size() - rejected - survivors.size(), summary.get("duplicatesDropped").asLong());
    assertEquals(3 * SampleSales.CORRECTIONS, summary.get("duplicatesDropped").asLong());
    assertEquals(rejected, summary.get("rowsRejected").asLong());
    assertEquals(3, summary.get("rejectedByReason").get("MISSING_KEY").asLong());
    assertEquals(2, summary.get("rejectedByReason").get("EMPTY_KEY").asLong());
    assertEquals(0, summary.get("rowsFiltered").asLong());
    assertTrue(summary.get("reconciled").asBoolean());
    assertEquals(6, summary.get("inputFiles").asInt());
    assertEquals(runnerName(), summary.get("runner").asText());

    assertTableHolds(table, survivors);

    // The summary file holds what stdout printed, elapsed time aside.
    JsonNode written = new ObjectMapper().readTree(aws.read(bucket, "out/summary.json"));
    assertEquals(summary.get("itemsWritten"), written.get("itemsWritten"));
    assertEquals(summary.get("rejectedByReason"), written.get("rejectedByReason"));

    // Every rejected row is in the dead letters once, with its reason, file, row and values.
    List<JsonNode> records = new ArrayList<>();
    for (String key : aws.listKeys(bucket, "rejected/")) {
      for (String line : aws.read(bucket, key).split("\n")) {
        if (!line.isBlank()) {
          records.add(EXACT_JSON.readTree(line));
        }
      }
    }
    assertEquals(rejected, records.size());
    String badFile = "s3://" + bucket + "/sales/region=us/day=2024-01-31/part-00000.parquet";
    Set<Integer> rows = new TreeSet<>();
    for (JsonNode record : records) {
      int row = record.get("sourceRow").asInt();
      rows.add(row);
      Sale sale =
          sales.stream()
              .filter(
                  s ->
                      s.file.endsWith("region=us/day=2024-01-31/part-00000.parquet")
                          && s.row == row)
              .findFirst()
              .orElseThrow();
      String reason = SampleSales.NULL_ORDER_ID_ROWS.contains(row) ? "MISSING_KEY" : "EMPTY_KEY";
      assertEquals(reason, record.get("reason").asText());
      assertEquals(badFile, record.get("sourceFile").asText());
      assertTrue(record.get("message").asText().contains("order_id"));
      assertEquals(sale.line, record.get("row").get("line").asInt());
      assertEquals(sale.amount.toPlainString(), record.get("row").get("amount").toString());
      assertEquals(sale.city, record.get("row").get("shipping").get("city").asText());
      assertEquals("us", record.get("row").get("region").asText());
    }
    Set<Integer> expectedRows = new TreeSet<>(SampleSales.NULL_ORDER_ID_ROWS);
    expectedRows.addAll(SampleSales.EMPTY_ORDER_ID_ROWS);
    assertEquals(expectedRows, rows);
  }

  @Test
  public void loadsALocalGlobIntoOnePartitionWithItsPartitionColumns() {
    String table = salesTable();
    LoadRun run =
        load("--inputPath=" + sampleDir + "/sales/region=eu/*/*.parquet", "--tableName=" + table);

    assertEquals(run.stderr, 0, run.exitCode);
    List<Sale> eu = new ArrayList<>();
    sales.stream().filter(s -> s.region.equals("eu")).forEach(eu::add);
    Map<String, Sale> survivors = SampleTable.expectedSurvivors(eu);
    assertEquals(eu.size(), run.summary().get("rowsRead").asLong());
    assertEquals(survivors.size(), run.summary().get("itemsWritten").asLong());
    assertTableHolds(table, survivors);
  }

  @Test
  public void rejectedRowsWithoutADeadLetterPathFailTheRunAfterTheSummary() {
    String table = salesTable();
    LoadRun run =
        load(
            "--inputPath=" + sampleDir + "/sales/region=us/day=2024-01-31/",
            "--tableName=" + table);

    assertEquals(Parquet2Dynamo.ROWS_NOT_KEPT, run.exitCode);
    assertEquals(5, run.summary().get("rowsRejected").asLong());
    assertTrue(run.errorLine(), run.errorLine().contains("5 rows were rejected"));
    assertTrue(run.errorLine(), run.errorLine().contains("--deadLetterPath"));
  }
}
