package io.parquet2dynamo.source;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads Hive-style partition folders ({@code region=eu/day=2024-01-31/}) from a file's path: the
 * {@code key=value} folders directly above the file, up to the first folder that is not one, so
 * {@code s3://b/data=x/sales/region=eu/f.parquet} has only {@code region}. This does not depend on
 * how the input pattern was written: a glob into one partition still gets its column. Values are
 * percent-decoded (Hive escapes {@code /}, {@code =}, {@code :} and others that way), and Hive's
 * {@code __HIVE_DEFAULT_PARTITION__} stands for null.
 */
public final class HivePartitions {
  static final String HIVE_NULL = "__HIVE_DEFAULT_PARTITION__";

  private HivePartitions() {}

  /**
   * Returns the partition columns of {@code filePath}, outermost folder first; a null value where
   * Hive wrote its default partition.
   */
  public static Map<String, String> of(String filePath) {
    String[] segments = filePath.split("/");
    // The last segment is the file name itself; walk up from its folder.
    int first = segments.length - 1;
    while (first > 0 && isPartitionFolder(segments[first - 1])) {
      first--;
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = first; i < segments.length - 1; i++) {
      String segment = segments[i];
      int eq = segment.indexOf('=');
      String key = decode(segment.substring(0, eq));
      String value = decode(segment.substring(eq + 1));
      values.put(key, HIVE_NULL.equals(value) ? null : value);
    }
    return values;
  }

  private static boolean isPartitionFolder(String segment) {
    return segment.indexOf('=') > 0;
  }

  private static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    // Hive escapes with %XX only; '+' is a literal plus, so protect it from URLDecoder.
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
