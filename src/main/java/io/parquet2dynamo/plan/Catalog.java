package io.parquet2dynamo.plan;

import io.parquet2dynamo.source.InputFiles;
import io.parquet2dynamo.source.ParquetDataset;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * What a plan looks up outside the job: the table's description, the input's listing and the
 * footers of the files to read. {@link AwsCatalog} asks DynamoDB and S3 (or the local disk); tests
 * can answer themselves.
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
   * DescribeTable's answer, or null when the table does not exist (an export needs no table, an
   * import one that does not exist yet).
   *
   * @throws io.parquet2dynamo.InvalidInputException when the table cannot be described
   */
  TableDescription findTable(String tableName);

  /**
   * The Parquet files {@code inputPath} names, and the files its listing skipped.
   *
   * @param versions whether {@code s3://} files need their ETag (a bookmark compares it): one more
   *     ListObjectsV2 per listed prefix
   * @throws io.parquet2dynamo.InvalidInputException when nothing matches or the listing fails
   */
  InputFiles.Listing list(String inputPath, boolean versions);

  /**
   * Reads the footers of {@code files} (at least one) and merges their schemas.
   *
   * @throws io.parquet2dynamo.InvalidInputException when a file is unreadable or the schemas do not
   *     merge
   */
  ParquetDataset scan(List<InputFiles.Match> files);

  /**
   * The file pattern of the dead letters {@code location} names: the pattern itself, or every
   * dead-letter file of a directory.
   *
   * @throws io.parquet2dynamo.InvalidInputException when no file matches
   */
  String deadLetterFiles(String location);
}
