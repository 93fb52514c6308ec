package io.parquet2dynamo.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/**
 * Base of the tests that load the apache/parquet-testing files copied to
 * src/test/resources/parquet-testing (see SOURCE.md there) into the stand-ins.
 */
public abstract class ParquetTestingFiles {
  protected static LocalStandIns standIns;
  protected static StandInClients aws;

  /** The folder that holds the files. */
  protected static Path data;

  @BeforeClass
  public static void setUpStandIns() throws IOException, URISyntaxException {
    standIns = LocalStandIns.shared();
    aws = new StandInClients(standIns);
    data =
        Paths.get(ParquetTestingFiles.class.getResource("/parquet-testing/SOURCE.md").toURI())
            .getParent();
  }

  @AfterClass
  public static void closeClients() {
    aws.close();
  }
}
