package io.parquet2dynamo.export;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.deadletter.RejectReason;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.item.TableKey;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@link ExportItems} in the JVM: files end at their item limit, the manifest lists each file with
 * its counts, rejected rows pass through as dead letters, and nothing is left below {@code .tmp/}.
 */
public class ExportItemsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TableKey KEY =
      TableKey.of("orders", "id", ScalarAttributeType.S, null, null);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** Items 0..n-1 and one rejected row, made by one DoFn call so that they are one bundle. */
  static final class MakeItems extends DoFn<Integer, KV<String, LoadItem>> {
    @ProcessElement
    public void process(@Element Integer n, OutputReceiver<KV<String, LoadItem>> out) {
      for (int i = 0; i < n; i++) {
        out.output(
            KV.of(
                "k" + i,
                new LoadItem(
                    Map.of(
                        "id", AttributeValue.fromS("k" + i),
                        "n", AttributeValue.fromN(Integer.toString(i)),
                        "tags", AttributeValue.fromSs(List.of("a", "b"))),
                    "f.parquet",
                    i)));
      }
      Row row = Row.withSchema(Schema.builder().addStringField("id").build()).addValue("").build();
      out.output(
          KV.of(
              LoadItem.REJECTED_KEY,
              LoadItem.rejected(DeadLetter.ofRow(RejectReason.EMPTY_KEY, "empty key", row))));
    }
  }

  @Test
  public void filesEndAtTheirLimitAndTheManifestListsThemAll() throws Exception {
    ExportLayout layout = ExportLayout.of(tmp.getRoot().toString(), "run-1");
    PCollection<DeadLetter> rejected =
        pipeline
            .apply(Create.of(2500))
            .apply(ParDo.of(new MakeItems()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), LoadItem.ItemCoder.of()))
            .apply(ExportItems.to(layout, KEY).withFileLimits(1000, Long.MAX_VALUE));
    PAssert.that(rejected)
        .satisfies(
            letters -> {
              List<String> reasons = new ArrayList<>();
              letters.forEach(l -> reasons.add(l.reason().name()));
              assertEquals(List.of("EMPTY_KEY"), reasons);
              return null;
            });
    pipeline.run().waitUntilFinish();

    Manifest manifest = Manifest.read(layout.manifest());
    assertEquals(2500, manifest.itemCount());
    assertEquals(3, manifest.files().size()); // 1000 + 1000 + 500
    Set<String> ids = new HashSet<>();
    long uncompressed = 0;
    for (ExportedFile f : manifest.files()) {
      Path file = Path.of(f.path());
      assertEquals(f.bytes(), Files.size(file));
      String text;
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertEquals(f.uncompressedBytes(), text.getBytes(StandardCharsets.UTF_8).length);
      uncompressed += f.uncompressedBytes();
      List<String> lines = text.lines().toList();
      assertEquals(f.items(), lines.size());
      assertTrue(f.items() <= 1000);
      for (String line : lines) {
        JsonNode item = JSON.readTree(line).get("Item");
        ids.add(item.at("/id/S").asText());
        assertEquals("[\"a\",\"b\"]", item.at("/tags/SS").toString());
      }
    }
    assertEquals(2500, ids.size());
    assertEquals(manifest.uncompressedBytes(), uncompressed);
    JsonNode json = manifest.json();
    assertEquals("id", json.at("/keySchema/0/AttributeName").asText());
    assertEquals("S", json.at("/attributeDefinitions/0/AttributeType").asText());
    try (Stream<Path> data = Files.list(Path.of(layout.dataPrefix()))) {
      assertEquals(3, data.count());
    }
    assertFalse(Files.exists(Path.of(layout.base(), ".tmp")));
  }
}
