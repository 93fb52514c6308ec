package io.parquet2dynamo.sink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.deadletter.RejectReason;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.summary.LoadMetrics;
import io.parquet2dynamo.testing.MockDynamoDb;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.ArgumentMatcher;
import org.mockito.InOrder;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Tests {@link DynamoDbWrite} inside the JVM with a mocked DynamoDB client, in the style of Beam's
 * {@code DynamoDBIOWriteTest}: which requests it sends, in which order, and what it does with
 * partial answers, throttling and refusals. The end-to-end behaviour against DynamoDB Local and the
 * fault-injecting proxy is tested by the {@code *IT} tests.
 */
public class DynamoDbWriteTest {
  private static final String TABLE = "orders";
  private static final TableKey KEY = TableKey.of(TABLE, "id", ScalarAttributeType.S, null, null);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private DynamoDbClient client;

  @Before
  public void mockClient() {
    client = mock(DynamoDbClient.class);
    MockDynamoDb.set(pipeline.getOptions(), client);
  }

  /** One writer thread, fast retries: requests go in a predictable order. */
  private static WriteConfig config() {
    return WriteConfig.of(KEY).withConcurrency(1).withBackoff(1, 2).withMaxAttempts(4);
  }

  private static LoadItem item(int i) {
    return new LoadItem(
        Map.of("id", AttributeValue.fromS("k" + i), "n", AttributeValue.fromN(Integer.toString(i))),
        "s3://b/f.parquet",
        i);
  }

  private static List<KV<String, LoadItem>> items(int from, int to) {
    List<KV<String, LoadItem>> items = new ArrayList<>();
    for (int i = from; i < to; i++) {
      items.add(KV.of("k" + i, item(i)));
    }
    return items;
  }

  /**
   * Writes items {@code from..to}, made by one DoFn call so that they are one bundle (the
   * DirectRunner may give each element of a {@code Create} a bundle of its own).
   */
  private PCollection<DeadLetter> write(int from, int to, WriteConfig config) {
    return pipeline
        .apply(Create.of(from))
        .apply(ParDo.of(new MakeItems(from, to)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), LoadItem.ItemCoder.of()))
        .apply(DynamoDbWrite.of(config));
  }

  /** Outputs items {@code from..to} for any input. */
  static final class MakeItems extends DoFn<Integer, KV<String, LoadItem>> {
    private final int from;
    private final int to;

    MakeItems(int from, int to) {
      this.from = from;
      this.to = to;
    }

    @ProcessElement
    public void process(OutputReceiver<KV<String, LoadItem>> out) {
      items(from, to).forEach(out::output);
    }
  }

  private static WriteRequest put(int i) {
    return WriteRequest.builder()
        .putRequest(PutRequest.builder().item(item(i).attributes()).build())
        .build();
  }

  private static List<WriteRequest> puts(int from, int to) {
    List<WriteRequest> puts = new ArrayList<>();
    for (int i = from; i < to; i++) {
      puts.add(put(i));
    }
    return puts;
  }

  private static BatchWriteItemResponse unprocessed(List<WriteRequest> left) {
    return BatchWriteItemResponse.builder().unprocessedItems(Map.of(TABLE, left)).build();
  }

  private static ArgumentMatcher<BatchWriteItemRequest> writes(List<WriteRequest> expected) {
    return request ->
        request != null
            && new HashSet<>(request.requestItems().get(TABLE)).equals(new HashSet<>(expected))
            && request.requestItems().get(TABLE).size() == expected.size();
  }

  private static DynamoDbException error(int status, String code) {
    return (DynamoDbException)
        DynamoDbException.builder()
            .statusCode(status)
            .message(code + " from the mock")
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(code + " says no").build())
            .build();
  }

  @Test
  public void writesEveryItemInBatchesOfTwentyFive() {
    ArgumentCaptor<BatchWriteItemRequest> requests =
        ArgumentCaptor.forClass(BatchWriteItemRequest.class);
    when(client.batchWriteItem(requests.capture()))
        .thenReturn(BatchWriteItemResponse.builder().build());

    PAssert.that(write(0, 60, config())).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    Set<String> written = new HashSet<>();
    for (BatchWriteItemRequest request : requests.getAllValues()) {
      List<WriteRequest> batch = request.requestItems().get(TABLE);
      assertTrue("at most 25 a batch: " + batch.size(), batch.size() <= 25);
      batch.forEach(w -> written.add(w.putRequest().item().get("id").s()));
    }
    assertEquals(items(0, 60).stream().map(KV::getKey).collect(Collectors.toSet()), written);
    assertEquals(60, counter(result, LoadMetrics.ITEMS_WRITTEN));
    assertEquals(0, counter(result, LoadMetrics.RETRIES));
  }

  @Test
  public void resendsOnlyTheUnprocessedItemsInOrder() {
    List<WriteRequest> all = puts(0, 10);
    when(client.batchWriteItem(any(BatchWriteItemRequest.class)))
        .thenReturn(unprocessed(all.subList(4, 10)))
        .thenReturn(unprocessed(all.subList(8, 10)))
        .thenReturn(BatchWriteItemResponse.builder().build());

    PAssert.that(write(0, 10, config())).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    InOrder order = inOrder(client);
    order.verify(client).batchWriteItem(argThat(writes(all)));
    order.verify(client).batchWriteItem(argThat(writes(all.subList(4, 10))));
    order.verify(client).batchWriteItem(argThat(writes(all.subList(8, 10))));
    verify(client, times(3)).batchWriteItem(any(BatchWriteItemRequest.class));
    assertEquals(10, counter(result, LoadMetrics.ITEMS_WRITTEN));
    assertEquals(2, counter(result, LoadMetrics.RETRIES));
    assertEquals(2, counter(result, LoadMetrics.THROTTLED_REQUESTS));
  }

  @Test
  public void retriesThrottlingAndServerErrorsThenWrites() {
    when(client.batchWriteItem(any(BatchWriteItemRequest.class)))
        .thenThrow(error(400, "ProvisionedThroughputExceededException"))
        .thenThrow(error(500, "InternalServerError"))
        .thenReturn(BatchWriteItemResponse.builder().build());

    PAssert.that(write(0, 3, config())).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    verify(client, times(3)).batchWriteItem(argThat(writes(puts(0, 3))));
    assertEquals(3, counter(result, LoadMetrics.ITEMS_WRITTEN));
    assertEquals(2, counter(result, LoadMetrics.RETRIES));
    assertEquals(1, counter(result, LoadMetrics.THROTTLED_REQUESTS));
  }

  @Test
  public void itemsThatFailEveryAttemptBecomeDeadLetters() {
    when(client.batchWriteItem(any(BatchWriteItemRequest.class)))
        .thenThrow(error(400, "ThrottlingException"));

    PCollection<DeadLetter> deadLetters = write(0, 2, config().withMaxAttempts(3));
    PAssert.that(
            deadLetters.apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(d -> d.reason() + " " + d.sourceRow() + " " + d.message())))
        .containsInAnyOrder(
            "WRITE_FAILED 0 not written after 3 attempts; the last error: ThrottlingException"
                + " from the mock (Service: null, Status Code: 400, Request ID: null)",
            "WRITE_FAILED 1 not written after 3 attempts; the last error: ThrottlingException"
                + " from the mock (Service: null, Status Code: 400, Request ID: null)");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    verify(client, times(3)).batchWriteItem(any(BatchWriteItemRequest.class));
    assertEquals(0, counter(result, LoadMetrics.ITEMS_WRITTEN));
    assertEquals(2, counter(result, LoadMetrics.ROWS_REJECTED));
    assertEquals(2, counter(result, LoadMetrics.REJECTED_PREFIX + RejectReason.WRITE_FAILED));
  }

  @Test
  public void anItemDynamoDbRefusesIsFoundByHalvingItsBatchAndTheOthersAreWritten() {
    List<WriteRequest> all = puts(0, 8);
    // DynamoDB refuses any batch that holds item 5, and takes any other.
    when(client.batchWriteItem(any(BatchWriteItemRequest.class)))
        .thenAnswer(
            call -> {
              BatchWriteItemRequest request = call.getArgument(0);
              if (request.requestItems().get(TABLE).contains(put(5))) {
                throw error(400, "ValidationException");
              }
              return BatchWriteItemResponse.builder().build();
            });

    PAssert.that(
            write(0, 8, config())
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(d -> d.reason() + " " + d.sourceRow() + " " + d.message())))
        .containsInAnyOrder(
            "REFUSED_BY_DYNAMODB 5 DynamoDB refused the item with key {\"id\":{\"S\":\"k5\"}}:"
                + " ValidationException says no (ValidationException)");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    // 8, then 4 + 4, then 2 + 2 of the refused half, then 1 + 1: 7 written.
    InOrder order = inOrder(client);
    order.verify(client).batchWriteItem(argThat(writes(all)));
    order.verify(client).batchWriteItem(argThat(writes(all.subList(0, 4))));
    order.verify(client).batchWriteItem(argThat(writes(all.subList(4, 8))));
    order.verify(client).batchWriteItem(argThat(writes(all.subList(4, 6))));
    order.verify(client).batchWriteItem(argThat(writes(all.subList(4, 5))));
    order.verify(client).batchWriteItem(argThat(writes(all.subList(5, 6))));
    order.verify(client).batchWriteItem(argThat(writes(all.subList(6, 8))));
    verify(client, times(7)).batchWriteItem(any(BatchWriteItemRequest.class));
    assertEquals(7, counter(result, LoadMetrics.ITEMS_WRITTEN));
    assertEquals(
        1, counter(result, LoadMetrics.REJECTED_PREFIX + RejectReason.REFUSED_BY_DYNAMODB));
  }

  @Test
  public void anErrorAboutTheTableStopsTheWriteAtOnceWithDynamoDbsMessage() {
    when(client.batchWriteItem(any(BatchWriteItemRequest.class)))
        .thenThrow(error(400, "ResourceNotFoundException"));

    write(0, 2, config());
    Pipeline.PipelineExecutionException e =
        assertThrows(Pipeline.PipelineExecutionException.class, () -> pipeline.run());

    assertTrue(
        e.getMessage(),
        e.getMessage()
            .contains(
                "DynamoDB refused a write to table 'orders' and retrying cannot help:"
                    + " ResourceNotFoundException says no (ResourceNotFoundException)"));
    verify(client, times(1)).batchWriteItem(any(BatchWriteItemRequest.class));
  }

  @Test
  public void anItemAnAnswerlessAttemptMayHaveWrittenIsUnconfirmedNotFailed() {
    // A 500 leaves open whether the batch was applied; a refused connection does not.
    when(client.batchWriteItem(any(BatchWriteItemRequest.class)))
        .thenThrow(error(500, "InternalServerError"))
        .thenThrow(error(400, "ThrottlingException"))
        .thenThrow(
            SdkClientException.create(
                "Unable to execute HTTP request", new java.net.ConnectException("refused")));

    PAssert.that(
            write(0, 1, config().withMaxAttempts(2))
                .apply(MapElements.into(TypeDescriptors.strings()).via(d -> d.reason().name())))
        .containsInAnyOrder("WRITE_UNCONFIRMED");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void anItemNoAttemptCanHaveWrittenFailedForCertain() {
    when(client.batchWriteItem(any(BatchWriteItemRequest.class)))
        .thenThrow(error(400, "ThrottlingException"))
        .thenThrow(
            SdkClientException.create(
                "Unable to execute HTTP request", new java.net.ConnectException("refused")));

    PAssert.that(
            write(0, 1, config().withMaxAttempts(2))
                .apply(MapElements.into(TypeDescriptors.strings()).via(d -> d.reason().name())))
        .containsInAnyOrder("WRITE_FAILED");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void conditionalModesPutEachItemWithTheirCondition() {
    ArgumentCaptor<PutItemRequest> requests = ArgumentCaptor.forClass(PutItemRequest.class);
    when(client.putItem(requests.capture()))
        .thenReturn(PutItemResponse.builder().build())
        .thenThrow(ConditionalCheckFailedException.builder().message("exists").build())
        .thenReturn(PutItemResponse.builder().build());

    PAssert.that(write(0, 3, config().withMode(WriteMode.parse("putIfNewer:n")))).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(3, requests.getAllValues().size());
    for (PutItemRequest request : requests.getAllValues()) {
      assertEquals(
          "attribute_not_exists(#pk) OR attribute_not_exists(#c) OR #c < :v",
          request.conditionExpression());
      assertEquals(Map.of("#pk", "id", "#c", "n"), request.expressionAttributeNames());
      assertEquals(request.item().get("n"), request.expressionAttributeValues().get(":v"));
    }
    assertEquals(2, counter(result, LoadMetrics.ITEMS_WRITTEN));
    assertEquals(1, counter(result, LoadMetrics.SKIPPED_BY_CONDITION));
  }

  @Test
  public void updateSendsOneUpdateItemPerItemWithTheSameRetriesAndDeadLetters() {
    ArgumentCaptor<UpdateItemRequest> requests = ArgumentCaptor.forClass(UpdateItemRequest.class);
    when(client.updateItem(requests.capture()))
        .thenThrow(error(400, "ThrottlingException"))
        .thenReturn(UpdateItemResponse.builder().build())
        .thenThrow(error(400, "ValidationException"))
        .thenReturn(UpdateItemResponse.builder().build());

    PCollection<DeadLetter> deadLetters = write(0, 3, config().withMode(WriteMode.parse("update")));
    PAssert.that(
            deadLetters.apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(d -> d.reason() + " " + d.sourceRow())))
        .containsInAnyOrder("REFUSED_BY_DYNAMODB 1");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    verify(client, never()).batchWriteItem(any(BatchWriteItemRequest.class));
    verify(client, never()).putItem(any(PutItemRequest.class));
    // Item 0 twice (throttled, then written), item 1 refused, item 2 written.
    assertEquals(4, requests.getAllValues().size());
    UpdateItemRequest first = requests.getAllValues().get(0);
    assertEquals(Map.of("id", AttributeValue.fromS("k0")), first.key());
    assertEquals("SET #0=:0", first.updateExpression());
    assertEquals(Map.of("#0", "n"), first.expressionAttributeNames());
    assertEquals(Map.of(":0", AttributeValue.fromN("0")), first.expressionAttributeValues());
    assertEquals(2, counter(result, LoadMetrics.ITEMS_WRITTEN));
    assertEquals(1, counter(result, LoadMetrics.RETRIES));
    assertEquals(1, counter(result, LoadMetrics.THROTTLED_REQUESTS));
    assertEquals(
        1, counter(result, LoadMetrics.REJECTED_PREFIX + RejectReason.REFUSED_BY_DYNAMODB));
  }

  @Test
  public void withABudgetEveryShardWritesItsItems() {
    ArgumentCaptor<BatchWriteItemRequest> requests =
        ArgumentCaptor.forClass(BatchWriteItemRequest.class);
    when(client.batchWriteItem(requests.capture()))
        .thenReturn(BatchWriteItemResponse.builder().build());

    // 1,000 units/s over 4 streams: 40 one-unit items take well under a second.
    PAssert.that(write(0, 40, config().withBudget(1000, 4))).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    List<String> written = new ArrayList<>();
    requests
        .getAllValues()
        .forEach(
            r ->
                r.requestItems()
                    .get(TABLE)
                    .forEach(w -> written.add(w.putRequest().item().get("id").s())));
    assertEquals(40, written.size());
    assertEquals(40, new HashSet<>(written).size());
    assertEquals(40, counter(result, LoadMetrics.ITEMS_WRITTEN));
  }

  @Test
  public void badSettingsAreRefusedWhenTheTransformIsApplied() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> write(0, 1, config().withMaxAttempts(0)));
    assertEquals("DynamoDbWrite: maxAttempts must be at least 1, not 0", e.getMessage());
    IllegalArgumentException export =
        assertThrows(
            IllegalArgumentException.class,
            () -> write(0, 1, config().withMode(WriteMode.parse("export"))));
    assertEquals(
        "DynamoDbWrite: writeMode export writes files, not items to a table"
            + " (io.parquet2dynamo.export)",
        export.getMessage());
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  private static long counter(PipelineResult result, String name) {
    return LoadMetrics.attempted(result.metrics(), name);
  }
}
