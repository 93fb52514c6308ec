package io.parquet2dynamo.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import org.junit.Test;

/** Tests {@link JobOptions}: a value Beam cannot parse is an error that names its option. */
public class JobOptionsTest {
  private static String refusal(String... more) {
    String[] args = new String[more.length + 3];
    args[0] = "--inputPath=/nowhere";
    args[1] = "--tableName=t";
    args[2] = "--awsRegion=us-east-1";
    System.arraycopy(more, 0, args, 3, more.length);
    return assertThrows(InvalidInputException.class, () -> JobOptions.parse(args)).getMessage();
  }

  @Test
  public void aNumberOptionSaysWhatItExpects() {
    assertEquals(
        "--maxWriteAttempts=abc is not valid: expected a whole number",
        refusal("--maxWriteAttempts=abc"));
    assertEquals(
        "--maxWriteUnitsPerSecond=fast is not valid: expected a number",
        refusal("--maxWriteUnitsPerSecond=fast"));
    assertEquals(
        "--maxWriteAttempts needs a value: a whole number", refusal("--maxWriteAttempts="));
  }

  @Test
  public void aBooleanAndAnEndpointSayWhatTheyExpect() {
    assertEquals("--dryRun=maybe is not valid: expected true or false", refusal("--dryRun=maybe"));
    String endpoint = refusal("--endpoint=notaurl://");
    assertTrue(endpoint, endpoint.startsWith("--endpoint=notaurl:// is not valid: expected a URL"));
  }

  @Test
  public void malformedCredentialsNameTheOptionNotAShadedClassNorTheValue() {
    String message =
        refusal(
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                + "\"accessKeyId\":\"AKID\",\"secretAccessKey\":\"planted-secret-1\"");
    assertTrue(message, message.startsWith("--awsCredentialsProvider is not valid JSON"));
    assertTrue(message, message.contains("StaticCredentialsProvider"));
    assertFalse(message, message.contains("planted-secret-1"));
    assertFalse(message, message.contains("AKID"));
    assertFalse(message, message.contains("jackson"));
  }

  @Test
  public void wellFormedButRefusedCredentialsSayWhy() {
    String message =
        refusal(
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"x\"}");
    assertTrue(message, message.startsWith("--awsCredentialsProvider is not valid: "));
    assertTrue(message, message.contains("missing 'secretAccessKey'"));
  }
}
