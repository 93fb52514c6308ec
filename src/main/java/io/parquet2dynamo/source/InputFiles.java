package io.parquet2dynamo.source;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code --inputPath} into the list of Parquet files to read. Each comma-separated pattern is
 * a file, a glob, or a directory meaning every {@code *.parquet} file below it. Matching happens
 * before the pipeline is built, so a pattern that matches nothing is an error, not an empty load.
 */
public final class InputFiles {
  private static final Logger LOG = LoggerFactory.getLogger(InputFiles.class);

  private InputFiles() {}

  /** One matched file, with the directory of the pattern that matched it. */
  public static final class Match {
    public final String path;
    public final long sizeBytes;
    public final String baseDir;

    Match(String path, long sizeBytes, String baseDir) {
      this.path = path;
      this.sizeBytes = sizeBytes;
      this.baseDir = baseDir;
    }
  }

  /** Resolves all patterns; files matched by several patterns are read once. Sorted by path. */
  public static List<Match> resolve(String inputPath) {
    Map<String, Match> byPath = new TreeMap<>();
    for (String raw : splitPatterns(inputPath)) {
      String pattern = withBeamScheme(raw.trim());
      if (pattern.isEmpty()) {
        continue;
      }
      List<Match> matches = new ArrayList<>();
      for (String alternative : expandBraces(pattern)) {
        matches.addAll(resolveOne(alternative));
      }
      if (matches.isEmpty()) {
        throw new InvalidInputException(
            "--inputPath: no Parquet files match '"
                + pattern
                + "'"
                + (hasWildcard(pattern)
                    ? ""
                    : " (a directory is searched for *.parquet below it)"));
      }
      for (Match m : matches) {
        byPath.putIfAbsent(m.path, m);
      }
    }
    if (byPath.isEmpty()) {
      throw new InvalidInputException("--inputPath is empty");
    }
    return new ArrayList<>(byPath.values());
  }

  /** Splits on the commas between patterns, not those inside a glob's {a,b}. */
  static List<String> splitPatterns(String inputPath) {
    List<String> patterns = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < inputPath.length(); i++) {
      char c = inputPath.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && depth > 0) {
        depth--;
      } else if (c == ',' && depth == 0) {
        patterns.add(inputPath.substring(start, i));
        start = i + 1;
      }
    }
    patterns.add(inputPath.substring(start));
    return patterns;
  }

  /**
   * Expands {@code {a,b}} alternatives into separate patterns, since neither of Beam's S3 and local
   * file systems does: {@code x/{a,b}/*.parquet} becomes {@code x/a/*.parquet} and {@code
   * x/b/*.parquet}; nested braces expand in turn.
   */
  static List<String> expandBraces(String pattern) {
    int open = pattern.indexOf('{');
    int close = open;
    for (int depth = 0; close >= 0 && close < pattern.length(); close++) {
      char c = pattern.charAt(close);
      depth += c == '{' ? 1 : c == '}' ? -1 : 0;
      if (depth == 0) {
        break;
      }
    }
    if (open < 0 || close >= pattern.length()) {
      return List.of(pattern);
    }
    List<String> out = new ArrayList<>();
    String head = pattern.substring(0, open);
    String tail = pattern.substring(close + 1);
    for (String alternative : splitPatterns(pattern.substring(open + 1, close))) {
      out.addAll(expandBraces(head + alternative + tail));
    }
    return out;
  }

  /** Spark and Hadoop spell S3 as s3a:// (or the older s3n://); Beam knows it as s3://. */
  static String withBeamScheme(String pattern) {
    for (String hadoopScheme : new String[] {"s3a://", "s3n://"}) {
      if (pattern.startsWith(hadoopScheme)) {
        String s3 = "s3://" + pattern.substring(hadoopScheme.length());
        LOG.info("Reading {} as {}", pattern, s3);
        return s3;
      }
    }
    return pattern;
  }

  private static List<Match> resolveOne(String pattern) {
    if (pattern.matches("s3://[^/]+")) {
      // A bare bucket is its root directory.
      pattern = pattern + "/";
    }
    if (hasWildcard(pattern)) {
      return match(pattern, baseDirOf(pattern), false);
    }
    if (pattern.endsWith("/") || isLocalDirectory(pattern)) {
      String dir = pattern.endsWith("/") ? pattern : pattern + "/";
      return match(dir + "**", dir, true);
    }
    List<Match> exact = match(pattern, baseDirOf(pattern), false);
    if (!exact.isEmpty() || !pattern.contains("://")) {
      return exact;
    }
    // An object store has no directories: s3://bucket/sales means the prefix sales/.
    return match(pattern + "/**", pattern + "/", true);
  }

  private static List<Match> match(String spec, String baseDir, boolean parquetOnly) {
    // Matches come back as absolute resource ids; the base must be in the same form.
    baseDir = canonicalDir(baseDir);
    MatchResult result;
    try {
      result = FileSystems.match(spec, EmptyMatchTreatment.ALLOW);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          "--inputPath: cannot list '" + spec + "': " + Errors.rootMessage(e), e);
    }
    List<Match> out = new ArrayList<>();
    if (result.status() == MatchResult.Status.NOT_FOUND) {
      return out;
    }
    try {
      List<String> notParquet = new ArrayList<>();
      for (MatchResult.Metadata m : result.metadata()) {
        String path = m.resourceId().toString();
        if (m.resourceId().isDirectory() || isHidden(baseDir, path)) {
          continue;
        }
        if (parquetOnly && !path.endsWith(".parquet")) {
          notParquet.add(path);
          continue;
        }
        out.add(new Match(path, m.sizeBytes(), baseDir));
      }
      if (!notParquet.isEmpty()) {
        // Not silent: Hive and Athena write data files without the extension.
        LOG.warn(
            "Skipped {} files under {} whose names do not end in .parquet, e.g. {}; name them in"
                + " --inputPath to read them",
            notParquet.size(),
            baseDir,
            notParquet.get(0));
      }
    } catch (IOException e) {
      throw new InvalidInputException(
          "--inputPath: cannot list '" + spec + "': " + Errors.rootMessage(e), e);
    }
    return out;
  }

  private static String canonicalDir(String dir) {
    if (dir.isEmpty()) {
      dir = ".";
    }
    try {
      String resolved = FileSystems.matchNewResource(dir, true).toString();
      return resolved.endsWith("/") ? resolved : resolved + "/";
    } catch (RuntimeException e) {
      return dir;
    }
  }

  /** Spark and Hive ignore _SUCCESS, _temporary/, .crc files and the like. */
  static boolean isHidden(String baseDir, String path) {
    String relative = path.startsWith(baseDir) ? path.substring(baseDir.length()) : path;
    for (String segment : relative.split("/")) {
      if (segment.startsWith("_") || segment.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  static String baseDirOf(String pattern) {
    int wildcard = firstWildcard(pattern);
    String fixed = wildcard < 0 ? pattern : pattern.substring(0, wildcard);
    return fixed.substring(0, fixed.lastIndexOf('/') + 1);
  }

  static boolean hasWildcard(String pattern) {
    return firstWildcard(pattern) >= 0;
  }

  private static int firstWildcard(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '{') {
        return i;
      }
    }
    return -1;
  }

  private static boolean isLocalDirectory(String pattern) {
    if (pattern.contains("://") && !pattern.startsWith("file://")) {
      return false;
    }
    try {
      return Files.isDirectory(Paths.get(pattern.replaceFirst("^file://", "")));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
