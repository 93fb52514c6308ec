package io.parquet2dynamo.sink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.item.LoadItem;
import java.util.Map;
import org.junit.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** Tests which write errors {@link BatchWriter} retries, and what a write costs. */
public class BatchWriterTest {
  private static DynamoDbException error(int status, String code) {
    return (DynamoDbException)
        DynamoDbException.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
            .build();
  }

  @Test
  public void throttlingServerAndNetworkErrorsAreRetried() {
    assertTrue(BatchWriter.isRetryable(error(400, "ProvisionedThroughputExceededException")));
    assertTrue(BatchWriter.isRetryable(error(400, "ThrottlingException")));
    assertTrue(BatchWriter.isRetryable(error(400, "RequestLimitExceeded")));
    assertTrue(BatchWriter.isRetryable(error(500, "InternalServerError")));
    assertTrue(BatchWriter.isRetryable(error(503, "ServiceUnavailable")));
    assertTrue(BatchWriter.isRetryable(SdkClientException.create("connection reset")));
    assertTrue(BatchWriter.isThrottling(error(400, "ThrottlingException")));
    assertFalse(BatchWriter.isThrottling(error(500, "InternalServerError")));
  }

  @Test
  public void errorsWaitingCannotFixAreNotRetried() {
    assertFalse(BatchWriter.isRetryable(error(400, "ValidationException")));
    assertFalse(BatchWriter.isRetryable(error(400, "ResourceNotFoundException")));
    assertFalse(BatchWriter.isRetryable(error(400, "AccessDeniedException")));
    assertFalse(BatchWriter.isRetryable(error(403, "UnrecognizedClientException")));
  }

  @Test
  public void aWriteCostsOneUnitPerStartedKilobyte() {
    assertEquals(1, BatchWriter.units(item(10)));
    // "id" (2) + "k" (1) + "v" (1) + 1020 bytes = 1024: still one unit; one byte more is two.
    assertEquals(1, BatchWriter.units(item(1020)));
    assertEquals(2, BatchWriter.units(item(1021)));
  }

  private static LoadItem item(int valueBytes) {
    return new LoadItem(
        Map.of("id", AttributeValue.fromS("k"), "v", AttributeValue.fromS("x".repeat(valueBytes))),
        "f",
        0);
  }
}
