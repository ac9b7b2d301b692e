package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.LandedRecord;
import io.rowstream.testing.SharedEmulators;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A PostgreSQL model synced end to end, with its types kept in the JSON that lands. */
class PostgresSyncIT {
  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @TempDir Path dir;

  @Test
  void aPostgresModelLandsWithItsTypesAndItsChanges() throws Exception {
    KinesisEmulator kinesis = EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
    kinesis.createStream("pg-orders", 1);
    try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "create table orders (id bigint, total numeric(14, 4), placed timestamptz, meta jsonb, "
                + "tags text[], paid boolean, note text)");
        s.execute(
            "insert into orders values (1, 12.5000, '2026-03-01 10:00:00+02', '{\"a\": [1, 2.5]}', "
                + "array['x', 'y\"z'], true, 'line\nbreak'), (2, 99999999.9999, null, null, null, false, null)");
      }
      Files.writeString(
          dir.resolve("rowstream.yaml"),
          """
          sources:
            pg: {type: postgres, url: "jdbc:postgresql://127.0.0.1:%d/postgres", user: postgres, password: "${PGPASS}"}
          destinations:
            k: {type: kinesis, region: us-east-1, endpoint: "%s", credentials: {access_key_id: a, secret_access_key: b}}
          syncs:
            orders: {source: pg, table: orders, primary_key: id, destination: k, stream: pg-orders}
          """
              .formatted(pg.getPort(), kinesis.endpoint())
              .replace("${PGPASS}", "postgres"));
      Project p = new Project(dir);
      Project.Result first = p.cli("run", "orders");
      assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
      List<LandedRecord> landed = kinesis.readAll("pg-orders");
      assertThat(landed)
          .extracting(LandedRecord::data)
          .containsExactlyInAnyOrder(
              "{\"id\":1,\"total\":12.5000,\"placed\":\"2026-03-01T08:00:00Z\",\"meta\":{\"a\":[1,2.5]},"
                  + "\"tags\":[\"x\",\"y\\\"z\"],\"paid\":true,\"note\":\"line\\nbreak\"}",
              "{\"id\":2,\"total\":99999999.9999,\"placed\":null,\"meta\":null,\"tags\":null,\"paid\":false,\"note\":null}");

      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("update orders set paid = true where id = 2");
        s.execute("delete from orders where id = 1");
      }
      Project.Result second = p.cli("run", "orders", "--json");
      assertThat(second.exitCode()).as(second.err()).isZero();
      assertThat(second.out())
          .contains("\"changed\":{\"planned\":1,\"sent\":1,\"rejected\":0}")
          .contains("\"removed\":{\"planned\":1,\"sent\":1,\"rejected\":0}");
      assertThat(kinesis.readAll("pg-orders")).hasSize(4);
    }
  }
}
