package io.rowstream.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The routes the server registers, the OpenAPI document it serves and the README's "### REST API"
 * table name the same endpoints (method and path; path parameters by place, not by name).
 */
class ReadmeRestApiTest {
  private static final Pattern ROW =
      Pattern.compile("(?m)^\\| `(GET|POST|PUT|PATCH|DELETE) (/[^`?]*)(\\?[^`]*)?` \\|");

  /** {@code GET /api/v1/runs/{}}: a path parameter's name does not matter. */
  private static String endpoint(String method, String path) {
    return method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("\\{[^}]*}", "{}");
  }

  private static Set<String> registered() {
    Set<String> routes = new TreeSet<>();
    Javalin app =
        Javalin.create(
            config ->
                config.events.handlerAdded(
                    h -> {
                      if (h.getHttpMethod().isHttpMethod()) {
                        routes.add(endpoint(h.getHttpMethod().name(), h.getPath()));
                      }
                    }));
    new Routes(null, null).register(app);
    return routes;
  }

  private static Set<String> openApi() throws IOException {
    JsonNode doc = new ObjectMapper().readTree(HttpApi.resource("openapi.json"));
    Set<String> endpoints = new TreeSet<>();
    Iterator<String> paths = doc.path("paths").fieldNames();
    while (paths.hasNext()) {
      String path = paths.next();
      doc.path("paths")
          .path(path)
          .fieldNames()
          .forEachRemaining(m -> endpoints.add(endpoint(m, path)));
    }
    return endpoints;
  }

  private static Set<String> readme() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String section = readme.substring(readme.indexOf("\n### REST API\n"));
    section = section.substring(0, section.indexOf("\n### ", 1));
    Set<String> endpoints = new TreeSet<>();
    Matcher m = ROW.matcher(section);
    while (m.find()) {
      endpoints.add(endpoint(m.group(1), m.group(2)));
    }
    return endpoints;
  }

  @Test
  void theOpenApiDocumentDescribesExactlyTheRegisteredRoutes() throws IOException {
    Set<String> registered = registered();

    assertThat(registered).contains("GET /healthz", "POST /api/v1/syncs/{}/runs");
    assertThat(openApi()).isEqualTo(registered);
  }

  @Test
  void theReadmeTableListsExactlyTheRegisteredRoutes() throws IOException {
    assertThat(readme()).isEqualTo(registered());
  }
}
