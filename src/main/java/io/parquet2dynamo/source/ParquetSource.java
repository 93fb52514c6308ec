package io.parquet2dynamo.source;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;

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

  @Override
  public PCollection<Row> expand(PBegin input) {
    return input
        .apply(
            "ListSplits",
            Create.of(dataset.splits()).withCoder(SerializableCoder.of(FileSplit.class)))
        // Spreads the splits over workers; Create alone may hand them all to one.
        .apply("SpreadSplits", Reshuffle.viaRandomKey())
        .apply("ReadRowGroups", ParDo.of(new ReadSplitFn(schema, rowsCounter)))
        .setRowSchema(schema);
  }

  /** Reads the row groups of one split and converts each record to a row of the merged schema. */
  static final class ReadSplitFn extends DoFn<FileSplit, Row> {
    private final Schema schema;
    private final Counter rowsRead;
    private final Counter bytesRead = LoadMetrics.counter(LoadMetrics.BYTES_READ);
    private transient Configuration conf;

    ReadSplitFn(Schema schema, String rowsCounter) {
      this.schema = schema;
      this.rowsRead = LoadMetrics.counter(rowsCounter);
    }

    @Setup
    public void setup() {
      conf = ParquetReadConfig.hadoopConfiguration();
    }

    @ProcessElement
    public void process(@Element FileSplit split, OutputReceiver<Row> out) {
      Map<String, Object> constants = new HashMap<>();
      // Partition columns a projection left out are not read either.
      split.partitionValues.forEach(
          (name, value) -> {
            if (schema.hasField(name)) {
              constants.put(name, value);
            }
          });
      constants.put(SourceFields.FILE, split.path);
      long rowIndex = split.firstRow;
      long end = split.firstRow + split.rowCount;
      BeamInputFile file =
          new BeamInputFile(
              FileSystems.matchNewResource(split.path, false), split.fileLength, bytesRead);
      RowReadSupport support = new RowReadSupport(schema, constants, split.firstRow);
      try (ParquetReader<Row> reader =
          new ParquetReader.Builder<Row>(
              split.unknownLogicalTypes ? UnknownLogicalTypes.stripped(file) : file) {
            @Override
            protected ReadSupport<Row> getReadSupport() {
              return support;
            }
          }.withConf(conf)
              // After withConf, which resets the options.
              .withCodecFactory(new ParquetCodecs(conf))
              .withFileRange(split.startByte, split.endByte)
              .build()) {
        Row row;
        while ((row = reader.read()) != null) {
          out.output(row);
          rowsRead.inc();
          rowIndex++;
        }
      } catch (Exception | LinkageError e) {
        // LinkageError too: a codec whose library is missing fails with NoClassDefFoundError, and
        // the user must still learn which file could not be read.
        throw new InvalidInputException(
            "cannot read " + split.path + " at row " + rowIndex + ": " + readProblem(e), e);
      }
      if (rowIndex != end) {
        // The footer promised more rows than the pages held: a truncated or corrupt file.
        throw new InvalidInputException(
            "cannot read "
                + split.path
                + ": its footer lists rows "
                + split.firstRow
                + ".."
                + end
                + " but only "
                + (rowIndex - split.firstRow)
                + " could be read");
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
}
