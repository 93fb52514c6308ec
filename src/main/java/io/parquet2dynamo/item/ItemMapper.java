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
import software.amazon.awssdk.core.SdkBytes;
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
    if (columns == null) {
      columns = columns(schema, format);
    }
    Map<String, AttributeValue> item = new HashMap<>(columns.size() * 2);
    putAttributes(row, columns, item, format.nulls());
    for (TableKey.Attribute attribute : key.attributes()) {
      item.put(attribute.name, keyValue(attribute, item.get(attribute.name)));
    }
    for (TableKey.Attribute attribute : key.indexAttributes()) {
      AttributeValue value = item.get(attribute.name);
      if (value != null && value.type() == AttributeValue.Type.NUL) {
        // Even with --nullPolicy=null: DynamoDB refuses NULL as an index key value.
        item.remove(attribute.name);
      } else if (value != null) {
        // Absent is fine: the item just stays out of that (sparse) index.
        item.put(attribute.name, keyValue(attribute, value));
      }
    }
    if (mayNestTooDeep) {
      for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
        int depth = containerDepth(e.getValue());
        if (depth > MAX_NESTED_CONTAINERS) {
          throw new RejectedRowException(
              RejectReason.NESTING_TOO_DEEP,
              "attribute '"
                  + e.getKey()
                  + "' nests "
                  + depth
                  + " maps and lists; DynamoDB's limit is 32 levels, the item included");
        }
      }
    }
    long size = ItemSize.of(item);
    if (size > ItemSize.MAX_ITEM_BYTES) {
      throw new RejectedRowException(
          RejectReason.ITEM_TOO_LARGE,
          "the item is " + size + " bytes; DynamoDB's limit is " + ItemSize.MAX_ITEM_BYTES);
    }
    return item;
  }

  /**
   * The table key of the item {@code row} would become, as {@link TableKey#keyString}, converted
   * and checked as {@link #toItem} does, from the key columns alone: what the duplicate rule needs
   * of a row.
   *
   * @throws RejectedRowException when the row's key is missing, empty or of the wrong type
   */
  public String keyOf(Row row) throws RejectedRowException {
    if (columns == null) {
      columns = columns(schema, format);
    }
    if (keyColumns == null) {
      List<Column> found = new ArrayList<>();
      for (TableKey.Attribute attribute : key.attributes()) {
        columns.stream().filter(c -> c.name.equals(attribute.name)).forEach(found::add);
      }
      keyColumns = found;
    }
    Map<String, AttributeValue> item = new HashMap<>(4);
    for (int i = 0; i < keyColumns.size(); i++) {
      TableKey.Attribute attribute = key.attributes().get(i);
      Column column = keyColumns.get(i);
      Object value = row.getValue(column.index);
      AttributeValue converted = value == null ? null : column.converter.convert(value);
      item.put(attribute.name, keyValue(attribute, converted));
    }
    return key.keyString(item);
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
    return value;
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

  private static List<Column> columns(Schema schema, ItemFormat format) {
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < schema.getFieldCount(); i++) {
      Schema.Field field = schema.getField(i);
      if (!SourceFields.isSourceField(field.getName())) {
        columns.add(
            new Column(
                field.getName(),
                i,
                isSet(field)
                    ? setConverter(field.getType(), format)
                    : converter(field.getType(), format)));
      }
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
  @SuppressWarnings("unchecked")
  private static Converter setConverter(FieldType type, ItemFormat format) {
    Converter element = converter(type.getCollectionElementType(), format);
    AttributeValue.Type kind = dynamoType(type.getCollectionElementType(), format);
    return v -> {
      java.util.LinkedHashSet<Object> members = new java.util.LinkedHashSet<>();
      for (Object e : (Collection<Object>) v) {
        if (e == null) {
          continue;
        }
        AttributeValue a = element.convert(e);
        members.add(
            kind == AttributeValue.Type.N ? a.n() : kind == AttributeValue.Type.S ? a.s() : a.b());
      }
      if (members.isEmpty()) {
        return null; // DynamoDB refuses an empty set
      }
      List<String> strings = new ArrayList<>();
      List<SdkBytes> bytes = new ArrayList<>();
      for (Object m : members) {
        if (m instanceof SdkBytes) {
          bytes.add((SdkBytes) m);
        } else {
          strings.add((String) m);
        }
      }
      return kind == AttributeValue.Type.N
          ? AttributeValue.fromNs(strings)
          : kind == AttributeValue.Type.S
              ? AttributeValue.fromSs(strings)
              : AttributeValue.fromBs(bytes);
    };
  }

  /** A map key as an attribute name: strings as they are, other types by their string form. */
  static String mapKey(Object key) {
    return key instanceof byte[]
        ? Base64.getEncoder().encodeToString((byte[]) key)
        : String.valueOf(key);
  }

  /** Converts the row's columns into {@code into}; null values are omitted or NULL, per policy. */
  private static void putAttributes(
      Row row, List<Column> columns, Map<String, AttributeValue> into, ItemFormat.Nulls nulls)
      throws RejectedRowException {
    for (Column column : columns) {
      Object value = row.getValue(column.index);
      if (value == null) {
        if (nulls == ItemFormat.Nulls.NULL) {
          into.put(column.name, NULL);
        }
      } else {
        AttributeValue attribute = column.converter.convert(value);
        if (attribute != null) {
          into.put(column.name, attribute);
        }
      }
    }
  }

  private static final class Column {
    final String name;
    final int index;
    final Converter converter;

    Column(String name, int index, Converter converter) {
      this.name = name;
      this.index = index;
      this.converter = converter;
    }
  }

  /** Converts one non-null value; returns null to omit the attribute. */
  interface Converter {
    AttributeValue convert(Object value) throws RejectedRowException;
  }

  private static final AttributeValue NULL = AttributeValue.fromNul(true);

  @SuppressWarnings("unchecked")
  static Converter converter(FieldType type, ItemFormat format) {
    switch (type.getTypeName()) {
      case STRING:
        return v -> AttributeValue.fromS((String) v);
      case BOOLEAN:
        return v -> AttributeValue.fromBool((Boolean) v);
      case BYTE:
      case INT16:
      case INT32:
      case INT64:
        return v -> AttributeValue.fromN(v.toString());
      case DECIMAL:
        return v -> AttributeValue.fromN(DynamoNumbers.of((BigDecimal) v));
      case FLOAT:
        return v -> AttributeValue.fromN(DynamoNumbers.of((Float) v));
      case DOUBLE:
        return v -> AttributeValue.fromN(DynamoNumbers.of((Double) v));
      case BYTES:
        return v -> AttributeValue.fromB(SdkBytes.fromByteArray((byte[]) v));
      case DATETIME:
        {
          int digits = IsoTimestamps.digitsOf(type);
          return v ->
              format
                  .timestamps()
                  .write(Instant.ofEpochMilli(((ReadableInstant) v).getMillis()), digits);
        }
      case ARRAY:
      case ITERABLE:
        {
          Converter element = converter(type.getCollectionElementType(), format);
          return v -> {
            Collection<Object> values = (Collection<Object>) v;
            List<AttributeValue> list = new ArrayList<>(values.size());
            for (Object e : values) {
              AttributeValue a = e == null ? null : element.convert(e);
              // A list keeps its positions: a null element stays, as NULL.
              list.add(a == null ? NULL : a);
            }
            return AttributeValue.fromL(list);
          };
        }
      case MAP:
        {
          Converter value = converter(type.getMapValueType(), format);
          return v -> {
            Map<Object, Object> values = (Map<Object, Object>) v;
            Map<String, AttributeValue> map = new LinkedHashMap<>(values.size() * 2);
            for (Map.Entry<Object, Object> e : values.entrySet()) {
              String name = mapKey(e.getKey());
              if (name.isEmpty()) {
                throw new RejectedRowException(
                    RejectReason.EMPTY_ATTRIBUTE_NAME,
                    "a map has an empty key, which DynamoDB refuses as an attribute name");
              }
              if (e.getValue() != null) {
                AttributeValue a = value.convert(e.getValue());
                if (a != null) {
                  map.put(name, a);
                }
              } else if (format.nulls() == ItemFormat.Nulls.NULL) {
                map.put(name, NULL);
              }
            }
            return AttributeValue.fromM(map);
          };
        }
      case ROW:
        {
          List<Column> nested = columns(type.getRowSchema(), format);
          return v -> {
            Map<String, AttributeValue> map = new LinkedHashMap<>(nested.size() * 2);
            putAttributes((Row) v, nested, map, format.nulls());
            return AttributeValue.fromM(map);
          };
        }
      case LOGICAL_TYPE:
        {
          Schema.LogicalType<Object, Object> logical =
              (Schema.LogicalType<Object, Object>) type.getLogicalType();
          if (isInstant(logical)) {
            int digits = IsoTimestamps.digitsOf(type);
            return v -> format.timestamps().write((Instant) v, digits);
          }
          if (isTextLogicalType(logical)) {
            // java.time's toString is ISO-8601: 2024-01-31, 08:15:30.123. A time of day sorts
            // as text even though trailing zero groups are dropped (08:15:30 is a prefix of
            // 08:15:30.5); only an instant's final Z breaks that order (IsoTimestamps).
            if (type.getLogicalType() instanceof EnumerationType) {
              EnumerationType enumeration = (EnumerationType) type.getLogicalType();
              return v -> AttributeValue.fromS(enumeration.toString((EnumerationType.Value) v));
            }
            return v -> AttributeValue.fromS(v.toString());
          }
          Converter base = converter(logical.getBaseType(), format);
          return v -> base.convert(logical.toBaseType(v));
        }
      default:
        throw new IllegalArgumentException("unsupported type " + type);
    }
  }
}
