package io.parquet2dynamo.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parquet2dynamo.Secrets;
import io.parquet2dynamo.item.AttributeValues;
import io.parquet2dynamo.item.DynamoJson;
import io.parquet2dynamo.item.DynamoNumbers;
import io.parquet2dynamo.source.SourceFields;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.values.Row;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A row or item that did not reach the table, with why: the typed record that travels on every
 * error output of the pipeline (like Dataflow Templates' {@code FailsafeElement} and Beam's {@code
 * BadRecord}), turned into JSON only where it is written ({@link #toJson}).
 *
 * <p>The JSON Lines record has {@code reason} (a {@link RejectReason} code), {@code message},
 * {@code sourceFile}, {@code sourceRow} (zero-based row in that file) and {@code row}, the row's
 * values as JSON (decimals exact, binary as base64, dates and times in ISO-8601); an item that
 * could not be written also has {@code item}, its attributes in DynamoDB JSON, ready for {@code aws
 * dynamodb put-item --item}.
 */
public final class DeadLetter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .disable(SerializationFeature.INDENT_OUTPUT);

  private final RejectReason reason;
  private final String message;
  private final String sourceFile;
  private final long sourceRow;
  private final Row row;
  private final Map<String, AttributeValue> item;

  private DeadLetter(
      RejectReason reason,
      String message,
      String sourceFile,
      long sourceRow,
      Row row,
      Map<String, AttributeValue> item) {
    this.reason = reason;
    this.message = message;
    this.sourceFile = sourceFile;
    this.sourceRow = sourceRow;
    this.row = row;
    this.item = item;
  }

  /**
   * {@code row} rejected for {@code reason}; its place in the input comes from its source fields.
   */
  public static DeadLetter ofRow(RejectReason reason, String message, Row row) {
    return new DeadLetter(
        reason, message, SourceFields.file(row), SourceFields.row(row), row, null);
  }

  /** An item that could not be written, from {@code sourceRow} of {@code sourceFile}. */
  public static DeadLetter ofItem(
      RejectReason reason,
      String message,
      String sourceFile,
      long sourceRow,
      Map<String, AttributeValue> item) {
    return new DeadLetter(reason, message, sourceFile, sourceRow, null, item);
  }

  public RejectReason reason() {
    return reason;
  }

  public String message() {
    return message;
  }

  /** The Parquet file of the row, or null when a transform dropped the source fields. */
  public String sourceFile() {
    return sourceFile;
  }

  /** The row's index in its file, or -1 when unknown. */
  public long sourceRow() {
    return sourceRow;
  }

  /** The JSON Lines record (without the newline). */
  public String toJson() {
    ObjectNode record = NODES.objectNode();
    record.put("reason", reason.name());
    // An error quoted in a message may hold a credential (an endpoint's password, say).
    record.put("message", Secrets.mask(message));
    record.put("sourceFile", sourceFile);
    if (sourceRow >= 0) {
      record.put("sourceRow", sourceRow);
    } else {
      record.putNull("sourceRow");
    }
    if (row != null) {
      record.set("row", rowJson(row, true));
    } else {
      ObjectNode plain = NODES.objectNode();
      ObjectNode typed = NODES.objectNode();
      for (Map.Entry<String, AttributeValue> e : new TreeMap<>(item).entrySet()) {
        plain.set(e.getKey(), plainJson(e.getValue()));
        typed.set(e.getKey(), DynamoJson.value(e.getValue()));
      }
      record.set("row", plain);
      record.set("item", typed);
    }
    try {
      return JSON.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a dead-letter record", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DeadLetter)) {
      return false;
    }
    DeadLetter other = (DeadLetter) o;
    return reason == other.reason
        && sourceRow == other.sourceRow
        && Objects.equals(message, other.message)
        && Objects.equals(sourceFile, other.sourceFile)
        && Objects.equals(row, other.row)
        && Objects.equals(item, other.item);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, message, sourceFile, sourceRow);
  }

  @Override
  public String toString() {
    return reason + " " + sourceFile + "#" + sourceRow + ": " + message;
  }

  /** The coder of dead letters between pipeline steps. */
  public static Coder<DeadLetter> coder() {
    return DeadLetterCoder.INSTANCE;
  }

  /**
   * Encodes a dead letter with its payload. A rejected row carries its schema, since rows rejected
   * at different steps have different schemas and meet in one collection; dead letters are rare, so
   * the schema's bytes cost little, and a decoded schema is reused for the rows that share it.
   */
  static final class DeadLetterCoder extends CustomCoder<DeadLetter> {
    private static final long serialVersionUID = 1L;
    static final DeadLetterCoder INSTANCE = new DeadLetterCoder();

    private static final Coder<String> TEXT = StringUtf8Coder.of();
    private static final Coder<String> NULLABLE_TEXT = NullableCoder.of(StringUtf8Coder.of());
    private static final Coder<byte[]> BYTES = ByteArrayCoder.of();
    private static final Coder<Schema> SCHEMA = SerializableCoder.of(Schema.class);
    private static final int ROW = 1;
    private static final int ITEM = 2;

    /** Decoded schemas by their encoding. */
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    @Override
    public void encode(DeadLetter value, OutputStream out) throws IOException {
      TEXT.encode(value.reason.name(), out);
      NULLABLE_TEXT.encode(value.message, out);
      NULLABLE_TEXT.encode(value.sourceFile, out);
      VarLongCoder.of().encode(value.sourceRow, out);
      if (value.row != null) {
        out.write(ROW);
        ByteArrayOutputStream schema = new ByteArrayOutputStream();
        SCHEMA.encode(value.row.getSchema(), schema);
        BYTES.encode(schema.toByteArray(), out);
        SchemaCoder.of(value.row.getSchema()).encode(value.row, out);
      } else {
        out.write(ITEM);
        AttributeValues.of().encode(value.item, out);
      }
    }

    @Override
    public DeadLetter decode(InputStream in) throws IOException {
      RejectReason reason = RejectReason.valueOf(TEXT.decode(in));
      String message = NULLABLE_TEXT.decode(in);
      String file = NULLABLE_TEXT.decode(in);
      long row = VarLongCoder.of().decode(in);
      int payload = in.read();
      if (payload == ROW) {
        byte[] bytes = BYTES.decode(in);
        Schema schema =
            SCHEMAS.computeIfAbsent(
                new String(bytes, StandardCharsets.ISO_8859_1), k -> decodeSchema(bytes));
        return new DeadLetter(reason, message, file, row, SchemaCoder.of(schema).decode(in), null);
      }
      return new DeadLetter(reason, message, file, row, null, AttributeValues.of().decode(in));
    }

    private static Schema decodeSchema(byte[] bytes) {
      try {
        return SCHEMA.decode(new ByteArrayInputStream(bytes));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode plainJson(AttributeValue v) {
    switch (v.type()) {
      case S:
        return NODES.textNode(v.s());
      case N:
        return NODES.numberNode(new BigDecimal(v.n()));
      case B:
        return NODES.textNode(Base64.getEncoder().encodeToString(v.b().asByteArrayUnsafe()));
      case BOOL:
        return NODES.booleanNode(v.bool());
      case NUL:
        return NODES.nullNode();
      case L:
        {
          ArrayNode array = NODES.arrayNode();
          v.l().forEach(e -> array.add(plainJson(e)));
          return array;
        }
      case M:
        {
          ObjectNode node = NODES.objectNode();
          v.m().forEach((k, e) -> node.set(k, plainJson(e)));
          return node;
        }
      case SS:
        {
          ArrayNode array = NODES.arrayNode();
          v.ss().forEach(array::add);
          return array;
        }
      case NS:
        {
          ArrayNode array = NODES.arrayNode();
          v.ns().forEach(n -> array.add(new BigDecimal(n)));
          return array;
        }
      case BS:
        {
          ArrayNode array = NODES.arrayNode();
          v.bs().forEach(b -> array.add(Base64.getEncoder().encodeToString(b.asByteArray())));
          return array;
        }
      default:
        return NODES.nullNode();
    }
  }

  private static ObjectNode rowJson(Row row, boolean top) {
    ObjectNode node = NODES.objectNode();
    Schema schema = row.getSchema();
    for (int i = 0; i < schema.getFieldCount(); i++) {
      String name = schema.getField(i).getName();
      if (top && SourceFields.isSourceField(name)) {
        continue;
      }
      node.set(name, valueJson(row.getValue(i)));
    }
    return node;
  }

  private static com.fasterxml.jackson.databind.JsonNode valueJson(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof Row) {
      return rowJson((Row) value, false);
    } else if (value instanceof Map) {
      ObjectNode node = NODES.objectNode();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        node.set(String.valueOf(e.getKey()), valueJson(e.getValue()));
      }
      return node;
    } else if (value instanceof Collection) {
      ArrayNode array = NODES.arrayNode();
      for (Object e : (Collection<?>) value) {
        array.add(valueJson(e));
      }
      return array;
    } else if (value instanceof byte[]) {
      return NODES.textNode(Base64.getEncoder().encodeToString((byte[]) value));
    } else if (value instanceof BigDecimal) {
      return NODES.numberNode((BigDecimal) value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        // JSON has no NaN or infinity; keep them readable as text.
        return NODES.textNode(String.valueOf(d));
      }
      // The same shortest decimal the item would hold: 1.1f is 1.1, not 1.100000023841858.
      return NODES.numberNode(
          value instanceof Float
              ? DynamoNumbers.shortest((Float) value)
              : DynamoNumbers.shortest((Double) value));
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return NODES.numberNode(((Number) value).longValue());
    } else if (value instanceof Boolean) {
      return NODES.booleanNode((Boolean) value);
    }
    return NODES.textNode(value.toString());
  }
}
