package io.parquet2dynamo.transform;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.summary.LoadMetrics;
import java.lang.reflect.InvocationTargetException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * The extension point ({@code --transformClass}): a user's own {@code PTransform<PCollection<Row>,
 * PCollection<Row>>}, found by class name on the class path and made with its public no-argument
 * constructor, applied after the mapping file. The output must have a schema (Beam's {@code
 * setRowSchema}). Rows in and out are counted, and the difference counts as {@code rowsFiltered} so
 * the summary still reconciles (a transform that adds rows makes it negative).
 */
public final class UserTransform extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final PTransform<PCollection<Row>, PCollection<Row>> transform;

  private UserTransform(PTransform<PCollection<Row>, PCollection<Row>> transform) {
    this.transform = transform;
  }

  /**
   * Loads and makes the class.
   *
   * @throws InvalidInputException when it is missing, not a row transform, or cannot be made
   */
  @SuppressWarnings("unchecked")
  public static UserTransform load(String className) {
    Class<?> type;
    try {
      type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException e) {
      throw new InvalidInputException(
          "--transformClass: class " + className + " is not on the class path");
    }
    if (!PTransform.class.isAssignableFrom(type)) {
      throw new InvalidInputException(
          "--transformClass: "
              + className
              + " is not a PTransform<PCollection<Row>, PCollection<Row>>");
    }
    try {
      return new UserTransform(
          (PTransform<PCollection<Row>, PCollection<Row>>) type.getConstructor().newInstance());
    } catch (NoSuchMethodException e) {
      throw new InvalidInputException(
          "--transformClass: " + className + " needs a public constructor without arguments");
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new InvalidInputException(
          "--transformClass: cannot make " + className + ": " + e.getCause(), e);
    }
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    PCollection<Row> out =
        rows.apply("CountIn", ParDo.of(new CountFn(1)))
            .setRowSchema(rows.getSchema())
            .apply("UserTransform", transform);
    if (!out.hasSchema()) {
      throw new InvalidInputException(
          "--transformClass: "
              + transform.getClass().getName()
              + "'s output has no schema; "
              + "call setRowSchema on it");
    }
    return out.apply("CountOut", ParDo.of(new CountFn(-1))).setRowSchema(out.getSchema());
  }

  /**
   * Counts rows into {@code rowsFiltered} ({@code +1}) on the way in and out of it ({@code -1}) on
   * the way out, as the SQL step does: what the transform does not pass on stays counted.
   */
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
