package io.parquet2dynamo.summary;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.OnBothRunners;
import io.parquet2dynamo.testing.ParquetFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * A budgeted load, slow enough to last about 25 s, on the DirectRunner and the SparkRunner: its
 * PROGRESS lines show items written rising while the write goes on (counted where the writes
 * happen, not when the runner commits a bundle's metrics), with the footers' row count and an ETA;
 * after the SUMMARY line comes the recap.
 */
public class ProgressIT extends OnBothRunners {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required binary id (STRING); required int64 v; }");
  private static final int FILES = 2;
  private static final int ROWS_PER_FILE = 500;
  private static final int ROWS = FILES * ROWS_PER_FILE;

  private static Path input;

  @BeforeClass
  public static void writeInput() throws IOException {
    input = TMP.newFolder("input").toPath();
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    for (int f = 0; f < FILES; f++) {
      List<Group> rows = new ArrayList<>();
      for (int r = 0; r < ROWS_PER_FILE; r++) {
        rows.add(
            groups.newGroup().append("id", "k" + (f * ROWS_PER_FILE + r)).append("v", (long) r));
      }
      ParquetFiles.writeGroups(input.resolve("part-" + f + ".parquet"), SCHEMA, rows);
    }
  }

  /** The key=value pairs of a PROGRESS line. */
  private static Map<String, String> fields(String line) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : line.substring("PROGRESS ".length()).split(" ")) {
      int eq = pair.indexOf('=');
      assertTrue(line, eq > 0);
      fields.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return fields;
  }

  @Test
  public void itemsWrittenRiseInTheProgressLinesBeforeTheEnd() {
    String table = aws.createTable("progress", "id", ScalarAttributeType.S, null, null);

    // 1000 items of 1 WCU at 40 WCU/s: about 25 s of writing, a line every 2 s.
    LoadRun run =
        load(
            "--inputPath=" + input,
            "--tableName=" + table,
            "--maxWriteUnitsPerSecond=40",
            "--writeShards=2",
            "--progressSeconds=2");

    assertEquals(run.stderr, 0, run.exitCode);
    assertEquals(ROWS, run.summary().get("itemsWritten").asLong());
    List<Map<String, String>> lines = new ArrayList<>();
    for (String line : run.stdout.split("\n")) {
      if (line.startsWith("PROGRESS ")) {
        lines.add(fields(line));
      }
    }
    // Lines written while items were being written, neither before the first nor after the last.
    List<Long> midway = new ArrayList<>();
    for (Map<String, String> fields : lines) {
      assertEquals(fields.toString(), String.valueOf(ROWS), fields.get("rowsInFiles"));
      assertTrue(fields.toString(), fields.get("eta").matches("unknown|\\d+(s|m\\d\\ds)"));
      assertTrue(fields.toString(), fields.get("done").matches("\\d+%"));
      long written = Long.parseLong(fields.get("itemsWritten"));
      if (written > 0 && written < ROWS) {
        midway.add(written);
        assertTrue(fields.toString(), Long.parseLong(fields.get("itemsPerSecond")) >= 0);
      }
    }
    assertTrue(runnerName + ": " + run.stdout, midway.size() >= 2);
    for (int i = 1; i < midway.size(); i++) {
      assertTrue(runnerName + ": " + midway, midway.get(i) > midway.get(i - 1));
    }
    // The recap follows the JSON.
    String afterSummary = run.stdout.substring(run.stdout.indexOf("\nSUMMARY ") + 1);
    String[] recap = afterSummary.split("\n");
    assertTrue(
        afterSummary,
        recap[1].startsWith(
            "SUCCEEDED: " + ROWS + " rows read -> " + ROWS + " items written to table '" + table));
    assertTrue(afterSummary, recap[2].startsWith("Took "));
  }
}
