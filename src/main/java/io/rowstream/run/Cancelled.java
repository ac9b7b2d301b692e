package io.rowstream.run;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;

/** Thrown inside the run when it is cancelled, to stop reading or planning. */
final class Cancelled extends RowstreamException {
  Cancelled() {
    super(ErrorCode.CANCELLED, Kind.FATAL, "cancelled", null);
  }

  /** Stops the run (reading or planning) once {@code tally}'s run was asked to cancel. */
  static void stopIf(RunTally tally) {
    if (tally.cancelRequested()) {
      throw new Cancelled();
    }
  }
}
