package io.parquet2dynamo.source;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** The parquet-hadoop settings every read of this project uses, in one place. */
final class ParquetReadConfig {
  private ParquetReadConfig() {}

  static final Map<String, String> SETTINGS =
      Map.of(
          // Page checksums are written by most writers but checked by parquet-mr only on request:
          // without this a corrupt page would load as wrong values instead of failing.
          "parquet.page.verify-checksum.enabled", "true");

  static Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    SETTINGS.forEach(conf::set);
    return conf;
  }
}
