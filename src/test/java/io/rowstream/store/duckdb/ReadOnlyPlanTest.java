package io.rowstream.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.PlanningStore.InPlaceModel;
import io.rowstream.plan.Staged;
import io.rowstream.state.Ack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `plan` opens the state read-only: it plans in place as a run does, and changes no file. */
class ReadOnlyPlanTest {
  @TempDir Path dir;

  private void sql(Path model, String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + model);
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static Map<Path, Long> files(Path folder) throws Exception {
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(Files::isRegularFile)
          .collect(Collectors.toMap(p -> p, p -> p.toFile().lastModified()));
    }
  }

  @Test
  void aStateOpenedReadOnlyPlansInPlaceAndChangesNoFile() throws Exception {
    Path model = dir.resolve("model.duckdb");
    sql(model, "create table t as select i as id, 'x' as v from range(1, 10) t(i)");
    InPlaceModel query = new InPlaceModel("m", model, "select * from t", "id");
    Path stateDir = dir.resolve("state");
    try (DuckDbState state = DuckDbState.open(stateDir, "s")) {
      Staged staged = state.stageInPlace(query, n -> {}).orElseThrow();
      state.plan(staged.rows(), staged.nullKeys());
      state.adoptFingerprints();
      List<Ack> acks = new ArrayList<>();
      try (EventStream events = state.events()) {
        events.forEachRemaining(e -> acks.add(e.ack()));
      }
      state.ack(acks);
      state.mergeAcks();
    }
    sql(model, "update t set v = 'y' where id = 3");
    Map<Path, Long> before = files(stateDir);

    PlanCounts counts;
    try (DuckDbState state = DuckDbState.openReadOnly(stateDir, "s")) {
      Staged staged =
          state.stageInPlace(query, n -> {}).orElseThrow(() -> new AssertionError("not in place"));
      counts = state.plan(staged.rows(), staged.nullKeys());
    }

    assertThat(counts.changed()).isEqualTo(1);
    assertThat(counts.added()).isZero();
    assertThat(files(stateDir)).isEqualTo(before);
  }

  @Test
  void aSyncThatNeverRanIsPlannedAgainstAnEmptyStateInMemory() throws Exception {
    Path model = dir.resolve("model.duckdb");
    sql(model, "create table t as select i as id from range(1, 4) t(i)");
    Path stateDir = dir.resolve("state");

    try (DuckDbState state = DuckDbState.openReadOnly(stateDir, "s")) {
      Staged staged =
          state
              .stageInPlace(new InPlaceModel("m", model, "select * from t", "id"), n -> {})
              .orElseThrow();
      assertThat(state.plan(staged.rows(), staged.nullKeys()).added()).isEqualTo(3);
    }
    assertThat(stateDir).doesNotExist();
  }
}
