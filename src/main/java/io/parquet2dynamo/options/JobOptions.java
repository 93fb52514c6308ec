package io.parquet2dynamo.options;

import io.parquet2dynamo.InvalidInputException;
import io.parquet2dynamo.aws.PathStyleS3ClientBuilderFactory;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * A command line, as a person or AWS Glue writes it, turned into the job's options, ready to run:
 * Glue's arguments normalised ({@link JobArguments}), Beam's checks applied, S3 addressed so local
 * stand-ins work, and the runner tuned ({@link RunnerTuning}).
 */
public final class JobOptions {
  private JobOptions() {}

  /**
   * Parses and prepares the options.
   *
   * @throws InvalidInputException for an unknown option or a key without its value
   * @throws IllegalArgumentException as Beam reports a missing or malformed option (see {@link
   *     #optionProblem})
   */
  public static Parquet2DynamoOptions parse(String[] args) {
    List<String> beamArgs = new JobArguments(Parquet2DynamoOptions.class).normalise(args);
    Parquet2DynamoOptions options =
        PipelineOptionsFactory.fromArgs(beamArgs.toArray(new String[0]))
            .withValidation()
            .as(Parquet2DynamoOptions.class);
    if (options.getS3ClientFactoryClass() == DefaultS3ClientBuilderFactory.class) {
      options.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    FileSystems.setDefaultPipelineOptions(options);
    RunnerTuning.apply(options, given(beamArgs));
    return options;
  }

  /** The names of the options on the command line. */
  static Set<String> given(List<String> beamArgs) {
    Set<String> names = new TreeSet<>();
    for (String arg : beamArgs) {
      int eq = arg.indexOf('=');
      names.add(eq < 0 ? arg.substring(2) : arg.substring(2, eq));
    }
    return names;
  }

  /** Beam's message on an option, shortened: it quotes a missing option's whole description. */
  public static String optionProblem(String message) {
    Matcher missing = MISSING_OPTION.matcher(message);
    return missing.find() ? missing.group(1) + " is required" : message;
  }

  private static final Pattern MISSING_OPTION =
      Pattern.compile("^Missing required value for \\[(--\\w+),");
}
