package io.parquet2dynamo.source;

import java.util.Comparator;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The order rows have in the input, as if the files were loaded one after another: by file path,
 * then by row within the file; a row whose file is unknown (a transform dropped the source field)
 * sorts first. The duplicate rule ({@code --dedupe=last}) and the join's lookup ("the last row of a
 * key wins") both decide by it, so it must be one definition.
 */
public final class InputOrder {
  private InputOrder() {}

  /** Compares two places in the input. */
  public static int compare(String fileA, long rowA, String fileB, long rowB) {
    int byFile = FILES.compare(fileA, fileB);
    return byFile != 0 ? byFile : Long.compare(rowA, rowB);
  }

  /** The input order of values that know their file and row. */
  public static <T> Comparator<T> of(Function<T, String> file, ToLongFunction<T> row) {
    return (a, b) -> compare(file.apply(a), row.applyAsLong(a), file.apply(b), row.applyAsLong(b));
  }

  private static final Comparator<String> FILES =
      Comparator.nullsFirst(Comparator.<String>naturalOrder());
}
