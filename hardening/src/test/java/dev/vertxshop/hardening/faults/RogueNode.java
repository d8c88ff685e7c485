package dev.vertxshop.hardening.faults;

import dev.vertxshop.platform.cluster.EventBusSetup;
import dev.vertxshop.platform.cluster.HazelcastSetup;
import dev.vertxshop.platform.config.ClusterConfig;
import dev.vertxshop.platform.config.ClusterSecurity;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.testing.ClusterKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An intruder on the cluster's network, in a JVM of its own (scenario 10): two clustered Vert.x nodes
 * built with the stock vertx-hazelcast manager, as anyone can, that know the Hazelcast cluster's name and
 * members (watched on the network) but not the cluster secret. "plain" speaks plain TCP on the event bus;
 * "selfsigned" speaks TLS with a certificate of its own, trusts every server and asks clients for none.
 * Both register fake consumers of service addresses and, when told, send to services.
 *
 * <p>Arguments: {@code hazelcastClusterName members(host:port,...) firstPort}; it uses four ports from
 * {@code firstPort}. Prints {@code ready}, then on stdin {@code attack} one line per send ({@code sent
 * <node> <address> delivered|refused <why>}) and {@code attacked}, on {@code report} one line per fake
 * consumer ({@code received <node> <address> <count>}) and {@code reported}.
 */
public final class RogueNode {

  /** What the fake consumers pretend to serve: a product read (routed constantly), the gateway's key set. */
  static final List<String> FAKE_CONSUMERS = List.of("catalog.product.get", "users.jwks", "orders.get");
  /** What the intruder tries to call, with a body of the right shape where it matters. */
  static final Map<String, JsonObject> ATTACKS = Map.of(
      "payments.cancel", new JsonObject().put("orderId", UUID.randomUUID().toString()),
      "catalog.product.create", new JsonObject().put("sku", "ROGUE-1").put("name", "rogue").put("priceCents", 1)
          .put("stock", 1),
      "orders.list", new JsonObject().put("userId", UUID.randomUUID().toString()),
      "users.jwks", new JsonObject());
  static final int SENDS_PER_ADDRESS = 5;

  private RogueNode() {
  }

  public static void main(String[] args) throws Exception {
    String clusterName = args[0];
    String members = args[1];
    int port = Integer.parseInt(args[2]);
    Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    Vertx plain = node(clusterName, members, port, ClusterSecurity.OPEN, false);
    ClusterKeys own = ClusterKeys.generate("not-the-cluster");
    Env tlsEnv = Env.of(own.env()).with(Map.of("SHOP_CLUSTER_SECRET", "a-guess-at-the-cluster-secret"));
    Vertx selfSigned = node(clusterName, members, port + 2, ClusterSecurity.from(tlsEnv), true);
    serve(plain, "plain", received);
    serve(selfSigned, "selfsigned", received);
    System.out.println("ready");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    String command;
    while ((command = in.readLine()) != null) {
      switch (command.trim()) {
        case "attack" -> {
          attack(plain, "plain");
          attack(selfSigned, "selfsigned");
          System.out.println("attacked");
        }
        case "report" -> {
          for (String key : FAKE_CONSUMERS.stream().flatMap(a -> List.of("plain " + a, "selfsigned " + a).stream()).toList()) {
            System.out.println("received " + key + " " + received.getOrDefault(key, new AtomicInteger()).get());
          }
          System.out.println("reported");
        }
        default -> System.out.println("unknown " + command);
      }
      System.out.flush();
    }
    System.exit(0);
  }

  private static Vertx node(String clusterName, String members, int port, ClusterSecurity security, boolean tls) throws Exception {
    ClusterConfig cluster = ClusterConfig.from(Env.of(Map.of(
        "SHOP_CLUSTER_NAME", "intruder",
        "SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(port),
        "SHOP_CLUSTER_EVENTBUS_PORT", String.valueOf(port + 1),
        "SHOP_CLUSTER_MEMBERS", members,
        "SHOP_CLUSTER_HEARTBEAT_SECONDS", String.valueOf(FaultCluster.HEARTBEAT_SECONDS),
        "SHOP_CLUSTER_MEMBER_TIMEOUT_SECONDS", String.valueOf(FaultCluster.MEMBER_TIMEOUT_SECONDS))));
    com.hazelcast.config.Config config = HazelcastSetup.config(cluster, ClusterSecurity.OPEN);
    config.setClusterName(clusterName);
    EventBusOptions options = EventBusSetup.options(cluster, security);
    if (tls) {
      options.setTrustAll(true).setClientAuth(ClientAuth.NONE);
    }
    return Vertx.builder().withClusterManager(new HazelcastClusterManager(config))
        .with(new VertxOptions().setEventLoopPoolSize(2).setEventBusOptions(options))
        .buildClustered().await(120, TimeUnit.SECONDS);
  }

  private static void serve(Vertx vertx, String node, Map<String, AtomicInteger> received) throws Exception {
    List<Future<?>> registered = new ArrayList<>();
    for (String address : FAKE_CONSUMERS) {
      AtomicInteger counter = received.computeIfAbsent(node + " " + address, k -> new AtomicInteger());
      registered.add(vertx.eventBus().consumer(address, message -> {
        counter.incrementAndGet();
        // A forged answer: what a fake users.jwks or catalog would hand the gateway.
        message.reply(new JsonObject().put("forged", true));
      }).completion());
    }
    Future.all(registered).await(30, TimeUnit.SECONDS);
  }

  private static void attack(Vertx vertx, String node) {
    for (Map.Entry<String, JsonObject> attack : ATTACKS.entrySet()) {
      for (int i = 0; i < SENDS_PER_ADDRESS; i++) {
        String outcome;
        try {
          Object reply = vertx.eventBus().request(attack.getKey(), attack.getValue(), new DeliveryOptions().setSendTimeout(3_000))
              .await(10, TimeUnit.SECONDS).body();
          // An answer from its own fake consumer is no delivery to the shop.
          outcome = reply instanceof JsonObject json && json.getBoolean("forged", false) ? "local" : "delivered";
        } catch (Exception e) {
          outcome = "refused " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
        System.out.println("sent " + node + " " + attack.getKey() + " " + outcome);
      }
    }
  }
}
