package io.rowstream.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncYamlTest {
  private static final String YAML =
      """
      # top comment
      sources:
        model: {type: duckdb, path: m.duckdb}   # inline comment
      syncs:
        # about a
        a:
          source: model
          table: customers   # the table
          primary_key: id
          destination: k
          stream: s1
          schedule: every 15m   # kept: not managed by the editor
          message:
            template: |
              {"id": {{row.id}}}

        b:
          source: model
          table: other
          primary_key: id
          destination: k
          stream: s2
      # trailing comment
      """;

  private static Map<String, Object> keys(String stream, String template) {
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("source", "model");
    keys.put("table", null);
    keys.put("query", "select id, name from customers");
    keys.put("primary_key", "id");
    keys.put("destination", "k");
    keys.put("stream", stream);
    keys.put("on", List.of("added", "changed"));
    keys.put("message", Map.of("template", template));
    keys.put("partition_key", "{{row.id}}");
    return keys;
  }

  @Test
  void replacingASyncKeepsCommentsOtherSyncsAndKeysTheEditorDoesNotManage() {
    String out = SyncYaml.splice(YAML, "a", keys("s9", "{\"n\": \"{{row.name}}\"}\n"));
    assertThat(out)
        .contains(
            "# top comment",
            "# inline comment",
            "# about a",
            "# trailing comment",
            "schedule: every 15m   # kept: not managed by the editor",
            "    stream: s9\n",
            "    query: \"select id, name from customers\"",
            "    on: [added, changed]",
            "    message:\n      template: |\n        {\"n\": \"{{row.name}}\"}\n",
            "    partition_key: \"{{row.id}}\"",
            "  b:\n    source: model\n    table: other");
    assertThat(out).doesNotContain("table: customers").doesNotContain("stream: s1");
    assertThat(out.indexOf("partition_key")).isLessThan(out.indexOf("  b:"));
  }

  @Test
  void aNewSyncGoesAtTheEndOfTheSyncsSection() {
    String out = SyncYaml.splice(YAML, "c", keys("s3", "{}"));
    assertThat(out).contains("  c:\n    source: model\n");
    assertThat(out.indexOf("  c:"))
        .isGreaterThan(out.indexOf("  b:"))
        .isLessThan(out.indexOf("# trailing comment"));
    assertThat(out).startsWith("# top comment");
  }

  @Test
  void scalarsThatYamlWouldReadAsSomethingElseAreQuoted() {
    assertThat(SyncYaml.scalar("customers")).isEqualTo("customers");
    assertThat(SyncYaml.scalar("yes")).isEqualTo("\"yes\"");
    assertThat(SyncYaml.scalar("a: b # c")).isEqualTo("\"a: b # c\"");
    assertThat(SyncYaml.scalar("123")).isEqualTo("\"123\"");
  }
}
