package io.rowstream.config;

import io.rowstream.config.DestinationConfig.AssumeRole;
import io.rowstream.config.DestinationConfig.Credentials;
import io.rowstream.config.DestinationConfig.Sending;
import io.rowstream.core.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code destinations:}: Kinesis endpoints, their credentials and sending limits. */
final class DestinationsSection {
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern PROFILE = Pattern.compile("[\\w.@+-]{1,128}");

  private final AlertsSection alerts;

  DestinationsSection(AlertsSection alerts) {
    this.alerts = alerts;
  }

  /** The valid destinations by name; each one's {@code alerts:} goes to the alerts section. */
  Map<String, DestinationConfig> read(YamlNode top) {
    Map<String, DestinationConfig> destinations = new LinkedHashMap<>();
    top.namedMappings("destinations")
        .forEach((name, node) -> destination(name, node).ifPresent(d -> destinations.put(name, d)));
    return destinations;
  }

  private Optional<DestinationConfig> destination(String name, YamlNode node) {
    ConfigValues.checkName(name, node);
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
    Optional<URI> endpoint = ConfigValues.url(node, "endpoint", "http://127.0.0.1:4567");
    Optional<Credentials> credentials = node.mapping("credentials").map(c -> credentials(name, c));
    Optional<Integer> maxInFlight =
        node.string("max_in_flight")
            .flatMap(
                text -> {
                  Optional<Integer> n =
                      ConfigValues.wholeNumber(text, 1, Sending.MAX_IN_FLIGHT_LIMIT);
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
                      ConfigValues.wholeNumber(
                          t.endsWith("%") ? t.substring(0, t.length() - 1) : t, 1, 100);
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
                      ConfigValues.parseDuration(text)
                          .filter(t -> t.compareTo(Sending.MIN_OUTAGE_TIMEOUT) >= 0);
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

  private static Credentials credentials(String destination, YamlNode node) {
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

  private static Optional<AssumeRole> assumeRole(
      String destination, YamlNode node, String roleArn) {
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
      Optional<Duration> parsed = ConfigValues.parseDuration(durationText.get());
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
    Optional<URI> stsEndpoint =
        ConfigValues.url(node, "sts_endpoint", "https://sts.us-east-1.amazonaws.com");
    if (node.has("sts_endpoint") && stsEndpoint.isEmpty()) {
      ok = false;
    }
    return ok
        ? Optional.of(new AssumeRole(roleArn, externalId, sessionName, duration, stsEndpoint))
        : Optional.empty();
  }
}
