package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.testing.ParquetFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn.OutputReceiver;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Tests the reader's splittable DoFn directly, as a runner drives it: what it holds before handing
 * rows on, and that a checkpoint part way through a row group loses and repeats no row.
 */
public class ReadRowsFnTest {
  private static final int ROWS = 1000;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** One file, one row group of {@link #ROWS} rows with ids 0..ROWS-1. */
  private ParquetDataset oneRowGroup() throws Exception {
    Schema schema = SchemaBuilder.record("r").fields().requiredLong("id").endRecord();
    List<GenericRecord> records = new ArrayList<>();
    for (long i = 0; i < ROWS; i++) {
      GenericRecord r = new GenericData.Record(schema);
      r.put("id", i);
      records.add(r);
    }
    Path file = tmp.getRoot().toPath().resolve("one-group.parquet");
    ParquetFiles.write(file, schema, records);
    ParquetDataset dataset = ParquetDataset.scan(file.toString());
    assertEquals("the test needs a single split", 1, dataset.splits().size());
    return dataset;
  }

  /** Records the batches handed on, and what the tracker had claimed when each was. */
  private static final class Batches implements OutputReceiver<List<Row>> {
    final List<List<Row>> batches = new ArrayList<>();
    final List<Long> claimedWhenHandedOn = new ArrayList<>();
    final OffsetRangeTracker tracker;
    Runnable afterFirst = () -> {};

    /** Receives the batches of the rows in {@code range}, claimed through its own tracker. */
    Batches(OffsetRange range) {
      tracker = new OffsetRangeTracker(range);
    }

    @Override
    public void output(List<Row> batch) {
      batches.add(batch);
      claimedWhenHandedOn.add(lastClaimed(tracker));
      if (batches.size() == 1) {
        afterFirst.run();
      }
    }

    @Override
    public void outputWithTimestamp(List<Row> batch, Instant timestamp) {
      output(batch);
    }

    List<Long> ids() {
      List<Long> ids = new ArrayList<>();
      for (List<Row> b : batches) {
        for (Row r : b) {
          ids.add(r.getInt64("id"));
        }
      }
      return ids;
    }
  }

  /** The reader of {@code dataset}'s rows as the load reads them, set up. */
  private static ParquetSource.ReadRowsFn readRows(ParquetDataset dataset) {
    ParquetSource.ReadRowsFn fn =
        new ParquetSource.ReadRowsFn(
            dataset.schema(), "test_rows", 0, ParquetSource.ROWS_PER_BATCH);
    fn.setup();
    return fn;
  }

  private static long lastClaimed(OffsetRangeTracker tracker) {
    // OffsetRangeTracker counts completed work as the last claimed offset less the range's start.
    return tracker.currentRestriction().getFrom() + (long) tracker.getProgress().getWorkCompleted();
  }

  @Test
  public void handsRowsOnInBatchesLongBeforeTheRowGroupEnds() throws Exception {
    ParquetDataset dataset = oneRowGroup();
    FileSplit split = dataset.splits().get(0);
    ParquetSource.ReadRowsFn fn = readRows(dataset);
    Batches out = new Batches(fn.rows(split));

    fn.process(split, out.tracker, out);

    assertEquals(ROWS, out.ids().size());
    for (List<Row> batch : out.batches) {
      assertTrue(batch.size() <= ParquetSource.ROWS_PER_BATCH);
    }
    // The first batch left the reader when only its own rows were claimed: the reader holds a
    // batch, not a row group, whatever the row group's size.
    assertEquals(ParquetSource.ROWS_PER_BATCH - 1, (long) out.claimedWhenHandedOn.get(0));
    assertEquals(ROWS - 1, (long) out.claimedWhenHandedOn.get(out.batches.size() - 1));
  }

  @Test
  public void aCheckpointPartWayLosesAndRepeatsNoRow() throws Exception {
    ParquetDataset dataset = oneRowGroup();
    FileSplit split = dataset.splits().get(0);
    ParquetSource.ReadRowsFn fn = readRows(dataset);

    Batches first = new Batches(fn.rows(split));
    List<SplitResult<OffsetRange>> residual = new ArrayList<>();
    // The runner checkpoints as the DirectRunner does: from its own thread, while a batch is out.
    first.afterFirst = () -> residual.add(first.tracker.trySplit(0));
    fn.process(split, first.tracker, first);

    assertEquals(1, residual.size());
    assertNotNull(residual.get(0));
    OffsetRange rest = residual.get(0).getResidual();
    assertEquals(ParquetSource.ROWS_PER_BATCH, rest.getFrom());
    assertEquals(ParquetSource.ROWS_PER_BATCH, first.ids().size());

    Batches second = new Batches(rest);
    fn.process(split, second.tracker, second);

    List<Long> all = new ArrayList<>(first.ids());
    all.addAll(second.ids());
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < ROWS; i++) {
      expected.add(i);
    }
    assertEquals(expected, all);
  }
}
