package io.rowstream.config;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.rowstream.core.Secret;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys {@code rowstream serve} adds to the config: the {@code server:} section and each sync's
 * {@code schedule}, {@code after} and {@code paused}. Everything is parsed in full here, so {@code
 * validate} catches a bad schedule before the service ever runs.
 */
final class ServiceConfigReader {
  static final String SCHEDULE_HELP =
      "expected 5-field cron in UTC such as \"*/15 * * * *\", \"every 15m\" "
          + "(s, m, h or d; at least 10s), or manual";
  private static final Pattern EVERY = Pattern.compile("every\\s+(\\d{1,9})\\s*([smhd])");
  private static final Duration MAX_EVERY = Duration.ofDays(366);
  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private ServiceConfigReader() {}

  /** The sync's {@code schedule:} or {@code after:}, or {@link ScheduleSpec#MANUAL}. */
  static ScheduleSpec schedule(YamlNode sync) {
    Optional<List<String>> after = sync.strings("after");
    Optional<String> text = sync.string("schedule");
    if (after.isPresent()) {
      if (text.isPresent() && !text.get().strip().equals("manual")) {
        sync.problemAt(
            "after",
            "give either schedule or after, not both: after already says when the sync runs");
      }
      if (after.get().isEmpty()) {
        sync.problemAt("after", "must name at least one sync, such as after: [orders]");
      }
      return new ScheduleSpec.After(after.get());
    }
    if (text.isEmpty()) {
      return ScheduleSpec.MANUAL;
    }
    return parseSchedule(text.get())
        .orElseGet(
            () -> {
              sync.problemAt("schedule", scheduleProblem(text.get()));
              return ScheduleSpec.MANUAL;
            });
  }

  /** A schedule's text as a spec, if it is one. */
  static Optional<ScheduleSpec> parseSchedule(String raw) {
    String text = raw.strip();
    if (text.equals("manual")) {
      return Optional.of(ScheduleSpec.MANUAL);
    }
    Matcher every = EVERY.matcher(text);
    if (every.matches()) {
      Duration period = period(Long.parseLong(every.group(1)), every.group(2));
      if (period.compareTo(ScheduleSpec.MIN_EVERY) < 0 || period.compareTo(MAX_EVERY) > 0) {
        return Optional.empty();
      }
      return Optional.of(new ScheduleSpec.Every(period, text));
    }
    if (text.startsWith("every")) {
      return Optional.empty();
    }
    return cronProblem(text).isEmpty()
        ? Optional.of(new ScheduleSpec.Cron(text.replaceAll("\\s+", " ")))
        : Optional.empty();
  }

  private static String scheduleProblem(String raw) {
    String text = raw.strip();
    Matcher every = EVERY.matcher(text);
    if (every.matches()) {
      return "'"
          + text
          + "' is not a schedule: the period must be from 10s to 366d; "
          + SCHEDULE_HELP;
    }
    if (text.startsWith("every")) {
      return "'"
          + text
          + "' is not a schedule: write every N followed by s, m, h or d, such as every 15m; "
          + SCHEDULE_HELP;
    }
    if (!text.contains(" ")) {
      return "'" + text + "' is not a schedule; " + SCHEDULE_HELP;
    }
    return "'"
        + text
        + "' is not a schedule: "
        + cronProblem(text).orElse("not valid")
        + "; "
        + SCHEDULE_HELP;
  }

  /** What is wrong with a cron expression, if anything (including one that never fires). */
  private static Optional<String> cronProblem(String text) {
    if (text.split("\\s+").length != 5) {
      return Optional.of(
          "a cron expression has 5 fields (minute hour day-of-month month day-of-week), this has "
              + text.split("\\s+").length);
    }
    try {
      com.cronutils.model.Cron cron = CRON.parse(text).validate();
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      // a date that never comes (30 February) parses but would never run
      if (ExecutionTime.forCron(cron)
          .nextExecution(now)
          .filter(t -> t.isBefore(now.plusYears(5)))
          .isEmpty()) {
        return Optional.of("it never fires");
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "not valid" : e.getMessage();
      return Optional.of(message.replaceAll("\\s+", " ").strip());
    }
  }

  private static Duration period(long n, String unit) {
    return switch (unit) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** {@code paused: true} keeps the sync from running on its schedule. */
  static boolean paused(YamlNode sync) {
    return sync.string("paused")
        .map(
            text ->
                switch (text.toLowerCase(Locale.ROOT)) {
                  case "true" -> true;
                  case "false" -> false;
                  default -> {
                    sync.problemAt(
                        "paused",
                        "'" + text + "' is not valid; expected true or false (default false)");
                    yield false;
                  }
                })
        .orElse(false);
  }

  /** Every sync named in an {@code after:} exists, and no chain of them comes back to its start. */
  static void checkAfter(Map<String, YamlNode> nodes, Map<String, SyncConfig> syncs) {
    for (SyncConfig sync : syncs.values()) {
      if (sync.schedule() instanceof ScheduleSpec.After after) {
        for (String name : after.syncs()) {
          if (!nodes.containsKey(name)) {
            String nearest = Suggestions.nearest(name, List.copyOf(nodes.keySet()));
            nodes
                .get(sync.name())
                .problemAt(
                    "after",
                    "no sync named '"
                        + name
                        + "'"
                        + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
                        + "; the syncs are: "
                        + String.join(", ", nodes.keySet()));
          } else if (name.equals(sync.name())) {
            nodes.get(sync.name()).problemAt("after", "a sync cannot run after itself");
          }
        }
      }
    }
    Set<String> reported = new HashSet<>();
    for (SyncConfig sync : syncs.values()) {
      List<String> cycle = cycleFrom(sync.name(), syncs, new ArrayList<>());
      if (!cycle.isEmpty() && cycle.size() > 2 && reported.add(Set.copyOf(cycle).toString())) {
        nodes
            .get(sync.name())
            .problemAt(
                "after",
                "the after chain comes back to itself: "
                    + String.join(" -> ", cycle)
                    + "; a sync cannot wait for itself");
      }
    }
  }

  private static List<String> cycleFrom(
      String name, Map<String, SyncConfig> syncs, List<String> path) {
    if (path.contains(name)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      return path.get(0).equals(name) ? cycle : List.of();
    }
    SyncConfig sync = syncs.get(name);
    if (sync == null || !(sync.schedule() instanceof ScheduleSpec.After after)) {
      return List.of();
    }
    path.add(name);
    for (String next : after.syncs()) {
      List<String> cycle = cycleFrom(next, syncs, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.remove(path.size() - 1);
    return List.of();
  }

  /** The {@code server:} section, or the defaults. */
  static ServerConfig server(YamlNode top) {
    Optional<YamlNode> found = top.mapping("server");
    if (found.isEmpty()) {
      return ServerConfig.DEFAULTS;
    }
    YamlNode node = found.get();
    node.allowOnly(
        "bind", "port", "api_token", "auth", "max_concurrent_runs", "public_url", "lease_ttl");
    String bind = node.string("bind").map(String::strip).orElse(ServerConfig.DEFAULT_BIND);
    if (bind.isEmpty() || !bind.matches("[A-Za-z0-9.:\\[\\]-]+")) {
      node.problemAt(
          "bind",
          "'" + bind + "' is not an address; expected e.g. 127.0.0.1 (default), 0.0.0.0 or ::1");
      bind = ServerConfig.DEFAULT_BIND;
    }
    int port = ServerConfig.DEFAULT_PORT;
    Optional<String> portText = node.string("port");
    if (portText.isPresent()) {
      Optional<Integer> n = number(portText.get(), 0, 65535);
      if (n.isEmpty()) {
        node.problemAt(
            "port",
            "'"
                + portText.get()
                + "' is not a port; expected 1 to 65535 (default "
                + ServerConfig.DEFAULT_PORT
                + "; 0 picks a free one)");
      } else {
        port = n.get();
      }
    }
    ServerConfig.Auth auth = ServerConfig.Auth.TOKEN;
    Optional<String> authText = node.string("auth");
    if (authText.isPresent()) {
      switch (authText.get()) {
        case "token" -> auth = ServerConfig.Auth.TOKEN;
        case "none" -> auth = ServerConfig.Auth.NONE;
        default ->
            node.problemAt(
                "auth", "'" + authText.get() + "' is not valid; valid: token (default), none");
      }
    }
    if (auth == ServerConfig.Auth.NONE && !ServerConfig.loopback(bind)) {
      node.problemAt(
          "auth",
          "auth: none is allowed on a loopback bind only (127.0.0.1, ::1, localhost), not on "
              + bind
              + "; set api_token instead");
    }
    Optional<Secret> token = node.secret("api_token").filter(t -> !t.reveal().isEmpty());
    boolean fromEnvironment =
        node.raw("api_token")
            .filter(
                n ->
                    n instanceof org.yaml.snakeyaml.nodes.ScalarNode scalar
                        && scalar.getValue().contains("${"))
            .isPresent();
    if (node.has("api_token")
        && token.isEmpty()
        && auth == ServerConfig.Auth.TOKEN
        && !fromEnvironment) {
      node.problemAt(
          "api_token",
          "must not be empty: a long random value, e.g. api_token: ${ROWSTREAM_API_TOKEN}");
    }
    token
        .filter(t -> t.reveal().length() < 16)
        .ifPresent(
            t ->
                node.problemAt(
                    "api_token",
                    "is too short ("
                        + t.reveal().length()
                        + " characters); use at least 16 random characters"));
    int max = ServerConfig.DEFAULT_MAX_CONCURRENT_RUNS;
    Optional<String> maxText = node.string("max_concurrent_runs");
    if (maxText.isPresent()) {
      Optional<Integer> n = number(maxText.get(), 1, ServerConfig.MAX_CONCURRENT_RUNS_LIMIT);
      if (n.isEmpty()) {
        node.problemAt(
            "max_concurrent_runs",
            "'"
                + maxText.get()
                + "' is not valid; expected 1 to "
                + ServerConfig.MAX_CONCURRENT_RUNS_LIMIT
                + " (default: twice the processors, 2 to 8; "
                + ServerConfig.DEFAULT_MAX_CONCURRENT_RUNS
                + " here)");
      } else {
        max = n.get();
      }
    }
    Duration leaseTtl = ServerConfig.DEFAULT_LEASE_TTL;
    Optional<String> ttlText = node.string("lease_ttl");
    if (ttlText.isPresent()) {
      Optional<Duration> ttl =
          ConfigValues.parseDuration(ttlText.get())
              .filter(
                  d ->
                      d.compareTo(ServerConfig.MIN_LEASE_TTL) >= 0
                          && d.compareTo(ServerConfig.MAX_LEASE_TTL) <= 0);
      if (ttl.isEmpty()) {
        node.problemAt(
            "lease_ttl",
            "'"
                + ttlText.get()
                + "' is not valid; expected how long a worker keeps a sync without a heartbeat, "
                + "from 2s to 1h, such as 30s (default 30s)");
      } else {
        leaseTtl = ttl.get();
      }
    }
    return new ServerConfig(bind, port, token, auth, max, leaseTtl);
  }

  private static Optional<Integer> number(String text, int min, int max) {
    if (!text.strip().matches("\\d{1,9}")) {
      return Optional.empty();
    }
    int n = Integer.parseInt(text.strip());
    return n < min || n > max ? Optional.empty() : Optional.of(n);
  }
}
