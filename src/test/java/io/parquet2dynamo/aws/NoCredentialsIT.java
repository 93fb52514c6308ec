package io.parquet2dynamo.aws;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.testing.JobProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The job started with no AWS credentials anywhere (a scrubbed environment, an empty home, no
 * instance metadata), as a user's first run often is: one line that says which sources the AWS SDK
 * tried and how to give credentials, not the SDK's 1,500-character chain.
 */
public class NoCredentialsIT {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void noCredentialsIsOneLineSayingWhatWasTriedAndWhatToDo() throws Exception {
    Path home = TMP.newFolder("home").toPath(); // no ~/.aws (the SDK reads $HOME first)
    Map<String, String> environment =
        Map.of(
            "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
            "HOME", home.toString(),
            // The instance profile is tried too; here it would wait for a metadata service.
            "AWS_EC2_METADATA_DISABLED", "true");
    JobProcess job =
        JobProcess.start(
            "DirectRunner",
            TMP.newFolder().toPath(),
            List.of(
                "--inputPath=s3://bucket/sales/",
                "--tableName=sales",
                "--awsRegion=us-east-1",
                "--endpoint=http://127.0.0.1:9"),
            environment);

    assertEquals(job.stderr(), 2, job.waitFor(120));
    String[] lines = job.stderr().strip().split("\n");
    String error = lines[lines.length - 1];
    assertTrue(
        error,
        error.startsWith(
            "ERROR: --tableName: cannot describe table 'sales' in region us-east-1 at"
                + " http://127.0.0.1:9: no AWS credentials found; tried Java system properties"
                + " (aws.accessKeyId, aws.secretAccessKey), environment variables"
                + " (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), a web identity token"));
    assertTrue(error, error.contains("profile 'default' in ~/.aws/credentials and ~/.aws/config"));
    assertTrue(error, error.contains("the EC2 instance profile"));
    assertTrue(error, error.contains(". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"));
    assertFalse(job.stderr(), job.stderr().contains("AwsCredentialsProviderChain"));
    assertFalse(job.stderr(), job.stderr().contains("\tat "));
  }
}
