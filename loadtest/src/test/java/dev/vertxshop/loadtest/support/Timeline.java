package dev.vertxshop.loadtest.support;

import io.gatling.javaapi.core.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests that succeeded and failed, per wall-clock second, written live to a CSV file
 * ({@code -Dtimeline=path}: {@code epochSecond,ok,ko} lines, each second once it is over).
 *
 * <p>Gatling 3.14 no longer streams metrics (its Graphite writer is gone) and its simulation.log is a
 * binary format, but the comparison harness must see, while the load runs, when failures start and stop
 * around a kill or a rolling restart. Every request of the flows is followed by {@link #record}, which
 * reads the session's status (a failed check or a failed request marks it failed) and resets it, so
 * that each request is counted once, by the second it ended in.
 */
public final class Timeline {

  private static final ConcurrentSkipListMap<Long, LongAdder[]> SECONDS = new ConcurrentSkipListMap<>();
  private static final Map<String, LongAdder> COUNTS = new java.util.concurrent.ConcurrentHashMap<>();
  private static final Map<String, LongAdder> ERRORS = new java.util.concurrent.ConcurrentHashMap<>();
  /** The session attribute each counted request saves its HTTP status in (see {@code Flows.counted}). */
  public static final String STATUS = "timelineStatus";
  private static volatile Path file;
  private static volatile Thread writer;
  private static long written = Long.MIN_VALUE;

  private Timeline() {
  }

  /** Starts writing to {@code path} (nothing is written when null). */
  public static synchronized void start(String path) {
    if (path == null || writer != null) {
      return;
    }
    file = Path.of(path);
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, "second,ok,ko\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the timeline " + path, e);
    }
    Thread thread = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
        flush(System.currentTimeMillis() / 1000 - 1);
      }
    }, "loadtest-timeline");
    thread.setDaemon(true);
    thread.start();
    writer = thread;
  }

  /**
   * Counts the request that just ended in the session (a failed one also by its HTTP status, "none"
   * without a response), then clears the session's failed status and the saved status.
   */
  public static Session record(Session session) {
    long second = System.currentTimeMillis() / 1000;
    LongAdder[] counts = SECONDS.computeIfAbsent(second, s -> new LongAdder[] {new LongAdder(), new LongAdder()});
    Object status = session.contains(STATUS) ? session.get(STATUS) : null;
    Session cleared = session.remove(STATUS);
    if (session.isFailed()) {
      counts[1].increment();
      ERRORS.computeIfAbsent(status == null ? "none" : String.valueOf(status), k -> new LongAdder()).increment();
      return cleared.markAsSucceeded();
    }
    counts[0].increment();
    return cleared;
  }

  /** Counts a business outcome ({@code order CONFIRMED}, ...), written next to the timeline at the end. */
  public static void count(String what) {
    if (what != null) {
      COUNTS.computeIfAbsent(what, k -> new LongAdder()).increment();
    }
  }

  /** Outcomes counted so far, by name, sorted. */
  public static Map<String, Long> counts() {
    Map<String, Long> result = new java.util.TreeMap<>();
    COUNTS.forEach((k, v) -> result.put(k, v.sum()));
    return result;
  }

  /**
   * Writes every remaining second (call once the load is over), the outcomes as
   * {@code <timeline>.counts} and the failed requests by status as {@code <timeline>.errors}
   * ({@code name=value} lines).
   */
  public static synchronized void stop() {
    if (writer != null) {
      writer.interrupt();
      writer = null;
    }
    flush(Long.MAX_VALUE);
    if (file != null) {
      StringBuilder lines = new StringBuilder();
      counts().forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
      StringBuilder errors = new StringBuilder();
      new java.util.TreeMap<>(ERRORS).forEach((k, v) -> errors.append(k).append('=').append(v.sum()).append('\n'));
      try {
        Files.writeString(Path.of(file + ".counts"), lines, StandardCharsets.UTF_8);
        Files.writeString(Path.of(file + ".errors"), errors, StandardCharsets.UTF_8);
      } catch (IOException e) {
        System.err.println("timeline: cannot write the counts: " + e);
      }
    }
  }

  /** Requests counted so far: {ok, ko}. */
  public static long[] totals() {
    long ok = 0;
    long ko = 0;
    for (LongAdder[] counts : SECONDS.values()) {
      ok += counts[0].sum();
      ko += counts[1].sum();
    }
    return new long[] {ok, ko};
  }

  /** Appends the seconds up to {@code last} (inclusive) that were not written yet. */
  private static synchronized void flush(long last) {
    if (file == null) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    for (Map.Entry<Long, LongAdder[]> entry : SECONDS.headMap(last, true).entrySet()) {
      if (entry.getKey() > written) {
        lines.append(entry.getKey()).append(',').append(entry.getValue()[0].sum()).append(',')
            .append(entry.getValue()[1].sum()).append('\n');
        written = entry.getKey();
      }
    }
    if (lines.length() > 0) {
      try {
        Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      } catch (IOException e) {
        System.err.println("timeline: cannot append to " + file + ": " + e);
      }
    }
  }
}
