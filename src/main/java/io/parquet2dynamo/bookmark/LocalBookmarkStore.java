package io.parquet2dynamo.bookmark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * A bookmark in a local file. Written as a temporary file in the same directory, flushed to disk,
 * then renamed over the state: a reader sees the old file or the new one, never a part. Files are
 * created readable and writable by their owner only (on POSIX file systems).
 *
 * <p>Concurrent runs: a replace takes an exclusive lock on {@code .<name>.lock} beside the state
 * (an OS lock, released if the process dies; the empty file stays), re-reads the state under it and
 * compares it byte for byte with what the run read at start; if it differs the replace is refused.
 * Runs on one host (or on a file system whose locks work across hosts) are so serialised; where
 * locks do not work (some network file systems) the re-read and compare still narrows the window to
 * the moment between compare and rename.
 */
final class LocalBookmarkStore implements BookmarkStore {
  /** Java's file locks belong to the process: threads of one JVM are kept apart here. */
  private static final Object IN_PROCESS = new Object();

  private static final FileAttribute<?>[] OWNER_ONLY = ownerOnly();

  private final String path;
  private final Path file;

  LocalBookmarkStore(String path) {
    this.path = path;
    String local = path.startsWith("file://") ? path.substring("file://".length()) : path;
    this.file = Path.of(local).toAbsolutePath().normalize();
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public Snapshot read() throws IOException {
    try {
      return new Snapshot(Files.readAllBytes(file), null);
    } catch (NoSuchFileException e) {
      return Snapshot.absent();
    }
  }

  @Override
  public void checkWritable() throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    if (!Files.isWritable(dir)) {
      throw new AccessDeniedException(dir.toString(), null, "the directory is not writable");
    }
    if (Files.isDirectory(file)) {
      throw new FileAlreadyExistsException(file.toString(), null, "is a directory");
    }
  }

  @Override
  public void replace(Snapshot expected, byte[] content) throws IOException, StateChanged {
    Files.createDirectories(file.getParent());
    Path lock = file.resolveSibling("." + file.getFileName() + ".lock");
    synchronized (IN_PROCESS) {
      try (FileChannel channel = openLock(lock);
          FileLock held = channel.lock()) {
        Snapshot current = read();
        if (current.exists() != expected.exists()) {
          throw new StateChanged(expected.exists() ? "was deleted" : "was created");
        }
        if (current.exists() && !Arrays.equals(current.content, expected.content)) {
          throw new StateChanged("was replaced");
        }
        writeAtomically(file, content);
      }
    }
  }

  @Override
  public String writeBeside(String suffix, byte[] content) throws IOException {
    Path copy = file.resolveSibling(file.getFileName() + suffix);
    writeAtomically(copy, content);
    return copy.toString();
  }

  @Override
  public void close() {}

  private static FileChannel openLock(Path lock) throws IOException {
    try {
      return FileChannel.open(
          lock, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY);
    } catch (FileAlreadyExistsException e) {
      return FileChannel.open(lock, StandardOpenOption.WRITE);
    }
  }

  /** Temporary file, fsync, rename: the target is the old file or the whole new one. */
  static void writeAtomically(Path target, byte[] content) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", OWNER_ONLY);
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        // Without it, a crash soon after the rename can leave the new name on empty content.
        out.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static FileAttribute<?>[] ownerOnly() {
    boolean posix =
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    return posix
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        }
        : new FileAttribute<?>[0];
  }
}
