package io.parquet2dynamo.source;

import io.parquet2dynamo.InvalidInputException;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Keeps the scale of decimals stored as INT32 or INT64, which parquet-avro 1.13 reads as plain ints
 * and longs: without this, Spark's default encoding of decimal(10,2) would load 1.00 as 100.
 *
 * <p>Avro allows no decimal type on int or long, so the scale travels as a property of the Avro
 * schema ({@value #SCALE}); the reader asks parquet-avro to read with that annotated schema, and
 * {@link AvroRows} turns such values into exact decimals.
 */
final class IntDecimals {
  /** Avro schema property holding the decimal scale of an int or long. */
  static final String SCALE = "parquet2dynamo.decimalScale";

  private IntDecimals() {}

  /**
   * Marks the INT32/INT64 decimal columns of {@code parquet} in {@code avro} (its record schema, as
   * parquet-avro converts it) and returns whether there were any. Such decimals inside a list or
   * map are refused rather than read wrongly.
   */
  static boolean annotate(org.apache.avro.Schema avro, GroupType parquet, String file) {
    boolean any = false;
    for (Type field : parquet.getFields()) {
      org.apache.avro.Schema.Field avroField = avro.getField(field.getName());
      if (avroField == null) {
        continue;
      }
      org.apache.avro.Schema avroType = nonNull(avroField.schema());
      if (field.isPrimitive()) {
        Integer scale = intDecimalScale(field.asPrimitiveType());
        if (scale != null) {
          avroType.addProp(SCALE, scale);
          any = true;
        }
      } else if (field.getLogicalTypeAnnotation() == null
          && avroType.getType() == org.apache.avro.Schema.Type.RECORD) {
        any |= annotate(avroType, field.asGroupType(), file);
      } else if (containsIntDecimal(field.asGroupType())) {
        throw new InvalidInputException(
            file
                + ": column '"
                + field.getName()
                + "' holds decimals stored as INT32/INT64 inside a"
                + " list or map, which parquet2dynamo cannot yet read exactly");
      }
    }
    return any;
  }

  private static Integer intDecimalScale(PrimitiveType type) {
    LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
    boolean intBacked =
        type.getPrimitiveTypeName() == PrimitiveTypeName.INT32
            || type.getPrimitiveTypeName() == PrimitiveTypeName.INT64;
    return intBacked && annotation instanceof DecimalLogicalTypeAnnotation
        ? ((DecimalLogicalTypeAnnotation) annotation).getScale()
        : null;
  }

  private static boolean containsIntDecimal(GroupType group) {
    for (Type field : group.getFields()) {
      if (field.isPrimitive()
          ? intDecimalScale(field.asPrimitiveType()) != null
          : containsIntDecimal(field.asGroupType())) {
        return true;
      }
    }
    return false;
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

  /** The scale marked on {@code avro}, or null if it is not an INT32/INT64 decimal. */
  static Integer scaleOf(org.apache.avro.Schema avro) {
    Object scale = avro.getObjectProp(SCALE);
    return scale instanceof Number ? ((Number) scale).intValue() : null;
  }
}
