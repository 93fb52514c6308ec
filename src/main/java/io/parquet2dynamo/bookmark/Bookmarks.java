package io.parquet2dynamo.bookmark;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.source.InputFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a run's bookmark: {@link #start}. See the package documentation. */
public final class Bookmarks {
  private Bookmarks() {}

  /**
   * Reads and checks the bookmark and selects the files to load. With bookmarks off, every listed
   * file is loaded and nothing is read.
   *
   * @param listed the input files, as {@link InputFiles#resolve(String,
   *     org.apache.beam.sdk.options.PipelineOptions)} lists them (so that s3:// files carry their
   *     ETag)
   * @param shape the options that shape items, {@link ItemShape#of}; may be null when off
   * @throws InvalidInputException when the bookmark cannot be read, is not valid JSON, is of an
   *     incompatible format version, or names another input or table (unless {@code
   *     --bookmarkReset}); or, when on, when a local bookmark's directory is not writable
   */
  public static BookmarkRun start(
      BookmarkSettings settings, List<InputFiles.Match> listed, ItemShape shape) {
    List<String> warnings = new ArrayList<>(settings.warnings());
    if (settings.mode() == BookmarkSettings.Mode.OFF) {
      return new BookmarkRun(
          settings,
          BookmarkStore.Snapshot.absent(),
          null,
          shape,
          Selection.of(listed, Map.of(), null, null),
          warnings);
    }
    String path = settings.path();
    for (InputFiles.Match m : listed) {
      if (m.path.equals(path) || m.path.startsWith(path + ".reset-")) {
        // A glob such as s3://b/in/* would otherwise read the bookmark as a Parquet file.
        throw new InvalidInputException(
            "the bookmark "
                + path
                + " is one of the input files of --inputPath: keep it outside the input");
      }
    }
    BookmarkStore.Snapshot read;
    try (BookmarkStore store = settings.openStore()) {
      read = store.read();
      if (settings.mode() == BookmarkSettings.Mode.ENABLED) {
        store.checkWritable();
      }
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          "cannot use the bookmark " + path + ": " + Errors.rootMessage(e), e);
    }
    BookmarkState previous = null;
    if (read.exists() && !settings.reset()) {
      previous = check(settings, read.content, shape, warnings);
    }
    Selection selection =
        Selection.of(
            listed,
            previous == null ? Map.of() : previous.files,
            settings.maxFilesPerRun(),
            settings.maxBytesPerRun());
    return new BookmarkRun(settings, read, previous, shape, selection, warnings);
  }

  /** Parses the state and checks it belongs to this input and table. */
  private static BookmarkState check(
      BookmarkSettings settings, byte[] content, ItemShape shape, List<String> warnings) {
    String path = settings.path();
    String startOver =
        "run with --bookmarkReset to start over (the old file is kept as "
            + path
            + ".reset-<run id>)";
    BookmarkState state;
    try {
      state = BookmarkState.parse(content);
    } catch (BookmarkState.Unusable e) {
      throw new InvalidInputException(
          "the bookmark " + path + " " + e.getMessage() + ": fix or remove it, or " + startOver);
    }
    if (!state.inputPath.equals(settings.inputPatterns())) {
      throw new InvalidInputException(
          "the bookmark "
              + path
              + " records the input "
              + String.join(",", state.inputPath)
              + ", not "
              + String.join(",", settings.inputPatterns())
              + ": give this input a bookmark of its own (--bookmarkPath), or "
              + startOver);
    }
    if (!state.table.equals(settings.table())) {
      throw new InvalidInputException(
          "the bookmark "
              + path
              + " records the table "
              + state.table
              + ", not "
              + settings.table()
              + ": give this table a bookmark of its own (--bookmarkPath), or "
              + startOver);
    }
    if (shape != null && state.itemShape != null) {
      List<String> differences = shape.differencesFrom(state.itemShape);
      if (!differences.isEmpty()) {
        warnings.add(
            "the bookmark's files were loaded with other item options ("
                + String.join("; ", differences)
                + "): the files it skips keep the items those options made; run with"
                + " --bookmarkReset to load them all again");
      }
    }
    return state;
  }
}
