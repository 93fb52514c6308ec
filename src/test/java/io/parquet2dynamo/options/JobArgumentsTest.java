package io.parquet2dynamo.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.parquet2dynamo.InvalidInputException;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/** Tests {@link JobArguments} with command lines as AWS Glue and people write them. */
public class JobArgumentsTest {
  private static final JobArguments ARGS = new JobArguments(Parquet2DynamoOptions.class);

  private static List<String> normalise(String... args) {
    return ARGS.normalise(args);
  }

  @Test
  public void glueStyleCommandLineBecomesBeamArguments() {
    List<String> beam =
        normalise(
            "--JOB_ID", "j_1",
            "--tableName", "sales",
            "--JOB_RUN_ID", "jr_1",
            "--job-bookmark-option", "job-bookmark-disable",
            "--inputPath", "s3://data/sales/",
            "--TempDir", "s3://tmp/x",
            "--JOB_NAME", "nightly",
            "--runner", "SparkRunner");

    assertEquals(
        List.of(
            "--tableName=sales",
            "--inputPath=s3://data/sales/",
            "--runner=SparkRunner",
            "--jobName=nightly-jr-1"),
        beam);
    // And Beam parses the result.
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(beam.toArray(new String[0]))
            .as(Parquet2DynamoOptions.class);
    assertEquals("s3://data/sales/", options.getInputPath());
    assertEquals("nightly-jr-1", options.getJobName());
  }

  @Test
  public void keyEqualsValueIsKeptAsItIs() {
    assertEquals(
        List.of("--tableName=t", "--inputPath=/data/a=1/x.parquet"),
        normalise("--tableName=t", "--inputPath=/data/a=1/x.parquet"));
  }

  @Test
  public void aValueStartingWithDashesIsAValueWhenTheKeyTakesOne() {
    assertEquals(
        List.of("--deadLetterPath=--odd-dir", "--tableName=t"),
        normalise("--deadLetterPath", "--odd-dir", "--tableName", "t"));
  }

  @Test
  public void glueKeysWithEmptyOrMissingValuesAreDropped() {
    assertEquals(
        List.of("--tableName=t"),
        normalise(
            "--enable-metrics",
            "--TempDir",
            "",
            "--enable-glue-datacatalog",
            "true",
            "--tableName",
            "t",
            "--continuous-log-logGroup",
            "/aws-glue/jobs",
            "--custom-logGroup-prefix",
            "/aws-glue/jobs/parquet2dynamo"));
  }

  @Test
  public void booleansTakeTrueOrFalseAndStandAloneOtherwise() {
    assertEquals(
        List.of("--blockOnRun=false", "--streaming=true", "--tableName=t"),
        normalise("--blockOnRun", "false", "--streaming", "--tableName", "t"));
  }

  @Test
  public void aGivenJobNameWinsOverGlues() {
    assertEquals(
        List.of("--jobName=mine"), normalise("--JOB_NAME", "nightly", "--jobName", "mine"));
    assertEquals("nightly", JobArguments.beamJobName("nightly", null));
    assertEquals("a-b-c-jr-1", JobArguments.beamJobName("a b_c", "jr_1"));
  }

  @Test
  public void anUnknownKeyIsOneLineThatSuggestsTheNearestOption() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> normalise("--tableName", "t", "--inputPth", "u"));
    assertEquals(
        "--inputPth is not an option; did you mean --inputPath? (--help lists the options)",
        e.getMessage());
    JobArguments arguments = new JobArguments(Parquet2DynamoOptions.class);
    assertEquals("tableName", arguments.closest("tabelName")); // two letters swapped
    assertEquals("deadLetterPath", arguments.closest("dead_letter_path")); // Glue's style
    assertEquals("dryRun", arguments.closest("dryrun"));
    assertEquals("awsRegion", arguments.closest("awsRegoin")); // Beam's options too
    assertEquals("maxWriteUnitsPerSecond", arguments.closest("maxWriteUnitPerSecond"));
  }

  @Test
  public void anUnknownKeyFarFromEveryOptionSuggestsNone() {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> normalise("--colour", "blue"));
    assertEquals("--colour is not an option (--help lists the options)", e.getMessage());
  }

  @Test
  public void editDistanceCountsASwapAsOneEdit() {
    assertEquals(0, JobArguments.distance("abc", "abc"));
    assertEquals(1, JobArguments.distance("abc", "acb"));
    assertEquals(1, JobArguments.distance("inputpth", "inputpath"));
    assertEquals(3, JobArguments.distance("kitten", "sitting"));
  }

  @Test
  public void aKeyWithoutItsValueOrAStrayValueIsAnError() {
    assertEquals(
        "--tableName needs a value",
        assertThrows(InvalidInputException.class, () -> normalise("--tableName")).getMessage());
    assertEquals(
        "'sales' is not an option; options are written --name=value or --name value",
        assertThrows(InvalidInputException.class, () -> normalise("sales")).getMessage());
  }

  @Test
  public void aKeyGivenTwiceMustAgree() {
    assertEquals(
        List.of("--runner=SparkRunner", "--tableName=t"),
        normalise("--runner=SparkRunner", "--tableName", "t", "--runner", "SparkRunner"));
    // A list option may repeat: Beam collects the values.
    assertEquals(
        List.of("--experiments=a", "--experiments=b"),
        normalise("--experiments", "a", "--experiments", "b"));
    assertEquals(
        "--tableName is given twice, as 't' and 'u'",
        assertThrows(InvalidInputException.class, () -> normalise("--tableName=t", "--tableName=u"))
            .getMessage());
  }

  @Test
  public void credentialsGivenTwiceAreNotShown() {
    String first = "{\"@type\":\"StaticCredentialsProvider\",\"secretAccessKey\":\"planted-1\"}";
    String message =
        assertThrows(
                InvalidInputException.class,
                () ->
                    normalise(
                        "--awsCredentialsProvider=" + first, "--awsCredentialsProvider", "other"))
            .getMessage();
    assertEquals(
        "--awsCredentialsProvider is given twice, with different values (not shown: they hold"
            + " credentials)",
        message);
    // Other options show their values, with any secret in them masked.
    assertEquals(
        "--endpoint is given twice, as 'http://u:****@h' and 'http://h'",
        assertThrows(
                InvalidInputException.class,
                () -> normalise("--endpoint=http://u:pw1234@h", "--endpoint=http://h"))
            .getMessage());
  }

  @Test
  public void gluesOwnArgumentsAreKeptAsideForTheJob() {
    JobArguments.Normalised parsed =
        ARGS.parse(
            new String[] {
              "--job-bookmark-option", "job-bookmark-enable",
              "--tableName", "t",
              "--TempDir", "s3://tmp/x",
              "--JOB_NAME", "nightly",
              "--enable-metrics"
            });
    assertEquals(List.of("--tableName=t", "--jobName=nightly"), parsed.beamArguments());
    assertEquals(
        java.util.Map.of(
            "job-bookmark-option", "job-bookmark-enable",
            "TempDir", "s3://tmp/x",
            "JOB_NAME", "nightly",
            "enable-metrics", ""),
        parsed.glueArguments());
  }
}
