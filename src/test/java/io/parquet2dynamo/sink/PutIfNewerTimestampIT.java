package io.parquet2dynamo.sink;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.OnBothRunners;
import io.parquet2dynamo.testing.ParquetFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@code --writeMode=putIfNewer:<column>} on a timestamp column written as ISO text, on both
 * runners: DynamoDB compares the stored text with the new, which is time order because every value
 * of the column has its unit's fraction digits. With {@code Instant#toString} a whole second
 * ({@code …:30Z}) sorted after half a second later ({@code …:30.5Z}), so both cases below went
 * wrong.
 */
public class PutIfNewerTimestampIT extends OnBothRunners {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required binary id (STRING);"
              + " required int64 updated_at (TIMESTAMP(MICROS,true));"
              + " required binary v (STRING); }");

  /** A Parquet file of rows: id, updated_at, v. */
  private static Path input(String... rows) throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    List<Group> list = new ArrayList<>();
    for (int i = 0; i < rows.length; i += 3) {
      Instant t = Instant.parse(rows[i + 1]);
      long micros = t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
      list.add(
          groups
              .newGroup()
              .append("id", rows[i])
              .append("updated_at", micros)
              .append("v", rows[i + 2]));
    }
    Path file = TMP.newFolder().toPath().resolve("in.parquet");
    ParquetFiles.writeGroups(file, SCHEMA, list);
    return file;
  }

  private JsonNode loadOnce(Path file, String table, String... more) {
    List<String> args = new ArrayList<>(List.of("--inputPath=" + file, "--tableName=" + table));
    args.addAll(List.of(more));
    LoadRun run = load(args.toArray(new String[0]));
    assertEquals(run.stderr, 0, run.exitCode);
    return run.summary();
  }

  /** The table as id → "updated_at v". */
  private static Map<String, String> stored(String table) {
    Map<String, String> values = new TreeMap<>();
    aws.scan(table, i -> i.get("id").s())
        .forEach(
            (id, item) -> values.put(id, item.get("updated_at").s() + " " + item.get("v").s()));
    return values;
  }

  @Test
  public void aNewerIsoTimestampWinsAndAnOlderOneIsSkipped() throws IOException {
    String table = aws.createTable("newer-ts", "id", ScalarAttributeType.S, null, null);
    loadOnce(
        input(
            "a",
            "2024-01-31T08:15:30Z",
            "old",
            "b",
            "2024-01-31T08:15:30.500Z",
            "old",
            "c",
            "2024-01-31T08:15:30Z",
            "old"),
        table);
    assertEquals(
        Map.of(
            "a", "2024-01-31T08:15:30.000000Z old",
            "b", "2024-01-31T08:15:30.500000Z old",
            "c", "2024-01-31T08:15:30.000000Z old"),
        stored(table));

    JsonNode summary =
        loadOnce(
            input(
                "a",
                "2024-01-31T08:15:30.500Z",
                "new", // newer: half a second later
                "b",
                "2024-01-31T08:15:30Z",
                "new", // older: half a second earlier
                "c",
                "2024-01-31T08:15:29.999999Z",
                "new", // older by a microsecond
                "d",
                "2024-01-31T08:15:30Z",
                "new"), // not stored yet
            table,
            "--writeMode=putIfNewer:updated_at");

    assertEquals(2, summary.get("itemsWritten").asInt());
    assertEquals(2, summary.get("skippedByCondition").asInt());
    assertEquals(
        Map.of(
            "a", "2024-01-31T08:15:30.500000Z new",
            "b", "2024-01-31T08:15:30.500000Z old",
            "c", "2024-01-31T08:15:30.000000Z old",
            "d", "2024-01-31T08:15:30.000000Z new"),
        stored(table));
  }
}
