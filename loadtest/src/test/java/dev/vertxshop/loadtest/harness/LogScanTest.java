package dev.vertxshop.loadtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LogScanTest {

  @Test
  @DisplayName("the shop's JSON log lines that mark a cluster event, with their times, within the window only")
  void scan() {
    String logs = """
        gateway-1 {"ts":"2026-01-01T10:00:04.100Z","level":"WARN","logger":"dev.vertxshop.platform.cluster.PeerWatch","thread":"t","message":"peer 1b2c (127.0.0.1:18070) did not answer a ping within 750 ms: sending it no new requests while others serve"}
        catalog-2 {"ts":"2026-01-01T10:00:09.000Z","level":"INFO","logger":"com.hazelcast.internal.cluster.ClusterService","thread":"t","message":"[127.0.0.1]:18051 [vertx-shop] [5.5.0] \\n\\nMembers {size:9, ver:12} [\\n\\tMember ...]"}
        cart {"ts":"2026-01-01T10:00:02.500Z","level":"WARN","logger":"com.hazelcast.internal.server.tcp.TcpServerConnectionErrorHandler","thread":"t","message":"[127.0.0.1]:18057 [vertx-shop] [5.3.8] Removing connection to endpoint [127.0.0.1]:18052 Cause => java.io.IOException {Connection refused}"}
        catalog-2 {"ts":"2026-01-01T10:00:09.500Z","level":"INFO","logger":"x","thread":"t","message":"order 42 confirmed"}
        catalog-1 {"ts":"2026-01-01T09:59:00.000Z","level":"INFO","logger":"x","thread":"t","message":"node stopping"}
        not json at all
        """;
    long from = Instant.parse("2026-01-01T10:00:00Z").toEpochMilli();

    List<LogScan.Event> events = LogScan.scan(logs, from, from + 60_000);

    assertThat(events).hasSize(3);
    assertThat(events.get(0).what()).isEqualTo("Hazelcast dropped its connection to a member");
    assertThat(events.get(1).replica()).isEqualTo("gateway-1");
    assertThat(events.get(1).what()).startsWith("set a peer aside");
    assertThat(events.get(1).millis() - from).isEqualTo(4_100);
    assertThat(events.get(2).what()).isEqualTo("Hazelcast member list now 9 members");
    assertThat(LogScan.first(events, "Hazelcast member", null).replica()).isEqualTo("catalog-2");
  }
}
