package io.parquet2dynamo.transform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.ParquetFiles;
import io.parquet2dynamo.testing.SampleSales.Sale;
import io.parquet2dynamo.testing.SampleSalesOnBothRunners;
import io.parquet2dynamo.testing.SampleTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The mapping's inner join end to end on the DirectRunner and the SparkRunner: the sample sales
 * whose customer is not in the customers dataset (or who have none) are dropped by the join and
 * count as filtered, so the summary reconciles; the others carry their customer's segment.
 */
public class InnerJoinIT extends SampleSalesOnBothRunners {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /** Every third customer number is missing from the customers dataset. */
  private static boolean known(String customer) {
    return customer != null
        && Integer.parseInt(customer.substring(customer.indexOf('-') + 1)) % 3 != 0;
  }

  private static String segment(String customer) {
    return "segment-" + customer.length() + customer.charAt(customer.length() - 1);
  }

  @Test
  public void theRowsWithoutAMatchCountAsFiltered() throws Exception {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message c { required binary customer_id (STRING); required binary segment (STRING);"
                + " }");
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    List<Group> customers = new ArrayList<>();
    for (String id :
        sales.stream()
            .map(s -> s.customer)
            .filter(InnerJoinIT::known)
            .collect(Collectors.toCollection(TreeSet::new))) {
      customers.add(groups.newGroup().append("customer_id", id).append("segment", segment(id)));
    }
    Path dir = TMP.newFolder().toPath();
    ParquetFiles.writeGroups(dir.resolve("part-0.parquet"), schema, customers);
    Path mapping = TMP.getRoot().toPath().resolve("inner-" + runnerArgs.size() + ".yaml");
    Files.writeString(
        mapping,
        "join:\n"
            + "  path: "
            + dir
            + "/\n"
            + "  on: {customer: customer_id}\n"
            + "  columns: [segment]\n"
            + "  type: inner\n");
    String table = SampleTable.create(aws);

    LoadRun run = loadSample(table, "--mapping=" + mapping);

    assertEquals(run.stderr, 0, run.exitCode);
    List<Sale> matched = sales.stream().filter(s -> known(s.customer)).collect(Collectors.toList());
    assertTrue("some rows have no match", matched.size() < sales.size());
    JsonNode summary = run.summary();
    assertEquals(sales.size() - matched.size(), summary.get("rowsFiltered").asLong());
    assertTrue(summary.get("reconciled").asBoolean());
    Map<String, Sale> survivors = SampleTable.expectedSurvivors(matched);
    Map<String, Map<String, AttributeValue>> items =
        aws.scan(table, i -> i.get("order_id").s() + "#" + i.get("line").n());
    assertEquals(survivors.size(), items.size());
    for (Map.Entry<String, Sale> e : survivors.entrySet()) {
      Map<String, AttributeValue> expected = new HashMap<>(SampleTable.expectedItem(e.getValue()));
      expected.put("segment", AttributeValue.fromS(segment(e.getValue().customer)));
      assertEquals(e.getKey(), expected, items.get(e.getKey()));
    }
  }
}
