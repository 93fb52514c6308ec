package io.parquet2dynamo.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parquet2dynamo.item.DynamoJson;
import io.parquet2dynamo.item.DynamoNumbers;
import io.parquet2dynamo.source.SourceFields;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A rejected row as one JSON Lines record: {@code reason} (a {@link RejectReason} code), {@code
 * message}, {@code sourceFile}, {@code sourceRow} (zero-based row in that file) and {@code row},
 * the row's values as JSON (decimals exact, binary as base64, dates and times in ISO-8601).
 */
public final class DeadLetter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .disable(SerializationFeature.INDENT_OUTPUT);

  private DeadLetter() {}

  /** The JSON Lines record (without the newline) for {@code row}, rejected for {@code reason}. */
  public static String of(RejectReason reason, String message, Row row) {
    ObjectNode record = NODES.objectNode();
    record.put("reason", reason.name());
    record.put("message", message);
    record.put("sourceFile", SourceFields.file(row));
    long sourceRow = SourceFields.row(row);
    if (sourceRow >= 0) {
      record.put("sourceRow", sourceRow);
    } else {
      record.putNull("sourceRow");
    }
    record.set("row", rowJson(row, true));
    try {
      return JSON.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a dead-letter record", e);
    }
  }

  /**
   * The record for an item that could not be written: {@code row} holds its attributes as plain
   * JSON, as for rejected rows, and {@code item} the same in DynamoDB JSON, ready for {@code aws
   * dynamodb put-item --item}.
   */
  public static String ofItem(
      RejectReason reason,
      String message,
      String sourceFile,
      long sourceRow,
      Map<String, AttributeValue> item) {
    ObjectNode record = NODES.objectNode();
    record.put("reason", reason.name());
    record.put("message", message);
    record.put("sourceFile", sourceFile);
    if (sourceRow >= 0) {
      record.put("sourceRow", sourceRow);
    } else {
      record.putNull("sourceRow");
    }
    ObjectNode plain = NODES.objectNode();
    ObjectNode typed = NODES.objectNode();
    for (Map.Entry<String, AttributeValue> e : new java.util.TreeMap<>(item).entrySet()) {
      plain.set(e.getKey(), plainJson(e.getValue()));
      typed.set(e.getKey(), DynamoJson.value(e.getValue()));
    }
    record.set("row", plain);
    record.set("item", typed);
    try {
      return JSON.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a dead-letter record", e);
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
