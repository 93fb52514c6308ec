package io.parquet2dynamo.transform;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.item.DynamoNumbers;
import io.parquet2dynamo.item.ItemMapper;
import io.parquet2dynamo.source.SourceFields;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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

  static final Set<String> CASTS =
      Set.of("string", "number", "boolean", "binary", "epochSeconds", "epochMillis", "epochMicros");

  private final MappingSpec spec;
  private final Schema input;
  private final Schema output;
  private final String loadTime;

  /** For each output field: the input field it comes from (or -1 for a derived one). */
  private final int[] sources;

  /** For each output field: the cast applied, or null. */
  private final String[] casts;

  private final List<String> derivedNames;

  /** A source index meaning "the ttl attribute". */
  private static final int TTL = -2;

  /** The ttl counts from the load time. */
  private static final int TTL_FROM_LOAD_TIME = -1;

  /** The input field the ttl counts from, or {@link #TTL_FROM_LOAD_TIME}. */
  private final int ttlSource;

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
    for (Map.Entry<String, String> cast : spec.cast.entrySet()) {
      if (!derive.containsKey(cast.getKey())) {
        checkColumn("cast", cast.getKey());
      }
      if (!CASTS.contains(cast.getValue())) {
        throw new InvalidInputException(
            "--mapping: cast."
                + cast.getKey()
                + ": '"
                + cast.getValue()
                + "' is not a type; use "
                + "one of "
                + new java.util.TreeSet<>(CASTS));
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
    List<Integer> from = new ArrayList<>();
    List<String> castOf = new ArrayList<>();
    Set<String> names = new java.util.HashSet<>();
    for (String name : kept) {
      Field field = input.getField(name);
      String cast = spec.cast.get(name);
      String outName = spec.rename.getOrDefault(name, name);
      if (!names.add(outName)) {
        throw new InvalidInputException("--mapping: two columns would be named '" + outName + "'");
      }
      fields.add(Field.of(outName, castType(cast, field.getType())));
      from.add(input.indexOf(name));
      castOf.add(cast);
    }
    for (Map.Entry<String, MappingSpec.Derived> d : derive.entrySet()) {
      String outName = spec.rename.getOrDefault(d.getKey(), d.getKey());
      if (!names.add(outName)) {
        throw new InvalidInputException(
            "--mapping: derive." + d.getKey() + " would replace column '" + outName + "'");
      }
      String cast = spec.cast.get(d.getKey());
      FieldType type = derivedType(d.getKey(), d.getValue());
      fields.add(
          Field.of(outName, (cast == null ? type : castType(cast, type)).withNullable(true)));
      from.add(-1);
      castOf.add(cast);
    }
    int ttlFrom = TTL_FROM_LOAD_TIME;
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
        ttlFrom = input.indexOf(spec.ttl.from);
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
    this.ttlSource = ttlFrom;
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
    this.sources = from.stream().mapToInt(Integer::intValue).toArray();
    this.casts = castOf.toArray(new String[0]);
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
    Object[] values = new Object[output.getFieldCount()];
    int d = 0;
    for (int i = 0; i < values.length; i++) {
      Object value;
      FieldType type = output.getField(i).getType();
      if (sources[i] >= 0) {
        value = row.getValue(sources[i]);
      } else if (sources[i] == TTL) {
        value = ttl(row);
      } else {
        String name = derivedNames.get(d);
        value = evaluate("derive." + name, derived.get(d++), context);
        if (casts[i] == null) {
          value = Casts.to(type, value, "derive." + name);
        }
      }
      if (casts[i] != null && value != null) {
        value = Casts.apply(casts[i], value, output.getField(i).getName());
      }
      values[i] = value;
    }
    return Row.withSchema(output).addValues(values).build();
  }

  private Long ttl(Row row) throws TransformException {
    Object start =
        ttlSource == TTL_FROM_LOAD_TIME ? Instant.parse(loadTime) : row.getValue(ttlSource);
    if (start == null) {
      return null;
    }
    return Math.addExact(Casts.epoch("epochSeconds", start, "ttl.from"), spec.ttl.addSeconds);
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
    String type = derived.type == null ? "string" : derived.type;
    switch (type) {
      case "string":
        return FieldType.STRING;
      case "number":
        return FieldType.DECIMAL;
      case "boolean":
        return FieldType.BOOLEAN;
      default:
        throw new InvalidInputException(
            "--mapping: derive." + name + ".type: '" + type + "' is not string, number or boolean");
    }
  }

  private static FieldType castType(String cast, FieldType original) {
    if (cast == null) {
      return original;
    }
    FieldType type;
    switch (cast) {
      case "string":
        type = FieldType.STRING;
        break;
      case "number":
        type = FieldType.DECIMAL;
        break;
      case "boolean":
        type = FieldType.BOOLEAN;
        break;
      case "binary":
        type = FieldType.BYTES;
        break;
      default:
        type = FieldType.INT64;
    }
    return type.withNullable(original.getNullable());
  }

  /** The conversions of {@code cast}, value by value. */
  static final class Casts {
    private Casts() {}

    static Object apply(String cast, Object value, String column) throws TransformException {
      switch (cast) {
        case "string":
          return value instanceof byte[] ? utf8((byte[]) value, column) : text(value);
        case "number":
          return number(value, column);
        case "boolean":
          return bool(value, column);
        case "binary":
          return value instanceof byte[] ? value : text(value).getBytes(StandardCharsets.UTF_8);
        default:
          return epoch(cast, value, column);
      }
    }

    /** A derived value in its declared type. */
    static Object to(FieldType type, Object value, String where) throws TransformException {
      if (value == null) {
        return null;
      }
      switch (type.getTypeName()) {
        case DECIMAL:
          return number(value, where);
        case BOOLEAN:
          return bool(value, where);
        default:
          return text(value);
      }
    }

    /**
     * Binary cast to string is read as UTF-8 text: what Impala and older writers store strings as,
     * without the UTF8 annotation. Bytes that are not UTF-8 are a transform error, not mojibake.
     */
    static String utf8(byte[] bytes, String column) throws TransformException {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes))
            .toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new TransformException(column + ": cannot cast binary that is not UTF-8 to string");
      }
    }

    static String text(Object value) {
      if (value instanceof byte[]) {
        return Base64.getEncoder().encodeToString((byte[]) value);
      } else if (value instanceof BigDecimal) {
        return ((BigDecimal) value).toPlainString();
      } else if (value instanceof Double) {
        return DynamoNumbers.shortest((Double) value).toPlainString();
      } else if (value instanceof Float) {
        return DynamoNumbers.shortest((Float) value).toPlainString();
      } else if (value instanceof org.joda.time.ReadableInstant) {
        return Instant.ofEpochMilli(((org.joda.time.ReadableInstant) value).getMillis()).toString();
      }
      return value.toString();
    }

    static BigDecimal number(Object value, String column) throws TransformException {
      try {
        if (value instanceof BigDecimal) {
          return (BigDecimal) value;
        } else if (value instanceof Double || value instanceof Float) {
          double d = ((Number) value).doubleValue();
          return value instanceof Float
              ? DynamoNumbers.shortest((Float) value)
              : DynamoNumbers.shortest(d);
        } else if (value instanceof Number) {
          return new BigDecimal(value.toString());
        } else if (value instanceof String) {
          return new BigDecimal(((String) value).trim());
        }
      } catch (NumberFormatException e) {
        // fall through to the error
      }
      throw new TransformException(column + ": cannot cast '" + value + "' to number");
    }

    static Boolean bool(Object value, String column) throws TransformException {
      if (value instanceof Boolean) {
        return (Boolean) value;
      } else if (value instanceof String) {
        String s = ((String) value).trim();
        if (s.equalsIgnoreCase("true")) {
          return true;
        } else if (s.equalsIgnoreCase("false")) {
          return false;
        }
      } else if (value instanceof Number) {
        BigDecimal n = new BigDecimal(value.toString());
        if (n.compareTo(BigDecimal.ONE) == 0) {
          return true;
        } else if (n.signum() == 0) {
          return false;
        }
      }
      throw new TransformException(column + ": cannot cast '" + value + "' to boolean");
    }

    static Long epoch(String unit, Object value, String column) throws TransformException {
      Instant instant;
      if (value instanceof Instant) {
        instant = (Instant) value;
      } else if (value instanceof org.joda.time.ReadableInstant) {
        instant = Instant.ofEpochMilli(((org.joda.time.ReadableInstant) value).getMillis());
      } else if (value instanceof String) {
        try {
          instant = Instant.parse(((String) value).trim());
        } catch (java.time.format.DateTimeParseException e) {
          throw new TransformException(column + ": cannot cast '" + value + "' to " + unit);
        }
      } else {
        throw new TransformException(column + ": cannot cast '" + value + "' to " + unit);
      }
      switch (unit) {
        case "epochSeconds":
          return instant.getEpochSecond();
        case "epochMillis":
          return Math.addExact(
              Math.multiplyExact(instant.getEpochSecond(), 1_000L), instant.getNano() / 1_000_000);
        default:
          return Math.addExact(
              Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
      }
    }
  }
}
