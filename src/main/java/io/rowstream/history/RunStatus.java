package io.rowstream.history;

import java.util.Arrays;
import java.util.Optional;

/** Where a run stands in the history. */
public enum RunStatus {
  RUNNING("running"),
  SUCCEEDED("succeeded"),
  COMPLETED_WITH_ERRORS("completed_with_errors"),
  FAILED("failed"),
  /** Stopped on request after committing what was acknowledged. */
  CANCELLED("cancelled"),
  /** Its process died (killed, lost power) before it ended; what it acknowledged was kept. */
  INTERRUPTED("interrupted"),
  /** Not a run: {@code rowstream reset} forgot delivered rows; its rows count is how many. */
  RESET("reset");

  private final String label;

  RunStatus(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Optional<RunStatus> parse(String label) {
    return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
  }
}
