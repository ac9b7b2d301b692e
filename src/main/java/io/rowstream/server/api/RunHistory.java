package io.rowstream.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.KeyInCall;
import io.rowstream.history.RejectedRow;
import io.rowstream.history.StoredCall;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The runs a sync's history keeps, for the API (over {@code io.rowstream.history}'s reader, which
 * never blocks a run nor waits for one). Runs queued or running in this service are the
 * scheduler's, with live counts; this is the stored past. {@link Busy} is for a history that cannot
 * be read now.
 */
public interface RunHistory {
  /** The sync's runs newest first, starting after run {@code before} when given. */
  List<StoredRun> runs(String sync, int limit, Optional<String> before);

  /** The newest run stored before the service started, without reading the state again. */
  Optional<StoredRun> latest(String sync);

  /** One run of any sync. */
  Optional<StoredRun> run(String runId);

  List<RejectedRow> rejections(String sync, String runId, int limit);

  List<StoredCall> calls(String sync, String runId, int limit);

  /**
   * What happened to row {@code key} in each of the sync's last {@code runs} runs, newest first.
   */
  List<KeyInRun> key(String sync, String key, int runs);

  /**
   * Several reads of one sync's history on one reader (what a page shows at once); the reader is
   * closed when {@code reading} returns.
   */
  <T> T read(String sync, Function<HistoryReader, T> reading);

  /** A run as its sync's state keeps it; the summary is what {@code run --json} printed. */
  record StoredRun(String sync, String runId, String startedAt, String status, JsonNode summary) {}

  /** One row in one run: its rejections and every call that carried its record. */
  record KeyInRun(StoredRun run, List<RejectedRow> rejections, List<KeyInCall> calls) {}

  /** The sync's state is in use (its run now, or another rowstream process): try again later. */
  final class Busy extends RuntimeException {
    public Busy(String message) {
      super(message);
    }
  }
}
