package io.parquet2dynamo.export;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TableCreationParameters;

/**
 * {@code --tableDefinition}: the JSON {@code aws dynamodb create-table --cli-input-json} takes,
 * read into the SDK's own {@link TableCreationParameters} (what ImportTable creates the table from)
 * by Jackson through the SDK's serializable builder, so every field keeps the SDK's name and type.
 * Fields of CreateTable that ImportTable cannot set are refused by name rather than dropped.
 */
final class TableDefinitions {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  /** What TableCreationParameters has ({@code TableName} is {@code --tableName}'s). */
  private static final Set<String> TAKEN =
      Set.of(
          "TableName",
          "AttributeDefinitions",
          "KeySchema",
          "BillingMode",
          "ProvisionedThroughput",
          "OnDemandThroughput",
          "SSESpecification",
          "GlobalSecondaryIndexes");

  private TableDefinitions() {}

  /**
   * Reads the definition at {@code path} (local or {@code s3://}).
   *
   * @throws InvalidInputException naming the file and what is wrong with it
   */
  static TableCreationParameters read(String path) {
    JsonNode json;
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
      json = JSON.readTree(in);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          "--tableDefinition=" + path + " cannot be read: " + Errors.rootMessage(e), e);
    }
    return parse(path, json);
  }

  /** Parses a definition; {@code path} names it in errors. */
  static TableCreationParameters parse(String path, JsonNode json) {
    if (!(json instanceof ObjectNode)) {
      throw new InvalidInputException(
          "--tableDefinition=" + path + " is not a JSON object (aws dynamodb create-table's form)");
    }
    List<String> refused = new ArrayList<>();
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!TAKEN.contains(name)) {
        refused.add(name);
      }
    }
    if (!refused.isEmpty()) {
      throw new InvalidInputException(
          "--tableDefinition="
              + path
              + ": ImportTable cannot create "
              + refused
              + " with the table; it takes "
              + new java.util.TreeSet<>(TAKEN)
              + " (add the others after the import)");
    }
    try {
      return JSON.treeToValue(json, TableCreationParameters.serializableBuilderClass()).build();
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          "--tableDefinition=" + path + " is not a table definition: " + Errors.rootMessage(e), e);
    }
  }

  /**
   * What ImportTable is to create: {@code tableName} keyed by {@code keySchema}, with the
   * definition's indexes, throughput and encryption; the billing mode from {@code billingMode},
   * else the definition's, else on-demand.
   */
  static TableCreationParameters creation(
      String tableName,
      List<KeySchemaElement> keySchema,
      List<AttributeDefinition> attributes,
      TableCreationParameters definition,
      String billingMode) {
    TableCreationParameters.Builder b =
        definition == null ? TableCreationParameters.builder() : definition.toBuilder();
    if (definition != null && definition.tableName() != null) {
      if (!definition.tableName().equals(tableName)) {
        throw new InvalidInputException(
            "--tableDefinition names table '"
                + definition.tableName()
                + "', not --tableName="
                + tableName);
      }
    }
    if (definition != null
        && definition.hasKeySchema()
        && !ExportPlan.describeKey(definition.keySchema(), definition.attributeDefinitions())
            .equals(ExportPlan.describeKey(keySchema, attributes))) {
      throw new InvalidInputException(
          "--tableDefinition's KeySchema ("
              + ExportPlan.describeKey(definition.keySchema(), definition.attributeDefinitions())
              + ") is not the key of the items ("
              + ExportPlan.describeKey(keySchema, attributes)
              + ")");
    }
    List<AttributeDefinition> all = new ArrayList<>(attributes);
    if (definition != null) {
      for (AttributeDefinition d : definition.attributeDefinitions()) {
        if (all.stream().noneMatch(a -> a.attributeName().equals(d.attributeName()))) {
          all.add(d);
        }
      }
    }
    BillingMode mode = BillingMode.PAY_PER_REQUEST;
    if (billingMode != null && !billingMode.isBlank()) {
      mode = BillingMode.fromValue(billingMode.trim().toUpperCase(Locale.ROOT));
      if (mode == BillingMode.UNKNOWN_TO_SDK_VERSION) {
        throw new InvalidInputException(
            "--billingMode must be PAY_PER_REQUEST or PROVISIONED, not " + billingMode);
      }
    } else if (definition != null && definition.billingMode() != null) {
      mode = definition.billingMode();
    }
    if (mode == BillingMode.PROVISIONED
        && (definition == null || definition.provisionedThroughput() == null)) {
      throw new InvalidInputException(
          "--billingMode=PROVISIONED needs ProvisionedThroughput in --tableDefinition");
    }
    return b.tableName(tableName)
        .keySchema(keySchema)
        .attributeDefinitions(all)
        .billingMode(mode)
        .build();
  }
}
