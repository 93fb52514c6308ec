package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.testing.JobProcess;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.LocalStandIns;
import io.parquet2dynamo.testing.ParquetFiles;
import io.parquet2dynamo.testing.StandInClients;
import io.parquet2dynamo.testing.WithStandIns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Secrets never printed: jobs given a planted secret (as the secret key of {@code
 * --awsCredentialsProvider}, an endpoint's password, a Glue {@code --conf}) fail in the ways that
 * used to echo it, and one completes with dead letters. Each runs as {@code java -jar} in a JVM of
 * its own, so that everything it prints is searched, log lines included: stdout, stderr, the
 * summary file and the dead-letter files.
 */
public class SecretsIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /** DynamoDB Local takes any secret key, so the planted one also works. */
  private static final String SECRET = "pLaNtEd/S3cr3t+Key0123456789abcdefGHIJ";

  /** A password in a URL, where '/' and '+' would have to be escaped. */
  private static final String URL_SECRET = "pLaNtEdPassw0rd9876";

  private static final String CREDENTIALS =
      "{\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
          + LocalStandIns.ACCESS_KEY
          + "\",\"secretAccessKey\":\""
          + SECRET
          + "\"}";

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { optional binary id (STRING); required int64 v; }");

  private static Path input;

  @BeforeClass
  public static void writeInput() throws IOException {
    input = TMP.newFolder("input").toPath();
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    List<Group> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Group row = groups.newGroup().append("v", (long) i);
      if (i % 5 != 0) {
        row.append("id", "k" + i);
      }
      rows.add(row);
    }
    ParquetFiles.writeGroups(input.resolve("a.parquet"), SCHEMA, rows);
  }

  /** Runs the job; asserts its exit code and that no output or file holds the secret. */
  private JobProcess run(int expectedCode, Path dir, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--awsRegion=" + LocalStandIns.REGION));
    all.addAll(List.of(args));
    JobProcess job = JobProcess.start("DirectRunner", dir, all);
    int code = job.waitFor(180);
    String output = job.stdout() + "\n" + job.stderr();
    assertEquals(output, expectedCode, code);
    for (String secret : List.of(SECRET, URL_SECRET)) {
      assertFalse("the secret on stdout:\n" + job.stdout(), job.stdout().contains(secret));
      assertFalse("the secret on stderr:\n" + job.stderr(), job.stderr().contains(secret));
      // Nor a long part of it, as a parser's error might quote.
      assertFalse(output, output.contains(secret.substring(0, 12)));
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          assertFalse("the secret in " + file, Files.readString(file).contains(secret));
        }
      }
    }
    return job;
  }

  private static String lastError(JobProcess job) {
    List<String> errors = job.stderr().lines().filter(l -> l.startsWith("ERROR: ")).toList();
    return errors.isEmpty() ? "" : errors.get(errors.size() - 1);
  }

  @Test
  public void credentialsGivenTwiceAreNotEchoed() throws Exception {
    // Once as --key=value, once as Glue passes it: --key value.
    JobProcess job =
        run(
            Parquet2Dynamo.INVALID_INPUT,
            TMP.newFolder().toPath(),
            "--inputPath=" + input,
            "--tableName=t",
            "--awsCredentialsProvider=" + CREDENTIALS,
            "--awsCredentialsProvider",
            CREDENTIALS.replace("\"}", "-2\"}"));
    assertTrue(lastError(job), lastError(job).contains("--awsCredentialsProvider is given twice"));
  }

  @Test
  public void malformedCredentialsAreNotEchoed() throws Exception {
    // Unterminated, as a copy and paste may leave it; and a value without its quotes.
    for (String malformed :
        List.of(
            CREDENTIALS.substring(0, CREDENTIALS.length() - 1),
            CREDENTIALS.replace("\"" + SECRET + "\"", SECRET))) {
      JobProcess job =
          run(
              Parquet2Dynamo.INVALID_INPUT,
              TMP.newFolder().toPath(),
              "--inputPath=" + input,
              "--tableName=t",
              "--awsCredentialsProvider=" + malformed);
      assertTrue(
          lastError(job),
          lastError(job).startsWith("ERROR: --awsCredentialsProvider is not valid"));
    }
  }

  @Test
  public void anEndpointsPasswordIsNotEchoed() throws Exception {
    // Nothing listens on port 1: DescribeTable fails, and the error names the endpoint.
    JobProcess job =
        run(
            Parquet2Dynamo.INVALID_INPUT,
            TMP.newFolder().toPath(),
            "--inputPath=" + input,
            "--tableName=t",
            LocalStandIns.credentialsOption(),
            "--dynamoDbEndpoint=http://admin:" + URL_SECRET + "@127.0.0.1:1");
    assertTrue(lastError(job), lastError(job).contains("http://admin:****@127.0.0.1:1"));

    // A password with an unescaped '/' makes the URL invalid; the error quotes it, masked.
    JobProcess invalid =
        run(
            Parquet2Dynamo.INVALID_INPUT,
            TMP.newFolder().toPath(),
            "--inputPath=" + input,
            "--tableName=t",
            LocalStandIns.credentialsOption(),
            "--s3Endpoint=http://admin:" + SECRET + "@127.0.0.1:1");
    assertTrue(
        lastError(invalid),
        lastError(invalid).startsWith("ERROR: --s3Endpoint=http://admin:****@127.0.0.1:1 is not"));
  }

  @Test
  public void aMissingTableDoesNotEchoTheCredentials() throws Exception {
    Path dir = TMP.newFolder().toPath();
    JobProcess job =
        run(
            Parquet2Dynamo.INVALID_INPUT,
            dir,
            "--inputPath=" + input,
            "--tableName=no-such-table",
            "--awsCredentialsProvider=" + CREDENTIALS,
            "--dynamoDbEndpoint=" + standIns.dynamoDbEndpoint(),
            "--summaryPath=" + dir.resolve("summary.json"));
    assertTrue(lastError(job), lastError(job).contains("'no-such-table' does not exist"));
  }

  @Test
  public void aLoadWithDeadLettersKeepsTheSecretOutOfItsFiles() throws Exception {
    Path dir = TMP.newFolder().toPath();
    String table = aws.createTable("secret", "id", ScalarAttributeType.S, null, null);
    JobProcess job =
        run(
            Parquet2Dynamo.OK,
            dir,
            "--inputPath=" + input,
            "--tableName=" + table,
            "--awsCredentialsProvider=" + CREDENTIALS,
            "--dynamoDbEndpoint=http://user:"
                + URL_SECRET
                + "@"
                + standIns.dynamoDbEndpoint().substring("http://".length()),
            "--deadLetterPath=" + dir.resolve("rejected"),
            "--summaryPath=" + dir.resolve("summary.json"),
            // A Glue argument that holds a secret, kept aside by the job.
            "--conf",
            "spark.hadoop.fs.s3a.secret.key=" + SECRET,
            "--JOB_NAME",
            StandInClients.uniqueName("job"));
    assertEquals(16, job.summary().get("itemsWritten").asInt());
    assertEquals(4, job.summary().get("rowsRejected").asInt());
    assertTrue(Files.readString(dir.resolve("summary.json")).contains("\"SUCCEEDED\""));
    assertEquals(4, LoadRun.deadLetters(dir.resolve("rejected")).size());
  }
}
