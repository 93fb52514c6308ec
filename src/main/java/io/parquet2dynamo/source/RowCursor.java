package io.parquet2dynamo.source;

import io.parquet2dynamo.InvalidInputException;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;

/**
 * An open reader of one split, positioned at a row: what lets the reader hand rows on in small
 * pieces without starting over for each. When a runner stops reading a split part way (the
 * DirectRunner checkpoints every 100 outputs; the SparkRunner reads a split as consecutive row
 * ranges), the cursor is parked, and the piece that goes on from that row takes it back instead of
 * opening the file and reading up to the row again.
 *
 * <p>Parked cursors live in this JVM, keyed by split and row. A piece that finds none (it runs on
 * another worker, or a cursor was evicted) opens the file at the split and skips to its row, which
 * costs reading the skipped rows, not a wrong result.
 */
final class RowCursor implements Closeable {
  /** Parked cursors the JVM keeps at most; the oldest is closed to make room. */
  static final int MAX_PARKED = 64;

  private static final Map<String, RowCursor> PARKED =
      new LinkedHashMap<String, RowCursor>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RowCursor> eldest) {
          if (size() > MAX_PARKED) {
            eldest.getValue().close();
            return true;
          }
          return false;
        }
      };

  private final FileSplit split;
  private final Schema schema;
  private final ParquetReader<Row> reader;
  private long next;

  private RowCursor(FileSplit split, Schema schema, ParquetReader<Row> reader) {
    this.split = split;
    this.schema = schema;
    this.reader = reader;
    this.next = split.firstRow;
  }

  /**
   * A cursor of {@code split} at row {@code row} (an index in the file): a parked one if there is,
   * else a new one.
   */
  static RowCursor at(
      FileSplit split, Schema schema, long row, Configuration conf, Counter bytesRead) {
    RowCursor parked;
    synchronized (PARKED) {
      parked = PARKED.remove(key(split, schema, row));
    }
    if (parked != null) {
      return parked;
    }
    RowCursor cursor = open(split, schema, conf, bytesRead);
    while (cursor.next < row) {
      if (cursor.read() == null) {
        cursor.close();
        throw cursor.truncated();
      }
    }
    return cursor;
  }

  private static RowCursor open(
      FileSplit split, Schema schema, Configuration conf, Counter bytesRead) {
    Map<String, Object> constants = new HashMap<>();
    // Partition columns a projection left out are not read either.
    split.partitionValues.forEach(
        (name, value) -> {
          if (schema.hasField(name)) {
            constants.put(name, value);
          }
        });
    constants.put(SourceFields.FILE, split.path);
    BeamInputFile file =
        new BeamInputFile(
            FileSystems.matchNewResource(split.path, false), split.fileLength, bytesRead);
    RowReadSupport support = new RowReadSupport(schema, constants, split.firstRow);
    try {
      ParquetReader<Row> reader =
          new ParquetReader.Builder<Row>(
              split.unknownLogicalTypes ? UnknownLogicalTypes.stripped(file) : file,
              // The shared configuration, whose defaults are parsed once (ParquetReadConfig).
              new HadoopParquetConfiguration(conf)) {
            @Override
            protected ReadSupport<Row> getReadSupport() {
              return support;
            }
          }.withCodecFactory(new ParquetCodecs(conf))
              .withFileRange(split.startByte, split.endByte)
              .build();
      return new RowCursor(split, schema, reader);
    } catch (IOException | RuntimeException | LinkageError e) {
      throw readError(split, split.firstRow, e);
    }
  }

  /** The next row, or null at the end of the split's pages. */
  Row read() {
    try {
      Row row = reader.read();
      if (row != null) {
        next++;
      }
      return row;
    } catch (IOException | RuntimeException | LinkageError e) {
      throw readError(split, next, e);
    }
  }

  /** The index in the file of the row {@link #read} returns next. */
  long position() {
    return next;
  }

  /** Keeps the cursor for the piece that goes on from {@link #position}. */
  void park() {
    if (next >= split.firstRow + split.rowCount) {
      close();
      return;
    }
    synchronized (PARKED) {
      RowCursor previous = PARKED.put(key(split, schema, next), this);
      if (previous != null && previous != this) {
        previous.close();
      }
    }
  }

  /** The error for a split whose pages hold fewer rows than its footer lists. */
  InvalidInputException truncated() {
    long end = split.firstRow + split.rowCount;
    return new InvalidInputException(
        "cannot read "
            + split.path
            + ": its footer lists rows "
            + split.firstRow
            + ".."
            + end
            + " but only "
            + (next - split.firstRow)
            + " could be read");
  }

  static InvalidInputException readError(FileSplit split, long row, Throwable e) {
    // LinkageError too: a codec whose library is missing fails with NoClassDefFoundError, and the
    // user must still learn which file could not be read.
    return new InvalidInputException(
        "cannot read " + split.path + " at row " + row + ": " + ParquetSource.readProblem(e), e);
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      // Nothing was written; a reader that fails to close has nothing left to lose.
    }
  }

  /** A cursor is for one split, one set of columns and one row. */
  private static String key(FileSplit split, Schema schema, long row) {
    return split.path + '\0' + split.firstRow + '\0' + schema.getFieldNames() + '\0' + row;
  }

  /** Closes the parked cursors (tests). */
  static void closeAll() {
    synchronized (PARKED) {
      for (Iterator<RowCursor> it = PARKED.values().iterator(); it.hasNext(); ) {
        it.next().close();
        it.remove();
      }
    }
  }
}
