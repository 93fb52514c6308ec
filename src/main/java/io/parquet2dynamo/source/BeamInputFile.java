package io.parquet2dynamo.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} read through Beam's {@link FileSystems}, so one code path serves
 * {@code s3://} (Beam's S3 file system, configured by the pipeline options) and local files.
 */
final class BeamInputFile implements InputFile {
  private final ResourceId resource;
  private final long length;
  private final Counter bytesRead;

  BeamInputFile(ResourceId resource, long length) {
    this(resource, length, null);
  }

  /**
   * @param bytesRead counts the bytes read from the file, if not null
   */
  BeamInputFile(ResourceId resource, long length, Counter bytesRead) {
    this.resource = resource;
    this.length = length;
    this.bytesRead = bytesRead;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    SeekableByteChannel channel = (SeekableByteChannel) FileSystems.open(resource);
    return new DelegatingSeekableInputStream(new ChannelStream(channel, bytesRead)) {
      @Override
      public long getPos() throws IOException {
        return channel.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        channel.position(newPos);
      }
    };
  }

  @Override
  public String toString() {
    return resource.toString();
  }

  /** InputStream over a channel that also closes it; reads go straight to the channel. */
  private static final class ChannelStream extends java.io.InputStream {
    private final SeekableByteChannel channel;
    private final Counter bytesRead;

    ChannelStream(SeekableByteChannel channel, Counter bytesRead) {
      this.channel = channel;
      this.bytesRead = bytesRead;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, len));
      if (n > 0 && bytesRead != null) {
        bytesRead.inc(n);
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
