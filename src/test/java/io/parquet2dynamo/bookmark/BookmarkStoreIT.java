package io.parquet2dynamo.bookmark;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.aws.PathStyleS3ClientBuilderFactory;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.source.InputFiles;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.WithStandIns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Tests bookmarks kept in an {@code s3://} object on S3Proxy and in a local file, with input files
 * listed from the same place: each commit replaces the whole state, two runs racing on one state
 * see one commit win and the other refused, {@code --bookmarkReset} keeps a copy of the old state,
 * and a bad state stops the run before any work and is left as it was.
 */
@RunWith(Parameterized.class)
public class BookmarkStoreIT extends WithStandIns {
  @Parameter public String where;

  @Parameters(name = "{0}")
  public static List<Object[]> places() {
    return List.of(new Object[] {"s3"}, new Object[] {"local"});
  }

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private String bucket;
  private Path localRoot;
  private String inputDir;
  private String bookmark;

  @Before
  public void setUp() throws IOException {
    if (where.equals("s3")) {
      bucket = aws.createBucket("bookmarks");
      inputDir = "s3://" + bucket + "/in/";
      bookmark = "s3://" + bucket + "/state/sales.json";
    } else {
      localRoot = folder.getRoot().toPath();
      inputDir = localRoot.resolve("in") + "/";
      bookmark = localRoot.resolve("state/sales.json").toString();
    }
  }

  private boolean s3() {
    return where.equals("s3");
  }

  /** Writes an input file (its content does not matter to a bookmark, only its version). */
  private void putInput(String name, String content) throws IOException {
    if (s3()) {
      aws.s3.putObject(b -> b.bucket(bucket).key("in/" + name), RequestBody.fromString(content));
    } else {
      Path file = Path.of(inputDir, name);
      Files.createDirectories(file.getParent());
      FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
      Files.writeString(file, content);
      if (before != null && before.equals(Files.getLastModifiedTime(file))) {
        // Rewritten within the file system's clock tick: make the change visible.
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 1000));
      }
    }
  }

  private void putState(byte[] content) throws IOException {
    if (s3()) {
      aws.s3.putObject(
          b -> b.bucket(bucket).key("state/sales.json"), RequestBody.fromBytes(content));
    } else {
      Files.createDirectories(Path.of(bookmark).getParent());
      Files.write(Path.of(bookmark), content);
    }
  }

  private byte[] readState(String path) throws IOException {
    if (s3()) {
      String key = path.substring(("s3://" + bucket + "/").length());
      return aws.s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }
    return Files.readAllBytes(Path.of(path));
  }

  private BookmarkState state() throws Exception {
    return BookmarkState.parse(readState(bookmark));
  }

  /** What sits beside the bookmark: its name and the names of any other files there. */
  private List<String> besideTheBookmark() throws IOException {
    if (s3()) {
      return aws.listKeys(bucket, "state/").stream()
          .map(k -> k.substring("state/".length()))
          .sorted()
          .collect(Collectors.toList());
    }
    try (var files = Files.list(Path.of(bookmark).getParent())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.equals(".sales.json.lock"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private Parquet2DynamoOptions options(String... more) {
    List<String> args = new ArrayList<>();
    for (String option :
        List.of("--inputPath=" + inputDir, "--tableName=sales", "--bookmarkPath=" + bookmark)) {
      String key = option.substring(0, option.indexOf('=') + 1);
      if (Arrays.stream(more).noneMatch(m -> m.startsWith(key))) {
        args.add(option);
      }
    }
    args.addAll(Arrays.asList(more));
    args = LoadRun.standInArgs(standIns, args.toArray(new String[0]));
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(Parquet2DynamoOptions.class);
    // As the main class does, so that Beam's S3 file system reaches S3Proxy too.
    options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    FileSystems.setDefaultPipelineOptions(options);
    return options;
  }

  private BookmarkRun start(String... more) {
    Parquet2DynamoOptions options = options(more);
    return Bookmarks.start(
        BookmarkSettings.resolve(options, Map.of()),
        InputFiles.resolve(options.getInputPath(), options),
        ItemShape.of(options));
  }

  private static Map<String, Long> oneRowEach(BookmarkRun run) {
    Map<String, Long> rows = new HashMap<>();
    run.filesToLoad().forEach(m -> rows.put(m.path, 1L));
    return rows;
  }

  private static List<String> names(List<InputFiles.Match> files) {
    return files.stream()
        .map(m -> m.path.substring(m.path.lastIndexOf('/') + 1))
        .collect(Collectors.toList());
  }

  @Test
  public void eachCommitReplacesTheWholeState() throws Exception {
    putInput("a.parquet", "aaaa");
    putInput("b.parquet", "bbbbbb");
    BookmarkRun first = start();
    assertEquals(List.of("a.parquet", "b.parquet"), names(first.filesToLoad()));
    assertTrue(first.commit("r1", oneRowEach(first)));

    BookmarkState state = state();
    assertEquals("r1", state.lastRunId);
    assertEquals(2, state.files.size());
    BookmarkState.FileEntry a = state.files.get(inputDir + "a.parquet");
    assertEquals(Long.valueOf(4), a.size);
    if (s3()) {
      String etag = aws.s3.headObject(h -> h.bucket(bucket).key("in/a.parquet")).eTag();
      assertEquals(etag.replace("\"", ""), a.etag);
    } else {
      assertNull(a.etag);
      assertEquals(
          Files.getLastModifiedTime(Path.of(inputDir, "a.parquet")).toInstant().toString(),
          a.lastModified);
    }

    putInput("c.parquet", "c");
    BookmarkRun second = start();
    assertEquals(List.of("c.parquet"), names(second.filesToLoad()));
    assertEquals("r1", second.previousRunId());
    assertTrue(second.commit("r2", oneRowEach(second)));

    state = state();
    assertEquals("r2", state.lastRunId);
    assertEquals(
        List.of("r1", "r1", "r2"),
        state.files.values().stream().map(f -> f.runId).collect(Collectors.toList()));
    // Nothing but the state itself: no temporary or partial file beside it.
    assertEquals(List.of("sales.json"), besideTheBookmark());
  }

  @Test
  public void aChangedFileIsLoadedAgainAndAnUnchangedOneIsNot() throws Exception {
    putInput("a.parquet", "aaaa");
    putInput("b.parquet", "bbbb");
    BookmarkRun first = start();
    first.commit("r1", oneRowEach(first));

    putInput("a.parquet", "AAAA"); // same size, other content
    putInput("b.parquet", "bbbb"); // same content written again
    BookmarkRun second = start();

    if (s3()) {
      // S3 compares ETags: b's content is the same, so its new Last-Modified does not matter.
      assertEquals(List.of("a.parquet"), names(second.filesToLoad()));
      assertEquals(List.of("b.parquet"), names(second.filesSkipped()));
    } else {
      // A local file has no content digest: written again is changed.
      assertEquals(List.of("a.parquet", "b.parquet"), names(second.filesToLoad()));
    }
    assertEquals(0, ((Map<?, ?>) second.summaryFields().get("bookmark")).get("newFiles"));
  }

  @Test
  public void twoRunsRaceOnOneStateAndOneCommitWins() throws Exception {
    putInput("a.parquet", "a");
    BookmarkRun setup = start();
    setup.commit("r0", oneRowEach(setup));
    putInput("b.parquet", "b");

    BookmarkRun one = start();
    BookmarkRun other = start();
    assertTrue(one.commit("r-one", oneRowEach(one)));
    BookmarkConflictException e =
        assertThrows(
            BookmarkConflictException.class, () -> other.commit("r-other", oneRowEach(other)));

    assertEquals(
        "the bookmark "
            + bookmark
            + " was replaced by run r-one after this run read it (two runs share it): this run's"
            + " items are written but its bookmark is not, so the next run loads this run's files"
            + " again",
        e.getMessage());
    BookmarkState state = state();
    assertEquals("r-one", state.lastRunId);
    assertEquals("r-one", state.files.get(inputDir + "b.parquet").runId);
  }

  @Test
  public void twoFirstRunsRaceAndOneCommitWins() throws Exception {
    putInput("a.parquet", "a");
    BookmarkRun one = start();
    BookmarkRun other = start();
    assertTrue(one.commit("r-one", oneRowEach(one)));
    BookmarkConflictException e =
        assertThrows(
            BookmarkConflictException.class, () -> other.commit("r-other", oneRowEach(other)));
    assertTrue(
        e.getMessage(),
        e.getMessage()
            .startsWith(
                "the bookmark " + bookmark + " was created by run r-one after this run read it"));
    assertEquals("r-one", state().lastRunId);
  }

  @Test
  public void aDeletedStateIsAConflictToo() throws Exception {
    putInput("a.parquet", "a");
    BookmarkRun setup = start();
    setup.commit("r0", oneRowEach(setup));
    putInput("b.parquet", "b");
    BookmarkRun run = start();
    if (s3()) {
      aws.s3.deleteObject(d -> d.bucket(bucket).key("state/sales.json"));
    } else {
      Files.delete(Path.of(bookmark));
    }
    BookmarkConflictException e =
        assertThrows(BookmarkConflictException.class, () -> run.commit("r1", oneRowEach(run)));
    assertTrue(e.getMessage(), e.getMessage().contains(" was deleted after this run read it"));
    assertEquals(List.of(), besideTheBookmark());
  }

  @Test
  public void resetKeepsACopyOfTheOldStateBesideIt() throws Exception {
    putInput("a.parquet", "a");
    byte[] broken = "{\"formatVersion\": 1, \"files\": {".getBytes(StandardCharsets.UTF_8);
    putState(broken);

    InvalidInputException refused = assertThrows(InvalidInputException.class, () -> start());
    assertTrue(
        refused.getMessage(),
        refused
            .getMessage()
            .matches(
                "the bookmark "
                    + java.util.regex.Pattern.quote(bookmark)
                    + " is not valid JSON \\(.*\\): fix or remove it, or run with --bookmarkReset"
                    + " to start over \\(the old file is kept as "
                    + java.util.regex.Pattern.quote(bookmark)
                    + "\\.reset-<run id>\\)"));

    BookmarkRun reset = start("--bookmarkReset");
    assertEquals(List.of("a.parquet"), names(reset.filesToLoad()));
    assertNull(reset.previousRunId());
    assertEquals(true, ((Map<?, ?>) reset.summaryFields().get("bookmark")).get("reset"));
    // Nothing is written before the commit.
    assertArrayEquals(broken, readState(bookmark));
    assertEquals(List.of("sales.json"), besideTheBookmark());

    assertTrue(reset.commit("r9", oneRowEach(reset)));

    assertEquals(List.of("sales.json", "sales.json.reset-r9"), besideTheBookmark());
    assertArrayEquals(broken, readState(bookmark + ".reset-r9"));
    assertEquals("r9", state().lastRunId);
    assertTrue(start().nothingToLoad());
  }

  @Test
  public void aStateOfAnotherTableInputOrVersionStopsTheRunAndIsLeftAsItWas() throws Exception {
    putInput("a.parquet", "a");
    BookmarkRun setup = start();
    setup.commit("r0", oneRowEach(setup));
    byte[] good = readState(bookmark);

    String otherTable =
        assertThrows(InvalidInputException.class, () -> start("--tableName=orders")).getMessage();
    assertEquals(
        "the bookmark "
            + bookmark
            + " records the table sales, not orders: give this table a bookmark of its own"
            + " (--bookmarkPath), or run with --bookmarkReset to start over (the old file is kept"
            + " as "
            + bookmark
            + ".reset-<run id>)",
        otherTable);

    putInput("x/y.parquet", "y");
    String otherInput =
        assertThrows(InvalidInputException.class, () -> start("--inputPath=" + inputDir + "x/"))
            .getMessage();
    assertTrue(
        otherInput,
        otherInput.startsWith(
            "the bookmark "
                + bookmark
                + " records the input "
                + inputDir.substring(0, inputDir.length() - 1)
                + ", not "
                + inputDir
                + "x: give this input a bookmark of its own"));

    putState(
        new String(good, StandardCharsets.UTF_8)
            .replace("\"formatVersion\" : 1", "\"formatVersion\" : 2")
            .getBytes(StandardCharsets.UTF_8));
    String newer = assertThrows(InvalidInputException.class, () -> start()).getMessage();
    assertTrue(
        newer,
        newer.startsWith(
            "the bookmark "
                + bookmark
                + " was written in bookmark format version 2, and this parquet2dynamo reads"
                + " version 1 (it was written by a newer parquet2dynamo): fix or remove it, or run"
                + " with --bookmarkReset"));
    assertEquals(List.of("sales.json"), besideTheBookmark());
    assertFalse(newer.contains("\n"));
  }
}
