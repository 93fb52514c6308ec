package io.parquet2dynamo.sink;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.options.KindAndColumn;
import java.io.Serializable;
import java.util.List;

/**
 * How items reach the table ({@code --writeMode}): {@code put} (BatchWriteItem of puts, the
 * default), {@code putIfAbsent} (a put only where no item has the key), {@code putIfNewer:<column>}
 * (a put only where the stored item's column is older or absent), {@code update} (one UpdateItem
 * per item: the item's attributes are set, the stored item's others kept) and {@code delete}
 * (delete the items whose keys appear in the input). The conditional modes need one PutItem per
 * item, with a condition expression.
 *
 * <p>{@code export} and {@code import} write no item to DynamoDB: the items go to files in
 * ImportTable's input format ({@code io.parquet2dynamo.export}), which {@code import} then hands to
 * DynamoDB's ImportTable to create the table. {@link DynamoDbWrite} refuses them.
 */
public final class WriteMode implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kinds of write, with the option's spelling of each. */
  public enum Kind {
    PUT("put"),
    PUT_IF_ABSENT("putIfAbsent"),
    PUT_IF_NEWER("putIfNewer:<column>"),
    UPDATE("update"),
    DELETE("delete"),
    EXPORT("export"),
    IMPORT("import");

    private final String form;

    Kind(String form) {
      this.form = form;
    }

    static Kind of(String kind) {
      for (Kind k : values()) {
        if (k.form.equals(kind) || k.form.startsWith(kind + ":")) {
          return k;
        }
      }
      throw new IllegalArgumentException(kind);
    }
  }

  private static final List<String> FORMS =
      java.util.Arrays.stream(Kind.values()).map(k -> k.form).toList();

  private final Kind kind;
  private final String column;

  private WriteMode(Kind kind, String column) {
    this.kind = kind;
    this.column = column;
  }

  /**
   * Parses the option's text; null or blank is {@code put}.
   *
   * @throws InvalidInputException naming the valid values
   */
  public static WriteMode parse(String text) {
    KindAndColumn value = KindAndColumn.parse("writeMode", text, FORMS);
    return new WriteMode(Kind.of(value.kind()), value.column());
  }

  public Kind kind() {
    return kind;
  }

  /** The column {@code putIfNewer} compares, else null. */
  public String column() {
    return column;
  }

  /** Whether items go in BatchWriteItem calls of 25 (put, delete) rather than one by one. */
  public boolean batched() {
    return kind == Kind.PUT || kind == Kind.DELETE;
  }

  /**
   * Whether the items go to files rather than to the table ({@code export}, and {@code import},
   * which exports first).
   */
  public boolean exports() {
    return kind == Kind.EXPORT || kind == Kind.IMPORT;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriteMode
        && ((WriteMode) o).kind == kind
        && java.util.Objects.equals(((WriteMode) o).column, column);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, column);
  }

  @Override
  public String toString() {
    return column == null ? kind.form : kind.form.replace("<column>", column);
  }
}
