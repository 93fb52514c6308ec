package io.parquet2dynamo.item;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder.NonDeterministicException;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Coder of DynamoDB items ({@code Map<String, AttributeValue>}) for moving them between pipeline
 * steps. Beam's own {@code AttributeValueCoder} cannot encode an empty list or map (valid in
 * DynamoDB, and common: a Parquet list with no elements), and spells each value's type as a string;
 * this one handles every type with a one-byte tag.
 */
public final class AttributeValues extends AtomicCoder<Map<String, AttributeValue>> {
  private static final AttributeValues INSTANCE = new AttributeValues();

  static final int S = 1;
  static final int N = 2;
  static final int B = 3;
  static final int BOOL = 4;
  static final int NUL = 5;
  static final int L = 6;
  static final int M = 7;
  static final int SS = 8;
  static final int NS = 9;
  static final int BS = 10;

  public static AttributeValues of() {
    return INSTANCE;
  }

  private AttributeValues() {}

  @Override
  public void encode(Map<String, AttributeValue> item, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    writeMap(item, data);
    data.flush();
  }

  @Override
  public Map<String, AttributeValue> decode(InputStream in) throws IOException {
    return readMap(new DataInputStream(in));
  }

  /** Map entries are written in iteration order, so equal items may encode differently. */
  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    throw new NonDeterministicException(this, "maps are encoded in iteration order");
  }

  /**
   * Encodes an item with its top-level names as indexes into {@code names} (plus one; 0 is followed
   * by a name spelled out, for one that is not there).
   */
  static void encodeItem(
      Map<String, AttributeValue> item, AttributeNames names, DataOutputStream out)
      throws IOException {
    VarInt.encode(item.size(), out);
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      int index = names.indexOf(e.getKey());
      VarInt.encode(index + 1, out);
      if (index < 0) {
        writeString(e.getKey(), out);
      }
      writeValue(e.getValue(), out);
    }
  }

  /** The inverse of {@link #encodeItem}. */
  static Map<String, AttributeValue> decodeItem(AttributeNames names, DataInputStream in)
      throws IOException {
    int size = VarInt.decodeInt(in);
    Map<String, AttributeValue> map = new LinkedHashMap<>(Math.max(4, size * 2));
    for (int i = 0; i < size; i++) {
      int index = VarInt.decodeInt(in) - 1;
      String name = index < 0 ? readString(in) : names.name(index);
      map.put(name, readValue(in));
    }
    return map;
  }

  private static void writeMap(Map<String, AttributeValue> map, DataOutputStream out)
      throws IOException {
    VarInt.encode(map.size(), out);
    for (Map.Entry<String, AttributeValue> e : map.entrySet()) {
      writeString(e.getKey(), out);
      writeValue(e.getValue(), out);
    }
  }

  private static Map<String, AttributeValue> readMap(DataInputStream in) throws IOException {
    int size = VarInt.decodeInt(in);
    Map<String, AttributeValue> map = new LinkedHashMap<>(Math.max(4, size * 2));
    for (int i = 0; i < size; i++) {
      map.put(readString(in), readValue(in));
    }
    return map;
  }

  static void writeValue(AttributeValue value, DataOutputStream out) throws IOException {
    switch (value.type()) {
      case S:
        out.writeByte(S);
        writeString(value.s(), out);
        break;
      case N:
        out.writeByte(N);
        writeString(value.n(), out);
        break;
      case B:
        out.writeByte(B);
        writeBytes(value.b(), out);
        break;
      case BOOL:
        out.writeByte(BOOL);
        out.writeBoolean(value.bool());
        break;
      case NUL:
        out.writeByte(NUL);
        break;
      case L:
        out.writeByte(L);
        VarInt.encode(value.l().size(), out);
        for (AttributeValue element : value.l()) {
          writeValue(element, out);
        }
        break;
      case M:
        out.writeByte(M);
        writeMap(value.m(), out);
        break;
      case SS:
        out.writeByte(SS);
        writeStrings(value.ss(), out);
        break;
      case NS:
        out.writeByte(NS);
        writeStrings(value.ns(), out);
        break;
      case BS:
        out.writeByte(BS);
        VarInt.encode(value.bs().size(), out);
        for (SdkBytes b : value.bs()) {
          writeBytes(b, out);
        }
        break;
      default:
        throw new CoderException("cannot encode attribute value of type " + value.type());
    }
  }

  static AttributeValue readValue(DataInputStream in) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case S:
        return AttributeValue.fromS(readString(in));
      case N:
        return AttributeValue.fromN(readString(in));
      case B:
        return AttributeValue.fromB(readBytes(in));
      case BOOL:
        return AttributeValue.fromBool(in.readBoolean());
      case NUL:
        return AttributeValue.fromNul(true);
      case L:
        {
          int size = VarInt.decodeInt(in);
          List<AttributeValue> list = new ArrayList<>(size);
          for (int i = 0; i < size; i++) {
            list.add(readValue(in));
          }
          return AttributeValue.fromL(list);
        }
      case M:
        return AttributeValue.fromM(readMap(in));
      case SS:
        return AttributeValue.fromSs(readStrings(in));
      case NS:
        return AttributeValue.fromNs(readStrings(in));
      case BS:
        {
          int size = VarInt.decodeInt(in);
          List<SdkBytes> set = new ArrayList<>(size);
          for (int i = 0; i < size; i++) {
            set.add(readBytes(in));
          }
          return AttributeValue.fromBs(set);
        }
      default:
        throw new CoderException("unknown attribute value tag " + tag);
    }
  }

  static void writeString(String s, DataOutputStream out) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    VarInt.encode(bytes.length, out);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] bytes = new byte[VarInt.decodeInt(in)];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static void writeBytes(SdkBytes b, DataOutputStream out) throws IOException {
    byte[] bytes = b.asByteArrayUnsafe();
    VarInt.encode(bytes.length, out);
    out.write(bytes);
  }

  private static SdkBytes readBytes(DataInputStream in) throws IOException {
    byte[] bytes = new byte[VarInt.decodeInt(in)];
    in.readFully(bytes);
    return SdkBytes.fromByteArrayUnsafe(bytes);
  }

  private static void writeStrings(List<String> strings, DataOutputStream out) throws IOException {
    VarInt.encode(strings.size(), out);
    for (String s : strings) {
      writeString(s, out);
    }
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int size = VarInt.decodeInt(in);
    List<String> strings = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      strings.add(readString(in));
    }
    return strings;
  }
}
