package io.rowstream.delivery;

import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the producer does when Kinesis does not store a request, and the reason text it gives: an
 * outage (no real answer) is ridden out without using attempts, a request refused whole as invalid
 * is bisected until the records at fault are alone. Not thread-safe: the producer calls it under
 * its lock.
 */
final class Refusals<T> {
  /** The longest server message kept with a rejection. */
  static final int MAX_MESSAGE_CHARS = 1_000;

  private final ProducerSettings settings;
  private final RetrySchedule<T> retries;

  Refusals(ProducerSettings settings, RetrySchedule<T> retries) {
    this.settings = settings;
    this.retries = retries;
  }

  /**
   * A request got no real answer: its records are sent again together with backoff, without using
   * their attempts or the retry budget, until one has gone without an answer for {@code
   * outageTimeout}.
   *
   * @return {@code null} when the records are scheduled again, else the error that stops the
   *     producer, naming the outage
   */
  RowstreamException rideOut(List<Pending<T>> batch, RowstreamException failure, long now) {
    long timeout = settings.outageTimeout().toNanos();
    long deadline = Long.MAX_VALUE;
    int outageAttempts = 0;
    for (Pending<T> e : batch) {
      e.attempts--;
      if (e.outageSince < 0) {
        e.outageSince = e.lastSent;
      }
      if (now - e.outageSince >= timeout) {
        return RowstreamException.fatal(
            ErrorCode.ENDPOINT_UNREACHABLE,
            "endpoint_unreachable: the Kinesis endpoint gave no answer for "
                + String.format(Locale.ROOT, "%.1fs", (now - e.outageSince) / 1e9)
                + " (outage_timeout "
                + human(settings.outageTimeout())
                + "); the run stops here, and the rows not acknowledged stay "
                + "undelivered for the next run. Last error: "
                + failure.getMessage(),
            failure);
      }
      outageAttempts = Math.max(outageAttempts, ++e.outageAttempts);
      deadline = Math.min(deadline, e.outageSince + timeout);
    }
    // the last attempt goes out when the bound is reached, not later
    long retryAt = Math.min(now + retries.backoffNanos(outageAttempts), deadline);
    for (Pending<T> e : batch) {
      retries.later(e, retryAt);
    }
    return null;
  }

  /**
   * A request refused whole as invalid says nothing of which records are at fault: its halves are
   * sent as requests of their own until a record refused alone is rejected with the server's
   * message. The refusals use no attempts: they were not delivery attempts.
   *
   * @return the halves to send next; none when the request held one record, which is rejected
   */
  List<List<Pending<T>>> bisect(
      List<Pending<T>> batch, String code, String message, Settled<T> settled) {
    for (Pending<T> e : batch) {
      e.attempts--;
      e.outageSince = -1;
    }
    if (batch.size() == 1) {
      settled.reject(
          batch.get(0),
          reasonCode(code),
          "Kinesis refused the record as invalid: " + clip(message));
      return List.of();
    }
    int half = batch.size() / 2;
    return List.of(
        new ArrayList<>(batch.subList(0, half)),
        new ArrayList<>(batch.subList(half, batch.size())));
  }

  /** A record Kinesis refused for good (not retryable, not fatal for the stream). */
  static String refused(String code, String message) {
    return "Kinesis refused the record: " + code + ": " + clip(message);
  }

  /** A record that failed on every attempt allowed; {@code why} says what ended the retries. */
  static String gaveUp(String message, String why) {
    return "Kinesis refused the record on every attempt: " + clip(message) + why;
  }

  /** A record refusal that no record can get past: the producer stops. */
  static RowstreamException stopsTheStream(String stream, EntryResult r) {
    return RowstreamException.fatal(
        ErrorCodes.classify(r.errorCode(), 0).code(),
        "Kinesis refused a record of stream '"
            + stream
            + "' with "
            + r.errorCode()
            + ": "
            + r.errorMessage()
            + "; no record can be stored until that is fixed");
  }

  /** An AWS error code as a reason code: its name only, whatever the server sent. */
  static String reasonCode(String code) {
    String clean = code == null ? "" : code.replaceAll("[^A-Za-z0-9_.-]", "");
    if (clean.isEmpty()) {
      return "UnknownError";
    }
    return clean.length() > 64 ? clean.substring(0, 64) : clean;
  }

  /** A server message on one line, bounded in length. */
  static String clip(String message) {
    String oneLine = message == null ? "" : message.replaceAll("\\p{Cntrl}+", " ").strip();
    return oneLine.length() > MAX_MESSAGE_CHARS
        ? oneLine.substring(0, MAX_MESSAGE_CHARS) + "..."
        : oneLine;
  }

  /** {@code 2m}, {@code 90s}, {@code 300ms}: as the config writes it. */
  static String human(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    return s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
  }
}
