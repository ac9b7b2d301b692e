package io.rowstream.alerts.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.EventType;
import io.rowstream.run.EventCounts;
import io.rowstream.run.RunSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What a notification says, in the forms the channels need: lines, HTML, SMS, JSON. */
final class NotificationText {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One SMS segment of GSM-7 text. */
  static final int SMS_LIMIT = 160;

  private NotificationText() {}

  /**
   * Label and value pairs, in order: Sync, Trigger, State, Why, Run, Rows, Rejections, Error, What
   * to do, Link.
   */
  static Map<String, String> facts(Notification n) {
    Map<String, String> facts = new LinkedHashMap<>();
    if (n.test()) {
      facts.put("Test", "a test notification from rowstream: this channel works");
      return facts;
    }
    facts.put("Sync", n.sync());
    facts.put("Trigger", n.trigger());
    facts.put("State", n.level() + " (was " + n.previous() + ")");
    facts.put("Why", n.reason());
    n.run()
        .ifPresent(
            run -> {
              facts.put(
                  "Run",
                  run.runId()
                      + " "
                      + run.status().label()
                      + ", started "
                      + run.startedAt()
                      + ", finished "
                      + run.finishedAt());
              facts.put("Rows", rows(run));
              if (!run.rejections().isEmpty()) {
                facts.put(
                    "Rejections",
                    run.rejections().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ")));
              }
              run.error()
                  .ifPresent(
                      e -> facts.put("Error", n.errorCode().map(c -> c + ": ").orElse("") + e));
            });
    n.errorCode()
        .flatMap(ErrorCode::of)
        .filter(c -> !n.recovery())
        .ifPresent(c -> facts.put("What to do", c.action()));
    n.link().ifPresent(l -> facts.put("Link", l.toString()));
    return facts;
  }

  static String rows(RunSummary run) {
    List<String> parts = new ArrayList<>();
    for (EventType type : EventType.values()) {
      EventCounts c = run.counts(type);
      parts.add(type.label() + " " + c.sent() + "/" + c.planned());
    }
    return run.rowsQueried()
        + " queried; sent "
        + String.join(", ", parts)
        + "; "
        + run.rejected()
        + " rejected";
  }

  /** The plain-text body: one {@code Label: value} line each. */
  static String plain(Notification n) {
    StringBuilder out = new StringBuilder(n.title()).append("\n\n");
    facts(n).forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
    return out.toString();
  }

  /** The HTML body: a heading and a table of the facts, every value escaped. */
  static String html(Notification n) {
    StringBuilder out =
        new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
    out.append("<h2 style=\"color:")
        .append(color(n))
        .append("\">")
        .append(escapeHtml(n.title()))
        .append("</h2>");
    out.append("<table cellpadding=\"4\">");
    facts(n)
        .forEach(
            (k, v) -> {
              out.append("<tr><th align=\"left\" valign=\"top\">")
                  .append(escapeHtml(k))
                  .append("</th><td>");
              if (k.equals("Link")) {
                out.append("<a href=\"")
                    .append(escapeHtml(v))
                    .append("\">")
                    .append(escapeHtml(v))
                    .append("</a>");
              } else {
                out.append(escapeHtml(v));
              }
              out.append("</td></tr>");
            });
    return out.append("</table></body></html>").toString();
  }

  /** At most 160 ASCII characters: state, sync, trigger, the error code or reason, the run. */
  static String sms(Notification n) {
    String text;
    if (n.test()) {
      text = "rowstream: test notification; this channel works";
    } else {
      StringBuilder out =
          new StringBuilder("rowstream ")
              .append(n.level())
              .append(": ")
              .append(n.sync())
              .append(' ')
              .append(n.trigger());
      if (n.recovery()) {
        out.append(" recovered (was ").append(n.previous()).append(')');
      } else {
        out.append(" - ").append(n.errorCode().orElse(n.reason()));
      }
      n.run().ifPresent(r -> out.append(" run ").append(r.runId()));
      text = out.toString();
    }
    StringBuilder ascii = new StringBuilder();
    for (char c : text.toCharArray()) {
      ascii.append(c >= 32 && c < 127 ? c : ' ');
    }
    return ascii.length() <= SMS_LIMIT
        ? ascii.toString()
        : ascii.substring(0, SMS_LIMIT - 3) + "...";
  }

  /** The notification as JSON: what the webhook posts and PagerDuty keeps as custom details. */
  static ObjectNode json(Notification n) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", n.id());
    o.put("type", n.test() ? "alert.test" : "alert.state_changed");
    o.put("sync", n.sync());
    o.put("trigger", n.trigger());
    o.put("level", n.level().name());
    o.put("previous_level", n.previous().name());
    o.put("recovery", n.recovery());
    o.put("reason", n.reason());
    o.put("at", n.at().toString());
    if (n.run().isPresent()) {
      ObjectNode run = n.run().get().toJson();
      if (n.errorCode().isPresent()) {
        run.put("error_code", n.errorCode().get());
      } else if (!run.has("error_code")) {
        run.putNull("error_code");
      }
      o.set("run", run);
    } else {
      o.putNull("run");
    }
    if (n.link().isPresent()) {
      o.put("url", n.link().get().toString());
    } else {
      o.putNull("url");
    }
    return o;
  }

  static String color(Notification n) {
    return switch (n.level()) {
      case CRITICAL -> "#c0392b";
      case WARNING -> "#d68910";
      case OK -> "#1e8449";
    };
  }

  static String escapeHtml(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
  }
}
