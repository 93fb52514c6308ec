package io.parquet2dynamo.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Description;
import org.junit.Test;

/** docs/OPTIONS.md says what the options' descriptions say, word for word. */
public class OptionsReferenceTest {

  @Test
  public void theReferenceIsWhatTheOptionsSay() throws Exception {
    assertTrue("run from the project directory", Files.exists(OptionsReference.FILE));
    String expected = OptionsReference.render();
    String actual = Files.readString(OptionsReference.FILE, StandardCharsets.UTF_8);
    assertEquals(
        OptionsReference.FILE
            + " differs from the options' @Description annotations; regenerate it with: "
            + OptionsReference.REGENERATE,
        expected,
        actual);
  }

  @Test
  public void everyOptionOfTheJobIsInTheReference() {
    String reference = OptionsReference.render();
    int options = 0;
    for (var m : Parquet2DynamoOptions.class.getDeclaredMethods()) {
      if (m.getParameterCount() == 0 && m.getName().matches("(get|is)[A-Z].*")) {
        options++;
        assertTrue(
            m + " has no @Description, so --help and docs/OPTIONS.md cannot explain it",
            m.isAnnotationPresent(Description.class));
        assertTrue(
            m.getName(), reference.contains("### `--" + OptionsReference.optionName(m) + "`"));
      }
    }
    Matcher headings = Pattern.compile("(?m)^### `--").matcher(reference);
    int listed = 0;
    while (headings.find()) {
      listed++;
    }
    // The job's own options, plus --awsRegion, --endpoint, --awsCredentialsProvider, --runner.
    assertEquals(options + 4, listed);
  }
}
