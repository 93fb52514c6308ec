package io.parquet2dynamo.item;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The key schema of the target table, as DescribeTable reports it. */
public final class TableKey implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One key attribute: its name, type, role and DynamoDB's size limit for it. */
  public static final class Attribute implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String name;
    public final ScalarAttributeType type;
    public final boolean partitionKey;

    /** The secondary index this attribute is a key of, or null for the table's own key. */
    public final String indexName;

    Attribute(String name, ScalarAttributeType type, boolean partitionKey, String indexName) {
      this.name = name;
      this.type = type;
      this.partitionKey = partitionKey;
      this.indexName = indexName;
    }

    /** 2048 bytes for a partition key, 1024 for a sort key. */
    public int maxBytes() {
      return partitionKey ? 2048 : 1024;
    }

    @Override
    public String toString() {
      return (partitionKey ? "partition key " : "sort key ")
          + "'"
          + name
          + "' ("
          + type
          + ")"
          + (indexName == null ? "" : " of index '" + indexName + "'");
    }
  }

  private final String tableName;
  private final List<Attribute> attributes;
  private final List<Attribute> indexAttributes;

  public TableKey(String tableName, List<Attribute> attributes, List<Attribute> indexAttributes) {
    this.tableName = tableName;
    this.attributes = List.copyOf(attributes);
    this.indexAttributes = List.copyOf(indexAttributes);
  }

  /** A table key built by hand (tests, dry runs): partition key and optional sort key. */
  public static TableKey of(
      String tableName,
      String pk,
      ScalarAttributeType pkType,
      String sk,
      ScalarAttributeType skType) {
    List<Attribute> attributes = new ArrayList<>();
    attributes.add(new Attribute(pk, pkType, true, null));
    if (sk != null) {
      attributes.add(new Attribute(sk, skType, false, null));
    }
    return new TableKey(tableName, attributes, List.of());
  }

  public String tableName() {
    return tableName;
  }

  /** The partition key, then the sort key if the table has one. */
  public List<Attribute> attributes() {
    return attributes;
  }

  /**
   * Key attributes of the table's secondary indexes that are not table keys. An item may lack them
   * (the index is sparse), but when present they must be of the index key's type and not empty, or
   * DynamoDB refuses the whole batch.
   */
  public List<Attribute> indexAttributes() {
    return indexAttributes;
  }

  /** A copy with these secondary-index key attributes. */
  public TableKey withIndexAttributes(List<Attribute> indexAttributes) {
    return new TableKey(tableName, attributes, indexAttributes);
  }

  /** An index key attribute, for tests and for building keys by hand. */
  public static Attribute indexAttribute(
      String name, ScalarAttributeType type, boolean partitionKey, String indexName) {
    return new Attribute(name, type, partitionKey, indexName);
  }

  /**
   * A string that is equal for two items exactly when their table keys are equal: what items are
   * grouped by to find duplicates, and keyed by on their way to the writer.
   */
  public String keyString(Map<String, AttributeValue> item) {
    StringBuilder sb = new StringBuilder();
    for (Attribute attribute : attributes) {
      AttributeValue v = item.get(attribute.name);
      String text =
          v.type() == AttributeValue.Type.B
              ? Base64.getEncoder().encodeToString(v.b().asByteArrayUnsafe())
              : v.type() == AttributeValue.Type.N ? v.n() : v.s();
      // Length-prefixed, so no separator inside a value can make two keys look alike.
      sb.append(v.type()).append(text.length()).append(':').append(text);
    }
    return sb.toString();
  }

  /** The key schema DescribeTable reported, with the keys of the table's secondary indexes. */
  public static TableKey of(TableDescription table) {
    List<Attribute> attributes = keyAttributes(table, table.keySchema(), null);
    Set<String> seen = new HashSet<>();
    attributes.forEach(a -> seen.add(a.name));
    List<Attribute> indexAttributes = new ArrayList<>();
    for (GlobalSecondaryIndexDescription index : table.globalSecondaryIndexes()) {
      for (Attribute a : keyAttributes(table, index.keySchema(), index.indexName())) {
        if (seen.add(a.name)) {
          indexAttributes.add(a);
        }
      }
    }
    for (LocalSecondaryIndexDescription index : table.localSecondaryIndexes()) {
      for (Attribute a : keyAttributes(table, index.keySchema(), index.indexName())) {
        if (seen.add(a.name)) {
          indexAttributes.add(a);
        }
      }
    }
    return new TableKey(table.tableName(), attributes, indexAttributes);
  }

  private static List<Attribute> keyAttributes(
      TableDescription table, List<KeySchemaElement> keySchema, String indexName) {
    List<Attribute> attributes = new ArrayList<>();
    for (KeySchemaElement element : keySchema) {
      ScalarAttributeType type =
          table.attributeDefinitions().stream()
              .filter(d -> d.attributeName().equals(element.attributeName()))
              .map(AttributeDefinition::attributeType)
              .findFirst()
              .orElseThrow();
      attributes.add(
          new Attribute(
              element.attributeName(), type, element.keyType() == KeyType.HASH, indexName));
    }
    attributes.sort((a, b) -> Boolean.compare(b.partitionKey, a.partitionKey));
    return attributes;
  }

  @Override
  public String toString() {
    return "table '"
        + tableName
        + "' with "
        + attributes
        + (indexAttributes.isEmpty() ? "" : " and index keys " + indexAttributes);
  }
}
