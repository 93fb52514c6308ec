package io.parquet2dynamo.options;

import io.parquet2dynamo.options.OptionGroups.Group;
import io.parquet2dynamo.options.OptionGroups.Option;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * Writes docs/OPTIONS.md from the {@code @Description}s of {@link Parquet2DynamoOptions} and of the
 * few Beam options users need, in the groups and order of {@link OptionGroups}, so that the
 * reference cannot drift from what {@code --help} says. {@link OptionsReferenceTest} fails when the
 * file differs; this main regenerates it.
 */
public final class OptionsReference {
  /** Where the reference lives, relative to the project directory. */
  public static final Path FILE = Paths.get("docs", "OPTIONS.md");

  /** The command that regenerates it, for the test's failure message and the file itself. */
  public static final String REGENERATE =
      "mvn -q test-compile exec:java -Dmain.class=io.parquet2dynamo.options.OptionsReference"
          + " -Dexec.classpathScope=test";

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
        .append("`java -jar target/parquet2dynamo.jar --help` prints the same descriptions in ")
        .append("the same groups; `--help=all` adds Beam's other options (proxy, HTTP client, ")
        .append("S3 encryption, the runners' tuning...). ")
        .append("The [README](../README.md) explains the five that matter most.\n\n");
    for (Map.Entry<Group, List<Option>> group : OptionGroups.groups().entrySet()) {
      md.append("## ").append(group.getKey().title()).append("\n\n");
      for (Option option : group.getValue()) {
        option(md, option);
      }
    }
    return md.toString();
  }

  private static void option(StringBuilder md, Option option) {
    Method getter = Usage.getter(option);
    md.append("### `--").append(option.name()).append("`\n\n");
    List<String> facts = new ArrayList<>();
    facts.add(getter.getReturnType().getSimpleName());
    // Beam marks --runner required and gives it a default; the default is what a user meets.
    if (getter.isAnnotationPresent(Validation.Required.class)
        && !getter.isAnnotationPresent(Default.InstanceFactory.class)) {
      facts.add("required");
    }
    if (option.isBeams()) {
      facts.add("Beam's");
    }
    String byDefault = Usage.defaultOf(getter);
    if (byDefault != null) {
      facts.add("default `" + byDefault + "`");
    }
    md.append('*').append(String.join(", ", facts)).append("*\n\n");
    md.append(escape(getter.getAnnotation(Description.class).value().strip())).append("\n\n");
    if (option.note() != null) {
      md.append(escape(option.note())).append("\n\n");
    }
  }

  /** Descriptions are plain text: '*', '_' and '<' would otherwise become emphasis or HTML. */
  static String escape(String text) {
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;");
  }

  static String optionName(Method getter) {
    return Usage.optionName(getter);
  }
}
