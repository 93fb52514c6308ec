package io.parquet2dynamo.aws;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.ParquetFiles;
import io.parquet2dynamo.testing.WithStandIns;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A plain-HTTP endpoint to an AWS host is warned of. Here Beam's {@code --endpoint} names AWS over
 * plain HTTP while {@code --s3Endpoint} and {@code --dynamoDbEndpoint} (which win) reach the
 * stand-ins, so the load runs, and says so.
 */
public class EndpointWarningIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void plainHttpToAnAwsHostIsWarnedOfAndTheLoadGoesOn() throws Exception {
    MessageType schema = MessageTypeParser.parseMessageType("message m { required int64 id; }");
    Path file = TMP.getRoot().toPath().resolve("a.parquet");
    ParquetFiles.writeGroups(
        file, schema, List.of(new SimpleGroupFactory(schema).newGroup().append("id", 1L)));
    String table = aws.createTable("http", "id", ScalarAttributeType.N, null, null);

    LoadRun run =
        LoadRun.of(
            LoadRun.standInArgs(
                standIns,
                "--inputPath=" + file,
                "--tableName=" + table,
                "--endpoint=http://dynamodb.us-east-1.amazonaws.com"));

    assertEquals(run.stderr, 0, run.exitCode);
    assertEquals(1, run.summary().get("itemsWritten").asInt());
    assertTrue(
        run.stderr,
        run.stderr
            .lines()
            .anyMatch(
                l ->
                    l.startsWith(
                        "WARNING: --endpoint=http://dynamodb.us-east-1.amazonaws.com reaches AWS"
                            + " over plain HTTP")));
    // The stand-ins themselves are reached over plain HTTP too, but are not AWS hosts.
    assertEquals(1, run.stderr.lines().filter(l -> l.contains("over plain HTTP")).count());
  }
}
