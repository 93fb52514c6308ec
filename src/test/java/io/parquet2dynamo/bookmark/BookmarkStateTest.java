package io.parquet2dynamo.bookmark;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import org.junit.Test;

/** Tests {@link BookmarkState}: its JSON, and why a state file cannot be used. */
public class BookmarkStateTest {

  private static BookmarkState parse(String json) throws BookmarkState.Unusable {
    return BookmarkState.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String unusable(String json) {
    return assertThrows(BookmarkState.Unusable.class, () -> parse(json)).getMessage();
  }

  @Test
  public void roundTripsAsReadableJson() throws Exception {
    BookmarkState state = new BookmarkState();
    state.formatVersion = 1;
    state.inputPath = List.of("s3://data/sales");
    state.table = "sales";
    state.itemShape = new ItemShape();
    state.itemShape.writeMode = "put";
    state.lastRunId = "r2";
    state.lastRunTime = "2026-11-29T02:07:31.512Z";
    state.files = new TreeMap<>();
    BookmarkState.FileEntry e = new BookmarkState.FileEntry();
    e.size = 1234L;
    e.etag = "9b2c";
    e.lastModified = "2026-11-28T23:59:02Z";
    e.rows = 50L;
    e.runId = "r1";
    state.files.put("s3://data/sales/day=1/part-0.parquet", e);

    String json = new String(state.toJson(), StandardCharsets.UTF_8);

    // One field a line, in a fixed order; no nulls.
    assertTrue(json, json.startsWith("{\n  \"formatVersion\" : 1,\n  \"inputPath\" : ["));
    assertTrue(json, json.contains("\"etag\" : \"9b2c\""));
    assertTrue(json, !json.contains("null"));
    BookmarkState back = parse(json);
    assertEquals(List.of("s3://data/sales"), back.inputPath);
    assertEquals("sales", back.table);
    assertEquals("put", back.itemShape.writeMode);
    assertEquals("r2", back.lastRunId);
    BookmarkState.FileEntry f = back.files.get("s3://data/sales/day=1/part-0.parquet");
    assertEquals(Long.valueOf(1234), f.size);
    assertEquals("9b2c", f.etag);
    assertEquals(Long.valueOf(50), f.rows);
    assertEquals("r1", f.runId);
  }

  @Test
  public void fieldsItDoesNotKnowAreIgnored() throws Exception {
    BookmarkState s =
        parse(
            "{\"formatVersion\":1,\"inputPath\":[\"/in\"],\"table\":\"t\",\"files\":{},"
                + "\"addedLater\":{\"x\":1}}");
    assertEquals("t", s.table);
  }

  @Test
  public void notJsonSaysWhere() {
    assertTrue(
        unusable("{\"formatVersion\": 1,\n \"table\": }"),
        unusable("{\"formatVersion\": 1,\n \"table\": }")
            .matches("is not valid JSON \\(.*at line 2, column \\d+\\)"));
    assertTrue(unusable("").startsWith("is not a parquet2dynamo bookmark"));
    assertEquals("is not a parquet2dynamo bookmark (not a JSON object)", unusable("[1, 2]"));
  }

  @Test
  public void anotherFormatVersionIsRefused() {
    assertEquals(
        "was written in bookmark format version 2, and this parquet2dynamo reads version 1 (it"
            + " was written by a newer parquet2dynamo)",
        unusable("{\"formatVersion\":2,\"inputPath\":[\"/in\"],\"table\":\"t\",\"files\":{}}"));
    assertEquals(
        "is not a parquet2dynamo bookmark (no formatVersion)",
        unusable("{\"inputPath\":[\"/in\"],\"table\":\"t\",\"files\":{}}"));
  }

  @Test
  public void missingOrMistypedFieldsAreRefused() {
    assertEquals(
        "is not a valid bookmark (no inputPath, table)",
        unusable("{\"formatVersion\":1,\"files\":{}}"));
    assertTrue(
        unusable("{\"formatVersion\":1,\"inputPath\":[\"/in\"],\"table\":\"t\",\"files\":[1]}")
            .startsWith("is not a valid bookmark ("));
    assertEquals(
        "is not a valid bookmark (no size for /in/a.parquet)",
        unusable(
            "{\"formatVersion\":1,\"inputPath\":[\"/in\"],\"table\":\"t\","
                + "\"files\":{\"/in/a.parquet\":{\"rows\":3}}}"));
  }
}
