package io.parquet2dynamo.source;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.testing.ParquetFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jpountz.lz4.LZ4Factory;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Tests {@link ParquetCodecs}: which codecs the reader decodes, and how it words a failure. */
public class ParquetCodecsTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required int64 id; required binary s (STRING); }");

  @Test
  public void everyCodecParquetMrWritesIsRead() throws IOException {
    // 60,000 rows of an id and 40 random hex digits: parquet-mr's pages of 20,000 rows hold
    // about 160 KB of ids and 880 KB of strings, which Hadoop's LZ4 codec frames as several
    // blocks (of 256 KB at most).
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    Random random = new Random(42);
    List<Group> rows = new ArrayList<>();
    for (long i = 0; i < 60_000; i++) {
      String hex = new java.math.BigInteger(160, random).toString(16);
      rows.add(groups.newGroup().append("id", i).append("s", hex));
    }
    for (CompressionCodecName codec :
        List.of(
            CompressionCodecName.UNCOMPRESSED,
            CompressionCodecName.SNAPPY,
            CompressionCodecName.GZIP,
            CompressionCodecName.ZSTD,
            CompressionCodecName.LZ4,
            CompressionCodecName.LZ4_RAW)) {
      Path file = folder.getRoot().toPath().resolve(codec + ".parquet");
      ParquetFiles.writeGroups(file, SCHEMA, rows, codec);

      List<Row> read = new ArrayList<>();
      ReadEachRow.of(file.toString(), read::add);

      assertEquals(codec.toString(), rows.size(), read.size());
      for (int i = 0; i < rows.size(); i += 997) {
        assertEquals(
            codec + " row " + i, rows.get(i).getLong("id", 0), (long) read.get(i).getInt64("id"));
        assertEquals(
            codec + " row " + i, rows.get(i).getString("s", 0), read.get(i).getString("s"));
      }
    }
  }

  @Test
  public void brotliPagesWrittenByArrowDecode() throws IOException {
    // large_string_map.brotli.parquet (apache/parquet-testing, written by pyarrow): its map values
    // are the INT32 1 in both rows (README.md). Only that column is read: its BROTLI pages are a
    // few bytes, where the keys' expand to 1 GiB each (ParquetTestingFilesIT reads those).
    Path file = resource("large_string_map.brotli.parquet");
    Configuration conf = new Configuration();
    conf.set(
        "parquet.read.schema",
        "message schema { optional group arr (MAP) { repeated group key_value {"
            + " optional int32 value; } } }");
    List<Integer> values = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(conf)
            .withCodecFactory(new ParquetCodecs(conf))
            .build()) {
      for (Group row = reader.read(); row != null; row = reader.read()) {
        values.add(row.getGroup("arr", 0).getGroup("key_value", 0).getInteger("value", 0));
      }
    }
    assertEquals(List.of(1, 1), values);
  }

  @Test
  public void brotliFilesOfManyPagesAndMetaBlocksRead() throws IOException {
    // 50,000 rows in BROTLI pages of stored meta-blocks (StoredBrotli): pages of 20,000 rows,
    // each several 64 KiB meta-blocks long.
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    List<Group> rows = new ArrayList<>();
    for (long i = 0; i < 50_000; i++) {
      rows.add(groups.newGroup().append("id", i).append("s", "row " + i));
    }
    Path file = folder.getRoot().toPath().resolve("brotli.parquet");
    ParquetFiles.writeGroupsBrotli(file, SCHEMA, rows);
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      for (var chunk : reader.getFooter().getBlocks().get(0).getColumns()) {
        assertEquals(CompressionCodecName.BROTLI, chunk.getCodec());
      }
    }

    List<Row> read = new ArrayList<>();
    ReadEachRow.of(file.toString(), read::add);

    assertEquals(rows.size(), read.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals((long) i, (long) read.get(i).getInt64("id"));
      assertEquals("row " + i, read.get(i).getString("s"));
    }
  }

  @Test
  public void parquetMrAloneHasNoBrotliCodec() {
    // Why ParquetCodecs decodes BROTLI itself: parquet-hadoop looks for a Hadoop codec class.
    CodecFactory hadoop = new CodecFactory(new Configuration(), 0);
    Exception e =
        assertThrows(
            RuntimeException.class, () -> hadoop.getDecompressor(CompressionCodecName.BROTLI));
    assertTrue(e.getMessage(), e.getMessage().contains("BrotliCodec was not found"));
  }

  @Test
  public void corruptBrotliIsOneLineNamingTheCodec() {
    BytesInputDecompressor brotli =
        new ParquetCodecs(new Configuration()).getDecompressor(CompressionCodecName.BROTLI);
    IOException e =
        assertThrows(
            IOException.class,
            () -> brotli.decompress(BytesInput.from(new byte[] {(byte) 0xff, 1, 2, 3}), 10));
    assertTrue(e.getMessage(), e.getMessage().startsWith("a page does not decode as BROTLI: "));
    assertTrue(e.getMessage(), e.getMessage().endsWith("; the file is corrupt"));
    assertFalse(e.getMessage(), e.getMessage().contains("\n"));
  }

  @Test
  public void lz4ReadsHadoopFramingAndBareBlocks() throws IOException {
    byte[] data = "parquet2dynamo ".repeat(200).getBytes(StandardCharsets.UTF_8);
    byte[] block = LZ4Factory.safeInstance().fastCompressor().compress(data);
    byte[] hadoop =
        ByteBuffer.allocate(8 + block.length)
            .putInt(data.length)
            .putInt(block.length)
            .put(block)
            .array();
    BytesInputDecompressor lz4 =
        new ParquetCodecs(new Configuration()).getDecompressor(CompressionCodecName.LZ4);

    assertTrue(ParquetCodecs.Lz4Decompressor.inHadoopFraming(hadoop, data.length));
    assertFalse(ParquetCodecs.Lz4Decompressor.inHadoopFraming(block, data.length));
    assertArrayEquals(data, lz4.decompress(BytesInput.from(hadoop), data.length).toByteArray());
    assertArrayEquals(data, lz4.decompress(BytesInput.from(block), data.length).toByteArray());
  }

  @Test
  public void lz4ReadsHadoopBlocksOfSeveralChunks() throws IOException {
    // Hadoop's BlockCompressorStream writes one block in several chunks when a single write is
    // larger than its buffer: [length][chunk length][chunk][chunk length][chunk]. The quick
    // framing check does not follow that, the bare-block decoder refuses it, and Hadoop's codec
    // reads it.
    byte[] first = "first half, ".repeat(100).getBytes(StandardCharsets.UTF_8);
    byte[] second = "second half. ".repeat(100).getBytes(StandardCharsets.UTF_8);
    byte[] a = LZ4Factory.safeInstance().fastCompressor().compress(first);
    byte[] b = LZ4Factory.safeInstance().fastCompressor().compress(second);
    byte[] hadoop =
        ByteBuffer.allocate(12 + a.length + b.length)
            .putInt(first.length + second.length)
            .putInt(a.length)
            .put(a)
            .putInt(b.length)
            .put(b)
            .array();
    BytesInputDecompressor lz4 =
        new ParquetCodecs(new Configuration()).getDecompressor(CompressionCodecName.LZ4);

    byte[] both = ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();

    assertFalse(ParquetCodecs.Lz4Decompressor.inHadoopFraming(hadoop, both.length));
    assertArrayEquals(both, lz4.decompress(BytesInput.from(hadoop), both.length).toByteArray());
  }

  @Test
  public void lz4InNeitherFramingIsOneLineNamingBoth() {
    BytesInputDecompressor lz4 =
        new ParquetCodecs(new Configuration()).getDecompressor(CompressionCodecName.LZ4);
    byte[] garbage = {0, 0, 0, 9, 0, 0, 0, 3, 1, 2};

    IOException e =
        assertThrows(IOException.class, () -> lz4.decompress(BytesInput.from(garbage), 9));

    assertTrue(
        e.getMessage(),
        e.getMessage()
            .startsWith(
                "a page does not decode as LZ4 (neither in Hadoop's LZ4 framing nor a bare LZ4"
                    + " block as older parquet-cpp wrote it): "));
    assertFalse(e.getMessage(), e.getMessage().contains("\n"));
  }

  @Test
  public void aCodecWithoutItsClassIsNamed() {
    ParquetCodecs codecs = new ParquetCodecs(new Configuration());

    Exception e =
        assertThrows(
            IllegalStateException.class, () -> codecs.getDecompressor(CompressionCodecName.LZO));

    assertEquals(
        "its LZO compression is not supported (no codec class"
            + " com.hadoop.compression.lzo.LzoCodec on the class path)",
        e.getMessage());
    // No cause: the one-line read error quotes the innermost one.
    assertEquals(e.getMessage(), ParquetSource.readProblem(e));
  }

  private static Path resource(String name) {
    try {
      return Paths.get(ParquetCodecsTest.class.getResource("/parquet-testing/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
