package io.parquet2dynamo.dedupe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.OnBothRunners;
import io.parquet2dynamo.testing.ParquetFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * The duplicate policies on the DirectRunner and the SparkRunner: the same rows spread over files
 * in different orders give the table the policy defines, on both runners.
 */
public class DedupeIT extends OnBothRunners {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required binary id (STRING); required int64 updated;"
              + " required binary v (STRING); }");

  private static final int KEYS = 400;
  private static final int FILES = 3;

  /** Each file's rows: id, updated, v. Every key is in every file, with distinct values. */
  private static List<List<Object[]>> contents;

  @BeforeClass
  public static void setUp() throws IOException {
    Random random = new Random(42);
    contents = new ArrayList<>();
    for (int f = 0; f < FILES; f++) {
      contents.add(new ArrayList<>());
    }
    for (int k = 0; k < KEYS; k++) {
      List<Integer> stamps = new ArrayList<>(List.of(100, 200, 300));
      Collections.shuffle(stamps, random);
      for (int f = 0; f < FILES; f++) {
        long updated = stamps.get(f) + k;
        contents.get(f).add(new Object[] {"k" + k, updated, "file" + f + "@" + updated});
      }
    }
    for (List<Object[]> rows : contents) {
      Collections.shuffle(rows, random);
    }
  }

  /** Writes the contents to files named so that {@code order} is their path order. */
  private static Path dataset(List<Integer> order) throws IOException {
    Path dir = TMP.newFolder().toPath();
    for (int position = 0; position < order.size(); position++) {
      write(dir.resolve("part-" + position + ".parquet"), order.get(position));
    }
    return dir;
  }

  /** Writes {@code contents.get(index)} to {@code file}. */
  private static void write(Path file, int index) throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    List<Group> rows = new ArrayList<>();
    for (Object[] r : contents.get(index)) {
      rows.add(
          groups
              .newGroup()
              .append("id", (String) r[0])
              .append("updated", (Long) r[1])
              .append("v", (String) r[2]));
    }
    ParquetFiles.writeGroups(file, SCHEMA, rows);
  }

  private Map<String, String> load(Path dir, String dedupe) {
    String table = aws.createTable("dedupe", "id", ScalarAttributeType.S, null, null);
    LoadRun run = load("--inputPath=" + dir, "--tableName=" + table, "--dedupe=" + dedupe);
    assertEquals(run.stderr, 0, run.exitCode);
    JsonNode summary = run.summary();
    assertTrue(summary.toString(), summary.get("reconciled").asBoolean());
    assertEquals(dedupe, summary.get("dedupe").asText());
    Map<String, String> values = new TreeMap<>();
    aws.scan(table, i -> i.get("id").s()).forEach((id, item) -> values.put(id, item.get("v").s()));
    return values;
  }

  @Test
  public void maxByGivesTheSameTableInEveryFileOrder() throws IOException {
    Map<String, String> expected = new TreeMap<>();
    for (List<Object[]> rows : contents) {
      for (Object[] r : rows) {
        String current = expected.get((String) r[0]);
        long stamp = (Long) r[1];
        if (current == null
            || Long.parseLong(current.substring(current.indexOf('@') + 1)) < stamp) {
          expected.put((String) r[0], (String) r[2]);
        }
      }
    }

    for (List<Integer> order : List.of(List.of(0, 1, 2), List.of(2, 0, 1), List.of(1, 2, 0))) {
      assertEquals("order " + order, expected, load(dataset(order), "maxBy:updated"));
    }
  }

  @Test
  public void lastKeepsTheRowOfTheLastFileInPathOrder() throws IOException {
    List<Integer> order = List.of(2, 0, 1);
    Map<String, String> expected = new TreeMap<>();
    // part-2.parquet, the last path, holds contents[1].
    for (Object[] r : contents.get(order.get(FILES - 1))) {
      expected.put((String) r[0], (String) r[2]);
    }

    assertEquals(expected, load(dataset(order), "last"));
  }

  @Test
  public void lastComparesPartitionValuesAndFileNumbersAsNumbers() throws IOException {
    // As text, batch=9/ sorts after batch=10/ and part-9 after part-10; as numbers, both the
    // other way round: batch=10/part-10.parquet is the last file, and its rows win.
    Path dir = TMP.newFolder().toPath();
    write(dir.resolve("batch=9/part-0.parquet"), 0);
    write(dir.resolve("batch=10/part-9.parquet"), 1);
    write(dir.resolve("batch=10/part-10.parquet"), 2);
    Map<String, String> expected = new TreeMap<>();
    for (Object[] r : contents.get(2)) {
      expected.put((String) r[0], (String) r[2]);
    }

    assertEquals(expected, load(dir, "last"));
  }

  @Test
  public void noneWritesEveryRowWithoutEverBatchingAKeyTwice() throws IOException {
    // DynamoDB refuses a batch holding one key twice; here every key comes three times.
    Map<String, String> table = load(dataset(List.of(0, 1, 2)), "none");

    assertEquals(KEYS, table.size());
    for (Map.Entry<String, String> e : table.entrySet()) {
      assertTrue(e.getValue(), e.getValue().startsWith("file"));
    }
  }
}
