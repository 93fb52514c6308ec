package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.ParquetFiles;
import io.parquet2dynamo.testing.WithStandIns;
import java.io.IOException;
import java.nio.file.Files;
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
 * No silent skips: a {@code _part=1/} partition folder beside {@code part=2/} is read (Spark skips
 * a {@code _} name only when it is not {@code key=value}), and the files that are skipped ({@code
 * _SUCCESS}, {@code _temporary/}, {@code .crc}, a stray text file) are counted in the summary as
 * {@code filesIgnored} and named in a warning. The listing happens before the pipeline exists, so
 * the runner does not matter: DirectRunner only.
 */
public class SkippedFilesIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required binary id (STRING); required int64 v; }");

  private static void write(Path file, int from, int count) throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    List<Group> rows = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      rows.add(groups.newGroup().append("id", "k" + i).append("v", (long) i));
    }
    ParquetFiles.writeGroups(file, SCHEMA, rows);
  }

  @Test
  public void underscorePartitionsAreReadAndEverySkippedFileIsCountedAndNamed() throws Exception {
    Path dir = TMP.newFolder("sales").toPath();
    write(dir.resolve("_part=1/a.parquet"), 0, 50);
    write(dir.resolve("part=2/a.parquet"), 50, 50);
    // What Spark and Hive leave beside the data, and a file someone dropped there.
    write(dir.resolve("_temporary/0/task-1/a.parquet"), 100, 10);
    Files.writeString(dir.resolve("_SUCCESS"), "");
    Files.writeString(dir.resolve("part=2/.a.parquet.crc"), "crc");
    Files.writeString(dir.resolve("notes.txt"), "loaded by hand");
    String table = aws.createTable("skips", "id", ScalarAttributeType.S, null, null);

    LoadRun run =
        LoadRun.of(LoadRun.standInArgs(standIns, "--inputPath=" + dir, "--tableName=" + table));

    assertEquals(run.stderr, 0, run.exitCode);
    Map<String, Map<String, AttributeValue>> items = aws.scan(table, i -> i.get("id").s());
    assertEquals(100, items.size());
    assertEquals("1", items.get("k0").get("_part").s());
    assertFalse(items.get("k0").containsKey("part"));
    assertEquals("2", items.get("k99").get("part").s());
    assertFalse("_temporary/ is not read", items.containsKey("k100"));

    JsonNode summary = run.summary();
    assertEquals(2, summary.get("inputFiles").asInt());
    assertEquals(4, summary.get("filesIgnored").asInt());
    assertEquals(100, summary.get("rowsRead").asLong());
    assertTrue(summary.get("reconciled").asBoolean());

    String warning =
        run.stderr.lines().filter(l -> l.startsWith("WARNING: --inputPath")).findFirst().orElse("");
    assertTrue(run.stderr, warning.startsWith("WARNING: --inputPath: ignored 4 files: 3 hidden"));
    assertTrue(warning, warning.contains(dir.resolve("_SUCCESS").toString()));
    assertTrue(warning, warning.contains(dir.resolve("notes.txt").toString()));
    assertEquals(
        "one line, not one per file",
        1,
        run.stderr.lines().filter(l -> l.startsWith("WARNING: --inputPath")).count());
  }

  @Test
  public void manySkippedFilesAreNamedByAFewExamples() throws Exception {
    Path dir = TMP.newFolder("many").toPath();
    write(dir.resolve("day=1/a.parquet"), 0, 5);
    for (int i = 0; i < 200; i++) {
      Files.writeString(dir.resolve("day=1/.part-" + i + ".crc"), "crc");
    }
    String table = aws.createTable("many", "id", ScalarAttributeType.S, null, null);

    LoadRun run =
        LoadRun.of(LoadRun.standInArgs(standIns, "--inputPath=" + dir, "--tableName=" + table));

    assertEquals(run.stderr, 0, run.exitCode);
    assertEquals(200, run.summary().get("filesIgnored").asInt());
    String warning =
        run.stderr.lines().filter(l -> l.startsWith("WARNING: --inputPath")).findFirst().orElse("");
    assertTrue(warning, warning.contains("ignored 200 files: 200 hidden"));
    assertTrue(warning, warning.length() < 1000);
  }
}
