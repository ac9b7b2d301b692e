package io.rowstream.config;

import io.rowstream.config.AlertsConfig.Channel;
import io.rowstream.config.AlertsConfig.Level;
import io.rowstream.config.AlertsConfig.Overrides;
import io.rowstream.config.AlertsConfig.Recipient;
import io.rowstream.config.AlertsConfig.Triggers;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the {@code alerts:} sections (top level, per destination, per sync) and {@code
 * server.public_url}; every mistake is a problem with file, line and key. One channel's settings
 * are read by {@link AlertChannelSection}, the triggers by {@link AlertTriggersSection}; recipients
 * stay here, as they name the channels declared.
 */
final class AlertsSection {

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
                      (name, node) ->
                          AlertChannelSection.read(name, node)
                              .ifPresent(c -> channels.put(name, c)));
              recipients(alerts).ifPresent(r -> recipients = r);
              triggers = Triggers.DEFAULTS.with(AlertTriggersSection.read(alerts));
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
              byDestination.put(
                  name, new Overrides(recipients(alerts), AlertTriggersSection.read(alerts)));
            });
  }

  /** A sync's {@code alerts:}. */
  void readSync(String name, YamlNode sync) {
    sync.mapping("alerts")
        .ifPresent(
            alerts -> {
              alerts.allowOnly("recipients", "triggers");
              bySync.put(
                  name, new Overrides(recipients(alerts), AlertTriggersSection.read(alerts)));
            });
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
}
