package io.parquet2dynamo.bookmark;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.aws.S3Clients;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.source.InputFiles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Whether and where a run keeps a bookmark, resolved from the options and Glue's own arguments.
 *
 * <ul>
 *   <li>No {@code --job-bookmark-option}: on (read and update) with {@code --bookmarkPath}, off
 *       without it.
 *   <li>{@code job-bookmark-enable}: on, at {@code --bookmarkPath} or else at {@code
 *       <--TempDir>/parquet2dynamo-bookmarks/<--JOB_NAME>.json} (the job name with characters other
 *       than letters, digits, '.', '_' and '-' replaced by '_').
 *   <li>{@code job-bookmark-pause}: the bookmark is read and files are selected as when on, but it
 *       is not updated (Glue's pause; its {@code --job-bookmark-from}/{@code -to} run ranges are
 *       not supported).
 *   <li>{@code job-bookmark-disable} (Glue's default): off, even with {@code --bookmarkPath}, and
 *       {@code --bookmarkReset}, {@code --maxFilesPerRun} and {@code --maxBytesPerRun} are ignored
 *       with a warning: a Glue run cannot remove a job's default arguments, so a one-off full
 *       reload with bookmarks disabled must not fail on them.
 * </ul>
 *
 * <p>Without {@code --job-bookmark-option} and without a bookmark, {@code --bookmarkReset}, {@code
 * --maxFilesPerRun} and {@code --maxBytesPerRun} are errors: they mean nothing without one.
 */
public final class BookmarkSettings {
  /** What a run does with its bookmark. */
  public enum Mode {
    /** No bookmark: every listed file is loaded and nothing is recorded. */
    OFF,
    /** Read the bookmark, load new and changed files, record them on success. */
    ENABLED,
    /** Read the bookmark and load new and changed files, but do not record them. */
    PAUSED
  }

  static final String GLUE_OPTION = "job-bookmark-option";
  static final String GLUE_TEMP_DIR = "TempDir";
  static final String GLUE_JOB_NAME = "JOB_NAME";

  /** Where Glue-enabled bookmarks go below {@code --TempDir}. */
  public static final String GLUE_FOLDER = "parquet2dynamo-bookmarks";

  private final Mode mode;
  private final String path;
  private final boolean reset;
  private final Integer maxFiles;
  private final Long maxBytes;
  private final List<String> inputPatterns;
  private final String table;
  private final List<String> warnings;
  private final PipelineOptions options;

  private BookmarkSettings(
      Mode mode,
      String path,
      boolean reset,
      Integer maxFiles,
      Long maxBytes,
      List<String> inputPatterns,
      String table,
      List<String> warnings,
      PipelineOptions options) {
    this.mode = mode;
    this.path = path;
    this.reset = reset;
    this.maxFiles = maxFiles;
    this.maxBytes = maxBytes;
    this.inputPatterns = inputPatterns;
    this.table = table;
    this.warnings = Collections.unmodifiableList(warnings);
    this.options = options;
  }

  /**
   * Resolves the settings.
   *
   * @param glueArguments Glue's own arguments, as {@code JobArguments.Normalised#glueArguments}
   *     keeps them aside (empty when not run by Glue)
   * @throws InvalidInputException for a bad combination, a bad path or a bad limit
   */
  public static BookmarkSettings resolve(
      Parquet2DynamoOptions options, Map<String, String> glueArguments) {
    String glueOption = blankToNull(glueArguments.get(GLUE_OPTION));
    String path = blankToNull(options.getBookmarkPath());
    boolean reset = options.getBookmarkReset();
    Integer maxFiles = options.getMaxFilesPerRun();
    Long maxBytes = options.getMaxBytesPerRun();
    List<String> warnings = new ArrayList<>();
    Mode mode;
    if (glueOption == null) {
      mode = path == null ? Mode.OFF : Mode.ENABLED;
    } else {
      switch (glueOption) {
        case "job-bookmark-enable":
          mode = Mode.ENABLED;
          break;
        case "job-bookmark-pause":
          mode = Mode.PAUSED;
          break;
        case "job-bookmark-disable":
          mode = Mode.OFF;
          break;
        default:
          throw new InvalidInputException(
              "--job-bookmark-option is '"
                  + glueOption
                  + "'; it must be job-bookmark-enable, job-bookmark-pause or"
                  + " job-bookmark-disable");
      }
    }
    if (mode == Mode.OFF) {
      List<String> given = new ArrayList<>();
      if (path != null) {
        given.add("--bookmarkPath");
      }
      if (reset) {
        given.add("--bookmarkReset");
      }
      if (maxFiles != null) {
        given.add("--maxFilesPerRun");
      }
      if (maxBytes != null) {
        given.add("--maxBytesPerRun");
      }
      if (!given.isEmpty()) {
        if (glueOption == null) {
          throw new InvalidInputException(
              String.join(" and ", given)
                  + (given.size() == 1 ? " needs" : " need")
                  + " a bookmark: give --bookmarkPath (or, on Glue, --job-bookmark-option"
                  + " job-bookmark-enable)");
        }
        warnings.add(
            String.join(", ", given)
                + " ignored: --job-bookmark-option job-bookmark-disable turns bookmarks off, so"
                + " every file is loaded and nothing is recorded");
      }
      return new BookmarkSettings(
          mode, null, false, null, null, List.of(), null, warnings, options);
    }
    if (path == null) {
      path = gluePath(glueArguments);
    }
    path = checkPath(path);
    if (maxFiles != null && maxFiles < 1) {
      throw new InvalidInputException("--maxFilesPerRun must be 1 or more, not " + maxFiles);
    }
    if (maxBytes != null && maxBytes < 1) {
      throw new InvalidInputException("--maxBytesPerRun must be 1 or more, not " + maxBytes);
    }
    if (mode == Mode.PAUSED && (maxFiles != null || maxBytes != null)) {
      warnings.add(
          "--job-bookmark-option job-bookmark-pause does not record what this run loads, so a"
              + " later run loads this slice again");
    }
    return new BookmarkSettings(
        mode,
        path,
        reset,
        maxFiles,
        maxBytes,
        inputPatterns(options.getInputPath()),
        options.getTableName(),
        warnings,
        options);
  }

  /** Glue's default place: {@code <TempDir>/parquet2dynamo-bookmarks/<JOB_NAME>.json}. */
  static String gluePath(Map<String, String> glueArguments) {
    String tempDir = blankToNull(glueArguments.get(GLUE_TEMP_DIR));
    String jobName = blankToNull(glueArguments.get(GLUE_JOB_NAME));
    if (tempDir == null || jobName == null) {
      throw new InvalidInputException(
          "--job-bookmark-option job-bookmark-enable (or -pause) needs --bookmarkPath, or both"
              + " --TempDir and --JOB_NAME to keep the bookmark at <TempDir>/"
              + GLUE_FOLDER
              + "/<JOB_NAME>.json (give the Glue job a temporary directory), but "
              + (tempDir == null ? "--TempDir" : "--JOB_NAME")
              + " is missing");
    }
    String dir = tempDir.endsWith("/") ? tempDir : tempDir + "/";
    return dir + GLUE_FOLDER + "/" + jobName.replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
  }

  /** A local path or an s3:// object (s3a:// and s3n:// read as s3://), naming a file. */
  static String checkPath(String path) {
    String p = path.trim();
    for (String hadoop : new String[] {"s3a://", "s3n://"}) {
      if (p.startsWith(hadoop)) {
        p = "s3://" + p.substring(hadoop.length());
      }
    }
    String problem = null;
    if (p.startsWith("s3://")) {
      String rest = p.substring("s3://".length());
      int slash = rest.indexOf('/');
      if (slash <= 0 || slash == rest.length() - 1) {
        problem = "names no object (expected s3://bucket/path/name.json)";
      }
    } else if (p.contains("://") && !p.startsWith("file://")) {
      problem = "must be a local path or an s3:// URL";
    }
    if (problem == null && p.endsWith("/")) {
      problem = "names a directory; it must name a file, e.g. " + p + "bookmark.json";
    }
    if (problem != null) {
      throw new InvalidInputException("the bookmark path '" + path + "' " + problem);
    }
    return p;
  }

  /**
   * {@code --inputPath} as a bookmark compares it: its patterns as they are matched, without a
   * trailing '/' (s3://b/sales and s3://b/sales/ read the same files), sorted, once each.
   */
  static List<String> inputPatterns(String inputPath) {
    TreeSet<String> out = new TreeSet<>();
    for (String pattern : InputFiles.patterns(inputPath == null ? "" : inputPath)) {
      out.add(
          pattern.length() > 1 && pattern.endsWith("/")
              ? pattern.substring(0, pattern.length() - 1)
              : pattern);
    }
    return List.copyOf(out);
  }

  /** The bookmark's store, opened for one read or one commit; the caller closes it. */
  BookmarkStore openStore() {
    return path.startsWith("s3://")
        ? new S3BookmarkStore(path, S3Clients.create(options))
        : new LocalBookmarkStore(path);
  }

  public Mode mode() {
    return mode;
  }

  /** Whether a bookmark is read (enabled or paused). */
  public boolean enabled() {
    return mode != Mode.OFF;
  }

  /** The bookmark's location, or null when off. */
  public String path() {
    return path;
  }

  public boolean reset() {
    return reset;
  }

  public Integer maxFilesPerRun() {
    return maxFiles;
  }

  public Long maxBytesPerRun() {
    return maxBytes;
  }

  List<String> inputPatterns() {
    return inputPatterns;
  }

  String table() {
    return table;
  }

  /** Things the user should know, one line each (e.g. options ignored because Glue disabled). */
  public List<String> warnings() {
    return warnings;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
