package io.rowstream.store;

import io.rowstream.history.HistoryReader;
import io.rowstream.history.RunHistory;
import io.rowstream.state.SyncDocuments;
import java.time.Clock;

/**
 * Where the state of every sync lives: the delivered state (with planning), the run history and the
 * small per-sync documents (alert states). The embedded one keeps files in the state folder (DuckDB
 * and SQLite); a shared one keeps them in a database. {@link StateBackends#forConfig} picks one.
 *
 * <p>Lifecycle of a run: {@link #open} takes the sync's lease (a second holder is refused with
 * {@code STATE_LOCKED}); {@link #openHistory} under that lease; both closed when the run ends, the
 * history first. Readers ({@link #openReadOnly}, {@link #readHistory}) take no lease and write
 * nothing.
 */
public interface StateBackend {
  /** Opens (creating if needed) the state of {@code sync} to change it, taking its lease. */
  SyncStore open(String sync);

  /**
   * Opens the state of {@code sync} to plan without changing it ({@code rowstream plan}); a sync
   * that never ran is planned against an empty state. Creates nothing.
   */
  SyncStore openReadOnly(String sync);

  /**
   * Opens the write side of the run history of the sync whose lease {@code held} is (so no other
   * run of it is alive); history kept elsewhere by an older Rowstream is moved in first.
   */
  RunHistory openHistory(SyncStore held, Clock clock);

  /** The read side of the run history of {@code sync}: never blocks a run, creates nothing. */
  HistoryReader readHistory(String sync);

  /** Per-sync documents (the alert states), shared by every process on this state. */
  SyncDocuments documents();
}
