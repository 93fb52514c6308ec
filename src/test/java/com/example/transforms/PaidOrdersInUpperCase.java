package com.example.transforms;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * An example of parquet2dynamo's extension point ({@code --transformClass}): keeps the paid order
 * lines and adds {@code customer_upper}. Any {@code PTransform<PCollection<Row>, PCollection<Row>>}
 * with a public no-argument constructor works; its output must carry a schema.
 */
public class PaidOrdersInUpperCase extends PTransform<PCollection<Row>, PCollection<Row>> {
  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    Schema out =
        Schema.builder()
            .addFields(rows.getSchema().getFields())
            .addNullableField("customer_upper", Schema.FieldType.STRING)
            .build();
    return rows.apply(ParDo.of(new KeepPaid(out))).setRowSchema(out);
  }

  static class KeepPaid extends DoFn<Row, Row> {
    private final Schema out;

    KeepPaid(Schema out) {
      this.out = out;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> receiver) {
      if (Boolean.TRUE.equals(row.getBoolean("paid"))) {
        String customer = row.getString("customer");
        receiver.output(
            Row.withSchema(out)
                .addValues(row.getValues())
                .addValue(customer == null ? null : customer.toUpperCase())
                .build());
      }
    }
  }
}
