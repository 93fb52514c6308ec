package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parquet2dynamo.source.ReadEachRow;
import io.parquet2dynamo.source.SourceFields;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.ParquetTestingFiles;
import io.parquet2dynamo.testing.StandInClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The apache/parquet-testing files that {@link ForeignParquetIT} does not cover, each loaded by the
 * real job into DynamoDB Local and checked item by item; large_string_map.brotli.parquet, whose
 * rows no item can hold, is read by the job's reader and checked row by row.
 *
 * <p>The expected values never come from our own reader. They are what the files' own descriptions
 * say (README.md, int96_from_spark.md, map_no_value.md, delta_byte_array_expect.csv, copied to
 * src/test/resources/parquet-testing), or, where those say nothing of the values, what other
 * readers' test suites assert for the same file, or what other readers show for it in a
 * maintainers' thread; each expectation names its source.
 *
 * <p>Expectations are written as JSON in the source's own form, and {@link #item} applies the type
 * contract to them: numbers become N, strings S, booleans BOOL, arrays L with null elements kept as
 * NULL, objects (structs and maps) M with null members left out.
 */
public class ParquetTestingFilesIT extends ParquetTestingFiles {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** The partition column {@link #assertFileWithoutKeyColumn} keys its table by. */
  private static final String SOURCE = "source";

  @Test
  public void binaryWithoutAnnotationLoadsAsBinary() {
    // apache/arrow cpp/src/parquet/statistics_test.cc, beside
    // TestStatisticsSortOrderMinMax.Unsigned:
    // "a single column of binary type. Data is just single byte values from 0x00 to 0x0B", and the
    // test reads 12 values, 0 nulls. Without a UTF8 annotation they are binary, B.
    String table = aws.createTable("binary", "foo", ScalarAttributeType.B, null, null);

    JsonNode summary = load(table, data.resolve("binary.parquet"), null);

    assertCounts(summary, 12, 12, 0, 0);
    Map<String, Map<String, AttributeValue>> expected = new TreeMap<>();
    for (int b = 0; b < 12; b++) {
      AttributeValue foo = AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {(byte) b}));
      expected.put(keyText(foo), Map.of("foo", foo));
    }
    assertItems(expected, aws.scan(table, keyOf("foo")));
  }

  @Test
  public void dataPageV2LoadsEveryColumn() {
    // Two independent readers' tests agree on the five rows: flow-php/flow
    // src/lib/parquet/tests/.../EdgeCasesReadingTest.php test_read_datapage_v2_snappy_list, and
    // hyparam/hyparquet test/query.test.js "reads data without orderBy". e is null in rows 2 and
    // 3, a in row 4.
    assertLoadsAs(
        "datapage_v2.snappy.parquet",
        "b",
        ScalarAttributeType.N,
        """
                {"a": "abc", "b": 1, "c": 2.0, "d": true,  "e": [1, 2, 3]}
                {"a": "abc", "b": 2, "c": 3.0, "d": true,  "e": null}
                {"a": "abc", "b": 3, "c": 4.0, "d": true,  "e": null}
                {"a": null,  "b": 4, "c": 5.0, "d": false, "e": [1, 2, 3]}
                {"a": "abc", "b": 5, "c": 2.0, "d": true,  "e": [1, 2]}
                """);
  }

  @Test
  public void deltaByteArrayLoadsEveryRowOfItsExpectCsv() throws IOException {
    // delta_byte_array_expect.csv holds all 1000 rows; c_customer_id is unique and never empty. An
    // empty unquoted field is a null (the file has no empty strings), so the attribute is absent.
    List<List<String>> csv = csv(Files.readString(data.resolve("delta_byte_array_expect.csv")));
    List<String> header = csv.get(0);
    Map<String, Map<String, AttributeValue>> expected = new TreeMap<>();
    for (List<String> row : csv.subList(1, csv.size())) {
      Map<String, AttributeValue> item = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        if (row.get(i) != null) {
          item.put(header.get(i), AttributeValue.fromS(row.get(i)));
        }
      }
      expected.put(row.get(0), item);
    }
    assertEquals(1000, expected.size());
    String table = aws.createTable("delta", "c_customer_id", ScalarAttributeType.S, null, null);

    JsonNode summary = load(table, data.resolve("delta_byte_array.parquet"), null);

    assertCounts(summary, 1000, 1000, 0, 0);
    assertItems(expected, aws.scan(table, keyOf("c_customer_id")));
  }

  @Test
  public void lz4FilesLoadWhicheverLz4FramingTheyUse() {
    // Hadoop's LZ4 framing (codec LZ4, written by parquet-mr), LZ4_RAW (parquet-cpp) and a bare
    // LZ4 block under codec LZ4 (parquet-cpp 1.5.1), same data. Values: jorgecarleitao/parquet2
    // tests/it/read/lz4_legacy.rs (hadoop_lz4_compressed),
    // apache/arrow-rs parquet/src/arrow/arrow_reader/mod.rs test_read_lz4_raw
    // (lz4_raw_compressed) and test_read_lz4_hadoop_fallback (hadoop_lz4_compressed and
    // non_hadoop_lz4_compressed): c0 = 1593604800, 1593604800, 1593604801, 1593604801; c1 =
    // "abc", "def", "abc", "def" (BINARY without annotation, so B); v11 = 42.0, 7.7, 42.125, 7.7.
    // Neither c0 nor c1 is unique, together they are: the table's partition key is c0, its sort
    // key c1.
    Map<String, Map<String, AttributeValue>> expected = new TreeMap<>();
    Object[][] rows = {
      {1593604800L, "abc", "42"}, {1593604800L, "def", "7.7"},
      {1593604801L, "abc", "42.125"}, {1593604801L, "def", "7.7"}
    };
    for (Object[] row : rows) {
      Map<String, AttributeValue> item =
          Map.of(
              "c0", AttributeValue.fromN(row[0].toString()),
              "c1", AttributeValue.fromB(SdkBytes.fromUtf8String((String) row[1])),
              "v11", AttributeValue.fromN((String) row[2]));
      expected.put(keyOf("c0", "c1").apply(item), item);
    }
    for (String file :
        List.of(
            "hadoop_lz4_compressed.parquet",
            "lz4_raw_compressed.parquet",
            "non_hadoop_lz4_compressed.parquet")) {
      String table =
          aws.createTable("lz4", "c0", ScalarAttributeType.N, "c1", ScalarAttributeType.B);

      JsonNode summary = load(table, data.resolve(file), null);

      assertCounts(summary, 4, 4, 0, 0);
      assertItems(expected, aws.scan(table, keyOf("c0", "c1")));
    }
  }

  @Test
  public void aLogicalTypeTheReaderDoesNotKnowIsReadAsItsPhysicalType() {
    // A BINARY column annotated with a logical type of a made-up Thrift id (README.md: "to check
    // the behaviour of an old reader reading a file written by a new writer"), beside a STRING
    // column. The README gives no values; apache/parquet-format#599 ("Track unknown logical type
    // compatibility across Parquet implementations") shows pyarrow 25 and hyparquet reading three
    // rows: "known string 1" .. "known string 3" and the bytes of "unknown string 1" ..
    // "unknown string 3". Read as its physical type, BINARY, the second column is B.
    Map<String, Map<String, AttributeValue>> expected = new TreeMap<>();
    for (int i = 1; i <= 3; i++) {
      expected.put(
          "known string " + i,
          Map.of(
              "column with known type",
              AttributeValue.fromS("known string " + i),
              "column with unknown type",
              AttributeValue.fromB(SdkBytes.fromUtf8String("unknown string " + i))));
    }
    String table =
        aws.createTable("unknowntype", "column with known type", ScalarAttributeType.S, null, null);

    JsonNode summary = load(table, data.resolve("unknown-logical-type.parquet"), null);

    assertCounts(summary, 3, 3, 0, 0);
    assertItems(expected, aws.scan(table, keyOf("column with known type")));
  }

  @Test
  public void brotliPagesOfTheLargeStringMapHoldWhatItsReadmeSays() {
    // README.md ("Large string map"): written by pyarrow with compression='BROTLI' from
    // pa.array([[("a" * 2**30, 1)]], type=pa.map_(pa.string(), pa.int32())), twice: two rows,
    // each a map of one key of 2^30 'a's to the value 1, so the column chunk holds over 2 GiB.
    // Read here with the job's own reader (ParquetSource's), one row at a time, not loaded: no
    // DynamoDB item can hold a 1 GiB key (the limit is 400 KB), so a load can only reject both
    // rows as ITEM_TOO_LARGE, and the copies a pipeline makes of 2 GiB of strings outgrow this
    // JVM's default heap (a quarter of the machine's 24 GB): tried, that load failed with "Java
    // heap space" after 79 s.
    List<Long> rows = new ArrayList<>();

    long read =
        ReadEachRow.of(
            data.resolve("large_string_map.brotli.parquet").toString(),
            row -> {
              Map<String, Integer> arr = row.getMap("arr");
              assertEquals(1, arr.size());
              Map.Entry<String, Integer> entry = arr.entrySet().iterator().next();
              assertEquals(1 << 30, entry.getKey().length());
              assertTrue(entry.getKey().chars().allMatch(c -> c == 'a'));
              assertEquals(Integer.valueOf(1), entry.getValue());
              rows.add(SourceFields.row(row));
            });

    assertEquals(2, read);
    assertEquals(List.of(0L, 1L), rows);
  }

  @Test
  public void int96TimestampsFromSparkAreInstantsInUtc() throws IOException {
    // int96_from_spark.md: six values, as microseconds since the epoch "1704141296123456,
    // 1704070800000000, 253402225200000000, 1735599600000000, null, 9089380393200000000" (the last
    // one is in the year 290000, past what 64-bit nanoseconds hold). The column is the table's
    // key, so the null one is rejected as MISSING_KEY and kept in the dead letters.
    long[] micros = {
      1704141296123456L,
      1704070800000000L,
      253402225200000000L,
      1735599600000000L,
      9089380393200000000L
    };
    Map<String, Map<String, AttributeValue>> expected = new TreeMap<>();
    // INT96 has nanoseconds: ISO-8601 in UTC with 9 fraction digits.
    java.time.format.DateTimeFormatter nineDigits =
        new java.time.format.DateTimeFormatterBuilder().appendInstant(9).toFormatter();
    for (long m : micros) {
      String instant =
          nineDigits.format(
              Instant.ofEpochSecond(
                  Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000));
      expected.put(instant, Map.of("a", AttributeValue.fromS(instant)));
    }
    // Two spelled out: in UTC, 9 digits, signed past the year 9999.
    assertTrue(expected.containsKey("2024-01-01T20:34:56.123456000Z"));
    assertTrue(expected.containsKey("+290000-12-30T23:00:00.000000000Z"));
    String table = aws.createTable("int96", "a", ScalarAttributeType.S, null, null);
    Path dead = TMP.newFolder(StandInClients.uniqueName("dead")).toPath();

    JsonNode summary = load(table, data.resolve("int96_from_spark.parquet"), dead);

    assertCounts(summary, 6, 5, 0, 1);
    assertItems(expected, aws.scan(table, keyOf("a")));
    List<JsonNode> letters = LoadRun.deadLetters(dead);
    assertEquals(letters.toString(), 1, letters.size());
    JsonNode letter = letters.get(0);
    assertEquals("MISSING_KEY", letter.get("reason").asText());
    assertEquals(4, letter.get("sourceRow").asInt());
    assertEquals(
        data.resolve("int96_from_spark.parquet").toString(), letter.get("sourceFile").asText());
    assertEquals(rows("{\"a\": null}").get(0), letter.get("row"));
  }

  @Test
  public void nonNullableImpalaNestedTypes() {
    // One row. The JSON Impala wrote the file from (apache/impala
    // testdata/ComplexTypesTbl/nonnullable.json); apache/arrow-rs parquet/src/record/reader.rs
    // test_file_reader_rows_nonnullable asserts the same. Map keys are strings; the empty maps are
    // empty M.
    assertLoadsAs(
        "nonnullable.impala.parquet",
        "ID",
        ScalarAttributeType.N,
        """
                [
                {"ID": 8,
                 "Int_Array": [-1],
                 "int_array_array": [[-1,-2],[]],
                 "Int_Map": {"k1": -1},
                 "int_map_array": [{}, {"k1": 1}, {}, {}],
                 "nested_Struct": {
                   "a": -1,
                   "B": [-1],
                   "c": {
                     "D": [
                       [{"e": -1, "f": "nonnullable"}]]},
                   "G": {}}}
                ]
                """);
  }

  @Test
  public void nullableImpalaNestedTypesWithNullsAtEveryLevel() {
    // Seven rows, ids 1-7: the JSON Impala wrote the file from, verbatim (apache/impala
    // testdata/ComplexTypesTbl/nullable.json; a member it leaves out, int_Map_Array of id 5, is
    // null). apache/arrow-rs parquet/src/record/reader.rs test_file_reader_rows_nullable asserts
    // the same rows. By the contract, nulls inside lists stay as NULL and null members of structs
    // and maps are left out.
    assertLoadsAs(
        "nullable.impala.parquet",
        "id",
        ScalarAttributeType.N,
        """
                [
                {"id": 1,
                 "int_array": [1,2,3],
                 "int_array_Array": [[1,2],[3,4]],
                 "int_map": {"k1": 1, "k2": 100},
                 "int_Map_Array": [{"k1": 1}],
                 "nested_struct": {
                   "A": 1,
                   "b": [1],
                   "C": {
                     "d": [
                       [{"E": 10, "F": "aaa"},
                        {"E": -10, "F": "bbb"}],
                       [{"E": 11, "F": "c"}]]},
                   "g": {"foo": {"H": {"i": [1.1]}}}}},
                {"id": 2,
                 "int_array": [null,1,2,null,3,null],
                 "int_array_Array": [[null,1,2,null],[3,null,4],[], null],
                 "int_map": {"k1": 2, "k2": null},
                 "int_Map_Array": [{"k3": null, "k1": 1}, null, {}],
                 "nested_struct": {
                   "A": null,
                   "b": [null],
                   "C": {"d": [
                     [{"E": null, "F": null},
                      {"E": 10, "F": "aaa"},
                      {"E": null, "F": null},
                      {"E": -10, "F": "bbb"},
                      {"E": null, "F": null}],
                     [{"E": 11, "F": "c"},
                      null],
                     [],
                     null]},
                   "g": {
                     "g1": {"H": {"i": [2.2, null]}},
                     "g2": {"H": {"i": []}},
                     "g3": null,
                     "g4": {"H": {"i": null}},
                     "g5": {"H": null}}}},
                {"id": 3,
                 "int_array": [],
                 "int_array_Array": [null],
                 "int_map": {},
                 "int_Map_Array": [null, null],
                 "nested_struct": {
                   "A": null,
                   "b": null,
                   "C": {"d": []},
                   "g": {}}},
                {"id": 4,
                 "int_array": null,
                 "int_array_Array": [],
                 "int_map": {},
                 "int_Map_Array": [],
                 "nested_struct": {
                   "A": null,
                   "b": null,
                   "C": {"d": null},
                   "g": null}},
                {"id": 5,
                 "int_array": null,
                 "int_array_Array": null,
                 "int_map": {},
                 "nested_struct": {
                   "A": null,
                   "b": null,
                   "C": null,
                   "g": {"foo": {"H": {"i": [2.2, 3.3]}}}}},
                {"id": 6,
                 "int_array": null,
                 "int_array_Array": null,
                 "int_map": null,
                 "int_Map_Array": null,
                 "nested_struct": null},
                {"id": 7,
                 "int_array": null,
                 "int_array_Array": [null,[5,6]],
                 "int_map": {"k1": null, "k3": null},
                 "int_Map_Array": null,
                 "nested_struct": {
                   "A": 7,
                   "b": [2,3,null],
                   "C": {"d": [
                     [],
                     [null],
                     null]},
                   "g": null}}
                ]
                """);
  }

  @Test
  public void listColumns() throws IOException {
    // No scalar column. apache/arrow-datafusion datafusion/tests/sql.rs parquet_list_columns:
    // int64_list [1, 2, 3], [None, 1], [4]; utf8_list [abc, efg, hij], None, [efg, None, hij, xyz].
    assertFileWithoutKeyColumn(
        "list_columns.parquet",
        """
        {"int64_list": [1, 2, 3],    "utf8_list": ["abc", "efg", "hij"]}
        {"int64_list": [null, 1],    "utf8_list": null}
        {"int64_list": [4],          "utf8_list": ["efg", null, "hij", "xyz"]}
        """);
  }

  @Test
  public void mapWithoutValuesIsTheListOfItsKeys() throws IOException {
    // No scalar column. map_no_value.md: my_map is {1 -> null, 2 -> null, 3 -> null}, {4.. 6},
    // {7.. 9}; my_map_no_v and my_list are [1, 2, 3], [4, 5, 6], [7, 8, 9]. A MAP without a value
    // field is the list of its keys; my_map's values are all null, so its item M is empty (the
    // dead letters, which keep nulls, show its keys).
    assertFileWithoutKeyColumn(
        "map_no_value.parquet",
        """
        {"my_map": {"1": null, "2": null, "3": null}, "my_map_no_v": [1,2,3], "my_list": [1,2,3]}
        {"my_map": {"4": null, "5": null, "6": null}, "my_map_no_v": [4,5,6], "my_list": [4,5,6]}
        {"my_map": {"7": null, "8": null, "9": null}, "my_map_no_v": [7,8,9], "my_list": [7,8,9]}
        """);
  }

  @Test
  public void nestedMaps() throws IOException {
    // b = 1 and c = 1.0 in all six rows, so no column tells them apart. apache/arrow-rs
    // parquet/src/record/reader.rs test_file_reader_rows_projection_map (a) and
    // test_file_reader_rows_projection (b, c). The inner maps have INT32 keys.
    assertFileWithoutKeyColumn(
        "nested_maps.snappy.parquet",
        """
        {"a": {"a": {"1": true, "2": false}},            "b": 1, "c": 1.0}
        {"a": {"b": {"1": true}},                        "b": 1, "c": 1.0}
        {"a": {"c": null},                               "b": 1, "c": 1.0}
        {"a": {"d": {}},                                 "b": 1, "c": 1.0}
        {"a": {"e": {"1": true}},                        "b": 1, "c": 1.0}
        {"a": {"f": {"3": true, "4": false, "5": true}}, "b": 1, "c": 1.0}
        """);
  }

  @Test
  public void structsOfNulls() throws IOException {
    // Eight rows, each a struct whose only field is null: apache/arrow-rs
    // parquet/src/record/reader.rs test_file_reader_rows_nulls. The struct is there (an empty M);
    // its null field is not.
    assertFileWithoutKeyColumn(
        "nulls.snappy.parquet", "{\"b_struct\": {\"b_c_int\": null}}\n".repeat(8));
  }

  @Test
  public void emptyList() throws IOException {
    // README.md: "an empty list. Generated from this json {"emptylist":[]}"; apache/arrow-rs
    // parquet/src/arrow/arrow_reader/mod.rs test_read_null_list: one row, the list valid and empty.
    assertFileWithoutKeyColumn("null_list.parquet", "{\"emptylist\": []}");
  }

  @Test
  public void singleNanHoldsANull() throws IOException {
    // Despite its name the one value is a null, not NaN: the footer's statistics count one null
    // in one value, apache/datafusion datafusion/core/tests/path_partition.rs (parquet_statistics)
    // reads null_count 1 from them, and LibertyDSNP/parquetjs test/reference-test/first-record.ts
    // expects {mycol: null}. A null attribute is left out, so the item is its key alone.
    assertFileWithoutKeyColumn("single_nan.parquet", "{\"mycol\": null}");
  }

  /**
   * Loads {@code file} into a table keyed by its column {@code key}, whose values are unique, and
   * checks that each row of {@code expectedRows} is an item, as the type contract makes it.
   */
  private static void assertLoadsAs(
      String file, String key, ScalarAttributeType keyType, String expectedRows) {
    List<JsonNode> rows = rows(expectedRows);
    String table = aws.createTable("keyed", key, keyType, null, null);

    JsonNode summary = load(table, data.resolve(file), null);

    assertCounts(summary, rows.size(), rows.size(), 0, 0);
    Map<String, Map<String, AttributeValue>> expected = new TreeMap<>();
    for (JsonNode row : rows) {
      Map<String, AttributeValue> item = item(row);
      expected.put(keyOf(key).apply(item), item);
    }
    assertItems(expected, aws.scan(table, keyOf(key)));
  }

  /**
   * For a file with no column that could key a table (only lists, maps and structs, or the same
   * value in every row): the file goes in twice in one run, as two Hive partitions of one input
   * whose partition column is the table's key. Under {@code source=<file>} all its rows share a
   * key, so the last row in row order is written and the others count as duplicates; under {@code
   * source=__HIVE_DEFAULT_PARTITION__} the key is null, so every row is rejected as MISSING_KEY and
   * its dead letter holds all its values, nulls included. So the item is checked, and every row.
   *
   * <p>{@code __source_row} cannot key a table instead: the key check at start accepts it, but it
   * is never put in an item, so every row would be rejected as MISSING_KEY.
   */
  private void assertFileWithoutKeyColumn(String file, String expectedRows) throws IOException {
    List<JsonNode> expected = rows(expectedRows);
    int n = expected.size();
    String name = file.substring(0, file.length() - ".parquet".length());
    Path input = TMP.newFolder(StandInClients.uniqueName("keyless")).toPath();
    for (String partition : List.of(name, "__HIVE_DEFAULT_PARTITION__")) {
      Path dir = Files.createDirectories(input.resolve(SOURCE + "=" + partition));
      Files.copy(data.resolve(file), dir.resolve(file));
    }
    String table = aws.createTable("keyless", SOURCE, ScalarAttributeType.S, null, null);
    Path dead = TMP.newFolder(StandInClients.uniqueName("dead")).toPath();

    JsonNode summary = load(table, input, dead);

    assertCounts(summary, 2 * n, 1, n - 1, n);
    assertEquals(n, summary.get("rejectedByReason").get("MISSING_KEY").asInt());
    Map<String, AttributeValue> item = new TreeMap<>(aws.scan(table, keyOf(SOURCE)).get(name));
    assertEquals(AttributeValue.fromS(name), item.remove(SOURCE));
    assertEquals(file + ": the last row", item(expected.get(n - 1)), item);
    List<JsonNode> letters = LoadRun.deadLetters(dead);
    letters.sort((a, b) -> a.get("sourceRow").asInt() - b.get("sourceRow").asInt());
    assertEquals(letters.toString(), n, letters.size());
    for (int i = 0; i < n; i++) {
      JsonNode letter = letters.get(i);
      assertEquals("MISSING_KEY", letter.get("reason").asText());
      assertEquals(i, letter.get("sourceRow").asInt());
      ObjectNode row = (ObjectNode) letter.get("row");
      assertTrue(row.toString(), row.remove(SOURCE).isNull());
      assertEquals(file + " row " + i, value(expected.get(i), false), value(row, false));
    }
  }

  /** Runs the job; checks that it completed with every row accounted for; the summary. */
  private static JsonNode load(String table, Path input, Path deadLetters) {
    List<String> args = new ArrayList<>();
    args.add("--inputPath=" + input);
    args.add("--tableName=" + table);
    if (deadLetters != null) {
      args.add("--deadLetterPath=" + deadLetters);
    }
    LoadRun run = LoadRun.of(LoadRun.standInArgs(standIns, args.toArray(new String[0])));
    assertEquals(run.stderr, 0, run.exitCode);
    JsonNode summary = run.summary();
    assertTrue(summary.toString(), summary.get("reconciled").asBoolean());
    return summary;
  }

  private static void assertCounts(
      JsonNode summary, int rowsRead, int itemsWritten, int duplicatesDropped, int rowsRejected) {
    String s = summary.toString();
    assertEquals(s, rowsRead, summary.get("rowsInFiles").asInt());
    assertEquals(s, rowsRead, summary.get("rowsRead").asInt());
    assertEquals(s, itemsWritten, summary.get("itemsWritten").asInt());
    assertEquals(s, duplicatesDropped, summary.get("duplicatesDropped").asInt());
    assertEquals(s, rowsRejected, summary.get("rowsRejected").asInt());
  }

  /** The same keys, and for each key the same item; a mismatch names the key. */
  private static void assertItems(
      Map<String, Map<String, AttributeValue>> expected,
      Map<String, Map<String, AttributeValue>> actual) {
    assertEquals("keys", new TreeMap<>(expected).keySet(), new TreeMap<>(actual).keySet());
    for (Map.Entry<String, Map<String, AttributeValue>> e : expected.entrySet()) {
      assertEquals(
          "item " + e.getKey(), new TreeMap<>(e.getValue()), new TreeMap<>(actual.get(e.getKey())));
    }
  }

  /** The key attributes' values as text (binary as hex), joined by '/'. */
  private static Function<Map<String, AttributeValue>, String> keyOf(String... attributes) {
    return item -> {
      List<String> parts = new ArrayList<>();
      for (String attribute : attributes) {
        parts.add(keyText(item.get(attribute)));
      }
      return String.join("/", parts);
    };
  }

  private static String keyText(AttributeValue key) {
    switch (key.type()) {
      case B:
        return HexFormat.of().formatHex(key.b().asByteArray());
      case N:
        return key.n();
      default:
        return key.s();
    }
  }

  /** The item a row of source values becomes by the type contract. */
  private static Map<String, AttributeValue> item(JsonNode row) {
    return value(row, true).m();
  }

  /**
   * A source value as an attribute value: numbers N (exact, without trailing zeros, as the job
   * writes them), strings S, booleans BOOL, arrays L (null elements NULL), objects M, whose null
   * members are left out when {@code omitNullMembers}, or else kept as NULL.
   */
  private static AttributeValue value(JsonNode v, boolean omitNullMembers) {
    switch (v.getNodeType()) {
      case NULL:
        return AttributeValue.fromNul(true);
      case BOOLEAN:
        return AttributeValue.fromBool(v.booleanValue());
      case NUMBER:
        BigDecimal d = v.decimalValue();
        return AttributeValue.fromN(d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString());
      case STRING:
        return AttributeValue.fromS(v.textValue());
      case ARRAY:
        List<AttributeValue> list = new ArrayList<>();
        v.forEach(e -> list.add(value(e, omitNullMembers)));
        return AttributeValue.fromL(list);
      case OBJECT:
        Map<String, AttributeValue> map = new TreeMap<>();
        v.fields()
            .forEachRemaining(
                e -> {
                  if (!(omitNullMembers && e.getValue().isNull())) {
                    map.put(e.getKey(), value(e.getValue(), omitNullMembers));
                  }
                });
        return AttributeValue.fromM(map);
      default:
        throw new IllegalArgumentException("not a source value: " + v);
    }
  }

  /** One JSON object a line, or one JSON array of objects. */
  private static List<JsonNode> rows(String json) {
    try {
      List<JsonNode> rows = new ArrayList<>();
      if (json.strip().startsWith("[")) {
        JSON.readTree(json).forEach(rows::add);
      } else {
        for (String line : json.strip().split("\n")) {
          rows.add(JSON.readTree(line));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * RFC 4180 rows: quoted fields may hold commas; an empty unquoted field is null, a quoted one the
   * empty string.
   */
  private static List<List<String>> csv(String text) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : text.split("\r?\n")) {
      if (line.isEmpty()) {
        continue;
      }
      List<String> fields = new ArrayList<>();
      int i = 0;
      while (i <= line.length()) {
        if (i < line.length() && line.charAt(i) == '"') {
          StringBuilder field = new StringBuilder();
          i++;
          while (!(line.charAt(i) == '"'
              && (i + 1 == line.length() || line.charAt(i + 1) != '"'))) {
            field.append(line.charAt(i));
            i += line.charAt(i) == '"' ? 2 : 1;
          }
          fields.add(field.toString());
          i += 2; // the closing quote and the comma
        } else {
          int comma = line.indexOf(',', i);
          int end = comma < 0 ? line.length() : comma;
          fields.add(end == i ? null : line.substring(i, end));
          i = end + 1;
        }
      }
      rows.add(fields);
    }
    return rows;
  }
}
