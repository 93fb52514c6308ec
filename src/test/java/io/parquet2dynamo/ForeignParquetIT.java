package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.ParquetTestingFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Parquet written by other tools (apache/parquet-testing, see src/test/resources/parquet-testing):
 * real files load with every row accounted for, and broken ones end in a clear error that names the
 * file, with nothing written.
 */
public class ForeignParquetIT extends ParquetTestingFiles {
  @Test
  public void impalaFilesLoadTogetherWithDuplicatesAccountedFor() {
    // Three files of one schema with ids 0-7, 0-1 and 6-7: 12 rows, 8 distinct ids.
    String table = aws.createTable("alltypes", "id", ScalarAttributeType.N, null, null);

    LoadRun run =
        LoadRun.of(
            LoadRun.standInArgs(
                standIns, "--inputPath=" + data + "/alltypes_*.parquet", "--tableName=" + table));

    assertEquals(run.stderr, 0, run.exitCode);
    JsonNode summary = run.summary();
    assertEquals(12, summary.get("rowsRead").asInt());
    assertEquals(8, summary.get("itemsWritten").asInt());
    assertEquals(4, summary.get("duplicatesDropped").asInt());
    assertTrue(summary.get("reconciled").asBoolean());
    Map<String, Map<String, AttributeValue>> items = aws.scan(table, i -> i.get("id").n());
    assertEquals(8, items.size());
    // id 7 exists only in alltypes_plain files: values from the file's own description.
    Map<String, AttributeValue> seven = items.get("7");
    assertEquals(AttributeValue.fromBool(false), seven.get("bool_col"));
    assertEquals("1", seven.get("tinyint_col").n());
    assertEquals("10", seven.get("bigint_col").n());
    assertEquals("1.1", seven.get("float_col").n());
    assertEquals("10.1", seven.get("double_col").n());
    // Impala writes strings as BINARY without a UTF8 annotation: they are binary (B) by contract.
    assertEquals(SdkBytes.fromUtf8String("1"), seven.get("string_col").b());
    assertEquals(SdkBytes.fromUtf8String("04/01/09"), seven.get("date_string_col").b());
  }

  @Test
  public void decimalsLoadExactlyWhateverTheirParquetEncoding() {
    // 1.00 .. 24.00 in each (decimal(4,2), or (13,2) in fixed_length_decimal_legacy), as Arrow C++
    // arrow_reader_writer_test.cc (TestArrowReaderAdHocSparkAndHvr) asserts for all five files;
    // parquet-avro alone reads the INT32 and INT64 ones as 100 .. 2400.
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 24; i++) {
      expected.add(Integer.toString(i));
    }
    for (String file :
        List.of(
            "int32_decimal.parquet",
            "int64_decimal.parquet",
            "byte_array_decimal.parquet",
            "fixed_length_decimal.parquet",
            "fixed_length_decimal_legacy.parquet")) {
      String table = aws.createTable("decimal", "value", ScalarAttributeType.N, null, null);

      LoadRun run =
          LoadRun.of(
              LoadRun.standInArgs(
                  standIns, "--inputPath=" + data + "/" + file, "--tableName=" + table));

      assertEquals(file + ": " + run.stderr, 0, run.exitCode);
      List<String> values =
          aws.scan(table, i -> i.get("value").n()).keySet().stream()
              .sorted(Comparator.comparing(BigDecimal::new))
              .toList();
      assertEquals(file, expected, values);
    }
  }

  @Test
  public void nestedThreeLevelListsAreListsOfTheirElements() {
    // Three rows, all with b = 1: the last one is written, with its nulls kept in place.
    String table = aws.createTable("lists", "b", ScalarAttributeType.N, null, null);

    LoadRun run =
        LoadRun.of(
            LoadRun.standInArgs(
                standIns,
                "--inputPath=" + data + "/nested_lists.snappy.parquet",
                "--tableName=" + table));

    assertEquals(run.stderr, 0, run.exitCode);
    assertEquals(2, run.summary().get("duplicatesDropped").asInt());
    Map<String, AttributeValue> item = aws.scan(table, i -> i.get("b").n()).get("1");
    AttributeValue expected =
        list(
            list(list(s("a"), s("b")), list(s("c"), s("d")), list(s("e"))),
            list(AttributeValue.fromNul(true), list(s("f"))));
    assertEquals(expected, item.get("a"));
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue list(AttributeValue... elements) {
    return AttributeValue.fromL(List.of(elements));
  }

  private void assertBrokenFileFails(String file, String key, String problem) throws IOException {
    String table = aws.createTable("broken", key, ScalarAttributeType.N, null, null);
    Path summary = Files.createTempFile("summary", ".json");

    LoadRun run =
        LoadRun.of(
            LoadRun.standInArgs(
                standIns,
                "--inputPath=" + data + "/" + file,
                "--tableName=" + table,
                "--summaryPath=" + summary));

    assertEquals(Parquet2Dynamo.LOAD_FAILED, run.exitCode);
    assertTrue(run.errorLine(), run.errorLine().contains("cannot read " + data.resolve(file)));
    assertTrue(run.errorLine(), run.errorLine().contains(problem));
    assertFalse("a one-line error, not a stack trace", run.stderr.contains("\tat "));
    assertEquals(
        "nothing written",
        0,
        (int) aws.dynamoDb.scan(b -> b.tableName(table).select("COUNT")).count());
    // The summary file says the load failed, and why.
    String written = Files.readString(summary);
    assertTrue(written, written.contains("\"status\":\"FAILED\""));
    assertTrue(written, written.contains(problem));
  }

  @Test
  public void corruptPageChecksumFailsNamingTheFile() throws IOException {
    assertBrokenFileFails(
        "datapage_v1-corrupt-checksum.parquet", "a", "CRC checksum verification failed");
  }

  @Test
  public void corruptDictionaryChecksumFailsNamingTheFile() throws IOException {
    assertBrokenFileFails(
        "rle-dict-uncompressed-corrupt-checksum.parquet",
        "long_field",
        "CRC checksum verification failed");
  }

  @Test
  public void malformedDictionaryFailsNamingTheFile() throws IOException {
    assertBrokenFileFails("nation.dict-malformed.parquet", "nation_key", "truncated or corrupt");
  }
}
