package io.parquet2dynamo.testing;

import java.io.IOException;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/**
 * Base of the integration tests that talk to the local stand-ins: the shared DynamoDB Local and
 * S3Proxy (started once per test JVM) and AWS SDK clients for them, closed after each class.
 */
public abstract class WithStandIns {
  protected static LocalStandIns standIns;
  protected static StandInClients aws;

  @BeforeClass
  public static void startStandIns() throws IOException {
    standIns = LocalStandIns.shared();
    aws = new StandInClients(standIns);
  }

  @AfterClass
  public static void closeStandInClients() {
    aws.close();
  }
}
