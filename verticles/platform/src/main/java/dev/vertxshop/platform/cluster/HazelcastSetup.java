package dev.vertxshop.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MemberAttributeConfig;
import com.hazelcast.config.NetworkConfig;
import dev.vertxshop.platform.config.ClusterConfig;
import dev.vertxshop.platform.config.ClusterSecurity;
import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hazelcast configuration of a shop node: multicast off, a fixed port, members from a list (TCP/IP
 * join) or from a DNS name resolved again at every join and split-brain check ({@link DnsDiscovery}),
 * fast join, failure detection tolerant of a starved CPU, no phone-home.
 *
 * <p>With a cluster secret, the Hazelcast cluster name is derived from it (a process without the secret
 * names another cluster and is turned away at the join), and the member carries a proof of its node id and
 * event-bus address under the secret ({@link MemberProof}), which every shop node checks.
 */
public final class HazelcastSetup {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastSetup.class);

  /** Partitions of the cluster's data; a constant, because members that disagree cannot form a cluster. */
  public static final int PARTITION_COUNT = 71;

  private HazelcastSetup() {
  }

  /** The configuration of an open cluster (no secret): for tests of other things. */
  public static Config config(ClusterConfig cluster) {
    return config(cluster, ClusterSecurity.OPEN);
  }

  public static Config config(ClusterConfig cluster, ClusterSecurity security) {
    Config config = new Config();
    config.setClusterName(security.secret().map(s -> MemberProof.hazelcastClusterName(cluster.clusterName(), s))
        .orElse(cluster.clusterName()));
    config.setMemberAttributeConfig(new ProvingAttributes(
        security.secret().map(s -> new MemberProof(s, config.getClusterName())).orElse(null), eventBusAddress(cluster)));
    config.setInstanceName("shop-" + cluster.publicHost() + "-" + cluster.hazelcastPort());
    // Startup speed and quiet containers: no waiting before join, no phone-home, no JMX.
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.tcp.join.port.try.count", "1");
    config.setProperty("hazelcast.socket.connect.timeout.seconds", "2");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(cluster.heartbeatSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(cluster.memberTimeoutSeconds()));
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    // The cluster holds only event-bus subscriptions (a few hundred small entries): 271 partitions, the
    // default, would make every join and departure move 271 partitions and their backups, which on a
    // small machine starting a dozen JVMs at once is what stalls a join. Every member must agree.
    config.setProperty("hazelcast.partition.count", String.valueOf(PARTITION_COUNT));
    config.getJetConfig().setEnabled(false);
    config.getMetricsConfig().setEnabled(false);
    config.getSqlConfig().setStatementTimeoutMillis(0);

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.hazelcastPort()).setPortAutoIncrement(false).setPortCount(1);
    network.setPublicAddress(cluster.publicHost() + ":" + cluster.hazelcastPort());
    network.getInterfaces().setEnabled(false);
    network.getRestApiConfig().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (ClusterConfig.DISCOVERY_DNS.equals(cluster.discovery())) {
      DnsDiscovery dns = new DnsDiscovery(cluster.dnsName(), cluster.hazelcastPort());
      LOG.info("cluster {} joining through {} (now {} record(s))", cluster.clusterName(), dns, dns.members().size());
      join.getTcpIpConfig().setEnabled(false);
      config.setProperty("hazelcast.discovery.enabled", "true");
      join.getDiscoveryConfig().addDiscoveryStrategyConfig(new DiscoveryStrategyConfig(dns));
    } else {
      join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(members(cluster));
    }
    return config;
  }

  /** host:port of the event bus as other members connect to it (what the node advertises). */
  static String eventBusAddress(ClusterConfig cluster) {
    return cluster.publicHost() + ":" + cluster.eventBusPort();
  }

  /**
   * The member's attributes: its event-bus address, and, once vertx-hazelcast sets the node id it chose
   * (just before it starts the Hazelcast instance), the proof of both under the cluster secret.
   * {@link ShopClusterManager} checks after the join that its own member carries a valid proof, so a change
   * in how vertx-hazelcast sets the attribute cannot go unnoticed.
   */
  private static final class ProvingAttributes extends MemberAttributeConfig {

    private final MemberProof proof;
    private final String eventBus;

    ProvingAttributes(MemberProof proof, String eventBus) {
      this.proof = proof;
      this.eventBus = eventBus;
      super.setAttribute(MemberProof.EVENT_BUS_ATTRIBUTE, eventBus);
    }

    @Override
    public MemberAttributeConfig setAttribute(String name, String value) {
      super.setAttribute(name, value);
      if (proof != null && MemberProof.NODE_ID_ATTRIBUTE.equals(name)) {
        super.setAttribute(MemberProof.PROOF_ATTRIBUTE, proof.sign(value, eventBus));
      }
      return this;
    }
  }

  /** host[:port] entries of the configured member list; a bare host means the configured Hazelcast port. */
  static List<String> members(ClusterConfig cluster) {
    List<String> members = new ArrayList<>();
    for (String member : cluster.members()) {
      members.add(member.contains(":") ? member : member + ":" + cluster.hazelcastPort());
    }
    if (members.isEmpty()) {
      throw new ConfigException(Env.var("CLUSTER_MEMBERS"), "names no member");
    }
    LOG.info("cluster {} joining through {} (discovery: {})", cluster.clusterName(), members, cluster.discovery());
    return members;
  }
}
