package io.rowstream.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.EventType;
import io.rowstream.core.RowstreamException;
import io.rowstream.delivery.CallLog;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.EntryResult;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.delivery.Producer;
import io.rowstream.delivery.ProducerSettings;
import io.rowstream.delivery.PutResult;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.plan.PlanningStore.InPlaceModel;
import io.rowstream.plan.StreamedPlan;
import io.rowstream.state.Ack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DuckDB model planned in place hands out its events while it is still being compared, so the
 * first PutRecords goes out before planning ends; what is sent and acknowledged is exactly the
 * plan.
 */
class StreamedPlanTest {
  private static final int ROWS = 20_000;

  @TempDir Path dir;
  private Path model;

  @BeforeEach
  void createModel() {
    model = dir.resolve("model.duckdb");
    sql("create table t as select i as id, 'customer ' || i as name from range(" + ROWS + ") r(i)");
  }

  @Test
  void theFirstPutRecordsGoesOutBeforeTheComparisonHasEnded() {
    InPlaceModel m = new InPlaceModel("m", model, "select * from t", "id");
    try (DuckDbState state = DuckDbState.open(dir.resolve("state"), "s")) {
      Map<EventType, Integer> first = send(state, m, new RecordingDestination());
      assertThat(first).containsExactly(Map.entry(EventType.ADDED, ROWS));
    }
    sql(
        "update t set name = name || ' changed' where id % 4 = 0",
        "delete from t where id between 1 and 10",
        "insert into t values (null, 'no key'), (7, 'again'), (7, 'and again')");
    RecordingDestination destination = new RecordingDestination();
    try (DuckDbState state = DuckDbState.open(dir.resolve("state"), "s")) {
      Map<EventType, Integer> sent = send(state, m, destination);

      assertThat(destination.comparedAtFirstRequest.get())
          .as("the comparison was still running when the first request went out")
          .isFalse();
      // every fourth id changed, but 4 and 8 were deleted: they are removed
      assertThat(sent)
          .containsEntry(EventType.CHANGED, ROWS / 4 - 2)
          .containsEntry(EventType.REMOVED, 9) // 1..10 but 7, whose key is duplicated now
          .doesNotContainKey(EventType.ADDED);
      assertThat(destination.keys.get()).isEqualTo(ROWS / 4 - 2 + 9);
      assertThat(state.delivered("7")).as("a duplicated key is never sent").isPresent();
      assertThat(state.delivered("4")).isEmpty();
    }
  }

  @Test
  void aQueryThatReturnsOtherRowsWhenReadAgainFailsBeforeAnyKeyIsRemoved() {
    InPlaceModel all = new InPlaceModel("m", model, "select * from t", "id");
    try (DuckDbState state = DuckDbState.open(dir.resolve("state"), "s")) {
      send(state, all, new RecordingDestination());
    }
    // each read of the model returns another tenth of the rows
    InPlaceModel sampled =
        new InPlaceModel("m", model, "select * from t where random() < 0.9", "id");
    RecordingDestination destination = new RecordingDestination();
    try (DuckDbState state = DuckDbState.open(dir.resolve("state"), "s")) {
      assertThatThrownBy(() -> send(state, sampled, destination))
          .isInstanceOfSatisfying(
              RowstreamException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_NOT_REPEATABLE);
                assertThat(e.getMessage())
                    .contains("returned other rows when read again")
                    .contains("first read")
                    .contains("last read");
              });
      assertThat(destination.keys.get()).as("no removed event was handed out").isZero();
      state.mergeAcks();
      assertThat(state.deliveredCount()).as("no key was recorded as removed").isEqualTo(ROWS);
    }
  }

  @Test
  void aQueryThatReturnsTheSameRowsEachTimePassesTheCheck() {
    // random() in a column, not in the keys or the rows returned: the values differ on each read,
    // the rows do not
    InPlaceModel noisy =
        new InPlaceModel("m", model, "select id, name, random() as r from t", "id");
    try (DuckDbState state = DuckDbState.open(dir.resolve("state"), "s")) {
      assertThat(send(state, noisy, new RecordingDestination()))
          .containsExactly(Map.entry(EventType.ADDED, ROWS));
    }
    sql("delete from t where id < 5");
    try (DuckDbState state = DuckDbState.open(dir.resolve("state"), "s")) {
      assertThat(send(state, noisy, new RecordingDestination()))
          .containsEntry(EventType.CHANGED, ROWS - 5)
          .containsEntry(EventType.REMOVED, 5);
    }
  }

  /** Streams a plan of {@code m} into a producer as a run does; what was acknowledged, by type. */
  private static Map<EventType, Integer> send(
      DuckDbState state, InPlaceModel m, RecordingDestination destination) {
    Map<EventType, Integer> acknowledged = new EnumMap<>(EventType.class);
    Producer.Listener<PlannedEvent> listener =
        new Producer.Listener<>() {
          @Override
          public void acknowledged(List<PlannedEvent> events, List<EntryResult> results) {
            List<Ack> acks = new ArrayList<>();
            synchronized (acknowledged) {
              for (PlannedEvent e : events) {
                acks.add(e.ack());
                acknowledged.merge(e.type(), 1, Integer::sum);
              }
            }
            state.ack(acks);
          }

          @Override
          public void rejected(PlannedEvent event, String errorCode, String message) {
            throw new AssertionError("rejected " + event.key() + ": " + message);
          }
        };
    // a send buffer far smaller than the plan: the plan cannot be read to its end before
    // requests have gone out and been answered
    ProducerSettings settings =
        ProducerSettings.defaults().toBuilder()
            .batching(50, 64 * 1024, Duration.ofMillis(1))
            .maxBufferedBytes(64 * 1024)
            .shardLimits(1_000_000, 1L << 40)
            .build();
    try (StreamedPlan plan = state.streamInPlace(m, n -> {}).orElseThrow();
        Producer<PlannedEvent> producer =
            new Producer<>(destination, "s", settings, listener, PlannedEvent::key, CallLog.NONE)) {
      destination.compared = ((InPlaceStream) plan.events())::compared;
      state.adoptFingerprints();
      while (plan.events().hasNext()) {
        PlannedEvent e = plan.events().next();
        producer.submit(
            new OutboundRecord(e.row().getBytes(StandardCharsets.UTF_8), e.key(), Optional.empty()),
            e);
      }
      producer.finish();
    }
    state.mergeAcks();
    return acknowledged;
  }

  /** Stores every record; remembers whether the plan was compared when the first request came. */
  private static final class RecordingDestination implements Destination {
    volatile BooleanSupplier compared = () -> true;
    final AtomicReference<Boolean> comparedAtFirstRequest = new AtomicReference<>();
    final AtomicInteger keys = new AtomicInteger();

    @Override
    public PutResult putRecords(String stream, List<OutboundRecord> records) {
      comparedAtFirstRequest.compareAndSet(null, compared.getAsBoolean());
      keys.addAndGet(records.size());
      List<EntryResult> entries = new ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        entries.add(EntryResult.stored("shardId-000000000000", "1"));
      }
      return new PutResult(entries, 200, Optional.empty());
    }

    @Override
    public void close() {}
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
