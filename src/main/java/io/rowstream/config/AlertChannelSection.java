package io.rowstream.config;

import io.rowstream.config.AlertsConfig.Channel;
import io.rowstream.core.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads one channel under {@code alerts.channels}: its type and the settings of that type, each
 * checked so a typo in an address or a URL is a config problem at load, not an alert lost at 3am.
 * URLs that may hold a token are checked but never echoed.
 */
final class AlertChannelSection {
  static final List<String> CHANNEL_TYPES =
      List.of("slack", "pagerduty", "email", "sms", "webhook");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final Pattern PHONE = Pattern.compile("\\+[1-9]\\d{6,14}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]+]");
  private static final Pattern TWILIO_SID = Pattern.compile("AC[0-9a-fA-F]{32}");

  private AlertChannelSection() {}

  /** The channel {@code name}; empty when its settings have problems (each one recorded). */
  static Optional<Channel> read(String name, YamlNode node) {
    String type = node.required("type", "one of " + String.join(", ", CHANNEL_TYPES));
    if (type == null) {
      return Optional.empty();
    }
    switch (type) {
      case "slack" -> {
        node.allowOnly("type", "webhook_url");
        Optional<Secret> url =
            secretUrl(
                node,
                "webhook_url",
                "the Slack incoming webhook URL, such as ${SLACK_WEBHOOK_URL}");
        return url.map(u -> new AlertsConfig.Slack(name, u));
      }
      case "pagerduty" -> {
        node.allowOnly("type", "routing_key", "events_url");
        String key =
            node.required(
                "routing_key",
                "the integration key of a PagerDuty Events API v2 integration, "
                    + "such as ${PD_ROUTING_KEY}");
        Optional<URI> eventsUrl =
            url(node, "events_url", "https://events.pagerduty.com/v2/enqueue");
        if (key == null || node.has("events_url") && eventsUrl.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(
            new AlertsConfig.PagerDuty(
                name,
                new Secret(key),
                eventsUrl.orElse(AlertsConfig.PagerDuty.DEFAULT_EVENTS_URL)));
      }
      case "email" -> {
        return email(name, node);
      }
      case "sms" -> {
        return sms(name, node);
      }
      case "webhook" -> {
        node.allowOnly("type", "url", "secret");
        Optional<Secret> url =
            secretUrl(node, "url", "the URL to POST to, such as https://example.com/rowstream");
        Optional<Secret> secret = node.secret("secret");
        if (secret.isPresent() && secret.get().reveal().length() < 16) {
          node.problemAt(
              "secret",
              "is too short to sign with: give at least 16 characters (e.g. openssl rand -hex 32)");
        }
        return url.map(u -> new AlertsConfig.Webhook(name, u, secret));
      }
      default -> {
        String nearest = Suggestions.nearest(type, CHANNEL_TYPES);
        node.problemAt(
            "type",
            "'"
                + type
                + "' is not a channel type"
                + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                + " Valid: "
                + String.join(", ", CHANNEL_TYPES));
        return Optional.empty();
      }
    }
  }

  private static Optional<Channel> email(String name, YamlNode node) {
    node.allowOnly(
        "type", "smtp_host", "smtp_port", "starttls", "username", "password", "from", "to");
    String host =
        node.required("smtp_host", "the SMTP server's host name, such as smtp.example.com");
    if (host != null && !HOST.matcher(host).matches()) {
      node.problemAt(
          "smtp_host", "'" + host + "' is not a host name; expected e.g. smtp.example.com");
      host = null;
    }
    int port =
        node.string("smtp_port")
            .map(
                text -> {
                  String t = text.trim();
                  if (t.matches("\\d{1,5}")
                      && Integer.parseInt(t) >= 1
                      && Integer.parseInt(t) <= 65535) {
                    return Integer.parseInt(t);
                  }
                  node.problemAt(
                      "smtp_port",
                      "'" + text + "' is not a port; expected 1 to 65535, such as 587 (default)");
                  return AlertsConfig.Email.DEFAULT_PORT;
                })
            .orElse(AlertsConfig.Email.DEFAULT_PORT);
    boolean starttls = bool(node, "starttls", true);
    Optional<String> username = node.string("username");
    Optional<Secret> password = node.secret("password");
    if (username.isPresent() != password.isPresent()) {
      node.problemHere("username and password go together: give both to log in, or neither");
    }
    String from = node.required("from", "the sender's address, such as rowstream@example.com");
    if (from != null && !EMAIL.matcher(from).matches()) {
      node.problemAt(
          "from", "'" + from + "' is not an email address; expected e.g. rowstream@example.com");
      from = null;
    }
    List<String> to = list(node, "to", EMAIL, "email addresses such as [data-team@example.com]");
    if (host == null || from == null || to.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new AlertsConfig.Email(name, host, port, starttls, username, password, from, to));
  }

  private static Optional<Channel> sms(String name, YamlNode node) {
    node.allowOnly("type", "account_sid", "auth_token", "from", "to", "api_url");
    String sid =
        node.required("account_sid", "the Twilio account SID (AC...), such as ${TWILIO_SID}");
    if (sid != null && !TWILIO_SID.matcher(sid).matches()) {
      node.problemAt(
          "account_sid", "is not a Twilio account SID: expected AC followed by 32 hex digits");
      sid = null;
    }
    String token = node.required("auth_token", "the Twilio auth token, such as ${TWILIO_TOKEN}");
    String from =
        node.required("from", "the sending number in E.164 form, such as \"+15550001111\"");
    if (from != null && !PHONE.matcher(from).matches()) {
      node.problemAt(
          "from",
          "'"
              + from
              + "' is not a phone number in E.164 form; expected e.g. \"+15550001111\" "
              + "(quote it in YAML)");
      from = null;
    }
    List<String> to =
        list(node, "to", PHONE, "phone numbers in E.164 form such as [\"+15550002222\"]");
    Optional<URI> apiUrl = url(node, "api_url", "https://api.twilio.com");
    if (sid == null
        || token == null
        || from == null
        || to.isEmpty()
        || node.has("api_url") && apiUrl.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new AlertsConfig.Sms(
            name,
            sid,
            new Secret(token),
            from,
            to,
            apiUrl.orElse(AlertsConfig.Sms.DEFAULT_API_URL)));
  }

  private static List<String> list(YamlNode node, String key, Pattern valid, String expected) {
    if (!node.has(key)) {
      node.problemAt(key, "is required: " + expected);
      return List.of();
    }
    List<String> items = node.strings(key).orElse(List.of());
    List<String> ok = new ArrayList<>();
    for (String item : items) {
      if (item == null || !valid.matcher(item.trim()).matches()) {
        node.problemAt(key, "'" + item + "' is not valid; expected " + expected);
      } else {
        ok.add(item.trim());
      }
    }
    if (items.isEmpty()) {
      node.problemAt(key, "must name at least one: " + expected);
    }
    return ok.size() == items.size() ? ok : List.of();
  }

  private static boolean bool(YamlNode node, String key, boolean fallback) {
    return node.string(key)
        .map(
            text ->
                switch (text.trim().toLowerCase(Locale.ROOT)) {
                  case "true", "yes", "on" -> true;
                  case "false", "no", "off" -> false;
                  default -> {
                    node.problemAt(key, "'" + text + "' is not valid; expected true or false");
                    yield fallback;
                  }
                })
        .orElse(fallback);
  }

  /** A URL that may hold a token: checked, but never echoed in a problem. */
  private static Optional<Secret> secretUrl(YamlNode node, String key, String expected) {
    String text = node.required(key, expected);
    if (text == null) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text);
      if (uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new URISyntaxException("-", "not http(s)");
      }
      return Optional.of(new Secret(text));
    } catch (URISyntaxException e) {
      node.problemAt(
          key, "is not an http(s) URL (not shown: it may hold a token); expected " + expected);
      return Optional.empty();
    }
  }

  private static Optional<URI> url(YamlNode node, String key, String example) {
    return node.string(key)
        .flatMap(
            text -> {
              try {
                URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
                if (uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                  throw new URISyntaxException(text, "no http(s) scheme and host");
                }
                return Optional.of(uri);
              } catch (URISyntaxException e) {
                node.problemAt(
                    key, "'" + text + "' is not an http(s) URL; expected e.g. " + example);
                return Optional.empty();
              }
            });
  }
}
