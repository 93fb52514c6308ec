package io.parquet2dynamo.source;

import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;

/** Tells parquet-hadoop to read a file's records as Beam rows of the target schema. */
final class RowReadSupport extends ReadSupport<Row> {
  private final Schema target;
  private final Map<String, Object> constants;
  private final long firstRow;

  RowReadSupport(Schema target, Map<String, Object> constants, long firstRow) {
    this.target = target;
    this.constants = constants;
    this.firstRow = firstRow;
  }

  @Override
  public ReadContext init(InitContext context) {
    return new ReadContext(context.getFileSchema());
  }

  @Override
  public RecordMaterializer<Row> prepareForRead(
      Configuration configuration,
      Map<String, String> keyValueMetaData,
      MessageType fileSchema,
      ReadContext readContext) {
    return new RowMaterializer(fileSchema, target, constants, firstRow);
  }
}
