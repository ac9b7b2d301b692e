package io.rowstream.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every store of per-sync documents (the alert states) must do: an implementation's test
 * extends this class and says how to open its store; two opens of the same {@code dir} are two
 * processes on one state.
 */
public abstract class SyncDocumentsContract {
  @TempDir protected Path dir;

  protected abstract SyncDocuments open(Path dir);

  @Test
  void aDocumentNeverSavedIsEmptyAndASavedOneIsReadBackWholeByAnotherProcess() {
    SyncDocuments one = open(dir);
    assertThat(one.load("customers", "alerts")).isEmpty();

    one.save("customers", "alerts", "{\"version\":1,\"text\":\"caf\u00e9\\n\"}");
    one.save("customers", "alerts", "{\"version\":2}");

    assertThat(open(dir).load("customers", "alerts")).contains("{\"version\":2}");
    assertThat(open(dir).load("orders", "alerts")).as("each sync its own").isEmpty();
  }

  @Test
  void lockedWorkOnTheSameDocumentNeverInterleavesAcrossProcesses() throws Exception {
    SyncDocuments[] processes = {open(dir), open(dir)};
    processes[0].save("s", "alerts", "0");
    ExecutorService workers = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 40; i++) {
      SyncDocuments docs = processes[i % 2];
      workers.execute(
          () ->
              docs.locked(
                  "s",
                  "alerts",
                  () -> {
                    int n = Integer.parseInt(docs.load("s", "alerts").orElseThrow());
                    docs.save("s", "alerts", Integer.toString(n + 1));
                    return null;
                  }));
    }
    workers.shutdown();
    assertThat(workers.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
    assertThat(open(dir).load("s", "alerts")).contains("40");
  }
}
