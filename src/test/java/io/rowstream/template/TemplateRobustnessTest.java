package io.rowstream.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Broken templates fail with a TemplateSyntaxException or TemplateRenderException, never with
 * another exception: every prefix of every golden-liquid template is compiled and rendered.
 */
class TemplateRobustnessTest {
  @Test
  void everyPrefixOfEveryGoldenTemplateCompilesOrFailsWithATemplateError() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode root;
    try (InputStream in = getClass().getResourceAsStream("/golden-liquid/golden_liquid.json")) {
      root = mapper.readTree(in);
    }
    List<String> crashes = new ArrayList<>();
    int tried = 0;
    for (JsonNode c : root.get("tests")) {
      String source = c.get("template").asText();
      @SuppressWarnings("unchecked")
      Map<String, Object> data =
          c.has("data") ? mapper.convertValue(c.get("data"), Map.class) : Map.of();
      for (int end = 0; end <= source.length(); end++) {
        String prefix = source.substring(0, end);
        for (TemplateOptions options : List.of(TemplateOptions.text(), TemplateOptions.json())) {
          tried++;
          try {
            Template.compile(prefix, options).render(data);
          } catch (TemplateSyntaxException | TemplateRenderException expected) {
            // a clear template error is the right outcome for a broken template
          } catch (RuntimeException e) {
            crashes.add(e + " for " + prefix);
          }
        }
      }
    }
    assertThat(tried).isGreaterThan(50_000);
    assertThat(crashes).isEmpty();
  }
}
