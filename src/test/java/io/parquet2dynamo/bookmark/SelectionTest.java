package io.parquet2dynamo.bookmark;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.parquet2dynamo.source.InputFiles;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.Test;

/** Tests {@link Selection}: which listed files a run loads, skips, reports gone, or defers. */
public class SelectionTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  private static InputFiles.Match s3(String name, long size, String etag, int minute) {
    return new InputFiles.Match(
        "s3://b/in/" + name, size, "s3://b/in/", T0.plusSeconds(60L * minute), etag);
  }

  private static InputFiles.Match local(String name, long size, Instant modified) {
    return new InputFiles.Match("/data/in/" + name, size, "/data/in/", modified, null);
  }

  private static BookmarkState.FileEntry entry(long size, String etag, Instant modified) {
    BookmarkState.FileEntry e = new BookmarkState.FileEntry();
    e.size = size;
    e.etag = etag;
    e.lastModified = modified == null ? null : modified.toString();
    e.rows = 10L;
    e.runId = "r1";
    return e;
  }

  private static List<String> names(List<InputFiles.Match> files) {
    return files.stream()
        .map(m -> m.path.substring(m.path.lastIndexOf('/') + 1))
        .collect(Collectors.toList());
  }

  @Test
  public void newChangedUnchangedAndGone() {
    Map<String, BookmarkState.FileEntry> loaded = new HashMap<>();
    loaded.put("s3://b/in/same.parquet", entry(100, "e1", T0));
    loaded.put("s3://b/in/resized.parquet", entry(100, "e2", T0));
    loaded.put("s3://b/in/rewritten.parquet", entry(100, "e3", T0));
    loaded.put("s3://b/in/removed.parquet", entry(100, "e4", T0));
    List<InputFiles.Match> listed =
        List.of(
            s3("same.parquet", 100, "e1", 0),
            s3("resized.parquet", 101, "e2", 5),
            s3("rewritten.parquet", 100, "e3b", 6),
            s3("added.parquet", 50, "e5", 7));

    Selection s = Selection.of(listed, loaded, null, null);

    assertEquals(List.of("added.parquet", "resized.parquet", "rewritten.parquet"), names(s.toLoad));
    assertEquals(1, s.newFiles);
    assertEquals(2, s.changedFiles);
    assertEquals(List.of("same.parquet"), names(s.skipped));
    assertEquals(List.of("s3://b/in/removed.parquet"), s.gone);
    assertTrue(s.deferred.isEmpty());
  }

  @Test
  public void anS3ObjectPutAgainWithTheSameContentIsUnchanged() {
    // Same ETag, newer Last-Modified: the content is the same.
    BookmarkState.FileEntry e = entry(100, "e1", T0);
    assertFalse(Selection.changed(e, s3("x.parquet", 100, "e1", 60)));
    assertTrue(Selection.changed(e, s3("x.parquet", 100, "e9", 0)));
    // Listed without its ETag, or recorded without one: cannot be compared, so loaded again.
    assertTrue(Selection.changed(e, s3("x.parquet", 100, null, 0)));
    assertTrue(Selection.changed(entry(100, null, T0), s3("x.parquet", 100, "e1", 0)));
  }

  @Test
  public void localFilesCompareByModificationTimeToTheNanosecond() {
    Instant t = Instant.parse("2026-11-01T10:00:00.123456789Z");
    BookmarkState.FileEntry e = entry(100, null, t);
    assertFalse(Selection.changed(e, local("x.parquet", 100, t)));
    assertTrue(Selection.changed(e, local("x.parquet", 100, t.plusNanos(1))));
    assertTrue(Selection.changed(e, local("x.parquet", 99, t)));
    assertTrue(Selection.changed(e, local("x.parquet", 100, null)));
    assertTrue(Selection.changed(entry(100, null, null), local("x.parquet", 100, t)));
  }

  @Test
  public void maxFilesTakesTheOldestFirstThenByPath() {
    List<InputFiles.Match> listed =
        List.of(
            s3("a.parquet", 10, "a", 30),
            s3("b.parquet", 10, "b", 10),
            s3("c.parquet", 10, "c", 10),
            s3("d.parquet", 10, "d", 20),
            s3("e.parquet", 10, "e", 0));

    Selection s = Selection.of(listed, Map.of(), 3, null);

    // e (minute 0), then b and c (minute 10, by path); returned sorted by path for reading.
    assertEquals(List.of("b.parquet", "c.parquet", "e.parquet"), names(s.toLoad));
    assertEquals(List.of("d.parquet", "a.parquet"), names(s.deferred));
    assertEquals(3, s.newFiles);
  }

  @Test
  public void maxBytesStopsAtTheFirstFileThatDoesNotFitButTakesAtLeastOne() {
    List<InputFiles.Match> listed =
        List.of(
            s3("a.parquet", 60, "a", 0), s3("b.parquet", 50, "b", 1), s3("c.parquet", 10, "c", 2));
    Selection s = Selection.of(listed, Map.of(), null, 100L);
    // c would fit after a, but b comes first: order is kept, c waits its turn.
    assertEquals(List.of("a.parquet"), names(s.toLoad));
    assertEquals(List.of("b.parquet", "c.parquet"), names(s.deferred));

    Selection huge = Selection.of(List.of(s3("big.parquet", 1000, "x", 0)), Map.of(), null, 100L);
    assertEquals(List.of("big.parquet"), names(huge.toLoad));

    Selection both = Selection.of(listed, Map.of(), 2, 1000L);
    assertEquals(List.of("a.parquet", "b.parquet"), names(both.toLoad));
  }

  @Test
  public void filesWithoutATimeComeLast() {
    List<InputFiles.Match> listed = List.of(local("a.parquet", 1, null), local("b.parquet", 1, T0));
    Selection s = Selection.of(listed, Map.of(), 1, null);
    assertEquals(List.of("b.parquet"), names(s.toLoad));
  }

  @Test
  public void aBacklogOfTenThousandFilesLoadsInSlicesOldestFirst() {
    List<InputFiles.Match> listed = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      listed.add(s3(String.format("f%05d.parquet", 9_999 - i), 1000, "e" + i, i));
    }
    Map<String, BookmarkState.FileEntry> loaded = new HashMap<>();
    List<String> order = new ArrayList<>();
    int runs = 0;
    while (true) {
      Selection s = Selection.of(listed, loaded, 3_000, null);
      if (s.toLoad.isEmpty()) {
        break;
      }
      runs++;
      assertEquals(loaded.size(), s.skipped.size());
      for (InputFiles.Match m : s.toLoad) {
        loaded.put(m.path, entry(m.sizeBytes, m.etag, m.lastModified));
      }
      s.toLoad.stream()
          .sorted(Selection.OLDEST_FIRST)
          .forEach(m -> order.add(m.path.substring(m.path.lastIndexOf('/') + 1)));
    }
    assertEquals(4, runs);
    assertEquals(10_000, loaded.size());
    // The oldest (written first) is f09999, the newest f00000.
    assertEquals("f09999.parquet", order.get(0));
    assertEquals("f00000.parquet", order.get(9_999));
  }
}
