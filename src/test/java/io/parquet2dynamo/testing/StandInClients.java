package io.parquet2dynamo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** AWS SDK clients pointed at the stand-ins, and the set-up and read-back tests need. */
public final class StandInClients implements AutoCloseable {
  private static final AtomicInteger NAMES = new AtomicInteger();

  public final S3Client s3;
  public final DynamoDbClient dynamoDb;

  public StandInClients(LocalStandIns standIns) {
    this(standIns.s3Endpoint(), standIns.dynamoDbEndpoint());
  }

  public StandInClients(String s3Endpoint, String dynamoDbEndpoint) {
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LocalStandIns.ACCESS_KEY, LocalStandIns.SECRET_KEY));
    s3 =
        S3Client.builder()
            .region(Region.of(LocalStandIns.REGION))
            .credentialsProvider(credentials)
            .endpointOverride(URI.create(s3Endpoint))
            .forcePathStyle(true)
            .build();
    dynamoDb =
        DynamoDbClient.builder()
            .region(Region.of(LocalStandIns.REGION))
            .credentialsProvider(credentials)
            .endpointOverride(URI.create(dynamoDbEndpoint))
            .build();
  }

  /** A name no other test in this run uses. */
  public static String uniqueName(String prefix) {
    return prefix
        + "-"
        + NAMES.incrementAndGet()
        + "-"
        + Long.toString(System.nanoTime() % 1_000_000, 36);
  }

  public String createBucket(String prefix) {
    String bucket = uniqueName(prefix);
    s3.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  /** Uploads every file below {@code dir} to {@code s3://bucket/<path relative to dir>}. */
  public void upload(Path dir, String bucket) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String key = dir.relativize(file).toString().replace('\\', '/');
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<String> listKeys(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
      keys.add(o.key());
    }
    return keys;
  }

  public String read(String bucket, String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
  }

  /** Creates an on-demand table; {@code sortKey} may be null. Returns its (unique) name. */
  public String createTable(
      String prefix,
      String partitionKey,
      ScalarAttributeType pkType,
      String sortKey,
      ScalarAttributeType skType) {
    String table = uniqueName(prefix);
    List<AttributeDefinition> definitions = new ArrayList<>();
    List<KeySchemaElement> keys = new ArrayList<>();
    definitions.add(
        AttributeDefinition.builder().attributeName(partitionKey).attributeType(pkType).build());
    keys.add(KeySchemaElement.builder().attributeName(partitionKey).keyType(KeyType.HASH).build());
    if (sortKey != null) {
      definitions.add(
          AttributeDefinition.builder().attributeName(sortKey).attributeType(skType).build());
      keys.add(KeySchemaElement.builder().attributeName(sortKey).keyType(KeyType.RANGE).build());
    }
    dynamoDb.createTable(
        b ->
            b.tableName(table)
                .attributeDefinitions(definitions)
                .keySchema(keys)
                .billingMode(BillingMode.PAY_PER_REQUEST));
    return table;
  }

  /**
   * Creates an on-demand table keyed by {@code id} (S) with a global index on {@code attribute}.
   */
  public String createTableWithIndex(String prefix, String attribute, ScalarAttributeType type) {
    String table = uniqueName(prefix);
    dynamoDb.createTable(
        b ->
            b.tableName(table)
                .attributeDefinitions(
                    d -> d.attributeName("id").attributeType(ScalarAttributeType.S),
                    d -> d.attributeName(attribute).attributeType(type))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .globalSecondaryIndexes(
                    g ->
                        g.indexName("by-" + attribute)
                            .keySchema(k -> k.attributeName(attribute).keyType(KeyType.HASH))
                            .projection(p -> p.projectionType("ALL")))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    return table;
  }

  /** Every item of the table, keyed by {@code keyOf}. */
  public Map<String, Map<String, AttributeValue>> scan(
      String table, java.util.function.Function<Map<String, AttributeValue>, String> keyOf) {
    Map<String, Map<String, AttributeValue>> items = new HashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      ScanResponse page =
          dynamoDb.scan(ScanRequest.builder().tableName(table).exclusiveStartKey(start).build());
      for (Map<String, AttributeValue> item : page.items()) {
        Map<String, AttributeValue> previous = items.put(keyOf.apply(item), item);
        if (previous != null) {
          throw new AssertionError("two items with key " + keyOf.apply(item));
        }
      }
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return items;
  }

  @Override
  public void close() {
    s3.close();
    dynamoDb.close();
  }
}
