package io.rowstream.alerts.channel;

import io.rowstream.config.AlertsConfig;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;

/** Builds the channel of a config entry: the one way into this package. */
public final class Channels {
  private final Http http;
  private final Duration timeout;
  private final Clock clock;
  private final Properties mailProperties;

  /**
   * @param client shared by every HTTP channel
   * @param timeout of one attempt: an HTTP request, an SMTP connection or read
   * @param mailProperties extra Jakarta Mail properties (empty but for tests, e.g. ssl.trust)
   */
  public Channels(HttpClient client, Duration timeout, Clock clock, Properties mailProperties) {
    this.http = new Http(client, timeout);
    this.timeout = timeout;
    this.clock = clock;
    this.mailProperties = mailProperties;
  }

  public Channel create(AlertsConfig.Channel config) {
    if (config instanceof AlertsConfig.Slack slack) {
      return new SlackChannel(slack, http);
    } else if (config instanceof AlertsConfig.PagerDuty pd) {
      return new PagerDutyChannel(pd, http);
    } else if (config instanceof AlertsConfig.Email email) {
      return new EmailChannel(email, timeout, mailProperties);
    } else if (config instanceof AlertsConfig.Sms sms) {
      return new SmsChannel(sms, http);
    } else if (config instanceof AlertsConfig.Webhook hook) {
      return new WebhookChannel(hook, http, clock);
    }
    throw new IllegalArgumentException("no channel for " + config.type());
  }
}
