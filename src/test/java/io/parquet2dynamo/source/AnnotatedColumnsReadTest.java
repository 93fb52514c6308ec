package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.parquet2dynamo.item.IsoTimestamps;
import io.parquet2dynamo.item.ItemMapper;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.testing.ParquetFiles;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Reads a real Parquet file with unsigned integers, nanosecond timestamps and times, and INT32
 * decimals through {@link ParquetDataset} and {@link ParquetSource} (so through parquet-avro with
 * the annotated read schema), and checks the Beam rows and the DynamoDB items they become.
 */
public class AnnotatedColumnsReadTest {
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required int32 id; required int32 u8 (UINT_8);"
              + " required int32 u16 (INTEGER(16,false)); optional int32 u32 (INTEGER(32,false));"
              + " optional int64 u64 (UINT_64); required int32 s32 (INTEGER(32,true));"
              + " optional int64 ts (TIMESTAMP(NANOS,true)); optional int64 local"
              + " (TIMESTAMP(NANOS,false)); optional int64 t (TIME(NANOS,true));"
              + " required int32 price (DECIMAL(9,2));"
              + " optional group s { optional int32 n (UINT_32); } }");

  @Test
  public void annotatedColumnsReadAsTheirValues() throws Exception {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    Group first =
        groups
            .newGroup()
            .append("id", 1)
            .append("u8", 255)
            .append("u16", 65535)
            .append("u32", -1) // 4294967295
            .append("u64", -1L) // 18446744073709551615
            .append("s32", -1)
            .append("ts", 1706688930123456789L)
            .append("local", 1706688930123456789L)
            .append("t", 29730123456789L)
            .append("price", 105);
    first.addGroup("s").append("n", Integer.MIN_VALUE); // 2147483648
    Group second =
        groups
            .newGroup()
            .append("id", 2)
            .append("u8", 0)
            .append("u16", 1)
            .append("u64", 42L)
            .append("s32", Integer.MIN_VALUE)
            .append("ts", -1L)
            .append("local", -1L)
            .append("price", -1);
    Path file = folder.getRoot().toPath().resolve("annotated.parquet");
    ParquetFiles.writeGroups(file, SCHEMA, List.of(first, second));

    ParquetDataset dataset = ParquetDataset.scan(file.toString());

    assertEquals(FieldType.INT32, dataset.schema().getField("u8").getType());
    assertEquals(FieldType.INT64.withNullable(true), dataset.schema().getField("u32").getType());
    assertEquals(FieldType.DECIMAL.withNullable(true), dataset.schema().getField("u64").getType());
    assertEquals(FieldType.INT32, dataset.schema().getField("s32").getType());
    // Nanosecond instants, marked with their unit's 9 fraction digits.
    FieldType nanos = IsoTimestamps.withDigits(FieldType.logicalType(new NanosInstant()), 9);
    assertEquals(nanos.withNullable(true), dataset.schema().getField("ts").getType());
    // Not UTC-adjusted timestamps are taken as UTC, as the type contract says.
    assertEquals(nanos.withNullable(true), dataset.schema().getField("local").getType());
    assertEquals(
        FieldType.logicalType(SqlTypes.TIME).withNullable(true),
        dataset.schema().getField("t").getType());
    assertEquals(FieldType.DECIMAL, dataset.schema().getField("price").getType());

    PCollection<Row> rows = pipeline.apply(new ParquetSource(dataset));
    PAssert.that(rows).satisfies(new CheckRows(dataset.schema()));
    pipeline.run().waitUntilFinish();
  }

  /** The checks on the rows read; a class of its own so that Beam can serialize it. */
  private static final class CheckRows implements SerializableFunction<Iterable<Row>, Void> {
    private final Schema schema;

    CheckRows(Schema schema) {
      this.schema = schema;
    }

    @Override
    public Void apply(Iterable<Row> read) {
      List<Row> sorted = new ArrayList<>();
      read.forEach(sorted::add);
      sorted.sort(Comparator.comparing(r -> r.getInt32("id")));
      assertEquals(2, sorted.size());
      Row a = sorted.get(0);
      assertEquals(Integer.valueOf(255), a.getInt32("u8"));
      assertEquals(Integer.valueOf(65535), a.getInt32("u16"));
      assertEquals(Long.valueOf(4294967295L), a.getInt64("u32"));
      assertEquals(new BigDecimal("18446744073709551615"), a.getDecimal("u64"));
      assertEquals(Integer.valueOf(-1), a.getInt32("s32"));
      assertEquals(
          Instant.parse("2024-01-31T08:15:30.123456789Z"),
          a.getLogicalTypeValue("ts", Instant.class));
      assertEquals(
          Instant.parse("2024-01-31T08:15:30.123456789Z"),
          a.getLogicalTypeValue("local", Instant.class));
      assertEquals(LocalTime.of(8, 15, 30, 123456789), a.getLogicalTypeValue("t", LocalTime.class));
      assertEquals(new BigDecimal("1.05"), a.getDecimal("price"));
      assertEquals(Long.valueOf(2147483648L), a.getRow("s").getInt64("n"));
      Row b = sorted.get(1);
      assertNull(b.getValue("u32"));
      assertEquals(new BigDecimal("42"), b.getDecimal("u64"));
      assertEquals(Integer.valueOf(Integer.MIN_VALUE), b.getInt32("s32"));
      assertEquals(
          Instant.parse("1969-12-31T23:59:59.999999999Z"),
          b.getLogicalTypeValue("ts", Instant.class));
      assertEquals(
          Instant.parse("1969-12-31T23:59:59.999999999Z"),
          b.getLogicalTypeValue("local", Instant.class));
      assertNull(b.getValue("t"));
      assertNull(b.getValue("s"));
      assertEquals(new BigDecimal("-0.01"), b.getDecimal("price"));

      // And the items DynamoDB gets: numbers exact, times as ISO-8601 with every digit.
      Map<String, AttributeValue> item;
      try {
        item =
            new ItemMapper(schema, TableKey.of("t", "id", ScalarAttributeType.N, null, null))
                .toItem(a);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertEquals(AttributeValue.fromN("4294967295"), item.get("u32"));
      assertEquals(AttributeValue.fromN("18446744073709551615"), item.get("u64"));
      assertEquals(AttributeValue.fromN("255"), item.get("u8"));
      assertEquals(AttributeValue.fromS("2024-01-31T08:15:30.123456789Z"), item.get("ts"));
      assertEquals(AttributeValue.fromS("2024-01-31T08:15:30.123456789Z"), item.get("local"));
      assertEquals(AttributeValue.fromS("08:15:30.123456789"), item.get("t"));
      assertEquals(
          AttributeValue.fromM(Map.of("n", AttributeValue.fromN("2147483648"))), item.get("s"));
      return null;
    }
  }
}
