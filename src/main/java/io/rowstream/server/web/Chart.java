package io.rowstream.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers of a small inline SVG chart of a sync's last runs, oldest left: a bar of records sent
 * per run, and a dot per run for its duration. Only numbers reach the template.
 */
final class Chart {
  static final int WIDTH = 600;
  static final int HEIGHT = 120;
  private static final int TOP = 10;

  private Chart() {}

  static Map<String, Object> of(List<JsonNode> runsOldestFirst) {
    List<JsonNode> runs =
        runsOldestFirst.stream().filter(r -> r.path("finished_at").isTextual()).toList();
    if (runs.isEmpty()) {
      return null;
    }
    long maxSent = Math.max(1, runs.stream().mapToLong(RunJson::sent).max().orElse(1));
    long maxMs =
        Math.max(
            1,
            runs.stream()
                .mapToLong(r -> RunJson.duration(r).map(Duration::toMillis).orElse(0L))
                .max()
                .orElse(1));
    double step = (double) WIDTH / runs.size();
    double barWidth = Math.max(2, step * 0.6);
    int plot = HEIGHT - TOP;
    List<Map<String, Object>> bars = new ArrayList<>();
    List<String> points = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      JsonNode run = runs.get(i);
      long sent = RunJson.sent(run);
      long ms = RunJson.duration(run).map(Duration::toMillis).orElse(0L);
      double h = (double) plot * sent / maxSent;
      double x = i * step + (step - barWidth) / 2;
      double cy = HEIGHT - (double) plot * ms / maxMs;
      bars.add(
          Pages.scope(
              "x",
              fmt(x),
              "y",
              fmt(HEIGHT - h),
              "width",
              fmt(barWidth),
              "height",
              fmt(h),
              "cx",
              fmt(i * step + step / 2),
              "cy",
              fmt(cy),
              "failed",
              !"succeeded".equals(run.path("status").asText()),
              "label",
              run.path("run_id").asText()
                  + ": "
                  + sent
                  + " sent, "
                  + RunJson.seconds(RunJson.duration(run))));
      points.add(fmt(i * step + step / 2) + "," + fmt(cy));
    }
    return Pages.scope(
        "width",
        WIDTH,
        "height",
        HEIGHT,
        "bars",
        bars,
        "line",
        String.join(" ", points),
        "maxSent",
        maxSent,
        "maxSeconds",
        String.format(Locale.ROOT, "%.1f", maxMs / 1000.0),
        "runs",
        runs.size());
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
