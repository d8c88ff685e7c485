package dev.vertxshop.platform.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.AbstractDiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryStrategyFactory;
import com.hazelcast.spi.discovery.SimpleDiscoveryNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Hazelcast discovery through a DNS name whose A records are the members (a Kubernetes headless
 * service, a Compose service alias, a Nomad service name through a DNS forwarder).
 *
 * <p>The name is resolved again on every join attempt and every split-brain check, not once at start:
 * when a dozen members start together, the first ones see few records or none, and a member list frozen
 * at that moment would leave them a cluster of their own for good.
 */
public final class DnsDiscovery implements DiscoveryStrategyFactory {

  private final String dnsName;
  private final int port;
  private final Function<String, InetAddress[]> resolver;

  public DnsDiscovery(String dnsName, int port) {
    this(dnsName, port, DnsDiscovery::resolve);
  }

  DnsDiscovery(String dnsName, int port, Function<String, InetAddress[]> resolver) {
    this.dnsName = dnsName;
    this.port = port;
    this.resolver = resolver;
  }

  /** The members the name points at now, each at the cluster's Hazelcast port; none when it has no records. */
  public List<DiscoveryNode> members() {
    List<DiscoveryNode> nodes = new ArrayList<>();
    for (InetAddress address : resolver.apply(dnsName)) {
      nodes.add(new SimpleDiscoveryNode(new Address(address, port)));
    }
    return nodes;
  }

  private static InetAddress[] resolve(String name) {
    try {
      return InetAddress.getAllByName(name);
    } catch (UnknownHostException e) {
      // A fresh deployment: no member has registered the name yet.
      return new InetAddress[0];
    }
  }

  @Override
  public Class<? extends DiscoveryStrategy> getDiscoveryStrategyType() {
    return Strategy.class;
  }

  @Override
  public DiscoveryStrategy newDiscoveryStrategy(DiscoveryNode discoveryNode, ILogger logger,
      Map<String, Comparable> properties) {
    return new Strategy(this, logger, properties);
  }

  @Override
  public Collection<PropertyDefinition> getConfigurationProperties() {
    return List.of();
  }

  @Override
  public String toString() {
    return "dns " + dnsName + " port " + port;
  }

  static final class Strategy extends AbstractDiscoveryStrategy {

    private final DnsDiscovery discovery;

    Strategy(DnsDiscovery discovery, ILogger logger, Map<String, Comparable> properties) {
      super(logger, properties);
      this.discovery = discovery;
    }

    @Override
    public Iterable<DiscoveryNode> discoverNodes() {
      List<DiscoveryNode> nodes = discovery.members();
      getLogger().fine("discovered " + nodes.size() + " member(s) through " + discovery);
      return nodes;
    }
  }
}
