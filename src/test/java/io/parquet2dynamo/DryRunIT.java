package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.testing.AwsCli;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.OnBothRunners;
import io.parquet2dynamo.testing.ParquetFiles;
import io.parquet2dynamo.testing.SampleSales;
import io.parquet2dynamo.testing.SampleSales.Sale;
import io.parquet2dynamo.testing.SampleTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code --dryRun}: the sample loads as far as the write and no further, the summary says what
 * would be written and the write units it would take (what DynamoDB Local then charges the real
 * load), and the sampled items are DynamoDB JSON that the AWS CLI's {@code put-item} takes as it
 * is, giving exactly the item the load would have written; a dry run's status is its exit code's;
 * on both runners.
 */
public class DryRunIT extends OnBothRunners {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void aDryRunWritesNothingAndPrintsItemsPutItemTakes() throws Exception {
    Path dir = TMP.newFolder().toPath();
    List<Sale> sales = SampleSales.write(dir);
    String table = SampleTable.create(aws);

    LoadRun run =
        load(
            "--inputPath=" + dir + "/sales/",
            "--tableName=" + table,
            "--deadLetterPath=" + TMP.newFolder(),
            "--dryRun",
            "--sample=3");

    assertEquals(run.stderr, 0, run.exitCode);
    JsonNode summary = run.summary();
    Map<String, Sale> survivors = SampleTable.expectedSurvivors(sales);
    assertTrue(summary.get("dryRun").asBoolean());
    assertEquals(0, summary.get("itemsWritten").asInt());
    assertEquals(survivors.size(), summary.get("itemsToWrite").asInt());
    assertTrue(summary.get("reconciled").asBoolean());
    assertEquals(0, (int) aws.dynamoDb.scan(b -> b.tableName(table).select("COUNT")).count());

    List<String> sample = new ArrayList<>();
    run.stdout
        .lines()
        .filter(l -> l.startsWith("SAMPLE "))
        .forEach(l -> sample.add(l.substring(7)));
    assertEquals(3, sample.size());
    // Each sampled item, put with the AWS CLI, is the item the load would have written.
    for (String item : sample) {
      AwsCli.putItem(standIns.dynamoDbEndpoint(), table, item);
    }
    Map<String, Sale> written = new java.util.HashMap<>();
    aws.scan(table, i -> i.get("order_id").s() + "#" + i.get("line").n())
        .keySet()
        .forEach(k -> written.put(k, survivors.get(k)));
    assertEquals(3, written.size());
    SampleTable.assertHolds(aws, table, written);

    // The estimate is what DynamoDB charges for the same items: load them for real.
    long estimated = summary.get("estimatedWriteUnits").asLong();
    assertTrue(summary.toString(), estimated >= survivors.size());
    String loaded = SampleTable.create(aws);
    LoadRun real =
        load(
            "--inputPath=" + dir + "/sales/",
            "--tableName=" + loaded,
            "--deadLetterPath=" + TMP.newFolder());
    assertEquals(real.stderr, 0, real.exitCode);
    assertEquals(estimated, real.summary().get("wcuConsumed").asLong());
  }

  @Test
  public void theEstimateIsWhatDynamoDbChargesForItemsOfAnySize() throws Exception {
    // Items around the 1 KB steps DynamoDB charges by, and one of 300 KB.
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { required binary id (STRING); optional binary payload (STRING);"
                + " optional double n; }");
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    List<Group> rows = new ArrayList<>();
    int[] sizes = {1, 990, 1010, 1024, 2040, 2060, 5000, 300_000};
    for (int i = 0; i < sizes.length; i++) {
      rows.add(
          groups
              .newGroup()
              .append("id", "item-" + i)
              .append("payload", "x".repeat(sizes[i]))
              .append("n", -12.5 * i));
    }
    Path file = TMP.newFolder().toPath().resolve("sizes.parquet");
    ParquetFiles.writeGroups(file, schema, rows);
    String table = aws.createTable("estimate", "id", ScalarAttributeType.S, null, null);

    LoadRun dryRun = load("--inputPath=" + file, "--tableName=" + table, "--dryRun");
    LoadRun real = load("--inputPath=" + file, "--tableName=" + table);

    assertEquals(dryRun.stderr, 0, dryRun.exitCode);
    assertEquals(real.stderr, 0, real.exitCode);
    long estimated = dryRun.summary().get("estimatedWriteUnits").asLong();
    // One unit per started KB of each item, names included: the 300 KB item alone is 293.
    assertTrue("" + estimated, estimated > 300);
    assertEquals(estimated, real.summary().get("wcuConsumed").asLong());
  }

  @Test
  public void aDryRunsStatusIsItsExitCodesAndABudgetGivesTheWritesTime() throws Exception {
    Path dir = TMP.newFolder().toPath();
    SampleSales.write(dir);
    String table = SampleTable.create(aws);

    // The sample has rows without a key: without --deadLetterPath they would be lost.
    LoadRun run =
        load(
            "--inputPath=" + dir + "/sales/",
            "--tableName=" + table,
            "--dryRun",
            "--maxWriteUnitsPerSecond=40");

    JsonNode summary = run.summary();
    assertEquals("ROWS_NOT_KEPT", summary.get("status").asText());
    assertEquals(Parquet2Dynamo.ROWS_NOT_KEPT, run.exitCode);
    assertTrue(run.stdout, run.stdout.contains("\nROWS_NOT_KEPT: "));
    long units = summary.get("estimatedWriteUnits").asLong();
    assertEquals((units + 39) / 40, summary.get("estimatedWriteSeconds").asLong());
    assertTrue(
        run.stdout,
        run.stdout.contains(
            "Estimated "
                + units
                + " write units (WCU) to write them; at the budget of 40 WCU/s, at least "
                + (units + 39) / 40
                + " s"));

    LoadRun kept =
        load(
            "--inputPath=" + dir + "/sales/",
            "--tableName=" + table,
            "--dryRun",
            "--deadLetterPath=" + TMP.newFolder());
    assertEquals("SUCCEEDED", kept.summary().get("status").asText());
    assertEquals(0, kept.exitCode);
    assertEquals(units, kept.summary().get("estimatedWriteUnits").asLong());
    assertTrue(kept.summary().toString(), !kept.summary().has("estimatedWriteSeconds"));
  }

  /**
   * Puts the item with the AWS CLI's {@code put-item --item}, as a user would; where the machine
   * has no CLI, with the same PutItem request the CLI sends (DynamoDB's JSON protocol, over HTTP),
   * so DynamoDB Local itself is what parses the item.
   */
}
