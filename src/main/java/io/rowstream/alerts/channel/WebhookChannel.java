package io.rowstream.alerts.channel;

import io.rowstream.config.AlertsConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A JSON POST of the notification ({@link NotificationText#json}), signed as Stripe signs its
 * webhooks: {@code X-Rowstream-Signature: t=UNIX_SECONDS,v1=HEX(HMAC-SHA256(secret, t + "." +
 * body))}. A receiver recomputes the HMAC over the raw body, compares in constant time, and rejects
 * timestamps too far from its clock (replays). {@code Idempotency-Key} is the notification id.
 */
final class WebhookChannel implements Channel {
  static final String SIGNATURE_HEADER = "X-Rowstream-Signature";

  private final AlertsConfig.Webhook config;
  private final Http http;
  private final Clock clock;

  WebhookChannel(AlertsConfig.Webhook config, Http http, Clock clock) {
    this.config = config;
    this.http = http;
    this.clock = clock;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void send(Notification n) throws DeliveryException {
    String body = NotificationText.json(n).toString();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Idempotency-Key", n.id());
    if (config.secret().isPresent()) {
      long t = clock.instant().getEpochSecond();
      headers.put(
          SIGNATURE_HEADER, "t=" + t + ",v1=" + sign(config.secret().get().reveal(), t, body));
    }
    http.post(
        "the webhook",
        URI.create(config.url().reveal()),
        "application/json; charset=utf-8",
        body,
        headers);
  }

  /** {@code HEX(HMAC-SHA256(secret, timestamp + "." + body))}. */
  static String sign(String secret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
