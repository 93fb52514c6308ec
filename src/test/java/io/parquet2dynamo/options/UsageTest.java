package io.parquet2dynamo.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.options.OptionGroups.Group;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

/** Tests {@link Usage}: what --help, -h, --help=all and --version print. */
public class UsageTest {
  private static String print(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      assertTrue(Usage.handled(args, out));
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void helpOpensWithUsageAndThreeExamplesThenTheRequiredOptions() {
    String help = print("--help");
    assertTrue(help, help.startsWith("Usage: java -jar parquet2dynamo.jar --inputPath="));
    int examples = help.indexOf("\nExamples:\n");
    assertTrue(help, examples > 0);
    for (String example :
        List.of("On the local stand-ins", "On AWS, with credentials", "On AWS Glue 5")) {
      assertTrue(example, help.indexOf(example) > examples);
    }
    int required = help.indexOf("\nRequired:\n");
    assertTrue(help, required > help.indexOf("On AWS Glue 5"));
    assertTrue(help, help.indexOf("  --tableName=<String>", required) > required);
    assertTrue(help, help.indexOf("  --inputPath=<String>", required) > required);
  }

  @Test
  public void theGroupsComeInOrderAndEachOptionOnce() {
    String help = print("-h");
    int at = 0;
    for (Group group : Group.values()) {
      int next = help.indexOf("\n" + group.title() + ":\n");
      assertTrue(group + " after the previous group", next > at);
      at = next;
    }
    for (OptionGroups.Option option : OptionGroups.all()) {
      String synopsis = "\n  --" + option.name() + "=";
      String flag = "\n  --" + option.name() + "[=true|false]";
      int first = Math.max(help.indexOf(synopsis), help.indexOf(flag));
      assertTrue(option.name(), first > 0);
      assertEquals(
          option.name() + " once",
          -1,
          Math.max(help.indexOf(synopsis, first + 1), help.indexOf(flag, first + 1)));
    }
    assertTrue(help, help.contains("  --dedupe=<String>  (default: last)\n"));
    assertTrue(help, help.contains("  --dryRun[=true|false]  (default: false)\n"));
    // What this job adds to Beam's description of its options.
    assertTrue(help, help.contains("Used for S3 and DynamoDB alike."));
  }

  @Test
  public void beamsInternalOptionsOnlyWithHelpAll() {
    String help = print("--help");
    for (String internal :
        List.of("--optionsId", "--stableUniqueNames", "--userAgent", "--tempLocation")) {
      assertFalse(internal, help.contains(internal + "="));
    }
    String all = print("--help=all");
    assertTrue(all, all.startsWith(help));
    assertTrue(all, all.contains("--optionsId="));
    assertTrue(all, all.contains("--stableUniqueNames="));
  }

  @Test
  public void descriptionsAreWrappedToTheWidth() {
    String help = print("--help");
    for (String line : help.substring(help.indexOf("\nRequired:\n")).split("\n")) {
      if (line.startsWith("      ")) {
        assertTrue(line, line.length() <= Usage.WIDTH);
      }
    }
  }

  @Test
  public void versionNamesTheJobBeamAndJava() {
    String version = print("--version").strip();
    assertTrue(
        version,
        version.matches(
            "parquet2dynamo \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Apache Beam 2\\.62\\.0, Java .+\\)"));
  }

  @Test
  public void otherArgumentsAreNotForUsage() {
    assertFalse(
        Usage.handled(
            new String[] {"--inputPath=x", "--tableName=t"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
  }
}
