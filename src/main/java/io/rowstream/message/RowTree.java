package io.rowstream.message;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.core.Json;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Reads a row's JSON for templates: decimals exact, as {@link Json#EXACT} reads them, except a
 * negative zero ({@code -0.0}), which an exact decimal cannot hold: it stays the double -0.0, so
 * {@code {{ row.d | json }}} writes {@code -0.0} as the every-column mode does.
 */
final class RowTree {
  private static final ObjectMapper JSON = Json.EXACT;
  private static final JsonNodeFactory NODES = JSON.getNodeFactory();

  private RowTree() {}

  static JsonNode read(String row) throws IOException {
    if (!hasNegativeZero(row)) {
      return JSON.readTree(row);
    }
    try (JsonParser p = JSON.getFactory().createParser(row)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return JSON.readTree(row);
      }
      JsonNode node = value(p);
      if (p.nextToken() != null) {
        return JSON.readTree(row); // let Jackson report what follows
      }
      return node;
    }
  }

  /** Whether the text may hold a float that is -0 ({@code -0.}, {@code -0e}); false is certain. */
  static boolean hasNegativeZero(String s) {
    int at = s.indexOf("-0");
    while (at >= 0) {
      char next = at + 2 < s.length() ? s.charAt(at + 2) : ' ';
      if (next == '.' || next == 'e' || next == 'E') {
        return true;
      }
      at = s.indexOf("-0", at + 2);
    }
    return false;
  }

  private static JsonNode value(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT:
        {
          ObjectNode o = NODES.objectNode();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            o.set(name, value(p));
          }
          return o;
        }
      case START_ARRAY:
        {
          ArrayNode a = NODES.arrayNode();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            a.add(value(p));
          }
          return a;
        }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? NODES.numberNode(p.getBigIntegerValue())
            : NODES.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        {
          BigDecimal d = p.getDecimalValue();
          if (d.signum() == 0 && p.getText().startsWith("-")) {
            return DoubleNode.valueOf(-0.0);
          }
          return NODES.numberNode(d);
        }
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new IOException("unexpected " + p.currentToken() + " in the row");
    }
  }
}
