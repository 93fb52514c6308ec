package io.parquet2dynamo.aws;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.InstanceBuilder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 clients for what the job does beside Beam's S3 file system (listing ETags, the bookmark),
 * built from the pipeline options exactly as that file system builds its own: through {@code
 * --s3ClientFactoryClass}, which the job sets to {@link PathStyleS3ClientBuilderFactory} unless the
 * user named another. So {@code --endpoint}, {@code --s3Endpoint}, region and credentials mean the
 * same for both.
 */
public final class S3Clients {
  private S3Clients() {}

  /** A new client; the caller closes it. */
  public static S3Client create(PipelineOptions options) {
    S3Options s3 = options.as(S3Options.class);
    Class<? extends S3ClientBuilderFactory> factory = s3.getS3ClientFactoryClass();
    if (factory == null || factory == DefaultS3ClientBuilderFactory.class) {
      factory = PathStyleS3ClientBuilderFactory.class;
    }
    return InstanceBuilder.ofType(S3ClientBuilderFactory.class)
        .fromClass(factory)
        .build()
        .createBuilder(s3)
        .build();
  }
}
