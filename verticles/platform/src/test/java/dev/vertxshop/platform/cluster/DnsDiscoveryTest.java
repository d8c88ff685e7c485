package dev.vertxshop.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryConfig;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.discovery.DiscoveryNode;
import dev.vertxshop.platform.config.ClusterConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DNS discovery: the name is resolved at every join and split-brain check")
class DnsDiscoveryTest {

  @Test
  @DisplayName("every A record of the name is a member at the cluster's Hazelcast port")
  void resolvesEveryRecord() throws Exception {
    InetAddress a = InetAddress.getByName("10.0.0.7");
    InetAddress b = InetAddress.getByName("10.0.0.9");
    DnsDiscovery discovery = new DnsDiscovery("shop-cluster", 5701, name -> new InetAddress[] {a, b});
    assertThat(discovery.members()).extracting(DiscoveryNode::getPrivateAddress)
        .containsExactly(new Address(a, 5701), new Address(b, 5701));
  }

  @Test
  @DisplayName("a real lookup of localhost answers the loopback address")
  void realLookup() throws Exception {
    List<DiscoveryNode> members = new DnsDiscovery("localhost", 5701).members();
    assertThat(members).isNotEmpty();
    assertThat(members).allSatisfy(m -> assertThat(m.getPrivateAddress().getInetAddress().isLoopbackAddress()).isTrue());
  }

  @Test
  @DisplayName("the DNS mode configures Hazelcast's discovery, not a member list fixed at start")
  void configuresDiscovery() {
    Config config = HazelcastSetup.config(dnsCluster("vertx-shop", "127.0.0.1", 5701, "shop-cluster"));
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isFalse();
    assertThat(config.getProperty("hazelcast.discovery.enabled")).isEqualTo("true");
    DiscoveryConfig discovery = config.getNetworkConfig().getJoin().getDiscoveryConfig();
    assertThat(discovery.getDiscoveryStrategyConfigs()).singleElement()
        .satisfies(c -> assertThat(c.getDiscoveryStrategyFactory()).isInstanceOf(DnsDiscovery.class));
    assertThat(config.getProperty("hazelcast.partition.count")).isEqualTo(String.valueOf(HazelcastSetup.PARTITION_COUNT));
  }

  @Test
  @DisplayName("a member that started alone, while the name had no record of the other, joins it once the record appears")
  void lateRecordHealsAnEarlySplit() throws Exception {
    String clusterName = "dns-test-" + UUID.randomUUID();
    int port = freePort();
    InetAddress first = InetAddress.getByName("127.0.0.1");
    InetAddress second = InetAddress.getByName("127.0.0.2");
    // What the DNS name answers: nothing while both start, so each forms a cluster of its own.
    AtomicReference<InetAddress[]> records = new AtomicReference<>(new InetAddress[0]);
    List<HazelcastInstance> members = new ArrayList<>();
    try {
      members.add(Hazelcast.newHazelcastInstance(memberConfig(clusterName, first, port, records::get)));
      members.add(Hazelcast.newHazelcastInstance(memberConfig(clusterName, second, port, records::get)));
      assertThat(members).allSatisfy(m -> assertThat(m.getCluster().getMembers()).hasSize(1));

      records.set(new InetAddress[] {first, second});

      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline && !members.stream().allMatch(m -> m.getCluster().getMembers().size() == 2)) {
        Thread.sleep(200);
      }
      assertThat(members).allSatisfy(m -> assertThat(m.getCluster().getMembers()).hasSize(2));
    } finally {
      members.forEach(HazelcastInstance::shutdown);
    }
  }

  private static ClusterConfig dnsCluster(String name, String host, int port, String dnsName) {
    return new ClusterConfig(name, host, host, 0, port, ClusterConfig.DISCOVERY_DNS, List.of(), dnsName, 1, 5);
  }

  /** The shop's configuration, bound to one loopback address so that two members share one port. */
  private static Config memberConfig(String clusterName, InetAddress host, int port,
      java.util.function.Supplier<InetAddress[]> records) {
    Config config = HazelcastSetup.config(dnsCluster(clusterName, host.getHostAddress(), port, "shop-cluster"));
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.local.localAddress", host.getHostAddress());
    Function<String, InetAddress[]> resolver = name -> records.get();
    DiscoveryConfig discovery = config.getNetworkConfig().getJoin().getDiscoveryConfig();
    discovery.getDiscoveryStrategyConfigs().clear();
    discovery.addDiscoveryStrategyConfig(new DiscoveryStrategyConfig(new DnsDiscovery("shop-cluster", port, resolver)));
    return config;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
