package io.parquet2dynamo.bookmark;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.options.JobArguments;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.source.InputFiles;
import io.parquet2dynamo.source.ParquetDataset;
import io.parquet2dynamo.testing.ParquetFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
 * Tests {@link Bookmarks} and {@link BookmarkRun} with local Parquet files and a local bookmark:
 * the call sequence the main class follows, and what start and commit do in each mode.
 */
public class BookmarksTest {
  private static final Schema ROW =
      SchemaBuilder.record("row").fields().requiredString("id").requiredLong("n").endRecord();

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private Path input;
  private Path bookmark;

  @Before
  public void setUp() throws IOException {
    input = folder.newFolder("in").toPath();
    bookmark = folder.getRoot().toPath().resolve("state/b.json");
  }

  private void writeParquet(String name, int rows) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      GenericRecord r = new GenericData.Record(ROW);
      r.put("id", name + "-" + i);
      r.put("n", (long) i);
      records.add(r);
    }
    ParquetFiles.write(input.resolve(name), ROW, records);
  }

  private Parquet2DynamoOptions options(String... more) {
    List<String> args = new ArrayList<>();
    for (String option : List.of("--inputPath=" + input, "--tableName=sales")) {
      String key = option.substring(0, option.indexOf('=') + 1);
      if (Arrays.stream(more).noneMatch(m -> m.startsWith(key))) {
        args.add(option);
      }
    }
    args.addAll(Arrays.asList(more));
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .as(Parquet2DynamoOptions.class);
    FileSystems.setDefaultPipelineOptions(options);
    return options;
  }

  /** What the main class does up to selecting the files. */
  private BookmarkRun start(String... more) {
    Parquet2DynamoOptions options = options(more);
    BookmarkSettings settings = BookmarkSettings.resolve(options, Map.of());
    List<InputFiles.Match> listed = InputFiles.resolve(options.getInputPath(), options);
    return Bookmarks.start(settings, listed, settings.enabled() ? ItemShape.of(options) : null);
  }

  private static List<String> names(List<InputFiles.Match> files) {
    return files.stream()
        .map(m -> m.path.substring(m.path.lastIndexOf('/') + 1))
        .collect(Collectors.toList());
  }

  private BookmarkState state() throws Exception {
    return BookmarkState.parse(Files.readAllBytes(bookmark));
  }

  /** The sequence the main class follows, as the package documentation shows it. */
  @Test
  public void intendedCallSequence() throws Exception {
    writeParquet("a.parquet", 3);
    writeParquet("b.parquet", 5);
    String[] argv = {
      "--inputPath", input.toString(), "--tableName", "sales", "--bookmarkPath", bookmark.toString()
    };

    // Run 1: no bookmark yet, both files load.
    JobArguments.Normalised args = new JobArguments(Parquet2DynamoOptions.class).parse(argv);
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(args.beamArguments().toArray(new String[0]))
            .withValidation()
            .as(Parquet2DynamoOptions.class);
    FileSystems.setDefaultPipelineOptions(options);
    BookmarkSettings settings = BookmarkSettings.resolve(options, args.glueArguments());
    List<InputFiles.Match> listed = InputFiles.resolve(options.getInputPath(), options);
    BookmarkRun run = Bookmarks.start(settings, listed, ItemShape.of(options));
    assertTrue(run.warnings().isEmpty());
    assertFalse(run.nothingToLoad());
    assertNull(run.previousRunId());
    ParquetDataset dataset = ParquetDataset.scan(run.filesToLoad());
    assertEquals(8, dataset.rowCount());
    // ... the load runs and reconciles ...
    assertTrue(run.commit("run-1", dataset.rowsByFile()));

    BookmarkState state = state();
    assertEquals("run-1", state.lastRunId);
    assertEquals(Long.valueOf(3), state.files.get(input.resolve("a.parquet").toString()).rows);
    assertEquals(Long.valueOf(5), state.files.get(input.resolve("b.parquet").toString()).rows);

    // Run 2: nothing new; the run stops early, and commit has nothing to record.
    BookmarkRun idle = start("--bookmarkPath=" + bookmark);
    assertTrue(idle.nothingToLoad());
    assertEquals("run-1", idle.previousRunId());
    assertEquals(List.of("a.parquet", "b.parquet"), names(idle.filesSkipped()));
    assertTrue(idle.describe(), idle.describe().contains("nothing new to load"));
    assertFalse(idle.commit("run-2", Map.of()));
    assertEquals("run-1", state().lastRunId);

    // Run 3: a new file, and a changed one; the unchanged one is skipped.
    writeParquet("c.parquet", 2);
    writeParquet("a.parquet", 4);
    BookmarkRun third = start("--bookmarkPath=" + bookmark);
    assertEquals(List.of("a.parquet", "c.parquet"), names(third.filesToLoad()));
    assertEquals(List.of("b.parquet"), names(third.filesSkipped()));
    Map<String, Object> fields = third.summaryFields();
    assertEquals(2, fields.get("filesLoaded"));
    assertEquals(1, fields.get("filesSkipped"));
    assertEquals(0, fields.get("filesGone"));
    assertEquals(0, fields.get("filesPending"));
    @SuppressWarnings("unchecked")
    Map<String, Object> about = (Map<String, Object>) fields.get("bookmark");
    assertEquals(bookmark.toString(), about.get("path"));
    assertEquals("enable", about.get("mode"));
    assertEquals("run-1", about.get("previousRunId"));
    assertEquals(1, about.get("newFiles"));
    assertEquals(1, about.get("changedFiles"));
    ParquetDataset third3 = ParquetDataset.scan(third.filesToLoad());
    assertEquals(6, third3.rowCount());
    assertTrue(third.commit("run-3", third3.rowsByFile()));
    state = state();
    assertEquals("run-3", state.files.get(input.resolve("a.parquet").toString()).runId);
    assertEquals(Long.valueOf(4), state.files.get(input.resolve("a.parquet").toString()).rows);
    assertEquals("run-1", state.files.get(input.resolve("b.parquet").toString()).runId);
  }

  @Test
  public void goneFilesAreReportedAndForgottenOnCommit() throws Exception {
    writeParquet("a.parquet", 1);
    writeParquet("b.parquet", 1);
    BookmarkRun first = start("--bookmarkPath=" + bookmark);
    first.commit(
        "r1", Map.of(first.filesToLoad().get(0).path, 1L, first.filesToLoad().get(1).path, 1L));
    Files.delete(input.resolve("b.parquet"));

    BookmarkRun second = start("--bookmarkPath=" + bookmark);

    assertTrue(second.nothingToLoad());
    assertEquals(List.of(input.resolve("b.parquet").toString()), second.filesGone());
    assertEquals(1, second.summaryFields().get("filesGone"));
    assertTrue(second.commit("r2", Map.of()));
    assertEquals(
        List.of(input.resolve("a.parquet").toString()), new ArrayList<>(state().files.keySet()));
  }

  @Test
  public void otherItemOptionsWarnAndAreRecordedOnCommit() throws Exception {
    writeParquet("a.parquet", 1);
    BookmarkRun first = start("--bookmarkPath=" + bookmark);
    first.commit("r1", Map.of(first.filesToLoad().get(0).path, 1L));
    writeParquet("b.parquet", 1);

    BookmarkRun second =
        start("--bookmarkPath=" + bookmark, "--writeMode=putIfAbsent", "--nullPolicy=null");

    assertEquals(
        List.of(
            "the bookmark's files were loaded with other item options (--nullPolicy 'omit' ->"
                + " 'null'; --writeMode 'put' -> 'putIfAbsent'): the files it skips keep the items"
                + " those options made; run with --bookmarkReset to load them all again"),
        second.warnings());
    second.commit("r2", Map.of(second.filesToLoad().get(0).path, 1L));
    assertEquals("putIfAbsent", state().itemShape.writeMode);
  }

  @Test
  public void aChangedMappingFileWarns() throws Exception {
    writeParquet("a.parquet", 1);
    Path mapping = folder.getRoot().toPath().resolve("mapping.yaml");
    Files.writeString(mapping, "rename: {n: count}\n");
    BookmarkRun first = start("--bookmarkPath=" + bookmark, "--mapping=" + mapping);
    first.commit("r1", Map.of(first.filesToLoad().get(0).path, 1L));
    assertEquals(64, state().itemShape.mappingSha256.length());

    Files.writeString(mapping, "rename: {n: total}\n");
    BookmarkRun second = start("--bookmarkPath=" + bookmark, "--mapping=" + mapping);
    assertEquals(1, second.warnings().size());
    assertTrue(
        second.warnings().get(0),
        second.warnings().get(0).contains("--mapping file content changed"));
  }

  @Test
  public void pauseSelectsButNeverWrites() throws Exception {
    writeParquet("a.parquet", 1);
    Parquet2DynamoOptions options = options();
    BookmarkSettings paused =
        BookmarkSettings.resolve(
            options,
            Map.of(
                "job-bookmark-option", "job-bookmark-pause",
                "TempDir", folder.getRoot() + "/tmp",
                "JOB_NAME", "nightly"));
    BookmarkRun run =
        Bookmarks.start(
            paused, InputFiles.resolve(options.getInputPath(), options), ItemShape.of(options));

    assertEquals(List.of("a.parquet"), names(run.filesToLoad()));
    assertFalse(run.commit("r1", Map.of(run.filesToLoad().get(0).path, 1L)));
    assertFalse(Files.exists(folder.getRoot().toPath().resolve("tmp")));
    assertEquals("pause", ((Map<?, ?>) run.summaryFields().get("bookmark")).get("mode"));
  }

  @Test
  public void offLoadsEverythingAndRecordsNothing() throws Exception {
    writeParquet("a.parquet", 1);
    writeParquet("b.parquet", 1);
    BookmarkRun run = start();
    assertEquals(List.of("a.parquet", "b.parquet"), names(run.filesToLoad()));
    assertTrue(run.summaryFields().isEmpty());
    assertFalse(run.commit("r1", Map.of()));
  }

  @Test
  public void commitNeedsTheRowsOfEveryLoadedFileAndHappensOnce() throws Exception {
    writeParquet("a.parquet", 1);
    BookmarkRun run = start("--bookmarkPath=" + bookmark);
    assertThrows(IllegalArgumentException.class, () -> run.commit("r1", Map.of()));
    assertFalse(Files.exists(bookmark));
    run.commit("r1", Map.of(run.filesToLoad().get(0).path, 1L));
    assertThrows(
        IllegalStateException.class,
        () -> run.commit("r1", Map.of(run.filesToLoad().get(0).path, 1L)));
  }

  @Test
  public void slicesCommitOneAfterAnother() throws Exception {
    for (int i = 0; i < 5; i++) {
      writeParquet("f" + i + ".parquet", 1);
      // Distinct modification times, so that the oldest-first order is f0..f4.
      Files.setLastModifiedTime(
          input.resolve("f" + i + ".parquet"),
          java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L + i * 1000L));
    }
    List<List<String>> slices = new ArrayList<>();
    for (int runNo = 1; runNo <= 4; runNo++) {
      BookmarkRun run = start("--bookmarkPath=" + bookmark, "--maxFilesPerRun=2");
      slices.add(names(run.filesToLoad()));
      Map<String, Long> rows = new java.util.HashMap<>();
      run.filesToLoad().forEach(m -> rows.put(m.path, 1L));
      run.commit("r" + runNo, rows);
    }
    assertEquals(
        List.of(
            List.of("f0.parquet", "f1.parquet"),
            List.of("f2.parquet", "f3.parquet"),
            List.of("f4.parquet"),
            List.of()),
        slices);
    assertEquals(5, state().files.size());
  }

  @Test
  public void aLocalBookmarkIsOwnerOnly() throws Exception {
    writeParquet("a.parquet", 1);
    BookmarkRun run = start("--bookmarkPath=" + bookmark);
    run.commit("r1", Map.of(run.filesToLoad().get(0).path, 1L));
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(bookmark)));
    // Only the state and its lock file: no temporary file left behind.
    try (var files = Files.list(bookmark.getParent())) {
      assertEquals(
          List.of(".b.json.lock", "b.json"),
          files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
    }
    assertTrue(new String(Files.readAllBytes(bookmark), StandardCharsets.UTF_8).endsWith("}\n"));
  }

  @Test
  public void aBookmarkAmongTheInputFilesIsRefused() throws Exception {
    writeParquet("a.parquet", 1);
    Path inside = input.resolve("state.json");
    Files.writeString(inside, "{}");
    Parquet2DynamoOptions options =
        options("--inputPath=" + input + "/*", "--bookmarkPath=" + inside);
    BookmarkSettings settings = BookmarkSettings.resolve(options, Map.of());
    List<InputFiles.Match> listed = InputFiles.resolve(options.getInputPath(), options);
    assertEquals(
        "the bookmark "
            + inside
            + " is one of the input files of --inputPath: keep it outside the input",
        assertThrows(
                io.parquet2dynamo.InvalidInputException.class,
                () -> Bookmarks.start(settings, listed, ItemShape.of(options)))
            .getMessage());
  }
}
