package io.parquet2dynamo.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.Parquet2Dynamo;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.WithStandIns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * An option Beam cannot parse is a one-line error that names the option and says what it expects,
 * with exit code 2 and no work done: not Jackson's message about a shaded class, and never the
 * value of an option that holds credentials.
 */
public class OptionErrorsIT extends WithStandIns {
  private static LoadRun load(String... args) {
    List<String> all = new ArrayList<>(List.of("--inputPath=/nowhere", "--tableName=t"));
    all.addAll(List.of(args));
    return LoadRun.of(LoadRun.standInArgs(standIns, all.toArray(new String[0])));
  }

  @Test
  public void eachMalformedValueNamesItsOptionAndWhatItExpects() {
    Map<String, String> expected =
        Map.of(
            "--maxWriteAttempts=abc",
            "ERROR: --maxWriteAttempts=abc is not valid: expected a whole number",
            "--writeShards=four",
            "ERROR: --writeShards=four is not valid: expected a whole number",
            "--maxWriteUnitsPerSecond=lots",
            "ERROR: --maxWriteUnitsPerSecond=lots is not valid: expected a number",
            "--dryRun=maybe",
            "ERROR: --dryRun=maybe is not valid: expected true or false",
            "--maxBytesPerRun=",
            "ERROR: --maxBytesPerRun needs a value: a whole number");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      LoadRun run = load(e.getKey());
      assertEquals(run.stderr, Parquet2Dynamo.INVALID_INPUT, run.exitCode);
      assertEquals(e.getValue(), run.errorLine());
      assertFalse("a one-line error, not a stack trace", run.stderr.contains("\tat "));
    }
  }

  @Test
  public void malformedCredentialsNameTheOptionAndShowNoneOfTheValue() {
    LoadRun alone =
        LoadRun.of(
            List.of(
                "--inputPath=/nowhere",
                "--tableName=t",
                "--awsRegion=us-east-1",
                "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                    + "\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\"oops"));
    assertEquals(Parquet2Dynamo.INVALID_INPUT, alone.exitCode);
    assertTrue(
        alone.errorLine(),
        alone
            .errorLine()
            .startsWith(
                "ERROR: --awsCredentialsProvider is not valid JSON (the value is not shown: it"
                    + " holds credentials); expected JSON such as"));
    assertFalse(alone.stderr, alone.stderr.contains("shaded"));
    assertFalse(alone.stderr, alone.stderr.contains("AKIDEXAMPLE"));
  }
}
