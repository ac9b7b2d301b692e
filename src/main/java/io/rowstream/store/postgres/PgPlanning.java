package io.rowstream.store.postgres;

import io.rowstream.config.StateConfig;
import io.rowstream.core.EventType;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.plan.EventStream;
import io.rowstream.plan.PlanCounts;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.plan.Staged;
import io.rowstream.source.ModelCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The planning of one sync in its state's session: the model is copied into temporary tables
 * ({@code pg_temp.model}, then {@code dup} and {@code events}), compared there with the delivered
 * rows by key, and the events are streamed out with a server-side cursor.
 */
final class PgPlanning {
  static final String JAVA_SCHEME = PostgresState.JAVA_SCHEME;
  static final String FINGERPRINT_KEY = PostgresState.FINGERPRINT_KEY;
  static final int EVENT_FETCH_ROWS = PostgresState.EVENT_FETCH_ROWS;

  private final StateConfig config;
  private final String sync;
  private final Connection connection;
  private final String delivered;
  private final PostgresState state;

  /** Whether a stage ran, and whether delivered fingerprints are of another scheme. */
  private boolean staged;

  private boolean rescan;

  PgPlanning(
      StateConfig config,
      String sync,
      Connection connection,
      String delivered,
      PostgresState state) {
    this.config = config;
    this.sync = sync;
    this.connection = connection;
    this.delivered = delivered;
    this.state = state;
  }

  Staged stage(ModelCursor cursor, LongConsumer progress) {
    try {
      rescan = state.storedScheme().map(stored -> !stored.equals(JAVA_SCHEME)).orElse(false);
      Pg.execute(
          connection,
          "drop table if exists pg_temp.model, pg_temp.dup, pg_temp.events;"
              + " create temp table model (pk text, h bigint, row text)");
      long[] counts = PgCopy.stage(connection, cursor, progress);
      // temporary tables are never analyzed by autovacuum: without statistics the diff's plan
      // would be guessed
      Pg.execute(connection, "analyze pg_temp.model");
      staged = true;
      return new Staged(counts[0], counts[1], cursor.columns());
    } catch (SQLException e) {
      throw Pg.failed("staging the model of sync " + sync, e, config);
    }
  }

  PlanCounts plan(long rowsQueried, long nullKeys) {
    if (!staged) {
      throw new IllegalStateException("plan() before stage()");
    }
    String compare = rescan ? "m.row <> d.row" : "m.h <> d.h";
    long added = 0;
    long changed = 0;
    long removed = 0;
    long duplicates = 0;
    try {
      Pg.execute(
          connection,
          "create temp table dup as select pk from pg_temp.model group by pk having count(*) > 1;"
              + " analyze pg_temp.dup");
      try (PreparedStatement s =
          connection.prepareStatement(
              "create temp table events as"
                  + " select 'added' as op, m.pk, m.h, m.row from pg_temp.model m"
                  + " where not exists (select 1 from "
                  + delivered
                  + " d where d.sync = ? and d.pk = m.pk)"
                  + " and not exists (select 1 from pg_temp.dup x where x.pk = m.pk)"
                  + " union all select 'changed', m.pk, m.h, m.row from pg_temp.model m join "
                  + delivered
                  + " d on d.sync = ? and d.pk = m.pk where "
                  + compare
                  + " and not exists (select 1 from pg_temp.dup x where x.pk = m.pk)"
                  + " union all select 'removed', d.pk, d.h, d.row from "
                  + delivered
                  + " d where d.sync = ? and not exists"
                  + " (select 1 from pg_temp.model m where m.pk = d.pk)")) {
        s.setString(1, sync);
        s.setString(2, sync);
        s.setString(3, sync);
        s.execute();
      }
      try (Statement s = connection.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "select op, count(*) from pg_temp.events group by op union all"
                      + " select 'dup', count(*) from pg_temp.model"
                      + " where pk in (select pk from pg_temp.dup)")) {
        while (rs.next()) {
          switch (rs.getString(1)) {
            case "added" -> added = rs.getLong(2);
            case "changed" -> changed = rs.getLong(2);
            case "removed" -> removed = rs.getLong(2);
            default -> duplicates = rs.getLong(2);
          }
        }
      }
    } catch (SQLException e) {
      throw Pg.failed("planning sync " + sync, e, config);
    }
    return new PlanCounts(rowsQueried, added, changed, removed, nullKeys, duplicates);
  }

  List<DuplicateKey> duplicateKeys() {
    List<DuplicateKey> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select pk, count(*) from pg_temp.model where pk in (select pk from pg_temp.dup)"
                    + " group by pk order by pk")) {
      while (rs.next()) {
        rows.add(new DuplicateKey(rs.getString(1), rs.getLong(2)));
      }
    } catch (SQLException e) {
      throw Pg.failed("reading the duplicate keys of sync " + sync, e, config);
    }
    return rows;
  }

  /**
   * Streams the planned events with a server-side cursor: never all in memory. The cursor opens at
   * the first read: the runner records duplicates and adopts fingerprints (commits on this
   * connection, which would close an open cursor) after the plan is handed out and before it reads.
   */
  EventStream events() {
    return new Events();
  }

  void adoptFingerprints() {
    if (!staged) {
      throw new IllegalStateException("adoptFingerprints() before stage()");
    }
    try {
      Optional<String> stored = state.storedScheme();
      if (stored.isPresent() && stored.get().equals(JAVA_SCHEME)) {
        return;
      }
      List<Pg.Sql> statements = new ArrayList<>();
      if (rescan) {
        statements.add(
            c ->
                Pg.update(
                    c,
                    "update "
                        + delivered
                        + " d set h = m.h from pg_temp.model m where d.sync = ? and d.pk = m.pk"
                        + " and d.row = m.row and m.pk not in (select pk from pg_temp.dup)",
                    sync));
      }
      statements.add(c -> state.upsertMeta(c, FINGERPRINT_KEY, JAVA_SCHEME));
      Pg.transaction(connection, statements);
    } catch (SQLException e) {
      throw Pg.failed("recording the fingerprints of sync " + sync, e, config);
    }
  }

  void recordBaseline() {
    try {
      Pg.transaction(
          connection,
          List.of(
              c ->
                  Pg.update(
                      c,
                      "delete from "
                          + delivered
                          + " d using pg_temp.events e where d.sync = ? and d.pk = e.pk",
                      sync),
              c ->
                  Pg.update(
                      c,
                      "insert into "
                          + delivered
                          + " (sync, pk, h, row) select ?, pk, h, row from pg_temp.events"
                          + " where op <> 'removed'",
                      sync)));
    } catch (SQLException e) {
      throw Pg.failed("recording the baseline of sync " + sync, e, config);
    }
  }

  /** The planned events from the server-side cursor; closing ends the read transaction. */
  private final class Events implements EventStream {
    private Statement statement;
    private ResultSet rs;
    private PlannedEvent next;

    private ResultSet open() throws SQLException {
      if (rs == null) {
        // pgjdbc fetches in chunks only inside a transaction; temporary tables are only read here
        connection.setAutoCommit(false);
        statement = connection.createStatement();
        statement.setFetchSize(EVENT_FETCH_ROWS);
        rs = statement.executeQuery("select op, pk, row, h from pg_temp.events");
      }
      return rs;
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        try {
          if (open().next()) {
            next =
                new PlannedEvent(
                    EventType.parse(rs.getString(1)).orElseThrow(),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getLong(4));
          }
        } catch (SQLException e) {
          throw Pg.failed("reading the planned events of sync " + sync, e, config);
        }
      }
      return next != null;
    }

    @Override
    public PlannedEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      PlannedEvent event = next;
      next = null;
      return event;
    }

    @Override
    public void close() {
      if (rs == null) {
        return;
      }
      Pg.closeQuietly(rs);
      Pg.closeQuietly(statement);
      try {
        connection.commit();
        connection.setAutoCommit(true);
      } catch (SQLException ignored) {
        // only read in this transaction
      }
    }
  }
}
