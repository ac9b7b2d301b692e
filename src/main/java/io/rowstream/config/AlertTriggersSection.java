package io.rowstream.config;

import io.rowstream.config.AlertsConfig.Amount;
import io.rowstream.config.AlertsConfig.SlowBy;
import io.rowstream.config.AlertsConfig.Thresholds;
import io.rowstream.config.AlertsConfig.Triggers;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;

/**
 * Reads {@code alerts.triggers} (top level, per destination, per sync): each trigger's warning and
 * critical thresholds, checked so that critical is never below warning.
 */
final class AlertTriggersSection {
  private static final Pattern NUMBER = Pattern.compile("\\d{1,9}(\\.\\d{1,3})?");

  private AlertTriggersSection() {}

  /**
   * The {@code triggers:} of an {@code alerts:} section; none given is {@link
   * Triggers.Partial#NONE}.
   */
  static Triggers.Partial read(YamlNode alerts) {
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
            AlertTriggersSection::amount,
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
            AlertTriggersSection::slowBy,
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
            AlertTriggersSection::percent,
            "a percentage from 1% to 100% such as 20%",
            (w, c) -> c >= w);
    Optional<Thresholds<Duration>> stale =
        thresholds(
            t,
            "stale",
            AlertTriggersSection::staleAfter,
            "a duration from 1m such as 6h or 1d",
            (w, c) -> c.compareTo(w) >= 0);
    return new Triggers.Partial(rejected, slow, drop, stale);
  }

  /**
   * A trigger's {warning, critical}; null for a value that is not valid (a problem is recorded).
   */
  private static <T> Optional<Thresholds<T>> thresholds(
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

  private static <T> Optional<T> level(
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

  private static Amount amount(String text) {
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

  private static SlowBy slowBy(String text) {
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
}
