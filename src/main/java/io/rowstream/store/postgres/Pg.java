package io.rowstream.store.postgres;

import io.rowstream.config.StateConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The shared state's connections, schema, lock keys and errors: the one SQL helper. */
final class Pg {
  /** Schemas whose tables this JVM created or found, so each is set up once. */
  private static final Set<String> READY = ConcurrentHashMap.newKeySet();

  private Pg() {}

  /** A new connection to the state's database, autocommit on. */
  static Connection connect(StateConfig state) {
    Properties props = new Properties();
    state.user().ifPresent(u -> props.setProperty("user", u));
    state.password().ifPresent(p -> props.setProperty("password", p.reveal()));
    props.setProperty("ApplicationName", "rowstream");
    props.setProperty("reWriteBatchedInserts", "true");
    // a dead server (or network) must not hang a run for ever
    props.setProperty("connectTimeout", "10");
    props.setProperty("tcpKeepAlive", "true");
    try {
      return DriverManager.getConnection(state.url().orElseThrow(), props);
    } catch (SQLException e) {
      throw RowstreamException.fatal(
          ErrorCode.STATE_UNWRITABLE,
          "cannot connect to the PostgreSQL state at "
              + where(state)
              + ": "
              + firstLine(e.getMessage())
              + "; check state: url, user and password in rowstream.yaml and that the server is"
              + " up",
          e);
    }
  }

  /** The URL without its parameters (which may hold a password): host, port and database. */
  static String where(StateConfig state) {
    String url = state.url().orElse("");
    int q = url.indexOf('?');
    String bare = q < 0 ? url : url.substring(0, q);
    int at = bare.indexOf('@');
    return at < 0 ? bare : "jdbc:postgresql://" + bare.substring(at + 1);
  }

  /** Creates the schema and its tables if missing, once per JVM. */
  static void ensureSchema(Connection c, StateConfig state) {
    String key = where(state) + "/" + state.schema();
    if (READY.contains(key)) {
      return;
    }
    String s = state.schema();
    try (Statement st = c.createStatement()) {
      // one creator at a time: CREATE ... IF NOT EXISTS races in PostgreSQL
      st.execute("select pg_advisory_lock(" + lockKey(s, "schema") + ")");
      try {
        for (String ddl : PgSchema.statements(s)) {
          st.execute(ddl);
        }
      } finally {
        st.execute("select pg_advisory_unlock(" + lockKey(s, "schema") + ")");
      }
    } catch (SQLException e) {
      throw failed(
          "creating the tables of schema " + s + " in the state at " + where(state), e, state);
    }
    READY.add(key);
  }

  /** Whether the state's tables exist (a reader creates none). */
  static boolean schemaExists(Connection c, String schema) throws SQLException {
    return tableExists(c, schema + ".delivered");
  }

  /** Whether {@code table} (schema-qualified) exists. */
  static boolean tableExists(Connection c, String table) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select to_regclass(?) is not null")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** The advisory lock key of the lease of {@code sync} (sync names hold no '/'). */
  static long leaseKey(String schema, String sync) {
    return lockKey(schema, "sync/" + sync);
  }

  /** A 64-bit advisory lock key for {@code name} in {@code schema} (FNV-1a: stable everywhere). */
  static long lockKey(String schema, String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : (schema + "\u0000" + name).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  static RowstreamException failed(String doing, SQLException e, StateConfig state) {
    return RowstreamException.fatal(
        ErrorCode.INTERNAL_ERROR,
        doing + " failed (PostgreSQL state at " + where(state) + "): " + firstLine(e.getMessage()),
        e);
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Runs {@code statements} in one transaction on {@code c} (autocommit on before and after). */
  static void transaction(Connection c, List<Sql> statements) throws SQLException {
    c.setAutoCommit(false);
    try {
      for (Sql sql : statements) {
        sql.run(c);
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** One statement of a transaction. */
  interface Sql {
    void run(Connection c) throws SQLException;
  }

  /** A statement with text parameters, run for its update count. */
  static long update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      return s.executeLargeUpdate();
    }
  }

  /**
   * Runs {@code sql} (a lock release) on {@code c} before it is closed, after ending whatever
   * transaction it has open (closing would end it too); a failure leaves the release to the end of
   * the session.
   */
  static void releaseQuietly(Connection c, String sql) {
    if (c == null) {
      return;
    }
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    } catch (Exception ignored) {
      // the server ends the session, and with it the lock, once the connection is closed
    }
  }

  static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing: nothing left to do
      }
    }
  }

  static String firstLine(String message) {
    String m = message == null ? "" : message;
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }

  /** Appends {@code value} to {@code out} escaped for COPY's text format (NULL as \N). */
  static void copyText(StringBuilder out, String value) {
    if (value == null) {
      out.append("\\N");
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
  }
}
