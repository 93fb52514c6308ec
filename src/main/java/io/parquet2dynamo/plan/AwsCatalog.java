package io.parquet2dynamo.plan;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.aws.DynamoDbClients;
import io.parquet2dynamo.deadletter.WriteDeadLetters;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.source.InputFiles;
import io.parquet2dynamo.source.ParquetDataset;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The {@link Catalog} of a real run: DynamoDB's DescribeTable, and the input through Beam. */
public final class AwsCatalog implements Catalog {
  private final Parquet2DynamoOptions options;

  public AwsCatalog(Parquet2DynamoOptions options) {
    this.options = options;
  }

  @Override
  public TableDescription describeTable(String tableName) {
    // Built outside the try: a client that cannot be built (no region) is not the table's fault.
    try (DynamoDbClient client = DynamoDbClients.create(options)) {
      return describe(client, tableName);
    }
  }

  @Override
  public TableDescription findTable(String tableName) {
    try (DynamoDbClient client = DynamoDbClients.create(options)) {
      try {
        return client.describeTable(b -> b.tableName(tableName)).table();
      } catch (ResourceNotFoundException e) {
        return null;
      } catch (SdkException e) {
        return describe(client, tableName); // asks again, and says why it cannot in one line
      }
    }
  }

  private TableDescription describe(DynamoDbClient client, String tableName) {
    try {
      return client.describeTable(b -> b.tableName(tableName)).table();
    } catch (ResourceNotFoundException e) {
      throw new InvalidInputException(
          "--tableName: table '" + tableName + "' does not exist " + where());
    } catch (SdkException e) {
      throw new InvalidInputException(
          "--tableName: cannot describe table '"
              + tableName
              + "' "
              + where()
              + ": "
              + Errors.rootMessage(e),
          e);
    }
  }

  @Override
  public InputFiles.Listing list(String inputPath, boolean versions) {
    return InputFiles.list(inputPath, versions ? options : null);
  }

  @Override
  public ParquetDataset scan(List<InputFiles.Match> files) {
    return ParquetDataset.scan(files);
  }

  @Override
  public String deadLetterFiles(String location) {
    return WriteDeadLetters.existingFiles(location);
  }

  /** Where the table was looked for: the region, and the endpoint when one is set. */
  private String where() {
    String endpoint =
        options.getDynamoDbEndpoint() != null && !options.getDynamoDbEndpoint().isBlank()
            ? options.getDynamoDbEndpoint()
            : options.getEndpoint() != null ? options.getEndpoint().toString() : null;
    return "in region " + options.getAwsRegion() + (endpoint == null ? "" : " at " + endpoint);
  }
}
