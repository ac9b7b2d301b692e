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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An integer key column is joined with the delivered keys as integers: exactly the rows the keys'
 * text would join, for states written before the integers were kept too.
 */
class DeliveredKeysTest {
  @TempDir Path dir;

  @Test
  void onlyTextAnIntegerPrintsAsHasAnInteger() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      Map<String, Long> integers = new TreeMap<>();
      for (String pk :
          List.of(
              "42",
              "-7",
              "0",
              "007",
              "+7",
              " 7",
              "7.0",
              "1e3",
              "a-b",
              "",
              "9223372036854775807",
              "9223372036854775808")) {
        try (ResultSet rs =
            s.executeQuery(
                "select "
                    + DeliveredKeys.integerOf("pk")
                    + " from (select "
                    + sqlText(pk)
                    + " as pk)")) {
          rs.next();
          long value = rs.getLong(1);
          integers.put(pk, rs.wasNull() ? null : value);
        }
      }
      Map<String, Long> expected = new TreeMap<>();
      expected.put("42", 42L);
      expected.put("-7", -7L);
      expected.put("0", 0L);
      expected.put("9223372036854775807", Long.MAX_VALUE);
      for (String other :
          List.of("007", "+7", " 7", "7.0", "1e3", "a-b", "", "9223372036854775808")) {
        expected.put(other, null);
      }
      assertThat(integers).isEqualTo(expected);
    }
  }

  @Test
  void aStateWrittenBeforeTheIntegersWereKeptIsMigratedAndPlansTheSame() throws SQLException {
    Path model = dir.resolve("model.duckdb");
    sql(model, "create table t as select i as id, 'customer ' || i as name from range(100) r(i)");
    InPlaceModel m = new InPlaceModel("m", model, "select * from t", "id");
    try (DuckDbState state = DuckDbState.open(dir.resolve("state"), "s")) {
      assertThat(streamAndAck(state, m)).containsExactly(Map.entry(EventType.ADDED, 100));
    }
    // as a state file of an earlier version has it: no ki
    Path file = DuckDbState.file(dir.resolve("state"), "s");
    sql(file, "alter table delivered drop column ki");

    sql(model, "update t set name = 'changed' where id < 10", "delete from t where id >= 95");
    // a dry run reads the file as it is, joined on the keys' text
    try (DuckDbState state = DuckDbState.openReadOnly(dir.resolve("state"), "s")) {
      Map<EventType, Integer> planned = new TreeMap<>();
      try (StreamedPlan plan = state.streamInPlace(m, n -> {}).orElseThrow()) {
        while (plan.events().hasNext()) {
          planned.merge(plan.events().next().type(), 1, Integer::sum);
        }
      }
      assertThat(planned).containsEntry(EventType.CHANGED, 10).containsEntry(EventType.REMOVED, 5);
    }
    try (DuckDbState state = DuckDbState.open(dir.resolve("state"), "s")) {
      assertThat(streamAndAck(state, m))
          .containsEntry(EventType.CHANGED, 10)
          .containsEntry(EventType.REMOVED, 5)
          .hasSize(2);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select count(*), count(*) filter (where ki = cast(pk as bigint)) from delivered")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(95);
      assertThat(rs.getLong(2)).as("every key has its integer").isEqualTo(95);
    }
  }

  @Test
  void aDeliveredKeyNoIntegerPrintsAsIsRemovedAndTheIntegerAdded() throws SQLException {
    Path model = dir.resolve("model.duckdb");
    sql(model, "create table t as select i as id, 'customer ' || i as name from range(1, 4) r(i)");
    InPlaceModel m = new InPlaceModel("m", model, "select * from t", "id");
    try (DuckDbState state = DuckDbState.open(dir.resolve("state"), "s")) {
      streamAndAck(state, m);
    }
    // key 2 was delivered as '002' (say, when the key column was text): the model's 2 is another
    // key, whose text is '2'
    Path file = DuckDbState.file(dir.resolve("state"), "s");
    sql(
        file,
        "update delivered set pk = '002', ki = "
            + DeliveredKeys.integerOf("'002'")
            + " where pk = '2'");
    try (DuckDbState state = DuckDbState.open(dir.resolve("state"), "s")) {
      Map<String, EventType> events = new HashMap<>();
      try (StreamedPlan plan = state.streamInPlace(m, n -> {}).orElseThrow()) {
        while (plan.events().hasNext()) {
          PlannedEvent e = plan.events().next();
          events.put(e.key(), e.type());
        }
      }
      assertThat(events)
          .containsOnly(Map.entry("2", EventType.ADDED), Map.entry("002", EventType.REMOVED));
    }
  }

  /** Plans {@code m} in place, acknowledges every event and folds them in; events by type. */
  private static Map<EventType, Integer> streamAndAck(DuckDbState state, InPlaceModel m) {
    Map<EventType, Integer> byType = new TreeMap<>();
    List<Ack> acks = new ArrayList<>();
    try (StreamedPlan plan = state.streamInPlace(m, n -> {}).orElseThrow()) {
      state.adoptFingerprints();
      while (plan.events().hasNext()) {
        PlannedEvent e = plan.events().next();
        byType.merge(e.type(), 1, Integer::sum);
        acks.add(e.ack());
      }
    }
    state.ack(acks);
    state.mergeAcks();
    return byType;
  }

  private static String sqlText(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static void sql(Path file, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
