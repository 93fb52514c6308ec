package io.parquet2dynamo.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The job in a JVM of its own, as a user or a scheduler starts it, with its stdout and stderr kept
 * apart in files: {@code java -jar target/parquet2dynamo.jar} on the DirectRunner, or the same jar
 * with Spark 3.5.4's jars (target/standins/spark/jars, as Glue 5 has them) on the SparkRunner.
 * Needs the jar, so only integration tests (after {@code package}) use it.
 */
public final class JobProcess {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private JobProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts the job with {@code args} on {@code runner} ("DirectRunner" or "SparkRunner", the latter
   * with {@code --runner=SparkRunner --sparkMaster=local[2]} added); its output goes to files in
   * {@code dir}.
   */
  public static JobProcess start(String runner, Path dir, List<String> args) throws IOException {
    return start(runner, dir, args, null);
  }

  /**
   * As {@link #start(String, Path, List)}, in {@code environment} alone instead of this JVM's
   * environment when it is not null: e.g. without any AWS credentials.
   */
  public static JobProcess start(
      String runner, Path dir, List<String> args, java.util.Map<String, String> environment)
      throws IOException {
    String jar = System.getProperty("project.jar");
    if (jar == null || !Files.isRegularFile(Paths.get(jar))) {
      throw new IllegalStateException("run mvn verify: no jar at " + jar);
    }
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    if (runner.equals("SparkRunner")) {
      // What this test JVM was given for Spark on Java 17 (the pom's spark.java17.options).
      for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (option.startsWith("--add-opens") || option.startsWith("-Djdk.reflect")) {
          command.add(option);
        }
      }
      command.add("-Xmx1g");
      command.add("-cp");
      command.add(System.getProperty("spark.jars.dir") + "/*:" + jar);
      command.add("io.parquet2dynamo.Parquet2Dynamo");
      command.add("--runner=SparkRunner");
      command.add("--sparkMaster=local[2]");
    } else {
      command.addAll(List.of("-Xmx512m", "-jar", jar));
    }
    command.addAll(args);
    Files.createDirectories(dir);
    Path out = Files.createTempFile(dir, "stdout", ".log");
    Path err = Files.createTempFile(dir, "stderr", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (environment != null) {
      builder.environment().clear();
      builder.environment().putAll(environment);
    }
    Process process = builder.start();
    return new JobProcess(process, out, err);
  }

  /** Waits for the job to end; returns its exit code, or fails (and kills it) after the timeout. */
  public int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "the job did not end within " + seconds + " s:\n" + stdout() + "\n" + stderr());
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Sends SIGTERM, as {@code kill} and schedulers do. */
  public void terminate() {
    process.destroy();
  }

  /** Sends SIGINT, as Ctrl-C does. */
  public void interrupt() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -INT " + process.pid() + " failed");
    }
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  /** The JSON after "SUMMARY " on stdout; fails if there is none. */
  public JsonNode summary() {
    for (String line : stdout().split("\n")) {
      if (line.startsWith("SUMMARY ")) {
        try {
          return new ObjectMapper().readTree(line.substring("SUMMARY ".length()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new AssertionError("no SUMMARY line in:\n" + stdout() + "\n" + stderr());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
