package io.parquet2dynamo.bookmark;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What a bookmark file holds, as JSON (pretty-printed, files sorted by path, so that it reads and
 * diffs well):
 *
 * <pre>{@code
 * {
 *   "formatVersion" : 1,
 *   "inputPath" : [ "s3://data/sales/" ],
 *   "table" : "sales",
 *   "itemShape" : { "writeMode" : "put", "dedupe" : "last", "timestampFormat" : "iso", ... },
 *   "lastRunId" : "20261129T020000Z-1a2b3c4d",
 *   "lastRunTime" : "2026-11-29T02:07:31.512Z",
 *   "files" : {
 *     "s3://data/sales/day=2026-11-28/part-0.parquet" : {
 *       "size" : 1048576, "etag" : "9b2cf535f27731c974343645a3985328",
 *       "lastModified" : "2026-11-28T23:59:02Z", "rows" : 50000,
 *       "runId" : "20261129T020000Z-1a2b3c4d" } } }
 * }</pre>
 *
 * <p>{@code etag} is there for {@code s3://} files, which are compared by size and ETag; local
 * files are compared by size and {@code lastModified}. A reader of format version 1 ignores fields
 * it does not know; a new version number means an older parquet2dynamo must not read it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "formatVersion",
  "inputPath",
  "table",
  "itemShape",
  "lastRunId",
  "lastRunTime",
  "files"
})
final class BookmarkState {
  /** The format this build reads and writes. */
  static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @JsonProperty public Integer formatVersion;

  /** {@code --inputPath}'s patterns, normalised as {@link Bookmarks#inputPatterns} does. */
  @JsonProperty public List<String> inputPath;

  @JsonProperty public String table;
  @JsonProperty public ItemShape itemShape;

  /** The run that last replaced this state, and when (ISO-8601, UTC). */
  @JsonProperty public String lastRunId;

  @JsonProperty public String lastRunTime;

  /** Every file loaded and still listed when the state was written, by path. */
  @JsonProperty public TreeMap<String, FileEntry> files = new TreeMap<>();

  /** One loaded file: its version when it was listed, its rows, and the run that loaded it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"size", "etag", "lastModified", "rows", "runId"})
  static final class FileEntry {
    @JsonProperty public Long size;

    /** An {@code s3://} object's ETag, without quotes. */
    @JsonProperty public String etag;

    /** ISO-8601 (UTC), as precise as the file system says. */
    @JsonProperty public String lastModified;

    /** Rows in the file, from its footer. */
    @JsonProperty public Long rows;

    @JsonProperty public String runId;
  }

  byte[] toJson() {
    try {
      return (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Why a state file cannot be used; the caller adds where it is and what to do. */
  static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;

    Unusable(String message) {
      super(message);
    }
  }

  /**
   * Parses a state file.
   *
   * @throws Unusable when it is not JSON, not a bookmark, or of another format version
   */
  static BookmarkState parse(byte[] content) throws Unusable {
    JsonNode tree;
    try {
      tree = JSON.readTree(content);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new Unusable(
          "is not valid JSON ("
              + firstLine(e.getOriginalMessage())
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ")");
    } catch (IOException e) {
      throw new Unusable("is not valid JSON (" + firstLine(e.getMessage()) + ")");
    }
    if (tree == null || tree.isMissingNode() || !tree.isObject()) {
      throw new Unusable("is not a parquet2dynamo bookmark (not a JSON object)");
    }
    JsonNode version = tree.get("formatVersion");
    if (version == null || !version.canConvertToInt()) {
      throw new Unusable("is not a parquet2dynamo bookmark (no formatVersion)");
    }
    if (version.asInt() != FORMAT_VERSION) {
      throw new Unusable(
          "was written in bookmark format version "
              + version.asText()
              + ", and this parquet2dynamo reads version "
              + FORMAT_VERSION
              + (version.asInt() > FORMAT_VERSION
                  ? " (it was written by a newer parquet2dynamo)"
                  : ""));
    }
    BookmarkState state;
    try {
      state = JSON.treeToValue(tree, BookmarkState.class);
    } catch (JsonProcessingException e) {
      throw new Unusable("is not a valid bookmark (" + firstLine(e.getOriginalMessage()) + ")");
    }
    List<String> missing = new ArrayList<>();
    if (state.inputPath == null || state.inputPath.isEmpty()) {
      missing.add("inputPath");
    }
    if (state.table == null) {
      missing.add("table");
    }
    if (state.files == null) {
      missing.add("files");
    }
    if (!missing.isEmpty()) {
      throw new Unusable("is not a valid bookmark (no " + String.join(", ", missing) + ")");
    }
    for (var file : state.files.entrySet()) {
      if (file.getValue() == null || file.getValue().size == null) {
        throw new Unusable("is not a valid bookmark (no size for " + file.getKey() + ")");
      }
    }
    return state;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
