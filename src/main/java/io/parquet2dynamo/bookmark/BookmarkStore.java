package io.parquet2dynamo.bookmark;

import java.io.IOException;

/**
 * Where a bookmark lives: a local file or an {@code s3://} object. Every write is a whole new file
 * or object, never a partial one, and a replace is conditional on the state being still the one
 * read.
 */
interface BookmarkStore extends AutoCloseable {

  /** What was read: the bytes, or none when there is no state yet, and the version token. */
  final class Snapshot {
    /** The content, or null when there was no state. */
    final byte[] content;

    /** The S3 ETag (quoted, as S3 sends it), or null for a local file or no state. */
    final String etag;

    Snapshot(byte[] content, String etag) {
      this.content = content;
      this.etag = etag;
    }

    static Snapshot absent() {
      return new Snapshot(null, null);
    }

    boolean exists() {
      return content != null;
    }
  }

  /** The location, as the user gave it. */
  String path();

  /** Reads the state. */
  Snapshot read() throws IOException;

  /**
   * Fails now, before any work, when the state clearly cannot be written later (a local directory
   * that cannot be created or written). S3 cannot say without writing, so it does nothing.
   */
  void checkWritable() throws IOException;

  /**
   * Replaces the state with {@code content} if it is still what {@code expected} says.
   *
   * @throws StateChanged when it changed (or appeared, or was deleted) since
   * @throws IOException when it cannot be written
   */
  void replace(Snapshot expected, byte[] content) throws IOException, StateChanged;

  /** The state is no longer the one read: another run replaced, created or deleted it. */
  final class StateChanged extends Exception {
    private static final long serialVersionUID = 1L;

    /** E.g. "was replaced", "was created", "was deleted". */
    StateChanged(String how) {
      super(how);
    }
  }

  /** Writes {@code content} as a new file or object named {@code path() + suffix}; returns it. */
  String writeBeside(String suffix, byte[] content) throws IOException;

  @Override
  void close();
}
