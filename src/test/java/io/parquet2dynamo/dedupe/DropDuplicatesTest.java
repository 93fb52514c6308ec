package io.parquet2dynamo.dedupe;

import static org.junit.Assert.assertEquals;

import io.parquet2dynamo.item.ItemFormat;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.source.SourceFields;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Tests de-duplication's two passes together on a {@link TestPipeline}: {@link FindDuplicates}
 * names the losing rows from keys alone, {@link DropDuplicates} drops exactly their items.
 */
public class DropDuplicatesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final TableKey KEY = TableKey.of("t", "id", ScalarAttributeType.S, null, null);
  private static final Schema SCHEMA =
      Schema.builder()
          .addNullableField("id", Schema.FieldType.STRING)
          .addNullableField("v", Schema.FieldType.INT64)
          .addNullableField(SourceFields.FILE, Schema.FieldType.STRING)
          .addNullableField(SourceFields.ROW, Schema.FieldType.INT64)
          .build();

  private static Row row(String id, long v, String file, long index) {
    return Row.withSchema(SCHEMA).addValues(id, v, file, index).build();
  }

  private static KV<String, LoadItem> item(Row row) {
    Map<String, AttributeValue> attributes =
        Map.of(
            "id", AttributeValue.fromS(row.getString("id")),
            "v", AttributeValue.fromN(Long.toString(row.getInt64("v"))));
    return KV.of(
        KEY.keyString(attributes),
        new LoadItem(attributes, SourceFields.file(row), SourceFields.row(row)));
  }

  /** Runs both passes over {@code rows}; returns the surviving items as "id=v". */
  private PCollection<String> survivors(List<Row> rows, String policy) {
    PCollection<byte[]> losers =
        pipeline
            .apply("Rows", Create.of(rows).withRowSchema(SCHEMA))
            .apply(
                FindDuplicates.of(
                    DedupePolicy.parse(policy), KEY, ItemFormat.defaults(), rows.size()));
    List<KV<String, LoadItem>> items = new ArrayList<>();
    // A row without a key never becomes an item: MapToItems rejects it.
    rows.stream().filter(r -> r.getString("id") != null).forEach(r -> items.add(item(r)));
    return pipeline
        .apply(
            "Items",
            Create.of(items).withCoder(KvCoder.of(StringUtf8Coder.of(), LoadItem.ItemCoder.of())))
        .apply(DropDuplicates.losing(losers.apply(View.asIterable())))
        .apply(
            MapElements.into(TypeDescriptors.strings())
                .via(
                    kv ->
                        kv.getValue().attributes().get("id").s()
                            + "="
                            + kv.getValue().attributes().get("v").n()));
  }

  @Test
  public void lastKeepsTheLastRowOfEachKeyInAnyArrivalOrder() {
    // Duplicates of "k" in three files; "batch=10" comes after "batch=9" (numbers in paths).
    List<Row> rows =
        new ArrayList<>(
            List.of(
                row("k", 1, "s3://b/batch=9/f.parquet", 7),
                row("k", 2, "s3://b/batch=10/f.parquet", 0),
                row("k", 3, "s3://b/batch=9/f.parquet", 8),
                row("single", 4, "s3://b/batch=9/f.parquet", 9),
                row("y", 5, "s3://b/batch=9/f.parquet", 10),
                row("y", 6, "s3://b/batch=9/f.parquet", 2)));
    java.util.Collections.shuffle(rows, new java.util.Random(3));

    PAssert.that(survivors(rows, "last")).containsInAnyOrder("k=2", "single=4", "y=5");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(3, LoadMetrics.attempted(result.metrics(), LoadMetrics.DUPLICATES_DROPPED));
  }

  @Test
  public void maxByKeepsTheGreatestValueAndRowsWithoutAKeyAreNoCandidates() {
    List<Row> rows =
        List.of(
            row("k", 10, "a.parquet", 0),
            row("k", 9, "b.parquet", 0),
            row(null, 99, "c.parquet", 0),
            row("z", 1, "c.parquet", 1));

    // The row without a key is not a duplicate of anything; the load rejects it later.
    PAssert.that(survivors(rows, "maxBy:v")).containsInAnyOrder("k=10", "z=1");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, LoadMetrics.attempted(result.metrics(), LoadMetrics.DUPLICATES_DROPPED));
  }

  @Test
  public void thePackedCandidatesComeBackAsTheyWent() {
    FindDuplicates.Packer packer = new FindDuplicates.Packer();
    packer.add("s3://b/a.parquet", 3, "S1:k", null);
    packer.add("s3://b/b.parquet", 1L << 35, "S2:k2", new byte[] {1, 2});
    packer.add("s3://b/a.parquet", 4, "S1:k", null);

    List<FindDuplicates.Candidate> back = FindDuplicates.Packer.unpack(packer.bytes());
    assertEquals(3, back.size());
    assertEquals("s3://b/a.parquet", back.get(0).file());
    assertEquals(3, back.get(0).row());
    assertEquals("S1:k", back.get(0).key());
    assertEquals(1L << 35, back.get(1).row());
    assertEquals(2, back.get(1).order().length);
    assertEquals("s3://b/a.parquet", back.get(2).file());
    assertEquals(null, back.get(2).order());
  }
}
