package io.parquet2dynamo.source;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.IsoTimestamps;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.EnumLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.Float16LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.ListLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.MapKeyValueTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.MapLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.UUIDLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The one place that decides what each Parquet type becomes in a Beam row, from the Parquet schema
 * itself:
 *
 * <ul>
 *   <li>integers: INT32 (signed, or unsigned up to 16 bits), INT64 (signed, or unsigned 32-bit);
 *       unsigned 64-bit becomes DECIMAL;
 *   <li>DECIMAL of any encoding becomes DECIMAL, exact;
 *   <li>DATE and TIME become Beam's SQL date and time types; TIMESTAMP of any unit, UTC-adjusted or
 *       not (taken as UTC), and INT96 become nanosecond instants, their type marked with the unit's
 *       fraction digits ({@link IsoTimestamps});
 *   <li>FLOAT16 becomes FLOAT ({@link HalfFloats});
 *   <li>STRING, ENUM and JSON become STRING; UUID its canonical text; other binary becomes BYTES;
 *   <li>LIST (3-level, 2-level legacy) and repeated fields become ARRAY; MAP becomes MAP, or an
 *       ARRAY of keys when it has no value field; other groups become ROW.
 * </ul>
 *
 * <p>{@link RowMaterializer} converts values with the same decisions.
 */
public final class ParquetSchemas {
  private ParquetSchemas() {}

  /** The Beam schema of a file's rows; {@code file} names the file in errors. */
  public static Schema toBeamSchema(MessageType message, String file) {
    return groupSchema(message, file, "");
  }

  static Schema groupSchema(GroupType group, String file, String path) {
    Schema.Builder builder = Schema.builder();
    for (Type field : group.getFields()) {
      builder.addField(field.getName(), fieldType(field, file, path + field.getName()));
    }
    return builder.build();
  }

  /** A field's type with its repetition: optional is nullable, repeated is a list of values. */
  static FieldType fieldType(Type field, String file, String path) {
    if (field.isRepetition(Type.Repetition.REPEATED)) {
      return FieldType.array(valueType(field, file, path));
    }
    return valueType(field, file, path).withNullable(field.isRepetition(Type.Repetition.OPTIONAL));
  }

  /** The type of one value of a field, whatever its repetition (never nullable). */
  static FieldType valueType(Type field, String file, String path) {
    if (field.isPrimitive()) {
      return primitiveType(field.asPrimitiveType(), file, path);
    }
    GroupType group = field.asGroupType();
    LogicalTypeAnnotation annotation = group.getLogicalTypeAnnotation();
    if (annotation instanceof ListLogicalTypeAnnotation) {
      return FieldType.array(elementType(group, file, path));
    }
    if (annotation instanceof MapLogicalTypeAnnotation
        || annotation instanceof MapKeyValueTypeAnnotation) {
      GroupType keyValue = keyValueGroup(group, file, path);
      Type key = keyValue.getType(0);
      FieldType keyType = valueType(key, file, path + ".key");
      if (keyValue.getFieldCount() < 2) {
        // A map without values is a list of its keys.
        return FieldType.array(keyType);
      }
      Type value = keyValue.getType(1);
      if (value.isRepetition(Type.Repetition.REPEATED)) {
        throw new InvalidInputException(
            file + ": column '" + path + "' is a MAP with repeated values, which is not supported");
      }
      return FieldType.map(keyType, nullableValue(value, file, path + ".value"));
    }
    return FieldType.row(groupSchema(group, file, path + "."));
  }

  /** The element type of a LIST group, nullable where elements are optional. */
  static FieldType elementType(GroupType list, String file, String path) {
    Type element = listElement(list, file, path);
    return element == list.getType(0)
        ? valueType(element, file, path + "[]")
        : nullableValue(element, file, path + "[]");
  }

  private static FieldType nullableValue(Type field, String file, String path) {
    FieldType type = valueType(field, file, path);
    return field.isRepetition(Type.Repetition.REPEATED)
        ? FieldType.array(type)
        : type.withNullable(field.isRepetition(Type.Repetition.OPTIONAL));
  }

  /**
   * The element of a LIST group, by the Parquet format's rules for old and new list layouts: the
   * repeated field itself when it is a primitive, a group of several fields, or a group named
   * {@code array} or {@code <list>_tuple} (2-level lists); else the repeated group's only field
   * (the standard 3-level list).
   */
  static Type listElement(GroupType list, String file, String path) {
    if (list.getFieldCount() != 1 || !list.getType(0).isRepetition(Type.Repetition.REPEATED)) {
      throw new InvalidInputException(
          file + ": column '" + path + "' is a LIST without one repeated field");
    }
    Type repeated = list.getType(0);
    if (repeated.isPrimitive()) {
      return repeated;
    }
    GroupType group = repeated.asGroupType();
    if (group.getFieldCount() != 1
        || group.getName().equals("array")
        || group.getName().equals(list.getName() + "_tuple")) {
      return repeated;
    }
    return group.getType(0);
  }

  static GroupType keyValueGroup(GroupType map, String file, String path) {
    if (map.getFieldCount() != 1
        || map.getType(0).isPrimitive()
        || map.getType(0).asGroupType().getFieldCount() == 0) {
      throw new InvalidInputException(
          file + ": column '" + path + "' is a MAP without a repeated key/value group");
    }
    return map.getType(0).asGroupType();
  }

  private static FieldType primitiveType(PrimitiveType type, String file, String path) {
    LogicalTypeAnnotation a = type.getLogicalTypeAnnotation();
    if (a instanceof DecimalLogicalTypeAnnotation) {
      return FieldType.DECIMAL;
    }
    switch (type.getPrimitiveTypeName()) {
      case BOOLEAN:
        return FieldType.BOOLEAN;
      case INT32:
        if (a instanceof IntLogicalTypeAnnotation) {
          IntLogicalTypeAnnotation i = (IntLogicalTypeAnnotation) a;
          return !i.isSigned() && i.getBitWidth() == 32 ? FieldType.INT64 : FieldType.INT32;
        } else if (a instanceof DateLogicalTypeAnnotation) {
          return FieldType.logicalType(SqlTypes.DATE);
        } else if (a instanceof TimeLogicalTypeAnnotation) {
          return FieldType.logicalType(SqlTypes.TIME);
        }
        return FieldType.INT32;
      case INT64:
        if (a instanceof IntLogicalTypeAnnotation) {
          return ((IntLogicalTypeAnnotation) a).isSigned() ? FieldType.INT64 : FieldType.DECIMAL;
        } else if (a instanceof TimestampLogicalTypeAnnotation) {
          // UTC-adjusted or not, a timestamp is read as an instant in UTC (the type contract),
          // and written with its unit's fraction digits.
          return IsoTimestamps.withDigits(
              FieldType.logicalType(new NanosInstant()),
              fractionDigits(((TimestampLogicalTypeAnnotation) a).getUnit()));
        } else if (a instanceof TimeLogicalTypeAnnotation) {
          return FieldType.logicalType(SqlTypes.TIME);
        }
        return FieldType.INT64;
      case INT96:
        return IsoTimestamps.withDigits(FieldType.logicalType(new NanosInstant()), 9);
      case FLOAT:
        return FieldType.FLOAT;
      case DOUBLE:
        return FieldType.DOUBLE;
      case BINARY:
        return isText(a) ? FieldType.STRING : FieldType.BYTES;
      case FIXED_LEN_BYTE_ARRAY:
        if (a instanceof Float16LogicalTypeAnnotation) {
          return FieldType.FLOAT;
        }
        return a instanceof UUIDLogicalTypeAnnotation ? FieldType.STRING : FieldType.BYTES;
      default:
        throw new InvalidInputException(
            file + ": column '" + path + "' has unsupported type " + type);
    }
  }

  /** The fraction digits of a timestamp unit: 3, 6 or 9. */
  static int fractionDigits(LogicalTypeAnnotation.TimeUnit unit) {
    switch (unit) {
      case MILLIS:
        return 3;
      case MICROS:
        return 6;
      default:
        return 9;
    }
  }

  static boolean isText(LogicalTypeAnnotation a) {
    return a instanceof StringLogicalTypeAnnotation
        || a instanceof EnumLogicalTypeAnnotation
        || a instanceof JsonLogicalTypeAnnotation;
  }
}
