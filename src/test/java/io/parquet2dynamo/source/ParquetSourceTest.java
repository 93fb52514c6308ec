package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;

import java.io.EOFException;
import java.io.IOException;
import org.junit.Test;

/** Tests how {@link ParquetSource} words a file it cannot read. */
public class ParquetSourceTest {
  @Test
  public void aMissingCodecClassIsNamedNotThrownRaw() {
    assertEquals(
        "a class needed to decode it is missing (net/jpountz/lz4/LZ4Factory); its compression "
            + "codec may not be supported",
        ParquetSource.readProblem(
            new RuntimeException(new NoClassDefFoundError("net/jpountz/lz4/LZ4Factory"))));
  }

  @Test
  public void anEarlyEndOfDataIsATruncatedFile() {
    assertEquals(
        "unexpected end of data; the file is truncated or corrupt",
        ParquetSource.readProblem(new IOException("read", new EOFException())));
  }
}
