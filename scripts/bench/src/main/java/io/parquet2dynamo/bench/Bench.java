package io.parquet2dynamo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Formatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Runs the benchmark of {@code scripts/bench.sh}: every candidate in its own JVM, one after the
 * other, on the same cached data set, and prints one table with each candidate's throughput, CPU
 * and memory and its ratio to the baselines measured in the same run, then the same as JSON.
 *
 * <p>Stages:
 *
 * <ul>
 *   <li>{@code dry}: read + transform + map with nothing written ({@code --dryRun}), on each
 *       runner, against {@link BaselineLoop} (one thread, parquet-avro, the same item maps);
 *   <li>{@code load}: end to end into DynamoDB Local, on each runner, against {@link RawLoader}
 *       (the practical ceiling) and {@link EmrPeer} (Spark with emr-dynamodb-hadoop);
 *   <li>{@code memory}: a load of {@code --memoryRows} rows on the DirectRunner with {@code
 *       -Xmx1g}, which must complete.
 * </ul>
 *
 * <p>Each load gets a DynamoDB Local of its own, started fresh, so no candidate inherits another's
 * table or the server's warmed-up state; after it, the table's items are counted with a scan and
 * must equal the rows. CPU time and peak RSS are those of the candidate's own process (DynamoDB
 * Local's CPU is reported apart), read from {@code /proc} every {@value #SAMPLE_MILLIS} ms.
 * Throughput is rows over the wall time of the whole process, start-up included, as a user sees it.
 */
public final class Bench {
  static final long SAMPLE_MILLIS = 50;
  static final String TABLE = "bench_orders";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One candidate's measured run. */
  record Result(
      String stage,
      String candidate,
      long rows,
      double wallSeconds,
      double cpuSeconds,
      long peakRssMiB,
      double serverCpuSeconds,
      boolean ok,
      String detail) {
    double rowsPerSecond() {
      return rows / wallSeconds;
    }

    double cpuSecondsPerMillionRows() {
      return cpuSeconds / rows * 1e6;
    }
  }

  /** A floor of the issue: candidate's rows/s at least {@code ratio} times the baseline's. */
  record Floor(String stage, String candidate, String baseline, double ratio) {}

  static final List<Floor> FLOORS =
      List.of(
          new Floor("dry", "direct", "baseline-loop", 0.5),
          new Floor("dry", "spark", "baseline-loop", 1.0),
          new Floor("load", "spark", "emr-dynamodb-hadoop", 1.2),
          new Floor("load", "spark", "raw-loader", 0.8),
          new Floor("load", "direct", "raw-loader", 0.6));

  private final Path root;
  private final Path out;
  private final long rows;
  private final int files;
  private final List<String> runners;
  private final List<String> stages;
  private final long memoryRows;
  private final String heap;
  private final long timeoutSeconds;
  private final long clockTicks;
  private final List<Result> results = new ArrayList<>();

  private Bench(Map<String, String> args) throws IOException, InterruptedException {
    root = Path.of(args.getOrDefault("root", ".")).toAbsolutePath().normalize();
    out = root.resolve(args.getOrDefault("out", "target/bench"));
    rows = Long.parseLong(args.getOrDefault("rows", "1000000"));
    files = Integer.parseInt(args.getOrDefault("files", "8"));
    runners = List.of(args.getOrDefault("runners", "direct,spark").split(","));
    stages = List.of(args.getOrDefault("stages", "dry,load,memory").split(","));
    memoryRows = Long.parseLong(args.getOrDefault("memoryRows", "2000000"));
    heap = args.getOrDefault("heap", "4g");
    timeoutSeconds = Long.parseLong(args.getOrDefault("timeoutSeconds", "1200"));
    clockTicks = Long.parseLong(capture("getconf", "CLK_TCK").trim());
  }

  /**
   * {@code --rows=N --files=F --runners=direct,spark --stages=dry,load,memory --memoryRows=N
   * --heap=4g --timeoutSeconds=1200 --root=DIR --out=DIR}; exits 0 when every run succeeded and
   * every floor holds, 1 when a floor is missed, 2 when a run failed.
   */
  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    for (String a : argv) {
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, not " + a);
      }
      args.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    List<String> known =
        List.of(
            "rows",
            "files",
            "runners",
            "stages",
            "memoryRows",
            "heap",
            "timeoutSeconds",
            "root",
            "out");
    for (String name : args.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + "; known: " + known);
      }
    }
    System.exit(new Bench(args).run());
  }

  private int run() throws Exception {
    Files.createDirectories(out.resolve("logs"));
    Path data = data(rows);
    if (stages.contains("dry")) {
      try (DynamoDbLocal server = DynamoDbLocal.start(root, out)) {
        // The job reads the table's key schema before it starts, even in a dry run.
        server.createTable();
        results.add(measure("dry", "baseline-loop", rows, loop(data), server));
        for (String runner : runners) {
          results.add(measure("dry", runner, rows, job(runner, data, server, true), server));
        }
      }
    }
    if (stages.contains("load")) {
      List<String> candidates = new ArrayList<>(List.of("raw-loader", "emr-dynamodb-hadoop"));
      candidates.addAll(runners);
      for (String candidate : candidates) {
        try (DynamoDbLocal server = DynamoDbLocal.start(root, out)) {
          server.createTable();
          List<String> command =
              switch (candidate) {
                case "raw-loader" -> raw(data, server);
                case "emr-dynamodb-hadoop" -> emr(data, server);
                default -> job(candidate, data, server, false);
              };
          results.add(measure("load", candidate, rows, command, server));
        }
      }
    }
    if (stages.contains("memory") && memoryRows > 0) {
      Path big = data(memoryRows);
      try (DynamoDbLocal server = DynamoDbLocal.start(root, out)) {
        server.createTable();
        List<String> command = job("direct", big, server, false);
        command.set(command.indexOf("-Xmx" + heap), "-Xmx1g");
        results.add(measure("memory", "direct-xmx1g", memoryRows, command, server));
      }
    }
    return report();
  }

  /** The cached data set of {@code n} rows over {@link #files} files, written on first use. */
  private Path data(long n) throws IOException {
    Path dir =
        out.resolve("data")
            .resolve("orders-" + BenchData.VERSION + "-" + n + "-rows-" + files + "-files");
    Path done = dir.resolve("_COMPLETE");
    if (!Files.exists(done)) {
      System.out.printf("Writing %,d rows over %d files to %s%n", n, files, root.relativize(dir));
      BenchData.write(dir, n, files);
      Files.writeString(done, Instant.now().toString());
    }
    return dir;
  }

  private List<String> java(String... mainAndArgs) {
    List<String> command = new ArrayList<>(List.of("java", "-Xmx" + heap));
    command.addAll(List.of(mainAndArgs));
    return command;
  }

  private List<String> loop(Path data) {
    return java("-cp", benchClasspath(), BaselineLoop.class.getName(), data.toString());
  }

  private List<String> raw(Path data, DynamoDbLocal server) {
    return java(
        "-cp",
        benchClasspath(),
        RawLoader.class.getName(),
        data.toString(),
        TABLE,
        server.endpoint());
  }

  private List<String> emr(Path data, DynamoDbLocal server) {
    List<String> command = new ArrayList<>(List.of("java", "-Xmx" + heap));
    command.addAll(SparkFlags.JAVA17);
    command.add("-cp");
    command.add(
        String.join(
            ":",
            root.resolve("target/standins/spark/jars/*").toString(),
            root.resolve("scripts/bench/target/emr-connector/*").toString(),
            root.resolve("scripts/bench/target/classes").toString()));
    command.addAll(
        List.of(
            "io.parquet2dynamo.bench.EmrPeer",
            "--input",
            data.toString(),
            "--table",
            TABLE,
            "--endpoint",
            server.endpoint(),
            "--region",
            "us-east-1",
            "--master",
            "local[2]"));
    return command;
  }

  /** The job as a user runs it: the shaded jar, or the same jar through Spark's launcher. */
  private List<String> job(String runner, Path data, DynamoDbLocal server, boolean dryRun) {
    List<String> options =
        new ArrayList<>(
            List.of(
                "--inputPath=" + data + "/*.parquet",
                "--tableName=" + TABLE,
                "--awsRegion=us-east-1",
                "--dynamoDbEndpoint=" + server.endpoint(),
                "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                    + "\"accessKeyId\":\"bench\",\"secretAccessKey\":\"bench\"}"));
    if (dryRun) {
      options.add("--dryRun");
      options.add("--sample=1");
    }
    List<String> command = new ArrayList<>();
    switch (runner) {
      case "direct" -> {
        command.addAll(List.of("java", "-Xmx" + heap, "-jar", jar()));
        command.addAll(options);
      }
      case "spark" -> {
        command.addAll(
            List.of(
                root.resolve("runners/spark/submit.sh").toString(), "--master", "local[2]", "--"));
        command.addAll(options);
      }
      default -> throw new IllegalArgumentException("unknown runner " + runner);
    }
    return command;
  }

  private String jar() {
    return root.resolve("target/parquet2dynamo.jar").toString();
  }

  private String benchClasspath() {
    try {
      return root.resolve("scripts/bench/target/classes")
          + ":"
          + Files.readString(root.resolve("scripts/bench/target/runtime-classpath.txt")).trim();
    } catch (IOException e) {
      throw new IllegalStateException("build scripts/bench first", e);
    }
  }

  /** Runs one candidate to its end, sampling its CPU and RSS, and checks what it loaded. */
  private Result measure(
      String stage, String candidate, long expectedRows, List<String> command, DynamoDbLocal server)
      throws IOException, InterruptedException {
    String name = stage + "-" + candidate;
    Path log = out.resolve("logs").resolve(name + ".log");
    System.out.printf("%n==> %s (log: %s)%n", name, root.relativize(log));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder
        .environment()
        .put("SPARK_JARS_DIR", root.resolve("target/standins/spark/jars").toString());
    builder.environment().put("SPARK_DRIVER_JAVA_OPTS", "-Xmx" + heap);
    // The job's Spark run uses the same Spark jars as the emr-dynamodb-hadoop peer, not a local
    // installation that runners/spark/submit.sh would otherwise prefer.
    builder.environment().remove("SPARK_HOME");
    double serverCpuBefore = server.cpuSeconds();
    long start = System.nanoTime();
    Process process = builder.start();
    long ticks = 0;
    long hwmKiB = 0;
    boolean timedOut = false;
    while (!process.waitFor(SAMPLE_MILLIS, TimeUnit.MILLISECONDS)) {
      if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
        // A run that thrashes in GC would otherwise hold the benchmark for hours.
        timedOut = true;
        process.destroyForcibly().waitFor();
        break;
      }
      long[] sample = ProcStat.sample(process.pid());
      if (sample != null) {
        ticks = Math.max(ticks, sample[0]);
        hwmKiB = Math.max(hwmKiB, sample[1]);
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    double serverCpu = server.cpuSeconds() - serverCpuBefore;
    int exit = process.exitValue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    String detail;
    boolean ok = exit == 0 && !timedOut;
    if (timedOut) {
      detail = "stopped after --timeoutSeconds=" + timeoutSeconds + "; see " + root.relativize(log);
    } else if (!ok) {
      detail = "exit " + exit + "; see " + root.relativize(log);
    } else {
      detail = check(stage, candidate, expectedRows, output, server);
      ok = detail.startsWith("ok");
    }
    Result result =
        new Result(
            stage,
            candidate,
            expectedRows,
            wall,
            (double) ticks / clockTicks,
            hwmKiB / 1024,
            serverCpu,
            ok,
            detail);
    System.out.printf(
        Locale.ROOT,
        "    %s: %,.0f rows/s, %.1f s wall, %.1f CPU s per million rows, peak RSS %d MiB, %s%n",
        name,
        result.rowsPerSecond(),
        wall,
        result.cpuSecondsPerMillionRows(),
        result.peakRssMiB(),
        detail);
    return result;
  }

  /** What the candidate says it did, and for a load what the table holds, against the rows. */
  private String check(
      String stage, String candidate, long expected, String output, DynamoDbLocal server) {
    long reported = -1;
    for (String line : output.split("\n")) {
      if (line.startsWith("ROWS ")) {
        reported = Long.parseLong(line.substring(5).trim());
      } else if (line.startsWith("SUMMARY ")) {
        try {
          JsonNode summary = JSON.readTree(line.substring(8));
          if (!summary.path("reconciled").asBoolean()) {
            return "the job's summary does not reconcile";
          }
          reported = summary.path(stage.equals("dry") ? "itemsToWrite" : "itemsWritten").asLong(-1);
        } catch (IOException e) {
          return "unreadable summary: " + e.getMessage();
        }
      }
    }
    if (reported != expected) {
      return "reported " + reported + " rows, expected " + expected;
    }
    if (stage.equals("dry")) {
      return "ok";
    }
    long items = server.countItems();
    if (items != expected) {
      return "table holds " + items;
    }
    // The first, a middle and the last row, as the data set writes them: every column there.
    for (long n : new long[] {0, expected / 2, expected - 1}) {
      Map<String, AttributeValue> item = server.item(BenchData.id(n));
      int expectedAttributes =
          BenchData.SCHEMA.getFields().size() - (BenchData.hasNotes(n) ? 0 : 1);
      if (item == null || item.size() != expectedAttributes) {
        return "item " + BenchData.id(n) + " is " + item;
      }
    }
    return "ok, " + items + " items in the table";
  }

  private int report() throws IOException {
    StringBuilder text = new StringBuilder();
    Formatter table = new Formatter(text, Locale.ROOT);
    table.format(
        "parquet2dynamo benchmark: %,d rows, %d files, %d cores, %s%n",
        rows, files, Runtime.getRuntime().availableProcessors(), Instant.now());
    String format = "%-7s %-20s %12s %9s %12s %10s %11s %9s  %s%n";
    table.format(
        format,
        "stage",
        "candidate",
        "rows/s",
        "wall s",
        "CPU s/Mrow",
        "peak MiB",
        "server CPU",
        "ratio",
        "vs");
    ObjectNode json = JSON.createObjectNode();
    json.put("rows", rows);
    json.put("files", files);
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("at", Instant.now().toString());
    json.put("heap", heap);
    ArrayNode runs = json.putArray("runs");
    for (Result r : results) {
      List<String> ratios = new ArrayList<>();
      ObjectNode node = runs.addObject();
      node.put("stage", r.stage());
      node.put("candidate", r.candidate());
      node.put("rows", r.rows());
      node.put("ok", r.ok());
      node.put("detail", r.detail());
      node.put("wallSeconds", round(r.wallSeconds(), 2));
      node.put("rowsPerSecond", Math.round(r.rowsPerSecond()));
      node.put("cpuSecondsPerMillionRows", round(r.cpuSecondsPerMillionRows(), 1));
      node.put("peakRssMiB", r.peakRssMiB());
      node.put("serverCpuSeconds", round(r.serverCpuSeconds(), 1));
      ObjectNode ratioNode = node.putObject("ratios");
      for (Result base : results) {
        if (base.stage().equals(r.stage()) && isBaseline(base) && !isBaseline(r)) {
          double ratio = r.rowsPerSecond() / base.rowsPerSecond();
          ratioNode.put(base.candidate(), round(ratio, 2));
          ratios.add(String.format(Locale.ROOT, "%.2fx %s", ratio, base.candidate()));
        }
      }
      table.format(
          format,
          r.stage(),
          r.candidate() + (r.ok() ? "" : " FAILED"),
          r.ok() ? String.format(Locale.ROOT, "%,.0f", r.rowsPerSecond()) : "-",
          String.format(Locale.ROOT, "%.1f", r.wallSeconds()),
          String.format(Locale.ROOT, "%.1f", r.cpuSecondsPerMillionRows()),
          r.peakRssMiB(),
          r.stage().equals("dry")
              ? "-"
              : String.format(Locale.ROOT, "%.1f s", r.serverCpuSeconds()),
          ratios.isEmpty() ? "" : ratios.get(0).substring(0, ratios.get(0).indexOf(' ')),
          isBaseline(r) ? "(baseline)" : String.join(", ", ratios));
    }
    table.format("%n");
    ArrayNode floors = json.putArray("floors");
    boolean floorsHold = true;
    for (Floor floor : FLOORS) {
      Result candidate = find(floor.stage(), floor.candidate());
      Result baseline = find(floor.stage(), floor.baseline());
      if (candidate == null || baseline == null) {
        continue;
      }
      double ratio = candidate.rowsPerSecond() / baseline.rowsPerSecond();
      boolean holds = candidate.ok() && baseline.ok() && ratio >= floor.ratio();
      floorsHold &= holds;
      ObjectNode node = floors.addObject();
      node.put("stage", floor.stage());
      node.put("candidate", floor.candidate());
      node.put("baseline", floor.baseline());
      node.put("floor", floor.ratio());
      node.put("ratio", round(ratio, 2));
      node.put("holds", holds);
      table.format(
          "floor %-5s %-7s >= %.1fx %-20s %.2fx  %s%n",
          floor.stage(),
          floor.candidate(),
          floor.ratio(),
          floor.baseline(),
          ratio,
          holds ? "holds" : "MISSED");
    }
    Result memory = find("memory", "direct-xmx1g");
    if (memory != null) {
      floorsHold &= memory.ok();
      table.format(
          "floor memory  %,d rows on the DirectRunner with -Xmx1g complete: %s%n",
          memory.rows(), memory.ok() ? "holds" : "MISSED (" + memory.detail() + ")");
      ObjectNode node = floors.addObject();
      node.put("stage", "memory");
      node.put("candidate", "direct-xmx1g");
      node.put("holds", memory.ok());
    }
    // The memory run's outcome is its floor; the others must succeed for their ratios to count.
    boolean allOk = results.stream().filter(r -> !r.stage().equals("memory")).allMatch(Result::ok);
    json.put("allRunsOk", allOk);
    json.put("floorsHold", floorsHold);
    Path file = out.resolve("results.json");
    JSON.writeValue(file.toFile(), json);
    Files.writeString(out.resolve("results.txt"), text);
    System.out.println();
    System.out.print(text);
    System.out.println("Table: " + root.relativize(out.resolve("results.txt")));
    System.out.println("JSON:  " + root.relativize(file));
    return !allOk ? 2 : floorsHold ? 0 : 1;
  }

  private static boolean isBaseline(Result r) {
    return List.of("baseline-loop", "raw-loader", "emr-dynamodb-hadoop").contains(r.candidate());
  }

  private Result find(String stage, String candidate) {
    return results.stream()
        .filter(r -> r.stage().equals(stage) && r.candidate().equals(candidate))
        .findFirst()
        .orElse(null);
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  static String capture(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return text;
  }

  /** CPU ticks (user + system) and VmHWM of a live process, from /proc; null once it is gone. */
  static final class ProcStat {
    private ProcStat() {}

    static long[] sample(long pid) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // Fields after the command name, which is in parentheses and may hold spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        long hwm = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmHWM:")) {
            hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
        return new long[] {ticks, hwm};
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
  }

  /** A fresh, in-memory DynamoDB Local in its own JVM, stopped on close. */
  static final class DynamoDbLocal implements AutoCloseable {
    private final Process process;
    private final int port;
    private final DynamoDbClient client;
    private final long clockTicks;

    private DynamoDbLocal(Process process, int port, long clockTicks) {
      this.process = process;
      this.port = port;
      this.clockTicks = clockTicks;
      this.client =
          DynamoDbClient.builder()
              .endpointOverride(URI.create(endpoint()))
              .region(Region.US_EAST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
              .build();
    }

    static DynamoDbLocal start(Path root, Path out) throws IOException, InterruptedException {
      Path jars = root.resolve("target/standins/dynamodb-local");
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Process process =
          new ProcessBuilder(
                  "java",
                  "-Djava.library.path=" + jars,
                  "-cp",
                  jars + "/*",
                  "com.amazonaws.services.dynamodbv2.local.main.ServerRunner",
                  "-inMemory",
                  "-sharedDb",
                  "-disableTelemetry",
                  "-port",
                  String.valueOf(port))
              .redirectErrorStream(true)
              .redirectOutput(out.resolve("logs/dynamodb-local.log").toFile())
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
          break;
        } catch (IOException notYet) {
          if (!process.isAlive() || System.nanoTime() > deadline) {
            process.destroyForcibly();
            throw new IOException("DynamoDB Local did not start; see target/bench/logs");
          }
          Thread.sleep(100);
        }
      }
      long ticks = Long.parseLong(capture("getconf", "CLK_TCK").trim());
      return new DynamoDbLocal(process, port, ticks);
    }

    String endpoint() {
      return "http://127.0.0.1:" + port;
    }

    void createTable() {
      client.createTable(
          b ->
              b.tableName(TABLE)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .keySchema(k -> k.attributeName(BenchData.KEY).keyType(KeyType.HASH))
                  .attributeDefinitions(
                      a -> a.attributeName(BenchData.KEY).attributeType(ScalarAttributeType.S)));
    }

    /**
     * The table's items, from DescribeTable: DynamoDB Local counts them live (the real service only
     * every few hours), and a scan of a million items takes it minutes.
     */
    long countItems() {
      return client.describeTable(b -> b.tableName(TABLE)).table().itemCount();
    }

    /** The stored item of a key, or null. */
    Map<String, AttributeValue> item(String id) {
      GetItemResponse response =
          client.getItem(
              b -> b.tableName(TABLE).key(Map.of(BenchData.KEY, AttributeValue.fromS(id))));
      return response.hasItem() ? response.item() : null;
    }

    double cpuSeconds() {
      long[] sample = ProcStat.sample(process.pid());
      return sample == null ? 0 : (double) sample[0] / clockTicks;
    }

    @Override
    public void close() throws InterruptedException {
      client.close();
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** The JVM flags Spark's own launcher adds on Java 17. */
  static final class SparkFlags {
    static final List<String> JAVA17 =
        List.of(
                "java.lang",
                "java.lang.invoke",
                "java.lang.reflect",
                "java.io",
                "java.net",
                "java.nio",
                "java.util",
                "java.util.concurrent",
                "java.util.concurrent.atomic",
                "jdk.internal.ref",
                "sun.nio.ch",
                "sun.nio.cs",
                "sun.security.action",
                "sun.util.calendar")
            .stream()
            .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
            .collect(Collectors.toList());

    private SparkFlags() {}
  }
}
