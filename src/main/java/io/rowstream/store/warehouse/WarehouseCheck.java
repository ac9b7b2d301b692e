package io.rowstream.store.warehouse;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.SourceConfig;
import io.rowstream.core.RowstreamException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether a source's planner schema can be created and written by the configured role, from
 * PostgreSQL's privilege functions (MariaDB and MySQL: {@link MariaCheck}): it writes nothing. Each
 * finding that fails names the grant to add. {@code rowstream check} prints it; a web UI can show
 * it.
 */
public final class WarehouseCheck {
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");

  private WarehouseCheck() {}

  /** One check: what, whether it passed, and what was found or what to grant. */
  public record Finding(String check, boolean ok, String detail) {
    public Finding {
      requireNonNull(check, "check is null");
      requireNonNull(detail, "detail is null");
    }
  }

  /** Checks {@code source}'s planner schema and the tables of {@code syncs} that exist. */
  public static List<Finding> run(SourceConfig source, List<String> syncs) {
    if (source.type() == SourceConfig.Type.MYSQL) {
      return MariaCheck.run(source);
    }
    List<Finding> findings = new ArrayList<>();
    Connection c;
    try {
      c = Pg.connect(source);
    } catch (RowstreamException e) {
      findings.add(new Finding("connect", false, e.getMessage()));
      return findings;
    }
    String schema = source.planning().schema();
    try (c) {
      String role = text(c, "select current_user");
      String database = text(c, "select current_database()");
      findings.add(new Finding("connect", true, "as " + role + " to database " + database));
      boolean schemaExists =
          Jdbc.exists(c, "select exists (select 1 from pg_namespace where nspname = ?)", schema);
      if (!schemaExists) {
        boolean canCreate =
            Jdbc.exists(c, "select has_database_privilege(current_database(), 'CREATE')");
        findings.add(
            canCreate
                ? new Finding(
                    "planner schema",
                    true,
                    schema + " does not exist yet; the first run creates it")
                : new Finding(
                    "planner schema",
                    false,
                    schema
                        + " does not exist and "
                        + role
                        + " may not create it: GRANT CREATE ON DATABASE "
                        + ident(database)
                        + " TO "
                        + ident(role)
                        + "; (or, as an administrator: CREATE SCHEMA "
                        + ident(schema)
                        + " AUTHORIZATION "
                        + ident(role)
                        + ";)"));
      } else {
        boolean usage = Jdbc.exists(c, "select has_schema_privilege(?, 'USAGE')", schema);
        boolean create = Jdbc.exists(c, "select has_schema_privilege(?, 'CREATE')", schema);
        List<String> missing = new ArrayList<>();
        if (!usage) {
          missing.add("USAGE");
        }
        if (!create) {
          missing.add("CREATE");
        }
        findings.add(
            missing.isEmpty()
                ? new Finding(
                    "planner schema",
                    true,
                    schema + " exists; " + role + " may use it and create tables in it")
                : new Finding(
                    "planner schema",
                    false,
                    schema
                        + " exists but "
                        + role
                        + " lacks "
                        + String.join(" and ", missing)
                        + " on it: GRANT "
                        + String.join(", ", missing)
                        + " ON SCHEMA "
                        + ident(schema)
                        + " TO "
                        + ident(role)
                        + ";"));
        if (usage) {
          for (String sync : syncs) {
            tables(c, new PlannerTables(schema, sync), role).ifPresent(findings::add);
          }
        }
      }
      boolean temporary =
          Jdbc.exists(c, "select has_database_privilege(current_database(), 'TEMPORARY')");
      findings.add(
          temporary
              ? new Finding("temporary tables", true, "allowed (each run plans in one)")
              : new Finding(
                  "temporary tables",
                  false,
                  role
                      + " may not create the temporary table a run plans in: GRANT TEMPORARY ON DATABASE "
                      + ident(database)
                      + " TO "
                      + ident(role)
                      + ";"));
    } catch (SQLException e) {
      findings.add(new Finding("privileges", false, "cannot be read: " + Jdbc.describe(e)));
    }
    return findings;
  }

  /** The privileges a run needs on a sync's existing tables; empty when none exists yet. */
  private static java.util.Optional<Finding> tables(Connection c, PlannerTables t, String role)
      throws SQLException {
    List<String> lacking = new ArrayList<>();
    boolean any = false;
    for (String table : List.of(t.delivered(), t.acks(), t.meta())) {
      if (!Pg.tableExists(c, table)) {
        continue;
      }
      any = true;
      if (!Jdbc.exists(
          c, "select has_table_privilege(?, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')", table)) {
        lacking.add(table);
      }
    }
    if (!any) {
      return java.util.Optional.empty();
    }
    boolean sequence =
        !Pg.tableExists(c, t.acks())
            || Jdbc.exists(
                c,
                "select has_sequence_privilege(pg_get_serial_sequence(?, 'seq'), 'USAGE')",
                t.acks());
    if (lacking.isEmpty() && sequence) {
      return java.util.Optional.of(
          new Finding("tables of " + t.sync(), true, "readable and writable by " + role));
    }
    StringBuilder grants = new StringBuilder();
    if (!lacking.isEmpty()) {
      grants
          .append("GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ")
          .append(String.join(", ", lacking))
          .append(" TO ")
          .append(ident(role))
          .append(";");
    }
    if (!sequence) {
      grants
          .append(grants.isEmpty() ? "" : " ")
          .append("GRANT USAGE ON ALL SEQUENCES IN SCHEMA ")
          .append(ident(t.schema()))
          .append(" TO ")
          .append(ident(role))
          .append(";");
    }
    return java.util.Optional.of(
        new Finding("tables of " + t.sync(), false, role + " may not write them: " + grants));
  }

  private static String text(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** An identifier as a grant names it: bare when PostgreSQL reads it so, else quoted. */
  private static String ident(String name) {
    return PLAIN.matcher(name).matches() ? name : PlannerTables.quote(name);
  }
}
