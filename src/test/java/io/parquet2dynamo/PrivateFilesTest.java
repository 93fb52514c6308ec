package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Tests {@link PrivateFiles}: owner-only files and folders on the local disk. */
public class PrivateFilesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  public void localPaths() {
    assertEquals(Paths.get("/x/y"), PrivateFiles.localPath("/x/y"));
    assertEquals(Paths.get("/x/y"), PrivateFiles.localPath("file:///x/y"));
    assertEquals(Paths.get("rel/y"), PrivateFiles.localPath("rel/y"));
    assertNull(PrivateFiles.localPath("s3://bucket/key"));
    assertNull(PrivateFiles.localPath(" "));
  }

  @Test
  public void aPreparedFileIsOwnerOnlyInOwnerOnlyFolders() throws IOException {
    Path file = tmp.getRoot().toPath().resolve("a/b/summary.json");

    PrivateFiles.prepareFile(file);

    assertEquals("rw-------", permissions(file));
    assertEquals("rwx------", permissions(file.getParent()));
    assertEquals("rwx------", permissions(file.getParent().getParent()));
  }

  @Test
  public void anExistingFileBecomesOwnerOnlyAndKeepsItWhenRewritten() throws IOException {
    Path file = tmp.newFile("old.json").toPath();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    PrivateFiles.prepareFile(file);
    Files.writeString(file, "{}");

    assertEquals("rw-------", permissions(file));
  }

  @Test
  public void existingFoldersAreLeftAlone() throws IOException {
    Path dir = tmp.newFolder("shared").toPath();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    PrivateFiles.createFolders(dir.resolve("mine"));

    assertEquals("rwxr-xr-x", permissions(dir));
    assertEquals("rwx------", permissions(dir.resolve("mine")));
  }
}
