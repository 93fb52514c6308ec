package io.parquet2dynamo.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;

/**
 * Writes Parquet files for tests with parquet-avro (or parquet-hadoop's example writer), to plain
 * local paths (no Hadoop .crc files).
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  /**
   * Writes {@code records} of {@code schema} to {@code file}; decimals may be given as BigDecimal.
   */
  public static void write(Path file, Schema schema, List<GenericRecord> records)
      throws IOException {
    Files.createDirectories(file.getParent());
    GenericData model = new GenericData();
    model.addLogicalTypeConversion(new Conversions.DecimalConversion());
    try (ParquetWriter<GenericRecord> writer =
        AvroParquetWriter.<GenericRecord>builder(new LocalFile(file))
            .withSchema(schema)
            .withDataModel(model)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
            .build()) {
      for (GenericRecord r : records) {
        writer.write(r);
      }
    }
  }

  /**
   * Writes {@code rows} of the Parquet schema {@code schema} to {@code file} with parquet-hadoop's
   * example writer, for Parquet types parquet-avro cannot write (unsigned integers, nanoseconds).
   */
  public static void writeGroups(Path file, MessageType schema, List<Group> rows)
      throws IOException {
    writeGroups(file, schema, rows, CompressionCodecName.SNAPPY);
  }

  /** As {@link #writeGroups(Path, MessageType, List)}, compressed with {@code codec}. */
  public static void writeGroups(
      Path file, MessageType schema, List<Group> rows, CompressionCodecName codec)
      throws IOException {
    Files.createDirectories(file.getParent());
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalFile(file))
            .withType(schema)
            .withCompressionCodec(codec)
            .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
            .build()) {
      for (Group row : rows) {
        writer.write(row);
      }
    }
  }

  /** As {@link #writeGroups(Path, MessageType, List)}, in BROTLI pages ({@link StoredBrotli}). */
  public static void writeGroupsBrotli(Path file, MessageType schema, List<Group> rows)
      throws IOException {
    Files.createDirectories(file.getParent());
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalFile(file))
            .withType(schema)
            .withCodecFactory(new StoredBrotli())
            .withCompressionCodec(CompressionCodecName.BROTLI)
            .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
            .build()) {
      for (Group row : rows) {
        writer.write(row);
      }
    }
  }

  private static final class LocalFile implements OutputFile {
    private final Path path;

    LocalFile(Path path) {
      this.path = path;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
      return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
      OutputStream out = Files.newOutputStream(path);
      return new PositionOutputStream() {
        private long position;

        @Override
        public long getPos() {
          return position;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          position += len;
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
