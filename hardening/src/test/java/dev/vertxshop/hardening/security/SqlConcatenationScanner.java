package dev.vertxshop.hardening.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds SQL built from values in Java source: a string literal that reads as SQL, joined with {@code +}
 * (or {@code .append}) to anything that is not itself constant, or used as a {@code String.format} /
 * {@code .formatted} template. Constant operands are string and number literals, {@code UPPER_SNAKE}
 * constants (qualified or not), and parenthesized conditionals whose branches are constant (the condition
 * may be anything: it picks a fixed text, it does not provide one). A small allow-list names the
 * operands a reviewer checked to come from a fixed set.
 *
 * <p>A lexer, not a parser: comments and character literals are skipped, text blocks are read as
 * literals, and an operand is what lies between the {@code +} and the next operator at the same depth.
 */
final class SqlConcatenationScanner {

  /** A concatenation or template that may put a value into SQL text. */
  record Finding(String file, int line, String operand, String sql) {

    @Override
    public String toString() {
      return file + ":" + line + ": '" + operand + "' joined to SQL \"" + (sql.length() > 60 ? sql.substring(0, 60) + "..." : sql) + "\"";
    }
  }

  /** An operand a reviewer accepted in one file, with the reason. */
  record Allowed(String fileSuffix, String operand, String why) {
  }

  private static final Pattern SQL = Pattern.compile(
      "\\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|WHERE|VALUES|ORDER BY|GROUP BY|LIMIT|OFFSET|RETURNING|JOIN|FROM)\\b"
          + "|(?i:\\bselect\\b.*\\bfrom\\b|\\binsert\\s+into\\b|\\bdelete\\s+from\\b|\\bupdate\\b\\s+\\w+\\s+\\bset\\b)");
  private static final Pattern CONSTANT = Pattern.compile("(?:[A-Za-z_][A-Za-z0-9_]*\\.)*[A-Z][A-Z0-9_]*");
  private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9_]*[lL]?");
  private static final Set<String> STOP = Set.of(";", ",", "=", "{", "}", "return", "->", "&&", "||", "==", "!=");

  private final List<Allowed> allowed;

  SqlConcatenationScanner(List<Allowed> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /** Every finding in one source file's text. */
  List<Finding> scan(String file, String source) {
    List<Token> tokens = lex(source);
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      if (token.kind != Kind.STRING || !SQL.matcher(token.text).find()) {
        continue;
      }
      // Operands joined on the right: "... WHERE id = " + id
      int j = i + 1;
      while (j < tokens.size() && tokens.get(j).text.equals("+")) {
        int end = operandEnd(tokens, j + 1);
        check(file, tokens, j + 1, end, token, findings);
        j = end;
      }
      // ... and on the left: id + " AND ..."
      int k = i - 1;
      while (k >= 0 && tokens.get(k).text.equals("+")) {
        int start = operandStart(tokens, k - 1);
        check(file, tokens, start, k, token, findings);
        k = start - 1;
      }
      // Templates: String.format("SELECT ... %s", x), "SELECT ... %s".formatted(x)
      if (i >= 2 && tokens.get(i - 1).text.equals("(") && tokens.get(i - 2).text.equals("format")) {
        findings.add(new Finding(file, token.line, "String.format", token.text));
      }
      if (i + 2 < tokens.size() && tokens.get(i + 1).text.equals(".") && tokens.get(i + 2).text.equals("formatted")) {
        findings.add(new Finding(file, token.line, ".formatted", token.text));
      }
      // Builders: .append("SELECT ...").append(x)
      if (i >= 2 && tokens.get(i - 1).text.equals("(") && tokens.get(i - 2).text.equals("append")) {
        int close = i + 1;
        int next = close + 1;
        while (next + 2 < tokens.size() && tokens.get(next).text.equals(".") && tokens.get(next + 1).text.equals("append")
            && tokens.get(next + 2).text.equals("(")) {
          int end = matching(tokens, next + 2);
          check(file, tokens, next + 3, end, token, findings);
          next = end + 1;
        }
      }
    }
    // A chain with several SQL literals reaches the same operand from each of them: report it once.
    java.util.Map<String, Finding> unique = new java.util.LinkedHashMap<>();
    for (Finding finding : findings) {
      unique.putIfAbsent(finding.line() + ":" + finding.operand(), finding);
    }
    return List.copyOf(unique.values());
  }

  private void check(String file, List<Token> tokens, int start, int end, Token sql, List<Finding> findings) {
    if (start >= end) {
      return;
    }
    if (isConstant(tokens, start, end)) {
      return;
    }
    String operand = join(tokens, start, end);
    for (Allowed allow : allowed) {
      if (file.endsWith(allow.fileSuffix()) && operand.equals(allow.operand())) {
        return;
      }
    }
    findings.add(new Finding(file, tokens.get(start).line, operand, sql.text));
  }

  /** Literals, constants, and parenthesized conditionals whose branches are constant. */
  private static boolean isConstant(List<Token> tokens, int start, int end) {
    if (end - start == 1) {
      Token only = tokens.get(start);
      return only.kind == Kind.STRING || only.kind == Kind.CHAR || CONSTANT.matcher(only.text).matches()
          || NUMBER.matcher(only.text).matches();
    }
    if (tokens.get(start).text.equals("(") && matching(tokens, start) == end - 1) {
      int question = -1;
      int colon = -1;
      int depth = 0;
      for (int i = start + 1; i < end - 1; i++) {
        String text = tokens.get(i).text;
        if (text.equals("(")) {
          depth++;
        } else if (text.equals(")")) {
          depth--;
        } else if (depth == 0 && text.equals("?") && question < 0) {
          question = i;
        } else if (depth == 0 && text.equals(":") && question >= 0 && colon < 0) {
          colon = i;
        }
      }
      if (question < 0 || colon < 0) {
        return isConstantChain(tokens, start + 1, end - 1);
      }
      return isConstantChain(tokens, question + 1, colon) && isConstantChain(tokens, colon + 1, end - 1);
    }
    return false;
  }

  private static boolean isConstantChain(List<Token> tokens, int start, int end) {
    int i = start;
    while (i < end) {
      int operandEnd = operandEnd(tokens, i);
      if (operandEnd > end || !isConstant(tokens, i, Math.min(operandEnd, end))) {
        return false;
      }
      i = operandEnd;
      if (i < end) {
        if (!tokens.get(i).text.equals("+")) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  /** The end (exclusive) of the operand starting at {@code start}: up to the next top-level operator. */
  private static int operandEnd(List<Token> tokens, int start) {
    int i = start;
    while (i < tokens.size()) {
      String text = tokens.get(i).text;
      if (text.equals("(") || text.equals("[")) {
        i = matching(tokens, i) + 1;
        continue;
      }
      if (text.equals("+") || text.equals(")") || text.equals("]") || text.equals("?") || text.equals(":")
          || STOP.contains(text)) {
        return i;
      }
      i++;
    }
    return i;
  }

  /** The start of the operand ending at {@code end} (inclusive), scanning left. */
  private static int operandStart(List<Token> tokens, int end) {
    int i = end;
    while (i >= 0) {
      String text = tokens.get(i).text;
      if (text.equals(")") || text.equals("]")) {
        int depth = 0;
        for (; i >= 0; i--) {
          String t = tokens.get(i).text;
          if (t.equals(")") || t.equals("]")) {
            depth++;
          } else if ((t.equals("(") || t.equals("[")) && --depth == 0) {
            break;
          }
        }
        i--;
        continue;
      }
      if (text.equals("+") || text.equals("(") || text.equals("[") || text.equals("?") || text.equals(":")
          || STOP.contains(text)) {
        return i + 1;
      }
      i--;
    }
    return 0;
  }

  private static int matching(List<Token> tokens, int open) {
    String opening = tokens.get(open).text;
    String closing = opening.equals("(") ? ")" : "]";
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      String text = tokens.get(i).text;
      if (text.equals(opening)) {
        depth++;
      } else if (text.equals(closing) && --depth == 0) {
        return i;
      }
    }
    return tokens.size() - 1;
  }

  private static String join(List<Token> tokens, int start, int end) {
    StringBuilder out = new StringBuilder();
    for (int i = start; i < end; i++) {
      Token token = tokens.get(i);
      out.append(token.kind == Kind.STRING ? '"' + token.text + '"' : token.text);
    }
    return out.toString();
  }

  private enum Kind { STRING, CHAR, WORD, SYMBOL }

  private record Token(Kind kind, String text, int line) {
  }

  private static List<Token> lex(String source) {
    List<Token> tokens = new ArrayList<>();
    int line = 1;
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (source.startsWith("//", i)) {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        line += count(source, i, end);
        i = end;
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        end = end < 0 ? n : end;
        tokens.add(new Token(Kind.STRING, source.substring(i + 3, end), line));
        line += count(source, i, end);
        i = Math.min(n, end + 3);
      } else if (c == '"' || c == '\'') {
        StringBuilder text = new StringBuilder();
        int j = i + 1;
        while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
          if (source.charAt(j) == '\\' && j + 1 < n) {
            text.append(source.charAt(j + 1));
            j += 2;
          } else {
            text.append(source.charAt(j++));
          }
        }
        tokens.add(new Token(c == '"' ? Kind.STRING : Kind.CHAR, text.toString(), line));
        i = j + 1;
      } else if (Character.isJavaIdentifierStart(c) || Character.isDigit(c)) {
        int j = i;
        while (j < n && (Character.isJavaIdentifierPart(source.charAt(j)) || source.charAt(j) == '.'
            && j + 1 < n && Character.isJavaIdentifierStart(source.charAt(j + 1)) && Character.isUpperCase(source.charAt(j + 1)))) {
          j++;
        }
        tokens.add(new Token(Kind.WORD, source.substring(i, j), line));
        i = j;
      } else {
        String two = i + 1 < n ? source.substring(i, i + 2) : "";
        if (Set.of("->", "&&", "||", "==", "!=", "++", "+=", "<=", ">=", "::").contains(two)) {
          tokens.add(new Token(Kind.SYMBOL, two, line));
          i += 2;
        } else {
          tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), line));
          i++;
        }
      }
    }
    return tokens;
  }

  private static int count(String text, int from, int to) {
    int lines = 0;
    for (int i = from; i < to && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
