package io.parquet2dynamo.bookmark;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.source.InputFiles;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's view of its bookmark: which files to load, which were skipped or are gone, and, after a
 * successful load, {@link #commit}. Made by {@link Bookmarks#start}; see the package documentation
 * for the call sequence.
 */
public final class BookmarkRun {
  private static final Logger LOG = LoggerFactory.getLogger(BookmarkRun.class);

  private final BookmarkSettings settings;
  private final BookmarkStore.Snapshot read;
  private final BookmarkState previous;
  private final ItemShape shape;
  private final Selection selection;
  private final List<String> warnings;
  private boolean committed;

  BookmarkRun(
      BookmarkSettings settings,
      BookmarkStore.Snapshot read,
      BookmarkState previous,
      ItemShape shape,
      Selection selection,
      List<String> warnings) {
    this.settings = settings;
    this.read = read;
    this.previous = previous;
    this.shape = shape;
    this.selection = selection;
    this.warnings = Collections.unmodifiableList(warnings);
  }

  /** The settings this run was started with. */
  public BookmarkSettings settings() {
    return settings;
  }

  /**
   * The files to read this run, sorted by path: new and changed ones (all listed files when
   * bookmarks are off), within {@code --maxFilesPerRun} / {@code --maxBytesPerRun}.
   */
  public List<InputFiles.Match> filesToLoad() {
    return selection.toLoad;
  }

  /** Listed files the bookmark says were loaded and have not changed since. */
  public List<InputFiles.Match> filesSkipped() {
    return selection.skipped;
  }

  /** Paths the bookmark names that are no longer listed. Nothing is deleted for them. */
  public List<String> filesGone() {
    return selection.gone;
  }

  /**
   * New or changed files left for later runs by {@code --maxFilesPerRun} / {@code
   * --maxBytesPerRun}.
   */
  public List<InputFiles.Match> filesPending() {
    return selection.deferred;
  }

  /** Whether there is nothing to read: the run can stop here, successfully. */
  public boolean nothingToLoad() {
    return selection.toLoad.isEmpty();
  }

  /** The run that last updated the bookmark, or null (no bookmark yet, reset, or off). */
  public String previousRunId() {
    return previous == null ? null : previous.lastRunId;
  }

  /** Warnings for the user, one line each: options that differ from the bookmark's, and such. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * One line saying what the bookmark selected, e.g. {@code Bookmark s3://t/b.json (previous run R
   * at T): 3 files to load (2 new, 1 changed), 40 unchanged skipped, 1 gone, 100 left for later
   * runs}; when there is nothing to load it says so, and that the run stops.
   */
  public String describe() {
    if (settings.mode() == BookmarkSettings.Mode.OFF) {
      return "No bookmark: loading all " + selection.toLoad.size() + " files";
    }
    StringBuilder s = new StringBuilder("Bookmark ").append(settings.path());
    if (settings.mode() == BookmarkSettings.Mode.PAUSED) {
      s.append(" (paused: read, not updated)");
    }
    if (settings.reset()) {
      s.append(" (reset: starting over)");
    } else if (previous == null) {
      s.append(" (new)");
    } else {
      s.append(" (previous run ")
          .append(previous.lastRunId)
          .append(" at ")
          .append(previous.lastRunTime)
          .append(")");
    }
    s.append(": ");
    if (nothingToLoad()) {
      s.append("nothing new to load, so this run reads nothing and stops here; ");
    } else {
      s.append(selection.toLoad.size())
          .append(" files to load (")
          .append(selection.newFiles)
          .append(" new, ")
          .append(selection.changedFiles)
          .append(" changed), ");
    }
    s.append(selection.skipped.size()).append(" unchanged skipped");
    if (!selection.gone.isEmpty()) {
      s.append(", ").append(selection.gone.size()).append(" gone");
    }
    if (!selection.deferred.isEmpty()) {
      s.append(", ").append(selection.deferred.size()).append(" left for later runs");
    }
    return s.toString();
  }

  /**
   * The fields this run adds to the summary: {@code filesLoaded}, {@code filesSkipped}, {@code
   * filesGone}, {@code filesPending} (counts) and {@code bookmark} ({@code path}, {@code mode},
   * {@code previousRunId}, {@code previousRunTime}, {@code newFiles}, {@code changedFiles}, {@code
   * reset}, and {@code updated}: whether this run has written it, so far). Empty when bookmarks are
   * off.
   */
  public Map<String, Object> summaryFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    if (settings.mode() == BookmarkSettings.Mode.OFF) {
      return fields;
    }
    fields.put("filesLoaded", selection.toLoad.size());
    fields.put("filesSkipped", selection.skipped.size());
    fields.put("filesGone", selection.gone.size());
    fields.put("filesPending", selection.deferred.size());
    Map<String, Object> bookmark = new LinkedHashMap<>();
    bookmark.put("path", settings.path());
    bookmark.put("mode", settings.mode() == BookmarkSettings.Mode.PAUSED ? "pause" : "enable");
    bookmark.put("previousRunId", previousRunId());
    bookmark.put("previousRunTime", previous == null ? null : previous.lastRunTime);
    bookmark.put("newFiles", selection.newFiles);
    bookmark.put("changedFiles", selection.changedFiles);
    if (settings.reset()) {
      bookmark.put("reset", true);
    }
    bookmark.put("updated", committed);
    fields.put("bookmark", bookmark);
    return fields;
  }

  /**
   * Records this run's files, once the load has completed and reconciled. Never call it for a
   * failed, killed or non-reconciling run, nor for a dry run: the bookmark then stays as it was,
   * and the next run loads the same files again.
   *
   * <p>Writes a whole new state (previous files, minus those gone, plus this run's), atomically,
   * and only if the bookmark is still the one this run read. With {@code --bookmarkReset} the old
   * state is first kept as {@code <bookmark>.reset-<runId>}. Does nothing (and returns false) when
   * bookmarks are off or paused, or when there is nothing to record (nothing loaded, nothing gone,
   * no reset, and a bookmark already there).
   *
   * @param runId this run's id, recorded with each file it loaded
   * @param rowsByFile the rows of each loaded file (from its footer), by path: every file of {@link
   *     #filesToLoad()} must be there
   * @return whether the bookmark was written
   * @throws BookmarkConflictException when another run changed the bookmark since this run read it
   * @throws BookmarkCommitException when it cannot be written
   */
  public synchronized boolean commit(String runId, Map<String, Long> rowsByFile) {
    if (committed) {
      throw new IllegalStateException("this run's bookmark was already committed");
    }
    if (settings.mode() != BookmarkSettings.Mode.ENABLED) {
      if (settings.mode() == BookmarkSettings.Mode.PAUSED) {
        LOG.info("Bookmark {} not updated: bookmarks are paused", settings.path());
      }
      return false;
    }
    for (InputFiles.Match m : selection.toLoad) {
      if (!rowsByFile.containsKey(m.path)) {
        throw new IllegalArgumentException("no row count for " + m.path);
      }
    }
    if (read.exists()
        && !settings.reset()
        && selection.toLoad.isEmpty()
        && selection.gone.isEmpty()) {
      return false;
    }
    BookmarkState next = new BookmarkState();
    next.formatVersion = BookmarkState.FORMAT_VERSION;
    next.inputPath = settings.inputPatterns();
    next.table = settings.table();
    next.itemShape = shape;
    next.lastRunId = runId;
    next.lastRunTime = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    next.files = new TreeMap<>();
    if (previous != null) {
      next.files.putAll(previous.files);
      selection.gone.forEach(next.files::remove);
    }
    for (InputFiles.Match m : selection.toLoad) {
      BookmarkState.FileEntry entry = new BookmarkState.FileEntry();
      entry.size = m.sizeBytes;
      entry.etag = m.etag;
      entry.lastModified = m.lastModified == null ? null : m.lastModified.toString();
      entry.rows = rowsByFile.get(m.path);
      entry.runId = runId;
      next.files.put(m.path, entry);
    }
    try (BookmarkStore store = settings.openStore()) {
      if (settings.reset() && read.exists()) {
        String copy = store.writeBeside(".reset-" + runId, read.content);
        LOG.info("Kept the bookmark as it was before --bookmarkReset in {}", copy);
      }
      store.replace(read, next.toJson());
    } catch (BookmarkStore.StateChanged e) {
      throw new BookmarkConflictException(conflictMessage(e.getMessage()));
    } catch (IOException | RuntimeException e) {
      throw new BookmarkCommitException(
          "cannot update the bookmark "
              + settings.path()
              + ": "
              + Errors.rootMessage(e)
              + "; this run's items are written, and the next run loads its files again",
          e);
    }
    committed = true;
    LOG.info(
        "Bookmark {} updated by run {}: {} files recorded ({} loaded now)",
        settings.path(),
        runId,
        next.files.size(),
        selection.toLoad.size());
    return true;
  }

  private String conflictMessage(String how) {
    String by = "";
    try (BookmarkStore store = settings.openStore()) {
      BookmarkStore.Snapshot now = store.read();
      if (now.exists()) {
        by = " by run " + BookmarkState.parse(now.content).lastRunId;
      }
    } catch (IOException | BookmarkState.Unusable | RuntimeException e) {
      // Only to name the other run; the conflict is what matters.
    }
    return "the bookmark "
        + settings.path()
        + " "
        + how
        + by
        + " after this run read it (two runs share it): this run's items are written but its"
        + " bookmark is not, so the next run loads this run's files again";
  }
}
