package io.parquet2dynamo.dedupe;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.options.KindAndColumn;
import io.parquet2dynamo.source.InputOrder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which of several rows with one table key is written ({@code --dedupe}):
 *
 * <ul>
 *   <li>{@code last} (default): the row last in input order, input order being file path order
 *       (numbers in paths compared as numbers: {@link InputOrder}), then row order within a file
 *       (as if the files were loaded one after another);
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

  /** Input order ({@link InputOrder}) of items. */
  static final Comparator<LoadItem> INPUT_ORDER =
      InputOrder.of(LoadItem::sourceFile, LoadItem::sourceRow);

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
    KindAndColumn value =
        KindAndColumn.parse("dedupe", text, List.of("last", "maxBy:<column>", "none"));
    return new DedupePolicy(value.kind().equals("none"), value.column());
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
  public Comparator<LoadItem> order() {
    if (column == null) {
      return INPUT_ORDER;
    }
    String name = column;
    Comparator<LoadItem> byValue =
        (a, b) -> compareValues(a.attributes().get(name), b.attributes().get(name));
    return byValue.thenComparing(INPUT_ORDER);
  }

  /** Orders two values of one column; absent (or NULL) is the least. */
  public static int compareValues(AttributeValue a, AttributeValue b) {
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
