package io.parquet2dynamo.deadletter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.OnBothRunners;
import io.parquet2dynamo.testing.ParquetFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
 * Dead letters (whole rows) and the summary are written owner-only on a local disk, on both
 * runners: rw------- files, in a rwx------ folder when the job creates it, and in a folder others
 * may read when the user made it so, with Beam's temporary files in an owner-only folder.
 */
public class PrivateFilesIT extends OnBothRunners {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path input;

  @BeforeClass
  public static void writeInput() throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { optional binary id (STRING); required int64 v; }");
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    List<Group> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Group row = groups.newGroup().append("v", (long) i);
      if (i % 3 != 0) {
        row.append("id", "k" + i);
      }
      rows.add(row);
    }
    input = TMP.newFolder("input").toPath().resolve("a.parquet");
    ParquetFiles.writeGroups(input, schema, rows);
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  public void deadLettersAndTheSummaryAreOwnerOnly() throws Exception {
    Path shared = TMP.newFolder().toPath();
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path created = shared.resolve("new/rejected");
    Path summary = shared.resolve("out/summary.json");
    String table = aws.createTable("private", "id", ScalarAttributeType.S, null, null);

    LoadRun run =
        load(
            "--inputPath=" + input,
            "--tableName=" + table,
            "--deadLetterPath=" + created,
            "--summaryPath=" + summary);

    assertEquals(run.stderr, 0, run.exitCode);
    assertEquals(10, LoadRun.deadLetters(created).size());
    assertEquals("rwx------", permissions(created));
    assertEquals("rwx------", permissions(shared.resolve("new")));
    assertEquals("rwxr-xr-x", permissions(shared));
    for (Path file : files(created)) {
      assertEquals(file.toString(), "rw-------", permissions(file));
    }
    assertEquals("rw-------", permissions(summary));
    assertTrue(Files.readString(summary).contains("\"SUCCEEDED\""));

    // Into a folder the user made readable to others: the folder stays, the files do not.
    String second = aws.createTable("private", "id", ScalarAttributeType.S, null, null);
    LoadRun again =
        load(
            "--inputPath=" + input,
            "--tableName=" + second,
            "--deadLetterPath=" + shared,
            "--summaryPath=" + summary);
    assertEquals(again.stderr, 0, again.exitCode);
    assertEquals(10, LoadRun.deadLetters(shared).size());
    assertEquals("rwxr-xr-x", permissions(shared));
    assertTrue(files(shared).size() > 0);
    for (Path file : files(shared)) {
      assertEquals(file.toString(), "rw-------", permissions(file));
    }
    assertEquals("rwx------", permissions(shared.resolve(".parquet2dynamo-tmp")));
    assertEquals("rw-------", permissions(summary));
  }
}
