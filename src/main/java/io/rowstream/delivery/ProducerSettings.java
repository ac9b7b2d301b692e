package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.DestinationConfig;
import java.time.Duration;

/**
 * How a {@link Producer} batches, paces, bounds its memory and retries. Built with {@link
 * #builder()} (every setting starts at its named {@code DEFAULT_...}) or changed from an existing
 * one with {@link #toBuilder()}.
 *
 * @param maxBatchRecords records in one PutRecords request (Kinesis allows 500)
 * @param maxBatchBytes data plus partition key bytes in one request (Kinesis allows 5 MiB)
 * @param maxInFlight PutRecords requests out at once
 * @param maxAttempts attempts per record before it is rejected for this run, when Kinesis answers
 *     with a per-record error or throttles the whole request
 * @param baseBackoff first retry delay; doubles per attempt, with jitter
 * @param maxBackoff longest retry delay
 * @param maxBufferedBytes records submitted but not yet acknowledged or rejected (queued, waiting
 *     to retry or in flight); {@code submit} blocks above it
 * @param shardRecordsPerSecond the write limit of one shard in records
 * @param shardBytesPerSecond the write limit of one shard in data plus partition key bytes
 * @param burst how far ahead of the pace a shard may send after an idle spell
 * @param linger how long a batch may wait to fill before it is sent anyway
 * @param retryBudget retried record attempts a run may always make
 * @param retryBudgetRatio further retried attempts per submitted record; the run's budget is {@code
 *     retryBudget + retryBudgetRatio * submitted}. When spent, failing records are rejected at once
 *     (and sent again next run)
 * @param shardRefreshInterval least time between two ListShards refreshes after resharding
 * @param outageTimeout how long a record may keep getting no answer, a timeout or a 5xx before the
 *     producer stops with {@code endpoint_unreachable}; such records are never rejected
 */
public record ProducerSettings(
    int maxBatchRecords,
    long maxBatchBytes,
    int maxInFlight,
    int maxAttempts,
    Duration baseBackoff,
    Duration maxBackoff,
    long maxBufferedBytes,
    int shardRecordsPerSecond,
    long shardBytesPerSecond,
    Duration burst,
    Duration linger,
    long retryBudget,
    double retryBudgetRatio,
    Duration shardRefreshInterval,
    Duration outageTimeout) {

  public static final int DEFAULT_MAX_BATCH_RECORDS = Destination.MAX_BATCH_RECORDS;
  public static final long DEFAULT_MAX_BATCH_BYTES = Destination.MAX_BATCH_BYTES;

  /** The one default of requests in flight, as the config documents it. */
  public static final int DEFAULT_MAX_IN_FLIGHT = DestinationConfig.Sending.DEFAULT_MAX_IN_FLIGHT;

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
  public static final Duration DEFAULT_OUTAGE_TIMEOUT =
      DestinationConfig.Sending.DEFAULT_OUTAGE_TIMEOUT;

  public ProducerSettings {
    if (maxBatchRecords < 1 || maxBatchRecords > Destination.MAX_BATCH_RECORDS) {
      throw new IllegalArgumentException(
          "maxBatchRecords is " + maxBatchRecords + "; valid: 1.." + Destination.MAX_BATCH_RECORDS);
    }
    if (maxBatchBytes < 1 || maxBatchBytes > Destination.MAX_BATCH_BYTES) {
      throw new IllegalArgumentException(
          "maxBatchBytes is " + maxBatchBytes + "; valid: 1.." + Destination.MAX_BATCH_BYTES);
    }
    if (maxInFlight < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "maxInFlight ("
              + maxInFlight
              + ") and maxAttempts ("
              + maxAttempts
              + ") must be positive");
    }
    if (maxBufferedBytes < maxBatchBytes) {
      throw new IllegalArgumentException(
          "maxBufferedBytes is "
              + maxBufferedBytes
              + "; valid: at least maxBatchBytes ("
              + maxBatchBytes
              + ")");
    }
    if (shardRecordsPerSecond < 1 || shardBytesPerSecond < 1) {
      throw new IllegalArgumentException(
          "shardRecordsPerSecond ("
              + shardRecordsPerSecond
              + ") and shardBytesPerSecond ("
              + shardBytesPerSecond
              + ") must be positive");
    }
    if (retryBudget < 0 || retryBudgetRatio < 0) {
      throw new IllegalArgumentException(
          "retryBudget ("
              + retryBudget
              + ") and retryBudgetRatio ("
              + retryBudgetRatio
              + ") must not be negative");
    }
    requireNonNull(baseBackoff, "baseBackoff is null");
    requireNonNull(maxBackoff, "maxBackoff is null");
    requireNonNull(burst, "burst is null");
    requireNonNull(linger, "linger is null");
    requireNonNull(shardRefreshInterval, "shardRefreshInterval is null");
    requireNonNull(outageTimeout, "outageTimeout is null");
    if (outageTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "outageTimeout is " + outageTimeout + "; valid: not negative");
    }
  }

  /** Every setting at its default. */
  public static ProducerSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The most records that can be sent but not yet recorded as acknowledged at any instant, i.e. the
   * most duplicates a killed run can leave: {@code maxInFlight} requests on the wire and as many
   * answered ones whose acknowledgements are being written.
   */
  public long maxUnconfirmedRecords() {
    return 2L * maxInFlight * maxBatchRecords;
  }

  /** The retried attempts a run that submitted {@code submitted} records may make. */
  long retryAllowance(long submitted) {
    return retryBudget + (long) (retryBudgetRatio * submitted);
  }

  /** Named settings, each starting at its default; {@link #build()} checks them together. */
  public static final class Builder {
    private int maxBatchRecords = DEFAULT_MAX_BATCH_RECORDS;
    private long maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration baseBackoff = DEFAULT_BASE_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
    private int shardRecordsPerSecond = SHARD_RECORDS_PER_SECOND;
    private long shardBytesPerSecond = SHARD_BYTES_PER_SECOND;
    private Duration burst = DEFAULT_BURST;
    private Duration linger = DEFAULT_LINGER;
    private long retryBudget = DEFAULT_RETRY_BUDGET;
    private double retryBudgetRatio = DEFAULT_RETRY_BUDGET_RATIO;
    private Duration shardRefreshInterval = DEFAULT_SHARD_REFRESH_INTERVAL;
    private Duration outageTimeout = DEFAULT_OUTAGE_TIMEOUT;

    private Builder() {}

    private Builder(ProducerSettings s) {
      maxBatchRecords = s.maxBatchRecords;
      maxBatchBytes = s.maxBatchBytes;
      maxInFlight = s.maxInFlight;
      maxAttempts = s.maxAttempts;
      baseBackoff = s.baseBackoff;
      maxBackoff = s.maxBackoff;
      maxBufferedBytes = s.maxBufferedBytes;
      shardRecordsPerSecond = s.shardRecordsPerSecond;
      shardBytesPerSecond = s.shardBytesPerSecond;
      burst = s.burst;
      linger = s.linger;
      retryBudget = s.retryBudget;
      retryBudgetRatio = s.retryBudgetRatio;
      shardRefreshInterval = s.shardRefreshInterval;
      outageTimeout = s.outageTimeout;
    }

    public Builder maxInFlight(int n) {
      maxInFlight = n;
      return this;
    }

    /** Attempts per record and the backoff between them. */
    public Builder retries(int attempts, Duration base, Duration max) {
      maxAttempts = attempts;
      baseBackoff = base;
      maxBackoff = max;
      return this;
    }

    public Builder retryBudget(long retries, double perSubmittedRecord) {
      retryBudget = retries;
      retryBudgetRatio = perSubmittedRecord;
      return this;
    }

    public Builder maxBufferedBytes(long bytes) {
      maxBufferedBytes = bytes;
      return this;
    }

    /** The per-shard limits to pace to; lower them when other producers share the stream. */
    public Builder shardLimits(int recordsPerSecond, long bytesPerSecond) {
      shardRecordsPerSecond = recordsPerSecond;
      shardBytesPerSecond = bytesPerSecond;
      return this;
    }

    public Builder burst(Duration d) {
      burst = d;
      return this;
    }

    /** Records and bytes in one request, and how long a batch may wait to fill. */
    public Builder batching(int records, long bytes, Duration lingerFor) {
      maxBatchRecords = records;
      maxBatchBytes = bytes;
      linger = lingerFor;
      return this;
    }

    public Builder shardRefreshInterval(Duration interval) {
      shardRefreshInterval = interval;
      return this;
    }

    public Builder outageTimeout(Duration timeout) {
      outageTimeout = timeout;
      return this;
    }

    public ProducerSettings build() {
      return new ProducerSettings(
          maxBatchRecords,
          maxBatchBytes,
          maxInFlight,
          maxAttempts,
          baseBackoff,
          maxBackoff,
          maxBufferedBytes,
          shardRecordsPerSecond,
          shardBytesPerSecond,
          burst,
          linger,
          retryBudget,
          retryBudgetRatio,
          shardRefreshInterval,
          outageTimeout);
    }
  }
}
