package io.parquet2dynamo.source;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.IsoTimestamps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The input as resolved before the pipeline is built: which files, the one Beam schema their rows
 * share, and how the reading is split. Every file's footer is read here, so a file that is not
 * Parquet, or whose schema cannot be merged with the others, stops the job before any work.
 */
public final class ParquetDataset {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetDataset.class);

  /**
   * Row groups are grouped into splits of about this many uncompressed bytes, as ParquetIO does.
   */
  private static final long SPLIT_BYTES = 64L << 20;

  private final Schema schema;
  private final List<FileSplit> splits;
  private final int fileCount;
  private final long rowCount;

  private final Map<String, Long> rowsByFile;

  /** Files the listing skipped, and the warning that names a few (null when none). */
  private final int filesIgnored;

  private final String ignoredWarning;

  private ParquetDataset(
      Schema schema,
      List<FileSplit> splits,
      int fileCount,
      long rowCount,
      Map<String, Long> rowsByFile,
      int filesIgnored,
      String ignoredWarning) {
    this.schema = schema;
    this.splits = splits;
    this.fileCount = fileCount;
    this.rowCount = rowCount;
    this.rowsByFile = rowsByFile;
    this.filesIgnored = filesIgnored;
    this.ignoredWarning = ignoredWarning;
  }

  /** The schema of every row read: file columns, then partition columns, then source fields. */
  public Schema schema() {
    return schema;
  }

  public int fileCount() {
    return fileCount;
  }

  /**
   * About how many rows hold {@code bytes} uncompressed bytes, by the footers' sizes (at least
   * 1,000).
   */
  public long rowsPer(long bytes) {
    long total = 0;
    for (FileSplit split : splits) {
      total += split.uncompressedBytes;
    }
    return total <= 0 || rowCount <= 0 ? 1000 : Math.max(1000, bytes * rowCount / total);
  }

  /** Rows in all files, from their footers. */
  public long rowCount() {
    return rowCount;
  }

  /** Rows in each file, from its footer, by path (what a bookmark records per file). */
  public Map<String, Long> rowsByFile() {
    return rowsByFile;
  }

  List<FileSplit> splits() {
    return splits;
  }

  /** Files the listing of the input skipped (hidden, or not named *.parquet in a directory). */
  public int filesIgnored() {
    return filesIgnored;
  }

  /**
   * What the listing skipped, in one line that counts the files and names a few ({@link
   * InputFiles.Listing#warning}), or null when none was skipped.
   */
  public String ignoredWarning() {
    return ignoredWarning;
  }

  /** This dataset, knowing what the {@code listing} it was made from skipped. */
  public ParquetDataset ignoring(InputFiles.Listing listing) {
    return new ParquetDataset(
        schema, splits, fileCount, rowCount, rowsByFile, listing.ignoredCount(), listing.warning());
  }

  /** Resolves {@code inputPath}, reads every footer and merges the schemas. */
  public static ParquetDataset scan(String inputPath) {
    InputFiles.Listing listing = InputFiles.list(inputPath, null);
    return scan(listing.files).ignoring(listing);
  }

  /**
   * Reads the footers of {@code files} (at least one, e.g. those a bookmark selected) and merges
   * their schemas.
   */
  public static ParquetDataset scan(List<InputFiles.Match> files) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no files to scan");
    }
    List<Footer> footers = readFooters(files);
    SchemaMerger merger = new SchemaMerger();
    for (Footer footer : footers) {
      merger.add(footer.match.path, footer.beamSchema, footer.partitions);
    }
    Schema schema = merger.result();
    List<FileSplit> splits = new ArrayList<>();
    long rows = 0;
    Map<String, Long> rowsByFile = new LinkedHashMap<>();
    for (Footer footer : footers) {
      long fileRows = addSplits(footer, splits);
      rowsByFile.put(footer.match.path, fileRows);
      rows += fileRows;
    }
    LOG.info(
        "Input: {} Parquet files, {} rows in {} splits; columns: {}",
        files.size(),
        rows,
        splits.size(),
        schema.getFieldNames());
    return new ParquetDataset(
        schema,
        splits,
        files.size(),
        rows,
        java.util.Collections.unmodifiableMap(rowsByFile),
        0,
        null);
  }

  private static long addSplits(Footer footer, List<FileSplit> splits) {
    List<BlockMetaData> blocks = footer.metadata.getBlocks();
    long firstRow = 0;
    int i = 0;
    while (i < blocks.size()) {
      int start = i;
      long bytes = 0;
      long rows = 0;
      do {
        bytes += blocks.get(i).getTotalByteSize();
        rows += blocks.get(i).getRowCount();
        i++;
      } while (i < blocks.size() && bytes < SPLIT_BYTES);
      BlockMetaData last = blocks.get(i - 1);
      splits.add(
          new FileSplit(
              footer.match.path,
              footer.match.sizeBytes,
              blocks.get(start).getStartingPos(),
              last.getStartingPos() + last.getCompressedSize(),
              firstRow,
              rows,
              footer.partitions,
              footer.unknownLogicalTypes,
              bytes));
      firstRow += rows;
    }
    return firstRow;
  }

  private static final class Footer {
    final InputFiles.Match match;
    final ParquetMetadata metadata;
    final Schema beamSchema;
    final Map<String, String> partitions;
    final boolean unknownLogicalTypes;

    Footer(
        InputFiles.Match match,
        ParquetMetadata metadata,
        Schema beamSchema,
        boolean unknownLogicalTypes) {
      this.match = match;
      this.metadata = metadata;
      this.beamSchema = beamSchema;
      this.partitions = HivePartitions.of(match.path);
      this.unknownLogicalTypes = unknownLogicalTypes;
    }
  }

  private static List<Footer> readFooters(List<InputFiles.Match> files) {
    // Footers are small but each costs a round trip or two to S3: read them concurrently.
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(16, files.size()));
    try {
      List<Future<Footer>> futures = new ArrayList<>();
      for (InputFiles.Match match : files) {
        futures.add(pool.submit(() -> readFooter(match)));
      }
      List<Footer> footers = new ArrayList<>();
      for (Future<Footer> f : futures) {
        try {
          footers.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof InvalidInputException) {
            throw (InvalidInputException) e.getCause();
          }
          throw new InvalidInputException(Errors.rootMessage(e), e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InvalidInputException("interrupted while reading Parquet footers", e);
        }
      }
      return footers;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Footer readFooter(InputFiles.Match match) {
    BeamInputFile input =
        new BeamInputFile(FileSystems.matchNewResource(match.path, false), match.sizeBytes);
    ParquetMetadata metadata;
    boolean unknownLogicalTypes = false;
    try {
      metadata = footer(input);
    } catch (Exception e) {
      // parquet-mr fails on logical types newer than itself; read those columns as their
      // physical types, as other readers do. Only on failure: a good footer is read once.
      UnknownLogicalTypes.Stripped stripped = strippedOrNull(input);
      if (stripped == null) {
        throw unreadable(match, e);
      }
      try {
        metadata = footer(stripped.file);
      } catch (Exception again) {
        throw unreadable(match, again);
      }
      unknownLogicalTypes = true;
      LOG.warn(unknownTypesWarning(match.path, stripped.columns));
    }
    return new Footer(
        match,
        metadata,
        ParquetSchemas.toBeamSchema(metadata.getFileMetaData().getSchema(), match.path),
        unknownLogicalTypes);
  }

  /** The warning for a file read with {@link UnknownLogicalTypes}, naming its columns. */
  static String unknownTypesWarning(String file, List<String> columns) {
    String names = String.join(", ", columns.stream().map(c -> "'" + c + "'").toList());
    String what =
        columns.size() == 1
            ? "column %s has a logical type this reader does not know; it is read as its"
                + " physical type"
            : "columns %s have logical types this reader does not know; they are read as their"
                + " physical types";
    return file + ": " + String.format(what, names);
  }

  private static ParquetMetadata footer(InputFile input) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(input)) {
      return reader.getFooter();
    }
  }

  private static UnknownLogicalTypes.Stripped strippedOrNull(BeamInputFile input) {
    try {
      return UnknownLogicalTypes.strip(input);
    } catch (Exception notParquet) {
      return null;
    }
  }

  private static InvalidInputException unreadable(InputFiles.Match match, Exception e) {
    // S3 refusing or failing the read is not the file's fault; say which it is.
    return new InvalidInputException(
        (Errors.find(e, SdkException.class).isPresent()
                ? "cannot read " + match.path + ": "
                : match.path + " is not a readable Parquet file: ")
            + Errors.rootMessage(e),
        e);
  }

  /** Merges file schemas by column name, as Spark's mergeSchema does for added columns. */
  static final class SchemaMerger {
    private final Map<String, FieldType> columns = new LinkedHashMap<>();
    private final Map<String, String> columnSource = new LinkedHashMap<>();
    private final Map<String, String> partitionSource = new LinkedHashMap<>();
    private int files;

    void add(String file, Schema fileSchema, Map<String, String> partitions) {
      for (Schema.Field field : fileSchema.getFields()) {
        String name = field.getName();
        if (SourceFields.isSourceField(name)) {
          throw new InvalidInputException(
              file + ": column '" + name + "' uses a name reserved by parquet2dynamo");
        }
        FieldType existing = columns.get(name);
        if (existing == null) {
          // A column the earlier files lack is null in their rows.
          columns.put(name, files == 0 ? field.getType() : field.getType().withNullable(true));
          columnSource.put(name, file);
          continue;
        }
        FieldType merged = mergeTypes(existing, field.getType());
        if (merged == null) {
          throw new InvalidInputException(
              "incompatible schemas: column '"
                  + name
                  + "' is "
                  + describe(existing)
                  + " in "
                  + columnSource.get(name)
                  + " but "
                  + describe(field.getType())
                  + " in "
                  + file);
        }
        columns.put(name, merged);
      }
      for (Map.Entry<String, FieldType> e : columns.entrySet()) {
        if (!fileSchema.hasField(e.getKey())) {
          e.setValue(e.getValue().withNullable(true));
        }
      }
      for (String key : partitions.keySet()) {
        partitionSource.putIfAbsent(key, file);
      }
      files++;
    }

    Schema result() {
      Schema.Builder builder = Schema.builder();
      columns.forEach(builder::addField);
      for (Map.Entry<String, String> p : partitionSource.entrySet()) {
        if (columns.containsKey(p.getKey())) {
          throw new InvalidInputException(
              "partition folder '"
                  + p.getKey()
                  + "=...' above "
                  + p.getValue()
                  + " has the name of a column in "
                  + columnSource.get(p.getKey())
                  + "; rename one of them");
        }
        builder.addNullableField(p.getKey(), FieldType.STRING);
      }
      return SourceFields.append(builder).build();
    }

    /** The type both can be read as, or null if none. Nullability widens; nothing else does. */
    static FieldType mergeTypes(FieldType a, FieldType b) {
      boolean nullable = a.getNullable() || b.getNullable();
      if (a.getTypeName() != b.getTypeName()) {
        return null;
      }
      switch (a.getTypeName()) {
        case ROW:
          {
            Schema.Builder merged = Schema.builder();
            Schema as = a.getRowSchema();
            Schema bs = b.getRowSchema();
            for (Schema.Field f : as.getFields()) {
              if (bs.hasField(f.getName())) {
                FieldType m = mergeTypes(f.getType(), bs.getField(f.getName()).getType());
                if (m == null) {
                  return null;
                }
                merged.addField(f.getName(), m);
              } else {
                merged.addField(f.getName(), f.getType().withNullable(true));
              }
            }
            for (Schema.Field f : bs.getFields()) {
              if (!as.hasField(f.getName())) {
                merged.addField(f.getName(), f.getType().withNullable(true));
              }
            }
            return FieldType.row(merged.build()).withNullable(nullable);
          }
        case ARRAY:
        case ITERABLE:
          {
            FieldType e = mergeTypes(a.getCollectionElementType(), b.getCollectionElementType());
            return e == null ? null : FieldType.array(e).withNullable(nullable);
          }
        case MAP:
          {
            FieldType v = mergeTypes(a.getMapValueType(), b.getMapValueType());
            return v == null ? null : FieldType.map(a.getMapKeyType(), v).withNullable(nullable);
          }
        case LOGICAL_TYPE:
          // Timestamps of different units merge to the finer: one width for the column.
          return a.getLogicalType().getIdentifier().equals(b.getLogicalType().getIdentifier())
              ? IsoTimestamps.finer(a, b).withNullable(nullable)
              : null;
        default:
          return a.withNullable(nullable);
      }
    }

    private static String describe(FieldType type) {
      return type.getTypeName() == Schema.TypeName.LOGICAL_TYPE
          ? type.getLogicalType().getIdentifier()
          : type.getTypeName().toString();
    }
  }
}
