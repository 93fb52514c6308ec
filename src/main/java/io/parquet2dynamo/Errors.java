package io.parquet2dynamo;

/** Error messages for humans: the innermost cause usually says what actually went wrong. */
public final class Errors {
  private Errors() {}

  public static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      message = root.getClass().getSimpleName();
    }
    // The AWS SDK appends request ids on further lines; keep the first.
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
