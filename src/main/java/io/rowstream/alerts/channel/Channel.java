package io.rowstream.alerts.channel;

/**
 * A place notifications go: one attempt per call. Retries, backoff and the time budget are the
 * caller's ({@code io.rowstream.alerts.Alerting}); a channel only says whether a failure is worth
 * another attempt.
 */
public interface Channel {
  /** The channel's name in {@code alerts.channels}. */
  String name();

  /** Sends one notification once; returns normally when the service accepted it. */
  void send(Notification notification) throws DeliveryException;
}
