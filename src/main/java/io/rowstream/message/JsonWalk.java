package io.rowstream.message;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.rowstream.core.Json;
import io.rowstream.core.Rejection;
import io.rowstream.core.Surrogates;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Walks one JSON value token by token and enforces the encoding rules every message mode shares: no
 * object repeats a key (else {@link Rejection#INVALID_JSON}), no text holds a lone UTF-16 surrogate
 * (else {@link Rejection#INVALID_TEXT}). Optionally copies the value exactly (numbers as written)
 * to a generator.
 */
final class JsonWalk {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private JsonWalk() {}

  /**
   * A broken rule: the reason code, what broke it (e.g. {@code repeats the key "a"}), the JSON path
   * of the place ({@code $.x[2]}) and where its token starts in the parsed text.
   */
  record Fault(String reason, String what, String path, JsonLocation location) {
    /** "what at PATH (line L, column C)", for texts a user can open. */
    String atLineAndColumn() {
      return what
          + " at "
          + path
          + " (line "
          + location.getLineNr()
          + ", column "
          + location.getColumnNr()
          + ")";
    }

    /** "what at PATH (character N of the value)", for values re-encoded from the database. */
    String atOffset(long valueStart) {
      return what
          + " at "
          + path
          + " (character "
          + (location.getCharOffset() - valueStart + 1)
          + " of the value)";
    }
  }

  /** A parser for text that may break the rules: no source text in its locations. */
  static JsonParser parser(String text) throws IOException {
    JsonParser parser = Json.EXACT.getFactory().createParser(text);
    parser.configure(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature(), false);
    return parser;
  }

  /**
   * Walks the value starting at the parser's current token to its end, leaving the parser on its
   * last token. Returns the first broken rule, or null when the value keeps them all.
   *
   * @param out where to copy the value, or null to only check it
   */
  static Fault walk(JsonParser p, JsonGenerator out) throws IOException {
    Deque<Frame> stack = new ArrayDeque<>();
    Fault fault = null;
    JsonToken t = p.currentToken();
    while (true) {
      Frame top = stack.peek();
      if (top != null && top.keys == null && t != JsonToken.END_ARRAY) {
        top.index++; // a new element of the array begins
      }
      switch (t) {
        case START_OBJECT -> stack.push(new Frame(new HashSet<>()));
        case START_ARRAY -> stack.push(new Frame(null));
        case END_OBJECT, END_ARRAY -> stack.pop();
        case FIELD_NAME -> {
          String name = p.currentName();
          int lone = Surrogates.findLone(name);
          if (fault == null && lone >= 0) {
            fault =
                new Fault(
                    Rejection.INVALID_TEXT,
                    "a key holds a lone UTF-16 surrogate ("
                        + Surrogates.escape(name.charAt(lone))
                        + ")",
                    path(stack, false),
                    p.currentTokenLocation());
          }
          if (!top.keys.add(name) && fault == null) {
            fault =
                new Fault(
                    Rejection.INVALID_JSON,
                    "an object repeats the key \"" + name + "\"",
                    path(stack, false),
                    p.currentTokenLocation());
          }
          top.field = name;
        }
        case VALUE_STRING -> {
          if (fault == null) {
            String text = p.getText();
            int lone = Surrogates.findLone(text);
            if (lone >= 0) {
              fault =
                  new Fault(
                      Rejection.INVALID_TEXT,
                      "a text holds a lone UTF-16 surrogate ("
                          + Surrogates.escape(text.charAt(lone))
                          + ")",
                      path(stack, true),
                      p.currentTokenLocation());
            }
          }
        }
        default -> {}
      }
      if (out != null && fault == null) {
        if (t.isNumeric() && p.getText().startsWith("-") && isZero(p)) {
          out.writeNumber(p.getText()); // -0.0: as a BigDecimal it would lose its sign
        } else {
          out.copyCurrentEventExact(p);
        }
      }
      if (stack.isEmpty()) {
        return fault;
      }
      t = p.nextToken();
      if (t == null) {
        throw new JsonEOFException(p, null, "the JSON text ends inside a value");
      }
    }
  }

  private static boolean isZero(JsonParser p) throws IOException {
    return p.currentToken() == JsonToken.VALUE_NUMBER_INT
        ? p.getBigIntegerValue().signum() == 0
        : p.getDecimalValue().signum() == 0;
  }

  /**
   * The parser's own words for a syntax error, its first line, without the source and location it
   * appends (the caller names the position).
   */
  static String describe(JsonProcessingException e) {
    String message =
        e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
    int source = message.indexOf("[Source:");
    if (source >= 0) {
      int open = message.lastIndexOf(" (", source);
      message = message.substring(0, open >= 0 ? open : source).strip();
    }
    return message.isEmpty() ? "malformed JSON" : message;
  }

  /** The path of the current value ({@code atValue}) or of the object holding the current key. */
  private static String path(Deque<Frame> stack, boolean atValue) {
    StringBuilder path = new StringBuilder("$");
    for (Iterator<Frame> it = stack.descendingIterator(); it.hasNext(); ) {
      Frame f = it.next();
      if (f.keys == null) {
        if (f.index >= 0) {
          path.append('[').append(f.index).append(']');
        }
      } else if (f.field != null && (atValue || it.hasNext())) {
        path.append(
            IDENTIFIER.matcher(f.field).matches() ? "." + f.field : "[\"" + f.field + "\"]");
      }
    }
    return path.toString();
  }

  /** The object or array being walked: its keys so far (null for an array) and position. */
  private static final class Frame {
    final Set<String> keys;
    String field;
    int index = -1;

    Frame(Set<String> keys) {
      this.keys = keys;
    }
  }
}
