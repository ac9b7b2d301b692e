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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
  void closingReleasesTheLeaseBeforeItReturns() throws Exception {
    open(dir, "released").close();
    // the lease is released by close itself, not when the server gets round to ending the session
    long key = new PlannerTables(source(dir).planning().schema(), "released").leaseKey();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select count(*) from pg_locks where locktype = 'advisory' and granted"
                    + " and objsubid = 1 and classid::bigint = ? and objid::bigint = ?")) {
      s.setLong(1, key >>> 32);
      s.setLong(2, key & 0xffffffffL);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
    }
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
