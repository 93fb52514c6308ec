package io.parquet2dynamo.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS SDK's long messages for a missing region or missing credentials, as one line a user can
 * act on. The SDK's credential message lists every provider of its default chain with the Java
 * {@code toString} of each and of the profile file (about 1,500 characters); here it becomes the
 * sources that were tried, in words, and how to give credentials.
 */
public final class AwsProblems {
  private static final String NO_CREDENTIALS =
      "Unable to load credentials from any of the providers in the chain";
  private static final String NO_REGION = "Unable to load region";

  private AwsProblems() {}

  /**
   * {@code message} with the SDK's text for missing credentials or a missing region replaced by one
   * that says what was tried and what to do; any other message as it is.
   */
  public static String explain(String message) {
    if (message == null) {
      return null;
    }
    int at = message.indexOf(NO_CREDENTIALS);
    if (at >= 0) {
      return message.substring(0, at) + noCredentials(message.substring(at));
    }
    at = message.indexOf(NO_REGION);
    if (at >= 0) {
      return message.substring(0, at)
          + "no AWS region is configured; set --awsRegion (or AWS_REGION, or a region in the"
          + " profile)";
    }
    return message;
  }

  private static final String PROVIDERS = "credentialsProviders=[";
  private static final Pattern PROFILE = Pattern.compile("profileName=([^,)]+)");

  static String noCredentials(String sdkMessage) {
    List<String> tried = new ArrayList<>();
    String list = bracketed(sdkMessage, PROVIDERS);
    if (list != null) {
      for (String provider : topLevel(list)) {
        tried.add(describe(provider.strip()));
      }
    }
    if (tried.isEmpty()) {
      tried.add("the AWS SDK's default chain (environment, profile, container and instance roles)");
    }
    return "no AWS credentials found; tried "
        + String.join(", ", tried)
        + ". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary"
        + " ones), or AWS_PROFILE=<a profile in ~/.aws>, or"
        + " --awsCredentialsProvider='{\"@type\":\"ProfileCredentialsProvider\",\"profileName\":"
        + "\"<profile>\"}'; on Glue, EC2 or ECS give the job's role the permissions instead";
  }

  /** What stands between {@code opening} (ending with '[') and its closing bracket, or null. */
  private static String bracketed(String text, String opening) {
    int start = text.indexOf(opening);
    if (start < 0) {
      return null;
    }
    start += opening.length();
    int depth = 1;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[' || c == '(') {
        depth++;
      } else if (c == ']' || c == ')') {
        depth--;
        if (depth == 0) {
          return text.substring(start, i);
        }
      }
    }
    return null;
  }

  /** The providers of the chain's list, split at its top-level commas. */
  private static List<String> topLevel(String list) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(list.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(list.substring(start));
    return parts;
  }

  /** One provider of the SDK's default chain, in words. */
  private static String describe(String provider) {
    String name = provider.contains("(") ? provider.substring(0, provider.indexOf('(')) : provider;
    switch (name) {
      case "SystemPropertyCredentialsProvider":
        return "Java system properties (aws.accessKeyId, aws.secretAccessKey)";
      case "EnvironmentVariableCredentialsProvider":
        return "environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)";
      case "WebIdentityTokenCredentialsProvider":
        return "a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)";
      case "ProfileCredentialsProvider":
        {
          Matcher profile = PROFILE.matcher(provider);
          return "profile '"
              + (profile.find() ? profile.group(1) : "default")
              + "' in ~/.aws/credentials and ~/.aws/config";
        }
      case "ContainerCredentialsProvider":
        return "the container's role (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)";
      case "InstanceProfileCredentialsProvider":
        return "the EC2 instance profile";
      default:
        return name;
    }
  }
}
