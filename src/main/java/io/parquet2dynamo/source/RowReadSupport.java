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

  /** Asks only for the file's columns that the target schema has: the others are not read. */
  @Override
  public ReadContext init(InitContext context) {
    return new ReadContext(requested(context.getFileSchema(), target));
  }

  static MessageType requested(MessageType file, Schema target) {
    java.util.List<org.apache.parquet.schema.Type> fields = new java.util.ArrayList<>();
    for (org.apache.parquet.schema.Type field : file.getFields()) {
      if (target.hasField(field.getName())) {
        fields.add(field);
      }
    }
    return new MessageType(file.getName(), fields);
  }

  @Override
  public RecordMaterializer<Row> prepareForRead(
      Configuration configuration,
      Map<String, String> keyValueMetaData,
      MessageType fileSchema,
      ReadContext readContext) {
    return new RowMaterializer(readContext.getRequestedSchema(), target, constants, firstRow);
  }
}
