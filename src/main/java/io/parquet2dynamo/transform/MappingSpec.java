package io.parquet2dynamo.transform;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.parquet2dynamo.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;

/**
 * The mapping file ({@code --mapping}), YAML or JSON, as written (see docs/MAPPING.md):
 *
 * <pre>
 * select: [order_id, line, amount, region]     # input columns to keep (default: all)
 * rename: {order_id: pk}                       # column: attribute
 * cast: {amount: string, line: number}         # string, number, boolean, binary, epochSeconds...
 * filter: "amount > 100 &amp;&amp; region == 'eu'"    # a JEXL expression; false or null drops the row
 * derive:                                      # new attributes
 *   sk: {template: "{country}#{city}"}
 *   total: {expr: "quantity * unit_price", type: number}
 *   source: "'parquet'"                        # short form: an expression giving a string
 * join: {path: "s3://b/customers/", on: {customer: id}, columns: [segment], type: left}
 * sets: [tags]                                 # written as SS / NS / BS
 * ttl: {attribute: expires_at, from: ordered_at, addSeconds: 7776000}
 * </pre>
 *
 * <p>Unknown keys are refused, naming the known ones, so a typo never silently does nothing.
 */
public final class MappingSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A derived attribute: an expression or a template, and the type of its value. */
  public static final class Derived implements Serializable {
    private static final long serialVersionUID = 1L;

    @JsonProperty public String expr;
    @JsonProperty public String template;

    /** string (default), number or boolean. */
    @JsonProperty public Cast type;

    /** The short form: {@code name: "expression"}. */
    public static Derived ofExpression(String expression) {
      Derived d = new Derived();
      d.expr = expression;
      return d;
    }
  }

  @JsonProperty public List<String> select;
  @JsonProperty public Map<String, String> rename = new LinkedHashMap<>();
  @JsonProperty public Map<String, Cast> cast = new LinkedHashMap<>();
  @JsonProperty public String filter;
  @JsonProperty public Map<String, Object> derive = new LinkedHashMap<>();

  /** Columns written as DynamoDB sets (SS, NS or BS): duplicates dropped, empty ones omitted. */
  @JsonProperty public List<String> sets = new java.util.ArrayList<>();

  /** A second Parquet dataset joined to the input by key, before the other steps. */
  @JsonProperty public Join join;

  /** The {@code join} entry. */
  public static final class Join implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The dataset: a pattern as --inputPath takes (s3:// or local, globs, folders). */
    @JsonProperty public String path;

    /** The key: {input column: joined column}, e.g. {customer: customer_id}. One pair. */
    @JsonProperty public Map<String, String> on = new LinkedHashMap<>();

    /** The joined dataset's columns to add (default: all but the key). */
    @JsonProperty public List<String> columns;

    /** inner (default: rows without a match are filtered out) or left (they keep nulls). */
    @JsonProperty public String type = "inner";
  }

  /** A time-to-live attribute: epoch seconds of a timestamp column (or loadTime) plus an offset. */
  @JsonProperty public Ttl ttl;

  /** The {@code ttl} entry. */
  public static final class Ttl implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The attribute to write, e.g. the table's TTL attribute {@code expires_at}. */
    @JsonProperty public String attribute;

    /** A timestamp column, or {@code loadTime}. */
    @JsonProperty public String from;

    /** Seconds to add, e.g. 7776000 for 90 days. */
    @JsonProperty public long addSeconds;
  }

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Reads a mapping file from a local path or an {@code s3://} URL; YAML is a superset of JSON. */
  public static MappingSpec load(String location) {
    try (InputStream in =
        Channels.newInputStream(
            FileSystems.open(FileSystems.matchSingleFileSpec(location).resourceId()))) {
      return parse(in, location);
    } catch (InvalidInputException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidInputException(
          "--mapping: cannot read " + location + ": " + e.getMessage(), e);
    }
  }

  private static final JsonSchema SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(MappingSpec.class.getResourceAsStream("mapping.schema.json"));

  static MappingSpec parse(InputStream in, String location) {
    MappingSpec spec;
    try {
      JsonNode tree = YAML.readTree(in);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        throw new InvalidInputException("--mapping " + location + " is empty");
      }
      Set<ValidationMessage> problems = SCHEMA.validate(tree);
      if (!problems.isEmpty()) {
        // The first problem, with where it is: "$.cast.amount: does not have a value in the enum".
        throw new InvalidInputException(
            "--mapping "
                + location
                + " does not follow the mapping schema (see docs/MAPPING.md): "
                + problems.stream()
                    .map(ValidationMessage::getMessage)
                    .sorted()
                    .collect(Collectors.joining("; "))
                + (problems.stream().anyMatch(p -> p.getMessage().startsWith("$: property"))
                    ? " (the keys are select, rename, cast, filter, derive, sets, ttl, join)"
                    : ""));
      }
      spec = YAML.treeToValue(tree, MappingSpec.class);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidInputException(
          "--mapping "
              + location
              + ": unknown key '"
              + e.getPropertyName()
              + "'; the keys are "
              + e.getKnownPropertyIds());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidInputException(
          "--mapping " + location + " is not valid YAML or JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidInputException("--mapping: cannot read " + location + ": " + e, e);
    }
    if (spec == null) {
      throw new InvalidInputException("--mapping " + location + " is empty");
    }
    return spec;
  }

  /** The derived attributes in their long form. */
  Map<String, Derived> derived() {
    Map<String, Derived> out = new LinkedHashMap<>();
    derive.forEach(
        (name, value) -> {
          if (value instanceof String) {
            out.put(name, Derived.ofExpression((String) value));
          } else if (value instanceof Map) {
            Derived d = YAML.convertValue(value, Derived.class);
            out.put(name, d);
          } else {
            throw new InvalidInputException(
                "--mapping: derive." + name + " must be an expression or {expr|template, type}");
          }
        });
    return out;
  }
}
