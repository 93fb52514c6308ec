package io.parquet2dynamo.transform;

/** A row the mapping cannot transform: it goes to the dead letters as TRANSFORM_ERROR. */
public class TransformException extends Exception {
  private static final long serialVersionUID = 1L;

  public TransformException(String message) {
    super(message);
  }
}
