package io.parquet2dynamo.sink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.ParquetFiles;
import io.parquet2dynamo.testing.StandInClients;
import io.parquet2dynamo.testing.WithStandIns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A small write budget really slows the load: 800 items of one write unit at 100 units/s cannot
 * take less than about 8 s, where the same load without a budget takes a fraction of that. This
 * checks that the limit is applied, not how fast anything is (scripts/bench-write-rate.sh measures
 * how closely the rate is held).
 */
public class WriteRateLimitIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final int ROWS = 800;
  private static final int BUDGET = 100;

  private static Path input;

  @BeforeClass
  public static void setUp() throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType("message m { required binary id (STRING); }");
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    List<Group> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(groups.newGroup().append("id", "k" + i));
    }
    input = TMP.getRoot().toPath().resolve("items.parquet");
    ParquetFiles.writeGroups(input, schema, rows);
  }

  private static JsonNode load(String... more) {
    String table = aws.createTable("rate", "id", ScalarAttributeType.S, null, null);
    List<String> args =
        new ArrayList<>(
            LoadRun.standInArgs(standIns, "--inputPath=" + input, "--tableName=" + table));
    args.addAll(List.of(more));
    LoadRun run = LoadRun.of(args);
    assertEquals(run.stderr, 0, run.exitCode);
    assertEquals(ROWS, run.summary().get("itemsWritten").asInt());
    return run.summary();
  }

  @Test
  public void aSmallBudgetSlowsTheWriteToItsRate() {
    JsonNode unlimited = load();
    JsonNode limited = load("--maxWriteUnitsPerSecond=" + BUDGET);

    // Each item is under 1 KB: one write unit each, as DynamoDB reports.
    assertEquals(ROWS, limited.get("wcuConsumed").asInt());
    double minimum = (ROWS - BUDGET * WriteRateLimiter.MAX_SAVED_SECONDS * 3) / BUDGET;
    double seconds = limited.get("elapsedSeconds").asDouble();
    assertTrue("took " + seconds + " s, at least " + minimum + " expected", seconds >= minimum);
    assertTrue(
        "the budget must be what slowed it: unlimited took " + unlimited.get("elapsedSeconds"),
        unlimited.get("elapsedSeconds").asDouble() < minimum / 2);
    assertEquals(
        "100 write units/s (--maxWriteUnitsPerSecond=100)", limited.get("writeBudget").asText());
  }

  @Test
  public void aPercentageOfAProvisionedTableBecomesTheBudget() {
    String table = StandInClients.uniqueName("provisioned");
    aws.dynamoDb.createTable(
        b ->
            b.tableName(table)
                .attributeDefinitions(
                    a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(4000L)));
    List<String> args =
        new ArrayList<>(
            LoadRun.standInArgs(
                standIns,
                "--inputPath=" + input,
                "--tableName=" + table,
                "--writeCapacityPercent=50"));
    LoadRun run = LoadRun.of(args);

    assertEquals(run.stderr, 0, run.exitCode);
    assertEquals(
        "2000 write units/s (50% of table '" + table + "''s provisioned 4000 WCU)",
        run.summary().get("writeBudget").asText());
    assertEquals(ROWS, run.summary().get("itemsWritten").asInt());
  }
}
