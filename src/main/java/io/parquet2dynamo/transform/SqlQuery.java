package io.parquet2dynamo.transform;

import io.parquet2dynamo.Errors;
import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.source.SourceFields;
import io.parquet2dynamo.summary.LoadMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.extensions.sql.impl.BeamSqlEnv;
import org.apache.beam.sdk.extensions.sql.impl.parser.impl.BeamSqlParserImpl;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamCalcRel;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamIOSourceRel;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamRelNode;
import org.apache.beam.sdk.extensions.sql.impl.rel.BeamSqlRelUtils;
import org.apache.beam.sdk.extensions.sql.impl.schema.BeamPCollectionTable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.vendor.calcite.v1_28_0.org.apache.calcite.avatica.util.Casing;
import org.apache.beam.vendor.calcite.v1_28_0.org.apache.calcite.avatica.util.Quoting;
import org.apache.beam.vendor.calcite.v1_28_0.org.apache.calcite.plan.RelOptUtil;
import org.apache.beam.vendor.calcite.v1_28_0.org.apache.calcite.rel.RelNode;
import org.apache.beam.vendor.calcite.v1_28_0.org.apache.calcite.rex.RexNode;
import org.apache.beam.vendor.calcite.v1_28_0.org.apache.calcite.rex.RexProgram;
import org.apache.beam.vendor.calcite.v1_28_0.org.apache.calcite.sql.SqlNode;
import org.apache.beam.vendor.calcite.v1_28_0.org.apache.calcite.sql.SqlSelect;
import org.apache.beam.vendor.calcite.v1_28_0.org.apache.calcite.sql.parser.SqlParser;
import org.apache.beam.vendor.calcite.v1_28_0.org.apache.calcite.sql.parser.SqlParserPos;
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
 *       does not return are exactly the filtered ones: they count as {@code rowsFiltered}.
 *       Aggregates, DISTINCT, JOIN, UNION, ORDER BY, LIMIT and UNNEST are refused.
 *   <li>The source fields ({@link SourceFields}) always come through: when the outermost SELECT
 *       does not return them, they are added to its list, since the duplicate rule and the dead
 *       letters need them.
 *   <li>Timestamps enter the query as SQL TIMESTAMP, which Beam SQL holds in milliseconds (as it
 *       does TIME): finer digits are dropped, with a warning naming the columns.
 *   <li>A list whose elements may be null, or a map whose values may be null, cannot go through
 *       Beam SQL (its result types make them NOT NULL, and the first null fails the load): a query
 *       that uses such a column, {@code SELECT *} included, is refused before any work.
 * </ul>
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
    Schema input = rows.getSchema();
    Schema sqlSchema = sqlSchema(input);
    List<String> millis = new ArrayList<>();
    for (Field field : input.getFields()) {
      if (hasSubMillisecondType(field.getType())) {
        millis.add(field.getName());
      }
    }
    PCollection<Row> table =
        rows.apply("ToSqlTypes", ParDo.of(new ToSqlFn(sqlSchema))).setRowSchema(sqlSchema);

    BeamRelNode plan = plan(table, sql);
    checkRowWise(plan);
    Schema planned = schemaOf(plan);
    if (!planned.hasField(SourceFields.FILE) || !planned.hasField(SourceFields.ROW)) {
      String withSource = withSourceFields(sql, planned);
      try {
        plan = plan(table, withSource);
      } catch (InvalidInputException e) {
        throw lacksSourceFields();
      }
      checkRowWise(plan);
      planned = schemaOf(plan);
      if (!planned.hasField(SourceFields.FILE) || !planned.hasField(SourceFields.ROW)) {
        throw lacksSourceFields();
      }
    }
    checkColumnsUsed(plan, input);
    if (!millis.isEmpty()) {
      LOG.warn(
          "--sql: Beam SQL holds timestamps and times to the millisecond; finer digits of {} are"
              + " dropped",
          millis);
    }
    return BeamSqlRelUtils.toPCollection(rows.getPipeline(), plan)
        .apply("CountSqlOutput", ParDo.of(new CountOutFn()))
        .setRowSchema(planned);
  }

  private static BeamRelNode plan(PCollection<Row> table, String query) {
    Map<String, org.apache.beam.sdk.extensions.sql.meta.BeamSqlTable> tables =
        new LinkedHashMap<>();
    tables.put(TABLE, new BeamPCollectionTable<>(table));
    BeamSqlEnv env = BeamSqlEnv.readOnly("PCOLLECTION", tables);
    try {
      return env.parseQuery(query);
    } catch (Exception | LinkageError e) {
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
    for (Throwable t = e; t != null; t = t.getCause()) {
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

  private static Schema schemaOf(BeamRelNode plan) {
    return org.apache.beam.sdk.extensions.sql.impl.utils.CalciteUtils.toSchema(plan.getRowType());
  }

  /** Calcs over {@code input}, nothing else: each input row gives at most one output row. */
  private static void checkRowWise(RelNode node) {
    if (node instanceof BeamIOSourceRel) {
      return;
    }
    if (node instanceof BeamCalcRel) {
      checkRowWise(((BeamCalcRel) node).getInput());
      return;
    }
    String kind = node.getClass().getSimpleName().replaceAll("^Beam|Rel$", "");
    throw new InvalidInputException(
        "--sql: only row-by-row queries are supported, SELECT <expressions> FROM input [WHERE"
            + " <condition>]; this one needs "
            + kind
            + " (aggregates, DISTINCT, JOIN, UNION, ORDER BY, LIMIT and UNNEST are not)");
  }

  /** Refuses a query that uses a column Beam SQL cannot carry faithfully. */
  private static void checkColumnsUsed(RelNode node, Schema input) {
    RelNode calc = null;
    while (node instanceof BeamCalcRel) {
      calc = node;
      node = ((BeamCalcRel) node).getInput();
    }
    if (calc == null) {
      return; // the input unchanged
    }
    RexProgram program = ((BeamCalcRel) calc).getProgram();
    List<RexNode> used = new ArrayList<>();
    program.getProjectList().forEach(p -> used.add(program.expandLocalRef(p)));
    if (program.getCondition() != null) {
      used.add(program.expandLocalRef(program.getCondition()));
    }
    BitSet columns = RelOptUtil.InputFinder.bits(used, null).toBitSet();
    for (int i = columns.nextSetBit(0); i >= 0; i = columns.nextSetBit(i + 1)) {
      Field field = input.getField(i);
      String problem = unsupported(field.getType());
      if (problem != null) {
        throw new InvalidInputException(
            "--sql: column '"
                + field.getName()
                + "' "
                + problem
                + ", which Beam SQL cannot carry; leave it out of the query (SELECT * takes"
                + " every column)");
      }
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
   * The outermost SELECT with the missing source fields added in front of its list. Text is
   * inserted rather than the parse tree unparsed, so the query's own spelling is what runs.
   */
  private static String withSourceFields(String sql, Schema planned) {
    SqlNode node;
    try {
      node =
          SqlParser.create(
                  sql,
                  SqlParser.config()
                      .withParserFactory(BeamSqlParserImpl.FACTORY)
                      .withQuoting(Quoting.BACK_TICK)
                      .withUnquotedCasing(Casing.UNCHANGED)
                      .withQuotedCasing(Casing.UNCHANGED))
              .parseQuery();
    } catch (Exception e) {
      throw lacksSourceFields();
    }
    if (!(node instanceof SqlSelect) || ((SqlSelect) node).getSelectList().size() == 0) {
      throw lacksSourceFields();
    }
    SqlParserPos first = ((SqlSelect) node).getSelectList().get(0).getParserPosition();
    int offset = offset(sql, first.getLineNum(), first.getColumnNum());
    StringBuilder added = new StringBuilder();
    for (String name : List.of(SourceFields.FILE, SourceFields.ROW)) {
      if (!planned.hasField(name)) {
        added.append('`').append(name).append("`, ");
      }
    }
    return sql.substring(0, offset) + added + sql.substring(offset);
  }

  private static int offset(String text, int line, int column) {
    int offset = 0;
    for (int l = 1; l < line; l++) {
      offset = text.indexOf('\n', offset) + 1;
    }
    return offset + column - 1;
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

  /**
   * Counts every row into the query as filtered; {@link CountOutFn} takes back those it returns.
   */
  static final class ToSqlFn extends DoFn<Row, Row> {
    private final Schema sqlSchema;
    private final Counter filtered = LoadMetrics.counter(LoadMetrics.ROWS_FILTERED);

    ToSqlFn(Schema sqlSchema) {
      this.sqlSchema = sqlSchema;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      filtered.inc();
      out.output(sqlRow(row.getSchema(), sqlSchema, row));
    }
  }

  static final class CountOutFn extends DoFn<Row, Row> {
    private final Counter filtered = LoadMetrics.counter(LoadMetrics.ROWS_FILTERED);

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      filtered.dec();
      out.output(row);
    }
  }
}
