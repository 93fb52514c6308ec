package io.parquet2dynamo.item;

import com.fasterxml.jackson.core.io.NumberOutput;
import io.parquet2dynamo.deadletter.RejectReason;
import java.math.BigDecimal;

/**
 * Turns numbers into DynamoDB's N strings exactly, or refuses them. DynamoDB stores up to 38
 * significant digits, magnitudes from 1E-130 to below 1E+126, and no NaN or infinity.
 */
public final class DynamoNumbers {
  static final int MAX_DIGITS = 38;
  static final int MIN_EXPONENT = -130;
  static final int MAX_EXPONENT = 125;

  private DynamoNumbers() {}

  /** The exact decimal in plain notation, without trailing zeros. */
  public static String of(BigDecimal value) throws RejectedRowException {
    if (value.signum() == 0) {
      return "0";
    }
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.precision() > MAX_DIGITS) {
      throw new RejectedRowException(
          RejectReason.NUMBER_NOT_REPRESENTABLE,
          value.toPlainString()
              + " has "
              + stripped.precision()
              + " significant digits; DynamoDB keeps at most "
              + MAX_DIGITS);
    }
    // The exponent of the leading digit in scientific notation.
    int exponent = stripped.precision() - stripped.scale() - 1;
    if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
      throw new RejectedRowException(
          RejectReason.NUMBER_NOT_REPRESENTABLE,
          stripped + " is outside DynamoDB's number range (1E-130 to 9.99E+125)");
    }
    return stripped.toPlainString();
  }

  /** The shortest decimal that reads back as the same double (1e23 is "1" and 23 zeros). */
  public static String of(double value) throws RejectedRowException {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new RejectedRowException(
          RejectReason.NUMBER_NOT_REPRESENTABLE, value + " cannot be stored as a DynamoDB number");
    }
    return of(shortest(value));
  }

  /** The shortest decimal that reads back as the same float (1.1f is "1.1", not 1.100000023). */
  public static String of(float value) throws RejectedRowException {
    if (Float.isNaN(value) || Float.isInfinite(value)) {
      throw new RejectedRowException(
          RejectReason.NUMBER_NOT_REPRESENTABLE, value + " cannot be stored as a DynamoDB number");
    }
    return of(shortest(value));
  }

  /**
   * The shortest decimal that reads back as {@code value}. Java 17's Double.toString is not always
   * shortest (1e23 prints as 9.999999999999999E22; fixed in JDK 19); Jackson's Schubfach
   * implementation, the algorithm JDK 19 adopted, is.
   */
  public static BigDecimal shortest(double value) {
    return new BigDecimal(NumberOutput.toString(value, true));
  }

  /** The shortest decimal that reads back as the float {@code value}. */
  public static BigDecimal shortest(float value) {
    return new BigDecimal(NumberOutput.toString(value, true));
  }

  /** Whether {@code text} is a number DynamoDB accepts (used for string values of N keys). */
  public static String parse(String text) throws RejectedRowException {
    BigDecimal value;
    try {
      value = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new RejectedRowException(
          RejectReason.KEY_TYPE_MISMATCH, "'" + text + "' is not a number");
    }
    return of(value);
  }
}
