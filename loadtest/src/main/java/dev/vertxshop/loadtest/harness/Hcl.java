package dev.vertxshop.loadtest.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of HCL the Nomad job files use, read into blocks and attributes: blocks with labels
 * ({@code group "catalog" { ... }}), attributes with strings (interpolations kept as written), numbers,
 * booleans, lists, objects and heredocs ({@code <<-EOT}), and the three comment styles. Enough for the
 * harness to read what a job declares (count, resources, driver options, JVM flags); the deploy tests
 * validate the files with HashiCorp's own parser.
 */
final class Hcl {

  /** A block: its type, labels, attributes and nested blocks, in file order. */
  record Block(String type, List<String> labels, Map<String, Object> attributes, List<Block> blocks) {

    List<Block> blocks(String type) {
      return blocks.stream().filter(b -> b.type().equals(type)).toList();
    }

    Block block(String type) {
      return blocks.stream().filter(b -> b.type().equals(type)).findFirst().orElse(null);
    }

    String label() {
      return labels.isEmpty() ? "" : labels.get(0);
    }

    String text(String name) {
      Object value = attributes.get(name);
      return value == null ? null : String.valueOf(value);
    }
  }

  private final String src;
  private int at;

  private Hcl(String src) {
    this.src = src;
  }

  /** The file as a root block (type "", no labels). */
  static Block parse(String text) {
    Hcl hcl = new Hcl(text);
    Block root = new Block("", List.of(), new LinkedHashMap<>(), new ArrayList<>());
    hcl.body(root, false);
    return root;
  }

  private void body(Block block, boolean nested) {
    while (true) {
      skip();
      if (at >= src.length()) {
        if (nested) {
          throw error("unterminated block " + block.type());
        }
        return;
      }
      if (src.charAt(at) == '}') {
        if (!nested) {
          throw error("unexpected }");
        }
        at++;
        return;
      }
      String name = identifier();
      skipInline();
      if (at < src.length() && src.charAt(at) == '=') {
        at++;
        block.attributes().put(name, expression());
        continue;
      }
      List<String> labels = new ArrayList<>();
      while (at < src.length() && src.charAt(at) == '"') {
        labels.add(string());
        skipInline();
      }
      if (at >= src.length() || src.charAt(at) != '{') {
        throw error("expected = or { after " + name);
      }
      at++;
      Block child = new Block(name, labels, new LinkedHashMap<>(), new ArrayList<>());
      body(child, true);
      block.blocks().add(child);
    }
  }

  private Object expression() {
    skipInline();
    if (at >= src.length()) {
      throw error("expected a value");
    }
    char c = src.charAt(at);
    if (c == '"') {
      return string();
    }
    if (src.startsWith("<<", at)) {
      return heredoc();
    }
    if (c == '[') {
      at++;
      List<Object> list = new ArrayList<>();
      while (true) {
        skip();
        if (src.charAt(at) == ']') {
          at++;
          return list;
        }
        list.add(expression());
        skip();
        if (src.charAt(at) == ',') {
          at++;
        }
      }
    }
    if (c == '{') {
      at++;
      Map<String, Object> map = new LinkedHashMap<>();
      while (true) {
        skip();
        if (src.charAt(at) == '}') {
          at++;
          return map;
        }
        String key = src.charAt(at) == '"' ? string() : identifier();
        skipInline();
        if (src.charAt(at) != '=' && src.charAt(at) != ':') {
          throw error("expected = in an object");
        }
        at++;
        map.put(key, expression());
        skip();
        if (src.charAt(at) == ',') {
          at++;
        }
      }
    }
    // A number, a boolean, or a bare expression (a variable, a function call): kept as its text.
    int start = at;
    int depth = 0;
    while (at < src.length()) {
      char d = src.charAt(at);
      if (d == '(' || d == '[') {
        depth++;
      } else if ((d == ')' || d == ']') && depth > 0) {
        depth--;
      } else if (depth == 0 && (d == '\n' || d == ',' || d == '}' || d == ']' || d == '#')) {
        break;
      }
      at++;
    }
    String text = src.substring(start, at).trim();
    if (text.equals("true") || text.equals("false")) {
      return Boolean.valueOf(text);
    }
    try {
      return text.contains(".") ? (Object) Double.valueOf(text) : (Object) Long.valueOf(text);
    } catch (NumberFormatException e) {
      return text;
    }
  }

  private String heredoc() {
    at += 2;
    boolean indented = src.charAt(at) == '-';
    if (indented) {
      at++;
    }
    int lineEnd = src.indexOf('\n', at);
    String marker = src.substring(at, lineEnd).trim();
    at = lineEnd + 1;
    List<String> body = new ArrayList<>();
    while (at < src.length()) {
      int end = src.indexOf('\n', at);
      String line = end < 0 ? src.substring(at) : src.substring(at, end);
      at = end < 0 ? src.length() : end + 1;
      if (line.trim().equals(marker)) {
        break;
      }
      body.add(line);
    }
    if (indented) {
      int common = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
      body.replaceAll(l -> l.isBlank() ? "" : l.substring(common));
    }
    return String.join("\n", body) + "\n";
  }

  /** A quoted string; escapes read, interpolations (${...}, {{...}}) kept as written. */
  private String string() {
    at++;
    StringBuilder value = new StringBuilder();
    while (at < src.length()) {
      char c = src.charAt(at);
      if (c == '\\' && at + 1 < src.length()) {
        char e = src.charAt(at + 1);
        value.append(switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> e;
        });
        at += 2;
        continue;
      }
      if (c == '$' && at + 1 < src.length() && src.charAt(at + 1) == '{') {
        int end = src.indexOf('}', at);
        value.append(src, at, end + 1);
        at = end + 1;
        continue;
      }
      if (c == '"') {
        at++;
        return value.toString();
      }
      value.append(c);
      at++;
    }
    throw error("unterminated string");
  }

  private String identifier() {
    int start = at;
    while (at < src.length() && (Character.isLetterOrDigit(src.charAt(at)) || src.charAt(at) == '_' || src.charAt(at) == '-')) {
      at++;
    }
    if (start == at) {
      throw error("expected a name, found '" + src.charAt(at) + "'");
    }
    return src.substring(start, at);
  }

  /** Spaces, newlines and comments. */
  private void skip() {
    while (at < src.length()) {
      char c = src.charAt(at);
      if (Character.isWhitespace(c)) {
        at++;
      } else if (c == '#' || src.startsWith("//", at)) {
        int end = src.indexOf('\n', at);
        at = end < 0 ? src.length() : end + 1;
      } else if (src.startsWith("/*", at)) {
        int end = src.indexOf("*/", at + 2);
        at = end < 0 ? src.length() : end + 2;
      } else {
        return;
      }
    }
  }

  /** Spaces and tabs only (an attribute's value starts on its line). */
  private void skipInline() {
    while (at < src.length() && (src.charAt(at) == ' ' || src.charAt(at) == '\t')) {
      at++;
    }
  }

  private IllegalArgumentException error(String message) {
    int line = 1;
    for (int i = 0; i < Math.min(at, src.length()); i++) {
      if (src.charAt(i) == '\n') {
        line++;
      }
    }
    return new IllegalArgumentException("HCL line " + line + ": " + message);
  }
}
