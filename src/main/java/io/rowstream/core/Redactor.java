package io.rowstream.core;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrubs secrets from text by value: every configured secret (passwords, secret keys, session
 * tokens, external ids, tokens), as written and as JSON, URL and XML would escape it, plus the user
 * info of any URL ({@code jdbc:mysql://user:pass@host}), password-like URL parameters and anything
 * shaped like AWS credentials. Whatever a server or a driver echoes back, text is put through
 * {@link #scrub} before it is printed, stored, logged or served.
 *
 * <p>Immutable and thread-safe; build one per config with {@link #of}.
 */
public final class Redactor {
  /** What a secret is replaced with. */
  public static final String MASK = "****";

  /**
   * Scrubs only by shape (URL user info, AWS credentials), for text seen before a config is read.
   */
  public static final Redactor SHAPES_ONLY = new Redactor(List.of());

  /** Shorter values are not scrubbed by value: they would mangle ordinary words. */
  static final int MIN_SECRET_LENGTH = 4;

  // scheme://user:password@host -> scheme://user:****@host; scheme://token@host ->
  // scheme://****@host
  private static final Pattern URL_PASSWORD =
      Pattern.compile("(//[^/\\s@:?#\"'<>]*):[^/\\s@?#\"'<>]*@");
  private static final Pattern URL_TOKEN = Pattern.compile("(?<=//)[^/\\s@:?#\"'<>]+@(?=[^\\s@])");
  private static final Pattern URL_PARAMETER =
      Pattern.compile(
          "(?i)([?&;](?:password|passwd|pwd|secret|token|api_?key|access_?token|sessiontoken|sslpassword)=)[^&;\\s#\"'<>]*");
  private static final Pattern SIGNED =
      Pattern.compile(
          "(?i)(signature|x-amz-security-token|x-amz-signature|aws_secret_access_key|secret_?access_?key|session_?token"
              + "|sessiontoken|credential)([\"']?\\s*[=:]\\s*[\"']?)[^\\s,&\"';<]+");
  private static final Pattern ACCESS_KEY_ID =
      Pattern.compile("\\b((?:AKIA|ASIA)[A-Z0-9]{8,})([A-Z0-9]{4})\\b");

  private final List<String> needles;

  private Redactor(List<String> needles) {
    this.needles = needles;
  }

  /** A redactor of {@code secrets} (nulls and values shorter than 4 characters are ignored). */
  public static Redactor of(Collection<String> secrets) {
    Set<String> needles = new LinkedHashSet<>();
    for (String secret : secrets) {
      if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
        needles.add(secret);
        needles.add(new String(JsonStringEncoder.getInstance().quoteAsString(secret)));
        needles.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        needles.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
        needles.add(
            secret
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&apos;"));
      }
    }
    List<String> sorted = new ArrayList<>(needles);
    sorted.sort(
        Comparator.comparingInt(String::length)
            .reversed()); // the longest first: one may hold another
    return new Redactor(List.copyOf(sorted));
  }

  /** This redactor and {@code more} secrets. */
  public Redactor with(Collection<String> more) {
    List<String> all = new ArrayList<>(needles);
    all.addAll(more);
    return of(all);
  }

  /** {@code text} without any secret; null stays null. */
  public String scrub(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String needle : needles) {
      if (out.contains(needle)) {
        out = out.replace(needle, MASK);
      }
    }
    if (out.indexOf("//") >= 0) {
      out = URL_PASSWORD.matcher(out).replaceAll("$1:" + MASK + "@");
      out = URL_TOKEN.matcher(out).replaceAll(MASK + "@");
    }
    // each shape is looked for only where it can be: a plain search is far cheaper than a regex,
    // and record data (scrubbed for the run history) is mostly text that holds none of them
    if (out.indexOf('=') >= 0) {
      out = URL_PARAMETER.matcher(out).replaceAll("$1" + MASK);
    }
    if (mayBeSigned(out)) {
      out = SIGNED.matcher(out).replaceAll("$1$2" + MASK);
    }
    if (out.contains("AKIA") || out.contains("ASIA")) {
      out = ACCESS_KEY_ID.matcher(out).replaceAll(MASK + "$2");
    }
    return out;
  }

  /** Whether {@link #SIGNED} may match: each of its names holds one of these words. */
  private static boolean mayBeSigned(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.contains("signature")
        || lower.contains("token")
        || lower.contains("secret")
        || lower.contains("credential");
  }

  /**
   * The secrets a URL holds: the password of its user info ({@code user:password@}, or a lone token
   * {@code token@}) and the values of password-like parameters; so a config can add them to its
   * secret values, and a driver that quotes them without the URL is scrubbed too.
   */
  public static List<String> secretsOf(String url) {
    List<String> found = new ArrayList<>();
    if (url == null) {
      return found;
    }
    Matcher password = URL_PASSWORD.matcher(url);
    if (password.find()) {
      String userInfo = url.substring(password.start() + 2, password.end() - 1);
      found.add(userInfo.substring(userInfo.indexOf(':') + 1));
    } else {
      Matcher token = URL_TOKEN.matcher(url);
      if (token.find()) {
        found.add(url.substring(token.start(), token.end() - 1));
      }
    }
    Matcher parameter = URL_PARAMETER.matcher(url);
    while (parameter.find()) {
      found.add(url.substring(parameter.end(1), parameter.end()));
    }
    found.removeIf(String::isEmpty);
    return found;
  }
}
