package io.parquet2dynamo.item;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.options.KindAndColumn;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The user's choices where the type contract offers one (docs/TYPES.md): how timestamps are written
 * and what a null becomes. Parsed once from the options' text, with an error that lists the valid
 * values.
 */
public final class ItemFormat implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How a timestamp (any unit, and INT96) is written. */
  public enum Timestamps {
    /**
     * S, ISO-8601 in UTC with the column's number of fraction digits ({@link IsoTimestamps}):
     * {@code 2024-01-31T08:15:30.120Z} (millis), {@code 2024-01-31T08:15:30.123450Z} (micros).
     */
    ISO("iso"),
    /** N, whole seconds since 1970-01-01T00:00:00Z, rounded down (DynamoDB's TTL form). */
    EPOCH_SECONDS("epochSeconds"),
    /** N, whole milliseconds since the epoch, rounded down. */
    EPOCH_MILLIS("epochMillis"),
    /** N, whole microseconds since the epoch, rounded down. */
    EPOCH_MICROS("epochMicros");

    private final String optionValue;

    Timestamps(String optionValue) {
      this.optionValue = optionValue;
    }

    @Override
    public String toString() {
      return optionValue;
    }

    /** The DynamoDB type a timestamp is written as: S or N. */
    AttributeValue.Type dynamoType() {
      return this == ISO ? AttributeValue.Type.S : AttributeValue.Type.N;
    }

    /**
     * The attribute for {@code instant} in this form; an ISO timestamp has {@code isoDigits}
     * fraction digits (its column's, {@link IsoTimestamps#digitsOf}).
     */
    AttributeValue write(Instant instant, int isoDigits) {
      ItemEncoder out = new ItemEncoder();
      write(instant, isoDigits, out);
      return out.single();
    }

    /** Writes {@code instant} in this form, as {@link #write(Instant, int)} returns it. */
    void write(Instant instant, int isoDigits, ItemEncoder out) {
      switch (this) {
        case EPOCH_SECONDS:
          out.n(EpochUnit.SECONDS.count(instant).toString());
          break;
        case EPOCH_MILLIS:
          out.n(EpochUnit.MILLIS.count(instant).toString());
          break;
        case EPOCH_MICROS:
          out.n(EpochUnit.MICROS.count(instant).toString());
          break;
        default:
          out.s(IsoTimestamps.format(instant, isoDigits));
      }
    }
  }

  /** What a null value becomes. */
  public enum Nulls {
    /** Omitted as an attribute, at every level of M; NULL inside L, so positions hold. */
    OMIT("omit"),
    /** NULL everywhere, top-level attributes included (never for a key attribute). */
    NULL("null");

    private final String optionValue;

    Nulls(String optionValue) {
      this.optionValue = optionValue;
    }

    @Override
    public String toString() {
      return optionValue;
    }
  }

  private static final ItemFormat DEFAULTS = new ItemFormat(Timestamps.ISO, Nulls.OMIT);

  private final Timestamps timestamps;
  private final Nulls nulls;

  private ItemFormat(Timestamps timestamps, Nulls nulls) {
    this.timestamps = timestamps;
    this.nulls = nulls;
  }

  /** The contract's defaults: ISO-8601 timestamps, null attributes omitted. */
  public static ItemFormat defaults() {
    return DEFAULTS;
  }

  /**
   * From the options' text; null or blank means the default.
   *
   * @throws InvalidInputException naming the option and its valid values
   */
  public static ItemFormat of(String timestampFormat, String nullPolicy) {
    return new ItemFormat(
        parse("timestampFormat", timestampFormat, Timestamps.values(), Timestamps.ISO),
        parse("nullPolicy", nullPolicy, Nulls.values(), Nulls.OMIT));
  }

  public Timestamps timestamps() {
    return timestamps;
  }

  public Nulls nulls() {
    return nulls;
  }

  private static <T extends Enum<T>> T parse(String option, String text, T[] values, T fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    String form =
        KindAndColumn.parse(option, text, Arrays.stream(values).map(Object::toString).toList())
            .kind();
    return Arrays.stream(values).filter(v -> v.toString().equals(form)).findFirst().orElseThrow();
  }

  @Override
  public String toString() {
    return "timestampFormat=" + timestamps + ", nullPolicy=" + nulls;
  }
}
