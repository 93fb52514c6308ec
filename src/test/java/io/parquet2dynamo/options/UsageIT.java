package io.parquet2dynamo.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.testing.JobProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What a user meets first, from the built jar in a JVM of its own: the usage for {@code --help} and
 * {@code -h}, the version, a misspelt option, and enumerated options refused before any call to AWS
 * (the endpoints given here accept no connection, so a call would fail differently).
 */
public class UsageIT {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static JobProcess run(String... args) throws Exception {
    Path dir = TMP.newFolder().toPath();
    JobProcess job = JobProcess.start("DirectRunner", dir, List.of(args));
    job.waitFor(120);
    return job;
  }

  @Test
  public void helpAndHStartWithUsageAndExamples() throws Exception {
    JobProcess help = run("--help");
    assertEquals(help.stderr(), 0, help.waitFor(1));
    assertTrue(help.stdout(), help.stdout().startsWith("Usage: java -jar parquet2dynamo.jar"));
    assertTrue(help.stdout(), help.stdout().contains("\nExamples:\n"));
    assertTrue(help.stdout(), help.stdout().contains("\nRequired:\n  --tableName=<String>\n"));
    assertFalse(help.stdout(), help.stdout().contains("--optionsId"));
    assertFalse(help.stdout(), help.stdout().contains("AwsUserCredentialsFactory"));

    JobProcess h = run("-h");
    assertEquals(h.stderr(), 0, h.waitFor(1));
    assertEquals(help.stdout(), h.stdout());
  }

  @Test
  public void versionComesFromTheBuild() throws Exception {
    JobProcess version = run("--version");
    assertEquals(version.stderr(), 0, version.waitFor(1));
    assertTrue(
        version.stdout(),
        version
            .stdout()
            .matches(
                "parquet2dynamo \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Apache Beam 2\\.62\\.0, .*\\)\n"));
  }

  @Test
  public void aMisspeltOptionIsOneLineThatSuggestsTheRightOne() throws Exception {
    JobProcess typo = run("--inputPth=s3://bucket/sales/", "--tableName=sales");
    assertEquals(2, typo.waitFor(1));
    assertEquals(
        "ERROR: --inputPth is not an option; did you mean --inputPath? (--help lists the options)\n",
        typo.stderr());
    assertEquals("", typo.stdout());
  }

  @Test
  public void enumeratedOptionsAreCheckedBeforeAnyCallToAws() throws Exception {
    List<String> values =
        List.of(
            "--writeMode=upsert",
            "--dedupe=first",
            "--timestampFormat=epochNanos",
            "--nullPolicy=drop",
            "--logLevel=verbose");
    for (String value : values) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--inputPath=s3://bucket/sales/",
                  "--tableName=sales",
                  "--awsRegion=us-east-1",
                  // Port 9 (discard) accepts no connection here: a call would fail on it.
                  "--endpoint=http://127.0.0.1:9",
                  "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                      + "\"accessKeyId\":\"x\",\"secretAccessKey\":\"y\"}"));
      args.add(value);
      JobProcess job = run(args.toArray(new String[0]));
      assertEquals(job.stderr(), 2, job.waitFor(1));
      String option = value.substring(0, value.indexOf('='));
      assertTrue(
          job.stderr(),
          job.stderr().startsWith("ERROR: " + value + " is not a valid value; use one of "));
      assertFalse(job.stderr(), job.stderr().contains("127.0.0.1:9"));
      assertFalse(option, job.stderr().contains("Connection refused"));
    }
  }
}
