package io.parquet2dynamo.summary;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.testing.JobProcess;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.SampleSales;
import io.parquet2dynamo.testing.SampleTable;
import io.parquet2dynamo.testing.WithStandIns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The jar's logs on stderr, from {@code java -jar}: by default the job's own steps and no per-file
 * lines of the libraries it carries (Parquet and Hadoop, relocated, whose INFO lines were 21 of 29
 * lines of this load); {@code --logLevel=debug} brings the libraries' INFO lines back.
 */
public class LogLevelIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /** Loggers of the libraries that log each file they open or write at INFO. */
  private static final List<String> LIBRARY_INFO =
      List.of("InternalParquetRecordReader", "CodecPool", "WriteFiles", "FileBasedSink");

  private static Path sales;

  @BeforeClass
  public static void writeSales() throws Exception {
    sales = TMP.newFolder("sample").toPath();
    SampleSales.write(sales);
  }

  private static JobProcess load(String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            LoadRun.standInArgs(
                standIns,
                "--inputPath=" + sales.resolve("sales") + "/",
                "--tableName=" + SampleTable.create(aws),
                "--deadLetterPath=" + TMP.newFolder().toPath()));
    args.addAll(List.of(more));
    JobProcess job = JobProcess.start("DirectRunner", TMP.newFolder().toPath(), args);
    assertEquals(job.stderr(), 0, job.waitFor(300));
    return job;
  }

  private static List<String> libraryInfoLines(String stderr) {
    return stderr
        .lines()
        .filter(l -> l.contains("[INFO]") && LIBRARY_INFO.stream().anyMatch(l::contains))
        .collect(Collectors.toList());
  }

  @Test
  public void byDefaultTheJobSaysWhatItDoesAndTheLibrariesAreQuiet() throws Exception {
    String stderr = load().stderr();

    assertEquals(stderr, List.of(), libraryInfoLines(stderr));
    assertTrue(stderr, stderr.contains("[INFO] LoadPlan - Listing "));
    assertTrue(
        stderr, stderr.contains("[INFO] ParquetDataset - Input: 6 Parquet files, 3000 rows"));
    assertTrue(stderr, stderr.contains("[INFO] LoadPlan - Writing with --writeMode=put"));
    assertFalse(stderr, stderr.contains("[DEBUG]"));
  }

  @Test
  public void debugBringsTheLibrariesInfoLinesBack() throws Exception {
    String stderr = load("--logLevel=debug").stderr();

    assertFalse(stderr, libraryInfoLines(stderr).isEmpty());
    assertTrue(stderr, stderr.contains("[INFO] LoadPlan - Listing "));
  }
}
