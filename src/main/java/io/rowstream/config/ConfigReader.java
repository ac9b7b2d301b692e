package io.rowstream.config;

import io.rowstream.config.DestinationConfig.AssumeRole;
import io.rowstream.config.DestinationConfig.Credentials;
import io.rowstream.config.DestinationConfig.Sending;
import io.rowstream.config.SourceConfig.Type;
import io.rowstream.config.SyncConfig.InitialSync;
import io.rowstream.core.EventType;
import io.rowstream.core.Redactor;
import io.rowstream.core.Secret;
import io.rowstream.template.Template;
import io.rowstream.template.TemplateOptions;
import io.rowstream.template.TemplateSyntaxException;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code rowstream.yaml} into a {@link RowstreamConfig}, or into every problem it holds, each
 * with file, line and key. Nothing is connected to: this is what {@code validate} runs.
 */
public final class ConfigReader {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final Pattern TABLE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*){0,2}");
  private static final int MAX_RECORD_BYTES_LIMIT = 10 * 1024 * 1024;
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern PROFILE = Pattern.compile("[\\w.@+-]{1,128}");
  private static final Pattern DURATION = Pattern.compile("(\\d+[smhd])+");
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)([smhd])");
  private static final Pattern HASH_KEY = Pattern.compile("0|[1-9][0-9]{0,38}");
  private static final BigInteger HASH_KEY_LIMIT = BigInteger.TWO.pow(128);
  private static final Duration MIN_RETENTION = Duration.ofHours(1);
  private static final Duration MAX_RETENTION = Duration.ofDays(3650);

  private final Path file;
  private final Map<String, String> env;
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final AlertsSection alerts = new AlertsSection(this);

  private ConfigReader(Path file, Map<String, String> env) {
    this.file = file;
    this.env = env;
  }

  /** Reads {@code file} with the process environment for {@code ${NAME}}. */
  public static ConfigResult read(Path file) {
    return read(file, System.getenv());
  }

  public static ConfigResult read(Path file, Map<String, String> env) {
    return new ConfigReader(file, env).read();
  }

  Map<String, String> env() {
    return env;
  }

  void problem(Node at, String key, String message) {
    problem(at == null ? 0 : at.getStartMark().getLine() + 1, key, message);
  }

  void problem(int line, String key, String message) {
    problems.add(new ConfigProblem(file, line, key, message));
  }

  private ConfigResult read() {
    Node root;
    if (Files.isDirectory(file)) {
      return failed(
          new ConfigProblem(
              file,
              0,
              "",
              "is a folder, not a file; pass --config "
                  + file.resolve("rowstream.yaml")
                  + ", or run `rowstream init` there"));
    }
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      root = new Yaml(options).compose(in);
    } catch (NoSuchFileException e) {
      return failed(
          new ConfigProblem(
              file,
              0,
              "",
              "file not found; run `rowstream init` to create one, or pass --config FILE"));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      return failed(new ConfigProblem(file, line, "", "not valid YAML: " + e.getProblem()));
    } catch (YAMLException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        return notUtf8();
      }
      return failed(new ConfigProblem(file, 0, "", "not valid YAML: " + e.getMessage()));
    } catch (CharacterCodingException e) {
      return notUtf8();
    } catch (IOException e) {
      return failed(new ConfigProblem(file, 0, "", "cannot be read: " + ConfigFiles.describe(e)));
    }
    if (!(root instanceof MappingNode)) {
      return failed(
          new ConfigProblem(
              file,
              root == null ? 0 : root.getStartMark().getLine() + 1,
              "",
              "must be a mapping with sources, destinations and syncs"));
    }
    YamlNode top = new YamlNode(this, "", root);
    top.allowOnly("state", "retention", "sources", "destinations", "syncs", "alerts", "server");
    alerts.readTop(top);
    alerts.readServerPublicUrl(top);
    Duration retention = RowstreamConfig.DEFAULT_RETENTION;
    Optional<String> retentionText = top.string("retention");
    if (retentionText.isPresent()) {
      Optional<Duration> parsed = parseDuration(retentionText.get());
      if (parsed.isEmpty()
          || parsed.get().compareTo(MIN_RETENTION) < 0
          || parsed.get().compareTo(MAX_RETENTION) > 0) {
        top.problemAt(
            "retention",
            "'"
                + retentionText.get()
                + "' is not valid; expected how long runs and their "
                + "API calls are kept, from 1h to 3650d, such as 7d or 36h (default 7d)");
      } else {
        retention = parsed.get();
      }
    }
    Path base = file.toAbsolutePath().getParent();
    Path stateDir = base.resolve(top.string("state").orElse(RowstreamConfig.DEFAULT_STATE_DIR));
    if (top.string("state").filter(s -> s.startsWith("jdbc:")).isPresent()) {
      top.problemAt(
          "state",
          "a database URL for state is not supported yet; use a folder path such as .rowstream");
    } else {
      ConfigFiles.unwritableFolder(stateDir).ifPresent(why -> top.problemAt("state", why));
    }

    Map<String, SourceConfig> sources = new LinkedHashMap<>();
    top.namedMappings("sources")
        .forEach(
            (name, node) ->
                source(name, node, base)
                    .map(s -> PlanningSection.read(s, node))
                    .ifPresent(s -> sources.put(name, s)));
    Map<String, DestinationConfig> destinations = new LinkedHashMap<>();
    top.namedMappings("destinations")
        .forEach((name, node) -> destination(name, node).ifPresent(d -> destinations.put(name, d)));
    Map<String, YamlNode> syncNodes = top.namedMappings("syncs");
    if (syncNodes.isEmpty() && problems.isEmpty()) {
      top.problemAt("syncs", "at least one sync is required; see `rowstream init` for an example");
    }
    Map<String, SyncConfig> syncs = new LinkedHashMap<>();
    syncNodes.forEach(
        (name, node) ->
            sync(name, node, top, sources, destinations).ifPresent(s -> syncs.put(name, s)));
    ServiceConfigReader.checkAfter(syncNodes, syncs);
    ServerConfig server = ServiceConfigReader.server(top);

    if (!problems.isEmpty()) {
      List<ConfigProblem> sorted = new ArrayList<>(problems);
      sorted.sort(
          Comparator.comparingInt(
              ConfigProblem::line)); // stable: one line's problems keep their order
      return new ConfigResult(Optional.empty(), sorted);
    }
    return new ConfigResult(
        Optional.of(
            new RowstreamConfig(
                file, stateDir, sources, destinations, syncs, retention, alerts.result(), server)),
        List.of());
  }

  private ConfigResult notUtf8() {
    return failed(
        new ConfigProblem(
            file,
            ConfigFiles.firstNonUtf8Line(file),
            "",
            "is not UTF-8 text; save it as UTF-8 (a config holds names, SQL and templates, all UTF-8)"));
  }

  private ConfigResult failed(ConfigProblem problem) {
    return new ConfigResult(Optional.empty(), List.of(problem));
  }

  private Optional<SourceConfig> source(String name, YamlNode node, Path base) {
    checkName(name, node);
    String typeText = node.required("type", "one of duckdb, postgres, mysql, jdbc");
    if (typeText == null) {
      return Optional.empty();
    }
    Type type;
    try {
      type = Type.valueOf(typeText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      node.problemAt(
          "type", "'" + typeText + "' is not a source type; valid: duckdb, postgres, mysql, jdbc");
      return Optional.empty();
    }
    if (type == Type.DUCKDB) {
      node.allowOnly(PlanningSection.with("type", "path"));
      String path = node.required("path", "a .duckdb file (relative to this config), or :memory:");
      if (path == null) {
        return Optional.empty();
      }
      String resolved = path.equals(":memory:") ? path : base.resolve(path).toString();
      return Optional.of(
          new SourceConfig(
              name,
              type,
              Optional.of(resolved),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty()));
    }
    node.allowOnly(PlanningSection.with("type", "url", "user", "password", "driver"));
    String example =
        switch (type) {
          case POSTGRES -> "jdbc:postgresql://HOST:5432/DATABASE";
          case MYSQL -> "jdbc:mysql://HOST:3306/DATABASE";
          default -> "a JDBC URL such as jdbc:sqlserver://HOST;databaseName=DB";
        };
    String url = node.required("url", example);
    if (url != null && !url.startsWith("jdbc:")) {
      node.problemAt("url", "'" + url + "' is not a JDBC URL; expected " + example);
    }
    if (url != null && type == Type.POSTGRES && !url.startsWith("jdbc:postgresql:")) {
      node.problemAt("url", "a postgres source needs a jdbc:postgresql: URL, such as " + example);
    }
    if (url != null
        && type == Type.MYSQL
        && !(url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:"))) {
      node.problemAt(
          "url", "a mysql source needs a jdbc:mysql: or jdbc:mariadb: URL, such as " + example);
    }
    if (type != Type.JDBC && node.has("driver")) {
      node.problemAt(
          "driver",
          "only a jdbc source takes a driver class; "
              + type.name().toLowerCase(Locale.ROOT)
              + " brings its own");
    }
    return Optional.of(
        new SourceConfig(
            name,
            type,
            Optional.empty(),
            Optional.ofNullable(url),
            node.string("user"),
            node.secret("password"),
            node.string("driver")));
  }

  private Optional<DestinationConfig> destination(String name, YamlNode node) {
    checkName(name, node);
    node.allowOnly(
        "type",
        "region",
        "endpoint",
        "credentials",
        "max_in_flight",
        "shard_share",
        "outage_timeout",
        "alerts");
    alerts.readDestination(name, node);
    String type = node.required("type", "kinesis");
    if (type != null && !type.equals("kinesis")) {
      node.problemAt("type", "'" + type + "' is not a destination type; valid: kinesis");
    }
    String region = node.required("region", "an AWS region such as us-east-1");
    if (region != null && !region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
      node.problemAt(
          "region", "'" + region + "' is not an AWS region; expected a name such as us-east-1");
    }
    Optional<URI> endpoint = url(node, "endpoint", "http://127.0.0.1:4567");
    Optional<Credentials> credentials = node.mapping("credentials").map(c -> credentials(name, c));
    Optional<Integer> maxInFlight =
        node.string("max_in_flight")
            .flatMap(
                text -> {
                  Optional<Integer> n = wholeNumber(text, 1, Sending.MAX_IN_FLIGHT_LIMIT);
                  if (n.isEmpty()) {
                    node.problemAt(
                        "max_in_flight",
                        "'"
                            + text
                            + "' is not valid; expected how many PutRecords requests may be "
                            + "in flight at once, from 1 to "
                            + Sending.MAX_IN_FLIGHT_LIMIT
                            + " (default "
                            + Sending.DEFAULT_MAX_IN_FLIGHT
                            + ")");
                  }
                  return n;
                });
    Optional<Integer> shardShare =
        node.string("shard_share")
            .flatMap(
                text -> {
                  String t = text.trim();
                  Optional<Integer> n =
                      wholeNumber(t.endsWith("%") ? t.substring(0, t.length() - 1) : t, 1, 100);
                  if (n.isEmpty()) {
                    node.problemAt(
                        "shard_share",
                        "'"
                            + text
                            + "' is not valid; expected the percentage of each shard's write "
                            + "limits Rowstream may use, from 1% to 100% (default 100%), e.g. 50%");
                  }
                  return n;
                });
    Optional<Duration> outageTimeout =
        node.string("outage_timeout")
            .flatMap(
                text -> {
                  Optional<Duration> d =
                      parseDuration(text).filter(t -> t.compareTo(Sending.MIN_OUTAGE_TIMEOUT) >= 0);
                  if (d.isEmpty()) {
                    node.problemAt(
                        "outage_timeout",
                        "'"
                            + text
                            + "' is not valid; expected how long a run rides out an endpoint "
                            + "that does not answer before it fails, at least 1s, such as 30s, 2m or 1h (default 2m)");
                  }
                  return d;
                });
    if (region == null) {
      return Optional.empty();
    }
    return Optional.of(
        new DestinationConfig(
            name,
            region,
            endpoint,
            credentials,
            new Sending(maxInFlight, shardShare, outageTimeout)));
  }

  private static Optional<Integer> wholeNumber(String text, int min, int max) {
    String t = text.trim();
    if (!t.matches("\\d{1,9}")) {
      return Optional.empty();
    }
    int n = Integer.parseInt(t);
    return n >= min && n <= max ? Optional.of(n) : Optional.empty();
  }

  private Credentials credentials(String destination, YamlNode node) {
    node.allowOnly(
        "access_key_id",
        "secret_access_key",
        "session_token",
        "profile",
        "role_arn",
        "external_id",
        "session_name",
        "session_duration",
        "sts_endpoint");
    Optional<String> keyId = node.string("access_key_id");
    var secret = node.secret("secret_access_key");
    if (keyId.isPresent() != secret.isPresent()) {
      node.problemHere(
          "access_key_id and secret_access_key go together: give both, or neither to use the AWS default chain");
    }
    if (node.has("session_token") && keyId.isEmpty()) {
      node.problemAt(
          "session_token",
          "a session token goes with access_key_id and secret_access_key; give them too, "
              + "or remove it");
    }
    if (node.has("profile") && (keyId.isPresent() || secret.isPresent())) {
      node.problemAt(
          "profile",
          "give either a profile or static keys (access_key_id, secret_access_key), not both");
    }
    Optional<String> profile = node.string("profile");
    if (profile.isPresent() && !PROFILE.matcher(profile.get()).matches()) {
      node.problemAt(
          "profile",
          "'"
              + profile.get()
              + "' is not a profile name; expected a name from "
              + "~/.aws/config such as default or analytics");
    }
    Optional<AssumeRole> role = Optional.empty();
    Optional<String> roleArn = node.string("role_arn");
    if (roleArn.isPresent()) {
      role = assumeRole(destination, node, roleArn.get());
    } else {
      for (String roleKey :
          List.of("external_id", "session_name", "session_duration", "sts_endpoint")) {
        if (node.has(roleKey)) {
          node.problemAt(
              roleKey, "only applies when assuming a role; add role_arn, or remove " + roleKey);
        }
      }
    }
    return new Credentials(keyId, secret, node.secret("session_token"), profile, role);
  }

  private Optional<AssumeRole> assumeRole(String destination, YamlNode node, String roleArn) {
    boolean ok = true;
    if (!ROLE_ARN.matcher(roleArn).matches()) {
      // an ARN is not secret: echoing it helps spot the typo
      node.problemAt(
          "role_arn",
          "'"
              + roleArn
              + "' is not an IAM role ARN; expected "
              + "arn:aws:iam::123456789012:role/NAME (partition aws, aws-cn or aws-us-gov; a 12-digit account)");
      ok = false;
    }
    Optional<Secret> externalId = node.secret("external_id");
    if (externalId.isPresent() && !EXTERNAL_ID.matcher(externalId.get().reveal()).matches()) {
      // never echo it: an external id is a shared secret between the two accounts
      node.problemAt(
          "external_id", "is not a valid external id: 2 to 1224 of letters, digits and +=,.@:/-");
      ok = false;
    }
    String sessionName =
        node.string("session_name").orElse(AssumeRole.defaultSessionName(destination));
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      node.problemAt(
          "session_name",
          "'"
              + sessionName
              + "' is not a valid session name: 2 to 64 of letters, "
              + "digits and +=,.@-");
      ok = false;
    }
    Duration duration = AssumeRole.DEFAULT_SESSION_DURATION;
    Optional<String> durationText = node.string("session_duration");
    if (durationText.isPresent()) {
      Optional<Duration> parsed = parseDuration(durationText.get());
      if (parsed.isEmpty()
          || parsed.get().compareTo(AssumeRole.MIN_SESSION_DURATION) < 0
          || parsed.get().compareTo(AssumeRole.MAX_SESSION_DURATION) > 0) {
        node.problemAt(
            "session_duration",
            "'"
                + durationText.get()
                + "' is not valid; expected a duration from "
                + "15m to 12h such as 1h or 90m (default 1h; the role's maximum session duration also applies)");
        ok = false;
      } else {
        duration = parsed.get();
      }
    }
    Optional<URI> stsEndpoint = url(node, "sts_endpoint", "https://sts.us-east-1.amazonaws.com");
    if (node.has("sts_endpoint") && stsEndpoint.isEmpty()) {
      ok = false;
    }
    return ok
        ? Optional.of(new AssumeRole(roleArn, externalId, sessionName, duration, stsEndpoint))
        : Optional.empty();
  }

  private Optional<URI> url(YamlNode node, String key, String example) {
    return node.string(key)
        .flatMap(
            text -> {
              try {
                URI uri = new URI(text);
                if (uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                  throw new URISyntaxException(text, "no http(s) scheme and host");
                }
                if (uri.getPort() == 0 || uri.getPort() > 65535) {
                  node.problemAt(
                      key,
                      "port "
                          + uri.getPort()
                          + " of '"
                          + Redactor.SHAPES_ONLY.scrub(text)
                          + "' is not a TCP "
                          + "port; expected 1 to 65535, e.g. "
                          + example);
                  return Optional.empty();
                }
                return Optional.of(uri);
              } catch (URISyntaxException e) {
                node.problemAt(
                    key,
                    "'"
                        + Redactor.SHAPES_ONLY.scrub(text)
                        + "' is not an http(s) URL; expected e.g. "
                        + example);
                return Optional.empty();
              }
            });
  }

  /**
   * A duration such as {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d} or {@code 1h30m}; empty
   * when it is not one.
   */
  static Optional<Duration> parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (!DURATION.matcher(t).matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    var m = DURATION_PART.matcher(t);
    while (m.find()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      if (n > 1_000_000) {
        return Optional.empty();
      }
      total =
          total.plus(
              switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              });
    }
    return Optional.of(total);
  }

  private Optional<SyncConfig> sync(
      String name,
      YamlNode node,
      YamlNode top,
      Map<String, SourceConfig> sources,
      Map<String, DestinationConfig> destinations) {
    checkName(name, node);
    node.allowOnly(
        "source",
        "query",
        "table",
        "primary_key",
        "destination",
        "stream",
        "on",
        "message",
        "partition_key",
        "explicit_hash_key",
        "initial_sync",
        "schedule",
        "max_record_bytes",
        "after",
        "paused",
        "alerts");
    alerts.readSync(name, node);
    String source = reference(node, "source", "sources", top, sources.keySet());
    String destination = reference(node, "destination", "destinations", top, destinations.keySet());

    String query = null;
    Optional<String> queryText = node.string("query");
    Optional<String> table = node.string("table");
    if (queryText.isPresent() == table.isPresent()) {
      node.problemHere("give exactly one of query (a SQL select) or table (a table name)");
    } else if (table.isPresent()) {
      if (TABLE.matcher(table.get()).matches()) {
        query = "select * from " + table.get();
      } else {
        node.problemAt(
            "table",
            "'"
                + table.get()
                + "' is not a table name; expected e.g. customers or analytics.customers");
      }
    } else if (queryText.get().isBlank()) {
      node.problemAt("query", "must not be empty: a SQL select such as select * from customers");
    } else {
      query = queryText.get().strip();
      while (query.endsWith(";")) {
        query = query.substring(0, query.length() - 1).strip();
      }
    }

    String primaryKey =
        node.required("primary_key", "the column that identifies a row, such as id");
    String stream = node.required("stream", "the name of a Kinesis stream");
    if (stream != null && !STREAM.matcher(stream).matches()) {
      node.problemAt(
          "stream",
          "'" + stream + "' is not a valid stream name: 1 to 128 of letters, digits, _ . -");
    }
    Set<EventType> on = EnumSet.allOf(EventType.class);
    Optional<List<String>> onList = node.strings("on");
    if (onList.isPresent()) {
      on = EnumSet.noneOf(EventType.class);
      for (String item : onList.get()) {
        Optional<EventType> type = EventType.parse(item == null ? "" : item);
        if (type.isEmpty()) {
          node.problemAt("on", "'" + item + "' is not an event; valid: added, changed, removed");
        } else {
          on.add(type.get());
        }
      }
      if (onList.get().isEmpty()) {
        node.problemAt("on", "must name at least one of added, changed, removed");
      }
    }
    MessageSpec message = message(node);
    Optional<String> partitionKey = node.string("partition_key");
    partitionKey.ifPresent(text -> checkKeyTemplate(node, "partition_key", text));
    Optional<String> explicitHashKey = node.string("explicit_hash_key");
    explicitHashKey.ifPresent(text -> checkKeyTemplate(node, "explicit_hash_key", text));
    partitionKey
        .filter(ConfigReader::isConstant)
        .filter(text -> !text.isEmpty() && text.length() > 256)
        .ifPresent(
            text ->
                node.problemAt(
                    "partition_key",
                    "is "
                        + text.length()
                        + " characters long; a partition "
                        + "key is 1 to 256 characters"));
    explicitHashKey
        .filter(ConfigReader::isConstant)
        .filter(text -> !text.isEmpty() && !isHashKey(text))
        .ifPresent(
            text ->
                node.problemAt(
                    "explicit_hash_key",
                    "'"
                        + text
                        + "' is not an explicit hash key: a decimal "
                        + "from 0 to 2^128-1 (340282366920938463463374607431768211455) without leading zeros, or a template "
                        + "such as \"{{ row.hash_key }}\""));

    InitialSync initialSync = InitialSync.BACKFILL;
    Optional<String> initial = node.string("initial_sync");
    if (initial.isPresent()) {
      switch (initial.get()) {
        case "backfill" -> initialSync = InitialSync.BACKFILL;
        case "skip" -> initialSync = InitialSync.SKIP;
        default ->
            node.problemAt(
                "initial_sync", "'" + initial.get() + "' is not valid; valid: backfill, skip");
      }
    }
    ScheduleSpec schedule = ServiceConfigReader.schedule(node);
    boolean paused = ServiceConfigReader.paused(node);
    int maxRecordBytes =
        node.string("max_record_bytes")
            .map(
                text ->
                    wholeNumber(text, 1, MAX_RECORD_BYTES_LIMIT)
                        .orElseGet(
                            () -> {
                              node.problemAt(
                                  "max_record_bytes",
                                  "'"
                                      + text
                                      + "' is not valid; expected a byte count from 1 to "
                                      + MAX_RECORD_BYTES_LIMIT
                                      + " (default "
                                      + SyncConfig.DEFAULT_MAX_RECORD_BYTES
                                      + ")");
                              return SyncConfig.DEFAULT_MAX_RECORD_BYTES;
                            }))
            .orElse(SyncConfig.DEFAULT_MAX_RECORD_BYTES);
    if (source == null
        || destination == null
        || query == null
        || primaryKey == null
        || stream == null
        || message == null) {
      return Optional.empty();
    }
    return Optional.of(
        new SyncConfig(
            name,
            source,
            query,
            primaryKey,
            destination,
            stream,
            on,
            message,
            partitionKey,
            explicitHashKey,
            initialSync,
            schedule,
            maxRecordBytes,
            paused));
  }

  private MessageSpec message(YamlNode sync) {
    Optional<YamlNode> found = sync.mapping("message");
    if (found.isEmpty()) {
      return sync.has("message") ? null : MessageSpec.allColumns();
    }
    YamlNode node = found.get();
    node.allowOnly("template", "column", "columns");
    int given =
        (node.has("template") ? 1 : 0)
            + (node.has("column") ? 1 : 0)
            + (node.has("columns") ? 1 : 0);
    if (given != 1) {
      node.problemHere(
          "give exactly one of template (Liquid), column (a column holding JSON) or columns "
              + "(a list of columns, or a mapping of message key to column)");
      return null;
    }
    if (node.has("template")) {
      Optional<String> text = node.string("template");
      if (text.isEmpty() || text.get().isBlank()) {
        node.problemAt(
            "template",
            "must not be empty: a Liquid template that renders JSON, such as "
                + "{\"name\": \"{{ row.full_name }}\"}");
        return null;
      }
      return checkTemplate(node, "template", text.get(), TemplateOptions.json())
          ? new MessageSpec(MessageSpec.Mode.TEMPLATE, text.get(), null, Map.of())
          : null;
    }
    if (node.has("column")) {
      String column = node.required("column", "the name of a column that holds a JSON document");
      return column == null ? null : MessageSpec.column(column);
    }
    Node raw = node.raw("columns").orElseThrow();
    Map<String, String> columns = new LinkedHashMap<>();
    if (raw instanceof SequenceNode) {
      node.strings("columns")
          .orElse(List.of())
          .forEach(
              c -> {
                if (c == null || c.isBlank()) {
                  node.problemAt("columns", "a column name must not be empty");
                } else if (columns.put(c, c) != null) {
                  node.problemAt("columns", "column '" + c + "' is listed twice");
                }
              });
    } else if (raw instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key
            && tuple.getValueNode() instanceof ScalarNode value
            && !value.getValue().isBlank()) {
          columns.put(key.getValue(), value.getValue());
        } else {
          problem(
              tuple.getValueNode(),
              node.path() + ".columns",
              "each entry maps a message key to a column name, such as email: customer_email");
        }
      }
    } else {
      node.problemAt("columns", "must be a list of columns, or a mapping of message key to column");
      return null;
    }
    if (columns.isEmpty()) {
      node.problemAt("columns", "must name at least one column");
    }
    return MessageSpec.columns(columns);
  }

  /** Text without Liquid markup renders as itself for every row. */
  private static boolean isConstant(String text) {
    return !text.contains("{{") && !text.contains("{%");
  }

  private static boolean isHashKey(String text) {
    return HASH_KEY.matcher(text).matches() && new BigInteger(text).compareTo(HASH_KEY_LIMIT) < 0;
  }

  private void checkKeyTemplate(YamlNode node, String key, String text) {
    if (text.isEmpty()) {
      node.problemAt(key, "must not be empty; leave it out to use the primary key value");
    } else {
      checkTemplate(node, key, text, TemplateOptions.text());
    }
  }

  /** Whether the Liquid parses; if not, a problem at the template's line in this file. */
  private boolean checkTemplate(YamlNode node, String key, String text, TemplateOptions options) {
    try {
      Template.compile(text, options);
      return true;
    } catch (TemplateSyntaxException e) {
      node.templateProblem(
          key,
          e.line(),
          "the Liquid does not parse at line "
              + e.line()
              + ", column "
              + e.column()
              + " of the template: "
              + e.reason());
      return false;
    }
  }

  private String reference(
      YamlNode node, String key, String section, YamlNode top, Set<String> known) {
    String name = node.required(key, "the name of one of the " + section + " of this file");
    if (name == null) {
      return null;
    }
    if (!known.contains(name) && !hasDeclared(top, section, name)) {
      String nearest = Suggestions.nearest(name, known);
      node.problemAt(
          key,
          "no "
              + key
              + " named '"
              + name
              + "'"
              + (nearest == null ? "" : "; did you mean '" + nearest + "'?")
              + (known.isEmpty()
                  ? "; declare it under " + section
                  : "; declared: " + String.join(", ", known)));
      return null;
    }
    return known.contains(name) ? name : null;
  }

  /** A name that is declared but itself invalid has its own problem already; don't add a second. */
  private static boolean hasDeclared(YamlNode top, String section, String name) {
    return top.mapping(section).map(s -> s.has(name)).orElse(false);
  }

  private void checkName(String name, YamlNode node) {
    if (!NAME.matcher(name).matches()) {
      node.problemHere("'" + name + "' is not a valid name: 1 to 64 of letters, digits, _ and -");
    }
  }
}
