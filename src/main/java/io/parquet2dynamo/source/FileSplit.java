package io.parquet2dynamo.source;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * A unit of reading work: the row groups {@code [firstRowGroup, endRowGroup)} of one Parquet file,
 * with what the reader needs to place its rows: the byte range those row groups span, the index of
 * their first row in the file, and the file's Hive partition values; and whether its footer holds
 * logical types parquet-mr does not know ({@link UnknownLogicalTypes}).
 */
final class FileSplit implements Serializable {
  private static final long serialVersionUID = 1L;

  final String path;
  final long fileLength;
  final long startByte;
  final long endByte;
  final long firstRow;
  final long rowCount;
  final TreeMap<String, String> partitionValues;
  final boolean unknownLogicalTypes;

  /** The rows' size uncompressed, as the footer says: to size the reader's ranges. */
  final long uncompressedBytes;

  FileSplit(
      String path,
      long fileLength,
      long startByte,
      long endByte,
      long firstRow,
      long rowCount,
      Map<String, String> partitionValues,
      boolean unknownLogicalTypes,
      long uncompressedBytes) {
    this.path = path;
    this.fileLength = fileLength;
    this.startByte = startByte;
    this.endByte = endByte;
    this.firstRow = firstRow;
    this.rowCount = rowCount;
    this.partitionValues = new TreeMap<>(partitionValues);
    this.unknownLogicalTypes = unknownLogicalTypes;
    this.uncompressedBytes = uncompressedBytes;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FileSplit)) {
      return false;
    }
    FileSplit other = (FileSplit) o;
    return path.equals(other.path)
        && fileLength == other.fileLength
        && startByte == other.startByte
        && endByte == other.endByte
        && firstRow == other.firstRow
        && rowCount == other.rowCount
        && partitionValues.equals(other.partitionValues)
        && unknownLogicalTypes == other.unknownLogicalTypes;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(path, startByte, firstRow);
  }

  @Override
  public String toString() {
    return path + " rows " + firstRow + ".." + (firstRow + rowCount);
  }
}
