package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/** Tests {@link InputOrder}: paths in natural order, then rows. */
public class InputOrderTest {

  /** Asserts that {@code paths} are in strictly increasing input order, pair by pair. */
  private static void assertOrder(String... paths) {
    for (int i = 0; i < paths.length; i++) {
      for (int j = 0; j < paths.length; j++) {
        int expected = Integer.compare(i, j);
        int actual = Integer.signum(InputOrder.comparePaths(paths[i], paths[j]));
        assertEquals(paths[i] + " vs " + paths[j], expected, actual);
      }
    }
  }

  @Test
  public void numericPartitionValuesCompareAsNumbers() {
    assertOrder(
        "s3://b/t/batch=2/part-0.parquet",
        "s3://b/t/batch=9/part-0.parquet",
        "s3://b/t/batch=10/part-0.parquet",
        "s3://b/t/batch=100/part-0.parquet");
  }

  @Test
  public void negativeAndDecimalValuesCompareAsNumbers() {
    assertOrder("/d/delta=-10/a.parquet", "/d/delta=-2/a.parquet", "/d/delta=0/a.parquet");
    assertOrder(
        "/d/v=1.25/a.parquet", "/d/v=1.5/a.parquet", "/d/v=2/a.parquet", "/d/v=10.5/a.parquet");
  }

  @Test
  public void numbersComeBeforeOtherValuesOfOnePartitionColumn() {
    assertOrder(
        "/d/batch=10/a.parquet",
        "/d/batch=__HIVE_DEFAULT_PARTITION__/a.parquet",
        "/d/batch=x/a.parquet");
  }

  @Test
  public void datesKeepTheirOrder() {
    assertOrder(
        "/d/day=2024-01-31/a.parquet",
        "/d/day=2024-02-01/a.parquet",
        "/d/day=2024-10-01/a.parquet");
  }

  @Test
  public void fileNamesCompareDigitRunsAsNumbers() {
    assertOrder("/d/part-0.parquet", "/d/part-9.parquet", "/d/part-10.parquet");
    // Spark's zero-padded names keep their text order.
    assertOrder("/d/part-00009-c000.parquet", "/d/part-00010-c000.parquet");
  }

  @Test
  public void theOuterFolderDecidesFirst() {
    assertOrder(
        "/d/batch=9/part-10.parquet", "/d/batch=10/part-0.parquet", "/d/batch=10/part-2.parquet");
    assertOrder("/d/a/x.parquet", "/d/a-b/x.parquet", "/d/b.parquet");
  }

  @Test
  public void differentSpellingsOfOneNumberAreOrderedByText() {
    // By the text of the whole path: "7.0/" before "7/", since "." comes before "/".
    assertOrder("/d/batch=007/a.parquet", "/d/batch=7.0/a.parquet", "/d/batch=7/a.parquet");
    assertOrder("/d/part-007.parquet", "/d/part-7.parquet");
  }

  @Test
  public void unknownFileFirstThenRows() {
    assertTrue(InputOrder.compare(null, 5, "/d/a.parquet", 0) < 0);
    assertTrue(InputOrder.compare("/d/a.parquet", 1, "/d/a.parquet", 2) < 0);
    assertTrue(InputOrder.compare("/d/batch=10/a.parquet", 0, "/d/batch=9/a.parquet", 9) > 0);
    assertEquals(0, InputOrder.compare(null, 3, null, 3));
  }

  @Test
  public void isATotalOrderThatSortingAgreesWith() {
    // Sorting any shuffle gives one order, and it is consistent with every pairwise comparison.
    List<String> paths = new ArrayList<>();
    for (String value : List.of("-1", "0", "007", "7", "7.0", "9", "10", "1.5", "x", "x10", "")) {
      for (String file : List.of("part-9.parquet", "part-10.parquet", "part-010.parquet")) {
        paths.add("/d/k=" + value + "/" + file);
      }
    }
    paths.add("/d/k.parquet");
    paths.add("/d/k");
    List<String> sorted = new ArrayList<>(paths);
    sorted.sort(InputOrder::comparePaths);
    Random random = new Random(7);
    for (int round = 0; round < 20; round++) {
      List<String> shuffled = new ArrayList<>(paths);
      Collections.shuffle(shuffled, random);
      shuffled.sort(InputOrder::comparePaths);
      assertEquals(sorted, shuffled);
    }
    assertOrder(sorted.toArray(new String[0]));
  }
}
