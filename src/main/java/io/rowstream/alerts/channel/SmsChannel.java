package io.rowstream.alerts.channel;

import io.rowstream.config.AlertsConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Twilio's Messages API: one form POST per number to {@code
 * /2010-04-01/Accounts/{AccountSid}/Messages.json} with basic auth (account SID, auth token) and a
 * body of at most 160 ASCII characters (one GSM-7 segment).
 */
final class SmsChannel implements Channel {
  private final AlertsConfig.Sms config;
  private final Http http;

  SmsChannel(AlertsConfig.Sms config, Http http) {
    this.config = config;
    this.http = http;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void send(Notification n) throws DeliveryException {
    URI uri =
        URI.create(
            config.apiUrl()
                + "/2010-04-01/Accounts/"
                + URLEncoder.encode(config.accountSid(), StandardCharsets.UTF_8)
                + "/Messages.json");
    String auth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (config.accountSid() + ":" + config.authToken().reveal())
                        .getBytes(StandardCharsets.UTF_8));
    String text = NotificationText.sms(n);
    List<String> failed = new ArrayList<>();
    boolean retryable = false;
    // every number is tried; a retry sends again only if one failed (a number may then get two)
    for (String to : config.to()) {
      String form = "To=" + enc(to) + "&From=" + enc(config.from()) + "&Body=" + enc(text);
      try {
        http.post(
            "Twilio",
            uri,
            "application/x-www-form-urlencoded",
            form,
            Map.of("Authorization", auth));
      } catch (DeliveryException e) {
        failed.add(mask(to) + ": " + e.getMessage());
        retryable |= e.retryable();
      }
    }
    if (!failed.isEmpty()) {
      throw new DeliveryException(String.join("; ", failed), retryable);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** {@code +1555***2222}: enough to tell numbers apart in a report. */
  static String mask(String number) {
    return number.length() <= 8
        ? number
        : number.substring(0, 5) + "***" + number.substring(number.length() - 4);
  }
}
