package io.parquet2dynamo.transform;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * The user's transformation of the rows read (select, rename, cast, filter, derive, join) before
 * they become items. Rows the transformation filters out must be counted as {@code rowsFiltered}.
 * For now it passes rows through unchanged; declared transforms arrive with the mapping file.
 */
public class TransformRows extends PTransform<PCollection<Row>, PCollection<Row>> {
  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    return rows;
  }
}
