package dev.vertxshop.loadtest.harness;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of YAML the deployment specs use, read into maps, lists and strings: block mappings and
 * sequences (compact ones too, as kustomize writes them), flow collections on one line, quoted and
 * plain scalars, block scalars, comments, several documents, anchors, aliases and merge keys
 * ({@code <<: *service}, as the Compose file uses). The harness only reads what the specs declare
 * (limits, JVM flags, replicas); it depends on nothing but the JDK, hence this reader.
 */
final class Yaml {

  private final List<String> lines = new ArrayList<>();
  private final Map<String, Object> anchors = new HashMap<>();
  private int pos;

  private Yaml(List<String> lines) {
    this.lines.addAll(lines);
  }

  /** Every document of {@code text}, in order (empty documents left out). */
  static List<Object> parseAll(String text) {
    List<Object> documents = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : text.replace("\r", "").split("\n", -1)) {
      if (line.equals("---") || line.startsWith("--- ") || line.equals("...")) {
        addDocument(documents, current);
        current = new ArrayList<>();
      } else {
        current.add(line);
      }
    }
    addDocument(documents, current);
    return documents;
  }

  static Object parse(String text) {
    List<Object> documents = parseAll(text);
    return documents.isEmpty() ? null : documents.get(0);
  }

  private static void addDocument(List<Object> documents, List<String> lines) {
    Yaml yaml = new Yaml(lines);
    yaml.skipBlank();
    if (yaml.pos < yaml.lines.size()) {
      documents.add(yaml.node(yaml.indent(yaml.pos)));
    }
  }

  // ---------------------------------------------------------------- blocks

  private Object node(int indent) {
    skipBlank();
    if (pos >= lines.size()) {
      return null;
    }
    String content = content(pos);
    return isItem(content) ? sequence(indent(pos)) : mapping(indent(pos));
  }

  private Map<String, Object> mapping(int indent) {
    Map<String, Object> map = new LinkedHashMap<>();
    List<Object> merges = new ArrayList<>();
    while (true) {
      skipBlank();
      if (pos >= lines.size() || indent(pos) != indent || isItem(content(pos))) {
        break;
      }
      String content = content(pos);
      int colon = keyEnd(content);
      if (colon < 0) {
        throw new IllegalArgumentException("line " + (pos + 1) + ": expected 'key: value', got: " + content);
      }
      String key = unquote(content.substring(0, colon).trim());
      String rest = content.substring(colon + 1).trim();
      pos++;
      Object value = value(rest, indent);
      if (key.equals("<<")) {
        merges.add(value);
      } else {
        map.put(key, value);
      }
    }
    if (merges.isEmpty()) {
      return map;
    }
    // Explicit keys win over merged ones; of several merged maps, the first one listed wins.
    Map<String, Object> merged = new LinkedHashMap<>();
    List<Object> sources = new ArrayList<>();
    for (Object merge : merges) {
      if (merge instanceof List<?> list) {
        sources.addAll(list);
      } else {
        sources.add(merge);
      }
    }
    for (int i = sources.size() - 1; i >= 0; i--) {
      if (sources.get(i) instanceof Map<?, ?> source) {
        source.forEach((k, v) -> merged.put(String.valueOf(k), v));
      }
    }
    merged.putAll(map);
    return merged;
  }

  private List<Object> sequence(int indent) {
    List<Object> list = new ArrayList<>();
    while (true) {
      skipBlank();
      if (pos >= lines.size() || indent(pos) != indent || !isItem(content(pos))) {
        break;
      }
      String content = content(pos);
      String rest = content.length() <= 1 ? "" : content.substring(2).trim();
      if (rest.isEmpty()) {
        pos++;
        list.add(deeper(indent));
      } else if (keyEnd(anchorless(rest)) >= 0 && !rest.startsWith("[") && !rest.startsWith("{") && !rest.startsWith("\"")
          && !rest.startsWith("'")) {
        // "- key: value": a mapping whose first key sits two columns right of the dash.
        int offset = indent + 2 + (content.substring(2).length() - content.substring(2).stripLeading().length());
        String anchor = null;
        if (rest.startsWith("&")) {
          anchor = rest.substring(1, rest.indexOf(' '));
          rest = rest.substring(rest.indexOf(' ') + 1).trim();
          offset += anchor.length() + 2;
        }
        lines.set(pos, " ".repeat(offset) + rest);
        Map<String, Object> item = mapping(offset);
        if (anchor != null) {
          anchors.put(anchor, item);
        }
        list.add(item);
      } else {
        pos++;
        list.add(value(rest, indent));
      }
    }
    return list;
  }

  /** The value after "key:" or "- ": inline, a block scalar, or a block on the following lines. */
  private Object value(String rest, int indent) {
    String anchor = null;
    if (rest.startsWith("&")) {
      int space = rest.indexOf(' ');
      anchor = space < 0 ? rest.substring(1) : rest.substring(1, space);
      rest = space < 0 ? "" : rest.substring(space + 1).trim();
    }
    Object value;
    if (rest.isEmpty()) {
      value = deeper(indent);
    } else if (rest.startsWith("|") || rest.startsWith(">")) {
      value = blockScalar(rest, indent);
    } else {
      value = inline(rest);
    }
    if (anchor != null) {
      anchors.put(anchor, value);
    }
    return value;
  }

  /** What follows a key with no inline value: a deeper block, a compact sequence at the same indent, or null. */
  private Object deeper(int indent) {
    skipBlank();
    if (pos >= lines.size()) {
      return null;
    }
    int next = indent(pos);
    if (next > indent) {
      return node(next);
    }
    if (next == indent && isItem(content(pos))) {
      return sequence(indent);
    }
    return null;
  }

  private String blockScalar(String header, int indent) {
    boolean folded = header.startsWith(">");
    boolean strip = header.contains("-");
    List<String> body = new ArrayList<>();
    int blockIndent = -1;
    while (pos < lines.size()) {
      String line = lines.get(pos);
      if (line.isBlank()) {
        body.add("");
        pos++;
        continue;
      }
      int lineIndent = line.length() - line.stripLeading().length();
      if (lineIndent <= indent) {
        break;
      }
      if (blockIndent < 0) {
        blockIndent = lineIndent;
      }
      body.add(line.substring(Math.min(blockIndent, lineIndent)));
      pos++;
    }
    while (!body.isEmpty() && body.get(body.size() - 1).isEmpty()) {
      body.remove(body.size() - 1);
    }
    String text = String.join(folded ? " " : "\n", body);
    return strip ? text : text + "\n";
  }

  // ---------------------------------------------------------------- inline values

  private Object inline(String text) {
    int[] at = {0};
    Object value = flow(text, at);
    return value;
  }

  private Object flow(String text, int[] at) {
    skipSpaces(text, at);
    if (at[0] >= text.length()) {
      return null;
    }
    char c = text.charAt(at[0]);
    if (c == '[') {
      at[0]++;
      List<Object> list = new ArrayList<>();
      while (true) {
        skipSpaces(text, at);
        if (at[0] >= text.length()) {
          throw new IllegalArgumentException("unterminated [ in: " + text);
        }
        if (text.charAt(at[0]) == ']') {
          at[0]++;
          return list;
        }
        list.add(flow(text, at));
        skipSpaces(text, at);
        if (at[0] < text.length() && text.charAt(at[0]) == ',') {
          at[0]++;
        }
      }
    }
    if (c == '{') {
      at[0]++;
      Map<String, Object> map = new LinkedHashMap<>();
      while (true) {
        skipSpaces(text, at);
        if (at[0] >= text.length()) {
          throw new IllegalArgumentException("unterminated { in: " + text);
        }
        if (text.charAt(at[0]) == '}') {
          at[0]++;
          return map;
        }
        String key = String.valueOf(scalar(text, at, true));
        skipSpaces(text, at);
        Object value = null;
        if (at[0] < text.length() && text.charAt(at[0]) == ':') {
          at[0]++;
          value = flow(text, at);
        }
        map.put(key, value);
        skipSpaces(text, at);
        if (at[0] < text.length() && text.charAt(at[0]) == ',') {
          at[0]++;
        }
      }
    }
    if (c == '*') {
      int start = ++at[0];
      while (at[0] < text.length() && ",]} ".indexOf(text.charAt(at[0])) < 0) {
        at[0]++;
      }
      String name = text.substring(start, at[0]);
      if (!anchors.containsKey(name)) {
        throw new IllegalArgumentException("unknown alias *" + name);
      }
      return anchors.get(name);
    }
    return scalar(text, at, false);
  }

  /** A quoted or plain scalar; inside a flow collection, a plain one ends at , ] } (and : for a key). */
  private static Object scalar(String text, int[] at, boolean key) {
    char c = text.charAt(at[0]);
    if (c == '"') {
      StringBuilder value = new StringBuilder();
      int i = at[0] + 1;
      for (; i < text.length() && text.charAt(i) != '"'; i++) {
        char d = text.charAt(i);
        if (d == '\\' && i + 1 < text.length()) {
          char e = text.charAt(++i);
          value.append(switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            default -> e;
          });
        } else {
          value.append(d);
        }
      }
      at[0] = i + 1;
      return value.toString();
    }
    if (c == '\'') {
      StringBuilder value = new StringBuilder();
      int i = at[0] + 1;
      while (i < text.length()) {
        char d = text.charAt(i);
        if (d == '\'') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
            value.append('\'');
            i += 2;
            continue;
          }
          break;
        }
        value.append(d);
        i++;
      }
      at[0] = i + 1;
      return value.toString();
    }
    int start = at[0];
    boolean inFlow = false;
    // A plain scalar at the top of a value runs to the end of the line; inside [ ] or { } it stops at a delimiter.
    for (int i = 0; i < start; i++) {
      if (text.charAt(i) == '[' || text.charAt(i) == '{') {
        inFlow = true;
        break;
      }
    }
    int i = start;
    while (i < text.length()) {
      char d = text.charAt(i);
      if (inFlow && (d == ',' || d == ']' || d == '}')) {
        break;
      }
      if (key && d == ':') {
        break;
      }
      i++;
    }
    at[0] = i;
    String plain = text.substring(start, i).trim();
    return plain.equals("~") || plain.equals("null") ? null : plain;
  }

  // ---------------------------------------------------------------- lines

  private void skipBlank() {
    while (pos < lines.size()) {
      String stripped = lines.get(pos).strip();
      if (!stripped.isEmpty() && !stripped.startsWith("#")) {
        return;
      }
      pos++;
    }
  }

  private int indent(int line) {
    String text = lines.get(line);
    return text.length() - text.stripLeading().length();
  }

  /** The line without its indentation and its trailing comment. */
  private String content(int line) {
    return stripComment(lines.get(line).strip());
  }

  private static boolean isItem(String content) {
    return content.equals("-") || content.startsWith("- ");
  }

  private static String anchorless(String text) {
    if (text.startsWith("&")) {
      int space = text.indexOf(' ');
      return space < 0 ? "" : text.substring(space + 1).trim();
    }
    return text;
  }

  /** The colon that ends a mapping key ("key:" at the end or "key: value"), outside quotes; -1 when none. */
  private static int keyEnd(String content) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single) {
        dbl = !dbl;
      } else if (c == ':' && !single && !dbl && (i + 1 == content.length() || content.charAt(i + 1) == ' ')) {
        return i;
      } else if ((c == '[' || c == '{') && i == 0) {
        return -1;
      }
    }
    return -1;
  }

  private static String stripComment(String text) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single) {
        dbl = !dbl;
      } else if (c == '#' && !single && !dbl && (i == 0 || text.charAt(i - 1) == ' ')) {
        return text.substring(0, i).strip();
      }
    }
    return text;
  }

  private static String unquote(String text) {
    if (text.length() >= 2 && (text.startsWith("\"") && text.endsWith("\"") || text.startsWith("'") && text.endsWith("'"))) {
      return text.substring(1, text.length() - 1);
    }
    return text;
  }

  private static void skipSpaces(String text, int[] at) {
    while (at[0] < text.length() && text.charAt(at[0]) == ' ') {
      at[0]++;
    }
  }

  // ---------------------------------------------------------------- navigation

  /** {@code root.a.b[0].c} style navigation: each step a map key or a list index; null when absent. */
  static Object at(Object root, Object... path) {
    Object node = root;
    for (Object step : path) {
      if (node instanceof Map<?, ?> map && step instanceof String key) {
        node = map.get(key);
      } else if (node instanceof List<?> list && step instanceof Integer index) {
        node = index < list.size() ? list.get(index) : null;
      } else {
        return null;
      }
    }
    return node;
  }

  static String text(Object root, Object... path) {
    Object value = at(root, path);
    return value == null ? null : value instanceof Map || value instanceof List ? null : String.valueOf(value);
  }

  /** A number at {@code path} (a JSON number or a numeric string); NaN when absent or not a number. */
  static double number(Object root, Object... path) {
    Object value = at(root, path);
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    if (value instanceof String text) {
      try {
        return Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object root, Object... path) {
    Object value = at(root, path);
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  static List<Object> list(Object root, Object... path) {
    Object value = at(root, path);
    if (value instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    return List.of();
  }
}
