package io.rowstream.store.warehouse;

import io.rowstream.config.SourceConfig;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Creates the planner schema and a sync's tables when they are missing. Existence is checked first:
 * PostgreSQL checks the CREATE privilege before {@code if not exists}, and a role whose schema and
 * tables an administrator created needs no CREATE at all.
 */
final class Schema {
  private Schema() {}

  static void create(Connection c, SourceConfig source, PlannerTables tables) throws SQLException {
    if (!Jdbc.exists(
        c, "select exists (select 1 from pg_namespace where nspname = ?)", tables.schema())) {
      Jdbc.execute(c, "create schema if not exists " + tables.schemaSql());
    }
    createTable(
        c, tables.delivered(), "(k text primary key, fp bigint not null, row text not null)");
    createTable(
        c,
        tables.acks(),
        "(seq bigserial primary key, k text not null, op text not null, fp bigint, row text)");
    createTable(c, tables.meta(), "(key text primary key, value text)");
  }

  private static void createTable(Connection c, String table, String columns) throws SQLException {
    if (!Pg.tableExists(c, table)) {
      Jdbc.execute(c, "create table if not exists " + table + " " + columns);
    }
  }
}
