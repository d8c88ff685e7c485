package dev.vertxshop.hardening.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * The clock of one scenario: milliseconds since it started, from {@link System#nanoTime()}, and the
 * fault events (kill, stop, restart...) marked on it, so that load samples and faults line up.
 */
final class Timeline {

  /** A named moment. */
  record Mark(String what, long at) {
  }

  private final long origin = System.nanoTime();
  private final long originEpochMillis = System.currentTimeMillis();
  private final List<Mark> marks = new ArrayList<>();

  long now() {
    return (System.nanoTime() - origin) / 1_000_000;
  }

  /** The timeline's reading at wall-clock time {@code epochMillis} (a log line's time, say). */
  long fromEpoch(long epochMillis) {
    return epochMillis - originEpochMillis;
  }

  /** Marks {@code what} now and returns the time. */
  synchronized long mark(String what) {
    long at = now();
    marks.add(new Mark(what, at));
    return at;
  }

  synchronized List<Mark> marks() {
    return List.copyOf(marks);
  }

  /** Sleeps until the timeline reads {@code at} (a scheduled fault), at once if it already passed. */
  void sleepUntil(long at) {
    long wait = at - now();
    if (wait > 0) {
      ShopProcess.pause(wait);
    }
  }
}
