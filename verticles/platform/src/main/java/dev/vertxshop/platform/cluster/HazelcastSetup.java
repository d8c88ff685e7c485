package dev.vertxshop.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.vertxshop.platform.config.ClusterConfig;
import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hazelcast configuration of a shop node: TCP/IP join only (multicast off), a fixed port, members
 * from a list or from a DNS name, fast join and failure detection, no phone-home.
 */
public final class HazelcastSetup {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastSetup.class);

  private HazelcastSetup() {
  }

  public static Config config(ClusterConfig cluster) {
    Config config = new Config();
    config.setClusterName(cluster.clusterName());
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
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(members(cluster));
    return config;
  }

  /** host[:port] entries to try; a bare host means the configured Hazelcast port. */
  static List<String> members(ClusterConfig cluster) {
    List<String> members = new ArrayList<>();
    if (ClusterConfig.DISCOVERY_DNS.equals(cluster.discovery())) {
      try {
        for (InetAddress address : InetAddress.getAllByName(cluster.dnsName())) {
          members.add(address.getHostAddress() + ":" + cluster.hazelcastPort());
        }
      } catch (UnknownHostException e) {
        // First member of a fresh deployment: the name has no records yet. Start alone; others find us.
        LOG.info("cluster DNS name {} has no records yet; starting as the first member", cluster.dnsName());
      }
    } else {
      for (String member : cluster.members()) {
        members.add(member.contains(":") ? member : member + ":" + cluster.hazelcastPort());
      }
    }
    if (members.isEmpty() && ClusterConfig.DISCOVERY_MEMBERS.equals(cluster.discovery())) {
      throw new ConfigException(Env.var("CLUSTER_MEMBERS"), "names no member");
    }
    LOG.info("cluster {} joining through {} (discovery: {})", cluster.clusterName(), members, cluster.discovery());
    return members;
  }
}
