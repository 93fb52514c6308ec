package io.parquet2dynamo.aws;

import io.parquet2dynamo.options.Parquet2DynamoOptions;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.io.aws2.common.RetryConfiguration;
import org.joda.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The one place that decides how DynamoDB clients are configured from the pipeline options. */
public final class DynamoDbClients {
  private DynamoDbClients() {}

  /**
   * Client configuration for every DynamoDB client of the job (DescribeTable at start, writes):
   * {@code --dynamoDbEndpoint} when given, else Beam's {@code --endpoint}; region and credentials
   * from Beam's AWS options; SDK retries with backoff for throttling and 5xx answers.
   */
  public static ClientConfiguration configuration(Parquet2DynamoOptions options) {
    ClientConfiguration.Builder config =
        ClientConfiguration.builder()
            .retry(
                RetryConfiguration.builder()
                    .numRetries(8)
                    .baseBackoff(Duration.millis(50))
                    .throttledBaseBackoff(Duration.millis(500))
                    .maxBackoff(Duration.standardSeconds(20))
                    .build());
    String endpoint = options.getDynamoDbEndpoint();
    if (endpoint != null && !endpoint.isEmpty()) {
      config.endpoint(Endpoints.parse("--dynamoDbEndpoint", endpoint));
    }
    return config.build();
  }

  /**
   * As {@link #configuration}, without the SDK's own retries: the writer retries itself, so that it
   * can count throttling, pace retries with the write budget and send what is left to the dead
   * letters.
   */
  public static ClientConfiguration writerConfiguration(Parquet2DynamoOptions options) {
    return configuration(options).toBuilder()
        .retry(RetryConfiguration.builder().numRetries(0).build())
        .build();
  }

  /** A synchronous client configured as {@link #configuration} says; the caller closes it. */
  public static DynamoDbClient create(Parquet2DynamoOptions options) {
    return ClientBuilderFactory.buildClient(
        options, DynamoDbClient.builder(), configuration(options));
  }
}
