package io.parquet2dynamo.export;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parquet2dynamo.Parquet2Dynamo;
import io.parquet2dynamo.testing.AwsCli;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.OnBothRunners;
import io.parquet2dynamo.testing.SampleSales;
import io.parquet2dynamo.testing.SampleTable;
import io.parquet2dynamo.testing.StandInClients;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code --writeMode=export}, on both runners, to S3 (S3Proxy) and to a local directory, for a
 * table that does not exist ({@code --keySchema}) and for one that does (its key from
 * DescribeTable): the summary reconciles with {@code itemsExported} and the manifest, and the files
 * are read back by readers that are not ours. Every line goes, as it is, to DynamoDB Local in
 * BatchWriteItem requests over HTTP (so DynamoDB's own parser reads our JSON), and the table it
 * makes is compared item by item with a normal load of the same input; one line goes through the
 * AWS CLI's {@code put-item --item} (where the machine has the CLI).
 */
public class ExportIT extends OnBothRunners {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  public void anExportToS3IsWhatANormalLoadWrites() throws Exception {
    Path dir = TMP.newFolder().toPath();
    List<SampleSales.Sale> sales = SampleSales.write(dir);
    String bucket = aws.createBucket("export");
    String table = StandInClients.uniqueName("not-created");

    LoadRun run =
        load(
            "--inputPath=" + dir + "/sales/",
            "--tableName=" + table,
            "--writeMode=export",
            "--keySchema=order_id:S,line:N",
            "--exportPath=s3://" + bucket + "/exports",
            "--deadLetterPath=" + TMP.newFolder());

    assertEquals(run.stderr, 0, run.exitCode);
    JsonNode summary = run.summary();
    assertTrue(summary.toString(), summary.get("reconciled").asBoolean());
    assertEquals(0, summary.get("itemsWritten").asLong());
    long exported = summary.get("itemsExported").asLong();
    assertEquals(SampleTable.expectedSurvivors(sales).size(), exported);
    assertTrue(run.stdout, run.stdout.contains(" items exported ("));
    assertFalse(aws.dynamoDb.listTables().tableNames().contains(table));

    // The manifest, and nothing below data/ but the files it lists.
    String base = summary.get("export").get("manifest").asText().replace("manifest.json", "");
    String prefix = base.substring(("s3://" + bucket + "/").length());
    JsonNode manifest = JSON.readTree(aws.read(bucket, prefix + "manifest.json"));
    assertEquals(exported, manifest.get("itemCount").asLong());
    assertEquals("DYNAMODB_JSON", manifest.get("format").asText());
    assertEquals(
        "[{\"AttributeName\":\"order_id\",\"KeyType\":\"HASH\"},"
            + "{\"AttributeName\":\"line\",\"KeyType\":\"RANGE\"}]",
        manifest.get("keySchema").toString());
    List<String> listed = new ArrayList<>();
    manifest.get("files").forEach(f -> listed.add(f.get("path").asText()));
    List<String> stored = new ArrayList<>();
    aws.listKeys(bucket, prefix + "data/").forEach(k -> stored.add("s3://" + bucket + "/" + k));
    assertEquals(listed, stored.stream().sorted().toList());
    assertEquals(List.of(), aws.listKeys(bucket, prefix + ".tmp/"));

    List<String> lines = new ArrayList<>();
    long bytes = 0;
    for (JsonNode f : manifest.get("files")) {
      String key = f.get("path").asText().substring(("s3://" + bucket + "/").length());
      byte[] gz = aws.s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
      assertEquals(f.get("bytes").asLong(), gz.length);
      bytes += gz.length;
      List<String> fileLines = gunzipLines(new ByteArrayInputStream(gz));
      assertEquals(f.get("itemCount").asLong(), fileLines.size());
      lines.addAll(fileLines);
    }
    assertEquals(manifest.get("bytes").asLong(), bytes);
    assertReadBackAsANormalLoad(dir, lines);
  }

  @Test
  public void anExportToALocalDirectoryTakesAnExistingTablesKey() throws Exception {
    Path dir = TMP.newFolder().toPath();
    SampleSales.write(dir);
    String table = SampleTable.create(aws);
    Path out = TMP.newFolder().toPath();

    LoadRun run =
        load(
            "--inputPath=" + dir + "/sales/",
            "--tableName=" + table,
            "--writeMode=export",
            "--exportPath=" + out,
            "--deadLetterPath=" + TMP.newFolder());

    assertEquals(run.stderr, 0, run.exitCode);
    JsonNode summary = run.summary();
    assertTrue(summary.toString(), summary.get("reconciled").asBoolean());
    assertEquals(0, (int) aws.dynamoDb.scan(b -> b.tableName(table).select("COUNT")).count());
    Path manifestFile = Path.of(summary.get("export").get("manifest").asText());
    JsonNode manifest = JSON.readTree(manifestFile.toFile());
    assertEquals(summary.get("itemsExported").asLong(), manifest.get("itemCount").asLong());
    assertEquals(table, manifest.get("table").asText());
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(manifestFile.resolveSibling("data"))) {
      for (Path f : files.sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          lines.addAll(gunzipLines(in));
        }
      }
    }
    assertEquals(manifest.get("itemCount").asLong(), lines.size());
    assertFalse(Files.exists(manifestFile.resolveSibling(".tmp")));
    assertReadBackAsANormalLoad(dir, lines);
  }

  @Test
  public void anExportWithoutATableOrAKeyIsAOneLineError() throws Exception {
    Path dir = TMP.newFolder().toPath();
    SampleSales.write(dir);
    LoadRun run =
        load(
            "--inputPath=" + dir + "/sales/",
            "--tableName=" + StandInClients.uniqueName("absent"),
            "--writeMode=export",
            "--exportPath=" + TMP.newFolder());

    assertEquals(Parquet2Dynamo.INVALID_INPUT, run.exitCode);
    assertTrue(
        run.stderr,
        run.stderr.contains(
            "does not exist; give the key of the items with --keySchema=pk:S[,sk:N]"));
    assertFalse(run.stderr, run.stderr.contains("\tat "));
  }

  /**
   * Loads the same input normally into a table of its own, has DynamoDB Local parse every exported
   * line into another, and compares the two tables item by item; puts one line with the AWS CLI.
   */
  private void assertReadBackAsANormalLoad(Path dir, List<String> lines) throws Exception {
    String loaded = SampleTable.create(aws);
    LoadRun normal =
        load(
            "--inputPath=" + dir + "/sales/",
            "--tableName=" + loaded,
            "--deadLetterPath=" + TMP.newFolder());
    assertEquals(normal.stderr, 0, normal.exitCode);

    String parsed = SampleTable.create(aws);
    List<JsonNode> items = new ArrayList<>();
    for (String line : lines) {
      JsonNode node = JSON.readTree(line);
      assertEquals(line, 1, node.size()); // {"Item": {...}} and nothing else
      items.add(node.get("Item"));
    }
    for (int i = 0; i < items.size(); i += 25) {
      batchWriteOverHttp(parsed, items.subList(i, Math.min(items.size(), i + 25)));
    }
    Map<String, Map<String, AttributeValue>> expected = aws.scan(loaded, ExportIT::key);
    Map<String, Map<String, AttributeValue>> actual = aws.scan(parsed, ExportIT::key);
    assertEquals(lines.size(), actual.size()); // no two lines with one key
    assertEquals(expected.keySet(), actual.keySet());
    for (String k : expected.keySet()) {
      assertEquals(k, expected.get(k), actual.get(k));
    }

    String single = SampleTable.create(aws);
    String line = lines.get(lines.size() / 2);
    AwsCli.putItem(standIns.dynamoDbEndpoint(), single, JSON.readTree(line).get("Item").toString());
    Map<String, Map<String, AttributeValue>> put = aws.scan(single, ExportIT::key);
    assertEquals(1, put.size());
    String k = put.keySet().iterator().next();
    assertEquals(expected.get(k), put.get(k));
  }

  private static String key(Map<String, AttributeValue> item) {
    return item.get("order_id").s() + "#" + item.get("line").n();
  }

  private static List<String> gunzipLines(InputStream gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(gz)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue("a file ends with a newline", text.isEmpty() || text.endsWith("\n"));
      return text.lines().toList();
    }
  }

  /** A BatchWriteItem of {@code items} as they are, in DynamoDB's JSON protocol over HTTP. */
  private static void batchWriteOverHttp(String table, List<JsonNode> items) throws Exception {
    StringBuilder puts = new StringBuilder();
    for (JsonNode item : items) {
      puts.append(puts.length() == 0 ? "" : ",").append("{\"PutRequest\":{\"Item\":");
      puts.append(item).append("}}");
    }
    String body = "{\"RequestItems\":{" + JSON.writeValueAsString(table) + ":[" + puts + "]}}";
    HttpResponse<String> response = post("BatchWriteItem", body);
    assertEquals(response.body(), 200, response.statusCode());
    JsonNode unprocessed = JSON.readTree(response.body()).path("UnprocessedItems");
    assertEquals(response.body(), 0, unprocessed.size());
  }

  private static HttpResponse<String> post(String target, String body) throws Exception {
    return AwsCli.dynamoDb(standIns.dynamoDbEndpoint(), target, body);
  }
}
