package io.rowstream.history;

import java.util.List;
import java.util.Optional;

/**
 * The read side of a sync's run history: runs, their rejected rows and their API calls, as typed
 * views. Shared by {@code runs}, {@code debug} and the REST API.
 *
 * <p>Guarantees: a reader never blocks a run of the same sync and is never blocked by one, in this
 * process or another; it writes nothing and creates nothing (a sync that never ran reads as empty);
 * what it returns is a consistent snapshot per call, and a running run's counts are those it last
 * persisted (at most about a second old).
 */
public interface HistoryReader extends AutoCloseable {
  /**
   * Runs newest first (by start, then run id), at most {@code limit}; with {@code before}, only
   * runs older than that run (the next page after it).
   */
  List<RunView> runs(int limit, Optional<String> before);

  default List<RunView> runs(int limit) {
    return runs(limit, Optional.empty());
  }

  Optional<RunView> run(String runId);

  /**
   * The id of every run kept, newest first: for an index of run ids, cheaper than {@link #runs}.
   */
  default List<String> runIds() {
    List<String> ids = new java.util.ArrayList<>();
    Optional<String> before = Optional.empty();
    for (List<RunView> page = runs(500, before); !page.isEmpty(); page = runs(500, before)) {
      page.forEach(r -> ids.add(r.runId()));
      before = Optional.of(page.get(page.size() - 1).runId());
    }
    return ids;
  }

  /** The rejected rows of a run, by reason then key, at most {@code limit}. */
  List<RejectedRow> rejections(String runId, int limit);

  /** The rejections of one row in one run. */
  List<RejectedRow> rejections(String runId, String key);

  /** The API calls of a run in the order they started, without their keys and entries. */
  List<StoredCall> calls(String runId);

  /**
   * A page of {@link #calls(String)}: skips {@code offset} calls, returns at most {@code limit}.
   */
  default List<StoredCall> calls(String runId, int offset, int limit) {
    return calls(runId).stream().skip(offset).limit(limit).toList();
  }

  /**
   * Every time the record of row {@code key} was carried by a call of {@code runId}, in order, with
   * the record data the history kept. Found by an index on (run, key), whatever the run's size.
   */
  List<KeyInCall> callsCarrying(String runId, String key);

  /**
   * The rows of a run, by key (rows without a key first), a page at a time: skips {@code offset}
   * rows of those {@code filter} keeps and returns at most {@code limit}. A row is {@link
   * RowOutcome#SUCCESSFUL} when a call of the run stored its record, {@link RowOutcome#REJECTED}
   * when the run rejected it; a key search is by index, not by scanning the run.
   */
  List<RunRow> rows(String runId, RowFilter filter, int offset, int limit);

  /**
   * The records call {@code seq} of run {@code runId} carried, in the order sent, with what Kinesis
   * answered for each and the record data the history kept; empty for a call without records.
   */
  List<CallEntry> entries(String runId, long seq);

  /** What the runs did with row {@code key}, newest run first, at most {@code limit} runs. */
  List<KeyInRun> keyHistory(String key, int limit);

  @Override
  void close();
}
