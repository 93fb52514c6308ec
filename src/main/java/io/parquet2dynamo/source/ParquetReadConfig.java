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

  /**
   * The settings, in one Hadoop configuration the JVM's readers share and only read. One, because a
   * Hadoop configuration parses Hadoop's XML defaults the first time it is read: per reader (a
   * reader is opened per split and pass) that was 4% of a load's CPU.
   */
  static synchronized Configuration hadoopConfiguration() {
    if (shared == null) {
      Configuration conf = new Configuration();
      SETTINGS.forEach(conf::set);
      conf.getBoolean("parquet.page.verify-checksum.enabled", true); // parse the defaults now
      shared = conf;
    }
    return shared;
  }

  private static Configuration shared;
}
