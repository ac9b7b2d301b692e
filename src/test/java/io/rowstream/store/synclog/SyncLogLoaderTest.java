package io.rowstream.store.synclog;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.SourceConfig;
import io.rowstream.config.SyncLogConfig;
import io.rowstream.core.Redactor;
import io.rowstream.history.RunCounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spooling a run and loading it into DuckDB: whole or not at all, and never twice. */
class SyncLogLoaderTest {
  @TempDir Path dir;

  private Path state() {
    return dir.resolve("state");
  }

  private SourceConfig audit() {
    return new SourceConfig(
        "audit",
        SourceConfig.Type.DUCKDB,
        Optional.of(dir.resolve("audit.duckdb").toString()),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private SyncLogLoader loader() {
    return new SyncLogLoader(
        state(),
        name -> name.equals("audit") ? Optional.of(audit()) : Optional.empty(),
        Redactor.SHAPES_ONLY);
  }

  private static LoggedRun run(String id) {
    Instant t = Instant.parse("2026-12-02T10:00:00Z");
    return new LoggedRun(
        id,
        "customers",
        "completed_with_errors",
        t,
        t.plusSeconds(4),
        new RunCounts(3, Map.of(), 0, 0, Map.of()),
        Optional.empty(),
        Optional.empty());
  }

  private void spool(String runId) {
    try (SyncLogSpool spool =
        SyncLogSpool.open(state(), runId, "customers", new SyncLogConfig("audit", "logs"))) {
      Instant at = Instant.parse("2026-12-02T10:00:01Z");
      spool.sent("1", "added", "shardId-000000000000", "4960", at);
      spool.sent("a,\"quoted\"\nkey", "changed", "shardId-000000000001", "4961", at);
      spool.rejected("3", "added", "record_too_large", "is 2000 bytes, over 300", at);
      assertThat(spool.finish(run(runId))).isTrue();
    }
  }

  private List<String> rows(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("audit.duckdb"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.add(rs.getString(i));
        }
        out.add(String.join("|", row));
      }
    }
    return out;
  }

  private List<Path> spoolFiles() throws Exception {
    try (Stream<Path> files = Files.list(state().resolve(SyncLogSpool.FOLDER))) {
      return files.toList();
    }
  }

  @Test
  void aSpooledRunIsWrittenWithEveryEventAndItsSpoolDeleted() throws Exception {
    spool("r1");
    List<LoadResult> results = loader().loadPending();
    assertThat(results).containsExactly(new LoadResult("r1", "customers", 3, Optional.empty()));
    assertThat(rows("select run_id, sync, status, started_at, rows_queried from logs.runs"))
        .containsExactly("r1|customers|completed_with_errors|2026-12-02T10:00Z|3");
    assertThat(
            rows(
                "select primary_key, op, outcome, reason, message, shard, sequence_number, event_at "
                    + "from logs.events order by sequence_number nulls last"))
        .containsExactly(
            "1|added|sent|null|null|shardId-000000000000|4960|2026-12-02T10:00:01Z",
            "a,\"quoted\"\nkey|changed|sent|null|null|shardId-000000000001|4961|"
                + "2026-12-02T10:00:01Z",
            "3|added|rejected|record_too_large|is 2000 bytes, over 300|null|null|"
                + "2026-12-02T10:00:01Z");
    assertThat(spoolFiles()).isEmpty();
  }

  /** The README's example query: rejections by reason per day. */
  static String readmeQuery() throws java.io.IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("```sql\n", readme.indexOf("Rejections by reason per day")) + 7;
    return readme.substring(start, readme.indexOf("```", start)).strip().replaceAll(";$", "");
  }

  @Test
  void theReadmeQueryCountsRejectionsByReasonPerDay() throws Exception {
    spool("r1");
    loader().loadPending();
    assertThat(rows(readmeQuery().replace("rowstream_audit.", "logs.")))
        .singleElement()
        .asString()
        .startsWith("2026-12-02")
        .endsWith("|record_too_large|1");
  }

  @Test
  void aSpoolLoadedBeforeIsNotWrittenTwice() throws Exception {
    spool("r1");
    Path copies = Files.createDirectories(dir.resolve("copies"));
    for (Path f : spoolFiles()) {
      Files.copy(f, copies.resolve(f.getFileName()));
    }
    assertThat(loader().loadPending()).extracting(LoadResult::events).containsExactly(3L);
    // as if the process died between the commit and the spool's deletion
    try (Stream<Path> files = Files.list(copies)) {
      for (Path f : files.toList()) {
        Files.copy(f, state().resolve(SyncLogSpool.FOLDER).resolve(f.getFileName()));
      }
    }
    assertThat(loader().loadPending())
        .containsExactly(new LoadResult("r1", "customers", 0, Optional.empty()));
    assertThat(rows("select count(*) from logs.runs")).containsExactly("1");
    assertThat(rows("select count(*) from logs.events")).containsExactly("3");
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void aLoadThatFailsHalfwayWritesNothingAndKeepsTheSpool() throws Exception {
    spool("r1");
    Path events = state().resolve(SyncLogSpool.FOLDER).resolve("r1" + SyncLogSpool.EVENTS);
    String good = Files.readString(events);
    Files.writeString(events, good + "r1,customers,4,added,sent,,,s,1,not-a-time\n");
    LoadResult failed = loader().loadPending().get(0);
    assertThat(failed.written()).isFalse();
    assertThat(failed.error()).get().asString().contains("not-a-time");
    assertThat(rows("select count(*) from logs.runs")).containsExactly("0");
    assertThat(rows("select count(*) from logs.events")).containsExactly("0");
    assertThat(spoolFiles()).hasSize(2);

    Files.writeString(events, good);
    assertThat(loader().loadPending()).extracting(LoadResult::events).containsExactly(3L);
    assertThat(rows("select count(*) from logs.events")).containsExactly("3");
  }

  @Test
  void aSpoolWhoseSourceIsGoneStaysPendingSayingSo() throws Exception {
    try (SyncLogSpool spool =
        SyncLogSpool.open(state(), "r2", "customers", new SyncLogConfig("old", "logs"))) {
      spool.finish(run("r2"));
    }
    assertThat(loader().loadPending())
        .containsExactly(
            new LoadResult(
                "r2",
                "customers",
                0,
                Optional.of("source 'old' of its sync_log is no longer configured")));
    assertThat(spoolFiles()).hasSize(2);
  }

  @Test
  void anUnfinishedSpoolIsNeverLoadedAndClosingDropsIt() throws Exception {
    SyncLogSpool spool =
        SyncLogSpool.open(state(), "r3", "customers", new SyncLogConfig("audit", "logs"));
    spool.sent("1", "added", "s", "1", Instant.now());
    assertThat(loader().loadPending()).isEmpty();
    assertThat(spoolFiles()).as("the run still writes it").hasSize(1);
    spool.close();
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void theUnfinishedSpoolOfAProcessThatDiedIsDeleted() throws Exception {
    Path folder = Files.createDirectories(state().resolve(SyncLogSpool.FOLDER));
    // what kill -9 leaves: a part file that no process holds
    Files.writeString(
        folder.resolve("r4" + SyncLogSpool.EVENTS + ".part"),
        "r4,customers,1,added,sent,,,s,1,2026-12-02T10:00:01Z\n");
    spool("r1");
    assertThat(loader().loadPending()).extracting(LoadResult::runId).containsExactly("r1");
    assertThat(spoolFiles()).isEmpty();
  }
}
