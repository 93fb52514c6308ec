package io.parquet2dynamo.testing;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The sample data set: sales order lines in Hive-style folders {@code
 * sales/region=<r>/day=<d>/part-00000.parquet}, 6 files of 500 rows. It is generated, not
 * committed, and the same on every run (fixed seeds).
 *
 * <p>Like real data it is not clean: the first {@value #CORRECTIONS} rows of each 2024-01-31 file
 * repeat the key of a 2024-01-30 row (corrected orders, which must win), and the us/2024-01-31 file
 * has 3 rows without an order id and 2 with an empty one.
 *
 * <p>Table key: {@code order_id} (S) and {@code line} (N).
 */
public final class SampleSales {
  public static final List<String> REGIONS = List.of("apac", "eu", "us");
  public static final List<String> DAYS = List.of("2024-01-30", "2024-01-31");
  public static final int ROWS_PER_FILE = 500;
  public static final int CORRECTIONS = 7;
  public static final List<Integer> NULL_ORDER_ID_ROWS = List.of(100, 200, 300);
  public static final List<Integer> EMPTY_ORDER_ID_ROWS = List.of(150, 250);

  private static final String[][] CITIES = {
    {"Lisbon", "PT"},
    {"München", "DE"},
    {"Osaka", "JP"},
    {"Austin", "US"},
    {"Lyon", "FR"},
    {"Sydney", "AU"},
    {"Toronto", "CA"},
    {"São Paulo", "BR"}
  };
  private static final String[] TAGS = {"gift", "express", "fragile", "b2b", "promo"};

  public static final Schema SHIPPING =
      SchemaBuilder.record("shipping")
          .fields()
          .requiredString("city")
          .requiredString("country")
          .optionalString("postcode")
          .endRecord();

  public static final Schema SCHEMA =
      SchemaBuilder.record("sale")
          .namespace("io.parquet2dynamo.sample")
          .fields()
          .optionalString("order_id")
          .requiredInt("line")
          .optionalString("customer")
          .name("amount")
          .type(LogicalTypes.decimal(12, 2).addToSchema(Schema.create(Schema.Type.BYTES)))
          .noDefault()
          .requiredInt("quantity")
          .requiredDouble("unit_price")
          .requiredBoolean("paid")
          .name("ordered_at")
          .type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)))
          .noDefault()
          .name("tags")
          .type()
          .array()
          .items()
          .stringType()
          .noDefault()
          .name("shipping")
          .type(SHIPPING)
          .noDefault()
          .optionalString("notes")
          .endRecord();

  /** One order line as generated, with where it is stored. */
  public static final class Sale {
    public final String file; // relative to the data set root, e.g.
    // sales/region=eu/day=2024-01-30/part-00000.parquet
    public final long row;
    public final String region;
    public final String day;
    public final String orderId;
    public final int line;
    public final String customer;
    public final BigDecimal amount;
    public final int quantity;
    public final double unitPrice;
    public final boolean paid;
    public final long orderedAtMicros;
    public final List<String> tags;
    public final String city;
    public final String country;
    public final String postcode;
    public final String notes;

    Sale(String file, long row, String region, String day, String orderId, int line, Random r) {
      this.file = file;
      this.row = row;
      this.region = region;
      this.day = day;
      this.orderId = orderId;
      this.line = line;
      this.customer = r.nextInt(10) == 0 ? null : String.format("cust-%05d", r.nextInt(50_000));
      this.quantity = 1 + r.nextInt(10);
      this.unitPrice = (100 + r.nextInt(99_900)) / 100.0;
      this.amount = BigDecimal.valueOf(Math.round(unitPrice * 100) * quantity, 2);
      this.paid = r.nextBoolean();
      long dayStart =
          LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
      this.orderedAtMicros = dayStart + (long) (r.nextDouble() * 86_400_000_000L);
      List<String> t = new ArrayList<>();
      for (int i = r.nextInt(4); i > 0; i--) {
        t.add(TAGS[r.nextInt(TAGS.length)]);
      }
      this.tags = t;
      String[] city = CITIES[r.nextInt(CITIES.length)];
      this.city = city[0];
      this.country = city[1];
      this.postcode = r.nextInt(5) == 0 ? null : String.format("%05d", r.nextInt(100_000));
      this.notes =
          r.nextInt(8) == 0
              ? (r.nextBoolean() ? "leave at the door" : "Lieferung ins Büro ✓")
              : null;
    }

    public Instant orderedAt() {
      return Instant.ofEpochSecond(
          Math.floorDiv(orderedAtMicros, 1_000_000L),
          Math.floorMod(orderedAtMicros, 1_000_000L) * 1000);
    }

    GenericRecord toRecord() {
      GenericRecord shipping = new GenericData.Record(SHIPPING);
      shipping.put("city", city);
      shipping.put("country", country);
      shipping.put("postcode", postcode);
      GenericRecord r = new GenericData.Record(SCHEMA);
      r.put("order_id", orderId);
      r.put("line", line);
      r.put("customer", customer);
      r.put("amount", amount);
      r.put("quantity", quantity);
      r.put("unit_price", unitPrice);
      r.put("paid", paid);
      r.put("ordered_at", orderedAtMicros);
      r.put("tags", tags);
      r.put("shipping", shipping);
      r.put("notes", notes);
      return r;
    }
  }

  private SampleSales() {}

  /** All rows, in file path order then row order. */
  public static List<Sale> generate() {
    List<Sale> sales = new ArrayList<>();
    for (String region : REGIONS) {
      for (String day : DAYS) {
        String file = "sales/region=" + region + "/day=" + day + "/part-00000.parquet";
        Random random = new Random((region + day).hashCode());
        String prefix = region.toUpperCase() + "-" + day.substring(5).replace("-", "");
        String firstDayPrefix =
            region.toUpperCase() + "-" + DAYS.get(0).substring(5).replace("-", "");
        for (int n = 0; n < ROWS_PER_FILE; n++) {
          boolean correction = !day.equals(DAYS.get(0)) && n < CORRECTIONS;
          String orderId = String.format("%s-%05d", correction ? firstDayPrefix : prefix, n / 3);
          if (region.equals("us") && day.equals(DAYS.get(1))) {
            if (NULL_ORDER_ID_ROWS.contains(n)) {
              orderId = null;
            } else if (EMPTY_ORDER_ID_ROWS.contains(n)) {
              orderId = "";
            }
          }
          sales.add(new Sale(file, n, region, day, orderId, n % 3 + 1, random));
        }
      }
    }
    return sales;
  }

  /** Writes the data set below {@code root} and returns its rows. */
  public static List<Sale> write(Path root) throws IOException {
    List<Sale> sales = generate();
    String file = null;
    List<GenericRecord> records = new ArrayList<>();
    for (Sale sale : sales) {
      if (file != null && !file.equals(sale.file)) {
        ParquetFiles.write(root.resolve(file), SCHEMA, records);
        records.clear();
      }
      file = sale.file;
      records.add(sale.toRecord());
    }
    ParquetFiles.write(root.resolve(file), SCHEMA, records);
    return sales;
  }

  /** Writes the sample data set below the directory given as the only argument. */
  public static void main(String[] args) throws IOException {
    Path root = Paths.get(args.length > 0 ? args[0] : "target/sample");
    List<Sale> sales = write(root);
    System.out.println("Wrote " + sales.size() + " rows to " + root.resolve("sales"));
  }
}
