package io.parquet2dynamo.source;

import java.util.function.Consumer;
import org.apache.beam.sdk.values.Row;

/**
 * Reads Parquet files with the job's own reader ({@link RowCursor}, as {@link
 * ParquetSource.ReadRowsFn} uses it) outside a pipeline, handing over each row as it is read: for
 * rows too large to keep several of, as a pipeline would.
 */
public final class ReadEachRow {
  private ReadEachRow() {}

  /** Reads every row of {@code inputPath} (as {@code --inputPath}); returns how many. */
  public static long of(String inputPath, Consumer<Row> each) {
    ParquetDataset dataset = ParquetDataset.scan(inputPath);
    long rows = 0;
    for (FileSplit split : dataset.splits()) {
      try (RowCursor cursor =
          RowCursor.at(
              split,
              dataset.schema(),
              split.firstRow,
              ParquetReadConfig.hadoopConfiguration(),
              null)) {
        for (long r = 0; r < split.rowCount; r++) {
          Row row = cursor.read();
          if (row == null) {
            throw cursor.truncated();
          }
          rows++;
          each.accept(row);
        }
      }
    }
    return rows;
  }
}
