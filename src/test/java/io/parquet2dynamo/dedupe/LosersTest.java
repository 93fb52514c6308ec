package io.parquet2dynamo.dedupe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class LosersTest {
  private static final int BUCKETS = 7;

  /** Packs the given (file, row, key) identities per bucket, as FindLosersFn does. */
  private static List<byte[]> packed(List<Object[]> identities) {
    Map<Integer, List<long[]>> byBucket = new HashMap<>();
    for (Object[] id : identities) {
      String key = (String) id[2];
      byBucket
          .computeIfAbsent(Losers.bucketOf(key, BUCKETS), b -> new ArrayList<>())
          .add(Losers.fingerprint((String) id[0], (Long) id[1], key));
    }
    List<byte[]> out = new ArrayList<>();
    byBucket.forEach((bucket, fps) -> out.add(Losers.pack(bucket, BUCKETS, fps)));
    return out;
  }

  @Test
  public void findsEveryLoserAndNoOtherRow() {
    List<Object[]> losers = new ArrayList<>();
    for (long i = 0; i < 5_000; i++) {
      losers.add(new Object[] {"s3://b/day=" + (i % 31) + "/part-0.parquet", i, "k" + (i % 977)});
    }
    Losers set = Losers.of(packed(losers));
    assertEquals(5_000, set.size());
    for (Object[] id : losers) {
      assertTrue(set.contains((String) id[0], (Long) id[1], (String) id[2]));
    }
    // The same key in another row, the same row under another key, another file: all kept.
    for (long i = 0; i < 5_000; i++) {
      String file = "s3://b/day=" + (i % 31) + "/part-0.parquet";
      assertFalse(set.contains(file, i + 5_000, "k" + (i % 977)));
      assertFalse(set.contains(file, i, "k" + (i % 977) + "x"));
      assertFalse(set.contains(file + "x", i, "k" + (i % 977)));
    }
  }

  @Test
  public void fieldsDoNotRunTogether() {
    // "a" + row 1 + key "2" must differ from "a1" + ... : the file is ended by a separator and
    // the row is a fixed-width long.
    Losers set = Losers.of(packed(List.<Object[]>of(new Object[] {"a", 1L, "2"})));
    assertTrue(set.contains("a", 1L, "2"));
    assertFalse(set.contains("a\u00001", 1L, "2"));
    assertFalse(set.contains("a", 12L, ""));
  }

  @Test
  public void noLosersContainsNothing() {
    Losers set = Losers.of(List.of());
    assertEquals(0, set.size());
    assertFalse(set.contains("f", 0, "k"));
  }

  @Test
  public void aBucketHandedOnTwiceIsMerged() {
    // Two packed arrays for one bucket (a retried bundle kept twice, or split output): every
    // fingerprint of both stays findable.
    String key = "same-key";
    int bucket = Losers.bucketOf(key, BUCKETS);
    byte[] first =
        Losers.pack(bucket, BUCKETS, List.of(Losers.fingerprint("f", 1, key), fp("f", 3, key)));
    byte[] second = Losers.pack(bucket, BUCKETS, List.of(fp("g", 2, key)));
    Losers set = Losers.of(List.of(first, second));
    assertTrue(set.contains("f", 1, key));
    assertTrue(set.contains("f", 3, key));
    assertTrue(set.contains("g", 2, key));
    assertFalse(set.contains("f", 2, key));
  }

  @Test
  public void packingTakesSixteenBytesPerLoser() {
    List<long[]> fps = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      fps.add(fp("file", i, "k"));
    }
    assertEquals(12 + 16 * 1_000, Losers.pack(0, 1, fps).length);
  }

  private static long[] fp(String file, long row, String key) {
    return Losers.fingerprint(file, row, key);
  }
}
