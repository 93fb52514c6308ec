package io.parquet2dynamo.aws;

import io.parquet2dynamo.options.Parquet2DynamoOptions;
import java.net.URI;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the S3 clients of Beam's S3 file system from the pipeline options, honouring {@code
 * --s3Endpoint} and addressing S3 path-style whenever an endpoint is set.
 *
 * <p>Without path-style, the SDK turns {@code http://localhost:9000} into {@code
 * http://bucket.localhost:9000}, which no local S3 stand-in (or container name) resolves.
 */
public class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder =
        ClientBuilderFactory.getFactory(options).create(S3Client.builder(), options);
    URI endpoint = options.getEndpoint();
    String s3Endpoint = options.as(Parquet2DynamoOptions.class).getS3Endpoint();
    if (s3Endpoint != null && !s3Endpoint.isEmpty()) {
      endpoint = Endpoints.parse("--s3Endpoint", s3Endpoint);
      builder.endpointOverride(endpoint);
    }
    if (endpoint != null) {
      builder.forcePathStyle(true);
    }
    return builder;
  }
}
