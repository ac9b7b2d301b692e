package io.rowstream.history;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What one run did with one row: the calls that carried its record and its rejections. */
public record KeyInRun(
    String runId, String startedAt, List<KeyInCall> calls, List<RejectedRow> rejections) {
  public KeyInRun {
    requireNonNull(runId, "runId is null");
    requireNonNull(startedAt, "startedAt is null");
    calls = List.copyOf(calls);
    rejections = List.copyOf(rejections);
  }
}
