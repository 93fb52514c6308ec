package io.parquet2dynamo.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;

/**
 * The benchmark's data set: orders with 20 columns of every kind a load meets (strings, ints,
 * longs, decimals, doubles, booleans, a timestamp, a date, a list, a struct, a nullable column),
 * about 250 bytes per DynamoDB item, the key {@code id} unique, SNAPPY-compressed as Spark writes
 * by default, split over several files. The same arguments always write the same bytes, so a cached
 * copy stands for a fresh one.
 *
 * <p>Row groups: by default as parquet-avro cuts them (at 128 MB, so one per file at the sizes the
 * benchmark writes); with {@code ROW_GROUP_ROWS} every row group but a file's last holds exactly
 * that many rows, as a Spark or Glue job's output does (Spark cuts at 128 MB too, which at this
 * data's 50-odd bytes a row is millions of rows): the memory floors are about such files. Parquet
 * 1.15 cuts row groups only by bytes, so each row group is written as a file of its own and the row
 * groups are then appended, unchanged, into the data file ({@link ParquetFileWriter#appendFile}).
 *
 * <pre>java io.parquet2dynamo.bench.BenchData DIR ROWS FILES [ROW_GROUP_ROWS]</pre>
 */
public final class BenchData {
  /** Part of the cache's name: changes whenever the rows written change. */
  public static final String VERSION = "v2";

  /** The table's partition key, a string. */
  public static final String KEY = "id";

  static final Schema ADDRESS =
      SchemaBuilder.record("address")
          .fields()
          .requiredString("street")
          .requiredString("zip")
          .endRecord();

  static final Schema SCHEMA =
      SchemaBuilder.record("order")
          .fields()
          .requiredString("id")
          .requiredLong("customer_id")
          .requiredString("name")
          .requiredString("email")
          .requiredString("country")
          .requiredString("city")
          .requiredString("status")
          .requiredInt("quantity")
          .name("unit_price")
          .type(decimal(10, 2))
          .noDefault()
          .name("total")
          .type(decimal(12, 2))
          .noDefault()
          .requiredDouble("discount")
          .requiredDouble("weight")
          .requiredBoolean("is_gift")
          .requiredBoolean("is_paid")
          .name("created_at")
          .type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)))
          .noDefault()
          .name("ship_date")
          .type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)))
          .noDefault()
          .name("tags")
          .type()
          .array()
          .items()
          .stringType()
          .noDefault()
          .name("address")
          .type(ADDRESS)
          .noDefault()
          .requiredLong("version")
          .optionalString("notes")
          .endRecord();

  private static final String[] COUNTRIES = {"DE", "FR", "US", "GB", "JP", "BR", "IN", "NL"};
  private static final String[] CITIES = {
    "Berlin", "Paris", "Seattle", "London", "Osaka", "Recife", "Pune", "Utrecht"
  };
  private static final String[] NAMES = {
    "Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra"
  };
  private static final String[] STATUSES = {"NEW", "PAID", "SHIPPED", "DELIVERED", "RETURNED"};
  private static final String[] TAGS = {"prime", "gift", "bulk", "fragile", "promo", "b2b"};
  private static final long EPOCH_2024_MICROS = 1_704_067_200_000_000L;

  private BenchData() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long rows = Long.parseLong(args[1]);
    int files = Integer.parseInt(args[2]);
    write(dir, rows, files, args.length > 3 ? Integer.parseInt(args[3]) : 0);
  }

  /**
   * Writes ROWS rows over FILES files named part-00000.parquet and so on into DIR, in row groups of
   * {@code rowGroupRows} rows (0: as parquet-avro cuts them).
   */
  public static List<Path> write(Path dir, long rows, int files, int rowGroupRows)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    long next = 0;
    for (int f = 0; f < files; f++) {
      long count = rows / files + (f < rows % files ? 1 : 0);
      Path file = dir.resolve(String.format("part-%05d.parquet", f));
      Random random = new Random(31L * f + 7);
      if (rowGroupRows <= 0) {
        try (ParquetWriter<GenericRecord> writer = writer(file, 0)) {
          for (long i = 0; i < count; i++) {
            writer.write(order(next++, random));
          }
        }
      } else {
        next = writeInRowGroups(file, next, count, rowGroupRows, random);
      }
      written.add(file);
    }
    return written;
  }

  /** Large enough that the writer never cuts a row group by size. */
  private static final long UNCUT = 1L << 40;

  /** A writer of row groups of {@code rowGroupBytes} (0: parquet-avro's default, 128 MB). */
  private static ParquetWriter<GenericRecord> writer(Path file, long rowGroupBytes)
      throws IOException {
    AvroParquetWriter.Builder<GenericRecord> builder =
        AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
            .withSchema(SCHEMA)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
    return rowGroupBytes > 0 ? builder.withRowGroupSize(rowGroupBytes).build() : builder.build();
  }

  /**
   * Rows {@code first} to {@code first + count - 1} into {@code file}, {@code rowGroupRows} to a
   * row group; returns the next row's number.
   */
  private static long writeInRowGroups(
      Path file, long first, long count, int rowGroupRows, Random random) throws IOException {
    Path parts = file.resolveSibling(file.getFileName() + ".rowgroups");
    Files.createDirectories(parts);
    List<Path> groups = new ArrayList<>();
    long next = first;
    for (long done = 0; done < count; ) {
      long n = Math.min(rowGroupRows, count - done);
      Path group = parts.resolve(String.format("%05d.parquet", groups.size()));
      try (ParquetWriter<GenericRecord> writer = writer(group, UNCUT)) {
        for (long i = 0; i < n; i++) {
          writer.write(order(next++, random));
        }
      }
      groups.add(group);
      done += n;
    }
    FileMetaData meta;
    try (ParquetFileReader part = ParquetFileReader.open(new LocalInputFile(groups.get(0)))) {
      meta = part.getFooter().getFileMetaData();
    }
    ParquetFileWriter out =
        new ParquetFileWriter(
            new LocalOutputFile(file),
            meta.getSchema(),
            ParquetFileWriter.Mode.OVERWRITE,
            UNCUT,
            0);
    out.start();
    for (Path group : groups) {
      out.appendFile(new LocalInputFile(group));
    }
    // The Avro schema and writer name parquet-avro put in each part's footer.
    out.end(meta.getKeyValueMetaData());
    for (Path group : groups) {
      Files.delete(group);
    }
    Files.delete(parts);
    return next;
  }

  /**
   * The row groups of a data set, from its footers: e.g. "4 files, 8 row groups of up to 250,000
   * rows".
   */
  public static String layout(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
    long groups = 0;
    long largest = 0;
    for (Path file : files) {
      for (BlockMetaData block : rowGroups(file)) {
        groups++;
        largest = Math.max(largest, block.getRowCount());
      }
    }
    return String.format(
        Locale.ROOT, "%d files, %d row groups of up to %,d rows", files.size(), groups, largest);
  }

  /** The row groups of one file. */
  static List<BlockMetaData> rowGroups(Path file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      return reader.getFooter().getBlocks();
    }
  }

  static GenericRecord order(long n, Random random) {
    GenericRecord order = new GenericData.Record(SCHEMA);
    int place = random.nextInt(COUNTRIES.length);
    long customer = random.nextInt(200_000);
    int quantity = 1 + random.nextInt(9);
    long priceCents = 100 + random.nextInt(50_000);
    order.put("id", id(n));
    order.put("customer_id", customer);
    order.put("name", NAMES[(int) (customer % NAMES.length)]);
    order.put("email", "c" + customer + "@mail.com");
    order.put("country", COUNTRIES[place]);
    order.put("city", CITIES[place]);
    order.put("status", STATUSES[random.nextInt(STATUSES.length)]);
    order.put("quantity", quantity);
    order.put("unit_price", unscaled(priceCents, 10));
    order.put("total", unscaled(priceCents * quantity, 12));
    order.put("discount", Math.round(random.nextDouble() * 30) / 100.0);
    order.put("weight", Math.round(random.nextDouble() * 20_000) / 1000.0);
    order.put("is_gift", random.nextInt(10) == 0);
    order.put("is_paid", random.nextInt(4) != 0);
    order.put("created_at", EPOCH_2024_MICROS + (long) (random.nextDouble() * 3e13));
    order.put("ship_date", (int) LocalDate.of(2024, 1, 1).toEpochDay() + random.nextInt(400));
    List<String> tags = new ArrayList<>();
    for (int t = random.nextInt(3); t >= 0; t--) {
      tags.add(TAGS[random.nextInt(TAGS.length)]);
    }
    order.put("tags", tags);
    GenericRecord address = new GenericData.Record(ADDRESS);
    address.put("street", (1 + random.nextInt(300)) + " Main St");
    address.put("zip", String.format("%05d", random.nextInt(100_000)));
    order.put("address", address);
    order.put("version", 1 + random.nextInt(5));
    order.put("notes", hasNotes(n) ? "Ring twice" : null);
    return order;
  }

  /** The key of the n-th row (from 0). */
  public static String id(long n) {
    return String.format("order-%010d", n);
  }

  /** Whether the n-th row has notes: two rows in three; the others hold a null. */
  public static boolean hasNotes(long n) {
    return n % 3 != 0;
  }

  /** A decimal of scale 2 as the big-endian two's-complement bytes Avro stores. */
  private static ByteBuffer unscaled(long cents, int precision) {
    BigDecimal value = BigDecimal.valueOf(cents, 2);
    if (value.precision() > precision) {
      throw new IllegalStateException(value + " exceeds precision " + precision);
    }
    return ByteBuffer.wrap(BigInteger.valueOf(cents).toByteArray());
  }

  private static Schema decimal(int precision, int scale) {
    return LogicalTypes.decimal(precision, scale).addToSchema(Schema.create(Schema.Type.BYTES));
  }
}
