package io.parquet2dynamo.deadletter;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes dead-letter records as JSON Lines files {@code
 * <dir>/dead-letters-<runId>-SSSSS-of-NNNNN.jsonl}, on any file system Beam knows ({@code s3://} or
 * local). The run id keeps runs from overwriting each other's records.
 *
 * <p>On a local disk the records (whole rows) are kept private ({@link PrivateFiles}): the
 * directory, if the job creates it, is {@code rwx------}; Beam's temporary files go to {@code
 * <dir>/.parquet2dynamo-tmp/}, {@code rwx------}, so no one else can read them while the load runs
 * (Beam creates them with the umask); and each file is set to {@code rw-------} as soon as Beam has
 * moved it into place.
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
    Path local = PrivateFiles.localPath(directory);
    try {
      if (local != null) {
        PrivateFiles.createFolders(local.resolve(TEMP_FOLDER));
      }
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          "--deadLetterPath=" + directory + " is not writable: " + Errors.rootMessage(e), e);
    }
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
    // The typed form, as plain TextIO.write() does not offer skipIfEmpty in Beam 2.62.
    TextIO.TypedWrite<DeadLetter, Void> write =
        TextIO.<DeadLetter>writeCustomType()
            .withFormatFunction(DeadLetter::toJson)
            .to(prefix())
            .withSuffix(".jsonl")
            .skipIfEmpty();
    if (PrivateFiles.localPath(directory) == null) {
      records.apply("WriteJsonLines", write);
    } else {
      PrivateFiles.createFolders(PrivateFiles.localPath(directory).resolve(TEMP_FOLDER));
      records
          .apply(
              "WriteJsonLines",
              write.withTempDirectory(
                  FileSystems.matchNewResource(directory + TEMP_FOLDER + "/", true)))
          .getPerDestinationOutputFilenames()
          .apply("OwnerOnly", ParDo.of(new OwnerOnly()));
    }
    return PDone.in(records.getPipeline());
  }

  /** Owner-only for Beam's temporary files: hidden, so Spark and this job never read it. */
  static final String TEMP_FOLDER = ".parquet2dynamo-tmp";

  /** Sets each written local file to rw-------. */
  private static final class OwnerOnly extends DoFn<KV<Void, String>, Void> {
    @ProcessElement
    public void process(@Element KV<Void, String> file) {
      PrivateFiles.restrict(PrivateFiles.localPath(file.getValue()));
    }
  }
}
