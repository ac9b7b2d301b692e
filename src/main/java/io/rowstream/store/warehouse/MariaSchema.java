package io.rowstream.store.warehouse;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Creates the planner database and a sync's tables in MariaDB when they are missing. Existence is
 * checked first, as for PostgreSQL: a role whose database and tables an administrator created needs
 * no CREATE.
 *
 * <p>Keys are at most 768 characters (InnoDB's 3072-byte index limit in utf8mb4), compared in the
 * binary no-pad collation; rows are utf8mb4 text of any length.
 */
final class MariaSchema {
  static final String KEY_TYPE =
      "varchar(768) character set utf8mb4 collate " + MariaSql.KEY_COLLATION;

  private MariaSchema() {}

  static void create(Connection c, MariaTables tables) throws SQLException {
    if (!MariaDb.databaseExists(c, tables.database())) {
      Jdbc.execute(
          c,
          "create database if not exists "
              + tables.databaseSql()
              + " character set utf8mb4 collate utf8mb4_bin");
    }
    createTable(
        c,
        tables,
        "delivered",
        "(k "
            + KEY_TYPE
            + " not null primary key, fp bigint not null, `row` longtext character set utf8mb4"
            + " not null) engine=InnoDB");
    createTable(
        c,
        tables,
        "acks",
        "(seq bigint not null auto_increment primary key, k "
            + KEY_TYPE
            + " not null, op varchar(16) not null, fp bigint, `row` longtext character set"
            + " utf8mb4) engine=InnoDB");
    createTable(
        c,
        tables,
        "meta",
        "(`key` varchar(64) not null primary key, value text) engine=InnoDB"
            + " default character set utf8mb4");
  }

  private static void createTable(Connection c, MariaTables tables, String suffix, String columns)
      throws SQLException {
    if (!MariaDb.tableExists(c, tables.database(), tables.names().name(suffix))) {
      String table =
          switch (suffix) {
            case "delivered" -> tables.delivered();
            case "acks" -> tables.acks();
            default -> tables.meta();
          };
      Jdbc.execute(c, "create table if not exists " + table + " " + columns);
    }
  }
}
