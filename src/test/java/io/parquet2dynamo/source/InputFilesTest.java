package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Tests {@link InputFiles}: resolving --inputPath patterns against real local files. */
public class InputFilesTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private String root;

  @BeforeClass
  public static void registerFileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  /**
   * The tree: a.parquet, sub/b.parquet, sub/deeper/c.parquet (the data), and files Spark and Hive
   * ignore or that are not Parquet.
   */
  @Before
  public void createFiles() throws IOException {
    root = folder.getRoot().getAbsolutePath();
    write("a.parquet", 1);
    write("sub/b.parquet", 2);
    write("sub/deeper/c.parquet", 3);
    write("_SUCCESS", 4);
    write("_temporary/x.parquet", 5);
    write(".hidden.parquet", 6);
    write("sub/.staging/d.parquet", 7);
    write("sub/_e.parquet", 8);
    write("notes.txt", 9);
    write("sub/deeper/c.parquet.crc", 10);
  }

  private void write(String relative, int size) throws IOException {
    File file = new File(folder.getRoot(), relative);
    file.getParentFile().mkdirs();
    Files.write(file.toPath(), new byte[size]);
  }

  private String path(String relative) {
    return root + "/" + relative;
  }

  private static List<String> paths(List<InputFiles.Match> matches) {
    List<String> paths = new ArrayList<>();
    for (InputFiles.Match m : matches) {
      paths.add(m.path);
    }
    return paths;
  }

  private List<String> data() {
    return List.of(path("a.parquet"), path("sub/b.parquet"), path("sub/deeper/c.parquet"));
  }

  @Test
  public void directoryWithoutTrailingSlash() {
    assertEquals(data(), paths(InputFiles.resolve(root)));
  }

  @Test
  public void directoryWithTrailingSlash() {
    assertEquals(data(), paths(InputFiles.resolve(root + "/")));
  }

  @Test
  public void directoryMatchesCarrySizeAndBaseDir() {
    List<InputFiles.Match> matches = InputFiles.resolve(root);

    assertEquals(3, matches.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(i + 1, matches.get(i).sizeBytes);
      assertEquals(root + "/", matches.get(i).baseDir);
    }
  }

  @Test
  public void subdirectory() {
    assertEquals(
        List.of(path("sub/b.parquet"), path("sub/deeper/c.parquet")),
        paths(InputFiles.resolve(path("sub"))));
  }

  @Test
  public void globSkipsHiddenFiles() {
    // '*' also matches .hidden.parquet, which is skipped as hidden.
    assertEquals(List.of(path("a.parquet")), paths(InputFiles.resolve(path("*.parquet"))));
    assertEquals(List.of(path("sub/b.parquet")), paths(InputFiles.resolve(path("sub/*.parquet"))));
  }

  @Test
  public void globAcrossFolders() {
    assertEquals(
        List.of(path("sub/b.parquet"), path("sub/deeper/c.parquet")),
        paths(InputFiles.resolve(path("**/*.parquet"))));
  }

  @Test
  public void globMatchesWhatItSays() {
    // A glob is not limited to *.parquet, but hidden files are still skipped.
    assertEquals(
        List.of(path("a.parquet"), path("notes.txt")), paths(InputFiles.resolve(path("*"))));
  }

  @Test
  public void globBaseDirIsThePatternsFixedPrefix() {
    List<InputFiles.Match> matches = InputFiles.resolve(path("sub/*.parquet"));
    assertEquals(root + "/sub/", matches.get(0).baseDir);
  }

  @Test
  public void singleFile() {
    List<InputFiles.Match> matches = InputFiles.resolve(path("sub/b.parquet"));
    assertEquals(List.of(path("sub/b.parquet")), paths(matches));
    assertEquals(2, matches.get(0).sizeBytes);
  }

  @Test
  public void commaSeparatedPatternsGiveEachFileOnceSorted() {
    String input =
        path("sub/deeper/c.parquet")
            + ", "
            + path("sub/*.parquet")
            + ","
            + root
            + ",,"
            + path("a.parquet");
    assertEquals(data(), paths(InputFiles.resolve(input)));
  }

  @Test
  public void patternMatchingNothingIsInvalidInput() {
    String pattern = path("nothing/*.parquet");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> InputFiles.resolve(pattern));
    assertTrue(e.getMessage(), e.getMessage().contains("--inputPath"));
    assertTrue(e.getMessage(), e.getMessage().contains(pattern));
  }

  @Test
  public void missingDirectoryIsInvalidInput() {
    String pattern = path("missing");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> InputFiles.resolve(pattern));
    assertTrue(e.getMessage(), e.getMessage().contains("--inputPath"));
    assertTrue(e.getMessage(), e.getMessage().contains("'" + pattern + "'"));
    assertTrue(e.getMessage(), e.getMessage().contains("*.parquet"));
  }

  @Test
  public void oneEmptyPatternAmongOthersIsInvalidInput() {
    String missing = path("missing/*.parquet");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> InputFiles.resolve(root + "," + missing));
    assertTrue(e.getMessage(), e.getMessage().contains(missing));
  }

  @Test
  public void directoryOfOnlyHiddenFilesIsInvalidInput() throws IOException {
    write("job/_SUCCESS", 1);
    write("job/_temporary/0/part-0.parquet", 1);
    write("job/.part-0.parquet.crc", 1);
    String pattern = path("job");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> InputFiles.resolve(pattern));
    assertTrue(e.getMessage(), e.getMessage().contains(pattern));
  }

  @Test
  public void hiddenNamesOnlyCountBelowTheNamedDirectory() {
    // Naming a directory that starts with '_' reads it: only names below it are checked.
    assertEquals(
        List.of(path("_temporary/x.parquet")), paths(InputFiles.resolve(path("_temporary"))));
  }

  @Test
  public void emptyInputPathIsInvalidInput() {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> InputFiles.resolve(" , "));
    assertTrue(e.getMessage(), e.getMessage().contains("--inputPath"));
  }

  @Test
  public void isHiddenLooksBelowTheBaseDir() {
    assertTrue(InputFiles.isHidden("/d/", "/d/_SUCCESS"));
    assertTrue(InputFiles.isHidden("/d/", "/d/_temporary/x.parquet"));
    assertTrue(InputFiles.isHidden("/d/", "/d/.hidden.parquet"));
    assertTrue(InputFiles.isHidden("/d/", "/d/sub/.staging/x.parquet"));
    assertTrue(InputFiles.isHidden("s3://b/t/", "s3://b/t/x/_SUCCESS"));
    assertFalse(InputFiles.isHidden("/d/", "/d/a.parquet"));
    assertFalse(InputFiles.isHidden("/d/", "/d/region=eu/a_b.parquet"));
    // The base directory itself may have such names.
    assertFalse(InputFiles.isHidden("/d/_base/", "/d/_base/a.parquet"));
    assertFalse(InputFiles.isHidden("s3://b/_t/", "s3://b/_t/x/a.parquet"));
  }

  @Test
  public void hiddenNamesFollowSparks() {
    // Spark 3.5 (HadoopFSUtils.shouldFilterOutPathName): '_' without '=', any '.', ._COPYING_.
    assertTrue(InputFiles.isHiddenName("_SUCCESS"));
    assertTrue(InputFiles.isHiddenName("_temporary"));
    assertTrue(InputFiles.isHiddenName("_metadata"));
    assertTrue(InputFiles.isHiddenName(".part-0.parquet.crc"));
    assertTrue(InputFiles.isHiddenName(".part=1"));
    assertTrue(InputFiles.isHiddenName("part-0.parquet._COPYING_"));
    assertFalse(InputFiles.isHiddenName("_part=1"));
    assertFalse(InputFiles.isHiddenName("__HIVE_DEFAULT_PARTITION__=x"));
    assertFalse(InputFiles.isHiddenName("part-0.parquet"));
    assertFalse(InputFiles.isHidden("/d/", "/d/_part=1/a.parquet"));
    assertTrue(InputFiles.isHidden("/d/", "/d/_part=1/_tmp/a.parquet"));
  }

  @Test
  public void underscorePartitionFoldersAreRead() throws IOException {
    write("parts/_part=1/a.parquet", 1);
    write("parts/part=2/a.parquet", 1);

    assertEquals(
        List.of(path("parts/_part=1/a.parquet"), path("parts/part=2/a.parquet")),
        paths(InputFiles.resolve(path("parts"))));
  }

  @Test
  public void theListingCountsAndNamesWhatItSkipped() {
    InputFiles.Listing listing = InputFiles.list(root, null);

    assertEquals(data(), paths(listing.files));
    assertEquals(
        List.of(
            path(".hidden.parquet"),
            path("_SUCCESS"),
            path("_temporary/x.parquet"),
            path("sub/.staging/d.parquet"),
            path("sub/_e.parquet")),
        listing.hidden);
    assertEquals(List.of(path("notes.txt"), path("sub/deeper/c.parquet.crc")), listing.notParquet);
    assertEquals(7, listing.ignoredCount());
    assertEquals(
        "ignored 7 files: 5 hidden (names starting with '_' or '.', as Spark skips them), e.g. "
            + path(".hidden.parquet")
            + ", "
            + path("_SUCCESS")
            + ", "
            + path("_temporary/x.parquet")
            + "...; 2 not named *.parquet, e.g. "
            + path("notes.txt")
            + ", "
            + path("sub/deeper/c.parquet.crc")
            + " (name such files in --inputPath to read them)",
        listing.warning());
  }

  @Test
  public void aFileOnePatternSkipsAndAnotherNamesIsRead() {
    InputFiles.Listing listing = InputFiles.list(root + "/sub," + path("sub/_e.parquet"), null);

    assertTrue(paths(listing.files).contains(path("sub/_e.parquet")));
    assertEquals(List.of(path("sub/.staging/d.parquet")), listing.hidden);
    assertEquals(List.of(path("sub/deeper/c.parquet.crc")), listing.notParquet);
  }

  @Test
  public void aGlobCountsTheHiddenFilesItMatched() {
    InputFiles.Listing listing = InputFiles.list(path("*.parquet"), null);

    assertEquals(List.of(path("a.parquet")), paths(listing.files));
    assertEquals(List.of(path(".hidden.parquet")), listing.hidden);
    assertEquals(List.of(), listing.notParquet);
  }

  @Test
  public void nothingSkippedMeansNoWarning() {
    InputFiles.Listing listing = InputFiles.list(path("a.parquet"), null);
    assertEquals(0, listing.ignoredCount());
    assertEquals(null, listing.warning());
  }

  @Test
  public void aPatternOfOnlySkippedFilesSaysWhatItSkipped() throws IOException {
    write("only/_SUCCESS", 1);
    write("only/data.csv", 1);
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> InputFiles.resolve(path("only")));
    assertTrue(e.getMessage(), e.getMessage().contains("ignored 2 files"));
    assertTrue(e.getMessage(), e.getMessage().contains(path("only/data.csv")));
  }

  @Test
  public void baseDirOfIsTheFolderBeforeTheFirstWildcard() {
    assertEquals("s3://b/sales/", InputFiles.baseDirOf("s3://b/sales/*.parquet"));
    assertEquals("s3://b/sales/", InputFiles.baseDirOf("s3://b/sales/day=*/x.parquet"));
    assertEquals("s3://b/", InputFiles.baseDirOf("s3://b/sa*"));
    assertEquals("s3://b/sales/", InputFiles.baseDirOf("s3://b/sales/a.parquet"));
    assertEquals("/data/x/", InputFiles.baseDirOf("/data/x/"));
    assertEquals("/data/", InputFiles.baseDirOf("/data/{a,b}/f.parquet"));
    assertEquals("/data/", InputFiles.baseDirOf("/data/part-?.parquet"));
    assertEquals("/data/", InputFiles.baseDirOf("/data/part-[01].parquet"));
    assertEquals("", InputFiles.baseDirOf("a.parquet"));
  }

  @Test
  public void hadoopS3SchemesAreReadAsS3() {
    assertEquals("s3://bucket/sales/", InputFiles.withBeamScheme("s3a://bucket/sales/"));
    assertEquals("s3://bucket/x.parquet", InputFiles.withBeamScheme("s3n://bucket/x.parquet"));
    assertEquals("s3://bucket/x.parquet", InputFiles.withBeamScheme("s3://bucket/x.parquet"));
    assertEquals("/data/s3a://x", InputFiles.withBeamScheme("/data/s3a://x"));
  }

  @Test
  public void commasInsideBracesDoNotSplitPatterns() {
    assertEquals(
        List.of("s3://b/{day=1,day=2}/*.parquet", " /data/x.parquet"),
        InputFiles.splitPatterns("s3://b/{day=1,day=2}/*.parquet, /data/x.parquet"));
    assertEquals(List.of("a", "b", "c"), InputFiles.splitPatterns("a,b,c"));
  }

  @Test
  public void localBraceGlobsMatchEachAlternative() throws Exception {
    write("braces/day=1/a.parquet", 1);
    write("braces/day=2/b.parquet", 1);
    write("braces/day=3/c.parquet", 1);

    List<InputFiles.Match> matches = InputFiles.resolve(path("braces/{day=1,day=2}/*.parquet"));

    assertEquals(2, matches.size());
    assertTrue(matches.get(0).path.endsWith("day=1/a.parquet"));
    assertTrue(matches.get(1).path.endsWith("day=2/b.parquet"));
  }

  @Test
  public void bracesExpandIntoAlternatives() {
    assertEquals(
        List.of("s3://b/day=1/*.parquet", "s3://b/day=2/*.parquet"),
        InputFiles.expandBraces("s3://b/{day=1,day=2}/*.parquet"));
    assertEquals(List.of("x/a1", "x/a2", "x/b"), InputFiles.expandBraces("x/{a{1,2},b}"));
    assertEquals(List.of("plain/*.parquet"), InputFiles.expandBraces("plain/*.parquet"));
  }
}
