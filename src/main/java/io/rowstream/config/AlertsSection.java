package io.rowstream.config;

import io.rowstream.config.AlertsConfig.Amount;
import io.rowstream.config.AlertsConfig.Channel;
import io.rowstream.config.AlertsConfig.Level;
import io.rowstream.config.AlertsConfig.Overrides;
import io.rowstream.config.AlertsConfig.Recipient;
import io.rowstream.config.AlertsConfig.SlowBy;
import io.rowstream.config.AlertsConfig.Thresholds;
import io.rowstream.config.AlertsConfig.Triggers;
import io.rowstream.core.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code alerts:} sections (top level, per destination, per sync) and {@code
 * server.public_url}; every mistake is a problem with file, line and key.
 */
final class AlertsSection {
  static final List<String> CHANNEL_TYPES =
      List.of("slack", "pagerduty", "email", "sms", "webhook");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final Pattern PHONE = Pattern.compile("\\+[1-9]\\d{6,14}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]+]");
  private static final Pattern NUMBER = Pattern.compile("\\d{1,9}(\\.\\d{1,3})?");
  private static final Pattern TWILIO_SID = Pattern.compile("AC[0-9a-fA-F]{32}");

  private final ConfigReader reader;
  private final Map<String, Channel> channels = new LinkedHashMap<>();

  /**
   * Channel names declared, including those whose settings have problems (no second "unknown
   * channel").
   */
  private final List<String> declared = new ArrayList<>();

  private List<Recipient> recipients = List.of();
  private Triggers triggers = Triggers.DEFAULTS;
  private final Map<String, Overrides> byDestination = new HashMap<>();
  private final Map<String, Overrides> bySync = new HashMap<>();
  private Optional<URI> publicUrl = Optional.empty();

  AlertsSection(ConfigReader reader) {
    this.reader = reader;
  }

  AlertsConfig result() {
    return new AlertsConfig(channels, recipients, triggers, byDestination, bySync, publicUrl);
  }

  /** The top-level {@code alerts:}; read before destinations and syncs, which name its channels. */
  void readTop(YamlNode top) {
    top.mapping("alerts")
        .ifPresent(
            alerts -> {
              alerts.allowOnly("channels", "recipients", "triggers");
              alerts.mapping("channels").ifPresent(c -> declared.addAll(c.keys()));
              alerts
                  .namedMappings("channels")
                  .forEach(
                      (name, node) -> channel(name, node).ifPresent(c -> channels.put(name, c)));
              recipients(alerts).ifPresent(r -> recipients = r);
              triggers = Triggers.DEFAULTS.with(triggers(alerts));
            });
  }

  /**
   * {@code server.public_url}: kept apart from the rest of {@code server:}, which {@code serve}
   * reads.
   */
  void readServerPublicUrl(YamlNode top) {
    top.mapping("server")
        .ifPresent(
            server ->
                server
                    .string("public_url")
                    .ifPresent(
                        text -> {
                          try {
                            URI uri =
                                new URI(
                                    text.endsWith("/")
                                        ? text.substring(0, text.length() - 1)
                                        : text);
                            if (uri.getHost() == null
                                || !("http".equals(uri.getScheme())
                                    || "https".equals(uri.getScheme()))
                                || uri.getQuery() != null
                                || uri.getFragment() != null) {
                              throw new URISyntaxException(text, "not an http(s) URL");
                            }
                            publicUrl = Optional.of(uri);
                          } catch (URISyntaxException e) {
                            server.problemAt(
                                "public_url",
                                "'"
                                    + text
                                    + "' is not an http(s) URL; expected where users open the web UI, "
                                    + "such as https://rowstream.example.com");
                          }
                        }));
  }

  /** A destination's {@code alerts:}, for all its syncs. */
  void readDestination(String name, YamlNode destination) {
    destination
        .mapping("alerts")
        .ifPresent(
            alerts -> {
              alerts.allowOnly("recipients", "triggers");
              byDestination.put(name, new Overrides(recipients(alerts), triggers(alerts)));
            });
  }

  /** A sync's {@code alerts:}. */
  void readSync(String name, YamlNode sync) {
    sync.mapping("alerts")
        .ifPresent(
            alerts -> {
              alerts.allowOnly("recipients", "triggers");
              bySync.put(name, new Overrides(recipients(alerts), triggers(alerts)));
            });
  }

  private Optional<Channel> channel(String name, YamlNode node) {
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

  private Optional<Channel> email(String name, YamlNode node) {
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

  private Optional<Channel> sms(String name, YamlNode node) {
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

  private List<String> list(YamlNode node, String key, Pattern valid, String expected) {
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

  private Optional<Recipient> recipient(YamlNode node) {
    node.allowOnly("channel", "level");
    String channel = node.required("channel", "the name of one of alerts.channels");
    Level level = Level.WARNING;
    Optional<String> levelText = node.string("level");
    if (levelText.isPresent()) {
      switch (levelText.get().toLowerCase(Locale.ROOT)) {
        case "critical" -> level = Level.CRITICAL;
        case "warning" -> level = Level.WARNING;
        default -> {
          node.problemAt(
              "level",
              "'"
                  + levelText.get()
                  + "' is not a level; valid: critical (CRITICAL only), "
                  + "warning (WARNING and CRITICAL; the default)");
          return Optional.empty();
        }
      }
    }
    if (channel == null) {
      return Optional.empty();
    }
    if (!declared.contains(channel)) {
      String nearest = Suggestions.nearest(channel, declared);
      node.problemAt(
          "channel",
          "no channel named '"
              + channel
              + "'"
              + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
              + (declared.isEmpty()
                  ? "; declare it under alerts.channels"
                  : "; declared: " + String.join(", ", declared)));
      return Optional.empty();
    }
    return Optional.of(new Recipient(channel, level));
  }

  private Optional<List<Recipient>> recipients(YamlNode alerts) {
    Optional<Node> raw = alerts.raw("recipients");
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    if (!(raw.get() instanceof SequenceNode seq)) {
      alerts.problemAt("recipients", "must be a list such as [{channel: ops, level: warning}]");
      return Optional.empty();
    }
    List<Recipient> out = new ArrayList<>();
    int i = 0;
    for (Node item : seq.getValue()) {
      String path = alerts.path() + ".recipients[" + i++ + "]";
      if (!(item instanceof MappingNode)) {
        reader.problem(
            item, path, "each recipient is a mapping such as {channel: ops, level: warning}");
        continue;
      }
      recipient(new YamlNode(reader, path, item))
          .ifPresent(
              r -> {
                if (out.stream().anyMatch(o -> o.channel().equals(r.channel()))) {
                  reader.problem(
                      item,
                      path + ".channel",
                      "channel '" + r.channel() + "' is listed twice; give it once");
                } else {
                  out.add(r);
                }
              });
    }
    return Optional.of(out);
  }

  private Triggers.Partial triggers(YamlNode alerts) {
    Optional<YamlNode> found = alerts.mapping("triggers");
    if (found.isEmpty()) {
      return Triggers.Partial.NONE;
    }
    YamlNode t = found.get();
    t.allowOnly("fatal_error", "rejected_rows", "slow_run", "data_drop", "stale");
    t.mapping("fatal_error").ifPresent(f -> f.allowOnly());
    if (t.has("fatal_error")
        && t.raw("fatal_error").filter(n -> !(n instanceof MappingNode)).isPresent()) {
      t.problemAt("fatal_error", "is always on and takes no settings: write fatal_error: {}");
    }
    Optional<Thresholds<Amount>> rejected =
        thresholds(
            t,
            "rejected_rows",
            this::amount,
            "a number of rows such as 1, or a share of the rows the run tried to send such as 10%",
            (w, c) ->
                !(w instanceof Amount.Count wc
                        && c instanceof Amount.Count cc
                        && cc.rows() < wc.rows()
                    || w instanceof Amount.Share ws
                        && c instanceof Amount.Share cs
                        && cs.percent() < ws.percent()));
    Optional<Thresholds<SlowBy>> slow =
        thresholds(
            t,
            "slow_run",
            this::slowBy,
            "a duration such as 30m or 1h30m, or a factor of the median of the last 10 runs such as 3x",
            (w, c) ->
                !(w instanceof SlowBy.Longer wl
                        && c instanceof SlowBy.Longer cl
                        && cl.limit().compareTo(wl.limit()) < 0
                    || w instanceof SlowBy.Factor wf
                        && c instanceof SlowBy.Factor cf
                        && cf.factor() < wf.factor()));
    Optional<Thresholds<Integer>> drop =
        thresholds(
            t,
            "data_drop",
            AlertsSection::percent,
            "a percentage from 1% to 100% such as 20%",
            (w, c) -> c >= w);
    Optional<Thresholds<Duration>> stale =
        thresholds(
            t,
            "stale",
            AlertsSection::staleAfter,
            "a duration from 1m such as 6h or 1d",
            (w, c) -> c.compareTo(w) >= 0);
    return new Triggers.Partial(rejected, slow, drop, stale);
  }

  /**
   * A trigger's {warning, critical}; null for a value that is not valid (a problem is recorded).
   */
  private <T> Optional<Thresholds<T>> thresholds(
      YamlNode triggers,
      String key,
      Function<String, T> parse,
      String expected,
      java.util.function.BiPredicate<T, T> criticalNotBelowWarning) {
    Optional<YamlNode> found = triggers.mapping(key);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    YamlNode node = found.get();
    node.allowOnly("warning", "critical");
    Optional<T> warning = level(node, "warning", parse, expected);
    Optional<T> critical = level(node, "critical", parse, expected);
    if (warning.isPresent()
        && critical.isPresent()
        && !criticalNotBelowWarning.test(warning.get(), critical.get())) {
      node.problemAt(
          "critical",
          "'"
              + node.string("critical").orElse("").trim()
              + "' is below warning '"
              + node.string("warning").orElse("").trim()
              + "'; CRITICAL must be the same or worse than WARNING");
    }
    return Optional.of(new Thresholds<>(warning, critical));
  }

  private <T> Optional<T> level(
      YamlNode node, String key, Function<String, T> parse, String expected) {
    return node.string(key)
        .flatMap(
            text -> {
              T value = parse.apply(text.trim());
              if (value == null) {
                node.problemAt(key, "'" + text + "' is not valid; expected " + expected);
              }
              return Optional.ofNullable(value);
            });
  }

  private Amount amount(String text) {
    if (text.endsWith("%")) {
      String n = text.substring(0, text.length() - 1).trim();
      if (NUMBER.matcher(n).matches()
          && Double.parseDouble(n) > 0
          && Double.parseDouble(n) <= 100) {
        return new Amount.Share(Double.parseDouble(n));
      }
      return null;
    }
    return text.matches("\\d{1,12}") && Long.parseLong(text) >= 1
        ? new Amount.Count(Long.parseLong(text))
        : null;
  }

  private SlowBy slowBy(String text) {
    if (text.endsWith("x")) {
      String n = text.substring(0, text.length() - 1).trim();
      return NUMBER.matcher(n).matches() && Double.parseDouble(n) > 1
          ? new SlowBy.Factor(Double.parseDouble(n))
          : null;
    }
    return ConfigValues.parseDuration(text)
        .filter(d -> !d.isZero())
        .map(SlowBy.Longer::new)
        .orElse(null);
  }

  private static Integer percent(String text) {
    String n = text.endsWith("%") ? text.substring(0, text.length() - 1).trim() : "";
    return n.matches("\\d{1,3}") && Integer.parseInt(n) >= 1 && Integer.parseInt(n) <= 100
        ? Integer.parseInt(n)
        : null;
  }

  private static Duration staleAfter(String text) {
    return ConfigValues.parseDuration(text)
        .filter(d -> d.compareTo(Duration.ofMinutes(1)) >= 0)
        .orElse(null);
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
  private Optional<Secret> secretUrl(YamlNode node, String key, String expected) {
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

  private Optional<URI> url(YamlNode node, String key, String example) {
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
