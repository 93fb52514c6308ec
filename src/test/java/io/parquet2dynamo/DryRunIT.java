package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.OnBothRunners;
import io.parquet2dynamo.testing.SampleSales;
import io.parquet2dynamo.testing.SampleSales.Sale;
import io.parquet2dynamo.testing.SampleTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code --dryRun}: the sample loads as far as the write and no further, the summary says what
 * would be written, and the sampled items are DynamoDB JSON that the AWS CLI's {@code put-item}
 * takes as it is, giving exactly the item the load would have written; on both runners.
 */
public class DryRunIT extends OnBothRunners {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void aDryRunWritesNothingAndPrintsItemsPutItemTakes() throws Exception {
    Path dir = TMP.newFolder().toPath();
    List<Sale> sales = SampleSales.write(dir);
    String table = SampleTable.create(aws);

    LoadRun run =
        load(
            "--inputPath=" + dir + "/sales/",
            "--tableName=" + table,
            "--deadLetterPath=" + TMP.newFolder(),
            "--dryRun",
            "--sample=3");

    assertEquals(run.stderr, 0, run.exitCode);
    JsonNode summary = run.summary();
    Map<String, Sale> survivors = SampleTable.expectedSurvivors(sales);
    assertTrue(summary.get("dryRun").asBoolean());
    assertEquals(0, summary.get("itemsWritten").asInt());
    assertEquals(survivors.size(), summary.get("itemsToWrite").asInt());
    assertTrue(summary.get("reconciled").asBoolean());
    assertEquals(0, (int) aws.dynamoDb.scan(b -> b.tableName(table).select("COUNT")).count());

    List<String> sample = new ArrayList<>();
    run.stdout
        .lines()
        .filter(l -> l.startsWith("SAMPLE "))
        .forEach(l -> sample.add(l.substring(7)));
    assertEquals(3, sample.size());
    // Each sampled item, put with the AWS CLI, is the item the load would have written.
    for (String item : sample) {
      putWithAwsCli(table, item);
    }
    Map<String, Sale> written = new java.util.HashMap<>();
    aws.scan(table, i -> i.get("order_id").s() + "#" + i.get("line").n())
        .keySet()
        .forEach(k -> written.put(k, survivors.get(k)));
    assertEquals(3, written.size());
    SampleTable.assertHolds(aws, table, written);
  }

  /**
   * Puts the item with the AWS CLI's {@code put-item --item}, as a user would; where the machine
   * has no CLI, with the same PutItem request the CLI sends (DynamoDB's JSON protocol, over HTTP),
   * so DynamoDB Local itself is what parses the item.
   */
  private static void putWithAwsCli(String table, String item) throws Exception {
    if (!cliAvailable()) {
      putOverHttp(table, item);
      return;
    }
    ProcessBuilder builder =
        new ProcessBuilder(
                "aws",
                "dynamodb",
                "put-item",
                "--table-name",
                table,
                "--item",
                item,
                "--endpoint-url",
                standIns.dynamoDbEndpoint(),
                "--region",
                "us-east-1")
            .redirectErrorStream(true);
    builder.environment().put("AWS_ACCESS_KEY_ID", "localAccessKey");
    builder.environment().put("AWS_SECRET_ACCESS_KEY", "localSecretKey");
    builder.environment().remove("AWS_PROFILE");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue("aws did not end", process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(output, 0, process.exitValue());
  }

  private static boolean cliAvailable() {
    try {
      Process p = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void putOverHttp(String table, String item) throws Exception {
    String body =
        "{\"TableName\":"
            + new ObjectMapper().writeValueAsString(table)
            + ",\"Item\":"
            + item
            + "}";
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(standIns.dynamoDbEndpoint() + "/"))
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", "DynamoDB_20120810.PutItem")
                    .header(
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=localAccessKey/20260101/us-east-1/dynamodb/"
                            + "aws4_request, SignedHeaders=host, Signature=0")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(response.body(), 200, response.statusCode());
  }
}
