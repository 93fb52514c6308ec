package io.parquet2dynamo.bookmark;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import io.parquet2dynamo.aws.S3Clients;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.WithStandIns;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Tests that S3's conditional writes, as S3Proxy 4.1.0 honours them, refuse a commit by themselves:
 * another run's state is put after this run's re-read and before its put, where only {@code
 * If-Match} / {@code If-None-Match: *} can notice it.
 */
public class S3BookmarkStoreIT extends WithStandIns {
  private String bucket;
  private S3BookmarkStore store;

  @Before
  public void setUp() {
    bucket = aws.createBucket("conditional");
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(
                LoadRun.standInArgs(standIns, "--inputPath=/in", "--tableName=t")
                    .toArray(new String[0]))
            .as(Parquet2DynamoOptions.class);
    store = new S3BookmarkStore("s3://" + bucket + "/b.json", S3Clients.create(options));
  }

  private void putByAnotherRun(String content) {
    aws.s3.putObject(b -> b.bucket(bucket).key("b.json"), RequestBody.fromString(content));
  }

  private String stored() {
    return aws.read(bucket, "b.json");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  public void ifMatchRefusesAPutAfterAnotherRunReplacedTheState() throws Exception {
    putByAnotherRun("v1");
    BookmarkStore.Snapshot read = store.read();
    store.beforePut = () -> putByAnotherRun("v2 by the other run");

    BookmarkStore.StateChanged e =
        assertThrows(BookmarkStore.StateChanged.class, () -> store.replace(read, bytes("mine")));

    assertEquals("was replaced", e.getMessage());
    assertEquals("v2 by the other run", stored());
  }

  @Test
  public void ifNoneMatchRefusesAPutAfterAnotherRunCreatedTheState() throws Exception {
    BookmarkStore.Snapshot read = store.read();
    assertFalse(read.exists());
    store.beforePut = () -> putByAnotherRun("first by the other run");

    BookmarkStore.StateChanged e =
        assertThrows(BookmarkStore.StateChanged.class, () -> store.replace(read, bytes("mine")));

    assertEquals("was created", e.getMessage());
    assertEquals("first by the other run", stored());
  }

  @Test
  public void anUnchangedStateIsReplaced() throws Exception {
    putByAnotherRun("v1");
    BookmarkStore.Snapshot read = store.read();
    store.replace(read, bytes("v2"));
    assertEquals("v2", stored());
    // The ETag read is now stale: the same snapshot cannot replace it again.
    assertThrows(BookmarkStore.StateChanged.class, () -> store.replace(read, bytes("v3")));
    assertEquals("v2", stored());
  }
}
