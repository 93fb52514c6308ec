package io.parquet2dynamo.transform;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.source.SourceFields;
import io.parquet2dynamo.summary.LoadMetrics;
import io.parquet2dynamo.transform.SqlQuery.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.Test;

/** The query rules that are checked while the pipeline is built, and the query text helpers. */
public class SqlQueryTest {
  private static final Schema SHIPPING =
      Schema.builder()
          .addNullableField("city", FieldType.STRING)
          .addNullableField("country", FieldType.STRING)
          .build();

  private static final Schema SCHEMA =
      Schema.builder()
          .addStringField("id")
          .addNullableField("tags", FieldType.array(FieldType.STRING.withNullable(true)))
          .addNullableField("shipping", FieldType.row(SHIPPING))
          .addNullableField(SourceFields.FILE, FieldType.STRING)
          .addNullableField(SourceFields.ROW, FieldType.INT64)
          .build();

  private static Schema schemaOf(String sql) {
    return schemaOf(SCHEMA, sql);
  }

  private static Schema schemaOf(Schema schema, String sql) {
    Pipeline pipeline = Pipeline.create();
    return pipeline.apply(Create.empty(schema)).apply(new SqlQuery(sql)).getSchema();
  }

  private static String refusal(String sql) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> schemaOf(sql));
    assertFalse("one line: " + e.getMessage(), e.getMessage().contains("\n"));
    assertTrue(e.getMessage(), e.getMessage().startsWith("--sql: "));
    return e.getMessage();
  }

  private static void assertContains(String text, String part) {
    assertTrue(text, text.contains(part));
  }

  @Test
  public void theSourceFieldsAreAddedWhenTheQueryLeavesThemOut() {
    Schema out = schemaOf("SELECT UPPER(id) AS code\nFROM input WHERE id <> 'x'");
    assertEquals(List.of(SourceFields.FILE, SourceFields.ROW, "code"), out.getFieldNames());
  }

  @Test
  public void theSourceFieldsGoIntoTheOutermostSelectList() {
    List<String> expected = List.of(SourceFields.FILE, SourceFields.ROW, "code");
    assertEquals(
        expected,
        schemaOf(
                "WITH w AS (SELECT * FROM input WHERE id <> 'a')\n"
                    + "SELECT ALL UPPER(id) AS code FROM w WHERE id <> 'b'")
            .getFieldNames());
    assertEquals(
        expected,
        schemaOf("(SELECT LOWER(code) AS code FROM (SELECT *, UPPER(id) AS code FROM input))")
            .getFieldNames());
    // Only the missing one is added.
    assertEquals(
        List.of(SourceFields.FILE, "id", SourceFields.ROW),
        schemaOf("SELECT id, __source_row FROM input").getFieldNames());
  }

  @Test
  public void aQueryWhoseInnerSelectDropsTheSourceFieldsIsRefused() {
    assertContains(
        refusal("SELECT code FROM (SELECT UPPER(id) AS code FROM input)"),
        "the result must keep the columns __source_file and __source_row");
  }

  @Test
  public void nestedRowByRowQueriesAreAccepted() {
    assertEquals(
        List.of(SourceFields.FILE, SourceFields.ROW, "id", "city"),
        schemaOf(
                "SELECT id, city FROM (SELECT i.*, i.shipping.city AS city FROM input AS i"
                    + " WHERE id <> 'a') WHERE id <> 'b'")
            .getFieldNames());
  }

  @Test
  public void queriesThatAreNotRowByRowAreRefusedNamingWhatTheyNeed() {
    Map<String, String> needs =
        Map.of(
            "SELECT id, COUNT(*) AS n FROM input GROUP BY id",
            "Aggregation",
            "SELECT DISTINCT id FROM input",
            "Aggregation",
            "SELECT id FROM input ORDER BY id LIMIT 3",
            "Sort",
            "SELECT id FROM input UNION ALL SELECT id FROM input",
            "Union",
            "SELECT a.id FROM input a JOIN input b ON a.id = b.id",
            "CoGBKJoin",
            "SELECT i.id, t.tag FROM input AS i CROSS JOIN UNNEST(i.tags) AS t(tag)",
            "Unnest",
            "SELECT 1 AS x",
            "Values",
            "SELECT id, ROW_NUMBER() OVER (PARTITION BY id ORDER BY id) AS r FROM input",
            "Window");
    for (Map.Entry<String, String> e : needs.entrySet()) {
      String message = refusal(e.getKey());
      assertContains(message, "--sql: only row-by-row queries are supported");
      assertContains(message, "this one needs " + e.getValue() + " (");
    }
  }

  @Test
  public void aSyntaxErrorSaysWhere() {
    assertContains(refusal("SELECT id, FROM input"), "line 1, column 10");
  }

  @Test
  public void anUnknownColumnListsTheColumns() {
    String message = refusal("SELECT id, price FROM input");
    assertContains(message, "Column 'price' not found");
    assertContains(message, "the columns of input are [id, tags, shipping]");
  }

  @Test
  public void aStructFieldReadWithoutAnAliasGetsTheHint() {
    assertContains(
        refusal("SELECT shipping.city FROM input"),
        "a field of a struct column is read through an alias: FROM input AS i ... i.shipping.field");
  }

  @Test
  public void aStatementThatIsNotAQueryIsRefused() {
    for (String statement :
        List.of(
            "DROP TABLE input",
            "SET a = 1",
            "INSERT INTO input SELECT * FROM input",
            "-- a comment\n  delete FROM input")) {
      assertContains(refusal(statement), "the query must be a SELECT (it starts with '");
    }
  }

  @Test
  public void aListWithNullableElementsIsRefusedWhenTheQueryUsesIt() {
    assertContains(
        refusal("SELECT * FROM input WHERE id <> 'x'"), "column 'tags' is a list whose elements");
    assertContains(
        refusal("SELECT id FROM input WHERE CARDINALITY(tags) > 0"),
        "column 'tags' is a list whose elements");
    // Left out, it is fine, also where an inner SELECT * reads it.
    assertEquals(
        List.of(SourceFields.FILE, SourceFields.ROW, "id"),
        schemaOf("SELECT id FROM input WHERE id <> 'x'").getFieldNames());
    assertEquals(
        List.of(SourceFields.FILE, SourceFields.ROW, "id"),
        schemaOf("SELECT id FROM (SELECT * FROM input)").getFieldNames());
  }

  @Test
  public void theColumnBeamSqlCannotCarryIsNamedAmongSeveral() {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addNullableField("tags", FieldType.array(FieldType.STRING.withNullable(true)))
            .addNullableField(
                "attrs", FieldType.map(FieldType.STRING, FieldType.STRING.withNullable(true)))
            .addNullableField(SourceFields.FILE, FieldType.STRING)
            .addNullableField(SourceFields.ROW, FieldType.INT64)
            .build();
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> schemaOf(schema, "SELECT id, attrs['a'] AS a FROM input"));
    assertContains(e.getMessage(), "column 'attrs' is a map whose values may be null");
  }

  @Test
  public void timestampsEnterTheQueryAsMilliseconds() {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addLogicalTypeField("at", new NanosInstant())
            .addNullableField(SourceFields.FILE, FieldType.STRING)
            .addNullableField(SourceFields.ROW, FieldType.INT64)
            .build();
    assertEquals(FieldType.DATETIME, SqlQuery.sqlSchema(schema).getField("at").getType());
    Row row =
        Row.withSchema(schema)
            .addValues("a", Instant.parse("2024-01-31T10:00:00.123456789Z"), "f", 0L)
            .build();
    Row sql = SqlQuery.sqlRow(schema, SqlQuery.sqlSchema(schema), row);
    assertEquals(org.joda.time.Instant.parse("2024-01-31T10:00:00.123Z"), sql.getValue("at"));
  }

  /** The query runs, and the rows its WHERE drops count as filtered. */
  @Test
  public void theRowsTheQueryDropsCountAsFiltered() {
    Schema schema =
        Schema.builder()
            .addStringField("id")
            .addNullableField(SourceFields.FILE, FieldType.STRING)
            .addNullableField(SourceFields.ROW, FieldType.INT64)
            .build();
    Pipeline pipeline = Pipeline.create();
    PCollection<Row> out =
        pipeline
            .apply(
                Create.of(
                        Row.withSchema(schema).addValues("a", "f", 0L).build(),
                        Row.withSchema(schema).addValues("b", "f", 1L).build(),
                        Row.withSchema(schema).addValues("c", "f", 2L).build())
                    .withRowSchema(schema))
            .apply(new SqlQuery("SELECT UPPER(id) AS id FROM input WHERE id <> 'b'"));
    Schema result = out.getSchema();
    PAssert.that(out)
        .containsInAnyOrder(
            Row.withSchema(result).addValues("f", 0L, "A").build(),
            Row.withSchema(result).addValues("f", 2L, "C").build());
    PipelineResult run = pipeline.run();
    run.waitUntilFinish();
    assertEquals(1L, LoadMetrics.attempted(run.metrics(), LoadMetrics.ROWS_FILTERED));
  }

  // The query text.

  private static String listOf(String sql) {
    int at = SqlQuery.selectListStart(sql);
    return at < 0 ? null : sql.substring(at);
  }

  @Test
  public void theOutermostSelectListIsFoundInTheText() {
    assertEquals("a, b FROM input", listOf("SELECT a, b FROM input"));
    assertEquals("a FROM input", listOf("select all a FROM input"));
    assertEquals("a FROM input", listOf("SELECT DISTINCT a FROM input"));
    assertEquals("(a + 1) AS b FROM input", listOf("SELECT (a + 1) AS b FROM input"));
    assertEquals("a FROM (SELECT * FROM input)", listOf("SELECT a FROM (SELECT * FROM input)"));
    assertEquals(
        "a FROM w", listOf("WITH w AS (SELECT * FROM input), v AS (SELECT 1) SELECT a FROM w"));
    assertEquals("a FROM (SELECT b FROM input))", listOf("(SELECT a FROM (SELECT b FROM input))"));
    assertEquals("a FROM input", listOf("SELECT\n  /*+ a hint */ a FROM input"));
    assertEquals("1 AS x", listOf("SELECT 1 AS x"));
  }

  @Test
  public void theSelectListSearchSkipsStringsQuotedNamesAndComments() {
    assertEquals(
        "'(SELECT' AS `select`, \"SELECT\" FROM input",
        listOf(
            "-- SELECT x\n/* SELECT ( y */ SELECT '(SELECT' AS `select`, \"SELECT\" FROM input"));
    assertEquals(
        "'it''s (' AS a, `a``(` FROM input", listOf("SELECT 'it''s (' AS a, `a``(` FROM input"));
    assertEquals(null, listOf("VALUES ('SELECT a')"));
    assertEquals(null, listOf("SELECT"));
    assertEquals(null, listOf("-- SELECT a FROM input"));
  }

  @Test
  public void fieldsAreInsertedQuotedInFrontOfTheList() {
    assertEquals(
        "SELECT ALL `__source_file`, `__source_row`, a FROM input",
        SqlQuery.withFieldsFirst(
            "SELECT ALL a FROM input", List.of(SourceFields.FILE, SourceFields.ROW)));
    assertThrows(
        InvalidInputException.class, () -> SqlQuery.withFieldsFirst("TABLE input", List.of("x")));
  }

  @Test
  public void theQueryTextIsTokenizedWithItsDepth() {
    assertEquals(
        List.of("SELECT:0", "f:0", "(:0", "'a)':1", "):0", "FROM:0", "`t`:0"),
        SqlQuery.tokens("SELECT f('a)') -- x\nFROM /* y */ `t`").stream()
            .map(t -> t.text() + ":" + t.depth())
            .collect(Collectors.toList()));
  }

  // What SqlQuery relies on in Beam SQL, pinned: it fails when a Beam upgrade changes it.

  private static List<Stage> stagesOf(String sql) {
    Pipeline pipeline = Pipeline.create();
    SqlTransform transform = SqlTransform.query(sql).withAutoLoading(false);
    PCollectionTuple.of(new TupleTag<Row>(SqlQuery.TABLE), pipeline.apply(Create.empty(SCHEMA)))
        .apply(transform);
    return SqlQuery.stages(pipeline, transform);
  }

  /**
   * SqlTransform applies one step per node of the query's plan, named {@code
   * Beam<operator>Rel_<id>} (SqlQuery.STAGE_NAME), inputs first; the row-by-row operators' steps
   * hold ParDos only. {@link SqlQuery#stages} throws if a step is named otherwise.
   */
  @Test
  public void beamSqlExpandsAQueryIntoOneStepPerPlanNodeNamedAfterIt() {
    assertEquals(
        List.of(new Stage("IOSource", true), new Stage("Calc", true)),
        stagesOf("SELECT UPPER(id) AS code FROM (SELECT * FROM input WHERE id <> 'a')"));
    assertEquals(
        List.of(
            new Stage("IOSource", true), new Stage("Calc", true), new Stage("Aggregation", false)),
        stagesOf("SELECT id, COUNT(*) AS n FROM input GROUP BY id"));
    assertEquals(
        List.of(
            new Stage("IOSource", true),
            new Stage("Calc", true),
            new Stage("Unnest", true),
            new Stage("Calc", true)),
        stagesOf("SELECT i.id, t.tag FROM input AS i CROSS JOIN UNNEST(i.tags) AS t(tag)"));
  }

  /** A Beam that names the steps otherwise, or puts more in a row-by-row step, is not trusted. */
  @Test
  public void aStepOfAnotherNameOrShapeFailsTheCheck() {
    Pipeline pipeline = Pipeline.create();
    Create.Values<Row> notSql = Create.empty(SCHEMA);
    pipeline.apply(notSql); // expands into Impulse and FlatMapElements
    assertThrows(IllegalStateException.class, () -> SqlQuery.stages(pipeline, notSql));
    assertThrows(
        IllegalStateException.class,
        () ->
            SqlQuery.checkRowByRow(List.of(new Stage("IOSource", true), new Stage("Calc", false))));
  }
}
