package io.rowstream.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.state.Ack;
import io.rowstream.state.DeliveredState;
import io.rowstream.store.duckdb.DuckDbState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one factory picks in-place planning for a DuckDB file and row-by-row for the rest. */
class PlannersTest {
  @TempDir Path dir;

  private RowstreamConfig config(String query, String key) throws IOException, SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("model.duckdb"));
        Statement s = c.createStatement()) {
      s.execute(
          "create table if not exists customers as select i as id, 'c' || i as name, "
              + "date '2026-01-01' + cast(i as integer) as day from range(1, 6) t(i)");
    }
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        sources: {model: {type: duckdb, path: model.duckdb}}
        destinations: {kinesis: {type: kinesis, region: us-east-1}}
        syncs:
          customers: {source: model, query: "%s", primary_key: %s, destination: kinesis, stream: s}
        """
            .formatted(query, key));
    ConfigResult result = ConfigReader.read(dir.resolve("rowstream.yaml"), Map.of());
    assertThat(result.problems()).isEmpty();
    return result.config().orElseThrow();
  }

  /**
   * Plans, delivers every event, and returns the fingerprint the state recorded for {@code key}, or
   * 0 when it is the fingerprint of the row's text.
   */
  private long planAndDeliver(RowstreamConfig config, String key, List<List<String>> checked) {
    try (DuckDbState state = DuckDbState.open(config.stateDir(), "customers")) {
      Planner planner = Planners.forSync(config.source("model"), config.sync("customers"), state);
      PlanCounts counts = planner.plan(checked::add, n -> {});
      assertThat(counts.added()).isEqualTo(5);
      List<Ack> acks = new ArrayList<>();
      try (EventStream events = state.events()) {
        events.forEachRemaining(e -> acks.add(e.ack()));
      }
      state.ack(acks);
      state.mergeAcks();
      DeliveredState.DeliveredRow row = state.delivered(key).orElseThrow();
      return row.fingerprint() == RowHash.of(row.row()) ? 0 : row.fingerprint();
    }
  }

  @Test
  void aDuckDbFileModelIsPlannedInPlaceAndItsColumnsAreChecked() throws Exception {
    List<List<String>> checked = new ArrayList<>();
    long fingerprint = planAndDeliver(config("select id, name from customers", "id"), "1", checked);

    assertThat(fingerprint).as("fingerprinted in SQL, not from the row's text").isNotZero();
    assertThat(checked).containsExactly(List.of("id", "name"));
  }

  @Test
  void aModelThatCannotBePlannedInPlaceIsReadRowByRow() throws Exception {
    List<List<String>> checked = new ArrayList<>();
    // a date key: its SQL text is not the text the row encoder writes
    long fingerprint =
        planAndDeliver(config("select day, name from customers", "day"), "2026-01-02", checked);

    assertThat(fingerprint).as("fingerprinted from the row's text").isZero();
    assertThat(checked).containsExactly(List.of("day", "name"));
  }

  @Test
  void aColumnCheckThatRefusesStopsThePlanBeforeAnyEvent() throws Exception {
    RowstreamConfig config = config("select id, name from customers", "id");
    try (DuckDbState state = DuckDbState.open(config.stateDir(), "customers")) {
      Planner planner = Planners.forSync(config.source("model"), config.sync("customers"), state);
      assertThatThrownBy(
              () ->
                  planner.plan(
                      columns -> {
                        throw new IllegalStateException("no column email");
                      },
                      n -> {}))
          .hasMessage("no column email");
    }
  }
}
