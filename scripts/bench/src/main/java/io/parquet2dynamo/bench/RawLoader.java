package io.parquet2dynamo.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetReader;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The end-to-end ceiling: the least a loader can do. One thread reads the files with parquet-avro
 * and builds the items ({@link AvroItems}); {@value #WRITERS} threads send them in batches of 25
 * with {@code BatchWriteItem}, re-sending what DynamoDB leaves unprocessed. No de-duplication, no
 * dead letters, no rate limit, no metrics.
 *
 * <p>With a fourth argument {@code TOTAL} it asks for {@code ReturnConsumedCapacity=TOTAL}, as the
 * job does for its {@code wcuConsumed}: DynamoDB Local spends about 30% more CPU per item answering
 * it, so this variant is the ceiling for a loader that reports what it consumed.
 *
 * <pre>java io.parquet2dynamo.bench.RawLoader DIR TABLE ENDPOINT [TOTAL]</pre>
 */
public final class RawLoader {
  static final int WRITERS = 4;
  private static final List<WriteRequest> END = List.of();

  private RawLoader() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String table = args[1];
    ReturnConsumedCapacity consumed =
        args.length > 3 ? ReturnConsumedCapacity.fromValue(args[3]) : ReturnConsumedCapacity.NONE;
    BlockingQueue<List<WriteRequest>> batches = new ArrayBlockingQueue<>(WRITERS * 4);
    AtomicLong written = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try (DynamoDbClient client =
        DynamoDbClient.builder()
            .endpointOverride(URI.create(args[2]))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
            .httpClientBuilder(ApacheHttpClient.builder().maxConnections(WRITERS))
            .build()) {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        writers.add(pool.submit(() -> write(client, table, consumed, batches, written)));
      }
      long rows = 0;
      List<WriteRequest> batch = new ArrayList<>(25);
      for (Path file : AvroItems.files(dir)) {
        try (ParquetReader<GenericRecord> reader = AvroItems.reader(file)) {
          for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
            Map<String, AttributeValue> item = AvroItems.item(record);
            batch.add(
                WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            rows++;
            if (batch.size() == 25) {
              batches.put(batch);
              batch = new ArrayList<>(25);
            }
          }
        }
      }
      if (!batch.isEmpty()) {
        batches.put(batch);
      }
      for (int w = 0; w < WRITERS; w++) {
        batches.put(END);
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
      System.out.println("ROWS " + rows);
      System.out.println("WRITTEN " + written.get());
    } finally {
      pool.shutdownNow();
    }
  }

  private static Void write(
      DynamoDbClient client,
      String table,
      ReturnConsumedCapacity consumed,
      BlockingQueue<List<WriteRequest>> batches,
      AtomicLong written)
      throws InterruptedException {
    for (List<WriteRequest> batch = batches.take(); batch != END; batch = batches.take()) {
      List<WriteRequest> pending = batch;
      while (!pending.isEmpty()) {
        BatchWriteItemResponse response =
            client.batchWriteItem(
                BatchWriteItemRequest.builder()
                    .requestItems(Map.of(table, pending))
                    .returnConsumedCapacity(consumed)
                    .build());
        List<WriteRequest> unprocessed = response.unprocessedItems().getOrDefault(table, List.of());
        written.addAndGet(pending.size() - unprocessed.size());
        pending = unprocessed;
      }
    }
    return null;
  }
}
