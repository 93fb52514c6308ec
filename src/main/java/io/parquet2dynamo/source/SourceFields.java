package io.parquet2dynamo.source;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Where each row came from travels inside the row, in two reserved fields appended to the schema:
 * later steps (dead letters, the duplicate rule) need it, and a Beam schema transform keeps the
 * fields it is not told to drop. They are never written to DynamoDB.
 */
public final class SourceFields {
  /** Path of the Parquet file the row was read from. */
  public static final String FILE = "__source_file";

  /** Zero-based index of the row within its file. */
  public static final String ROW = "__source_row";

  private SourceFields() {}

  /** True for the reserved fields. */
  public static boolean isSourceField(String name) {
    return FILE.equals(name) || ROW.equals(name);
  }

  /** The file a row came from, or null when a transform dropped the field. */
  public static String file(Row row) {
    return row.getSchema().hasField(FILE) ? row.getString(FILE) : null;
  }

  /** The row's index in its file, or -1 when a transform dropped the field. */
  public static long row(Row row) {
    if (!row.getSchema().hasField(ROW)) {
      return -1;
    }
    Long value = row.getInt64(ROW);
    return value == null ? -1 : value;
  }

  static Schema.Builder append(Schema.Builder builder) {
    return builder
        .addNullableField(FILE, Schema.FieldType.STRING)
        .addNullableField(ROW, Schema.FieldType.INT64);
  }
}
