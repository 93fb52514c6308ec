package io.parquet2dynamo.transform;

import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.deadletter.RejectReason;
import io.parquet2dynamo.summary.LoadMetrics;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The user's transformation of the rows read, declared in the mapping file ({@link Mapping}):
 * filter, derive, cast, select, rename. Rows the filter drops count as {@code rowsFiltered}; a row
 * whose cast or expression fails goes to the dead letters as {@code TRANSFORM_ERROR}. Every input
 * row leaves exactly once: transformed, filtered, or rejected.
 */
public class TransformRows extends PTransform<PCollection<Row>, PCollectionTuple> {
  /** The transformed rows, in {@link Mapping#outputSchema()}. */
  public static final TupleTag<Row> ROWS = new TupleTag<>() {};

  /** Dead letters of rows that could not be transformed. */
  public static final TupleTag<DeadLetter> REJECTED = new TupleTag<>() {};

  private final Mapping mapping;

  /**
   * @param mapping the compiled mapping, or null to pass rows through unchanged
   */
  public TransformRows(Mapping mapping) {
    this.mapping = mapping;
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> rows) {
    if (mapping == null || mapping.isIdentity()) {
      return PCollectionTuple.of(ROWS, rows)
          .and(
              REJECTED,
              rows.getPipeline()
                  .apply(
                      "NoRejections",
                      org.apache.beam.sdk.transforms.Create.empty(DeadLetter.coder())));
    }
    PCollectionTuple out =
        rows.apply(
            "ApplyMapping",
            ParDo.of(new MapFn(mapping)).withOutputTags(ROWS, TupleTagList.of(REJECTED)));
    out.get(ROWS).setRowSchema(mapping.outputSchema());
    out.get(REJECTED).setCoder(DeadLetter.coder());
    return out;
  }

  static final class MapFn extends DoFn<Row, Row> {
    private final Mapping mapping;
    private final Counter filtered = LoadMetrics.counter(LoadMetrics.ROWS_FILTERED);
    private final Counter rejected = LoadMetrics.counter(LoadMetrics.ROWS_REJECTED);
    private final Counter transformErrors = LoadMetrics.rejected(RejectReason.TRANSFORM_ERROR);

    MapFn(Mapping mapping) {
      this.mapping = mapping;
    }

    @ProcessElement
    public void process(@Element Row row, MultiOutputReceiver out) {
      Row result;
      try {
        result = mapping.apply(row);
      } catch (TransformException e) {
        rejected.inc();
        transformErrors.inc();
        out.get(REJECTED)
            .output(DeadLetter.ofRow(RejectReason.TRANSFORM_ERROR, e.getMessage(), row));
        return;
      }
      if (result == null) {
        filtered.inc();
      } else {
        out.get(ROWS).output(result);
      }
    }
  }
}
