package io.parquet2dynamo.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Writes BROTLI pages for tests. The project has only a Brotli decoder (org.brotli:dec), so this
 * encoder stores the bytes in uncompressed meta-blocks (RFC 7932 section 9.2), which every decoder
 * must read. Really compressed Brotli pages come from apache/parquet-testing's files.
 */
public final class StoredBrotli implements CompressionCodecFactory {
  /** The most a meta-block with a 16-bit length holds. */
  private static final int BLOCK = 1 << 16;

  /** {@code data} as a Brotli stream of stored meta-blocks. */
  public static byte[] encode(byte[] data) {
    Bits out = new Bits();
    out.write(0, 1); // WBITS = 16
    for (int at = 0; at < data.length; at += BLOCK) {
      int length = Math.min(BLOCK, data.length - at);
      out.write(0, 1); // ISLAST
      out.write(0, 2); // MNIBBLES: 4 nibbles of length
      out.write(length - 1, 16); // MLEN - 1
      out.write(1, 1); // ISUNCOMPRESSED
      out.alignToByte();
      out.bytes.write(data, at, length);
    }
    out.write(1, 1); // ISLAST
    out.write(1, 1); // ISLASTEMPTY
    out.alignToByte();
    return out.bytes.toByteArray();
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    if (codec != CompressionCodecName.BROTLI) {
      throw new IllegalArgumentException("StoredBrotli writes BROTLI only, not " + codec);
    }
    return new BytesInputCompressor() {
      @Override
      public BytesInput compress(BytesInput bytes) throws IOException {
        return BytesInput.from(encode(bytes.toByteArray()));
      }

      @Override
      public CompressionCodecName getCodecName() {
        return CompressionCodecName.BROTLI;
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    throw new UnsupportedOperationException("StoredBrotli only writes");
  }

  @Override
  public void release() {}

  /** Bits packed from the least significant bit of each byte up, as Brotli streams are. */
  private static final class Bits {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int current;
    private int used;

    void write(int value, int count) {
      for (int i = 0; i < count; i++) {
        current |= ((value >>> i) & 1) << used;
        if (++used == 8) {
          bytes.write(current);
          current = 0;
          used = 0;
        }
      }
    }

    void alignToByte() {
      if (used > 0) {
        bytes.write(current);
        current = 0;
        used = 0;
      }
    }
  }
}
