package io.rowstream.state;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Scrubs text before it is stored: the known secret values of the config, and anything shaped
 * like AWS credentials (a signature, a session token, a secret key), in case an error message
 * from a library quotes a request.
 */
public final class Redaction {
  private static final Pattern SIGNED = Pattern.compile(
      "(?i)(signature|x-amz-security-token|x-amz-signature|aws_secret_access_key|secret_?access_?key|session_?token"
          + "|sessiontoken|credential)([\"']?\\s*[=:]\\s*[\"']?)[^\\s,&\"';]+");
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("\\b((?:AKIA|ASIA)[A-Z0-9]{8,})([A-Z0-9]{4})\\b");
  private static final int MIN_SECRET_LENGTH = 4;

  private Redaction() {}

  public static String scrub(String text, Collection<String> secrets) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
        out = out.replace(secret, "****");
      }
    }
    out = SIGNED.matcher(out).replaceAll("$1$2****");
    return ACCESS_KEY_ID.matcher(out).replaceAll("****$2");
  }
}
