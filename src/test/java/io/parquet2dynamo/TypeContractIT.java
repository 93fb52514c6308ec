package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.ParquetFiles;
import io.parquet2dynamo.testing.StandInClients;
import io.parquet2dynamo.testing.WithStandIns;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The type contract of docs/TYPES.md, row by row, through the whole job into DynamoDB Local: one
 * Parquet file holds a column of every Parquet type the contract lists, and rows that sit on each
 * of DynamoDB's limits or just past it. Expected values are written out by hand from the Parquet
 * values, not computed with the code under test.
 */
public class TypeContractIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /** Struct levels of the {@code deep} column: one more than an attribute may nest. */
  private static final int DEEP_LEVELS = 32;

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message contract {"
              + " required int32 id;"
              + " optional boolean bool;"
              + " optional int32 i8 (INTEGER(8,true));"
              + " optional int32 u8 (INTEGER(8,false));"
              + " optional int64 i64;"
              + " optional int64 u64 (INTEGER(64,false));"
              + " optional int32 dec_i32 (DECIMAL(9,2));"
              + " optional int64 dec_i64 (DECIMAL(18,4));"
              + " optional fixed_len_byte_array(16) dec_fixed (DECIMAL(38,10));"
              + " optional binary dec_bin (DECIMAL(45,0));"
              + " optional float f;"
              + " optional double d;"
              + " optional fixed_len_byte_array(2) f16 (FLOAT16);"
              + " optional binary s (STRING);"
              + " optional binary e (ENUM);"
              + " optional binary j (JSON);"
              + " optional fixed_len_byte_array(16) u (UUID);"
              + " optional binary bin;"
              + " optional fixed_len_byte_array(3) fixed;"
              + " optional int32 date (DATE);"
              + " optional int32 t_ms (TIME(MILLIS,true));"
              + " optional int64 t_us (TIME(MICROS,true));"
              + " optional int64 t_ns (TIME(NANOS,false));"
              + " optional int64 ts_ms (TIMESTAMP(MILLIS,true));"
              + " optional int64 ts_us (TIMESTAMP(MICROS,false));"
              + " optional int64 ts_ns (TIMESTAMP(NANOS,true));"
              + " optional int96 ts96;"
              + " optional group list3 (LIST) { repeated group list { optional int32 element; } }"
              + " optional group list2 (LIST) { repeated int32 array; }"
              + " repeated binary rep (STRING);"
              + " optional group m (MAP) { repeated group key_value {"
              + "   required binary key (STRING); optional int32 value; } }"
              + " optional group mi (MAP) { repeated group key_value {"
              + "   required int32 key; optional binary value (STRING); } }"
              + " optional group st { optional binary name (STRING); optional int32 n; }"
              + deepGroup(DEEP_LEVELS)
              + " }");

  private static final AttributeValue NULL = AttributeValue.fromNul(true);

  /**
   * Binary bytes that make row 10 exactly 400 KB: "id" (2) + N 10 (2: a byte per two digits, plus
   * one) + "bin" (3) + the bytes + "rep" (3) + its empty list (3).
   */
  private static final int AT_LIMIT_BYTES = 400 * 1024 - 13;

  private static Path file;

  @BeforeClass
  public static void setUp() throws IOException {
    file = TMP.getRoot().toPath().resolve("contract.parquet");
    ParquetFiles.writeGroups(file, SCHEMA, rows());
  }

  /** {@code optional group deep { optional group d { ... optional int32 leaf; } }}. */
  private static String deepGroup(int levels) {
    StringBuilder open = new StringBuilder(" optional group deep {");
    for (int i = 1; i < levels; i++) {
      open.append(" optional group d {");
    }
    return open + " optional int32 leaf;" + " }".repeat(levels);
  }

  /** Fills {@code levels} nested groups of {@code deep}, the last one with its leaf. */
  private static void deep(Group row, int levels) {
    Group g = row.addGroup("deep");
    for (int i = 1; i < levels; i++) {
      g = g.addGroup("d");
    }
    if (levels == DEEP_LEVELS) {
      g.append("leaf", 1);
    }
  }

  private static Binary bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return Binary.fromConstantByteArray(b);
  }

  /** A decimal's unscaled value as {@code width} big-endian two's-complement bytes. */
  private static Binary fixedDecimal(String unscaled, int width) {
    byte[] value = new BigInteger(unscaled).toByteArray();
    byte[] padded = new byte[width];
    System.arraycopy(value, 0, padded, width - value.length, value.length);
    return Binary.fromConstantByteArray(padded);
  }

  /** INT96 as Spark writes it: nanoseconds of the day, then the Julian day, little-endian. */
  private static Binary int96(long julianDay, long nanosOfDay) {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(nanosOfDay).putInt((int) julianDay);
    return Binary.fromConstantByteArray(b.array());
  }

  private static List<Group> rows() {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    List<Group> rows = new ArrayList<>();

    // 1: a value in every column.
    Group all = groups.newGroup().append("id", 1);
    all.append("bool", true).append("i8", -128).append("u8", 255);
    all.append("i64", Long.MAX_VALUE).append("u64", -1L);
    all.append("dec_i32", 12345).append("dec_i64", -1L);
    all.append("dec_fixed", fixedDecimal("12345678901234567890123456789012345678", 16));
    all.append("dec_bin", Binary.fromConstantByteArray(BigInteger.TEN.pow(39).toByteArray()));
    all.append("f", 1.1f).append("d", 0.1 + 0.2);
    // The half-precision value nearest 0.1 (0x2e66, 0.0999755859375), little-endian.
    all.append("f16", bytes(0x66, 0x2e));
    all.append("s", "héllo ✓").append("e", "RED").append("j", "{\"a\": [1, 2]}");
    all.append(
        "u",
        bytes(
            0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2,
            0xe1, 0xf0));
    all.append("bin", bytes(0, 1, 2, 0xff)).append("fixed", bytes(9, 8, 7));
    all.append("date", (int) LocalDate.of(2024, 1, 31).toEpochDay());
    all.append("t_ms", 29_730_123).append("t_us", 29_730_123_456L);
    all.append("t_ns", 29_730_123_456_789L);
    all.append("ts_ms", 1_706_688_930_123L).append("ts_us", 1_706_688_930_123_456L);
    all.append("ts_ns", 1_706_688_930_123_456_789L);
    // 2024-01-31 is Julian day 2460341 (the Unix epoch is Julian day 2440588, plus 19753 days).
    all.append("ts96", int96(2_460_341, 29_730_123_456_789L));
    Group list3 = all.addGroup("list3");
    list3.addGroup("list").append("element", 1);
    list3.addGroup("list");
    list3.addGroup("list").append("element", 3);
    all.addGroup("list2").append("array", 4).append("array", 5);
    all.append("rep", "a").append("rep", "b");
    Group m = all.addGroup("m");
    m.addGroup("key_value").append("key", "a").append("value", 1);
    m.addGroup("key_value").append("key", "b");
    Group mi = all.addGroup("mi");
    mi.addGroup("key_value").append("key", 1).append("value", "x");
    mi.addGroup("key_value").append("key", 2).append("value", "y");
    all.addGroup("st").append("name", "n");
    deep(all, DEEP_LEVELS - 1);
    rows.add(all);

    // 2: only the key.
    rows.add(groups.newGroup().append("id", 2));
    // 3, 4, 5: numbers DynamoDB cannot hold.
    rows.add(groups.newGroup().append("id", 3).append("d", Double.NaN));
    rows.add(groups.newGroup().append("id", 4).append("d", Double.NEGATIVE_INFINITY));
    rows.add(
        groups
            .newGroup()
            .append("id", 5)
            .append(
                "dec_bin",
                Binary.fromConstantByteArray(
                    BigInteger.TEN.pow(39).add(BigInteger.ONE).toByteArray())));
    // 6: below DynamoDB's smallest positive number, 1E-130.
    rows.add(groups.newGroup().append("id", 6).append("d", 1e-200));
    // 7: an item over 400 KB.
    rows.add(
        groups
            .newGroup()
            .append("id", 7)
            .append("bin", Binary.fromConstantByteArray(new byte[400 * 1024])));
    // 8: empty string and empty binary, which DynamoDB takes outside keys; timestamps on a whole
    // second, which keep their column's fraction digits.
    Group eight = groups.newGroup().append("id", 8).append("s", "").append("bin", Binary.EMPTY);
    eight.append("ts_ms", 1_706_688_930_000L).append("ts_us", 1_706_688_930_000_000L);
    eight.append("ts_ns", 1_706_688_930_000_000_000L);
    eight.append("ts96", int96(2_460_341, 29_730_000_000_000L));
    rows.add(eight);
    // 9: nested one level too deep.
    Group tooDeep = groups.newGroup().append("id", 9);
    deep(tooDeep, DEEP_LEVELS);
    rows.add(tooDeep);
    // 10: an item of exactly 400 KB by DynamoDB's size rules.
    rows.add(
        groups
            .newGroup()
            .append("id", 10)
            .append("bin", Binary.fromConstantByteArray(new byte[AT_LIMIT_BYTES])));
    return rows;
  }

  private static final class Loaded {
    final LoadRun run;
    final Map<String, Map<String, AttributeValue>> items;
    final Map<Integer, String> rejected = new TreeMap<>();

    Loaded(String... options) throws IOException {
      String table = aws.createTable("contract", "id", ScalarAttributeType.N, null, null);
      Path dead = TMP.newFolder(StandInClients.uniqueName("dead")).toPath();
      List<String> args =
          new ArrayList<>(
              List.of("--inputPath=" + file, "--tableName=" + table, "--deadLetterPath=" + dead));
      args.addAll(Arrays.asList(options));
      run = LoadRun.of(LoadRun.standInArgs(standIns, args.toArray(new String[0])));
      items = aws.scan(table, i -> i.get("id").n());
      for (JsonNode letter : LoadRun.deadLetters(dead)) {
        rejected.put(letter.get("row").get("id").asInt(), letter.get("reason").asText());
      }
    }
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(String value) {
    return AttributeValue.fromN(value);
  }

  private static AttributeValue b(int... values) {
    return AttributeValue.fromB(SdkBytes.fromByteArray(bytes(values).getBytes()));
  }

  private static AttributeValue l(AttributeValue... values) {
    return AttributeValue.fromL(List.of(values));
  }

  /** The row-1 values that do not depend on the options. */
  private static void assertFixedValues(Map<String, AttributeValue> one) {
    assertEquals(AttributeValue.fromBool(true), one.get("bool"));
    assertEquals(n("-128"), one.get("i8"));
    assertEquals(n("255"), one.get("u8"));
    assertEquals(n("9223372036854775807"), one.get("i64"));
    assertEquals(n("18446744073709551615"), one.get("u64"));
    assertEquals(n("123.45"), one.get("dec_i32"));
    assertEquals(n("-0.0001"), one.get("dec_i64"));
    assertEquals(n("1234567890123456789012345678.9012345678"), one.get("dec_fixed"));
    assertEquals(n("1000000000000000000000000000000000000000"), one.get("dec_bin"));
    assertEquals(n("1.1"), one.get("f"));
    assertEquals(n("0.30000000000000004"), one.get("d"));
    assertEquals(n("0.1"), one.get("f16"));
    assertEquals(s("héllo ✓"), one.get("s"));
    assertEquals(s("RED"), one.get("e"));
    assertEquals(s("{\"a\": [1, 2]}"), one.get("j"));
    assertEquals(s("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"), one.get("u"));
    assertEquals(b(0, 1, 2, 0xff), one.get("bin"));
    assertEquals(b(9, 8, 7), one.get("fixed"));
    assertEquals(s("2024-01-31"), one.get("date"));
    assertEquals(s("08:15:30.123"), one.get("t_ms"));
    assertEquals(s("08:15:30.123456"), one.get("t_us"));
    assertEquals(s("08:15:30.123456789"), one.get("t_ns"));
    assertEquals(l(n("4"), n("5")), one.get("list2"));
    assertEquals(l(s("a"), s("b")), one.get("rep"));
    assertEquals(AttributeValue.fromM(Map.of("1", s("x"), "2", s("y"))), one.get("mi"));
  }

  /** What row 1's {@code deep} column becomes: 31 maps, the innermost empty. */
  private static AttributeValue deepest(boolean nulls) {
    AttributeValue value = AttributeValue.fromM(nulls ? Map.of("d", NULL) : Map.of());
    for (int i = 1; i < DEEP_LEVELS - 1; i++) {
      value = AttributeValue.fromM(Map.of("d", value));
    }
    return value;
  }

  @Test
  public void everyParquetTypeLoadsInItsDocumentedFormAndEveryLimitIsEnforced() throws IOException {
    Loaded load = new Loaded();

    assertEquals(load.run.stderr, 0, load.run.exitCode);
    JsonNode summary = load.run.summary();
    assertEquals(10, summary.get("rowsRead").asInt());
    assertEquals(4, summary.get("itemsWritten").asInt());
    assertEquals(6, summary.get("rowsRejected").asInt());
    assertTrue(summary.get("reconciled").asBoolean());
    assertEquals(
        Map.of(
            3, "NUMBER_NOT_REPRESENTABLE",
            4, "NUMBER_NOT_REPRESENTABLE",
            5, "NUMBER_NOT_REPRESENTABLE",
            6, "NUMBER_NOT_REPRESENTABLE",
            7, "ITEM_TOO_LARGE",
            9, "NESTING_TOO_DEEP"),
        load.rejected);
    assertEquals(List.of("1", "10", "2", "8"), load.items.keySet().stream().sorted().toList());

    Map<String, AttributeValue> one = load.items.get("1");
    assertFixedValues(one);
    assertEquals(s("2024-01-31T08:15:30.123Z"), one.get("ts_ms"));
    assertEquals(s("2024-01-31T08:15:30.123456Z"), one.get("ts_us"));
    assertEquals(s("2024-01-31T08:15:30.123456789Z"), one.get("ts_ns"));
    assertEquals(s("2024-01-31T08:15:30.123456789Z"), one.get("ts96"));
    // Nulls: NULL inside a list, omitted from maps and structs.
    assertEquals(l(n("1"), NULL, n("3")), one.get("list3"));
    assertEquals(AttributeValue.fromM(Map.of("a", n("1"))), one.get("m"));
    assertEquals(AttributeValue.fromM(Map.of("name", s("n"))), one.get("st"));
    assertEquals(deepest(false), one.get("deep"));
    assertEquals(34, one.size());

    // A repeated field with no values is an empty list; every null column is left out.
    assertEquals(Map.of("id", n("2"), "rep", l()), load.items.get("2"));
    // ISO timestamps have their unit's fraction digits (3, 6, 9; INT96 9), so that text order is
    // time order: Instant#toString would write 2024-01-31T08:15:30Z, after ...30.123Z as text.
    assertEquals(
        Map.of(
            "id", n("8"),
            "s", s(""),
            "bin", b(),
            "rep", l(),
            "ts_ms", s("2024-01-31T08:15:30.000Z"),
            "ts_us", s("2024-01-31T08:15:30.000000Z"),
            "ts_ns", s("2024-01-31T08:15:30.000000000Z"),
            "ts96", s("2024-01-31T08:15:30.000000000Z")),
        load.items.get("8"));
    assertEquals(AT_LIMIT_BYTES, load.items.get("10").get("bin").b().asByteArrayUnsafe().length);
  }

  @Test
  public void optionsWriteTimestampsAsEpochNumbersAndNullsAsNull() throws IOException {
    Loaded load = new Loaded("--timestampFormat=epochMicros", "--nullPolicy=null");

    assertEquals(load.run.stderr, 0, load.run.exitCode);
    Map<String, AttributeValue> one = load.items.get("1");
    assertFixedValues(one);
    assertEquals(n("1706688930123000"), one.get("ts_ms"));
    assertEquals(n("1706688930123456"), one.get("ts_us"));
    // Rounded down to the unit.
    assertEquals(n("1706688930123456"), one.get("ts_ns"));
    assertEquals(n("1706688930123456"), one.get("ts96"));
    assertEquals(l(n("1"), NULL, n("3")), one.get("list3"));
    assertEquals(AttributeValue.fromM(Map.of("a", n("1"), "b", NULL)), one.get("m"));
    assertEquals(AttributeValue.fromM(Map.of("name", s("n"), "n", NULL)), one.get("st"));
    assertEquals(deepest(true), one.get("deep"));

    // Every column of row 2 is there, NULL but the key and the repeated field.
    Map<String, AttributeValue> two = load.items.get("2");
    assertEquals(SCHEMA.getFieldCount(), two.size());
    for (Map.Entry<String, AttributeValue> e : two.entrySet()) {
      if (!e.getKey().equals("id") && !e.getKey().equals("rep")) {
        assertEquals(e.getKey(), NULL, e.getValue());
      }
    }
  }
}
