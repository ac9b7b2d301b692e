package io.rowstream.delivery;

/**
 * Tokens refill at {@code rate} per second up to {@code capacity}. A take succeeds while the
 * balance is positive and may overdraw it, so a record larger than the burst still goes out and the
 * debt is paid back before the next: the average stays at the rate. Not thread-safe.
 */
final class TokenBucket {
  private double rate;
  private double capacity;
  private double tokens;
  private long lastNanos;

  TokenBucket(double rate, double capacity, long nowNanos) {
    this.rate = rate;
    this.capacity = capacity;
    this.tokens = capacity;
    this.lastNanos = nowNanos;
  }

  private void refill(long nowNanos) {
    if (nowNanos > lastNanos) {
      tokens = Math.min(capacity, tokens + rate * (nowNanos - lastNanos) / 1e9);
      lastNanos = nowNanos;
    }
  }

  boolean ready(long nowNanos) {
    refill(nowNanos);
    return tokens > 0;
  }

  void take(double amount) {
    tokens -= amount;
  }

  /** Nanoseconds until {@link #ready} holds again; 0 when it holds now. */
  long nanosUntilReady(long nowNanos) {
    refill(nowNanos);
    return tokens > 0 ? 0 : (long) Math.ceil((-tokens + 1e-9) / rate * 1e9) + 1;
  }

  void setRate(double newRate, double newCapacity, long nowNanos) {
    refill(nowNanos);
    rate = newRate;
    capacity = newCapacity;
    tokens = Math.min(tokens, capacity);
  }

  double rate() {
    return rate;
  }
}
