package io.parquet2dynamo.item;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size DynamoDB counts for an item, by its published rules ("Item sizes and formats" in the
 * DynamoDB developer guide): names and strings in UTF-8 bytes; a number by {@link #numberSize};
 * binary its raw length; null and boolean 1 byte; a list or map 3 bytes plus its elements, each
 * element 1 byte more; sets the sum of their members.
 */
public final class ItemSize {
  /** DynamoDB's limit on an item, names included. */
  public static final int MAX_ITEM_BYTES = 400 * 1024;

  private ItemSize() {}

  public static long of(Map<String, AttributeValue> item) {
    long size = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      size += utf8Length(e.getKey()) + of(e.getValue());
    }
    return size;
  }

  /** Size of one value, without its name. */
  public static long of(AttributeValue value) {
    switch (value.type()) {
      case S:
        return utf8Length(value.s());
      case N:
        return numberSize(value.n());
      case B:
        return value.b().asByteArrayUnsafe().length;
      case BOOL:
      case NUL:
        return 1;
      case L:
        {
          long size = 3;
          for (AttributeValue element : value.l()) {
            size += 1 + of(element);
          }
          return size;
        }
      case M:
        {
          long size = 3;
          for (Map.Entry<String, AttributeValue> e : value.m().entrySet()) {
            size += 1 + utf8Length(e.getKey()) + of(e.getValue());
          }
          return size;
        }
      case SS:
        return sumUtf8(value.ss());
      case NS:
        {
          long size = 0;
          for (String n : value.ns()) {
            size += numberSize(n);
          }
          return size;
        }
      case BS:
        {
          long size = 0;
          for (var b : value.bs()) {
            size += b.asByteArrayUnsafe().length;
          }
          return size;
        }
      default:
        throw new IllegalArgumentException("unknown attribute type " + value.type());
    }
  }

  /**
   * A number's size as DynamoDB counts it: its significant digits in base-100 pairs aligned on the
   * decimal point, plus one byte, plus one more for a negative number. "1 byte per two significant
   * digits, plus 1" (the developer guide's approximation) undercounts fractions and negatives: 1.5
   * is the pairs 01.50, 3 bytes, and -7 is 3 bytes. Measured against DynamoDB Local (ItemSizeIT):
   * the largest list of each kind of number it takes is exactly the largest this counts within 400
   * KB.
   */
  static long numberSize(String n) {
    int start = 0;
    boolean negative = false;
    if (n.startsWith("-")) {
      negative = true;
      start = 1;
    } else if (n.startsWith("+")) {
      start = 1;
    }
    int end = n.length();
    int exponent = 0;
    for (int i = start; i < n.length(); i++) {
      char c = n.charAt(i);
      if (c == 'e' || c == 'E') {
        end = i;
        exponent = Integer.parseInt(n.substring(i + 1).replace("+", ""));
        break;
      }
    }
    // Powers of ten of the first and last non-zero digits.
    int point = n.indexOf('.', start);
    if (point < 0 || point > end) {
      point = end;
    }
    int first = Integer.MIN_VALUE;
    int last = Integer.MIN_VALUE;
    for (int i = start; i < end; i++) {
      char c = n.charAt(i);
      if (c >= '1' && c <= '9') {
        int power = (i < point ? point - i - 1 : point - i) + exponent;
        if (first == Integer.MIN_VALUE) {
          first = power;
        }
        last = power;
      }
    }
    if (first == Integer.MIN_VALUE) {
      return 2; // zero
    }
    long pairs = Math.floorDiv(first, 2) - Math.floorDiv(last, 2) + 1;
    return pairs + 1 + (negative ? 1 : 0);
  }

  static int utf8Length(String s) {
    int ascii = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return s.getBytes(StandardCharsets.UTF_8).length;
      }
      ascii++;
    }
    return ascii;
  }

  private static long sumUtf8(List<String> strings) {
    long size = 0;
    for (String s : strings) {
      size += utf8Length(s);
    }
    return size;
  }
}
