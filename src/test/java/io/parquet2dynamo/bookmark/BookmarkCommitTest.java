package io.parquet2dynamo.bookmark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.source.InputFiles;
import io.parquet2dynamo.source.ParquetDataset;
import io.parquet2dynamo.summary.LoadSummary;
import io.parquet2dynamo.summary.Outcome;
import io.parquet2dynamo.testing.ParquetFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Tests {@link BookmarkCommit}: the bookmark is written only after a load that succeeded, and a
 * commit that loses to another run's gives the summary its own outcome and exit code.
 */
public class BookmarkCommitTest {
  private static final Schema ROW =
      SchemaBuilder.record("row").fields().requiredString("id").endRecord();

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path input;
  private Path bookmark;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Before
  public void setUp() throws IOException {
    input = folder.newFolder("in").toPath();
    bookmark = folder.getRoot().toPath().resolve("b.json");
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      GenericRecord r = new GenericData.Record(ROW);
      r.put("id", "k" + i);
      records.add(r);
    }
    ParquetFiles.write(input.resolve("a.parquet"), ROW, records);
  }

  /** A run's bookmark as the plan makes it. */
  private BookmarkCommit plan(boolean dryRun, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--inputPath=" + input, "--tableName=t", "--bookmarkPath=" + bookmark.toString()));
    args.addAll(List.of(more));
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .as(Parquet2DynamoOptions.class);
    FileSystems.setDefaultPipelineOptions(options);
    BookmarkSettings settings = BookmarkSettings.resolve(options, Map.of());
    BookmarkRun run =
        Bookmarks.start(
            settings, InputFiles.list(options.getInputPath(), null).files, ItemShape.of(options));
    Map<String, Long> rows =
        run.nothingToLoad() ? Map.of() : ParquetDataset.scan(run.filesToLoad()).rowsByFile();
    return BookmarkCommit.of(run, "run-" + System.nanoTime(), rows, dryRun);
  }

  private static LoadSummary succeeded(BookmarkCommit commit) {
    return LoadSummary.nothingRead(0.1, new LinkedHashMap<>(commit.summaryFields()));
  }

  private static JsonNode json(LoadSummary summary) throws IOException {
    return new ObjectMapper().readTree(summary.toJson());
  }

  @Test
  public void aSucceededLoadIsRecordedAndTheSummarySaysSo() throws IOException {
    BookmarkCommit commit = plan(false);
    assertFalse(commit.nothingToLoad());

    LoadSummary summary = commit.afterLoad(succeeded(commit), out);

    assertEquals(Outcome.SUCCEEDED, summary.outcome());
    assertTrue(Files.exists(bookmark));
    assertTrue(json(summary).get("bookmark").get("updated").asBoolean());
    assertTrue(printed.toString(), printed.toString().contains("1 files recorded"));
    assertTrue("the next run has nothing to load", plan(false).nothingToLoad());
  }

  @Test
  public void aLoadThatDidNotSucceedADryRunAndAPausedRunRecordNothing() throws IOException {
    BookmarkCommit commit = plan(false);
    LoadSummary interrupted =
        LoadSummary.interrupted(null, Map.of(), 3L, 0.1, Map.of("interruptedBy", "SIGTERM"), true);

    LoadSummary after = commit.afterLoad(interrupted, out);

    assertEquals(Outcome.INTERRUPTED, after.outcome());
    assertFalse(Files.exists(bookmark));
    assertTrue(
        printed.toString(),
        printed
            .toString()
            .contains(
                "not updated: the load ended INTERRUPTED, so the next run loads this run's 1"
                    + " files again"));

    BookmarkCommit dry = plan(true);
    assertEquals(Outcome.SUCCEEDED, dry.afterLoad(succeeded(dry), out).outcome());
    assertFalse(Files.exists(bookmark));
    assertTrue(printed.toString(), printed.toString().contains("a dry run records nothing"));
  }

  @Test
  public void aCommitThatLosesToAnotherRunEndsAsAConflictWithExitCode5() throws IOException {
    BookmarkCommit first = plan(false);
    BookmarkCommit second = plan(false);
    assertEquals(Outcome.SUCCEEDED, first.afterLoad(succeeded(first), out).outcome());
    byte[] recorded = Files.readAllBytes(bookmark);

    LoadSummary lost = second.afterLoad(succeeded(second), out);

    assertEquals(Outcome.BOOKMARK_CONFLICT, lost.outcome());
    assertEquals(5, lost.outcome().exitCode());
    assertTrue(lost.problem(), lost.problem().startsWith("the bookmark " + bookmark));
    assertTrue(
        lost.problem(), lost.problem().endsWith("so the next run loads this run's files again"));
    JsonNode json = json(lost);
    assertEquals("BOOKMARK_CONFLICT", json.get("status").asText());
    assertFalse(json.get("bookmark").get("updated").asBoolean());
    assertArrayEquals("the winner's bookmark stands", recorded, Files.readAllBytes(bookmark));
  }

  @Test
  public void aBookmarkThatCannotBeWrittenEndsAsNotSavedWithExitCode6() throws IOException {
    BookmarkCommit commit = plan(false);
    // The bookmark's path becomes a directory after the run read it: the rename over it fails.
    Files.createDirectories(bookmark.resolve("in-the-way"));

    LoadSummary summary = commit.afterLoad(succeeded(commit), out);

    assertEquals(Outcome.BOOKMARK_NOT_SAVED, summary.outcome());
    assertEquals(6, summary.outcome().exitCode());
    assertTrue(summary.problem(), summary.problem().startsWith("cannot update the bookmark"));
  }
}
