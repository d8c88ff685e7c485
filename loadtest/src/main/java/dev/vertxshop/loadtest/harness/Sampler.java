package dev.vertxshop.loadtest.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU and memory of every process (or container) of a target while a run goes on, sampled every
 * {@code periodMillis} on a background thread: average CPU (percent of one core) and peak and last
 * memory per label, plus the machine's load average. What the report calls the cost of a way of running.
 */
final class Sampler implements AutoCloseable {

  /** One reading: cumulative CPU ticks (-1 when unknown) or an instant CPU percentage (NaN when unknown). */
  record Usage(String label, long cpuTicks, double cpuPercent, long memoryBytes) {

    /**
     * CPU and memory of a group of processes. Memory is the proportional set size (PSS): pages shared
     * between processes (PostgreSQL's shared buffers in every backend, libjvm in every JVM) are divided
     * among them instead of counted once per process as RSS would, so that the sum over a target's
     * processes is what it really holds.
     */
    static Usage ofPids(String label, List<Long> pids) {
      long ticks = 0;
      long memory = 0;
      for (long pid : pids) {
        ticks += Proc.cpuTicks(pid);
        memory += Proc.pssBytes(pid);
      }
      return new Usage(label, ticks, Double.NaN, memory);
    }
  }

  /** What a label used over the run. */
  record Stat(String label, double avgCpuPercent, long peakMemoryBytes, long lastMemoryBytes, int samples) {
  }

  private static final double TICKS_PER_SECOND = 100.0;

  private final Supplier<List<Usage>> source;
  private final long periodMillis;
  private final Map<String, long[]> previousTicks = new LinkedHashMap<>();
  private final Map<String, List<Double>> cpu = new LinkedHashMap<>();
  private final Map<String, long[]> rss = new LinkedHashMap<>();
  private final List<Double> loads = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  Sampler(Supplier<List<Usage>> source, long periodMillis) {
    this.source = source;
    this.periodMillis = periodMillis;
    this.thread = new Thread(this::loop, "sampler");
    this.thread.setDaemon(true);
  }

  Sampler start() {
    thread.start();
    return this;
  }

  private void loop() {
    while (running) {
      try {
        sampleOnce();
      } catch (RuntimeException e) {
        // a process may vanish mid-reading (a kill is part of the plan): skip this sample
      }
      try {
        Thread.sleep(periodMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  synchronized void sampleOnce() {
    long now = System.nanoTime();
    loads.add(Proc.loadAverage());
    for (Usage usage : source.get()) {
      if (usage.memoryBytes() > 0) {
        long[] memory = rss.computeIfAbsent(usage.label(), k -> new long[2]);
        memory[0] = Math.max(memory[0], usage.memoryBytes());
        memory[1] = usage.memoryBytes();
      }
      if (!Double.isNaN(usage.cpuPercent())) {
        cpu.computeIfAbsent(usage.label(), k -> new ArrayList<>()).add(usage.cpuPercent());
      } else if (usage.cpuTicks() >= 0) {
        long[] previous = previousTicks.put(usage.label(), new long[] {usage.cpuTicks(), now});
        // A restarted process starts again from 0 ticks: that interval is skipped, not negative.
        if (previous != null && usage.cpuTicks() >= previous[0] && now > previous[1]) {
          double seconds = (now - previous[1]) / 1e9;
          double percent = (usage.cpuTicks() - previous[0]) / TICKS_PER_SECOND / seconds * 100.0;
          cpu.computeIfAbsent(usage.label(), k -> new ArrayList<>()).add(percent);
        }
      }
    }
  }

  /** Per label, in the order first seen. */
  synchronized List<Stat> stats() {
    List<Stat> stats = new ArrayList<>();
    List<String> labels = new ArrayList<>(rss.keySet());
    cpu.keySet().stream().filter(l -> !labels.contains(l)).forEach(labels::add);
    for (String label : labels) {
      List<Double> values = cpu.getOrDefault(label, List.of());
      double avg = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      long[] memory = rss.getOrDefault(label, new long[2]);
      stats.add(new Stat(label, avg, memory[0], memory[1], values.size()));
    }
    return stats;
  }

  synchronized double averageLoad() {
    return loads.stream().filter(l -> l >= 0).mapToDouble(Double::doubleValue).average().orElse(-1);
  }

  synchronized double maxLoad() {
    return loads.stream().mapToDouble(Double::doubleValue).max().orElse(-1);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
