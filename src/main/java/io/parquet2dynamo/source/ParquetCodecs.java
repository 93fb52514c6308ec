package io.parquet2dynamo.source;

import io.parquet2dynamo.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.BadConfigurationException;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.brotli.dec.BrotliInputStream;

/**
 * The page decompressors the reader uses: parquet-hadoop's own, plus what it lacks for files other
 * writers make.
 *
 * <ul>
 *   <li>BROTLI (Arrow writes it on request): parquet-hadoop wants a Hadoop codec class for it that
 *       no maintained library ships; pages are decoded here with Google's pure-Java decoder.
 *   <li>LZ4 as older parquet-cpp (1.5.1, for one) wrote it: a bare LZ4 block, not Hadoop's LZ4
 *       framing (4-byte big-endian lengths before each block) that parquet-mr writes and reads.
 *       Like Arrow C++ and arrow-rs, a page is read in Hadoop's framing when its lengths fit it
 *       exactly, else as a bare block, and only then by Hadoop's codec again (the framing also
 *       allows blocks split in several chunks, which the quick check does not follow).
 *   <li>A codec whose class is missing (LZO, whose GPL codec is not shipped) fails with one line
 *       naming the codec.
 * </ul>
 *
 * Every other codec (UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW) is parquet-hadoop's own.
 */
final class ParquetCodecs implements CompressionCodecFactory {
  private final CodecFactory hadoop;
  private final Map<CompressionCodecName, BytesInputDecompressor> own =
      new EnumMap<>(CompressionCodecName.class);

  ParquetCodecs(Configuration conf) {
    // The page size only sizes compression buffers, and reading never compresses.
    this.hadoop = new CodecFactory(conf, 0);
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    return hadoop.getCompressor(codec);
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    switch (codec) {
      case BROTLI:
        return own.computeIfAbsent(codec, c -> new BrotliDecompressor());
      case LZ4:
        return own.computeIfAbsent(
            codec, c -> new Lz4Decompressor(hadoopDecompressor(CompressionCodecName.LZ4)));
      default:
        return hadoopDecompressor(codec);
    }
  }

  private BytesInputDecompressor hadoopDecompressor(CompressionCodecName codec) {
    try {
      return hadoop.getDecompressor(codec);
    } catch (BadConfigurationException e) {
      // "Class com.hadoop.compression.lzo.LzoCodec was not found" does not say it is a codec.
      IllegalStateException unsupported =
          new IllegalStateException(
              "its "
                  + codec
                  + " compression is not supported (no codec class "
                  + codec.getHadoopCompressionCodecClassName()
                  + " on the class path)");
      unsupported.addSuppressed(e);
      throw unsupported;
    }
  }

  @Override
  public void release() {
    own.clear();
    hadoop.release();
  }

  /** Copies what {@link #decompress(BytesInput, int)} returns into {@code output}. */
  private abstract static class HeapDecompressor implements BytesInputDecompressor {
    @Override
    public void decompress(
        ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
        throws IOException {
      // Used by parquet-hadoop only for off-heap decryption buffers, which this reader never
      // asks for; done through the heap, simply.
      ByteBuffer compressed = input.slice();
      compressed.limit(compressedSize);
      output.put(decompress(BytesInput.from(compressed), decompressedSize).toByteBuffer());
      input.position(input.position() + compressedSize);
    }

    @Override
    public void release() {}
  }

  /** BROTLI pages, with Google's reference decoder (org.brotli:dec, pure Java). */
  static final class BrotliDecompressor extends HeapDecompressor {
    @Override
    public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
      byte[] out = new byte[decompressedSize];
      int n = 0;
      boolean more;
      try (InputStream in = new BrotliInputStream(bytes.toInputStream())) {
        while (n < decompressedSize) {
          int read = in.read(out, n, decompressedSize - n);
          if (read < 0) {
            break;
          }
          n += read;
        }
        more = in.read() >= 0;
      } catch (IOException | RuntimeException e) {
        // The decoder says "Brotli decoder failed" or names the broken detail of the stream.
        throw corrupt("BROTLI", e);
      }
      if (n < decompressedSize || more) {
        throw new IOException(
            "a BROTLI page does not hold the "
                + decompressedSize
                + " bytes its header gives ("
                + (more ? "it holds more" : "only " + n)
                + "); the file is corrupt");
      }
      return BytesInput.from(out);
    }
  }

  /** LZ4 pages in Hadoop's framing (parquet-mr) or as a bare LZ4 block (older parquet-cpp). */
  static final class Lz4Decompressor extends HeapDecompressor {
    private final BytesInputDecompressor hadoopFraming;
    private final LZ4SafeDecompressor block = LZ4Factory.safeInstance().safeDecompressor();

    Lz4Decompressor(BytesInputDecompressor hadoopFraming) {
      this.hadoopFraming = hadoopFraming;
    }

    @Override
    public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
      byte[] in = bytes.toByteArray();
      if (!inHadoopFraming(in, decompressedSize)) {
        byte[] out = new byte[decompressedSize];
        try {
          if (block.decompress(in, 0, in.length, out, 0, decompressedSize) == decompressedSize) {
            return BytesInput.from(out);
          }
        } catch (LZ4Exception e) {
          // Not a bare block either: Hadoop's framing with blocks in several chunks, or corrupt.
        }
      }
      try {
        // Read now rather than when the page is decoded, so that a failure is reported here.
        return BytesInput.copy(hadoopFraming.decompress(BytesInput.from(in), decompressedSize));
      } catch (IOException | RuntimeException e) {
        // Hadoop's decoder fails on other data with ArrayIndexOutOfBoundsException and the like.
        throw corrupt(
            "LZ4 (neither in Hadoop's LZ4 framing nor a bare LZ4 block as older parquet-cpp"
                + " wrote it)",
            e);
      }
    }

    /**
     * Whether {@code in} is a sequence of Hadoop LZ4 blocks of one chunk each, {@code [uncompressed
     * length][compressed length][compressed bytes]} with big-endian 4-byte lengths, whose
     * uncompressed lengths add up to {@code decompressedSize}: the lengths of a bare LZ4 block
     * almost never fit so exactly.
     */
    static boolean inHadoopFraming(byte[] in, int decompressedSize) {
      int pos = 0;
      long out = 0;
      while (in.length - pos >= 8) {
        long uncompressed = Integer.toUnsignedLong(bigEndianInt(in, pos));
        long compressed = Integer.toUnsignedLong(bigEndianInt(in, pos + 4));
        pos += 8;
        if (compressed > in.length - pos || uncompressed > decompressedSize - out) {
          return false;
        }
        pos += (int) compressed;
        out += uncompressed;
      }
      return pos == in.length && out == decompressedSize;
    }

    private static int bigEndianInt(byte[] b, int at) {
      return (b[at] & 0xff) << 24
          | (b[at + 1] & 0xff) << 16
          | (b[at + 2] & 0xff) << 8
          | (b[at + 3] & 0xff);
    }
  }

  /**
   * A page that does not decode: the message is the codec's and the decoder's own words, and the
   * decoder's exception is kept as suppressed rather than as the cause, so that error reports that
   * quote the innermost cause quote this.
   */
  private static IOException corrupt(String codec, Exception e) {
    IOException corrupt =
        new IOException(
            "a page does not decode as "
                + codec
                + ": "
                + Errors.rootMessage(e)
                + "; the file is corrupt");
    corrupt.addSuppressed(e);
    return corrupt;
  }
}
