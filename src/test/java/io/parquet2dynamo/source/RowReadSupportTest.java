package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.Test;

/** Tests that {@link RowReadSupport} asks parquet-mr only for the columns the rows need. */
public class RowReadSupportTest {
  @Test
  public void onlyTheTargetsColumnsAreRequested() {
    MessageType file =
        MessageTypeParser.parseMessageType(
            "message m { required int32 a; optional binary big; optional group s { optional int32"
                + " x; } required int64 b; }");
    Schema target =
        Schema.builder()
            .addInt32Field("a")
            .addInt64Field("b")
            .addNullableField(SourceFields.FILE, Schema.FieldType.STRING)
            .build();

    MessageType requested = RowReadSupport.requested(file, target);

    assertEquals(
        MessageTypeParser.parseMessageType("message m { required int32 a; required int64 b; }"),
        requested);
  }
}
