package io.rowstream.server.web;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the Mustache templates beside this class. Mustache escapes every {@code {{value}}} for
 * HTML, so a row value such as {@code <script>} shows as text; no template uses the unescaped form.
 * Every page is also scrubbed of the config's secret values, whatever put them there.
 */
final class Pages {
  private static final String ROOT = "io/rowstream/server/web/";

  /** Tells the API's 404 handler that the page wrote its own answer. */
  private static final String ERROR_WRITTEN = "rowstream.error-written";

  private final MustacheFactory mustache = new DefaultMustacheFactory(ROOT + "templates");

  String render(String template, Map<String, Object> scope) {
    StringWriter out = new StringWriter();
    mustache.compile(template + ".mustache").execute(out, scope);
    return out.toString();
  }

  void html(
      Context ctx, int status, String template, Map<String, Object> scope, List<String> secrets) {
    if (status >= 400) {
      ctx.attribute(ERROR_WRITTEN, true);
    }
    ctx.status(status)
        .contentType("text/html; charset=utf-8")
        .header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                + "frame-ancestors 'none'; form-action 'self'")
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "same-origin")
        .header("Cache-Control", "no-store")
        .result(scrub(render(template, scope), secrets));
  }

  static String scrub(String text, List<String> secrets) {
    String out = text;
    for (String secret : secrets) {
      if (secret.length() >= 4 && out.contains(secret)) {
        out = out.replace(secret, "****");
      }
    }
    return out;
  }

  static byte[] asset(String name) {
    try (InputStream in =
        Pages.class.getClassLoader().getResourceAsStream(ROOT + "static/" + name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A small ordered map for template scopes: {@code scope("a", 1, "b", 2)}. */
  static Map<String, Object> scope(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }
}
