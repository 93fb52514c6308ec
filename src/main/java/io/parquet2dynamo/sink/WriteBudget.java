package io.parquet2dynamo.sink;

import io.parquet2dynamo.InvalidInputException;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The job's write budget in write capacity units per second, and where it came from: {@code
 * --maxWriteUnitsPerSecond}, or {@code --writeCapacityPercent} of the table's own capacity.
 */
public final class WriteBudget {
  private final double unitsPerSecond;
  private final String source;

  private WriteBudget(double unitsPerSecond, String source) {
    this.unitsPerSecond = unitsPerSecond;
    this.source = source;
  }

  /** Write units per second for the whole job; 0 for no limit. */
  public double unitsPerSecond() {
    return unitsPerSecond;
  }

  /** Where the budget came from, for the log and the summary. */
  public String source() {
    return source;
  }

  /**
   * Decides the budget from the options and the table's description.
   *
   * <p>With a percentage: a provisioned table gives that share of its write capacity, or of its
   * smallest global secondary index's, since every write to the table also writes the indexes. An
   * on-demand table gives that share of its {@code OnDemandThroughput.MaxWriteRequestUnits};
   * without one there is nothing to take a share of, and the user must say an absolute budget.
   *
   * @throws InvalidInputException for conflicting or impossible options
   */
  public static WriteBudget resolve(
      Double maxWriteUnitsPerSecond, Double writeCapacityPercent, TableDescription table) {
    if (maxWriteUnitsPerSecond != null && writeCapacityPercent != null) {
      throw new InvalidInputException(
          "give --maxWriteUnitsPerSecond or --writeCapacityPercent, not both");
    }
    if (maxWriteUnitsPerSecond != null) {
      if (!(maxWriteUnitsPerSecond > 0)) {
        throw new InvalidInputException(
            "--maxWriteUnitsPerSecond must be a positive number, not " + maxWriteUnitsPerSecond);
      }
      return new WriteBudget(
          maxWriteUnitsPerSecond, "--maxWriteUnitsPerSecond=" + format(maxWriteUnitsPerSecond));
    }
    if (writeCapacityPercent == null) {
      return new WriteBudget(
          0, "no limit (give --maxWriteUnitsPerSecond or --writeCapacityPercent)");
    }
    if (!(writeCapacityPercent > 0 && writeCapacityPercent <= 100)) {
      throw new InvalidInputException(
          "--writeCapacityPercent must be above 0 and at most 100, not " + writeCapacityPercent);
    }
    String name = table.tableName();
    boolean onDemand =
        table.billingModeSummary() != null
            && table.billingModeSummary().billingMode() == BillingMode.PAY_PER_REQUEST;
    double share = writeCapacityPercent / 100;
    if (onDemand) {
      Long max =
          table.onDemandThroughput() == null
              ? null
              : table.onDemandThroughput().maxWriteRequestUnits();
      if (max == null || max <= 0) {
        throw new InvalidInputException(
            "--writeCapacityPercent: table '"
                + name
                + "' is on-demand without a maximum write throughput, so it has no capacity to "
                + "take a share of; give --maxWriteUnitsPerSecond instead");
      }
      return new WriteBudget(
          max * share,
          format(writeCapacityPercent)
              + "% of table '"
              + name
              + "''s on-demand maximum of "
              + max
              + " write units/s");
    }
    long capacity = table.provisionedThroughput().writeCapacityUnits();
    String of = "table '" + name + "''s provisioned " + capacity + " WCU";
    for (GlobalSecondaryIndexDescription index : table.globalSecondaryIndexes()) {
      if (index.provisionedThroughput() != null
          && index.provisionedThroughput().writeCapacityUnits() != null
          && index.provisionedThroughput().writeCapacityUnits() < capacity) {
        capacity = index.provisionedThroughput().writeCapacityUnits();
        of =
            "index '"
                + index.indexName()
                + "''s provisioned "
                + capacity
                + " WCU (the table's smallest)";
      }
    }
    return new WriteBudget(capacity * share, format(writeCapacityPercent) + "% of " + of);
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  @Override
  public String toString() {
    return unitsPerSecond > 0
        ? format(unitsPerSecond) + " write units/s (" + source + ")"
        : "no write budget: " + source;
  }
}
