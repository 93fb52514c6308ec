package io.parquet2dynamo.bookmark;

import io.parquet2dynamo.source.InputFiles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which listed files a run loads, given what the bookmark says was loaded. Pure: no I/O.
 *
 * <ul>
 *   <li><b>new</b>: not in the bookmark.
 *   <li><b>changed</b>: in the bookmark with another size, or (an {@code s3://} file) another ETag,
 *       or (a local file) another modification time; also when the two sides cannot be compared
 *       (one has an ETag, the other not), since loading again is safe and skipping is not.
 *   <li><b>unchanged</b>: skipped. An S3 object uploaded again with the same content keeps its ETag
 *       and stays skipped.
 *   <li><b>gone</b>: in the bookmark, not listed any more. Reported; nothing is deleted.
 * </ul>
 *
 * <p>New and changed files are <b>pending</b>. With {@code maxFiles} or {@code maxBytes}, a run
 * takes a slice of them, <b>oldest first</b>: by last-modified time, then by path (files whose time
 * is unknown come last), so a backlog drains in the order it arrived and a file is never overtaken
 * forever by newer ones. The slice stops at the first file that does not fit; it always holds at
 * least one file, so a file larger than {@code maxBytes} is loaded alone rather than never. What
 * the slice leaves is <b>deferred</b> to later runs.
 */
final class Selection {
  /** Oldest first: last-modified time, unknown last, then path. */
  static final Comparator<InputFiles.Match> OLDEST_FIRST =
      Comparator.comparing(
              (InputFiles.Match m) -> m.lastModified,
              Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
          .thenComparing(m -> m.path);

  /** Files to load in this run, sorted by path (the order the reader reads them in). */
  final List<InputFiles.Match> toLoad;

  final int newFiles;
  final int changedFiles;
  final List<InputFiles.Match> skipped;
  final List<String> gone;
  final List<InputFiles.Match> deferred;

  private Selection(
      List<InputFiles.Match> toLoad,
      int newFiles,
      int changedFiles,
      List<InputFiles.Match> skipped,
      List<String> gone,
      List<InputFiles.Match> deferred) {
    this.toLoad = toLoad;
    this.newFiles = newFiles;
    this.changedFiles = changedFiles;
    this.skipped = skipped;
    this.gone = gone;
    this.deferred = deferred;
  }

  /**
   * Selects from {@code listed} given the bookmark's {@code loaded} files.
   *
   * @param maxFiles at most this many files, or null for no limit
   * @param maxBytes at most this many bytes in all (but at least one file), or null for no limit
   */
  static Selection of(
      List<InputFiles.Match> listed,
      Map<String, BookmarkState.FileEntry> loaded,
      Integer maxFiles,
      Long maxBytes) {
    List<InputFiles.Match> pending = new ArrayList<>();
    List<InputFiles.Match> skipped = new ArrayList<>();
    Set<String> listedPaths = new TreeSet<>();
    for (InputFiles.Match m : listed) {
      listedPaths.add(m.path);
      BookmarkState.FileEntry entry = loaded.get(m.path);
      if (entry == null) {
        pending.add(m);
      } else if (changed(entry, m)) {
        pending.add(m);
      } else {
        skipped.add(m);
      }
    }
    List<String> gone = new ArrayList<>();
    for (String path : new TreeSet<>(loaded.keySet())) {
      if (!listedPaths.contains(path)) {
        gone.add(path);
      }
    }
    pending.sort(OLDEST_FIRST);
    List<InputFiles.Match> toLoad = new ArrayList<>();
    List<InputFiles.Match> deferred = new ArrayList<>();
    long bytes = 0;
    int newTaken = 0;
    for (InputFiles.Match m : pending) {
      boolean full =
          !deferred.isEmpty()
              || (maxFiles != null && toLoad.size() >= maxFiles)
              || (maxBytes != null && !toLoad.isEmpty() && bytes + m.sizeBytes > maxBytes);
      if (full) {
        deferred.add(m);
      } else {
        toLoad.add(m);
        bytes += m.sizeBytes;
        newTaken += loaded.containsKey(m.path) ? 0 : 1;
      }
    }
    toLoad.sort(Comparator.comparing(m -> m.path));
    skipped.sort(Comparator.comparing(m -> m.path));
    return new Selection(toLoad, newTaken, toLoad.size() - newTaken, skipped, gone, deferred);
  }

  /** Whether a listed file differs from the version the bookmark recorded. */
  static boolean changed(BookmarkState.FileEntry entry, InputFiles.Match listed) {
    if (entry.size == null || entry.size != listed.sizeBytes) {
      return true;
    }
    if (entry.etag != null || listed.etag != null) {
      // S3: the ETag says whether the content is the same; its time says only when it was put.
      return !Objects.equals(entry.etag, listed.etag);
    }
    if (entry.lastModified == null || listed.lastModified == null) {
      return true;
    }
    try {
      return !Instant.parse(entry.lastModified).equals(listed.lastModified);
    } catch (java.time.format.DateTimeParseException e) {
      return true;
    }
  }
}
