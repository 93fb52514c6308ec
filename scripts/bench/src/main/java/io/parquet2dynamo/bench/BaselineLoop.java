package io.parquet2dynamo.bench;

import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetReader;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The dry run's baseline: one thread reads every file with parquet-avro and builds each row's item
 * map, with nothing written: the limit of the read-and-map stage on one core. Prints {@code ROWS n}
 * and the mean item size.
 *
 * <pre>java io.parquet2dynamo.bench.BaselineLoop DIR</pre>
 */
public final class BaselineLoop {
  private BaselineLoop() {}

  public static void main(String[] args) throws Exception {
    long rows = 0;
    long bytes = 0;
    for (Path file : AvroItems.files(Path.of(args[0]))) {
      try (ParquetReader<GenericRecord> reader = AvroItems.reader(file)) {
        for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
          Map<String, AttributeValue> item = AvroItems.item(record);
          // Used, so the JIT cannot drop the work.
          bytes += AvroItems.size(item);
          rows++;
        }
      }
    }
    System.out.println("ROWS " + rows);
    System.out.println("MEAN_ITEM_BYTES " + (rows == 0 ? 0 : bytes / rows));
  }
}
