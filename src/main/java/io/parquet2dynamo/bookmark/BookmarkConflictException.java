package io.parquet2dynamo.bookmark;

/**
 * Another run replaced (or deleted) the bookmark after this run read it: two runs shared one
 * bookmark at the same time. The first to commit wins; this one's commit is refused rather than
 * overwriting what the other recorded.
 */
public final class BookmarkConflictException extends BookmarkCommitException {
  private static final long serialVersionUID = 1L;

  public BookmarkConflictException(String message) {
    super(message, null);
  }
}
