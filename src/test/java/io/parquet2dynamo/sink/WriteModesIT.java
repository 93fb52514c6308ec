package io.parquet2dynamo.sink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.Parquet2Dynamo;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.ParquetFiles;
import io.parquet2dynamo.testing.WithStandIns;
import java.io.IOException;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Each {@code --writeMode} against a table that already holds items, with conditions that pass and
 * conditions that fail, read back item by item.
 */
public class WriteModesIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required binary id (STRING); optional int64 updated;"
              + " optional binary v (STRING); }");

  /** A table holding {@code stored} items: id, then updated (or null), then v. */
  private static String tableWith(Object[]... stored) {
    String table = aws.createTable("modes", "id", ScalarAttributeType.S, null, null);
    for (Object[] s : stored) {
      Map<String, AttributeValue> item = new java.util.HashMap<>();
      item.put("id", AttributeValue.fromS((String) s[0]));
      if (s[1] != null) {
        item.put("updated", AttributeValue.fromN(s[1].toString()));
      }
      item.put("v", AttributeValue.fromS((String) s[2]));
      aws.dynamoDb.putItem(b -> b.tableName(table).item(item));
    }
    return table;
  }

  /** A Parquet file of rows: id, updated (or null), v. */
  private static Path input(Object[]... rows) throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    List<Group> groupRows = new ArrayList<>();
    for (Object[] r : rows) {
      Group g = groups.newGroup().append("id", (String) r[0]);
      if (r[1] != null) {
        g.append("updated", ((Number) r[1]).longValue());
      }
      groupRows.add(g.append("v", (String) r[2]));
    }
    Path file = TMP.newFolder().toPath().resolve("in.parquet");
    ParquetFiles.writeGroups(file, SCHEMA, groupRows);
    return file;
  }

  private static JsonNode load(Path file, String table, String mode) {
    LoadRun run =
        LoadRun.of(
            LoadRun.standInArgs(
                standIns, "--inputPath=" + file, "--tableName=" + table, "--writeMode=" + mode));
    assertEquals(run.stderr, 0, run.exitCode);
    JsonNode summary = run.summary();
    assertTrue(summary.toString(), summary.get("reconciled").asBoolean());
    assertEquals(mode, summary.get("writeMode").asText());
    return summary;
  }

  /** The table as id → v. */
  private static Map<String, String> values(String table) {
    Map<String, String> values = new java.util.TreeMap<>();
    aws.scan(table, i -> i.get("id").s()).forEach((id, item) -> values.put(id, item.get("v").s()));
    return values;
  }

  @Test
  public void putOverwritesWhateverIsStored() throws IOException {
    String table = tableWith(new Object[] {"a", 5, "old"});

    JsonNode summary =
        load(input(new Object[] {"a", 1, "new"}, new Object[] {"b", 1, "new"}), table, "put");

    assertEquals(2, summary.get("itemsWritten").asInt());
    assertEquals(Map.of("a", "new", "b", "new"), values(table));
  }

  @Test
  public void putIfAbsentSkipsKeysThatExist() throws IOException {
    String table = tableWith(new Object[] {"a", 5, "old"});

    JsonNode summary =
        load(
            input(new Object[] {"a", 9, "new"}, new Object[] {"b", 1, "new"}),
            table,
            "putIfAbsent");

    assertEquals(1, summary.get("itemsWritten").asInt());
    assertEquals(1, summary.get("skippedByCondition").asInt());
    assertEquals(Map.of("a", "old", "b", "new"), values(table));
  }

  @Test
  public void putIfNewerWritesOnlyOverOlderOrAbsentValues() throws IOException {
    String table =
        tableWith(
            new Object[] {"older", 5, "old"},
            new Object[] {"newer", 20, "old"},
            new Object[] {"same", 7, "old"},
            new Object[] {"unstamped", null, "old"},
            new Object[] {"nullIn", 3, "old"});

    JsonNode summary =
        load(
            input(
                new Object[] {"older", 10, "new"},
                new Object[] {"newer", 10, "new"},
                new Object[] {"same", 7, "new"},
                new Object[] {"unstamped", 1, "new"},
                new Object[] {"nullIn", null, "new"},
                new Object[] {"fresh", null, "new"}),
            table,
            "putIfNewer:updated");

    // Written: a newer value, over a stored item without one, and a key not stored at all.
    // Skipped: an older or equal value, and a row without a value over a stored item.
    assertEquals(3, summary.get("itemsWritten").asInt());
    assertEquals(3, summary.get("skippedByCondition").asInt());
    assertEquals(
        Map.of(
            "older", "new",
            "newer", "old",
            "same", "old",
            "unstamped", "new",
            "nullIn", "old",
            "fresh", "new"),
        values(table));
    assertEquals("10", aws.scan(table, i -> i.get("id").s()).get("older").get("updated").n());
  }

  @Test
  public void deleteRemovesTheItemsWhoseKeysAreInTheInput() throws IOException {
    String table =
        tableWith(
            new Object[] {"a", 1, "x"}, new Object[] {"b", 1, "x"}, new Object[] {"c", 1, "x"});

    JsonNode summary =
        load(
            input(
                new Object[] {"a", null, "ignored"},
                new Object[] {"c", 99, "ignored"},
                new Object[] {"missing", null, "ignored"}),
            table,
            "delete");

    // Deleting a key that is not stored succeeds in DynamoDB, so it counts as written.
    assertEquals(3, summary.get("itemsWritten").asInt());
    assertEquals(Map.of("b", "x"), values(table));
  }

  @Test
  public void badModesAndColumnsAreErrorsBeforeAnyWork() throws IOException {
    Path file = input(new Object[] {"a", 1, "x"});
    String table = tableWith();

    LoadRun unknown =
        LoadRun.of(
            LoadRun.standInArgs(
                standIns, "--inputPath=" + file, "--tableName=" + table, "--writeMode=upsert"));
    LoadRun noColumn =
        LoadRun.of(
            LoadRun.standInArgs(
                standIns,
                "--inputPath=" + file,
                "--tableName=" + table,
                "--writeMode=putIfNewer:version"));

    assertEquals(Parquet2Dynamo.INVALID_INPUT, unknown.exitCode);
    assertEquals(
        "ERROR: --writeMode=upsert is not a valid value; use one of put, putIfAbsent, "
            + "putIfNewer:<column>, update, delete, export, import",
        unknown.errorLine());
    assertEquals(Parquet2Dynamo.INVALID_INPUT, noColumn.exitCode);
    assertEquals(
        "ERROR: --writeMode=putIfNewer:version: 'version' is not a column of the input",
        noColumn.errorLine());
    assertEquals(Map.of(), values(table));
  }
}
