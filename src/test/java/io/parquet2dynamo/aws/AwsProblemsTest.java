package io.parquet2dynamo.aws;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Tests {@link AwsProblems}: the SDK's messages for missing credentials and region, in a line. */
public class AwsProblemsTest {
  /** What AWS SDK 2.29 says with no credentials anywhere (printed by a run without them). */
  static final String CHAIN =
      "Unable to load credentials from any of the providers in the chain"
          + " AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(),"
          + " EnvironmentVariableCredentialsProvider(), WebIdentityTokenCredentialsProvider(),"
          + " ProfileCredentialsProvider(profileName=ops, profileFile=ProfileFile(sections=[])),"
          + " ContainerCredentialsProvider(), InstanceProfileCredentialsProvider()]) :"
          + " [SystemPropertyCredentialsProvider(): Unable to load credentials from system"
          + " settings. Access key must be specified either via environment variable"
          + " (AWS_ACCESS_KEY_ID) or system property (aws.accessKeyId).,"
          + " ProfileCredentialsProvider(profileName=ops, profileFile=ProfileFile(sections=[])):"
          + " Profile file contained no credentials for profile 'ops': ProfileFile(sections=[]),"
          + " InstanceProfileCredentialsProvider(): Failed to load credentials from IMDS.]";

  @Test
  public void theCredentialChainBecomesTheSourcesTriedAndWhatToDo() {
    String line =
        AwsProblems.explain("--tableName: cannot describe table 'sales' at http://x: " + CHAIN);
    assertEquals(
        "--tableName: cannot describe table 'sales' at http://x: no AWS credentials found; tried"
            + " Java system properties (aws.accessKeyId, aws.secretAccessKey), environment"
            + " variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), a web identity token"
            + " (AWS_WEB_IDENTITY_TOKEN_FILE), profile 'ops' in ~/.aws/credentials and"
            + " ~/.aws/config, the container's role (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI), the"
            + " EC2 instance profile. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and"
            + " AWS_SESSION_TOKEN for temporary ones), or AWS_PROFILE=<a profile in ~/.aws>, or"
            + " --awsCredentialsProvider='{\"@type\":\"ProfileCredentialsProvider\","
            + "\"profileName\":\"<profile>\"}'; on Glue, EC2 or ECS give the job's role the"
            + " permissions instead",
        line);
    assertFalse(line.contains("\n"));
  }

  @Test
  public void aChainOfUnknownShapeStillSaysWhatToDo() {
    String line =
        AwsProblems.explain(
            "Unable to load credentials from any of the providers in the chain MyChain");
    assertTrue(line, line.startsWith("no AWS credentials found; tried the AWS SDK's default"));
    assertTrue(line, line.contains("Set AWS_ACCESS_KEY_ID"));
  }

  @Test
  public void aMissingRegionSaysWhereToSetIt() {
    assertEquals(
        "no AWS region is configured; set --awsRegion (or AWS_REGION, or a region in the"
            + " profile)",
        AwsProblems.explain(
            "Unable to load region from any of the providers in the chain"
                + " software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain@1: [...]"));
  }

  @Test
  public void otherMessagesStayAsTheyAre() {
    assertEquals("Access Denied", AwsProblems.explain("Access Denied"));
    assertEquals(null, AwsProblems.explain(null));
  }
}
