package io.parquet2dynamo.summary;

/**
 * How a load ended, from its counts (or from a signal that stopped it): the summary's {@code
 * status} and the exit code, decided in one place so the two always agree.
 */
public enum Outcome {
  /** Every row is accounted for and every item was written (or sampled, in a dry run). */
  SUCCEEDED(0),
  /**
   * Every row is accounted for and kept, but some items were not confirmed written ({@code
   * WRITE_FAILED}, {@code WRITE_UNCONFIRMED}): an outage outlasted the retries. The dead letters
   * hold them; {@code --replayDeadLetters} re-sends them.
   */
  INCOMPLETE(4),
  /** Rows were rejected and no {@code --deadLetterPath} keeps them. */
  ROWS_NOT_KEPT(3),
  /** The counts do not add up: some rows are unaccounted for. */
  NOT_RECONCILED(3),
  /**
   * The load was stopped by SIGTERM or SIGINT before its end ({@link GracefulStop}): the counts are
   * those so far; a re-run completes it.
   */
  INTERRUPTED(GracefulStop.EXIT_CODE),
  /**
   * The load succeeded, but another run updated the bookmark after this run read it (two runs share
   * it): this run's items are written, its files are not recorded, so the next run loads them again
   * (safe in every write mode). See {@code io.parquet2dynamo.bookmark}.
   */
  BOOKMARK_CONFLICT(5),
  /**
   * The load succeeded, but its bookmark could not be written (access denied, a network error): as
   * with {@link #BOOKMARK_CONFLICT}, the items are written and the next run loads the files again.
   */
  BOOKMARK_NOT_SAVED(6),
  /**
   * With {@code --writeMode=import}: the items were exported, but ImportTable refused the import or
   * ended it FAILED or CANCELLED: the load failed (exit code 1, as a load that fails while
   * running). The export's files are kept; the summary says why, in ImportTable's words.
   */
  IMPORT_FAILED(1);

  private final int exitCode;

  Outcome(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
