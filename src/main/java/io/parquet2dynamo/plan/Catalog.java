package io.parquet2dynamo.plan;

import io.parquet2dynamo.source.ParquetDataset;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * What a plan looks up outside the job: the table's description and the input's files and footers.
 * {@link AwsCatalog} asks DynamoDB and S3 (or the local disk); tests can answer themselves.
 */
public interface Catalog {
  /**
   * DescribeTable's answer.
   *
   * @throws io.parquet2dynamo.InvalidInputException when the table does not exist or cannot be
   *     described
   */
  TableDescription describeTable(String tableName);

  /**
   * The Parquet files {@code inputPath} names, with their merged schema.
   *
   * @throws io.parquet2dynamo.InvalidInputException when nothing matches or a file is unreadable
   */
  ParquetDataset scan(String inputPath);

  /**
   * The file pattern of the dead letters {@code location} names: the pattern itself, or every
   * dead-letter file of a directory.
   *
   * @throws io.parquet2dynamo.InvalidInputException when no file matches
   */
  String deadLetterFiles(String location);
}
