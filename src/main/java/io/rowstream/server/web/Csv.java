package io.rowstream.server.web;

import java.util.List;
import java.util.Map;

/** RFC 4180 CSV of a list of same-keyed rows; a header line from the first row's keys. */
final class Csv {
  private Csv() {}

  static String of(List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    out.append(String.join(",", rows.get(0).keySet().stream().map(Csv::cell).toList()))
        .append("\r\n");
    for (Map<String, Object> row : rows) {
      out.append(
              String.join(
                  ",",
                  row.values().stream().map(v -> cell(v == null ? "" : v.toString())).toList()))
          .append("\r\n");
    }
    return out.toString();
  }

  /**
   * Quotes a cell when needed; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run
   * it.
   */
  static String cell(String v) {
    String text =
        !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !v.matches("-?\\d+(\\.\\d+)?")
            ? "'" + v
            : v;
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }
}
