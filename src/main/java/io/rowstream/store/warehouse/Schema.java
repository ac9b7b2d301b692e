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
  /**
   * {@code SYNC_delivered.ki}: the key as a bigint when its text is exactly how PostgreSQL prints
   * that integer (no sign on zero, no leading zero, in range), else NULL. So for a model whose key
   * column is an integer type, {@code ki = key} holds exactly when {@code k = key::text} does, and
   * the plan joins integers (see {@link PlanSql}). A first run's COPY writes it from {@link
   * AckCopy#integerKey}; merges and the one-off fill of an earlier build's table compute it with
   * {@link #INTEGER_KEY_OF_K}. Not a generated column: its regular expressions made a 1M-row COPY
   * 30% slower (BENCHMARKS.md, "Planning in the warehouse").
   */
  static final String INTEGER_KEY_OF_K =
      "case when k = '0' or k ~ '^-?[1-9][0-9]{0,17}$' then k::bigint"
          + " when k ~ '^-?[1-9][0-9]{18}$'"
          + " and k::numeric between -9223372036854775808 and 9223372036854775807"
          + " then k::bigint end";

  private Schema() {}

  static void create(Connection c, SourceConfig source, PlannerTables tables) throws SQLException {
    if (!Jdbc.exists(
        c, "select exists (select 1 from pg_namespace where nspname = ?)", tables.schema())) {
      Jdbc.execute(c, "create schema if not exists " + tables.schemaSql());
    }
    createTable(
        c,
        tables.delivered(),
        "(k text primary key, fp bigint not null, row text not null, ki bigint)");
    if (!hasIntegerKey(c, tables)) {
      // a table of an earlier build: add the column and fill it, in one transaction; a role that
      // does not own the table plans by key text as before
      c.setAutoCommit(false);
      try {
        Jdbc.execute(c, "alter table " + tables.delivered() + " add column ki bigint");
        Jdbc.execute(c, "update " + tables.delivered() + " set ki = " + INTEGER_KEY_OF_K);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        if (!Pg.denied(e)) {
          throw e;
        }
      } finally {
        c.setAutoCommit(true);
      }
    }
    createTable(
        c,
        tables.acks(),
        "(seq bigserial primary key, k text not null, op text not null, fp bigint, row text)");
    createTable(c, tables.meta(), "(key text primary key, value text)");
  }

  /** Whether {@code SYNC_delivered} has {@code ki}, so integer keys can be joined as integers. */
  static boolean hasIntegerKey(Connection c, PlannerTables tables) throws SQLException {
    return Jdbc.exists(
        c,
        "select exists (select 1 from pg_attribute where attrelid = to_regclass(?)"
            + " and attname = 'ki' and not attisdropped)",
        tables.delivered());
  }

  private static void createTable(Connection c, String table, String columns) throws SQLException {
    if (!Pg.tableExists(c, table)) {
      Jdbc.execute(c, "create table if not exists " + table + " " + columns);
    }
  }
}
