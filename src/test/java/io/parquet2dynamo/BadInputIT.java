package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Bad input, each with its expected outcome: a clear one-line error before any work, or the bad
 * rows in the dead letters with their reason and the good rows in the table; nothing lost.
 */
public class BadInputIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Schema CODES =
      SchemaBuilder.record("code")
          .fields()
          .optionalString("code")
          .requiredLong("num")
          .optionalString("payload")
          .endRecord();

  private static GenericRecord code(String code, long num, String payload) {
    GenericRecord r = new GenericData.Record(CODES);
    r.put("code", code);
    r.put("num", num);
    r.put("payload", payload);
    return r;
  }

  private static Path write(String name, Schema schema, List<GenericRecord> records)
      throws IOException {
    Path file = TMP.getRoot().toPath().resolve(StandInClients.uniqueName("in")).resolve(name);
    ParquetFiles.write(file, schema, records);
    return file;
  }

  private static LoadRun load(String... args) {
    return LoadRun.of(LoadRun.standInArgs(standIns, args));
  }

  private static long itemCount(String table) {
    return aws.dynamoDb.scan(b -> b.tableName(table).select("COUNT")).count();
  }

  @Test
  public void keyColumnMissingFromTheInputIsAnErrorBeforeAnyWork() throws IOException {
    Path file = write("a.parquet", CODES, List.of(code("x", 1, null)));
    String table = aws.createTable("sku", "sku", ScalarAttributeType.S, null, null);

    LoadRun run = load("--inputPath=" + file, "--tableName=" + table);

    assertEquals(Parquet2Dynamo.INVALID_INPUT, run.exitCode);
    assertTrue(run.errorLine(), run.errorLine().contains("partition key 'sku'"));
    assertTrue(run.errorLine(), run.errorLine().contains("[code, num, payload]"));
    assertFalse("a one-line error, not a stack trace", run.stderr.contains("\tat "));
  }

  @Test
  public void wrongKeyTypesAndKeyConversions() throws IOException {
    // N key from a string column: numbers convert, the rest are KEY_TYPE_MISMATCH.
    Path file =
        write(
            "codes.parquet",
            CODES,
            List.of(
                code("12", 1, null),
                code("x7", 2, null),
                code("0042", 3, null),
                code(null, 4, null)));
    String table = aws.createTable("codes", "code", ScalarAttributeType.N, null, null);
    Path dead = TMP.newFolder(StandInClients.uniqueName("dead")).toPath();

    LoadRun run = load("--inputPath=" + file, "--tableName=" + table, "--deadLetterPath=" + dead);

    assertEquals(run.stderr, 0, run.exitCode);
    Map<String, Map<String, AttributeValue>> items = aws.scan(table, i -> i.get("code").n());
    assertEquals(List.of("12", "42"), items.keySet().stream().sorted().toList());
    assertEquals("3", items.get("42").get("num").n());
    List<JsonNode> records = LoadRun.deadLetters(dead);
    assertEquals(2, records.size());
    JsonNode mismatch =
        records.stream()
            .filter(r -> r.get("row").get("num").asInt() == 2)
            .findFirst()
            .orElseThrow();
    assertEquals("KEY_TYPE_MISMATCH", mismatch.get("reason").asText());
    assertTrue(mismatch.get("message").asText().contains("'x7'"));
    assertEquals(file.toString(), mismatch.get("sourceFile").asText());
    assertEquals(1, mismatch.get("sourceRow").asInt());
    JsonNode missing =
        records.stream()
            .filter(r -> r.get("row").get("num").asInt() == 4)
            .findFirst()
            .orElseThrow();
    assertEquals("MISSING_KEY", missing.get("reason").asText());

    // S key from an integer column: written as its decimal text.
    String byNum = aws.createTable("bynum", "num", ScalarAttributeType.S, null, null);
    LoadRun second = load("--inputPath=" + file, "--tableName=" + byNum);
    assertEquals(second.stderr, 0, second.exitCode);
    assertEquals(
        List.of("1", "2", "3", "4"),
        aws.scan(byNum, i -> i.get("num").s()).keySet().stream().sorted().toList());
  }

  @Test
  public void anEmptyStringForANumberKeyIsAnEmptyKey() throws IOException {
    // docs/TYPES.md: an empty key is EMPTY_KEY whatever the key's type, not a type mismatch.
    Path file = write("empty.parquet", CODES, List.of(code("", 1, null), code("7", 2, null)));
    String table = aws.createTable("emptyn", "code", ScalarAttributeType.N, null, null);
    Path dead = TMP.newFolder(StandInClients.uniqueName("dead")).toPath();

    LoadRun run = load("--inputPath=" + file, "--tableName=" + table, "--deadLetterPath=" + dead);

    assertEquals(run.stderr, 0, run.exitCode);
    assertEquals(List.of("7"), List.copyOf(aws.scan(table, i -> i.get("code").n()).keySet()));
    List<JsonNode> records = LoadRun.deadLetters(dead);
    assertEquals(1, records.size());
    assertEquals("EMPTY_KEY", records.get(0).get("reason").asText());
    assertEquals(0, records.get(0).get("sourceRow").asInt());
    assertEquals(1, run.summary().get("rejectedByReason").get("EMPTY_KEY").asInt());
  }

  @Test
  public void keyColumnOfAnImpossibleTypeIsAnErrorBeforeAnyWork() throws IOException {
    Schema flags = SchemaBuilder.record("f").fields().requiredBoolean("flag").endRecord();
    GenericRecord r = new GenericData.Record(flags);
    r.put("flag", true);
    Path file = write("flags.parquet", flags, List.of(r));
    String table = aws.createTable("flags", "flag", ScalarAttributeType.S, null, null);

    LoadRun run = load("--inputPath=" + file, "--tableName=" + table);

    assertEquals(Parquet2Dynamo.INVALID_INPUT, run.exitCode);
    assertTrue(run.errorLine(), run.errorLine().contains("'flag'"));
    assertTrue(run.errorLine(), run.errorLine().contains("BOOL"));
  }

  @Test
  public void oversizeItemGoesToDeadLettersAndTheRestLoads() throws IOException {
    String big = "x".repeat(410 * 1024);
    Path file =
        write(
            "big.parquet",
            CODES,
            List.of(code("a", 1, "small"), code("b", 2, big), code("c", 3, "")));
    String table = aws.createTable("big", "code", ScalarAttributeType.S, null, null);
    Path dead = TMP.newFolder(StandInClients.uniqueName("dead")).toPath();

    LoadRun run = load("--inputPath=" + file, "--tableName=" + table, "--deadLetterPath=" + dead);

    assertEquals(run.stderr, 0, run.exitCode);
    assertEquals(1, run.summary().get("rejectedByReason").get("ITEM_TOO_LARGE").asInt());
    Map<String, Map<String, AttributeValue>> items = aws.scan(table, i -> i.get("code").s());
    assertEquals(List.of("a", "c"), items.keySet().stream().sorted().toList());
    // An empty string is a valid non-key attribute.
    assertEquals("", items.get("c").get("payload").s());
    List<JsonNode> records = LoadRun.deadLetters(dead);
    assertEquals(1, records.size());
    assertEquals("ITEM_TOO_LARGE", records.get(0).get("reason").asText());
    assertEquals("b", records.get(0).get("row").get("code").asText());
  }

  @Test
  public void unknownTableIsAnErrorBeforeAnyWork() throws IOException {
    Path file = write("a.parquet", CODES, List.of(code("x", 1, null)));

    LoadRun run = load("--inputPath=" + file, "--tableName=no-such-table");

    assertEquals(Parquet2Dynamo.INVALID_INPUT, run.exitCode);
    assertTrue(run.errorLine(), run.errorLine().contains("table 'no-such-table' does not exist"));
  }

  @Test
  public void inputPathWithNoFilesIsAnErrorBeforeAnyWork() throws IOException {
    String table = aws.createTable("empty", "code", ScalarAttributeType.S, null, null);
    String bucket = aws.createBucket("empty");

    LoadRun local = load("--inputPath=" + TMP.newFolder() + "/*.parquet", "--tableName=" + table);
    LoadRun s3 = load("--inputPath=s3://" + bucket + "/nothing/", "--tableName=" + table);

    for (LoadRun run : List.of(local, s3)) {
      assertEquals(Parquet2Dynamo.INVALID_INPUT, run.exitCode);
      assertTrue(run.errorLine(), run.errorLine().contains("no Parquet files match"));
    }
  }

  @Test
  public void wrongS3KeysAreAClearErrorBeforeAnyWork() throws IOException {
    String bucket = aws.createBucket("secured");
    Path dir = write("a.parquet", CODES, List.of(code("x", 1, null))).getParent();
    aws.upload(dir, bucket);
    String table = aws.createTable("secured", "code", ScalarAttributeType.S, null, null);
    List<String> args =
        new ArrayList<>(
            LoadRun.standInArgs(
                standIns, "--inputPath=s3://" + bucket + "/", "--tableName=" + table));
    args.replaceAll(
        a ->
            a.startsWith("--awsCredentialsProvider=")
                ? a.replace(LocalStandIns.SECRET_KEY, "wrongSecret")
                : a);

    LoadRun run = LoadRun.of(args);

    assertEquals(Parquet2Dynamo.INVALID_INPUT, run.exitCode);
    assertTrue(run.errorLine(), run.errorLine().contains("cannot list 's3://" + bucket + "/"));
    assertTrue(run.errorLine(), run.errorLine().contains("403"));
    assertEquals(0, itemCount(table));
  }

  @Test
  public void badOptionsAreClearErrors() {
    LoadRun unknown = load("--inputPath=x", "--tableName=t", "--noSuchOption=1");
    assertEquals(Parquet2Dynamo.INVALID_INPUT, unknown.exitCode);
    assertTrue(unknown.stderr, unknown.stderr.contains("noSuchOption"));
    assertTrue(unknown.stderr, unknown.stderr.contains("--help"));

    LoadRun format = load("--inputPath=x", "--tableName=t", "--timestampFormat=epochNanos");
    assertEquals(Parquet2Dynamo.INVALID_INPUT, format.exitCode);
    assertEquals(
        "ERROR: --timestampFormat=epochNanos is not a valid value; use one of iso, epochSeconds, "
            + "epochMillis, epochMicros",
        format.errorLine());

    LoadRun missing = LoadRun.of(List.of("--tableName=t"));
    assertEquals(Parquet2Dynamo.INVALID_INPUT, missing.exitCode);
    assertTrue(missing.stderr, missing.stderr.contains("inputPath"));

    LoadRun endpoint =
        LoadRun.of(
            List.of(
                "--inputPath=x",
                "--tableName=t",
                "--awsRegion=" + LocalStandIns.REGION,
                LocalStandIns.credentialsOption(),
                "--dynamoDbEndpoint=not a url"));
    assertEquals(Parquet2Dynamo.INVALID_INPUT, endpoint.exitCode);
    assertTrue(endpoint.errorLine(), endpoint.errorLine().contains("--dynamoDbEndpoint=not a url"));
  }

  @Test
  public void compatibleSchemasLoadTogetherAndIncompatibleOnesAreNamed() throws IOException {
    Path dir = TMP.newFolder(StandInClients.uniqueName("evolve")).toPath();
    Schema v1 =
        SchemaBuilder.record("r").fields().requiredString("id").requiredLong("qty").endRecord();
    Schema v2 =
        SchemaBuilder.record("r")
            .fields()
            .requiredString("id")
            .requiredLong("qty")
            .optionalString("colour")
            .endRecord();
    Schema bad =
        SchemaBuilder.record("r").fields().requiredString("id").requiredString("qty").endRecord();
    GenericRecord a = new GenericData.Record(v1);
    a.put("id", "a");
    a.put("qty", 1L);
    GenericRecord b = new GenericData.Record(v2);
    b.put("id", "b");
    b.put("qty", 2L);
    b.put("colour", "red");
    ParquetFiles.write(dir.resolve("part-1.parquet"), v1, List.of(a));
    ParquetFiles.write(dir.resolve("part-2.parquet"), v2, List.of(b));
    String table = aws.createTable("evolve", "id", ScalarAttributeType.S, null, null);

    LoadRun ok = load("--inputPath=" + dir, "--tableName=" + table);
    assertEquals(ok.stderr, 0, ok.exitCode);
    Map<String, Map<String, AttributeValue>> items = aws.scan(table, i -> i.get("id").s());
    assertEquals(
        Map.of("id", AttributeValue.fromS("a"), "qty", AttributeValue.fromN("1")), items.get("a"));
    assertEquals("red", items.get("b").get("colour").s());

    GenericRecord c = new GenericData.Record(bad);
    c.put("id", "c");
    c.put("qty", "three");
    ParquetFiles.write(dir.resolve("part-3.parquet"), bad, List.of(c));
    LoadRun clash = load("--inputPath=" + dir, "--tableName=" + table);
    assertEquals(Parquet2Dynamo.INVALID_INPUT, clash.exitCode);
    assertTrue(
        clash.errorLine(),
        clash.errorLine().contains("column 'qty' is INT64 in " + dir.resolve("part-1.parquet")));
    assertTrue(
        clash.errorLine(),
        clash.errorLine().contains("STRING in " + dir.resolve("part-3.parquet")));
  }

  @Test
  public void aFileThatIsNotParquetIsNamed() throws IOException {
    Path dir = TMP.newFolder(StandInClients.uniqueName("notparquet")).toPath();
    Files.writeString(dir.resolve("data.parquet"), "id,qty\na,1\n");
    String table = aws.createTable("notparquet", "id", ScalarAttributeType.S, null, null);

    LoadRun run = load("--inputPath=" + dir + "/", "--tableName=" + table);

    assertEquals(Parquet2Dynamo.INVALID_INPUT, run.exitCode);
    assertTrue(
        run.errorLine(),
        run.errorLine().contains(dir.resolve("data.parquet") + " is not a readable Parquet file"));
  }

  @Test
  public void badSecondaryIndexKeysGoToDeadLettersInsteadOfFailingTheBatch() throws IOException {
    Schema rows =
        SchemaBuilder.record("r").fields().requiredString("id").optionalString("code").endRecord();
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      GenericRecord r = new GenericData.Record(rows);
      r.put("id", "id-" + i);
      // One empty index key among valid and absent ones, in the middle of a batch.
      r.put("code", i == 30 ? "" : i % 2 == 0 ? "c" + i : null);
      records.add(r);
    }
    Path file = write("codes.parquet", rows, records);
    String table = aws.createTableWithIndex("indexed", "code", ScalarAttributeType.S);
    Path dead = TMP.newFolder(StandInClients.uniqueName("dead")).toPath();

    LoadRun run = load("--inputPath=" + file, "--tableName=" + table, "--deadLetterPath=" + dead);

    assertEquals(run.stderr, 0, run.exitCode);
    assertEquals(59, itemCount(table));
    List<JsonNode> letters = LoadRun.deadLetters(dead);
    assertEquals(1, letters.size());
    assertEquals("EMPTY_KEY", letters.get(0).get("reason").asText());
    assertEquals("id-30", letters.get(0).get("row").get("id").asText());
    assertTrue(letters.get(0).get("message").asText().contains("index 'by-code'"));
  }

  @Test
  public void aMissingRegionIsOneLineNotAStackTrace() throws IOException {
    Path file = write("a.parquet", CODES, List.of(code("x", 1, null)));
    List<String> args =
        new ArrayList<>(LoadRun.standInArgs(standIns, "--inputPath=" + file, "--tableName=t"));
    // No region anywhere: the AWS SDK's region chain finds none and throws while the job starts.
    args.removeIf(a -> a.startsWith("--awsRegion="));

    LoadRun run = LoadRun.of(args);

    assertEquals(Parquet2Dynamo.INVALID_INPUT, run.exitCode);
    assertTrue(run.errorLine(), run.errorLine().contains("set --awsRegion"));
    assertFalse("no stack trace", run.stderr.contains("\tat "));
  }

  @Test
  public void unwritableOutputPathsAreErrorsBeforeAnyWrite() throws IOException {
    Path file = write("a.parquet", CODES, List.of(code("x", 1, null), code("y", 2, null)));
    String table = aws.createTable("outputs", "code", ScalarAttributeType.S, null, null);

    LoadRun dead =
        load(
            "--inputPath=" + file,
            "--tableName=" + table,
            "--deadLetterPath=s3://no-such-bucket-p2d/rejected/");
    LoadRun summary =
        load(
            "--inputPath=" + file,
            "--tableName=" + table,
            "--summaryPath=s3://no-such-bucket-p2d/summary.json");

    assertEquals(Parquet2Dynamo.INVALID_INPUT, dead.exitCode);
    assertTrue(
        dead.errorLine(),
        dead.errorLine()
            .contains("--deadLetterPath=s3://no-such-bucket-p2d/rejected/ is not writable"));
    assertEquals(Parquet2Dynamo.INVALID_INPUT, summary.exitCode);
    assertTrue(
        summary.errorLine(),
        summary
            .errorLine()
            .contains("--summaryPath=s3://no-such-bucket-p2d/summary.json is not writable"));
    assertEquals("nothing written", 0, itemCount(table));
  }
}
