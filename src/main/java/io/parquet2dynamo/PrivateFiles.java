package io.parquet2dynamo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files the job writes on a local disk that hold rows or a run's details (dead letters, the
 * summary) are readable by their owner only: {@code rw-------}, in folders the job creates {@code
 * rwx------}. Java, like Beam's local file system, creates files with the process's umask (usually
 * {@code rw-r--r--}), so the permissions are set here, where the job creates the file first or as
 * soon as Beam has written it. On S3 the bucket's policy decides; on a file system without POSIX
 * permissions nothing is changed.
 */
public final class PrivateFiles {
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

  private PrivateFiles() {}

  /**
   * The local path of a path or URL as the job's options give it ({@code /x}, {@code x}, {@code
   * file:///x}), or null when it is on another file system ({@code s3://...}).
   */
  public static Path localPath(String pathOrUrl) {
    if (pathOrUrl == null || pathOrUrl.isBlank()) {
      return null;
    }
    if (pathOrUrl.startsWith("file:")) {
      return Paths.get(URI.create(pathOrUrl));
    }
    return pathOrUrl.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") ? null : Paths.get(pathOrUrl);
  }

  /** Creates {@code dir} and its missing parents, each owner-only; existing ones are left alone. */
  public static void createFolders(Path dir) {
    try {
      if (isPosix(dir)) {
        Files.createDirectories(dir, attribute(FOLDER));
      } else {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes {@code file} exist, empty or not, with owner-only permissions, so that whatever writes it
   * next (a {@code FileOutputStream} keeps an existing file's permissions) writes a private file.
   */
  public static void prepareFile(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createFolders(parent);
    }
    try {
      if (isPosix(parent)) {
        try {
          Files.createFile(file, attribute(FILE));
        } catch (FileAlreadyExistsException e) {
          Files.setPosixFilePermissions(file, FILE);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets {@code file} to owner-only, where the file system has POSIX permissions. */
  public static void restrict(Path file) {
    try {
      if (isPosix(file)) {
        Files.setPosixFilePermissions(file, FILE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isPosix(Path path) {
    return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(
      Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }
}
