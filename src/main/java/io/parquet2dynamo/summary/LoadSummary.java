package io.parquet2dynamo.summary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parquet2dynamo.PrivateFiles;
import io.parquet2dynamo.Secrets;
import io.parquet2dynamo.deadletter.RejectReason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * What a load did, from the job's counters: the numbers a user reconciles. For a complete run,
 * {@code rowsRead} equals {@code rowsInFiles} (the row counts in the files' footers) and {@code
 * rowsRead = itemsWritten + rowsFiltered + duplicatesDropped + rowsRejected} ({@code itemsToWrite}
 * in a dry run, {@code itemsExported} for an export, in place of {@code itemsWritten}). Steps after
 * the pipeline add counts of their own ({@link #withCounts}): an export's manifest must list every
 * item exported, and ImportTable must have processed and imported them all, without errors.
 */
public final class LoadSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Long> counters;
  private final Long rowsInFiles;
  private final double elapsedSeconds;
  private final Map<String, Object> context;
  private final boolean deadLettersKept;
  private final boolean interrupted;

  /**
   * Why a load whose pipeline succeeded did not succeed after all, with its outcome: its bookmark
   * was not updated, its import failed; else null.
   */
  private final Outcome bookmarkOutcome;

  private final String bookmarkProblem;

  private LoadSummary(
      Map<String, Long> counters,
      Long rowsInFiles,
      double elapsedSeconds,
      Map<String, Object> context,
      boolean deadLettersKept,
      boolean interrupted) {
    this(counters, rowsInFiles, elapsedSeconds, context, deadLettersKept, interrupted, null, null);
  }

  private LoadSummary(
      Map<String, Long> counters,
      Long rowsInFiles,
      double elapsedSeconds,
      Map<String, Object> context,
      boolean deadLettersKept,
      boolean interrupted,
      Outcome bookmarkOutcome,
      String bookmarkProblem) {
    this.counters = counters;
    this.rowsInFiles = rowsInFiles;
    this.elapsedSeconds = elapsedSeconds;
    this.context = context;
    this.deadLettersKept = deadLettersKept;
    this.interrupted = interrupted;
    this.bookmarkOutcome = bookmarkOutcome;
    this.bookmarkProblem = bookmarkProblem;
  }

  /**
   * The summary of a run that had nothing to read (its bookmark says every listed file is loaded
   * and unchanged): no pipeline ran, every count is 0, and it reconciles.
   */
  public static LoadSummary nothingRead(double elapsedSeconds, Map<String, Object> context) {
    return new LoadSummary(new TreeMap<>(), 0L, elapsedSeconds, context, true, false);
  }

  /** This summary with the context field {@code name} set to {@code value}. */
  public LoadSummary withField(String name, Object value) {
    Map<String, Object> fields = new LinkedHashMap<>(context);
    fields.put(name, value);
    return new LoadSummary(
        counters,
        rowsInFiles,
        elapsedSeconds,
        fields,
        deadLettersKept,
        interrupted,
        bookmarkOutcome,
        bookmarkProblem);
  }

  /**
   * This summary, for a load that succeeded but did not update its bookmark: its outcome becomes
   * {@code outcome} ({@link Outcome#BOOKMARK_CONFLICT} or {@link Outcome#BOOKMARK_NOT_SAVED}) and
   * {@link #problem} says {@code problem}.
   */
  public LoadSummary bookmarkNotUpdated(Outcome outcome, String problem) {
    return new LoadSummary(
        counters,
        rowsInFiles,
        elapsedSeconds,
        context,
        deadLettersKept,
        interrupted,
        outcome,
        problem);
  }

  /**
   * This summary, for a load whose pipeline completed but whose step after it failed (ImportTable,
   * with {@link Outcome#IMPORT_FAILED}): its outcome becomes {@code outcome} and {@link #problem}
   * says {@code problem}, in one line.
   */
  public LoadSummary failedAfterLoad(Outcome outcome, String problem) {
    return bookmarkNotUpdated(outcome, problem);
  }

  /**
   * This summary with the counts {@code values} added, or replacing those of the same name: counts
   * a step after the pipeline took ({@link LoadMetrics#MANIFEST_ITEMS}, {@link
   * LoadMetrics#IMPORT_IMPORTED_ITEMS}...), which {@link #reconciles} then checks.
   */
  public LoadSummary withCounts(Map<String, Long> values) {
    Map<String, Long> merged = new TreeMap<>(counters);
    merged.putAll(values);
    return new LoadSummary(
        merged,
        rowsInFiles,
        elapsedSeconds,
        context,
        deadLettersKept,
        interrupted,
        bookmarkOutcome,
        bookmarkProblem);
  }

  /** Whether a step counted {@code name} (a count of 0 is present). */
  public boolean has(String name) {
    return counters.containsKey(name);
  }

  /**
   * Reads the job's counters. Committed values where the runner has them (the DirectRunner does),
   * else attempted ones; a counter reported by several steps is summed. {@code rowsInFiles} is what
   * the files' footers say they hold, or null when no footer says (a replay of dead letters).
   *
   * @param deadLettersKept whether rejected rows go somewhere ({@code --deadLetterPath})
   */
  public static LoadSummary of(
      MetricResults metrics,
      Long rowsInFiles,
      double elapsedSeconds,
      Map<String, Object> context,
      boolean deadLettersKept) {
    MetricQueryResults results =
        metrics.queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.inNamespace(LoadMetrics.NAMESPACE))
                .build());
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> counter : results.getCounters()) {
      if (LoadMetrics.isKeyPass(counter)) {
        continue;
      }
      Long value;
      try {
        value = counter.getCommitted();
      } catch (UnsupportedOperationException e) {
        value = counter.getAttempted();
      }
      counters.merge(counter.getName().getName(), value == null ? 0L : value, Long::sum);
    }
    return new LoadSummary(counters, rowsInFiles, elapsedSeconds, context, deadLettersKept, false);
  }

  /**
   * The summary of a load stopped before it completed ({@link Outcome#INTERRUPTED}), with what the
   * workers did so far. For each counter, the greater of the runner's attempted value (which
   * includes bundles the runner never committed: their items were written all the same) and {@code
   * tally}, this JVM's own count of the run ({@link LoadMetrics#tally}), which also holds the
   * bundles still running when the load was stopped. {@code metrics} is null when the runner can no
   * longer report.
   */
  public static LoadSummary interrupted(
      MetricResults metrics,
      Map<String, Long> tally,
      Long rowsInFiles,
      double elapsedSeconds,
      Map<String, Object> context,
      boolean deadLettersKept) {
    Map<String, Long> counters = new TreeMap<>(tally);
    Map<String, Long> attempted = metrics == null ? Map.of() : Progress.attempted(metrics);
    attempted.forEach((name, value) -> counters.merge(name, value, Math::max));
    return new LoadSummary(counters, rowsInFiles, elapsedSeconds, context, deadLettersKept, true);
  }

  public long count(String name) {
    return counters.getOrDefault(name, 0L);
  }

  public long rowsRead() {
    return count(LoadMetrics.ROWS_READ);
  }

  public long itemsWritten() {
    return count(LoadMetrics.ITEMS_WRITTEN);
  }

  public long rowsFiltered() {
    return count(LoadMetrics.ROWS_FILTERED);
  }

  public long duplicatesDropped() {
    return count(LoadMetrics.DUPLICATES_DROPPED);
  }

  public long rowsRejected() {
    return count(LoadMetrics.ROWS_REJECTED);
  }

  public long skippedByCondition() {
    return count(LoadMetrics.SKIPPED_BY_CONDITION);
  }

  /** Items written to an export's files ({@code --writeMode=export} or {@code import}). */
  public long itemsExported() {
    return count(LoadMetrics.ITEMS_EXPORTED);
  }

  /**
   * Whether the load wrote files rather than items: {@code --writeMode=export} or {@code import}.
   */
  public boolean exports() {
    return "export".equals(context.get("writeMode")) || "import".equals(context.get("writeMode"));
  }

  /** Rejected rows by reason code; reasons that did not occur are absent. */
  public Map<String, Long> rejectedByReason() {
    Map<String, Long> byReason = new TreeMap<>();
    for (RejectReason reason : RejectReason.values()) {
      long n = count(LoadMetrics.REJECTED_PREFIX + reason.name());
      if (n > 0) {
        byReason.put(reason.name(), n);
      }
    }
    return byReason;
  }

  /**
   * Whether every row in the files was read, every row read is accounted for, and the rejections by
   * reason add up; for an export, whether its manifest lists every item exported, and for an
   * import, whether ImportTable processed and imported each of them, with no error.
   */
  public boolean reconciles() {
    long byReason = rejectedByReason().values().stream().mapToLong(Long::longValue).sum();
    return (rowsInFiles == null || rowsRead() == rowsInFiles)
        && rowsRead()
            == itemsWritten()
                + count(LoadMetrics.ITEMS_TO_WRITE)
                + itemsExported()
                + skippedByCondition()
                + rowsFiltered()
                + duplicatesDropped()
                + rowsRejected()
        && byReason == rowsRejected()
        && exportReconciles();
  }

  /** What a manifest and ImportTable counted, where they did, against {@code itemsExported}. */
  private boolean exportReconciles() {
    long exported = itemsExported();
    return (!has(LoadMetrics.MANIFEST_ITEMS) || count(LoadMetrics.MANIFEST_ITEMS) == exported)
        && (!has(LoadMetrics.IMPORT_IMPORTED_ITEMS)
            || (count(LoadMetrics.IMPORT_PROCESSED_ITEMS) == exported
                && count(LoadMetrics.IMPORT_IMPORTED_ITEMS) == exported
                && count(LoadMetrics.IMPORT_ERRORS) == 0));
  }

  /** Items not confirmed written: DynamoDB did not take them, or may not have, in the retries. */
  public long itemsNotConfirmed() {
    return count(LoadMetrics.REJECTED_PREFIX + RejectReason.WRITE_FAILED)
        + count(LoadMetrics.REJECTED_PREFIX + RejectReason.WRITE_UNCONFIRMED);
  }

  /** How the load ended; the exit code and the summary's status follow from it. */
  public Outcome outcome() {
    if (interrupted) {
      return Outcome.INTERRUPTED;
    }
    if (bookmarkOutcome != null) {
      return bookmarkOutcome;
    }
    if (!reconciles()) {
      return Outcome.NOT_RECONCILED;
    }
    if (rowsRejected() > 0 && !deadLettersKept) {
      return Outcome.ROWS_NOT_KEPT;
    }
    return itemsNotConfirmed() > 0 ? Outcome.INCOMPLETE : Outcome.SUCCEEDED;
  }

  /** What is wrong, in one line, for an outcome other than {@link Outcome#SUCCEEDED}. */
  public String problem() {
    if (bookmarkOutcome != null && bookmarkProblem != null) {
      return bookmarkProblem; // a step after the load said what went wrong
    }
    switch (outcome()) {
      case NOT_RECONCILED:
        if (!exportReconciles()) {
          return has(LoadMetrics.IMPORT_IMPORTED_ITEMS)
                  && count(LoadMetrics.MANIFEST_ITEMS) == itemsExported()
              ? "ImportTable processed "
                  + count(LoadMetrics.IMPORT_PROCESSED_ITEMS)
                  + " and imported "
                  + count(LoadMetrics.IMPORT_IMPORTED_ITEMS)
                  + " of the "
                  + itemsExported()
                  + " items exported, with "
                  + count(LoadMetrics.IMPORT_ERRORS)
                  + " errors (ImportTable logs them in CloudWatch Logs, /aws-dynamodb/imports)"
              : "the export's manifest lists "
                  + count(LoadMetrics.MANIFEST_ITEMS)
                  + " items, not the "
                  + itemsExported()
                  + " exported";
        }
        return "the counts do not reconcile; some rows are unaccounted for";
      case ROWS_NOT_KEPT:
        return rowsRejected()
            + " rows were rejected "
            + rejectedByReason()
            + " and not kept; set --deadLetterPath to keep them";
      case INTERRUPTED:
        return "the load was interrupted by "
            + context.get("interruptedBy")
            + " before it completed ("
            + rowsRead()
            + " of "
            + rowsInFiles
            + " rows read, "
            + itemsWritten()
            + " items written); run it again to complete it: put and delete write the same"
            + " items again, putIfAbsent and putIfNewer skip those already written";
      case INCOMPLETE:
        return itemsNotConfirmed()
            + " items were not confirmed written "
            + rejectedByReason()
            + "; they are in the dead letters: write them again with --replayDeadLetters='"
            + context.get("deadLetterFiles")
            + "'";
      case BOOKMARK_CONFLICT:
      case BOOKMARK_NOT_SAVED:
      case IMPORT_FAILED:
        return bookmarkProblem;
      default:
        return null;
    }
  }

  /** The summary as one line of JSON. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("status", outcome().name());
    node.put("rowsInFiles", rowsInFiles);
    node.put("rowsRead", rowsRead());
    node.put("bytesRead", count(LoadMetrics.BYTES_READ));
    node.put("itemsWritten", itemsWritten());
    if (exports()) {
      node.put("itemsExported", itemsExported());
    }
    if (context.containsKey("dryRun")) {
      node.put("itemsToWrite", count(LoadMetrics.ITEMS_TO_WRITE));
      node.put("estimatedWriteUnits", count(LoadMetrics.ESTIMATED_WRITE_UNITS));
      Long seconds = estimatedWriteSeconds();
      if (seconds != null) {
        node.put("estimatedWriteSeconds", seconds);
      }
    }
    node.put("rowsFiltered", rowsFiltered());
    node.put("duplicatesDropped", duplicatesDropped());
    node.put("rowsRejected", rowsRejected());
    node.put("skippedByCondition", skippedByCondition());
    node.set("rejectedByReason", JSON.valueToTree(rejectedByReason()));
    node.put("reconciled", reconciles());
    node.put("elapsedSeconds", Math.round(elapsedSeconds * 1000) / 1000.0);
    node.put("wcuConsumed", count(LoadMetrics.WCU_CONSUMED));
    node.put(
        "wcuPerSecond",
        elapsedSeconds > 0 ? Math.round(count(LoadMetrics.WCU_CONSUMED) / elapsedSeconds) : 0);
    node.put("throttledRequests", count(LoadMetrics.THROTTLED_REQUESTS));
    node.put("retries", count(LoadMetrics.RETRIES));
    context.forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * With a dry run and a write budget: the seconds the write would take at least, the estimated
   * units at the budget's rate (which the write reaches when all its processes write at once); else
   * null.
   */
  public Long estimatedWriteSeconds() {
    Object budget = context.get(BUDGET_FIELD);
    if (!context.containsKey("dryRun") || !(budget instanceof Number)) {
      return null;
    }
    double perSecond = ((Number) budget).doubleValue();
    return perSecond > 0
        ? (long) Math.ceil(count(LoadMetrics.ESTIMATED_WRITE_UNITS) / perSecond)
        : null;
  }

  /** The context field of a dry run's write budget in units per second, when it has one. */
  public static final String BUDGET_FIELD = "writeBudgetUnitsPerSecond";

  /**
   * The summary for a person, in three or four lines after the JSON: what became of the rows, how
   * long it took and what it cost in write units, and where the dead letters are. For example:
   *
   * <pre>
   * SUCCEEDED: 3000 rows read -> 2974 items written to table 'sales', 21 duplicates dropped,
   *   0 filtered, 5 rejected (EMPTY_KEY 2, MISSING_KEY 3)
   * Took 18.3 s; 2974 WCU consumed (162 WCU/s), 0 throttled requests, 0 retries
   * Dead letters: /data/rejected/dead-letters-20261129T165430Z-82f63282-*.jsonl
   * </pre>
   */
  public String recap() {
    boolean dryRun = context.containsKey("dryRun");
    StringBuilder s = new StringBuilder();
    s.append(outcome().name()).append(": ").append(rowsRead()).append(" rows read");
    if (rowsInFiles != null && rowsInFiles != rowsRead()) {
      s.append(" (of ").append(rowsInFiles).append(" in the files)");
    }
    s.append(" -> ");
    if (exports() && !dryRun) {
      s.append(itemsExported()).append(" items exported");
      if (context.get("export") instanceof Map<?, ?> export && export.get("manifest") != null) {
        s.append(" (").append(export.get("manifest")).append(')');
      }
      if ("import".equals(context.get("writeMode")) && has(LoadMetrics.IMPORT_IMPORTED_ITEMS)) {
        s.append(" and ")
            .append(count(LoadMetrics.IMPORT_IMPORTED_ITEMS))
            .append(" imported by ImportTable into table '")
            .append(context.get("table"))
            .append('\'');
      }
    } else {
      s.append(dryRun ? count(LoadMetrics.ITEMS_TO_WRITE) : itemsWritten())
          .append(dryRun ? " items to write (dry run: none written)" : " items written");
      if (context.get("table") != null) {
        s.append(dryRun ? " for table '" : " to table '").append(context.get("table")).append('\'');
      }
    }
    s.append(", ").append(duplicatesDropped()).append(" duplicates dropped, ");
    s.append(rowsFiltered()).append(" filtered, ").append(rowsRejected()).append(" rejected");
    if (!rejectedByReason().isEmpty()) {
      StringBuilder reasons = new StringBuilder();
      rejectedByReason()
          .forEach((r, n) -> reasons.append(reasons.length() == 0 ? "" : ", ").append(r + " " + n));
      s.append(" (").append(reasons).append(')');
    }
    if (skippedByCondition() > 0) {
      s.append(", ").append(skippedByCondition()).append(" skipped by the write condition");
    }
    long units = count(LoadMetrics.WCU_CONSUMED);
    s.append(
        String.format(
            java.util.Locale.ROOT,
            "%nTook %.1f s; %d WCU consumed (%d WCU/s), %d throttled requests, %d retries",
            elapsedSeconds,
            units,
            elapsedSeconds > 0 ? Math.round(units / elapsedSeconds) : 0,
            count(LoadMetrics.THROTTLED_REQUESTS),
            count(LoadMetrics.RETRIES)));
    if (dryRun) {
      s.append(System.lineSeparator())
          .append("Estimated ")
          .append(count(LoadMetrics.ESTIMATED_WRITE_UNITS))
          .append(" write units (WCU) to write them");
      Long seconds = estimatedWriteSeconds();
      if (seconds != null) {
        s.append(
            String.format(
                java.util.Locale.ROOT,
                "; at the budget of %s WCU/s, at least %d s",
                new java.math.BigDecimal(context.get(BUDGET_FIELD).toString())
                    .stripTrailingZeros()
                    .toPlainString(),
                seconds));
      }
    }
    Object deadLetters = context.get("deadLetterFiles");
    if (rowsRejected() > 0) {
      s.append(System.lineSeparator())
          .append(
              deadLetters == null
                  ? "Dead letters: none kept (no --deadLetterPath); the rejected rows are lost"
                  : "Dead letters: " + deadLetters);
    }
    return s.toString();
  }

  /** Writes the JSON to a local path or an s3:// URL. */
  public void writeTo(String path) throws IOException {
    write(path, toJson());
  }

  /**
   * Writes a summary that has no counts yet: {@code {"status": status, "error": error}}. Used at
   * start (RUNNING, which also proves the path is writable) and when a load fails (FAILED).
   */
  public static void writeStatus(String path, String status, String error) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("status", status);
    if (error != null) {
      node.put("error", error);
    }
    write(path, JSON.writeValueAsString(node));
  }

  private static void write(String path, String json) throws IOException {
    Path local = PrivateFiles.localPath(path);
    if (local != null) {
      // The file first, owner-only: Beam's local file system would create it with the umask.
      PrivateFiles.prepareFile(local);
    }
    try (OutputStream out =
        Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource(path, false), MimeTypes.TEXT))) {
      out.write((Secrets.mask(json) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
