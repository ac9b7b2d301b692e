package io.rowstream.store.warehouse;

import io.rowstream.state.SyncLease;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The two sessions of a warehouse state, in either dialect: the planner's, which plans, streams the
 * events and holds the lease, and the writer's, which records acknowledgements and meta (null when
 * the state is opened read-only).
 */
record StateSessions(String sync, boolean readOnly, Connection planner, Connection writer) {

  /** The lease is held while the planner's session is: the server releases it with the session. */
  Optional<SyncLease> lease() {
    if (readOnly) {
      return Optional.empty();
    }
    return Optional.of(
        new SyncLease() {
          @Override
          public String sync() {
            return sync;
          }

          @Override
          public boolean held() {
            try {
              return planner.isValid(5);
            } catch (SQLException e) {
              return false;
            }
          }
        });
  }

  /** The writer while there is one (it sees every commit at once), else the read-only planner. */
  Connection readConnection() {
    return writer != null ? writer : planner;
  }

  /** Ends a read on the read-only planner, so that its next read sees a fresh snapshot. */
  void endRead() {
    if (writer == null) {
      rollbackPlanner();
    }
  }

  void requireWritable() {
    if (readOnly) {
      throw new IllegalStateException("the state of sync " + sync + " was opened read-only");
    }
  }

  /** Rolls back the planner's open transaction, if any (a MariaDB planner never has one). */
  void rollbackPlanner() {
    try {
      if (!planner.getAutoCommit()) {
        planner.rollback();
      }
    } catch (SQLException ignored) {
      // the session is gone: the next statement says so
    }
  }
}
