package io.parquet2dynamo.testing;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.common.ClientConfiguration;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * A {@link ClientBuilderFactory} that hands a pipeline's DoFns a mocked DynamoDB client, as Beam's
 * own {@code MockClientBuilderFactory} does for {@code DynamoDBIOWriteTest}: {@link #set} ties the
 * mock to the pipeline's options, and Beam instantiates this factory by its class name on each
 * worker.
 */
public final class MockDynamoDb implements ClientBuilderFactory {
  private static final Map<Long, DynamoDbClient> CLIENTS = new ConcurrentHashMap<>();

  /** Makes every DynamoDB client built with {@code options} be {@code client}. */
  public static void set(PipelineOptions options, DynamoDbClient client) {
    options.as(AwsOptions.class).setClientBuilderFactory(MockDynamoDb.class);
    CLIENTS.put(options.getOptionsId(), client);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <BuilderT extends AwsClientBuilder<BuilderT, ClientT>, ClientT> BuilderT create(
      BuilderT builder, ClientConfiguration clientConfig, AwsOptions options) {
    if (!(builder instanceof DynamoDbClientBuilder)) {
      // Beam's S3 file system registers itself on every pipeline: an empty mock serves it.
      return (BuilderT) mock(builder.getClass().getInterfaces()[0]);
    }
    DynamoDbClient client = CLIENTS.get(options.getOptionsId());
    if (client == null) {
      throw new IllegalStateException("MockDynamoDb.set was not called for these options");
    }
    DynamoDbClientBuilder mocked = mock(DynamoDbClientBuilder.class);
    when(mocked.build()).thenReturn(client);
    return (BuilderT) mocked;
  }

  @Override
  public void checkConfiguration(ClientConfiguration clientConfig, AwsOptions options) {}
}
