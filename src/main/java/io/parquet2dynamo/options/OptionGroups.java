package io.parquet2dynamo.options;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The options a user sees, in the order {@code --help} and docs/OPTIONS.md show them: grouped by
 * what they are about, the required ones first. Every option of {@link Parquet2DynamoOptions} is in
 * exactly one group ({@code OptionGroupsTest} checks it, so a new option fails the build until it
 * is placed here); of Beam's own options only the few a load needs are, with what this job adds to
 * Beam's description. The rest of Beam's options ({@code --optionsId}, {@code --stableUniqueNames}
 * ...) are shown only by {@code --help=all}.
 */
public final class OptionGroups {
  private OptionGroups() {}

  /** A group of options, with its title. */
  public enum Group {
    REQUIRED("Required"),
    INPUT("Input"),
    TRANSFORM("Transform: rows to items"),
    WRITE("Write"),
    OUTPUT("Output: dead letters, summary, progress, logs"),
    AWS("AWS: region, credentials, endpoints"),
    RUNNER("Runner");

    private final String title;

    Group(String title) {
      this.title = title;
    }

    public String title() {
      return title;
    }
  }

  /** One option as the user sees it: its name, and where Beam declares it (else null). */
  public record Option(String name, Class<? extends PipelineOptions> beamInterface, String note) {
    /** Whether Beam declares it, not this job. */
    public boolean isBeams() {
      return beamInterface != null;
    }
  }

  private static final Map<Group, List<Option>> GROUPS = new LinkedHashMap<>();

  static {
    own(Group.REQUIRED, "tableName", "inputPath");
    own(
        Group.INPUT,
        "replayDeadLetters",
        "bookmarkPath",
        "bookmarkReset",
        "maxFilesPerRun",
        "maxBytesPerRun");
    own(
        Group.TRANSFORM,
        "mapping",
        "sql",
        "transformClass",
        "dedupe",
        "timestampFormat",
        "nullPolicy");
    own(
        Group.WRITE,
        "writeMode",
        "exportPath",
        "keySchema",
        "tableDefinition",
        "billingMode",
        "maxWriteUnitsPerSecond",
        "writeCapacityPercent",
        "writeShards",
        "writeConcurrency",
        "maxWriteAttempts",
        "failOnWriteError",
        "dryRun",
        "sample");
    own(Group.OUTPUT, "deadLetterPath", "summaryPath", "progressSeconds", "logLevel");
    beam(
        Group.AWS,
        AwsOptions.class,
        "awsRegion",
        "Used for S3 and DynamoDB alike. Without it, the AWS SDK's default chain (AWS_REGION,"
            + " the profile) decides.");
    beam(
        Group.AWS,
        AwsOptions.class,
        "awsCredentialsProvider",
        "Without it, the AWS SDK's default chain (environment, ~/.aws profile, instance or"
            + " container role).");
    beam(
        Group.AWS,
        AwsOptions.class,
        "endpoint",
        "One endpoint for S3 and DynamoDB alike; --s3Endpoint and --dynamoDbEndpoint override it"
            + " for one service.");
    own(Group.AWS, "s3Endpoint", "dynamoDbEndpoint");
    beam(
        Group.RUNNER,
        PipelineOptions.class,
        "runner",
        "DirectRunner (the default) runs the load in this JVM, on every core; SparkRunner on"
            + " Spark (runners/spark/submit.sh and the Glue job set it).");
  }

  private static void own(Group group, String... names) {
    for (String name : names) {
      GROUPS.computeIfAbsent(group, g -> new ArrayList<>()).add(new Option(name, null, null));
    }
  }

  private static void beam(
      Group group, Class<? extends PipelineOptions> iface, String name, String note) {
    GROUPS.computeIfAbsent(group, g -> new ArrayList<>()).add(new Option(name, iface, note));
  }

  /** The groups in display order, each with its options in display order. */
  public static Map<Group, List<Option>> groups() {
    return Collections.unmodifiableMap(GROUPS);
  }

  /** Every option shown, in display order. */
  public static List<Option> all() {
    List<Option> all = new ArrayList<>();
    GROUPS.values().forEach(all::addAll);
    return all;
  }
}
