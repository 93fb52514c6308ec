package io.parquet2dynamo.bookmark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.Parquet2Dynamo;
import io.parquet2dynamo.testing.EventFiles;
import io.parquet2dynamo.testing.Faults;
import io.parquet2dynamo.testing.FaultyDynamoDb;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.OnBothRunners;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Recurring loads end to end, on the DirectRunner and the SparkRunner, against the stand-ins: each
 * run reads only the files that are new or changed since the last successful one, a run with
 * nothing new starts no pipeline, a run that does not succeed records nothing, a backlog loads in
 * slices, and Glue's bookmark arguments work through the argument normaliser. Tables are checked
 * item by item.
 */
public class RecurringLoadIT extends OnBothRunners {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private String table() {
    return aws.createTable("recurring", "id", ScalarAttributeType.S, null, null);
  }

  private static BookmarkState s3State(String bucket, String key) throws Exception {
    return BookmarkState.parse(
        aws.s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
  }

  private static byte[] s3Bytes(String bucket, String key) {
    return aws.s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  /**
   * Runs the job with settings under which starting this runner fails (a Spark master that does not
   * exist; a DirectRunner without threads), so that a run that ends well proves it started none.
   */
  private LoadRun loadWhereNoRunnerCanStart(String... args) {
    List<String> all = new ArrayList<>(LoadRun.standInArgs(standIns, args));
    if (runnerName.equals("SparkRunner")) {
      all.addAll(List.of("--runner=SparkRunner", "--sparkMaster=nowhere://no-such-master"));
    } else {
      all.add("--targetParallelism=0");
    }
    return LoadRun.of(all);
  }

  @Test
  public void eachRunLoadsOnlyNewAndChangedFilesAndANightWithNothingNewReadsNothing()
      throws Exception {
    String bucket = aws.createBucket("recurring");
    String table = table();
    EventFiles events = new EventFiles(TMP.newFolder().toPath());
    String input = "s3://" + bucket + "/events/";
    String bookmark = "s3://" + bucket + "/state/events.json";
    String[] args = {"--inputPath=" + input, "--tableName=" + table, "--bookmarkPath=" + bookmark};

    // Night 1: two days, three files.
    Path d1p0 = events.put(aws, bucket, "events/day=1/part-0.parquet", 50, 0);
    Path d1p1 = events.put(aws, bucket, "events/day=1/part-1.parquet", 50, 100);
    Path d2p0 = events.put(aws, bucket, "events/day=2/part-0.parquet", 50, 200);
    LoadRun first = load(args);

    assertEquals(first.stderr, 0, first.exitCode);
    events.expect(d1p0);
    events.expect(d1p1);
    events.expect(d2p0);
    assertEquals(events.expected(), EventFiles.stored(aws, table));
    JsonNode summary = first.summary();
    assertEquals(150, summary.get("rowsRead").asLong());
    assertEquals(3, summary.get("filesLoaded").asInt());
    assertEquals(0, summary.get("filesSkipped").asInt());
    assertTrue(summary.get("bookmark").get("previousRunId").isNull());
    assertTrue(summary.get("bookmark").get("updated").asBoolean());
    assertEquals(bookmark, summary.get("bookmark").get("path").asText());
    assertTrue(first.stdout, first.stdout.contains("Bookmark " + bookmark + " (new): 3 files"));
    BookmarkState afterFirst = s3State(bucket, "state/events.json");
    assertEquals(3, afterFirst.files.size());
    assertEquals(Long.valueOf(50), afterFirst.files.get(input + "day=1/part-1.parquet").rows);
    assertTrue(
        "S3 files are recorded with their ETag",
        afterFirst.files.values().stream().allMatch(f -> f.etag != null && !f.etag.isEmpty()));

    // Night 2: a new day, and one file of day 1 written again with other values and more rows.
    Path d3p0 = events.put(aws, bucket, "events/day=3/part-0.parquet", 40, 300);
    d1p1 = events.put(aws, bucket, "events/day=1/part-1.parquet", 60, 1000);
    LoadRun second = load(args);

    assertEquals(second.stderr, 0, second.exitCode);
    events.expect(d3p0);
    events.expect(d1p1);
    assertEquals(events.expected(), EventFiles.stored(aws, table));
    summary = second.summary();
    assertEquals("the new and the changed file", 100, summary.get("rowsRead").asLong());
    assertEquals(100, summary.get("itemsWritten").asLong());
    assertEquals(2, summary.get("filesLoaded").asInt());
    assertEquals(2, summary.get("inputFiles").asInt());
    assertEquals(2, summary.get("filesSkipped").asInt());
    assertEquals(1, summary.get("bookmark").get("newFiles").asInt());
    assertEquals(1, summary.get("bookmark").get("changedFiles").asInt());
    assertEquals(afterFirst.lastRunId, summary.get("bookmark").get("previousRunId").asText());
    BookmarkState afterSecond = s3State(bucket, "state/events.json");
    assertEquals(4, afterSecond.files.size());
    assertEquals(Long.valueOf(60), afterSecond.files.get(input + "day=1/part-1.parquet").rows);
    assertEquals(
        "a skipped file keeps the run that loaded it",
        afterFirst.lastRunId,
        afterSecond.files.get(input + "day=1/part-0.parquet").runId);
    assertNotEquals(afterFirst.lastRunId, afterSecond.lastRunId);

    // Night 3: nothing new. The run says so, reads nothing, and starts no runner: under these
    // settings starting one fails (checked at the end).
    byte[] recorded = s3Bytes(bucket, "state/events.json");
    LoadRun third = loadWhereNoRunnerCanStart(args);

    assertEquals(third.stderr, 0, third.exitCode);
    assertTrue(third.stdout, third.stdout.contains("nothing new to load"));
    summary = third.summary();
    assertEquals("SUCCEEDED", summary.get("status").asText());
    assertEquals(0, summary.get("rowsRead").asLong());
    assertEquals(0, summary.get("rowsInFiles").asLong());
    assertEquals(0, summary.get("itemsWritten").asLong());
    assertTrue(summary.get("reconciled").asBoolean());
    assertEquals(0, summary.get("filesLoaded").asInt());
    assertEquals(4, summary.get("filesSkipped").asInt());
    assertFalse(summary.get("bookmark").get("updated").asBoolean());
    assertArrayEquals(recorded, s3Bytes(bucket, "state/events.json"));
    assertEquals(events.expected(), EventFiles.stored(aws, table));

    // Night 4: a file is gone. It is reported and forgotten; its items stay in the table.
    aws.s3.deleteObject(b -> b.bucket(bucket).key("events/day=2/part-0.parquet"));
    LoadRun fourth = loadWhereNoRunnerCanStart(args);

    assertEquals(fourth.stderr, 0, fourth.exitCode);
    assertEquals(1, fourth.summary().get("filesGone").asInt());
    assertTrue(fourth.summary().get("bookmark").get("updated").asBoolean());
    assertEquals(3, s3State(bucket, "state/events.json").files.size());
    assertEquals(events.expected(), EventFiles.stored(aws, table));

    // The settings of nights 3 and 4 do stop a run that has something to read.
    LoadRun trap = loadWhereNoRunnerCanStart("--inputPath=" + input, "--tableName=" + table);
    assertEquals(trap.stdout + trap.stderr, Parquet2Dynamo.LOAD_FAILED, trap.exitCode);
    assertTrue(trap.errorLine(), trap.errorLine().startsWith("ERROR: the load failed: "));
  }

  @Test
  public void aLoadWithUnconfirmedItemsRecordsNothingAndTheNextRunCompletesTheTable()
      throws Exception {
    String table = table();
    Path root = TMP.newFolder().toPath();
    EventFiles events = new EventFiles(root);
    Path bookmark = root.resolve("state/events.json");
    Path dead = root.resolve("dead");
    List<String> args =
        List.of(
            "--inputPath=" + root.resolve("events"),
            "--tableName=" + table,
            "--bookmarkPath=" + bookmark,
            "--deadLetterPath=" + dead);
    Path d1p0 = events.write("events/day=1/part-0.parquet", 100, 0);
    LoadRun first = load(args.toArray(new String[0]));
    assertEquals(first.stderr, 0, first.exitCode);
    events.expect(d1p0);
    byte[] recorded = Files.readAllBytes(bookmark);

    // Night 2: DynamoDB keeps throttling two items of the new file past their retries.
    Path d2p0 = events.write("events/day=2/part-0.parquet", 100, 500);
    Faults faults =
        Faults.builder().seed(5).partitionKey("id").alwaysThrottleKeys("d2-part-0-7").build();
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults)) {
      List<String> throughProxy = new ArrayList<>(args);
      throughProxy.add("--maxWriteAttempts=2");
      List<String> all = new ArrayList<>(LoadRun.standInArgs(standIns));
      all.removeIf(a -> a.startsWith("--dynamoDbEndpoint="));
      all.add("--dynamoDbEndpoint=" + proxy.endpoint());
      all.addAll(throughProxy);
      all.addAll(runnerArgs);
      LoadRun incomplete = LoadRun.of(all);

      assertEquals(incomplete.stderr, Parquet2Dynamo.INCOMPLETE, incomplete.exitCode);
      assertEquals("INCOMPLETE", incomplete.summary().get("status").asText());
      assertFalse(incomplete.summary().get("bookmark").get("updated").asBoolean());
      assertTrue(
          incomplete.stdout,
          incomplete.stdout.contains(
              "Bookmark "
                  + bookmark
                  + " not updated: the load ended INCOMPLETE, so the next run loads this run's 1"
                  + " files again"));
    }
    assertArrayEquals("the bookmark is as it was", recorded, Files.readAllBytes(bookmark));
    events.expect(d2p0);
    Map<String, String> allButOne = events.expected();
    allButOne.remove("d2-part-0-7");
    assertEquals(allButOne, EventFiles.stored(aws, table));

    // Night 3, DynamoDB healthy again: the file is loaded again, and the table is whole.
    LoadRun third = load(args.toArray(new String[0]));

    assertEquals(third.stderr, 0, third.exitCode);
    assertEquals(1, third.summary().get("filesLoaded").asInt());
    assertEquals(100, third.summary().get("itemsWritten").asLong());
    assertEquals(events.expected(), EventFiles.stored(aws, table));
    assertEquals(2, BookmarkState.parse(Files.readAllBytes(bookmark)).files.size());
  }

  @Test
  public void aBacklogLoadsInSlicesOldestFirstUntilNothingIsPending() throws Exception {
    String table = table();
    Path root = TMP.newFolder().toPath();
    EventFiles events = new EventFiles(root);
    Path bookmark = root.resolve("events.json");
    // Five days, written in reverse: the last day is the oldest file.
    List<Path> files = new ArrayList<>();
    for (int day = 1; day <= 5; day++) {
      Path file = events.write("events/day=" + day + "/part-0.parquet", 20, 100L * day);
      Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L - day * 60_000L));
      files.add(file);
    }
    String[] args = {
      "--inputPath=" + root.resolve("events"),
      "--tableName=" + table,
      "--bookmarkPath=" + bookmark,
      "--maxFilesPerRun=2"
    };

    Map<Integer, List<String>> loadedBy = new TreeMap<>();
    int[] pendingAfter = {3, 1, 0};
    for (int run = 0; run < 3; run++) {
      LoadRun slice = load(args);
      assertEquals(slice.stderr, 0, slice.exitCode);
      JsonNode summary = slice.summary();
      assertEquals(pendingAfter[run], summary.get("filesPending").asInt());
      assertEquals(run < 2 ? 2 : 1, summary.get("filesLoaded").asInt());
      assertEquals(run * 2, summary.get("filesSkipped").asInt());
      BookmarkState state = BookmarkState.parse(Files.readAllBytes(bookmark));
      List<String> recorded = new ArrayList<>();
      state.files.forEach(
          (path, entry) -> {
            if (entry.runId.equals(state.lastRunId)) {
              recorded.add(path.replaceAll(".*day=(\\d+).*", "$1"));
            }
          });
      loadedBy.put(run, recorded);
    }

    assertEquals(
        "oldest first: days 5 and 4, then 3 and 2, then 1",
        Map.of(0, List.of("4", "5"), 1, List.of("2", "3"), 2, List.of("1")),
        loadedBy);
    files.forEach(events::expect);
    assertEquals(events.expected(), EventFiles.stored(aws, table));
    LoadRun done = load(args);
    assertEquals(done.stderr, 0, done.exitCode);
    assertEquals(0, done.summary().get("rowsRead").asLong());
    assertEquals(0, done.summary().get("filesPending").asInt());
  }

  @Test
  public void gluesBookmarkArgumentsEnableAndPauseTheBookmarkInItsTemporaryDirectory()
      throws Exception {
    String bucket = aws.createBucket("glue");
    String table = table();
    EventFiles events = new EventFiles(TMP.newFolder().toPath());
    String key = "tmp/parquet2dynamo-bookmarks/nightly_sales.json";
    Path d1 = events.put(aws, bucket, "events/day=1/part-0.parquet", 30, 0);

    // As Glue passes them: --key value pairs, its own keys among the job's options.
    List<String> glue =
        List.of(
            "--JOB_ID",
            "j_1",
            "--JOB_RUN_ID",
            "jr_1",
            "--JOB_NAME",
            "nightly sales",
            "--TempDir",
            "s3://" + bucket + "/tmp/",
            "--inputPath",
            "s3://" + bucket + "/events/",
            "--tableName",
            table,
            "--enable-metrics",
            "",
            "--job-bookmark-option");
    List<String> enable = new ArrayList<>(glue);
    enable.add("job-bookmark-enable");
    LoadRun first = load(enable.toArray(new String[0]));

    assertEquals(first.stderr, 0, first.exitCode);
    events.expect(d1);
    assertEquals(events.expected(), EventFiles.stored(aws, table));
    assertEquals(
        "s3://" + bucket + "/" + key, first.summary().get("bookmark").get("path").asText());
    assertEquals(1, s3State(bucket, key).files.size());

    // Paused: the new file is loaded, and the bookmark is left as it was.
    Path d2 = events.put(aws, bucket, "events/day=2/part-0.parquet", 30, 100);
    byte[] recorded = s3Bytes(bucket, key);
    List<String> pause = new ArrayList<>(glue);
    pause.add("job-bookmark-pause");
    LoadRun paused = load(pause.toArray(new String[0]));

    assertEquals(paused.stderr, 0, paused.exitCode);
    assertEquals(30, paused.summary().get("rowsRead").asLong());
    assertEquals("pause", paused.summary().get("bookmark").get("mode").asText());
    assertTrue(paused.stdout, paused.stdout.contains("bookmarks are paused"));
    assertArrayEquals(recorded, s3Bytes(bucket, key));
    events.expect(d2);
    assertEquals(events.expected(), EventFiles.stored(aws, table));

    // Enabled again: the file the paused run loaded is still new to the bookmark.
    LoadRun again = load(enable.toArray(new String[0]));
    assertEquals(again.stderr, 0, again.exitCode);
    assertEquals(1, again.summary().get("filesLoaded").asInt());
    assertEquals(2, s3State(bucket, key).files.size());

    // Disabled (Glue's default): every file is loaded, nothing is read or recorded.
    List<String> disable = new ArrayList<>(glue);
    disable.add("job-bookmark-disable");
    recorded = s3Bytes(bucket, key);
    LoadRun off = load(disable.toArray(new String[0]));
    assertEquals(off.stderr, 0, off.exitCode);
    assertEquals(60, off.summary().get("rowsRead").asLong());
    assertFalse(off.summary().has("bookmark"));
    assertArrayEquals(recorded, s3Bytes(bucket, key));
  }

  @Test
  public void aBookmarkThatCannotBeUsedStopsTheRunInOneLineAndAResetStartsOver() throws Exception {
    String table = table();
    Path root = TMP.newFolder().toPath();
    EventFiles events = new EventFiles(root);
    Path d1 = events.write("events/day=1/part-0.parquet", 20, 0);
    Path bookmark = root.resolve("events.json");
    Files.writeString(bookmark, "{\"formatVersion\": 1, \"files\": ");
    String[] args = {
      "--inputPath=" + root.resolve("events"), "--tableName=" + table, "--bookmarkPath=" + bookmark
    };

    LoadRun refused = load(args);

    assertEquals(refused.stderr, Parquet2Dynamo.INVALID_INPUT, refused.exitCode);
    assertTrue(
        refused.errorLine(),
        refused.errorLine().startsWith("ERROR: the bookmark " + bookmark + " is not valid JSON"));
    assertTrue(
        refused.errorLine(),
        refused
            .errorLine()
            .endsWith(
                ": fix or remove it, or run with --bookmarkReset to start over (the old file is"
                    + " kept as "
                    + bookmark
                    + ".reset-<run id>)"));
    assertEquals(Map.of(), EventFiles.stored(aws, table));

    List<String> reset = new ArrayList<>(List.of(args));
    reset.add("--bookmarkReset");
    LoadRun again = load(reset.toArray(new String[0]));

    assertEquals(again.stderr, 0, again.exitCode);
    assertTrue(again.summary().get("bookmark").get("reset").asBoolean());
    events.expect(d1);
    assertEquals(events.expected(), EventFiles.stored(aws, table));
    BookmarkState state = BookmarkState.parse(Files.readAllBytes(bookmark));
    assertEquals(1, state.files.size());
    assertEquals(
        "the old bookmark is kept beside it",
        "{\"formatVersion\": 1, \"files\": ",
        Files.readString(root.resolve("events.json.reset-" + state.lastRunId)));
  }
}
