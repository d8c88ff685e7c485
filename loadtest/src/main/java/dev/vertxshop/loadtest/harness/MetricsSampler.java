package dev.vertxshop.loadtest.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads every replica's own {@code /metrics} on a background thread for the whole round: CPU time, heap,
 * the JVM's committed memory, and the cluster's own view of its peers ({@code shop_cluster_peers_aside},
 * {@code shop_cluster_peer_suspicions_total}, {@code shop_bus_resent_total}). The same source on every
 * target, so that no orchestrator tool (docker stats, kubectl top) is needed, and the only one that
 * exists on all of them. Points are kept per replica, so that any phase (a time window) can be
 * summarised afterwards and drawn over time.
 */
final class MetricsSampler implements AutoCloseable {

  /** What one replica said at one moment; NaN where it did not say. */
  record Point(long millis, double cpuSeconds, double cpuUsage, double cpuCount, double heapUsed, double heapCommitted,
      double nonHeapCommitted, double buffers, double rss, double peersAside, double suspicions, double resent) {

    /**
     * Heap and non-heap committed plus direct buffers: what the JVM holds, by its own account. Mapped
     * buffers are left out: they are file mappings (Kafka's segments in the all-in-one JVM), mostly not
     * resident, and would count gigabytes the process does not hold.
     */
    double jvmCommitted() {
      double sum = 0;
      boolean any = false;
      for (double value : new double[] {heapCommitted, nonHeapCommitted, buffers}) {
        if (!Double.isNaN(value)) {
          sum += value;
          any = true;
        }
      }
      return any ? sum : Double.NaN;
    }
  }

  /** One replica over a time window. */
  record Stat(String service, String label, double avgCpuPercent, double peakHeapBytes, double peakJvmBytes,
      double peakRssBytes, double lastJvmBytes, int samples) {
  }

  /** What the cluster said about itself during a window: first moments after its start, in epoch ms (-1: never). */
  record Cluster(long firstAsideMillis, double suspicions, double resent, String firstAsideBy) {
  }

  private final Supplier<List<Endpoint>> endpoints;
  private final Map<String, List<Point>> series = new LinkedHashMap<>();
  private final Map<String, String> services = new LinkedHashMap<>();
  private final Thread thread;
  private volatile long periodMillis;
  private volatile boolean running = true;

  MetricsSampler(Supplier<List<Endpoint>> endpoints, long periodMillis) {
    this.endpoints = endpoints;
    this.periodMillis = periodMillis;
    this.thread = new Thread(this::loop, "metrics-sampler");
    this.thread.setDaemon(true);
  }

  MetricsSampler start() {
    thread.start();
    return this;
  }

  /** Samples more often while a fault runs (a peer is set aside for a second or two). */
  void period(long millis) {
    periodMillis = millis;
    thread.interrupt();
  }

  private void loop() {
    while (running) {
      long started = System.currentTimeMillis();
      try {
        sampleOnce();
      } catch (RuntimeException e) {
        // a replica may vanish mid-reading (a kill is part of the plan): this sample is skipped
      }
      long wait = periodMillis - (System.currentTimeMillis() - started);
      if (wait > 0) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          if (!running) {
            return;
          }
        }
      }
    }
  }

  void sampleOnce() {
    List<Endpoint> current;
    try {
      current = endpoints.get();
    } catch (RuntimeException e) {
      return;
    }
    for (Endpoint endpoint : current) {
      Http.Response response = Http.get(endpoint.metrics(), Duration.ofSeconds(3));
      if (!response.ok()) {
        continue;
      }
      add(endpoint, System.currentTimeMillis(), PromText.parse(response.body()));
    }
  }

  /** Adds one reading (public to the tests, which feed recorded /metrics pages). */
  synchronized void add(Endpoint endpoint, long millis, PromText metrics) {
    services.put(endpoint.label(), endpoint.service());
    series.computeIfAbsent(endpoint.label(), k -> new ArrayList<>()).add(point(millis, metrics));
  }

  static Point point(long millis, PromText m) {
    double cpuSeconds = m.sum("process_cpu_time_ns_total") / 1e9;
    if (Double.isNaN(cpuSeconds)) {
      cpuSeconds = m.sum("process_cpu_seconds_total");
    }
    if (Double.isNaN(cpuSeconds)) {
      cpuSeconds = m.sum("process_cpu_time_seconds_total");
    }
    double rss = m.sum("process_resident_memory_bytes");
    if (Double.isNaN(rss)) {
      rss = m.sum("process_memory_rss_bytes");
    }
    return new Point(millis, cpuSeconds, m.sum("process_cpu_usage"), m.sum("system_cpu_count"),
        m.sum("jvm_memory_used_bytes", "area", "heap"), m.sum("jvm_memory_committed_bytes", "area", "heap"),
        m.sum("jvm_memory_committed_bytes", "area", "nonheap"), m.sum("jvm_buffer_memory_used_bytes", "id", "direct"), rss,
        m.sum("shop_cluster_peers_aside"), m.sum("shop_cluster_peer_suspicions_total"), m.sum("shop_bus_resent_total"));
  }

  /** Per replica, in the order first seen, over [{@code from}, {@code to}] (epoch ms). */
  synchronized List<Stat> stats(long from, long to) {
    List<Stat> stats = new ArrayList<>();
    for (Map.Entry<String, List<Point>> entry : series.entrySet()) {
      List<Point> points = entry.getValue().stream().filter(p -> p.millis() >= from && p.millis() <= to).toList();
      if (points.isEmpty()) {
        continue;
      }
      stats.add(new Stat(services.get(entry.getKey()), entry.getKey(), cpuPercent(points), max(points, Point::heapUsed),
          max(points, Point::jvmCommitted), max(points, Point::rss), points.get(points.size() - 1).jvmCommitted(), points.size()));
    }
    return stats;
  }

  /**
   * Average CPU in percent of one core: CPU seconds over wall seconds between the first and last reading
   * (a restart, whose counter starts again, splits the window); the JVM's "recent CPU usage" gauge
   * where no CPU time is exported.
   */
  static double cpuPercent(List<Point> points) {
    double busy = 0;
    double wall = 0;
    for (int i = 1; i < points.size(); i++) {
      Point a = points.get(i - 1);
      Point b = points.get(i);
      if (Double.isNaN(a.cpuSeconds()) || Double.isNaN(b.cpuSeconds()) || b.cpuSeconds() < a.cpuSeconds() || b.millis() <= a.millis()) {
        continue;
      }
      busy += b.cpuSeconds() - a.cpuSeconds();
      wall += (b.millis() - a.millis()) / 1000.0;
    }
    if (wall > 0) {
      return busy / wall * 100.0;
    }
    double[] usage = points.stream().filter(p -> !Double.isNaN(p.cpuUsage()) && !Double.isNaN(p.cpuCount()))
        .mapToDouble(p -> p.cpuUsage() * p.cpuCount() * 100.0).toArray();
    return usage.length == 0 ? Double.NaN : java.util.Arrays.stream(usage).average().orElse(Double.NaN);
  }

  private static double max(List<Point> points, java.util.function.ToDoubleFunction<Point> value) {
    double max = Double.NaN;
    for (Point point : points) {
      double v = value.applyAsDouble(point);
      if (!Double.isNaN(v) && (Double.isNaN(max) || v > max)) {
        max = v;
      }
    }
    return max;
  }

  /**
   * The cluster's own account of a fault that began at {@code from}: when a surviving replica first set a
   * peer aside (more peers aside than before the fault), and how many suspicions and re-sent requests
   * the replicas counted until {@code to}.
   */
  synchronized Cluster cluster(long from, long to) {
    long firstAside = -1;
    String by = null;
    double suspicions = 0;
    double resent = 0;
    for (Map.Entry<String, List<Point>> entry : series.entrySet()) {
      List<Point> points = entry.getValue();
      Point before = null;
      Point last = null;
      for (Point point : points) {
        if (point.millis() < from) {
          before = point;
          continue;
        }
        if (point.millis() > to) {
          break;
        }
        double baseline = before == null || Double.isNaN(before.peersAside()) ? 0 : before.peersAside();
        if (!Double.isNaN(point.peersAside()) && point.peersAside() > baseline && (firstAside < 0 || point.millis() < firstAside)) {
          firstAside = point.millis();
          by = entry.getKey();
        }
        last = point;
      }
      if (last != null) {
        Point base = before != null ? before : points.get(0);
        suspicions += delta(base.suspicions(), last.suspicions());
        resent += delta(base.resent(), last.resent());
      }
    }
    return new Cluster(firstAside, suspicions, resent, by);
  }

  private static double delta(double from, double to) {
    if (Double.isNaN(to)) {
      return 0;
    }
    double start = Double.isNaN(from) ? 0 : from;
    // A replica that restarted counts from 0 again: its whole count belongs to the window.
    return to >= start ? to - start : to;
  }

  /** Every replica's points, for the charts. */
  synchronized Map<String, List<Point>> series() {
    Map<String, List<Point>> copy = new LinkedHashMap<>();
    series.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  synchronized Map<String, String> services() {
    return new LinkedHashMap<>(services);
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
