package dev.vertxshop.platform.config;

import java.util.List;

/**
 * How this JVM joins the others: fixed, declarable ports for the event bus and Hazelcast, and a
 * discovery mode chosen by the orchestrator (a member list, or a DNS name whose A records are the
 * members, as a Kubernetes headless service or a Compose service name gives).
 */
public record ClusterConfig(
    String clusterName,
    String host,
    String publicHost,
    int eventBusPort,
    int hazelcastPort,
    String discovery,
    List<String> members,
    String dnsName,
    int heartbeatSeconds,
    int memberTimeoutSeconds) {

  public static final String DISCOVERY_MEMBERS = "members";
  public static final String DISCOVERY_DNS = "dns";

  public static ClusterConfig from(Env env) {
    String host = env.string("CLUSTER_HOST", "127.0.0.1");
    String discovery = env.oneOf("CLUSTER_DISCOVERY", DISCOVERY_MEMBERS, List.of(DISCOVERY_MEMBERS, DISCOVERY_DNS));
    String dnsName = env.string("CLUSTER_DNS_NAME", null);
    if (DISCOVERY_DNS.equals(discovery) && dnsName == null) {
      throw new ConfigException(Env.var("CLUSTER_DNS_NAME"), "is required when SHOP_CLUSTER_DISCOVERY=dns");
    }
    int heartbeat = env.integer("CLUSTER_HEARTBEAT_SECONDS", 1, 1, 60);
    int timeout = env.integer("CLUSTER_MEMBER_TIMEOUT_SECONDS", 15, 2, 600);
    if (timeout <= heartbeat) {
      throw new ConfigException(Env.var("CLUSTER_MEMBER_TIMEOUT_SECONDS"),
          timeout + " must be greater than SHOP_CLUSTER_HEARTBEAT_SECONDS (" + heartbeat + ")");
    }
    return new ClusterConfig(
        env.string("CLUSTER_NAME", "vertx-shop"),
        host,
        env.string("CLUSTER_PUBLIC_HOST", host),
        env.port("CLUSTER_EVENTBUS_PORT", 5801),
        env.port("CLUSTER_HAZELCAST_PORT", 5701),
        discovery,
        env.list("CLUSTER_MEMBERS", List.of("127.0.0.1")),
        dnsName,
        heartbeat,
        timeout);
  }
}
