package io.rowstream.server.web;

import io.javalin.http.Context;
import io.rowstream.config.DestinationConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.delivery.StreamAdmin;
import io.rowstream.kinesis.AccessCheck;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.server.api.ApiBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /destinations/{dest}}: how credentials are found (keys masked), what {@code rowstream
 * check} finds, and the streams {@code rowstream streams} lists, with each one's status and open
 * shards. Sends nothing: the check runs without {@code --put-test-record}.
 */
final class DestinationPage {
  /** Streams checked one by one at most; the rest are listed by name only. */
  static final int MAX_CHECKED_STREAMS = 25;

  private static final Pattern SHARDS = Pattern.compile("(\\d+) open shard");

  private final ApiBackend backend;

  DestinationPage(ApiBackend backend) {
    this.backend = backend;
  }

  void page(Context ctx, WebUi.View view) {
    String name = ctx.pathParam("dest");
    DestinationConfig dest = backend.config().destinations().get(name);
    if (dest == null) {
      view.notFound(
          ctx,
          "no destination named '"
              + name
              + "'; the destinations are: "
              + String.join(", ", backend.config().destinations().keySet()));
      return;
    }
    Map<String, Object> scope =
        Pages.scope(
            "title",
            "Destination " + name,
            "name",
            name,
            "region",
            dest.region(),
            "endpoint",
            dest.endpoint().map(Object::toString).orElse("(the region's)"),
            "credentials",
            credentials(dest));
    List<String> used =
        backend.config().syncs().values().stream()
            .filter(s -> s.destination().equals(name))
            .map(SyncConfig::stream)
            .distinct()
            .toList();
    List<String> streams = List.of();
    AccessCheck.Report report;
    // one client for the listing and the check: one assumed-role session, one connection pool
    try (KinesisDestination kinesis = KinesisDestination.connect(dest)) {
      try {
        streams = new StreamAdmin(kinesis).streams();
      } catch (RuntimeException e) {
        scope.put("listError", String.valueOf(e.getMessage()));
      }
      List<String> checked = new ArrayList<>(used);
      streams.stream()
          .filter(s -> !checked.contains(s))
          .limit(Math.max(0, MAX_CHECKED_STREAMS - checked.size()))
          .forEach(checked::add);
      report = AccessCheck.run(kinesis, checked, false, UnaryOperator.identity());
    }
    List<Map<String, Object>> findings = new ArrayList<>();
    Map<String, Map<String, Object>> byStream = new LinkedHashMap<>();
    for (String s : streams) {
      byStream.put(
          s, Pages.scope("name", s, "status", "", "shards", "", "usedBy", syncsOn(name, s)));
    }
    for (AccessCheck.Finding f : report.findings()) {
      findings.add(
          Pages.scope(
              "check",
              f.check(),
              "stream",
              f.stream().orElse(""),
              "status",
              f.status().label(),
              "required",
              f.required(),
              "blocks",
              f.blocks(),
              "detail",
              f.detail()));
      if (f.check().equals("stream")
          && f.stream().isPresent()
          && byStream.containsKey(f.stream().get())) {
        Map<String, Object> row = byStream.get(f.stream().get());
        String detail = f.detail();
        row.put(
            "status",
            detail.contains(",") ? detail.substring(0, detail.indexOf(',')) : f.status().label());
        Matcher m = SHARDS.matcher(detail);
        row.put("shards", m.find() ? m.group(1) : "");
      }
    }
    scope.put("ok", report.ok());
    scope.put(
        "resolved",
        report.credentials() + report.accessKeyId().map(k -> "; access key " + k).orElse(""));
    scope.put("findings", findings);
    scope.put("streams", new ArrayList<>(byStream.values()));
    scope.put("streamCount", streams.size());
    view.render(ctx, 200, "destination", scope);
  }

  private List<String> syncsOn(String dest, String stream) {
    return backend.config().syncs().values().stream()
        .filter(s -> s.destination().equals(dest) && s.stream().equals(stream))
        .map(SyncConfig::name)
        .toList();
  }

  /**
   * The credentials' mode in words; identifiers masked to their last 4 characters, secrets never
   * shown.
   */
  static String credentials(DestinationConfig dest) {
    if (dest.credentials().isEmpty()) {
      return "AWS default chain (environment, profile, instance or task role)";
    }
    DestinationConfig.Credentials c = dest.credentials().get();
    StringBuilder out = new StringBuilder(c.sourceMode());
    c.accessKeyId()
        .ifPresent(k -> out.append("; access key id ").append(DestinationConfig.mask(k)));
    c.secretAccessKey().ifPresent(k -> out.append("; secret access key ****"));
    c.sessionToken().ifPresent(k -> out.append("; session token ****"));
    c.role()
        .ifPresent(
            r ->
                out.append("; assumes role ")
                    .append(r.roleArn())
                    .append(r.externalId().map(x -> " with external id ****").orElse("")));
    return out.toString();
  }
}
