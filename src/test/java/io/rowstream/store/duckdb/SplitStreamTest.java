package io.rowstream.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.core.EventType;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.plan.PlanningStore.InPlaceModel;
import io.rowstream.plan.StreamedPlan;
import io.rowstream.state.Ack;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many delivered integer keys: the first eighth of the keys is streamed first, the rest after, from
 * a hash table built meanwhile. Together they are exactly the plan streamed whole.
 */
class SplitStreamTest {
  private static final int ROWS = 8_000;

  @TempDir Path dir;
  private Path model;

  @BeforeEach
  void createModel() throws SQLException {
    model = dir.resolve("model.duckdb");
    // keys from -1000 on, so the split is not at a round number
    sql(
        "create table t as select i - 1000 as id, 'customer ' || i as name from range("
            + ROWS
            + ") r(i)");
  }

  @Test
  void theFirstEighthAndTheRestAreThePlanStreamedWhole() throws SQLException {
    InPlaceModel m = new InPlaceModel("m", model, "select * from t", "id");
    Path splitState = dir.resolve("split");
    Path wholeState = dir.resolve("whole");
    plan(splitState, m, 0, true);
    plan(wholeState, m, Long.MAX_VALUE, true);

    sql(
        // changed on both sides of the split (about -1000 + 8000 / 8 = 0)
        "update t set name = name || ' changed' where id % 7 = 0",
        // removed on both sides
        "delete from t where id in (-999, -3, 5, 6000)",
        // added on both sides, beyond both ends too
        "insert into t values (-5000, 'new'), (1, 'new twin'), (9000, 'new')",
        // a NULL key and duplicated keys on both sides: never sent
        "insert into t values (null, 'no key'), (-500, 'again'), (4000, 'again')");

    try (DuckDbState s = DuckDbState.open(splitState, "s");
        StreamedPlan plan = InPlaceStream.open(s, m, n -> {}, 0).orElseThrow()) {
      assertThat(((InPlaceStream) plan.events()).inTwo()).as("streamed in two").isTrue();
    }
    try (DuckDbState s = DuckDbState.open(wholeState, "s");
        StreamedPlan plan = InPlaceStream.open(s, m, n -> {}, Long.MAX_VALUE).orElseThrow()) {
      assertThat(((InPlaceStream) plan.events()).inTwo()).as("streamed whole").isFalse();
    }
    Map<String, EventType> split = events(splitState, m, 0);
    Map<String, EventType> whole = events(wholeState, m, Long.MAX_VALUE);

    assertThat(split).isEqualTo(whole);
    assertThat(split)
        .containsEntry("-5000", EventType.ADDED)
        .containsEntry("9000", EventType.ADDED)
        .containsEntry("-994", EventType.CHANGED)
        .containsEntry("3493", EventType.CHANGED)
        .containsEntry("-999", EventType.REMOVED)
        .containsEntry("6000", EventType.REMOVED)
        .doesNotContainKeys("-500", "4000", "1");
    long sevenths = 0;
    for (int id = -1000; id < ROWS - 1000; id++) {
      sevenths += id % 7 == 0 ? 1 : 0; // none of them removed or duplicated
    }
    assertThat(split.values().stream().filter(t -> t == EventType.CHANGED).count())
        .as("every key that is a multiple of 7 changed")
        .isEqualTo(sevenths);
  }

  @Test
  void aPlanClosedBeforeTheRestIsReadLeavesTheStateReadyForTheNextPlan() throws SQLException {
    InPlaceModel m = new InPlaceModel("m", model, "select * from t", "id");
    Path state = dir.resolve("state");
    plan(state, m, 0, true);
    sql("update t set name = name || ' changed'");
    try (DuckDbState s = DuckDbState.open(state, "s");
        StreamedPlan plan = InPlaceStream.open(s, m, n -> {}, 0).orElseThrow()) {
      assertThat(plan.events().next().type()).isEqualTo(EventType.CHANGED);
    }
    assertThat(events(state, m, 0)).hasSize(ROWS);
  }

  /**
   * Plans {@code m} in the state under {@code state}, and when {@code ack}, delivers every event.
   */
  private static Map<String, EventType> plan(
      Path state, InPlaceModel m, long splitFrom, boolean ack) {
    Map<String, EventType> events = new TreeMap<>();
    try (DuckDbState s = DuckDbState.open(state, "s")) {
      List<Ack> acks = new ArrayList<>();
      try (StreamedPlan plan = InPlaceStream.open(s, m, n -> {}, splitFrom).orElseThrow()) {
        s.adoptFingerprints();
        while (plan.events().hasNext()) {
          PlannedEvent e = plan.events().next();
          assertThat(events.put(e.key(), e.type())).as("key " + e.key() + " once").isNull();
          acks.add(e.ack());
        }
      }
      if (ack) {
        s.ack(acks);
        s.mergeAcks();
      }
    }
    return events;
  }

  private static Map<String, EventType> events(Path state, InPlaceModel m, long splitFrom) {
    return plan(state, m, splitFrom, false);
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + model);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
