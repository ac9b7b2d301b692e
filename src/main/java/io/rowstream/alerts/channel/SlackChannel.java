package io.rowstream.alerts.channel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.config.AlertsConfig;
import java.net.URI;
import java.util.Map;

/**
 * Slack incoming webhook: one Block Kit message (header, the reason, the facts as fields, the
 * error, a context line) with {@code text} as the notification fallback.
 */
final class SlackChannel implements Channel {
  private static final int HEADER_LIMIT = 150;
  private static final int FIELD_LIMIT = 2000;
  private static final int SECTION_LIMIT = 3000;

  private final AlertsConfig.Slack config;
  private final Http http;

  SlackChannel(AlertsConfig.Slack config, Http http) {
    this.config = config;
    this.http = http;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void send(Notification n) throws DeliveryException {
    http.post(
        "Slack",
        URI.create(config.webhookUrl().reveal()),
        "application/json; charset=utf-8",
        message(n).toString(),
        Map.of());
  }

  static ObjectNode message(Notification n) {
    ObjectNode msg = NotificationText.JSON.createObjectNode();
    msg.put("text", n.title());
    ArrayNode blocks = msg.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    header
        .putObject("text")
        .put("type", "plain_text")
        .put("text", NotificationText.truncate(emoji(n) + " " + n.title(), HEADER_LIMIT))
        .put("emoji", true);
    Map<String, String> facts = NotificationText.facts(n);
    if (n.test()) {
      section(blocks, facts.get("Test"));
      return msg;
    }
    section(blocks, "*" + escape(n.reason()) + "*");
    ObjectNode fieldsBlock = blocks.addObject().put("type", "section");
    ArrayNode fields = fieldsBlock.putArray("fields");
    for (String key : new String[] {"Sync", "Trigger", "State", "Run", "Rows", "Rejections"}) {
      String value = facts.get(key);
      if (value == null) {
        continue;
      }
      String text =
          key.equals("Run") && n.link().isPresent()
              ? "<"
                  + n.link().get()
                  + "|"
                  + escape(n.run().orElseThrow().runId())
                  + "> "
                  + escape(n.run().orElseThrow().status().label())
              : escape(value);
      fields
          .addObject()
          .put("type", "mrkdwn")
          .put("text", NotificationText.truncate("*" + key + "*\n" + text, FIELD_LIMIT));
    }
    if (facts.containsKey("Error")) {
      section(
          blocks,
          "*Error*\n```"
              + escape(facts.get("Error"))
              + "```"
              + (facts.containsKey("What to do")
                  ? "\n*What to do:* " + escape(facts.get("What to do"))
                  : ""));
    }
    ObjectNode context = blocks.addObject().put("type", "context");
    context
        .putArray("elements")
        .addObject()
        .put("type", "mrkdwn")
        .put(
            "text",
            "rowstream \u00b7 "
                + n.at()
                + (n.link().map(l -> " \u00b7 <" + l + "|open the run>").orElse("")));
    return msg;
  }

  private static void section(ArrayNode blocks, String mrkdwn) {
    blocks
        .addObject()
        .put("type", "section")
        .putObject("text")
        .put("type", "mrkdwn")
        .put("text", NotificationText.truncate(mrkdwn, SECTION_LIMIT));
  }

  private static String emoji(Notification n) {
    return switch (n.level()) {
      case CRITICAL -> ":red_circle:";
      case WARNING -> ":warning:";
      case OK -> ":white_check_mark:";
    };
  }

  /** Slack's mrkdwn escapes exactly these three. */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
