package io.parquet2dynamo.load;

import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.deadletter.ReplayDeadLetters;
import io.parquet2dynamo.dedupe.DropDuplicates;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.item.MapToItems;
import io.parquet2dynamo.plan.LoadPlan;
import io.parquet2dynamo.sink.DryRunSample;
import io.parquet2dynamo.sink.DynamoDbWrite;
import io.parquet2dynamo.source.ParquetSource;
import io.parquet2dynamo.transform.SqlQuery;
import io.parquet2dynamo.transform.TransformRows;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;

/**
 * The whole load as one composite transform, built from a {@link LoadPlan}:
 *
 * <pre>
 *   ReadParquet → [Join] → TransformRows → [SqlQuery] → [UserTransform] → MapToItems
 *     → DropDuplicates → WriteToDynamoDB (or DryRun)
 *   (or, with --replayDeadLetters: ReplayDeadLetters → DropDuplicates → WriteToDynamoDB)
 *   rows and items rejected on the way ──────────────→ dead letters
 * </pre>
 *
 * <p>The writer can be replaced ({@link #withWriter}), so a test can run the whole pipeline against
 * its own sink.
 */
public final class ParquetToDynamoDb extends PTransform<PBegin, LoadResult> {
  private final LoadPlan plan;
  private final PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> writer;

  private ParquetToDynamoDb(
      LoadPlan plan,
      PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> writer) {
    this.plan = plan;
    this.writer = writer;
  }

  /** The load {@code plan} describes, writing with {@link DynamoDbWrite}. */
  public static ParquetToDynamoDb of(LoadPlan plan) {
    return new ParquetToDynamoDb(plan, DynamoDbWrite.of(plan.write()));
  }

  /** The same load, writing items with {@code value} instead. */
  public ParquetToDynamoDb withWriter(
      PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> value) {
    return new ParquetToDynamoDb(plan, value);
  }

  @Override
  public LoadResult expand(PBegin begin) {
    if (plan.replay() != null) {
      // Dead letters of an earlier run, written again: the rows were read and mapped then.
      PCollection<KV<String, LoadItem>> items =
          begin.apply("ReplayDeadLetters", ReplayDeadLetters.from(plan.replay(), plan.tableKey()));
      return write(begin, items, PCollectionList.empty(begin.getPipeline()));
    }
    // 1. Read the Parquet files, only the columns the mapping needs.
    PCollection<Row> rows =
        begin.apply("ReadParquet", new ParquetSource(plan.dataset(), plan.columns()));
    // 2. The mapping's join, filter, derive, cast, select and rename.
    if (plan.join() != null) {
      rows = rows.apply("Join", plan.join());
    }
    PCollectionTuple transformed = rows.apply("TransformRows", new TransformRows(plan.mapping()));
    rows = transformed.get(TransformRows.ROWS);
    // 3. The user's SQL and transform.
    if (plan.sql() != null) {
      rows = rows.apply("SqlQuery", new SqlQuery(plan.sql()));
    }
    if (plan.userTransform() != null) {
      rows = rows.apply("UserTransform", plan.userTransform());
    }
    // 4. Rows to items.
    plan.checkItemColumns(rows.getSchema());
    PCollectionTuple items =
        rows.apply("MapToItems", new MapToItems(plan.tableKey(), plan.format()));
    return write(
        begin,
        items.get(MapToItems.ITEMS),
        PCollectionList.of(transformed.get(TransformRows.REJECTED))
            .and(items.get(MapToItems.REJECTED)));
  }

  /** 5. One item per key, written (or in a dry run, sampled); every rejection is a dead letter. */
  private LoadResult write(
      PBegin begin, PCollection<KV<String, LoadItem>> items, PCollectionList<DeadLetter> rejected) {
    PCollection<KV<String, LoadItem>> unique =
        items.apply("DropDuplicates", DropDuplicates.of(plan.dedupe(), plan.expectedItems()));
    PCollection<String> sample = null;
    if (plan.dryRun()) {
      sample = unique.apply("DryRun", DryRunSample.of(plan.sampleSize()));
    } else {
      rejected = rejected.and(unique.apply("WriteToDynamoDB", writer));
    }
    PCollection<DeadLetter> deadLetters =
        rejected.apply("AllRejections", Flatten.pCollections()).setCoder(DeadLetter.coder());
    return new LoadResult(begin.getPipeline(), deadLetters, sample);
  }
}
