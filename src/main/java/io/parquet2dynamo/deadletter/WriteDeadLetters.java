package io.parquet2dynamo.deadletter;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
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
