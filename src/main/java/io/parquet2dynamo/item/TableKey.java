package io.parquet2dynamo.item;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
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

    Attribute(String name, ScalarAttributeType type, boolean partitionKey) {
      this.name = name;
      this.type = type;
      this.partitionKey = partitionKey;
    }

    /** 2048 bytes for a partition key, 1024 for a sort key. */
    public int maxBytes() {
      return partitionKey ? 2048 : 1024;
    }

    @Override
    public String toString() {
      return (partitionKey ? "partition key " : "sort key ") + "'" + name + "' (" + type + ")";
    }
  }

  private final String tableName;
  private final List<Attribute> attributes;

  public TableKey(String tableName, List<Attribute> attributes) {
    this.tableName = tableName;
    this.attributes = List.copyOf(attributes);
  }

  /** A table key built by hand (tests, dry runs): partition key and optional sort key. */
  public static TableKey of(
      String tableName,
      String pk,
      ScalarAttributeType pkType,
      String sk,
      ScalarAttributeType skType) {
    List<Attribute> attributes = new ArrayList<>();
    attributes.add(new Attribute(pk, pkType, true));
    if (sk != null) {
      attributes.add(new Attribute(sk, skType, false));
    }
    return new TableKey(tableName, attributes);
  }

  public String tableName() {
    return tableName;
  }

  /** The partition key, then the sort key if the table has one. */
  public List<Attribute> attributes() {
    return attributes;
  }

  /** Reads the key schema of {@code tableName}; a missing table is a clear error. */
  public static TableKey describe(DynamoDbClient client, String tableName, String where) {
    TableDescription table;
    try {
      table = client.describeTable(b -> b.tableName(tableName)).table();
    } catch (ResourceNotFoundException e) {
      throw new InvalidInputException(
          "--tableName: table '" + tableName + "' does not exist " + where);
    } catch (SdkException e) {
      throw new InvalidInputException(
          "--tableName: cannot describe table '"
              + tableName
              + "' "
              + where
              + ": "
              + Errors.rootMessage(e),
          e);
    }
    List<Attribute> attributes = new ArrayList<>();
    for (KeySchemaElement element : table.keySchema()) {
      ScalarAttributeType type =
          table.attributeDefinitions().stream()
              .filter(d -> d.attributeName().equals(element.attributeName()))
              .map(AttributeDefinition::attributeType)
              .findFirst()
              .orElseThrow();
      attributes.add(
          new Attribute(element.attributeName(), type, element.keyType() == KeyType.HASH));
    }
    attributes.sort((a, b) -> Boolean.compare(b.partitionKey, a.partitionKey));
    return new TableKey(tableName, attributes);
  }

  @Override
  public String toString() {
    return "table '" + tableName + "' with " + attributes;
  }
}
