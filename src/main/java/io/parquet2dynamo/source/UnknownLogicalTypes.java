package io.parquet2dynamo.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Reads files whose schema holds a logical type newer than this reader's parquet-mr, as pyarrow,
 * DuckDB and hyparquet do: the column is read as its physical type (a GEOMETRY column, say, as the
 * binary it is stored as).
 *
 * <p>parquet-mr 1.15 (and 1.17, apache/parquet-java#3671) fails on such a footer with a
 * NullPointerException: the Thrift union of the logical type arrives with no member it knows. So
 * {@link #strip} presents the file to parquet-mr with a footer from which those annotations, and
 * the statistics of the columns under them (ordered by rules this reader does not know), are
 * removed. The data pages are untouched: only the footer, at the end of the file, is replaced.
 */
final class UnknownLogicalTypes {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private UnknownLogicalTypes() {}

  /** A file as parquet-mr is to see it, and the columns whose logical type was removed. */
  static final class Stripped {
    final InputFile file;
    final List<String> columns;

    Stripped(InputFile file, List<String> columns) {
      this.file = file;
      this.columns = columns;
    }
  }

  /**
   * {@code file} with the logical types parquet-mr does not know removed from its footer, or null
   * when it has none (or is not a plain Parquet file: encrypted footers are left alone).
   */
  static Stripped strip(InputFile file) throws IOException {
    long length = file.getLength();
    if (length < 12) {
      return null;
    }
    byte[] footer;
    long footerStart;
    try (SeekableInputStream in = file.newStream()) {
      byte[] end = new byte[8];
      in.seek(length - 8);
      in.readFully(end);
      if (!Arrays.equals(Arrays.copyOfRange(end, 4, 8), MAGIC)) {
        return null;
      }
      int footerLength = ByteBuffer.wrap(end, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      footerStart = length - 8 - footerLength;
      if (footerLength < 0 || footerStart < MAGIC.length) {
        return null;
      }
      footer = new byte[footerLength];
      in.seek(footerStart);
      in.readFully(footer);
    }
    FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer));
    List<List<String>> paths = new ArrayList<>();
    List<SchemaElement> schema = meta.getSchema();
    // The schema is its tree depth first; the root (element 0) has no name in column paths.
    int next = 1;
    for (int i = 0; i < schema.get(0).getNum_children(); i++) {
      next = walk(schema, next, List.of(), paths);
    }
    if (paths.isEmpty()) {
      return null;
    }
    for (RowGroup group : meta.getRow_groups()) {
      for (ColumnChunk chunk : group.getColumns()) {
        if (chunk.isSetMeta_data() && under(chunk.getMeta_data().getPath_in_schema(), paths)) {
          chunk.getMeta_data().unsetStatistics();
        }
      }
    }
    List<String> columns = new ArrayList<>();
    paths.forEach(path -> columns.add(String.join(".", path)));
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    Util.writeFileMetaData(meta, tail);
    int newLength = tail.size();
    tail.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(newLength).array());
    tail.write(MAGIC);
    return new Stripped(new TailReplaced(file, footerStart, tail.toByteArray()), columns);
  }

  /** {@code file} as {@link #strip} presents it, or itself when it has no unknown logical type. */
  static InputFile stripped(InputFile file) throws IOException {
    Stripped stripped = strip(file);
    return stripped == null ? file : stripped.file;
  }

  /**
   * Walks the element at {@code at} and its children, removing unknown logical types; returns the
   * index after its subtree.
   */
  private static int walk(
      List<SchemaElement> schema, int at, List<String> parent, List<List<String>> unknown) {
    SchemaElement element = schema.get(at);
    List<String> path = new ArrayList<>(parent);
    path.add(element.getName());
    if (element.isSetLogicalType() && !known(element.getLogicalType())) {
      element.unsetLogicalType();
      unknown.add(path);
    }
    int next = at + 1;
    for (int i = 0; i < element.getNum_children(); i++) {
      next = walk(schema, next, path, unknown);
    }
    return next;
  }

  /** Whether parquet-mr can read the annotation: a union member it knows, units included. */
  static boolean known(LogicalType type) {
    if (type.getSetField() == null) {
      return false;
    }
    if (type.isSetTIMESTAMP()) {
      return type.getTIMESTAMP().getUnit().getSetField() != null;
    }
    if (type.isSetTIME()) {
      return type.getTIME().getUnit().getSetField() != null;
    }
    return true;
  }

  /** Whether the column at {@code column} is one of {@code paths} or inside one. */
  private static boolean under(List<String> column, List<List<String>> paths) {
    for (List<String> path : paths) {
      if (column.size() >= path.size() && column.subList(0, path.size()).equals(path)) {
        return true;
      }
    }
    return false;
  }

  /** A file whose bytes from {@code tailStart} on are {@code tail} instead. */
  private static final class TailReplaced implements InputFile {
    private final InputFile file;
    private final long tailStart;
    private final byte[] tail;

    TailReplaced(InputFile file, long tailStart, byte[] tail) {
      this.file = file;
      this.tailStart = tailStart;
      this.tail = tail;
    }

    @Override
    public long getLength() {
      return tailStart + tail.length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      Stream stream = new Stream(file.newStream());
      return new DelegatingSeekableInputStream(stream) {
        @Override
        public long getPos() {
          return stream.pos;
        }

        @Override
        public void seek(long newPos) throws IOException {
          stream.seek(newPos);
        }
      };
    }

    @Override
    public String toString() {
      return file.toString();
    }

    private final class Stream extends InputStream {
      private final SeekableInputStream data;
      private long pos;

      Stream(SeekableInputStream data) {
        this.data = data;
      }

      void seek(long newPos) throws IOException {
        if (newPos < tailStart) {
          data.seek(newPos);
        }
        pos = newPos;
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        int n;
        if (pos < tailStart) {
          n = data.read(b, off, (int) Math.min(len, tailStart - pos));
        } else if (pos - tailStart < tail.length) {
          n = (int) Math.min(len, tail.length - (pos - tailStart));
          System.arraycopy(tail, (int) (pos - tailStart), b, off, n);
        } else {
          return -1;
        }
        if (n > 0) {
          pos += n;
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        data.close();
      }
    }
  }
}
