package io.parquet2dynamo.item;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import org.apache.beam.sdk.util.VarInt;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes an item straight into the encoding {@link LoadItem} keeps ({@link AttributeValues}'
 * format), while it counts the item's size as DynamoDB does ({@link ItemSize}) and how deep its
 * maps and lists nest: the converters of {@link ItemMapper} write here, value by value, instead of
 * building the AWS SDK's {@code AttributeValue}s and encoding those. Building them was the largest
 * cost of mapping a row (each builder allocates and tracks its fields), a third of a dry run's CPU;
 * the writer builds them once, from these bytes, when it sends the item.
 *
 * <p>Not thread-safe: one per mapper, reused item after item.
 */
final class ItemEncoder {
  /** The item so far: {@code buffer[0..length)}. A plain array, as a stream's locks cost 7%. */
  private byte[] buffer = new byte[1024];

  private int length;
  private long size;
  private int depth;
  private int deepest;

  /** Starts a new item. */
  void reset() {
    length = 0;
    size = 0;
    depth = 0;
    deepest = 0;
  }

  /** The item's size so far, by DynamoDB's rules. */
  long size() {
    return size;
  }

  /** The deepest nesting of maps and lists since the last call, and starts counting anew. */
  int takeDeepest() {
    int d = deepest;
    deepest = 0;
    return d;
  }

  /**
   * A top-level attribute's name: its index among the load's names (+1), or 0 and the name; {@code
   * nameBytes} is its UTF-8 length, which the caller knows once per column (measuring it for every
   * attribute of every item cost about 3% of a dry run's CPU).
   */
  void attribute(String name, int index, int nameBytes) {
    count(index + 1);
    if (index < 0) {
      text(name);
    }
    size += nameBytes;
  }

  void s(String value) {
    tag(AttributeValues.S);
    size += text(value);
  }

  void n(String value) {
    tag(AttributeValues.N);
    text(value);
    size += ItemSize.numberSize(value);
  }

  void b(byte[] value) {
    tag(AttributeValues.B);
    size += blob(value);
  }

  void bool(boolean value) {
    tag(AttributeValues.BOOL);
    tag(value ? 1 : 0);
    size += 1;
  }

  void nul() {
    tag(AttributeValues.NUL);
    size += 1;
  }

  /** A list of {@code count} elements follows, then {@link #end}. */
  void startList(int count) {
    tag(AttributeValues.L);
    count(count);
    size += 3 + count;
    enter();
  }

  /**
   * A map of {@code count} entries follows, each a {@link #name} and a value, then {@link #end}.
   */
  void startMap(int count) {
    tag(AttributeValues.M);
    count(count);
    size += 3 + count;
    enter();
  }

  /** The name of a map's entry. */
  void name(String name) {
    size += text(name);
  }

  /** Ends a list or a map. */
  void end() {
    depth--;
  }

  /** A set of strings (S) or numbers (N). */
  void strings(boolean numbers, Collection<String> members) {
    tag(numbers ? AttributeValues.NS : AttributeValues.SS);
    count(members.size());
    for (String m : members) {
      int bytes = text(m);
      size += numbers ? ItemSize.numberSize(m) : bytes;
    }
  }

  /** A set of binary values. */
  void binaries(Collection<byte[]> members) {
    tag(AttributeValues.BS);
    count(members.size());
    for (byte[] m : members) {
      size += blob(m);
    }
  }

  /** A value built already (a key, converted to the key's type). */
  void value(AttributeValue value) {
    ByteArrayOutputStream encoded = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(encoded)) {
      AttributeValues.writeValue(value, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    put(encoded.toByteArray(), encoded.size());
    size += ItemSize.of(value);
    deepest = Math.max(deepest, depth + ItemMapper.containerDepth(value));
  }

  /** The item: its {@code count} attributes, as written. */
  byte[] item(int count) {
    ByteArrayOutputStream item = new ByteArrayOutputStream(length + 5);
    try {
      VarInt.encode(count, item);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    item.write(buffer, 0, length);
    return item.toByteArray();
  }

  /** The one value written since {@link #reset}, as an {@code AttributeValue} (a key's). */
  AttributeValue single() {
    try {
      return AttributeValues.readValue(
          new DataInputStream(new ByteArrayInputStream(buffer, 0, length)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void enter() {
    depth++;
    deepest = Math.max(deepest, depth);
  }

  private void tag(int tag) {
    room(1);
    buffer[length++] = (byte) tag;
  }

  /** A non-negative int as a varint, as Beam's {@code VarInt} writes it. */
  private void count(int count) {
    room(5);
    while ((count & ~0x7F) != 0) {
      buffer[length++] = (byte) ((count & 0x7F) | 0x80);
      count >>>= 7;
    }
    buffer[length++] = (byte) count;
  }

  /** Writes text; returns its UTF-8 length. */
  private int text(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    count(utf8.length);
    put(utf8, utf8.length);
    return utf8.length;
  }

  /** Writes bytes; returns their length. */
  private int blob(byte[] value) {
    count(value.length);
    put(value, value.length);
    return value.length;
  }

  private void put(byte[] bytes, int count) {
    room(count);
    System.arraycopy(bytes, 0, buffer, length, count);
    length += count;
  }

  private void room(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }
}
