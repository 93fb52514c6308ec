package io.parquet2dynamo.sink;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.LoadItem;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Comparator;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which of several rows with one table key is written ({@code --dedupe}):
 *
 * <ul>
 *   <li>{@code last} (default): the row last in input order, input order being file path order,
 *       then row order within a file (as if the files were loaded one after another);
 *   <li>{@code maxBy:<column>}: the row with the greatest value of the column (numbers by value,
 *       strings and binary by their bytes, false before true); a row without the value loses to any
 *       row with one; ties go to the row last in input order;
 *   <li>{@code none}: every row is written, in the order the runner delivers them, so which row
 *       stays is not defined; no row counts as a duplicate.
 * </ul>
 *
 * <p>{@code last} and {@code maxBy} decide from the rows alone, so the same input gives the same
 * table on every runner and in any file order.
 */
public final class DedupePolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Input order: file path, then row; a missing file sorts first. */
  static final Comparator<LoadItem> INPUT_ORDER =
      Comparator.comparing(LoadItem::sourceFile, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparingLong(LoadItem::sourceRow);

  private final String column;
  private final boolean none;

  private DedupePolicy(boolean none, String column) {
    this.none = none;
    this.column = column;
  }

  /**
   * Parses the option's text.
   *
   * @throws InvalidInputException naming the valid values
   */
  public static DedupePolicy parse(String text) {
    String t = text == null ? "last" : text.strip();
    if (t.equals("last") || t.isEmpty()) {
      return new DedupePolicy(false, null);
    } else if (t.equals("none")) {
      return new DedupePolicy(true, null);
    } else if (t.startsWith("maxBy:") && t.length() > "maxBy:".length()) {
      return new DedupePolicy(false, t.substring("maxBy:".length()));
    }
    throw new InvalidInputException(
        "--dedupe=" + text + " is not a valid value; use one of last, maxBy:<column>, none");
  }

  /** Whether duplicates are kept (written in arrival order). */
  public boolean isNone() {
    return none;
  }

  /** The column {@code maxBy} compares, else null. */
  public String column() {
    return column;
  }

  /** The order in which the greatest item wins. */
  Comparator<LoadItem> order() {
    if (column == null) {
      return INPUT_ORDER;
    }
    String name = column;
    Comparator<LoadItem> byValue =
        (a, b) -> compareValues(a.attributes().get(name), b.attributes().get(name));
    return byValue.thenComparing(INPUT_ORDER);
  }

  /** Orders two values of one column; absent (or NULL) is the least. */
  static int compareValues(AttributeValue a, AttributeValue b) {
    boolean aAbsent = a == null || a.type() == AttributeValue.Type.NUL;
    boolean bAbsent = b == null || b.type() == AttributeValue.Type.NUL;
    if (aAbsent || bAbsent) {
      return Boolean.compare(!aAbsent, !bAbsent);
    }
    if (a.type() != b.type()) {
      // One column has one type; this only happens across differently typed files.
      return a.type().compareTo(b.type());
    }
    switch (a.type()) {
      case N:
        return new BigDecimal(a.n()).compareTo(new BigDecimal(b.n()));
      case S:
        return a.s().compareTo(b.s());
      case B:
        return java.util.Arrays.compareUnsigned(
            a.b().asByteArrayUnsafe(), b.b().asByteArrayUnsafe());
      case BOOL:
        return Boolean.compare(a.bool(), b.bool());
      default:
        throw new IllegalArgumentException("cannot order values of type " + a.type());
    }
  }

  @Override
  public String toString() {
    return none ? "none" : column == null ? "last" : "maxBy:" + column;
  }
}
