package io.parquet2dynamo.bookmark;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Tests {@link LocalBookmarkStore} under concurrent replaces. */
public class LocalBookmarkStoreTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void ofRunsReplacingOneStateAtOnceExactlyOneWins() throws Exception {
    Path file = folder.getRoot().toPath().resolve("b.json");
    Files.writeString(file, "v0");
    int runs = 8;
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Boolean>> outcomes = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        String mine = "v1 by run " + i;
        LocalBookmarkStore store = new LocalBookmarkStore(file.toString());
        BookmarkStore.Snapshot read = store.read();
        Callable<Boolean> commit =
            () -> {
              go.await();
              try {
                store.replace(read, mine.getBytes(StandardCharsets.UTF_8));
                return true;
              } catch (BookmarkStore.StateChanged e) {
                return false;
              }
            };
        outcomes.add(pool.submit(commit));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> f : outcomes) {
        won += f.get() ? 1 : 0;
      }
      assertEquals(1, won);
      assertEquals(true, Files.readString(file).startsWith("v1 by run "));
    } finally {
      pool.shutdownNow();
    }
  }
}
