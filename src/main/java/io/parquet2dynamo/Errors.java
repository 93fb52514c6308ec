package io.parquet2dynamo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Error messages for humans, and the one place that walks an exception's cause chain: the innermost
 * cause usually says what actually went wrong, and an error the job raised itself ({@link
 * InvalidInputException}) says it best of all.
 */
public final class Errors {
  private Errors() {}

  /** {@code t} and its causes, outermost first; a cause that repeats ends the chain. */
  public static List<Throwable> causes(Throwable t) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
      chain.add(c);
    }
    return chain;
  }

  /** The innermost cause of {@code t}. */
  public static Throwable root(Throwable t) {
    List<Throwable> chain = causes(t);
    return chain.get(chain.size() - 1);
  }

  /** The outermost cause of {@code t} (itself included) of {@code type}, if any. */
  public static <T extends Throwable> Optional<T> find(Throwable t, Class<T> type) {
    return causes(t).stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** The first line of the innermost cause's message, or its class name if it has none. */
  public static String rootMessage(Throwable t) {
    return firstLine(root(t));
  }

  /**
   * The message of the outermost error the job raised itself ({@link InvalidInputException}), which
   * names the file, option or table with the most context; else the root cause's.
   */
  public static String ownMessage(Throwable t) {
    return find(t, InvalidInputException.class)
        .map(Throwable::getMessage)
        .orElseGet(() -> rootMessage(t));
  }

  private static String firstLine(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      message = t.getClass().getSimpleName();
    }
    // The AWS SDK appends request ids on further lines; keep the first.
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
