package io.parquet2dynamo.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The AWS CLI, as a user would run it, against a stand-in: a reader of DynamoDB JSON that is not
 * ours. {@code .ci/run} installs it; on a machine without it, the same request goes over HTTP, so
 * DynamoDB Local is still what parses the item (a warning says so).
 */
public final class AwsCli {
  private AwsCli() {}

  /** {@code aws dynamodb put-item --item ITEM} into {@code table} at {@code endpoint}. */
  public static void putItem(String endpoint, String table, String item) throws Exception {
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
                endpoint,
                "--region",
                "us-east-1")
            .redirectErrorStream(true);
    builder.environment().put("AWS_ACCESS_KEY_ID", "localAccessKey");
    builder.environment().put("AWS_SECRET_ACCESS_KEY", "localSecretKey");
    builder.environment().remove("AWS_PROFILE");
    Process process;
    try {
      process = builder.start();
    } catch (IOException noCli) {
      System.err.println("WARNING: no AWS CLI here; PutItem goes over HTTP instead");
      putOverHttp(endpoint, table, item);
      return;
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("aws did not end", process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(output, 0, process.exitValue());
  }

  private static void putOverHttp(String endpoint, String table, String item) throws Exception {
    String body =
        "{\"TableName\":"
            + new ObjectMapper().writeValueAsString(table)
            + ",\"Item\":"
            + item
            + "}";
    HttpResponse<String> response = dynamoDb(endpoint, "PutItem", body);
    assertEquals(response.body(), 200, response.statusCode());
  }

  /**
   * One DynamoDB API call ({@code target}, such as {@code PutItem}) with a JSON {@code body}, sent
   * over HTTP to a stand-in at {@code endpoint}, signed with a placeholder DynamoDB Local accepts.
   */
  public static HttpResponse<String> dynamoDb(String endpoint, String target, String body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(endpoint + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810." + target)
                .header(
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=localAccessKey/20260101/us-east-1/dynamodb/"
                        + "aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
