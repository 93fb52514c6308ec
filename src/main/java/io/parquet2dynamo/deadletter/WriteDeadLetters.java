package io.parquet2dynamo.deadletter;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes dead-letter records as JSON Lines files {@code
 * <dir>/dead-letters-<runId>-SSSSS-of-NNNNN.jsonl}, on any file system Beam knows ({@code s3://} or
 * local). The run id keeps runs from overwriting each other's records.
 */
public class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
  private final String directory;
  private final String runId;

  public WriteDeadLetters(String directory, String runId) {
    // Absolute form, so the summary names the files wherever the reader stands.
    String resolved = FileSystems.matchNewResource(directory, true).toString();
    this.directory = resolved.endsWith("/") ? resolved : resolved + "/";
    this.runId = runId;
  }

  /**
   * Creates and deletes a small file where the dead letters will go, so that a path the job cannot
   * write is an error before the load, not after it.
   */
  public void checkWritable() {
    ResourceId probe = FileSystems.matchNewResource(prefix() + "-write-check", false);
    try {
      try (WritableByteChannel channel = FileSystems.create(probe, MimeTypes.TEXT)) {
        channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
      }
      FileSystems.delete(List.of(probe));
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          "--deadLetterPath=" + directory + " is not writable: " + Errors.rootMessage(e), e);
    }
  }

  /**
   * The pattern of existing dead-letter files {@code location} names: a pattern as it is, or, for a
   * directory (a path ending in '/', or a local directory), every run's files in it.
   *
   * @throws InvalidInputException when nothing matches
   */
  public static String existingFiles(String location) {
    String pattern = location.trim();
    boolean directory = pattern.endsWith("/");
    if (!directory && !pattern.contains("://") && !pattern.contains("*")) {
      directory = java.nio.file.Files.isDirectory(java.nio.file.Paths.get(pattern));
    }
    if (directory) {
      pattern = (pattern.endsWith("/") ? pattern : pattern + "/") + "dead-letters-*.jsonl";
    }
    try {
      MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
      if (match.status() == MatchResult.Status.NOT_FOUND || match.metadata().isEmpty()) {
        throw new InvalidInputException(
            "--replayDeadLetters: no dead-letter files match '" + pattern + "'");
      }
    } catch (IOException e) {
      throw new InvalidInputException(
          "--replayDeadLetters: cannot list '" + pattern + "': " + Errors.rootMessage(e), e);
    }
    return pattern;
  }

  /** The glob that matches this run's files. */
  public String filePattern() {
    return prefix() + "-*.jsonl";
  }

  private String prefix() {
    return directory + "dead-letters-" + runId;
  }

  @Override
  public PDone expand(PCollection<DeadLetter> records) {
    records.apply(
        "WriteJsonLines",
        // The typed form, as plain TextIO.write() does not offer skipIfEmpty in Beam 2.62.
        TextIO.<DeadLetter>writeCustomType()
            .withFormatFunction(DeadLetter::toJson)
            .to(prefix())
            .withSuffix(".jsonl")
            .skipIfEmpty());
    return PDone.in(records.getPipeline());
  }
}
