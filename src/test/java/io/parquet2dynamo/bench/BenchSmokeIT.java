package io.parquet2dynamo.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * Keeps {@code scripts/bench.sh} from rotting: the whole harness on 3,000 rows, every candidate of
 * the dry-run and load stages on both runners, each of which must finish and load every row (the
 * harness checks the summaries and the table). The figures themselves mean nothing at this size,
 * where start-up is all, so the floors are not checked here; that is the benchmark's job.
 */
public class BenchSmokeIT {
  private static final long ROWS = 3_000;

  @Test
  public void everyCandidateRunsAndLoadsEveryRow() throws Exception {
    Path out = Path.of("target/bench-smoke");
    run(List.of("mvn", "-B", "-q", "-f", "scripts/bench/pom.xml", "package"), out, 600);
    List<String> bench = new ArrayList<>(List.of("scripts/bench.sh"));
    bench.addAll(
        List.of(
            "--rows=" + ROWS,
            "--files=2",
            "--stages=dry,load",
            "--runners=direct,spark",
            "--heap=1g",
            "--timeoutSeconds=300",
            "--out=" + out));
    int exit = run(bench, out, 900);
    // 0: floors held; 1: a floor missed, as it may at this size; 2: a run failed.
    assertNotEquals("a candidate failed; see target/bench-smoke/logs", 2, exit);

    JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertEquals(ROWS, results.get("rows").asLong());
    List<String> runs = new ArrayList<>();
    for (JsonNode run : results.get("runs")) {
      runs.add(run.get("stage").asText() + "/" + run.get("candidate").asText());
      assertTrue(run.toString(), run.get("ok").asBoolean());
      assertEquals(ROWS, run.get("rows").asLong());
      assertTrue(run.toString(), run.get("rowsPerSecond").asLong() > 0);
      assertTrue(run.toString(), run.get("peakRssMiB").asLong() > 0);
      assertTrue(run.toString(), run.get("cpuSecondsPerMillionRows").asDouble() > 0);
    }
    assertEquals(
        List.of(
            "dry/baseline-loop",
            "dry/direct",
            "dry/spark",
            "load/raw-loader",
            "load/emr-dynamodb-hadoop",
            "load/direct",
            "load/spark"),
        runs);
    // Each floor of the issue is evaluated against the baselines of the same run.
    assertEquals(5, results.get("floors").size());
    String table = Files.readString(out.resolve("bench.out"), StandardCharsets.UTF_8);
    assertTrue(table, table.contains("floor load  spark   >= 1.2x emr-dynamodb-hadoop"));
  }

  private static int run(List<String> command, Path out, long timeoutSeconds) throws Exception {
    Files.createDirectories(out);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(new File(out.resolve("bench.out").toString()));
    builder.environment().put("BENCH_SKIP_BUILD", "1");
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
    }
    String output = Files.readString(out.resolve("bench.out"), StandardCharsets.UTF_8);
    System.out.println(output);
    if (command.get(0).equals("mvn")) {
      assertEquals(output, 0, process.exitValue());
    }
    return process.exitValue();
  }
}
