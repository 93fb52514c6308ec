package io.parquet2dynamo.aws;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.Secrets;
import java.net.URI;
import java.net.URISyntaxException;

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
}
