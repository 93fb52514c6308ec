package io.parquet2dynamo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parquet2dynamo.testing.LoadRun;
import io.parquet2dynamo.testing.ParquetFiles;
import io.parquet2dynamo.testing.WithStandIns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The shaded jar itself, as {@code java -jar target/parquet2dynamo.jar} on the DirectRunner: its
 * relocated Parquet, Hadoop and AWS SDK still find their codecs, services and resources. Each
 * compression codec parquet-mr reads is loaded through it.
 */
public class ShadedJarIT extends WithStandIns {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message m { required int32 id; required binary codec (STRING); }");

  private static final List<CompressionCodecName> CODECS =
      List.of(
          CompressionCodecName.UNCOMPRESSED,
          CompressionCodecName.SNAPPY,
          CompressionCodecName.GZIP,
          CompressionCodecName.ZSTD,
          CompressionCodecName.LZ4_RAW,
          // Decoded by our own ParquetCodecs with org.brotli:dec (written by StoredBrotli).
          CompressionCodecName.BROTLI);

  /** Runs the jar in its own JVM; returns its summary. */
  private static JsonNode runJar(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx512m", "-jar", System.getProperty("project.jar")));
    command.addAll(LoadRun.standInArgs(standIns, args));
    Path log = TMP.newFile().toPath();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue("the jar did not end in 3 minutes", process.waitFor(3, TimeUnit.MINUTES));
    String output = Files.readString(log);
    assertEquals(output, 0, process.exitValue());
    String summary = output.lines().filter(l -> l.startsWith("SUMMARY ")).findFirst().orElseThrow();
    return new ObjectMapper().readTree(summary.substring("SUMMARY ".length()));
  }

  @Test
  public void everyCodecReadsThroughTheRelocatedLibraries() throws Exception {
    Path dir = TMP.newFolder("codecs").toPath();
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    for (int i = 0; i < CODECS.size(); i++) {
      CompressionCodecName codec = CODECS.get(i);
      Path file = dir.resolve(codec.name().toLowerCase() + ".parquet");
      List<Group> rows = List.of(groups.newGroup().append("id", i).append("codec", codec.name()));
      if (codec == CompressionCodecName.BROTLI) {
        ParquetFiles.writeGroupsBrotli(file, SCHEMA, rows);
      } else {
        ParquetFiles.writeGroups(file, SCHEMA, rows, codec);
      }
    }
    String table = aws.createTable("codecs", "id", ScalarAttributeType.N, null, null);

    JsonNode summary = runJar("--inputPath=" + dir, "--tableName=" + table);

    assertEquals("DirectRunner", summary.get("runner").asText());
    assertEquals(CODECS.size(), summary.get("itemsWritten").asInt());
    assertTrue(summary.get("reconciled").asBoolean());
    Map<String, Map<String, AttributeValue>> items = aws.scan(table, i -> i.get("id").n());
    for (int i = 0; i < CODECS.size(); i++) {
      assertEquals(CODECS.get(i).name(), items.get(Integer.toString(i)).get("codec").s());
    }
  }

  @Test
  public void lz4FilesReadThroughTheRelocatedHadoopCodecOrAsBareBlocks() throws Exception {
    // Hadoop's LZ4 framing (parquet-mr), and bare LZ4 blocks (older parquet-cpp), which
    // ParquetCodecs decodes with lz4-java.
    for (String name :
        List.of("hadoop_lz4_compressed.parquet", "non_hadoop_lz4_compressed.parquet")) {
      String table =
          aws.createTable("lz4", "c0", ScalarAttributeType.N, "c1", ScalarAttributeType.B);

      JsonNode summary = runJar("--inputPath=" + resource(name), "--tableName=" + table);

      assertEquals(name, 4, summary.get("itemsWritten").asInt());
      assertTrue(summary.get("reconciled").asBoolean());
      assertEquals(name, 4, aws.scan(table, i -> i.get("c0").n() + i.get("c1").b()).size());
    }
  }

  @Test
  public void aFooterWithAnUnknownLogicalTypeIsReadThroughTheRelocatedThriftClasses()
      throws Exception {
    // UnknownLogicalTypes rewrites the footer with parquet-format's Thrift classes, which the
    // jar relocates with Parquet.
    String table =
        aws.createTable("unknowntype", "column with known type", ScalarAttributeType.S, null, null);

    JsonNode summary =
        runJar("--inputPath=" + resource("unknown-logical-type.parquet"), "--tableName=" + table);

    assertEquals(3, summary.get("itemsWritten").asInt());
    Map<String, Map<String, AttributeValue>> items =
        aws.scan(table, i -> i.get("column with known type").s());
    assertEquals(
        "unknown string 2",
        items.get("known string 2").get("column with unknown type").b().asUtf8String());
  }

  private static Path resource(String name) throws Exception {
    return Paths.get(ShadedJarIT.class.getResource("/parquet-testing/" + name).toURI());
  }
}
