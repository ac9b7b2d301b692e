package io.rowstream.template;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** The encoding filters: HTML escaping and stripping, URL encoding, base64. */
final class EncodingFilters {
  private EncodingFilters() {}

  static void register(Filters.Registrar r) {
    r.text("escape", EncodingFilters::escapeHtml);
    r.text("h", EncodingFilters::escapeHtml);
    r.text("escape_once", EncodingFilters::escapeOnce);
    r.text("strip_html", EncodingFilters::stripHtml);
    r.text("url_encode", EncodingFilters::urlEncode);
    r.text("url_decode", EncodingFilters::urlDecode);
    r.text(
        "base64_encode",
        s -> Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
    r.text(
        "base64_url_safe_encode",
        s -> Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
    r.text("base64_decode", s -> base64(s, Base64.getDecoder(), "base64_decode"));
    r.text(
        "base64_url_safe_decode", s -> base64(s, Base64.getUrlDecoder(), "base64_url_safe_decode"));
  }

  private static String escapeHtml(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      String rep;
      switch (ch) {
        case '&':
          rep = "&amp;";
          break;
        case '<':
          rep = "&lt;";
          break;
        case '>':
          rep = "&gt;";
          break;
        case '"':
          rep = "&quot;";
          break;
        case '\'':
          rep = "&#39;";
          break;
        default:
          rep = null;
      }
      if (rep != null) {
        if (out == null) {
          out = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        out.append(rep);
      } else if (out != null) {
        out.append(ch);
      }
    }
    return out == null ? s : out.toString();
  }

  private static String escapeOnce(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '&') {
        // an entity name is short: look no further than 32 characters (keeps the filter linear)
        int semi = -1;
        for (int j = i + 1, end = Math.min(s.length(), i + 33); j < end && semi < 0; j++) {
          semi = s.charAt(j) == ';' ? j : -1;
        }
        if (semi > i + 1 && isEntity(s.substring(i + 1, semi))) {
          out.append('&');
          continue;
        }
      }
      out.append(escapeHtml(String.valueOf(ch)));
    }
    return out.toString();
  }

  private static boolean isEntity(String name) {
    if (name.startsWith("#")) {
      return name.length() > 1 && name.substring(1).chars().allMatch(Character::isDigit)
          || name.length() > 2
              && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
              && name.substring(2).chars().allMatch(ch -> Character.digit(ch, 16) >= 0);
    }
    return !name.isEmpty() && name.chars().allMatch(ch -> ch < 128 && Character.isLetter(ch));
  }

  private static String stripHtml(String s) {
    String out = removeBetween(s, "<script", "</script>");
    out = removeBetween(out, "<style", "</style>");
    out = removeBetween(out, "<!--", "-->");
    StringBuilder b = new StringBuilder();
    int i = 0;
    boolean closing = true;
    while (i < out.length()) {
      char ch = out.charAt(i);
      if (ch == '<' && closing) {
        int close = out.indexOf('>', i);
        if (close > 0) {
          i = close + 1;
          continue;
        }
        closing = false; // no '>' after here: no later '<' closes either
      }
      b.append(ch);
      i++;
    }
    return b.toString();
  }

  private static String removeBetween(String s, String open, String close) {
    String lower = s.toLowerCase(Locale.ROOT);
    int at = lower.indexOf(open);
    if (at < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    int from = 0;
    while (at >= 0) {
      int end = lower.indexOf(close, at + open.length());
      if (end < 0) {
        break;
      }
      out.append(s, from, at);
      from = end + close.length();
      at = lower.indexOf(open, from);
    }
    return out.append(s, from, s.length()).toString();
  }

  private static String urlEncode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int ch = b & 0xff;
      if (ch >= 'a' && ch <= 'z'
          || ch >= 'A' && ch <= 'Z'
          || ch >= '0' && ch <= '9'
          || ch == '_'
          || ch == '.'
          || ch == '-'
          || ch == '~') {
        out.append((char) ch);
      } else if (ch == ' ') {
        out.append('+');
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(ch >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(ch & 15, 16)));
      }
    }
    return out.toString();
  }

  /** Ruby's CGI.unescape: + is a space, %XX a byte; a malformed % escape stays as it is. */
  private static String urlDecode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(s.length());
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b == '+') {
        bytes.write(' ');
      } else if (b == '%'
          && i + 2 < in.length
          && Character.digit(in[i + 1], 16) >= 0
          && Character.digit(in[i + 2], 16) >= 0) {
        bytes.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
        i += 2;
      } else {
        bytes.write(b);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String base64(String s, Base64.Decoder decoder, String filter) {
    try {
      return new String(decoder.decode(s), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new LiquidError(filter + ": " + Values.describe(s) + " is not valid base64");
    }
  }
}
