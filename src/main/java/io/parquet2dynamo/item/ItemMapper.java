package io.parquet2dynamo.item;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.deadletter.RejectReason;
import io.parquet2dynamo.source.SourceFields;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.EnumerationType;
import org.apache.beam.sdk.schemas.logicaltypes.MicrosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.NanosInstant;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Maps rows of one Beam schema to DynamoDB items and checks that DynamoDB will take them. How each
 * column converts is decided once, from the schema, when the mapper is built.
 *
 * <p>By default null attributes are omitted (in nested maps too) and nulls inside lists are kept as
 * NULL so that positions hold; {@link ItemFormat} holds the user's choices. Key attributes are
 * converted to the table's key type where that is lossless: a number column feeds an S key as its
 * decimal text, and a string column an N key when the string is a number.
 */
public final class ItemMapper implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ItemMapper.class);

  /**
   * DynamoDB's limit of 32 levels, counting the item itself: an attribute's value may hold at most
   * 31 nested maps and lists (checked against DynamoDB Local, which refuses the 32nd).
   */
  public static final int MAX_NESTED_CONTAINERS = 31;

  private final Schema schema;
  private final TableKey key;
  private final ItemFormat format;

  /** Whether the schema allows values nested deeper than DynamoDB takes, so rows need a check. */
  private final boolean mayNestTooDeep;

  private transient List<Column> columns;

  /** The columns of the table's key attributes, in their order. */
  private transient List<Column> keyColumns;

  /** Whether every attribute of the table key is a string from a string column. */
  private transient boolean stringKeys;

  private transient AttributeNames names;
  private transient ItemEncoder encoder;

  /** Where a key's value is converted on its way to an {@code AttributeValue}. */
  private transient ItemEncoder scratch;

  /** A mapper with the contract's default formats. */
  public ItemMapper(Schema schema, TableKey key) {
    this(schema, key, ItemFormat.defaults());
  }

  /** Checks the table's keys against the schema: a missing key column is an error now. */
  public ItemMapper(Schema schema, TableKey key, ItemFormat format) {
    this.schema = schema;
    this.key = key;
    this.format = format;
    int deepest = 0;
    for (Schema.Field field : schema.getFields()) {
      deepest = Math.max(deepest, containerDepth(field.getType()));
    }
    this.mayNestTooDeep = deepest > MAX_NESTED_CONTAINERS;
    if (dataColumns(schema).contains("")) {
      // Every item would carry it, and DynamoDB refuses every one: say so once, before any work.
      throw new InvalidInputException(
          "the input has a column with an empty name, which DynamoDB refuses as an attribute"
              + " name; rename it with --mapping (rename: {\"\": a_name}) or leave it out"
              + " (select)");
    }
    for (TableKey.Attribute attribute : key.attributes()) {
      // The reserved source fields are never written, so they cannot be keys either.
      if (!schema.hasField(attribute.name) || SourceFields.isSourceField(attribute.name)) {
        throw new InvalidInputException(
            "the "
                + attribute
                + " of table '"
                + key.tableName()
                + "' is not a column of the input; the columns are "
                + dataColumns(schema));
      }
      checkKeyColumn(schema, key, attribute, format);
    }
    for (TableKey.Attribute attribute : key.indexAttributes()) {
      if (schema.hasField(attribute.name) && !SourceFields.isSourceField(attribute.name)) {
        checkKeyColumn(schema, key, attribute, format);
      }
    }
  }

  /** A key column must map to the key's type, or to one it converts to without loss. */
  private static void checkKeyColumn(
      Schema schema, TableKey key, TableKey.Attribute attribute, ItemFormat format) {
    FieldType fieldType = schema.getField(attribute.name).getType();
    AttributeValue.Type type = dynamoType(fieldType, format);
    AttributeValue.Type wanted = AttributeValue.Type.valueOf(attribute.type.name());
    // Only plain strings may hold numbers: dates and ISO timestamps never parse as N.
    boolean convertible =
        type == wanted
            || (type == AttributeValue.Type.N && wanted == AttributeValue.Type.S)
            || (fieldType.getTypeName() == Schema.TypeName.STRING
                && wanted == AttributeValue.Type.N);
    if (!convertible) {
      throw new InvalidInputException(
          "the "
              + attribute
              + " of table '"
              + key.tableName()
              + "' cannot be filled from column '"
              + attribute.name
              + "', which maps to DynamoDB type "
              + type
              + (wanted == AttributeValue.Type.N && isTimestamp(fieldType)
                  ? "; --timestampFormat=epochSeconds (or epochMillis, epochMicros) writes "
                      + "timestamps as N"
                  : ""));
    }
    if (type != wanted) {
      LOG.warn(
          "Column '{}' maps to {} but the table's key is {}: values are converted{}",
          attribute.name,
          type,
          wanted,
          wanted == AttributeValue.Type.N ? "; rows whose value is not a number are rejected" : "");
    }
  }

  public TableKey tableKey() {
    return key;
  }

  /** The item for {@code row}, or a {@link RejectedRowException} saying why there is none. */
  public Map<String, AttributeValue> toItem(Row row) throws RejectedRowException {
    Encoded item = encode(row);
    return LoadItem.encoded(item.bytes(), names, item.size(), null, -1).attributes();
  }

  /**
   * An item encoded as {@link LoadItem} keeps it, with its table key ({@link #keyOf}) and its size
   * by DynamoDB's rules.
   */
  public record Encoded(byte[] bytes, String key, long size) {}

  /**
   * The item for {@code row}, encoded as {@link LoadItem} keeps it with the names of {@link
   * #attributeNames}, and checked: a {@link RejectedRowException} says why there is none.
   */
  public Encoded encode(Row row) throws RejectedRowException {
    prepare();
    ItemEncoder out = encoder;
    out.reset();
    Map<String, AttributeValue> keyValues = new HashMap<>(4);
    int count = 0;
    for (Column column : columns) {
      Object value = row.getValue(column.index);
      if (stringKeys && column.stringKey) {
        // The key's text is made from keyColumns after the loop, in the key's order.
        checkStringKey(column, (String) value);
        out.attribute(column.name, column.nameIndex, column.nameBytes);
        out.s((String) value);
      } else if (column.key != null) {
        // Converted to the key's type, and checked, before it is written.
        AttributeValue av = column.keyValue(value, scratch);
        if (column.key.indexName == null) {
          av = keyValue(column.key, av);
          keyValues.put(column.name, av);
        } else if (av == null || av.type() == AttributeValue.Type.NUL) {
          // Even with --nullPolicy=null: DynamoDB refuses NULL as an index key value; absent is
          // fine, the item just stays out of that (sparse) index.
          continue;
        } else {
          av = keyValue(column.key, av);
        }
        out.attribute(column.name, column.nameIndex, column.nameBytes);
        out.value(av);
      } else if (value == null) {
        if (format.nulls() != ItemFormat.Nulls.NULL) {
          continue;
        }
        out.attribute(column.name, column.nameIndex, column.nameBytes);
        out.nul();
      } else if (column.set != null) {
        if (!column.set.write(value, column, out, scratch)) {
          continue; // DynamoDB refuses an empty set: the attribute is left out
        }
      } else {
        out.attribute(column.name, column.nameIndex, column.nameBytes);
        column.converter.write(value, out);
      }
      count++;
      if (mayNestTooDeep) {
        int depth = out.takeDeepest();
        if (depth > MAX_NESTED_CONTAINERS) {
          throw new RejectedRowException(
              RejectReason.NESTING_TOO_DEEP,
              "attribute '"
                  + column.name
                  + "' nests "
                  + depth
                  + " maps and lists; DynamoDB's limit is 32 levels, the item included");
        }
      }
    }
    if (!stringKeys) {
      for (TableKey.Attribute attribute : key.attributes()) {
        if (!keyValues.containsKey(attribute.name)) {
          keyValues.put(attribute.name, keyValue(attribute, null));
        }
      }
    }
    long size = out.size();
    if (size > ItemSize.MAX_ITEM_BYTES) {
      throw new RejectedRowException(
          RejectReason.ITEM_TOO_LARGE,
          "the item is " + size + " bytes; DynamoDB's limit is " + ItemSize.MAX_ITEM_BYTES);
    }
    return new Encoded(
        out.item(count), stringKeys ? stringKeyOf(row) : key.keyString(keyValues), size);
  }

  /**
   * The table key of the item {@code row} would become, as {@link TableKey#keyString}, converted
   * and checked as {@link #encode} does, from the key columns alone: what the duplicate rule needs
   * of a row.
   *
   * @throws RejectedRowException when the row's key is missing, empty or of the wrong type
   */
  public String keyOf(Row row) throws RejectedRowException {
    prepare();
    if (stringKeys) {
      // The common case, straight from the row: building AttributeValues to check and print the
      // key took 5% of a dry run's CPU (JFR).
      return stringKeyOf(row);
    }
    Map<String, AttributeValue> item = new HashMap<>(4);
    for (Column column : keyColumns) {
      item.put(
          column.name, keyValue(column.key, column.keyValue(row.getValue(column.index), scratch)));
    }
    return key.keyString(item);
  }

  /** Works out, once per mapper, how each column converts. */
  private void prepare() {
    if (columns != null) {
      return;
    }
    names = attributeNames();
    List<Column> all = columns(schema, format, names, key);
    List<Column> keys = new ArrayList<>();
    for (TableKey.Attribute attribute : key.attributes()) {
      all.stream().filter(c -> c.name.equals(attribute.name)).forEach(keys::add);
    }
    encoder = new ItemEncoder();
    scratch = new ItemEncoder();
    stringKeys = keys.size() == key.attributes().size() && keys.stream().allMatch(c -> c.stringKey);
    keyColumns = keys;
    columns = all;
  }

  /** The item's table key as a string: see {@link TableKey#keyString}. */
  public String keyOf(Map<String, AttributeValue> item) {
    return key.keyString(item);
  }

  private static AttributeValue keyValue(TableKey.Attribute attribute, AttributeValue value)
      throws RejectedRowException {
    if (value == null || value.type() == AttributeValue.Type.NUL) {
      throw new RejectedRowException(RejectReason.MISSING_KEY, "the " + attribute + " is null");
    }
    if (attribute.type == ScalarAttributeType.S && value.type() == AttributeValue.Type.N) {
      value = AttributeValue.fromS(value.n());
    } else if (attribute.type == ScalarAttributeType.N && value.type() == AttributeValue.Type.S) {
      if (value.s().isEmpty()) {
        // Empty is empty whatever the key's type (docs/TYPES.md), not a number gone wrong.
        throw new RejectedRowException(RejectReason.EMPTY_KEY, "the " + attribute + " is empty");
      }
      try {
        value = AttributeValue.fromN(DynamoNumbers.parse(value.s()));
      } catch (RejectedRowException e) {
        throw new RejectedRowException(
            RejectReason.KEY_TYPE_MISMATCH,
            "the " + attribute + " is '" + value.s() + "', not a number");
      }
    } else if (!value.type().toString().equals(attribute.type.toString())) {
      throw new RejectedRowException(
          RejectReason.KEY_TYPE_MISMATCH,
          "the " + attribute + " has a value of type " + value.type());
    }
    long bytes;
    if (value.type() == AttributeValue.Type.S) {
      bytes = ItemSize.utf8Length(value.s());
    } else if (value.type() == AttributeValue.Type.B) {
      bytes = value.b().asByteArrayUnsafe().length;
    } else {
      bytes = 1;
    }
    checkKeyBytes(attribute, bytes);
    return value;
  }

  /** A key value of {@code bytes} bytes is neither empty nor over DynamoDB's limit. */
  private static void checkKeyBytes(TableKey.Attribute attribute, long bytes)
      throws RejectedRowException {
    if (bytes == 0) {
      throw new RejectedRowException(RejectReason.EMPTY_KEY, "the " + attribute + " is empty");
    }
    if (bytes > attribute.maxBytes()) {
      throw new RejectedRowException(
          RejectReason.KEY_TOO_LARGE,
          "the "
              + attribute
              + " is "
              + bytes
              + " bytes; DynamoDB's limit is "
              + attribute.maxBytes());
    }
  }

  /** The DynamoDB type a column of {@code type} maps to: S, N, B, BOOL, L or M. */
  public static AttributeValue.Type dynamoType(FieldType type, ItemFormat format) {
    switch (type.getTypeName()) {
      case STRING:
        return AttributeValue.Type.S;
      case DATETIME:
        return format.timestamps().dynamoType();
      case BYTE:
      case INT16:
      case INT32:
      case INT64:
      case DECIMAL:
      case FLOAT:
      case DOUBLE:
        return AttributeValue.Type.N;
      case BOOLEAN:
        return AttributeValue.Type.BOOL;
      case BYTES:
        return AttributeValue.Type.B;
      case ARRAY:
      case ITERABLE:
        return AttributeValue.Type.L;
      case MAP:
      case ROW:
        return AttributeValue.Type.M;
      case LOGICAL_TYPE:
        if (isInstant(type.getLogicalType())) {
          return format.timestamps().dynamoType();
        }
        return isTextLogicalType(type.getLogicalType())
            ? AttributeValue.Type.S
            : dynamoType(type.getLogicalType().getBaseType(), format);
      default:
        throw new IllegalArgumentException("unsupported type " + type);
    }
  }

  /** How many maps and lists a value of {@code type} can nest, at most. */
  static int containerDepth(FieldType type) {
    switch (type.getTypeName()) {
      case ARRAY:
      case ITERABLE:
        return 1 + containerDepth(type.getCollectionElementType());
      case MAP:
        return 1 + containerDepth(type.getMapValueType());
      case ROW:
        {
          int deepest = 0;
          for (Schema.Field field : type.getRowSchema().getFields()) {
            deepest = Math.max(deepest, containerDepth(field.getType()));
          }
          return 1 + deepest;
        }
      case LOGICAL_TYPE:
        return isTextLogicalType(type.getLogicalType())
            ? 0
            : containerDepth(type.getLogicalType().getBaseType());
      default:
        return 0;
    }
  }

  /** How many maps and lists {@code value} nests on its deepest path. */
  static int containerDepth(AttributeValue value) {
    int deepest = 0;
    if (value.type() == AttributeValue.Type.L) {
      for (AttributeValue element : value.l()) {
        deepest = Math.max(deepest, containerDepth(element));
      }
    } else if (value.type() == AttributeValue.Type.M) {
      for (AttributeValue element : value.m().values()) {
        deepest = Math.max(deepest, containerDepth(element));
      }
    } else {
      return 0;
    }
    return 1 + deepest;
  }

  /** Whether a column holds timestamps (of any unit, INT96 included). */
  public static boolean isTimestamp(FieldType type) {
    return type.getTypeName() == Schema.TypeName.DATETIME
        || (type.getTypeName() == Schema.TypeName.LOGICAL_TYPE && isInstant(type.getLogicalType()));
  }

  private static boolean isInstant(Schema.LogicalType<?, ?> logicalType) {
    String id = logicalType.getIdentifier();
    return id.equals(NanosInstant.IDENTIFIER) || id.equals(MicrosInstant.IDENTIFIER);
  }

  private static final Set<String> TEXT_LOGICAL_TYPES =
      Set.of(
          SqlTypes.DATE.getIdentifier(),
          SqlTypes.TIME.getIdentifier(),
          SqlTypes.DATETIME.getIdentifier(),
          MicrosInstant.IDENTIFIER,
          NanosInstant.IDENTIFIER,
          EnumerationType.IDENTIFIER);

  private static boolean isTextLogicalType(Schema.LogicalType<?, ?> logicalType) {
    return TEXT_LOGICAL_TYPES.contains(logicalType.getIdentifier());
  }

  /** The names the items can have: the data columns (keys and indexed attributes among them). */
  public AttributeNames attributeNames() {
    return new AttributeNames(dataColumns(schema));
  }

  private static List<String> dataColumns(Schema schema) {
    List<String> names = new ArrayList<>();
    for (String name : schema.getFieldNames()) {
      if (!SourceFields.isSourceField(name)) {
        names.add(name);
      }
    }
    return names;
  }

  /** The top-level columns of {@code schema}: the data columns, each with its converter. */
  private static List<Column> columns(
      Schema schema, ItemFormat format, AttributeNames names, TableKey key) {
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < schema.getFieldCount(); i++) {
      Schema.Field field = schema.getField(i);
      if (SourceFields.isSourceField(field.getName())) {
        continue;
      }
      TableKey.Attribute keyAttribute = null;
      for (TableKey.Attribute a : key.attributes()) {
        keyAttribute = a.name.equals(field.getName()) ? a : keyAttribute;
      }
      for (TableKey.Attribute a : key.indexAttributes()) {
        keyAttribute = keyAttribute == null && a.name.equals(field.getName()) ? a : keyAttribute;
      }
      columns.add(
          new Column(
              field.getName(),
              i,
              names.indexOf(field.getName()),
              converter(field.getType(), format),
              isSet(field)
                  ? new SetWriter(field.getType().getCollectionElementType(), format)
                  : null,
              keyAttribute,
              keyAttribute != null
                  && keyAttribute.indexName == null
                  && keyAttribute.type == ScalarAttributeType.S
                  && field.getType().getTypeName() == Schema.TypeName.STRING
                  && !isSet(field)));
    }
    return columns;
  }

  /** The types a set's members can have: strings, numbers, binary. */
  private static final Set<AttributeValue.Type> SET_MEMBER_TYPES =
      Set.of(AttributeValue.Type.S, AttributeValue.Type.N, AttributeValue.Type.B);

  /** The field option that marks a list column to be written as a DynamoDB set. */
  public static final String SET_OPTION = "parquet2dynamo:set";

  /**
   * Whether a column of {@code type} can be written as a set: a list of strings, numbers, bytes.
   */
  public static boolean canBeSet(FieldType type) {
    if (type.getTypeName() != Schema.TypeName.ARRAY
        && type.getTypeName() != Schema.TypeName.ITERABLE) {
      return false;
    }
    return SET_MEMBER_TYPES.contains(
        dynamoType(type.getCollectionElementType(), ItemFormat.defaults()));
  }

  /** {@code field}, marked to be written as a set. */
  public static Schema.Field asSet(Schema.Field field) {
    return field.withOptions(
        Schema.Options.builder().setOption(SET_OPTION, FieldType.BOOLEAN, true).build());
  }

  private static boolean isSet(Schema.Field field) {
    return field.getOptions().hasOption(SET_OPTION);
  }

  /** Writes a list as SS, NS or BS: duplicates and nulls dropped; an empty set is omitted. */
  private static final class SetWriter implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Converter element;
    private final AttributeValue.Type kind;

    SetWriter(FieldType elementType, ItemFormat format) {
      this.element = converter(elementType, format);
      this.kind = dynamoType(elementType, format);
    }

    /** Writes the column's attribute, or nothing for an empty set; returns whether it wrote. */
    @SuppressWarnings("unchecked")
    boolean write(Object value, Column column, ItemEncoder out, ItemEncoder scratch)
        throws RejectedRowException {
      java.util.LinkedHashSet<String> strings = new java.util.LinkedHashSet<>();
      Map<java.nio.ByteBuffer, byte[]> binaries = new LinkedHashMap<>();
      for (Object e : (Collection<Object>) value) {
        if (e == null) {
          continue;
        }
        scratch.reset();
        element.write(e, scratch);
        AttributeValue member = scratch.single();
        if (kind == AttributeValue.Type.B) {
          byte[] b = member.b().asByteArrayUnsafe();
          binaries.putIfAbsent(java.nio.ByteBuffer.wrap(b), b);
        } else {
          strings.add(kind == AttributeValue.Type.N ? member.n() : member.s());
        }
      }
      if (strings.isEmpty() && binaries.isEmpty()) {
        return false;
      }
      out.attribute(column.name, column.nameIndex, column.nameBytes);
      if (kind == AttributeValue.Type.B) {
        out.binaries(binaries.values());
      } else {
        out.strings(kind == AttributeValue.Type.N, strings);
      }
      return true;
    }
  }

  /** A map key as an attribute name: strings as they are, other types by their string form. */
  static String mapKey(Object key) {
    return key instanceof byte[]
        ? Base64.getEncoder().encodeToString((byte[]) key)
        : String.valueOf(key);
  }

  /**
   * The table key's text, as {@link TableKey#keyString} writes it, of a row whose key attributes
   * are all strings from string columns ({@link #stringKeys}), checked as {@link #keyValue} does.
   */
  private String stringKeyOf(Row row) throws RejectedRowException {
    StringBuilder text = new StringBuilder(32);
    for (Column column : keyColumns) {
      String value = (String) row.getValue(column.index);
      checkStringKey(column, value);
      text.append(AttributeValue.Type.S).append(value.length()).append(':').append(value);
    }
    return text.toString();
  }

  private static void checkStringKey(Column column, String value) throws RejectedRowException {
    if (value == null) {
      throw new RejectedRowException(RejectReason.MISSING_KEY, "the " + column.key + " is null");
    }
    // UTF-8 takes at most 3 bytes per char: only a long key needs measuring.
    long bytes =
        value.length() * 3L > column.key.maxBytes()
            ? ItemSize.utf8Length(value)
            : Math.min(1, value.length());
    checkKeyBytes(column.key, bytes);
  }

  /** A top-level column: where it is, how it converts, and the key it is, if any. */
  private static final class Column implements Serializable {
    private static final long serialVersionUID = 1L;
    final String name;
    final int index;
    final int nameIndex;
    final int nameBytes;
    final Converter converter;
    final SetWriter set;
    final TableKey.Attribute key;

    /** A string column that is a string attribute of the table key: its value is the key's text. */
    final boolean stringKey;

    Column(
        String name,
        int index,
        int nameIndex,
        Converter converter,
        SetWriter set,
        TableKey.Attribute key,
        boolean stringKey) {
      this.name = name;
      this.index = index;
      this.nameIndex = nameIndex;
      this.nameBytes = ItemSize.utf8Length(name);
      this.stringKey = stringKey;
      this.converter = converter;
      this.set = set;
      this.key = key;
    }

    /** The column's value as an {@code AttributeValue}, or null: for a key, to check it. */
    AttributeValue keyValue(Object value, ItemEncoder scratch) throws RejectedRowException {
      if (value == null) {
        return null;
      }
      scratch.reset();
      converter.write(value, scratch);
      return scratch.single();
    }
  }

  /** Writes one non-null value. */
  interface Converter extends Serializable {
    void write(Object value, ItemEncoder out) throws RejectedRowException;
  }

  /** How the fields of a nested row convert: name and converter by position. */
  private static final class Field implements Serializable {
    private static final long serialVersionUID = 1L;
    final String name;
    final Converter converter;

    Field(String name, Converter converter) {
      this.name = name;
      this.converter = converter;
    }
  }

  @SuppressWarnings("unchecked")
  static Converter converter(FieldType type, ItemFormat format) {
    switch (type.getTypeName()) {
      case STRING:
        return (v, out) -> out.s((String) v);
      case BOOLEAN:
        return (v, out) -> out.bool((Boolean) v);
      case BYTE:
      case INT16:
      case INT32:
      case INT64:
        return (v, out) -> out.n(v.toString());
      case DECIMAL:
        return (v, out) -> out.n(DynamoNumbers.of((BigDecimal) v));
      case FLOAT:
        return (v, out) -> out.n(DynamoNumbers.of((Float) v));
      case DOUBLE:
        return (v, out) -> out.n(DynamoNumbers.of((Double) v));
      case BYTES:
        return (v, out) -> out.b((byte[]) v);
      case DATETIME:
        {
          int digits = IsoTimestamps.digitsOf(type);
          return (v, out) ->
              format
                  .timestamps()
                  .write(Instant.ofEpochMilli(((ReadableInstant) v).getMillis()), digits, out);
        }
      case ARRAY:
      case ITERABLE:
        {
          Converter element = converter(type.getCollectionElementType(), format);
          return (v, out) -> {
            Collection<Object> values = (Collection<Object>) v;
            out.startList(values.size());
            for (Object e : values) {
              if (e == null) {
                out.nul(); // a list keeps its positions: a null element stays, as NULL
              } else {
                element.write(e, out);
              }
            }
            out.end();
          };
        }
      case MAP:
        {
          Converter value = converter(type.getMapValueType(), format);
          boolean keepNulls = format.nulls() == ItemFormat.Nulls.NULL;
          return (v, out) -> {
            Map<Object, Object> values = (Map<Object, Object>) v;
            int count = 0;
            for (Map.Entry<Object, Object> e : values.entrySet()) {
              if (mapKey(e.getKey()).isEmpty()) {
                throw new RejectedRowException(
                    RejectReason.EMPTY_ATTRIBUTE_NAME,
                    "a map has an empty key, which DynamoDB refuses as an attribute name");
              }
              count += e.getValue() != null || keepNulls ? 1 : 0;
            }
            out.startMap(count);
            for (Map.Entry<Object, Object> e : values.entrySet()) {
              if (e.getValue() != null) {
                out.name(mapKey(e.getKey()));
                value.write(e.getValue(), out);
              } else if (keepNulls) {
                out.name(mapKey(e.getKey()));
                out.nul();
              }
            }
            out.end();
          };
        }
      case ROW:
        {
          List<Field> fields = new ArrayList<>();
          for (Schema.Field f : type.getRowSchema().getFields()) {
            fields.add(new Field(f.getName(), converter(f.getType(), format)));
          }
          boolean keepNulls = format.nulls() == ItemFormat.Nulls.NULL;
          return (v, out) -> {
            Row row = (Row) v;
            int count = 0;
            for (int i = 0; i < fields.size(); i++) {
              count += row.getValue(i) != null || keepNulls ? 1 : 0;
            }
            out.startMap(count);
            for (int i = 0; i < fields.size(); i++) {
              Object value = row.getValue(i);
              if (value != null) {
                out.name(fields.get(i).name);
                fields.get(i).converter.write(value, out);
              } else if (keepNulls) {
                out.name(fields.get(i).name);
                out.nul();
              }
            }
            out.end();
          };
        }
      case LOGICAL_TYPE:
        {
          Schema.LogicalType<Object, Object> logical =
              (Schema.LogicalType<Object, Object>) type.getLogicalType();
          if (isInstant(logical)) {
            int digits = IsoTimestamps.digitsOf(type);
            return (v, out) -> format.timestamps().write((Instant) v, digits, out);
          }
          if (isTextLogicalType(logical)) {
            // java.time's toString is ISO-8601: 2024-01-31, 08:15:30.123. A time of day sorts
            // as text even though trailing zero groups are dropped (08:15:30 is a prefix of
            // 08:15:30.5); only an instant's final Z breaks that order (IsoTimestamps).
            if (type.getLogicalType() instanceof EnumerationType) {
              EnumerationType enumeration = (EnumerationType) type.getLogicalType();
              return (v, out) -> out.s(enumeration.toString((EnumerationType.Value) v));
            }
            return (v, out) -> out.s(v.toString());
          }
          Converter base = converter(logical.getBaseType(), format);
          return (v, out) -> base.write(logical.toBaseType(v), out);
        }
      default:
        throw new IllegalArgumentException("unsupported type " + type);
    }
  }
}
