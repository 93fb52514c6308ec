package io.parquet2dynamo.options;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.Secrets;
import io.parquet2dynamo.aws.PathStyleS3ClientBuilderFactory;
import java.beans.Introspector;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * A command line, as a person or AWS Glue writes it, turned into the job's options, ready to run:
 * Glue's arguments normalised ({@link JobArguments}), Beam's checks applied, S3 addressed so local
 * stand-ins work, and the runner tuned ({@link RunnerTuning}).
 */
public final class JobOptions {
  private JobOptions() {}

  /**
   * Parses and prepares the options.
   *
   * @throws InvalidInputException for an unknown option, a key without its value, or a value of the
   *     wrong form (naming the option and what it expects)
   * @throws IllegalArgumentException as Beam reports a missing option (see {@link #optionProblem})
   */
  public static Parquet2DynamoOptions parse(String[] args) {
    List<String> beamArgs = new JobArguments(Parquet2DynamoOptions.class).normalise(args);
    Parquet2DynamoOptions options;
    try {
      options =
          PipelineOptionsFactory.fromArgs(beamArgs.toArray(new String[0]))
              .withValidation()
              .as(Parquet2DynamoOptions.class);
    } catch (IllegalArgumentException | NullPointerException e) {
      // Beam's message on a malformed value names neither the option nor what it expects (and
      // may quote a shaded Jackson class, or the value itself): find the option and say both.
      throw badValue(beamArgs, e);
    }
    if (options.getS3ClientFactoryClass() == DefaultS3ClientBuilderFactory.class) {
      options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    FileSystems.setDefaultPipelineOptions(options);
    RunnerTuning.apply(options, given(beamArgs));
    return options;
  }

  /**
   * Glue's own arguments in {@code args} ({@link JobArguments.Normalised#glueArguments}), which
   * {@link #parse} keeps out of the options: the plan reads the bookmark's from them ({@code
   * job-bookmark-option}, {@code TempDir}, {@code JOB_NAME}). Call it after {@link #parse}, which
   * reports a malformed command line.
   */
  public static Map<String, String> glueArguments(String[] args) {
    return new JobArguments(Parquet2DynamoOptions.class).parse(args).glueArguments();
  }

  /**
   * The error for the first argument Beam cannot parse on its own, naming the option and what it
   * expects; {@code e} itself when each parses alone (a missing required option).
   */
  private static RuntimeException badValue(List<String> beamArgs, RuntimeException e) {
    for (String arg : beamArgs) {
      RuntimeException alone;
      try {
        PipelineOptionsFactory.fromArgs(arg).as(Parquet2DynamoOptions.class);
        continue;
      } catch (RuntimeException refused) {
        alone = refused;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value = eq < 0 ? "" : arg.substring(eq + 1);
      return new InvalidInputException(describe(name, value, alone), alone);
    }
    return e;
  }

  /** "--name=value is not valid: expected ..." without showing a credential. */
  static String describe(String name, String value, RuntimeException refused) {
    Class<?> type = optionType(name);
    String expected = expected(type);
    boolean credential = Secrets.isCredentialOption(name);
    String shown = credential ? "--" + name : "--" + name + "=" + Secrets.mask(value);
    if (value.isEmpty()) {
      return "--" + name + " needs a value: " + expected;
    }
    String json = value.trim();
    boolean looksJson = json.startsWith("{") || json.startsWith("[") || json.startsWith("\"");
    if (!isPlain(type) && looksJson && !isJson(json)) {
      return shown
          + " is not valid JSON"
          + (credential ? " (the value is not shown: it holds credentials)" : "")
          + "; expected "
          + expected;
    }
    String reason = Secrets.mask(Errors.rootMessage(refused)).replace(SHADED, "");
    if (isPlain(type)
        || reason.contains("Cannot deserialize")
        || reason.contains("Cannot construct")) {
      // Jackson's words for a value of the wrong form; the expectation says it better.
      return shown
          + " is not valid"
          + (credential ? " (value not shown)" : "")
          + ": expected "
          + expected;
    }
    return shown + " is not valid: " + reason + "; expected " + expected;
  }

  private static final String SHADED = "io.parquet2dynamo.shaded.";

  /** Types whose values are not JSON: numbers, booleans, URLs, class names, enums. */
  private static boolean isPlain(Class<?> type) {
    return type != null
        && (type.isPrimitive()
            || Number.class.isAssignableFrom(type)
            || type == Boolean.class
            || type == URI.class
            || type == Class.class
            || type.isEnum());
  }

  private static boolean isJson(String text) {
    try {
      new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** What a value of {@code type} looks like, in words. */
  static String expected(Class<?> type) {
    if (type == null) {
      return "a value as --help describes";
    }
    if (type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class
        || type == short.class
        || type == Short.class) {
      return "a whole number";
    }
    if (type == double.class
        || type == Double.class
        || type == float.class
        || type == Float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == URI.class) {
      return "a URL such as https://host or http://host:port";
    }
    if (type == Class.class) {
      return "the name of a class on the class path";
    }
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", "));
    }
    if (AwsCredentialsProvider.class.isAssignableFrom(type)) {
      return "JSON such as {\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"...\","
          + "\"secretAccessKey\":\"...\"} or {\"@type\":\"ProfileCredentialsProvider\","
          + "\"profileName\":\"...\"}; without it, the AWS SDK's default chain is used";
    }
    return "a JSON value for " + type.getSimpleName() + " (see --help)";
  }

  /** The type of the option {@code name}, from its getter in any registered options interface. */
  private static Class<?> optionType(String name) {
    PipelineOptionsFactory.register(Parquet2DynamoOptions.class);
    for (Class<? extends PipelineOptions> iface : PipelineOptionsFactory.getRegisteredOptions()) {
      for (Method m : iface.getMethods()) {
        String n = m.getName();
        String base =
            n.startsWith("get") ? n.substring(3) : n.startsWith("is") ? n.substring(2) : "";
        if (m.getParameterCount() == 0
            && !base.isEmpty()
            && Introspector.decapitalize(base).equals(name)) {
          return m.getReturnType();
        }
      }
    }
    return null;
  }

  /** The names of the options on the command line. */
  static Set<String> given(List<String> beamArgs) {
    Set<String> names = new TreeSet<>();
    for (String arg : beamArgs) {
      int eq = arg.indexOf('=');
      names.add(eq < 0 ? arg.substring(2) : arg.substring(2, eq));
    }
    return names;
  }

  /** Beam's message on an option, shortened: it quotes a missing option's whole description. */
  public static String optionProblem(String message) {
    Matcher missing = MISSING_OPTION.matcher(message);
    return missing.find() ? missing.group(1) + " is required" : message;
  }

  private static final Pattern MISSING_OPTION =
      Pattern.compile("^Missing required value for \\[(--\\w+),");
}
