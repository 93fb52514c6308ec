package io.parquet2dynamo.item;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Locale;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.MicrosInstant;

/**
 * ISO-8601 timestamps that sort: every value of a column is written with the same number of
 * fraction digits, the column's unit's (3 for milliseconds, 6 for microseconds, 9 for nanoseconds
 * and INT96), so that text order is time order within a column and in a sort key. {@code
 * Instant#toString} drops trailing zero groups, and its final {@code Z} then sorts {@code …:30Z}
 * after {@code …:30.5Z}.
 *
 * <p>The unit travels with the column's type from the Parquet schema ({@code
 * source/ParquetSchemas}) as metadata of the Beam field type ({@link #withDigits}), through the
 * merge of several files' schemas (the finer unit wins, {@link #finer}), projections, joins,
 * renames and whatever keeps the type. A timestamp column whose unit is not known (made by a
 * derived expression or a user's transform) gets the precision its Beam type holds: 3 for {@code
 * DATETIME} (so also what {@code --sql} returns, which sees milliseconds), 6 for {@code
 * MicrosInstant}, 9 for {@code NanosInstant}. A value finer than its column's digits (only a user's
 * transform can make one) is written with as many more groups of three as it needs rather than cut:
 * nothing is lost, at the price of that value's order.
 *
 * <p>Field type metadata is deprecated in Beam in favour of field options, but options belong to a
 * top-level field and are dropped by every schema rebuilt from types (the merge, the mapping,
 * joins), while metadata is part of the type, list elements and map values included.
 */
@SuppressWarnings("deprecation") // FieldType metadata: see above
public final class IsoTimestamps {
  /** The metadata key of a timestamp type's fraction digits. */
  public static final String DIGITS = "parquet2dynamo:fractionDigits";

  private static final DateTimeFormatter[] FORMATS = new DateTimeFormatter[10];

  static {
    for (int digits : new int[] {0, 3, 6, 9}) {
      FORMATS[digits] =
          new DateTimeFormatterBuilder().appendInstant(digits).toFormatter(Locale.ROOT);
    }
  }

  private IsoTimestamps() {}

  /** {@code type} (a timestamp type) marked with the fraction digits of its unit: 3, 6 or 9. */
  public static FieldType withDigits(FieldType type, int digits) {
    checkDigits(digits);
    // withMetadata(key, value) adds to the type's metadata and refuses a key it has already.
    java.util.Map<String, byte[]> metadata = new java.util.HashMap<>(type.getAllMetadata());
    metadata.put(
        DIGITS, Integer.toString(digits).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return type.withMetadata(metadata);
  }

  /** The fraction digits of a timestamp column of {@code type}: its unit's, or its type's. */
  public static int digitsOf(FieldType type) {
    String marked = type.getMetadataString(DIGITS);
    if (marked != null && !marked.isEmpty()) {
      return Integer.parseInt(marked);
    }
    if (type.getTypeName() == Schema.TypeName.DATETIME) {
      return 3;
    }
    if (type.getTypeName() == Schema.TypeName.LOGICAL_TYPE
        && MicrosInstant.IDENTIFIER.equals(type.getLogicalType().getIdentifier())) {
      return 6;
    }
    return 9;
  }

  /**
   * The type two files' timestamp columns merge to: {@code a} with the finer of the two units, so
   * that no value is cut and the column keeps one width.
   */
  public static FieldType finer(FieldType a, FieldType b) {
    int digits = Math.max(digitsOf(a), digitsOf(b));
    return digitsOf(a) == digits ? a : withDigits(a, digits);
  }

  /**
   * {@code instant} in UTC with {@code digits} fraction digits, e.g. {@code
   * 2024-01-31T08:15:30.120Z} for 3; more if the value is finer (see the class comment).
   */
  public static String format(Instant instant, int digits) {
    checkDigits(digits);
    int nanos = instant.getNano();
    while (digits < 9 && nanos % POWERS[9 - digits] != 0) {
      digits += 3;
    }
    return FORMATS[digits].format(instant);
  }

  private static final int[] POWERS = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  private static void checkDigits(int digits) {
    if (digits != 0 && digits != 3 && digits != 6 && digits != 9) {
      throw new IllegalArgumentException("fraction digits must be 0, 3, 6 or 9, not " + digits);
    }
  }
}
