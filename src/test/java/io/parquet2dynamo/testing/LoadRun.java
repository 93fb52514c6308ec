package io.parquet2dynamo.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parquet2dynamo.Parquet2Dynamo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** One run of the job with command-line arguments, in this JVM, with what it printed. */
public final class LoadRun {
  public final int exitCode;
  public final String stdout;
  public final String stderr;

  private LoadRun(int exitCode, String stdout, String stderr) {
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Runs {@code Parquet2Dynamo} as {@code java -jar parquet2dynamo.jar args...} would. */
  public static LoadRun of(List<String> args) {
    args = new ArrayList<>(args);
    // The job turns the DirectRunner's element checks off for speed; tests keep them, so that a
    // DoFn that modifies its input or emits what its coder cannot encode fails here.
    for (String check : List.of("--enforceImmutability", "--enforceEncodability")) {
      if (args.stream().noneMatch(a -> a.startsWith(check))) {
        args.add(check + "=true");
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Parquet2Dynamo.run(args.toArray(new String[0]), o, e);
    }
    LoadRun run =
        new LoadRun(
            code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    System.out.print(run.stdout);
    System.err.print(run.stderr);
    return run;
  }

  /** The arguments a user passes to reach the stand-ins, then {@code more}. */
  public static List<String> standInArgs(LocalStandIns standIns, String... more) {
    List<String> args = new ArrayList<>();
    args.add("--awsRegion=" + LocalStandIns.REGION);
    args.add(LocalStandIns.credentialsOption());
    args.add("--s3Endpoint=" + standIns.s3Endpoint());
    args.add("--dynamoDbEndpoint=" + standIns.dynamoDbEndpoint());
    args.addAll(Arrays.asList(more));
    return args;
  }

  /** The JSON after "SUMMARY " on stdout; fails if there is none. */
  public JsonNode summary() {
    for (String line : stdout.split("\n")) {
      if (line.startsWith("SUMMARY ")) {
        try {
          return new ObjectMapper().readTree(line.substring("SUMMARY ".length()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new AssertionError("no SUMMARY line in:\n" + stdout + "\n" + stderr);
  }

  /** The last line of stderr: the one-line error. */
  public String errorLine() {
    String[] lines = stderr.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("ERROR: ")) {
        return lines[i];
      }
    }
    return "";
  }

  /** The dead-letter records a run wrote as JSON Lines into the local directory {@code dir}. */
  public static List<JsonNode> deadLetters(Path dir) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      // Only the record files: the job keeps an (empty) folder for its temporary files there.
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            records.add(new ObjectMapper().readTree(line));
          }
        }
      }
    }
    return records;
  }
}
