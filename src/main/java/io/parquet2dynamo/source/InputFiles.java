package io.parquet2dynamo.source;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.aws.S3Clients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Turns {@code --inputPath} into the list of Parquet files to read. Each comma-separated pattern is
 * a file, a glob, or a directory meaning every {@code *.parquet} file below it. Matching happens
 * before the pipeline is built, so a pattern that matches nothing is an error, not an empty load.
 *
 * <p>Files and folders are skipped as Spark 3.5 skips them ({@code HadoopFSUtils
 * .shouldFilterOutPathName}): a name starting with {@code .}, a name starting with {@code _} that
 * is not a {@code key=value} partition folder, and a name ending in {@code ._COPYING_}. So {@code
 * _SUCCESS}, {@code _temporary/}, {@code _metadata} and {@code .part-0.parquet.crc} are skipped,
 * but {@code _part=1/} is read. In a directory, files whose names do not end in {@code .parquet}
 * are skipped too. Nothing is skipped silently: {@link #list} returns what was skipped, for the
 * summary's {@code filesIgnored} and a warning that names a few of them.
 *
 * <p>Each file carries what identifies its version, for bookmarks: its last-modified time, and, for
 * an {@code s3://} file listed with {@link #resolve(String, PipelineOptions)}, its ETag.
 */
public final class InputFiles {
  private static final Logger LOG = LoggerFactory.getLogger(InputFiles.class);

  private InputFiles() {}

  /** One matched file, with the directory of the pattern that matched it. */
  public static final class Match {
    public final String path;
    public final long sizeBytes;
    public final String baseDir;

    /**
     * When the file was last written, or null when the file system does not say. Local files: their
     * modification time at the file system's precision (nanoseconds on Linux); S3: the object's
     * Last-Modified (whole seconds).
     */
    public final Instant lastModified;

    /**
     * An {@code s3://} object's ETag without its quotes (a digest of its content, or of its parts
     * for a multipart upload), or null for a local file or when listed without the options.
     */
    public final String etag;

    Match(String path, long sizeBytes, String baseDir) {
      this(path, sizeBytes, baseDir, null, null);
    }

    public Match(String path, long sizeBytes, String baseDir, Instant lastModified, String etag) {
      this.path = path;
      this.sizeBytes = sizeBytes;
      this.baseDir = baseDir;
      this.lastModified = lastModified;
      this.etag = etag;
    }

    @Override
    public String toString() {
      return path + " (" + sizeBytes + " bytes" + (etag == null ? "" : ", ETag " + etag) + ")";
    }
  }

  /** What {@code --inputPath} lists: the files to read, and the files skipped. */
  public static final class Listing {
    /** How many skipped files a warning names. */
    static final int EXAMPLES = 3;

    /** The files to read, sorted by path; each once. */
    public final List<Match> files;

    /** Files skipped as hidden (or inside a hidden folder), sorted by path. */
    public final List<String> hidden;

    /** Files in a directory skipped because their names do not end in .parquet, sorted. */
    public final List<String> notParquet;

    Listing(List<Match> files, Collection<String> hidden, Collection<String> notParquet) {
      this.files = List.copyOf(files);
      this.hidden = List.copyOf(new TreeSet<>(hidden));
      this.notParquet = List.copyOf(new TreeSet<>(notParquet));
    }

    /** Files listed but not read: hidden ones and, in a directory, those not named *.parquet. */
    public int ignoredCount() {
      return hidden.size() + notParquet.size();
    }

    /**
     * One line that counts the skipped files and names a few, or null when none was skipped, e.g.
     * {@code ignored 3 files: 2 hidden (names starting with '_' or '.', as Spark skips them), e.g.
     * /d/_SUCCESS, /d/_temporary/0/x.parquet; 1 not named *.parquet, e.g. /d/notes.txt (name such
     * files in --inputPath to read them)}.
     */
    public String warning() {
      if (ignoredCount() == 0) {
        return null;
      }
      List<String> parts = new ArrayList<>();
      if (!hidden.isEmpty()) {
        parts.add(
            hidden.size()
                + " hidden (names starting with '_' or '.', as Spark skips them), e.g. "
                + examples(hidden));
      }
      if (!notParquet.isEmpty()) {
        parts.add(
            notParquet.size()
                + " not named *.parquet, e.g. "
                + examples(notParquet)
                + " (name such files in --inputPath to read them)");
      }
      return "ignored "
          + ignoredCount()
          + (ignoredCount() == 1 ? " file: " : " files: ")
          + String.join("; ", parts);
    }

    private static String examples(List<String> paths) {
      String named = String.join(", ", paths.subList(0, Math.min(EXAMPLES, paths.size())));
      return paths.size() > EXAMPLES ? named + "..." : named;
    }
  }

  /** Resolves all patterns; files matched by several patterns are read once. Sorted by path. */
  public static List<Match> resolve(String inputPath) {
    return logged(list(inputPath, null));
  }

  /**
   * Resolves all patterns as {@link #resolve(String, PipelineOptions)} does, and also returns the
   * files skipped; the caller reports them (nothing is logged here).
   *
   * @param options for the ETags of {@code s3://} files, or null to list without them
   */
  public static Listing list(String inputPath, PipelineOptions options) {
    try (EtagLister etags = options == null ? null : new EtagLister(options)) {
      return resolveWith(inputPath, etags);
    }
  }

  private static List<Match> logged(Listing listing) {
    if (listing.ignoredCount() > 0) {
      LOG.warn("--inputPath: {}", listing.warning());
    }
    return listing.files;
  }

  /**
   * As {@link #resolve(String)}, and every {@code s3://} file also carries its ETag.
   *
   * <p>Beam's S3 file system lists a glob with ListObjectsV2 and then sends a HeadObject per file
   * (for its content encoding), but drops the ETag both returned (Beam 2.62.0, {@code
   * S3FileSystem.matchGlobPaths}); only an exact path keeps it. So the prefix of each glob is
   * listed again here with ListObjectsV2, through an S3 client built from {@code options} as Beam's
   * own is: one request per 1,000 objects, where a HeadObject per file would add 1,000. Size, ETag
   * and last-modified time are then all taken from that one listing, so they describe the same
   * version of the object.
   */
  public static List<Match> resolve(String inputPath, PipelineOptions options) {
    return logged(list(inputPath, options));
  }

  /**
   * The patterns of {@code --inputPath} as they are matched: split on commas outside braces,
   * trimmed, with s3a:// and s3n:// read as s3://, empty ones dropped.
   */
  public static List<String> patterns(String inputPath) {
    List<String> out = new ArrayList<>();
    for (String raw : splitPatterns(inputPath)) {
      String pattern = withBeamScheme(raw.trim());
      if (!pattern.isEmpty()) {
        out.add(pattern);
      }
    }
    return out;
  }

  private static Listing resolveWith(String inputPath, EtagLister etags) {
    Map<String, Match> byPath = new TreeMap<>();
    Set<String> hidden = new TreeSet<>();
    Set<String> notParquet = new TreeSet<>();
    for (String raw : splitPatterns(inputPath)) {
      String pattern = withBeamScheme(raw.trim());
      if (pattern.isEmpty()) {
        continue;
      }
      List<Match> matches = new ArrayList<>();
      List<String> skippedHidden = new ArrayList<>();
      List<String> skippedNotParquet = new ArrayList<>();
      for (String alternative : expandBraces(pattern)) {
        Listing one = resolveOne(alternative, etags);
        matches.addAll(one.files);
        skippedHidden.addAll(one.hidden);
        skippedNotParquet.addAll(one.notParquet);
      }
      hidden.addAll(skippedHidden);
      notParquet.addAll(skippedNotParquet);
      if (matches.isEmpty()) {
        Listing skipped = new Listing(matches, skippedHidden, skippedNotParquet);
        throw new InvalidInputException(
            "--inputPath: no Parquet files match '"
                + pattern
                + "'"
                + (hasWildcard(pattern) ? "" : " (a directory is searched for *.parquet below it)")
                + (skipped.ignoredCount() == 0 ? "" : "; " + skipped.warning()));
      }
      for (Match m : matches) {
        byPath.putIfAbsent(m.path, m);
      }
    }
    if (byPath.isEmpty()) {
      throw new InvalidInputException("--inputPath is empty");
    }
    // A file one pattern skips and another names is read, not ignored.
    hidden.removeAll(byPath.keySet());
    notParquet.removeAll(byPath.keySet());
    return new Listing(new ArrayList<>(byPath.values()), hidden, notParquet);
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

  private static Listing resolveOne(String pattern, EtagLister etags) {
    if (pattern.matches("s3://[^/]+")) {
      // A bare bucket is its root directory.
      pattern = pattern + "/";
    }
    if (hasWildcard(pattern)) {
      return match(pattern, baseDirOf(pattern), false, true, etags);
    }
    if (pattern.endsWith("/") || isLocalDirectory(pattern)) {
      String dir = pattern.endsWith("/") ? pattern : pattern + "/";
      return match(dir + "**", dir, true, true, etags);
    }
    // A file named in full is read whatever its name: naming it says it is data.
    Listing exact = match(pattern, baseDirOf(pattern), false, false, etags);
    if (!exact.files.isEmpty() || !pattern.contains("://")) {
      return exact;
    }
    // An object store has no directories: s3://bucket/sales means the prefix sales/.
    return match(pattern + "/**", pattern + "/", true, true, etags);
  }

  private static Listing match(
      String spec, String baseDir, boolean parquetOnly, boolean skipHidden, EtagLister etags) {
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
    List<String> hidden = new ArrayList<>();
    // Not silent: Hive and Athena write data files without the extension.
    List<String> notParquet = new ArrayList<>();
    if (result.status() == MatchResult.Status.NOT_FOUND) {
      return new Listing(out, hidden, notParquet);
    }
    try {
      for (MatchResult.Metadata m : result.metadata()) {
        String path = m.resourceId().toString();
        if (m.resourceId().isDirectory()) {
          continue;
        }
        if (skipHidden && isHidden(baseDir, path)) {
          hidden.add(path);
        } else if (parquetOnly && !path.endsWith(".parquet")) {
          notParquet.add(path);
        } else {
          out.add(versioned(spec, path, m, baseDir, etags));
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException(
          "--inputPath: cannot list '" + spec + "': " + Errors.rootMessage(e), e);
    }
    return new Listing(out, hidden, notParquet);
  }

  /** The match with what identifies its version: modification time, and ETag for S3. */
  private static Match versioned(
      String spec, String path, MatchResult.Metadata m, String baseDir, EtagLister etags) {
    Instant modified =
        m.lastModifiedMillis() > 0 ? Instant.ofEpochMilli(m.lastModifiedMillis()) : null;
    if (!path.contains("://") || path.startsWith("file://")) {
      // Beam gives milliseconds; the file system knows better, so a file rewritten within the
      // same millisecond with the same size still counts as changed.
      try {
        modified =
            Files.getLastModifiedTime(Paths.get(path.replaceFirst("^file://", ""))).toInstant();
      } catch (IOException | RuntimeException e) {
        LOG.debug("Cannot read the modification time of {}", path, e);
      }
      return new Match(path, m.sizeBytes(), baseDir, modified, null);
    }
    if (etags == null || !path.startsWith("s3://")) {
      return new Match(path, m.sizeBytes(), baseDir, modified, null);
    }
    if (m.checksum() != null && !m.checksum().isEmpty()) {
      // An exact path was matched with HeadObject, which Beam keeps the ETag of.
      return new Match(path, m.sizeBytes(), baseDir, modified, EtagLister.unquote(m.checksum()));
    }
    S3Object listed = etags.listing(spec).get(path);
    if (listed == null) {
      // Deleted since Beam listed it: reading it will say so.
      return new Match(path, m.sizeBytes(), baseDir, modified, null);
    }
    return new Match(
        path, listed.size(), baseDir, listed.lastModified(), EtagLister.unquote(listed.eTag()));
  }

  /**
   * Lists S3 prefixes with ListObjectsV2 for the ETags of the objects below them; each prefix is
   * listed once per {@link #resolve} call.
   */
  private static final class EtagLister implements AutoCloseable {
    private final PipelineOptions options;
    private S3Client client;
    private final Map<String, Map<String, S3Object>> byPrefix = new HashMap<>();

    EtagLister(PipelineOptions options) {
      this.options = options;
    }

    /** Every object below the fixed part of {@code spec} (up to its first wildcard), by path. */
    Map<String, S3Object> listing(String spec) {
      String fixed =
          spec.substring(0, firstWildcard(spec) < 0 ? spec.length() : firstWildcard(spec));
      String rest = fixed.substring("s3://".length());
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String prefix = slash < 0 ? "" : rest.substring(slash + 1);
      return byPrefix.computeIfAbsent(
          bucket + "/" + prefix,
          k -> {
            if (client == null) {
              client = S3Clients.create(options);
            }
            Map<String, S3Object> objects = new HashMap<>();
            try {
              for (S3Object o :
                  client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                objects.put("s3://" + bucket + "/" + o.key(), o);
              }
            } catch (RuntimeException e) {
              throw new InvalidInputException(
                  "--inputPath: cannot list the ETags below s3://"
                      + bucket
                      + "/"
                      + prefix
                      + ": "
                      + Errors.rootMessage(e),
                  e);
            }
            return objects;
          });
    }

    static String unquote(String etag) {
      if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
        return etag.substring(1, etag.length() - 1);
      }
      return etag;
    }

    @Override
    public void close() {
      if (client != null) {
        client.close();
      }
    }
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

  /**
   * Whether a name below {@code baseDir} on the way to {@code path} is hidden ({@link
   * #isHiddenName}); the base directory itself may have any name.
   */
  static boolean isHidden(String baseDir, String path) {
    String relative = path.startsWith(baseDir) ? path.substring(baseDir.length()) : path;
    for (String segment : relative.split("/")) {
      if (isHiddenName(segment)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Spark 3.5's rule for the names it skips: {@code _SUCCESS}, {@code _temporary}, {@code
   * _metadata}, {@code .crc} files and the like, but not a {@code _key=value} partition folder, and
   * also names ending in {@code ._COPYING_} (a copy in progress). A name starting with {@code .} is
   * hidden even with an {@code =}, as in Spark.
   */
  static boolean isHiddenName(String name) {
    return name.startsWith(".")
        || (name.startsWith("_") && !name.contains("="))
        || name.endsWith("._COPYING_");
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
