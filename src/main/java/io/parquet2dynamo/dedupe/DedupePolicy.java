package io.parquet2dynamo.dedupe;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.options.KindAndColumn;
import io.parquet2dynamo.source.InputOrder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.values.Row;

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

  /** Orders two candidates of one key: the greatest wins. */
  interface CandidateOrder {
    int compare(FindDuplicates.Candidate a, FindDuplicates.Candidate b);
  }

  /**
   * The order in which the greatest candidate wins: for {@code maxBy}, by the column's typed value
   * as the rows hold it (numbers by value, text and binary by their bytes, timestamps and dates in
   * time, false before true; a row without a value loses to any row with one), whatever form the
   * item writes it in; ties, and {@code last}, by {@link InputOrder}.
   *
   * @param orderSchema the one-field schema the candidates' order values are encoded in, or null
   */
  CandidateOrder candidateOrder(Schema orderSchema) {
    CandidateOrder byPlace = (a, b) -> InputOrder.compare(a.file(), a.row(), b.file(), b.row());
    if (column == null) {
      return byPlace;
    }
    SchemaCoder<Row> coder = SchemaCoder.of(orderSchema);
    return (a, b) -> {
      int byValue = compareValues(decode(coder, a.order()), decode(coder, b.order()));
      return byValue != 0 ? byValue : byPlace.compare(a, b);
    };
  }

  private static Object decode(SchemaCoder<Row> coder, byte[] order) {
    if (order == null) {
      return null;
    }
    try {
      return coder.decode(new ByteArrayInputStream(order)).getValue(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Orders two typed values of one column; null is the least. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compareValues(Object a, Object b) {
    if (a == null || b == null) {
      return Boolean.compare(a != null, b != null);
    }
    if (a instanceof byte[] && b instanceof byte[]) {
      return Arrays.compareUnsigned((byte[]) a, (byte[]) b);
    }
    if (a instanceof Comparable && a.getClass() == b.getClass()) {
      return ((Comparable) a).compareTo(b);
    }
    if (a instanceof Number && b instanceof Number) {
      return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
    }
    // A type with no natural order of its own (an enumeration's value): by its text.
    return a.toString().compareTo(b.toString());
  }

  @Override
  public String toString() {
    return none ? "none" : column == null ? "last" : "maxBy:" + column;
  }
}
