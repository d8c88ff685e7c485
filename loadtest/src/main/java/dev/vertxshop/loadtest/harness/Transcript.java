package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A record of the commands a target ran and what they answered, one entry per command, readable and
 * diffable:
 *
 * <pre>
 * $ kubectl -n vertx-shop-dev get pods -o json      a command run to its end (arguments quoted like a shell)
 * | {"items": [...]}                                each line of its output
 * = 0                                               its exit code
 * &amp; kubectl -n vertx-shop-dev port-forward ...      a command started in the background
 * # ...                                             a comment
 * </pre>
 *
 * Every real run writes one ({@code <target>/<round>/commands.transcript}); the tests replay recorded
 * ones to drive the Kubernetes and Nomad targets where no cluster can run.
 */
final class Transcript {

  /** One command and its answer; {@code background} for a start, whose output and exit are not recorded. */
  record Entry(List<String> command, List<String> output, int exit, boolean background, int line) {
    String commandLine() {
      return join(command);
    }
  }

  private Transcript() {
  }

  /** Appends entries to a file as commands run; thread-safe, never throws. */
  static final class Writer {
    private final Path file;

    Writer(Path file) {
      this.file = file;
    }

    synchronized void ran(List<String> command, String output, int exit) {
      StringBuilder text = new StringBuilder("$ ").append(join(command)).append('\n');
      String body = output == null ? "" : output;
      if (body.endsWith("\n")) {
        body = body.substring(0, body.length() - 1);
      }
      if (!body.isEmpty()) {
        body.lines().forEach(line -> text.append("| ").append(line).append('\n'));
      }
      text.append("= ").append(exit).append('\n');
      append(text.toString());
    }

    synchronized void started(List<String> command) {
      append("& " + join(command) + "\n");
    }

    private void append(String text) {
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        Log.info("cannot write the transcript %s: %s", file, e.getMessage());
      }
    }
  }

  static List<Entry> parse(String text) {
    List<Entry> entries = new ArrayList<>();
    List<String> command = null;
    List<String> output = new ArrayList<>();
    int commandLine = 0;
    int number = 0;
    for (String line : text.split("\n", -1)) {
      number++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("$ ")) {
        if (command != null) {
          throw new IllegalArgumentException("line " + number + ": a new command before the exit code of line " + commandLine);
        }
        command = split(line.substring(2));
        commandLine = number;
        output = new ArrayList<>();
      } else if (line.startsWith("& ")) {
        if (command != null) {
          throw new IllegalArgumentException("line " + number + ": a start before the exit code of line " + commandLine);
        }
        entries.add(new Entry(split(line.substring(2)), List.of(), 0, true, number));
      } else if (line.equals("|") || line.startsWith("| ")) {
        if (command == null) {
          throw new IllegalArgumentException("line " + number + ": output without a command");
        }
        output.add(line.length() <= 2 ? "" : line.substring(2));
      } else if (line.startsWith("= ")) {
        if (command == null) {
          throw new IllegalArgumentException("line " + number + ": an exit code without a command");
        }
        entries.add(new Entry(command, List.copyOf(output), Integer.parseInt(line.substring(2).trim()), false, commandLine));
        command = null;
      } else {
        throw new IllegalArgumentException("line " + number + ": not a transcript line: " + line);
      }
    }
    if (command != null) {
      throw new IllegalArgumentException("line " + commandLine + ": a command without an exit code");
    }
    return entries;
  }

  /** The arguments as a shell would read them back: plain words bare, anything else in single quotes. */
  static String join(List<String> command) {
    List<String> words = new ArrayList<>();
    for (String arg : command) {
      words.add(arg.matches("[A-Za-z0-9_./:=@%+,-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return String.join(" ", words);
  }

  /** The inverse of {@link #join}: words separated by spaces, single quotes, and {@code '\''} inside them. */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unbalanced quote in: " + line);
        }
        word.append(line, i + 1, end);
        i = end;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
        inWord = true;
      } else if (c == ' ') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
