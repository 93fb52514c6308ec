package io.parquet2dynamo.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Set;
import org.junit.Test;

public class FaultsTest {
  private final Faults faults =
      Faults.builder()
          .throttleFraction(0.2)
          .serverErrorFraction(0.1)
          .unprocessedFraction(0.3)
          .build();

  @Test
  public void oneDrawPicksAtMostOneFault() {
    assertEquals(Faults.Fault.THROTTLE, faults.decide("PutItem", 0.0));
    assertEquals(Faults.Fault.THROTTLE, faults.decide("BatchWriteItem", 0.1999));
    assertEquals(Faults.Fault.SERVER_ERROR, faults.decide("BatchWriteItem", 0.2));
    assertEquals(Faults.Fault.UNPROCESSED, faults.decide("BatchWriteItem", 0.31));
    assertEquals(Faults.Fault.NONE, faults.decide("BatchWriteItem", 0.61));
  }

  @Test
  public void onlyBatchWriteItemIsPartlyProcessed() {
    assertEquals(Faults.Fault.NONE, faults.decide("PutItem", 0.31));
    assertEquals(Faults.Fault.NONE, faults.decide("UpdateItem", 0.59));
  }

  @Test
  public void writesAreFaultedByDefaultAndReadsNever() {
    assertEquals(Faults.WRITE_OPERATIONS, faults.operations());
    assertTrue(faults.faults("DeleteItem"));
    for (String read : Set.of("DescribeTable", "Scan", "GetItem", "Query", "BatchGetItem")) {
      assertTrue(read, !faults.faults(read));
    }
    Faults reads = faults.toBuilder().operations("GetItem").build();
    assertTrue(reads.faults("GetItem") && !reads.faults("PutItem"));
  }

  @Test
  public void refusesFractionsThatCannotHold() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Faults.builder().throttleFraction(0.6).unprocessedFraction(0.5).build());
    assertThrows(
        IllegalArgumentException.class, () -> Faults.builder().serverErrorFraction(-0.1).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> Faults.builder().throttleFraction(Double.NaN).build());
    assertThrows(
        IllegalArgumentException.class, () -> Faults.builder().alwaysThrottleKeys("k").build());
  }

  @Test
  public void alwaysThrottlesOnlyTheListedKeys() {
    Faults hot = Faults.builder().partitionKey("pk").alwaysThrottleKeys("a", "7").build();
    assertTrue(hot.alwaysThrottles("a") && hot.alwaysThrottles("7"));
    assertTrue(!hot.alwaysThrottles("b") && !hot.alwaysThrottles(null));
  }

  @Test
  public void throttleKindsNameTheSdkErrorCodes() {
    assertEquals(
        "ProvisionedThroughputExceededException",
        Faults.ThrottleKind.PROVISIONED_THROUGHPUT_EXCEEDED.errorCode());
    assertEquals("ThrottlingException", Faults.ThrottleKind.THROTTLING.errorCode());
    assertEquals("RequestLimitExceeded", Faults.ThrottleKind.REQUEST_LIMIT_EXCEEDED.errorCode());
  }
}
