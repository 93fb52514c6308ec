package io.parquet2dynamo.options;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.Secrets;
import java.beans.Introspector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Turns a command line as AWS Glue (or a person) writes it into the {@code --key=value} arguments
 * Beam's {@link PipelineOptionsFactory} parses.
 *
 * <p>Glue calls {@code main} with {@code --key value} as two entries, in no fixed order, and adds
 * its own keys ({@code --JOB_NAME}, {@code --JOB_RUN_ID}, {@code --TempDir}...), some with empty
 * values. Here:
 *
 * <ul>
 *   <li>{@code --key=value} is kept as it is; {@code --key value} becomes {@code --key=value}. A
 *       key known to take a value takes the next entry whatever it looks like, so {@code
 *       --deadLetterPath --odd-dir} is a value, not a key. A boolean takes the next entry only when
 *       it is {@code true} or {@code false}; alone it means true.
 *   <li>Glue's own keys are kept aside with their values ({@link Normalised#glueArguments()}), out
 *       of what Beam parses; {@code JOB_NAME} and {@code JOB_RUN_ID} also become Beam's {@code
 *       --jobName} unless one is given. The bookmark settings read {@code job-bookmark-option},
 *       {@code TempDir} and {@code JOB_NAME} from there.
 *   <li>An unknown key is a one-line error that suggests the nearest option ({@code --inputPth}:
 *       did you mean {@code --inputPath}?), rather than Beam's long list.
 * </ul>
 */
public final class JobArguments {
  /** Keys AWS Glue passes to every job, or that a job definition sets for Glue itself. */
  static final Set<String> GLUE_KEYS =
      Set.of(
          "JOB_ID",
          "JOB_RUN_ID",
          "JOB_NAME",
          "WORKFLOW_NAME",
          "WORKFLOW_RUN_ID",
          "job-bookmark-option",
          "TempDir",
          "RedshiftTempDir",
          "job-language",
          "class",
          "scriptLocation",
          "extra-jars",
          "extra-files",
          "extra-py-files",
          "user-jars-first",
          "conf",
          "datalake-formats",
          "encryption-type",
          "security_configuration",
          "additional-python-modules",
          "python-modules-installer-option",
          "spark-event-logs-path",
          "executor-cores",
          "customer-driver-env-vars",
          "customer-executor-env-vars",
          // Glue 5's log group and stream prefixes; runners/glue/job.json sets the first.
          "custom-logGroup-prefix",
          "custom-logStream-prefix");

  /** Families of Glue flags ({@code --enable-metrics}, {@code --continuous-log-logGroup}...). */
  private static final List<String> GLUE_KEY_PREFIXES =
      List.of("enable-", "continuous-log-", "disable-", "auto-scale-");

  /** Every option Beam knows, by name: whether it is a boolean. */
  private final Map<String, Boolean> optionTypes = new TreeMap<>();

  /** Options that hold several values, and so may be given more than once. */
  private final Set<String> multiValued = new TreeSet<>();

  private final Set<String> ownOptions = new TreeSet<>();

  /** Knows every option of the interfaces registered with Beam, plus {@code options}. */
  public JobArguments(Class<? extends PipelineOptions> options) {
    PipelineOptionsFactory.register(options);
    for (Class<? extends PipelineOptions> iface : PipelineOptionsFactory.getRegisteredOptions()) {
      properties(iface, optionTypes);
      for (java.lang.reflect.Method m : iface.getMethods()) {
        String name = propertyName(m);
        Class<?> type = m.getReturnType();
        if (name != null && (type.isArray() || java.util.Collection.class.isAssignableFrom(type))) {
          multiValued.add(name);
        }
      }
    }
    Map<String, Boolean> own = new TreeMap<>();
    properties(options, own);
    // Only what this interface declares itself: the job's own options, not Beam's.
    for (java.lang.reflect.Method m : options.getDeclaredMethods()) {
      String name = propertyName(m);
      if (name != null && own.containsKey(name)) {
        ownOptions.add(name);
      }
    }
  }

  /**
   * The bean properties of an options interface, as Beam names them (a getter with a setter: {@code
   * getInputPath} is {@code inputPath}), and whether each is a boolean.
   */
  private static void properties(Class<?> iface, Map<String, Boolean> into) {
    for (java.lang.reflect.Method m : iface.getMethods()) {
      String name = propertyName(m);
      if (name != null && m.getParameterCount() == 0) {
        Class<?> type = m.getReturnType();
        into.put(name, type == boolean.class || type == Boolean.class);
      }
    }
  }

  private static String propertyName(java.lang.reflect.Method m) {
    String n = m.getName();
    String base =
        n.startsWith("get") && n.length() > 3
            ? n.substring(3)
            : n.startsWith("is") && n.length() > 2 ? n.substring(2) : null;
    return base == null || m.getParameterCount() != 0 ? null : Introspector.decapitalize(base);
  }

  /** Whether {@code key} is one of Glue's own arguments. */
  static boolean isGlueKey(String key) {
    return GLUE_KEYS.contains(key) || GLUE_KEY_PREFIXES.stream().anyMatch(key::startsWith);
  }

  /** A command line, normalised: what Beam parses, and Glue's own arguments kept aside. */
  public static final class Normalised {
    private final List<String> beamArguments;
    private final Map<String, String> glueArguments;

    Normalised(List<String> beamArguments, Map<String, String> glueArguments) {
      this.beamArguments = List.copyOf(beamArguments);
      this.glueArguments = java.util.Collections.unmodifiableMap(new TreeMap<>(glueArguments));
    }

    /** The {@code --key=value} arguments for {@link PipelineOptionsFactory#fromArgs}. */
    public List<String> beamArguments() {
      return beamArguments;
    }

    /**
     * Glue's own keys (without their dashes) and their values as given, e.g. {@code
     * job-bookmark-option -> job-bookmark-enable}, {@code TempDir -> s3://...}, {@code JOB_NAME ->
     * nightly}; a flag given without a value maps to the empty string. Each key appears once: the
     * last value given wins.
     */
    public Map<String, String> glueArguments() {
      return glueArguments;
    }
  }

  /**
   * The arguments for {@link PipelineOptionsFactory#fromArgs}: {@link #parse}'s Beam arguments.
   *
   * @throws InvalidInputException for an unknown key, a key without its value, or a stray value
   */
  public List<String> normalise(String[] args) {
    return parse(args).beamArguments();
  }

  /**
   * Normalises a command line into the arguments for Beam and Glue's own arguments.
   *
   * @throws InvalidInputException for an unknown key, a key without its value, or a stray value
   */
  public Normalised parse(String[] args) {
    List<String> out = new ArrayList<>();
    Map<String, String> glueArguments = new HashMap<>();
    Map<String, String> given = new HashMap<>();
    String jobName = null;
    String runId = null;
    boolean hasJobName = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new InvalidInputException(
            "'" + arg + "' is not an option; options are written --name=value or --name value");
      }
      int eq = arg.indexOf('=');
      String key = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      if (key.equals("help")) {
        out.add(arg);
        continue;
      }
      boolean glue = isGlueKey(key) && !optionTypes.containsKey(key);
      if (!glue && !optionTypes.containsKey(key)) {
        throw unknown(key);
      }
      boolean hasNext = i + 1 < args.length;
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (glue) {
        // Glue writes a value after each of its keys, possibly empty; a flag may stand alone.
        value = hasNext && !args[i + 1].startsWith("--") ? args[++i] : "";
      } else if (optionTypes.get(key)) {
        boolean explicit =
            hasNext
                && (args[i + 1].equalsIgnoreCase("true") || args[i + 1].equalsIgnoreCase("false"));
        value = explicit ? args[++i] : "true";
      } else if (hasNext) {
        // Taken whatever it looks like: the key is known to take a value.
        value = args[++i];
      } else {
        throw new InvalidInputException("--" + key + " needs a value");
      }
      if (glue) {
        glueArguments.put(key, value);
        if (key.equals("JOB_NAME")) {
          jobName = value;
        } else if (key.equals("JOB_RUN_ID")) {
          runId = value;
        }
        continue;
      }
      hasJobName |= key.equals("jobName");
      String previous = given.putIfAbsent(key, value);
      if (previous == null || multiValued.contains(key)) {
        out.add("--" + key + "=" + value);
      } else if (!previous.equals(value)) {
        // Beam would say "expected one element but was: <a, b>"; a launcher script and a user
        // may both pass --runner, which is fine when they agree.
        throw new InvalidInputException(
            Secrets.isCredentialOption(key)
                ? "--"
                    + key
                    + " is given twice, with different values (not shown: they hold"
                    + " credentials)"
                : "--"
                    + key
                    + " is given twice, as '"
                    + Secrets.mask(previous)
                    + "' and '"
                    + Secrets.mask(value)
                    + "'");
      }
    }
    if (!hasJobName && jobName != null && !jobName.isBlank()) {
      out.add("--jobName=" + beamJobName(jobName, runId));
    }
    return new Normalised(out, glueArguments);
  }

  /** Glue's job name and run id as one Beam job name: letters, digits and '-' only. */
  static String beamJobName(String jobName, String runId) {
    String name = runId == null || runId.isBlank() ? jobName : jobName + "-" + runId;
    return name.replaceAll("[^A-Za-z0-9-]", "-");
  }

  private InvalidInputException unknown(String key) {
    String closest = closest(key);
    return new InvalidInputException(
        "--"
            + key
            + " is not an option"
            + (closest == null ? "" : "; did you mean --" + closest + "?")
            + " (--help lists the options)");
  }

  /**
   * The known option nearest to {@code key}, or null when none is near: compared without case,
   * dashes and underscores ({@code --input_path} is {@code --inputPath}), by edit distance (a swap
   * of two neighbours counts as one edit), at most a quarter of the key's length (and at least 2).
   * On a tie this job's options win over Beam's, and those {@code --help} shows over the rest.
   */
  String closest(String key) {
    String wanted = normalised(key);
    int limit = Math.max(2, wanted.length() / 4);
    List<String> candidates = new ArrayList<>(ownOptions);
    OptionGroups.all().forEach(o -> candidates.add(o.name()));
    candidates.addAll(optionTypes.keySet());
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(wanted, normalised(candidate));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return bestDistance <= limit ? best : null;
  }

  private static String normalised(String name) {
    return name.replace("-", "").replace("_", "").toLowerCase(java.util.Locale.ROOT);
  }

  /** Edit distance with adjacent transpositions (optimal string alignment). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
