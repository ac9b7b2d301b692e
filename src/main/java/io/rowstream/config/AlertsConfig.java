package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code alerts:} section: channels, who receives what, and the triggers; with the overrides
 * that destinations and syncs give under their own {@code alerts:}.
 *
 * @param channels by name
 * @param recipients for every sync whose destination and sync give none
 * @param triggers the defaults every sync starts from
 * @param byDestination what a destination's {@code alerts:} overrides, by destination name
 * @param bySync what a sync's {@code alerts:} overrides, by sync name
 * @param publicUrl {@code server.public_url}: notifications link to {@code
 *     {public_url}/runs/{run_id}}
 */
public record AlertsConfig(
    Map<String, Channel> channels,
    List<Recipient> recipients,
    Triggers triggers,
    Map<String, Overrides> byDestination,
    Map<String, Overrides> bySync,
    Optional<URI> publicUrl) {

  /** No channels, no recipients, the default triggers: alerting does nothing. */
  public static final AlertsConfig NONE =
      new AlertsConfig(
          Map.of(), List.of(), Triggers.DEFAULTS, Map.of(), Map.of(), Optional.empty());

  public AlertsConfig {
    channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    recipients = List.copyOf(recipients);
    requireNonNull(triggers, "triggers is null");
    byDestination = Map.copyOf(byDestination);
    bySync = Map.copyOf(bySync);
    requireNonNull(publicUrl, "publicUrl is null");
  }

  /** A level of a trigger; a recipient's level is the lowest one it receives. */
  public enum Level {
    OK,
    WARNING,
    CRITICAL
  }

  /**
   * A channel receiving notifications at {@code level} and above (WARNING = WARNING and CRITICAL).
   */
  public record Recipient(String channel, Level level) {
    public Recipient {
      requireNonNull(channel, "channel is null");
      requireNonNull(level, "level is null");
      if (level == Level.OK) {
        throw new IllegalArgumentException("a recipient's level is WARNING or CRITICAL");
      }
    }
  }

  /** What a destination or sync changes: its recipients, and the trigger settings it gives. */
  public record Overrides(Optional<List<Recipient>> recipients, Triggers.Partial triggers) {
    public Overrides {
      recipients = recipients.map(List::copyOf);
      requireNonNull(triggers, "triggers is null");
    }
  }

  /** The recipients of a sync: its own, else its destination's, else the section's. */
  public List<Recipient> recipientsFor(SyncConfig sync) {
    return Optional.ofNullable(bySync.get(sync.name()))
        .flatMap(Overrides::recipients)
        .or(
            () ->
                Optional.ofNullable(byDestination.get(sync.destination()))
                    .flatMap(Overrides::recipients))
        .orElse(recipients);
  }

  /**
   * The triggers of a sync: each trigger as the sync gives it, else its destination, else the
   * defaults.
   */
  public Triggers triggersFor(SyncConfig sync) {
    Triggers t = triggers;
    Overrides destination = byDestination.get(sync.destination());
    if (destination != null) {
      t = t.with(destination.triggers());
    }
    Overrides own = bySync.get(sync.name());
    if (own != null) {
      t = t.with(own.triggers());
    }
    return t;
  }

  /** Every secret value of the channels: URLs that carry a token, keys, tokens, passwords. */
  public List<String> secretValues() {
    List<String> values = new ArrayList<>();
    for (Channel c : channels.values()) {
      c.secrets().forEach(s -> values.add(s.reveal()));
    }
    return values;
  }

  /** A place notifications go. */
  public sealed interface Channel {
    String name();

    /** The channel's type as written in the config: slack, pagerduty, email, sms, webhook. */
    String type();

    List<Secret> secrets();
  }

  /** A Slack incoming webhook; its URL is a secret. */
  public record Slack(String name, Secret webhookUrl) implements Channel {
    public String type() {
      return "slack";
    }

    public List<Secret> secrets() {
      return List.of(webhookUrl);
    }
  }

  /** PagerDuty Events API v2: one alert per sync and trigger, resolved when it recovers. */
  public record PagerDuty(String name, Secret routingKey, URI eventsUrl) implements Channel {
    public static final URI DEFAULT_EVENTS_URL =
        URI.create("https://events.pagerduty.com/v2/enqueue");

    public String type() {
      return "pagerduty";
    }

    public List<Secret> secrets() {
      return List.of(routingKey);
    }
  }

  /** Email by SMTP. */
  public record Email(
      String name,
      String smtpHost,
      int smtpPort,
      boolean starttls,
      Optional<String> username,
      Optional<Secret> password,
      String from,
      List<String> to)
      implements Channel {
    public static final int DEFAULT_PORT = 587;

    public Email {
      to = List.copyOf(to);
    }

    public String type() {
      return "email";
    }

    public List<Secret> secrets() {
      return password.map(List::of).orElse(List.of());
    }
  }

  /** SMS by Twilio's Messages API. */
  public record Sms(
      String name, String accountSid, Secret authToken, String from, List<String> to, URI apiUrl)
      implements Channel {
    public static final URI DEFAULT_API_URL = URI.create("https://api.twilio.com");

    public Sms {
      to = List.copyOf(to);
    }

    public String type() {
      return "sms";
    }

    public List<Secret> secrets() {
      return List.of(authToken);
    }
  }

  /**
   * A JSON POST to any URL, signed with HMAC-SHA256 when a secret is given; the URL is kept secret
   * too.
   */
  public record Webhook(String name, Secret url, Optional<Secret> secret) implements Channel {
    public String type() {
      return "webhook";
    }

    public List<Secret> secrets() {
      List<Secret> s = new ArrayList<>(List.of(url));
      secret.ifPresent(s::add);
      return s;
    }
  }

  /**
   * The triggers a sync is evaluated against. {@code fatal_error} is always on (CRITICAL when a run
   * fails) and has no settings.
   */
  public record Triggers(
      Thresholds<Amount> rejectedRows,
      Thresholds<SlowBy> slowRun,
      Thresholds<Integer> dataDropPercent,
      Thresholds<Duration> stale) {

    /** rejected_rows {warning: 1, critical: 10%}; slow_run, data_drop and stale are off. */
    public static final Triggers DEFAULTS =
        new Triggers(
            new Thresholds<>(Optional.of(new Amount.Count(1)), Optional.of(new Amount.Share(10))),
            Thresholds.off(),
            Thresholds.off(),
            Thresholds.off());

    public Triggers {
      requireNonNull(rejectedRows, "rejectedRows is null");
      requireNonNull(slowRun, "slowRun is null");
      requireNonNull(dataDropPercent, "dataDropPercent is null");
      requireNonNull(stale, "stale is null");
    }

    /** The triggers an override gives replace these, trigger by trigger. */
    Triggers with(Partial p) {
      return new Triggers(
          p.rejectedRows().orElse(rejectedRows),
          p.slowRun().orElse(slowRun),
          p.dataDropPercent().orElse(dataDropPercent),
          p.stale().orElse(stale));
    }

    /** The triggers a section gives; those it leaves out come from the level above. */
    public record Partial(
        Optional<Thresholds<Amount>> rejectedRows,
        Optional<Thresholds<SlowBy>> slowRun,
        Optional<Thresholds<Integer>> dataDropPercent,
        Optional<Thresholds<Duration>> stale) {
      public static final Partial NONE =
          new Partial(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** A trigger's WARNING and CRITICAL thresholds; a trigger with neither is off. */
  public record Thresholds<T>(Optional<T> warning, Optional<T> critical) {
    public Thresholds {
      requireNonNull(warning, "warning is null");
      requireNonNull(critical, "critical is null");
    }

    public static <T> Thresholds<T> off() {
      return new Thresholds<>(Optional.empty(), Optional.empty());
    }

    public boolean isOff() {
      return warning.isEmpty() && critical.isEmpty();
    }
  }

  /** A number of rows, or a share of the rows a run tried to send. */
  public sealed interface Amount {
    /** Whether {@code rejected} of {@code attempted} rows reaches this threshold. */
    boolean reachedBy(long rejected, long attempted);

    /** At least this many rows. */
    record Count(long rows) implements Amount {
      public boolean reachedBy(long rejected, long attempted) {
        return rejected >= rows;
      }

      @Override
      public String toString() {
        return Long.toString(rows);
      }
    }

    /** At least this percentage (0 < percent <= 100) of the rows, and at least one row. */
    record Share(double percent) implements Amount {
      public boolean reachedBy(long rejected, long attempted) {
        return rejected > 0 && rejected * 100.0 >= percent * Math.max(attempted, rejected);
      }

      @Override
      public String toString() {
        return (percent == Math.rint(percent)
                ? Long.toString((long) percent)
                : Double.toString(percent))
            + "%";
      }
    }
  }

  /** Slower than a fixed duration, or than a factor of the median of the last runs. */
  public sealed interface SlowBy {
    /** Longer than this. */
    record Longer(Duration limit) implements SlowBy {
      @Override
      public String toString() {
        return Durations.format(limit);
      }
    }

    /** Longer than {@code factor} times the median of the last 10 completed runs. */
    record Factor(double factor) implements SlowBy {
      @Override
      public String toString() {
        return (factor == Math.rint(factor)
                ? Long.toString((long) factor)
                : Double.toString(factor))
            + "x";
      }
    }
  }

  /** Durations as the config writes them. */
  public static final class Durations {
    private Durations() {}

    /** {@code 90s}, {@code 30m}, {@code 6h}, {@code 1h30m}, {@code 2d}. */
    public static String format(Duration d) {
      long s = d.getSeconds();
      if (s == 0) {
        return d.toMillis() + "ms";
      }
      StringBuilder out = new StringBuilder();
      long days = s / 86_400;
      long hours = s % 86_400 / 3600;
      long minutes = s % 3600 / 60;
      long seconds = s % 60;
      if (days > 0) {
        out.append(days).append('d');
      }
      if (hours > 0) {
        out.append(hours).append('h');
      }
      if (minutes > 0) {
        out.append(minutes).append('m');
      }
      if (seconds > 0) {
        out.append(seconds).append('s');
      }
      return out.toString();
    }
  }
}
