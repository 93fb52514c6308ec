package io.parquet2dynamo.transform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.source.SourceFields;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Test;

/** The query rules that are checked while the pipeline is built. */
public class SqlQueryTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .addStringField("id")
          .addNullableField("tags", FieldType.array(FieldType.STRING.withNullable(true)))
          .addNullableField(SourceFields.FILE, FieldType.STRING)
          .addNullableField(SourceFields.ROW, FieldType.INT64)
          .build();

  private static Schema schemaOf(String sql) {
    Pipeline pipeline = Pipeline.create();
    return pipeline.apply(Create.empty(SCHEMA)).apply(new SqlQuery(sql)).getSchema();
  }

  @Test
  public void theSourceFieldsAreAddedWhenTheQueryLeavesThemOut() {
    Schema out = schemaOf("SELECT UPPER(id) AS code\nFROM input WHERE id <> 'x'");
    assertEquals(List.of(SourceFields.FILE, SourceFields.ROW, "code"), out.getFieldNames());
  }

  @Test
  public void aListWithNullableElementsIsRefusedWhenTheQueryUsesIt() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> schemaOf("SELECT * FROM input WHERE id <> 'x'"));
    assertTrue(e.getMessage(), e.getMessage().contains("column 'tags' is a list whose elements"));
    // Left out, it is fine.
    assertEquals(
        List.of(SourceFields.FILE, SourceFields.ROW, "id"),
        schemaOf("SELECT id FROM input WHERE id <> 'x'").getFieldNames());
  }
}
