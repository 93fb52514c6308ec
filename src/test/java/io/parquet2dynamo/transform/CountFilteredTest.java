package io.parquet2dynamo.transform;

import static org.junit.Assert.assertEquals;

import io.parquet2dynamo.summary.LoadMetrics;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;

/** Rows in minus rows out of the wrapped transform count as filtered. */
public class CountFilteredTest {
  private static final Schema SCHEMA = Schema.builder().addInt32Field("n").build();

  private static List<Row> rows(int count) {
    return IntStream.range(0, count)
        .mapToObj(n -> Row.withSchema(SCHEMA).addValue(n).build())
        .collect(Collectors.toList());
  }

  private static long filtered(
      PTransform<PCollection<Row>, PCollection<Row>> transform, int in, int out) {
    Pipeline pipeline = Pipeline.create();
    PCollection<Row> result =
        pipeline
            .apply(Create.of(rows(in)).withRowSchema(SCHEMA))
            .apply(CountFiltered.around(transform));
    assertEquals(SCHEMA, result.getSchema());
    PAssert.that(result)
        .satisfies(
            r -> {
              int size = 0;
              for (Row ignored : r) {
                size++;
              }
              assertEquals(out, size);
              return null;
            });
    PipelineResult run = pipeline.run();
    run.waitUntilFinish();
    return LoadMetrics.attempted(run.metrics(), LoadMetrics.ROWS_FILTERED);
  }

  @Test
  public void theRowsATransformDropsCountAsFiltered() {
    assertEquals(7, filtered(Filter.by((Row r) -> r.getInt32("n") < 3), 10, 3));
  }

  @Test
  public void aTransformThatKeepsEveryRowFiltersNone() {
    assertEquals(0, filtered(Filter.by((Row r) -> true), 10, 10));
  }

  @Test
  public void aTransformThatAddsRowsCountsNegative() {
    PTransform<PCollection<Row>, PCollection<Row>> twice =
        PTransform.compose(
            "Twice",
            (PCollection<Row> in) -> PCollectionList.of(in).and(in).apply(Flatten.pCollections()));
    assertEquals(-4, filtered(twice, 4, 8));
  }
}
