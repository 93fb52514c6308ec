package io.parquet2dynamo.source;

import io.parquet2dynamo.InvalidInputException;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Keeps the Parquet annotations that parquet-avro 1.13 drops when it reads INT32/INT64 columns as
 * plain Avro ints and longs, which would otherwise load wrong values without a word:
 *
 * <ul>
 *   <li>decimals stored as INT32/INT64 lose their scale (Spark's decimal(10,2) 1.00 reads as 100);
 *   <li>unsigned 32- and 64-bit integers arrive as their bit pattern (UINT_32 4294967295 reads as
 *       -1);
 *   <li>timestamps and times in nanoseconds arrive as a bare count of nanoseconds.
 * </ul>
 *
 * <p>Unsigned 8- and 16-bit integers are not marked: they fit an int and read right as they are.
 *
 * <p>Avro has no type for these on int or long, so the {@link Kind} (and a decimal's scale) travels
 * as properties of the Avro schema; the reader asks parquet-avro to read with that annotated
 * schema, and {@link AvroRows} turns such values into the right Beam types.
 */
final class ParquetAnnotations {
  /** Avro schema property naming the {@link Kind} of an int or long. */
  static final String KIND = "parquet2dynamo.parquetType";

  /** Avro schema property holding the decimal scale of an int or long of {@link Kind#DECIMAL}. */
  static final String SCALE = "parquet2dynamo.decimalScale";

  /** What an Avro int or long really holds, when parquet-avro cannot say. */
  enum Kind {
    /** A decimal stored as INT32/INT64, unscaled; the scale is in {@link #SCALE}. */
    DECIMAL("decimals stored as INT32/INT64"),
    /** INT32 annotated INT(32, unsigned): the bit pattern of a value up to 2^32-1. */
    UINT32("unsigned 32-bit integers"),
    /** INT64 annotated INT(64, unsigned): the bit pattern of a value up to 2^64-1. */
    UINT64("unsigned 64-bit integers"),
    /** INT64 annotated TIMESTAMP(isAdjustedToUTC=true, NANOS): nanoseconds since the epoch. */
    TIMESTAMP_NANOS("timestamps in nanoseconds"),
    /** INT64 annotated TIMESTAMP(isAdjustedToUTC=false, NANOS): local date-time, as if at UTC. */
    LOCAL_TIMESTAMP_NANOS("timestamps in nanoseconds"),
    /** INT64 annotated TIME(NANOS): nanoseconds since midnight. */
    TIME_NANOS("times in nanoseconds");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  private ParquetAnnotations() {}

  /**
   * Marks the columns of {@code parquet} that parquet-avro reads as plain ints or longs but that
   * mean more (see {@link Kind}) in {@code avro} (its record schema, as parquet-avro converts it),
   * and returns whether there were any. Such columns inside a list or map are refused rather than
   * read wrongly.
   */
  static boolean annotate(org.apache.avro.Schema avro, GroupType parquet, String file) {
    boolean any = false;
    for (Type field : parquet.getFields()) {
      org.apache.avro.Schema.Field avroField = avro.getField(field.getName());
      if (avroField == null) {
        continue;
      }
      org.apache.avro.Schema avroType = nonNull(avroField.schema());
      if (field.isPrimitive() && !field.isRepetition(Type.Repetition.REPEATED)) {
        PrimitiveType primitive = field.asPrimitiveType();
        Kind kind = kindOf(primitive);
        if (kind != null && isPlainIntOrLong(avroType, primitive)) {
          avroType.addProp(KIND, kind.name());
          if (kind == Kind.DECIMAL) {
            avroType.addProp(
                SCALE,
                ((DecimalLogicalTypeAnnotation) primitive.getLogicalTypeAnnotation()).getScale());
          }
          any = true;
        }
      } else if (!field.isPrimitive()
          && field.getLogicalTypeAnnotation() == null
          && !field.isRepetition(Type.Repetition.REPEATED)
          && avroType.getType() == org.apache.avro.Schema.Type.RECORD) {
        any |= annotate(avroType, field.asGroupType(), file);
      } else {
        // A list or map (LIST/MAP groups, or legacy repeated fields read as Avro arrays).
        Kind inside = firstKindIn(field);
        if (inside != null) {
          throw new InvalidInputException(
              file
                  + ": column '"
                  + field.getName()
                  + "' holds "
                  + inside.description
                  + " inside a list or map, which parquet2dynamo cannot yet read exactly");
        }
      }
    }
    return any;
  }

  /** The kind of a Parquet column parquet-avro 1.13 reads as a plain int or long, or null. */
  static Kind kindOf(PrimitiveType type) {
    LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
    boolean int32 = type.getPrimitiveTypeName() == PrimitiveTypeName.INT32;
    boolean int64 = type.getPrimitiveTypeName() == PrimitiveTypeName.INT64;
    if (!(int32 || int64) || annotation == null) {
      return null;
    }
    if (annotation instanceof DecimalLogicalTypeAnnotation) {
      return Kind.DECIMAL;
    }
    if (annotation instanceof IntLogicalTypeAnnotation) {
      IntLogicalTypeAnnotation integer = (IntLogicalTypeAnnotation) annotation;
      if (integer.isSigned()) {
        return null;
      }
      if (int32 && integer.getBitWidth() == 32) {
        return Kind.UINT32;
      }
      return int64 && integer.getBitWidth() == 64 ? Kind.UINT64 : null;
    }
    if (int64 && annotation instanceof TimestampLogicalTypeAnnotation) {
      TimestampLogicalTypeAnnotation timestamp = (TimestampLogicalTypeAnnotation) annotation;
      if (timestamp.getUnit() == TimeUnit.NANOS) {
        return timestamp.isAdjustedToUTC() ? Kind.TIMESTAMP_NANOS : Kind.LOCAL_TIMESTAMP_NANOS;
      }
      return null;
    }
    if (int64
        && annotation instanceof TimeLogicalTypeAnnotation
        && ((TimeLogicalTypeAnnotation) annotation).getUnit() == TimeUnit.NANOS) {
      return Kind.TIME_NANOS;
    }
    return null;
  }

  /** Whether parquet-avro left {@code avro} a bare int (for INT32) or long (for INT64). */
  private static boolean isPlainIntOrLong(org.apache.avro.Schema avro, PrimitiveType parquet) {
    org.apache.avro.Schema.Type expected =
        parquet.getPrimitiveTypeName() == PrimitiveTypeName.INT32
            ? org.apache.avro.Schema.Type.INT
            : org.apache.avro.Schema.Type.LONG;
    return avro.getType() == expected && avro.getLogicalType() == null;
  }

  private static Kind firstKindIn(Type type) {
    if (type.isPrimitive()) {
      return kindOf(type.asPrimitiveType());
    }
    for (Type field : type.asGroupType().getFields()) {
      Kind kind = firstKindIn(field);
      if (kind != null) {
        return kind;
      }
    }
    return null;
  }

  private static org.apache.avro.Schema nonNull(org.apache.avro.Schema schema) {
    if (schema.getType() != org.apache.avro.Schema.Type.UNION) {
      return schema;
    }
    for (org.apache.avro.Schema branch : schema.getTypes()) {
      if (branch.getType() != org.apache.avro.Schema.Type.NULL) {
        return branch;
      }
    }
    return schema;
  }

  /** The kind marked on {@code avro}, or null if it is not marked. */
  static Kind kindOf(org.apache.avro.Schema avro) {
    Object kind = avro.getProp(KIND);
    return kind == null ? null : Kind.valueOf(kind.toString());
  }

  /** The scale marked on {@code avro}, or null if it is not an INT32/INT64 decimal. */
  static Integer scaleOf(org.apache.avro.Schema avro) {
    Object scale = avro.getObjectProp(SCALE);
    return scale instanceof Number ? ((Number) scale).intValue() : null;
  }
}
