package io.parquet2dynamo.testing;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.BeforeClass;

/**
 * Base of the tests that load the apache/parquet-testing files copied to
 * src/test/resources/parquet-testing (see SOURCE.md there) into the stand-ins.
 */
public abstract class ParquetTestingFiles extends WithStandIns {
  /** The folder that holds the files. */
  protected static Path data;

  @BeforeClass
  public static void findFiles() throws URISyntaxException {
    data =
        Paths.get(ParquetTestingFiles.class.getResource("/parquet-testing/SOURCE.md").toURI())
            .getParent();
  }
}
