package io.parquet2dynamo.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a hand-written loader does with parquet-avro: read each file with {@link AvroParquetReader}
 * (decimals, timestamps and dates converted by Avro's own logical-type conversions) and turn each
 * record into the same DynamoDB item the job writes: numbers as N, strings as S, booleans as BOOL,
 * the timestamp and the date as ISO-8601 S, the list as L, the struct as M, nulls left out. The
 * baselines share it, so they differ only in how they drive it.
 */
final class AvroItems {
  private static final GenericData MODEL = new GenericData();

  static {
    MODEL.addLogicalTypeConversion(new Conversions.DecimalConversion());
    MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
    MODEL.addLogicalTypeConversion(new TimeConversions.DateConversion());
  }

  private AvroItems() {}

  /** The Parquet files of a directory, in name order. */
  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  static ParquetReader<GenericRecord> reader(Path file) throws IOException {
    return AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
        .withDataModel(MODEL)
        .build();
  }

  static Map<String, AttributeValue> item(GenericRecord record) {
    List<Schema.Field> fields = record.getSchema().getFields();
    Map<String, AttributeValue> item = new HashMap<>(fields.size() * 2);
    for (Schema.Field field : fields) {
      Object value = record.get(field.pos());
      if (value != null) {
        item.put(field.name(), value(value));
      }
    }
    return item;
  }

  private static AttributeValue value(Object value) {
    if (value instanceof CharSequence) {
      return AttributeValue.fromS(value.toString());
    }
    if (value instanceof Integer || value instanceof Long) {
      return AttributeValue.fromN(value.toString());
    }
    if (value instanceof Double || value instanceof Float) {
      return AttributeValue.fromN(value.toString());
    }
    if (value instanceof BigDecimal) {
      return AttributeValue.fromN(((BigDecimal) value).toPlainString());
    }
    if (value instanceof Boolean) {
      return AttributeValue.fromBool((Boolean) value);
    }
    if (value instanceof Instant || value instanceof LocalDate) {
      return AttributeValue.fromS(value.toString());
    }
    if (value instanceof GenericRecord) {
      return AttributeValue.fromM(item((GenericRecord) value));
    }
    if (value instanceof List) {
      List<?> list = (List<?>) value;
      AttributeValue[] values = new AttributeValue[list.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = value(list.get(i));
      }
      return AttributeValue.fromL(List.of(values));
    }
    if (value instanceof java.nio.ByteBuffer) {
      return AttributeValue.fromB(SdkBytes.fromByteBuffer((java.nio.ByteBuffer) value));
    }
    throw new IllegalArgumentException("no DynamoDB type for " + value.getClass());
  }

  /** An item's size as DynamoDB counts it (names plus values), to report the data set's shape. */
  static long size(Map<String, AttributeValue> item) {
    long bytes = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      bytes += e.getKey().length() + size(e.getValue());
    }
    return bytes;
  }

  private static long size(AttributeValue v) {
    switch (v.type()) {
      case S:
        return v.s().length();
      case N:
        return v.n().length() / 2 + 1;
      case BOOL:
        return 1;
      case L:
        return 3 + v.l().stream().mapToLong(x -> 1 + size(x)).sum();
      case M:
        return 3
            + v.m().entrySet().stream()
                .mapToLong(e -> 1 + e.getKey().length() + size(e.getValue()))
                .sum();
      default:
        return v.toString().length();
    }
  }
}
