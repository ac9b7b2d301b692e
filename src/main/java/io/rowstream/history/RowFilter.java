package io.rowstream.history;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Which rows of a run to list: by event label ({@code added}, {@code changed}, {@code removed}) and
 * outcome; empty means any.
 */
public record RowFilter(Optional<String> event, Optional<RowOutcome> outcome) {
  public static final RowFilter ALL = new RowFilter(Optional.empty(), Optional.empty());

  public RowFilter {
    requireNonNull(event, "event is null");
    requireNonNull(outcome, "outcome is null");
  }
}
