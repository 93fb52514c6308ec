package io.parquet2dynamo.sink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import org.junit.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** Tests {@link WriteBudget}: where the budget comes from, and what is refused. */
public class WriteBudgetTest {
  private static TableDescription provisioned(long wcu, long... indexWcu) {
    TableDescription.Builder b =
        TableDescription.builder()
            .tableName("t")
            .billingModeSummary(s -> s.billingMode(BillingMode.PROVISIONED))
            .provisionedThroughput(p -> p.writeCapacityUnits(wcu).readCapacityUnits(1L));
    GlobalSecondaryIndexDescription[] indexes =
        new GlobalSecondaryIndexDescription[indexWcu.length];
    for (int i = 0; i < indexWcu.length; i++) {
      long w = indexWcu[i];
      indexes[i] =
          GlobalSecondaryIndexDescription.builder()
              .indexName("gsi" + i)
              .provisionedThroughput(p -> p.writeCapacityUnits(w).readCapacityUnits(1L))
              .build();
    }
    return b.globalSecondaryIndexes(indexes).build();
  }

  private static TableDescription onDemand(Long maxWrite) {
    TableDescription.Builder b =
        TableDescription.builder()
            .tableName("t")
            .billingModeSummary(s -> s.billingMode(BillingMode.PAY_PER_REQUEST));
    if (maxWrite != null) {
      b.onDemandThroughput(o -> o.maxWriteRequestUnits(maxWrite));
    }
    return b.build();
  }

  @Test
  public void anAbsoluteBudgetIsTakenAsGiven() {
    WriteBudget budget = WriteBudget.resolve(1000.0, null, null);
    assertEquals(1000, budget.unitsPerSecond(), 0);
    assertEquals("1000 write units/s (--maxWriteUnitsPerSecond=1000)", budget.toString());
  }

  @Test
  public void noOptionMeansNoLimit() {
    assertEquals(0, WriteBudget.resolve(null, null, null).unitsPerSecond(), 0);
  }

  @Test
  public void aPercentageOfProvisionedCapacityUsesTheSmallestOfTableAndIndexes() {
    assertEquals(500, WriteBudget.resolve(null, 50.0, provisioned(1000)).unitsPerSecond(), 0);
    WriteBudget withIndex = WriteBudget.resolve(null, 50.0, provisioned(1000, 400, 800));
    assertEquals(200, withIndex.unitsPerSecond(), 0);
    assertTrue(withIndex.toString(), withIndex.toString().contains("index 'gsi0'"));
  }

  @Test
  public void aPercentageOfAnOnDemandTableNeedsItsMaximum() {
    assertEquals(250, WriteBudget.resolve(null, 25.0, onDemand(1000L)).unitsPerSecond(), 0);
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> WriteBudget.resolve(null, 25.0, onDemand(null)));
    assertTrue(e.getMessage(), e.getMessage().contains("give --maxWriteUnitsPerSecond instead"));
  }

  @Test
  public void conflictingOrOutOfRangeOptionsAreRefused() {
    assertThrows(InvalidInputException.class, () -> WriteBudget.resolve(10.0, 10.0, null));
    assertThrows(InvalidInputException.class, () -> WriteBudget.resolve(0.0, null, null));
    assertThrows(InvalidInputException.class, () -> WriteBudget.resolve(null, 150.0, null));
  }
}
