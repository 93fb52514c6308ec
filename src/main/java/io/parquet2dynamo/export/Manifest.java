package io.parquet2dynamo.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parquet2dynamo.PrivateFiles;
import io.parquet2dynamo.item.TableKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The export's {@code manifest.json}: what was written and how to read it.
 *
 * <pre>{@code
 * {"format":"DYNAMODB_JSON","compression":"GZIP","table":"orders","runId":"20261129T...",
 *  "keySchema":[{"AttributeName":"order_id","KeyType":"HASH"},{"AttributeName":"line","KeyType":"RANGE"}],
 *  "attributeDefinitions":[{"AttributeName":"order_id","AttributeType":"S"},...],
 *  "dataPrefix":"s3://bucket/exports/20261129T.../data/",
 *  "itemCount":2974,"bytes":61234,"uncompressedBytes":803112,
 *  "files":[{"path":"s3://.../data/part-00000.json.gz","itemCount":2974,"bytes":61234,
 *            "uncompressedBytes":803112}]}
 * }</pre>
 *
 * {@code keySchema} and {@code attributeDefinitions} are in the form {@code aws dynamodb
 * create-table} and {@code import-table} take. {@code uncompressedBytes} is what ImportTable bills
 * by ("Amazon DynamoDB pricing", import from S3).
 */
public final class Manifest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The format ImportTable is told ({@code InputFormat}). */
  public static final String FORMAT = "DYNAMODB_JSON";

  /** How the files are compressed ({@code InputCompressionType}). */
  public static final String COMPRESSION = "GZIP";

  private final JsonNode json;

  private Manifest(JsonNode json) {
    this.json = json;
  }

  /** What a manifest says before the files are known: the format, the table, its key schema. */
  static String header(TableKey key, ExportLayout layout) {
    ObjectNode node = JSON.createObjectNode();
    node.put("format", FORMAT);
    node.put("compression", COMPRESSION);
    node.put("table", key.tableName());
    node.put("runId", layout.runId());
    ArrayNode keySchema = node.putArray("keySchema");
    ArrayNode definitions = node.putArray("attributeDefinitions");
    for (TableKey.Attribute a : key.attributes()) {
      keySchema
          .addObject()
          .put("AttributeName", a.name)
          .put("KeyType", a.partitionKey ? "HASH" : "RANGE");
      definitions.addObject().put("AttributeName", a.name).put("AttributeType", a.type.toString());
    }
    node.put("dataPrefix", layout.dataPrefix());
    return node.toString();
  }

  /** Writes the manifest of {@code files} (at their final paths) to {@code path}. */
  static void write(String path, String header, List<ExportedFile> files) throws IOException {
    ObjectNode node = (ObjectNode) JSON.readTree(header);
    long items = 0;
    long bytes = 0;
    long uncompressed = 0;
    ArrayNode list = JSON.createArrayNode();
    for (ExportedFile f : files) {
      list.addObject()
          .put("path", f.path())
          .put("itemCount", f.items())
          .put("bytes", f.bytes())
          .put("uncompressedBytes", f.uncompressedBytes());
      items += f.items();
      bytes += f.bytes();
      uncompressed += f.uncompressedBytes();
    }
    node.put("itemCount", items);
    node.put("bytes", bytes);
    node.put("uncompressedBytes", uncompressed);
    node.set("files", list);
    Path local = PrivateFiles.localPath(path);
    if (local != null) {
      PrivateFiles.prepareFile(local); // owner-only before Beam's local file system writes it
    }
    try (OutputStream out =
        Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource(path, false), MimeTypes.TEXT))) {
      out.write(
          (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Reads the manifest at {@code path}. */
  public static Manifest read(String path) throws IOException {
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
      return new Manifest(JSON.readTree(in));
    }
  }

  public long itemCount() {
    return json.path("itemCount").asLong();
  }

  /** Bytes of the files as stored. */
  public long bytes() {
    return json.path("bytes").asLong();
  }

  /** Bytes of the files uncompressed: what ImportTable processes and bills. */
  public long uncompressedBytes() {
    return json.path("uncompressedBytes").asLong();
  }

  public String dataPrefix() {
    return json.path("dataPrefix").asText();
  }

  /** The data files, in order. */
  public List<ExportedFile> files() {
    List<ExportedFile> files = new ArrayList<>();
    for (JsonNode f : json.path("files")) {
      files.add(
          new ExportedFile(
              f.path("path").asText(),
              f.path("itemCount").asLong(),
              f.path("bytes").asLong(),
              f.path("uncompressedBytes").asLong()));
    }
    return files;
  }

  /** The manifest as JSON. */
  public JsonNode json() {
    return json;
  }
}
