package io.parquet2dynamo.sink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Where a dry run puts its sample of items, so that the driver can print them after the run: under
 * {@code --tempLocation} when given (e.g. an {@code s3://} prefix, which a cluster's workers and
 * driver all reach), else in a local temporary folder (the DirectRunner and a local Spark master).
 */
public final class SampleFiles {
  private final String prefix;

  private SampleFiles(String prefix) {
    this.prefix = prefix;
  }

  /**
   * A new, run-specific place for the sample.
   *
   * @param tempLocation Beam's {@code --tempLocation}, or null for a local temporary folder
   */
  public static SampleFiles create(String tempLocation, String runId) {
    String base = tempLocation;
    if (base == null || base.isBlank()) {
      try {
        base = Files.createTempDirectory("parquet2dynamo-sample").toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new SampleFiles((base.endsWith("/") ? base : base + "/") + "sample-" + runId);
  }

  /** The transform that writes the sample, one item per line, in one file. */
  public org.apache.beam.sdk.transforms.PTransform<PCollection<String>, PDone> write() {
    return TextIO.write().to(prefix).withSuffix(".json").withNumShards(1);
  }

  /** The sampled items, once the run is over. */
  public List<String> read() {
    List<String> lines = new ArrayList<>();
    try {
      for (MatchResult.Metadata file : FileSystems.match(prefix + "*.json").metadata()) {
        try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(
                    Channels.newInputStream(FileSystems.open(file.resourceId())),
                    StandardCharsets.UTF_8))) {
          reader.lines().filter(l -> !l.isBlank()).forEach(lines::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dry run's sample at " + prefix, e);
    }
    return lines;
  }
}
