package io.rowstream.store.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.config.SourceConfig;
import io.rowstream.config.SourcePlanning;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.state.DeliveredState;
import io.rowstream.state.DeliveredStateContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The delivered-state contract, against a state kept in a PostgreSQL planner schema. */
class WarehouseDeliveredStateIT extends DeliveredStateContract {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  /** A source whose planner schema is new for each test's folder, so every test starts empty. */
  static SourceConfig source(Path dir) {
    return new SourceConfig(
            "pg",
            SourceConfig.Type.POSTGRES,
            Optional.empty(),
            Optional.of(postgres.getJdbcUrl("postgres", "postgres")),
            Optional.of("postgres"),
            Optional.empty(),
            Optional.empty())
        .withPlanning(
            new SourcePlanning(
                SourcePlanning.Mode.WAREHOUSE,
                "planner_" + Integer.toUnsignedString(dir.toString().hashCode())));
  }

  @Override
  protected DeliveredState open(Path dir, String sync) {
    return WarehouseState.open(source(dir), sync);
  }

  @Test
  void aSecondProcessIsRefusedWhileTheLeaseIsHeld() {
    try (DeliveredState first = open(dir, "s")) {
      assertThatThrownBy(() -> open(dir, "s"))
          .isInstanceOf(RowstreamException.class)
          .satisfies(
              e -> assertThat(((RowstreamException) e).code()).isEqualTo(ErrorCode.STATE_LOCKED))
          .hasMessageContaining("in use by another rowstream process");
    }
    try (DeliveredState again = open(dir, "s")) {
      assertThat(again.deliveredCount()).as("the lease went with the first session").isZero();
    }
  }

  @Test
  void rowsWithTabsNewlinesAndBackslashesAreKeptExactly() {
    String row = "{\"s\":\"a\\tb\\nc\\\\d\",\"raw\":\"x\ty\nz\\\\\"}";
    try (DeliveredState state = open(dir, "odd-name_1")) {
      state.ack(
          java.util.List.of(
              new io.rowstream.state.Ack(io.rowstream.core.EventType.ADDED, "k\t1", row, -5)));
      state.mergeAcks();
      assertThat(state.delivered("k\t1")).map(DeliveredState.DeliveredRow::row).contains(row);
    }
  }
}
