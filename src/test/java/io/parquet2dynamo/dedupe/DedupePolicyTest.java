package io.parquet2dynamo.dedupe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;

/** Tests {@link DedupePolicy}: parsing, and which candidate {@code last} and {@code maxBy} keep. */
public class DedupePolicyTest {
  private static FindDuplicates.Candidate candidate(
      Schema orderSchema, Object order, String file, long row) {
    byte[] encoded = null;
    if (orderSchema != null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        SchemaCoder.of(orderSchema)
            .encode(Row.withSchema(orderSchema).addValue(order).build(), out);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      encoded = out.toByteArray();
    }
    return new FindDuplicates.Candidate("k", file, row, encoded);
  }

  private static FindDuplicates.Candidate winner(
      DedupePolicy policy, Schema orderSchema, List<FindDuplicates.Candidate> candidates) {
    DedupePolicy.CandidateOrder order = policy.candidateOrder(orderSchema);
    return Collections.max(candidates, order::compare);
  }

  private static Schema orderOf(FieldType type) {
    return Schema.builder().addNullableField("updated", type).build();
  }

  @Test
  public void parsesTheThreePolicies() {
    assertEquals("last", DedupePolicy.parse(null).toString());
    assertEquals("none", DedupePolicy.parse("none").toString());
    assertTrue(DedupePolicy.parse("none").isNone());
    assertEquals("updated", DedupePolicy.parse("maxBy:updated").column());
    assertEquals(
        "--dedupe=maxBy: is not a valid value; use one of last, maxBy:<column>, none",
        assertThrows(InvalidInputException.class, () -> DedupePolicy.parse("maxBy:")).getMessage());
  }

  @Test
  public void lastKeepsTheLastInInputOrderWhateverTheOrderTheyCome() {
    DedupePolicy last = DedupePolicy.parse("last");
    FindDuplicates.Candidate a0 = candidate(null, null, "s3://b/batch=9/a.parquet", 0);
    FindDuplicates.Candidate a9 = candidate(null, null, "s3://b/batch=9/a.parquet", 9);
    FindDuplicates.Candidate b0 = candidate(null, null, "s3://b/batch=10/a.parquet", 0);
    List<FindDuplicates.Candidate> all = new ArrayList<>(List.of(a0, a9, b0));
    for (int i = 0; i < all.size(); i++) {
      Collections.rotate(all, 1);
      // batch=10 comes after batch=9: numbers in paths compare as numbers.
      assertEquals(b0, winner(last, null, all));
    }
  }

  @Test
  public void maxByComparesTheTypedSourceValues() {
    DedupePolicy maxBy = DedupePolicy.parse("maxBy:updated");
    Schema decimals = orderOf(FieldType.DECIMAL);
    FindDuplicates.Candidate nine = candidate(decimals, new BigDecimal("9"), "b", 0);
    FindDuplicates.Candidate ten = candidate(decimals, new BigDecimal("10.0"), "a", 0);
    assertEquals(ten, winner(maxBy, decimals, List.of(nine, ten)));
    assertEquals(ten, winner(maxBy, decimals, List.of(ten, nine)));

    // Timestamps by time, whatever --timestampFormat writes: as ISO text, ...:42Z > ...:42.5Z.
    Schema times = orderOf(FieldType.logicalType(new NanosInstant()));
    FindDuplicates.Candidate whole =
        candidate(times, Instant.parse("2024-01-31T08:15:42Z"), "z", 0);
    FindDuplicates.Candidate half =
        candidate(times, Instant.parse("2024-01-31T08:15:42.500Z"), "a", 0);
    assertEquals(half, winner(maxBy, times, List.of(whole, half)));
    assertEquals(half, winner(maxBy, times, List.of(half, whole)));
  }

  @Test
  public void maxByTiesGoToTheLastInInputOrderAndAbsentLoses() {
    DedupePolicy maxBy = DedupePolicy.parse("maxBy:updated");
    Schema text = orderOf(FieldType.STRING);
    FindDuplicates.Candidate early = candidate(text, "2024-02", "a.parquet", 5);
    FindDuplicates.Candidate late = candidate(text, "2024-02", "b.parquet", 0);
    FindDuplicates.Candidate missing = candidate(text, null, "z.parquet", 9);
    List<FindDuplicates.Candidate> all = new ArrayList<>(List.of(missing, late, early));
    for (int i = 0; i < all.size(); i++) {
      Collections.rotate(all, 1);
      assertEquals(late, winner(maxBy, text, all));
    }
  }

  @Test
  public void valuesOrderByTheirType() {
    assertTrue(DedupePolicy.compareValues("b", "ab") > 0);
    assertTrue(DedupePolicy.compareValues(new byte[] {(byte) 0xff}, new byte[] {1, 2}) > 0);
    assertTrue(DedupePolicy.compareValues(true, false) > 0);
    assertTrue(DedupePolicy.compareValues(null, -1_000_000_000L) < 0);
    assertTrue(DedupePolicy.compareValues(10L, 9L) > 0);
  }
}
