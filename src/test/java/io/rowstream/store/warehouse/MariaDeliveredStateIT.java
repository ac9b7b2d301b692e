package io.rowstream.store.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.SourceConfig;
import io.rowstream.config.SourcePlanning;
import io.rowstream.core.EventType;
import io.rowstream.core.Secret;
import io.rowstream.state.Ack;
import io.rowstream.state.DeliveredState;
import io.rowstream.state.DeliveredStateContract;
import io.rowstream.testing.EmbeddedMariaDb;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The delivered-state contract, against a state kept in a MariaDB planner database, opened by a
 * user whose only privileges are those {@code rowstream check} asks for.
 */
class MariaDeliveredStateIT extends DeliveredStateContract {
  private static EmbeddedMariaDb mariaDb;

  @BeforeAll
  static void startMariaDb() {
    mariaDb = EmbeddedMariaDb.start();
    mariaDb.sql(
        "",
        "create database shop",
        "create user planner identified by 'planner-pw'",
        "grant select on shop.* to planner",
        "grant " + String.join(", ", MariaCheck.NEEDED) + " on `planner\\_%`.* to planner");
  }

  @AfterAll
  static void stopMariaDb() {
    if (mariaDb != null) {
      mariaDb.close();
    }
  }

  /** A source whose planner database is new for each test's folder, so every test starts empty. */
  static SourceConfig source(Path dir) {
    return new SourceConfig(
            "maria",
            SourceConfig.Type.MYSQL,
            Optional.empty(),
            Optional.of(mariaDb.url("shop")),
            Optional.of("planner"),
            Optional.of(new Secret("planner-pw")),
            Optional.empty())
        .withPlanning(
            new SourcePlanning(
                SourcePlanning.Mode.WAREHOUSE,
                "planner_" + Integer.toUnsignedString(dir.toString().hashCode())));
  }

  @Override
  protected DeliveredState open(Path dir, String sync) {
    return MariaState.open(source(dir), sync);
  }

  /** Another session takes the lease as another process would: opening again is enough. */
  @Override
  protected DeliveredState openAsAnotherHolder(Path dir, String sync) {
    return MariaState.open(source(dir), sync);
  }

  @Test
  void rowsWithTabsNewlinesQuotesAndBackslashesAreKeptExactly() {
    String row = "{\"s\":\"a\\tb\\nc\\\\d'e\",\"raw\":\"x\ty\nz\\\\\"}";
    try (DeliveredState state = open(dir, "odd-name_1")) {
      state.ack(List.of(new Ack(EventType.ADDED, "k\t1", row, -5)));
      state.mergeAcks();
      assertThat(state.delivered("k\t1")).map(DeliveredState.DeliveredRow::row).contains(row);
    }
  }

  @Test
  void keysDifferingOnlyInCaseOrTrailingSpacesAreDifferentKeys() {
    try (DeliveredState state = open(dir, "keys")) {
      state.ack(
          List.of(
              new Ack(EventType.ADDED, "a", "{\"v\":1}", 1),
              new Ack(EventType.ADDED, "A", "{\"v\":2}", 2),
              new Ack(EventType.ADDED, "a ", "{\"v\":3}", 3)));
      state.mergeAcks();
      assertThat(state.deliveredCount()).isEqualTo(3);
      assertThat(state.delivered("a ")).map(DeliveredState.DeliveredRow::fingerprint).contains(3L);
    }
  }
}
