package io.parquet2dynamo.export;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.options.Parquet2DynamoOptions;
import io.parquet2dynamo.sink.WriteMode;
import io.parquet2dynamo.testing.FakeCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ImportTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * What {@code --writeMode=export} and {@code import} are told, decided before the load: where the
 * key comes from, which options are refused in one line, and the ImportTable request built from the
 * plan and the export's manifest (DynamoDB Local has no ImportTable, so the request is checked
 * here, field by field).
 */
public class ExportPlanTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static Parquet2DynamoOptions options(String... args) {
    List<String> all = new ArrayList<>(List.of("--awsRegion=us-east-1"));
    all.addAll(List.of(args));
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).as(Parquet2DynamoOptions.class);
    FileSystems.setDefaultPipelineOptions(options); // s3:// paths
    return options;
  }

  private static ExportPlan plan(TableDescription existing, String... args) {
    Parquet2DynamoOptions options = options(args);
    return ExportPlan.resolve(
        options, WriteMode.parse(options.getWriteMode()), existing, "20261129T180000Z-abc");
  }

  private static String refusal(TableDescription existing, String... args) {
    return assertThrows(InvalidInputException.class, () -> plan(existing, args)).getMessage();
  }

  @Test
  public void anExportTakesItsKeyFromTheTableOrFromKeySchema() {
    TableDescription sales = FakeCatalog.table("sales", "order_id", "line", 5);
    ExportPlan existing =
        plan(sales, "--tableName=sales", "--writeMode=export", "--exportPath=/tmp/x");
    assertEquals(TableKey.of(sales).toString(), TableKey.of(existing.table()).toString());
    assertNull(existing.creation());
    assertEquals("/tmp/x/20261129T180000Z-abc/data/", existing.layout().dataPrefix());

    ExportPlan absent =
        plan(
            null,
            "--tableName=new",
            "--writeMode=export",
            "--exportPath=s3://b/exports/",
            "--keySchema=pk:S, sk:n");
    TableKey key = TableKey.of(absent.table());
    assertEquals("pk", key.attributes().get(0).name);
    assertTrue(key.attributes().get(0).partitionKey);
    assertEquals(ScalarAttributeType.N, key.attributes().get(1).type);
    assertEquals("s3://b/exports/20261129T180000Z-abc/data/", absent.layout().dataPrefix());
    assertEquals("exports/20261129T180000Z-abc/data/", absent.layout().dataKeyPrefix());
  }

  @Test
  public void whatCannotBeExportedOrImportedIsRefusedInOneLine() {
    TableDescription sales = FakeCatalog.table("sales", "order_id", "line", 5);
    assertEquals(
        "--writeMode=export needs --exportPath=PATH (a local directory or an s3:// prefix)",
        refusal(sales, "--tableName=sales", "--writeMode=export"));
    assertEquals(
        "--tableName: table 'new' does not exist; give the key of the items with"
            + " --keySchema=pk:S[,sk:N]",
        refusal(null, "--tableName=new", "--writeMode=export", "--exportPath=/tmp/x"));
    assertEquals(
        "--keySchema=order_id:S is not the key of table 'sales' (order_id:S,line:N)",
        refusal(
            sales,
            "--tableName=sales",
            "--writeMode=export",
            "--exportPath=/tmp/x",
            "--keySchema=order_id:S"));
    assertEquals(
        "--keySchema=pk:X: the type of 'pk' must be S, N or B, not X (the form is pk:S[,sk:N],"
            + " types S, N or B)",
        refusal(
            null,
            "--tableName=t",
            "--writeMode=export",
            "--exportPath=/tmp/x",
            "--keySchema=pk:X"));
    assertEquals(
        "--writeMode=import creates table 'sales', which already exists: ImportTable only creates"
            + " new tables; choose another --tableName, or load this one with --writeMode=put",
        refusal(sales, "--tableName=sales", "--writeMode=import", "--exportPath=s3://b/e"));
    assertEquals(
        "--writeMode=import needs an s3:// --exportPath: ImportTable reads from S3, not /tmp/x",
        refusal(null, "--tableName=t", "--writeMode=import", "--exportPath=/tmp/x"));
    assertEquals(
        "--billingMode=PROVISIONED needs ProvisionedThroughput in --tableDefinition",
        refusal(
            null,
            "--tableName=t",
            "--writeMode=import",
            "--exportPath=s3://b/e",
            "--keySchema=pk:S",
            "--billingMode=PROVISIONED"));
  }

  @Test
  public void theImportRequestIsThePlanTheDefinitionAndTheManifest() throws Exception {
    Path definition = tmp.newFile("table.json").toPath();
    // What aws dynamodb create-table --generate-cli-skeleton gives, filled in.
    Files.writeString(
        definition,
        """
        {
          "AttributeDefinitions": [
            {"AttributeName": "order_id", "AttributeType": "S"},
            {"AttributeName": "line", "AttributeType": "N"},
            {"AttributeName": "customer", "AttributeType": "S"}
          ],
          "KeySchema": [
            {"AttributeName": "order_id", "KeyType": "HASH"},
            {"AttributeName": "line", "KeyType": "RANGE"}
          ],
          "BillingMode": "PROVISIONED",
          "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 7},
          "GlobalSecondaryIndexes": [{
            "IndexName": "by-customer",
            "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["amount"]},
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 2}
          }],
          "SSESpecification": {"Enabled": true, "SSEType": "KMS"}
        }
        """);
    ExportPlan plan =
        plan(
            null,
            "--tableName=orders",
            "--writeMode=import",
            "--exportPath=s3://bucket/exports/",
            "--tableDefinition=" + definition);
    // The definition's GSI key is checked in the items as a table's would be.
    assertEquals("customer", TableKey.of(plan.table()).indexAttributes().get(0).name);

    Path manifestFile = tmp.newFile("manifest.json").toPath();
    Files.writeString(
        manifestFile,
        "{\"dataPrefix\":\"s3://bucket/exports/20261129T180000Z-abc/data/\",\"itemCount\":3}");
    ImportTableRequest request =
        ImportTableJob.request(plan, Manifest.read(manifestFile.toString()), "run-1");

    assertEquals("run-1", request.clientToken());
    assertEquals("bucket", request.s3BucketSource().s3Bucket());
    assertEquals("exports/20261129T180000Z-abc/data/", request.s3BucketSource().s3KeyPrefix());
    assertEquals("DYNAMODB_JSON", request.inputFormatAsString());
    assertEquals("GZIP", request.inputCompressionTypeAsString());
    var table = request.tableCreationParameters();
    assertEquals("orders", table.tableName());
    assertEquals(BillingMode.PROVISIONED, table.billingMode());
    assertEquals(7L, (long) table.provisionedThroughput().writeCapacityUnits());
    assertEquals(
        "[order_id, line]",
        table.keySchema().stream().map(k -> k.attributeName()).toList().toString());
    assertEquals(3, table.attributeDefinitions().size());
    assertEquals("by-customer", table.globalSecondaryIndexes().get(0).indexName());
    assertEquals(
        ProjectionType.INCLUDE,
        table.globalSecondaryIndexes().get(0).projection().projectionType());
    assertEquals(
        List.of("amount"), table.globalSecondaryIndexes().get(0).projection().nonKeyAttributes());
    assertEquals("KMS", table.sseSpecification().sseTypeAsString());

    // --billingMode wins over the definition's; on-demand without either.
    ExportPlan onDemand =
        plan(
            null,
            "--tableName=orders",
            "--writeMode=import",
            "--exportPath=s3://bucket/exports/",
            "--keySchema=order_id:S,line:N");
    assertEquals(BillingMode.PAY_PER_REQUEST, onDemand.creation().billingMode());
    assertEquals(0, onDemand.creation().globalSecondaryIndexes().size());
  }

  @Test
  public void aDefinitionImportTableCannotCreateIsRefusedByName() throws Exception {
    Path definition = tmp.newFile("lsi.json").toPath();
    Files.writeString(
        definition,
        "{\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
            + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],"
            + "\"StreamSpecification\":{\"StreamEnabled\":true}}");
    String message =
        refusal(
            null,
            "--tableName=t",
            "--writeMode=import",
            "--exportPath=s3://b/e",
            "--tableDefinition=" + definition);
    assertTrue(message, message.contains("ImportTable cannot create [StreamSpecification]"));
  }
}
