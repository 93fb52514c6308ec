package io.parquet2dynamo.item;

import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.source.SourceFields;
import io.parquet2dynamo.summary.LoadMetrics;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps rows to DynamoDB items keyed by their table key ({@link ItemMapper#keyOf}); a row that
 * cannot be an item leaves as {@link LoadItem#rejected} with its dead letter, in the same stream
 * (its reason says why). Every input row leaves exactly once.
 */
public class MapToItems extends PTransform<PCollection<Row>, PCollection<KV<String, LoadItem>>> {
  private final TableKey key;
  private final ItemFormat format;

  public MapToItems(TableKey key, ItemFormat format) {
    this.key = key;
    this.format = format;
  }

  @Override
  public PCollection<KV<String, LoadItem>> expand(PCollection<Row> rows) {
    ItemMapper mapper = new ItemMapper(rows.getSchema(), key, format);
    AttributeNames names = mapper.attributeNames();
    return rows.apply("ToItem", ParDo.of(new ToItemFn(mapper, names)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), LoadItem.ItemCoder.of(names)));
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
    public void process(@Element Row row, OutputReceiver<KV<String, LoadItem>> out) {
      ItemMapper.Encoded item;
      try {
        item = mapper.encode(row);
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
        out.output(
            KV.of(
                LoadItem.REJECTED_KEY,
                LoadItem.rejected(DeadLetter.ofRow(e.reason(), e.getMessage(), row))));
        return;
      }
      out.output(
          KV.of(
              item.key(),
              LoadItem.encoded(
                  item.bytes(),
                  names,
                  item.size(),
                  SourceFields.file(row),
                  SourceFields.row(row))));
    }
  }
}
