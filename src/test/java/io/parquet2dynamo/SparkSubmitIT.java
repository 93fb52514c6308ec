package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parquet2dynamo.testing.LocalStandIns;
import io.parquet2dynamo.testing.SampleSales;
import io.parquet2dynamo.testing.SampleSales.Sale;
import io.parquet2dynamo.testing.SampleTable;
import io.parquet2dynamo.testing.WithStandIns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The built jar, launched the way the AWS Glue 5 container and Glue itself launch it: in its own
 * JVM, by runners/spark/submit.sh through Spark's launcher ({@code
 * org.apache.spark.deploy.SparkSubmit}) with Spark 3.5.4's jars and Glue's AWS SDK version as the
 * class path (fetched into target/standins/spark/jars), and with the arguments as Glue passes them
 * ({@code --key value} pairs, Glue's own keys, an empty value). Both class path orders are tried:
 * Spark's jars first (the default) and the job's first ({@code --user-jars-first=true} on Glue).
 */
public class SparkSubmitIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final long TIMEOUT_MINUTES = 5;

  private static List<Sale> sales;
  private static String lastOutput;
  private static String bucket;

  @BeforeClass
  public static void setUp() throws IOException {
    Path sample = TMP.newFolder("sample").toPath();
    sales = SampleSales.write(sample);
    bucket = aws.createBucket("submit");
    aws.upload(sample, bucket);
  }

  /** Runs spark-submit with Glue-style arguments; returns the summary it printed. */
  private static JsonNode submit(String table, String name, List<String> sparkConf)
      throws IOException, InterruptedException {
    return submit(table, name, sparkConf, "job-bookmark-disable", "s3://tmp/x");
  }

  /** As {@link #submit(String, String, List)}, with Glue's bookmark option and --TempDir. */
  private static JsonNode submit(
      String table, String name, List<String> sparkConf, String bookmarkOption, String tempDir)
      throws IOException, InterruptedException {
    String jar = System.getProperty("project.jar");
    String sparkJars = System.getProperty("spark.jars.dir");
    assertTrue("run mvn verify: no " + jar, Files.isRegularFile(Paths.get(jar)));
    assertTrue("run mvn verify: no " + sparkJars, Files.isDirectory(Paths.get(sparkJars)));

    // runners/spark/submit.sh, with Spark's jars in place of a Spark installation.
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                "runners/spark/submit.sh",
                "--master",
                "local[2]",
                "--conf",
                "spark.ui.enabled=false"));
    for (String conf : sparkConf) {
      command.addAll(List.of("--conf", conf));
    }
    command.add("--");
    String credentials = LocalStandIns.credentialsOption();
    // As Glue passes them: two entries per key, its own keys first and last, an empty value.
    command.addAll(
        List.of(
            "--JOB_ID",
            "j_1",
            "--JOB_RUN_ID",
            "jr_1",
            "--job-bookmark-option",
            bookmarkOption,
            "--TempDir",
            tempDir,
            "--inputPath",
            "s3://" + bucket + "/sales/",
            "--tableName",
            table,
            "--awsRegion",
            LocalStandIns.REGION,
            "--awsCredentialsProvider",
            credentials.substring(credentials.indexOf('=') + 1),
            "--s3Endpoint",
            standIns.s3Endpoint(),
            "--dynamoDbEndpoint",
            standIns.dynamoDbEndpoint(),
            "--deadLetterPath",
            "s3://" + bucket + "/" + name + "/rejected/",
            "--summaryPath",
            "s3://" + bucket + "/" + name + "/summary.json",
            "--enable-metrics",
            "",
            "--JOB_NAME",
            "nightly"));
    Path log = TMP.getRoot().toPath().resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove("SPARK_HOME");
    builder.environment().put("SPARK_JARS_DIR", sparkJars);
    builder.environment().put("JAR", jar);
    builder.environment().put("SPARK_DRIVER_JAVA_OPTS", "-Xmx1g");
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("spark-submit did not end in " + TIMEOUT_MINUTES + " minutes");
    }
    String output = Files.readString(log);
    System.out.println(output);
    assertEquals(output, 0, process.exitValue());
    lastOutput = output;
    // The job's lines are there, the libraries' per-file INFO lines are not.
    assertTrue(output, output.contains("LoadPlan") && output.contains("Listing s3://" + bucket));
    for (String perFile : List.of("InternalParquetRecordReader", "CodecPool")) {
      assertFalse(output, output.contains(perFile));
    }
    for (String line : output.split("\n")) {
      if (line.startsWith("SUMMARY ")) {
        return new ObjectMapper().readTree(line.substring("SUMMARY ".length()));
      }
    }
    throw new AssertionError("no SUMMARY line in:\n" + output);
  }

  private static void assertLoaded(String table, String name, JsonNode summary) throws IOException {
    Map<String, Sale> survivors = SampleTable.expectedSurvivors(sales);
    assertEquals("SparkRunner", summary.get("runner").asText());
    assertEquals("nightly-jr-1", summary.get("jobName").asText());
    assertEquals(sales.size(), summary.get("rowsRead").asLong());
    assertEquals(survivors.size(), summary.get("itemsWritten").asLong());
    assertEquals(5, summary.get("rowsRejected").asLong());
    assertTrue(summary.get("reconciled").asBoolean());
    SampleTable.assertHolds(aws, table, survivors);
    JsonNode written = new ObjectMapper().readTree(aws.read(bucket, name + "/summary.json"));
    assertEquals("SUCCEEDED", written.get("status").asText());
    assertEquals(summary.get("itemsWritten"), written.get("itemsWritten"));
    assertEquals(
        5,
        aws.listKeys(bucket, name + "/rejected/").stream()
            .mapToLong(k -> aws.read(bucket, k).lines().filter(l -> !l.isBlank()).count())
            .sum());
  }

  @Test
  public void glueStyleRunWithSparksJarsFirstLoadsAndReconciles() throws Exception {
    String table = SampleTable.create(aws);
    JsonNode summary = submit(table, "spark-first", List.of());
    assertLoaded(table, "spark-first", summary);
    // Through Spark's Log4j 2 with runners/spark/log4j2.properties: the job's lines are tagged,
    // Spark's INFO lines are gone.
    assertTrue(lastOutput, lastOutput.contains(" INFO [parquet2dynamo] LoadPlan: Listing s3://"));
    assertFalse(lastOutput, lastOutput.contains(" INFO SparkContext"));
  }

  @Test
  public void glueStyleRunWithTheJobsJarsFirstLoadsAndReconciles() throws Exception {
    String table = SampleTable.create(aws);
    JsonNode summary = submit(table, "user-first", List.of("spark.driver.userClassPathFirst=true"));
    assertLoaded(table, "user-first", summary);
  }

  @Test
  public void glueStyleRunWithBookmarksEnabledLoadsOnlyWhatIsNewOnTheNextRun() throws Exception {
    String table = SampleTable.create(aws);
    String tempDir = "s3://" + bucket + "/bookmarked/temporary/";
    String key = "bookmarked/temporary/parquet2dynamo-bookmarks/nightly.json";

    JsonNode first = submit(table, "bookmarked", List.of(), "job-bookmark-enable", tempDir);

    assertLoaded(table, "bookmarked", first);
    assertEquals(6, first.get("filesLoaded").asInt());
    assertEquals("s3://" + bucket + "/" + key, first.get("bookmark").get("path").asText());
    assertTrue(first.get("bookmark").get("updated").asBoolean());
    String recorded = aws.read(bucket, key);
    assertEquals(6, new ObjectMapper().readTree(recorded).get("files").size());

    // The next night: nothing new, so nothing is read and the bookmark stays as it is.
    JsonNode second = submit(table, "bookmarked-again", List.of(), "job-bookmark-enable", tempDir);

    assertEquals("SUCCEEDED", second.get("status").asText());
    assertEquals(0, second.get("rowsRead").asLong());
    assertEquals(0, second.get("filesLoaded").asInt());
    assertEquals(6, second.get("filesSkipped").asInt());
    assertEquals(recorded, aws.read(bucket, key));
    SampleTable.assertHolds(aws, table, SampleTable.expectedSurvivors(sales));
  }
}
