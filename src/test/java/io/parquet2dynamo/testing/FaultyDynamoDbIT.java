package io.parquet2dynamo.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link FaultyDynamoDb} between a real SDK client (its own retries off) and DynamoDB Local: each
 * fault reaches the client as DynamoDB's would, and what is not faulted reaches the table.
 */
public class FaultyDynamoDbIT extends WithStandIns {
  @Test
  public void withoutFaultsEveryRequestReachesTheTable() throws Exception {
    String table = newTable();
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), Faults.none());
        DynamoDbClient client = clientOf(proxy)) {
      assertEquals(table, client.describeTable(b -> b.tableName(table)).table().tableName());
      BatchWriteItemResponse written = batch(client, table, keys("k", 0, 25));
      assertFalse(written.hasUnprocessedItems() && !written.unprocessedItems().isEmpty());
      client.putItem(b -> b.tableName(table).item(item("k25")));
      client.updateItem(
          b ->
              b.tableName(table)
                  .key(Map.of("pk", s("k0")))
                  .updateExpression("SET n = :n")
                  .expressionAttributeValues(Map.of(":n", n(100))));
      client.deleteItem(b -> b.tableName(table).key(Map.of("pk", s("k1"))));
      Map<String, AttributeValue> k0 =
          client
              .getItem(b -> b.tableName(table).key(Map.of("pk", s("k0"))).consistentRead(true))
              .item();
      assertEquals("100", k0.get("n").n());

      Map<String, Map<String, AttributeValue>> items = scan(table);
      assertEquals(25, items.size());
      assertFalse(items.containsKey("k1"));
      assertEquals("100", items.get("k0").get("n").n());

      FaultyDynamoDb.Stats stats = proxy.stats();
      assertEquals(1, stats.requests("DescribeTable"));
      assertEquals(1, stats.requests("GetItem"));
      assertEquals(25, stats.itemsForwarded("BatchWriteItem"));
      assertEquals(1, stats.itemsForwarded("PutItem"));
      assertEquals(1, stats.itemsForwarded("UpdateItem"));
      assertEquals(1, stats.itemsForwarded("DeleteItem"));
      assertEquals(0, stats.throttled() + stats.serverErrors() + stats.itemsWithheld());
    }
  }

  @Test
  public void throttleAnswersRaiseTheExceptionOfTheirKind() throws Exception {
    String table = newTable();
    Map<Faults.ThrottleKind, Class<?>> expected =
        Map.of(
            Faults.ThrottleKind.PROVISIONED_THROUGHPUT_EXCEEDED,
                ProvisionedThroughputExceededException.class,
            Faults.ThrottleKind.REQUEST_LIMIT_EXCEEDED, RequestLimitExceededException.class,
            // SDK 2.20's DynamoDB model has no class for it.
            Faults.ThrottleKind.THROTTLING, DynamoDbException.class);
    for (Faults.ThrottleKind kind : Faults.ThrottleKind.values()) {
      Faults faults = Faults.builder().throttleFraction(1).throttleKind(kind).build();
      try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults);
          DynamoDbClient client = clientOf(proxy)) {
        DynamoDbException put =
            assertThrows(
                DynamoDbException.class,
                () -> client.putItem(b -> b.tableName(table).item(item("t1"))));
        DynamoDbException batch =
            assertThrows(DynamoDbException.class, () -> batch(client, table, keys("t", 0, 3)));
        for (DynamoDbException e : List.of(put, batch)) {
          assertSame(kind + ": " + e, expected.get(kind), e.getClass());
          assertEquals(400, e.statusCode());
          assertEquals(kind.errorCode(), e.awsErrorDetails().errorCode());
          assertTrue(kind + " is a throttling error to the SDK", e.isThrottlingException());
          assertNotNull(e.requestId());
        }
        // Reads pass through untouched.
        assertEquals(table, client.describeTable(b -> b.tableName(table)).table().tableName());
        client.getItem(b -> b.tableName(table).key(Map.of("pk", s("t1"))));
        assertEquals(2, proxy.stats().throttled());
        assertEquals(0, proxy.stats().itemsForwarded("PutItem"));
      }
    }
    assertEquals(0, scan(table).size());
  }

  @Test
  public void serverErrorsRaiseStatus500() throws Exception {
    String table = newTable();
    Faults faults = Faults.builder().serverErrorFraction(1).build();
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults);
        DynamoDbClient client = clientOf(proxy)) {
      DynamoDbException e =
          assertThrows(DynamoDbException.class, () -> batch(client, table, keys("e", 0, 4)));
      assertEquals(500, e.statusCode());
      assertSame(InternalServerErrorException.class, e.getClass());
      assertFalse(e.isThrottlingException());
      DynamoDbException put =
          assertThrows(
              DynamoDbException.class,
              () -> client.putItem(b -> b.tableName(table).item(item("e9"))));
      assertEquals(500, put.statusCode());
      assertEquals(2, proxy.stats().serverErrors());
    }
    assertEquals(0, scan(table).size());
  }

  @Test
  public void unprocessedAnswersReturnTheWithheldHalf() throws Exception {
    String table = newTable();
    String other = newTable();
    Faults faults = Faults.builder().unprocessedFraction(1).build();
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults);
        DynamoDbClient client = clientOf(proxy)) {
      BatchWriteItemResponse ten = batch(client, table, keys("u", 0, 10));
      assertEquals(keys("u", 5, 10), unprocessedKeys(ten, table));
      BatchWriteItemResponse one = batch(client, table, List.of("v0"));
      assertEquals(List.of("v0"), unprocessedKeys(one, table));
      BatchWriteItemResponse three = batch(client, table, keys("w", 0, 3));
      assertEquals(List.of("w1", "w2"), unprocessedKeys(three, table));
      // Across tables the write requests are split in request order.
      BatchWriteItemResponse two =
          client.batchWriteItem(
              b ->
                  b.requestItems(
                      Map.of(table, puts(List.of("x0", "x1")), other, puts(List.of("y0", "y1")))));
      List<String> withheld = new ArrayList<>(unprocessedKeys(two, table));
      withheld.addAll(unprocessedKeys(two, other));
      assertEquals(2, withheld.size());
      // PutItem is never partly processed.
      client.putItem(b -> b.tableName(table).item(item("p0")));

      List<String> written = new ArrayList<>(scan(table).keySet());
      written.addAll(scan(other).keySet());
      Collections.sort(written);
      List<String> expected =
          new ArrayList<>(
              List.of("p0", "u0", "u1", "u2", "u3", "u4", "w0", "x0", "x1", "y0", "y1"));
      expected.removeAll(withheld);
      assertEquals(expected, written);
      assertEquals(5 + 1 + 2 + 2, proxy.stats().itemsWithheld());
      assertEquals(5 + 0 + 1 + 2, proxy.stats().itemsForwarded("BatchWriteItem"));
    }
  }

  @Test
  public void alwaysThrottledKeysNeverReachTheTable() throws Exception {
    String table = newTable();
    Faults faults = Faults.builder().partitionKey("pk").alwaysThrottleKeys("hot1", "hot2").build();
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults);
        DynamoDbClient client = clientOf(proxy)) {
      List<WriteRequest> requests = new ArrayList<>(puts(List.of("a0", "hot1", "a1")));
      requests.add(
          WriteRequest.builder().deleteRequest(d -> d.key(Map.of("pk", s("hot2")))).build());
      requests.addAll(puts(List.of("a2")));
      Map<String, List<WriteRequest>> pending = Map.of(table, requests);
      for (int attempt = 1; attempt <= 5; attempt++) {
        Map<String, List<WriteRequest>> batch = pending;
        BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(batch));
        assertEquals(List.of("hot1", "hot2"), unprocessedKeys(response, table));
        pending = response.unprocessedItems();
      }
      assertThrows(
          ProvisionedThroughputExceededException.class,
          () -> client.putItem(b -> b.tableName(table).item(item("hot1"))));
      assertThrows(
          ProvisionedThroughputExceededException.class,
          () -> client.deleteItem(b -> b.tableName(table).key(Map.of("pk", s("hot2")))));
      assertThrows(
          ProvisionedThroughputExceededException.class,
          () ->
              client.updateItem(
                  b ->
                      b.tableName(table)
                          .key(Map.of("pk", s("hot1")))
                          .updateExpression("SET n = :n")
                          .expressionAttributeValues(Map.of(":n", n(1)))));
      client.putItem(b -> b.tableName(table).item(item("a3")));

      assertEquals(List.of("a0", "a1", "a2", "a3"), new ArrayList<>(scan(table).keySet()));
      assertEquals(10, proxy.stats().itemsWithheld());
      assertEquals(3, proxy.stats().throttled());
    }
  }

  @Test
  public void fractionsAreHonouredAndReproducible() throws Exception {
    Faults faults =
        Faults.builder()
            .seed(42)
            .throttleFraction(0.2)
            .serverErrorFraction(0.1)
            .unprocessedFraction(0.3)
            .build();
    int requests = 200;

    String first = newTable();
    List<String> outcomes;
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults);
        DynamoDbClient client = clientOf(proxy)) {
      outcomes = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        outcomes.add(send(client, first, i));
      }
      Map<String, Long> counts = countsOf(outcomes);
      assertBetween("throttled", counts.get("throttled"), 20, 60);
      assertBetween("500", counts.get("500"), 5, 40);
      assertBetween("unprocessed", counts.get("unprocessed"), 35, 85);
      assertBetween("ok", counts.get("ok"), 55, 105);
      assertConsistent(proxy.stats(), counts, first, requests);
    }

    // The same seed and the same requests in the same order meet the same faults.
    String second = newTable();
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults);
        DynamoDbClient client = clientOf(proxy)) {
      List<String> again = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        again.add(send(client, second, i));
      }
      assertEquals(outcomes, again);
    }

    // Concurrent requests: the same counts, only in another order.
    String third = newTable();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), faults);
        DynamoDbClient client = clientOf(proxy)) {
      List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        int n = i;
        futures.add(pool.submit(() -> send(client, third, n)));
      }
      List<String> concurrent = new ArrayList<>();
      for (Future<String> f : futures) {
        concurrent.add(f.get());
      }
      assertEquals(countsOf(outcomes), countsOf(concurrent));
      assertConsistent(proxy.stats(), countsOf(concurrent), third, requests);
    } finally {
      pool.shutdownNow();
    }
  }

  /** One BatchWriteItem of two items; returns what happened to it. */
  private static String send(DynamoDbClient client, String table, int i) {
    try {
      BatchWriteItemResponse response = batch(client, table, List.of("r" + i + "a", "r" + i + "b"));
      return unprocessedKeys(response, table).isEmpty() ? "ok" : "unprocessed";
    } catch (ProvisionedThroughputExceededException e) {
      return "throttled";
    } catch (DynamoDbException e) {
      assertEquals(500, e.statusCode());
      return "500";
    }
  }

  private static Map<String, Long> countsOf(List<String> outcomes) {
    Map<String, Long> counts =
        new TreeMap<>(Map.of("ok", 0L, "unprocessed", 0L, "throttled", 0L, "500", 0L));
    counts.putAll(outcomes.stream().collect(Collectors.groupingBy(o -> o, Collectors.counting())));
    return counts;
  }

  /** The proxy's counters agree with what the client saw and with what the table holds. */
  private static void assertConsistent(
      FaultyDynamoDb.Stats stats, Map<String, Long> counts, String table, int requests) {
    String summary = counts + " " + stats;
    assertEquals(summary, requests, stats.requests("BatchWriteItem"));
    assertEquals(summary, (long) counts.get("throttled"), stats.throttled());
    assertEquals(summary, (long) counts.get("500"), stats.serverErrors());
    assertEquals(summary, (long) counts.get("unprocessed"), stats.itemsWithheld());
    long forwarded = 2 * counts.get("ok") + counts.get("unprocessed");
    assertEquals(summary, forwarded, stats.itemsForwarded("BatchWriteItem"));
    assertEquals(summary, forwarded, scan(table).size());
  }

  private static void assertBetween(String what, long actual, long low, long high) {
    assertTrue(
        what + ": " + actual + " not in [" + low + ", " + high + "]",
        actual >= low && actual <= high);
  }

  private static DynamoDbClient clientOf(FaultyDynamoDb proxy) {
    return DynamoDbClient.builder()
        .region(Region.of(LocalStandIns.REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalStandIns.ACCESS_KEY, LocalStandIns.SECRET_KEY)))
        .endpointOverride(URI.create(proxy.endpoint()))
        .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()))
        .build();
  }

  private static String newTable() {
    return aws.createTable("faulty", "pk", ScalarAttributeType.S, null, null);
  }

  /** The table's items by partition key, read from DynamoDB Local directly, sorted. */
  private static Map<String, Map<String, AttributeValue>> scan(String table) {
    return new TreeMap<>(aws.scan(table, item -> item.get("pk").s()));
  }

  private static BatchWriteItemResponse batch(
      DynamoDbClient client, String table, List<String> keys) {
    return client.batchWriteItem(b -> b.requestItems(Map.of(table, puts(keys))));
  }

  private static List<WriteRequest> puts(List<String> keys) {
    return keys.stream()
        .map(
            k ->
                WriteRequest.builder()
                    .putRequest(PutRequest.builder().item(item(k)).build())
                    .build())
        .collect(Collectors.toList());
  }

  /** The partition keys of a table's unprocessed write requests, in the order returned. */
  private static List<String> unprocessedKeys(BatchWriteItemResponse response, String table) {
    List<String> keys = new ArrayList<>();
    for (WriteRequest w : response.unprocessedItems().getOrDefault(table, List.of())) {
      keys.add(
          w.putRequest() != null
              ? w.putRequest().item().get("pk").s()
              : w.deleteRequest().key().get("pk").s());
    }
    return keys;
  }

  private static List<String> keys(String prefix, int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> prefix + i).collect(Collectors.toList());
  }

  private static Map<String, AttributeValue> item(String key) {
    return Map.of("pk", s(key), "n", n(key.length()), "payload", s("value of " + key));
  }

  private static AttributeValue s(String value) {
    return AttributeValue.builder().s(value).build();
  }

  private static AttributeValue n(int value) {
    return AttributeValue.builder().n(Integer.toString(value)).build();
  }
}
