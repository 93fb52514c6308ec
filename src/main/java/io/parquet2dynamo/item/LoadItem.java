package io.parquet2dynamo.item;

import io.parquet2dynamo.deadletter.DeadLetter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.util.VarInt;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB item on its way to the table, with the place in the input it came from: the sink's
 * duplicate rule orders by it, and a failed write can name it.
 *
 * <p>The attributes are kept encoded (by {@link AttributeValues}) and decoded when asked for. An
 * item waits, with every other item, in the sink's de-duplication group, which the DirectRunner
 * holds in memory: as AWS SDK objects an item of 300 bytes took about 4 KB of heap, and a load of a
 * million rows exhausted a 4 GB heap (scripts/bench.sh); encoded it takes about its own size.
 * Between steps the coder then copies the bytes rather than re-encoding every attribute. Top-level
 * attribute names are encoded as indexes into the load's {@link AttributeNames}.
 */
public final class LoadItem {
  private final byte[] encoded;
  private final AttributeNames names;

  /**
   * The item's size by DynamoDB's rules ({@link ItemSize}), worked out when it was made: what a
   * write costs and a dry run estimates, without decoding the item to measure it.
   */
  private final long size;

  private final String sourceFile;
  private final long sourceRow;

  /** Why the row is no item, or null: a rejection travels in the items' stream (see below). */
  private final DeadLetter rejection;

  public LoadItem(Map<String, AttributeValue> attributes, String sourceFile, long sourceRow) {
    this(attributes, AttributeNames.NONE, sourceFile, sourceRow);
  }

  /**
   * @param names the attribute names the item is likely to have, encoded as indexes into them
   */
  public LoadItem(
      Map<String, AttributeValue> attributes,
      AttributeNames names,
      String sourceFile,
      long sourceRow) {
    this(
        encodeAttributes(attributes, names), names, ItemSize.of(attributes), sourceFile, sourceRow);
  }

  private LoadItem(
      byte[] encoded, AttributeNames names, long size, String sourceFile, long sourceRow) {
    this.encoded = encoded;
    this.names = names;
    this.size = size;
    this.sourceFile = sourceFile;
    this.sourceRow = sourceRow;
    this.rejection = null;
  }

  private LoadItem(DeadLetter rejection) {
    this.encoded = null;
    this.names = AttributeNames.NONE;
    this.size = 0;
    this.sourceFile = rejection.sourceFile();
    this.sourceRow = rejection.sourceRow();
    this.rejection = rejection;
  }

  /**
   * An item encoded already ({@link ItemMapper#encode}), with the names it was encoded with and its
   * size by DynamoDB's rules.
   */
  public static LoadItem encoded(
      byte[] encoded, AttributeNames names, long size, String sourceFile, long sourceRow) {
    return new LoadItem(encoded, names, size, sourceFile, sourceRow);
  }

  /**
   * A row that did not become an item, in the items' stream, keyed by {@link #REJECTED_KEY}: the
   * steps after pass it on, and the writer hands it over as a dead letter. One stream rather than a
   * second output, because the SparkRunner keeps every output of a step with several (in memory,
   * serialized) and the items would be kept with the few rejections (like Dataflow Templates'
   * {@code FailsafeElement}).
   */
  public static LoadItem rejected(DeadLetter rejection) {
    return new LoadItem(rejection);
  }

  /** The key of a rejected row in the items' stream: no table key is empty. */
  public static final String REJECTED_KEY = "";

  /** Why the row did not become an item, or null for an item. */
  public DeadLetter rejection() {
    return rejection;
  }

  /** The item's attributes, decoded anew on each call: callers keep what they need. */
  public Map<String, AttributeValue> attributes() {
    if (rejection != null) {
      throw new IllegalStateException("a rejected row has no attributes: " + rejection);
    }
    try {
      return AttributeValues.decodeItem(
          names, new DataInputStream(new ByteArrayInputStream(encoded)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The item's size by DynamoDB's rules ({@link ItemSize}); 0 for a rejected row. */
  public long size() {
    return size;
  }

  /** The item's size in its encoded form, a close lower bound of its size in memory. */
  public int encodedSize() {
    return rejection != null ? 0 : encoded.length;
  }

  private static byte[] encodeAttributes(
      Map<String, AttributeValue> attributes, AttributeNames names) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      AttributeValues.encodeItem(attributes, names, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The Parquet file the item's row came from, or null if a transform dropped that field. */
  public String sourceFile() {
    return sourceFile;
  }

  public long sourceRow() {
    return sourceRow;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LoadItem)) {
      return false;
    }
    LoadItem other = (LoadItem) o;
    if (rejection != null || other.rejection != null) {
      return Objects.equals(rejection, other.rejection);
    }
    return sourceRow == other.sourceRow
        && Objects.equals(sourceFile, other.sourceFile)
        && attributes().equals(other.attributes());
  }

  @Override
  public int hashCode() {
    return rejection != null
        ? rejection.hashCode()
        : Objects.hash(attributes(), sourceFile, sourceRow);
  }

  @Override
  public String toString() {
    return sourceFile + "#" + sourceRow + " " + (rejection != null ? rejection : attributes());
  }

  /**
   * Coder of items in flight between pipeline steps: the encoded attributes as they are, when they
   * were encoded with this coder's names (as every item of a load is).
   */
  public static final class ItemCoder extends CustomCoder<LoadItem> {
    private static final ItemCoder NO_NAMES = new ItemCoder(AttributeNames.NONE);
    private static final Coder<byte[]> BYTES = ByteArrayCoder.of();
    private static final Coder<String> FILE = NullableCoder.of(StringUtf8Coder.of());

    private final AttributeNames names;

    private ItemCoder(AttributeNames names) {
      this.names = names;
    }

    public static ItemCoder of() {
      return NO_NAMES;
    }

    public static ItemCoder of(AttributeNames names) {
      return new ItemCoder(names);
    }

    @Override
    public void encode(LoadItem value, OutputStream out) throws IOException {
      if (value.rejection != null) {
        out.write(REJECTION);
        DeadLetter.coder().encode(value.rejection, out);
        return;
      }
      out.write(ITEM);
      byte[] bytes =
          value.names.equals(names) ? value.encoded : encodeAttributes(value.attributes(), names);
      BYTES.encode(bytes, out);
      VarInt.encode(value.size, out);
      FILE.encode(value.sourceFile, out);
      VarLongCoder.of().encode(value.sourceRow, out);
    }

    @Override
    public LoadItem decode(InputStream in) throws IOException {
      if (in.read() == REJECTION) {
        return new LoadItem(DeadLetter.coder().decode(in));
      }
      return new LoadItem(
          BYTES.decode(in),
          names,
          VarInt.decodeLong(in),
          FILE.decode(in),
          VarLongCoder.of().decode(in));
    }

    private static final int ITEM = 0;
    private static final int REJECTION = 1;

    @Override
    public boolean equals(Object o) {
      return o instanceof ItemCoder && ((ItemCoder) o).names.equals(names);
    }

    @Override
    public int hashCode() {
      return names.hashCode();
    }
  }
}
