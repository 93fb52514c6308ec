package io.parquet2dynamo.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A dataset that grows by {@code day=N} partitions, for the tests of recurring loads: Parquet files
 * of rows {@code (id, v)}, written locally or to S3Proxy, and the table they should leave, item by
 * item, with the {@code day} partition column ({@link #expect}, {@link #stored}).
 */
public final class EventFiles {
  public static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message event { required binary id (STRING); required int64 v; }");

  /** What the table should hold: id -> "v=V day=D", for the rows loaded so far. */
  private final Map<String, String> expected = new TreeMap<>();

  /** Rows of files written but not yet expected in the table. */
  private final Map<Path, Map<String, String>> pending = new TreeMap<>();

  private final Path scratch;

  /**
   * @param scratch a local folder for the files (and their copies on the way to S3)
   */
  public EventFiles(Path scratch) {
    this.scratch = scratch;
  }

  /**
   * Writes {@code rows} rows to {@code <scratch>/<relative>} ({@code relative} as {@code
   * events/day=D/part-N.parquet}): ids {@code <name>-0} upwards with {@code v = base + i}, where
   * name is the day and part. Returns the file.
   */
  public Path write(String relative, int rows, long base) throws IOException {
    Path file = scratch.resolve(relative);
    String day = relative.replaceAll(".*day=([^/]+)/.*", "$1");
    String name = "d" + day + "-" + file.getFileName().toString().replace(".parquet", "");
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    List<Group> out = new ArrayList<>();
    Map<String, String> items = new TreeMap<>();
    for (int i = 0; i < rows; i++) {
      String id = name + "-" + i;
      out.add(groups.newGroup().append("id", id).append("v", base + i));
      items.put(id, "v=" + (base + i) + " day=" + day);
    }
    Files.deleteIfExists(file);
    ParquetFiles.writeGroups(file, SCHEMA, out);
    pending.put(file, items);
    return file;
  }

  /** As {@link #write}, and uploads the file to {@code s3://bucket/<relative>}. */
  public Path put(StandInClients aws, String bucket, String relative, int rows, long base)
      throws IOException {
    Path file = write(relative, rows, base);
    aws.s3.putObject(b -> b.bucket(bucket).key(relative), RequestBody.fromFile(file));
    return file;
  }

  /** The rows of {@code file}, as last written, are now expected in the table. */
  public void expect(Path file) {
    Map<String, String> items = pending.get(file);
    if (items == null) {
      throw new IllegalArgumentException("not written: " + file);
    }
    expected.putAll(items);
  }

  /** What the table should hold: id -> "v=V day=D". */
  public Map<String, String> expected() {
    return new TreeMap<>(expected);
  }

  /** What {@code table} holds, in the form of {@link #expected()}. */
  public static Map<String, String> stored(StandInClients aws, String table) {
    Map<String, String> items = new TreeMap<>();
    aws.scan(table, i -> i.get("id").s())
        .forEach(
            (id, item) -> items.put(id, "v=" + item.get("v").n() + " day=" + item.get("day").s()));
    return items;
  }
}
