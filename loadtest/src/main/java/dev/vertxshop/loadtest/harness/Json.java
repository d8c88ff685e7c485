package dev.vertxshop.loadtest.harness;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal streaming JSON writer for {@code summary.json}, and a reader for what the orchestrators'
 * tools print ({@code kubectl -o json}, {@code nomad ... -json}): the harness depends on nothing but the JDK.
 */
final class Json {

  private final StringBuilder out = new StringBuilder();
  /** Per open container: whether it already holds an element. */
  private final Deque<boolean[]> stack = new ArrayDeque<>();
  private boolean afterKey;

  Json open() {
    element();
    out.append('{');
    stack.push(new boolean[1]);
    return this;
  }

  Json close() {
    stack.pop();
    out.append('}');
    return this;
  }

  Json openArray() {
    element();
    out.append('[');
    stack.push(new boolean[1]);
    return this;
  }

  Json closeArray() {
    stack.pop();
    out.append(']');
    return this;
  }

  Json key(String name) {
    element();
    string(name);
    out.append(':');
    afterKey = true;
    return this;
  }

  Json field(String name, Object value) {
    return key(name).value(value);
  }

  Json value(Object value) {
    if (value instanceof Map<?, ?> map) {
      open();
      map.forEach((k, v) -> field(String.valueOf(k), v));
      return close();
    }
    element();
    if (value == null) {
      out.append("null");
    } else if (value instanceof Double d) {
      out.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", d).replaceAll("\\.?0+$", ""));
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      string(String.valueOf(value));
    }
    return this;
  }

  /** Writes the comma before an element, unless it follows its key or opens a container. */
  private void element() {
    if (afterKey) {
      afterKey = false;
      return;
    }
    if (!stack.isEmpty()) {
      boolean[] hasElement = stack.peek();
      if (hasElement[0]) {
        out.append(',');
      }
      hasElement[0] = true;
    }
  }

  private void string(String text) {
    out.append('"');
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString() + "\n";
  }

  // ---------------------------------------------------------------- reading

  /** JSON text into maps (insertion order), lists, strings, doubles, booleans and nulls. */
  static Object parse(String text) {
    int[] at = {0};
    Object value = read(text, at);
    skipWhitespace(text, at);
    if (at[0] != text.length()) {
      throw new IllegalArgumentException("JSON: unexpected text at " + at[0]);
    }
    return value;
  }

  private static Object read(String text, int[] at) {
    skipWhitespace(text, at);
    if (at[0] >= text.length()) {
      throw new IllegalArgumentException("JSON: unexpected end");
    }
    char c = text.charAt(at[0]);
    switch (c) {
      case '{' -> {
        at[0]++;
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        skipWhitespace(text, at);
        if (text.charAt(at[0]) == '}') {
          at[0]++;
          return map;
        }
        while (true) {
          skipWhitespace(text, at);
          String key = readString(text, at);
          skipWhitespace(text, at);
          expect(text, at, ':');
          map.put(key, read(text, at));
          skipWhitespace(text, at);
          if (text.charAt(at[0]) == ',') {
            at[0]++;
          } else {
            expect(text, at, '}');
            return map;
          }
        }
      }
      case '[' -> {
        at[0]++;
        java.util.List<Object> list = new java.util.ArrayList<>();
        skipWhitespace(text, at);
        if (text.charAt(at[0]) == ']') {
          at[0]++;
          return list;
        }
        while (true) {
          list.add(read(text, at));
          skipWhitespace(text, at);
          if (text.charAt(at[0]) == ',') {
            at[0]++;
          } else {
            expect(text, at, ']');
            return list;
          }
        }
      }
      case '"' -> {
        return readString(text, at);
      }
      default -> {
        int start = at[0];
        while (at[0] < text.length() && "{}[],: \t\r\n".indexOf(text.charAt(at[0])) < 0) {
          at[0]++;
        }
        String word = text.substring(start, at[0]);
        return switch (word) {
          case "true" -> Boolean.TRUE;
          case "false" -> Boolean.FALSE;
          case "null" -> null;
          default -> {
            try {
              yield Double.valueOf(word);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("JSON: not a value: " + word);
            }
          }
        };
      }
    }
  }

  private static String readString(String text, int[] at) {
    expect(text, at, '"');
    StringBuilder value = new StringBuilder();
    while (true) {
      char c = text.charAt(at[0]++);
      if (c == '"') {
        return value.toString();
      }
      if (c == '\\') {
        char e = text.charAt(at[0]++);
        switch (e) {
          case 'n' -> value.append('\n');
          case 't' -> value.append('\t');
          case 'r' -> value.append('\r');
          case 'b' -> value.append('\b');
          case 'f' -> value.append('\f');
          case 'u' -> {
            value.append((char) Integer.parseInt(text.substring(at[0], at[0] + 4), 16));
            at[0] += 4;
          }
          default -> value.append(e);
        }
      } else {
        value.append(c);
      }
    }
  }

  private static void expect(String text, int[] at, char c) {
    if (at[0] >= text.length() || text.charAt(at[0]) != c) {
      throw new IllegalArgumentException("JSON: expected '" + c + "' at " + at[0]);
    }
    at[0]++;
  }

  private static void skipWhitespace(String text, int[] at) {
    while (at[0] < text.length() && Character.isWhitespace(text.charAt(at[0]))) {
      at[0]++;
    }
  }
}
