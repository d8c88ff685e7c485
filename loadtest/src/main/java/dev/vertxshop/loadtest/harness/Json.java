package dev.vertxshop.loadtest.harness;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;

/** A minimal streaming JSON writer for {@code summary.json} (the harness depends on nothing but the JDK). */
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
}
