package io.parquet2dynamo.item;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Items in DynamoDB's own JSON form, as {@code aws dynamodb put-item --item} takes them and the
 * console shows them: {@code {"id": {"S": "a"}, "n": {"N": "1"}}}.
 */
public final class DynamoJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final ObjectMapper JSON = new ObjectMapper();

  private DynamoJson() {}

  /** The item as one line of DynamoDB JSON, attributes in name order. */
  public static String item(Map<String, AttributeValue> item) {
    ObjectNode node = NODES.objectNode();
    new TreeMap<>(item).forEach((k, v) -> node.set(k, value(v)));
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** DynamoDB's own JSON form of a value: {"S": "x"}, {"N": "1"}, {"L": [...]}... */
  public static ObjectNode value(AttributeValue v) {
    ObjectNode node = NODES.objectNode();
    switch (v.type()) {
      case S:
        node.put("S", v.s());
        break;
      case N:
        node.put("N", v.n());
        break;
      case B:
        node.put("B", Base64.getEncoder().encodeToString(v.b().asByteArrayUnsafe()));
        break;
      case BOOL:
        node.put("BOOL", v.bool());
        break;
      case NUL:
        node.put("NULL", true);
        break;
      case L:
        {
          ArrayNode array = node.putArray("L");
          v.l().forEach(e -> array.add(value(e)));
          break;
        }
      case M:
        {
          ObjectNode map = node.putObject("M");
          v.m().forEach((k, e) -> map.set(k, value(e)));
          break;
        }
      case SS:
        v.ss().forEach(node.putArray("SS")::add);
        break;
      case NS:
        v.ns().forEach(node.putArray("NS")::add);
        break;
      case BS:
        {
          ArrayNode array = node.putArray("BS");
          v.bs().forEach(b -> array.add(Base64.getEncoder().encodeToString(b.asByteArray())));
          break;
        }
      default:
        break;
    }
    return node;
  }

  /**
   * The item a line of DynamoDB JSON holds, as {@link #item} writes it (and {@code aws dynamodb
   * get-item} prints it).
   *
   * @throws IllegalArgumentException when the text is not an item in DynamoDB JSON
   */
  public static Map<String, AttributeValue> parseItem(JsonNode item) {
    if (item == null || !item.isObject()) {
      throw new IllegalArgumentException("an item is a JSON object of attributes");
    }
    Map<String, AttributeValue> attributes = new LinkedHashMap<>();
    item.fields().forEachRemaining(e -> attributes.put(e.getKey(), parseValue(e.getValue())));
    return attributes;
  }

  private static AttributeValue parseValue(JsonNode node) {
    if (node == null || !node.isObject() || node.size() != 1) {
      throw new IllegalArgumentException(
          "a value is one of {\"S\": ...}, {\"N\": ...}, ..., not " + node);
    }
    Map.Entry<String, JsonNode> typed = node.fields().next();
    JsonNode v = typed.getValue();
    switch (typed.getKey()) {
      case "S":
        return AttributeValue.fromS(v.asText());
      case "N":
        return AttributeValue.fromN(v.asText());
      case "B":
        return AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(v.asText())));
      case "BOOL":
        return AttributeValue.fromBool(v.asBoolean());
      case "NULL":
        return AttributeValue.fromNul(true);
      case "L":
        {
          List<AttributeValue> list = new ArrayList<>();
          v.forEach(e -> list.add(parseValue(e)));
          return AttributeValue.fromL(list);
        }
      case "M":
        return AttributeValue.fromM(parseItem(v));
      case "SS":
        {
          List<String> set = new ArrayList<>();
          v.forEach(e -> set.add(e.asText()));
          return AttributeValue.fromSs(set);
        }
      case "NS":
        {
          List<String> set = new ArrayList<>();
          v.forEach(e -> set.add(e.asText()));
          return AttributeValue.fromNs(set);
        }
      case "BS":
        {
          List<SdkBytes> set = new ArrayList<>();
          v.forEach(e -> set.add(SdkBytes.fromByteArray(Base64.getDecoder().decode(e.asText()))));
          return AttributeValue.fromBs(set);
        }
      default:
        throw new IllegalArgumentException("unknown DynamoDB type '" + typed.getKey() + "'");
    }
  }
}
