package io.parquet2dynamo.transform;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.source.InputOrder;
import io.parquet2dynamo.source.ParquetDataset;
import io.parquet2dynamo.source.ParquetSource;
import io.parquet2dynamo.source.SourceFields;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The mapping's {@code join}: the input's rows joined by key with a second Parquet dataset, as a
 * shuffle join (so both sides may be large): both sides are grouped by a hash bucket of the key
 * ({@code CoGroupByKey}) and each bucket is joined in memory. Buckets rather than keys, because a
 * group per key costs the DirectRunner about 10 ms each (Beam's schema {@code Join} took 50 s for
 * 3,000 rows there); a bucket holds about {@value #ROWS_PER_BUCKET} of the joined rows. The joined
 * dataset is a lookup: where several of its rows share a key, the last in input order is used, so a
 * join never multiplies the input's rows. With {@code type: inner} the input rows without a match
 * are filtered out (counted as {@code rowsFiltered}); with {@code left} they keep nulls.
 */
public final class JoinRows extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final MappingSpec.Join spec;
  private final ParquetDataset right;
  private final String leftKey;
  private final String rightKey;
  private final List<String> columns;
  private final Schema output;

  private JoinRows(MappingSpec.Join spec, Schema left, ParquetDataset right) {
    this.spec = spec;
    this.right = right;
    if (spec.path == null || spec.on == null || spec.on.size() != 1) {
      throw new InvalidInputException(
          "--mapping: join needs a path and one key pair in on: {input column: joined column}");
    }
    if (!spec.type.equals("inner") && !spec.type.equals("left")) {
      throw new InvalidInputException(
          "--mapping: join.type: '" + spec.type + "' is not inner or left");
    }
    Map.Entry<String, String> on = spec.on.entrySet().iterator().next();
    this.leftKey = on.getKey();
    this.rightKey = on.getValue();
    if (!left.hasField(leftKey)) {
      throw new InvalidInputException(
          "--mapping: join.on: '" + leftKey + "' is not a column of the input");
    }
    Schema rightSchema = right.schema();
    if (!rightSchema.hasField(rightKey)) {
      throw new InvalidInputException(
          "--mapping: join.on: '" + rightKey + "' is not a column of " + spec.path);
    }
    List<String> wanted = new ArrayList<>();
    if (spec.columns != null) {
      for (String c : spec.columns) {
        if (!rightSchema.hasField(c) || SourceFields.isSourceField(c)) {
          throw new InvalidInputException(
              "--mapping: join.columns: '" + c + "' is not a column of " + spec.path);
        }
        wanted.add(c);
      }
    } else {
      for (String c : rightSchema.getFieldNames()) {
        if (!c.equals(rightKey) && !SourceFields.isSourceField(c)) {
          wanted.add(c);
        }
      }
    }
    this.columns = wanted;
    Schema.Builder out = Schema.builder();
    out.addFields(left.getFields());
    for (String c : wanted) {
      if (left.hasField(c)) {
        throw new InvalidInputException(
            "--mapping: join.columns: '" + c + "' is also a column of the input; rename it there");
      }
      out.addField(c, rightSchema.getField(c).getType().withNullable(true));
    }
    this.output = out.build();
  }

  /** Checks the join against the input's schema, and scans the joined dataset's footers. */
  public static JoinRows of(MappingSpec.Join spec, Schema left) {
    return new JoinRows(spec, left, ParquetDataset.scan(spec.path));
  }

  /**
   * The same join for input rows of {@code left}, e.g. with only the columns a mapping reads,
   * without scanning the joined dataset again.
   */
  public JoinRows withInput(Schema left) {
    return new JoinRows(spec, left, right);
  }

  /** What listing the joined dataset skipped ({@link ParquetDataset#ignoredWarning}), or null. */
  public String ignoredWarning() {
    return right.ignoredWarning() == null
        ? null
        : "join " + spec.path + ": " + right.ignoredWarning();
  }

  public Schema outputSchema() {
    return output;
  }

  /** The input column the join reads. */
  public String leftKey() {
    return leftKey;
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> left) {
    // An inner join drops the input rows without a match.
    return left.apply(CountFiltered.around(PTransform.compose("JoinByBucket", this::join)));
  }

  private PCollection<Row> join(PCollection<Row> left) {
    List<String> read = new ArrayList<>(columns);
    read.add(rightKey);
    ParquetSource source = new ParquetSource(right, read, LoadMetrics.JOINED_ROWS_READ);
    Schema rightSchema = source.schema();
    Schema leftSchema = left.getSchema();
    int bucketCount =
        (int) Math.max(1, Math.min(1 << 16, (right.rowCount() + 1) / ROWS_PER_BUCKET));
    String lk = leftKey;
    String rk = rightKey;
    PCollection<KV<Integer, Row>> lefts =
        left.apply(
                "KeyInput",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.rows()))
                    .via((Row r) -> KV.of(bucket(r.getValue(lk), bucketCount), r)))
            .setCoder(KvCoder.of(VarIntCoder.of(), SchemaCoder.of(leftSchema)));
    PCollection<KV<Integer, Row>> rights =
        left.getPipeline()
            .apply("ReadJoined", source)
            .apply(
                "KeyJoined",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.rows()))
                    .via((Row r) -> KV.of(bucket(r.getValue(rk), bucketCount), r)))
            .setCoder(KvCoder.of(VarIntCoder.of(), SchemaCoder.of(rightSchema)));
    return KeyedPCollectionTuple.of(LEFT, lefts)
        .and(RIGHT, rights)
        .apply("CoGroupByBucket", CoGroupByKey.create())
        .apply(
            "JoinInBucket",
            ParDo.of(
                new JoinBucketFn(
                    output,
                    leftKey,
                    rightKey,
                    leftSchema.getFieldCount(),
                    columns,
                    spec.type.equals("left"))))
        .setRowSchema(output);
  }

  /** Target number of joined-dataset rows per bucket: held in memory while a bucket joins. */
  static final int ROWS_PER_BUCKET = 20_000;

  private static final TupleTag<Row> LEFT = new TupleTag<>("input");
  private static final TupleTag<Row> RIGHT = new TupleTag<>("joined");

  /** The bucket of a key value; null keys share bucket 0 and never match. */
  static int bucket(Object key, int buckets) {
    return key == null ? 0 : Math.floorMod(String.valueOf(key).hashCode(), buckets);
  }

  /**
   * Joins one bucket in memory: the joined rows by key (the last in input order where several share
   * one), then each input row with its match.
   */
  static final class JoinBucketFn extends DoFn<KV<Integer, CoGbkResult>, Row> {
    private final Schema output;
    private final String leftKey;
    private final String rightKey;
    private final int leftFields;
    private final List<String> columns;
    private final boolean keepUnmatched;

    JoinBucketFn(
        Schema output,
        String leftKey,
        String rightKey,
        int leftFields,
        List<String> columns,
        boolean keepUnmatched) {
      this.output = output;
      this.leftKey = leftKey;
      this.rightKey = rightKey;
      this.leftFields = leftFields;
      this.columns = columns;
      this.keepUnmatched = keepUnmatched;
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> bucket, OutputReceiver<Row> receiver) {
      Map<String, Row> lookup = new HashMap<>();
      for (Row r : bucket.getValue().getAll(RIGHT)) {
        Object k = r.getValue(rightKey);
        if (k != null) {
          lookup.merge(String.valueOf(k), r, (a, b) -> INPUT_ORDER.compare(b, a) > 0 ? b : a);
        }
      }
      for (Row row : bucket.getValue().getAll(LEFT)) {
        Object k = row.getValue(leftKey);
        Row match = k == null ? null : lookup.get(String.valueOf(k));
        if (match == null && !keepUnmatched) {
          continue; // an inner join drops it (counted as filtered around the join)
        }
        List<Object> values = new ArrayList<>(row.getValues().subList(0, leftFields));
        for (String c : columns) {
          values.add(match == null ? null : match.getValue(c));
        }
        receiver.output(Row.withSchema(output).addValues(values).build());
      }
    }
  }

  /** Input order of the joined rows. */
  private static final Comparator<Row> INPUT_ORDER =
      InputOrder.of(SourceFields::file, SourceFields::row);
}
