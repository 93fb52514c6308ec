package io.parquet2dynamo.item;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB item on its way to the table, with the place in the input it came from: the sink's
 * duplicate rule orders by it, and a failed write can name it.
 */
public final class LoadItem {
  private final Map<String, AttributeValue> attributes;
  private final String sourceFile;
  private final long sourceRow;

  public LoadItem(Map<String, AttributeValue> attributes, String sourceFile, long sourceRow) {
    this.attributes = attributes;
    this.sourceFile = sourceFile;
    this.sourceRow = sourceRow;
  }

  public Map<String, AttributeValue> attributes() {
    return attributes;
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
    return sourceRow == other.sourceRow
        && Objects.equals(sourceFile, other.sourceFile)
        && attributes.equals(other.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(attributes, sourceFile, sourceRow);
  }

  @Override
  public String toString() {
    return sourceFile + "#" + sourceRow + " " + attributes;
  }

  /** Coder of items in flight between pipeline steps. */
  public static final class ItemCoder extends AtomicCoder<LoadItem> {
    private static final ItemCoder INSTANCE = new ItemCoder();
    private static final Coder<Map<String, AttributeValue>> ATTRIBUTES = AttributeValues.of();
    private static final Coder<String> FILE = NullableCoder.of(StringUtf8Coder.of());

    public static ItemCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(LoadItem value, OutputStream out) throws IOException {
      ATTRIBUTES.encode(value.attributes, out);
      FILE.encode(value.sourceFile, out);
      VarLongCoder.of().encode(value.sourceRow, out);
    }

    @Override
    public LoadItem decode(InputStream in) throws IOException {
      return new LoadItem(ATTRIBUTES.decode(in), FILE.decode(in), VarLongCoder.of().decode(in));
    }
  }
}
