package io.parquet2dynamo.summary;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import java.io.IOException;

/**
 * The {@code --summaryPath} file while no summary exists: {@code RUNNING} at start (which also
 * proves the path is writable before any work), {@code FAILED} with the error when a load fails.
 */
public final class StatusFile {
  private final String path;

  /**
   * @param path where the summary goes, or null or blank for nowhere
   */
  public StatusFile(String path) {
    this.path = path == null || path.isBlank() ? null : path;
  }

  /**
   * Records that the load is running.
   *
   * @throws InvalidInputException when the path is not writable
   */
  public void running() {
    if (path == null) {
      return;
    }
    try {
      LoadSummary.writeStatus(path, "RUNNING", null);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          "--summaryPath=" + path + " is not writable: " + Errors.rootMessage(e), e);
    }
  }

  /** Records that the load failed; a path that became unwritable is ignored (the error matters). */
  public void failed(String error) {
    if (path == null) {
      return;
    }
    try {
      LoadSummary.writeStatus(path, "FAILED", error);
    } catch (IOException | RuntimeException e) {
      // Reported at start if the path were unwritable; the load's error matters more.
    }
  }

  /** Writes the final summary. */
  public void write(LoadSummary summary) throws IOException {
    if (path != null) {
      summary.writeTo(path);
    }
  }

  /** The path, or null. */
  public String path() {
    return path;
  }
}
