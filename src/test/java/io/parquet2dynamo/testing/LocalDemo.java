package io.parquet2dynamo.testing;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The set-up and read-back steps of {@code scripts/run-local.sh}, done with the AWS SDK against the
 * stand-ins (a fresh machine has no AWS CLI):
 *
 * <ul>
 *   <li>{@code setup <s3Endpoint> <dynamoDbEndpoint> <workDir>}: writes the sample data set,
 *       creates bucket {@value #BUCKET} and uploads it under {@code sales/}, and creates table
 *       {@value #TABLE} (key order_id S, line N).
 *   <li>{@code show <s3Endpoint> <dynamoDbEndpoint> <table> <n>}: prints the table's item count and
 *       n of its items in DynamoDB JSON, as {@code aws dynamodb scan} shows them.
 * </ul>
 */
public final class LocalDemo {
  public static final String BUCKET = "sample-data";
  public static final String TABLE = "sales";

  private LocalDemo() {}

  public static void main(String[] args) throws Exception {
    try (StandInClients aws = new StandInClients(args[1], args[2])) {
      if (args[0].equals("setup")) {
        setup(aws, Paths.get(args[3]));
      } else if (args[0].equals("show")) {
        show(aws, args[3], Integer.parseInt(args[4]));
      } else {
        throw new IllegalArgumentException("usage: setup|show ...");
      }
    }
  }

  private static void setup(StandInClients aws, Path work) throws Exception {
    List<SampleSales.Sale> sales = SampleSales.write(work.resolve("sample"));
    aws.s3.createBucket(b -> b.bucket(BUCKET));
    aws.upload(work.resolve("sample"), BUCKET);
    aws.dynamoDb.createTable(
        b ->
            b.tableName(TABLE)
                .attributeDefinitions(
                    d -> d.attributeName("order_id").attributeType(ScalarAttributeType.S),
                    d -> d.attributeName("line").attributeType(ScalarAttributeType.N))
                .keySchema(
                    k -> k.attributeName("order_id").keyType("HASH"),
                    k -> k.attributeName("line").keyType("RANGE"))
                .billingMode("PAY_PER_REQUEST"));
    System.out.println(
        "Uploaded "
            + sales.size()
            + " rows in "
            + aws.listKeys(BUCKET, "sales/").size()
            + " files to s3://"
            + BUCKET
            + "/sales/ and created table '"
            + TABLE
            + "'");
  }

  private static void show(StandInClients aws, String table, int n) {
    int count = aws.dynamoDb.scan(b -> b.tableName(table).select("COUNT")).count();
    System.out.println("Table '" + table + "' holds " + count + " items; " + n + " of them:");
    for (Map<String, AttributeValue> item :
        aws.dynamoDb.scan(b -> b.tableName(table).limit(n)).items()) {
      System.out.println("  " + json(item));
    }
  }

  private static String json(Map<String, AttributeValue> map) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(map).forEach((k, v) -> parts.add(quote(k) + ":" + json(v)));
    return "{" + String.join(",", parts) + "}";
  }

  private static String json(AttributeValue v) {
    switch (v.type()) {
      case S:
        return "{\"S\":" + quote(v.s()) + "}";
      case N:
        return "{\"N\":\"" + v.n() + "\"}";
      case BOOL:
        return "{\"BOOL\":" + v.bool() + "}";
      case NUL:
        return "{\"NULL\":true}";
      case B:
        return "{\"B\":\"" + Base64.getEncoder().encodeToString(v.b().asByteArray()) + "\"}";
      case L:
        List<String> parts = new ArrayList<>();
        v.l().forEach(e -> parts.add(json(e)));
        return "{\"L\":[" + String.join(",", parts) + "]}";
      case M:
        return "{\"M\":" + json(v.m()) + "}";
      default:
        return "{\"" + v.type() + "\":" + quote(v.toString()) + "}";
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
