package io.parquet2dynamo.dedupe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Tests {@link DropDuplicates}'s default duplicate rule: the last item in input order wins. */
public class DropDuplicatesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static LoadItem item(String key, String file, long row) {
    return new LoadItem(
        Map.of(
            "id", AttributeValue.fromS(key),
            "from", AttributeValue.fromS(file + "#" + row)),
        file,
        row);
  }

  private static KV<String, LoadItem> keyed(LoadItem item) {
    return KV.of("S" + item.attributes().get("id").s(), item);
  }

  @Test
  public void inputOrderIsFileThenRow() {
    LoadItem noFile = item("k", null, 5);
    LoadItem a0 = item("k", "s3://b/a.parquet", 0);
    LoadItem a2 = item("k", "s3://b/a.parquet", 2);
    LoadItem a10 = item("k", "s3://b/a.parquet", 10);
    LoadItem b0 = item("k", "s3://b/b.parquet", 0);

    List<LoadItem> items = new ArrayList<>(List.of(b0, a10, a0, noFile, a2));
    items.sort(DedupePolicy.INPUT_ORDER);

    assertEquals(List.of(noFile, a0, a2, a10, b0), items);
  }

  @Test
  public void inputOrderComparesRowsNumerically() {
    assertTrue(DedupePolicy.INPUT_ORDER.compare(item("k", "f", 9), item("k", "f", 10)) < 0);
    assertTrue(DedupePolicy.INPUT_ORDER.compare(item("k", "f", 10), item("k", "f", 9)) > 0);
    assertEquals(0, DedupePolicy.INPUT_ORDER.compare(item("k", "f", 3), item("x", "f", 3)));
  }

  @Test
  public void nullFileSortsFirst() {
    assertTrue(DedupePolicy.INPUT_ORDER.compare(item("k", null, 100), item("k", "a", 0)) < 0);
    assertTrue(DedupePolicy.INPUT_ORDER.compare(item("k", "a", 0), item("k", null, 100)) > 0);
    assertTrue(DedupePolicy.INPUT_ORDER.compare(item("k", null, -1), item("k", null, 0)) < 0);
  }

  @Test
  public void keepLastKeepsTheLastItemPerKeyInAnyInputOrder() {
    // The same three duplicates in each of their 6 orders, each order under its own table key.
    List<List<Integer>> orders =
        List.of(
            List.of(0, 1, 2),
            List.of(0, 2, 1),
            List.of(1, 0, 2),
            List.of(1, 2, 0),
            List.of(2, 0, 1),
            List.of(2, 1, 0));
    List<KV<Integer, Iterable<KV<String, LoadItem>>>> buckets = new ArrayList<>();
    List<LoadItem> expected = new ArrayList<>();
    for (int p = 0; p < orders.size(); p++) {
      String key = "k" + p;
      // Last in input order: b.parquet row 1 (b > a; row 1 > row 0; a null file sorts first).
      List<LoadItem> duplicates =
          List.of(item(key, "b.parquet", 1), item(key, "a.parquet", 7), item(key, null, 9));
      List<KV<String, LoadItem>> bucket = new ArrayList<>();
      for (int i : orders.get(p)) {
        bucket.add(keyed(duplicates.get(i)));
        // Interleave a key without duplicates.
        if (i == 1) {
          bucket.add(keyed(item(key + "-single", "c.parquet", 3)));
        }
      }
      buckets.add(KV.of(p, bucket));
      expected.add(item(key, "b.parquet", 1));
      expected.add(item(key + "-single", "c.parquet", 3));
    }
    // Duplicates in files whose names order differently as text and naturally: part-10 comes
    // after part-2 (InputOrder), whatever the rows' numbers.
    buckets.add(
        KV.of(
            99,
            List.of(
                keyed(item("z", "part-10.parquet", 0)),
                keyed(item("z", "part-2.parquet", 500)),
                keyed(item("y", "f.parquet", 10)),
                keyed(item("y", "f.parquet", 9)))));
    expected.add(item("z", "part-10.parquet", 0));
    expected.add(item("y", "f.parquet", 10));

    PCollection<LoadItem> out = keepLast(buckets);

    PAssert.that(out).containsInAnyOrder(expected);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    // 6 orders x 2 dropped, plus one each for "z" and "y".
    assertEquals(14L, counter(result, LoadMetrics.DUPLICATES_DROPPED));
  }

  @Test
  public void keepLastWithoutDuplicatesKeepsEverything() {
    List<KV<String, LoadItem>> bucket =
        List.of(keyed(item("a", "f", 0)), keyed(item("b", "f", 1)), keyed(item("c", null, -1)));
    List<KV<Integer, Iterable<KV<String, LoadItem>>>> buckets =
        Collections.singletonList(KV.of(0, bucket));

    PCollection<LoadItem> out = keepLast(buckets);

    PAssert.that(out).containsInAnyOrder(item("a", "f", 0), item("b", "f", 1), item("c", null, -1));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(0L, counter(result, LoadMetrics.DUPLICATES_DROPPED));
  }

  private static long counter(PipelineResult result, String name) {
    return LoadMetrics.attempted(result.metrics(), name);
  }

  /** The items {@code KeepWinnerFn} keeps of {@code buckets}, with {@code --dedupe=last}. */
  private PCollection<LoadItem> keepLast(
      List<KV<Integer, Iterable<KV<String, LoadItem>>>> buckets) {
    return pipeline
        .apply(
            Create.of(buckets)
                .withCoder(
                    KvCoder.of(
                        VarIntCoder.of(),
                        IterableCoder.of(
                            KvCoder.of(StringUtf8Coder.of(), LoadItem.ItemCoder.of())))))
        .apply(ParDo.of(new DropDuplicates.KeepWinnerFn(DedupePolicy.parse("last"))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), LoadItem.ItemCoder.of()))
        .apply(Values.create());
  }
}
