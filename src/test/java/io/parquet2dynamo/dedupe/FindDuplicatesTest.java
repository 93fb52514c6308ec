package io.parquet2dynamo.dedupe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.item.ItemFormat;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.source.SourceFields;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.junit.Test;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Tests how {@link FindDuplicates} groups: outside the global window, so that the SparkRunner does
 * not cache the grouped candidates (its global-window GroupByKey does), and with the losers handed
 * back in the global window for the side input. What it finds is tested with {@link DropDuplicates}
 * (DropDuplicatesTest) and on both runners (DedupeIT).
 */
public class FindDuplicatesTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.STRING)
          .addNullableField(SourceFields.FILE, Schema.FieldType.STRING)
          .addNullableField(SourceFields.ROW, Schema.FieldType.INT64)
          .build();

  @Test
  public void groupsInOneWindowThatIsNotTheGlobalOneAndHandsLosersBackInTheGlobalWindow() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> rows =
        pipeline.apply(
            Create.of(Row.withSchema(SCHEMA).addValues("a", "f", 0L).build())
                .withRowSchema(SCHEMA));
    PCollection<byte[]> losers =
        rows.apply(
            FindDuplicates.of(
                DedupePolicy.parse("last"),
                TableKey.of("t", "id", ScalarAttributeType.S, null, null),
                ItemFormat.defaults(),
                1_000_000));

    List<WindowingStrategy<?, ?>> grouped = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof GroupByKey) {
              for (PValue input : node.getInputs().values()) {
                grouped.add(((PCollection<?>) input).getWindowingStrategy());
              }
            }
          }
        });
    assertEquals(1, grouped.size());
    // What the SparkRunner's streaming, sort-based GroupByKey requires (and its caching one
    // avoids).
    assertFalse(grouped.get(0).getWindowFn() instanceof GlobalWindows);
    assertTrue(grouped.get(0).getWindowFn().windowCoder().consistentWithEquals());
    assertEquals(TimestampCombiner.END_OF_WINDOW, grouped.get(0).getTimestampCombiner());
    assertTrue(losers.getWindowingStrategy().getWindowFn() instanceof GlobalWindows);
  }

  @Test
  public void oneWindowHoldsEveryTimestamp() {
    FindDuplicates.OneWindow windows = new FindDuplicates.OneWindow();
    assertEquals(
        GlobalWindow.INSTANCE.maxTimestamp(),
        windows.assignWindows(null).iterator().next().maxTimestamp());
    assertTrue(
        windows
            .assignWindows(null)
            .iterator()
            .next()
            .start()
            .isEqual(BoundedWindow.TIMESTAMP_MIN_VALUE));
    assertTrue(windows.isCompatible(new FindDuplicates.OneWindow()));
    assertFalse(windows.isCompatible(new GlobalWindows()));
  }
}
