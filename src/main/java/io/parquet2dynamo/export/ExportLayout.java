package io.parquet2dynamo.export;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.PrivateFiles;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Where one run's export goes, below {@code --exportPath}:
 *
 * <pre>
 *   PATH/RUN_ID/data/part-00000.json.gz ...   the items, what ImportTable reads (its S3KeyPrefix)
 *   PATH/RUN_ID/manifest.json                 files, item counts, bytes, key schema
 *   PATH/RUN_ID/.tmp/                         files being written; empty once the export ends
 * </pre>
 *
 * <p>ImportTable reads every object below its prefix, so only finished data files are ever below
 * {@code data/}: the manifest is beside it, and files are written below {@code .tmp/} and moved
 * into {@code data/} only once the write that made them has succeeded (a retried bundle's files
 * never are). The run id keeps runs apart, as it does for dead letters.
 */
public final class ExportLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String base;
  private final String runId;

  private ExportLayout(String base, String runId) {
    this.base = base;
    this.runId = runId;
  }

  /**
   * This run's export below {@code exportPath} (a local directory or an {@code s3://} prefix),
   * resolved to its absolute form, as the summary names it.
   */
  public static ExportLayout of(String exportPath, String runId) {
    String resolved;
    try {
      resolved = FileSystems.matchNewResource(exportPath.trim(), true).toString();
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          "--exportPath="
              + exportPath
              + " is not a path the job can write: "
              + Errors.rootMessage(e),
          e);
    }
    return new ExportLayout(
        (resolved.endsWith("/") ? resolved : resolved + "/") + runId + "/", runId);
  }

  /** The run's folder, ending in '/'. */
  public String base() {
    return base;
  }

  public String runId() {
    return runId;
  }

  /** The folder of the data files, ending in '/': what ImportTable is pointed at. */
  public String dataPrefix() {
    return base + "data/";
  }

  /** The folder files are written in before they are complete. */
  String tempPrefix() {
    return base + ".tmp/";
  }

  public String manifest() {
    return base + "manifest.json";
  }

  /** The {@code index}th data file's path. */
  String dataFile(int index) {
    return dataPrefix() + String.format(Locale.ROOT, "part-%05d.json.gz", index);
  }

  /** The local path of {@code path}, or null on S3. */
  static Path local(String path) {
    return PrivateFiles.localPath(path);
  }

  /** Whether the export is on S3, where ImportTable can read it. */
  public boolean onS3() {
    return base.startsWith("s3://");
  }

  /** The bucket of an export on S3. */
  public String bucket() {
    String rest = base.substring("s3://".length());
    return rest.substring(0, rest.indexOf('/'));
  }

  /** The key prefix of the data files of an export on S3 (ImportTable's S3KeyPrefix). */
  public String dataKeyPrefix() {
    return dataPrefix().substring("s3://".length() + bucket().length() + 1);
  }

  /**
   * Creates this run's folders (owner-only on a local disk) and writes and deletes a small file in
   * them, so that a path the job cannot write is an error before the load, not after it.
   *
   * @throws InvalidInputException naming {@code --exportPath} and why
   */
  public void checkWritable() {
    try {
      if (local(base) != null) {
        PrivateFiles.createFolders(local(tempPrefix()));
      }
      ResourceId probe = FileSystems.matchNewResource(tempPrefix() + "write-check", false);
      try (WritableByteChannel channel = FileSystems.create(probe, MimeTypes.TEXT)) {
        channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
      }
      FileSystems.delete(List.of(probe));
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(
          "--exportPath: " + base + " is not writable: " + Errors.rootMessage(e), e);
    }
  }

  @Override
  public String toString() {
    return base;
  }
}
