package io.rowstream.store.postgres;

import static io.rowstream.store.postgres.ListCursor.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rowstream.config.StateConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.EventType;
import io.rowstream.core.RowstreamException;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.plan.Staged;
import io.rowstream.plan.StreamedPlan;
import io.rowstream.state.Ack;
import io.rowstream.store.SyncStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared state's lease and planning against embedded PostgreSQL. */
class PostgresStateIT {
  private static PgFixture pg;

  @TempDir Path dir;
  private StateConfig state;

  @BeforeAll
  static void startPostgres() throws IOException {
    pg = PgFixture.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    pg.close();
  }

  @BeforeEach
  void newSchema() {
    state = pg.newState(dir);
  }

  @Test
  void aSecondHolderOfASyncIsRefusedAsInUseWhileOtherSyncsAreFree() {
    try (SyncStore first = PostgresState.open(state, "customers")) {
      RowstreamException refused =
          catchThrowableOfType(
              RowstreamException.class, () -> PostgresState.open(state, "customers"));
      assertThat(refused.code()).isEqualTo(ErrorCode.STATE_LOCKED);
      assertThat(refused.getMessage())
          .contains("the state of sync customers")
          .contains("is in use by another rowstream process")
          .doesNotContain("postgres:postgres");
      assertThat(first.lease().orElseThrow().held()).isTrue();
      try (SyncStore other = PostgresState.open(state, "orders")) {
        assertThat(other.lease()).isPresent();
      }
    }
    try (SyncStore again = PostgresState.open(state, "customers")) {
      assertThat(again.lease().orElseThrow().held()).as("free once closed").isTrue();
    }
  }

  @Test
  void theLeaseOfAHolderWhoseSessionDiedIsFreeAndWhatItAcknowledgedIsKept() throws Exception {
    SyncStore dead = PostgresState.open(state, "customers");
    dead.ack(List.of(new Ack(EventType.ADDED, "1", "{\"id\":1}", 7)));
    // what kill -9 of the holder's process does to its sessions: the server ends them
    try (Connection admin = pg.connection();
        Statement s = admin.createStatement()) {
      s.execute(
          "select pg_terminate_backend(pid) from pg_stat_activity"
              + " where application_name = 'rowstream' and pid <> pg_backend_pid()");
    }
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    SyncStore next = null;
    while (next == null) {
      try {
        next = PostgresState.open(state, "customers");
      } catch (RowstreamException e) {
        assertThat(Instant.now())
            .as("the lease was not freed: " + e.getMessage())
            .isBefore(deadline);
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000); // then ask again
      }
    }
    try (SyncStore taken = next) {
      assertThat(dead.lease().orElseThrow().held()).isFalse();
      assertThat(taken.delivered("1")).map(r -> r.fingerprint()).contains(7L);
    } finally {
      dead.close();
    }
  }

  @Test
  void planningFindsAddedChangedAndRemovedRowsAndSetsAsideNullAndDuplicateKeys() {
    try (SyncStore store = PostgresState.open(state, "s")) {
      deliver(
          store,
          List.<String[]>of(row("1", "{\"v\":1}"), row("2", "{\"v\":2}"), row("3", "{\"v\":3}")));

      Staged staged =
          store.stage(
              new ListCursor(
                  List.<String[]>of(
                      row("1", "{\"v\":1}"),
                      row("2", "{\"v\":22}"),
                      row("4", "{\"v\":4}"),
                      row(null, "{\"v\":null}"),
                      row("5", "{\"v\":5}"),
                      row("5", "{\"v\":55}"))),
              rows -> {});
      assertThat(staged.rows()).isEqualTo(6);
      assertThat(staged.nullKeys()).isEqualTo(1);
      PlanCounts counts = store.plan(staged.rows(), staged.nullKeys());

      assertThat(counts).isEqualTo(new PlanCounts(6, 1, 1, 1, 1, 2));
      assertThat(store.duplicateKeys()).containsExactly(new DuplicateKey("5", 2));
      assertThat(events(store))
          .containsExactlyInAnyOrder(
              "added 4 {\"v\":4}", "changed 2 {\"v\":22}", "removed 3 {\"v\":3}");
    }
  }

  @Test
  void aStreamedPlanIsReadWholeAfterTheRunnerAdoptsFingerprintsBetweenHandOutAndFirstRead() {
    try (SyncStore store = PostgresState.open(state, "s")) {
      List<String[]> model = new ArrayList<>();
      for (int i = 0; i < 3 * PostgresState.EVENT_FETCH_ROWS; i++) {
        model.add(row(Integer.toString(i), "{\"v\":" + i + "}"));
      }
      Staged staged = store.stage(new ListCursor(model), r -> {});
      // the runner's order: the plan handed out, duplicates and fingerprints recorded (commits on
      // the planning session), then the events read: more than one fetch of the cursor
      StreamedPlan plan = store.streamStaged(staged);
      assertThat(store.duplicateKeys()).isEmpty();
      store.adoptFingerprints();
      long read = 0;
      try (EventStream events = plan.events()) {
        while (events.hasNext()) {
          events.next();
          read++;
        }
      }
      assertThat(read).isEqualTo(model.size());
    }
  }

  @Test
  void rowsWithTabsNewlinesBackslashesAndUnicodeArriveAsTheyWere() {
    String tricky =
        "{\"t\":\"a\\tb\\\\n\",\"raw\":\"tab\there\nline\\\\N \u00e9\u4e2d\ud83d\ude00\"}";
    try (SyncStore store = PostgresState.open(state, "s")) {
      deliver(store, List.<String[]>of(row("k\t1\\N", tricky)));
      assertThat(store.delivered("k\t1\\N")).map(r -> r.row()).contains(tricky);
      Staged staged =
          store.stage(new ListCursor(List.<String[]>of(row("k\t1\\N", tricky))), r -> {});
      assertThat(store.plan(staged.rows(), staged.nullKeys()).changed())
          .as("the same text fingerprints the same")
          .isZero();
    }
  }

  @Test
  void aBaselineRecordsTheModelWithoutSendingAndAReadOnlyPlanWritesNothing() throws SQLException {
    try (SyncStore reader = PostgresState.openReadOnly(state, "s")) {
      Staged staged = reader.stage(new ListCursor(List.<String[]>of(row("1", "{}"))), r -> {});
      assertThat(reader.plan(staged.rows(), 0).added()).isEqualTo(1);
    }
    assertThat(schemaExists()).as("a dry run before any run creates nothing").isFalse();

    try (SyncStore store = PostgresState.open(state, "s")) {
      Staged staged =
          store.stage(new ListCursor(List.<String[]>of(row("1", "{}"), row("2", "{}"))), r -> {});
      store.plan(staged.rows(), 0);
      store.adoptFingerprints();
      store.recordBaseline();
      assertThat(store.deliveredCount()).isEqualTo(2);
      // acknowledged but not merged, as a run killed mid-way leaves it
      store.ack(List.of(new Ack(EventType.REMOVED, "2", null, 0)));
    }
    try (SyncStore reader = PostgresState.openReadOnly(state, "s")) {
      Staged staged = reader.stage(new ListCursor(List.<String[]>of(row("1", "{}"))), r -> {});
      assertThat(reader.plan(staged.rows(), 0))
          .as("what a killed run acknowledged counts as delivered")
          .isEqualTo(new PlanCounts(1, 0, 0, 0, 0, 0));
    }
    try (SyncStore store = PostgresState.open(state, "s")) {
      assertThat(store.deliveredCount()).isEqualTo(1);
    }
  }

  private boolean schemaExists() throws SQLException {
    try (Connection c = pg.connection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*) from information_schema.schemata where schema_name = '"
                    + state.schema()
                    + "'")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }

  /** Plans {@code rows} as the model and acknowledges every event, as a run does. */
  private static void deliver(SyncStore store, List<String[]> rows) {
    Staged staged = store.stage(new ListCursor(rows), r -> {});
    store.plan(staged.rows(), staged.nullKeys());
    store.adoptFingerprints();
    List<Ack> acks = new ArrayList<>();
    try (EventStream events = store.events()) {
      events.forEachRemaining(e -> acks.add(e.ack()));
    }
    store.ack(acks);
    store.mergeAcks();
  }

  private static List<String> events(SyncStore store) {
    List<String> out = new ArrayList<>();
    try (EventStream events = store.events()) {
      while (events.hasNext()) {
        PlannedEvent e = events.next();
        out.add(e.type().label() + " " + e.key() + " " + e.row());
      }
    }
    return out;
  }
}
