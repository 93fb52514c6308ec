package io.parquet2dynamo.bookmark;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A bookmark on S3 read by a role whose {@code s3:ListBucket} is held to the bookmark's key, as
 * runners/glue/iam-policy.json grants it: S3 answers 403 for the missing object, and the store
 * lists the key to tell missing from forbidden. The stand-in is a small HTTP server answering as S3
 * answers such a role (S3Proxy grants all or nothing).
 */
public class S3BookmarkStoreAccessTest {
  private static final String KEY = "tmp/parquet2dynamo-bookmarks/nightly.json";

  private HttpServer server;
  private final List<String> calls = new CopyOnWriteArrayList<>();

  /** The keys the bucket holds, as the listing shows them. */
  private volatile List<String> keys = List.of();

  /** Whether the role may list the key's prefix. */
  private volatile boolean mayList = true;

  private S3Client s3;

  @Before
  public void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
    s3 =
        S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
  }

  @After
  public void stop() {
    s3.close();
    server.stop(0);
  }

  /** GetObject and HeadObject of the key: 403, as S3 answers a role without a bucket-wide list. */
  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String query = exchange.getRequestURI().getRawQuery();
      calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      if (query != null && query.contains("list-type=2")) {
        if (!mayList || !query.contains("prefix=" + KEY.replace("/", "%2F"))) {
          send(exchange, 403, ERROR);
          return;
        }
        StringBuilder xml =
            new StringBuilder(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult"
                    + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name><Prefix>"
                    + KEY
                    + "</Prefix><KeyCount>"
                    + keys.size()
                    + "</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated>");
        for (String key : keys) {
          xml.append("<Contents><Key>")
              .append(key)
              .append("</Key><Size>2</Size><ETag>\"e\"</ETag></Contents>");
        }
        send(exchange, 200, xml.append("</ListBucketResult>").toString());
        return;
      }
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(403, -1);
        return;
      }
      send(exchange, 403, ERROR);
    }
  }

  private static final String ERROR =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
          + "<Message>Access Denied</Message></Error>";

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/xml");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private S3BookmarkStore store() {
    return new S3BookmarkStore("s3://b/" + KEY, s3);
  }

  @Test
  public void aBookmarkNotWrittenYetReadsAsMissingWhenItsKeyMayBeListed() throws Exception {
    assertFalse(store().read().exists());
    assertTrue(calls.toString(), calls.get(0).startsWith("GET /b/" + KEY));
    assertTrue(calls.toString(), calls.get(1).contains("list-type=2"));
  }

  @Test
  public void aForbiddenBookmarkThatExistsStaysForbidden() {
    keys = List.of(KEY);

    IOException refused = assertThrows(IOException.class, () -> store().read());

    assertTrue(refused.getMessage(), refused.getMessage().contains("Access Denied"));
    assertTrue(
        refused.getMessage(),
        refused.getMessage().contains("s3:ListBucket on its bucket for the prefix " + KEY));
  }

  @Test
  public void withoutTheListTheRefusalStands() {
    mayList = false;

    assertThrows(IOException.class, () -> store().read());
  }

  @Test
  public void aCommitOfAFirstBookmarkGetsPastTheReReadTheSameWay() throws Exception {
    // The re-read before the put is a HeadObject: 403 too, and the listing says missing.
    BookmarkStore.StateChanged changed = null;
    IOException put = null;
    try {
      store().replace(BookmarkStore.Snapshot.absent(), "{}".getBytes(UTF_8));
    } catch (BookmarkStore.StateChanged e) {
      changed = e;
    } catch (IOException e) {
      put = e;
    }

    assertEquals("no conflict: the bookmark is missing", null, changed);
    // This stand-in refuses the put itself, which shows the store got as far as putting.
    assertTrue(calls.toString(), calls.stream().anyMatch(c -> c.startsWith("PUT /b/" + KEY)));
    assertTrue(String.valueOf(put), put != null && put.getMessage().contains("Access Denied"));
  }
}
