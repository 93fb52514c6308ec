package io.parquet2dynamo.sink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.OnBothRunners;
import io.parquet2dynamo.testing.ParquetFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code --writeMode=update} against a table that already holds items, on both runners: the
 * attributes a row has are set, the stored item's others are kept, a null removes its attribute
 * with {@code --nullPolicy=null}, a key not stored becomes a new item, and an item whose update
 * expression DynamoDB would refuse (over 4 KB) is a dead letter of its own while the others are
 * written. Each item is read back whole.
 */
public class UpdateModeIT extends OnBothRunners {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required binary id (STRING); optional binary name (STRING);"
              + " optional int64 qty; optional binary note (STRING); }");

  /** The table: k1 and k2 stored with name, qty and a 'kept' attribute no row has. */
  private static String preloaded() {
    String table = aws.createTable("update", "id", ScalarAttributeType.S, null, null);
    for (String[] s : new String[][] {{"k1", "old", "1", "x"}, {"k2", "old", "2", "y"}}) {
      aws.dynamoDb.putItem(
          b ->
              b.tableName(table)
                  .item(
                      Map.of(
                          "id", AttributeValue.fromS(s[0]),
                          "name", AttributeValue.fromS(s[1]),
                          "qty", AttributeValue.fromN(s[2]),
                          "kept", AttributeValue.fromS(s[3]))));
    }
    return table;
  }

  /** k1: a new name, no qty (null), a note; k3: a key not stored. */
  private static Path input() throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    List<Group> rows =
        List.of(
            groups.newGroup().append("id", "k1").append("name", "new").append("note", "set"),
            groups.newGroup().append("id", "k3").append("name", "fresh").append("qty", 3L));
    Path file = TMP.newFolder().toPath().resolve("in.parquet");
    ParquetFiles.writeGroups(file, SCHEMA, rows);
    return file;
  }

  private JsonNode update(Path file, String table, String... more) {
    List<String> args = new ArrayList<>(List.of("--inputPath=" + file, "--tableName=" + table));
    args.add("--writeMode=update");
    args.addAll(List.of(more));
    LoadRun run = load(args.toArray(new String[0]));
    assertEquals(run.stderr, 0, run.exitCode);
    JsonNode summary = run.summary();
    assertTrue(summary.toString(), summary.get("reconciled").asBoolean());
    assertEquals("update", summary.get("writeMode").asText());
    return summary;
  }

  private static Map<String, AttributeValue> item(String... nameValue) {
    Map<String, AttributeValue> item = new HashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      String v = nameValue[i + 1];
      item.put(nameValue[i], v.matches("\\d+") ? AttributeValue.fromN(v) : AttributeValue.fromS(v));
    }
    return item;
  }

  @Test
  public void setsTheRowsAttributesKeepsTheOthersAndANullLeavesItsAttributeAlone()
      throws IOException {
    String table = preloaded();

    JsonNode summary = update(input(), table);

    assertEquals(2, summary.get("itemsWritten").asInt());
    assertEquals(0, summary.get("skippedByCondition").asInt());
    Map<String, Map<String, AttributeValue>> stored = aws.scan(table, i -> i.get("id").s());
    // With the default --nullPolicy=omit a null is no attribute: k1's qty stays.
    assertEquals(
        item("id", "k1", "name", "new", "qty", "1", "kept", "x", "note", "set"), stored.get("k1"));
    assertEquals(item("id", "k2", "name", "old", "qty", "2", "kept", "y"), stored.get("k2"));
    assertEquals(item("id", "k3", "name", "fresh", "qty", "3"), stored.get("k3"));
    assertEquals(3, stored.size());
  }

  @Test
  public void withNullPolicyNullANullRemovesTheStoredAttribute() throws IOException {
    String table = preloaded();

    JsonNode summary = update(input(), table, "--nullPolicy=null");

    assertEquals(2, summary.get("itemsWritten").asInt());
    Map<String, Map<String, AttributeValue>> stored = aws.scan(table, i -> i.get("id").s());
    assertEquals(item("id", "k1", "name", "new", "kept", "x", "note", "set"), stored.get("k1"));
    // k3's null note removes nothing, and is not stored as NULL either.
    assertEquals(item("id", "k3", "name", "fresh", "qty", "3"), stored.get("k3"));
  }

  @Test
  public void anItemOverTheExpressionLimitIsADeadLetterAndTheOthersAreWritten() throws IOException {
    // 600 columns: a row with 520 of them set is the widest update DynamoDB takes (4,091 bytes
    // of expression), one with all 600 set would be 4,731 bytes.
    StringBuilder schema = new StringBuilder("message m { required binary id (STRING);");
    for (int i = 0; i < 600; i++) {
      schema.append(String.format(" optional int32 c%03d;", i));
    }
    MessageType wide = MessageTypeParser.parseMessageType(schema.append(" }").toString());
    SimpleGroupFactory groups = new SimpleGroupFactory(wide);
    Group widest = groups.newGroup().append("id", "fits");
    Group tooWide = groups.newGroup().append("id", "too-wide");
    for (int i = 0; i < 600; i++) {
      if (i < 520) {
        widest.append(String.format("c%03d", i), i);
      }
      tooWide.append(String.format("c%03d", i), i);
    }
    Path file = TMP.newFolder().toPath().resolve("wide.parquet");
    ParquetFiles.writeGroups(file, wide, List.of(widest, tooWide));
    String table = aws.createTable("update-wide", "id", ScalarAttributeType.S, null, null);
    Path deadLetters = TMP.newFolder().toPath();

    JsonNode summary = update(file, table, "--deadLetterPath=" + deadLetters);

    assertEquals(1, summary.get("itemsWritten").asInt());
    assertEquals(1, summary.get("rowsRejected").asInt());
    assertEquals(1, summary.get("rejectedByReason").get("UPDATE_EXPRESSION_TOO_LARGE").asInt());
    Map<String, Map<String, AttributeValue>> stored = aws.scan(table, i -> i.get("id").s());
    assertEquals(List.of("fits"), new ArrayList<>(stored.keySet()));
    assertEquals(521, stored.get("fits").size());
    List<JsonNode> records = LoadRun.deadLetters(deadLetters);
    assertEquals(1, records.size());
    JsonNode record = records.get(0);
    assertEquals("UPDATE_EXPRESSION_TOO_LARGE", record.get("reason").asText());
    assertEquals(
        "not sent: its update expression, for 600 attributes, would be 4731 bytes, over"
            + " DynamoDB's limit of 4096 on an expression; write it with --writeMode=put, or"
            + " write fewer attributes",
        record.get("message").asText());
    assertEquals(1, record.get("sourceRow").asInt());
  }

  @Test
  public void dynamoDbLocalRefusesAnExpressionOverFourKilobytesAsDynamoDbDoes() {
    // The limit the dead letter above stands for is enforced by the stand-in too, so the test
    // would fail if the job sent what DynamoDB refuses: 4,097 bytes of expression are refused.
    String table = aws.createTable("update-limit", "id", ScalarAttributeType.S, null, null);
    String expression = "SET #a=:a" + " ".repeat(4097 - 9);
    assertEquals(4097, expression.length());
    DynamoDbException e =
        assertThrows(
            DynamoDbException.class,
            () ->
                aws.dynamoDb.updateItem(
                    b ->
                        b.tableName(table)
                            .key(Map.of("id", AttributeValue.fromS("k")))
                            .updateExpression(expression)
                            .expressionAttributeNames(Map.of("#a", "a"))
                            .expressionAttributeValues(Map.of(":a", AttributeValue.fromN("1")))));
    assertEquals("ValidationException", e.awsErrorDetails().errorCode());
    // 4,096 bytes are taken.
    aws.dynamoDb.updateItem(
        b ->
            b.tableName(table)
                .key(Map.of("id", AttributeValue.fromS("k")))
                .updateExpression(expression.substring(0, 4096))
                .expressionAttributeNames(Map.of("#a", "a"))
                .expressionAttributeValues(Map.of(":a", AttributeValue.fromN("1"))));
    assertEquals(1, aws.scan(table, i -> i.get("id").s()).size());
  }
}
