package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Tests {@link HalfFloats} on half-precision values whose decimals are known. */
public class HalfFloatsTest {
  private static float read(int bits) {
    return HalfFloats.read(new byte[] {(byte) bits, (byte) (bits >>> 8)});
  }

  @Test
  public void exactValuesFollowIeee754HalfPrecision() {
    assertEquals(1.0f, HalfFloats.exactValue(0x3c00), 0f);
    assertEquals(-2.0f, HalfFloats.exactValue(0xc000), 0f);
    assertEquals(65504f, HalfFloats.exactValue(0x7bff), 0f);
    // The smallest subnormal is 2^-24; 0x2e66 is the half nearest 0.1.
    assertEquals(0x1p-24f, HalfFloats.exactValue(0x0001), 0f);
    assertEquals(0.0999755859375f, HalfFloats.exactValue(0x2e66), 0f);
  }

  @Test
  public void readsTheShortestDecimalThatIsTheSameHalf() {
    assertEquals(0.1f, read(0x2e66), 0f);
    assertEquals(-0.1f, read(0xae66), 0f);
    assertEquals(1.0f, read(0x3c00), 0f);
    assertEquals(65500f, read(0x7bff), 0f);
    // 2^-24 = 5.96e-8; every value in (2^-25, 3 * 2^-25) reads back as it.
    assertEquals(6e-8f, read(0x0001), 0f);
    // 1/3 as a half is 0.333251953125; 0.3333 is the shortest that reads back.
    assertEquals(0.3333f, read(0x3555), 0f);
  }

  @Test
  public void specialValuesStayAsTheyAre() {
    assertEquals(Float.POSITIVE_INFINITY, read(0x7c00), 0f);
    assertEquals(Float.NEGATIVE_INFINITY, read(0xfc00), 0f);
    assertEquals(Float.NaN, read(0x7e00), 0f);
    assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(read(0x8000)));
  }
}
