package io.rowstream.store.postgres;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.StateConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.core.Secret;
import io.rowstream.state.WorkerLeases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link WorkerLeases} in PostgreSQL: a row per sync ({@code worker_lease}) taken under its row
 * lock, a row per claim ({@code worker_claim}, the primary key decides the one winner), and a row
 * per grant ({@code worker_lease_log}: who held the sync from when to when, so overlaps can be
 * checked). Every time is the database's {@code clock_timestamp()}.
 *
 * <p>One connection, used by one caller at a time, opened again after it broke; calls time out
 * after {@link #SOCKET_TIMEOUT} so a hung database cannot hang a worker.
 */
public final class PgWorkerLeases implements WorkerLeases {
  /** How long one call may wait for the database before it fails. */
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

  /** Claims are kept this long; a schedule's claim only matters around its fire time. */
  static final Duration CLAIMS_KEPT = Duration.ofDays(7);

  private static final int PRUNE_EVERY_CLAIMS = 1_000;

  private static final java.util.regex.Pattern SCHEMA =
      java.util.regex.Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final String url;
  private final String schema;
  private final Properties properties = new Properties();
  private Connection connection;
  private int claimsSincePrune;

  private PgWorkerLeases(
      String url, Optional<String> user, Optional<Secret> password, String schema) {
    this.url = requireNonNull(url, "url is null");
    if (!SCHEMA.matcher(requireNonNull(schema, "schema is null")).matches()) {
      throw new IllegalArgumentException("not a schema name: " + schema);
    }
    this.schema = schema;
    user.ifPresent(u -> properties.setProperty("user", u));
    password.ifPresent(p -> properties.setProperty("password", p.reveal()));
    properties.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
    properties.setProperty("connectTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
    properties.setProperty("ApplicationName", "rowstream-worker-leases");
  }

  /** The leases of the shared state {@code state}, in its schema. */
  public static PgWorkerLeases open(StateConfig state) {
    return open(state.url().orElseThrow(), state.user(), state.password(), state.schema());
  }

  /**
   * Connects and creates the tables in {@code schema} when missing (several workers may do so at
   * once).
   */
  public static PgWorkerLeases open(
      String url, Optional<String> user, Optional<Secret> password, String schema) {
    PgWorkerLeases leases = new PgWorkerLeases(url, user, password, schema);
    for (int attempt = 1; ; attempt++) {
      try {
        leases.createTables();
        return leases;
      } catch (RowstreamException e) {
        // the state's own tables may be created by another process at this instant
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  private void createTables() {
    PgWorkerLeases leases = this;
    leases.inTransaction(
        "create the lease tables",
        c -> {
          try (Statement s = c.createStatement()) {
            // concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog
            s.execute("select pg_advisory_xact_lock(hashtext('rowstream_worker_lease'))");
            s.execute("create schema if not exists " + leases.schema);
            s.execute(
                leases.sql(
                    """
                create table if not exists %LEASE% (
                  sync text primary key,
                  worker text not null,
                  run_id text not null,
                  generation bigint not null,
                  acquired_at timestamptz not null,
                  expires_at timestamptz not null,
                  released boolean not null)"""));
            s.execute(
                leases.sql(
                    """
                create table if not exists %LOG% (
                  sync text not null,
                  generation bigint not null,
                  worker text not null,
                  run_id text not null,
                  acquired_at timestamptz not null,
                  held_until timestamptz not null,
                  released_at timestamptz,
                  took_over_from text,
                  primary key (sync, generation))"""));
            s.execute(
                leases.sql(
                    """
                create table if not exists %CLAIM% (
                  sync text not null,
                  token text not null,
                  worker text not null,
                  claimed_at timestamptz not null,
                  primary key (sync, token))"""));
          }
          return null;
        });
  }

  @Override
  public Optional<LeaseGrant> acquire(String sync, String worker, String runId, Duration ttl) {
    return inTransaction(
        "take the lease of sync " + sync,
        c -> {
          Optional<String> tookOverFrom = Optional.empty();
          try (PreparedStatement held =
              prepare(
                  c,
                  "select worker, released, expires_at < clock_timestamp()"
                      + " from %LEASE% where sync = ? for update")) {
            held.setString(1, sync);
            try (ResultSet r = held.executeQuery()) {
              if (r.next()) {
                boolean released = r.getBoolean(2);
                if (!released && !r.getBoolean(3)) {
                  return Optional.<LeaseGrant>empty();
                }
                if (!released) {
                  tookOverFrom = Optional.of(r.getString(1));
                }
              }
            }
          }
          Optional<long[]> granted = Optional.empty();
          Instant expires;
          String upsert =
              """
              insert into %LEASE% as l
                (sync, worker, run_id, generation, acquired_at, expires_at, released)
              values (?, ?, ?, 1, clock_timestamp(),
                clock_timestamp() + ? * interval '1 millisecond', false)
              on conflict (sync) do update set worker = excluded.worker,
                run_id = excluded.run_id, generation = l.generation + 1,
                acquired_at = excluded.acquired_at, expires_at = excluded.expires_at,
                released = false
              where l.released or l.expires_at < clock_timestamp()
              returning generation, expires_at""";
          long generation;
          try (PreparedStatement take = prepare(c, upsert)) {
            take.setString(1, sync);
            take.setString(2, worker);
            take.setString(3, runId);
            take.setLong(4, ttl.toMillis());
            try (ResultSet r = take.executeQuery()) {
              if (!r.next()) {
                // another worker inserted the first row meanwhile and holds it
                return Optional.<LeaseGrant>empty();
              }
              generation = r.getLong(1);
              expires = instant(r, 2);
            }
          }
          try (PreparedStatement log =
              prepare(
                  c,
                  "insert into %LOG%"
                      + " (sync, generation, worker, run_id, acquired_at, held_until,"
                      + " took_over_from) values (?, ?, ?, ?, clock_timestamp(), ?, ?)")) {
            log.setString(1, sync);
            log.setLong(2, generation);
            log.setString(3, worker);
            log.setString(4, runId);
            log.setObject(5, OffsetDateTime.ofInstant(expires, java.time.ZoneOffset.UTC));
            log.setString(6, tookOverFrom.orElse(null));
            log.executeUpdate();
          }
          return Optional.of(
              new LeaseGrant(sync, worker, runId, generation, expires, tookOverFrom));
        });
  }

  @Override
  public boolean renew(LeaseGrant grant, Duration ttl) {
    return inTransaction(
        "renew the lease of sync " + grant.sync(),
        c -> {
          Instant expires;
          try (PreparedStatement renew =
              prepare(
                  c,
                  "update %LEASE%"
                      + " set expires_at = clock_timestamp() + ? * interval '1 millisecond'"
                      + " where sync = ? and generation = ? and worker = ? and not released"
                      + " and expires_at >= clock_timestamp() returning expires_at")) {
            renew.setLong(1, ttl.toMillis());
            renew.setString(2, grant.sync());
            renew.setLong(3, grant.generation());
            renew.setString(4, grant.worker());
            try (ResultSet r = renew.executeQuery()) {
              if (!r.next()) {
                return false;
              }
              expires = instant(r, 1);
            }
          }
          try (PreparedStatement log =
              prepare(
                  c, "update %LOG% set held_until = ?" + " where sync = ? and generation = ?")) {
            log.setObject(1, OffsetDateTime.ofInstant(expires, java.time.ZoneOffset.UTC));
            log.setString(2, grant.sync());
            log.setLong(3, grant.generation());
            log.executeUpdate();
          }
          return true;
        });
  }

  @Override
  public void release(LeaseGrant grant) {
    inTransaction(
        "release the lease of sync " + grant.sync(),
        c -> {
          try (PreparedStatement release =
              prepare(
                  c,
                  "update %LEASE% set released = true,"
                      + " expires_at = least(expires_at, clock_timestamp())"
                      + " where sync = ? and generation = ? and worker = ? and not released"
                      + " returning expires_at")) {
            release.setString(1, grant.sync());
            release.setLong(2, grant.generation());
            release.setString(3, grant.worker());
            try (ResultSet r = release.executeQuery()) {
              if (!r.next()) {
                return null; // lost before: its log row keeps the time it was held until
              }
            }
          }
          try (PreparedStatement log =
              prepare(
                  c,
                  "update %LOG%"
                      + " set released_at = clock_timestamp(),"
                      + " held_until = least(held_until, clock_timestamp())"
                      + " where sync = ? and generation = ?")) {
            log.setString(1, grant.sync());
            log.setLong(2, grant.generation());
            log.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void handOver(LeaseGrant grant) {
    inTransaction(
        "hand over the lease of sync " + grant.sync(),
        c -> {
          try (PreparedStatement expire =
              prepare(
                  c,
                  "update %LEASE%"
                      + " set expires_at = clock_timestamp() - interval '1 millisecond'"
                      + " where sync = ? and generation = ? and worker = ? and not released"
                      + " and expires_at >= clock_timestamp()")) {
            expire.setString(1, grant.sync());
            expire.setLong(2, grant.generation());
            expire.setString(3, grant.worker());
            if (expire.executeUpdate() == 0) {
              return null;
            }
          }
          try (PreparedStatement log =
              prepare(
                  c,
                  "update %LOG%"
                      + " set held_until = least(held_until, clock_timestamp())"
                      + " where sync = ? and generation = ?")) {
            log.setString(1, grant.sync());
            log.setLong(2, grant.generation());
            log.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public boolean claim(String sync, String token, String worker) {
    return inTransaction(
        "claim " + token + " of sync " + sync,
        c -> {
          if (++claimsSincePrune >= PRUNE_EVERY_CLAIMS) {
            claimsSincePrune = 0;
            try (PreparedStatement prune =
                prepare(
                    c,
                    "delete from %CLAIM%"
                        + " where claimed_at < clock_timestamp() - ? * interval '1 millisecond'")) {
              prune.setLong(1, CLAIMS_KEPT.toMillis());
              prune.executeUpdate();
            }
          }
          try (PreparedStatement claim =
              prepare(
                  c,
                  "insert into %CLAIM% (sync, token, worker, claimed_at)"
                      + " values (?, ?, ?, clock_timestamp()) on conflict do nothing")) {
            claim.setString(1, sync);
            claim.setString(2, token);
            claim.setString(3, worker);
            return claim.executeUpdate() == 1;
          }
        });
  }

  @Override
  public List<LeaseGrant> abandoned() {
    return inTransaction(
        "list the expired leases",
        c -> {
          List<LeaseGrant> found = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet r =
                  s.executeQuery(
                      sql(
                          "select sync, worker, run_id, generation, expires_at"
                              + " from %LEASE%"
                              + " where not released and expires_at < clock_timestamp()"
                              + " order by expires_at"))) {
            while (r.next()) {
              found.add(
                  new LeaseGrant(
                      r.getString(1),
                      r.getString(2),
                      r.getString(3),
                      r.getLong(4),
                      instant(r, 5),
                      Optional.empty()));
            }
          }
          return found;
        });
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
      connection = null;
    }
  }

  /** {@code sql} with its table placeholders qualified by the state's schema. */
  private String sql(String sql) {
    return sql.replace("%LEASE%", schema + ".worker_lease")
        .replace("%LOG%", schema + ".worker_lease_log")
        .replace("%CLAIM%", schema + ".worker_claim");
  }

  private PreparedStatement prepare(Connection c, String sql) throws SQLException {
    return c.prepareStatement(sql(sql));
  }

  private static Instant instant(ResultSet r, int column) throws SQLException {
    return r.getObject(column, OffsetDateTime.class).toInstant();
  }

  @FunctionalInterface
  private interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  /** Runs {@code work} in one transaction; a broken connection is opened again next time. */
  private synchronized <T> T inTransaction(String what, Work<T> work) {
    try {
      if (connection == null || connection.isClosed()) {
        connection = DriverManager.getConnection(url, properties);
        connection.setAutoCommit(false);
      }
      try {
        T result = work.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException ignored) {
          // the connection is gone; it is opened again next time
        }
        throw e;
      }
    } catch (SQLException e) {
      close();
      throw RowstreamException.fatal(
          ErrorCode.STATE_UNWRITABLE,
          "could not "
              + what
              + " in the PostgreSQL state: "
              + e.getMessage()
              + " (check state.url, user, password and that the database is up)",
          e);
    }
  }
}
