package io.parquet2dynamo.transform;

import io.parquet2dynamo.summary.LoadMetrics;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Wraps a row transform that may drop rows and counts the rows it drops as {@code rowsFiltered}:
 * each row going in adds one, each row coming out takes one away.
 *
 * <p>Why around the transform rather than where a row is dropped: the rows are dropped where no
 * counter of ours can be put (in the code Beam SQL generates for a WHERE, in a user's {@code
 * --transformClass}, in the join of a bucket of a shuffle), and rows in minus rows out is exactly
 * the dropped rows whatever the transform does inside, so the summary reconciles (every row read
 * ends written, filtered, a duplicate or rejected) without knowing it. A transform that adds rows
 * makes the count negative, which keeps the reconciliation true. The two halves run in different
 * steps, so while a load runs the count is ahead by the rows inside the transform; the committed
 * values at the end are exact.
 */
public final class CountFiltered extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final PTransform<PCollection<Row>, PCollection<Row>> transform;

  private CountFiltered(PTransform<PCollection<Row>, PCollection<Row>> transform) {
    this.transform = transform;
  }

  /** The transform, applied under its own name, with the rows it drops counted. */
  public static CountFiltered around(PTransform<PCollection<Row>, PCollection<Row>> transform) {
    return new CountFiltered(transform);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    PCollection<Row> out =
        rows.apply("CountIn", ParDo.of(new CountFn(1)))
            .setCoder(rows.getCoder())
            .apply(transform.getName(), transform);
    return out.apply("CountOut", ParDo.of(new CountFn(-1))).setCoder(out.getCoder());
  }

  /** Adds {@code step} to {@code rowsFiltered} for each row, and passes it on. */
  static final class CountFn extends DoFn<Row, Row> {
    private final Counter filtered = LoadMetrics.counter(LoadMetrics.ROWS_FILTERED);
    private final int step;

    CountFn(int step) {
      this.step = step;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      filtered.inc(step);
      out.output(row);
    }
  }
}
