package io.parquet2dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that keeps credentials out of what the job prints and writes: every line on stdout
 * and stderr (the job's own messages, log lines, Beam's and the SDK's errors), the summary and
 * status files, and dead-letter messages pass through {@link #mask}.
 *
 * <p>Two nets, because an error may quote a value whole, in part, or re-formatted:
 *
 * <ul>
 *   <li>the secret values given on the command line, learnt by {@link #learn}: the string values of
 *       secret-named JSON fields ({@code secretAccessKey}, {@code sessionToken}, a proxy's {@code
 *       password}...) in any option, the password of a URL ({@code http://user:PASSWORD@host}), the
 *       value of a secret-named {@code key=value} ({@code fs.s3a.secret.key=...} in Glue's {@code
 *       --conf}), the {@code key} of {@code --SSECustomerKey}; and the whole value of {@code
 *       --awsCredentialsProvider}, {@code --proxyConfiguration} or {@code --SSECustomerKey} when it
 *       is not valid JSON, since its secret cannot be told apart;
 *   <li>patterns, for text not seen on this command line (e.g. on a Spark executor): a secret-named
 *       JSON field's value, a URL's password, a secret-named {@code key=value}.
 * </ul>
 *
 * <p>Values shorter than {@value #MIN_LITERAL} characters are masked only through the patterns:
 * masking every occurrence of a short string would garble the messages (AWS secret keys have 40
 * characters, session tokens hundreds). An access key ID is not a secret (it names the key, as AWS
 * says), and stays readable, so that an error about it can be acted upon.
 */
public final class Secrets {
  /** What a secret is replaced with. */
  public static final String MASK = "****";

  static final int MIN_LITERAL = 6;

  /** Options whose whole value is a secret when it cannot be parsed. */
  private static final Set<String> CREDENTIAL_OPTIONS =
      Set.of("awsCredentialsProvider", "proxyConfiguration", "SSECustomerKey");

  /** A name that says its value is secret. */
  private static final String SECRET_NAME =
      "[A-Za-z0-9_.-]*(?i:secret|token|password|passwd|passphrase)[A-Za-z0-9_.-]*";

  /** {@code "secretAccessKey" : "value"}, the value quoted (even unterminated) or bare. */
  private static final Pattern JSON_FIELD =
      Pattern.compile(
          "(\"" + SECRET_NAME + "\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*+\"?|[^,}\\]\\s\"]+)");

  /**
   * {@code scheme://user:password@host}; the password may hold a '/' it should have escaped. The
   * scheme starts where a run of scheme characters starts and is taken possessively: tried from
   * every letter of a run, a line of 300,000 letters (a SAMPLE item of a dry run) took the matcher
   * minutes, each start scanning to the run's end.
   */
  private static final Pattern URL_PASSWORD =
      Pattern.compile(
          "((?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*+://[^/@\\s:\"']*+:)([^@\\s\"']+)(@)");

  /** {@code fs.s3a.secret.key=value}, {@code aws_session_token: value}. */
  private static final Pattern KEY_VALUE =
      Pattern.compile("((?<![\"\\w.-])" + SECRET_NAME + "\\s*[=:]\\s*)([^\\s,;&\"'}\\]]+)");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Secret values seen on command lines, longest first so a longer one is masked whole. */
  private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

  private Secrets() {}

  /**
   * Whether the option's whole value is a credential (so an error about it shows no part of it):
   * {@code --awsCredentialsProvider}, {@code --proxyConfiguration}, {@code --SSECustomerKey}.
   */
  public static boolean isCredentialOption(String option) {
    return CREDENTIAL_OPTIONS.contains(option);
  }

  /**
   * Learns the secrets a command line holds ({@code --key=value} or {@code --key value}), and from
   * then on masks this JVM's {@code System.out} and {@code System.err}, where log lines go.
   */
  public static void learn(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        learnValue(null, arg);
        continue;
      }
      int eq = arg.indexOf('=');
      if (eq >= 0) {
        learnValue(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        learnValue(arg.substring(2), args[++i]);
      }
    }
    System.setOut(masking(System.out));
    System.setErr(masking(System.err));
  }

  private static void learnValue(String option, String value) {
    List<String> found = new ArrayList<>();
    boolean json = false;
    String trimmed = value.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        JsonNode tree = JSON.readTree(trimmed);
        secretFields(tree, found);
        if ("SSECustomerKey".equals(option) && tree.hasNonNull("key")) {
          // Beam's S3 option for SSE-C: {"key":"<base64 AES key>","algorithm":"AES256"}.
          found.add(tree.get("key").asText());
        }
        json = true;
      } catch (Exception e) {
        // Not JSON: the patterns below still find "name":"value" pairs.
      }
    }
    for (Pattern p : List.of(JSON_FIELD, URL_PASSWORD, KEY_VALUE)) {
      Matcher m = p.matcher(value);
      while (m.find()) {
        found.add(unquote(m.group(2)));
      }
    }
    if (!json && option != null && CREDENTIAL_OPTIONS.contains(option)) {
      found.add(value);
    }
    for (String secret : found) {
      if (secret != null && secret.length() >= MIN_LITERAL) {
        KNOWN.add(secret);
      }
    }
  }

  private static void secretFields(JsonNode node, List<String> found) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().matches(SECRET_NAME) && field.getValue().isValueNode()) {
          found.add(field.getValue().asText());
        } else {
          secretFields(field.getValue(), found);
        }
      }
    } else if (node.isArray()) {
      node.forEach(element -> secretFields(element, found));
    }
  }

  private static String unquote(String value) {
    String v = value;
    if (v.startsWith("\"")) {
      v = v.substring(1);
    }
    if (v.endsWith("\"")) {
      v = v.substring(0, v.length() - 1);
    }
    return v;
  }

  /** {@code text} with every secret it holds replaced by {@value #MASK}; null stays null. */
  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = text;
    if (!KNOWN.isEmpty()) {
      List<String> known = new ArrayList<>(KNOWN);
      known.sort(Comparator.comparingInt(String::length).reversed());
      for (String secret : known) {
        masked = masked.replace(secret, MASK);
      }
    }
    masked = JSON_FIELD.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(maskJson(m)));
    masked = URL_PASSWORD.matcher(masked).replaceAll("$1" + MASK + "$3");
    return KEY_VALUE.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
  }

  private static String maskJson(java.util.regex.MatchResult m) {
    String value = m.group(2);
    return m.group(1) + (value.startsWith("\"") ? "\"" + MASK + "\"" : MASK);
  }

  /**
   * A stream that writes to {@code target} with {@link #mask} applied to each line; {@code target}
   * itself if it masks already.
   */
  public static PrintStream masking(PrintStream target) {
    if (target instanceof MaskingPrintStream) {
      return target;
    }
    return new MaskingPrintStream(target);
  }

  private static final class MaskingPrintStream extends PrintStream {
    MaskingPrintStream(PrintStream target) {
      // No autoflush: PrintStream would flush after every print, cutting lines in pieces; the
      // masker writes and flushes each line as it ends.
      super(new LineMasker(target), false, StandardCharsets.UTF_8);
    }
  }

  /**
   * Collects bytes up to a line's end, then writes the masked line; a flush writes what is held.
   */
  private static final class LineMasker extends OutputStream {
    private final PrintStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineMasker(PrintStream target) {
      this.target = target;
    }

    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n') {
        emit();
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    @Override
    public synchronized void flush() {
      emit();
      target.flush();
    }

    @Override
    public synchronized void close() {
      flush();
    }

    private void emit() {
      if (line.size() > 0) {
        target.print(mask(line.toString(StandardCharsets.UTF_8)));
        target.flush();
        line.reset();
      }
    }
  }
}
