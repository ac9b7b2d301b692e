package io.rowstream.server;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which sync a run id belongs to, so {@code GET /api/v1/runs/{id}} opens one history instead of
 * every sync's in turn. Filled from each sync's history when the service starts (or a reload adds
 * the sync) and with each run the service starts. Runs another process recorded since (a {@code
 * rowstream run}) are not in it: the caller looks those up the slow way and adds them.
 *
 * <p>A run id ({@code 20261202T091500Z-1a2b3c}, see {@code SyncRunner.newRunId}) is kept packed in
 * a long (epoch second, then the 24-bit suffix) in a sorted array per sync: 8 bytes a run, so a
 * week of 100 syncs running every minute (about a million runs) costs about 8 MiB. An id of any
 * other shape is kept as text. Thread-safe.
 */
final class RunIndex {
  private static final DateTimeFormatter STARTED =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);

  private final Map<String, Ids> bySync = new LinkedHashMap<>();

  /** The runs of one sync: packed ids, sorted, and the others as text. */
  private static final class Ids {
    long[] packed = new long[16];
    int size;
    final Map<String, Boolean> other = new HashMap<>();

    void add(String runId) {
      long p = pack(runId);
      if (p < 0) {
        other.put(runId, Boolean.TRUE);
        return;
      }
      int at = Arrays.binarySearch(packed, 0, size, p);
      if (at >= 0) {
        return;
      }
      at = -at - 1;
      if (size == packed.length) {
        packed = Arrays.copyOf(packed, size * 2);
      }
      // new runs are the newest: they land at the end, so this rarely moves anything
      System.arraycopy(packed, at, packed, at + 1, size - at);
      packed[at] = p;
      size++;
    }

    boolean contains(String runId, long p) {
      return p >= 0 ? Arrays.binarySearch(packed, 0, size, p) >= 0 : other.containsKey(runId);
    }
  }

  synchronized void add(String sync, String runId) {
    bySync.computeIfAbsent(sync, s -> new Ids()).add(runId);
  }

  synchronized void addAll(String sync, Iterable<String> runIds) {
    Ids ids = bySync.computeIfAbsent(sync, s -> new Ids());
    runIds.forEach(ids::add);
  }

  /** The sync whose run this is, if the index knows it. */
  synchronized Optional<String> syncOf(String runId) {
    long p = pack(runId);
    for (Map.Entry<String, Ids> e : bySync.entrySet()) {
      if (e.getValue().contains(runId, p)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /** The id packed as (epoch second << 24 | suffix), or -1 when it is not of the usual shape. */
  static long pack(String runId) {
    if (runId.length() < 18 || runId.length() > 23 || runId.charAt(16) != '-') {
      return -1;
    }
    if (runId.length() > 18 && runId.charAt(17) == '0') {
      return -1; // the suffix is written without leading zeros: another spelling is another id
    }
    long suffix = 0;
    for (int i = 17; i < runId.length(); i++) {
      char c = runId.charAt(i);
      int digit = Character.digit(c, 16);
      if (digit < 0 || Character.isUpperCase(c)) {
        return -1;
      }
      suffix = suffix << 4 | digit;
    }
    long second;
    try {
      second = LocalDateTime.parse(runId.substring(0, 16), STARTED).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return -1;
    }
    return second < 0 || second >= 1L << 39 ? -1 : second << 24 | suffix;
  }
}
