package io.parquet2dynamo.bench;

import io.parquet2dynamo.Parquet2Dynamo;
import io.parquet2dynamo.testing.Faults;
import io.parquet2dynamo.testing.FaultyDynamoDb;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.LocalStandIns;
import io.parquet2dynamo.testing.ParquetFiles;
import io.parquet2dynamo.testing.StandInClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * How closely the job holds {@code --maxWriteUnitsPerSecond}: loads N items of just under 1 KB (one
 * write unit each) into DynamoDB Local through a counting proxy (no faults) that samples the items
 * it forwards every 50 ms, then prints the achieved rate over the write and the busiest one-second
 * window, each as a ratio to the budget. Run by scripts/bench-write-rate.sh.
 *
 * <p>Arguments: items (default 30000), budget in WCU/s (default 1000), extra job options.
 */
public final class WriteRateBenchmark {
  private static final long SAMPLE_MILLIS = 50;

  private WriteRateBenchmark() {}

  public static void main(String[] args) throws Exception {
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
    double budget = args.length > 1 ? Double.parseDouble(args[1]) : 1000;
    List<String> extra = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();

    Path dir = Files.createTempDirectory("bench-write-rate");
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { required binary id (STRING); required binary payload (STRING); }");
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    List<Group> rows = new ArrayList<>(items);
    // "id" + "k0000000" + "payload" + 990 bytes = 1007 bytes: one write unit.
    String payload = "p".repeat(990);
    for (int i = 0; i < items; i++) {
      rows.add(
          groups.newGroup().append("id", String.format("k%07d", i)).append("payload", payload));
    }
    Path file = dir.resolve("items.parquet");
    ParquetFiles.writeGroups(file, schema, rows);

    LocalStandIns standIns = LocalStandIns.shared();
    try (StandInClients aws = new StandInClients(standIns);
        FaultyDynamoDb proxy = FaultyDynamoDb.start(standIns.dynamoDbEndpoint(), Faults.none())) {
      String table = aws.createTable("bench", "id", ScalarAttributeType.S, null, null);
      List<String> jobArgs = new ArrayList<>(LoadRun.standInArgs(standIns));
      jobArgs.removeIf(a -> a.startsWith("--dynamoDbEndpoint="));
      jobArgs.add("--dynamoDbEndpoint=" + proxy.endpoint());
      jobArgs.add("--inputPath=" + file);
      jobArgs.add("--tableName=" + table);
      jobArgs.add("--maxWriteUnitsPerSecond=" + budget);
      jobArgs.addAll(extra);

      List<long[]> samples = new ArrayList<>();
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  synchronized (samples) {
                    samples.add(
                        new long[] {
                          System.nanoTime(), proxy.stats().itemsForwarded("BatchWriteItem")
                        });
                  }
                  try {
                    Thread.sleep(SAMPLE_MILLIS);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.setDaemon(true);
      sampler.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code;
      try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
        code = Parquet2Dynamo.run(jobArgs.toArray(new String[0]), o, System.err);
      }
      Thread.sleep(2 * SAMPLE_MILLIS);
      sampler.interrupt();
      sampler.join();
      String summary =
          out.toString(StandardCharsets.UTF_8)
              .lines()
              .filter(l -> l.startsWith("SUMMARY "))
              .findFirst()
              .orElse("SUMMARY (none)");
      if (code != 0) {
        System.err.println(out.toString(StandardCharsets.UTF_8));
        throw new IllegalStateException("the job exited with " + code);
      }
      report(samples, items, budget, summary);
    }
    System.exit(0);
  }

  private static void report(List<long[]> samples, int items, double budget, String summary) {
    // The write runs from the last sample before the first item to the first with all of them.
    int first = 0;
    while (first < samples.size() - 1 && samples.get(first + 1)[1] == 0) {
      first++;
    }
    int last = first;
    while (last < samples.size() - 1 && samples.get(last)[1] < items) {
      last++;
    }
    double seconds = (samples.get(last)[0] - samples.get(first)[0]) / 1e9;
    double achieved = samples.get(last)[1] / seconds;
    // The busiest one-second window, sliding by one sample.
    double busiest = 0;
    int j = first;
    for (int i = first; i <= last; i++) {
      while (j <= last && samples.get(j)[0] - samples.get(i)[0] < 1_000_000_000L) {
        j++;
      }
      if (j > last) {
        break;
      }
      busiest = Math.max(busiest, samples.get(j - 1)[1] - samples.get(i)[1]);
    }
    double rateRatio = achieved / budget;
    double peakRatio = busiest / budget;
    boolean rateOk = Math.abs(rateRatio - 1) <= 0.10;
    boolean peakOk = peakRatio <= 1.20;
    System.out.println(summary);
    System.out.printf(
        Locale.ROOT,
        "%-34s %12s %12s %8s%n%-34s %12.0f %12.0f %8.3f%n%-34s %12.0f %12.0f %8.3f%n",
        "measure",
        "WCU/s",
        "budget",
        "ratio",
        "achieved over the write (" + String.format(Locale.ROOT, "%.1f s", seconds) + ")",
        achieved,
        budget,
        rateRatio,
        "busiest one-second window",
        busiest,
        budget,
        peakRatio);
    System.out.printf(
        Locale.ROOT,
        "BENCH {\"items\":%d,\"budget\":%.0f,\"seconds\":%.3f,\"achievedWcuPerSecond\":%.1f,"
            + "\"achievedRatio\":%.3f,\"busiestSecondWcu\":%.0f,\"busiestRatio\":%.3f,"
            + "\"withinTenPercent\":%b,\"peakWithinTwentyPercent\":%b}%n",
        items,
        budget,
        seconds,
        achieved,
        rateRatio,
        busiest,
        peakRatio,
        rateOk,
        peakOk);
  }
}
