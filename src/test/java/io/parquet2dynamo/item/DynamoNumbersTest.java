package io.parquet2dynamo.item;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.deadletter.RejectReason;
import java.math.BigDecimal;
import org.junit.Test;

/** Tests {@link DynamoNumbers}: exact N strings, and refusal of numbers DynamoDB cannot store. */
public class DynamoNumbersTest {

  private static void assertRejected(RejectReason reason, BigDecimal value) {
    RejectedRowException e =
        assertThrows(RejectedRowException.class, () -> DynamoNumbers.of(value));
    assertEquals(reason, e.reason());
  }

  @Test
  public void decimalIsPlainWithoutTrailingZeros() throws Exception {
    assertEquals("1.1", DynamoNumbers.of(new BigDecimal("1.10")));
    assertEquals("1000", DynamoNumbers.of(new BigDecimal("1E+3")));
    assertEquals("0", DynamoNumbers.of(new BigDecimal("0.000")));
    assertEquals("0", DynamoNumbers.of(new BigDecimal("0E+5")));
    assertEquals("1467.1", DynamoNumbers.of(new BigDecimal("1467.10")));
    assertEquals("0.001", DynamoNumbers.of(new BigDecimal("1E-3")));
    assertEquals("42", DynamoNumbers.of(new BigDecimal("42")));
  }

  @Test
  public void negativeDecimals() throws Exception {
    assertEquals("-1.5", DynamoNumbers.of(new BigDecimal("-1.50")));
    assertEquals("-100", DynamoNumbers.of(new BigDecimal("-1E+2")));
    assertEquals("-0.000123", DynamoNumbers.of(new BigDecimal("-0.0001230")));
  }

  @Test
  public void thirtyEightSignificantDigitsAreAccepted() throws Exception {
    String digits38 = "1234567890123456789012345678901234567.8";
    assertEquals(digits38, DynamoNumbers.of(new BigDecimal(digits38)));
    // Trailing zeros are not significant.
    assertEquals(
        "12345678901234567890123456789012345678",
        DynamoNumbers.of(new BigDecimal("12345678901234567890123456789012345678.000")));
  }

  @Test
  public void thirtyNineSignificantDigitsAreRejected() {
    BigDecimal digits39 = new BigDecimal("123456789012345678901234567890123456789");
    RejectedRowException e =
        assertThrows(RejectedRowException.class, () -> DynamoNumbers.of(digits39));
    assertEquals(RejectReason.NUMBER_NOT_REPRESENTABLE, e.reason());
    assertTrue(e.getMessage(), e.getMessage().contains("39 significant digits"));
    assertRejected(
        RejectReason.NUMBER_NOT_REPRESENTABLE,
        new BigDecimal("-0.000123456789012345678901234567890123456789"));
  }

  @Test
  public void smallestMagnitude() throws Exception {
    assertEquals("0." + "0".repeat(129) + "1", DynamoNumbers.of(new BigDecimal("1E-130")));
    assertRejected(RejectReason.NUMBER_NOT_REPRESENTABLE, new BigDecimal("1E-131"));
    assertRejected(RejectReason.NUMBER_NOT_REPRESENTABLE, new BigDecimal("-9.9E-131"));
  }

  @Test
  public void largestMagnitude() throws Exception {
    assertEquals("99" + "0".repeat(124), DynamoNumbers.of(new BigDecimal("9.9E+125")));
    assertRejected(RejectReason.NUMBER_NOT_REPRESENTABLE, new BigDecimal("1E+126"));
    assertRejected(RejectReason.NUMBER_NOT_REPRESENTABLE, new BigDecimal("-1E+126"));
  }

  @Test
  public void doubleNaNAndInfinityAreRejected() {
    for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      RejectedRowException e = assertThrows(RejectedRowException.class, () -> DynamoNumbers.of(d));
      assertEquals(RejectReason.NUMBER_NOT_REPRESENTABLE, e.reason());
    }
  }

  @Test
  public void doubleIsItsShortestDecimal() throws Exception {
    assertEquals("0.1", DynamoNumbers.of(0.1));
    assertEquals("100000000000000000000", DynamoNumbers.of(1e20));
    assertEquals("0", DynamoNumbers.of(-0.0));
    assertEquals("-2.5", DynamoNumbers.of(-2.5));
    assertEquals("3", DynamoNumbers.of(3.0));
  }

  @Test
  public void doubleOutOfDynamoRangeIsRejected() {
    RejectedRowException e =
        assertThrows(RejectedRowException.class, () -> DynamoNumbers.of(Double.MIN_VALUE));
    assertEquals(RejectReason.NUMBER_NOT_REPRESENTABLE, e.reason());
  }

  @Test
  public void doubleIsShortestEvenWhereJava17DoubleToStringIsNot() throws Exception {
    assertEquals("100000000000000000000000", DynamoNumbers.of(1e23));
    assertEquals("200000000000000000000000", DynamoNumbers.of(2e23));
  }

  @Test
  public void floatIsItsShortestDecimal() throws Exception {
    assertEquals("1.1", DynamoNumbers.of(1.1f));
    assertEquals("0.1", DynamoNumbers.of(0.1f));
    assertEquals("0", DynamoNumbers.of(-0.0f));
  }

  @Test
  public void floatNaNAndInfinityAreRejected() {
    for (float f : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      RejectedRowException e = assertThrows(RejectedRowException.class, () -> DynamoNumbers.of(f));
      assertEquals(RejectReason.NUMBER_NOT_REPRESENTABLE, e.reason());
    }
  }

  @Test
  public void floatIsShortestEvenWhereJava17FloatToStringIsNot() throws Exception {
    assertEquals("685380200", DynamoNumbers.of(6.853802E8f));
  }

  @Test
  public void parseAcceptsNumbers() throws Exception {
    assertEquals("42", DynamoNumbers.parse("42"));
    assertEquals("7", DynamoNumbers.parse(" 7 "));
    assertEquals("42", DynamoNumbers.parse("0042"));
    assertEquals("-1.5", DynamoNumbers.parse("-1.50"));
    assertEquals("1000", DynamoNumbers.parse("1e3"));
  }

  @Test
  public void parseRejectsTextAsKeyTypeMismatch() {
    for (String text : new String[] {"abc", "", "1,5", "NaN"}) {
      RejectedRowException e =
          assertThrows(RejectedRowException.class, () -> DynamoNumbers.parse(text));
      assertEquals(text, RejectReason.KEY_TYPE_MISMATCH, e.reason());
      assertTrue(e.getMessage(), e.getMessage().contains("'" + text + "'"));
    }
  }

  @Test
  public void parseRejectsUnrepresentableNumbers() {
    RejectedRowException e =
        assertThrows(RejectedRowException.class, () -> DynamoNumbers.parse("1E+200"));
    assertEquals(RejectReason.NUMBER_NOT_REPRESENTABLE, e.reason());
  }
}
