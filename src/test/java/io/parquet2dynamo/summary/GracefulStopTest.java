package io.parquet2dynamo.summary;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Tests {@link GracefulStop} in this JVM with a slow pipeline on the DirectRunner, the stop asked
 * for as a signal handler would; the real signals are sent to a child process in GracefulStopIT.
 */
public class GracefulStopTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final int ROWS = 400;

  /** Counts a row read every 20 ms, as a slow load would. */
  private static final class SlowRead extends DoFn<Integer, Integer> {
    @ProcessElement
    public void process(@Element Integer row, OutputReceiver<Integer> out)
        throws InterruptedException {
      Thread.sleep(20);
      LoadMetrics.counter(LoadMetrics.ROWS_READ).inc();
      out.output(row);
    }
  }

  private static PipelineResult startSlowRun() {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setBlockOnRun(false);
    options.setTargetParallelism(2);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(Create.of(IntStream.range(0, ROWS).boxed().collect(Collectors.toList())))
        .apply(ParDo.of(new SlowRead()));
    return pipeline.run();
  }

  @Test
  public void aStopCancelsTheRunAndReportsTheCountsSoFarAsInterrupted() throws Exception {
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    List<Integer> halts = new CopyOnWriteArrayList<>();
    GracefulStop stop = new GracefulStop(err, halts::add);
    Path summaryFile = tmp.getRoot().toPath().resolve("summary.json");
    StatusFile status = new StatusFile(summaryFile.toString());
    status.running();

    long start = System.nanoTime();
    PipelineResult result = startSlowRun();
    Thread signal =
        new Thread(
            () -> {
              try {
                Thread.sleep(1500);
              } catch (InterruptedException e) {
                return;
              }
              stop.request("SIGTERM");
            });
    signal.start();
    PipelineResult.State state = stop.follow(result, out);
    long stoppedAfterSignalMillis = (System.nanoTime() - start) / 1_000_000 - 1500;
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("table", "t");
    int code = stop.report(result, (long) ROWS, start, context, true, status, out);
    stop.stopWatchdog();

    assertTrue(stop.requested());
    assertEquals(GracefulStop.EXIT_CODE, code);
    assertEquals(143, code);
    assertTrue(state.toString(), state == PipelineResult.State.CANCELLED || !state.isTerminal());
    assertTrue(
        "follow returns within the cancel wait: " + stoppedAfterSignalMillis,
        stoppedAfterSignalMillis < GracefulStop.CANCEL_WAIT_MILLIS + 1000);
    assertEquals("no halt", List.of(), halts);

    String printed = outBytes.toString(StandardCharsets.UTF_8);
    String summaryLine =
        printed.lines().filter(l -> l.startsWith("SUMMARY ")).findFirst().orElseThrow();
    JsonNode summary = new ObjectMapper().readTree(summaryLine.substring("SUMMARY ".length()));
    assertEquals("INTERRUPTED", summary.get("status").asText());
    assertEquals("SIGTERM", summary.get("interruptedBy").asText());
    assertEquals("t", summary.get("table").asText());
    long rowsRead = summary.get("rowsRead").asLong();
    assertTrue("some rows, not all: " + rowsRead, rowsRead > 0 && rowsRead < ROWS);
    assertEquals(false, summary.get("reconciled").asBoolean());

    JsonNode written = new ObjectMapper().readTree(Files.readString(summaryFile));
    assertEquals("INTERRUPTED", written.get("status").asText());
    assertEquals(rowsRead, written.get("rowsRead").asLong());

    String errors = errBytes.toString(StandardCharsets.UTF_8);
    assertTrue(errors, errors.contains("STOPPING: SIGTERM received"));
    assertTrue(errors, errors.contains("ERROR: the load was interrupted by SIGTERM"));
    assertTrue(errors, errors.contains("run it again to complete it"));
  }

  @Test
  public void aSecondSignalHaltsAtOnce() {
    List<Integer> halts = new ArrayList<>();
    GracefulStop stop = new GracefulStop(new PrintStream(new ByteArrayOutputStream()), halts::add);
    stop.request("SIGINT");
    stop.request("SIGINT");
    stop.stopWatchdog();
    assertEquals(List.of(GracefulStop.EXIT_CODE), halts);
  }

  @Test
  public void aStopBeforeTheRunStartsCancelsItAsSoonAsItIsFollowed() {
    GracefulStop stop = new GracefulStop(new PrintStream(new ByteArrayOutputStream()), code -> {});
    stop.request("SIGTERM");
    PipelineResult result = startSlowRun();
    PipelineResult.State state = stop.follow(result, new PrintStream(new ByteArrayOutputStream()));
    stop.stopWatchdog();
    assertTrue(state.toString(), state == PipelineResult.State.CANCELLED || !state.isTerminal());
  }
}
