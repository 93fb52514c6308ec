package io.parquet2dynamo.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;

/**
 * An HTTP proxy in front of DynamoDB Local that injects the faults a DynamoDB writer must survive:
 * throttle errors, HTTP 500s, partial BatchWriteItem results and items that are always throttled
 * (see {@link Faults}). Every request it does not fault goes to the real DynamoDB Local, so what a
 * client reads back is what the table holds. Point an SDK client's {@code endpointOverride} at
 * {@link #endpoint()}.
 *
 * <pre>{@code
 * try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(),
 *     Faults.builder().seed(7).throttleFraction(0.2).unprocessedFraction(0.3).build())) {
 *   // run the writer against proxy.endpoint(), then check the table and proxy.stats()
 * }
 * }</pre>
 *
 * <p>Uses only the JDK's HTTP server and client, and Jackson for the JSON bodies.
 */
public final class FaultyDynamoDb implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BATCH_WRITE = "BatchWriteItem";
  private static final String JSON_CONTENT_TYPE = "application/x-amz-json-1.0";

  /**
   * Request headers not forwarded: hop-by-hop ones, those java.net.http sets itself or refuses, and
   * Accept-Encoding, so that bodies come back uncompressed and can be read and changed.
   */
  private static final Set<String> REQUEST_HEADERS_DROPPED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "expect",
          "accept-encoding");

  /** Response headers not copied back: hop-by-hop ones and those HttpServer sets itself. */
  private static final Set<String> RESPONSE_HEADERS_DROPPED =
      Set.of("connection", "keep-alive", "transfer-encoding", "content-length", "trailer");

  static {
    // HttpServer writes a response's headers and body as two packets; without TCP_NODELAY the body
    // waits for the client's delayed ACK of the headers, about 40 ms on every response. Read once,
    // when the JDK's HttpServer is first used in the JVM.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final String target;
  private final Faults faults;
  private final Random random;
  private final Stats stats = new Stats();
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client;

  private FaultyDynamoDb(String target, Faults faults) throws IOException {
    this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
    this.faults = faults;
    this.random = new Random(faults.seed());
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "faulty-dynamodb-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(executor)
            .build();
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a proxy to {@code targetEndpoint} (e.g. DynamoDB Local's) on a free loopback port. */
  public static FaultyDynamoDb start(String targetEndpoint, Faults faults) throws IOException {
    return new FaultyDynamoDb(targetEndpoint, faults);
  }

  /** Where clients send their requests: {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public Faults faults() {
    return faults;
  }

  public Stats stats() {
    return stats;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String operation =
          amzTarget == null ? "" : amzTarget.substring(amzTarget.lastIndexOf('.') + 1);
      stats.requests.computeIfAbsent(operation, k -> new LongAdder()).increment();
      if (!faults.faults(operation)) {
        forwardUnchanged(exchange, operation, body, 0);
        return;
      }
      if (touchesKey(operation, body, faults::refuses)) {
        stats.refused.increment();
        sendError(
            exchange,
            400,
            "com.amazon.coral.validate#ValidationException",
            "Item size has exceeded the maximum allowed size");
        return;
      }
      Faults.Fault fault = faults.decide(operation, draw());
      if (fault == Faults.Fault.ANSWER_LOST) {
        // Applied by DynamoDB Local, but the client hears a failure: its outcome is unknown.
        HttpResponse<byte[]> applied = forward(exchange, body);
        stats.count(stats.requestsForwarded, operation, 1);
        if (applied.statusCode() == 200) {
          stats.answersLost.increment();
        }
        sendError(exchange, 500, "com.amazonaws.dynamodb.v20120810#InternalServerError", null);
      } else if (fault == Faults.Fault.THROTTLE) {
        throttle(exchange);
      } else if (fault == Faults.Fault.SERVER_ERROR) {
        stats.serverErrors.increment();
        sendError(exchange, 500, "com.amazonaws.dynamodb.v20120810#InternalServerError", null);
      } else if (operation.equals(BATCH_WRITE)) {
        batchWrite(exchange, body, fault == Faults.Fault.UNPROCESSED);
      } else if (touchesAlwaysThrottledKey(operation, body)) {
        throttle(exchange);
      } else {
        forwardUnchanged(exchange, operation, body, 1);
      }
    } catch (IOException | RuntimeException e) {
      // The client sees a gateway error it may retry; the test sees it in the stack trace.
      e.printStackTrace();
      try {
        sendError(exchange, 502, "FaultyDynamoDbProxyError", "proxy failed: " + e.getMessage());
      } catch (IOException | RuntimeException headersAlreadySent) {
        // Nothing more to tell the client; closing the exchange ends the response.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  private synchronized double draw() {
    return random.nextDouble();
  }

  private void throttle(HttpExchange exchange) throws IOException {
    stats.throttled.increment();
    Faults.ThrottleKind kind = faults.throttleKind();
    sendError(exchange, 400, kind.type(), kind.message());
  }

  private boolean touchesAlwaysThrottledKey(String operation, byte[] body) throws IOException {
    return !faults.alwaysThrottleKeys().isEmpty()
        && touchesKey(operation, body, faults::alwaysThrottles);
  }

  /** Whether a write request holds an item or key whose partition key value {@code test} picks. */
  private boolean touchesKey(
      String operation, byte[] body, java.util.function.Predicate<String> test) throws IOException {
    if (faults.partitionKey() == null || body.length == 0) {
      return false;
    }
    JsonNode request = JSON.readTree(body);
    if (operation.equals(BATCH_WRITE)) {
      for (JsonNode writes : request.path("RequestItems")) {
        for (JsonNode write : writes) {
          JsonNode item =
              write.has("PutRequest")
                  ? write.path("PutRequest").path("Item")
                  : write.path("DeleteRequest").path("Key");
          if (test.test(partitionKeyValue(item))) {
            return true;
          }
        }
      }
      return false;
    }
    JsonNode item = request.path(operation.equals("PutItem") ? "Item" : "Key");
    return test.test(partitionKeyValue(item));
  }

  /** The partition key's S or N value in an item or key, or null. */
  private String partitionKeyValue(JsonNode item) {
    if (faults.partitionKey() == null) {
      return null;
    }
    JsonNode value = item.path(faults.partitionKey());
    JsonNode scalar = value.has("S") ? value.get("S") : value.get("N");
    return scalar == null ? null : scalar.asText();
  }

  /**
   * Forwards the write requests that are neither always throttled nor (with {@code unprocessed}) in
   * the second half of the rest, and answers with DynamoDB Local's response plus the withheld write
   * requests in UnprocessedItems.
   */
  private void batchWrite(HttpExchange exchange, byte[] body, boolean unprocessed)
      throws IOException, InterruptedException {
    ObjectNode request = (ObjectNode) JSON.readTree(body);
    List<Map.Entry<String, JsonNode>> kept = new ArrayList<>();
    List<Map.Entry<String, JsonNode>> withheld = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> tables = request.path("RequestItems").fields();
        tables.hasNext(); ) {
      Map.Entry<String, JsonNode> table = tables.next();
      for (JsonNode writeRequest : table.getValue()) {
        JsonNode item =
            writeRequest.has("PutRequest")
                ? writeRequest.path("PutRequest").path("Item")
                : writeRequest.path("DeleteRequest").path("Key");
        (faults.alwaysThrottles(partitionKeyValue(item)) ? withheld : kept)
            .add(Map.entry(table.getKey(), writeRequest));
      }
    }
    if (unprocessed && !kept.isEmpty()) {
      List<Map.Entry<String, JsonNode>> secondHalf = kept.subList(kept.size() / 2, kept.size());
      withheld.addAll(secondHalf);
      secondHalf.clear();
    }
    if (withheld.isEmpty()) {
      forwardUnchanged(exchange, BATCH_WRITE, body, kept.size());
      return;
    }
    ObjectNode answer;
    HttpResponse<byte[]> response = null;
    if (kept.isEmpty()) {
      answer = JSON.createObjectNode();
      answer.putObject("UnprocessedItems");
    } else {
      request.set("RequestItems", addByTable(JSON.createObjectNode(), kept));
      response = forward(exchange, JSON.writeValueAsBytes(request));
      stats.count(stats.itemsForwarded, BATCH_WRITE, kept.size());
      stats.count(stats.requestsForwarded, BATCH_WRITE, 1);
      if (response.statusCode() != 200) {
        // DynamoDB Local refused the part: pass its error on; the whole batch failed.
        reply(exchange, response.statusCode(), response.headers().map(), response.body(), false);
        return;
      }
      answer = (ObjectNode) JSON.readTree(response.body());
    }
    ObjectNode unprocessedItems =
        answer.has("UnprocessedItems")
            ? (ObjectNode) answer.get("UnprocessedItems")
            : answer.putObject("UnprocessedItems");
    addByTable(unprocessedItems, withheld);
    stats.itemsWithheld.add(withheld.size());
    Map<String, List<String>> headers =
        response != null ? response.headers().map() : jsonHeaders(newRequestId());
    reply(exchange, 200, headers, JSON.writeValueAsBytes(answer), true);
  }

  /** Appends (table, write request) pairs to a RequestItems-shaped object; returns it. */
  private static ObjectNode addByTable(
      ObjectNode requestItems, List<Map.Entry<String, JsonNode>> writeRequests) {
    for (Map.Entry<String, JsonNode> entry : writeRequests) {
      JsonNode list = requestItems.get(entry.getKey());
      (list == null ? requestItems.putArray(entry.getKey()) : (ArrayNode) list)
          .add(entry.getValue());
    }
    return requestItems;
  }

  private void forwardUnchanged(HttpExchange exchange, String operation, byte[] body, int items)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response = forward(exchange, body);
    stats.count(stats.requestsForwarded, operation, 1);
    if (items > 0) {
      stats.count(stats.itemsForwarded, operation, items);
    }
    reply(exchange, response.statusCode(), response.headers().map(), response.body(), false);
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    URI uri = exchange.getRequestURI();
    String pathAndQuery =
        (uri.getRawPath() == null ? "/" : uri.getRawPath())
            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target + pathAndQuery))
            .timeout(Duration.ofSeconds(60))
            .method(
                exchange.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      if (REQUEST_HEADERS_DROPPED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : header.getValue()) {
        try {
          request.header(header.getKey(), value);
        } catch (IllegalArgumentException restricted) {
          // Another header java.net.http will not send; DynamoDB Local does not need it.
        }
      }
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private void sendError(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    ObjectNode error = JSON.createObjectNode();
    error.put("__type", type);
    error.put("message", message == null ? "Internal server error" : message);
    reply(exchange, status, jsonHeaders(newRequestId()), JSON.writeValueAsBytes(error), true);
  }

  private static String newRequestId() {
    return UUID.randomUUID().toString().replace("-", "").toUpperCase(Locale.ROOT);
  }

  private static Map<String, List<String>> jsonHeaders(String requestId) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of(JSON_CONTENT_TYPE));
    headers.put("x-amzn-RequestId", List.of(requestId));
    return headers;
  }

  /**
   * Sends status, headers and body. With {@code bodyChanged} the x-amz-crc32 header, which the SDK
   * checks against the body, is computed anew.
   */
  private static void reply(
      HttpExchange exchange,
      int status,
      Map<String, List<String>> headers,
      byte[] body,
      boolean bodyChanged)
      throws IOException {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(":")
          || RESPONSE_HEADERS_DROPPED.contains(name)
          || (bodyChanged && name.equals("x-amz-crc32"))) {
        continue;
      }
      for (String value : header.getValue()) {
        exchange.getResponseHeaders().add(header.getKey(), value);
      }
    }
    if (bodyChanged) {
      CRC32 crc = new CRC32();
      crc.update(body);
      exchange.getResponseHeaders().set("x-amz-crc32", Long.toString(crc.getValue()));
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  /** What the proxy saw and did; safe to read while requests are in flight. */
  public static final class Stats {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requestsForwarded = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> itemsForwarded = new ConcurrentHashMap<>();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder itemsWithheld = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder answersLost = new LongAdder();

    private Stats() {}

    private void count(Map<String, LongAdder> counters, String operation, long n) {
      counters.computeIfAbsent(operation, k -> new LongAdder()).add(n);
    }

    private static long get(Map<String, LongAdder> counters, String operation) {
      LongAdder counter = counters.get(operation);
      return counter == null ? 0 : counter.sum();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
      Map<String, Long> copy = new TreeMap<>();
      counters.forEach((operation, counter) -> copy.put(operation, counter.sum()));
      return copy;
    }

    /** Requests received for an operation (e.g. "BatchWriteItem"), faulted or not. */
    public long requests(String operation) {
      return get(requests, operation);
    }

    /** Requests received, by operation. */
    public Map<String, Long> requests() {
      return snapshot(requests);
    }

    /** Requests (or, for a partial BatchWriteItem, parts of them) sent on to DynamoDB Local. */
    public long requestsForwarded(String operation) {
      return get(requestsForwarded, operation);
    }

    /**
     * Items sent on to DynamoDB Local: write requests for BatchWriteItem, 1 per PutItem, DeleteItem
     * or UpdateItem; operations that are not faulted are not counted.
     */
    public long itemsForwarded(String operation) {
      return get(itemsForwarded, operation);
    }

    public Map<String, Long> itemsForwarded() {
      return snapshot(itemsForwarded);
    }

    /** Throttle errors answered, drawn or for always-throttled keys. */
    public long throttled() {
      return throttled.sum();
    }

    /** HTTP 500 errors answered. */
    /** Write requests refused with a ValidationException for holding a refused key. */
    public long refused() {
      return refused.sum();
    }

    /** Write requests applied by DynamoDB Local but answered with a 500. */
    public long answersLost() {
      return answersLost.sum();
    }

    public long serverErrors() {
      return serverErrors.sum();
    }

    /** BatchWriteItem write requests returned in UnprocessedItems without being written. */
    public long itemsWithheld() {
      return itemsWithheld.sum();
    }

    @Override
    public String toString() {
      return "Stats{requests="
          + requests()
          + ", itemsForwarded="
          + itemsForwarded()
          + ", throttled="
          + throttled()
          + ", serverErrors="
          + serverErrors()
          + ", itemsWithheld="
          + itemsWithheld()
          + "}";
    }
  }
}
