package io.parquet2dynamo.transform;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.ItemMapper;
import io.parquet2dynamo.source.SourceFields;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.MapContext;

/**
 * A {@link MappingSpec} checked against the input's schema and compiled: the output schema is
 * decided once, and {@link #apply} turns one row into its output row, or null when the filter drops
 * it. Steps, in order: filter and derive (both see the input columns and {@code loadTime}), cast,
 * select, rename. The source fields ({@code __source_file}, {@code __source_row}) always pass.
 */
public final class Mapping implements Serializable {
  private static final long serialVersionUID = 1L;

  private final MappingSpec spec;
  private final Schema input;
  private final Schema output;
  private final String loadTime;

  /**
   * For each output field: the input column it comes from, {@link #DERIVED} or {@link #TTL}. By
   * name, not position: the mapping is compiled once against the whole input, and then reads rows
   * of the columns it needs only (the reader's projection), whose positions differ.
   */
  private final String[] sources;

  /** For each output field: the cast applied, or null. */
  private final Cast[] casts;

  private final List<String> derivedNames;

  /** Marks an output field computed by a derive expression. */
  private static final String DERIVED = null;

  /** Marks the ttl attribute; a name no column can have, as source fields are reserved. */
  private static final String TTL = "\0ttl";

  /** The input column the ttl counts from, or null for the load time. */
  private final String ttlFrom;

  /** {@link #sources} as positions in {@link #boundTo}; worked out on the first row. */
  private transient int[] positions;

  private transient int ttlPosition;
  private transient Schema boundTo;

  /** The input columns the mapping reads, or null for all (no select). */
  private final Set<String> required;

  private transient JexlScript filter;
  private transient List<JexlScript> derived;

  private Mapping(MappingSpec spec, Schema input, Instant loadTime) {
    this.spec = spec;
    this.input = input;
    this.loadTime = loadTime.toString();
    Map<String, MappingSpec.Derived> derive = spec.derived();
    for (String column : spec.rename.keySet()) {
      if (!derive.containsKey(column)) {
        checkColumn("rename", column);
      }
    }
    for (String column : spec.cast.keySet()) {
      if (!derive.containsKey(column)) {
        checkColumn("cast", column);
      }
    }
    List<String> kept = new ArrayList<>();
    if (spec.select != null) {
      for (String column : spec.select) {
        checkColumn("select", column);
        kept.add(column);
      }
      for (String name : input.getFieldNames()) {
        if (SourceFields.isSourceField(name)) {
          kept.add(name);
        }
      }
    } else {
      kept.addAll(input.getFieldNames());
    }
    // Compile now, so that a bad expression is an error before any work.
    JexlEngine jexl = engine();
    Set<String> used = new java.util.TreeSet<>(kept);
    if (spec.filter != null) {
      used.addAll(checkVariables("filter", compile(jexl, "filter", spec.filter)));
    }
    derivedNames = new ArrayList<>(derive.keySet());
    for (Map.Entry<String, MappingSpec.Derived> d : derive.entrySet()) {
      used.addAll(
          checkVariables("derive." + d.getKey(), compile(jexl, "derive." + d.getKey(), script(d))));
    }

    List<Field> fields = new ArrayList<>();
    List<String> from = new ArrayList<>();
    List<Cast> castOf = new ArrayList<>();
    Set<String> names = new java.util.HashSet<>();
    for (String name : kept) {
      Field field = input.getField(name);
      Cast cast = spec.cast.get(name);
      String outName = spec.rename.getOrDefault(name, name);
      if (!names.add(outName)) {
        throw new InvalidInputException("--mapping: two columns would be named '" + outName + "'");
      }
      fields.add(Field.of(outName, cast == null ? field.getType() : cast.type(field.getType())));
      from.add(name);
      castOf.add(cast);
    }
    for (Map.Entry<String, MappingSpec.Derived> d : derive.entrySet()) {
      String outName = spec.rename.getOrDefault(d.getKey(), d.getKey());
      if (!names.add(outName)) {
        throw new InvalidInputException(
            "--mapping: derive." + d.getKey() + " would replace column '" + outName + "'");
      }
      Cast cast = spec.cast.get(d.getKey());
      FieldType type = derivedType(d.getKey(), d.getValue());
      fields.add(Field.of(outName, (cast == null ? type : cast.type()).withNullable(true)));
      from.add(DERIVED);
      castOf.add(cast);
    }
    String ttlColumn = null;
    if (spec.ttl != null) {
      if (spec.ttl.attribute == null || spec.ttl.from == null) {
        throw new InvalidInputException("--mapping: ttl needs attribute and from");
      }
      if (!spec.ttl.from.equals("loadTime")) {
        checkColumn("ttl.from", spec.ttl.from);
        if (!isTimestamp(input.getField(spec.ttl.from).getType())) {
          throw new InvalidInputException(
              "--mapping: ttl.from: column '" + spec.ttl.from + "' is not a timestamp");
        }
        ttlColumn = spec.ttl.from;
        used.add(spec.ttl.from);
      }
      if (!names.add(spec.ttl.attribute)) {
        throw new InvalidInputException(
            "--mapping: ttl.attribute '" + spec.ttl.attribute + "' is already a column");
      }
      fields.add(Field.of(spec.ttl.attribute, FieldType.INT64.withNullable(true)));
      from.add(TTL);
      castOf.add(null);
    }
    this.ttlFrom = ttlColumn;
    this.required = spec.select == null ? null : used;
    for (String set : spec.sets) {
      String outName = spec.rename.getOrDefault(set, set);
      int index = -1;
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).getName().equals(outName)) {
          index = i;
        }
      }
      if (index < 0) {
        throw new InvalidInputException(
            "--mapping: sets: '" + set + "' is not a column of the output");
      }
      Field field = fields.get(index);
      if (!ItemMapper.canBeSet(field.getType())) {
        throw new InvalidInputException(
            "--mapping: sets: column '"
                + set
                + "' is "
                + field.getType()
                + "; a set is a list of strings, numbers or binary");
      }
      fields.set(index, ItemMapper.asSet(field));
    }
    this.output = Schema.of(fields.toArray(new Field[0]));
    this.sources = from.toArray(new String[0]);
    this.casts = castOf.toArray(new Cast[0]);
  }

  /**
   * Checks {@code spec} against {@code input} and compiles it.
   *
   * @param loadTime the value of {@code loadTime} in expressions: when the job started
   * @throws InvalidInputException naming the unknown column (and the known ones) or the bad
   *     expression and where in it the problem is
   */
  public static Mapping compile(MappingSpec spec, Schema input, Instant loadTime) {
    return new Mapping(spec, input, loadTime);
  }

  /**
   * The input columns the mapping needs: with a {@code select}, the selected columns and those its
   * expressions read, so the reader can skip the others; without one, null (every column).
   */
  public Set<String> requiredColumns() {
    return required;
  }

  public Schema outputSchema() {
    return output;
  }

  /** Whether the spec asks for anything at all. */
  public boolean isIdentity() {
    return spec.select == null
        && spec.sets.isEmpty()
        && spec.ttl == null
        && spec.rename.isEmpty()
        && spec.cast.isEmpty()
        && spec.filter == null
        && spec.derive.isEmpty();
  }

  /** The output row, or null when the filter drops the row. */
  public Row apply(Row row) throws TransformException {
    if (derived == null) {
      JexlEngine jexl = engine();
      filter = spec.filter == null ? null : jexl.createScript(spec.filter);
      List<JexlScript> scripts = new ArrayList<>();
      for (Map.Entry<String, MappingSpec.Derived> d : spec.derived().entrySet()) {
        scripts.add(jexl.createScript(script(d)));
      }
      derived = scripts;
    }
    MapContext context = null;
    if (filter != null || !derived.isEmpty()) {
      context = new MapContext(values(row));
      context.set("loadTime", loadTime);
    }
    if (filter != null) {
      Object keep = evaluate("filter", filter, context);
      if (!(keep instanceof Boolean)) {
        if (keep != null) {
          throw new TransformException(
              "filter: the expression gave " + keep + ", not true or false");
        }
        return null;
      }
      if (!(Boolean) keep) {
        return null;
      }
    }
    bind(row.getSchema());
    Object[] values = new Object[output.getFieldCount()];
    int d = 0;
    for (int i = 0; i < values.length; i++) {
      Object value;
      FieldType type = output.getField(i).getType();
      if (positions[i] >= 0) {
        value = row.getValue(positions[i]);
      } else if (sources[i] == DERIVED) {
        String name = derivedNames.get(d);
        value = evaluate("derive." + name, derived.get(d++), context);
        if (casts[i] == null) {
          value = Cast.to(type, value, "derive." + name);
        }
      } else {
        value = ttl(row);
      }
      if (casts[i] != null && value != null) {
        value = casts[i].apply(value, output.getField(i).getName());
      }
      values[i] = value;
    }
    return Row.withSchema(output).addValues(values).build();
  }

  /** Finds the columns the mapping reads by name in rows of {@code schema}. */
  private void bind(Schema schema) {
    if (schema == boundTo) {
      return;
    }
    int[] found = new int[sources.length];
    for (int i = 0; i < sources.length; i++) {
      found[i] = sources[i] == DERIVED || sources[i].equals(TTL) ? -1 : schema.indexOf(sources[i]);
    }
    ttlPosition = ttlFrom == null ? -1 : schema.indexOf(ttlFrom);
    positions = found;
    boundTo = schema;
  }

  private Long ttl(Row row) throws TransformException {
    Object start = ttlFrom == null ? Instant.parse(loadTime) : row.getValue(ttlPosition);
    if (start == null) {
      return null;
    }
    long from = Cast.EPOCH_SECONDS.countOf(start, "ttl.from");
    try {
      return Math.addExact(from, spec.ttl.addSeconds);
    } catch (ArithmeticException e) {
      throw new TransformException("ttl: " + from + " + " + spec.ttl.addSeconds + " overflows");
    }
  }

  private static boolean isTimestamp(FieldType type) {
    return io.parquet2dynamo.item.ItemMapper.isTimestamp(type);
  }

  private static Object evaluate(String where, JexlScript script, MapContext context)
      throws TransformException {
    try {
      return script.execute(context);
    } catch (JexlException e) {
      throw new TransformException(where + ": " + message(e));
    } catch (ArithmeticException e) {
      throw new TransformException(where + ": " + e.getMessage());
    }
  }

  private static String message(JexlException e) {
    String m = e.getMessage();
    return m == null ? e.toString() : m.replaceFirst("^[^ ]*@\\d+:\\d+ ", "");
  }

  /** A row's values as JEXL sees them: nested rows as maps, numbers and text as they are. */
  private static Map<String, Object> values(Row row) {
    Map<String, Object> values = new LinkedHashMap<>();
    Schema schema = row.getSchema();
    for (int i = 0; i < schema.getFieldCount(); i++) {
      values.put(schema.getField(i).getName(), plain(row.getValue(i)));
    }
    return values;
  }

  private static Object plain(Object value) {
    if (value instanceof Row) {
      return values((Row) value);
    } else if (value instanceof Collection) {
      List<Object> list = new ArrayList<>();
      for (Object e : (Collection<?>) value) {
        list.add(plain(e));
      }
      return list;
    } else if (value instanceof org.joda.time.ReadableInstant) {
      return Instant.ofEpochMilli(((org.joda.time.ReadableInstant) value).getMillis());
    }
    return value;
  }

  private static JexlEngine engine() {
    // Strict: an unknown variable or a null in arithmetic is an error, not a silent null.
    return new JexlBuilder().strict(true).silent(false).safe(false).cache(64).create();
  }

  private static String script(Map.Entry<String, MappingSpec.Derived> d) {
    MappingSpec.Derived derived = d.getValue();
    if ((derived.expr == null) == (derived.template == null)) {
      throw new InvalidInputException(
          "--mapping: derive." + d.getKey() + " needs exactly one of expr and template");
    }
    if (derived.expr != null) {
      return derived.expr;
    }
    // A template "{country}#{city}" is JEXL's template string `${country}#${city}`.
    return "`" + derived.template.replace("`", "\\`").replaceAll("\\{([^}]+)}", "\\${$1}") + "`";
  }

  private static JexlScript compile(JexlEngine jexl, String where, String source) {
    try {
      return jexl.createScript(source);
    } catch (JexlException e) {
      JexlException.Parsing parsing =
          e instanceof JexlException.Parsing ? (JexlException.Parsing) e : null;
      String at = e.getInfo() == null ? "" : " at column " + e.getInfo().getColumn();
      throw new InvalidInputException(
          "--mapping: "
              + where
              + ": cannot parse '"
              + source
              + "'"
              + at
              + ": "
              + (parsing != null ? parsing.getDetail() : message(e)));
    }
  }

  /** Checks that the script reads only columns and loadTime; returns the columns. */
  private Set<String> checkVariables(String where, JexlScript script) {
    Set<String> columns = new java.util.TreeSet<>();
    for (List<String> path : script.getVariables()) {
      String name = path.get(0);
      if (name.equals("loadTime")) {
        continue;
      }
      if (!input.hasField(name)) {
        throw new InvalidInputException(
            "--mapping: "
                + where
                + " uses '"
                + name
                + "', which is not a column of the input; the "
                + "columns are "
                + columns());
      }
      columns.add(name);
    }
    return columns;
  }

  private void checkColumn(String where, String column) {
    if (!input.hasField(column) || SourceFields.isSourceField(column)) {
      throw new InvalidInputException(
          "--mapping: "
              + where
              + ": '"
              + column
              + "' is not a column of the input; the columns "
              + "are "
              + columns());
    }
  }

  private List<String> columns() {
    List<String> names = new ArrayList<>();
    for (String name : input.getFieldNames()) {
      if (!SourceFields.isSourceField(name)) {
        names.add(name);
      }
    }
    return names;
  }

  private static FieldType derivedType(String name, MappingSpec.Derived derived) {
    Cast type = derived.type == null ? Cast.STRING : derived.type;
    if (type != Cast.STRING && type != Cast.NUMBER && type != Cast.BOOLEAN) {
      throw new InvalidInputException(
          "--mapping: derive." + name + ".type: '" + type + "' is not string, number or boolean");
    }
    return type.type();
  }
}
