package io.parquet2dynamo.source;

import io.parquet2dynamo.summary.LoadMetrics;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Reads Parquet files with the job's own reader ({@link ParquetSource.ReadSplitFn}) outside a
 * pipeline, handing over each row as it is read: for rows too large to keep several of, as a
 * pipeline would.
 */
public final class ReadEachRow {
  private ReadEachRow() {}

  /** Reads every row of {@code inputPath} (as {@code --inputPath}); returns how many. */
  public static long of(String inputPath, Consumer<Row> each) {
    ParquetDataset dataset = ParquetDataset.scan(inputPath);
    ParquetSource.ReadSplitFn read =
        new ParquetSource.ReadSplitFn(dataset.schema(), LoadMetrics.ROWS_READ);
    read.setup();
    long[] rows = {0};
    DoFn.OutputReceiver<Row> out =
        new DoFn.OutputReceiver<>() {
          @Override
          public void output(Row row) {
            rows[0]++;
            each.accept(row);
          }

          @Override
          public void outputWithTimestamp(Row row, Instant timestamp) {
            output(row);
          }
        };
    for (FileSplit split : dataset.splits()) {
      read.process(split, out);
    }
    return rows[0];
  }
}
