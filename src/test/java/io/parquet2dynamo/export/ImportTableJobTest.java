package io.parquet2dynamo.export;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.sink.WriteMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ImportTableRequest;

/**
 * ImportTable and DescribeImport as they go over the wire. DynamoDB Local has neither, so a local
 * HTTP endpoint records what the SDK's own client sends and answers as DynamoDB's API reference
 * documents: the request's JSON, the polling until the import ends with PROGRESS lines, and a
 * refused or failed import as one line.
 */
public class ImportTableJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARN =
      "arn:aws:dynamodb:us-east-1:123456789012:table/orders/import/01700000000000-abcd1234";

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private HttpServer server;
  private final List<String> targets = Collections.synchronizedList(new ArrayList<>());
  private final List<JsonNode> bodies = Collections.synchronizedList(new ArrayList<>());
  private final Deque<String[]> answers = new ArrayDeque<>(); // {status, body}
  private DynamoDbClient client;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @Before
  public void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
          bodies.add(JSON.readTree(exchange.getRequestBody()));
          String[] answer;
          synchronized (answers) {
            answer = answers.isEmpty() ? new String[] {"500", "{}"} : answers.poll();
          }
          byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
          exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    client =
        DynamoDbClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
            .build();
  }

  @After
  public void stop() {
    client.close();
    server.stop(0);
  }

  private void answer(int status, String body) {
    answers.add(new String[] {Integer.toString(status), body});
  }

  private static String description(String status, long processed, long imported, long errors) {
    return "{\"ImportTableDescription\":{\"ImportArn\":\""
        + ARN
        + "\",\"ImportStatus\":\""
        + status
        + "\",\"TableArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/orders\""
        + ",\"ProcessedItemCount\":"
        + processed
        + ",\"ImportedItemCount\":"
        + imported
        + ",\"ErrorCount\":"
        + errors
        + ",\"ProcessedSizeBytes\":1234"
        + (status.equals("FAILED")
            ? ",\"FailureCode\":\"S3AccessDenied\",\"FailureMessage\":\"Access Denied\""
            : "")
        + "}}";
  }

  private ImportTableRequest request() throws IOException {
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(
                "--awsRegion=us-east-1",
                "--tableName=orders",
                "--writeMode=import",
                "--exportPath=s3://bucket/exports/",
                "--keySchema=order_id:S,line:N")
            .as(Parquet2DynamoOptions.class);
    FileSystems.setDefaultPipelineOptions(options);
    ExportPlan plan =
        ExportPlan.resolve(options, WriteMode.parse("import"), null, "20261129T180000Z-abc");
    Path manifest = tmp.newFile("manifest.json").toPath();
    Files.writeString(
        manifest, "{\"dataPrefix\":\"" + plan.layout().dataPrefix() + "\",\"itemCount\":3}");
    return ImportTableJob.request(plan, Manifest.read(manifest.toString()), "20261129T180000Z-abc");
  }

  private ImportTableJob job() {
    return new ImportTableJob(
        client, Duration.ofMillis(10), new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @Test
  public void anImportIsSentAsTheApiDocumentsAndFollowedUntilItCompletes() throws Exception {
    answer(200, description("IN_PROGRESS", 0, 0, 0));
    answer(200, description("IN_PROGRESS", 2, 2, 0));
    answer(200, description("COMPLETED", 3, 3, 0));

    ImportTableJob.Result result = job().run(request());

    assertTrue(result.problem(), result.completed());
    assertEquals(3L, (long) result.description().importedItemCount());
    assertEquals(
        List.of(
            "DynamoDB_20120810.ImportTable",
            "DynamoDB_20120810.DescribeImport",
            "DynamoDB_20120810.DescribeImport"),
        targets);
    JsonNode sent = bodies.get(0);
    assertEquals("20261129T180000Z-abc", sent.get("ClientToken").asText());
    assertEquals("bucket", sent.at("/S3BucketSource/S3Bucket").asText());
    assertEquals(
        "exports/20261129T180000Z-abc/data/", sent.at("/S3BucketSource/S3KeyPrefix").asText());
    assertEquals("DYNAMODB_JSON", sent.get("InputFormat").asText());
    assertEquals("GZIP", sent.get("InputCompressionType").asText());
    assertEquals("orders", sent.at("/TableCreationParameters/TableName").asText());
    assertEquals("PAY_PER_REQUEST", sent.at("/TableCreationParameters/BillingMode").asText());
    assertEquals(
        "[{\"AttributeName\":\"order_id\",\"KeyType\":\"HASH\"},"
            + "{\"AttributeName\":\"line\",\"KeyType\":\"RANGE\"}]",
        sent.at("/TableCreationParameters/KeySchema").toString());
    assertEquals(ARN, bodies.get(1).get("ImportArn").asText());
    String out = printed.toString(StandardCharsets.UTF_8);
    assertTrue(out, out.contains("IMPORT started: " + ARN + " creating table 'orders'"));
    assertTrue(
        out,
        out.contains(
            "PROGRESS import=IN_PROGRESS processedItems=2 importedItems=2 errors=0"
                + " processedBytes=1234"));
    assertTrue(out, out.contains("PROGRESS import=COMPLETED processedItems=3 importedItems=3"));
    assertEquals(ARN, result.fields().get("importArn"));
  }

  @Test
  public void aFailedImportIsOneLineWithImportTablesReason() throws Exception {
    answer(200, description("IN_PROGRESS", 0, 0, 0));
    answer(200, description("FAILED", 0, 0, 0));

    ImportTableJob.Result result = job().run(request());

    assertFalse(result.completed());
    assertEquals(
        "ImportTable FAILED: S3AccessDenied: Access Denied (import "
            + ARN
            + "; the exported files are kept)",
        result.problem());
    assertEquals("FAILED", result.fields().get("status"));
  }

  @Test
  public void aRefusedImportIsOneLineWithDynamoDbsMessage() throws Exception {
    answer(
        400,
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceInUseException\","
            + "\"message\":\"Table already exists: orders\"}");

    ImportTableJob.Result result = job().run(request());

    assertFalse(result.completed());
    assertNull(result.description());
    assertEquals(List.of("DynamoDB_20120810.ImportTable"), targets);
    assertTrue(
        result.problem(),
        result
            .problem()
            .startsWith(
                "ImportTable refused to create table 'orders' from"
                    + " s3://bucket/exports/20261129T180000Z-abc/data/: Table already exists:"
                    + " orders"));
    assertFalse(result.problem(), result.problem().contains("\n"));
  }
}
