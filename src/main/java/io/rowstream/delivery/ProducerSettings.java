package io.rowstream.delivery;

import java.time.Duration;

/**
 * How a {@link Producer} batches, how many requests it keeps in flight, and how long it retries.
 * Retries are per record: only the entries a response failed are sent again.
 */
public record ProducerSettings(
    int maxBatchRecords, long maxBatchBytes, int maxInFlight, int maxAttempts, Duration baseBackoff,
    Duration maxBackoff) {

  public static final int DEFAULT_MAX_IN_FLIGHT = 4;
  public static final int DEFAULT_MAX_ATTEMPTS = 6;
  public static final Duration DEFAULT_BASE_BACKOFF = Duration.ofMillis(100);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  public ProducerSettings {
    if (maxBatchRecords < 1 || maxBatchRecords > Destination.MAX_BATCH_RECORDS) {
      throw new IllegalArgumentException("maxBatchRecords must be 1.." + Destination.MAX_BATCH_RECORDS);
    }
    if (maxBatchBytes < 1 || maxBatchBytes > Destination.MAX_BATCH_BYTES) {
      throw new IllegalArgumentException("maxBatchBytes must be 1.." + Destination.MAX_BATCH_BYTES);
    }
    if (maxInFlight < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("maxInFlight and maxAttempts must be positive");
    }
  }

  public static ProducerSettings defaults() {
    return new ProducerSettings(Destination.MAX_BATCH_RECORDS, Destination.MAX_BATCH_BYTES, DEFAULT_MAX_IN_FLIGHT,
        DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_BACKOFF, DEFAULT_MAX_BACKOFF);
  }

  public ProducerSettings withMaxInFlight(int n) {
    return new ProducerSettings(maxBatchRecords, maxBatchBytes, n, maxAttempts, baseBackoff, maxBackoff);
  }

  public ProducerSettings withRetries(int attempts, Duration base, Duration max) {
    return new ProducerSettings(maxBatchRecords, maxBatchBytes, maxInFlight, attempts, base, max);
  }
}
