package io.parquet2dynamo.export;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.sink.WriteMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableCreationParameters;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * What {@code --writeMode=export} and {@code import} are told: where the files go ({@link
 * ExportLayout}), the table they are for and, for an import, the table ImportTable creates ({@link
 * TableCreationParameters}). Decided before the load, so that a missing option, a table an import
 * would overwrite or an unwritable path cost no read of the input.
 */
public final class ExportPlan {
  private final ExportLayout layout;
  private final boolean imports;
  private final TableDescription table;
  private final TableCreationParameters creation;

  private ExportPlan(
      ExportLayout layout, boolean imports, TableDescription table, TableCreationParameters c) {
    this.layout = layout;
    this.imports = imports;
    this.table = table;
    this.creation = c;
  }

  /**
   * Decides the export {@code options} describe.
   *
   * @param existing DescribeTable's answer for {@code --tableName}, or null when it does not exist
   * @throws InvalidInputException for a missing or contradictory option, in one line
   */
  public static ExportPlan resolve(
      Parquet2DynamoOptions options, WriteMode mode, TableDescription existing, String runId) {
    boolean imports = mode.kind() == WriteMode.Kind.IMPORT;
    String tableName = options.getTableName();
    String path = options.getExportPath();
    if (path == null || path.isBlank()) {
      throw new InvalidInputException(
          "--writeMode="
              + mode
              + " needs --exportPath=PATH (a local directory or an s3:// prefix"
              + (imports ? "; s3:// for import, which ImportTable reads)" : ")"));
    }
    ExportLayout layout = ExportLayout.of(path, runId);
    if (imports && !layout.onS3()) {
      throw new InvalidInputException(
          "--writeMode=import needs an s3:// --exportPath: ImportTable reads from S3, not " + path);
    }
    if (imports && existing != null) {
      throw new InvalidInputException(
          "--writeMode=import creates table '"
              + tableName
              + "', which already exists: ImportTable only creates new tables; choose another"
              + " --tableName, or load this one with --writeMode=put");
    }
    if (!imports && blank(options.getTableDefinition()) == false) {
      throw new InvalidInputException(
          "--tableDefinition is for --writeMode=import only (the table ImportTable creates)");
    }
    TableCreationParameters definition =
        imports && !blank(options.getTableDefinition())
            ? TableDefinitions.read(options.getTableDefinition())
            : null;
    List<KeySchemaElement> keySchema = new ArrayList<>();
    List<AttributeDefinition> attributes = new ArrayList<>();
    if (!blank(options.getKeySchema())) {
      parseKeySchema(options.getKeySchema(), keySchema, attributes);
    }
    TableDescription table;
    if (existing != null) {
      if (!keySchema.isEmpty() && !sameKey(keySchema, attributes, existing)) {
        throw new InvalidInputException(
            "--keySchema="
                + options.getKeySchema()
                + " is not the key of table '"
                + tableName
                + "' ("
                + describeKey(existing.keySchema(), existing.attributeDefinitions())
                + ")");
      }
      table = existing;
    } else {
      if (keySchema.isEmpty() && definition != null && definition.hasKeySchema()) {
        keySchema.addAll(definition.keySchema());
        attributes.addAll(definition.attributeDefinitions());
      }
      if (keySchema.isEmpty()) {
        throw new InvalidInputException(
            "--tableName: table '"
                + tableName
                + "' does not exist; give the key of the items with --keySchema=pk:S[,sk:N]");
      }
      table = describe(tableName, keySchema, attributes, definition);
    }
    TableCreationParameters creation =
        imports
            ? TableDefinitions.creation(
                tableName, keySchema, attributes, definition, options.getBillingMode())
            : null;
    return new ExportPlan(layout, imports, table, creation);
  }

  /**
   * The table as the load sees it: the existing table's description, or one made of the key (and,
   * for an import, the secondary indexes to be), so items are checked against the same keys.
   */
  public TableDescription table() {
    return table;
  }

  public ExportLayout layout() {
    return layout;
  }

  /** Whether ImportTable runs after the export. */
  public boolean imports() {
    return imports;
  }

  /** The table ImportTable is to create; null for an export. */
  public TableCreationParameters creation() {
    return creation;
  }

  private static TableDescription describe(
      String tableName,
      List<KeySchemaElement> keySchema,
      List<AttributeDefinition> attributes,
      TableCreationParameters definition) {
    List<AttributeDefinition> all = new ArrayList<>(attributes);
    List<GlobalSecondaryIndexDescription> indexes = new ArrayList<>();
    if (definition != null) {
      for (AttributeDefinition d : definition.attributeDefinitions()) {
        if (all.stream().noneMatch(a -> a.attributeName().equals(d.attributeName()))) {
          all.add(d);
        }
      }
      for (GlobalSecondaryIndex index : definition.globalSecondaryIndexes()) {
        indexes.add(
            GlobalSecondaryIndexDescription.builder()
                .indexName(index.indexName())
                .keySchema(index.keySchema())
                .build());
      }
    }
    return TableDescription.builder()
        .tableName(tableName)
        .keySchema(keySchema)
        .attributeDefinitions(all)
        .globalSecondaryIndexes(indexes)
        .billingModeSummary(b -> b.billingMode(BillingMode.PAY_PER_REQUEST))
        .build();
  }

  /**
   * Parses {@code pk:S[,sk:N]} into a key schema and its attribute definitions.
   *
   * @throws InvalidInputException naming the form expected
   */
  static void parseKeySchema(
      String text, List<KeySchemaElement> keySchema, List<AttributeDefinition> attributes) {
    String[] parts = text.split(",", -1);
    if (parts.length > 2) {
      throw badKeySchema(text, "a table key has a partition key and at most a sort key");
    }
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].trim();
      int colon = part.lastIndexOf(':');
      if (colon <= 0) {
        throw badKeySchema(text, "'" + part + "' is not name:TYPE");
      }
      String name = part.substring(0, colon).trim();
      String type = part.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
      if (!List.of("S", "N", "B").contains(type)) {
        throw badKeySchema(text, "the type of '" + name + "' must be S, N or B, not " + type);
      }
      if (i == 1 && name.equals(keySchema.get(0).attributeName())) {
        throw badKeySchema(text, "the sort key cannot be the partition key");
      }
      keySchema.add(
          KeySchemaElement.builder()
              .attributeName(name)
              .keyType(i == 0 ? KeyType.HASH : KeyType.RANGE)
              .build());
      attributes.add(
          AttributeDefinition.builder()
              .attributeName(name)
              .attributeType(ScalarAttributeType.fromValue(type))
              .build());
    }
  }

  private static InvalidInputException badKeySchema(String text, String why) {
    return new InvalidInputException(
        "--keySchema=" + text + ": " + why + " (the form is pk:S[,sk:N], types S, N or B)");
  }

  private static boolean sameKey(
      List<KeySchemaElement> keySchema,
      List<AttributeDefinition> attributes,
      TableDescription table) {
    return describeKey(keySchema, attributes)
        .equals(describeKey(table.keySchema(), table.attributeDefinitions()));
  }

  /** The key as {@code --keySchema} spells it, partition key first. */
  static String describeKey(
      List<KeySchemaElement> keySchema, List<AttributeDefinition> attributes) {
    StringBuilder s = new StringBuilder();
    for (KeyType type : List.of(KeyType.HASH, KeyType.RANGE)) {
      for (KeySchemaElement e : keySchema) {
        if (e.keyType() == type) {
          s.append(s.length() == 0 ? "" : ",").append(e.attributeName()).append(':');
          attributes.stream()
              .filter(a -> a.attributeName().equals(e.attributeName()))
              .findFirst()
              .ifPresent(a -> s.append(a.attributeTypeAsString()));
        }
      }
    }
    return s.toString();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
