package io.rowstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingTest {
  private static final String SECRET = "super-secret-value-123";

  private static LoggingEvent event(String message) {
    LoggerContext context = new LoggerContext();
    LoggingEvent e =
        new LoggingEvent(
            "x", context.getLogger("io.rowstream.run"), Level.WARN, message, null, null);
    e.setMDCPropertyMap(Map.of("sync", "customers", "run_id", "20261202T100000Z-abc"));
    return e;
  }

  @Test
  void jsonLinesCarryLevelLoggerMessageAndTheRunsIdsWithoutSecrets() throws Exception {
    Logging.Layout layout = new Logging.Layout(Logging.Format.JSON, () -> List.of(SECRET));
    String line = layout.doLayout(event("the server said: bad key " + SECRET));
    assertThat(line).endsWith(System.lineSeparator()).doesNotContain(SECRET);
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("level").asText()).isEqualTo("WARN");
    assertThat(json.path("logger").asText()).isEqualTo("io.rowstream.run");
    assertThat(json.path("message").asText()).isEqualTo("the server said: bad key ****");
    assertThat(json.path("sync").asText()).isEqualTo("customers");
    assertThat(json.path("run_id").asText()).isEqualTo("20261202T100000Z-abc");
    assertThat(json.path("ts").asText()).endsWith("Z");
  }

  @Test
  void textLinesAreOneLineEachWithoutSecrets() {
    Logging.Layout layout = new Logging.Layout(Logging.Format.TEXT, () -> List.of(SECRET));
    String line = layout.doLayout(event("token " + SECRET + " refused"));
    assertThat(line).contains("WARN  run - token **** refused").doesNotContain(SECRET);
    assertThat(line.lines()).hasSize(1);
  }
}
