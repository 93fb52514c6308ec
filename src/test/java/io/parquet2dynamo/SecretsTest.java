package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

/** Tests {@link Secrets}: what is masked, what is left readable, and the masking streams. */
public class SecretsTest {
  private static final String KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  @Test
  public void secretJsonFieldsAreMaskedByTheirNames() {
    String json =
        "{\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"AKIDEXAMPLE\","
            + "\"secretAccessKey\":\"abc\\\"def\",\"sessionToken\" : \"tok\"}";
    String masked = Secrets.mask(json);
    assertEquals(
        "{\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"AKIDEXAMPLE\","
            + "\"secretAccessKey\":\"****\",\"sessionToken\" : \"****\"}",
        masked);
  }

  @Test
  public void malformedJsonIsMaskedToo() {
    // Unterminated, and an unquoted value: as a parser's error would quote them.
    assertEquals(
        "[Source: \"{\"secretAccessKey\":\"****\"",
        Secrets.mask("[Source: \"{\"secretAccessKey\":\"s3cr3t-and-more"));
    assertEquals("{\"password\":****}", Secrets.mask("{\"password\":hunter22}"));
  }

  @Test
  public void urlPasswordsAndSecretKeyValuesAreMasked() {
    assertEquals(
        "table 't' does not exist at http://admin:****@127.0.0.1:8000",
        Secrets.mask("table 't' does not exist at http://admin:hunter22@127.0.0.1:8000"));
    assertEquals(
        "--conf spark.hadoop.fs.s3a.secret.key=**** --conf x=1",
        Secrets.mask("--conf spark.hadoop.fs.s3a.secret.key=ABCDEF123 --conf x=1"));
  }

  @Test
  public void aPasswordWithAnUnescapedSlashIsMaskedWhole() {
    assertEquals(
        "--dynamoDbEndpoint=http://admin:****@127.0.0.1:1 is not an endpoint URL",
        Secrets.mask(
            "--dynamoDbEndpoint=http://admin:ab/cd+ef@127.0.0.1:1 is not an endpoint URL"));
  }

  @Test
  public void ordinaryTextIsLeftAlone() {
    for (String text :
        new String[] {
          "PROGRESS rowsRead=10 itemsWritten=5 rate=3 items/s 3 WCU/s elapsed=10s",
          "SUMMARY {\"status\":\"SUCCEEDED\",\"rowsRead\":3}",
          "The security token included in the request is invalid.",
          "s3://bucket/sales/day=2024-01-31/part-0.parquet",
          "Cannot deserialize value (token `JsonToken.VALUE_STRING`)",
          "--awsCredentialsProvider is given twice",
          "Connect to http://127.0.0.1:8000/ failed; see s3://b/k@v"
        }) {
      assertEquals(text, Secrets.mask(text));
    }
  }

  @Test
  public void learntSecretsAreMaskedWhereverTheyAppear() {
    String plain = "x" + KEY.substring(1, 20) + "-learnt";
    Secrets.learn(
        new String[] {
          "--awsCredentialsProvider",
          "{\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"AKID\",\"secretAccessKey\":\""
              + plain
              + "\"}",
          "--tableName=t"
        });
    // Quoted without its field name, as an error may.
    assertEquals(
        "Unrecognized token '****': was expecting",
        Secrets.mask("Unrecognized token '" + plain + "': was expecting"));
  }

  @Test
  public void anUnparseableCredentialsValueIsASecretWhole() {
    String value = "StaticCredentials(" + KEY.substring(0, 12) + "-whole)";
    Secrets.learn(new String[] {"--awsCredentialsProvider=" + value});
    assertFalse(Secrets.mask("the value " + value + " is odd").contains(value));
    assertTrue(Secrets.isCredentialOption("awsCredentialsProvider"));
    assertFalse(Secrets.isCredentialOption("tableName"));
  }

  @Test
  public void theSseCustomerKeyIsLearnt() {
    String key = "c2VjcmV0LWtleS1mb3Itc3NlLWN1c3RvbWVy";
    Secrets.learn(new String[] {"--SSECustomerKey={\"key\":\"" + key + "\"}"});
    assertEquals("key ****", Secrets.mask("key " + key));
  }

  @Test
  public void maskingStreamsMaskWholeLines() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream target = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    PrintStream masked = Secrets.masking(target);
    // A line written in pieces is masked as a whole.
    masked.print("{\"secretAcc");
    masked.print("essKey\":\"abcdefgh\"}");
    masked.println();
    masked.println("ok");
    assertEquals("{\"secretAccessKey\":\"****\"}\nok\n", bytes.toString(StandardCharsets.UTF_8));
    assertTrue("masking twice is masking once", Secrets.masking(masked) == masked);
  }
}
