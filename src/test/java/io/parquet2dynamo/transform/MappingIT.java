package io.parquet2dynamo.transform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.SampleSales.Sale;
import io.parquet2dynamo.testing.SampleSalesOnBothRunners;
import io.parquet2dynamo.testing.SampleTable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A mapping file end to end on the DirectRunner and the SparkRunner: the sample sales, filtered,
 * with a derived attribute, a cast and a rename, compared item by item with the rule applied by
 * hand to the sales.
 */
public class MappingIT extends SampleSalesOnBothRunners {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String MAPPING =
      "select: [order_id, line, amount, region, day, customer, tags]\n"
          + "filter: \"amount > 1000 && region != 'apac'\"\n"
          + "derive:\n"
          + "  route: {template: \"{region}/{day}\"}\n"
          + "cast: {amount: string}\n"
          + "rename: {customer: buyer}\n"
          + "sets: [tags]\n"
          + "ttl: {attribute: expires_at, from: ordered_at, addSeconds: 7776000}\n";

  private static Path mapping;

  @BeforeClass
  public static void writeMapping() throws Exception {
    mapping = TMP.getRoot().toPath().resolve("mapping.yaml");
    Files.writeString(mapping, MAPPING);
  }

  private static boolean kept(Sale s) {
    return s.amount.compareTo(new BigDecimal(1000)) > 0 && !s.region.equals("apac");
  }

  private static Map<String, AttributeValue> expected(Sale s) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("order_id", AttributeValue.fromS(s.orderId));
    item.put("line", AttributeValue.fromN(Integer.toString(s.line)));
    item.put("amount", AttributeValue.fromS(s.amount.toPlainString()));
    item.put("region", AttributeValue.fromS(s.region));
    item.put("day", AttributeValue.fromS(s.day));
    if (s.customer != null) {
      item.put("buyer", AttributeValue.fromS(s.customer));
    }
    item.put("route", AttributeValue.fromS(s.region + "/" + s.day));
    // A set: duplicates dropped, and no attribute at all for an empty list.
    java.util.Set<String> tags = new java.util.LinkedHashSet<>(s.tags);
    if (!tags.isEmpty()) {
      item.put("tags", AttributeValue.fromSs(new ArrayList<>(tags)));
    }
    item.put(
        "expires_at",
        AttributeValue.fromN(
            Long.toString(Math.floorDiv(s.orderedAtMicros, 1_000_000L) + 7_776_000L)));
    return item;
  }

  @Test
  public void theMappingShapesEveryItemOnEveryRunner() throws Exception {
    String table = SampleTable.create(aws);
    LoadRun run = loadSample(table, "--mapping=" + mapping);

    assertEquals(run.stderr, 0, run.exitCode);
    long filtered = sales.stream().filter(s -> !kept(s)).count();
    Map<String, Sale> survivors = new LinkedHashMap<>();
    long rejected = 0;
    for (Sale s : sales) {
      if (!kept(s)) {
        continue;
      }
      if (s.orderId == null || s.orderId.isEmpty()) {
        rejected++;
      } else {
        survivors.put(s.orderId + "#" + s.line, s);
      }
    }
    JsonNode summary = run.summary();
    assertEquals(filtered, summary.get("rowsFiltered").asLong());
    assertEquals(rejected, summary.get("rowsRejected").asLong());
    assertEquals(survivors.size(), summary.get("itemsWritten").asLong());
    assertTrue(summary.get("reconciled").asBoolean());
    Map<String, Map<String, AttributeValue>> items =
        aws.scan(table, i -> i.get("order_id").s() + "#" + i.get("line").n());
    assertEquals(survivors.size(), items.size());
    for (Map.Entry<String, Sale> e : survivors.entrySet()) {
      assertEquals(e.getKey(), sorted(expected(e.getValue())), sorted(items.get(e.getKey())));
    }
  }

  private JsonNode load(String table, Path mappingFile) throws Exception {
    LoadRun run =
        mappingFile == null ? loadSample(table) : loadSample(table, "--mapping=" + mappingFile);
    assertEquals(run.stderr, 0, run.exitCode);
    assertTrue(run.summary().get("reconciled").asBoolean());
    return run.summary();
  }

  @Test
  public void selectIsPushedDownSoUnselectedColumnsAreNotRead() throws Exception {
    Path keysOnly = TMP.getRoot().toPath().resolve("keys-" + runnerArgs.size() + ".yaml");
    Files.writeString(keysOnly, "select: [order_id, line]\n");
    String all = SampleTable.create(aws);
    String keys = SampleTable.create(aws);

    long everyColumn = load(all, null).get("bytesRead").asLong();
    long twoColumns = load(keys, keysOnly).get("bytesRead").asLong();

    // Two of the sample's fourteen columns (both short) are far less than a third of the bytes.
    assertTrue(twoColumns + " of " + everyColumn + " bytes", twoColumns * 3 < everyColumn);
    for (Map<String, AttributeValue> item :
        aws.scan(keys, i -> i.get("order_id").s() + "#" + i.get("line").n()).values()) {
      assertEquals(java.util.Set.of("order_id", "line"), item.keySet());
    }
  }

  /** The item with its string sets in sorted order: a set's order means nothing. */
  private static Map<String, AttributeValue> sorted(Map<String, AttributeValue> item) {
    Map<String, AttributeValue> out = new HashMap<>(item);
    item.forEach(
        (k, v) -> {
          if (v.type() == AttributeValue.Type.SS) {
            out.put(k, AttributeValue.fromSs(new ArrayList<>(new java.util.TreeSet<>(v.ss()))));
          }
        });
    return out;
  }

  @Test
  public void aUserTransformByClassNameRunsAfterTheMapping() throws Exception {
    String table = SampleTable.create(aws);
    LoadRun run =
        loadSample(table, "--transformClass=com.example.transforms.PaidOrdersInUpperCase");

    assertEquals(run.stderr, 0, run.exitCode);
    List<Sale> paid = new ArrayList<>();
    sales.stream().filter(s -> s.paid).forEach(paid::add);
    Map<String, Sale> survivors = SampleTable.expectedSurvivors(paid);
    JsonNode summary = run.summary();
    assertEquals(sales.size() - paid.size(), summary.get("rowsFiltered").asLong());
    assertTrue(summary.get("reconciled").asBoolean());
    Map<String, Map<String, AttributeValue>> items =
        aws.scan(table, i -> i.get("order_id").s() + "#" + i.get("line").n());
    assertEquals(survivors.size(), items.size());
    for (Map.Entry<String, Sale> e : survivors.entrySet()) {
      Map<String, AttributeValue> expected = new HashMap<>(SampleTable.expectedItem(e.getValue()));
      if (e.getValue().customer != null) {
        expected.put("customer_upper", AttributeValue.fromS(e.getValue().customer.toUpperCase()));
      }
      assertEquals(e.getKey(), expected, items.get(e.getKey()));
    }
  }

  @Test
  public void aMissingTransformClassIsAnErrorBeforeAnyWork() throws Exception {
    String table = SampleTable.create(aws);
    LoadRun run = loadSample(table, "--transformClass=com.example.NoSuch");

    assertEquals(io.parquet2dynamo.Parquet2Dynamo.INVALID_INPUT, run.exitCode);
    assertEquals(
        "ERROR: --transformClass: class com.example.NoSuch is not on the class path",
        run.errorLine());
  }

  /** The segment a customer has in the test's customers dataset, or null for none. */
  private static String segment(String customer, int version) {
    int n = Integer.parseInt(customer.substring(customer.indexOf('-') + 1));
    if (n % 7 == 0) {
      return null; // not in the dataset: a left join keeps the order, without a segment
    }
    return (n % 2 == 0 ? "retail" : "wholesale") + "-v" + version;
  }

  @Test
  public void theSeedJobFromTheDocsFiltersJoinsAndRenames() throws Exception {
    // The customers dataset: one row per customer, in two files; customers in the second file
    // appear again with a newer segment, which the lookup must use (last in input order).
    org.apache.parquet.schema.MessageType customers =
        org.apache.parquet.schema.MessageTypeParser.parseMessageType(
            "message c { required binary customer_id (STRING); required binary segment (STRING);"
                + " required binary customer_country (STRING); }");
    org.apache.parquet.example.data.simple.SimpleGroupFactory groups =
        new org.apache.parquet.example.data.simple.SimpleGroupFactory(customers);
    java.util.Set<String> ids = new java.util.TreeSet<>();
    sales.stream().filter(s -> s.customer != null).forEach(s -> ids.add(s.customer));
    List<org.apache.parquet.example.data.Group> first = new ArrayList<>();
    List<org.apache.parquet.example.data.Group> second = new ArrayList<>();
    for (String id : ids) {
      if (segment(id, 1) == null) {
        continue;
      }
      first.add(
          groups
              .newGroup()
              .append("customer_id", id)
              .append("segment", segment(id, 1))
              .append("customer_country", "C" + id.length()));
      if (id.hashCode() % 3 == 0) {
        second.add(
            groups
                .newGroup()
                .append("customer_id", id)
                .append("segment", segment(id, 2))
                .append("customer_country", "C" + id.length()));
      }
    }
    Path customersDir = TMP.newFolder().toPath();
    io.parquet2dynamo.testing.ParquetFiles.writeGroups(
        customersDir.resolve("part-0.parquet"), customers, first);
    io.parquet2dynamo.testing.ParquetFiles.writeGroups(
        customersDir.resolve("part-1.parquet"), customers, second);
    java.util.Set<String> newer = new java.util.HashSet<>();
    second.forEach(g -> newer.add(g.getString("customer_id", 0)));
    // The mapping exactly as the docs give it, pointed at the local customers dataset.
    Path docs = java.nio.file.Paths.get("docs/examples/orders-with-customers.yaml");
    Path seed = TMP.getRoot().toPath().resolve("seed-" + runnerArgs.size() + ".yaml");
    Files.writeString(
        seed,
        Files.readString(docs)
            .replace("s3://sample-data/customers/", customersDir.toString() + "/"));
    String table = SampleTable.create(aws);

    JsonNode summary = load(table, seed);

    Map<String, Sale> survivors = new LinkedHashMap<>();
    long filtered = 0;
    for (Sale s : sales) {
      if (!(s.paid && s.amount.compareTo(new BigDecimal(100)) > 0)) {
        filtered++;
      } else if (s.orderId != null && !s.orderId.isEmpty()) {
        survivors.put(s.orderId + "#" + s.line, s);
      }
    }
    assertEquals(filtered, summary.get("rowsFiltered").asLong());
    Map<String, Map<String, AttributeValue>> items =
        aws.scan(table, i -> i.get("order_id").s() + "#" + i.get("line").n());
    assertEquals(survivors.size(), items.size());
    for (Map.Entry<String, Sale> e : survivors.entrySet()) {
      Sale s = e.getValue();
      Map<String, AttributeValue> expected = new HashMap<>(SampleTable.expectedItem(s));
      expected.remove("customer");
      expected.put("total", expected.remove("amount"));
      if (s.customer != null) {
        expected.put("customer_id", AttributeValue.fromS(s.customer));
        String segment = segment(s.customer, newer.contains(s.customer) ? 2 : 1);
        if (segment != null) {
          expected.put("segment", AttributeValue.fromS(segment));
          expected.put("customer_country", AttributeValue.fromS("C" + s.customer.length()));
        }
      }
      assertEquals(e.getKey(), expected, items.get(e.getKey()));
    }
  }
}
