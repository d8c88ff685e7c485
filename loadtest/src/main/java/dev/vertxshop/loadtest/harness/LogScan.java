package dev.vertxshop.loadtest.harness;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The moments the shop itself noticed a fault, read from its JSON logs ({@code "ts"} and {@code "message"}
 * of each line, as the platform's log encoder writes them): a peer set aside or back (the peer watch),
 * the Hazelcast member list changing or a connection to a member dropped, a node stopping.
 */
final class LogScan {

  /** What a log line says, and the marker it matched. */
  record Event(long millis, String replica, String what) {
  }

  private static final Pattern TS = Pattern.compile("\"ts\":\"([^\"]+)\"");
  private static final Pattern MESSAGE = Pattern.compile("\"message\":\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern MEMBERS = Pattern.compile("Members \\{size:(\\d+)");

  private LogScan() {
  }

  /** Lines of {@code text} ({@code <replica> <json>}) with a timestamp in [{@code from}, {@code to}] that mark a cluster event. */
  static List<Event> scan(String text, long from, long to) {
    List<Event> events = new ArrayList<>();
    for (String line : text.split("\n")) {
      int brace = line.indexOf('{');
      if (brace < 0) {
        continue;
      }
      Matcher ts = TS.matcher(line);
      Matcher message = MESSAGE.matcher(line);
      if (!ts.find() || !message.find()) {
        continue;
      }
      long millis;
      try {
        millis = Instant.parse(ts.group(1)).toEpochMilli();
      } catch (DateTimeParseException e) {
        continue;
      }
      if (millis < from || millis > to) {
        continue;
      }
      String replica = line.substring(0, brace).trim();
      String what = classify(message.group(1));
      if (what != null) {
        events.add(new Event(millis, replica.isEmpty() ? "?" : replica, what));
      }
    }
    events.sort(java.util.Comparator.comparingLong(Event::millis));
    return events;
  }

  static String classify(String message) {
    if (message.contains("did not answer a ping")) {
      return "set a peer aside (peer watch: a ping unanswered)";
    }
    if (message.contains("answers again")) {
      return "took a peer back (it answers again)";
    }
    Matcher members = MEMBERS.matcher(message);
    if (members.find()) {
      return "Hazelcast member list now " + members.group(1) + " members";
    }
    if (message.contains("Removing connection to endpoint")) {
      // The shop logs Hazelcast at WARN and above: its member-list lines (INFO) do not show, this one does.
      return "Hazelcast dropped its connection to a member";
    }
    if (message.equals("node stopping")) {
      return "node stopping (graceful stop began)";
    }
    if (message.startsWith("node ready")) {
      return "node ready";
    }
    return null;
  }

  /** The first event after {@code from} matching {@code prefix} on a replica other than {@code except}; null when none. */
  static Event first(List<Event> events, String prefix, String except) {
    for (Event event : events) {
      if (event.what().startsWith(prefix) && (except == null || !event.replica().equals(except))) {
        return event;
      }
    }
    return null;
  }
}
