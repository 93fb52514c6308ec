package io.parquet2dynamo;

/**
 * A problem with what the user gave us (options, input files, table), described in one line that
 * says what is wrong and what to do. The entry point prints its message without a stack trace.
 */
public class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
