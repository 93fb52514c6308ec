package io.parquet2dynamo.bookmark;

import io.parquet2dynamo.Errors;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A bookmark in an {@code s3://} object. Each write is one PutObject of the whole content, which S3
 * makes visible all at once or not at all.
 *
 * <p>Concurrent runs: a replace first re-reads the object's ETag (HeadObject) and refuses when it
 * is not the one read at start; then it puts the new content conditionally, with {@code If-Match:
 * <ETag read>} (or {@code If-None-Match: *} when there was no state), so that S3 itself refuses the
 * put (412 Precondition Failed, or 409 when two conditional puts race) if another run put in
 * between. The re-read covers endpoints that ignore the condition headers; the conditional put
 * closes the window the re-read leaves.
 *
 * <p>Checked for this project: AWS SDK 2.29.52 has {@code PutObjectRequest.ifMatch} and {@code
 * ifNoneMatch} (S3 has honoured If-None-Match on PutObject since August 2024 and If-Match since
 * November 2024). S3Proxy 4.1.0 honours both on its in-memory ({@code transient}) back end: a put
 * with a stale If-Match or with If-None-Match: * on an existing key answers 412 PreconditionFailed
 * (tried with the SDK). It does so by looking at the blob and then writing it, so two puts at the
 * same instant could both pass there; S3 itself decides atomically. Back ends S3Proxy cannot
 * emulate this on answer 501 NotImplemented ("Conditional writes are not supported by this
 * backend"): the put is then sent again without the condition, after the re-read.
 *
 * <p>Permissions: {@code s3:GetObject} and {@code s3:PutObject} on the object (and on its {@code
 * .reset-*} copies), and {@code s3:ListBucket} on its bucket, which may be held to the object's key
 * as prefix: S3 answers 403 rather than 404 for a missing object to a role that may not list the
 * whole bucket, so on a 403 the store lists the key before it believes the refusal.
 */
final class S3BookmarkStore implements BookmarkStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3BookmarkStore.class);

  private final String path;
  private final String bucket;
  private final String key;
  private final S3Client s3;

  /**
   * Runs between the re-read and the conditional put; tests put another run's state there to show
   * that the condition alone refuses the put.
   */
  Runnable beforePut = () -> {};

  S3BookmarkStore(String path, S3Client s3) {
    this.path = path;
    String rest = path.substring("s3://".length());
    int slash = rest.indexOf('/');
    this.bucket = rest.substring(0, slash);
    this.key = rest.substring(slash + 1);
    this.s3 = s3;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public Snapshot read() throws IOException {
    try {
      ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
      return new Snapshot(object.asByteArray(), object.response().eTag());
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
        return Snapshot.absent();
      }
      if (e.statusCode() == 403 && missingFromListing()) {
        return Snapshot.absent();
      }
      throw failure("read", e);
    } catch (RuntimeException e) {
      throw new IOException(Errors.rootMessage(e), e);
    }
  }

  @Override
  public void checkWritable() {
    // S3 cannot tell whether a put will be allowed without putting.
  }

  @Override
  public void replace(Snapshot expected, byte[] content) throws IOException, StateChanged {
    String current = currentEtag();
    if (current == null && expected.exists()) {
      throw new StateChanged("was deleted");
    }
    if (current != null && !expected.exists()) {
      throw new StateChanged("was created");
    }
    if (current != null && !current.equals(expected.etag)) {
      throw new StateChanged("was replaced");
    }
    beforePut.run();
    PutObjectRequest.Builder conditional = request();
    if (expected.exists()) {
      conditional.ifMatch(expected.etag);
    } else {
      conditional.ifNoneMatch("*");
    }
    try {
      s3.putObject(conditional.build(), RequestBody.fromBytes(content));
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        // 412: the condition failed; 409 ConditionalRequestConflict: another conditional put on
        // the key was in flight.
        throw new StateChanged(expected.exists() ? "was replaced" : "was created");
      }
      if (e.statusCode() == 501) {
        LOG.info(
            "The S3 endpoint does not support conditional writes ({}); {} was compared just"
                + " before this write instead",
            Errors.rootMessage(e),
            path);
        put(request().build(), content);
        return;
      }
      throw failure("write", e);
    } catch (RuntimeException e) {
      throw new IOException(Errors.rootMessage(e), e);
    }
  }

  @Override
  public String writeBeside(String suffix, byte[] content) throws IOException {
    String copyKey = key + suffix;
    put(
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(copyKey)
            .contentType("application/json")
            .build(),
        content);
    return "s3://" + bucket + "/" + copyKey;
  }

  @Override
  public void close() {
    s3.close();
  }

  private PutObjectRequest.Builder request() {
    return PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json");
  }

  private void put(PutObjectRequest request, byte[] content) throws IOException {
    try {
      s3.putObject(request, RequestBody.fromBytes(content));
    } catch (S3Exception e) {
      throw failure("write", e);
    } catch (RuntimeException e) {
      throw new IOException(Errors.rootMessage(e), e);
    }
  }

  /** The object's ETag now, or null when there is none. */
  private String currentEtag() throws IOException {
    try {
      return s3.headObject(b -> b.bucket(bucket).key(key)).eTag();
    } catch (S3Exception e) {
      if (e.statusCode() == 404 || (e.statusCode() == 403 && missingFromListing())) {
        return null;
      }
      throw failure("read", e);
    } catch (RuntimeException e) {
      throw new IOException(Errors.rootMessage(e), e);
    }
  }

  /**
   * Whether a listing of the bookmark's key (ListObjectsV2 with it as the prefix) shows no such
   * object. S3 answers a GetObject or HeadObject of a missing object with 403, not 404, unless the
   * role may list the whole bucket (an {@code s3:ListBucket} held to a prefix does not count); a
   * role that may list the key's own prefix can still tell missing from forbidden this way. False
   * when the listing is refused too: the 403 then stands.
   */
  private boolean missingFromListing() {
    try {
      return s3.listObjectsV2(b -> b.bucket(bucket).prefix(key).maxKeys(1)).contents().stream()
          .noneMatch(o -> o.key().equals(key));
    } catch (RuntimeException e) {
      LOG.debug("Cannot list {} to tell a missing bookmark from a forbidden one", path, e);
      return false;
    }
  }

  private IOException failure(String what, S3Exception e) {
    String message = Errors.rootMessage(e);
    if (e.statusCode() == 403) {
      message +=
          "; the job needs s3:GetObject and s3:PutObject on it"
              + (what.equals("read")
                  ? ", and s3:ListBucket on its bucket for the prefix "
                      + key
                      + ", so that a missing bookmark reads as missing rather than as Access"
                      + " Denied"
                  : "");
    }
    return new IOException(message, e);
  }

  private static String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }
}
