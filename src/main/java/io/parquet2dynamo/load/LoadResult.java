package io.parquet2dynamo.load;

import io.parquet2dynamo.deadletter.DeadLetter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What a load produces besides the table's items: the dead letters of every step, and, in a dry
 * run, the sample of items that would have been written.
 */
public final class LoadResult implements POutput {
  private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");
  private static final TupleTag<String> SAMPLE = new TupleTag<>("sample");

  private final Pipeline pipeline;
  private final PCollection<DeadLetter> deadLetters;
  private final PCollection<String> sample;

  LoadResult(Pipeline pipeline, PCollection<DeadLetter> deadLetters, PCollection<String> sample) {
    this.pipeline = pipeline;
    this.deadLetters = deadLetters;
    this.sample = sample;
  }

  /** Rows and items that did not reach the table, with why. */
  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  /** In a dry run, items in DynamoDB JSON; else null. */
  public PCollection<String> sample() {
    return sample;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    Map<TupleTag<?>, PValue> outputs = new LinkedHashMap<>();
    outputs.put(DEAD_LETTERS, deadLetters);
    if (sample != null) {
      outputs.put(SAMPLE, sample);
    }
    return outputs;
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, org.apache.beam.sdk.values.PInput input, PTransform<?, ?> transform) {}
}
