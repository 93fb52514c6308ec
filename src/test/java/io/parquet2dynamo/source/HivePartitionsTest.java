package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Tests {@link HivePartitions}: partition columns read from Hive-style folders above a file. */
public class HivePartitionsTest {

  @Test
  public void partitionFoldersOutermostFirst() {
    Map<String, String> p =
        HivePartitions.of("s3://b/sales/region=eu/day=2024-01-31/part-0.parquet");

    assertEquals(Map.of("region", "eu", "day", "2024-01-31"), p);
    assertEquals(List.of("region", "day"), new ArrayList<>(p.keySet()));
  }

  @Test
  public void onlyContiguousFoldersDirectlyAboveTheFileCount() {
    assertEquals(
        Map.of("region", "eu"), HivePartitions.of("s3://b/data=x/sales/region=eu/f.parquet"));
    assertEquals(
        Map.of("day", "1"), HivePartitions.of("s3://b/a=1/sales/b=2/other/day=1/f.parquet"));
  }

  @Test
  public void fileNameWithEqualsSignIsNotAPartition() {
    assertEquals(Map.of("region", "eu"), HivePartitions.of("s3://b/region=eu/k=v.parquet"));
  }

  @Test
  public void valuesArePercentDecoded() {
    assertEquals(
        Map.of("city", "São Paulo"), HivePartitions.of("s3://b/t/city=S%C3%A3o%20Paulo/f.parquet"));
    assertEquals(
        Map.of("ts", "2024-01-31 08:15:30"),
        HivePartitions.of("s3://b/t/ts=2024-01-31%2008%3A15%3A30/f.parquet"));
    // An escaped '=' in the key and '/' in the value.
    assertEquals(Map.of("a=b", "c/d"), HivePartitions.of("s3://b/t/a%3Db=c%2Fd/f.parquet"));
  }

  @Test
  public void plusStaysPlus() {
    assertEquals(Map.of("q", "a+b"), HivePartitions.of("s3://b/t/q=a+b/f.parquet"));
    // Also when the value has percent escapes, which go through URL decoding.
    assertEquals(Map.of("q", "a+b c"), HivePartitions.of("s3://b/t/q=a+b%20c/f.parquet"));
  }

  @Test
  public void malformedEscapeIsKeptAsWritten() {
    assertEquals(Map.of("pct", "100%"), HivePartitions.of("s3://b/t/pct=100%/f.parquet"));
  }

  @Test
  public void hiveDefaultPartitionIsNull() {
    Map<String, String> p =
        HivePartitions.of("s3://b/t/region=__HIVE_DEFAULT_PARTITION__/day=1/f.parquet");

    assertEquals(2, p.size());
    assertTrue(p.containsKey("region"));
    assertNull(p.get("region"));
    assertEquals("1", p.get("day"));
  }

  @Test
  public void emptyValueIsEmptyString() {
    assertEquals(Map.of("region", ""), HivePartitions.of("s3://b/t/region=/f.parquet"));
  }

  @Test
  public void noPartitionsIsEmpty() {
    assertTrue(HivePartitions.of("s3://b/sales/part-0.parquet").isEmpty());
    assertTrue(HivePartitions.of("/data/sales/part-0.parquet").isEmpty());
    assertTrue(HivePartitions.of("part-0.parquet").isEmpty());
    // A folder starting with '=' has no key.
    assertTrue(HivePartitions.of("s3://b/=x/part-0.parquet").isEmpty());
  }

  @Test
  public void localAbsolutePaths() {
    assertEquals(
        Map.of("region", "eu", "day", "2024-01-31"),
        HivePartitions.of("/data/sales/region=eu/day=2024-01-31/part-0.parquet"));
    assertEquals(Map.of("region", "eu"), HivePartitions.of("/region=eu/part-0.parquet"));
    assertEquals(
        Map.of("region", "eu"), HivePartitions.of("file:///data/sales/region=eu/part-0.parquet"));
  }
}
