package io.parquet2dynamo.item;

import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.source.SourceFields;
import io.parquet2dynamo.summary.LoadMetrics;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps rows to DynamoDB items keyed by their table key, and rows that cannot be items to
 * dead-letter records. Every input row leaves on exactly one of the two outputs.
 */
public class MapToItems extends PTransform<PCollection<Row>, PCollectionTuple> {
  /** Items, keyed by {@link ItemMapper#keyOf}. */
  public static final TupleTag<KV<String, LoadItem>> ITEMS = new TupleTag<>() {};

  /** Dead letters of rejected rows. */
  public static final TupleTag<DeadLetter> REJECTED = new TupleTag<>() {};

  private final TableKey key;
  private final ItemFormat format;

  public MapToItems(TableKey key, ItemFormat format) {
    this.key = key;
    this.format = format;
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> rows) {
    ItemMapper mapper = new ItemMapper(rows.getSchema(), key, format);
    AttributeNames names = mapper.attributeNames();
    PCollectionTuple out =
        rows.apply(
            "ToItem",
            ParDo.of(new ToItemFn(mapper, names)).withOutputTags(ITEMS, TupleTagList.of(REJECTED)));
    out.get(ITEMS).setCoder(KvCoder.of(StringUtf8Coder.of(), LoadItem.ItemCoder.of(names)));
    out.get(REJECTED).setCoder(DeadLetter.coder());
    return out;
  }

  static final class ToItemFn extends DoFn<Row, KV<String, LoadItem>> {
    private static final Logger LOG = LoggerFactory.getLogger(MapToItems.class);

    /** Rejections logged per worker instance, so a user sees examples without a log flood. */
    private static final int LOGGED_REJECTIONS = 5;

    private final ItemMapper mapper;
    private final AttributeNames names;
    private final Counter rejected = LoadMetrics.counter(LoadMetrics.ROWS_REJECTED);
    private transient int logged;

    ToItemFn(ItemMapper mapper, AttributeNames names) {
      this.mapper = mapper;
      this.names = names;
    }

    @ProcessElement
    public void process(@Element Row row, MultiOutputReceiver out) {
      Map<String, AttributeValue> item;
      try {
        item = mapper.toItem(row);
      } catch (RejectedRowException e) {
        rejected.inc();
        LoadMetrics.rejected(e.reason()).inc();
        if (logged++ < LOGGED_REJECTIONS) {
          LOG.warn(
              "Rejected row {} of {}: {}: {}",
              SourceFields.row(row),
              SourceFields.file(row),
              e.reason(),
              e.getMessage());
        }
        out.get(REJECTED).output(DeadLetter.ofRow(e.reason(), e.getMessage(), row));
        return;
      }
      out.get(ITEMS)
          .output(
              KV.of(
                  mapper.keyOf(item),
                  new LoadItem(item, names, SourceFields.file(row), SourceFields.row(row))));
    }
  }
}
