package io.parquet2dynamo.deadletter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.item.TableKey;
import java.util.Map;
import org.apache.beam.sdk.values.KV;
import org.junit.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Tests which dead-letter records {@link ReplayDeadLetters} writes again, and how. */
public class ReplayDeadLettersTest {
  private static final TableKey KEY =
      TableKey.of("orders", "id", ScalarAttributeType.S, "line", ScalarAttributeType.N);
  private static final ReplayDeadLetters.ToItemFn PARSE = new ReplayDeadLetters.ToItemFn(KEY);

  private static String record(String reason, String item) {
    return DeadLetter.ofItem(
            RejectReason.valueOf(reason),
            "m",
            "s3://b/f.parquet",
            7,
            Map.of(
                "id",
                AttributeValue.fromS("o-1"),
                "line",
                AttributeValue.fromN("2"),
                "v",
                AttributeValue.fromS(item)))
        .toJson();
  }

  @Test
  public void writeFailuresComeBackAsTheItemsTheyHoldFromTheirRow() {
    for (String reason : new String[] {"WRITE_FAILED", "WRITE_UNCONFIRMED"}) {
      KV<String, LoadItem> item = PARSE.parse(record(reason, "x"), "f.jsonl", 1);
      assertEquals(
          Map.of(
              "id", AttributeValue.fromS("o-1"),
              "line", AttributeValue.fromN("2"),
              "v", AttributeValue.fromS("x")),
          item.getValue().attributes());
      assertEquals("s3://b/f.parquet", item.getValue().sourceFile());
      assertEquals(7, item.getValue().sourceRow());
      assertEquals(KEY.keyString(item.getValue().attributes()), item.getKey());
    }
  }

  @Test
  public void otherReasonsAreNotReplayed() {
    assertNull(PARSE.parse(record("REFUSED_BY_DYNAMODB", "x"), "f.jsonl", 1));
    assertNull(
        PARSE.parse("{\"reason\":\"MISSING_KEY\",\"message\":\"m\",\"row\":{}}", "f.jsonl", 2));
  }

  @Test
  public void aLineThatIsNoDeadLetterOrAnotherTablesIsAClearError() {
    assertEquals(
        "--replayDeadLetters: f.jsonl line 3 is not a dead-letter record: not JSON",
        assertThrows(InvalidInputException.class, () -> PARSE.parse("{oops", "f.jsonl", 3))
            .getMessage());
    TableKey other = TableKey.of("users", "user", ScalarAttributeType.S, null, null);
    assertEquals(
        "--replayDeadLetters: f.jsonl line 4 has no 'user', a key of table 'users': replay dead"
            + " letters into the table they came from",
        assertThrows(
                InvalidInputException.class,
                () ->
                    new ReplayDeadLetters.ToItemFn(other)
                        .parse(record("WRITE_FAILED", "x"), "f.jsonl", 4))
            .getMessage());
  }
}
