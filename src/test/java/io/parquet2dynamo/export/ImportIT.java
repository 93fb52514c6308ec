package io.parquet2dynamo.export;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parquet2dynamo.Parquet2Dynamo;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.SampleSales;
import io.parquet2dynamo.testing.SampleTable;
import io.parquet2dynamo.testing.StandInClients;
import io.parquet2dynamo.testing.WithStandIns;
import java.nio.file.Path;
import java.util.List;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code --writeMode=import} against the stand-ins. DynamoDB Local does not implement ImportTable
 * (2.6.1 answers it with UnknownOperationException, HTTP 400: "An unknown operation was
 * requested."), so this shows what a user sees when ImportTable refuses an import: the export is
 * complete and kept, the summary says IMPORT_FAILED, and the error is one line naming the table and
 * the files, not a stack trace. The request itself is checked in {@code ExportPlanTest}; a table
 * that exists is refused before anything is read.
 */
public class ImportIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static LoadRun load(String... args) {
    return LoadRun.of(LoadRun.standInArgs(standIns, args));
  }

  @Test
  public void anImportImportTableRefusesIsAOneLineErrorAndKeepsTheExport() throws Exception {
    Path dir = TMP.newFolder().toPath();
    List<SampleSales.Sale> sales = SampleSales.write(dir);
    String bucket = aws.createBucket("import");
    String table = StandInClients.uniqueName("imported");

    LoadRun run =
        load(
            "--inputPath=" + dir + "/sales/",
            "--tableName=" + table,
            "--writeMode=import",
            "--keySchema=order_id:S,line:N",
            "--exportPath=s3://" + bucket + "/exports/",
            "--deadLetterPath=" + TMP.newFolder());

    assertEquals(run.stdout + run.stderr, 1, run.exitCode);
    JsonNode summary = run.summary();
    assertEquals("IMPORT_FAILED", summary.get("status").asText());
    assertEquals(
        SampleTable.expectedSurvivors(sales).size(), summary.get("itemsExported").asLong());
    List<String> errors = run.stderr.lines().filter(l -> l.startsWith("ERROR: ")).toList();
    assertEquals(run.stderr, 1, errors.size());
    assertTrue(
        errors.get(0),
        errors
            .get(0)
            .startsWith(
                "ERROR: ImportTable refused to create table '"
                    + table
                    + "' from s3://"
                    + bucket
                    + "/exports/"));
    // DynamoDB Local's answer to ImportTable, an UnknownOperationException (HTTP 400).
    assertTrue(errors.get(0), errors.get(0).contains(": An unknown operation was requested."));
    assertTrue(errors.get(0), errors.get(0).endsWith("(the exported files are kept)"));
    assertFalse(summary.has("import"));
    assertFalse(run.stderr, run.stderr.contains("\tat "));
    String data = summary.get("export").get("dataPrefix").asText();
    assertFalse(aws.listKeys(bucket, data.substring(("s3://" + bucket + "/").length())).isEmpty());
    assertFalse(aws.dynamoDb.listTables().tableNames().contains(table));
  }

  @Test
  public void anImportIntoATableThatExistsIsRefusedBeforeReading() throws Exception {
    String table = SampleTable.create(aws);
    LoadRun run =
        load(
            "--inputPath=" + TMP.newFolder().toPath() + "/nothing-here/",
            "--tableName=" + table,
            "--writeMode=import",
            "--exportPath=s3://" + aws.createBucket("import") + "/exports/");

    assertEquals(Parquet2Dynamo.INVALID_INPUT, run.exitCode);
    assertEquals(
        "ERROR: --writeMode=import creates table '"
            + table
            + "', which already exists: ImportTable only creates new tables; choose another"
            + " --tableName, or load this one with --writeMode=put",
        run.stderr.lines().filter(l -> l.startsWith("ERROR: ")).findFirst().orElse(run.stderr));
  }
}
