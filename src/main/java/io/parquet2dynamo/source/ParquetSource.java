package io.parquet2dynamo.source;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a {@link ParquetDataset} as Beam rows of its merged schema, one row per Parquet row.
 *
 * <p>Reading is split by row groups, as Beam's ParquetIO does, with parquet-hadoop (which ParquetIO
 * is built on) assembling records straight into Beam rows ({@link RowMaterializer}). ParquetIO's
 * read transforms cannot tell which file a record came from (needed for partition columns and for
 * dead letters), skip records that fail to decode with only a log line, and go through
 * parquet-avro, whose Avro schemas lose INT96, unsigned, nanosecond and INT32/INT64 decimal types
 * and refuse column names Avro does not allow.
 */
public class ParquetSource extends PTransform<PBegin, PCollection<Row>> {
  private final ParquetDataset dataset;
  private final Schema schema;
  private final String rowsCounter;

  /** Reads every column. */
  public ParquetSource(ParquetDataset dataset) {
    this(dataset, null);
  }

  /**
   * Reads only {@code columns} (and the source fields): the other column chunks are never fetched,
   * so unread columns cost no I/O. Null reads every column.
   */
  public ParquetSource(ParquetDataset dataset, java.util.Collection<String> columns) {
    this(dataset, columns, LoadMetrics.ROWS_READ);
  }

  /** As above, counting the rows read under {@code rowsCounter} (a joined dataset's own). */
  public ParquetSource(
      ParquetDataset dataset, java.util.Collection<String> columns, String rowsCounter) {
    this.dataset = dataset;
    this.schema = columns == null ? dataset.schema() : project(dataset.schema(), columns);
    this.rowsCounter = rowsCounter;
  }

  /** {@code schema} with only {@code columns} and the source fields, in the schema's order. */
  public static Schema project(Schema schema, java.util.Collection<String> columns) {
    Schema.Builder projected = Schema.builder();
    for (Schema.Field field : schema.getFields()) {
      if (columns.contains(field.getName()) || SourceFields.isSourceField(field.getName())) {
        projected.addField(field);
      }
    }
    return projected.build();
  }

  /** The schema of the rows read. */
  public Schema schema() {
    return schema;
  }

  /**
   * Reads each split as ranges of at most {@code rows} rows, so a runner that holds a step's
   * outputs for one input element (the SparkRunner does) holds that many rows, whatever the size of
   * a row group. 0 leaves a split whole: the DirectRunner cuts it itself, every 100 batches.
   */
  public ParquetSource withRowsPerRange(long rows) {
    ParquetSource copy = copy();
    copy.rowsPerRange = rows;
    return copy;
  }

  /**
   * Hands rows on in batches of {@code rows} (default {@value #ROWS_PER_BATCH}). Larger batches
   * suit narrow rows, such as a pass over the key columns: the DirectRunner commits a bundle every
   * 100 batches, and each bundle a grouping step receives costs it a copy of what it has gathered
   * so far, so fewer, larger bundles are much cheaper there.
   */
  public ParquetSource withRowsPerBatch(int rows) {
    ParquetSource copy = copy();
    copy.rowsPerBatch = Math.max(1, rows);
    return copy;
  }

  /**
   * Starts reading only once {@code signal} is complete: so that a pass over the files that needs
   * another's result does not read ahead and hold rows while it waits.
   */
  public ParquetSource after(PCollection<?> signal) {
    ParquetSource copy = copy();
    copy.after = signal;
    return copy;
  }

  private long rowsPerRange;
  private int rowsPerBatch = ROWS_PER_BATCH;
  private PCollection<?> after;

  private ParquetSource(ParquetDataset dataset, Schema schema, String rowsCounter) {
    this.dataset = dataset;
    this.schema = schema;
    this.rowsCounter = rowsCounter;
  }

  private ParquetSource copy() {
    ParquetSource copy = new ParquetSource(dataset, schema, rowsCounter);
    copy.rowsPerRange = rowsPerRange;
    copy.rowsPerBatch = rowsPerBatch;
    copy.after = after;
    return copy;
  }

  @Override
  public PCollection<Row> expand(PBegin input) {
    PCollection<FileSplit> splits =
        input.apply(
            "ListSplits",
            Create.of(dataset.splits()).withCoder(SerializableCoder.of(FileSplit.class)));
    if (after != null) {
      splits = splits.apply("WaitForSignal", Wait.on(after));
    }
    return splits
        // Spreads the splits over workers; Create alone may hand them all to one.
        .apply("SpreadSplits", Reshuffle.viaRandomKey())
        .apply(
            "ReadRows", ParDo.of(new ReadRowsFn(schema, rowsCounter, rowsPerRange, rowsPerBatch)))
        .setCoder(ListCoder.of(SchemaCoder.of(schema)))
        .apply("Unbatch", ParDo.of(new UnbatchFn()))
        .setRowSchema(schema);
  }

  /** Rows handed on together by default: the DirectRunner checkpoints a read every 100 outputs. */
  public static final int ROWS_PER_BATCH = 256;

  /**
   * Reads the rows of a split as a splittable DoFn over their indexes in the file, handing them on
   * in batches (of {@value #ROWS_PER_BATCH} rows unless told otherwise): a runner may stop it after
   * any batch and go on later from there (the DirectRunner does, every 100 batches or second), and
   * {@code rowsPerRange} cuts a split into ranges up front (for runners that hold a step's outputs
   * for a whole element, as the SparkRunner does). Either way rows are handed on before the row
   * group is finished, so no step holds more than a range of rows. A {@link RowCursor} carries the
   * open file from one range to the next.
   *
   * <p>Batches, because a DirectRunner checkpoint costs about as much as reading a few hundred
   * rows: with one row per output, reading ran at about 5,000 rows/s.
   */
  static final class ReadRowsFn extends DoFn<FileSplit, List<Row>> {
    private final Schema schema;
    private final long rowsPerRange;
    private final int rowsPerBatch;
    private final Counter rowsRead;
    private final Counter bytesRead = LoadMetrics.counter(LoadMetrics.BYTES_READ);
    private transient Configuration conf;

    ReadRowsFn(Schema schema, String rowsCounter, long rowsPerRange, int rowsPerBatch) {
      this.schema = schema;
      this.rowsPerRange = rowsPerRange;
      this.rowsPerBatch = rowsPerBatch;
      this.rowsRead = LoadMetrics.counter(rowsCounter);
    }

    @Setup
    public void setup() {
      conf = ParquetReadConfig.hadoopConfiguration();
    }

    @GetInitialRestriction
    public OffsetRange rows(@Element FileSplit split) {
      return new OffsetRange(split.firstRow, split.firstRow + split.rowCount);
    }

    @SplitRestriction
    public void cut(@Restriction OffsetRange rows, OutputReceiver<OffsetRange> out) {
      if (rowsPerRange <= 0 || rows.getTo() - rows.getFrom() <= rowsPerRange) {
        out.output(rows);
        return;
      }
      for (long from = rows.getFrom(); from < rows.getTo(); from += rowsPerRange) {
        out.output(new OffsetRange(from, Math.min(rows.getTo(), from + rowsPerRange)));
      }
    }

    @GetSize
    public double size(@Restriction OffsetRange rows) {
      return rows.getTo() - rows.getFrom();
    }

    @ProcessElement
    public void process(
        @Element FileSplit split,
        RestrictionTracker<OffsetRange, Long> tracker,
        OutputReceiver<List<Row>> out) {
      long row = tracker.currentRestriction().getFrom();
      RowCursor cursor = RowCursor.at(split, schema, row, conf, bytesRead);
      while (true) {
        // A batch's rows are claimed together, before any is read: a runner may cut the range
        // at any time from another thread (the DirectRunner does after a second), and must then
        // cut it after the batch, whose rows are handed on. Claiming the batch's last row claims
        // all of them. The runner's tracker synchronizes on itself, so reading the range's end
        // and claiming within it is one step that no cut can come between.
        long end;
        synchronized (tracker) {
          end = Math.min(tracker.currentRestriction().getTo(), row + rowsPerBatch);
          if (end <= row || !tracker.tryClaim(end - 1)) {
            break;
          }
        }
        List<Row> batch = new ArrayList<>((int) (end - row));
        for (; row < end; row++) {
          Row read = cursor.read();
          if (read == null) {
            cursor.close();
            // The footer promised more rows than the pages held: a truncated or corrupt file.
            throw cursor.truncated();
          }
          batch.add(read);
        }
        rowsRead.inc(batch.size());
        out.output(batch);
      }
      cursor.park();
    }
  }

  /** Hands on the rows of a batch one by one. */
  static final class UnbatchFn extends DoFn<List<Row>, Row> {
    @ProcessElement
    public void process(@Element List<Row> batch, OutputReceiver<Row> out) {
      for (Row row : batch) {
        out.output(row);
      }
    }
  }

  static String readProblem(Throwable e) {
    Throwable root = Errors.root(e);
    if (root instanceof java.io.EOFException) {
      return "unexpected end of data; the file is truncated or corrupt";
    }
    if (root instanceof LinkageError) {
      return "a class needed to decode it is missing ("
          + root.getMessage()
          + "); its compression codec may not be supported";
    }
    return Errors.rootMessage(e);
  }
}
