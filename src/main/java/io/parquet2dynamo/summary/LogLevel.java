package io.parquet2dynamo.summary;

import io.parquet2dynamo.options.KindAndColumn;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * {@code --logLevel}: how much the job and the libraries it carries log. The job's own lines
 * (package {@code io.parquet2dynamo}) are at the level given; the libraries (Parquet and Hadoop,
 * relocated under {@code io.parquet2dynamo.shaded}, and Beam, Spark, the AWS SDK) one step quieter,
 * and never below WARN at the default: so a load of 6 files prints 3 lines of its own rather than
 * 21 of Parquet's ({@code InternalParquetRecordReader}, {@code CodecPool}) around 8.
 *
 * <p>The job logs through SLF4J. From {@code java -jar} that is slf4j-simple, whose defaults are in
 * the jar's {@code simplelogger.properties} and whose levels are read when a logger is made: {@link
 * #configure} sets them as system properties before the job makes any. Through {@code spark-submit}
 * and on Glue it is Spark's Log4j 2: the job's levels are set through Log4j's {@code Configurator}
 * (looked up at run time, so the jar does not need Log4j), and Spark's own only when {@code
 * --logLevel} is given, so a cluster's log configuration (runners/spark/log4j2.properties or
 * Glue's) otherwise stays as it is.
 */
public enum LogLevel {
  WARN,
  INFO,
  DEBUG,
  TRACE;

  /** The job's own loggers, and below them the relocated libraries. */
  static final String JOB = "io.parquet2dynamo";

  static final String RELOCATED = "io.parquet2dynamo.shaded";

  private static final String SIMPLE = "org.slf4j.simpleLogger.";

  /** How the option spells it. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The level the libraries log at when the job logs at this one. */
  LogLevel libraries() {
    switch (this) {
      case TRACE:
        return DEBUG;
      case DEBUG:
        return INFO;
      default:
        return WARN;
    }
  }

  /**
   * The level {@code --logLevel} names; null or blank is the default, INFO.
   *
   * @throws io.parquet2dynamo.InvalidInputException naming the option and its values
   */
  public static LogLevel parse(String text) {
    if (text == null || text.isBlank()) {
      return INFO;
    }
    List<String> names = Arrays.stream(values()).map(LogLevel::toString).toList();
    String lower = text.strip().toLowerCase(Locale.ROOT);
    return valueOf(KindAndColumn.parse("logLevel", lower, names).kind().toUpperCase(Locale.ROOT));
  }

  /**
   * Sets the levels from {@code --logLevel} in a command line, before the job makes its loggers. A
   * value that does not parse leaves the defaults: the options' check reports it.
   */
  public static void configure(String[] args) {
    String given = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--logLevel=")) {
        given = args[i].substring("--logLevel=".length());
      } else if (args[i].equals("--logLevel") && i + 1 < args.length) {
        given = args[i + 1];
      }
    }
    LogLevel level;
    try {
      level = parse(given);
    } catch (RuntimeException e) {
      level = INFO;
      given = null;
    }
    level.apply(given != null);
  }

  /**
   * Applies this level to the job's loggers and the relocated libraries; to the others too when
   * {@code explicit} (the user asked for it).
   */
  void apply(boolean explicit) {
    String job = toString();
    String libraries = libraries().toString();
    // slf4j-simple: read when each logger is made (the default level when the first is).
    System.setProperty(SIMPLE + "log." + JOB, job);
    System.setProperty(SIMPLE + "log." + RELOCATED, libraries);
    if (explicit) {
      System.setProperty(SIMPLE + "defaultLogLevel", libraries);
      for (String library :
          List.of(
              "org.apache.hadoop", "org.apache.beam.sdk.io.FileBasedSink", "org.apache.spark")) {
        System.setProperty(SIMPLE + "log." + library, libraries);
      }
    }
    String factory = LoggerFactory.getILoggerFactory().getClass().getName();
    if (factory.startsWith("org.apache.logging.slf4j")) {
      setLog4j(JOB, job);
      setLog4j(RELOCATED, libraries);
      if (explicit) {
        setLog4j(null, libraries);
      }
    }
  }

  /** Log4j 2's {@code Configurator.setLevel(name, level)}, or its root level for a null name. */
  private static void setLog4j(String logger, String level) {
    try {
      Class<?> configurator = Class.forName("org.apache.logging.log4j.core.config.Configurator");
      Class<?> levelClass = Class.forName("org.apache.logging.log4j.Level");
      Object value = levelClass.getMethod("toLevel", String.class).invoke(null, level);
      if (logger == null) {
        Method root = configurator.getMethod("setRootLevel", levelClass);
        root.invoke(null, value);
      } else {
        Method set = configurator.getMethod("setLevel", String.class, levelClass);
        set.invoke(null, logger, value);
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      // Log4j's API without its core: its own configuration decides.
      LoggerFactory.getLogger(LogLevel.class).debug("Cannot set Log4j levels: {}", e.toString());
    }
  }
}
