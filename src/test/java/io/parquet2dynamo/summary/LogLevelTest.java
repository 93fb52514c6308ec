package io.parquet2dynamo.summary;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.parquet2dynamo.InvalidInputException;
import org.junit.Test;

/** Tests {@link LogLevel}: the option's values, and the libraries one step quieter. */
public class LogLevelTest {
  @Test
  public void valuesParseWhateverTheirCase() {
    assertEquals(LogLevel.INFO, LogLevel.parse(null));
    assertEquals(LogLevel.INFO, LogLevel.parse(" "));
    assertEquals(LogLevel.DEBUG, LogLevel.parse("debug"));
    assertEquals(LogLevel.TRACE, LogLevel.parse("TRACE"));
    assertEquals(LogLevel.WARN, LogLevel.parse("Warn"));
    assertEquals(
        "--logLevel=loud is not a valid value; use one of warn, info, debug, trace",
        assertThrows(InvalidInputException.class, () -> LogLevel.parse("loud")).getMessage());
  }

  @Test
  public void librariesLogOneStepQuieterAndNeverBelowWarnByDefault() {
    assertEquals(LogLevel.WARN, LogLevel.WARN.libraries());
    assertEquals(LogLevel.WARN, LogLevel.INFO.libraries());
    assertEquals(LogLevel.INFO, LogLevel.DEBUG.libraries());
    assertEquals(LogLevel.DEBUG, LogLevel.TRACE.libraries());
  }
}
