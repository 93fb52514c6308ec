package io.parquet2dynamo.source;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** The parquet-hadoop / parquet-avro settings every read of this project uses, in one place. */
final class ParquetReadConfig {
  private ParquetReadConfig() {}

  static final Map<String, String> SETTINGS =
      Map.of(
          // Spark, Hive and Impala (so many Glue jobs) write timestamps as INT96, which
          // parquet-avro refuses unless asked to hand them over as 12-byte fixed values.
          "parquet.avro.readInt96AsFixed", "true",
          // Page checksums are written by most writers but checked by parquet-mr only on request:
          // without this a corrupt page would load as wrong values instead of failing.
          "parquet.page.verify-checksum.enabled", "true",
          // Standard 3-level lists (Spark, Impala, Arrow) read as lists of their elements, not as
          // lists of one-field records {element: ...}.
          "parquet.avro.add-list-element-records", "false");

  static Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    SETTINGS.forEach(conf::set);
    return conf;
  }
}
