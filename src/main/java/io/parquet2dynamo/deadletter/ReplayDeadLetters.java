package io.parquet2dynamo.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.DynamoJson;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.summary.LoadMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the dead letters of an earlier run ({@code --replayDeadLetters}) and hands on, as items to
 * write again, those whose write did not happen or was not confirmed ({@code WRITE_FAILED}, {@code
 * WRITE_UNCONFIRMED}): after an outage, one short run instead of a full reload. Re-sending is safe
 * in every mode: put and delete are idempotent, putIfAbsent and putIfNewer skip what is there.
 * Records rejected for other reasons (a missing key, an item too large...) would be refused again;
 * they are counted as {@code deadLettersNotReplayed} and left alone.
 *
 * <p>Each replayed record counts as a row read; the items keep the file and row of the Parquet row
 * they came from, so a dead letter of the replay still names it.
 */
public final class ReplayDeadLetters extends PTransform<PBegin, PCollection<KV<String, LoadItem>>> {
  /** The reasons whose items are written again. */
  static final Set<RejectReason> REPLAYED =
      EnumSet.of(RejectReason.WRITE_FAILED, RejectReason.WRITE_UNCONFIRMED);

  private final String filePattern;
  private final TableKey key;

  private ReplayDeadLetters(String filePattern, TableKey key) {
    this.filePattern = filePattern;
    this.key = key;
  }

  /** Replays the records in the files {@code filePattern} matches, into {@code key}'s table. */
  public static ReplayDeadLetters from(String filePattern, TableKey key) {
    return new ReplayDeadLetters(filePattern, key);
  }

  @Override
  public PCollection<KV<String, LoadItem>> expand(PBegin begin) {
    return begin
        .apply("MatchDeadLetters", FileIO.match().filepattern(filePattern))
        .apply("OpenDeadLetters", FileIO.readMatches())
        .apply("ToItems", ParDo.of(new ToItemFn(key)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), LoadItem.ItemCoder.of()));
  }

  /** Reads one dead-letter file, line by line, into the items it holds. */
  static final class ToItemFn extends DoFn<FileIO.ReadableFile, KV<String, LoadItem>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TableKey key;
    private final Counter rowsRead = LoadMetrics.counter(LoadMetrics.ROWS_READ);
    private final Counter notReplayed = LoadMetrics.counter(LoadMetrics.DEAD_LETTERS_NOT_REPLAYED);

    ToItemFn(TableKey key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<KV<String, LoadItem>> out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(file.open()), StandardCharsets.UTF_8))) {
        long number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          KV<String, LoadItem> item = parse(line, path, number);
          if (item == null) {
            notReplayed.inc();
          } else {
            rowsRead.inc();
            out.output(item);
          }
        }
      }
    }

    /** The item to write again, or null for a record that is not replayed. */
    KV<String, LoadItem> parse(String line, String path, long number) {
      JsonNode record;
      try {
        record = JSON.readTree(line);
      } catch (IOException e) {
        throw notADeadLetter(path, number, "not JSON");
      }
      RejectReason reason;
      try {
        reason = RejectReason.valueOf(record.path("reason").asText());
      } catch (IllegalArgumentException e) {
        throw notADeadLetter(path, number, "no known 'reason'");
      }
      if (!REPLAYED.contains(reason)) {
        return null;
      }
      Map<String, AttributeValue> attributes;
      try {
        attributes = DynamoJson.parseItem(record.get("item"));
      } catch (IllegalArgumentException e) {
        throw notADeadLetter(path, number, "its 'item' is not DynamoDB JSON: " + e.getMessage());
      }
      for (TableKey.Attribute a : key.attributes()) {
        if (!attributes.containsKey(a.name)) {
          throw new InvalidInputException(
              "--replayDeadLetters: "
                  + path
                  + " line "
                  + number
                  + " has no '"
                  + a.name
                  + "', a key of table '"
                  + key.tableName()
                  + "': replay dead letters into the table they came from");
        }
      }
      JsonNode row = record.get("sourceRow");
      LoadItem item =
          new LoadItem(
              attributes,
              record.path("sourceFile").isTextual() ? record.get("sourceFile").asText() : null,
              row == null || !row.canConvertToLong() ? -1 : row.asLong());
      return KV.of(key.keyString(attributes), item);
    }

    private static InvalidInputException notADeadLetter(String path, long line, String why) {
      return new InvalidInputException(
          "--replayDeadLetters: "
              + path
              + " line "
              + line
              + " is not a dead-letter record: "
              + why);
    }
  }
}
