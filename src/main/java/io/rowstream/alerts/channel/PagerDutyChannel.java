package io.rowstream.alerts.channel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.config.AlertsConfig;
import io.rowstream.config.AlertsConfig.Level;
import java.util.Map;

/**
 * PagerDuty Events API v2: {@code trigger} with a {@code dedup_key} per sync and trigger (so a
 * change from WARNING to CRITICAL updates the same alert), {@code resolve} on recovery.
 */
final class PagerDutyChannel implements Channel {
  private static final int SUMMARY_LIMIT = 1024;

  private final AlertsConfig.PagerDuty config;
  private final Http http;

  PagerDutyChannel(AlertsConfig.PagerDuty config, Http http) {
    this.config = config;
    this.http = http;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void send(Notification n) throws DeliveryException {
    if (n.test()) {
      // a test opens an alert and resolves it at once, so nobody is left with an open incident
      post(event(n, config.routingKey().reveal(), "trigger"));
      post(event(n, config.routingKey().reveal(), "resolve"));
    } else {
      post(event(n, config.routingKey().reveal(), n.recovery() ? "resolve" : "trigger"));
    }
  }

  private void post(ObjectNode event) throws DeliveryException {
    http.post("PagerDuty", config.eventsUrl(), "application/json", event.toString(), Map.of());
  }

  /** The dedup key of a sync's trigger: {@code rowstream/SYNC/TRIGGER}. */
  static String dedupKey(Notification n) {
    return n.test() ? "rowstream/test/" + n.id() : "rowstream/" + n.sync() + "/" + n.trigger();
  }

  static ObjectNode event(Notification n, String routingKey, String action) {
    ObjectNode event = NotificationText.JSON.createObjectNode();
    event.put("routing_key", routingKey);
    event.put("event_action", action);
    event.put("dedup_key", dedupKey(n));
    if (action.equals("trigger")) {
      ObjectNode payload = event.putObject("payload");
      String summary = n.test() ? n.title() : n.title() + ": " + n.reason();
      payload.put("summary", NotificationText.truncate(summary, SUMMARY_LIMIT));
      payload.put("source", "rowstream/" + n.sync());
      payload.put(
          "severity", n.test() ? "info" : n.level() == Level.CRITICAL ? "critical" : "warning");
      payload.put("timestamp", n.at().toString());
      payload.put("component", n.sync());
      payload.put("class", n.trigger());
      payload.set("custom_details", NotificationText.json(n));
      event.put("client", "rowstream");
      n.link()
          .ifPresent(
              l -> {
                event.put("client_url", l.toString());
                event
                    .putArray("links")
                    .addObject()
                    .put("href", l.toString())
                    .put("text", "the run in Rowstream");
              });
    }
    return event;
  }
}
