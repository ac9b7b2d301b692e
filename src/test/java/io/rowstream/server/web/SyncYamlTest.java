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

  private static final String WITH_MESSAGE_COMMENTS =
      """
      syncs:
        a:
          source: model
          table: customers
          primary_key: id
          destination: k
          stream: s1
          message:   # how each record looks
            # the fields consumers read
            columns:
              customer_id: id   # renamed for the CRM
              # the address we mail
              email: email
          partition_key: "{{row.id}}"   # one shard per customer
      """;

  private static Map<String, Object> mapped(Map<String, String> columns) {
    Map<String, Object> keys = keys("s1", "");
    keys.put("table", "customers");
    keys.put("query", null);
    keys.put("on", null);
    keys.put("message", Map.of("columns", columns));
    return keys;
  }

  @Test
  void commentsInsideTheMessageStayWhenItsFieldsChange() {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("customer_id", "id");
    columns.put("email", "email");
    columns.put("name", "full_name");
    String out = SyncYaml.splice(WITH_MESSAGE_COMMENTS, "a", mapped(columns));
    assertThat(out)
        .contains(
            "    message:   # how each record looks\n",
            "      # the fields consumers read\n",
            "        customer_id: id   # renamed for the CRM\n",
            "        # the address we mail\n        email: email\n",
            "        name: full_name\n",
            "    partition_key: \"{{row.id}}\"   # one shard per customer");
    assertThat(out.indexOf("name: full_name")).isLessThan(out.indexOf("partition_key"));
  }

  @Test
  void aChangedFieldIsReplacedWhereItStandsAndARemovedOneGoes() {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("customer_id", "customer_key");
    String out = SyncYaml.splice(WITH_MESSAGE_COMMENTS, "a", mapped(columns));
    assertThat(out)
        .contains(
            "    message:   # how each record looks\n      # the fields consumers read\n"
                + "      columns:\n        customer_id: customer_key\n")
        .doesNotContain("email: email");
  }

  @Test
  void switchingTheMessageToATemplateKeepsTheCommentsAroundIt() {
    Map<String, Object> keys = mapped(Map.of());
    keys.put("message", Map.of("template", "{\"id\": {{row.id}}}"));
    String out = SyncYaml.splice(WITH_MESSAGE_COMMENTS, "a", keys);
    assertThat(out)
        .contains(
            "    message:   # how each record looks\n",
            "      # the fields consumers read\n",
            "      template: \"{\\\"id\\\": {{row.id}}}\"")
        .doesNotContain("columns:")
        .doesNotContain("customer_id");
  }
}
