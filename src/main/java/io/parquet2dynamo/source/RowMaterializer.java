package io.parquet2dynamo.source;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.Float16LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.ListLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.MapKeyValueTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.MapLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.UUIDLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Builds Beam rows straight from Parquet's record assembly (parquet-mr's converter API, as Spark's
 * and Flink's readers do), with the types {@link ParquetSchemas} decides. Converters are chosen
 * once per column when the file is opened.
 *
 * <p>Rows are built in the target (merged) schema: fields are matched by name, fields the file
 * lacks stay null, and the root row also gets its partition values and its place in the file.
 */
final class RowMaterializer extends RecordMaterializer<Row> {
  /** Where a converter delivers a finished value. */
  interface ValueSink {
    void accept(Object value);
  }

  private final RowConverter root;
  private Row current;

  /**
   * @param constants values of target fields that come from outside the file (partition columns,
   *     the source file), by name
   * @param firstRow the index in the file of the first row this reader will produce
   */
  RowMaterializer(MessageType file, Schema target, Map<String, Object> constants, long firstRow) {
    int rowField = target.indexOf(SourceFields.ROW);
    Object[] fixed = new Object[target.getFieldCount()];
    constants.forEach((name, value) -> fixed[target.indexOf(name)] = value);
    long[] next = {firstRow};
    this.root =
        new RowConverter(
            file,
            target,
            row -> current = (Row) row,
            values -> {
              System.arraycopy(fixed, 0, values, 0, fixed.length);
              values[rowField] = next[0]++;
            });
  }

  @Override
  public Row getCurrentRecord() {
    return current;
  }

  @Override
  public GroupConverter getRootConverter() {
    return root;
  }

  static Converter converterFor(Type field, FieldType type, ValueSink sink) {
    if (field.isPrimitive()) {
      return primitive(field.asPrimitiveType(), sink);
    }
    GroupType group = field.asGroupType();
    LogicalTypeAnnotation annotation = group.getLogicalTypeAnnotation();
    if (annotation instanceof ListLogicalTypeAnnotation) {
      return new ListConverter(group, type.getCollectionElementType(), sink);
    }
    if (annotation instanceof MapLogicalTypeAnnotation
        || annotation instanceof MapKeyValueTypeAnnotation) {
      return new MapConverter(group, type, sink);
    }
    return new RowConverter(group, type.getRowSchema(), sink, null);
  }

  /** A group read as a row of {@code target}; repeated fields collect into lists. */
  static final class RowConverter extends GroupConverter {
    private final Schema target;
    private final Converter[] children;
    private final int[] repeatedSlots;
    private final ValueSink parent;
    private final java.util.function.Consumer<Object[]> onStart;
    private Object[] values;

    RowConverter(
        GroupType group,
        Schema target,
        ValueSink parent,
        java.util.function.Consumer<Object[]> onStart) {
      this.target = target;
      this.parent = parent;
      this.onStart = onStart;
      this.children = new Converter[group.getFieldCount()];
      List<Integer> repeated = new ArrayList<>();
      for (int i = 0; i < children.length; i++) {
        Type field = group.getType(i);
        int slot = target.indexOf(field.getName());
        FieldType type = target.getField(slot).getType();
        if (field.isRepetition(Type.Repetition.REPEATED)) {
          repeated.add(slot);
          children[i] =
              converterFor(field, type.getCollectionElementType(), v -> list(slot).add(v));
        } else {
          children[i] = converterFor(field, type, v -> values[slot] = v);
        }
      }
      this.repeatedSlots = repeated.stream().mapToInt(Integer::intValue).toArray();
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(int slot) {
      return (List<Object>) values[slot];
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return children[fieldIndex];
    }

    @Override
    public void start() {
      values = new Object[target.getFieldCount()];
      if (onStart != null) {
        onStart.accept(values);
      }
      for (int slot : repeatedSlots) {
        // A repeated field with no occurrence is an empty list, not a null.
        values[slot] = new ArrayList<>();
      }
    }

    @Override
    public void end() {
      parent.accept(Row.withSchema(target).attachValues(Arrays.asList(values)));
    }
  }

  /** A LIST group: 2-level (the repeated field is the element) or 3-level (it wraps one). */
  static final class ListConverter extends GroupConverter {
    private final Converter child;
    private final ValueSink parent;
    private List<Object> list;

    ListConverter(GroupType group, FieldType elementType, ValueSink parent) {
      this.parent = parent;
      Type repeated = group.getType(0);
      Type element = ParquetSchemas.listElement(group, "", group.getName());
      ValueSink add = v -> list.add(v);
      this.child =
          element == repeated
              ? converterFor(repeated, elementType, add)
              : new ElementConverter(element, elementType, add);
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return child;
    }

    @Override
    public void start() {
      list = new ArrayList<>();
    }

    @Override
    public void end() {
      parent.accept(list);
    }
  }

  /** The repeated group of a 3-level list: one per element, which may be null. */
  static final class ElementConverter extends GroupConverter {
    private final Converter element;
    private final ValueSink add;
    private Object current;

    ElementConverter(Type element, FieldType type, ValueSink add) {
      this.add = add;
      this.element = converterFor(element, type, v -> current = v);
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return element;
    }

    @Override
    public void start() {
      current = null;
    }

    @Override
    public void end() {
      add.accept(current);
    }
  }

  /** A MAP group; without a value field it is the list of its keys. */
  static final class MapConverter extends GroupConverter {
    private final GroupConverter keyValue;
    private final ValueSink parent;
    private final boolean keysOnly;
    private Map<Object, Object> map;
    private List<Object> keys;

    MapConverter(GroupType group, FieldType type, ValueSink parent) {
      this.parent = parent;
      GroupType kv = ParquetSchemas.keyValueGroup(group, "", group.getName());
      this.keysOnly = kv.getFieldCount() < 2;
      FieldType keyType = keysOnly ? type.getCollectionElementType() : type.getMapKeyType();
      FieldType valueType = keysOnly ? null : type.getMapValueType();
      Object[] entry = new Object[2];
      Converter key = converterFor(kv.getType(0), keyType, k -> entry[0] = k);
      Converter value = keysOnly ? null : converterFor(kv.getType(1), valueType, v -> entry[1] = v);
      this.keyValue =
          new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
              return fieldIndex == 0 ? key : value;
            }

            @Override
            public void start() {
              entry[0] = null;
              entry[1] = null;
            }

            @Override
            public void end() {
              if (keysOnly) {
                keys.add(entry[0]);
              } else {
                map.put(entry[0], entry[1]);
              }
            }
          };
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return keyValue;
    }

    @Override
    public void start() {
      if (keysOnly) {
        keys = new ArrayList<>();
      } else {
        map = new LinkedHashMap<>();
      }
    }

    @Override
    public void end() {
      parent.accept(keysOnly ? keys : map);
    }
  }

  /** Julian day of 1970-01-01, for INT96 timestamps. */
  private static final long JULIAN_EPOCH_DAY = 2_440_588L;

  /** The converter of one primitive column, its value conversion decided here, once. */
  static PrimitiveConverter primitive(PrimitiveType type, ValueSink sink) {
    LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case BOOLEAN:
        return new PrimitiveConverter() {
          @Override
          public void addBoolean(boolean value) {
            sink.accept(value);
          }
        };
      case INT32:
        return ints(a, sink);
      case INT64:
        return longs(a, sink);
      case INT96:
        return binaries(sink, b -> int96(b));
      case FLOAT:
        return new PrimitiveConverter() {
          @Override
          public void addFloat(float value) {
            sink.accept(value);
          }
        };
      case DOUBLE:
        return new PrimitiveConverter() {
          @Override
          public void addDouble(double value) {
            sink.accept(value);
          }
        };
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY:
        if (a instanceof DecimalLogicalTypeAnnotation) {
          int scale = ((DecimalLogicalTypeAnnotation) a).getScale();
          return binaries(sink, b -> new BigDecimal(new BigInteger(b.getBytes()), scale));
        } else if (a instanceof UUIDLogicalTypeAnnotation) {
          return binaries(sink, RowMaterializer::uuid);
        } else if (a instanceof Float16LogicalTypeAnnotation) {
          return binaries(sink, b -> HalfFloats.read(b.getBytes()));
        } else if (ParquetSchemas.isText(a)) {
          return binaries(sink, Binary::toStringUsingUTF8);
        }
        return binaries(sink, Binary::getBytes);
      default:
        throw new IllegalArgumentException("unsupported Parquet type " + type);
    }
  }

  private static PrimitiveConverter ints(LogicalTypeAnnotation a, ValueSink sink) {
    java.util.function.IntFunction<Object> convert;
    if (a instanceof DecimalLogicalTypeAnnotation) {
      int scale = ((DecimalLogicalTypeAnnotation) a).getScale();
      convert = v -> BigDecimal.valueOf(v, scale);
    } else if (a instanceof IntLogicalTypeAnnotation
        && !((IntLogicalTypeAnnotation) a).isSigned()
        && ((IntLogicalTypeAnnotation) a).getBitWidth() == 32) {
      convert = Integer::toUnsignedLong;
    } else if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
      convert = LocalDate::ofEpochDay;
    } else if (a instanceof TimeLogicalTypeAnnotation) {
      convert = v -> LocalTime.ofNanoOfDay(v * 1_000_000L);
    } else {
      convert = v -> v;
    }
    return new PrimitiveConverter() {
      @Override
      public void addInt(int value) {
        sink.accept(convert.apply(value));
      }
    };
  }

  private static PrimitiveConverter longs(LogicalTypeAnnotation a, ValueSink sink) {
    java.util.function.LongFunction<Object> convert;
    if (a instanceof DecimalLogicalTypeAnnotation) {
      int scale = ((DecimalLogicalTypeAnnotation) a).getScale();
      convert = v -> BigDecimal.valueOf(v, scale);
    } else if (a instanceof IntLogicalTypeAnnotation
        && !((IntLogicalTypeAnnotation) a).isSigned()) {
      convert = v -> new BigDecimal(Long.toUnsignedString(v));
    } else if (a instanceof TimestampLogicalTypeAnnotation) {
      long nanosPerUnit = nanosPer(((TimestampLogicalTypeAnnotation) a).getUnit());
      convert = v -> instant(v, nanosPerUnit);
    } else if (a instanceof TimeLogicalTypeAnnotation) {
      long nanosPerUnit = nanosPer(((TimeLogicalTypeAnnotation) a).getUnit());
      convert = v -> LocalTime.ofNanoOfDay(v * nanosPerUnit);
    } else {
      convert = v -> v;
    }
    return new PrimitiveConverter() {
      @Override
      public void addLong(long value) {
        sink.accept(convert.apply(value));
      }
    };
  }

  private static PrimitiveConverter binaries(
      ValueSink sink, java.util.function.Function<Binary, Object> convert) {
    return new PrimitiveConverter() {
      @Override
      public void addBinary(Binary value) {
        sink.accept(convert.apply(value));
      }
    };
  }

  private static long nanosPer(TimeUnit unit) {
    switch (unit) {
      case MILLIS:
        return 1_000_000L;
      case MICROS:
        return 1_000L;
      default:
        return 1L;
    }
  }

  private static Instant instant(long value, long nanosPerUnit) {
    long unitsPerSecond = 1_000_000_000L / nanosPerUnit;
    return Instant.ofEpochSecond(
        Math.floorDiv(value, unitsPerSecond), Math.floorMod(value, unitsPerSecond) * nanosPerUnit);
  }

  private static final long MICROS_PER_DAY = 86_400_000_000L;

  /**
   * INT96: 8 bytes of nanoseconds in the day, then 4 of the (signed) Julian day, little-endian.
   *
   * <p>Decoded as Spark encodes it (DateTimeUtils.toJulianDay): Spark adds the Julian day of the
   * epoch to its microseconds in 64-bit arithmetic that wraps, so a timestamp after about the year
   * 287,500 (290000-12-31 in parquet-testing's int96_from_spark) is written with a negative day and
   * negative nanoseconds. Counting the microseconds in the same wrapping arithmetic gives back the
   * value written; for every other timestamp of the 64-bit microsecond range (±292,000 years) it is
   * the exact value, and the nanoseconds below a microsecond are kept.
   */
  static Instant int96(Binary value) {
    ByteBuffer buffer = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = buffer.getLong();
    int julianDay = buffer.getInt();
    // Wraps on purpose, as Spark's writer did.
    long micros =
        (julianDay - JULIAN_EPOCH_DAY) * MICROS_PER_DAY + Math.floorDiv(nanosOfDay, 1000L);
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1000L + Math.floorMod(nanosOfDay, 1000L));
  }

  private static String uuid(Binary value) {
    ByteBuffer buffer = value.toByteBuffer();
    return new UUID(buffer.getLong(), buffer.getLong()).toString();
  }
}
