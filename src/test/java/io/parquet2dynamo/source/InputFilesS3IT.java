package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import io.parquet2dynamo.aws.PathStyleS3ClientBuilderFactory;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.WithStandIns;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Tests that {@link InputFiles} gives s3:// files their ETag, listing S3Proxy. */
public class InputFilesS3IT extends WithStandIns {
  private String bucket;
  private Parquet2DynamoOptions options;

  @Before
  public void setUp() {
    bucket = aws.createBucket("etags");
    for (String key :
        List.of(
            "sales/day=1/a.parquet",
            "sales/day=2/b.parquet",
            "sales/_SUCCESS",
            "other/c.parquet")) {
      aws.s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("content of " + key));
    }
    options =
        PipelineOptionsFactory.fromArgs(
                LoadRun.standInArgs(standIns, "--inputPath=/unused", "--tableName=t")
                    .toArray(new String[0]))
            .as(Parquet2DynamoOptions.class);
    options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    FileSystems.setDefaultPipelineOptions(options);
  }

  private HeadObjectResponse head(String key) {
    return aws.s3.headObject(h -> h.bucket(bucket).key(key));
  }

  private void assertVersionOf(String key, InputFiles.Match m) {
    HeadObjectResponse head = head(key);
    assertEquals("s3://" + bucket + "/" + key, m.path);
    assertEquals(head.eTag().replace("\"", ""), m.etag);
    assertEquals(head.contentLength().longValue(), m.sizeBytes);
    assertEquals(head.lastModified(), m.lastModified);
  }

  @Test
  public void directoriesGlobsAndExactPathsCarryTheirEtag() {
    String root = "s3://" + bucket + "/";
    List<InputFiles.Match> matches =
        InputFiles.resolve(
            root + "sales/," + root + "other/*.parquet," + root + "sales/day=1/a.parquet", options);

    Map<String, InputFiles.Match> byPath =
        matches.stream().collect(Collectors.toMap(m -> m.path, m -> m));
    assertEquals(3, byPath.size());
    assertVersionOf("sales/day=1/a.parquet", byPath.get(root + "sales/day=1/a.parquet"));
    assertVersionOf("sales/day=2/b.parquet", byPath.get(root + "sales/day=2/b.parquet"));
    assertVersionOf("other/c.parquet", byPath.get(root + "other/c.parquet"));

    // An exact path alone: Beam's own HeadObject keeps the ETag.
    InputFiles.Match exact = InputFiles.resolve(root + "other/c.parquet", options).get(0);
    assertVersionOf("other/c.parquet", exact);
  }

  @Test
  public void newContentGivesANewEtag() {
    String dir = "s3://" + bucket + "/sales/";
    String before = InputFiles.resolve(dir, options).get(0).etag;
    aws.s3.putObject(
        b -> b.bucket(bucket).key("sales/day=1/a.parquet"), RequestBody.fromString("new content"));
    InputFiles.Match after = InputFiles.resolve(dir, options).get(0);
    assertNotNull(after.etag);
    assertNotEquals(before, after.etag);
    assertEquals("new content".length(), after.sizeBytes);
  }

  @Test
  public void withoutOptionsTheListingIsAsBefore() {
    List<InputFiles.Match> matches = InputFiles.resolve("s3://" + bucket + "/sales/");
    assertEquals(2, matches.size());
    assertNull(matches.get(0).etag);
    assertNotNull(matches.get(0).lastModified);
  }
}
