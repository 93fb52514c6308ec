package io.parquet2dynamo.summary;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parquet2dynamo.testing.JobProcess;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.ParquetFiles;
import io.parquet2dynamo.testing.StandInClients;
import io.parquet2dynamo.testing.WithStandIns;
import java.io.IOException;
import java.nio.file.Files;
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
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * SIGTERM and SIGINT sent to the job in a process of its own, in the middle of a slow (budgeted)
 * load, on the DirectRunner and the SparkRunner: it stops within a bound, prints and writes the
 * summary as INTERRUPTED with the counts so far, exits with 143, and a re-run completes the load.
 */
@RunWith(Parameterized.class)
public class GracefulStopIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required binary id (STRING); required int64 v; }");
  private static final int FILES = 4;
  private static final int ROWS_PER_FILE = 500;
  private static final int ROWS = FILES * ROWS_PER_FILE;

  /** At most this many items a write stream may have in flight, written but not yet counted. */
  private static final int IN_FLIGHT = 2 * 25;

  /**
   * Generous bound on the time from the signal to the exit: the job waits at most 5 s for the
   * runner to stop, then writes the summary, and halts 20 s after the signal whatever happens.
   */
  private static final long EXIT_BOUND_MILLIS = 20_000;

  @Parameter public String runner;

  @Parameters(name = "{0}")
  public static List<Object[]> runners() {
    return List.of(new Object[] {"DirectRunner"}, new Object[] {"SparkRunner"});
  }

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

  private long itemCount(String table) {
    return aws.dynamoDb.scan(b -> b.tableName(table).select("COUNT")).count();
  }

  /** Starts a load of 2000 items at 40 WCU/s (about 50 s) and waits until 100 are written. */
  private JobProcess startSlowLoad(String table, Path summaryFile) throws Exception {
    JobProcess job =
        JobProcess.start(
            runner,
            TMP.newFolder().toPath(),
            LoadRun.standInArgs(
                standIns,
                "--inputPath=" + input,
                "--tableName=" + table,
                "--maxWriteUnitsPerSecond=40",
                "--writeShards=2",
                "--summaryPath=" + summaryFile));
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (itemCount(table) < 100) {
      assertTrue("the job ended early:\n" + job.stdout() + job.stderr(), job.isAlive());
      assertTrue("nothing written in 3 minutes:\n" + job.stderr(), System.nanoTime() < deadline);
      Thread.sleep(300);
    }
    assertEquals(
        "RUNNING",
        new ObjectMapper().readTree(Files.readString(summaryFile)).get("status").asText());
    return job;
  }

  /** Asserts what an interrupted run leaves: exit code, printed and written summary, table. */
  private JsonNode assertInterrupted(
      JobProcess job, String signal, long signalNanos, String table, Path summaryFile)
      throws Exception {
    int code = job.waitFor(120);
    long exitMillis = (System.nanoTime() - signalNanos) / 1_000_000;
    String output = job.stdout() + job.stderr();
    System.out.println(runner + ": exit " + code + " " + exitMillis + " ms after " + signal);
    assertEquals(output, 143, code);
    assertTrue("exited " + exitMillis + " ms after " + signal, exitMillis < EXIT_BOUND_MILLIS);
    assertTrue(output, job.stderr().contains("STOPPING: " + signal + " received"));
    assertTrue(output, job.stderr().contains("ERROR: the load was interrupted by " + signal));

    JsonNode printed = job.summary();
    assertEquals("INTERRUPTED", printed.get("status").asText());
    assertEquals(signal, printed.get("interruptedBy").asText());
    assertEquals(runner, printed.get("runner").asText());
    assertEquals(ROWS, printed.get("rowsInFiles").asLong());
    assertEquals(false, printed.get("reconciled").asBoolean());
    long written = printed.get("itemsWritten").asLong();
    long stored = itemCount(table);
    assertTrue(output, written > 0 && written < ROWS);
    // Every item counted is in the table; a request in flight may have landed uncounted.
    assertTrue(written + " counted, " + stored + " stored", stored >= written);
    assertTrue(written + " counted, " + stored + " stored", stored <= written + IN_FLIGHT);

    JsonNode file = new ObjectMapper().readTree(Files.readString(summaryFile));
    assertEquals("INTERRUPTED", file.get("status").asText());
    assertEquals(written, file.get("itemsWritten").asLong());
    assertEquals(printed.get("rowsRead"), file.get("rowsRead"));
    return printed;
  }

  @Test
  public void sigtermStopsTheLoadWritesAnInterruptedSummaryAndARerunCompletesIt() throws Exception {
    String table = aws.createTable("stop", "id", ScalarAttributeType.S, null, null);
    Path summaryFile = TMP.getRoot().toPath().resolve(StandInClients.uniqueName("s") + ".json");
    JobProcess job = startSlowLoad(table, summaryFile);

    long signalNanos = System.nanoTime();
    job.terminate();

    assertInterrupted(job, "SIGTERM", signalNanos, table, summaryFile);

    // A re-run of the same load (put) writes everything, the items already there included.
    JobProcess rerun =
        JobProcess.start(
            runner,
            TMP.newFolder().toPath(),
            LoadRun.standInArgs(
                standIns,
                "--inputPath=" + input,
                "--tableName=" + table,
                "--summaryPath=" + summaryFile));
    assertEquals(rerun.stderr(), 0, rerun.waitFor(300));
    assertEquals(ROWS, itemCount(table));
    JsonNode completed = rerun.summary();
    assertEquals("SUCCEEDED", completed.get("status").asText());
    assertEquals(ROWS, completed.get("itemsWritten").asLong());
    assertTrue(completed.get("reconciled").asBoolean());
  }

  @Test
  public void sigintStopsTheLoadTheSameWay() throws Exception {
    String table = aws.createTable("ctrlc", "id", ScalarAttributeType.S, null, null);
    Path summaryFile = TMP.getRoot().toPath().resolve(StandInClients.uniqueName("s") + ".json");
    JobProcess job = startSlowLoad(table, summaryFile);

    long signalNanos = System.nanoTime();
    job.interrupt();

    assertInterrupted(job, "SIGINT", signalNanos, table, summaryFile);
  }
}
