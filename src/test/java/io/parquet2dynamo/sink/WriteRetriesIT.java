package io.parquet2dynamo.sink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.Parquet2Dynamo;
import io.parquet2dynamo.testing.Faults;
import io.parquet2dynamo.testing.FaultyDynamoDb;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.ParquetFiles;
import io.parquet2dynamo.testing.WithStandIns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The writer against DynamoDB Local behind {@link FaultyDynamoDb}, a proxy that throttles, answers
 * 500 or leaves items unprocessed: every row ends in the table or, once its retries are spent, in
 * the dead letters exactly once, and the counts reconcile.
 */
public class WriteRetriesIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required binary id (STRING); required binary v (STRING); }");
  private static final int ROWS = 2000;

  private static Path input;

  /** The first {@value #SMALL_ROWS} rows, for the one-request-per-item modes. */
  private static Path smallInput;

  private static final int SMALL_ROWS = 300;

  @BeforeClass
  public static void setUp() throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    List<Group> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(groups.newGroup().append("id", "k" + i).append("v", "value-" + i));
    }
    input = TMP.getRoot().toPath().resolve("items.parquet");
    ParquetFiles.writeGroups(input, SCHEMA, rows);
    smallInput = TMP.getRoot().toPath().resolve("small.parquet");
    ParquetFiles.writeGroups(smallInput, SCHEMA, rows.subList(0, SMALL_ROWS));
  }

  private static LoadRun load(FaultyDynamoDb proxy, String table, String... more) {
    return load(proxy, table, input, more);
  }

  private static LoadRun load(FaultyDynamoDb proxy, String table, Path input, String... more) {
    List<String> args = new ArrayList<>(LoadRun.standInArgs(standIns));
    // Every DynamoDB call of the job goes through the proxy.
    args.removeIf(a -> a.startsWith("--dynamoDbEndpoint="));
    args.add("--dynamoDbEndpoint=" + proxy.endpoint());
    args.add("--inputPath=" + input);
    args.add("--tableName=" + table);
    args.addAll(List.of(more));
    return LoadRun.of(args);
  }

  private static Map<String, String> values(String table) {
    Map<String, String> values = new TreeMap<>();
    aws.scan(table, i -> i.get("id").s()).forEach((id, item) -> values.put(id, item.get("v").s()));
    return values;
  }

  private static Map<String, String> expected(String... except) {
    return expected(ROWS, except);
  }

  private static Map<String, String> expected(int rows, String... except) {
    Map<String, String> values = new TreeMap<>();
    for (int i = 0; i < rows; i++) {
      values.put("k" + i, "value-" + i);
    }
    for (String key : except) {
      values.remove(key);
    }
    return values;
  }

  @Test
  public void throttlingServerErrorsAndUnprocessedItemsAreRetriedUntilEverythingIsWritten()
      throws IOException {
    String table = aws.createTable("retries", "id", ScalarAttributeType.S, null, null);
    Faults faults =
        Faults.builder()
            .seed(7)
            .throttleFraction(0.2)
            .serverErrorFraction(0.1)
            .unprocessedFraction(0.3)
            .build();
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults)) {
      LoadRun run = load(proxy, table, "--maxWriteAttempts=30");

      assertEquals(run.stderr, 0, run.exitCode);
      JsonNode summary = run.summary();
      assertEquals(ROWS, summary.get("itemsWritten").asInt());
      assertEquals(0, summary.get("rowsRejected").asInt());
      assertTrue(summary.get("reconciled").asBoolean());
      // The faults really happened, and the writer counted them.
      assertTrue(proxy.stats().throttled() > 0);
      assertTrue(proxy.stats().serverErrors() > 0);
      assertTrue(proxy.stats().itemsWithheld() > 0);
      assertTrue(
          summary.toString(),
          summary.get("throttledRequests").asLong() >= proxy.stats().throttled());
      assertTrue(summary.get("retries").asLong() >= proxy.stats().serverErrors());
    }
    assertEquals(expected(), values(table));
  }

  @Test
  public void itemsThatOutlastTheirRetriesGoToTheDeadLettersOnce() throws IOException {
    String table = aws.createTable("retries", "id", ScalarAttributeType.S, null, null);
    Path dead = TMP.newFolder().toPath();
    Faults faults =
        Faults.builder()
            .seed(11)
            .throttleFraction(0.1)
            .partitionKey("id")
            .alwaysThrottleKeys("k7", "k1234")
            .build();
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults)) {
      LoadRun run = load(proxy, table, "--maxWriteAttempts=4", "--deadLetterPath=" + dead);

      // Completed, but not everything is in the table: a scheduler must not see success.
      assertEquals(run.stderr, Parquet2Dynamo.INCOMPLETE, run.exitCode);
      assertTrue(run.errorLine(), run.errorLine().contains("--replayDeadLetters="));
      JsonNode summary = run.summary();
      assertEquals("INCOMPLETE", summary.get("status").asText());
      assertEquals(ROWS - 2, summary.get("itemsWritten").asInt());
      assertEquals(2, summary.get("rowsRejected").asInt());
      assertEquals(2, summary.get("rejectedByReason").get("WRITE_FAILED").asInt());
      assertTrue(summary.get("reconciled").asBoolean());
    }
    assertEquals(expected("k7", "k1234"), values(table));
    List<JsonNode> letters = LoadRun.deadLetters(dead);
    Map<String, JsonNode> byId = new TreeMap<>();
    for (JsonNode letter : letters) {
      byId.put(letter.get("row").get("id").asText(), letter);
    }
    assertEquals(2, letters.size());
    assertEquals(List.of("k1234", "k7"), new ArrayList<>(byId.keySet()));
    JsonNode k7 = byId.get("k7");
    assertEquals("WRITE_FAILED", k7.get("reason").asText());
    assertTrue(k7.get("message").asText(), k7.get("message").asText().contains("after 4 attempts"));
    assertEquals(input.toString(), k7.get("sourceFile").asText());
    assertEquals(7, k7.get("sourceRow").asInt());
    // The item, ready to put again: aws dynamodb put-item --item '<item>'.
    assertEquals("value-7", k7.get("item").get("v").get("S").asText());
  }

  @Test
  public void failOnWriteErrorStopsTheJobInstead() throws IOException {
    String table = aws.createTable("retries", "id", ScalarAttributeType.S, null, null);
    Faults faults = Faults.builder().seed(3).partitionKey("id").alwaysThrottleKeys("k5").build();
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults)) {
      LoadRun run = load(proxy, table, "--maxWriteAttempts=2", "--failOnWriteError");

      assertEquals(Parquet2Dynamo.LOAD_FAILED, run.exitCode);
      assertTrue(run.errorLine(), run.errorLine().contains("not written after 2 attempts"));
      assertTrue(run.errorLine(), run.errorLine().contains("--failOnWriteError"));
      assertTrue(run.errorLine(), !run.stderr.contains("\tat "));
    }
  }

  @Test
  public void conditionalWritesAreRetriedToo() throws IOException {
    String table = aws.createTable("retries", "id", ScalarAttributeType.S, null, null);
    Faults faults =
        Faults.builder().seed(5).throttleFraction(0.25).serverErrorFraction(0.1).build();
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults)) {
      LoadRun run =
          load(proxy, table, smallInput, "--writeMode=putIfAbsent", "--maxWriteAttempts=30");

      assertEquals(run.stderr, 0, run.exitCode);
      JsonNode summary = run.summary();
      assertEquals(SMALL_ROWS, summary.get("itemsWritten").asInt());
      assertEquals(0, summary.get("skippedByCondition").asInt());
      assertTrue(summary.get("reconciled").asBoolean());
      assertTrue(proxy.stats().throttled() > 0);
    }
    assertEquals(expected(SMALL_ROWS), values(table));
  }

  @Test
  public void anItemDynamoDbRefusesIsADeadLetterAndTheRestOfItsBatchIsWritten() throws IOException {
    String table = aws.createTable("refused", "id", ScalarAttributeType.S, null, null);
    Path dead = TMP.newFolder().toPath();
    Faults faults = Faults.builder().partitionKey("id").refusedKeys(Set.of("k10", "k1500")).build();
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults)) {
      LoadRun run = load(proxy, table, "--deadLetterPath=" + dead);

      // One refused item does not stop the load; kept in the dead letters, it is a success.
      assertEquals(run.stderr, 0, run.exitCode);
      JsonNode summary = run.summary();
      assertEquals("SUCCEEDED", summary.get("status").asText());
      assertEquals(ROWS - 2, summary.get("itemsWritten").asInt());
      assertEquals(2, summary.get("rejectedByReason").get("REFUSED_BY_DYNAMODB").asInt());
      assertTrue(summary.get("reconciled").asBoolean());
      assertTrue(proxy.stats().refused() > 0);
    }
    assertEquals(expected("k10", "k1500"), values(table));
    Map<String, JsonNode> byId = new TreeMap<>();
    LoadRun.deadLetters(dead).forEach(d -> byId.put(d.get("row").get("id").asText(), d));
    assertEquals(Set.of("k10", "k1500"), byId.keySet());
    JsonNode k10 = byId.get("k10");
    assertEquals("REFUSED_BY_DYNAMODB", k10.get("reason").asText());
    // DynamoDB's own words, the key, the file and the row.
    String message = k10.get("message").asText();
    assertTrue(message, message.contains("Item size has exceeded the maximum allowed size"));
    assertTrue(message, message.contains("\"id\":{\"S\":\"k10\"}"));
    assertEquals(input.toString(), k10.get("sourceFile").asText());
    assertEquals(10, k10.get("sourceRow").asInt());
  }

  @Test
  public void anOutageLongerThanTheRetriesEndsIncompleteAndAReplayCompletesTheLoad()
      throws IOException {
    String table = aws.createTable("outage", "id", ScalarAttributeType.S, null, null);
    Path dead = TMP.newFolder().toPath();
    // Half the requests throttled (not written), a third applied with the answer lost.
    Faults faults =
        Faults.builder().seed(17).throttleFraction(0.5).answerLostFraction(0.35).build();
    JsonNode summary;
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults)) {
      LoadRun run = load(proxy, table, "--maxWriteAttempts=2", "--deadLetterPath=" + dead);

      assertEquals(run.stderr, Parquet2Dynamo.INCOMPLETE, run.exitCode);
      summary = run.summary();
      assertEquals("INCOMPLETE", summary.get("status").asText());
      assertTrue(summary.get("reconciled").asBoolean());
      assertTrue(proxy.stats().answersLost() > 0);
    }
    Map<String, String> stored = values(table);
    Map<String, String> failed = new TreeMap<>();
    Map<String, String> unconfirmed = new TreeMap<>();
    for (JsonNode d : LoadRun.deadLetters(dead)) {
      String id = d.get("row").get("id").asText();
      (d.get("reason").asText().equals("WRITE_FAILED") ? failed : unconfirmed)
          .put(id, d.get("reason").asText());
    }
    assertEquals(summary.get("rowsRejected").asInt(), failed.size() + unconfirmed.size());
    assertTrue("some writes fail for certain", !failed.isEmpty());
    assertTrue("some outcomes are unknown", !unconfirmed.isEmpty());
    // Not written for certain means not in the table.
    for (String id : failed.keySet()) {
      assertTrue(id + " is WRITE_FAILED but stored", !stored.containsKey(id));
    }
    // Everything stored was either confirmed or is among the unconfirmed.
    long storedUnconfirmed = unconfirmed.keySet().stream().filter(stored::containsKey).count();
    assertEquals(summary.get("itemsWritten").asLong() + storedUnconfirmed, stored.size());

    // The replay writes the dead letters' items again, directly: the table is complete.
    List<String> args = new ArrayList<>(LoadRun.standInArgs(standIns));
    args.add("--tableName=" + table);
    args.add("--replayDeadLetters=" + dead);
    args.add("--deadLetterPath=" + TMP.newFolder());
    LoadRun replay = LoadRun.of(args);
    assertEquals(replay.stderr, 0, replay.exitCode);
    JsonNode replayed = replay.summary();
    assertEquals(failed.size() + unconfirmed.size(), replayed.get("rowsRead").asInt());
    assertEquals(failed.size() + unconfirmed.size(), replayed.get("itemsWritten").asInt());
    assertTrue(replayed.get("reconciled").asBoolean());
    assertEquals(expected(), values(table));
  }
}
