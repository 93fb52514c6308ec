package io.parquet2dynamo.bookmark;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.Parquet2Dynamo;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.summary.LoadSummary;
import io.parquet2dynamo.summary.Outcome;
import io.parquet2dynamo.summary.StatusFile;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * A run's bookmark as its plan leaves it to the main class: the line that says what it selected,
 * whether there is anything to load at all, and, at the end, the commit, made only when the load
 * {@link Outcome#SUCCEEDED}.
 *
 * <p>Not committed, so that the next run loads the same files again:
 *
 * <ul>
 *   <li>a failed or interrupted load (the main class never calls {@link #afterLoad} for them);
 *   <li>a load whose counts do not reconcile, or whose rejected rows were not kept;
 *   <li>an {@link Outcome#INCOMPLETE} load: some of its items were not confirmed written. Recording
 *       its files would leave those items to {@code --replayDeadLetters} alone, and a table missing
 *       them for good if nobody replays; not recording them makes the next scheduled run write them
 *       again by itself (with the rest of those files' items, which every write mode takes again
 *       safely). The replay stays possible and does no harm;
 *   <li>a dry run, and a run with {@code job-bookmark-pause}.
 * </ul>
 *
 * <p>A commit that loses to another run's ({@link BookmarkConflictException}) or cannot be written
 * ({@link BookmarkCommitException}) turns the summary's outcome into {@link
 * Outcome#BOOKMARK_CONFLICT} (exit 5) or {@link Outcome#BOOKMARK_NOT_SAVED} (exit 6): the items are
 * written, the bookmark is not.
 */
public final class BookmarkCommit {
  private final BookmarkRun run;
  private final String runId;
  private final Map<String, Long> rowsByFile;
  private final boolean dryRun;

  private BookmarkCommit(
      BookmarkRun run, String runId, Map<String, Long> rowsByFile, boolean dryRun) {
    this.run = run;
    this.runId = runId;
    this.rowsByFile = rowsByFile;
    this.dryRun = dryRun;
  }

  /**
   * @param run the run's bookmark, as {@link Bookmarks#start} made it (possibly off)
   * @param runId this run's id, recorded with each file it loads
   * @param rowsByFile the rows of each file to load, from its footer
   * @param dryRun whether the run writes nothing (and so records nothing)
   */
  public static BookmarkCommit of(
      BookmarkRun run, String runId, Map<String, Long> rowsByFile, boolean dryRun) {
    return new BookmarkCommit(run, runId, Map.copyOf(rowsByFile), dryRun);
  }

  /** No bookmark at all: a replay of dead letters, which reads no input files. */
  public static BookmarkCommit none() {
    return new BookmarkCommit(null, null, Map.of(), false);
  }

  /** The run's bookmark, or null for {@link #none()}. */
  public BookmarkRun run() {
    return run;
  }

  private boolean on() {
    return run != null && run.settings().enabled();
  }

  /** The fields the bookmark adds to the summary (none when off). */
  public Map<String, Object> summaryFields() {
    return run == null ? Map.of() : run.summaryFields();
  }

  /** Prints the bookmark's one line ({@link BookmarkRun#describe}), when there is a bookmark. */
  public void announce(PrintStream out) {
    if (on()) {
      out.println(run.describe());
    }
  }

  /** Whether the bookmark left nothing to read: the run stops without a pipeline. */
  public boolean nothingToLoad() {
    return run != null && run.nothingToLoad();
  }

  /**
   * Ends a run that has {@link #nothingToLoad()}: no pipeline, no runner started. Records the
   * bookmark if it has something to record (files gone since), then prints and writes (to {@code
   * --summaryPath}) a summary with every count 0.
   *
   * @return the exit code: 0, or that of a bookmark or summary that could not be written
   */
  public int finishWithoutLoad(
      Map<String, Object> context,
      long startNanos,
      Parquet2DynamoOptions options,
      PrintStream out,
      PrintStream err) {
    StatusFile status = new StatusFile(options.getSummaryPath());
    LoadSummary summary =
        afterLoad(LoadSummary.nothingRead((System.nanoTime() - startNanos) / 1e9, context), out);
    out.println("SUMMARY " + summary.toJson());
    try {
      status.write(summary);
    } catch (IOException | RuntimeException e) {
      err.println(
          "ERROR: cannot write --summaryPath=" + status.path() + ": " + Errors.rootMessage(e));
      return Parquet2Dynamo.LOAD_FAILED;
    }
    if (summary.outcome() != Outcome.SUCCEEDED) {
      err.println("ERROR: " + summary.problem());
    }
    return summary.outcome().exitCode();
  }

  /**
   * Records this run's files in the bookmark if the load succeeded (see the class documentation for
   * when it does not), and says on {@code out} in one line what became of the bookmark.
   *
   * @param summary the completed load's summary
   * @return {@code summary} with the bookmark's fields as they end; its outcome is {@link
   *     Outcome#BOOKMARK_CONFLICT} or {@link Outcome#BOOKMARK_NOT_SAVED} when the commit failed
   */
  public LoadSummary afterLoad(LoadSummary summary, PrintStream out) {
    if (!on()) {
      return summary;
    }
    String path = run.settings().path();
    String notUpdated = "Bookmark " + path + " not updated: ";
    String again =
        run.filesToLoad().isEmpty()
            ? ""
            : ", so the next run loads this run's " + run.filesToLoad().size() + " files again";
    if (summary.outcome() != Outcome.SUCCEEDED) {
      out.println(notUpdated + "the load ended " + summary.outcome() + again);
      return summary;
    }
    if (dryRun) {
      out.println(notUpdated + "a dry run records nothing");
      return summary;
    }
    if (run.settings().mode() == BookmarkSettings.Mode.PAUSED) {
      out.println(notUpdated + "bookmarks are paused (--job-bookmark-option job-bookmark-pause)");
      return summary;
    }
    try {
      boolean written = run.commit(runId, rowsByFile);
      out.println(
          written
              ? "Bookmark "
                  + path
                  + " updated by run "
                  + runId
                  + ": "
                  + run.filesToLoad().size()
                  + " files recorded"
                  + (run.filesGone().isEmpty()
                      ? ""
                      : ", " + run.filesGone().size() + " gone files forgotten")
              : "Bookmark " + path + " unchanged: nothing new to record");
      return summary.withField("bookmark", run.summaryFields().get("bookmark"));
    } catch (BookmarkConflictException e) {
      return summary.bookmarkNotUpdated(Outcome.BOOKMARK_CONFLICT, e.getMessage());
    } catch (BookmarkCommitException e) {
      return summary.bookmarkNotUpdated(Outcome.BOOKMARK_NOT_SAVED, e.getMessage());
    }
  }
}
