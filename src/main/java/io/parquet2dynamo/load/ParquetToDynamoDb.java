package io.parquet2dynamo.load;

import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.deadletter.ReplayDeadLetters;
import io.parquet2dynamo.dedupe.DropDuplicates;
import io.parquet2dynamo.dedupe.FindDuplicates;
import io.parquet2dynamo.export.ExportItems;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.item.MapToItems;
import io.parquet2dynamo.plan.LoadPlan;
import io.parquet2dynamo.sink.DryRunSample;
import io.parquet2dynamo.sink.DynamoDbWrite;
import io.parquet2dynamo.source.ParquetSource;
import io.parquet2dynamo.summary.LoadMetrics;
import io.parquet2dynamo.transform.SqlQuery;
import io.parquet2dynamo.transform.TransformRows;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The whole load as one composite transform, built from a {@link LoadPlan}:
 *
 * <pre>
 *   KeyPass:  ReadParquet (key columns) → [rows transformed as below] → FindDuplicates → losers
 *   Load:     ReadParquet (after the key pass) → [Join] → TransformRows → [SqlQuery]
 *               → [UserTransform] → MapToItems → DropDuplicates (the losers) → WriteToDynamoDB
 *               (or DryRun)
 *   rows and items rejected on the way ─────────────→ dead letters
 *   (with --replayDeadLetters: ReplayDeadLetters → WriteToDynamoDB)
 * </pre>
 *
 * <p>De-duplication reads the files twice: a first pass finds, from the keys alone, the rows that
 * lose to another row of their key; the load then drops them as it streams, so no step groups or
 * holds full items ({@link FindDuplicates} says why). The load's reading waits for the first pass,
 * so it does not read ahead and hold rows while the losers are being found. Counters of the key
 * pass are not the load's: {@code LoadSummary} leaves out steps under {@value #KEY_PASS}.
 *
 * <p>The writer can be replaced ({@link #withWriter}), so a test can run the whole pipeline against
 * its own sink.
 */
public final class ParquetToDynamoDb extends PTransform<PBegin, LoadResult> {
  /** The name of de-duplication's first pass, whose counters the summary leaves out. */
  public static final String KEY_PASS = LoadMetrics.KEY_PASS_STEP;

  /**
   * Rows per batch in the key pass, whose rows are a few columns: 16x the load's, so the
   * DirectRunner's grouping of candidates gets 16x fewer bundles, each of which costs it a copy of
   * all it has gathered (a third of the key pass's CPU at 256 rows a batch).
   */
  static final int KEY_PASS_ROWS_PER_BATCH = 16 * ParquetSource.ROWS_PER_BATCH;

  private final LoadPlan plan;
  private final PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> writer;

  private ParquetToDynamoDb(
      LoadPlan plan,
      PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> writer) {
    this.plan = plan;
    this.writer = writer;
  }

  /**
   * The load {@code plan} describes, writing with {@link DynamoDbWrite}, or to files with {@link
   * ExportItems} for {@code --writeMode=export} and {@code import}.
   */
  public static ParquetToDynamoDb of(LoadPlan plan) {
    if (plan.export() != null && !plan.dryRun()) {
      plan.export().layout().checkWritable(); // before the load, not after it
      return new ParquetToDynamoDb(plan, ExportItems.to(plan.export().layout(), plan.tableKey()));
    }
    return new ParquetToDynamoDb(plan, DynamoDbWrite.of(plan.write()));
  }

  /**
   * The same load, writing items with {@code value} instead: it sees the items only (no {@link
   * LoadItem#rejected} rows, which go straight to the dead letters) and returns the dead letters of
   * those it could not write.
   */
  public ParquetToDynamoDb withWriter(
      PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> value) {
    return new ParquetToDynamoDb(plan, new ItemsOnly(value));
  }

  /**
   * Hands a writer of the user's the items alone and passes rejected rows by it. The job's own
   * writer takes the rejections in its stream, which spares a step with two outputs (see {@link
   * LoadItem#rejected}).
   */
  static final class ItemsOnly
      extends PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> {
    private static final TupleTag<KV<String, LoadItem>> ITEMS = new TupleTag<>() {};
    private static final TupleTag<DeadLetter> REJECTED = new TupleTag<>() {};
    private final PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> writer;

    ItemsOnly(PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> writer) {
      this.writer = writer;
    }

    @Override
    public PCollection<DeadLetter> expand(PCollection<KV<String, LoadItem>> items) {
      PCollectionTuple split =
          items.apply(
              "SplitRejections",
              ParDo.of(new SplitFn()).withOutputTags(ITEMS, TupleTagList.of(REJECTED)));
      PCollection<DeadLetter> failed =
          split.get(ITEMS).setCoder(items.getCoder()).apply("Write", writer);
      return PCollectionList.of(split.get(REJECTED).setCoder(DeadLetter.coder()))
          .and(failed)
          .apply("AllDeadLetters", Flatten.pCollections());
    }

    static final class SplitFn extends DoFn<KV<String, LoadItem>, KV<String, LoadItem>> {
      @ProcessElement
      public void process(@Element KV<String, LoadItem> item, MultiOutputReceiver out) {
        if (item.getValue().rejection() != null) {
          out.get(REJECTED).output(item.getValue().rejection());
        } else {
          out.get(ITEMS).output(item);
        }
      }
    }
  }

  @Override
  public LoadResult expand(PBegin begin) {
    if (plan.replay() != null) {
      // Dead letters of an earlier run, written again: the rows were read and mapped then.
      PCollection<KV<String, LoadItem>> items =
          begin.apply("ReplayDeadLetters", ReplayDeadLetters.from(plan.replay(), plan.tableKey()));
      return write(begin, items, PCollectionList.empty(begin.getPipeline()));
    }
    PCollection<byte[]> losers = null;
    ParquetSource source = source(plan.columns(), LoadMetrics.ROWS_READ);
    if (!plan.dedupe().isNone()) {
      losers = begin.apply(KEY_PASS, new KeyPass());
      source = source.after(losers);
    }
    PCollectionTuple transformed = transform(begin.apply("ReadParquet", source));
    PCollection<Row> rows = transformed.get(TransformRows.ROWS);
    plan.checkItemColumns(rows.getSchema());
    PCollection<KV<String, LoadItem>> items =
        rows.apply("MapToItems", new MapToItems(plan.tableKey(), plan.format()));
    if (losers != null) {
      PCollectionView<Iterable<byte[]>> view = losers.apply("LosersView", View.asIterable());
      items = items.apply("DropDuplicates", DropDuplicates.losing(view));
    }
    return write(begin, items, PCollectionList.of(transformed.get(TransformRows.REJECTED)));
  }

  /** De-duplication's first pass: the rows' keys, read and transformed as the load's are. */
  private final class KeyPass extends PTransform<PBegin, PCollection<byte[]>> {
    @Override
    public PCollection<byte[]> expand(PBegin begin) {
      ParquetSource keys =
          source(plan.keyColumns(), LoadMetrics.KEY_PASS_ROWS_READ)
              .withRowsPerBatch(KEY_PASS_ROWS_PER_BATCH);
      PCollection<Row> rows = transform(begin.apply("ReadKeys", keys)).get(TransformRows.ROWS);
      return rows.apply(
          "FindDuplicates",
          FindDuplicates.of(plan.dedupe(), plan.tableKey(), plan.format(), plan.expectedItems()));
    }
  }

  private ParquetSource source(Set<String> columns, String rowsCounter) {
    return new ParquetSource(plan.dataset(), columns, rowsCounter)
        .withRowsPerRange(plan.rowsPerRange());
  }

  /** The mapping's join, filter, derive, cast, select and rename; the user's SQL and transform. */
  private PCollectionTuple transform(PCollection<Row> rows) {
    if (plan.join() != null) {
      rows = rows.apply("Join", plan.join().withInput(rows.getSchema()));
    }
    PCollectionTuple transformed = rows.apply("TransformRows", new TransformRows(plan.mapping()));
    rows = transformed.get(TransformRows.ROWS);
    if (plan.sql() != null) {
      rows = rows.apply("SqlQuery", new SqlQuery(plan.sql()));
    }
    if (plan.userTransform() != null) {
      rows = rows.apply("UserTransform", plan.userTransform());
    }
    return PCollectionTuple.of(TransformRows.ROWS, rows)
        .and(TransformRows.REJECTED, transformed.get(TransformRows.REJECTED));
  }

  /**
   * Items written (or in a dry run, sampled); every rejection is a dead letter: those in the items'
   * stream come out of the writer (or the dry run) with its own.
   */
  private LoadResult write(
      PBegin begin, PCollection<KV<String, LoadItem>> items, PCollectionList<DeadLetter> rejected) {
    PCollection<String> sample = null;
    if (plan.dryRun()) {
      PCollectionTuple dryRun =
          items.apply("DryRun", DryRunSample.of(plan.sampleSize()).forMode(plan.write().mode()));
      sample = dryRun.get(DryRunSample.SAMPLE);
      rejected = rejected.and(dryRun.get(DryRunSample.DEAD_LETTERS));
    } else {
      rejected = rejected.and(items.apply("WriteToDynamoDB", writer));
    }
    PCollection<DeadLetter> deadLetters =
        rejected.apply("AllRejections", Flatten.pCollections()).setCoder(DeadLetter.coder());
    return new LoadResult(begin.getPipeline(), deadLetters, sample);
  }
}
