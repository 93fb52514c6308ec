package io.parquet2dynamo.bookmark;

/**
 * A bookmark could not be replaced after the load: the load's items are written, the bookmark still
 * names the files it named before, so the next run loads this run's files again (which is safe: see
 * docs/RECURRING.md). The message is one line, for the user.
 */
public class BookmarkCommitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BookmarkCommitException(String message, Throwable cause) {
    super(message, cause);
  }
}
