package io.parquet2dynamo.source;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Parquet's FLOAT16 (IEEE 754 half precision, two bytes little-endian) read into a Java float. Java
 * 17 has no half-precision type, so rows carry a float; the float chosen is the one nearest to the
 * shortest decimal that reads back as the same half-precision value, so that the item gets that
 * decimal ({@code 0.1}, not {@code 0.099975586}), as the type contract asks of every float type.
 */
final class HalfFloats {
  private static final int EXPONENT_MASK = 0x7c00;
  private static final int MAX_FINITE = 0x7bff;

  /** Half precision has 11 significant bits: five decimal digits always tell two values apart. */
  private static final int MAX_DIGITS = 5;

  private HalfFloats() {}

  /** The float for the two bytes of a FLOAT16 value, in their file order (little-endian). */
  static float read(byte[] littleEndian) {
    int bits = (littleEndian[0] & 0xff) | (littleEndian[1] & 0xff) << 8;
    return shortestFloat(bits);
  }

  /** The exact value of half-precision {@code bits} (every half is exact as a float). */
  static float exactValue(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits & EXPONENT_MASK) >>> 10;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
    }
    if (exponent == 0) {
      // Subnormal: mantissa * 2^-24, exact in a float.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
  }

  static float shortestFloat(int bits) {
    int magnitude = bits & 0x7fff;
    float exact = exactValue(bits);
    if (magnitude > MAX_FINITE || magnitude == 0) {
      // NaN, infinities and zeros stay as they are.
      return exact;
    }
    BigDecimal value = new BigDecimal(Math.abs(exact));
    // Values in (low, high) read back as this half; a tie goes to the even mantissa.
    BigDecimal high = midpoint(value, magnitude == MAX_FINITE ? 65536 : exactValue(magnitude + 1));
    BigDecimal low = midpoint(value, exactValue(magnitude - 1));
    boolean even = (magnitude & 1) == 0;
    for (int digits = 1; digits <= MAX_DIGITS; digits++) {
      BigDecimal best = null;
      for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
        BigDecimal candidate = value.round(new MathContext(digits, mode));
        int belowHigh = candidate.compareTo(high);
        int aboveLow = candidate.compareTo(low);
        boolean inside =
            (belowHigh < 0 || (belowHigh == 0 && even))
                && (aboveLow > 0 || (aboveLow == 0 && even));
        if (inside
            && (best == null
                || candidate.subtract(value).abs().compareTo(best.subtract(value).abs()) < 0)) {
          best = candidate;
        }
      }
      if (best != null) {
        float shortest = Float.parseFloat(best.toString());
        return exact < 0 ? -shortest : shortest;
      }
    }
    return exact;
  }

  private static BigDecimal midpoint(BigDecimal value, float neighbour) {
    return value.add(new BigDecimal(neighbour)).divide(BigDecimal.valueOf(2));
  }
}
