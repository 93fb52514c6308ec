package io.parquet2dynamo.transform;

import io.parquet2dynamo.InvalidInputException;
import java.lang.reflect.InvocationTargetException;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * The extension point ({@code --transformClass}): a user's own {@code PTransform<PCollection<Row>,
 * PCollection<Row>>}, found by class name on the class path and made with its public no-argument
 * constructor, applied after the mapping file. The output must have a schema (Beam's {@code
 * setRowSchema}). The rows it drops count as {@code rowsFiltered} ({@link CountFiltered}), so the
 * summary still reconciles (a transform that adds rows makes the count negative).
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
    return rows.apply(
        CountFiltered.around(PTransform.compose("UserTransform", this::applyChecked)));
  }

  private PCollection<Row> applyChecked(PCollection<Row> rows) {
    PCollection<Row> out = rows.apply(transform.getName(), transform);
    if (!out.hasSchema()) {
      throw new InvalidInputException(
          "--transformClass: "
              + transform.getClass().getName()
              + "'s output has no schema; "
              + "call setRowSchema on it");
    }
    return out;
  }
}
