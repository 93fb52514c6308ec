package io.parquet2dynamo.options;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Writes docs/OPTIONS.md from the {@code @Description}s of {@link Parquet2DynamoOptions} and of the
 * few Beam options users need, so that the reference cannot drift from what {@code --help} says.
 * {@link OptionsReferenceTest} fails when the file differs; this main regenerates it.
 */
public final class OptionsReference {
  /** Where the reference lives, relative to the project directory. */
  public static final Path FILE = Paths.get("docs", "OPTIONS.md");

  /** The command that regenerates it, for the test's failure message and the file itself. */
  public static final String REGENERATE =
      "mvn -q test-compile exec:java -Dmain.class=io.parquet2dynamo.options.OptionsReference"
          + " -Dexec.classpathScope=test";

  /** Beam's options a load needs, with what this project adds to Beam's own description. */
  private static final List<BeamOption> BEAM_OPTIONS =
      List.of(
          new BeamOption(
              AwsOptions.class,
              "awsRegion",
              "Used for S3 and DynamoDB alike. Without it, the AWS SDK's default chain"
                  + " (AWS_REGION, the profile) decides."),
          new BeamOption(
              AwsOptions.class,
              "endpoint",
              "One endpoint for S3 and DynamoDB alike; --s3Endpoint and --dynamoDbEndpoint"
                  + " override it for one service."),
          new BeamOption(
              AwsOptions.class,
              "awsCredentialsProvider",
              "Without it, the AWS SDK's default chain (environment, ~/.aws profile, instance or"
                  + " container role)."),
          new BeamOption(
              PipelineOptions.class,
              "runner",
              "`DirectRunner` (the default) runs the load in this JVM, on every core;"
                  + " `SparkRunner` on Spark (runners/spark/submit.sh and the Glue job set it)."));

  private OptionsReference() {}

  /** Rewrites docs/OPTIONS.md. Run from the project directory. */
  public static void main(String[] args) throws IOException {
    Files.writeString(FILE, render(), StandardCharsets.UTF_8);
    System.out.println("Wrote " + FILE);
  }

  /** The whole of docs/OPTIONS.md, as the options say it should be. */
  public static String render() {
    StringBuilder md = new StringBuilder();
    md.append("# Options reference\n\n")
        .append("<!-- Generated from the options' @Description annotations by\n")
        .append(
            "     src/test/java/io/parquet2dynamo/options/OptionsReference.java; do not edit.\n")
        .append("     Regenerate with: ")
        .append(REGENERATE)
        .append(" -->\n\n")
        .append("Every option is written `--name=value` (on AWS Glue also `--name value`). ")
        .append("`java -jar target/parquet2dynamo.jar --help` prints the same descriptions, and ")
        .append("Beam's other AWS options (proxy, HTTP client, S3 encryption...). ")
        .append("The [README](../README.md) explains the five that matter most.\n\n")
        .append("## This job's options\n\n");
    List<Method> own = new ArrayList<>();
    for (Method m : Parquet2DynamoOptions.class.getDeclaredMethods()) {
      if (m.getParameterCount() == 0 && m.isAnnotationPresent(Description.class)) {
        own.add(m);
      }
    }
    // Required first, then by name: declaration order is not visible through reflection.
    own.sort(
        Comparator.comparing((Method m) -> !m.isAnnotationPresent(Validation.Required.class))
            .thenComparing(OptionsReference::optionName));
    for (Method m : own) {
      option(md, m, null);
    }
    md.append("## Beam's options a load needs\n\n");
    for (BeamOption beam : BEAM_OPTIONS) {
      option(md, beam.getter(), beam.note);
    }
    return md.toString();
  }

  private static void option(StringBuilder md, Method getter, String note) {
    md.append("### `--").append(optionName(getter)).append("`\n\n");
    List<String> facts = new ArrayList<>();
    facts.add(getter.getReturnType().getSimpleName());
    // Beam marks --runner required and gives it a default; the default is what a user meets.
    if (getter.isAnnotationPresent(Validation.Required.class)
        && !getter.isAnnotationPresent(Default.InstanceFactory.class)) {
      facts.add("required");
    }
    String byDefault = defaultOf(getter);
    if (byDefault != null) {
      facts.add("default `" + byDefault + "`");
    }
    md.append('*').append(String.join(", ", facts)).append("*\n\n");
    md.append(escape(getter.getAnnotation(Description.class).value().strip())).append("\n\n");
    if (note != null) {
      md.append(note).append("\n\n");
    }
  }

  /** Descriptions are plain text: '*', '_' and '<' would otherwise become emphasis or HTML. */
  static String escape(String text) {
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;");
  }

  static String optionName(Method getter) {
    String name = getter.getName().replaceFirst("^(get|is)", "");
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  private static String defaultOf(Method getter) {
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

  private record BeamOption(Class<?> iface, String name, String note) {
    Method getter() {
      return Arrays.stream(iface.getMethods())
          .filter(m -> m.getParameterCount() == 0 && optionName(m).equals(name))
          .filter(m -> m.isAnnotationPresent(Description.class))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(iface + " has no option " + name));
    }
  }
}
