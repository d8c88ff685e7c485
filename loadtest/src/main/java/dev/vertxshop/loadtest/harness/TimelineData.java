package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-second outcome of a run, as the simulations write it ({@code second,ok,ko} lines, see the
 * test sources' {@code Timeline}), and what a fault did to it.
 */
record TimelineData(List<Point> points) {

  /** Requests that ended in one wall-clock second. */
  record Point(long second, long ok, long ko) {
  }

  /**
   * What a fault cost: requests failed from the fault's start to the end of the run, the second the
   * last failure happened, and the time from the fault's start until the shop was error-free for good
   * ({@code -1} when it was not, within the run, error-free for {@code quietSeconds} in a row).
   */
  record Impact(long failed, long total, long firstFailureSecond, long lastFailureSecond, long recoveryMillis,
      boolean recovered, long failedDuringAction) {
  }

  static TimelineData read(Path file) {
    List<Point> points = new ArrayList<>();
    if (file == null || !Files.exists(file)) {
      return new TimelineData(points);
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.split(",");
        if (parts.length == 3 && !parts[0].equals("second")) {
          points.add(new Point(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // a run that crashed mid-line: what parsed is what we have
    }
    return new TimelineData(points);
  }

  long lastSecond() {
    return points.isEmpty() ? Long.MIN_VALUE : points.get(points.size() - 1).second();
  }

  /**
   * Seconds without a failure since the last failed second at or after {@code fromSecond}, counting only
   * seconds that carried requests (a second without traffic proves nothing).
   */
  long quietSecondsSince(long fromSecond) {
    long quiet = 0;
    for (int i = points.size() - 1; i >= 0; i--) {
      Point point = points.get(i);
      if (point.second() < fromSecond) {
        break;
      }
      if (point.ko() > 0) {
        break;
      }
      if (point.ok() > 0) {
        quiet++;
      }
    }
    return quiet;
  }

  /**
   * The impact of a fault that began at {@code startMillis} (epoch ms) and whose action (a kill, a rolling
   * restart) ended at {@code actionEndMillis}.
   */
  Impact impact(long startMillis, long actionEndMillis, int quietSeconds) {
    long startSecond = startMillis / 1000;
    long actionEndSecond = actionEndMillis / 1000;
    long failed = 0;
    long total = 0;
    long failedDuringAction = 0;
    long first = -1;
    long last = -1;
    for (Point point : points) {
      if (point.second() < startSecond) {
        continue;
      }
      failed += point.ko();
      total += point.ok() + point.ko();
      if (point.second() <= actionEndSecond) {
        failedDuringAction += point.ko();
      }
      if (point.ko() > 0) {
        if (first < 0) {
          first = point.second();
        }
        last = point.second();
      }
    }
    long quietAfter = last < 0 ? quietSecondsSince(startSecond) : quietSecondsSince(last + 1);
    boolean recovered = quietAfter >= quietSeconds;
    long recovery;
    if (last < 0) {
      recovery = 0;
    } else {
      // The failure happened somewhere in its second: count to that second's end.
      recovery = Math.max(0, (last + 1) * 1000 - startMillis);
    }
    return new Impact(failed, total, first, last, recovered ? recovery : -1, recovered, failedDuringAction);
  }

  /** The points between two epoch seconds (inclusive), for the charts. */
  List<Point> between(long fromSecond, long toSecond) {
    return points.stream().filter(p -> p.second() >= fromSecond && p.second() <= toSecond).toList();
  }
}
