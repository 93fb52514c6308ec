package io.parquet2dynamo.source;

import io.parquet2dynamo.InvalidInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;

/**
 * The one place where Avro (as parquet-avro reads Parquet) becomes Beam: schemas, and values
 * through converters chosen once per column, not per value.
 *
 * <p>Beam types chosen: decimals of every Parquet encoding become DECIMAL (exact); DATE, TIME and
 * local timestamps become Beam's SQL date/time types; UTC timestamps become {@link
 * SqlTypes#TIMESTAMP} (microsecond instants), or {@link NanosInstant} when stored in nanoseconds;
 * unsigned 32-bit integers become INT64 and unsigned 64-bit ones DECIMAL; enums and UUIDs become
 * strings; fixed becomes bytes. Beam's own {@code AvroUtils} is not used: it drops timestamp-micros
 * to a plain long and fails on decimals not stored as bytes.
 */
final class AvroRows {
  private AvroRows() {}

  /** Beam schema of an Avro record schema; {@code where} names the file in errors. */
  static Schema toBeamSchema(org.apache.avro.Schema record, String where) {
    Schema.Builder builder = Schema.builder();
    for (org.apache.avro.Schema.Field field : record.getFields()) {
      builder.addField(field.name(), toBeamType(field.schema(), field.name(), where));
    }
    return builder.build();
  }

  static FieldType toBeamType(org.apache.avro.Schema avro, String column, String where) {
    boolean nullable = false;
    if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
      org.apache.avro.Schema nonNull = null;
      for (org.apache.avro.Schema branch : avro.getTypes()) {
        if (branch.getType() == org.apache.avro.Schema.Type.NULL) {
          nullable = true;
        } else if (nonNull == null) {
          nonNull = branch;
        } else {
          throw new InvalidInputException(
              where
                  + ": column '"
                  + column
                  + "' is a union of several types, which is not supported");
        }
      }
      if (nonNull == null) {
        throw new InvalidInputException(where + ": column '" + column + "' has no type but null");
      }
      avro = nonNull;
    }
    return baseType(avro, column, where).withNullable(nullable);
  }

  private static FieldType baseType(org.apache.avro.Schema avro, String column, String where) {
    ParquetAnnotations.Kind marked = ParquetAnnotations.kindOf(avro);
    if (marked != null) {
      switch (marked) {
        case DECIMAL:
        case UINT64:
          return FieldType.DECIMAL;
        case UINT32:
          return FieldType.INT64;
        case TIMESTAMP_NANOS:
          return FieldType.logicalType(new NanosInstant());
        case LOCAL_TIMESTAMP_NANOS:
          return FieldType.logicalType(SqlTypes.DATETIME);
        case TIME_NANOS:
          return FieldType.logicalType(SqlTypes.TIME);
      }
    }
    LogicalType logical = avro.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal) {
      return FieldType.DECIMAL;
    } else if (logical instanceof LogicalTypes.Date) {
      return FieldType.logicalType(SqlTypes.DATE);
    } else if (logical instanceof LogicalTypes.TimeMillis
        || logical instanceof LogicalTypes.TimeMicros) {
      return FieldType.logicalType(SqlTypes.TIME);
    } else if (logical instanceof LogicalTypes.TimestampMillis
        || logical instanceof LogicalTypes.TimestampMicros) {
      return FieldType.logicalType(SqlTypes.TIMESTAMP);
    } else if (logical instanceof LogicalTypes.LocalTimestampMillis
        || logical instanceof LogicalTypes.LocalTimestampMicros) {
      return FieldType.logicalType(SqlTypes.DATETIME);
    } else if (logical != null && "uuid".equals(logical.getName())) {
      return FieldType.STRING;
    }
    switch (avro.getType()) {
      case BOOLEAN:
        return FieldType.BOOLEAN;
      case INT:
        return FieldType.INT32;
      case LONG:
        return FieldType.INT64;
      case FLOAT:
        return FieldType.FLOAT;
      case DOUBLE:
        return FieldType.DOUBLE;
      case STRING:
      case ENUM:
        return FieldType.STRING;
      case BYTES:
      case FIXED:
        return FieldType.BYTES;
      case ARRAY:
        return FieldType.array(toBeamType(avro.getElementType(), column + "[]", where));
      case MAP:
        return FieldType.map(
            FieldType.STRING, toBeamType(avro.getValueType(), column + "{}", where));
      case RECORD:
        Schema.Builder nested = Schema.builder();
        for (org.apache.avro.Schema.Field f : avro.getFields()) {
          nested.addField(f.name(), toBeamType(f.schema(), column + "." + f.name(), where));
        }
        return FieldType.row(nested.build());
      default:
        throw new InvalidInputException(
            where
                + ": column '"
                + column
                + "' has Avro type "
                + avro.getType()
                + ", which is not supported");
    }
  }

  /** Converts one Avro value; null passes through. */
  interface ValueConverter {
    Object convert(Object avroValue);
  }

  /**
   * A converter from records of {@code fileSchema} to rows of {@code target}: target fields absent
   * from the file become null; {@code extra} supplies the values of target fields from outside the
   * file (partition columns and source fields) by name.
   */
  static final class RecordConverter {
    private final Schema target;
    private final int[] avroPositions;
    private final ValueConverter[] converters;

    RecordConverter(org.apache.avro.Schema fileSchema, Schema target) {
      this.target = target;
      int n = target.getFieldCount();
      this.avroPositions = new int[n];
      this.converters = new ValueConverter[n];
      for (int i = 0; i < n; i++) {
        Schema.Field field = target.getField(i);
        org.apache.avro.Schema.Field avroField = fileSchema.getField(field.getName());
        avroPositions[i] = avroField == null ? -1 : avroField.pos();
        converters[i] = avroField == null ? null : converter(avroField.schema(), field.getType());
      }
    }

    /** The row for {@code record}; {@code extra} holds the values of fields not in the file. */
    Row convert(GenericRecord record, Map<String, Object> extra) {
      List<Object> values = new ArrayList<>(avroPositions.length);
      for (int i = 0; i < avroPositions.length; i++) {
        if (avroPositions[i] >= 0) {
          values.add(converters[i].convert(record.get(avroPositions[i])));
        } else {
          values.add(extra.get(target.getField(i).getName()));
        }
      }
      return Row.withSchema(target).attachValues(values);
    }
  }

  static ValueConverter converter(org.apache.avro.Schema avro, FieldType type) {
    org.apache.avro.Schema base = nonNullBranch(avro);
    ValueConverter inner = baseConverter(base, type);
    return value -> value == null ? null : inner.convert(value);
  }

  private static org.apache.avro.Schema nonNullBranch(org.apache.avro.Schema avro) {
    if (avro.getType() != org.apache.avro.Schema.Type.UNION) {
      return avro;
    }
    for (org.apache.avro.Schema branch : avro.getTypes()) {
      if (branch.getType() != org.apache.avro.Schema.Type.NULL) {
        return branch;
      }
    }
    return avro;
  }

  private static ValueConverter baseConverter(org.apache.avro.Schema avro, FieldType type) {
    ParquetAnnotations.Kind marked = ParquetAnnotations.kindOf(avro);
    if (marked != null) {
      switch (marked) {
        case DECIMAL:
          {
            int scale = ParquetAnnotations.scaleOf(avro);
            return value -> BigDecimal.valueOf(((Number) value).longValue(), scale);
          }
        case UINT32:
          return value -> Integer.toUnsignedLong((Integer) value);
        case UINT64:
          return value -> new BigDecimal(Long.toUnsignedString((Long) value));
        case TIMESTAMP_NANOS:
          return value -> instantOfNanos((Long) value);
        case LOCAL_TIMESTAMP_NANOS:
          return value -> LocalDateTime.ofInstant(instantOfNanos((Long) value), ZoneOffset.UTC);
        case TIME_NANOS:
          return value -> LocalTime.ofNanoOfDay((Long) value);
      }
    }
    LogicalType logical = avro.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal) {
      int scale = ((LogicalTypes.Decimal) logical).getScale();
      return value -> decimal(value, scale);
    } else if (logical instanceof LogicalTypes.Date) {
      return value -> value instanceof LocalDate ? value : LocalDate.ofEpochDay((Integer) value);
    } else if (logical instanceof LogicalTypes.TimeMillis) {
      return value ->
          value instanceof LocalTime ? value : LocalTime.ofNanoOfDay((Integer) value * 1_000_000L);
    } else if (logical instanceof LogicalTypes.TimeMicros) {
      return value ->
          value instanceof LocalTime ? value : LocalTime.ofNanoOfDay((Long) value * 1_000L);
    } else if (logical instanceof LogicalTypes.TimestampMillis) {
      return value -> value instanceof Instant ? value : Instant.ofEpochMilli((Long) value);
    } else if (logical instanceof LogicalTypes.TimestampMicros) {
      return value -> value instanceof Instant ? value : instantOfMicros((Long) value);
    } else if (logical instanceof LogicalTypes.LocalTimestampMillis) {
      return value ->
          value instanceof LocalDateTime
              ? value
              : LocalDateTime.ofInstant(Instant.ofEpochMilli((Long) value), ZoneOffset.UTC);
    } else if (logical instanceof LogicalTypes.LocalTimestampMicros) {
      return value ->
          value instanceof LocalDateTime
              ? value
              : LocalDateTime.ofInstant(instantOfMicros((Long) value), ZoneOffset.UTC);
    } else if (logical != null && "uuid".equals(logical.getName())) {
      return value ->
          value instanceof GenericFixed ? uuid(((GenericFixed) value).bytes()) : value.toString();
    }
    switch (avro.getType()) {
      case STRING:
      case ENUM:
        return Object::toString;
      case BYTES:
        return value -> bytes((ByteBuffer) value);
      case FIXED:
        return value -> ((GenericFixed) value).bytes().clone();
      case ARRAY:
        {
          FieldType elementType = type.getCollectionElementType();
          ValueConverter element = converter(avro.getElementType(), elementType);
          return value -> {
            List<?> list = (List<?>) value;
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
              out.add(element.convert(e));
            }
            return out;
          };
        }
      case MAP:
        {
          ValueConverter mapValue = converter(avro.getValueType(), type.getMapValueType());
          return value -> {
            Map<?, ?> map = (Map<?, ?>) value;
            Map<String, Object> out = new LinkedHashMap<>(map.size() * 2);
            for (Map.Entry<?, ?> e : map.entrySet()) {
              out.put(e.getKey().toString(), mapValue.convert(e.getValue()));
            }
            return out;
          };
        }
      case RECORD:
        {
          RecordConverter nested = new RecordConverter(avro, type.getRowSchema());
          Map<String, Object> none = Map.of();
          return value -> nested.convert((GenericRecord) value, none);
        }
      default:
        // BOOLEAN, INT, LONG, FLOAT, DOUBLE arrive boxed as Beam wants them.
        return value -> value;
    }
  }

  private static Object decimal(Object value, int scale) {
    if (value instanceof BigDecimal) {
      return value;
    } else if (value instanceof Integer) {
      return BigDecimal.valueOf((Integer) value, scale);
    } else if (value instanceof Long) {
      return BigDecimal.valueOf((Long) value, scale);
    } else if (value instanceof ByteBuffer) {
      return new BigDecimal(new BigInteger(bytes((ByteBuffer) value)), scale);
    } else if (value instanceof GenericFixed) {
      return new BigDecimal(new BigInteger(((GenericFixed) value).bytes()), scale);
    }
    throw new IllegalArgumentException("unexpected decimal value of " + value.getClass());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  private static Instant instantOfMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  private static Instant instantOfNanos(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  private static String uuid(byte[] b) {
    ByteBuffer buffer = ByteBuffer.wrap(b);
    return new UUID(buffer.getLong(), buffer.getLong()).toString();
  }
}
