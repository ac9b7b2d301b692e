package io.rowstream.store.warehouse;

import static java.util.Objects.requireNonNull;

/**
 * A sync's tables in a MariaDB planner database: the names of {@link PlannerTables} (64-character
 * identifiers there, so the same cut fits), quoted with backticks, and the temporary tables a run
 * plans in, kept in the planner database so that one grant on it covers everything.
 */
record MariaTables(PlannerTables names) {
  MariaTables {
    requireNonNull(names, "names is null");
  }

  String database() {
    return names.schema();
  }

  String sync() {
    return names.sync();
  }

  String databaseSql() {
    return MariaDb.quote(names.schema());
  }

  String delivered() {
    return qualified(names.name("delivered"));
  }

  String acks() {
    return qualified(names.name("acks"));
  }

  String meta() {
    return qualified(names.name("meta"));
  }

  /** The session's temporary plan (one a session, so no sync's name is needed). */
  String plan() {
    return qualified("rowstream_plan");
  }

  /** The session's temporary table of keys held by several rows. */
  String dups() {
    return qualified("rowstream_dups");
  }

  /** The name of the GET_LOCK lock that is the sync's lease (at most 64 characters). */
  String leaseName() {
    return "rowstream_planner_lease_" + Long.toHexString(names.leaseKey());
  }

  private String qualified(String table) {
    return MariaDb.quote(names.schema()) + "." + MariaDb.quote(table);
  }
}
