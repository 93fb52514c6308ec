package io.parquet2dynamo.options;

import io.parquet2dynamo.InvalidInputException;
import java.util.List;

/**
 * An option value that names a kind, some kinds with a column: {@code put}, {@code
 * putIfNewer:updated_at}, {@code maxBy:version}. One parser, so every such option accepts the same
 * spelling and refuses a bad one with the same message, listing the valid forms.
 *
 * @param kind the kind as written, e.g. {@code putIfNewer}
 * @param column the column after the colon, or null for a kind without one
 */
public record KindAndColumn(String kind, String column) {
  private static final String COLUMN = ":<column>";

  /**
   * Parses {@code text}; null or blank is the first form.
   *
   * @param option the option's name without dashes, for the message
   * @param forms the valid forms, a kind that takes a column written {@code kind:<column>}
   * @throws InvalidInputException naming the option and the valid forms
   */
  public static KindAndColumn parse(String option, String text, List<String> forms) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      return new KindAndColumn(forms.get(0), null);
    }
    for (String form : forms) {
      if (form.endsWith(COLUMN)) {
        String prefix = form.substring(0, form.length() - COLUMN.length() + 1);
        if (t.startsWith(prefix) && t.length() > prefix.length()) {
          return new KindAndColumn(
              prefix.substring(0, prefix.length() - 1), t.substring(prefix.length()));
        }
      } else if (t.equals(form)) {
        return new KindAndColumn(form, null);
      }
    }
    throw new InvalidInputException(
        "--"
            + option
            + "="
            + text
            + " is not a valid value; use one of "
            + String.join(", ", forms));
  }
}
