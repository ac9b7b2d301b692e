package io.rowstream.alerts.channel;

/**
 * A notification was not delivered. The message names the service's answer (HTTP status, error
 * code, timeout) and never a secret: no webhook URL, key, token or password.
 */
public final class DeliveryException extends Exception {
  private final boolean retryable;

  public DeliveryException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  /** Whether another attempt may succeed: timeouts, refused connections, 5xx and 429 answers. */
  public boolean retryable() {
    return retryable;
  }
}
