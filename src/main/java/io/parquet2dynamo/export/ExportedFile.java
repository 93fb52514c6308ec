package io.parquet2dynamo.export;

import java.io.Serializable;

/**
 * One file an export wrote: where it is, how many items it holds, its size as stored (gzip) and its
 * size uncompressed (what ImportTable bills by).
 *
 * @param path the file's path: below {@code .tmp/} while the export runs, below {@code data/} in
 *     the manifest
 */
public record ExportedFile(String path, long items, long bytes, long uncompressedBytes)
    implements Serializable {

  /** The same file at {@code newPath}. */
  ExportedFile at(String newPath) {
    return new ExportedFile(newPath, items, bytes, uncompressedBytes);
  }
}
