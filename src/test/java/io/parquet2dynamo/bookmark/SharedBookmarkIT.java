package io.parquet2dynamo.bookmark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.summary.Outcome;
import io.parquet2dynamo.testing.EventFiles;
import io.parquet2dynamo.testing.JobProcess;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.WithStandIns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A bookmark on S3 (S3Proxy) under runs that do not end well, each run a job in a process of its
 * own ({@link JobProcess}) on the DirectRunner and the SparkRunner: a run killed in the middle of
 * its writes leaves the bookmark as it was and the next run completes the table; of two runs that
 * read one bookmark and load the same files, the first to commit wins and the other ends with exit
 * code 5 and one line, its items written.
 */
@RunWith(Parameterized.class)
public class SharedBookmarkIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final int FILES = 4;
  private static final int ROWS_PER_FILE = 400;

  /**
   * Slow enough (about 30 s for the last 1,200 items) that a test acts while it writes, and that a
   * run started after it, without a budget, ends first.
   */
  private static final String SLOW = "--maxWriteUnitsPerSecond=40";

  @Parameter public String runner;

  @Parameters(name = "{0}")
  public static List<Object[]> runners() {
    return List.of(new Object[] {"DirectRunner"}, new Object[] {"SparkRunner"});
  }

  private String bucket;
  private String table;
  private String bookmark;
  private EventFiles events;
  private List<Path> files;
  private Path input;

  /** Four days of events, the first one already loaded (the bookmark records it). */
  private void loadFirstDay() throws Exception {
    bucket = aws.createBucket("shared");
    table = aws.createTable("shared", "id", ScalarAttributeType.S, null, null);
    bookmark = "s3://" + bucket + "/state/events.json";
    Path root = TMP.newFolder().toPath();
    input = root.resolve("events");
    events = new EventFiles(root);
    files = new ArrayList<>();
    for (int day = 1; day <= FILES; day++) {
      Path file = events.write("events/day=" + day + "/part-0.parquet", ROWS_PER_FILE, day * 1000L);
      Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L + day * 60_000L));
      files.add(file);
    }
    LoadRun first = inThisJvm("--maxFilesPerRun=1");
    assertEquals(first.stderr, 0, first.exitCode);
    events.expect(files.get(0));
  }

  private List<String> args(String... more) {
    List<String> args =
        new ArrayList<>(
            LoadRun.standInArgs(
                standIns,
                "--inputPath=" + input,
                "--tableName=" + table,
                "--bookmarkPath=" + bookmark));
    args.addAll(List.of(more));
    return args;
  }

  /** A run in this JVM on this test's runner. */
  private LoadRun inThisJvm(String... more) {
    List<String> args = args(more);
    if (runner.equals("SparkRunner")) {
      args.addAll(List.of("--runner=SparkRunner", "--sparkMaster=local[2]"));
    }
    return LoadRun.of(args);
  }

  /** Starts a slow run of the other three days in a process of its own; waits for 100 items. */
  private JobProcess startSlowRun() throws Exception {
    JobProcess job =
        JobProcess.start(runner, TMP.newFolder().toPath(), args(SLOW, "--writeShards=2"));
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (itemCount() < ROWS_PER_FILE + 100) {
      assertTrue("the job ended early:\n" + job.stdout() + job.stderr(), job.isAlive());
      assertTrue("nothing written in 3 minutes:\n" + job.stderr(), System.nanoTime() < deadline);
      Thread.sleep(300);
    }
    return job;
  }

  private long itemCount() {
    return aws.dynamoDb.scan(b -> b.tableName(table).select("COUNT")).count();
  }

  private byte[] bookmarkBytes() {
    return aws.s3.getObjectAsBytes(b -> b.bucket(bucket).key("state/events.json")).asByteArray();
  }

  @Test
  public void aRunKilledMidWriteLeavesTheBookmarkAndTheRerunCompletesTheTable() throws Exception {
    loadFirstDay();
    byte[] recorded = bookmarkBytes();
    JobProcess job = startSlowRun();

    job.terminate();

    assertEquals(job.stdout() + job.stderr(), 143, job.waitFor(120));
    assertEquals("INTERRUPTED", job.summary().get("status").asText());
    assertFalse(job.summary().get("bookmark").get("updated").asBoolean());
    assertArrayEquals("the bookmark is as it was", recorded, bookmarkBytes());

    LoadRun rerun = inThisJvm();

    assertEquals(rerun.stderr, 0, rerun.exitCode);
    JsonNode summary = rerun.summary();
    assertEquals("the three days the killed run had begun", 3, summary.get("filesLoaded").asInt());
    assertEquals(3 * ROWS_PER_FILE, summary.get("itemsWritten").asLong());
    files.forEach(events::expect);
    assertEquals(events.expected(), EventFiles.stored(aws, table));
    assertEquals(FILES, BookmarkState.parse(bookmarkBytes()).files.size());
  }

  @Test
  public void ofTwoRunsSharingABookmarkTheFirstToCommitWinsAndTheOtherFailsClearly()
      throws Exception {
    loadFirstDay();
    JobProcess slow = startSlowRun(); // it has read the bookmark: it is writing

    LoadRun fast = inThisJvm();
    assertEquals(fast.stderr, 0, fast.exitCode);
    byte[] winner = bookmarkBytes();
    String winnerRun = BookmarkState.parse(winner).lastRunId;
    int code = slow.waitFor(300);

    assertEquals(slow.stdout() + slow.stderr(), Outcome.BOOKMARK_CONFLICT.exitCode(), code);
    String[] errors =
        slow.stderr().lines().filter(l -> l.startsWith("ERROR: ")).toArray(String[]::new);
    assertEquals(slow.stderr(), 1, errors.length);
    assertEquals(
        "ERROR: the bookmark "
            + bookmark
            + " was replaced by run "
            + winnerRun
            + " after this run read it (two runs share it): this run's items are written but its"
            + " bookmark is not, so the next run loads this run's files again",
        errors[0]);
    JsonNode summary = slow.summary();
    assertEquals("BOOKMARK_CONFLICT", summary.get("status").asText());
    assertEquals(3 * ROWS_PER_FILE, summary.get("itemsWritten").asLong());
    assertTrue(summary.get("reconciled").asBoolean());
    assertArrayEquals("the winner's bookmark stands", winner, bookmarkBytes());
    files.forEach(events::expect);
    assertEquals(events.expected(), EventFiles.stored(aws, table));
  }
}
