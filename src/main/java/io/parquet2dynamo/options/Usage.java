package io.parquet2dynamo.options;

import io.parquet2dynamo.options.OptionGroups.Group;
import io.parquet2dynamo.options.OptionGroups.Option;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.ReleaseInfo;

/**
 * What {@code --help}, {@code -h}, {@code --help=all} and {@code --version} print. The help opens
 * with how to run the job and three examples, then the options in {@link OptionGroups}' groups,
 * each with its {@code @Description}: the same text docs/OPTIONS.md is generated from. Beam's
 * internal options are left to {@code --help=all}.
 */
public final class Usage {
  /** The width descriptions are wrapped to. */
  static final int WIDTH = 100;

  private Usage() {}

  /**
   * Prints the help or the version if {@code args} ask for either ({@code --help}, {@code -h},
   * {@code --help=all}, {@code --version}); returns whether they did, so the caller stops there.
   */
  public static boolean handled(String[] args, PrintStream out) {
    List<String> list = Arrays.asList(args);
    if (list.contains("--version")) {
      out.println(versionLine());
      return true;
    }
    if (list.contains("--help=all")) {
      out.print(text());
      out.println();
      out.println("All options, Beam's included:");
      out.println();
      PipelineOptionsFactory.printHelp(out, Parquet2DynamoOptions.class);
      return true;
    }
    if (list.stream()
        .anyMatch(a -> a.equals("-h") || a.equals("--help") || a.startsWith("--help="))) {
      out.print(text());
      return true;
    }
    return false;
  }

  /** This job's version, from a resource Maven writes at build time; "unknown" without it. */
  public static String version() {
    try (InputStream in = Usage.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank() && !v.startsWith("${")) {
          return v.strip();
        }
      }
    } catch (IOException e) {
      // Fall through to the manifest.
    }
    String fromJar = Usage.class.getPackage().getImplementationVersion();
    return fromJar == null ? "unknown" : fromJar;
  }

  /** "parquet2dynamo 0.1.0 (Apache Beam 2.62.0, Java 17.0.13)". */
  public static String versionLine() {
    return "parquet2dynamo "
        + version()
        + " (Apache Beam "
        + ReleaseInfo.getReleaseInfo().getVersion()
        + ", Java "
        + System.getProperty("java.version")
        + ")";
  }

  /** The whole help text. */
  public static String text() {
    StringBuilder s = new StringBuilder();
    s.append(
        """
        Usage: java -jar parquet2dynamo.jar --inputPath=<Parquet files> --tableName=<table> [options]

        Loads Parquet files from S3 (or local paths) into a DynamoDB table: on this machine (the
        DirectRunner), on Spark (runners/spark/submit.sh) or on AWS Glue 5 (runners/glue/). It
        prints PROGRESS lines while it runs, then a SUMMARY line of JSON and a recap; the exit code
        is 0 when every row is accounted for (docs/TROUBLESHOOTING.md lists the others).

        Examples:
          On the local stand-ins (scripts/standins.sh prints the ports and keys):
            java -jar target/parquet2dynamo.jar --inputPath=s3://sample-data/sales/ \\
              --tableName=sales --awsRegion=us-east-1 \\
              --s3Endpoint=http://127.0.0.1:S3PORT --dynamoDbEndpoint=http://127.0.0.1:DDBPORT \\
              --awsCredentialsProvider='{"@type":"StaticCredentialsProvider","accessKeyId":"KEY","secretAccessKey":"****"}'
          On AWS, with credentials from the environment or ~/.aws:
            java -jar target/parquet2dynamo.jar --inputPath=s3://my-data/sales/ --tableName=sales \\
              --awsRegion=eu-west-1 --deadLetterPath=s3://my-bucket/dead-letters/ \\
              --maxWriteUnitsPerSecond=500
          On AWS Glue 5, once runners/glue/deploy.sh has defined the job (docs/GLUE.md):
            aws glue start-job-run --job-name parquet2dynamo \\
              --arguments '{"--inputPath":"s3://my-data/sales/","--tableName":"sales"}'

        Options are written --name=value (on AWS Glue also --name value).
        """);
    for (Map.Entry<Group, List<Option>> group : OptionGroups.groups().entrySet()) {
      s.append('\n').append(group.getKey().title()).append(":\n");
      for (Option option : group.getValue()) {
        Method getter = getter(option);
        s.append("  ").append(synopsis(option.name(), getter)).append('\n');
        String text = description(getter);
        if (option.note() != null) {
          text = text + " " + option.note();
        }
        for (String line : wrap(text, WIDTH - 6)) {
          s.append("      ").append(line).append('\n');
        }
      }
    }
    s.append(
        """

        Beam's other options (the runner's tuning, AWS client settings such as a proxy) are listed
        by --help=all. docs/OPTIONS.md has this reference; --version prints the version.
        """);
    return s.toString();
  }

  /** "--name=<Type> (default: x)", or "--flag[=true|false] (default: false)". */
  static String synopsis(String name, Method getter) {
    Class<?> type = getter.getReturnType();
    boolean bool = type == boolean.class || type == Boolean.class;
    String s =
        bool ? "--" + name + "[=true|false]" : "--" + name + "=<" + type.getSimpleName() + ">";
    String byDefault = defaultOf(getter);
    return byDefault == null ? s : s + "  (default: " + byDefault + ")";
  }

  /** The getter of an option, in this job's interface or in the Beam interface that declares it. */
  public static Method getter(Option option) {
    Class<? extends PipelineOptions> iface =
        option.isBeams() ? option.beamInterface() : Parquet2DynamoOptions.class;
    for (Method m : iface.getMethods()) {
      if (m.getParameterCount() == 0
          && m.isAnnotationPresent(Description.class)
          && optionName(m).equals(option.name())) {
        return m;
      }
    }
    throw new IllegalStateException(iface.getSimpleName() + " has no option " + option.name());
  }

  /** The option a getter stands for: {@code getInputPath} is {@code inputPath}. */
  public static String optionName(Method getter) {
    String name = getter.getName().replaceFirst("^(get|is)", "");
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  /** The option's {@code @Description}, on one line. */
  public static String description(Method getter) {
    return getter.getAnnotation(Description.class).value().strip().replaceAll("\\s+", " ");
  }

  /** The option's default as written in its {@code @Default} annotation, or null. */
  public static String defaultOf(Method getter) {
    for (Annotation a : getter.getAnnotations()) {
      if (a instanceof Default.String d) {
        return d.value();
      } else if (a instanceof Default.Integer d) {
        return String.valueOf(d.value());
      } else if (a instanceof Default.Long d) {
        return String.valueOf(d.value());
      } else if (a instanceof Default.Double d) {
        return String.valueOf(d.value());
      } else if (a instanceof Default.Boolean d) {
        return String.valueOf(d.value());
      } else if (a instanceof Default.Enum d) {
        return d.value();
      } else if (a instanceof Default.Class d) {
        return d.value().getSimpleName();
      }
    }
    return null;
  }

  /** {@code text} in lines of at most {@code width} characters, broken at spaces. */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
