package io.parquet2dynamo.transform;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.parquet2dynamo.item.DynamoNumbers;
import io.parquet2dynamo.item.EpochUnit;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.joda.time.ReadableInstant;

/**
 * A type the mapping file's {@code cast} converts a column to (and the {@code type} of a derived
 * attribute): the spelling in the file, the column type it gives, and the conversion of each value.
 * An enum, so a type the code does not know cannot be written: the mapping file is parsed into it.
 */
public enum Cast {
  STRING("string", FieldType.STRING, null),
  NUMBER("number", FieldType.DECIMAL, null),
  BOOLEAN("boolean", FieldType.BOOLEAN, null),
  BINARY("binary", FieldType.BYTES, null),
  EPOCH_SECONDS("epochSeconds", FieldType.INT64, EpochUnit.SECONDS),
  EPOCH_MILLIS("epochMillis", FieldType.INT64, EpochUnit.MILLIS),
  EPOCH_MICROS("epochMicros", FieldType.INT64, EpochUnit.MICROS);

  private final String spelling;
  private final FieldType type;
  private final EpochUnit unit;

  Cast(String spelling, FieldType type, EpochUnit unit) {
    this.spelling = spelling;
    this.type = type;
    this.unit = unit;
  }

  /** How the mapping file spells it. */
  @JsonValue
  @Override
  public String toString() {
    return spelling;
  }

  /**
   * The cast the mapping file names.
   *
   * @throws IllegalArgumentException listing the valid names
   */
  @JsonCreator
  public static Cast of(String spelling) {
    for (Cast cast : values()) {
      if (cast.spelling.equals(spelling)) {
        return cast;
      }
    }
    throw new IllegalArgumentException(
        "'"
            + spelling
            + "' is not a type; use one of "
            + Arrays.stream(values()).map(Cast::toString).collect(Collectors.joining(", ")));
  }

  /** The column type a value of {@code original} has after the cast; nullability is kept. */
  public FieldType type(FieldType original) {
    return type.withNullable(original.getNullable());
  }

  /** The column type of the cast's values. */
  public FieldType type() {
    return type;
  }

  /**
   * Converts one non-null value.
   *
   * @param column where the value is, for the message
   * @throws TransformException when the value cannot be converted
   */
  public Object apply(Object value, String column) throws TransformException {
    switch (this) {
      case STRING:
        return value instanceof byte[] ? utf8((byte[]) value, column) : text(value);
      case NUMBER:
        return number(value, column);
      case BOOLEAN:
        return bool(value, column);
      case BINARY:
        return value instanceof byte[] ? value : text(value).getBytes(StandardCharsets.UTF_8);
      default:
        return countOf(value, column);
    }
  }

  /** An epoch cast's count of a timestamp value (or ISO-8601 text). */
  long countOf(Object value, String column) throws TransformException {
    try {
      return unit.countExact(instant(value, column, spelling));
    } catch (ArithmeticException e) {
      throw new TransformException(
          column + ": '" + value + "' in " + spelling + " does not fit in a 64-bit number");
    }
  }

  /** A derived value in its declared type (string, number or boolean). */
  static Object to(FieldType type, Object value, String where) throws TransformException {
    if (value == null) {
      return null;
    }
    switch (type.getTypeName()) {
      case DECIMAL:
        return number(value, where);
      case BOOLEAN:
        return bool(value, where);
      default:
        return text(value);
    }
  }

  /**
   * Binary cast to string is read as UTF-8 text: what Impala and older writers store strings as,
   * without the UTF8 annotation. Bytes that are not UTF-8 are a transform error, not mojibake.
   */
  static String utf8(byte[] bytes, String column) throws TransformException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new TransformException(column + ": cannot cast binary that is not UTF-8 to string");
    }
  }

  static String text(Object value) {
    if (value instanceof byte[]) {
      return Base64.getEncoder().encodeToString((byte[]) value);
    } else if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    } else if (value instanceof Double) {
      return DynamoNumbers.shortest((Double) value).toPlainString();
    } else if (value instanceof Float) {
      return DynamoNumbers.shortest((Float) value).toPlainString();
    } else if (value instanceof ReadableInstant) {
      return Instant.ofEpochMilli(((ReadableInstant) value).getMillis()).toString();
    }
    return value.toString();
  }

  static BigDecimal number(Object value, String column) throws TransformException {
    try {
      if (value instanceof BigDecimal) {
        return (BigDecimal) value;
      } else if (value instanceof Float) {
        return DynamoNumbers.shortest((Float) value);
      } else if (value instanceof Double) {
        return DynamoNumbers.shortest((Double) value);
      } else if (value instanceof Number) {
        return new BigDecimal(value.toString());
      } else if (value instanceof String) {
        return new BigDecimal(((String) value).trim());
      }
    } catch (NumberFormatException e) {
      // fall through to the error
    }
    throw new TransformException(column + ": cannot cast '" + value + "' to number");
  }

  static Boolean bool(Object value, String column) throws TransformException {
    if (value instanceof Boolean) {
      return (Boolean) value;
    } else if (value instanceof String) {
      String s = ((String) value).trim();
      if (s.equalsIgnoreCase("true")) {
        return true;
      } else if (s.equalsIgnoreCase("false")) {
        return false;
      }
    } else if (value instanceof Number) {
      BigDecimal n = new BigDecimal(value.toString());
      if (n.compareTo(BigDecimal.ONE) == 0) {
        return true;
      } else if (n.signum() == 0) {
        return false;
      }
    }
    throw new TransformException(column + ": cannot cast '" + value + "' to boolean");
  }

  /** A timestamp value (or ISO-8601 text) as an instant, on the way to {@code target}. */
  static Instant instant(Object value, String column, String target) throws TransformException {
    if (value instanceof Instant) {
      return (Instant) value;
    } else if (value instanceof ReadableInstant) {
      return Instant.ofEpochMilli(((ReadableInstant) value).getMillis());
    } else if (value instanceof String) {
      try {
        return Instant.parse(((String) value).trim());
      } catch (DateTimeParseException e) {
        // fall through to the error
      }
    }
    throw new TransformException(column + ": cannot cast '" + value + "' to " + target);
  }
}
