package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MetricsSamplerTest {

  private static final Endpoint CATALOG_1 = new Endpoint("catalog", "catalog-1", "1", "http://127.0.0.1:1");
  private static final Endpoint CATALOG_2 = new Endpoint("catalog", "catalog-2", "2", "http://127.0.0.1:2");

  private static String page(double cpuSeconds, double heap, double aside, double suspicions, double resent) {
    return String.format(java.util.Locale.ROOT, """
        # TYPE process_cpu_time_ns_total counter
        process_cpu_time_ns_total %.1f
        jvm_memory_used_bytes{area="heap",id="Tenured Gen"} %.1f
        jvm_memory_committed_bytes{area="heap",id="Tenured Gen"} 100000000.0
        jvm_memory_committed_bytes{area="nonheap",id="Metaspace"} 50000000.0
        jvm_buffer_memory_used_bytes{id="direct"} 1000000.0
        jvm_buffer_memory_used_bytes{id="mapped"} 9.0E9
        shop_cluster_peers_aside{service="catalog"} %.1f
        shop_cluster_peer_suspicions_total{service="catalog"} %.1f
        shop_bus_resent_total{address="catalog.get"} %.1f
        """, cpuSeconds * 1e9, heap, aside, suspicions, resent);
  }

  @Test
  @DisplayName("reads what the shop exports (recorded /metrics of the all-in-one JVM): CPU time, heap, committed memory")
  void recordedPage() throws Exception {
    String text = Files.readString(Path.of(getClass().getResource("/fixtures/metrics-all-in-one.txt").toURI()));

    MetricsSampler.Point point = MetricsSampler.point(0, PromText.parse(text));

    assertThat(point.cpuSeconds()).isEqualTo(20.04);
    assertThat(point.cpuCount()).isEqualTo(2.0);
    assertThat(point.heapUsed()).isEqualTo(1.6777216E7 + 5.7299456E7 + 5872672.0);
    // Mapped buffers (Kafka's segment files, 1.3 GB here) are file mappings, not held memory: left out.
    assertThat(point.jvmCommitted()).isLessThan(400e6).isGreaterThan(250e6);
    assertThat(point.rss()).isNaN();
    assertThat(point.peersAside()).isNaN();
  }

  @Test
  @DisplayName("reads the cluster's own metrics from a recorded /metrics of a clustered gateway (processes target)")
  void recordedClusteredPage() throws Exception {
    String text = Files.readString(Path.of(getClass().getResource("/fixtures/metrics-gateway-clustered.txt").toURI()));

    MetricsSampler.Point point = MetricsSampler.point(0, PromText.parse(text));

    assertThat(point.peersAside()).isZero();
    assertThat(point.suspicions()).isEqualTo(5.0);
    assertThat(point.resent()).isEqualTo(2.0);
    assertThat(point.cpuSeconds()).isPositive();
    assertThat(point.jvmCommitted()).isPositive();
  }

  @Test
  @DisplayName("CPU in percent of one core from CPU seconds over wall seconds; a restart (counter back to 0) splits the window")
  void cpuPercent() {
    MetricsSampler sampler = new MetricsSampler(List::of, 1000);
    sampler.add(CATALOG_1, 1_000, PromText.parse(page(10, 1, 0, 0, 0)));
    sampler.add(CATALOG_1, 3_000, PromText.parse(page(11, 2, 0, 0, 0)));
    // restarted: its counter starts again; that interval counts for nothing
    sampler.add(CATALOG_1, 5_000, PromText.parse(page(0.2, 3, 0, 0, 0)));
    sampler.add(CATALOG_1, 7_000, PromText.parse(page(0.6, 4, 0, 0, 0)));

    MetricsSampler.Stat stat = sampler.stats(0, 10_000).get(0);

    // (1 s + 0.4 s) of CPU over (2 s + 2 s) of wall time.
    assertThat(stat.avgCpuPercent()).isCloseTo(35.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(stat.peakHeapBytes()).isEqualTo(4);
    assertThat(stat.peakJvmBytes()).isEqualTo(151_000_000);
    assertThat(stat.samples()).isEqualTo(4);
    assertThat(sampler.stats(6_000, 10_000).get(0).samples()).isEqualTo(1);
  }

  @Test
  @DisplayName("the cluster's own account of a fault: first peer set aside after it, suspicions and resends counted in the window")
  void cluster() {
    MetricsSampler sampler = new MetricsSampler(List::of, 1000);
    sampler.add(CATALOG_2, 9_500, PromText.parse(page(1, 1, 0, 3, 10)));
    sampler.add(CATALOG_1, 9_600, PromText.parse(page(1, 1, 0, 0, 0)));
    sampler.add(CATALOG_2, 10_500, PromText.parse(page(1, 1, 0, 3, 10)));
    sampler.add(CATALOG_2, 11_000, PromText.parse(page(1, 1, 1, 4, 17)));
    sampler.add(CATALOG_2, 11_500, PromText.parse(page(1, 1, 1, 4, 19)));
    sampler.add(CATALOG_2, 30_000, PromText.parse(page(1, 1, 0, 9, 99)));

    MetricsSampler.Cluster cluster = sampler.cluster(10_000, 20_000);

    assertThat(cluster.firstAsideMillis()).isEqualTo(11_000);
    assertThat(cluster.firstAsideBy()).isEqualTo("catalog-2");
    assertThat(cluster.suspicions()).isEqualTo(1);
    assertThat(cluster.resent()).isEqualTo(9);
    assertThat(sampler.cluster(12_000, 20_000).firstAsideMillis()).isEqualTo(-1);
  }

  @Test
  @DisplayName("Prometheus text: labels with escapes, special values, and a malformed line costs only itself")
  void promText() {
    PromText text = PromText.parse("""
        # HELP x a metric
        a{l="x\\"y",m="z"} 1.5
        a{l="w"} 2
        b NaN
        c +Inf
        broken{l="x" 1
        """);

    assertThat(text.sum("a")).isEqualTo(3.5);
    assertThat(text.sum("a", "l", "x\"y")).isEqualTo(1.5);
    assertThat(text.sum("b")).isNaN();
    assertThat(text.sum("c")).isInfinite();
    assertThat(text.sum("missing")).isNaN();
    assertThat(text.samples()).hasSize(4);
  }
}
