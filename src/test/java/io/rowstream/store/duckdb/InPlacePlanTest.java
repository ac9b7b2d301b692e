package io.rowstream.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.SourceConfig;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.PlanningStore.InPlaceModel;
import io.rowstream.plan.Staged;
import io.rowstream.plan.StreamedPlan;
import io.rowstream.source.ModelCursor;
import io.rowstream.source.Source;
import io.rowstream.state.Ack;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning a DuckDB model in place must plan exactly what reading it row by row plans: the same
 * events with the same typed JSON, the same NULL and duplicated keys. Each test keeps two states of
 * the same sync, one planned each way, and delivers every event to both.
 */
class InPlacePlanTest {
  private static final String QUERY = "select * from t";

  @TempDir Path dir;
  private Path model;

  @BeforeEach
  void createModel() {
    model = dir.resolve("model.duckdb");
    sql(
        """
        create table t (id bigint, d decimal(18,4), ts timestamptz, l integer[], s struct(a int, b varchar),
          j json, b blob, x double, first varchar, last varchar, u uuid, day date, m map(varchar, int), r real)""",
        """
        insert into t select i, 1.5, timestamptz '2026-03-29 01:30:00+00', [1, 2, 3], {'a': 1, 'b': 'x'},
          '{"k": 2.50}', '\\xAA\\x00'::blob, case i % 3 when 0 then 'nan'::double when 1 then 'inf'::double else 0.0::double end,
          'Ada', 'Lovelace', uuid '6f2c0e0a-0000-4000-8000-000000000001', date '2026-01-01', map {'k': 1}, 0.5
        from range(1, 21) r(i)""",
        "insert into t (id) values (21)");
  }

  @Test
  void aFirstRunPlansEveryRowAsAddedWithTheSameTypedJsonAsTheRowByRowPath() {
    try (Pair pair = new Pair("first")) {
      List<String> inPlace = pair.planBoth();
      assertThat(inPlace).hasSize(21).allMatch(e -> e.startsWith("added "));
      assertThat(inPlace)
          .anyMatch(
              e ->
                  e.contains("\"x\":\"NaN\"")
                      && e.contains("\"j\":{\"k\":2.50}")
                      && e.contains("\"ts\":\"2026-03-29T01:30:00Z\"")
                      && e.contains("\"b\":\"qgA=\""));
    }
  }

  @Test
  void aChangeInAnyOneColumnOfAnyTypeIsDetectedAsChanged() {
    try (Pair pair = new Pair("changes")) {
      pair.planBoth();
      sql(
          "update t set d = 1.5001 where id = 1",
          "update t set ts = ts + interval 1 microsecond where id = 2",
          "update t set l = [2, 1, 3] where id = 3",
          "update t set s = {'a': 1, 'b': 'y'} where id = 4",
          "update t set j = '{\"k\": 2.5}' where id = 5",
          "update t set b = '\\xAA\\x01'::blob where id = 6",
          "update t set x = 'inf' where id = 3 * 3", // NaN -> Infinity
          "update t set first = last, last = first where id = 7", // a swap between two columns
          "update t set first = null where id = 8",
          "update t set u = uuid '6f2c0e0a-0000-4000-8000-000000000002' where id = 10",
          "update t set day = date '2026-01-02' where id = 11",
          "update t set m = map {'k': 2} where id = 12",
          "update t set x = '-0.0'::double where id = 14", // 0.0 -> -0.0
          "update t set r = 0.25 where id = 13",
          "update t set d = 2 where id = 21"); // NULL -> a value
      List<String> events = pair.planBoth();
      assertThat(events)
          .allMatch(e -> e.startsWith("changed "))
          .extracting(e -> e.split(" ")[1])
          .containsExactlyInAnyOrder(
              "1", "2", "3", "4", "5", "6", "9", "7", "8", "10", "11", "12", "14", "13", "21");
      assertThat(pair.planBoth()).as("delivered changes are not planned again").isEmpty();
    }
  }

  @Test
  void removedRowsRenderFromTheirDeliveredJsonAndNewRowsAreAdded() {
    try (Pair pair = new Pair("removed")) {
      pair.planBoth();
      sql("delete from t where id in (4, 5)", "insert into t (id, first) values (22, 'Grace')");
      List<String> events = pair.planBoth();
      assertThat(events)
          .hasSize(3)
          .anyMatch(e -> e.startsWith("removed 4 {\"id\":4,"))
          .anyMatch(e -> e.startsWith("added 22 {\"id\":22,\"d\":null"));
    }
  }

  @Test
  void nullAndDuplicatedKeysAreCountedAndEveryRowOfADuplicatedKeyIsRejected() {
    try (Pair pair = new Pair("invalid")) {
      pair.planBoth();
      sql(
          "insert into t (id) values (null), (null)",
              "insert into t (id, first) values (3, 'again')",
          "update t set first = 'Grace' where id = 2", "delete from t where id = 21");
      List<String> events = pair.planBoth();
      assertThat(events)
          .containsOnly(
              events.stream()
                  .filter(e -> e.startsWith("changed 2 ") || e.startsWith("removed 21 "))
                  .toArray(String[]::new))
          .hasSize(2);
      assertThat(pair.genericCounts).isEqualTo(pair.inPlaceCounts);
      assertThat(pair.inPlaceCounts.nullKeys()).isEqualTo(2);
      assertThat(pair.inPlaceCounts.duplicateKeyRows()).isEqualTo(2);
      assertThat(pair.inPlaceCounts.rowsQueried()).isEqualTo(23);
      assertThat(pair.inPlace.duplicateKeys()).containsExactly(new DuplicateKey("3", 2));
      assertThat(pair.generic.duplicateKeys()).containsExactly(new DuplicateKey("3", 2));
      assertThat(pair.streamedDuplicates).containsExactly(new DuplicateKey("3", 2));
    }
  }

  @Test
  void keysOfTextAndUuidTypesHaveTheSameTextAsTheRowByRowPath() {
    sql(
        "create table k as select first || id as name, ('6f2c0e0a-0000-4000-8000-00000000000' || (id % 10))::uuid as u,"
            + " id::integer as i from t where id < 10");
    for (String key : List.of("name", "u", "i")) {
      try (Pair pair = new Pair("k" + key, "select * from k", key)) {
        assertThat(pair.planBoth()).hasSize(9);
      }
    }
  }

  @Test
  void unqualifiedNamesResolveInTheModelEvenWhereTheStateHasTablesOfTheSameName() {
    sql(
        "create table delivered as select id, 'mine' as owner from t",
        "create table meta as select 1 as x");
    try (Pair pair =
        new Pair("shadow", "select d.id, d.owner, m.x from delivered d, meta m", "id")) {
      assertThat(pair.planBoth()).hasSize(21).allMatch(e -> e.contains("\"owner\":\"mine\""));
    }
  }

  @Test
  void aQueryNamingTheModelsCatalogPlansInPlace() {
    try (Pair pair = new Pair("catalog", "select * from model.main.t where id <= 3;", "id")) {
      assertThat(pair.planBoth()).hasSize(3);
    }
  }

  @Test
  void modelsThatCannotBePlannedInPlaceAreLeftToTheRowByRowPath() {
    try (DuckDbState state = DuckDbState.open(dir.resolve("fallback"), "s")) {
      assertThat(
              state.stageInPlace(
                  new InPlaceModel("m", dir.resolve("missing.duckdb"), QUERY, "id"), n -> {}))
          .isEmpty();
      assertThat(
              state.stageInPlace(
                  new InPlaceModel("m", model, "select * from no_such_table", "id"), n -> {}))
          .isEmpty();
      assertThat(state.stageInPlace(new InPlaceModel("m", model, QUERY, "no_such_column"), n -> {}))
          .isEmpty();
      assertThat(
              state.stageInPlace(
                  new InPlaceModel("m", model, "select day, first from t", "day"), n -> {}))
          .as("a date key's SQL text is not the encoder's")
          .isEmpty();
      assertThat(
              state.stageInPlace(
                  new InPlaceModel("m", model, "select id, first, id from t", "id"), n -> {}))
          .isEmpty();
      assertThat(
              state.stageInPlace(
                  new InPlaceModel(
                      "m", model, "select * from t using sample 50 percent (bernoulli)", "id"),
                  n -> {}))
          .as("rows differ between two evaluations")
          .isEmpty();
    }
    sql("insert into t (id) values (100)"); // the model is writable again: it was detached
  }

  @Test
  void modelsThatCannotBePlannedInPlaceAreNotStreamedAndLeaveNothingAttached() {
    try (DuckDbState state = DuckDbState.open(dir.resolve("no-stream"), "s")) {
      for (InPlaceModel m :
          List.of(
              new InPlaceModel("m", dir.resolve("missing.duckdb"), QUERY, "id"),
              new InPlaceModel("m", model, "select * from no_such_table", "id"),
              new InPlaceModel("m", model, QUERY, "no_such_column"),
              new InPlaceModel("m", model, "select day, first from t", "day"),
              new InPlaceModel("m", model, "select id, first, id from t", "id"),
              new InPlaceModel("m", model, "select id, first as rowstream_h from t", "id"))) {
        assertThat(state.streamInPlace(m, n -> {})).as(m.query()).isEmpty();
      }
    }
    sql("insert into t (id) values (100)"); // the model is writable again: it was detached
  }

  @Test
  void switchingSchemesComparesRowTextOnceSendsOnlyRealChangesAndAdoptsTheNewFingerprints() {
    Path stateDir = dir.resolve("switch");
    try (DuckDbState state = DuckDbState.open(stateDir, "s")) {
      genericPlan(state);
      state.adoptFingerprints();
      deliver(state);
    }
    sql("update t set first = 'Grace' where id = 2");
    try (DuckDbState state = DuckDbState.open(stateDir, "s")) {
      assertThat(state.stageInPlace(new InPlaceModel("m", model, QUERY, "id"), n -> {}))
          .isPresent();
      state.plan(0, 0);
      state.adoptFingerprints();
      List<String> events = events(state);
      assertThat(events).singleElement().satisfies(e -> assertThat(e).startsWith("changed 2 "));
      deliver(state);
    }
    try (DuckDbState state = DuckDbState.open(stateDir, "s")) {
      assertThat(state.stageInPlace(new InPlaceModel("m", model, QUERY, "id"), n -> {}))
          .isPresent();
      state.plan(0, 0);
      assertThat(events(state))
          .as("fingerprints adopted, including the delivered change")
          .isEmpty();
    }
    // and back to the row-by-row path, as when the source moves to another database
    sql("update t set first = 'Ada' where id = 2");
    try (DuckDbState state = DuckDbState.open(stateDir, "s")) {
      assertThat(genericPlan(state))
          .singleElement()
          .satisfies(e -> assertThat(e).startsWith("changed 2 "));
      state.adoptFingerprints();
      deliver(state);
    }
    try (DuckDbState state = DuckDbState.open(stateDir, "s")) {
      assertThat(genericPlan(state)).isEmpty();
    }
  }

  @Test
  void stateWrittenBeforeSchemesWereRecordedIsTakenAsRowTextFingerprints() throws SQLException {
    Path stateDir = dir.resolve("legacy");
    try (DuckDbState state = DuckDbState.open(stateDir, "s")) {
      genericPlan(state);
      state.adoptFingerprints();
      deliver(state);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + stateDir.resolve("s.duckdb"));
        Statement s = c.createStatement()) {
      s.execute("delete from meta where key = 'fingerprint'");
    }
    sql("update t set first = 'Grace' where id = 2");
    try (DuckDbState state = DuckDbState.open(stateDir, "s")) {
      assertThat(state.stageInPlace(new InPlaceModel("m", model, QUERY, "id"), n -> {}))
          .isPresent();
      state.plan(0, 0);
      assertThat(events(state))
          .singleElement()
          .satisfies(e -> assertThat(e).startsWith("changed 2 "));
    }
  }

  @Test
  void aDryRunOnANewSchemeLeavesTheStoredFingerprintsAsTheyWere() {
    Path stateDir = dir.resolve("dry");
    try (DuckDbState state = DuckDbState.open(stateDir, "s")) {
      genericPlan(state);
      state.adoptFingerprints();
      deliver(state);
    }
    for (int run = 0; run < 2; run++) {
      try (DuckDbState state = DuckDbState.open(stateDir, "s")) {
        assertThat(state.stageInPlace(new InPlaceModel("m", model, QUERY, "id"), n -> {}))
            .isPresent();
        state.plan(0, 0);
        assertThat(events(state)).isEmpty(); // no adoptFingerprints(): the next run rescans again
      }
    }
  }

  @Test
  void aRenamedColumnIsANewSchemeSoEveryRowIsChanged() {
    try (Pair pair = new Pair("rename")) {
      pair.planBoth();
      sql("alter table t rename column first to given");
      assertThat(pair.lastStreamed).isTrue();
      assertThat(pair.planBoth())
          .hasSize(21)
          .allMatch(e -> e.startsWith("changed ") && e.contains("\"given\":"));
      assertThat(pair.lastStreamed).as("a new scheme compares text: staged whole").isFalse();
      assertThat(pair.planBoth()).isEmpty();
      assertThat(pair.lastStreamed).isTrue();
    }
  }

  /**
   * Three states of one sync: one planned row by row, one in place compared whole, one in place
   * with its events streamed while it is compared.
   */
  private final class Pair implements AutoCloseable {
    final DuckDbState generic;
    final DuckDbState inPlace;
    final DuckDbState streamed;
    final String query;
    final String key;
    PlanCounts genericCounts;
    PlanCounts inPlaceCounts;
    StreamedPlan streamedPlan;
    List<DuplicateKey> streamedDuplicates;

    /** Whether the last plan streamed (it does not when the fingerprint scheme changed). */
    boolean lastStreamed;

    Pair(String name) {
      this(name, QUERY, "id");
    }

    Pair(String name, String query, String key) {
      this.generic = DuckDbState.open(dir.resolve(name + "-generic"), "s");
      this.inPlace = DuckDbState.open(dir.resolve(name + "-in-place"), "s");
      this.streamed = DuckDbState.open(dir.resolve(name + "-streamed"), "s");
      this.query = query;
      this.key = key;
    }

    /** Plans both ways, asserts they agree, delivers every event to both; the events, sorted. */
    List<String> planBoth() {
      Staged staged;
      try (Source source = Source.connect(duckDb());
          ModelCursor cursor = source.open(query, key)) {
        staged = generic.stage(cursor, n -> {});
      }
      genericCounts = generic.plan(staged.rows(), staged.nullKeys());
      generic.adoptFingerprints();
      List<String> expected = events(generic);
      Optional<Staged> in = inPlace.stageInPlace(new InPlaceModel("m", model, query, key), n -> {});
      assertThat(in).as("planned in place").isPresent();
      inPlaceCounts = inPlace.plan(in.get().rows(), in.get().nullKeys());
      inPlace.adoptFingerprints();
      List<String> actual = events(inPlace);
      assertThat(actual).isEqualTo(expected);
      assertThat(inPlaceCounts).isEqualTo(genericCounts);
      assertThat(planStreamed()).as("streamed in place").isEqualTo(expected);
      deliver(generic);
      deliver(inPlace);
      return actual;
    }

    /** Plans the third state streamed, delivers what it streamed; its events, sorted. */
    private List<String> planStreamed() {
      InPlaceModel m = new InPlaceModel("m", model, query, key);
      Optional<StreamedPlan> plan = streamed.streamInPlace(m, n -> {});
      lastStreamed = plan.isPresent();
      if (plan.isEmpty()) {
        // a new fingerprint scheme compares the rows' text: staged whole
        Staged staged = streamed.stageInPlace(m, n -> {}).orElseThrow();
        streamed.plan(staged.rows(), staged.nullKeys());
        streamed.adoptFingerprints();
        List<String> events = events(streamed);
        deliver(streamed);
        return events;
      }
      List<String> events = new ArrayList<>();
      List<Ack> acks = new ArrayList<>();
      try (StreamedPlan p = plan.get()) {
        streamedPlan = p;
        streamedDuplicates = streamed.duplicateKeys();
        streamed.adoptFingerprints();
        assertThat(p.columns()).isNotEmpty();
        assertThat(new PlanCounts(p.rowsQueried(), 0, 0, 0, p.nullKeys(), p.duplicateKeyRows()))
            .isEqualTo(
                new PlanCounts(
                    genericCounts.rowsQueried(),
                    0,
                    0,
                    0,
                    genericCounts.nullKeys(),
                    genericCounts.duplicateKeyRows()));
        p.events()
            .forEachRemaining(
                e -> {
                  events.add(e.type().label() + " " + e.key() + " " + e.row());
                  acks.add(e.ack());
                });
      }
      streamed.ack(acks);
      streamed.mergeAcks();
      events.sort(Comparator.naturalOrder());
      return events;
    }

    @Override
    public void close() {
      generic.close();
      inPlace.close();
      streamed.close();
    }
  }

  private List<String> genericPlan(DuckDbState state) {
    try (Source source = Source.connect(duckDb());
        ModelCursor cursor = source.open(QUERY, "id")) {
      Staged staged = state.stage(cursor, n -> {});
      state.plan(staged.rows(), staged.nullKeys());
    }
    return events(state);
  }

  /** Acknowledges every planned event, as a run whose records all landed. */
  private static void deliver(DuckDbState state) {
    List<Ack> acks = new ArrayList<>();
    try (EventStream events = state.events()) {
      events.forEachRemaining(e -> acks.add(e.ack()));
    }
    state.ack(acks);
    state.mergeAcks();
  }

  private static List<String> events(DuckDbState state) {
    List<String> events = new ArrayList<>();
    try (EventStream stream = state.events()) {
      stream.forEachRemaining(e -> events.add(e.type().label() + " " + e.key() + " " + e.row()));
    }
    events.sort(Comparator.naturalOrder());
    return events;
  }

  private SourceConfig duckDb() {
    return new SourceConfig(
        "m",
        SourceConfig.Type.DUCKDB,
        Optional.of(model.toString()),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
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
