package io.parquet2dynamo.bookmark;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.io.FileSystems;

/**
 * The options that decide what items a file's rows become, as a bookmark records them. A file the
 * bookmark skips keeps the items an earlier run made from it; when these options differ from the
 * bookmark's, those items may not be what this run would make, so the run warns (and goes on).
 *
 * <p>Recorded: the mapping file's SHA-256 (its bytes: a comment or blank line counts as a change),
 * {@code --sql}, {@code --transformClass} (the class name; its code is not hashed, since a rebuild
 * of the same code gives other bytes), {@code --timestampFormat}, {@code --nullPolicy}, {@code
 * --writeMode} and {@code --dedupe}. The table and the input are not here: a different one is an
 * error, not a warning.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "mappingSha256",
  "sql",
  "transformClass",
  "timestampFormat",
  "nullPolicy",
  "writeMode",
  "dedupe"
})
public final class ItemShape {
  @JsonProperty public String mappingSha256;
  @JsonProperty public String sql;
  @JsonProperty public String transformClass;
  @JsonProperty public String timestampFormat;
  @JsonProperty public String nullPolicy;
  @JsonProperty public String writeMode;
  @JsonProperty public String dedupe;

  /** For Jackson. */
  public ItemShape() {}

  /**
   * The shape the options give. Reads the {@code --mapping} file (local or {@code s3://}, through
   * Beam's file systems, so {@code FileSystems.setDefaultPipelineOptions} must have been called).
   *
   * @throws InvalidInputException when the mapping file cannot be read
   */
  public static ItemShape of(Parquet2DynamoOptions options) {
    ItemShape shape = new ItemShape();
    String mapping = blankToNull(options.getMapping());
    if (mapping != null) {
      shape.mappingSha256 = sha256(mapping);
    }
    shape.sql = blankToNull(options.getSql());
    shape.transformClass = blankToNull(options.getTransformClass());
    shape.timestampFormat = blankToNull(options.getTimestampFormat());
    shape.nullPolicy = blankToNull(options.getNullPolicy());
    shape.writeMode = blankToNull(options.getWriteMode());
    shape.dedupe = blankToNull(options.getDedupe());
    return shape;
  }

  /**
   * What differs from {@code recorded} (the bookmark's), one entry per option, e.g. {@code
   * --writeMode put -> putIfAbsent}; empty when nothing does.
   */
  public List<String> differencesFrom(ItemShape recorded) {
    List<String> out = new ArrayList<>();
    if (!Objects.equals(recorded.mappingSha256, mappingSha256)) {
      out.add(
          recorded.mappingSha256 == null
              ? "--mapping added"
              : mappingSha256 == null ? "--mapping removed" : "--mapping file content changed");
    }
    diff(out, "--sql", recorded.sql, sql);
    diff(out, "--transformClass", recorded.transformClass, transformClass);
    diff(out, "--timestampFormat", recorded.timestampFormat, timestampFormat);
    diff(out, "--nullPolicy", recorded.nullPolicy, nullPolicy);
    diff(out, "--writeMode", recorded.writeMode, writeMode);
    diff(out, "--dedupe", recorded.dedupe, dedupe);
    return out;
  }

  private static void diff(List<String> out, String option, String before, String now) {
    if (!Objects.equals(before, now)) {
      out.add(option + " " + show(before) + " -> " + show(now));
    }
  }

  private static String show(String value) {
    if (value == null) {
      return "(none)";
    }
    // A long SQL query would make the warning unreadable.
    return value.length() > 60 ? "'" + value.substring(0, 57) + "...'" : "'" + value + "'";
  }

  static String sha256(String location) {
    try (InputStream in =
        Channels.newInputStream(
            FileSystems.open(FileSystems.matchSingleFileSpec(location).resourceId()))) {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          "--mapping: cannot read " + location + ": " + Errors.rootMessage(e), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ItemShape && differencesFrom((ItemShape) o).isEmpty();
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        mappingSha256, sql, transformClass, timestampFormat, nullPolicy, writeMode, dedupe);
  }
}
