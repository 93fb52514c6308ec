package io.parquet2dynamo.runners;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.parquet2dynamo.bookmark.BookmarkSettings;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.CreateJobRequest;
import software.amazon.awssdk.services.glue.model.StartJobRunRequest;
import software.amazon.awssdk.services.glue.model.UpdateJobRequest;

/**
 * Checks the AWS Glue launch files in {@code runners/glue} without AWS. deploy.sh renders the job
 * definition, the run's arguments and the IAM policy; each rendered request is then read into the
 * AWS SDK's Glue model, with unknown fields failing, and sent by a real {@link GlueClient} to a
 * recording stand-in for Glue. Where the AWS CLI is installed, deploy.sh also runs end to end
 * through it against the same stand-in (the CLI validates every parameter before sending).
 */
public class GlueJobDefinitionIT {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Path GLUE_DIR = Paths.get("runners", "glue").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String BUCKET = "glue-bucket";
  private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/parquet2dynamo-glue";
  private static final String TABLE = "sales";
  private static final String INPUT_PATH = "s3://data-bucket/sales/";
  private static final String REGION = "eu-west-1";
  private static final String JOB_NAME = "parquet2dynamo-test";
  private static final List<String> DEPLOY_OPTIONS =
      List.of(
          "--bucket", BUCKET,
          "--role-arn", ROLE_ARN,
          "--table", TABLE,
          "--input-path", INPUT_PATH,
          "--region", REGION,
          "--job-name", JOB_NAME);

  private static FakeGlue glue;
  private static Path rendered;

  @BeforeClass
  public static void setUp() throws Exception {
    assertTrue("run from the project directory", Files.isDirectory(GLUE_DIR));
    glue = FakeGlue.start();
    rendered = TMP.newFolder("rendered").toPath();
    List<String> render = new ArrayList<>(List.of("--render", rendered.toString()));
    render.addAll(DEPLOY_OPTIONS);
    render.addAll(List.of("--workers", "4", "--", "--timestampFormat=epochMillis"));
    Result result = deploy(render, Map.of());
    assertEquals(result.describe(), 0, result.exitCode);
  }

  @AfterClass
  public static void tearDown() {
    if (glue != null) {
      glue.stop();
    }
  }

  @Before
  public void forgetRequests() {
    glue.reset();
  }

  @Test
  public void createJobInputFitsTheGlueApi() throws Exception {
    JsonNode job = sendWithSdk("create-job.json", CreateJobRequest.serializableBuilderClass());

    assertEquals(JOB_NAME, job.path("Name").asText());
    assertEquals(ROLE_ARN, job.path("Role").asText());
    assertEquals("glueetl", job.path("Command").path("Name").asText());
    assertEquals(
        "s3://glue-bucket/parquet2dynamo/scripts/Placeholder.scala",
        job.path("Command").path("ScriptLocation").asText());
    assertEquals("5.0", job.path("GlueVersion").asText());
    assertEquals("a retry would run the whole load again", 0, job.path("MaxRetries").asInt(-1));
    assertEquals(1, job.path("ExecutionProperty").path("MaxConcurrentRuns").asInt());
    JsonNode arguments = job.path("DefaultArguments");
    assertEquals("scala", arguments.path("--job-language").asText());
    assertEquals("io.parquet2dynamo.Parquet2Dynamo", arguments.path("--class").asText());
    assertEquals(
        "s3://glue-bucket/parquet2dynamo/jars/parquet2dynamo.jar",
        arguments.path("--extra-jars").asText());
    assertEquals("true", arguments.path("--user-jars-first").asText());
    assertEquals(
        "the job's own log groups, which the role may write",
        "/aws-glue/jobs/parquet2dynamo-test",
        arguments.path("--custom-logGroup-prefix").asText());
    assertEquals("SparkRunner", arguments.path("--runner").asText());
    assertEquals(INPUT_PATH, arguments.path("--inputPath").asText());
    assertEquals(TABLE, arguments.path("--tableName").asText());
    assertEquals(REGION, arguments.path("--awsRegion").asText());
    assertEquals(
        "s3://glue-bucket/parquet2dynamo/dead-letters/",
        arguments.path("--deadLetterPath").asText());
    assertThat(
        arguments.path("--summaryPath").asText(),
        startsWith("s3://glue-bucket/parquet2dynamo/summaries/"));
  }

  @Test
  public void updateJobInputIsTheSameDefinitionWithoutItsName() throws Exception {
    JsonNode update = sendWithSdk("update-job.json", UpdateJobRequest.serializableBuilderClass());

    ObjectNode expected = (ObjectNode) read(rendered.resolve("create-job.json"));
    expected.remove("Name");
    assertEquals(JOB_NAME, update.path("JobName").asText());
    assertEquals(expected, update.path("JobUpdate"));
  }

  @Test
  public void startJobRunInputCarriesThisRunsArguments() throws Exception {
    JsonNode run = sendWithSdk("start-job-run.json", StartJobRunRequest.serializableBuilderClass());

    assertEquals(JOB_NAME, run.path("JobName").asText());
    assertEquals(4, run.path("NumberOfWorkers").asInt());
    JsonNode arguments = run.path("Arguments");
    assertEquals(INPUT_PATH, arguments.path("--inputPath").asText());
    assertEquals(TABLE, arguments.path("--tableName").asText());
    assertEquals("epochMillis", arguments.path("--timestampFormat").asText());
    assertTrue(
        arguments.path("--summaryPath").asText(),
        Pattern.matches(
            "s3://glue-bucket/parquet2dynamo/summaries/parquet2dynamo-test-\\d{8}T\\d{6}Z\\.json",
            arguments.path("--summaryPath").asText()));
  }

  @Test
  public void aFieldTheGlueApiDoesNotKnowIsRefused() throws Exception {
    ObjectNode job = (ObjectNode) read(rendered.resolve("create-job.json"));
    job.put("MaxRetry", 0);
    try {
      JSON_FOR_SDK.treeToValue(job, CreateJobRequest.serializableBuilderClass());
      fail("an unknown field was accepted: the SDK check would not catch a mistyped one");
    } catch (IOException expected) {
      assertThat(expected.getMessage(), containsString("MaxRetry"));
    }
  }

  @Test
  public void deployCreatesTheJobRunsItAndFollowsItToTheEnd() throws Exception {
    requireAwsCli();
    glue.runStates("RUNNING", "SUCCEEDED");

    Result result = deployThroughCli();

    assertEquals(result.describe(), 0, result.exitCode);
    assertEquals(
        List.of(
            "PUT /glue-bucket/parquet2dynamo/jars/parquet2dynamo.jar",
            "PUT /glue-bucket/parquet2dynamo/scripts/Placeholder.scala",
            "AWSGlue.GetJob",
            "AWSGlue.CreateJob",
            "AWSGlue.StartJobRun",
            "AWSGlue.GetJobRun",
            "AWSGlue.GetJobRun"),
        glue.calls().stream().filter(c -> !c.startsWith("HEAD") && !c.startsWith("GET")).toList());
    assertEquals(read(rendered.resolve("create-job.json")), glue.body("AWSGlue.CreateJob"));
    assertRunArguments(glue.body("AWSGlue.StartJobRun"));
    assertThat(result.stdout, containsString("Created Glue job parquet2dynamo-test"));
    assertThat(result.stdout, containsString("SUCCEEDED"));
    assertThat(result.stdout, containsString(FakeGlue.SUMMARY));
    assertThat(result.stdout, containsString("/aws-glue/jobs/parquet2dynamo-test/output"));
  }

  @Test
  public void deployUpdatesAnExistingJobAndFailsWhenTheRunFails() throws Exception {
    requireAwsCli();
    glue.jobExists(true);
    glue.runStates("FAILED");

    Result result = deployThroughCli();

    assertEquals(result.describe(), 1, result.exitCode);
    List<String> calls = glue.calls();
    assertTrue(calls.toString(), calls.contains("AWSGlue.UpdateJob"));
    assertFalse(calls.toString(), calls.contains("AWSGlue.CreateJob"));
    JsonNode expected = read(rendered.resolve("update-job.json"));
    assertEquals(expected, glue.body("AWSGlue.UpdateJob"));
    assertThat(result.stderr, containsString("ended FAILED"));
    assertThat(result.stderr, containsString(FakeGlue.LOGGED_ERROR));
  }

  @Test
  public void dryRunPrintsTheCommandsAndCallsNothing() throws Exception {
    List<String> options = new ArrayList<>(List.of("--dry-run", "--jar", smallJar().toString()));
    options.addAll(DEPLOY_OPTIONS);

    // No aws on PATH: a dry run that called the CLI would fail.
    Result result = deploy(options, Map.of("PATH", "/usr/bin:/bin"));

    assertEquals(result.describe(), 0, result.exitCode);
    assertThat(result.stdout, containsString("+ aws glue create-job --cli-input-json file://"));
    assertThat(result.stdout, containsString("+ aws glue update-job --cli-input-json file://"));
    assertThat(result.stdout, containsString("+ aws glue start-job-run --cli-input-json file://"));
  }

  @Test
  public void badUsageExitsWithTwoAndSaysWhy() throws Exception {
    Result missing = deploy(List.of("--bucket", BUCKET), Map.of());
    assertEquals(missing.describe(), 2, missing.exitCode);
    assertThat(missing.stderr, containsString("--role-arn is required"));

    Result help = deploy(List.of("-h"), Map.of());
    assertEquals(0, help.exitCode);
    assertThat(help.stdout, containsString("--dry-run"));
  }

  @Test
  public void iamPolicyGrantsExactlyTheJobsActionsOnPlaceholderScopedResources() throws Exception {
    JsonNode template = read(GLUE_DIR.resolve("iam-policy.json"));

    assertEquals(
        new TreeSet<>(
            List.of(
                "s3:GetObject",
                "s3:ListBucket",
                "s3:PutObject",
                "s3:DeleteObject",
                "dynamodb:DescribeTable",
                "${WRITE_ACTION}",
                "dynamodb:DescribeImport",
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                // Where ImportTable logs (--writeMode=import).
                "logs:DescribeLogGroups",
                "logs:DescribeLogStreams",
                "logs:PutRetentionPolicy")),
        actions(template));
    for (JsonNode statement : template.path("Statement")) {
      assertEquals(statement.toString(), "Allow", statement.path("Effect").asText());
      assertFalse(statement.toString(), statement.has("NotAction"));
      assertFalse(statement.toString(), statement.has("NotResource"));
      for (String action : strings(statement.path("Action"))) {
        assertThat(action, not(containsString("*")));
      }
      for (String resource : strings(statement.path("Resource"))) {
        assertThat(resource, startsWith("arn:${PARTITION}:"));
        // Each names this job's buckets (its own, the input's, the bookmark's), or the account
        // for the table and the log groups.
        assertTrue(
            resource,
            resource.matches(".*\\$\\{(BUCKET|INPUT_BUCKET|BOOKMARK_BUCKET|ACCOUNT_ID)}.*"));
      }
      if (statement.has("Condition")) {
        // The only conditions are the prefixes a ListBucket may ask for.
        assertEquals(List.of("s3:ListBucket"), strings(statement.path("Action")));
        assertEquals(
            statement.toString(),
            List.of("s3:prefix"),
            fieldNames(statement.path("Condition").path("StringLike")));
        assertEquals(statement.toString(), 1, statement.path("Condition").size());
      }
    }
  }

  @Test
  public void renderedPolicyCoversWhatTheJobReadsAndWrites() throws Exception {
    JsonNode policy = read(rendered.resolve("iam-policy.json"));
    assertThat(policy.toString(), not(containsString("${")));
    JsonNode job = read(rendered.resolve("create-job.json"));
    JsonNode arguments = job.path("DefaultArguments");

    assertAllowed(policy, "s3:GetObject", s3Arn(arguments.path("--extra-jars").asText()));
    assertAllowed(
        policy, "s3:GetObject", s3Arn(job.path("Command").path("ScriptLocation").asText()));
    assertTrue("list the input", mayList(policy, "data-bucket", "sales/"));
    assertAllowed(policy, "s3:GetObject", "arn:aws:s3:::data-bucket/sales/day=1/part-0.parquet");
    // Beam lists the temporary dead-letter files to delete them.
    assertTrue(
        "list the dead letters",
        mayList(policy, "glue-bucket", "parquet2dynamo/dead-letters/.temp-beam-1/"));
    String deadLetters = s3Arn(arguments.path("--deadLetterPath").asText()) + "x.jsonl";
    for (String action : List.of("s3:PutObject", "s3:GetObject", "s3:DeleteObject")) {
      assertAllowed(policy, action, deadLetters);
    }
    assertAllowed(policy, "s3:PutObject", s3Arn(arguments.path("--summaryPath").asText()));
    JsonNode run = read(rendered.resolve("start-job-run.json"));
    assertAllowed(
        policy, "s3:PutObject", s3Arn(run.path("Arguments").path("--summaryPath").asText()));
    String table = "arn:aws:dynamodb:eu-west-1:123456789012:table/sales";
    assertAllowed(policy, "dynamodb:DescribeTable", table);
    assertAllowed(policy, "dynamodb:BatchWriteItem", table);
    String logs = "arn:aws:logs:eu-west-1:123456789012:log-group:";
    for (String group : List.of("output", "error")) {
      String name = "/aws-glue/jobs/" + JOB_NAME + "/" + group;
      assertAllowed(policy, "logs:CreateLogGroup", logs + name);
      assertAllowed(policy, "logs:CreateLogStream", logs + name + ":log-stream:jr_1-driver");
      assertAllowed(policy, "logs:PutLogEvents", logs + name + ":log-stream:jr_1-driver");
    }
    assertFalse(
        "the input is read-only",
        allowed(policy, "s3:PutObject", "arn:aws:s3:::data-bucket/sales/x.parquet"));
  }

  @Test
  public void trustPolicyLetsOnlyGlueAssumeTheRoleForThisAccount() throws Exception {
    JsonNode trust = read(rendered.resolve("trust-policy.json"));
    assertEquals(1, trust.path("Statement").size());
    JsonNode statement = trust.path("Statement").get(0);
    assertEquals("Allow", statement.path("Effect").asText());
    assertEquals("sts:AssumeRole", statement.path("Action").asText());
    assertEquals("glue.amazonaws.com", statement.path("Principal").path("Service").asText());
    // Glue may assume the role only for a job of the role's own account (confused deputy).
    JsonNode condition = statement.path("Condition");
    assertEquals(condition.toString(), List.of("StringEquals"), fieldNames(condition));
    assertEquals(
        condition.toString(),
        "123456789012",
        condition.path("StringEquals").path("aws:SourceAccount").asText());
    assertEquals(
        "${ACCOUNT_ID}",
        read(GLUE_DIR.resolve("trust-policy.json"))
            .path("Statement")
            .get(0)
            .path("Condition")
            .path("StringEquals")
            .path("aws:SourceAccount")
            .asText());
  }

  // --- bookmarks ---

  /** What deploy.sh --render writes with these deploy options, and job options after --. */
  private static Rendered renderWith(List<String> deployOptions, String... jobOptions)
      throws Exception {
    Path dir = TMP.newFolder().toPath();
    Result result = deploy(deployArguments(dir, deployOptions, jobOptions), Map.of());
    assertEquals(result.describe(), 0, result.exitCode);
    return new Rendered(
        read(dir.resolve("iam-policy.json")), read(dir.resolve("create-job.json")), result.stderr);
  }

  private static List<String> deployArguments(
      Path dir, List<String> deployOptions, String... jobOptions) {
    List<String> options = new ArrayList<>(List.of("--render", dir.toString()));
    options.addAll(DEPLOY_OPTIONS);
    options.addAll(deployOptions);
    if (jobOptions.length > 0) {
      options.add("--");
      options.addAll(List.of(jobOptions));
    }
    return options;
  }

  /** Where the job keeps a Glue-enabled bookmark, as the job itself decides it. */
  private static String jobsBookmarkPath(JsonNode arguments) {
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(
                "--inputPath=" + arguments.path("--inputPath").asText(),
                "--tableName=" + arguments.path("--tableName").asText())
            .as(Parquet2DynamoOptions.class);
    return BookmarkSettings.resolve(
            options,
            Map.of(
                "job-bookmark-option",
                "job-bookmark-enable",
                "TempDir",
                arguments.path("--TempDir").asText(),
                "JOB_NAME",
                JOB_NAME))
        .path();
  }

  @Test
  public void theBookmarkIsGrantedItsObjectItsResetCopiesAndTheListingOfItsKeyOnly()
      throws Exception {
    Rendered off = renderWith(List.of());
    JsonNode arguments = off.job.path("DefaultArguments");
    assertEquals(
        "Glue's default", "job-bookmark-disable", arguments.path("--job-bookmark-option").asText());
    assertEquals(
        "s3://glue-bucket/parquet2dynamo/temporary/", arguments.path("--TempDir").asText());
    String bookmark = jobsBookmarkPath(arguments);
    assertEquals(
        "s3://glue-bucket/parquet2dynamo/temporary/parquet2dynamo-bookmarks/" + JOB_NAME + ".json",
        bookmark);

    Rendered on = renderWith(List.of("--bookmarks", "enable"));
    assertEquals(
        "job-bookmark-enable",
        on.job.path("DefaultArguments").path("--job-bookmark-option").asText());
    assertEquals("the policy does not depend on the mode", off.policy, on.policy);
    JsonNode policy = on.policy;
    String key = bookmark.substring("s3://glue-bucket/".length());
    for (String action : List.of("s3:GetObject", "s3:PutObject")) {
      assertAllowed(policy, action, s3Arn(bookmark));
      assertAllowed(policy, action, s3Arn(bookmark) + ".reset-20261129T020000Z-1a2b3c4d");
    }
    // A bookmark not written yet answers 403: the job lists its key to tell missing from denied.
    assertTrue(mayList(policy, "glue-bucket", key));
    assertFalse(mayList(policy, "glue-bucket", "parquet2dynamo/temporary/"));
    assertFalse(mayListWithoutPrefix(policy, "glue-bucket"));
    String other = "arn:aws:s3:::glue-bucket/parquet2dynamo/temporary/parquet2dynamo-bookmarks/";
    assertFalse(allowed(policy, "s3:GetObject", other + "another-job.json"));
    assertFalse(allowed(policy, "s3:PutObject", other + "another-job.json"));
    assertFalse(allowed(policy, "s3:DeleteObject", s3Arn(bookmark)));
    assertFalse(
        allowed(policy, "s3:PutObject", "arn:aws:s3:::glue-bucket/parquet2dynamo/temporary/x"));

    // A bookmark of its own is granted instead.
    JsonNode own =
        renderWith(List.of("--bookmarks", "enable"), "--bookmarkPath=s3://ops/state/sales.json")
            .policy;
    assertAllowed(own, "s3:PutObject", "arn:aws:s3:::ops/state/sales.json");
    assertAllowed(own, "s3:GetObject", "arn:aws:s3:::ops/state/sales.json.reset-r1");
    assertTrue(mayList(own, "ops", "state/sales.json"));
    assertFalse(allowed(own, "s3:PutObject", s3Arn(bookmark)));

    Result bad =
        deploy(
            deployArguments(TMP.newFolder().toPath(), List.of("--bookmarks", "sometimes")),
            Map.of());
    assertEquals(bad.describe(), 2, bad.exitCode);
    assertThat(bad.stderr, containsString("--bookmarks must be enable, pause or disable"));
  }

  // --- least privilege: what the rendered policy does NOT grant ---

  @Test
  public void anInputFolderIsGrantedUpToItsSlashOnly() throws Exception {
    for (String input : List.of("s3://b/sales", "s3://b/sales/", "s3a://b/sales")) {
      Rendered r = renderFor(input);
      JsonNode policy = r.policy;
      assertAllowed(policy, "s3:GetObject", "arn:aws:s3:::b/sales/day=1/part-0.parquet");
      assertFalse(input, allowed(policy, "s3:GetObject", "arn:aws:s3:::b/sales-archive/x"));
      assertFalse(input, allowed(policy, "s3:GetObject", "arn:aws:s3:::b/salesx.parquet"));
      assertFalse(input, allowed(policy, "s3:GetObject", "arn:aws:s3:::other/sales/x"));
      assertTrue(input, mayList(policy, "b", "sales/"));
      assertTrue(input, mayList(policy, "b", "sales/day=1/"));
      assertFalse(input, mayList(policy, "b", "sales-archive/"));
      assertFalse(input, mayList(policy, "b", "sales"));
      assertFalse(input, mayList(policy, "b", ""));
      assertFalse(input, mayListWithoutPrefix(policy, "b"));
      // The job is told the folder, so that it never has to tell a missing object from a
      // forbidden one (S3 says 404 only to a role that may list the whole bucket).
      assertThat(input, r.inputPath(), matchesPattern("s3a?://b/sales/"));
    }
    assertThat(renderFor("s3://b/sales").stderr, containsString("read as the folder"));
  }

  @Test
  public void aGlobIsGrantedFromTheFolderOfItsFirstWildcard() throws Exception {
    Rendered r = renderFor("s3://b/sales/day=2024*/*.parquet");
    assertAllowed(r.policy, "s3:GetObject", "arn:aws:s3:::b/sales/day=2024-01-31/p.parquet");
    assertFalse(allowed(r.policy, "s3:GetObject", "arn:aws:s3:::b/sales-archive/x.parquet"));
    // Beam lists a glob from its text up to the first wildcard.
    assertTrue(mayList(r.policy, "b", "sales/day=2024"));
    assertFalse(mayList(r.policy, "b", "sales-archive/"));
    assertEquals("s3://b/sales/day=2024*/*.parquet", r.inputPath());
  }

  @Test
  public void aSingleFileIsGrantedAlone() throws Exception {
    Rendered r = renderFor("s3://b/sales/part-0.parquet");
    assertAllowed(r.policy, "s3:GetObject", "arn:aws:s3:::b/sales/part-0.parquet");
    assertFalse(allowed(r.policy, "s3:GetObject", "arn:aws:s3:::b/sales/part-1.parquet"));
    assertFalse(allowed(r.policy, "s3:GetObject", "arn:aws:s3:::b/sales/part-0.parquet.bak"));
    assertFalse(mayList(r.policy, "b", "sales/"));
    assertEquals("s3://b/sales/part-0.parquet", r.inputPath());
  }

  @Test
  public void theWriteActionIsTheOneTheWriteModeSends() throws Exception {
    String table = "arn:aws:dynamodb:eu-west-1:123456789012:table/sales";
    Map<String, String> actionByMode =
        Map.of(
            "put", "dynamodb:BatchWriteItem",
            "delete", "dynamodb:BatchWriteItem",
            "putIfAbsent", "dynamodb:PutItem",
            "putIfNewer:updated_at", "dynamodb:PutItem",
            "update", "dynamodb:UpdateItem",
            "export", "none",
            "import", "dynamodb:ImportTable");
    Set<String> writes =
        Set.of(
            "dynamodb:BatchWriteItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:ImportTable");
    for (Map.Entry<String, String> e : actionByMode.entrySet()) {
      JsonNode policy = renderFor(INPUT_PATH, "--writeMode=" + e.getKey()).policy;
      for (String action : writes) {
        assertEquals(
            e.getKey() + ": " + action,
            action.equals(e.getValue()),
            allowed(policy, action, table));
      }
      assertAllowed(policy, "dynamodb:DescribeTable", table);
      // An import is followed with DescribeImport; its files are below the job's bucket.
      assertAllowed(policy, "dynamodb:DescribeImport", table + "/import/01234-abc");
      assertAllowed(
          policy,
          "s3:GetObject",
          "arn:aws:s3:::" + BUCKET + "/parquet2dynamo/exports/r/data/part-00000.json.gz");
    }
    JsonNode byDefault = renderFor(INPUT_PATH).policy;
    assertAllowed(byDefault, "dynamodb:BatchWriteItem", table);
    assertFalse(allowed(byDefault, "dynamodb:PutItem", table));
    assertFalse(allowed(byDefault, "dynamodb:UpdateItem", table));

    Result bad = renderResult(INPUT_PATH, JOB_NAME, "--writeMode=upsert");
    assertEquals(bad.describe(), 2, bad.exitCode);
    assertThat(bad.stderr, containsString("--writeMode=upsert is not one of"));
  }

  @Test
  public void theLogsGrantedAreThisJobsOnly() throws Exception {
    JsonNode policy = read(rendered.resolve("iam-policy.json"));
    String logs = "arn:aws:logs:eu-west-1:123456789012:log-group:";
    for (String resource : resourcesOf(policy, "logs:PutLogEvents")) {
      if (resource.equals(logs + "/aws-dynamodb/*")) {
        continue; // where ImportTable logs the items it rejects (--writeMode=import)
      }
      assertThat(resource, containsString("/aws-glue/jobs/" + JOB_NAME + "/"));
    }
    for (String other :
        List.of(
            "/aws-glue/jobs/output:log-stream:jr_1-driver",
            "/aws-glue/jobs/error:log-stream:jr_1-driver",
            "/aws-glue/jobs/another-job/output:log-stream:jr_1-driver",
            "/aws-glue/jobs/" + JOB_NAME + "-2/output:log-stream:jr_1-driver",
            "/aws/lambda/f:log-stream:x")) {
      assertFalse(other, allowed(policy, "logs:PutLogEvents", logs + other));
      assertFalse(other, allowed(policy, "logs:CreateLogStream", logs + other));
    }
    Result bad = renderResult(INPUT_PATH, "nightly load");
    assertEquals(bad.describe(), 2, bad.exitCode);
    assertThat(bad.stderr, containsString("--job-name may hold only"));
  }

  @Test
  public void everyScriptPassesBashSyntaxCheck() throws Exception {
    List<Path> scripts;
    try (Stream<Path> files = Files.list(GLUE_DIR)) {
      scripts = files.filter(f -> f.toString().endsWith(".sh")).sorted().toList();
    }
    assertEquals(2, scripts.size());
    for (Path script : scripts) {
      Result result = run(List.of("bash", "-n", script.toString()), Map.of());
      assertEquals(script + ": " + result.describe(), 0, result.exitCode);
      assertTrue(script + " is not executable", Files.isExecutable(script));
    }
  }

  @Test
  public void containerScriptRunsSparkSubmitInTheGlueImage() throws Exception {
    Path jar = smallJar();
    Result result =
        run(
            List.of(
                GLUE_DIR.resolve("glue-container.sh").toString(),
                "--dry-run",
                "--host-network",
                "--jar",
                jar.toString(),
                "--inputPath=s3://sample-data/sales/",
                "--tableName=sales",
                "--s3Endpoint=http://127.0.0.1:9000"),
            Map.of());

    assertEquals(result.describe(), 0, result.exitCode);
    String command = result.stdout.trim();
    assertThat(command, startsWith("docker run --rm "));
    assertThat(command, containsString(" --network host "));
    assertThat(
        command, containsString(" -v " + jar + ":/home/hadoop/workspace/parquet2dynamo.jar:ro "));
    // The job's log configuration, mounted and given to the driver (Spark's launcher applies
    // spark.driver.extraJavaOptions in client mode).
    assertThat(
        command,
        containsString(
            " -v "
                + Paths.get("runners/spark/log4j2.properties").toAbsolutePath()
                + ":/home/hadoop/workspace/log4j2.properties:ro "));
    assertThat(
        command,
        containsString(
            " public.ecr.aws/glue/aws-glue-libs:5 spark-submit"
                + " --class io.parquet2dynamo.Parquet2Dynamo --master local\\[\\*\\]"
                + " --conf spark.ui.showConsoleProgress=false"
                + " --conf spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=file:"
                + "/home/hadoop/workspace/log4j2.properties"
                + " /home/hadoop/workspace/parquet2dynamo.jar --runner=SparkRunner"
                + " --inputPath=s3://sample-data/sales/ --tableName=sales"
                + " --s3Endpoint=http://127.0.0.1:9000"));
  }

  // --- the SDK check ---

  /** Reads like the SDK's own JSON: member names as in the API, and no field it does not know. */
  private static final ObjectMapper JSON_FOR_SDK =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Reads a rendered request into the SDK's model, sends it with a real GlueClient, and returns
   * what arrived, after checking that it is the whole file: a field the model dropped or changed
   * would make the two differ.
   */
  private static JsonNode sendWithSdk(String file, Class<?> builderClass) throws Exception {
    JsonNode expected = read(rendered.resolve(file));
    SdkRequest request =
        (SdkRequest)
            ((SdkRequest.Builder) JSON_FOR_SDK.treeToValue(expected, builderClass)).build();
    try (GlueClient client =
        GlueClient.builder()
            .endpointOverride(URI.create(glue.url()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClientBuilder(ApacheHttpClient.builder())
            .build()) {
      if (request instanceof CreateJobRequest create) {
        client.createJob(create);
      } else if (request instanceof UpdateJobRequest update) {
        client.updateJob(update);
      } else {
        client.startJobRun((StartJobRunRequest) request);
      }
    }
    List<String> calls = glue.calls();
    assertEquals(calls.toString(), 1, calls.size());
    JsonNode sent = glue.body(calls.get(0));
    assertEquals(file + " as the SDK sent it", expected, sent);
    return sent;
  }

  // --- the AWS CLI check: deploy.sh end to end ---

  private static Optional<Path> awsCli() {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Paths.get(dir, "aws"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** deploy.sh runs the AWS CLI, so these tests need it: .ci/run installs it where missing. */
  private static void requireAwsCli() {
    assertTrue(
        "the AWS CLI (aws) is not on PATH; .ci/run installs it, or: apt-get install awscli",
        awsCli().isPresent());
  }

  /**
   * Runs deploy.sh for real, with an {@code aws} first on PATH that sends every command of the real
   * CLI to the stand-in, with dummy credentials.
   */
  private static Result deployThroughCli() throws Exception {
    Path bin = TMP.newFolder().toPath();
    Path shim = bin.resolve("aws");
    Files.writeString(
        shim,
        "#!/usr/bin/env bash\nexec "
            + awsCli().orElseThrow()
            + " \"$@\" --endpoint-url "
            + glue.url()
            + "\n");
    assertTrue(shim.toFile().setExecutable(true));
    List<String> options = new ArrayList<>(List.of("--jar", smallJar().toString()));
    options.addAll(DEPLOY_OPTIONS);
    options.addAll(List.of("--workers", "4", "--", "--timestampFormat=epochMillis"));
    Map<String, String> env = new HashMap<>();
    env.put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
    env.put("POLL_SECONDS", "0");
    return deploy(options, env);
  }

  private static void assertRunArguments(JsonNode sent) throws IOException {
    ObjectNode expected = (ObjectNode) read(rendered.resolve("start-job-run.json"));
    ObjectNode actual = sent.deepCopy();
    // The summary path names the run's start time.
    ((ObjectNode) expected.path("Arguments")).remove("--summaryPath");
    ((ObjectNode) actual.path("Arguments")).remove("--summaryPath");
    assertEquals(expected, actual);
  }

  // --- IAM ---

  private static Set<String> actions(JsonNode policy) {
    Set<String> actions = new TreeSet<>();
    for (JsonNode statement : policy.path("Statement")) {
      actions.addAll(strings(statement.path("Action")));
    }
    return actions;
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(v -> values.add(v.asText()));
    } else {
      values.add(node.asText());
    }
    return values;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> resourcesOf(JsonNode policy, String action) {
    List<String> resources = new ArrayList<>();
    for (JsonNode statement : policy.path("Statement")) {
      if (strings(statement.path("Action")).contains(action)) {
        resources.addAll(strings(statement.path("Resource")));
      }
    }
    assertFalse("no statement grants " + action, resources.isEmpty());
    return resources;
  }

  /**
   * Whether a ListObjects request on {@code bucket} with this {@code prefix} is allowed: by a
   * ListBucket statement without a condition, or with a StringLike condition on {@code s3:prefix}
   * that the prefix matches. Any other condition fails the test, since this check could not judge
   * it.
   */
  private static boolean mayList(JsonNode policy, String bucket, String prefix) {
    for (JsonNode statement : policy.path("Statement")) {
      if (!strings(statement.path("Action")).contains("s3:ListBucket")
          || strings(statement.path("Resource")).stream()
              .noneMatch(pattern -> arnMatches(pattern, "arn:aws:s3:::" + bucket))) {
        continue;
      }
      JsonNode condition = statement.path("Condition");
      if (condition.isMissingNode()) {
        return true;
      }
      assertEquals(condition.toString(), List.of("StringLike"), fieldNames(condition));
      assertEquals(
          condition.toString(), List.of("s3:prefix"), fieldNames(condition.path("StringLike")));
      if (strings(condition.path("StringLike").path("s3:prefix")).stream()
          .anyMatch(pattern -> arnMatches(pattern, prefix))) {
        return true;
      }
    }
    return false;
  }

  /** A ListObjects request with no prefix at all lists the whole bucket. */
  private static boolean mayListWithoutPrefix(JsonNode policy, String bucket) {
    for (JsonNode statement : policy.path("Statement")) {
      if (strings(statement.path("Action")).contains("s3:ListBucket")
          && !statement.has("Condition")
          && strings(statement.path("Resource")).stream()
              .anyMatch(pattern -> arnMatches(pattern, "arn:aws:s3:::" + bucket))) {
        return true;
      }
    }
    return false;
  }

  private static boolean allowed(JsonNode policy, String action, String resource) {
    for (JsonNode statement : policy.path("Statement")) {
      if (!statement.has("Condition")
          && strings(statement.path("Action")).contains(action)
          && strings(statement.path("Resource")).stream()
              .anyMatch(pattern -> arnMatches(pattern, resource))) {
        return true;
      }
    }
    return false;
  }

  private static void assertAllowed(JsonNode policy, String action, String resource) {
    assertTrue(action + " on " + resource, allowed(policy, action, resource));
  }

  /** IAM's resource matching: '*' is any run of characters, '?' any one character. */
  private static boolean arnMatches(String pattern, String arn) {
    String regex =
        Arrays.stream(pattern.split("(?=[*?])|(?<=[*?])"))
            .map(p -> p.equals("*") ? ".*" : p.equals("?") ? "." : Pattern.quote(p))
            .collect(Collectors.joining());
    return arn.matches(regex);
  }

  private static String s3Arn(String s3Url) {
    assertThat(s3Url, startsWith("s3://"));
    return "arn:aws:s3:::" + s3Url.substring("s3://".length());
  }

  // --- processes and files ---

  private static JsonNode read(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  private static Path smallJar() throws IOException {
    Path jar = TMP.getRoot().toPath().resolve("small.jar");
    if (!Files.exists(jar)) {
      Files.write(jar, new byte[] {'P', 'K'});
    }
    return jar;
  }

  /** What deploy.sh --render wrote for one input path and job options. */
  private record Rendered(JsonNode policy, JsonNode job, String stderr) {
    String inputPath() {
      return job.path("DefaultArguments").path("--inputPath").asText();
    }
  }

  /** Runs deploy.sh --render into a new folder for this input path, job name and job options. */
  private static Result renderInto(Path dir, String inputPath, String jobName, String... jobOptions)
      throws Exception {
    List<String> options =
        new ArrayList<>(
            List.of(
                "--render", dir.toString(),
                "--bucket", BUCKET,
                "--role-arn", ROLE_ARN,
                "--table", TABLE,
                "--input-path", inputPath,
                "--region", REGION,
                "--job-name", jobName));
    if (jobOptions.length > 0) {
      options.add("--");
      options.addAll(List.of(jobOptions));
    }
    return deploy(options, Map.of());
  }

  private static Result renderResult(String inputPath, String jobName, String... jobOptions)
      throws Exception {
    return renderInto(TMP.newFolder().toPath(), inputPath, jobName, jobOptions);
  }

  private static Rendered renderFor(String inputPath, String... jobOptions) throws Exception {
    Path dir = TMP.newFolder().toPath();
    Result result = renderInto(dir, inputPath, JOB_NAME, jobOptions);
    assertEquals(result.describe(), 0, result.exitCode);
    return new Rendered(
        read(dir.resolve("iam-policy.json")), read(dir.resolve("create-job.json")), result.stderr);
  }

  private static Result deploy(List<String> options, Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>(List.of(GLUE_DIR.resolve("deploy.sh").toString()));
    command.addAll(options);
    return run(command, env);
  }

  private record Result(int exitCode, String stdout, String stderr) {
    String describe() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /** Runs a command with dummy AWS credentials and no AWS settings of this machine. */
  private static Result run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("AWS_"));
    environment.put("AWS_ACCESS_KEY_ID", "test");
    environment.put("AWS_SECRET_ACCESS_KEY", "test");
    environment.put("AWS_CONFIG_FILE", TMP.getRoot() + "/no-aws-config");
    environment.put("AWS_SHARED_CREDENTIALS_FILE", TMP.getRoot() + "/no-aws-credentials");
    environment.put("AWS_EC2_METADATA_DISABLED", "true");
    environment.putAll(env);
    File out = TMP.newFile();
    File err = TMP.newFile();
    Process process =
        builder.redirectOutput(out).redirectError(err).redirectInput(new File("/dev/null")).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(command + " did not end within 60 s");
    }
    return new Result(
        process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
  }

  /**
   * A stand-in for the Glue, S3 and CloudWatch Logs endpoints on 127.0.0.1 that records each
   * request and answers as the service would for the calls deploy.sh makes.
   */
  static final class FakeGlue {
    static final String SUMMARY = "{\"status\":\"SUCCEEDED\",\"reconciled\":true}";
    static final String LOGGED_ERROR = "ERROR: the load failed: a test failure";

    private final HttpServer server;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> bodies = new LinkedHashMap<>();
    private volatile boolean jobExists;
    private final List<String> runStates = new CopyOnWriteArrayList<>();

    private FakeGlue(HttpServer server) {
      this.server = server;
    }

    static FakeGlue start() throws IOException {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeGlue fake = new FakeGlue(server);
      server.createContext("/", fake::handle);
      server.start();
      return fake;
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void stop() {
      server.stop(0);
    }

    synchronized void reset() {
      calls.clear();
      bodies.clear();
      jobExists = false;
      runStates.clear();
    }

    void jobExists(boolean exists) {
      jobExists = exists;
    }

    /** The states GetJobRun answers, one per call; the last one repeats. */
    void runStates(String... states) {
      runStates.addAll(List.of(states));
    }

    List<String> calls() {
      return List.copyOf(calls);
    }

    synchronized JsonNode body(String call) throws IOException {
      byte[] body = bodies.get(call);
      assertTrue("no " + call + " request in " + calls, body != null);
      return JSON.readTree(body);
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readAllBytes();
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String call =
            target != null
                ? target
                : exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        synchronized (this) {
          calls.add(call);
          bodies.put(call, body);
        }
        if (target == null) {
          s3(exchange, call);
          return;
        }
        switch (target) {
          case "AWSGlue.GetJob" -> {
            if (jobExists) {
              json(exchange, 200, "{\"Job\":{\"Name\":\"" + JOB_NAME + "\"}}");
            } else {
              json(
                  exchange,
                  400,
                  "{\"__type\":\"EntityNotFoundException\",\"Message\":\"Job not found\"}");
            }
          }
          case "AWSGlue.CreateJob" -> json(exchange, 200, "{\"Name\":\"" + JOB_NAME + "\"}");
          case "AWSGlue.UpdateJob" -> json(exchange, 200, "{\"JobName\":\"" + JOB_NAME + "\"}");
          case "AWSGlue.StartJobRun" -> json(exchange, 200, "{\"JobRunId\":\"jr_test\"}");
          case "AWSGlue.GetJobRun" -> {
            String state = runStates.size() > 1 ? runStates.remove(0) : runStates.get(0);
            json(
                exchange,
                200,
                "{\"JobRun\":{\"Id\":\"jr_test\",\"JobRunState\":\""
                    + state
                    + "\",\"ErrorMessage\":\"a test failure\"}}");
          }
          case "Logs_20140328.FilterLogEvents" ->
              json(exchange, 200, "{\"events\":[{\"message\":\"" + LOGGED_ERROR + "\"}]}");
          default -> json(exchange, 400, "{\"__type\":\"UnknownOperationException\"}");
        }
      }
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      send(exchange, status, body.getBytes(UTF_8));
    }

    /** PutObject stores nothing; the run's summary is the one object there is to read. */
    private static void s3(HttpExchange exchange, String call) throws IOException {
      boolean summary = call.contains("/parquet2dynamo/summaries/");
      byte[] content = SUMMARY.getBytes(UTF_8);
      exchange.getResponseHeaders().set("ETag", "\"0\"");
      switch (exchange.getRequestMethod()) {
        case "PUT" -> send(exchange, 200, new byte[0]);
        case "HEAD" -> {
          exchange.getResponseHeaders().set("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT");
          exchange.getResponseHeaders().set("Content-Length", String.valueOf(content.length));
          exchange.sendResponseHeaders(summary ? 200 : 404, -1);
        }
        case "GET" -> {
          exchange.getResponseHeaders().set("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT");
          send(exchange, summary ? 200 : 404, summary ? content : new byte[0]);
        }
        default -> send(exchange, 405, new byte[0]);
      }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
    }
  }
}
