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
import java.util.Random;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * The benchmark's data set: orders with 20 columns of every kind a load meets (strings, ints,
 * longs, decimals, doubles, booleans, a timestamp, a date, a list, a struct, a nullable column),
 * about 250 bytes per DynamoDB item, the key {@code id} unique, SNAPPY-compressed as Spark writes
 * by default, split over several files. The same arguments always write the same bytes, so a cached
 * copy stands for a fresh one.
 *
 * <pre>java io.parquet2dynamo.bench.BenchData DIR ROWS FILES</pre>
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
    write(dir, rows, files);
  }

  /** Writes ROWS rows over FILES files named part-00000.parquet and so on into DIR. */
  public static List<Path> write(Path dir, long rows, int files) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    long next = 0;
    for (int f = 0; f < files; f++) {
      long count = rows / files + (f < rows % files ? 1 : 0);
      Path file = dir.resolve(String.format("part-%05d.parquet", f));
      try (ParquetWriter<GenericRecord> writer =
          AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
              .withSchema(SCHEMA)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
              .build()) {
        Random random = new Random(31L * f + 7);
        for (long i = 0; i < count; i++) {
          writer.write(order(next++, random));
        }
      }
      written.add(file);
    }
    return written;
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
