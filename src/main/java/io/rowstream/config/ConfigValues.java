package io.rowstream.config;

import io.rowstream.core.Redactor;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Value checks that several sections share: names, whole numbers, durations, http(s) URLs. */
final class ConfigValues {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern DURATION = Pattern.compile("(\\d+[smhd])+");
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)([smhd])");

  private ConfigValues() {}

  static Optional<Integer> wholeNumber(String text, int min, int max) {
    String t = text.trim();
    if (!t.matches("\\d{1,9}")) {
      return Optional.empty();
    }
    int n = Integer.parseInt(t);
    return n >= min && n <= max ? Optional.of(n) : Optional.empty();
  }

  static Optional<URI> url(YamlNode node, String key, String example) {
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

  static void checkName(String name, YamlNode node) {
    if (!NAME.matcher(name).matches()) {
      node.problemHere("'" + name + "' is not a valid name: 1 to 64 of letters, digits, _ and -");
    }
  }
}
