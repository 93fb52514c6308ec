package io.parquet2dynamo.aws;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.Secrets;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses endpoint options into URIs, with an error that names the option. */
public final class Endpoints {
  private Endpoints() {}

  /** Returns the endpoint as a URI, or throws naming {@code option} if it is not http(s)://host. */
  public static URI parse(String option, String value) {
    try {
      URI uri = new URI(value.trim());
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new URISyntaxException(value, "expected http://host:port or https://host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new InvalidInputException(
          option
              + "="
              + Secrets.mask(value)
              + " is not an endpoint URL (expected http://host:port or https://host)");
    }
  }

  /**
   * One warning for each endpoint option ({@code --endpoint}, {@code --s3Endpoint}, {@code
   * --dynamoDbEndpoint}) that sends requests to an AWS host ({@code *.amazonaws.com}, {@code
   * *.amazonaws.com.cn}, {@code *.aws}) over plain {@code http://}: requests are signed, so the
   * secret key does not travel, but the rows loaded, the answers and any session token do, in
   * clear. Local stand-ins ({@code http://127.0.0.1:8000}) are not AWS hosts and get no warning.
   */
  public static List<String> plainHttpToAws(Parquet2DynamoOptions options) {
    List<String> warnings = new ArrayList<>();
    if (options.getEndpoint() != null) {
      addIfPlainHttpToAws("--endpoint", options.getEndpoint(), warnings);
    }
    if (options.getS3Endpoint() != null && !options.getS3Endpoint().isBlank()) {
      addIfPlainHttpToAws("--s3Endpoint", parse("--s3Endpoint", options.getS3Endpoint()), warnings);
    }
    if (options.getDynamoDbEndpoint() != null && !options.getDynamoDbEndpoint().isBlank()) {
      addIfPlainHttpToAws(
          "--dynamoDbEndpoint",
          parse("--dynamoDbEndpoint", options.getDynamoDbEndpoint()),
          warnings);
    }
    return warnings;
  }

  private static void addIfPlainHttpToAws(String option, URI endpoint, List<String> warnings) {
    if ("http".equalsIgnoreCase(endpoint.getScheme()) && isAwsHost(endpoint.getHost())) {
      warnings.add(
          option
              + "="
              + Secrets.mask(endpoint.toString())
              + " reaches AWS over plain HTTP: the rows loaded, DynamoDB's answers and any "
              + "session token cross the network unencrypted; use https://");
    }
  }

  /** Whether {@code host} is one of AWS's service domains. */
  static boolean isAwsHost(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h.endsWith(".amazonaws.com")
        || h.equals("amazonaws.com")
        || h.endsWith(".amazonaws.com.cn")
        || h.endsWith(".aws");
  }
}
