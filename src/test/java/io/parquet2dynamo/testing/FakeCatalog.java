package io.parquet2dynamo.testing;

import io.parquet2dynamo.plan.Catalog;
import io.parquet2dynamo.source.InputFiles;
import io.parquet2dynamo.source.ParquetDataset;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * A {@link Catalog} for tests of the plan and the pipeline: one table described as given, the input
 * listed and read from local files; it records what it was asked ({@code describeTable T}, {@code
 * list PATH}, {@code scan N files}), so a test can prove a check came first and that a bookmark
 * kept files from being read.
 */
public final class FakeCatalog implements Catalog {
  private final TableDescription table;
  public final List<String> calls = new ArrayList<>();

  public FakeCatalog(TableDescription table) {
    this.table = table;
  }

  /** A provisioned table keyed by {@code pk} (S) and, if not null, {@code sk} (N). */
  public static TableDescription table(String name, String pk, String sk, long writeUnits) {
    TableDescription.Builder b =
        TableDescription.builder()
            .tableName(name)
            .provisionedThroughput(
                ProvisionedThroughputDescription.builder()
                    .readCapacityUnits(writeUnits)
                    .writeCapacityUnits(writeUnits)
                    .build());
    List<KeySchemaElement> keys = new ArrayList<>();
    List<AttributeDefinition> attributes = new ArrayList<>();
    keys.add(KeySchemaElement.builder().attributeName(pk).keyType(KeyType.HASH).build());
    attributes.add(
        AttributeDefinition.builder()
            .attributeName(pk)
            .attributeType(ScalarAttributeType.S)
            .build());
    if (sk != null) {
      keys.add(KeySchemaElement.builder().attributeName(sk).keyType(KeyType.RANGE).build());
      attributes.add(
          AttributeDefinition.builder()
              .attributeName(sk)
              .attributeType(ScalarAttributeType.N)
              .build());
    }
    return b.keySchema(keys).attributeDefinitions(attributes).build();
  }

  @Override
  public TableDescription describeTable(String tableName) {
    calls.add("describeTable " + tableName);
    if (!tableName.equals(table.tableName())) {
      throw new io.parquet2dynamo.InvalidInputException(
          "--tableName: table '" + tableName + "' does not exist");
    }
    return table;
  }

  @Override
  public TableDescription findTable(String tableName) {
    calls.add("describeTable " + tableName);
    return tableName.equals(table.tableName()) ? table : null;
  }

  @Override
  public InputFiles.Listing list(String inputPath, boolean versions) {
    calls.add("list " + inputPath);
    // Local files carry their modification time, what a bookmark compares, either way.
    return InputFiles.list(inputPath, null);
  }

  @Override
  public ParquetDataset scan(List<InputFiles.Match> files) {
    calls.add("scan " + files.size() + " files");
    return ParquetDataset.scan(files);
  }

  @Override
  public String deadLetterFiles(String location) {
    calls.add("deadLetterFiles " + location);
    return io.parquet2dynamo.deadletter.WriteDeadLetters.existingFiles(location);
  }
}
