package io.parquet2dynamo.sink;

import io.parquet2dynamo.item.ItemSize;
import io.parquet2dynamo.item.TableKey;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The UpdateItem of {@code --writeMode=update}: {@code SET} for each attribute the item has, {@code
 * REMOVE} for each that is NULL at the top level (what {@code --nullPolicy=null} makes of a null),
 * the key attributes as the request's {@code Key}, never set. Every name and value goes through a
 * placeholder ({@code #0}, {@code :0}, counted in base 36), so no attribute name is ever part of
 * the expression's text: a name that is a reserved word, holds a dot or starts with a digit is
 * safe.
 *
 * <p>DynamoDB's limits on expressions ("Expression parameters" in the DynamoDB developer guide's
 * constraints): an expression string of at most 4 KB; a placeholder of at most 255 bytes (these
 * have at most 5); names and values together at most 2 MB; at most 300 operators or functions in an
 * update expression ({@code SET} and {@code REMOVE} actions use none: the guide counts {@code SET a
 * = :v1 + :v2} as one operator, the {@code +}). Placeholders are short and the expression holds no
 * spaces, so each attribute costs {@code #x=:x,} (6 bytes) for the first 36 and 8 bytes up to 1296:
 * the 4 KB are reached at about 500 attributes, and such an item is {@link TooLarge}.
 */
final class UpdateRequests {
  /** DynamoDB's limit on the length of an expression string. */
  static final int MAX_EXPRESSION_BYTES = 4096;

  /** DynamoDB's limit on the names and values an expression substitutes, together. */
  static final long MAX_SUBSTITUTION_BYTES = 2L * 1024 * 1024;

  private UpdateRequests() {}

  /** An item whose UpdateItem DynamoDB would refuse for its size: why, in words. */
  static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  /**
   * The UpdateItem that sets {@code attributes} in {@code tableName}'s item of their key.
   *
   * @throws TooLarge when its expression or its substitutions exceed DynamoDB's limits
   */
  static UpdateItemRequest of(
      String tableName, TableKey key, Map<String, AttributeValue> attributes) throws TooLarge {
    Map<String, AttributeValue> itemKey = new HashMap<>();
    for (TableKey.Attribute a : key.attributes()) {
      itemKey.put(a.name, attributes.get(a.name));
    }
    StringBuilder set = new StringBuilder();
    StringBuilder remove = new StringBuilder();
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    long substitutions = 0;
    int n = 0;
    // In name order, so that one item always gives one request.
    for (Map.Entry<String, AttributeValue> e : new TreeMap<>(attributes).entrySet()) {
      if (itemKey.containsKey(e.getKey())) {
        continue; // DynamoDB refuses an update of a key attribute; the Key names the item
      }
      String id = Integer.toString(n++, Character.MAX_RADIX);
      names.put("#" + id, e.getKey());
      substitutions += 1 + id.length() + utf8Length(e.getKey());
      if (e.getValue().type() == AttributeValue.Type.NUL) {
        remove.append(remove.length() == 0 ? "REMOVE " : ",").append('#').append(id);
      } else {
        values.put(":" + id, e.getValue());
        substitutions += 1 + id.length() + ItemSize.of(e.getValue());
        set.append(set.length() == 0 ? "SET " : ",").append('#').append(id);
        set.append("=:").append(id);
      }
    }
    String expression =
        set.length() > 0 && remove.length() > 0 ? set + " " + remove : set.toString() + remove;
    int length = utf8Length(expression);
    if (length > MAX_EXPRESSION_BYTES) {
      throw new TooLarge(
          "its update expression, for "
              + names.size()
              + " attributes, would be "
              + length
              + " bytes, over DynamoDB's limit of "
              + MAX_EXPRESSION_BYTES
              + " on an expression; write it with --writeMode=put, or write fewer attributes");
    }
    if (substitutions > MAX_SUBSTITUTION_BYTES) {
      throw new TooLarge(
          "its update's attribute names and values would be "
              + substitutions
              + " bytes, over DynamoDB's limit of "
              + MAX_SUBSTITUTION_BYTES
              + " on an expression's substitutions");
    }
    UpdateItemRequest.Builder request =
        UpdateItemRequest.builder()
            .tableName(tableName)
            .key(itemKey)
            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
    if (!expression.isEmpty()) {
      // An item of key attributes only has no expression: DynamoDB creates it if it is missing.
      request.updateExpression(expression).expressionAttributeNames(names);
      if (!values.isEmpty()) {
        request.expressionAttributeValues(values);
      }
    }
    return request.build();
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
