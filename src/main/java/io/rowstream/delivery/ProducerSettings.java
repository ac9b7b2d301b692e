package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a {@link Producer} batches, paces, bounds its memory and retries. Start from {@link
 * #defaults()} and change what you need with the {@code with...} methods.
 *
 * @param maxBatchRecords records in one PutRecords request (Kinesis allows 500)
 * @param maxBatchBytes data plus partition key bytes in one request (Kinesis allows 5 MiB)
 * @param maxInFlight PutRecords requests out at once
 * @param maxAttempts attempts per record before it is rejected for this run
 * @param baseBackoff first retry delay; doubles per attempt, with jitter
 * @param maxBackoff longest retry delay
 * @param maxBufferedBytes records submitted but not yet acknowledged or rejected (queued, waiting
 *     to retry or in flight); {@code submit} blocks above it
 * @param shardRecordsPerSecond the write limit of one shard in records
 * @param shardBytesPerSecond the write limit of one shard in data plus partition key bytes
 * @param burst how far ahead of the pace a shard may send after an idle spell
 * @param linger how long a batch may wait to fill before it is sent anyway
 * @param retryBudget retried record attempts a run may always make
 * @param retryBudgetRatio further retried attempts per submitted record; the run's budget is
 *     {@code retryBudget + retryBudgetRatio * submitted}. When spent, failing records are rejected
 *     at once (and sent again next run)
 * @param shardRefreshInterval least time between two ListShards refreshes after resharding
 */
public record ProducerSettings(
    int maxBatchRecords, long maxBatchBytes, int maxInFlight, int maxAttempts, Duration baseBackoff,
    Duration maxBackoff, long maxBufferedBytes, int shardRecordsPerSecond, long shardBytesPerSecond, Duration burst,
    Duration linger, long retryBudget, double retryBudgetRatio, Duration shardRefreshInterval) {

  public static final int DEFAULT_MAX_IN_FLIGHT = 4;
  public static final int DEFAULT_MAX_ATTEMPTS = 6;
  public static final Duration DEFAULT_BASE_BACKOFF = Duration.ofMillis(100);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 64L * 1024 * 1024;
  /** Kinesis' write limits per shard. */
  public static final int SHARD_RECORDS_PER_SECOND = 1_000;
  public static final long SHARD_BYTES_PER_SECOND = 1024L * 1024;
  public static final Duration DEFAULT_BURST = Duration.ofMillis(100);
  public static final Duration DEFAULT_LINGER = Duration.ofMillis(50);
  public static final long DEFAULT_RETRY_BUDGET = 10_000;
  public static final double DEFAULT_RETRY_BUDGET_RATIO = 0.5;
  public static final Duration DEFAULT_SHARD_REFRESH_INTERVAL = Duration.ofSeconds(2);

  public ProducerSettings {
    if (maxBatchRecords < 1 || maxBatchRecords > Destination.MAX_BATCH_RECORDS) {
      throw new IllegalArgumentException("maxBatchRecords is " + maxBatchRecords + "; valid: 1.."
          + Destination.MAX_BATCH_RECORDS);
    }
    if (maxBatchBytes < 1 || maxBatchBytes > Destination.MAX_BATCH_BYTES) {
      throw new IllegalArgumentException("maxBatchBytes is " + maxBatchBytes + "; valid: 1.."
          + Destination.MAX_BATCH_BYTES);
    }
    if (maxInFlight < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("maxInFlight (" + maxInFlight + ") and maxAttempts (" + maxAttempts
          + ") must be positive");
    }
    if (maxBufferedBytes < maxBatchBytes) {
      throw new IllegalArgumentException("maxBufferedBytes is " + maxBufferedBytes
          + "; valid: at least maxBatchBytes (" + maxBatchBytes + ")");
    }
    if (shardRecordsPerSecond < 1 || shardBytesPerSecond < 1) {
      throw new IllegalArgumentException("shardRecordsPerSecond (" + shardRecordsPerSecond
          + ") and shardBytesPerSecond (" + shardBytesPerSecond + ") must be positive");
    }
    if (retryBudget < 0 || retryBudgetRatio < 0) {
      throw new IllegalArgumentException("retryBudget (" + retryBudget + ") and retryBudgetRatio ("
          + retryBudgetRatio + ") must not be negative");
    }
    requireNonNull(baseBackoff, "baseBackoff is null");
    requireNonNull(maxBackoff, "maxBackoff is null");
    requireNonNull(burst, "burst is null");
    requireNonNull(linger, "linger is null");
    requireNonNull(shardRefreshInterval, "shardRefreshInterval is null");
  }

  public static ProducerSettings defaults() {
    return new ProducerSettings(Destination.MAX_BATCH_RECORDS, Destination.MAX_BATCH_BYTES, DEFAULT_MAX_IN_FLIGHT,
        DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_BUFFERED_BYTES,
        SHARD_RECORDS_PER_SECOND, SHARD_BYTES_PER_SECOND, DEFAULT_BURST, DEFAULT_LINGER, DEFAULT_RETRY_BUDGET,
        DEFAULT_RETRY_BUDGET_RATIO, DEFAULT_SHARD_REFRESH_INTERVAL);
  }

  public ProducerSettings withMaxInFlight(int n) {
    return new ProducerSettings(maxBatchRecords, maxBatchBytes, n, maxAttempts, baseBackoff, maxBackoff,
        maxBufferedBytes, shardRecordsPerSecond, shardBytesPerSecond, burst, linger, retryBudget, retryBudgetRatio,
        shardRefreshInterval);
  }

  public ProducerSettings withRetries(int attempts, Duration base, Duration max) {
    return new ProducerSettings(maxBatchRecords, maxBatchBytes, maxInFlight, attempts, base, max,
        maxBufferedBytes, shardRecordsPerSecond, shardBytesPerSecond, burst, linger, retryBudget, retryBudgetRatio,
        shardRefreshInterval);
  }

  public ProducerSettings withRetryBudget(long retries, double perSubmittedRecord) {
    return new ProducerSettings(maxBatchRecords, maxBatchBytes, maxInFlight, maxAttempts, baseBackoff, maxBackoff,
        maxBufferedBytes, shardRecordsPerSecond, shardBytesPerSecond, burst, linger, retries, perSubmittedRecord,
        shardRefreshInterval);
  }

  public ProducerSettings withMaxBufferedBytes(long bytes) {
    return new ProducerSettings(maxBatchRecords, maxBatchBytes, maxInFlight, maxAttempts, baseBackoff, maxBackoff,
        bytes, shardRecordsPerSecond, shardBytesPerSecond, burst, linger, retryBudget, retryBudgetRatio,
        shardRefreshInterval);
  }

  /** The per-shard limits to pace to; lower them when other producers share the stream. */
  public ProducerSettings withShardLimits(int recordsPerSecond, long bytesPerSecond) {
    return new ProducerSettings(maxBatchRecords, maxBatchBytes, maxInFlight, maxAttempts, baseBackoff, maxBackoff,
        maxBufferedBytes, recordsPerSecond, bytesPerSecond, burst, linger, retryBudget, retryBudgetRatio,
        shardRefreshInterval);
  }

  public ProducerSettings withBatching(int records, long bytes, Duration lingerFor) {
    return new ProducerSettings(records, bytes, maxInFlight, maxAttempts, baseBackoff, maxBackoff,
        maxBufferedBytes, shardRecordsPerSecond, shardBytesPerSecond, burst, lingerFor, retryBudget, retryBudgetRatio,
        shardRefreshInterval);
  }

  public ProducerSettings withShardRefreshInterval(Duration interval) {
    return new ProducerSettings(maxBatchRecords, maxBatchBytes, maxInFlight, maxAttempts, baseBackoff, maxBackoff,
        maxBufferedBytes, shardRecordsPerSecond, shardBytesPerSecond, burst, linger, retryBudget, retryBudgetRatio,
        interval);
  }

  /**
   * The most records that can be sent but not yet recorded as acknowledged at any instant, i.e.
   * the most duplicates a killed run can leave: {@code maxInFlight} requests on the wire and as
   * many answered ones whose acknowledgements are being written.
   */
  public long maxUnconfirmedRecords() {
    return 2L * maxInFlight * maxBatchRecords;
  }

  /** The retried attempts a run that submitted {@code submitted} records may make. */
  long retryAllowance(long submitted) {
    return retryBudget + (long) (retryBudgetRatio * submitted);
  }
}
