package io.parquet2dynamo.aws;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/** Tests {@link Endpoints}: parsing, and the warning for plain HTTP to AWS hosts. */
public class EndpointsTest {
  private static List<String> warnings(String... args) {
    return Endpoints.plainHttpToAws(
        PipelineOptionsFactory.fromArgs(args).as(Parquet2DynamoOptions.class));
  }

  @Test
  public void awsHosts() {
    assertTrue(Endpoints.isAwsHost("dynamodb.us-east-1.amazonaws.com"));
    assertTrue(Endpoints.isAwsHost("S3.EU-WEST-1.AMAZONAWS.COM."));
    assertTrue(Endpoints.isAwsHost("dynamodb.cn-north-1.amazonaws.com.cn"));
    assertTrue(Endpoints.isAwsHost("dynamodb.us-east-1.api.aws"));
    assertFalse(Endpoints.isAwsHost("127.0.0.1"));
    assertFalse(Endpoints.isAwsHost("localhost"));
    assertFalse(Endpoints.isAwsHost("notamazonaws.com.example.org"));
  }

  @Test
  public void eachPlainHttpEndpointToAwsIsNamed() {
    List<String> warnings =
        warnings(
            "--endpoint=http://s3.us-east-1.amazonaws.com",
            "--s3Endpoint=http://S3.us-east-1.amazonaws.com:80",
            "--dynamoDbEndpoint=http://dynamodb.us-east-1.api.aws");
    assertEquals(3, warnings.size());
    assertTrue(warnings.get(0), warnings.get(0).startsWith("--endpoint=http://s3.us-east-1"));
    assertTrue(warnings.get(1), warnings.get(1).startsWith("--s3Endpoint=http://S3.us-east-1"));
    assertTrue(warnings.get(2), warnings.get(2).contains("use https://"));
  }

  @Test
  public void httpsAndLocalEndpointsAreNotWarnedOf() {
    assertEquals(
        List.of(),
        warnings(
            "--endpoint=https://s3.us-east-1.amazonaws.com",
            "--s3Endpoint=http://127.0.0.1:9000",
            "--dynamoDbEndpoint=http://localhost:8000"));
  }

  @Test
  public void aWarningMasksAPassword() {
    List<String> warnings = warnings("--dynamoDbEndpoint=http://u:hunter22@dynamodb.amazonaws.com");
    assertFalse(warnings.get(0), warnings.get(0).contains("hunter22"));
  }

  @Test
  public void aBadEndpointNamesItsOption() {
    assertEquals(
        "--s3Endpoint=localhost:9000 is not an endpoint URL (expected http://host:port or"
            + " https://host)",
        assertThrows(InvalidInputException.class, () -> warnings("--s3Endpoint=localhost:9000"))
            .getMessage());
  }
}
