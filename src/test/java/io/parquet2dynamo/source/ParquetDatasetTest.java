package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.IsoTimestamps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.junit.Test;

/** Tests {@link ParquetDataset.SchemaMerger}: merging the schemas of several files by column. */
public class ParquetDatasetTest {
  private static final Map<String, String> NO_PARTITIONS = Map.of();

  private static Schema merge(Schema... schemas) {
    ParquetDataset.SchemaMerger merger = new ParquetDataset.SchemaMerger();
    for (int i = 0; i < schemas.length; i++) {
      merger.add("f" + (i + 1) + ".parquet", schemas[i], NO_PARTITIONS);
    }
    return merger.result();
  }

  private static void assertEndsWithSourceFields(Schema schema) {
    int n = schema.getFieldCount();
    Schema.Field file = schema.getField(n - 2);
    Schema.Field row = schema.getField(n - 1);
    assertEquals(SourceFields.FILE, file.getName());
    assertEquals(FieldType.STRING.withNullable(true), file.getType());
    assertEquals(SourceFields.ROW, row.getName());
    assertEquals(FieldType.INT64.withNullable(true), row.getType());
  }

  @Test
  public void singleFileKeepsItsTypes() {
    Schema merged =
        merge(Schema.builder().addStringField("a").addNullableField("b", FieldType.INT64).build());

    assertEquals(List.of("a", "b", SourceFields.FILE, SourceFields.ROW), merged.getFieldNames());
    assertEquals(FieldType.STRING, merged.getField("a").getType());
    assertEquals(FieldType.INT64.withNullable(true), merged.getField("b").getType());
    assertEndsWithSourceFields(merged);
  }

  @Test
  public void columnAddedByALaterFileIsNullable() {
    Schema merged =
        merge(
            Schema.builder().addStringField("a").build(),
            Schema.builder().addStringField("a").addInt32Field("b").build());

    assertEquals(List.of("a", "b", SourceFields.FILE, SourceFields.ROW), merged.getFieldNames());
    assertFalse(merged.getField("a").getType().getNullable());
    assertEquals(FieldType.INT32.withNullable(true), merged.getField("b").getType());
  }

  @Test
  public void columnMissingFromALaterFileIsNullable() {
    Schema merged =
        merge(
            Schema.builder().addStringField("a").addInt32Field("b").build(),
            Schema.builder().addStringField("a").build());

    assertFalse(merged.getField("a").getType().getNullable());
    assertEquals(FieldType.INT32.withNullable(true), merged.getField("b").getType());
  }

  @Test
  public void columnMissingFromAMiddleFileStaysNullable() {
    Schema full = Schema.builder().addStringField("a").addInt32Field("b").build();
    Schema merged = merge(full, Schema.builder().addStringField("a").build(), full);

    assertEquals(FieldType.INT32.withNullable(true), merged.getField("b").getType());
  }

  @Test
  public void nullabilityWidens() {
    Schema merged =
        merge(
            Schema.builder().addInt64Field("a").build(),
            Schema.builder().addNullableField("a", FieldType.INT64).build());

    assertEquals(FieldType.INT64.withNullable(true), merged.getField("a").getType());
  }

  @Test
  public void incompatibleTypesNameBothFilesAndTheColumn() {
    ParquetDataset.SchemaMerger merger = new ParquetDataset.SchemaMerger();
    merger.add(
        "s3://b/t/one.parquet", Schema.builder().addInt64Field("qty").build(), NO_PARTITIONS);
    Schema second = Schema.builder().addStringField("qty").build();

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> merger.add("s3://b/t/two.parquet", second, NO_PARTITIONS));
    assertTrue(e.getMessage(), e.getMessage().contains("'qty'"));
    assertTrue(e.getMessage(), e.getMessage().contains("one.parquet"));
    assertTrue(e.getMessage(), e.getMessage().contains("two.parquet"));
    assertTrue(e.getMessage(), e.getMessage().contains("INT64"));
    assertTrue(e.getMessage(), e.getMessage().contains("STRING"));
  }

  @Test
  public void nestedRowFieldsMergeByName() {
    Schema nested1 = Schema.builder().addInt32Field("x").addStringField("y").build();
    Schema nested2 = Schema.builder().addStringField("y").addDoubleField("z").build();
    Schema merged =
        merge(
            Schema.builder().addRowField("r", nested1).build(),
            Schema.builder().addRowField("r", nested2).build());

    FieldType r = merged.getField("r").getType();
    assertEquals(Schema.TypeName.ROW, r.getTypeName());
    assertFalse(r.getNullable());
    Schema rs = r.getRowSchema();
    assertEquals(List.of("x", "y", "z"), rs.getFieldNames());
    assertEquals(FieldType.INT32.withNullable(true), rs.getField("x").getType());
    assertEquals(FieldType.STRING, rs.getField("y").getType());
    assertEquals(FieldType.DOUBLE.withNullable(true), rs.getField("z").getType());
  }

  @Test
  public void incompatibleNestedFieldIsInvalidInput() {
    Schema nested1 = Schema.builder().addInt32Field("x").build();
    Schema nested2 = Schema.builder().addStringField("x").build();
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                merge(
                    Schema.builder().addRowField("r", nested1).build(),
                    Schema.builder().addRowField("r", nested2).build()));
    assertTrue(e.getMessage(), e.getMessage().contains("'r'"));
    assertTrue(e.getMessage(), e.getMessage().contains("f1.parquet"));
    assertTrue(e.getMessage(), e.getMessage().contains("f2.parquet"));
  }

  @Test
  public void partitionKeysBecomeNullableStringsAfterTheColumns() {
    ParquetDataset.SchemaMerger merger = new ParquetDataset.SchemaMerger();
    Map<String, String> p1 = new LinkedHashMap<>();
    p1.put("region", "eu");
    p1.put("day", "2024-01-31");
    merger.add(
        "s3://b/t/region=eu/day=2024-01-31/f.parquet",
        Schema.builder().addStringField("id").build(),
        p1);
    Map<String, String> p2 = new LinkedHashMap<>();
    p2.put("region", null);
    p2.put("day", "2024-02-01");
    merger.add(
        "s3://b/t/region=__HIVE_DEFAULT_PARTITION__/day=2024-02-01/f.parquet",
        Schema.builder().addStringField("id").build(),
        p2);

    Schema merged = merger.result();

    assertEquals(
        List.of("id", "region", "day", SourceFields.FILE, SourceFields.ROW),
        merged.getFieldNames());
    assertEquals(FieldType.STRING.withNullable(true), merged.getField("region").getType());
    assertEquals(FieldType.STRING.withNullable(true), merged.getField("day").getType());
    assertEndsWithSourceFields(merged);
  }

  @Test
  public void partitionKeyNamedLikeAColumnIsInvalidInput() {
    ParquetDataset.SchemaMerger merger = new ParquetDataset.SchemaMerger();
    merger.add(
        "s3://b/t/region=eu/f.parquet",
        Schema.builder().addStringField("id").addStringField("region").build(),
        Map.of("region", "eu"));

    InvalidInputException e = assertThrows(InvalidInputException.class, merger::result);
    assertTrue(e.getMessage(), e.getMessage().contains("'region=...'"));
    assertTrue(e.getMessage(), e.getMessage().contains("s3://b/t/region=eu/f.parquet"));
  }

  @Test
  public void partitionKeyNamedLikeAColumnOfAnotherFileIsInvalidInput() {
    ParquetDataset.SchemaMerger merger = new ParquetDataset.SchemaMerger();
    merger.add(
        "s3://b/t/day=1/f.parquet",
        Schema.builder().addStringField("id").build(),
        Map.of("day", "1"));
    merger.add(
        "s3://b/u/g.parquet",
        Schema.builder().addStringField("id").addStringField("day").build(),
        NO_PARTITIONS);

    InvalidInputException e = assertThrows(InvalidInputException.class, merger::result);
    assertTrue(e.getMessage(), e.getMessage().contains("day"));
    assertTrue(e.getMessage(), e.getMessage().contains("s3://b/u/g.parquet"));
  }

  @Test
  public void reservedColumnNameIsInvalidInput() {
    ParquetDataset.SchemaMerger merger = new ParquetDataset.SchemaMerger();
    Schema schema = Schema.builder().addStringField(SourceFields.FILE).build();
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> merger.add("f.parquet", schema, NO_PARTITIONS));
    assertTrue(e.getMessage(), e.getMessage().contains(SourceFields.FILE));
    assertTrue(e.getMessage(), e.getMessage().contains("f.parquet"));
  }

  @Test
  public void mergeTypesSameTypeWidensNullability() {
    assertEquals(
        FieldType.STRING,
        ParquetDataset.SchemaMerger.mergeTypes(FieldType.STRING, FieldType.STRING));
    assertEquals(
        FieldType.STRING.withNullable(true),
        ParquetDataset.SchemaMerger.mergeTypes(
            FieldType.STRING, FieldType.STRING.withNullable(true)));
    assertEquals(
        FieldType.DECIMAL.withNullable(true),
        ParquetDataset.SchemaMerger.mergeTypes(
            FieldType.DECIMAL.withNullable(true), FieldType.DECIMAL));
  }

  @Test
  public void timestampsOfDifferentUnitsMergeToTheFiner() {
    FieldType millis = IsoTimestamps.withDigits(FieldType.logicalType(new NanosInstant()), 3);
    FieldType micros = IsoTimestamps.withDigits(FieldType.logicalType(new NanosInstant()), 6);
    assertEquals(6, IsoTimestamps.digitsOf(ParquetDataset.SchemaMerger.mergeTypes(millis, micros)));
    assertEquals(6, IsoTimestamps.digitsOf(ParquetDataset.SchemaMerger.mergeTypes(micros, millis)));
    assertEquals(
        3,
        IsoTimestamps.digitsOf(
            ParquetDataset.SchemaMerger.mergeTypes(millis, millis.withNullable(true))));
  }

  @Test
  public void mergeTypesDoesNotWidenNumbers() {
    assertNull(ParquetDataset.SchemaMerger.mergeTypes(FieldType.INT32, FieldType.INT64));
    assertNull(ParquetDataset.SchemaMerger.mergeTypes(FieldType.FLOAT, FieldType.DOUBLE));
    assertNull(ParquetDataset.SchemaMerger.mergeTypes(FieldType.INT64, FieldType.STRING));
  }

  @Test
  public void mergeTypesOfArraysAndMaps() {
    assertEquals(
        FieldType.array(FieldType.INT32.withNullable(true)),
        ParquetDataset.SchemaMerger.mergeTypes(
            FieldType.array(FieldType.INT32), FieldType.array(FieldType.INT32.withNullable(true))));
    assertNull(
        ParquetDataset.SchemaMerger.mergeTypes(
            FieldType.array(FieldType.INT32), FieldType.array(FieldType.STRING)));
    assertEquals(
        FieldType.map(FieldType.STRING, FieldType.DOUBLE).withNullable(true),
        ParquetDataset.SchemaMerger.mergeTypes(
            FieldType.map(FieldType.STRING, FieldType.DOUBLE).withNullable(true),
            FieldType.map(FieldType.STRING, FieldType.DOUBLE)));
    assertNull(
        ParquetDataset.SchemaMerger.mergeTypes(
            FieldType.map(FieldType.STRING, FieldType.DOUBLE),
            FieldType.map(FieldType.STRING, FieldType.INT64)));
    assertNull(
        ParquetDataset.SchemaMerger.mergeTypes(
            FieldType.array(FieldType.INT32), FieldType.map(FieldType.STRING, FieldType.INT32)));
  }

  @Test
  public void mergeTypesOfLogicalTypes() {
    FieldType date = FieldType.logicalType(SqlTypes.DATE);
    FieldType time = FieldType.logicalType(SqlTypes.TIME);
    assertEquals(
        date.withNullable(true),
        ParquetDataset.SchemaMerger.mergeTypes(date, date.withNullable(true)));
    assertNull(ParquetDataset.SchemaMerger.mergeTypes(date, time));
    assertNull(ParquetDataset.SchemaMerger.mergeTypes(date, FieldType.INT64));
  }

  @Test
  public void mergeTypesOfRows() {
    FieldType a = FieldType.row(Schema.builder().addInt32Field("x").build());
    FieldType b =
        FieldType.row(Schema.builder().addInt32Field("x").addStringField("y").build())
            .withNullable(true);

    FieldType merged = ParquetDataset.SchemaMerger.mergeTypes(a, b);

    assertTrue(merged.getNullable());
    assertEquals(FieldType.INT32, merged.getRowSchema().getField("x").getType());
    assertEquals(
        FieldType.STRING.withNullable(true), merged.getRowSchema().getField("y").getType());
  }
}
