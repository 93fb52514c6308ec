package io.parquet2dynamo.dedupe;

import io.parquet2dynamo.item.ItemFormat;
import io.parquet2dynamo.item.ItemMapper;
import io.parquet2dynamo.item.RejectedRowException;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.source.SourceFields;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IncompatibleWindowException;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * The first of de-duplication's two passes: from rows that hold at least the table key (and the
 * {@code maxBy} column), finds the rows that lose to another row of their key under the {@link
 * DedupePolicy}, and returns them as {@link Loser} identities. The second pass ({@link
 * DropDuplicates}) drops those rows as the full items stream to the writer.
 *
 * <p>Why two passes: grouping every full item by key holds the whole load in one place, on the
 * DirectRunner (which keeps a group in memory) and on the SparkRunner alike (which builds a list
 * per group), and shuffles every item (about 350 bytes each) while duplicates are rare. Here only
 * candidates cross the shuffle: the key, the row's place in the input and the value {@code maxBy}
 * compares, packed per bundle and bucket (one element per bucket per bundle, so the DirectRunner's
 * grouping handles a few thousand elements rather than a million). A bucket's winners are held in
 * memory while it is decided: about {@value #KEYS_PER_BUCKET} keys.
 *
 * <p>A row whose key is missing or malformed is no candidate (it is rejected in the second pass). A
 * row the duplicate rule picks is the winner even if its item turns out to be invalid (too large,
 * say): then it is a dead letter, and an older row of its key is not written in its place.
 */
public final class FindDuplicates extends PTransform<PCollection<Row>, PCollection<byte[]>> {
  /** Target keys per bucket: what one worker holds in memory to decide a bucket. */
  static final int KEYS_PER_BUCKET = 50_000;

  /** A bundle's candidates are handed on when they reach about this many bytes. */
  static final int FLUSH_BYTES = 4 << 20;

  private final DedupePolicy policy;
  private final TableKey key;
  private final ItemFormat format;
  private final int buckets;

  private FindDuplicates(DedupePolicy policy, TableKey key, ItemFormat format, int buckets) {
    this.policy = policy;
    this.key = key;
    this.format = format;
    this.buckets = buckets;
  }

  /**
   * @param expectedRows about how many rows will arrive, to size the buckets
   */
  public static FindDuplicates of(
      DedupePolicy policy, TableKey key, ItemFormat format, long expectedRows) {
    int buckets = (int) Math.max(1, Math.min(1 << 16, expectedRows / KEYS_PER_BUCKET));
    return new FindDuplicates(policy, key, format, buckets);
  }

  @Override
  public PCollection<byte[]> expand(PCollection<Row> rows) {
    Schema schema = rows.getSchema();
    ItemMapper mapper = new ItemMapper(schema, key, format);
    return rows.apply(
            "ToCandidates", ParDo.of(new ToCandidatesFn(mapper, policy.column(), schema, buckets)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
        .apply("OneWindow", Window.into(new OneWindow()))
        .apply("GroupByBucket", GroupByKey.create())
        .apply("FindLosers", ParDo.of(new FindLosersFn(policy, orderSchema(schema), buckets)))
        .setCoder(ByteArrayCoder.of())
        .apply("GlobalWindow", Window.into(new GlobalWindows()));
  }

  /**
   * Every element in one window that is not the global one, for the grouping by bucket alone.
   *
   * <p>Why: the SparkRunner (2.62.0) groups a {@code GroupByKey} in the global window with Spark's
   * {@code combineByKey} and caches its result in memory ({@code JavaPairRDD.cache()}, which no
   * option turns off), and there it stays for the rest of the job. For 10,000,000 rows that was 231
   * MB of candidates (7 of 8 partitions; the 8th did not fit) held while the load's own pass ran,
   * and with a 768 MB driver heap the load failed with "Java heap space" at 3.2M rows. In any other
   * non-merging window whose timestamps are the window's end, the runner groups by sorting within
   * partitions (spilling to disk as Spark's shuffle does) and streams each key's values, caching
   * nothing. With this window the same run (runners/spark/submit.sh --master local[2], 768 MB, dry
   * run, de-duplication on) completes: 10,000,000 rows read and reconciled in 3 min 12 s, peak RSS
   * 1.14 GB. The DirectRunner groups the same either way; the losers go back to the global window
   * for the side input.
   */
  static final class OneWindow extends NonMergingWindowFn<Object, IntervalWindow> {
    /** The whole of time that Beam allows for an element's timestamp. */
    private static final IntervalWindow WINDOW =
        new IntervalWindow(
            BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE.maxTimestamp().plus(1));

    @Override
    public Collection<IntervalWindow> assignWindows(AssignContext c) {
      return List.of(WINDOW);
    }

    @Override
    public boolean isCompatible(WindowFn<?, ?> other) {
      return other instanceof OneWindow;
    }

    @Override
    public void verifyCompatibility(WindowFn<?, ?> other) throws IncompatibleWindowException {
      if (!isCompatible(other)) {
        throw new IncompatibleWindowException(other, "only OneWindow is compatible");
      }
    }

    @Override
    public Coder<IntervalWindow> windowCoder() {
      return IntervalWindow.getCoder();
    }

    @Override
    public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
      throw new UnsupportedOperationException("OneWindow cannot serve a side input");
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof OneWindow;
    }

    @Override
    public int hashCode() {
      return OneWindow.class.hashCode();
    }
  }

  /** The schema of the value {@code maxBy} compares, or null for {@code last}. */
  private Schema orderSchema(Schema schema) {
    return policy.column() == null
        ? null
        : Schema.of(schema.getField(policy.column()).withNullable(true));
  }

  /** Turns rows into candidates, packed per bucket, handed on per bundle. */
  static final class ToCandidatesFn extends DoFn<Row, KV<Integer, byte[]>> {
    private final ItemMapper mapper;
    private final String orderColumn;
    private final Schema schema;
    private final int buckets;
    private transient Map<Integer, Packer> packers;
    private transient SchemaCoder<Row> orderCoder;
    private transient int bytes;

    ToCandidatesFn(ItemMapper mapper, String orderColumn, Schema schema, int buckets) {
      this.mapper = mapper;
      this.orderColumn = orderColumn;
      this.schema = schema;
      this.buckets = buckets;
    }

    @StartBundle
    public void startBundle() {
      packers = new HashMap<>();
      bytes = 0;
      if (orderColumn != null && orderCoder == null) {
        orderCoder = SchemaCoder.of(Schema.of(schema.getField(orderColumn).withNullable(true)));
      }
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<Integer, byte[]>> out) {
      String file = SourceFields.file(row);
      long index = SourceFields.row(row);
      if (file == null || index < 0) {
        return; // its place is unknown: it cannot lose, and is written as it comes
      }
      String key;
      try {
        key = mapper.keyOf(row);
      } catch (RejectedRowException e) {
        return; // no key: not a candidate; the load rejects the row
      }
      byte[] order = null;
      if (orderColumn != null) {
        order = encodeOrder(row.getValue(orderColumn));
      }
      int bucket = Losers.bucketOf(key, buckets);
      Packer packer = packers.computeIfAbsent(bucket, b -> new Packer());
      bytes += packer.add(file, index, key, order);
      if (bytes >= FLUSH_BYTES) {
        // A Spark task is one bundle: flushing by size keeps what it holds small.
        packers.forEach((b, p) -> out.output(KV.of(b, p.bytes())));
        packers.clear();
        bytes = 0;
      }
    }

    private byte[] encodeOrder(Object value) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        orderCoder.encode(Row.withSchema(orderCoder.getSchema()).addValue(value).build(), out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      packers.forEach(
          (b, p) ->
              context.output(
                  KV.of(b, p.bytes()), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
      packers = null;
    }
  }

  /**
   * Candidates packed in one byte array: the distinct files once, then per candidate the file's
   * index, the row, the key and the order value.
   */
  static final class Packer {
    private final Map<String, Integer> files = new LinkedHashMap<>();
    private final ByteArrayOutputStream candidates = new ByteArrayOutputStream(4096);
    private final DataOutputStream out = new DataOutputStream(candidates);
    private int count;

    /** Adds a candidate; returns about how many bytes it took. */
    int add(String file, long row, String key, byte[] order) {
      int before = candidates.size();
      try {
        Integer index = files.get(file);
        if (index == null) {
          index = files.size();
          files.put(file, index);
        }
        VarInt.encode(index, out);
        VarInt.encode(row, out);
        writeBytes(key.getBytes(StandardCharsets.UTF_8), out);
        writeBytes(order == null ? new byte[0] : order, out);
        count++;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return candidates.size() - before;
    }

    byte[] bytes() {
      ByteArrayOutputStream packed = new ByteArrayOutputStream(candidates.size() + 256);
      try (DataOutputStream header = new DataOutputStream(packed)) {
        VarInt.encode(files.size(), header);
        for (String file : files.keySet()) {
          writeBytes(file.getBytes(StandardCharsets.UTF_8), header);
        }
        VarInt.encode(count, header);
        header.flush();
        candidates.writeTo(packed);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return packed.toByteArray();
    }

    private static void writeBytes(byte[] bytes, DataOutputStream out) throws IOException {
      VarInt.encode(bytes.length, out);
      out.write(bytes);
    }

    /** The candidates of a packed array. */
    static List<Candidate> unpack(byte[] packed) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(packed))) {
        int fileCount = VarInt.decodeInt(in);
        String[] files = new String[fileCount];
        for (int i = 0; i < fileCount; i++) {
          files[i] = new String(readBytes(in), StandardCharsets.UTF_8);
        }
        int count = VarInt.decodeInt(in);
        List<Candidate> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          String file = files[VarInt.decodeInt(in)];
          long row = VarInt.decodeLong(in);
          String key = new String(readBytes(in), StandardCharsets.UTF_8);
          byte[] order = readBytes(in);
          out.add(new Candidate(key, file, row, order.length == 0 ? null : order));
        }
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
      byte[] bytes = new byte[VarInt.decodeInt(in)];
      in.readFully(bytes);
      return bytes;
    }
  }

  /** A row that may have duplicates: its key, its place in the input, its encoded order value. */
  record Candidate(String key, String file, long row, byte[] order) {}

  /**
   * Decides each key of a bucket by the policy; outputs the bucket's losing rows, {@link
   * Losers#pack packed}, if it has any.
   */
  static final class FindLosersFn extends DoFn<KV<Integer, Iterable<byte[]>>, byte[]> {
    private final DedupePolicy policy;
    private final Schema orderSchema;
    private final int buckets;
    private transient DedupePolicy.CandidateOrder order;

    FindLosersFn(DedupePolicy policy, Schema orderSchema, int buckets) {
      this.policy = policy;
      this.orderSchema = orderSchema;
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<byte[]>> bucket, OutputReceiver<byte[]> losers) {
      if (order == null) {
        order = policy.candidateOrder(orderSchema);
      }
      Map<String, Candidate> winners = new HashMap<>();
      List<long[]> lost = new ArrayList<>();
      for (byte[] packed : bucket.getValue()) {
        for (Candidate c : Packer.unpack(packed)) {
          Candidate previous = winners.putIfAbsent(c.key(), c);
          if (previous != null) {
            Candidate loser = previous;
            if (order.compare(c, previous) > 0) {
              winners.put(c.key(), c);
            } else {
              loser = c;
            }
            lost.add(Losers.fingerprint(loser.file(), loser.row(), loser.key()));
          }
        }
      }
      if (!lost.isEmpty()) {
        losers.output(Losers.pack(bucket.getKey(), buckets, lost));
      }
    }
  }
}
