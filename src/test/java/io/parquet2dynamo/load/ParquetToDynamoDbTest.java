package io.parquet2dynamo.load;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.item.DynamoJson;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.plan.LoadPlan;
import io.parquet2dynamo.summary.LoadMetrics;
import io.parquet2dynamo.testing.FakeCatalog;
import io.parquet2dynamo.testing.SampleSales;
import io.parquet2dynamo.testing.SampleSales.Sale;
import io.parquet2dynamo.testing.SampleTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Tests the shape of the whole load on a {@link TestPipeline}, without AWS: the sample sales read,
 * mapped, de-duplicated and handed to a writer that checks what it receives; rows that cannot be
 * items come out as dead letters.
 */
public class ParquetToDynamoDbTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  /** A writer that checks the items as DynamoDB JSON and sends nothing anywhere. */
  static final class ExpectItems
      extends PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> {
    private final Set<String> expected;

    ExpectItems(Set<String> expected) {
      this.expected = expected;
    }

    @Override
    public PCollection<DeadLetter> expand(PCollection<KV<String, LoadItem>> items) {
      Set<String> want = expected;
      PAssert.that(
              items.apply(
                  MapElements.into(TypeDescriptors.strings())
                      .via(kv -> DynamoJson.item(kv.getValue().attributes()))))
          .satisfies(
              actual -> {
                assertEquals(parsed(want), parsed(actual));
                return null;
              });
      return items.getPipeline().apply(Create.empty(DeadLetter.coder()));
    }

    /** JSON objects compare without regard to key order, so nested maps compare as maps. */
    private static Set<JsonNode> parsed(Iterable<String> items) {
      Set<JsonNode> nodes = new HashSet<>();
      for (String item : items) {
        try {
          nodes.add(new ObjectMapper().readTree(item));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return nodes;
    }
  }

  @Test
  public void loadsTheLastRowOfEachKeyAndRejectsRowsWithoutOne() throws IOException {
    Path root = tmp.getRoot().toPath();
    List<Sale> sales = SampleSales.write(root);
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(
                "--inputPath=" + root.resolve("sales") + "/", "--tableName=sales")
            .as(Parquet2DynamoOptions.class);
    LoadPlan plan =
        LoadPlan.resolve(
            options,
            new FakeCatalog(FakeCatalog.table("sales", "order_id", "line", 100)),
            Instant.EPOCH,
            "run-1");
    Set<String> expected =
        SampleTable.expectedSurvivors(sales).values().stream()
            .map(s -> DynamoJson.item(SampleTable.expectedItem(s)))
            .collect(Collectors.toSet());

    LoadResult result =
        pipeline.apply(ParquetToDynamoDb.of(plan).withWriter(new ExpectItems(expected)));
    PAssert.that(
            result
                .deadLetters()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(d -> d.reason() + " " + d.sourceRow())))
        .containsInAnyOrder(
            "MISSING_KEY 100",
            "MISSING_KEY 200",
            "MISSING_KEY 300",
            "EMPTY_KEY 150",
            "EMPTY_KEY 250");
    PipelineResult run = pipeline.run();
    run.waitUntilFinish();

    assertEquals(3000, counter(run, LoadMetrics.ROWS_READ));
    assertEquals(3000 - 5 - expected.size(), counter(run, LoadMetrics.DUPLICATES_DROPPED));
    assertEquals(5, counter(run, LoadMetrics.ROWS_REJECTED));
  }

  private static long counter(PipelineResult result, String name) {
    return LoadMetrics.attempted(result.metrics(), name);
  }
}
