package io.rowstream.history;

import java.util.Arrays;
import java.util.Optional;

/** How a row of a run ended, as the debugger filters rows. */
public enum RowOutcome {
  /** A call carried its record and Kinesis stored it. */
  SUCCESSFUL("successful"),
  /** The run gave up on it (see the rejection's reason). */
  REJECTED("rejected");

  private final String label;

  RowOutcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Optional<RowOutcome> parse(String label) {
    return Arrays.stream(values()).filter(o -> o.label.equals(label)).findFirst();
  }
}
