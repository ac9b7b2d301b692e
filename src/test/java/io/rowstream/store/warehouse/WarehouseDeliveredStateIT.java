package io.rowstream.store.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.SourceConfig;
import io.rowstream.config.SourcePlanning;
import io.rowstream.core.EventType;
import io.rowstream.state.Ack;
import io.rowstream.state.DeliveredState;
import io.rowstream.state.DeliveredStateContract;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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

  /** Another session takes the lease as another process would: opening again is enough. */
  @Override
  protected DeliveredState openAsAnotherHolder(Path dir, String sync) {
    return WarehouseState.open(source(dir), sync);
  }

  @Test
  void rowsWithTabsNewlinesAndBackslashesAreKeptExactly() {
    String row = "{\"s\":\"a\\tb\\nc\\\\d\",\"raw\":\"x\ty\nz\\\\\"}";
    try (DeliveredState state = open(dir, "odd-name_1")) {
      state.ack(List.of(new Ack(EventType.ADDED, "k\t1", row, -5)));
      state.mergeAcks();
      assertThat(state.delivered("k\t1")).map(DeliveredState.DeliveredRow::row).contains(row);
    }
  }
}
