package io.parquet2dynamo.testing;

import io.parquet2dynamo.testing.SampleSales.Sale;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.rules.TemporaryFolder;

/**
 * Base of the end-to-end tests that load the sample sales (written once per class to a local
 * folder) on both runners, with their own options, keeping dead letters in a fresh folder.
 */
public abstract class SampleSalesOnBothRunners extends OnBothRunners {
  @ClassRule public static final TemporaryFolder FILES = new TemporaryFolder();

  /** The sample's root folder: its files are under {@code sales/}. */
  protected static Path sample;

  protected static List<Sale> sales;

  @BeforeClass
  public static void writeSample() throws IOException {
    sample = FILES.newFolder("sample").toPath();
    sales = SampleSales.write(sample);
  }

  /** Loads the sample into {@code table} with {@code more} options and a dead-letter folder. */
  protected LoadRun loadSample(String table, String... more) throws IOException {
    List<String> args = new ArrayList<>();
    args.add("--inputPath=" + sample + "/sales/");
    args.add("--tableName=" + table);
    args.add("--deadLetterPath=" + FILES.newFolder());
    args.addAll(List.of(more));
    return load(args.toArray(new String[0]));
  }
}
