package dev.vertxshop.hardening.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Polls one metric of one shop process every 200 ms on its own thread and keeps its changes on the
 * scenario's timeline: a circuit breaker's state, for instance. Unreadable polls (the process busy or
 * gone) are skipped.
 */
final class MetricWatch implements AutoCloseable {

  /** The metric took {@code value} at {@code at}. */
  record Change(long at, double value) {
  }

  private final List<Change> changes = new ArrayList<>();
  private final Thread poller;
  private volatile boolean running = true;

  MetricWatch(ShopProcess process, Timeline timeline, String metric, String... labels) {
    poller = new Thread(() -> {
      double last = Double.NaN;
      while (running) {
        try {
          double value = process.metric(metric, labels);
          if (!Double.isNaN(value) && value != last) {
            synchronized (changes) {
              changes.add(new Change(timeline.now(), value));
            }
            last = value;
          }
        } catch (RuntimeException e) {
          // A missed poll only blurs the timing by one period.
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "metric-watch-" + metric);
    poller.setDaemon(true);
    poller.start();
  }

  List<Change> changes() {
    synchronized (changes) {
      return List.copyOf(changes);
    }
  }

  /** When the metric first took {@code value} in {@code [from, to)}. */
  OptionalLong first(double value, long from, long to) {
    return changes().stream().filter(c -> c.value() == value && c.at() >= from && c.at() < to).mapToLong(Change::at).min();
  }

  /** Its value at {@code at}: the last change before it; NaN if none yet. */
  double valueAt(long at) {
    double value = Double.NaN;
    for (Change change : changes()) {
      if (change.at() <= at) {
        value = change.value();
      }
    }
    return value;
  }

  @Override
  public void close() {
    running = false;
    poller.interrupt();
  }
}
