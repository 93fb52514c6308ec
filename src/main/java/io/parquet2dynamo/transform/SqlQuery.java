package io.parquet2dynamo.transform;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.source.SourceFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --sql}: a Beam SQL (Calcite dialect) query over the rows, as table {@code input}. The
 * query is planned when the pipeline is built, so a syntax error, an unknown column or a query of
 * an unsupported shape is an {@link InvalidInputException} before any work.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>Only row-wise queries: {@code SELECT <expressions> FROM input [WHERE <condition>]} (nested
 *       the same way, if you like). Each input row gives at most one output row, so rows the query
 *       does not return are exactly the filtered ones: they count as {@code rowsFiltered} ({@link
 *       CountFiltered}). Aggregates, DISTINCT, JOIN, UNION, ORDER BY, LIMIT and UNNEST are refused.
 *   <li>The source fields ({@link SourceFields}) always come through: when the outermost SELECT
 *       does not return them, they are added to its list, since the duplicate rule and the dead
 *       letters need them.
 *   <li>Timestamps enter the query as SQL TIMESTAMP, which Beam SQL holds in milliseconds (as it
 *       does TIME): finer digits are dropped, with a warning naming the columns.
 *   <li>A list whose elements may be null, or a map whose values may be null, cannot go through
 *       Beam SQL (its result types make them NOT NULL, and the first null fails the load): a query
 *       that uses such a column, {@code SELECT *} included, is refused before any work.
 * </ul>
 *
 * <p>Only Beam SQL's public API is used ({@link SqlTransform}), so that a Beam upgrade does not
 * break this class unseen. The rules are checked by applying the query, before the load's pipeline
 * gets it, to an empty table of the same schema on a pipeline of its own (a {@link #probe}): its
 * output schema says which columns the query returns, the steps it expands into say whether it is
 * row by row ({@link #stages}), and a probe without a column says whether the query uses it. A
 * query takes one to three probes (a second to add the source fields, a third when the input has a
 * column Beam SQL cannot carry); each plans the query and generates its code, 0.15 to 0.5 s
 * measured here on 2 busy cores once Calcite is loaded (the first, loading it, takes seconds with
 * or without probes).
 */
public class SqlQuery extends PTransform<PCollection<Row>, PCollection<Row>> {
  private static final Logger LOG = LoggerFactory.getLogger(SqlQuery.class);

  /** The table name the query reads. */
  public static final String TABLE = "input";

  private final String sql;

  public SqlQuery(String sql) {
    this.sql = sql;
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    Schema sqlSchema = sqlSchema(rows.getSchema());
    String query = checkedQuery(rows.getPipeline().getOptions(), sqlSchema);
    List<String> millis = new ArrayList<>();
    for (Field field : rows.getSchema().getFields()) {
      if (hasSubMillisecondType(field.getType())) {
        millis.add(field.getName());
      }
    }
    if (!millis.isEmpty()) {
      LOG.warn(
          "--sql: Beam SQL holds timestamps and times to the millisecond; finer digits of {} are"
              + " dropped",
          millis);
    }
    return rows.apply(
        CountFiltered.around(
            PTransform.compose(
                "Query",
                (PCollection<Row> in) ->
                    applyQuery(
                        in.apply("ToSqlTypes", ParDo.of(new ToSqlFn(sqlSchema)))
                            .setRowSchema(sqlSchema),
                        sqlTransform(query)))));
  }

  /**
   * The query to run over a table of this schema: the user's, with the source fields added when it
   * leaves them out.
   *
   * @throws InvalidInputException when it breaks a rule
   */
  private String checkedQuery(PipelineOptions options, Schema table) {
    checkIsQuery(sql);
    Probe probe = probe(options, table, sql);
    checkRowByRow(probe.stages());
    String query = sql;
    List<String> missing = new ArrayList<>();
    for (String name : List.of(SourceFields.FILE, SourceFields.ROW)) {
      if (!probe.output().hasField(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      query = withFieldsFirst(sql, missing);
      Probe again;
      try {
        again = probe(options, table, query);
      } catch (InvalidInputException e) {
        throw lacksSourceFields();
      }
      // They must have gone into the outermost SELECT list, in front of the query's own columns.
      List<String> expected = new ArrayList<>(missing);
      expected.addAll(probe.output().getFieldNames());
      if (!again.output().getFieldNames().equals(expected)) {
        throw lacksSourceFields();
      }
      checkRowByRow(again.stages());
      probe = again;
    }
    checkColumnsUsed(options, table, query, probe.output());
    return query;
  }

  /** What the query gives over a table of this schema: its output schema and its steps. */
  record Probe(Schema output, List<Stage> stages) {}

  /**
   * Applies the query to an empty table of this schema on a pipeline of its own, with the load's
   * options (Beam SQL reads its planner settings from them).
   */
  static Probe probe(PipelineOptions options, Schema table, String query) {
    Pipeline pipeline = Pipeline.create(options);
    SqlTransform transform = sqlTransform(query);
    PCollection<Row> out = applyQuery(pipeline.apply("Table", Create.empty(table)), transform);
    return new Probe(out.getSchema(), stages(pipeline, transform));
  }

  /**
   * The query as a transform that sees the table {@code input} and Beam SQL's built-in functions
   * only: no table providers or functions found on the class path.
   */
  private static SqlTransform sqlTransform(String query) {
    return SqlTransform.query(query).withAutoLoading(false);
  }

  /** Applies the query to the table; what Beam SQL refuses becomes a one-line error. */
  private static PCollection<Row> applyQuery(PCollection<Row> table, SqlTransform transform) {
    try {
      return PCollectionTuple.of(new TupleTag<Row>(TABLE), table).apply("Sql", transform);
    } catch (Exception | LinkageError | AssertionError e) {
      String problem = queryProblem(e);
      if (problem.contains("not found")) {
        List<String> columns = new ArrayList<>(table.getSchema().getFieldNames());
        columns.removeIf(SourceFields::isSourceField);
        problem += "; the columns of input are " + columns;
        Matcher missing = Pattern.compile("Table '([^']+)' not found").matcher(problem);
        if (missing.find() && columns.contains(missing.group(1))) {
          problem +=
              " (a field of a struct column is read through an alias: FROM input AS i ... i."
                  + missing.group(1)
                  + ".field)";
        }
      }
      throw new InvalidInputException("--sql: " + problem, e);
    }
  }

  /**
   * Calcite's own words, first line only: the parser's or validator's message with its position
   * ("From line 1, column 8 to line 1, column 12: Column 'x' not found in any table"), without the
   * wrapping exceptions' query echo.
   */
  static String queryProblem(Throwable e) {
    String message = null;
    boolean positioned = false;
    for (Throwable t : Errors.causes(e)) {
      String m = t.getMessage();
      if (m == null || m.startsWith("Unable to parse query") || m.startsWith("Unable to convert")) {
        continue;
      }
      m = m.replaceAll("^([\\w.$]+(Exception|Error): )+", "");
      boolean hasPosition = m.matches("(?s).*\\bline \\d+, column \\d+.*");
      if (message == null || hasPosition || !positioned) {
        message = m;
        positioned = hasPosition;
      }
    }
    if (message == null) {
      message = Errors.rootMessage(e);
    }
    int newline = message.indexOf('\n');
    message = newline < 0 ? message : message.substring(0, newline);
    if (message.startsWith("Non-query expression")) {
      message += " (the query must be a SELECT)";
    }
    return message;
  }

  /**
   * One step of the query as Beam SQL expands it: the operator of its plan ({@code Calc}, {@code
   * IOSource}, {@code Aggregation}, ...), and whether the step holds nothing but ParDos.
   */
  record Stage(String kind, boolean parDosOnly) {}

  /**
   * How Beam SQL names the steps it expands a query into. Which operators a query needs is not part
   * of Beam SQL's public API (the plan's classes are in its {@code impl} package); {@link
   * SqlTransform} applies one step per node of the plan, named by its {@code BeamSqlRelUtils} after
   * the node's class and id, {@code BeamCalcRel_12}, and this class reads the operator from that
   * name. SqlQueryTest pins the naming; a step named otherwise fails the build of the pipeline with
   * an {@link IllegalStateException}, so a query is never let through unchecked.
   */
  static final Pattern STAGE_NAME = Pattern.compile("Beam(\\w+)Rel_\\d+");

  /**
   * The operators that give at most one row per input row: {@code Calc} (projection and filter) and
   * {@code IOSource} (the table {@code input} itself).
   */
  private static final Set<String> ROW_BY_ROW = Set.of("Calc", "IOSource");

  /** The steps the applied {@code sql} expanded into in this pipeline, inputs first. */
  static List<Stage> stages(Pipeline pipeline, PTransform<?, ?> sql) {
    Map<TransformHierarchy.Node, Boolean> parDosOnly = new LinkedHashMap<>();
    TransformHierarchy.Node[] query = new TransformHierarchy.Node[1];
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() == sql) {
              query[0] = node;
            } else if (query[0] != null && node.getEnclosingNode() == query[0]) {
              parDosOnly.put(node, true);
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            boolean parDo = node.getTransform() instanceof ParDo.MultiOutput;
            if (query[0] != null && node.getEnclosingNode() == query[0]) {
              parDosOnly.put(node, parDo);
              return;
            }
            for (TransformHierarchy.Node n = node; n != null; n = n.getEnclosingNode()) {
              if (parDosOnly.containsKey(n)) {
                parDosOnly.put(n, parDosOnly.get(n) && parDo);
                return;
              }
            }
          }
        });
    if (query[0] == null || parDosOnly.isEmpty()) {
      throw new IllegalStateException(
          "Beam SQL expanded the query into no steps; SqlQuery's row-by-row check needs review");
    }
    List<Stage> stages = new ArrayList<>();
    for (Map.Entry<TransformHierarchy.Node, Boolean> e : parDosOnly.entrySet()) {
      String name = e.getKey().getFullName().substring(query[0].getFullName().length() + 1);
      Matcher m = STAGE_NAME.matcher(name);
      if (!m.matches()) {
        throw new IllegalStateException(
            "Beam SQL expanded the query into a step named '"
                + name
                + "', not Beam<operator>Rel_<id>; SqlQuery's row-by-row check needs review");
      }
      stages.add(new Stage(m.group(1), e.getValue()));
    }
    return stages;
  }

  /** Refuses a query that can give more than one row for an input row, or rows from elsewhere. */
  static void checkRowByRow(List<Stage> stages) {
    String needs = null;
    for (Stage stage : stages) {
      if (!ROW_BY_ROW.contains(stage.kind())) {
        needs = stage.kind(); // the last one, nearest the output, as the query reads
      } else if (!stage.parDosOnly()) {
        throw new IllegalStateException(
            "Beam SQL's Beam"
                + stage.kind()
                + "Rel step is no longer ParDos only; SqlQuery's row-by-row check needs review");
      }
    }
    if (needs != null) {
      throw new InvalidInputException(
          "--sql: only row-by-row queries are supported, SELECT <expressions> FROM input [WHERE"
              + " <condition>]; this one needs "
              + needs
              + " (aggregates, DISTINCT, JOIN, UNION, ORDER BY, LIMIT and UNNEST are not)");
    }
  }

  /**
   * Refuses a query that uses a column Beam SQL cannot carry faithfully. A query uses a column when
   * it does not plan without it, or returns something else: a column it reads only in a subquery
   * whose result it then leaves out is not used (Calcite drops it from the plan).
   */
  private static void checkColumnsUsed(
      PipelineOptions options, Schema table, String query, Schema output) {
    Map<String, String> problems = new LinkedHashMap<>();
    for (Field field : table.getFields()) {
      String problem = unsupported(field.getType());
      if (problem != null) {
        problems.put(field.getName(), problem);
      }
    }
    if (problems.isEmpty() || !uses(options, table, query, output, problems.keySet())) {
      return;
    }
    // Which one, to name it: the first whose own absence changes the query (there is one, since
    // a query that uses several uses each).
    String column = problems.keySet().iterator().next();
    if (problems.size() > 1) {
      for (String c : problems.keySet()) {
        if (uses(options, table, query, output, Set.of(c))) {
          column = c;
          break;
        }
      }
    }
    throw new InvalidInputException(
        "--sql: column '"
            + column
            + "' "
            + problems.get(column)
            + ", which Beam SQL cannot carry; leave it out of the query (SELECT * takes every"
            + " column)");
  }

  private static boolean uses(
      PipelineOptions options, Schema table, String query, Schema output, Set<String> columns) {
    Schema without =
        Schema.builder()
            .addFields(
                table.getFields().stream()
                    .filter(f -> !columns.contains(f.getName()))
                    .collect(Collectors.toList()))
            .build();
    try {
      return !probe(options, without, query).output().getFields().equals(output.getFields());
    } catch (InvalidInputException e) {
      return true;
    }
  }

  /** Why a type cannot go through a Beam SQL expression, or null if it can. */
  static String unsupported(FieldType type) {
    switch (type.getTypeName()) {
      case ARRAY:
      case ITERABLE:
        if (type.getCollectionElementType().getNullable()) {
          return "is a list whose elements may be null";
        }
        return unsupported(type.getCollectionElementType());
      case MAP:
        if (type.getMapValueType().getNullable()) {
          return "is a map whose values may be null";
        }
        return unsupported(type.getMapValueType());
      case ROW:
        for (Field f : type.getRowSchema().getFields()) {
          String nested = unsupported(f.getType());
          if (nested != null) {
            return "holds a field '" + f.getName() + "' that " + nested;
          }
        }
        return null;
      default:
        return null;
    }
  }

  /**
   * The words that can begin a query. Anything else (INSERT, CREATE, SET, ...) is refused before
   * Beam SQL sees it, since Beam SQL fails on some of them with an internal {@link AssertionError}.
   */
  private static final Set<String> QUERY_STARTS = Set.of("SELECT", "WITH", "VALUES", "TABLE");

  /** Refuses a statement that is not a query. */
  static void checkIsQuery(String sql) {
    for (Token token : tokens(sql)) {
      if (token.text().equals("(")) {
        continue;
      }
      if (token.isWord() && !QUERY_STARTS.contains(token.text().toUpperCase(Locale.ROOT))) {
        throw new InvalidInputException(
            "--sql: the query must be a SELECT (it starts with '" + token.text() + "')");
      }
      return;
    }
  }

  /**
   * The query with these fields added in front of its outermost SELECT list. Text is inserted
   * rather than a parse tree unparsed, so the query's own spelling is what runs; the caller plans
   * the result to check the fields went where they should.
   */
  static String withFieldsFirst(String sql, List<String> fields) {
    int at = selectListStart(sql);
    if (at < 0) {
      throw lacksSourceFields();
    }
    StringBuilder added = new StringBuilder();
    for (String name : fields) {
      added.append('`').append(name.replace("`", "``")).append("`, ");
    }
    return sql.substring(0, at) + added + sql.substring(at);
  }

  /**
   * Where the list of the outermost SELECT begins in the query text (after {@code ALL} or {@code
   * DISTINCT}), or -1 if there is none. The outermost SELECT is the first one at the lowest depth
   * of parentheses, so {@code WITH w AS (SELECT ...) SELECT ...} and {@code (SELECT ...)} give the
   * one that makes the result.
   */
  static int selectListStart(String sql) {
    List<Token> tokens = tokens(sql);
    int found = -1;
    int foundDepth = Integer.MAX_VALUE;
    for (int t = 0; t < tokens.size(); t++) {
      Token select = tokens.get(t);
      if (select.is("SELECT") && select.depth() < foundDepth) {
        int first = t + 1;
        if (first < tokens.size()
            && (tokens.get(first).is("ALL") || tokens.get(first).is("DISTINCT"))) {
          first++;
        }
        if (first < tokens.size()) {
          found = tokens.get(first).start();
          foundDepth = select.depth();
        }
      }
    }
    return found;
  }

  /**
   * A token of the query text: a word, a string or quoted identifier, or one other character, with
   * the depth of parentheses it is at (a parenthesis is at the depth outside it).
   */
  record Token(int start, String text, int depth) {
    boolean isWord() {
      return isWordChar(text.charAt(0));
    }

    boolean is(String keyword) {
      return isWord() && text.equalsIgnoreCase(keyword);
    }
  }

  /** The query text's tokens, without whitespace and comments. */
  static List<Token> tokens(String sql) {
    List<Token> tokens = new ArrayList<>();
    int n = sql.length();
    int depth = 0;
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      } else if (sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
        continue;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        continue;
      } else if (c == '\'' || c == '"' || c == '`') {
        i = endOfQuoted(sql, i);
      } else if (isWordChar(c)) {
        while (i < n && isWordChar(sql.charAt(i))) {
          i++;
        }
      } else {
        i++;
      }
      if (c == ')') {
        depth--;
      }
      tokens.add(new Token(start, sql.substring(start, i), depth));
      if (c == '(') {
        depth++;
      }
    }
    return tokens;
  }

  /** The end of the string or quoted identifier at {@code start}; a doubled quote is one. */
  private static int endOfQuoted(String sql, int start) {
    char quote = sql.charAt(start);
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static InvalidInputException lacksSourceFields() {
    return new InvalidInputException(
        "--sql: the result must keep the columns "
            + SourceFields.FILE
            + " and "
            + SourceFields.ROW
            + ", which the duplicate rule and the dead letters need; add them to the outermost"
            + " SELECT list, or use SELECT *");
  }

  /** The schema the query sees: timestamps (nanosecond instants) become SQL TIMESTAMPs. */
  static Schema sqlSchema(Schema schema) {
    Schema.Builder builder = Schema.builder();
    for (Field field : schema.getFields()) {
      builder.addField(field.getName(), sqlType(field.getType()));
    }
    return builder.build();
  }

  private static FieldType sqlType(FieldType type) {
    FieldType converted;
    switch (type.getTypeName()) {
      case LOGICAL_TYPE:
        converted =
            NanosInstant.IDENTIFIER.equals(type.getLogicalType().getIdentifier())
                ? FieldType.DATETIME
                : type;
        break;
      case ARRAY:
        converted = FieldType.array(sqlType(type.getCollectionElementType()));
        break;
      case ITERABLE:
        converted = FieldType.iterable(sqlType(type.getCollectionElementType()));
        break;
      case MAP:
        converted = FieldType.map(sqlType(type.getMapKeyType()), sqlType(type.getMapValueType()));
        break;
      case ROW:
        converted = FieldType.row(sqlSchema(type.getRowSchema()));
        break;
      default:
        converted = type;
    }
    return converted.withNullable(type.getNullable());
  }

  private static boolean hasSubMillisecondType(FieldType type) {
    switch (type.getTypeName()) {
      case LOGICAL_TYPE:
        String id = type.getLogicalType().getIdentifier();
        return NanosInstant.IDENTIFIER.equals(id)
            || org.apache.beam.sdk.schemas.logicaltypes.SqlTypes.TIME.getIdentifier().equals(id);
      case ARRAY:
      case ITERABLE:
        return hasSubMillisecondType(type.getCollectionElementType());
      case MAP:
        return hasSubMillisecondType(type.getMapValueType());
      case ROW:
        return type.getRowSchema().getFields().stream()
            .anyMatch(f -> hasSubMillisecondType(f.getType()));
      default:
        return false;
    }
  }

  @SuppressWarnings("unchecked")
  private static Object sqlValue(FieldType type, Object value) {
    if (value == null) {
      return null;
    }
    switch (type.getTypeName()) {
      case LOGICAL_TYPE:
        if (NanosInstant.IDENTIFIER.equals(type.getLogicalType().getIdentifier())) {
          Instant instant = (Instant) value;
          // Rounded down, as the epoch formats are.
          return new org.joda.time.Instant(
              Math.floorDiv(
                  instant.getEpochSecond() * 1_000_000_000L + instant.getNano(), 1_000_000L));
        }
        return value;
      case ARRAY:
      case ITERABLE:
        {
          List<Object> out = new ArrayList<>();
          for (Object element : (Iterable<Object>) value) {
            out.add(sqlValue(type.getCollectionElementType(), element));
          }
          return out;
        }
      case MAP:
        {
          Map<Object, Object> out = new LinkedHashMap<>();
          for (Map.Entry<Object, Object> e : ((Map<Object, Object>) value).entrySet()) {
            out.put(
                sqlValue(type.getMapKeyType(), e.getKey()),
                sqlValue(type.getMapValueType(), e.getValue()));
          }
          return out;
        }
      case ROW:
        return sqlRow(type.getRowSchema(), sqlSchema(type.getRowSchema()), (Row) value);
      default:
        return value;
    }
  }

  static Row sqlRow(Schema schema, Schema sqlSchema, Row row) {
    List<Object> values = new ArrayList<>(schema.getFieldCount());
    for (int i = 0; i < schema.getFieldCount(); i++) {
      values.add(sqlValue(schema.getField(i).getType(), row.getValue(i)));
    }
    return Row.withSchema(sqlSchema).attachValues(values);
  }

  /** Converts each row to the types the query sees ({@link #sqlSchema}). */
  static final class ToSqlFn extends DoFn<Row, Row> {
    private final Schema sqlSchema;

    ToSqlFn(Schema sqlSchema) {
      this.sqlSchema = sqlSchema;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      out.output(sqlRow(row.getSchema(), sqlSchema, row));
    }
  }
}
