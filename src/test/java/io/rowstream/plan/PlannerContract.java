package io.rowstream.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.ConfigReader;
import io.rowstream.config.ConfigResult;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SourceConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.state.Ack;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Planner} plans, whichever way it brings the model into the store: an
 * implementation's test extends this class and says which planner it is. The model is a DuckDB file
 * {@code customers(id, name)}; each run here plans, adopts the fingerprints and acknowledges every
 * event, as a run whose records all landed.
 */
public abstract class PlannerContract {
  private static final String QUERY = "select id, name from customers";

  @TempDir protected Path dir;
  private Path model;
  private SourceConfig source;
  private SyncConfig sync;

  /** The planner under test for {@code sync}'s model, planning into {@code store}. */
  protected abstract Planner planner(SourceConfig source, SyncConfig sync, PlanningStore store);

  /**
   * Whether the planner fingerprints each row from its JSON text (else in its own scheme, such as
   * SQL hashes of the columns).
   */
  protected abstract boolean fingerprintsRowText();

  @BeforeEach
  void createModel() throws IOException {
    model = dir.resolve("model.duckdb");
    sql(
        "create table customers (id bigint, name varchar)",
        "insert into customers values (1, 'Ada'), (2, 'Grace'), (3, 'Edsger')");
    Files.writeString(
        dir.resolve("rowstream.yaml"),
        """
        sources: {model: {type: duckdb, path: model.duckdb}}
        destinations: {kinesis: {type: kinesis, region: us-east-1}}
        syncs:
          customers: {source: model, query: "%s", primary_key: id, destination: kinesis, stream: s}
        """
            .formatted(QUERY));
    ConfigResult result = ConfigReader.read(dir.resolve("rowstream.yaml"), Map.of());
    assertThat(result.problems()).isEmpty();
    RowstreamConfig config = result.config().orElseThrow();
    source = config.source("model");
    sync = config.sync("customers");
  }

  @Test
  void aFirstPlanAddsEveryRowAsItsJsonAndShowsTheColumnsFirst() {
    try (DuckDbState state = open()) {
      List<List<String>> columns = new ArrayList<>();
      PlanCounts counts = planner(source, sync, state).plan(columns::add, n -> {});

      assertThat(columns).containsExactly(List.of("id", "name"));
      assertThat(counts).isEqualTo(new PlanCounts(3, 3, 0, 0, 0, 0));
      assertThat(deliver(state))
          .containsExactlyInAnyOrder(
              "added 1 {\"id\":1,\"name\":\"Ada\"}",
              "added 2 {\"id\":2,\"name\":\"Grace\"}",
              "added 3 {\"id\":3,\"name\":\"Edsger\"}");
    }
  }

  @Test
  void afterDeliveryOnlyAddedChangedAndRemovedRowsArePlannedAndUnchangedOnesAreNot() {
    try (DuckDbState state = open()) {
      plan(state);
      deliver(state);
      sql(
          "update customers set name = 'Grace Hopper' where id = 2",
          "delete from customers where id = 3",
          "insert into customers values (4, 'Barbara')");

      PlanCounts counts = plan(state);

      assertThat(counts).isEqualTo(new PlanCounts(3, 1, 1, 1, 0, 0));
      assertThat(deliver(state))
          .as("a removed row is planned with the JSON last delivered")
          .containsExactlyInAnyOrder(
              "changed 2 {\"id\":2,\"name\":\"Grace Hopper\"}",
              "removed 3 {\"id\":3,\"name\":\"Edsger\"}",
              "added 4 {\"id\":4,\"name\":\"Barbara\"}");
      assertThat(plan(state)).isEqualTo(new PlanCounts(3, 0, 0, 0, 0, 0));
      assertThat(deliver(state)).as("delivered rows are not planned again").isEmpty();
    }
  }

  @Test
  void everyRowOfADuplicatedKeyIsLeftOutAndTheKeyIsReported() {
    sql("insert into customers values (2, 'Grace again'), (2, 'Grace thrice')");
    try (DuckDbState state = open()) {
      PlanCounts counts = plan(state);

      assertThat(counts.rowsQueried()).isEqualTo(5);
      assertThat(counts.duplicateKeyRows()).isEqualTo(3);
      assertThat(state.duplicateKeys()).containsExactly(new DuplicateKey("2", 3));
      assertThat(deliver(state))
          .containsExactlyInAnyOrder(
              "added 1 {\"id\":1,\"name\":\"Ada\"}", "added 3 {\"id\":3,\"name\":\"Edsger\"}");
    }
  }

  @Test
  void rowsWithoutAPrimaryKeyAreCountedAndNeverPlanned() {
    sql("insert into customers values (null, 'Nobody'), (null, 'No one')");
    try (DuckDbState state = open()) {
      PlanCounts counts = plan(state);

      assertThat(counts).isEqualTo(new PlanCounts(5, 3, 0, 0, 2, 0));
      assertThat(deliver(state)).hasSize(3).noneMatch(e -> e.contains("No"));
    }
  }

  @Test
  void aBaselineMakesThePlannedModelTheDeliveredStateWithoutSendingIt() {
    try (DuckDbState state = open()) {
      plan(state);
      state.recordBaseline();

      assertThat(state.deliveredCount()).isEqualTo(3);
      assertThat(plan(state)).isEqualTo(new PlanCounts(3, 0, 0, 0, 0, 0));
      assertThat(deliver(state)).isEmpty();
      sql("update customers set name = 'Ada Lovelace' where id = 1");
      plan(state);
      assertThat(deliver(state)).containsExactly("changed 1 {\"id\":1,\"name\":\"Ada Lovelace\"}");
    }
  }

  @Test
  void theDeliveredStateKeepsTheFingerprintOfThePlannersScheme() {
    try (DuckDbState state = open()) {
      plan(state);
      deliver(state);

      var row = state.delivered("1").orElseThrow();
      assertThat(row.fingerprint() == RowHash.of(row.row())).isEqualTo(fingerprintsRowText());
    }
  }

  private DuckDbState open() {
    return DuckDbState.open(dir.resolve("state"), "customers");
  }

  /** Plans as a run that may change the state does: the plan's fingerprints are adopted. */
  private PlanCounts plan(DuckDbState state) {
    PlanCounts counts = planner(source, sync, state).plan(columns -> {}, n -> {});
    state.adoptFingerprints();
    return counts;
  }

  /** Acknowledges every planned event; returns them as {@code type key row}. */
  private static List<String> deliver(DuckDbState state) {
    List<String> planned = new ArrayList<>();
    List<Ack> acks = new ArrayList<>();
    try (EventStream events = state.events()) {
      events.forEachRemaining(
          e -> {
            planned.add(e.type().label() + " " + e.key() + " " + e.row());
            acks.add(e.ack());
          });
    }
    state.ack(acks);
    state.mergeAcks();
    return planned;
  }

  private void sql(String... statements) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + model);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
