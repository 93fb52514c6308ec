package io.parquet2dynamo.item;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attribute names an item of a load can have, known from the schema when the pipeline is built.
 * An encoded {@link LoadItem} refers to its top-level names by their index here rather than
 * spelling each out: on a typical table the names are half of an item's bytes, and every item
 * waiting in a de-duplication group or crossing a shuffle carries them.
 */
public final class AttributeNames implements Serializable {
  private static final long serialVersionUID = 1L;

  /** No names: every name is spelled out. */
  public static final AttributeNames NONE = new AttributeNames(List.of());

  private final String[] names;
  private transient Map<String, Integer> index;

  public AttributeNames(List<String> names) {
    this.names = names.toArray(new String[0]);
  }

  /** The name's index, or -1 if it is not one of these. */
  int indexOf(String name) {
    if (index == null) {
      Map<String, Integer> built = new HashMap<>(names.length * 2);
      for (int i = 0; i < names.length; i++) {
        built.put(names[i], i);
      }
      index = built;
    }
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  String name(int index) {
    return names[index];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttributeNames && Arrays.equals(names, ((AttributeNames) o).names);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(names);
  }

  @Override
  public String toString() {
    return Arrays.toString(names);
  }
}
