package io.parquet2dynamo.summary;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;

/**
 * The summary of a dry run's estimate, of an export (which reconciles with {@code itemsExported}
 * and its manifest) and of an import (with ImportTable's own counts).
 */
public class LoadSummaryExportTest {
  private static Map<String, Object> context(String writeMode) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("table", "sales");
    context.put("writeMode", writeMode);
    return context;
  }

  private static LoadSummary summary(Map<String, Long> counters, Map<String, Object> context) {
    return LoadSummary.of(ProgressTest.metrics(counters), 100L, 10, context, true);
  }

  private static JsonNode json(LoadSummary summary) throws Exception {
    return new ObjectMapper().readTree(summary.toJson());
  }

  @Test
  public void aDryRunEstimatesItsWriteUnitsAndWithABudgetItsTime() throws Exception {
    Map<String, Object> context = context("put");
    context.put("dryRun", true);
    context.put(LoadSummary.BUDGET_FIELD, 25.0);
    LoadSummary summary =
        summary(
            Map.of(
                LoadMetrics.ROWS_READ, 100L,
                LoadMetrics.ITEMS_TO_WRITE, 100L,
                LoadMetrics.ESTIMATED_WRITE_UNITS, 251L),
            context);

    JsonNode json = json(summary);
    assertEquals("SUCCEEDED", json.get("status").asText());
    assertEquals(251, json.get("estimatedWriteUnits").asLong());
    assertEquals(11, json.get("estimatedWriteSeconds").asLong()); // 251 / 25, rounded up
    assertTrue(
        summary.recap(),
        summary
            .recap()
            .endsWith(
                "Estimated 251 write units (WCU) to write them; at the budget of 25 WCU/s, at"
                    + " least 11 s"));

    context.remove(LoadSummary.BUDGET_FIELD);
    LoadSummary unbudgeted = summary(Map.of(LoadMetrics.ESTIMATED_WRITE_UNITS, 7L), context);
    assertNull(unbudgeted.estimatedWriteSeconds());
    assertFalse(json(unbudgeted).has("estimatedWriteSeconds"));
    assertFalse(json(summary(Map.of(), context("put"))).has("estimatedWriteUnits"));
  }

  @Test
  public void anExportReconcilesWithItsItemsExportedAndItsManifest() throws Exception {
    Map<String, Long> counters =
        Map.of(
            LoadMetrics.ROWS_READ, 100L,
            LoadMetrics.ITEMS_EXPORTED, 90L,
            LoadMetrics.DUPLICATES_DROPPED, 10L);
    LoadSummary summary = summary(counters, context("export"));

    assertTrue(summary.reconciles());
    assertEquals(90, json(summary).get("itemsExported").asLong());
    assertEquals(0, json(summary).get("itemsWritten").asLong());
    assertTrue(summary.recap(), summary.recap().startsWith("SUCCEEDED: 100 rows read -> 90 items"));

    LoadSummary listed = summary.withCounts(Map.of(LoadMetrics.MANIFEST_ITEMS, 90L));
    assertEquals(Outcome.SUCCEEDED, listed.outcome());

    LoadSummary short1 = summary.withCounts(Map.of(LoadMetrics.MANIFEST_ITEMS, 89L));
    assertEquals(Outcome.NOT_RECONCILED, short1.outcome());
    assertEquals("the export's manifest lists 89 items, not the 90 exported", short1.problem());
    assertFalse(json(short1).get("reconciled").asBoolean());
    assertFalse(json(summary(counters, context("put"))).has("itemsExported"));
  }

  @Test
  public void anImportReconcilesOnlyWhenImportTableTookEveryItemWithoutError() {
    LoadSummary exported =
        summary(
                Map.of(LoadMetrics.ROWS_READ, 100L, LoadMetrics.ITEMS_EXPORTED, 100L),
                context("import"))
            .withCounts(Map.of(LoadMetrics.MANIFEST_ITEMS, 100L));

    assertEquals(Outcome.SUCCEEDED, exported.withCounts(imported(100, 100, 0)).outcome());
    LoadSummary errors = exported.withCounts(imported(100, 98, 2));
    assertEquals(Outcome.NOT_RECONCILED, errors.outcome());
    assertEquals(
        "ImportTable processed 100 and imported 98 of the 100 items exported, with 2 errors"
            + " (ImportTable logs them in CloudWatch Logs, /aws-dynamodb/imports)",
        errors.problem());
    assertEquals(Outcome.NOT_RECONCILED, exported.withCounts(imported(101, 100, 0)).outcome());
  }

  @Test
  public void aFailedImportFailsTheLoadWithItsOwnLine() {
    LoadSummary failed =
        summary(
                Map.of(LoadMetrics.ROWS_READ, 100L, LoadMetrics.ITEMS_EXPORTED, 100L),
                context("import"))
            .failedAfterLoad(Outcome.IMPORT_FAILED, "ImportTable FAILED: S3NoSuchBucket: no");

    assertEquals(Outcome.IMPORT_FAILED, failed.outcome());
    assertEquals(1, failed.outcome().exitCode());
    assertEquals("ImportTable FAILED: S3NoSuchBucket: no", failed.problem());
    assertTrue(failed.toJson(), failed.toJson().startsWith("{\"status\":\"IMPORT_FAILED\""));
  }

  private static Map<String, Long> imported(long processed, long imported, long errors) {
    return Map.of(
        LoadMetrics.IMPORT_PROCESSED_ITEMS, processed,
        LoadMetrics.IMPORT_IMPORTED_ITEMS, imported,
        LoadMetrics.IMPORT_ERRORS, errors);
  }
}
