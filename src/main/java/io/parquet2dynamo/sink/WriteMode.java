package io.parquet2dynamo.sink;

import io.parquet2dynamo.InvalidInputException;
import java.io.Serializable;

/**
 * How items reach the table ({@code --writeMode}): {@code put} (BatchWriteItem of puts, the
 * default), {@code putIfAbsent} (a put only where no item has the key), {@code putIfNewer:<column>}
 * (a put only where the stored item's column is older or absent) and {@code delete} (delete the
 * items whose keys appear in the input). The conditional modes need one PutItem per item, with a
 * condition expression.
 */
public final class WriteMode implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kinds of write. */
  public enum Kind {
    PUT,
    PUT_IF_ABSENT,
    PUT_IF_NEWER,
    DELETE
  }

  private final Kind kind;
  private final String column;

  private WriteMode(Kind kind, String column) {
    this.kind = kind;
    this.column = column;
  }

  /**
   * Parses the option's text.
   *
   * @throws InvalidInputException naming the valid values
   */
  public static WriteMode parse(String text) {
    String t = text == null ? "put" : text.strip();
    if (t.equals("put") || t.isEmpty()) {
      return new WriteMode(Kind.PUT, null);
    } else if (t.equals("putIfAbsent")) {
      return new WriteMode(Kind.PUT_IF_ABSENT, null);
    } else if (t.equals("delete")) {
      return new WriteMode(Kind.DELETE, null);
    } else if (t.startsWith("putIfNewer:") && t.length() > "putIfNewer:".length()) {
      return new WriteMode(Kind.PUT_IF_NEWER, t.substring("putIfNewer:".length()));
    }
    throw new InvalidInputException(
        "--writeMode="
            + text
            + " is not a valid value; use one of put, putIfAbsent, putIfNewer:<column>, delete");
  }

  public Kind kind() {
    return kind;
  }

  /** The column {@code putIfNewer} compares, else null. */
  public String column() {
    return column;
  }

  /** Whether items go in BatchWriteItem calls of 25 (put, delete) rather than one by one. */
  boolean batched() {
    return kind == Kind.PUT || kind == Kind.DELETE;
  }

  @Override
  public String toString() {
    switch (kind) {
      case PUT_IF_ABSENT:
        return "putIfAbsent";
      case PUT_IF_NEWER:
        return "putIfNewer:" + column;
      case DELETE:
        return "delete";
      default:
        return "put";
    }
  }
}
