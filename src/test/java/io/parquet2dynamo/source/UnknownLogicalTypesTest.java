package io.parquet2dynamo.source;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.junit.Test;

/**
 * Tests {@link UnknownLogicalTypes} on apache/parquet-testing's unknown-logical-type.parquet: a
 * BINARY column annotated with a logical type of a Thrift id no reader knows, beside a STRING one.
 */
public class UnknownLogicalTypesTest {
  private static final Path FILE = resource("unknown-logical-type.parquet");
  private static final String UNKNOWN = "column with unknown type";
  private static final String KNOWN = "column with known type";

  private static Path resource(String name) {
    try {
      return Paths.get(
          UnknownLogicalTypesTest.class.getResource("/parquet-testing/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InputFile input(Path file) {
    return new BeamInputFile(
        FileSystems.matchNewResource(file.toString(), false), file.toFile().length());
  }

  private static ParquetMetadata footer(InputFile file) throws Exception {
    try (ParquetFileReader reader = ParquetFileReader.open(file)) {
      return reader.getFooter();
    }
  }

  @Test
  public void parquetMrAloneCannotReadTheFooter() {
    // What this class works around (apache/parquet-java#3671): if this ever passes, parquet-mr
    // has learnt to read unknown logical types and UnknownLogicalTypes can go.
    Exception e = assertThrows(Exception.class, () -> footer(input(FILE)));
    assertTrue(e.toString(), e instanceof NullPointerException);
  }

  @Test
  public void theUnknownAnnotationAndItsStatisticsAreRemovedAndNothingElse() throws Exception {
    UnknownLogicalTypes.Stripped stripped = UnknownLogicalTypes.strip(input(FILE));

    assertEquals(List.of(UNKNOWN), stripped.columns);
    ParquetMetadata footer = footer(stripped.file);
    MessageType schema = footer.getFileMetaData().getSchema();
    assertNull(schema.getType(UNKNOWN).getLogicalTypeAnnotation());
    assertEquals(
        LogicalTypeAnnotation.stringType(), schema.getType(KNOWN).getLogicalTypeAnnotation());
    assertEquals(3, footer.getBlocks().get(0).getRowCount());
    for (ColumnChunkMetaData chunk : footer.getBlocks().get(0).getColumns()) {
      boolean unknown = chunk.getPath().toDotString().equals(UNKNOWN);
      // The known column keeps its min/max ("known string 1" .. "known string 3").
      assertEquals(chunk.getPath().toString(), !unknown, chunk.getStatistics().hasNonNullValue());
    }
    // Only the footer moved: the data pages end where they did.
    assertTrue(stripped.file.getLength() <= FILE.toFile().length());
  }

  @Test
  public void aFileWithoutUnknownTypesIsLeftAlone() throws Exception {
    assertNull(UnknownLogicalTypes.strip(input(resource("binary.parquet"))));
  }

  @Test
  public void theDatasetReadsTheColumnAsItsPhysicalTypeBinary() {
    ParquetDataset dataset = ParquetDataset.scan(FILE.toString());

    assertEquals(FieldType.STRING.withNullable(true), dataset.schema().getField(KNOWN).getType());
    assertEquals(FieldType.BYTES.withNullable(true), dataset.schema().getField(UNKNOWN).getType());
    assertTrue(dataset.splits().get(0).unknownLogicalTypes);
    List<String> read = new ArrayList<>();
    ReadEachRow.of(
        FILE.toString(),
        (Row row) ->
            read.add(
                row.getString(KNOWN)
                    + " / "
                    + new String(row.getBytes(UNKNOWN), java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(
        List.of(
            "known string 1 / unknown string 1",
            "known string 2 / unknown string 2",
            "known string 3 / unknown string 3"),
        read);
  }

  @Test
  public void theWarningNamesTheFileAndColumns() {
    assertEquals(
        "f.parquet: column 'g' has a logical type this reader does not know; it is read as its"
            + " physical type",
        ParquetDataset.unknownTypesWarning("f.parquet", List.of("g")));
    assertEquals(
        "f.parquet: columns 'g', 's.t' have logical types this reader does not know; they are"
            + " read as their physical types",
        ParquetDataset.unknownTypesWarning("f.parquet", List.of("g", "s.t")));
  }
}
