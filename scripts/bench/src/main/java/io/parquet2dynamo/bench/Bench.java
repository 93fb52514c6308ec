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
 * other, on cached data sets, and prints one table with each candidate's throughput, CPU and memory
 * and their ratios to the baselines measured in the same run, then the floors, then the
 * same as JSON.
 *
 * <p>Stages:
 *
 * <ul>
 *   <li>{@code dry}: read + transform + map with nothing written ({@code --dryRun}), on each
 *       runner, against {@link BaselineLoop} (one thread, parquet-avro, the same item maps), at
 *       {@code --rows}; and, as {@code dry-large}, the loop and each runner again at {@code
 *       --largeRows}, where the dry Spark floor is judged (Spark's start-up of about 8 s would
 *       otherwise outweigh a loop that finishes in 7 s) and from which, with the first runs, each
 *       candidate's CPU per row once running is worked out (start-up and JIT fall out);
 *   <li>{@code load}: end to end into DynamoDB Local, on each runner, against {@link RawLoader}
 *       (the practical ceiling), {@link EmrPeer} (Spark with emr-dynamodb-hadoop) and {@link
 *       DynamoDbIoPeer} (the job with Beam's DynamoDBIO as its writer);
 *   <li>{@code memory}: the job with a small heap on data cut as Spark writes it (row groups of
 *       {@code --rowGroupRows}): {@code --memoryRows} rows on the DirectRunner with {@code -Xmx1g},
 *       dry and as a budgeted load; through {@code spark-submit --master local[2]} with a 768 MB
 *       heap, {@code --largeRows} rows dry and {@code --memoryRows} rows as a budgeted load. Each
 *       must complete and account for every row.
 * </ul>
 *
 * <p>Each load gets a DynamoDB Local of its own, started fresh, so no candidate inherits another's
 * table or the server's warmed-up state; after it, the table's items are counted and must equal the
 * rows. CPU time and peak RSS are those of the candidate's own process (DynamoDB Local's CPU is
 * reported apart), read from {@code /proc} every {@value #SAMPLE_MILLIS} ms. Throughput is rows
 * over the wall time of the whole process, start-up included, as a user sees it.
 */
public final class Bench {
  static final long SAMPLE_MILLIS = 50;
  static final String TABLE = "bench_orders";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The stage of the dry Spark floor at {@code --largeRows}. */
  static final String DRY_LARGE = "dry-large";

  /** The Spark driver's heap of the memory floors; in local mode it is the whole job's heap. */
  static final String SPARK_MEMORY_HEAP = "768m";

  /** The DirectRunner's heap of the memory floors. */
  static final String DIRECT_MEMORY_HEAP = "1g";

  /** The candidates measured against, per stage; the first is the one of the ratio columns. */
  static final Map<String, List<String>> BASELINES =
      Map.of(
          "dry",
          List.of("baseline-loop"),
          DRY_LARGE,
          List.of("baseline-loop"),
          "load",
          List.of("raw-loader", "raw-loader-rcc", "emr-dynamodb-hadoop", "dynamodbio"));

  /** One candidate's run, before it runs. */
  record Run(
      String stage,
      String candidate,
      long rows,
      boolean dryRun,
      List<String> command,
      String heap,
      String description) {}

  /** One candidate's measured run. */
  record Result(
      String stage,
      String candidate,
      long rows,
      double wallSeconds,
      double cpuSeconds,
      long peakRssMiB,
      double serverCpuSeconds,
      double jitSeconds,
      boolean dryRun,
      boolean ok,
      String detail,
      String description) {
    double rowsPerSecond() {
      return rows / wallSeconds;
    }

    double cpuSecondsPerMillionRows() {
      return cpuSeconds / rows * 1e6;
    }
  }

  /** What a floor compares. */
  enum Measure {
    /** rows/s, at least {@code ratio} times the baseline's. */
    RATE,
    /** CPU seconds per million rows, at most {@code ratio} times the baseline's. */
    CPU
  }

  /** A floor of the issue (#13), judged against the baseline measured in the same run. */
  record Floor(Measure measure, String stage, String candidate, String baseline, double ratio) {
    boolean holds(double measured) {
      return measure == Measure.RATE ? measured >= ratio : measured <= ratio;
    }
  }

  static final List<Floor> FLOORS =
      List.of(
          new Floor(Measure.RATE, "dry", "direct", "baseline-loop", 0.5),
          // Shown at --rows; judged at --largeRows (DRY_LARGE) when that ran.
          new Floor(Measure.RATE, "dry", "spark", "baseline-loop", 1.0),
          new Floor(Measure.RATE, DRY_LARGE, "spark", "baseline-loop", 1.0),
          new Floor(Measure.RATE, "load", "spark", "emr-dynamodb-hadoop", 1.2),
          new Floor(Measure.RATE, "load", "spark", "raw-loader", 0.8),
          new Floor(Measure.RATE, "load", "direct", "raw-loader", 0.6),
          new Floor(Measure.CPU, "dry", "direct", "baseline-loop", 3.0),
          new Floor(Measure.CPU, "dry", "spark", "baseline-loop", 3.0),
          new Floor(Measure.CPU, "load", "direct", "raw-loader", 1.3),
          new Floor(Measure.CPU, "load", "spark", "raw-loader", 1.3));

  private final Path root;
  private final Path out;
  private final long rows;
  private final int files;
  private final List<String> runners;
  private final List<String> stages;
  private final long largeRows;
  private final long memoryRows;
  private final int memoryFiles;
  private final int rowGroupRows;
  private final String memoryWriteUnits;
  private final List<String> peers;
  private final String heap;
  private final long timeoutSeconds;
  private final long clockTicks;
  private final List<Result> results = new ArrayList<>();
  private final Map<Path, Long> dataSets = new LinkedHashMap<>();

  private Bench(Map<String, String> args) throws IOException, InterruptedException {
    root = Path.of(args.getOrDefault("root", ".")).toAbsolutePath().normalize();
    out = root.resolve(args.getOrDefault("out", "target/bench"));
    rows = Long.parseLong(args.getOrDefault("rows", "1000000"));
    files = Integer.parseInt(args.getOrDefault("files", "8"));
    runners = List.of(args.getOrDefault("runners", "direct,spark").split(","));
    stages = List.of(args.getOrDefault("stages", "dry,load,memory").split(","));
    peers = List.of(args.getOrDefault("peers", String.join(",", BASELINES.get("load"))).split(","));
    for (String peer : peers) {
      if (!BASELINES.get("load").contains(peer)) {
        throw new IllegalArgumentException(
            "--peers: unknown peer " + peer + "; one of " + BASELINES.get("load"));
      }
    }
    largeRows = Long.parseLong(args.getOrDefault("largeRows", "10000000"));
    memoryRows = Long.parseLong(args.getOrDefault("memoryRows", "2000000"));
    memoryFiles = Integer.parseInt(args.getOrDefault("memoryFiles", "4"));
    rowGroupRows = Integer.parseInt(args.getOrDefault("rowGroupRows", "250000"));
    memoryWriteUnits = args.getOrDefault("memoryWriteUnits", "20000");
    heap = args.getOrDefault("heap", "4g");
    timeoutSeconds = Long.parseLong(args.getOrDefault("timeoutSeconds", "1200"));
    clockTicks = Long.parseLong(capture("getconf", "CLK_TCK").trim());
    if (rowGroupRows <= 0) {
      throw new IllegalArgumentException("--rowGroupRows must be positive");
    }
  }

  /**
   * {@code --rows=N --files=F --runners=direct,spark --stages=dry,load,memory --peers=P,...
   * --largeRows=N --memoryRows=N --memoryFiles=F --rowGroupRows=N --memoryWriteUnits=WCU --heap=4g
   * --timeoutSeconds=1200 --root=DIR --out=DIR}; exits 0 when every run succeeded and every floor
   * holds, 1 when a floor is missed (a memory run failing included), 2 when another run failed.
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
            "largeRows",
            "memoryRows",
            "memoryFiles",
            "rowGroupRows",
            "memoryWriteUnits",
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
    long start = System.nanoTime();
    Files.createDirectories(out.resolve("logs"));
    boolean direct = runners.contains("direct");
    boolean spark = runners.contains("spark");
    if (stages.contains("dry")) {
      Path data = data(rows, files, 0);
      try (DynamoDbLocal server = DynamoDbLocal.start(root, out)) {
        // The job reads the table's key schema before it starts, even in a dry run.
        server.createTable();
        results.add(measure(loop("dry", data, rows), server));
        for (String runner : runners) {
          results.add(measure(dryStage("dry", runner, data, rows, server), server));
        }
        if (largeRows > 0) {
          // Every runner again at --largeRows: the dry Spark floor is judged there, and the two
          // sizes together give each candidate's CPU per row once running (see report).
          Path large = data(largeRows, memoryFiles, rowGroupRows);
          results.add(measure(loop(DRY_LARGE, large, largeRows), server));
          for (String runner : runners) {
            results.add(measure(dryStage(DRY_LARGE, runner, large, largeRows, server), server));
          }
        }
      }
    }
    if (stages.contains("load")) {
      Path data = data(rows, files, 0);
      List<String> candidates = new ArrayList<>(peers);
      candidates.addAll(runners);
      for (String candidate : candidates) {
        try (DynamoDbLocal server = DynamoDbLocal.start(root, out)) {
          server.createTable();
          List<String> command =
              switch (candidate) {
                case "raw-loader" -> raw(data, server);
                case "raw-loader-rcc" -> raw(data, server, "TOTAL");
                case "emr-dynamodb-hadoop" -> emr(data, server);
                case "dynamodbio" -> dynamoDbIo(data, server);
                default -> job(candidate, data, server, false, heap, List.of());
              };
          results.add(measure(new Run("load", candidate, rows, false, command, heap, ""), server));
        }
      }
    }
    if (stages.contains("memory")) {
      String budget = "--maxWriteUnitsPerSecond=" + memoryWriteUnits;
      // Which runs, on which data; each gets its own server, whose endpoint its command needs.
      record Memory(String runner, String candidate, long rows, boolean dryRun, String note) {}
      List<Memory> memory = new ArrayList<>();
      if (direct && memoryRows > 0) {
        memory.add(new Memory("direct", "direct-xmx1g-dry", memoryRows, true, "dry run"));
        memory.add(
            new Memory("direct", "direct-xmx1g-budget", memoryRows, false, "load, " + budget));
      }
      long sparkDryRows = largeRows > 0 ? largeRows : memoryRows;
      if (spark && sparkDryRows > 0) {
        memory.add(new Memory("spark", "spark-768m-dry", sparkDryRows, true, "dry run"));
      }
      if (spark && memoryRows > 0) {
        memory.add(new Memory("spark", "spark-768m-budget", memoryRows, false, "load, " + budget));
      }
      for (Memory m : memory) {
        Path data = data(m.rows(), memoryFiles, rowGroupRows);
        boolean onDirect = m.runner().equals("direct");
        String jvmHeap = onDirect ? DIRECT_MEMORY_HEAP : SPARK_MEMORY_HEAP;
        try (DynamoDbLocal server = DynamoDbLocal.start(root, out)) {
          server.createTable();
          List<String> command =
              job(
                  m.runner(),
                  data,
                  server,
                  m.dryRun(),
                  jvmHeap,
                  m.dryRun() ? List.of() : List.of(budget));
          String description =
              (onDirect ? "DirectRunner" : "spark-submit local[2]")
                  + " -Xmx"
                  + jvmHeap
                  + ", "
                  + m.note();
          results.add(
              measure(
                  new Run(
                      "memory", m.candidate(), m.rows(), m.dryRun(), command, jvmHeap, description),
                  server));
        }
      }
    }
    return report((System.nanoTime() - start) / 1e9);
  }

  /** A dry run of the job, as the dry stages run it: only a one-item sample printed. */
  private Run dryStage(String stage, String runner, Path data, long n, DynamoDbLocal server) {
    return new Run(
        stage,
        runner,
        n,
        true,
        job(runner, data, server, true, heap, List.of("--sample=1")),
        heap,
        "");
  }

  /**
   * The cached data set of {@code n} rows over {@code fileCount} files, in row groups of {@code
   * groupRows} rows (0: parquet-avro's, one per file here), written on first use.
   */
  private Path data(long n, int fileCount, int groupRows) throws IOException {
    Path dir =
        out.resolve("data")
            .resolve(
                "orders-"
                    + BenchData.VERSION
                    + "-"
                    + n
                    + "-rows-"
                    + fileCount
                    + "-files"
                    + (groupRows > 0 ? "-" + groupRows + "-row-groups" : ""));
    Path done = dir.resolve("_COMPLETE");
    if (!Files.exists(done)) {
      System.out.printf(
          Locale.ROOT,
          "Writing %,d rows over %d files%s to %s%n",
          n,
          fileCount,
          groupRows > 0 ? String.format(Locale.ROOT, " in row groups of %,d rows", groupRows) : "",
          root.relativize(dir));
      BenchData.write(dir, n, fileCount, groupRows);
      Files.writeString(done, Instant.now().toString());
    }
    dataSets.put(dir, n);
    return dir;
  }

  private List<String> java(String... mainAndArgs) {
    List<String> command = new ArrayList<>(List.of("java", "-Xmx" + heap));
    command.addAll(List.of(mainAndArgs));
    return command;
  }

  private Run loop(String stage, Path data, long n) {
    return new Run(
        stage,
        "baseline-loop",
        n,
        true,
        java("-cp", benchClasspath(), BaselineLoop.class.getName(), data.toString()),
        heap,
        "");
  }

  private List<String> raw(Path data, DynamoDbLocal server, String... consumedCapacity) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-cp",
                benchClasspath(),
                RawLoader.class.getName(),
                data.toString(),
                TABLE,
                server.endpoint()));
    args.addAll(List.of(consumedCapacity));
    return java(args.toArray(String[]::new));
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

  /**
   * The job with DynamoDBIO as its writer, on the DirectRunner, on the job's own classes and
   * runtime class path (not its shaded jar, which relocates the AWS SDK DynamoDBIO is built on).
   */
  private List<String> dynamoDbIo(Path data, DynamoDbLocal server) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "java",
                "-Xmx" + heap,
                "-cp",
                String.join(
                    ":",
                    root.resolve("target/classes").toString(),
                    jobClasspath(),
                    root.resolve("scripts/bench/target/classes").toString()),
                DynamoDbIoPeer.class.getName()));
    command.addAll(jobOptions(data, server));
    return command;
  }

  private List<String> jobOptions(Path data, DynamoDbLocal server) {
    return new ArrayList<>(
        List.of(
            "--inputPath=" + data + "/*.parquet",
            "--tableName=" + TABLE,
            "--awsRegion=us-east-1",
            "--dynamoDbEndpoint=" + server.endpoint(),
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                + "\"accessKeyId\":\"bench\",\"secretAccessKey\":\"bench\"}"));
  }

  /**
   * The job as a user runs it: the shaded jar with {@code -Xmx<jvmHeap>}, or the same jar through
   * Spark's launcher with that driver heap. In local mode the executors are threads of the driver,
   * so the driver's heap is the whole job's. runners/spark/submit.sh, given only SPARK_JARS_DIR (as
   * here), starts that JVM itself with SPARK_DRIVER_JAVA_OPTS ({@link #measure} sets it), where
   * {@code --driver-memory} can no longer change it; a real spark-submit sizes it from {@code
   * --driver-memory}. Both are given; {@link #measure} checks the -Xmx the process got.
   */
  private List<String> job(
      String runner,
      Path data,
      DynamoDbLocal server,
      boolean dryRun,
      String jvmHeap,
      List<String> extra) {
    List<String> options = jobOptions(data, server);
    if (dryRun) {
      options.add("--dryRun");
    }
    options.addAll(extra);
    List<String> command = new ArrayList<>();
    switch (runner) {
      case "direct" -> {
        command.addAll(List.of("java", "-Xmx" + jvmHeap, "-jar", jar()));
        command.addAll(options);
      }
      case "spark" -> {
        command.addAll(
            List.of(
                root.resolve("runners/spark/submit.sh").toString(),
                "--master",
                "local[2]",
                "--driver-memory",
                jvmHeap,
                "--"));
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

  /**
   * The job's runtime class path (its dependencies, not its classes), written by Maven's dependency
   * plugin next to the harness's own and again whenever the job's pom.xml is newer.
   */
  private String jobClasspath() throws IOException {
    Path file = root.resolve("scripts/bench/target/job-runtime-classpath.txt");
    Path pom = root.resolve("pom.xml");
    if (!Files.exists(file)
        || Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(pom)) < 0) {
      System.out.println("Writing the job's runtime class path to " + root.relativize(file));
      Process mvn =
          new ProcessBuilder(
                  "mvn",
                  "-B",
                  "-q",
                  "-f",
                  pom.toString(),
                  "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                  "-Dmdep.includeScope=runtime",
                  "-Dmdep.outputFile=" + file)
              .inheritIO()
              .start();
      try {
        if (mvn.waitFor() != 0) {
          throw new IOException("mvn dependency:build-classpath failed for " + pom);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    return Files.readString(file).trim();
  }

  /** Runs one candidate to its end, sampling its CPU and RSS, and checks what it did. */
  private Result measure(Run run, DynamoDbLocal server) throws IOException, InterruptedException {
    String name = run.stage() + "-" + run.candidate();
    Path log = out.resolve("logs").resolve(name + ".log");
    System.out.printf("%n==> %s, %,d rows (log: %s)%n", name, run.rows(), root.relativize(log));
    ProcessBuilder builder =
        new ProcessBuilder(run.command()).redirectErrorStream(true).redirectOutput(log.toFile());
    builder
        .environment()
        .put("SPARK_JARS_DIR", root.resolve("target/standins/spark/jars").toString());
    builder.environment().put("SPARK_DRIVER_JAVA_OPTS", "-Xmx" + run.heap());
    // Every JVM of the candidate prints the time its JIT compilers spent when it exits: at a
    // million rows much of a big framework's CPU is compiling its code, not running it.
    builder.environment().put("JAVA_TOOL_OPTIONS", JIT_TIMES);
    // The job's Spark run uses the same Spark jars as the emr-dynamodb-hadoop peer, not a local
    // installation that runners/spark/submit.sh would otherwise prefer.
    builder.environment().remove("SPARK_HOME");
    double serverCpuBefore = server.cpuSeconds();
    long start = System.nanoTime();
    Process process = builder.start();
    long ticks = 0;
    long hwmKiB = 0;
    String xmx = null;
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
      if (xmx == null) {
        // submit.sh execs the JVM in its own process: look until the process is java.
        xmx = ProcStat.javaHeap(process.pid());
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
    } else if (run.stage().equals("memory") && !run.heap().equals(xmx)) {
      // The floor is about this heap: a run that had another proves nothing.
      detail = "ran with -Xmx" + xmx + ", not -Xmx" + run.heap();
      ok = false;
    } else {
      detail = check(run, output, server);
      ok = detail.startsWith("ok");
    }
    Result result =
        new Result(
            run.stage(),
            run.candidate(),
            run.rows(),
            wall,
            (double) ticks / clockTicks,
            hwmKiB / 1024,
            serverCpu,
            jitSeconds(output),
            run.dryRun(),
            ok,
            detail,
            run.description());
    System.out.printf(
        Locale.ROOT,
        "    %s: %,.0f rows/s, %.1f s wall, %.1f CPU s per million rows (JIT %.1f s), peak RSS"
            + " %d MiB, -Xmx%s, %s%n",
        name,
        result.rowsPerSecond(),
        wall,
        result.cpuSecondsPerMillionRows(),
        result.jitSeconds(),
        result.peakRssMiB(),
        xmx,
        detail);
    return result;
  }

  /** The JVM options that make each JVM print its JIT compilers' time at exit. */
  static final String JIT_TIMES = "-XX:+UnlockDiagnosticVMOptions -XX:+CITime";

  private static final java.util.regex.Pattern JIT_TOTAL =
      java.util.regex.Pattern.compile("Total compilation time\\s*:\\s*([0-9.]+) s");

  /**
   * The time the JIT compilers of every JVM in {@code output} spent compiling (-XX:+CITime): time
   * on the compiler threads, so at most their CPU time plus what they waited for a core.
   */
  static double jitSeconds(String output) {
    double total = 0;
    java.util.regex.Matcher m = JIT_TOTAL.matcher(output);
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }

  /**
   * What the candidate says it did, and for a load what the table holds, against the rows. The
   * job's summary must reconcile and have read every row.
   */
  private String check(Run run, String output, DynamoDbLocal server) {
    long expected = run.rows();
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
          long read = summary.path("rowsRead").asLong(-1);
          if (read != expected) {
            return "the job read " + read + " rows, expected " + expected;
          }
          reported = summary.path(run.dryRun() ? "itemsToWrite" : "itemsWritten").asLong(-1);
        } catch (IOException e) {
          return "unreadable summary: " + e.getMessage();
        }
      }
    }
    if (reported != expected) {
      return "reported " + reported + " rows, expected " + expected;
    }
    if (run.dryRun()) {
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

  private int report(double totalSeconds) throws IOException {
    StringBuilder text = new StringBuilder();
    Formatter table = new Formatter(text, Locale.ROOT);
    table.format(
        "parquet2dynamo benchmark: %d cores, Java %s, -Xmx%s unless said, %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        heap,
        Instant.now());
    ObjectNode json = JSON.createObjectNode();
    json.put("rows", rows);
    json.put("files", files);
    json.put("largeRows", largeRows);
    json.put("memoryRows", memoryRows);
    json.put("memoryFiles", memoryFiles);
    json.put("rowGroupRows", rowGroupRows);
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("java", System.getProperty("java.version"));
    json.put("at", Instant.now().toString());
    json.put("heap", heap);
    json.put("totalSeconds", round(totalSeconds, 1));
    ArrayNode sets = json.putArray("dataSets");
    for (Map.Entry<Path, Long> set : dataSets.entrySet()) {
      String layout = BenchData.layout(set.getKey());
      table.format(Locale.ROOT, "data %,12d rows: %s%n", set.getValue(), layout);
      ObjectNode node = sets.addObject();
      node.put("rows", set.getValue());
      node.put("dir", root.relativize(set.getKey()).toString());
      node.put("layout", layout);
    }
    String format = "%-9s %-26s %11s %9s %7s %10s %9s %6s %8s %8s %10s  %s%n";
    table.format(
        format,
        "stage",
        "candidate",
        "rows",
        "rows/s",
        "ratio",
        "CPU s/Mrow",
        "CPU ratio",
        "JIT s",
        "wall s",
        "peak MiB",
        "server CPU",
        "vs");
    ArrayNode runs = json.putArray("runs");
    for (Result r : results) {
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
      node.put("jitSeconds", round(r.jitSeconds(), 1));
      if (!r.description().isEmpty()) {
        node.put("description", r.description());
      }
      List<String> baselines = BASELINES.getOrDefault(r.stage(), List.of());
      Result primary = baselines.isEmpty() ? null : find(r.stage(), baselines.get(0));
      String ratio = "";
      String cpuRatio = "";
      if (primary != null && primary != r) {
        ratio = String.format(Locale.ROOT, "%.2fx", rate(r, primary));
        cpuRatio = String.format(Locale.ROOT, "%.2fx", cpu(r, primary));
        node.put("cpuRatio", round(cpu(r, primary), 2));
        node.put("cpuRatioTo", primary.candidate());
      }
      ObjectNode ratioNode = node.putObject("ratios");
      List<String> vs = new ArrayList<>();
      for (String name : baselines) {
        Result base = find(r.stage(), name);
        if (base != null && base != r && !baselines.contains(r.candidate())) {
          ratioNode.put(name, round(rate(r, base), 2));
          vs.add(String.format(Locale.ROOT, "%.2fx %s", rate(r, base), name));
        }
      }
      String against;
      if (r.stage().equals("memory")) {
        against = r.description();
      } else if (baselines.indexOf(r.candidate()) == 0) {
        against = "(baseline)";
      } else if (baselines.contains(r.candidate())) {
        against = "(peer)";
      } else {
        against = String.join(", ", vs);
      }
      table.format(
          format,
          r.stage(),
          r.candidate() + (r.ok() ? "" : " FAILED"),
          String.format(Locale.ROOT, "%,d", r.rows()),
          r.ok() ? String.format(Locale.ROOT, "%,.0f", r.rowsPerSecond()) : "-",
          r.ok() ? ratio : "",
          String.format(Locale.ROOT, "%.1f", r.cpuSecondsPerMillionRows()),
          r.ok() ? cpuRatio : "",
          String.format(Locale.ROOT, "%.1f", r.jitSeconds()),
          String.format(Locale.ROOT, "%.1f", r.wallSeconds()),
          r.peakRssMiB(),
          r.dryRun() ? "-" : String.format(Locale.ROOT, "%.1f s", r.serverCpuSeconds()),
          against);
    }
    table.format("%n");
    onceRunning(table, json);
    ArrayNode floors = json.putArray("floors");
    boolean floorsHold = true;
    boolean judgedLarge = find(DRY_LARGE, "spark") != null;
    for (Floor floor : FLOORS) {
      Result candidate = find(floor.stage(), floor.candidate());
      Result baseline = find(floor.stage(), floor.baseline());
      if (candidate == null || baseline == null) {
        continue;
      }
      double ratio =
          floor.measure() == Measure.RATE ? rate(candidate, baseline) : cpu(candidate, baseline);
      boolean holds = candidate.ok() && baseline.ok() && floor.holds(ratio);
      // The issue judges the dry Spark floor at --largeRows, where start-up no longer dominates.
      boolean judged =
          !(judgedLarge
              && floor.measure() == Measure.RATE
              && floor.stage().equals("dry")
              && floor.candidate().equals("spark"));
      if (judged) {
        floorsHold &= holds;
      }
      ObjectNode node = floors.addObject();
      node.put("measure", floor.measure() == Measure.RATE ? "rowsPerSecond" : "cpuPerMillionRows");
      node.put("stage", floor.stage());
      node.put("candidate", floor.candidate());
      node.put("baseline", floor.baseline());
      node.put("rows", candidate.rows());
      node.put("floor", floor.ratio());
      node.put("ratio", round(ratio, 2));
      node.put("holds", holds);
      node.put("judged", judged);
      table.format(
          Locale.ROOT,
          "floor %-9s %-7s %-10s %s %.1fx %-20s at %,11d rows: %5.2fx  %s%n",
          floor.stage(),
          floor.candidate(),
          floor.measure() == Measure.RATE ? "rows/s" : "CPU s/Mrow",
          floor.measure() == Measure.RATE ? ">=" : "<=",
          floor.ratio(),
          floor.baseline(),
          candidate.rows(),
          ratio,
          !judged
              ? (holds ? "holds" : "missed")
                  + String.format(
                      Locale.ROOT, " (shown; judged at %,d rows)", find(DRY_LARGE, "spark").rows())
              : holds ? "holds" : "MISSED");
    }
    for (Result memory : results) {
      if (!memory.stage().equals("memory")) {
        continue;
      }
      floorsHold &= memory.ok();
      table.format(
          Locale.ROOT,
          "floor memory    %-19s %,11d rows, %s, complete: %s%n",
          memory.candidate(),
          memory.rows(),
          memory.description(),
          memory.ok() ? "holds" : "MISSED (" + memory.detail() + ")");
      ObjectNode node = floors.addObject();
      node.put("measure", "completes");
      node.put("stage", "memory");
      node.put("candidate", memory.candidate());
      node.put("rows", memory.rows());
      node.put("holds", memory.ok());
      node.put("judged", true);
    }
    table.format(Locale.ROOT, "%nThe benchmark took %.1f minutes.%n", totalSeconds / 60);
    // The memory runs' outcomes are their floors; the others must succeed for their ratios to
    // count.
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

  /**
   * Each dry candidate's cost per row once running: the difference between its runs at {@code
   * --largeRows} and at {@code --rows}, over the difference in rows, so that start-up and what the
   * JIT compiles once (the same at both sizes) fall out. The two data sets differ in layout (files,
   * row groups), not in rows.
   */
  private void onceRunning(Formatter table, ObjectNode json) {
    Result loopSmall = find("dry", BASELINES.get("dry").get(0));
    Result loopLarge = find(DRY_LARGE, BASELINES.get("dry").get(0));
    if (loopSmall == null || loopLarge == null || !loopSmall.ok() || !loopLarge.ok()) {
      return;
    }
    ArrayNode nodes = json.putArray("onceRunning");
    String format = "%-26s %14s %9s %16s %9s %10s%n";
    table.format(
        "Once running (dry; runs at %,d and %,d rows, the difference over the extra rows):%n",
        loopSmall.rows(), loopLarge.rows());
    table.format(
        format, "candidate", "µs CPU per row", "ratio", "rows/s (margin)", "ratio", "start-up");
    double loopCpu = marginalCpu(loopSmall, loopLarge);
    double loopRate = marginalRate(loopSmall, loopLarge);
    for (Result small : results) {
      Result large = find(DRY_LARGE, small.candidate());
      if (!small.stage().equals("dry") || large == null || !small.ok() || !large.ok()) {
        continue;
      }
      double perRow = marginalCpu(small, large);
      double rate = marginalRate(small, large);
      // CPU = start-up + rows x per-row, fitted through the two runs.
      double startUp = small.cpuSeconds() - small.rows() * perRow / 1e6;
      boolean baseline = small == loopSmall;
      // On small inputs the differences are within the noise and may be zero or negative: such a
      // figure is printed as "-" and written as null, never as NaN or Infinity.
      table.format(
          Locale.ROOT,
          format,
          small.candidate(),
          shown("%.2f", perRow),
          baseline ? "" : shown("%.2fx", perRow / loopCpu),
          shown("%,.0f", rate),
          baseline ? "" : shown("%.2fx", rate / loopRate),
          shown("%.1f CPU s", startUp));
      ObjectNode node = nodes.addObject();
      node.put("candidate", small.candidate());
      putFinite(node, "cpuMicrosPerRow", perRow, 2);
      putFinite(node, "cpuRatio", perRow / loopCpu, 2);
      putFinite(node, "rowsPerSecond", rate, 0);
      putFinite(node, "rateRatio", rate / loopRate, 2);
      putFinite(node, "startUpCpuSeconds", startUp, 1);
    }
    table.format("%n");
  }

  private static boolean usable(double value) {
    return Double.isFinite(value) && value > 0;
  }

  private static String shown(String format, double value) {
    return usable(value) ? String.format(Locale.ROOT, format, value) : "-";
  }

  private static void putFinite(ObjectNode node, String name, double value, int digits) {
    if (usable(value)) {
      node.put(name, round(value, digits));
    } else {
      node.putNull(name);
    }
  }

  /** CPU µs per row between two runs of the same candidate at different sizes. */
  private static double marginalCpu(Result small, Result large) {
    return (large.cpuSeconds() - small.cpuSeconds()) / (large.rows() - small.rows()) * 1e6;
  }

  /** Rows per wall second between two runs of the same candidate at different sizes. */
  private static double marginalRate(Result small, Result large) {
    return (large.rows() - small.rows()) / (large.wallSeconds() - small.wallSeconds());
  }

  /** The candidate's rows/s over the baseline's. */
  private static double rate(Result candidate, Result baseline) {
    return candidate.rowsPerSecond() / baseline.rowsPerSecond();
  }

  /** The candidate's CPU per million rows over the baseline's. */
  private static double cpu(Result candidate, Result baseline) {
    return candidate.cpuSecondsPerMillionRows() / baseline.cpuSecondsPerMillionRows();
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

    /**
     * The heap a live Java process was given, the value of its last {@code -Xmx} ("default" if
     * none); null while the process is not (yet) java, or once it is gone.
     */
    static String javaHeap(long pid) {
      try {
        String[] args =
            Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8)
                .split("\0");
        if (args.length == 0 || !(args[0].equals("java") || args[0].endsWith("/java"))) {
          return null;
        }
        String heap = "default";
        for (String arg : args) {
          if (arg.startsWith("-Xmx")) {
            heap = arg.substring(4);
          }
        }
        return heap;
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
