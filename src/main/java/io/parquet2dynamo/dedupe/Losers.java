package io.parquet2dynamo.dedupe;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.HashCode;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;

/**
 * The rows that lose to another row of their key, as every worker of the second pass holds them: 16
 * bytes per losing row, whatever its file's path or key, in sorted arrays per bucket.
 *
 * <p>A losing row is known by its place in the input and its key (a user's transform may make
 * several items of one row). Kept as text, that is a path, a row number and a key, about 200 bytes
 * a row in a Java set, and the SparkRunner also collects a side input on the driver before it
 * broadcasts it: a nightly load of 10⁸ rows with a third of them updates of the same keys would
 * need gigabytes on every worker and on the driver. A 128-bit fingerprint (MurmurHash3) of that
 * identity takes 16 bytes. A row is dropped only if its fingerprint equals a loser's: with 10⁹
 * items and 10⁸ losers the chance that any item is dropped by a collision is about 3·10⁻²² per
 * load.
 *
 * <p>{@link FindDuplicates} hands on one {@link #pack packed} array per bucket that has losers;
 * {@link #of} puts them together, and {@link #contains} finds an item's bucket by its key, then its
 * fingerprint by binary search.
 */
public final class Losers {
  private static final Losers NONE = new Losers(new long[0][], 1, 0);

  /** Per bucket, fingerprints as pairs of longs (high, low), sorted; null if it has none. */
  private final long[][] buckets;

  private final int bucketCount;
  private final long size;

  private Losers(long[][] buckets, int bucketCount, long size) {
    this.buckets = buckets;
    this.bucketCount = bucketCount;
    this.size = size;
  }

  /** The bucket of a key, among {@code buckets}: where both passes look for it. */
  static int bucketOf(String key, int buckets) {
    return Math.floorMod(key.hashCode(), buckets);
  }

  /** The fingerprint of a row's identity: two longs. */
  static long[] fingerprint(String file, long row, String key) {
    HashCode hash =
        Hashing.murmur3_128()
            .newHasher()
            .putString(file, StandardCharsets.UTF_8)
            .putByte((byte) 0)
            .putLong(row)
            .putString(key, StandardCharsets.UTF_8)
            .hash();
    ByteBuffer bytes = ByteBuffer.wrap(hash.asBytes());
    return new long[] {bytes.getLong(), bytes.getLong()};
  }

  /** One bucket's losers, as fingerprints, packed for the side input. */
  static byte[] pack(int bucket, int bucketCount, List<long[]> fingerprints) {
    long[][] sorted = fingerprints.toArray(new long[0][]);
    Arrays.sort(sorted, PAIRS);
    ByteArrayOutputStream packed = new ByteArrayOutputStream(12 + 16 * sorted.length);
    try (DataOutputStream out = new DataOutputStream(packed)) {
      out.writeInt(bucketCount);
      out.writeInt(bucket);
      out.writeInt(sorted.length);
      for (long[] f : sorted) {
        out.writeLong(f[0]);
        out.writeLong(f[1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return packed.toByteArray();
  }

  /** The losers of every bucket, from what {@link #pack} made of each. */
  public static Losers of(Iterable<byte[]> packed) {
    Map<Integer, long[]> byBucket = new HashMap<>();
    int bucketCount = 0;
    long size = 0;
    for (byte[] p : packed) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(p))) {
        bucketCount = in.readInt();
        int bucket = in.readInt();
        long[] pairs = new long[2 * in.readInt()];
        for (int i = 0; i < pairs.length; i++) {
          pairs[i] = in.readLong();
        }
        size += pairs.length / 2;
        // A bucket is decided once; were it handed on twice (a retried bundle the runner keeps
        // both outputs of), its fingerprints are the same and merging them keeps the lookup right.
        byBucket.merge(bucket, pairs, Losers::merged);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (byBucket.isEmpty()) {
      return NONE;
    }
    long[][] buckets = new long[bucketCount][];
    byBucket.forEach((b, pairs) -> buckets[b] = pairs);
    return new Losers(buckets, bucketCount, size);
  }

  /** How many losing rows there are. */
  public long size() {
    return size;
  }

  /** Whether the row at {@code row} of {@code file}, as the item of {@code key}, loses. */
  public boolean contains(String file, long row, String key) {
    if (size == 0) {
      return false;
    }
    long[] pairs = buckets[bucketOf(key, bucketCount)];
    if (pairs == null) {
      return false; // most items: their bucket has no loser, and no fingerprint is computed
    }
    long[] f = fingerprint(file, row, key);
    int low = 0;
    int high = pairs.length / 2 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = compare(pairs[2 * mid], pairs[2 * mid + 1], f[0], f[1]);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  private static final Comparator<long[]> PAIRS = (a, b) -> compare(a[0], a[1], b[0], b[1]);

  private static int compare(long aHigh, long aLow, long bHigh, long bLow) {
    int c = Long.compare(aHigh, bHigh);
    return c != 0 ? c : Long.compare(aLow, bLow);
  }

  private static long[] merged(long[] a, long[] b) {
    long[][] all = new long[(a.length + b.length) / 2][];
    for (int i = 0; i < a.length / 2; i++) {
      all[i] = new long[] {a[2 * i], a[2 * i + 1]};
    }
    for (int i = 0; i < b.length / 2; i++) {
      all[a.length / 2 + i] = new long[] {b[2 * i], b[2 * i + 1]};
    }
    Arrays.sort(all, PAIRS);
    long[] pairs = new long[all.length * 2];
    for (int i = 0; i < all.length; i++) {
      pairs[2 * i] = all[i][0];
      pairs[2 * i + 1] = all[i][1];
    }
    return pairs;
  }
}
