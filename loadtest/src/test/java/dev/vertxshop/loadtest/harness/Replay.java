package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link Cmd} that plays a recorded transcript back: each command the target runs must be the next one
 * of the transcript, with the same arguments, and gets the recorded output and exit code; a background
 * start gets what {@code starter} makes of it. An output line {@code @/path} stands for the content of the
 * test resource {@code /path}; {@code {key}} placeholders are replaced everywhere (temporary paths, ports).
 */
final class Replay implements Cmd {

  private final List<Transcript.Entry> entries;
  private final String name;
  private final Map<String, String> placeholders;
  private final Function<List<String>, Background> starter;
  private int next;

  Replay(String transcript, Map<String, String> placeholders, Function<List<String>, Background> starter) {
    this.name = transcript;
    this.placeholders = placeholders;
    this.starter = starter;
    this.entries = Transcript.parse(substitute(resource(transcript)));
  }

  /** A test resource: {@code /path} from the resources' root, else under {@code /transcripts/}. */
  private static String resource(String name) {
    try {
      return Files.readString(Path.of(Replay.class.getResource(name.startsWith("/") ? name : "/transcripts/" + name).toURI()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("no transcript fixture " + name, e);
    }
  }

  private String substitute(String text) {
    String result = text;
    for (Map.Entry<String, String> entry : placeholders.entrySet()) {
      result = result.replace("{" + entry.getKey() + "}", entry.getValue());
    }
    return result;
  }

  private synchronized Transcript.Entry expect(List<String> command, boolean background) {
    if (next >= entries.size()) {
      throw new AssertionError(name + ": the harness ran a command after the end of the transcript: " + Transcript.join(command));
    }
    Transcript.Entry entry = entries.get(next);
    if (entry.background() != background || !entry.command().equals(command)) {
      throw new AssertionError(name + " line " + entry.line() + ": expected\n  " + (entry.background() ? "& " : "$ ") + entry.commandLine()
          + "\nbut the harness ran\n  " + (background ? "& " : "$ ") + Transcript.join(command));
    }
    next++;
    return entry;
  }

  @Override
  public Proc.Result run(List<String> command, Duration timeout) {
    Transcript.Entry entry = expect(command, false);
    StringBuilder output = new StringBuilder();
    for (String line : entry.output()) {
      output.append(line.startsWith("@") ? substitute(resource(line.substring(1))).strip() : line).append('\n');
    }
    return new Proc.Result(entry.exit(), output.toString());
  }

  @Override
  public Background start(String label, List<String> command, Path log) {
    expect(command, true);
    return starter.apply(command);
  }

  /** Fails unless every recorded command was run. */
  synchronized void assertDone() {
    if (next != entries.size()) {
      throw new AssertionError(name + ": " + (entries.size() - next) + " recorded command(s) never ran, first: line "
          + entries.get(next).line() + ": " + entries.get(next).commandLine());
    }
  }
}
