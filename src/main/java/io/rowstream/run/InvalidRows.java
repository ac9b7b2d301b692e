package io.rowstream.run;

import io.rowstream.config.SyncConfig;
import io.rowstream.core.Rejection;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.RunHistory;
import io.rowstream.plan.DuplicateKey;
import io.rowstream.store.SyncStore;
import java.util.ArrayList;
import java.util.List;

/** The rows a plan rejected: NULL and duplicated primary keys; none of them is sent. */
final class InvalidRows {
  private InvalidRows() {}

  /**
   * Counts and records the rows the plan rejected and, for a run that may change the state ({@code
   * history} not null), adopts the plan's fingerprint scheme.
   */
  static void record(
      SyncConfig sync,
      SyncStore state,
      RunHistory history,
      RunListener runListener,
      RunTally tally,
      String runId,
      long nullKeys,
      long duplicateKeyRows) {
    tally.invalid.add(nullKeys);
    if (nullKeys > 0) {
      tally.reject(null, Rejection.NULL_PRIMARY_KEY, nullKeys);
    }
    if (duplicateKeyRows > 0) {
      tally.invalid.add(duplicateKeyRows);
      tally.reject(null, Rejection.DUPLICATE_PRIMARY_KEY, duplicateKeyRows);
    }
    if (history == null) {
      return;
    }
    if (nullKeys > 0) {
      history.reject(
          runId,
          List.of(
              new RejectedRow(
                  null,
                  null,
                  Rejection.NULL_PRIMARY_KEY,
                  nullKeys
                      + " rows of the model have NULL in primary key column "
                      + sync.primaryKey()
                      + "; they are not sent")));
    }
    if (duplicateKeyRows > 0) {
      List<RejectedRow> rows = new ArrayList<>();
      for (DuplicateKey dup : state.duplicateKeys()) {
        rows.add(
            new RejectedRow(
                dup.key(),
                null,
                Rejection.DUPLICATE_PRIMARY_KEY,
                "primary key value "
                    + dup.key()
                    + " is held by "
                    + dup.rows()
                    + " rows of the model; none of them is sent"));
      }
      history.reject(runId, rows);
      runListener.rejected(rows);
    }
    state.adoptFingerprints();
  }
}
