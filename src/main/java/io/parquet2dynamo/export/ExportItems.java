package io.parquet2dynamo.export;

import io.parquet2dynamo.PrivateFiles;
import io.parquet2dynamo.deadletter.DeadLetter;
import io.parquet2dynamo.item.DynamoJson;
import io.parquet2dynamo.item.LoadItem;
import io.parquet2dynamo.item.TableKey;
import io.parquet2dynamo.summary.LoadMetrics;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The writer of {@code --writeMode=export} (and {@code import}): takes the place of {@code
 * DynamoDbWrite} in the load and writes the items, as they come from transforms, validation and
 * de-duplication, to gzip-compressed files of DynamoDB JSON in ImportTable's input format, one
 * {@code {"Item": {...}}} per line, then a {@link Manifest}. Returns the dead letters of the rows
 * rejected before it (carried in the items' stream, {@link LoadItem#rejected}); an item cannot fail
 * here, so it has none of its own.
 *
 * <pre>
 *   items → WriteFiles (each bundle writes its own files below .tmp/) → files
 *         → AllFiles (one list) → Finish (moves them into data/, writes the manifest, empties .tmp/)
 * </pre>
 *
 * <p>Why files are moved: ImportTable reads every object below its prefix, and a bundle the runner
 * retries (a Spark task attempt that failed, a worker lost) leaves the files it wrote. Only the
 * files of bundles that succeeded reach the last step, so only they are moved into {@code data/};
 * the rest are deleted with {@code .tmp/}. Each item is written once, so the manifest's counts and
 * ImportTable's reconcile with {@code itemsExported}.
 *
 * <p>Files end at {@value #DEFAULT_MAX_ITEMS_PER_FILE} items or {@value
 * #DEFAULT_MAX_BYTES_PER_FILE} bytes of uncompressed JSON, whichever comes first, and at the end of
 * each bundle: AWS's best practices for imports put 4 million items of under 1 KB in an object
 * ("proportionally fewer" for larger ones) and allow 50,000 objects per import ("Best practices for
 * importing from Amazon S3 into DynamoDB").
 */
public final class ExportItems
    extends PTransform<PCollection<KV<String, LoadItem>>, PCollection<DeadLetter>> {
  static final long DEFAULT_MAX_ITEMS_PER_FILE = 4_000_000;
  static final long DEFAULT_MAX_BYTES_PER_FILE = 4L << 30;

  private static final TupleTag<ExportedFile> FILES = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  private static final Coder<ExportedFile> FILE_CODER = SerializableCoder.of(ExportedFile.class);

  private final ExportLayout layout;
  private final String manifestHeader;
  private final long maxItemsPerFile;
  private final long maxBytesPerFile;

  private ExportItems(
      ExportLayout layout, String manifestHeader, long maxItemsPerFile, long maxBytesPerFile) {
    this.layout = layout;
    this.manifestHeader = manifestHeader;
    this.maxItemsPerFile = maxItemsPerFile;
    this.maxBytesPerFile = maxBytesPerFile;
  }

  /** Exports the items of {@code key}'s table to {@code layout}. */
  public static ExportItems to(ExportLayout layout, TableKey key) {
    return new ExportItems(
        layout,
        Manifest.header(key, layout),
        DEFAULT_MAX_ITEMS_PER_FILE,
        DEFAULT_MAX_BYTES_PER_FILE);
  }

  /** A copy whose files end at {@code items} items or {@code bytes} uncompressed bytes. */
  public ExportItems withFileLimits(long items, long bytes) {
    return new ExportItems(layout, manifestHeader, items, bytes);
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<KV<String, LoadItem>> items) {
    PCollectionTuple written =
        items.apply(
            "WriteFiles",
            ParDo.of(new WriteFilesFn(layout, maxItemsPerFile, maxBytesPerFile))
                .withOutputTags(FILES, TupleTagList.of(DEAD_LETTERS)));
    written
        .get(FILES)
        .setCoder(FILE_CODER)
        .apply("AllFiles", Combine.globally(new AllFiles()))
        .apply("Finish", ParDo.of(new FinishFn(layout, manifestHeader)));
    return written.get(DEAD_LETTERS).setCoder(DeadLetter.coder());
  }

  /**
   * Writes each bundle's items to files of its own below {@code .tmp/}, and emits each file once it
   * is complete; hands rejected rows on as their dead letters.
   */
  static final class WriteFilesFn extends DoFn<KV<String, LoadItem>, ExportedFile> {
    private static final byte[] PREFIX = "{\"Item\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SUFFIX = "}\n".getBytes(StandardCharsets.UTF_8);

    private final Counter itemsExported = LoadMetrics.counter(LoadMetrics.ITEMS_EXPORTED);
    private final ExportLayout layout;
    private final long maxItems;
    private final long maxBytes;
    private transient OpenFile file;

    WriteFilesFn(ExportLayout layout, long maxItems, long maxBytes) {
      this.layout = layout;
      this.maxItems = maxItems;
      this.maxBytes = maxBytes;
    }

    @StartBundle
    public void startBundle() {
      file = null;
    }

    @ProcessElement
    public void process(@Element KV<String, LoadItem> element, MultiOutputReceiver out)
        throws IOException {
      LoadItem item = element.getValue();
      if (item.rejection() != null) {
        out.get(DEAD_LETTERS).output(item.rejection());
        return;
      }
      if (file == null) {
        file = new OpenFile(layout.tempPrefix() + UUID.randomUUID() + ".json.gz");
      }
      file.write(PREFIX);
      file.write(DynamoJson.item(item.attributes()).getBytes(StandardCharsets.UTF_8));
      file.write(SUFFIX);
      file.items++;
      itemsExported.inc();
      if (file.items >= maxItems || file.uncompressed >= maxBytes) {
        out.get(FILES).output(file.close());
        file = null;
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws IOException {
      if (file != null) {
        context.output(
            FILES, file.close(), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
        file = null;
      }
    }

    @Teardown
    public void teardown() {
      if (file != null) {
        try {
          file.out.close(); // a failed bundle's file: left below .tmp/, deleted at the end
        } catch (IOException e) {
          // nothing to keep
        }
      }
    }
  }

  /** A file being written: gzip over a counter of the bytes stored. */
  private static final class OpenFile {
    final String path;
    final CountingStream stored;
    final OutputStream out;
    long items;
    long uncompressed;

    OpenFile(String path) throws IOException {
      this.path = path;
      Path local = ExportLayout.local(path);
      if (local != null) {
        PrivateFiles.prepareFile(local); // owner-only before Beam's local file system writes it
      }
      ResourceId resource = FileSystems.matchNewResource(path, false);
      this.stored =
          new CountingStream(
              Channels.newOutputStream(FileSystems.create(resource, "application/gzip")));
      this.out = new BufferedOutputStream(new GZIPOutputStream(stored, 1 << 16), 1 << 16);
    }

    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      uncompressed += bytes.length;
    }

    ExportedFile close() throws IOException {
      out.close();
      return new ExportedFile(path, items, stored.count, uncompressed);
    }
  }

  /** Counts the bytes that reach the file. */
  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  /** Every file of the export, in one list (an empty one when no item was exported). */
  static final class AllFiles
      extends Combine.CombineFn<ExportedFile, List<ExportedFile>, List<ExportedFile>> {
    @Override
    public List<ExportedFile> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<ExportedFile> addInput(List<ExportedFile> files, ExportedFile file) {
      files.add(file);
      return files;
    }

    @Override
    public List<ExportedFile> mergeAccumulators(Iterable<List<ExportedFile>> lists) {
      List<ExportedFile> all = new ArrayList<>();
      lists.forEach(all::addAll);
      return all;
    }

    @Override
    public List<ExportedFile> extractOutput(List<ExportedFile> files) {
      return files;
    }

    @Override
    public Coder<List<ExportedFile>> getAccumulatorCoder(
        CoderRegistry registry, Coder<ExportedFile> input) {
      return ListCoder.of(FILE_CODER);
    }

    @Override
    public Coder<List<ExportedFile>> getDefaultOutputCoder(
        CoderRegistry registry, Coder<ExportedFile> input) {
      return ListCoder.of(FILE_CODER);
    }
  }

  /**
   * Moves the files into {@code data/} as {@code part-00000.json.gz}..., writes the manifest, and
   * deletes what is left below {@code .tmp/} (files of bundles that failed). Safe to run again: a
   * file already moved is skipped.
   */
  static final class FinishFn extends DoFn<List<ExportedFile>, Void> {
    private final ExportLayout layout;
    private final String manifestHeader;

    FinishFn(ExportLayout layout, String manifestHeader) {
      this.layout = layout;
      this.manifestHeader = manifestHeader;
    }

    @ProcessElement
    public void process(@Element List<ExportedFile> written) throws IOException {
      List<ExportedFile> files = new ArrayList<>(written);
      files.sort(Comparator.comparing(ExportedFile::path)); // one order whatever the runner's
      List<ResourceId> from = new ArrayList<>();
      List<ResourceId> to = new ArrayList<>();
      List<ExportedFile> moved = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        String target = layout.dataFile(i);
        from.add(FileSystems.matchNewResource(files.get(i).path(), false));
        to.add(FileSystems.matchNewResource(target, false));
        moved.add(files.get(i).at(target));
      }
      if (ExportLayout.local(layout.base()) != null) {
        PrivateFiles.createFolders(ExportLayout.local(layout.dataPrefix()));
      }
      FileSystems.rename(from, to, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      for (ExportedFile f : moved) {
        Path local = ExportLayout.local(f.path());
        if (local != null) {
          PrivateFiles.restrict(local);
        }
      }
      Manifest.write(layout.manifest(), manifestHeader, moved);
      deleteTemporaryFiles();
    }

    private void deleteTemporaryFiles() throws IOException {
      MatchResult left = FileSystems.match(layout.tempPrefix() + "*", EmptyMatchTreatment.ALLOW);
      if (left.status() == MatchResult.Status.OK && !left.metadata().isEmpty()) {
        List<ResourceId> ids = new ArrayList<>();
        left.metadata().forEach(m -> ids.add(m.resourceId()));
        FileSystems.delete(ids, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      }
      Path local = ExportLayout.local(layout.tempPrefix());
      if (local != null) {
        try {
          Files.deleteIfExists(local);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
