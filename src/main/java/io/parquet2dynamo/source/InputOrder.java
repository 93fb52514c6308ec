package io.parquet2dynamo.source;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * The order rows have in the input, as if the files were loaded one after another: by file path,
 * then by row within the file; a row whose file is unknown (a transform dropped the source field)
 * sorts first. The duplicate rule ({@code --dedupe=last}) and the join's lookup ("the last row of a
 * key wins") both decide by it, so it must be one definition.
 *
 * <p>Paths are compared folder by folder, <em>naturally</em>, so that the order is the one a person
 * expects rather than the order of the characters:
 *
 * <ul>
 *   <li>A partition value that is a number ({@code -12}, {@code 7}, {@code 2.5}: an optional minus,
 *       digits, an optional fraction) is compared as a number: {@code batch=9/} before {@code
 *       batch=10/}, {@code delta=-2/} before {@code delta=-1/}, {@code v=1.25/} before {@code
 *       v=1.5/}. Within one partition column, numbers come before other values (such as {@code
 *       __HIVE_DEFAULT_PARTITION__}).
 *   <li>Elsewhere (file names, other values such as dates), each run of digits is compared as a
 *       whole number: {@code part-9.parquet} before {@code part-10.parquet}, as pyarrow and Dask
 *       name them; Spark's zero-padded {@code part-00009} keeps its order either way. Other
 *       characters compare by their code, as before, so {@code day=2024-01-31} stays before {@code
 *       day=2024-02-01}.
 *   <li>Two paths that differ only in leading zeros or in how a number is written ({@code 007} and
 *       {@code 7}, {@code 1.50} and {@code 1.5}) are ordered by their text, so that the order is
 *       total and every runner agrees on it.
 * </ul>
 */
public final class InputOrder {
  private InputOrder() {}

  /** Compares two places in the input. */
  public static int compare(String fileA, long rowA, String fileB, long rowB) {
    int byFile = comparePaths(fileA, fileB);
    return byFile != 0 ? byFile : Long.compare(rowA, rowB);
  }

  /** The input order of values that know their file and row. */
  public static <T> Comparator<T> of(Function<T, String> file, ToLongFunction<T> row) {
    return (a, b) -> compare(file.apply(a), row.applyAsLong(a), file.apply(b), row.applyAsLong(b));
  }

  /** The order of two file paths (null first), as the class comment describes. */
  public static int comparePaths(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a.equals(b)) {
      // Most comparisons are of rows of one file.
      return 0;
    }
    String[] as = a.split("/", -1);
    String[] bs = b.split("/", -1);
    for (int i = 0; i < Math.min(as.length, bs.length); i++) {
      int bySegment = compareSegments(as[i], bs[i]);
      if (bySegment != 0) {
        return bySegment;
      }
    }
    int byDepth = Integer.compare(as.length, bs.length);
    return byDepth != 0 ? byDepth : a.compareTo(b);
  }

  /** A partition value read as a number: optional minus, digits, optional fraction. */
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

  /**
   * Compares two folder or file names as sequences of tokens: characters, runs of digits (compared
   * as whole numbers), and, for {@code key=value} with a numeric value, the value as one number,
   * which sorts before any other token and before the end of a name.
   */
  static int compareSegments(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    List<Object> ta = tokens(a);
    List<Object> tb = tokens(b);
    for (int i = 0; i < Math.min(ta.size(), tb.size()); i++) {
      int byToken = compareTokens(ta.get(i), tb.get(i));
      if (byToken != 0) {
        return byToken;
      }
    }
    if (ta.size() == tb.size()) {
      return 0;
    }
    // One is a prefix of the other: the end comes first, except after a numeric value.
    Object next = ta.size() > tb.size() ? ta.get(tb.size()) : tb.get(ta.size());
    int longerFirst = next instanceof BigDecimal ? -1 : 1;
    return ta.size() > tb.size() ? longerFirst : -longerFirst;
  }

  /**
   * Characters as {@link Character}, digit runs as {@link Digits}, a numeric value as BigDecimal.
   */
  private static List<Object> tokens(String segment) {
    int eq = segment.indexOf('=');
    String name = segment;
    BigDecimal value = null;
    if (eq > 0 && NUMBER.matcher(segment).region(eq + 1, segment.length()).matches()) {
      name = segment.substring(0, eq + 1);
      value = new BigDecimal(segment.substring(eq + 1));
    }
    List<Object> tokens = new ArrayList<>(name.length() + 1);
    int i = 0;
    while (i < name.length()) {
      char c = name.charAt(i);
      if (isDigit(c)) {
        int start = i;
        while (i < name.length() && isDigit(name.charAt(i))) {
          i++;
        }
        tokens.add(new Digits(name.substring(start, i)));
      } else {
        tokens.add(c);
        i++;
      }
    }
    if (value != null) {
      tokens.add(value);
    }
    return tokens;
  }

  private static int compareTokens(Object a, Object b) {
    if (a instanceof BigDecimal || b instanceof BigDecimal) {
      if (a instanceof BigDecimal && b instanceof BigDecimal) {
        return ((BigDecimal) a).compareTo((BigDecimal) b);
      }
      return a instanceof BigDecimal ? -1 : 1;
    }
    if (a instanceof Digits && b instanceof Digits) {
      return ((Digits) a).compareTo((Digits) b);
    }
    // A digit run sorts where its digits would among characters: all digits lie between '/' and
    // ':', and the other token is not a digit, so which digit does not matter.
    char ca = a instanceof Digits ? '0' : (Character) a;
    char cb = b instanceof Digits ? '0' : (Character) b;
    return Character.compare(ca, cb);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A run of ASCII digits, compared as a whole number of any length. */
  private static final class Digits implements Comparable<Digits> {
    private final String significant;

    Digits(String digits) {
      int i = 0;
      while (i < digits.length() - 1 && digits.charAt(i) == '0') {
        i++;
      }
      this.significant = digits.substring(i);
    }

    @Override
    public int compareTo(Digits other) {
      int byLength = Integer.compare(significant.length(), other.significant.length());
      return byLength != 0 ? byLength : significant.compareTo(other.significant);
    }
  }
}
