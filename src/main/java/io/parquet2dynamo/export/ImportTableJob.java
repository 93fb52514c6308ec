package io.parquet2dynamo.export;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.aws.AwsProblems;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ImportStatus;
import software.amazon.awssdk.services.dynamodb.model.ImportTableDescription;
import software.amazon.awssdk.services.dynamodb.model.ImportTableRequest;
import software.amazon.awssdk.services.dynamodb.model.InputCompressionType;
import software.amazon.awssdk.services.dynamodb.model.InputFormat;

/**
 * {@code --writeMode=import}'s last step: hands the export to DynamoDB's ImportTable, which creates
 * the table from the files, and follows the import with DescribeImport until it ends, printing a
 * {@code PROGRESS} line each time. ImportTable reads the files itself and consumes no write
 * capacity; it bills by the uncompressed bytes of the source ("Amazon DynamoDB pricing", import
 * from S3), which the manifest records.
 */
public final class ImportTableJob {
  private final DynamoDbClient client;
  private final Duration every;
  private final PrintStream out;

  /**
   * @param every the time between two DescribeImport calls
   * @param out where the PROGRESS lines go
   */
  public ImportTableJob(DynamoDbClient client, Duration every, PrintStream out) {
    this.client = client;
    this.every = every;
    this.out = out;
  }

  /**
   * The ImportTable request for {@code export}'s files as {@code manifest} lists them: the data
   * prefix on S3, gzip DynamoDB JSON, the table to create; {@code clientToken} (the run id) makes a
   * repeated call the same import rather than a second one.
   */
  public static ImportTableRequest request(
      ExportPlan export, Manifest manifest, String clientToken) {
    ExportLayout layout = export.layout();
    if (!manifest.dataPrefix().equals(layout.dataPrefix())) {
      throw new IllegalArgumentException(
          "the manifest is of " + manifest.dataPrefix() + ", not " + layout.dataPrefix());
    }
    return ImportTableRequest.builder()
        .clientToken(clientToken)
        .s3BucketSource(s -> s.s3Bucket(layout.bucket()).s3KeyPrefix(layout.dataKeyPrefix()))
        .inputFormat(InputFormat.fromValue(Manifest.FORMAT))
        .inputCompressionType(InputCompressionType.fromValue(Manifest.COMPRESSION))
        .tableCreationParameters(export.creation())
        .build();
  }

  /** How an import ended. */
  public record Result(
      ImportTableDescription description, String problem, Map<String, Object> fields) {
    /** Whether ImportTable completed the import (its counts still to be reconciled). */
    public boolean completed() {
      return problem == null;
    }
  }

  /**
   * Starts the import and follows it to its end.
   *
   * @return its last description, and the problem in one line if ImportTable refused it or it ended
   *     other than COMPLETED
   */
  public Result run(ImportTableRequest request) {
    String table = request.tableCreationParameters().tableName();
    ImportTableDescription d;
    try {
      d = client.importTable(request).importTableDescription();
    } catch (SdkException e) {
      return new Result(
          null,
          "ImportTable refused to create table '"
              + table
              + "' from "
              + "s3://"
              + request.s3BucketSource().s3Bucket()
              + "/"
              + request.s3BucketSource().s3KeyPrefix()
              + ": "
              + AwsProblems.explain(Errors.rootMessage(e))
              + " (the exported files are kept)",
          Map.of());
    }
    out.println("IMPORT started: " + d.importArn() + " creating table '" + table + "'");
    try {
      while (d.importStatus() == ImportStatus.IN_PROGRESS
          || d.importStatus() == ImportStatus.CANCELLING) {
        progress(d);
        Thread.sleep(every.toMillis());
        String arn = d.importArn();
        d = client.describeImport(b -> b.importArn(arn)).importTableDescription();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(
          d,
          "stopped while following import "
              + d.importArn()
              + ", which goes on; see aws dynamodb"
              + " describe-import --import-arn "
              + d.importArn(),
          fields(d));
    } catch (SdkException e) {
      return new Result(
          d,
          "cannot follow import "
              + d.importArn()
              + ": "
              + AwsProblems.explain(Errors.rootMessage(e))
              + "; see aws dynamodb describe-import --import-arn "
              + d.importArn(),
          fields(d));
    }
    progress(d);
    if (d.importStatus() != ImportStatus.COMPLETED) {
      return new Result(
          d,
          "ImportTable "
              + d.importStatusAsString()
              + (d.failureCode() == null ? "" : ": " + d.failureCode())
              + (d.failureMessage() == null ? "" : ": " + d.failureMessage())
              + " (import "
              + d.importArn()
              + "; the exported files are kept)",
          fields(d));
    }
    return new Result(d, null, fields(d));
  }

  private void progress(ImportTableDescription d) {
    out.println(
        "PROGRESS import="
            + d.importStatusAsString()
            + " processedItems="
            + orZero(d.processedItemCount())
            + " importedItems="
            + orZero(d.importedItemCount())
            + " errors="
            + orZero(d.errorCount())
            + " processedBytes="
            + orZero(d.processedSizeBytes()));
  }

  /** What the summary says of the import. */
  static Map<String, Object> fields(ImportTableDescription d) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("importArn", d.importArn());
    fields.put("status", d.importStatusAsString());
    fields.put("tableArn", d.tableArn());
    fields.put("processedSizeBytes", orZero(d.processedSizeBytes()));
    if (d.cloudWatchLogGroupArn() != null) {
      fields.put("logGroup", d.cloudWatchLogGroupArn());
    }
    return fields;
  }

  static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
