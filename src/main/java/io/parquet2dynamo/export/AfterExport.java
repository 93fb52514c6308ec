package io.parquet2dynamo.export;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.aws.DynamoDbClients;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.summary.LoadMetrics;
import io.parquet2dynamo.summary.LoadSummary;
import io.parquet2dynamo.summary.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What follows the pipeline of an export: the manifest's count goes into the summary (which checks
 * it against {@code itemsExported}), and for {@code --writeMode=import}, if the export succeeded,
 * ImportTable creates the table and its own counts go in too.
 */
public final class AfterExport {
  private AfterExport() {}

  /** {@code summary} with what the export's manifest and, for an import, ImportTable say. */
  public static LoadSummary finish(
      ExportPlan export,
      Parquet2DynamoOptions options,
      String runId,
      LoadSummary summary,
      PrintStream out) {
    ExportLayout layout = export.layout();
    Manifest manifest;
    try {
      manifest = Manifest.read(layout.manifest());
    } catch (IOException | RuntimeException e) {
      return summary.failedAfterLoad(
          Outcome.NOT_RECONCILED,
          "cannot read the export's manifest " + layout.manifest() + ": " + Errors.rootMessage(e));
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("manifest", layout.manifest());
    fields.put("dataPrefix", layout.dataPrefix());
    fields.put("files", manifest.files().size());
    fields.put("bytes", manifest.bytes());
    fields.put("uncompressedBytes", manifest.uncompressedBytes());
    summary =
        summary
            .withCounts(Map.of(LoadMetrics.MANIFEST_ITEMS, manifest.itemCount()))
            .withField("export", fields);
    if (!export.imports()) {
      return summary;
    }
    if (summary.outcome() != Outcome.SUCCEEDED) {
      out.println("ImportTable not started: the export ended " + summary.outcome());
      return summary;
    }
    int seconds = options.getProgressSeconds() > 0 ? options.getProgressSeconds() : 10;
    ImportTableJob.Result result;
    try (DynamoDbClient client = DynamoDbClients.create(options)) {
      result =
          new ImportTableJob(client, Duration.ofSeconds(seconds), out)
              .run(ImportTableJob.request(export, manifest, runId));
    }
    if (result.description() != null) { // ImportTable took the request
      summary = summary.withField("import", result.fields());
      summary =
          summary.withCounts(
              Map.of(
                  LoadMetrics.IMPORT_PROCESSED_ITEMS,
                  ImportTableJob.orZero(result.description().processedItemCount()),
                  LoadMetrics.IMPORT_IMPORTED_ITEMS,
                  ImportTableJob.orZero(result.description().importedItemCount()),
                  LoadMetrics.IMPORT_ERRORS,
                  ImportTableJob.orZero(result.description().errorCount())));
    }
    return result.completed()
        ? summary
        : summary.failedAfterLoad(Outcome.IMPORT_FAILED, result.problem());
  }
}
