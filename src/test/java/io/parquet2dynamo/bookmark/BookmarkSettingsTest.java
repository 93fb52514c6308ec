package io.parquet2dynamo.bookmark;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.options.JobArguments;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/**
 * Tests {@link BookmarkSettings}: Glue's job-bookmark-option, --TempDir and --JOB_NAME as Glue
 * passes them (through the argument normaliser), and the bookmark options.
 */
public class BookmarkSettingsTest {
  private static final JobArguments ARGS = new JobArguments(Parquet2DynamoOptions.class);

  /** As the main class resolves them, from a command line written the way Glue writes it. */
  private static BookmarkSettings settings(String... args) {
    List<String> all =
        new ArrayList<>(List.of("--inputPath", "s3://data/sales/", "--tableName", "sales"));
    all.addAll(Arrays.asList(args));
    JobArguments.Normalised normalised = ARGS.parse(all.toArray(new String[0]));
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(normalised.beamArguments().toArray(new String[0]))
            .withValidation()
            .as(Parquet2DynamoOptions.class);
    return BookmarkSettings.resolve(options, normalised.glueArguments());
  }

  private static String error(String... args) {
    return assertThrows(InvalidInputException.class, () -> settings(args)).getMessage();
  }

  @Test
  public void glueEnableKeepsTheBookmarkBelowTempDirByJobName() {
    BookmarkSettings s =
        settings(
            "--JOB_ID", "j_1",
            "--job-bookmark-option", "job-bookmark-enable",
            "--TempDir", "s3://glue-tmp/temporary/",
            "--JOB_NAME", "nightly sales",
            "--JOB_RUN_ID", "jr_1");
    assertEquals(BookmarkSettings.Mode.ENABLED, s.mode());
    assertEquals("s3://glue-tmp/temporary/parquet2dynamo-bookmarks/nightly_sales.json", s.path());
    assertEquals(List.of("s3://data/sales"), s.inputPatterns());
    assertEquals("sales", s.table());
  }

  @Test
  public void aGivenBookmarkPathWinsOverGluesDefault() {
    BookmarkSettings s =
        settings(
            "--job-bookmark-option", "job-bookmark-enable",
            "--TempDir", "s3://glue-tmp/t",
            "--JOB_NAME", "nightly",
            "--bookmarkPath", "s3a://state/sales.json");
    assertEquals("s3://state/sales.json", s.path());
  }

  @Test
  public void glueTempDirWithoutTrailingSlash() {
    assertEquals(
        "s3://glue-tmp/t/parquet2dynamo-bookmarks/nightly.json",
        settings(
                "--job-bookmark-option=job-bookmark-enable",
                "--TempDir=s3://glue-tmp/t",
                "--JOB_NAME=nightly")
            .path());
  }

  @Test
  public void pauseReadsButDoesNotUpdate() {
    BookmarkSettings s =
        settings(
            "--job-bookmark-option", "job-bookmark-pause",
            "--TempDir", "s3://glue-tmp/t/",
            "--JOB_NAME", "nightly");
    assertEquals(BookmarkSettings.Mode.PAUSED, s.mode());
    assertTrue(s.enabled());
    assertEquals("s3://glue-tmp/t/parquet2dynamo-bookmarks/nightly.json", s.path());
  }

  @Test
  public void disableIgnoresTheBookmarkAndItsOptionsWithAWarning() {
    BookmarkSettings s =
        settings(
            "--job-bookmark-option", "job-bookmark-disable",
            "--TempDir", "s3://glue-tmp/t/",
            "--JOB_NAME", "nightly",
            "--bookmarkPath", "/state/b.json",
            "--maxFilesPerRun", "10");
    assertEquals(BookmarkSettings.Mode.OFF, s.mode());
    assertFalse(s.enabled());
    assertNull(s.path());
    assertNull(s.maxFilesPerRun());
    assertEquals(
        List.of(
            "--bookmarkPath, --maxFilesPerRun ignored: --job-bookmark-option job-bookmark-disable"
                + " turns bookmarks off, so every file is loaded and nothing is recorded"),
        s.warnings());
  }

  @Test
  public void withoutGlueTheBookmarkPathTurnsBookmarksOn() {
    BookmarkSettings s =
        settings("--bookmarkPath", "/state/b.json", "--maxFilesPerRun=5", "--maxBytesPerRun=1000");
    assertEquals(BookmarkSettings.Mode.ENABLED, s.mode());
    assertEquals("/state/b.json", s.path());
    assertEquals(Integer.valueOf(5), s.maxFilesPerRun());
    assertEquals(Long.valueOf(1000), s.maxBytesPerRun());
    assertFalse(s.reset());
    assertEquals(BookmarkSettings.Mode.OFF, settings().mode());
    assertTrue(settings().warnings().isEmpty());
  }

  @Test
  public void enableWithoutAPlaceIsAnError() {
    assertEquals(
        "--job-bookmark-option job-bookmark-enable (or -pause) needs --bookmarkPath, or both"
            + " --TempDir and --JOB_NAME to keep the bookmark at"
            + " <TempDir>/parquet2dynamo-bookmarks/<JOB_NAME>.json (give the Glue job a temporary"
            + " directory), but --TempDir is missing",
        // Glue passes an empty --TempDir when the job has none.
        error("--job-bookmark-option", "job-bookmark-enable", "--TempDir", "", "--JOB_NAME", "n"));
  }

  @Test
  public void badValuesAreErrors() {
    assertEquals(
        "--job-bookmark-option is 'on'; it must be job-bookmark-enable, job-bookmark-pause or"
            + " job-bookmark-disable",
        error("--job-bookmark-option", "on"));
    assertEquals(
        "--bookmarkReset and --maxFilesPerRun need a bookmark: give --bookmarkPath (or, on Glue,"
            + " --job-bookmark-option job-bookmark-enable)",
        error("--bookmarkReset", "--maxFilesPerRun", "3"));
    assertEquals(
        "--maxFilesPerRun must be 1 or more, not 0",
        error("--bookmarkPath=/s/b.json", "--maxFilesPerRun=0"));
    assertEquals(
        "--maxBytesPerRun must be 1 or more, not -1",
        error("--bookmarkPath=/s/b.json", "--maxBytesPerRun=-1"));
    assertEquals(
        "the bookmark path 's3://state/' names no object (expected s3://bucket/path/name.json)",
        error("--bookmarkPath=s3://state/"));
    assertEquals(
        "the bookmark path '/state/' names a directory; it must name a file, e.g."
            + " /state/bookmark.json",
        error("--bookmarkPath=/state/"));
    assertEquals(
        "the bookmark path 'gs://b/x.json' must be a local path or an s3:// URL",
        error("--bookmarkPath=gs://b/x.json"));
  }

  @Test
  public void inputPatternsCompareWithoutTrailingSlashOrOrder() {
    assertEquals(
        List.of("/in/a", "s3://b/x"), BookmarkSettings.inputPatterns("s3a://b/x/, /in/a ,/in/a/"));
    assertEquals(
        List.of("s3://b/{a,b}/*.parquet"),
        BookmarkSettings.inputPatterns("s3://b/{a,b}/*.parquet"));
  }
}
