package io.parquet2dynamo.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the dead-letter records a run wrote to a local directory. */
public final class DeadLetterFiles {
  private DeadLetterFiles() {}

  /** Every JSON Lines record in every file of {@code dir}. */
  public static List<JsonNode> read(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            records.add(json.readTree(line));
          }
        }
      }
    }
    return records;
  }
}
