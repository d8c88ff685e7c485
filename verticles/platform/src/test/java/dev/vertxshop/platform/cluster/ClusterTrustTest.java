package dev.vertxshop.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.config.ClusterConfig;
import dev.vertxshop.platform.config.ClusterSecurity;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.testing.ClusterKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A closed cluster with intruders, all real Hazelcast members and event buses on 127.0.0.1 in this JVM:
 * "a" and "b" hold the secret and the cluster certificate; "rogue" runs the stock vertx-hazelcast manager
 * with a plain event bus and no secret, but names the cluster right (as one that watched the network
 * would); "wrongcert" holds the secret but another certificate, and trusts any server.
 */
@DisplayName("A closed cluster: members prove the secret, the event bus runs TLS with the cluster certificate")
class ClusterTrustTest {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterTrustTest.class);
  private static final String SERVICE = "trust.test.service";
  private static final String SHARED = "trust.test.shared";
  private static final String ROGUE_ONLY = "trust.test.rogue-only";
  private static final String WRONG_CERT_ONLY = "trust.test.wrongcert-only";
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(3_000);

  private static Vertx a;
  private static Vertx b;
  private static Vertx rogue;
  private static Vertx wrongCert;
  /** Messages each node's consumers received, by node then address. */
  private static final Map<String, Map<String, AtomicInteger>> received = new ConcurrentHashMap<>();

  @BeforeAll
  static void cluster() throws Exception {
    List<Integer> ports = List.of(ClusterMember.freePortPair(), ClusterMember.freePortPair(), ClusterMember.freePortPair(),
        ClusterMember.freePortPair());
    Env envA = ClusterMember.env(ports.get(0), ports, 10);
    ClusterSecurity closed = ClusterSecurity.from(envA);
    a = closedNode(envA, closed);
    b = closedNode(ClusterMember.env(ports.get(1), ports, 10), closed);
    serve(a, "a", SERVICE);
    serve(b, "b", SERVICE, SHARED);

    // The intruder without the secret: what anyone can start with vertx-hazelcast, given the cluster's name.
    Env envRogue = ClusterMember.env(ports.get(2), ports, 10);
    ClusterConfig rogueCluster = ClusterConfig.from(envRogue);
    com.hazelcast.config.Config rogueConfig = HazelcastSetup.config(rogueCluster, ClusterSecurity.OPEN);
    rogueConfig.setClusterName(HazelcastSetup.config(ClusterConfig.from(envA), closed).getClusterName());
    rogue = Vertx.builder().withClusterManager(new HazelcastClusterManager(rogueConfig))
        .with(new VertxOptions().setEventBusOptions(EventBusSetup.options(rogueCluster, ClusterSecurity.OPEN)))
        .buildClustered().await(90, TimeUnit.SECONDS);
    serve(rogue, "rogue", SHARED, ROGUE_ONLY, "users.jwks");

    // The one with the secret but a certificate of its own, trusting every server.
    Map<String, String> other = new HashMap<>(ClusterKeys.generate("intruder").env());
    other.put("SHOP_CLUSTER_SECRET", ClusterKeys.shared().secret);
    Env envWrong = Env.of(mapOf(ClusterMember.env(ports.get(3), ports, 10), other));
    ClusterConfig wrongCluster = ClusterConfig.from(envWrong);
    ClusterSecurity wrongSecurity = ClusterSecurity.from(envWrong);
    // Trusting every server and asking no certificate of clients: only the cluster's own checks stand in the way.
    EventBusOptions trustingAll = EventBusSetup.options(wrongCluster, wrongSecurity).setTrustAll(true)
        .setClientAuth(io.vertx.core.http.ClientAuth.NONE);
    wrongCert = Vertx.builder().withClusterManager(new ShopClusterManager(HazelcastSetup.config(wrongCluster, wrongSecurity), wrongSecurity))
        .with(new VertxOptions().setEventBusOptions(trustingAll))
        .buildClustered().await(90, TimeUnit.SECONDS);
    serve(wrongCert, "wrongcert", WRONG_CERT_ONLY);

    // Every member in a's Hazelcast view before the tests judge it.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (manager(a).getHazelcastInstance().getCluster().getMembers().size() < 4 && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertThat(manager(a).getHazelcastInstance().getCluster().getMembers()).hasSize(4);
    // The first TLS connections (handshakes on a cold, loaded JVM) before the tests' short deadlines; a
    // warm-up message that reached an intruder would still show in its counters.
    for (Vertx from : new Vertx[] {a, b}) {
      String last = null;
      for (int i = 0; i < 10 && last == null; i++) {
        try {
          last = from.eventBus().<String>request(SHARED, "warm-up", new DeliveryOptions().setSendTimeout(10_000))
              .await(15, TimeUnit.SECONDS).body();
        } catch (Exception notYet) {
          Thread.sleep(200);
        }
      }
      assertThat(last).isEqualTo("b");
    }
    assertThat(a.eventBus().<String>request(SERVICE, "warm-up", new DeliveryOptions().setSendTimeout(10_000))
        .await(15, TimeUnit.SECONDS).body()).isIn("a", "b");
  }

  @AfterAll
  static void stop() throws Exception {
    for (Vertx vertx : new Vertx[] {wrongCert, rogue, b, a}) {
      if (vertx != null) {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName("a member without the secret is in the Hazelcast cluster but never a trusted node")
  void noSecretNoTrust() {
    ShopClusterManager manager = manager(a);
    String rogueId = ((VertxInternal) rogue).clusterManager().getNodeId();
    assertThat(manager.isTrusted(rogueId)).isFalse();
    assertThat(manager.untrustedMembers()).isEqualTo(1);
    assertThat(manager.getNodes()).doesNotContain(rogueId)
        .contains(manager.getNodeId(), manager(b).getNodeId(), manager(wrongCert).getNodeId());
    assertThat(manager(b).isTrusted(rogueId)).isFalse();
  }

  @Test
  @DisplayName("the consumers of a member without the secret are never chosen, not even when they are the only ones")
  void rogueConsumersNeverChosen() throws Exception {
    int attempts = 30;
    Map<String, Integer> answeredBy = new HashMap<>();
    for (int i = 0; i < attempts; i++) {
      answeredBy.merge(a.eventBus().<String>request(SHARED, "ping", QUICK).await(10, TimeUnit.SECONDS).body(), 1, Integer::sum);
    }
    int refused = 0;
    for (String address : List.of(ROGUE_ONLY, "users.jwks")) {
      for (int i = 0; i < 5; i++) {
        if (failed(a.eventBus().request(address, "ping", QUICK))) {
          refused++;
        }
      }
    }
    int delivered = count("rogue", SHARED) + count("rogue", ROGUE_ONLY) + count("rogue", "users.jwks");
    LOG.info("sends to addresses the intruder serves: {} to {} (answered by {}), 10 to its own addresses: {} refused; delivered to it: {}",
        attempts, SHARED, answeredBy, refused, delivered);
    assertThat(answeredBy).containsOnlyKeys("b");
    assertThat(refused).isEqualTo(10);
    assertThat(delivered).isZero();
  }

  @Test
  @DisplayName("a member without the secret and the certificate cannot send to a service")
  void rogueCannotSend() throws Exception {
    int before = count("a", SERVICE) + count("b", SERVICE);
    int attempts = 10;
    int refused = 0;
    for (int i = 0; i < attempts; i++) {
      if (failed(rogue.eventBus().request(SERVICE, "cancel everything", QUICK))) {
        refused++;
      }
    }
    int delivered = count("a", SERVICE) + count("b", SERVICE) - before;
    LOG.info("intruder without certificate: {} attempts to {}, {} refused, {} delivered", attempts, SERVICE, refused, delivered);
    assertThat(refused).isEqualTo(attempts);
    assertThat(delivered).isZero();
  }

  @Test
  @DisplayName("a node with another certificate can neither send to the cluster nor be sent to; the cluster certificate can")
  void wrongCertificateCannotConnect() throws Exception {
    int before = count("a", SERVICE) + count("b", SERVICE);
    int attempts = 5;
    int outRefused = 0;
    int inRefused = 0;
    for (int i = 0; i < attempts; i++) {
      if (failed(wrongCert.eventBus().request(SERVICE, "hello", QUICK))) {
        outRefused++;
      }
      if (failed(a.eventBus().request(WRONG_CERT_ONLY, "hello", QUICK))) {
        inRefused++;
      }
    }
    int delivered = count("a", SERVICE) + count("b", SERVICE) - before + count("wrongcert", WRONG_CERT_ONLY);
    LOG.info("node with another certificate: {} sends from it refused, {} sends to it refused (of {} each), {} delivered",
        outRefused, inRefused, attempts, delivered);
    assertThat(outRefused).isEqualTo(attempts);
    assertThat(inRefused).isEqualTo(attempts);
    assertThat(delivered).isZero();
    // Control: between the two nodes holding the cluster certificate, TLS works.
    assertThat(b.eventBus().<String>request(SERVICE, "hello", QUICK).await(10, TimeUnit.SECONDS).body()).isIn("a", "b");
  }

  private static Vertx closedNode(Env env, ClusterSecurity security) throws Exception {
    ClusterConfig cluster = ClusterConfig.from(env);
    return Vertx.builder().withClusterManager(new ShopClusterManager(HazelcastSetup.config(cluster, security), security))
        .with(new VertxOptions().setEventBusOptions(EventBusSetup.options(cluster, security)))
        .buildClustered().await(90, TimeUnit.SECONDS);
  }

  private static void serve(Vertx vertx, String name, String... addresses) throws Exception {
    List<Future<?>> registered = new ArrayList<>();
    for (String address : addresses) {
      AtomicInteger counter = received.computeIfAbsent(name, n -> new ConcurrentHashMap<>()).computeIfAbsent(address, x -> new AtomicInteger());
      registered.add(vertx.eventBus().<String>consumer(address, message -> {
        counter.incrementAndGet();
        message.reply(name);
      }).completion());
    }
    Future.all(registered).await(30, TimeUnit.SECONDS);
  }

  private static int count(String node, String address) {
    AtomicInteger counter = received.getOrDefault(node, Map.of()).get(address);
    return counter == null ? 0 : counter.get();
  }

  private static boolean failed(Future<?> reply) throws Exception {
    try {
      reply.await(15, TimeUnit.SECONDS);
      return false;
    } catch (java.util.concurrent.TimeoutException e) {
      throw e;
    } catch (Exception refused) {
      return true;
    }
  }

  private static ShopClusterManager manager(Vertx vertx) {
    return (ShopClusterManager) ((VertxInternal) vertx).clusterManager();
  }

  private static Map<String, String> mapOf(Env env, Map<String, String> overrides) {
    Map<String, String> vars = new HashMap<>();
    for (String name : List.of("NAME", "HAZELCAST_PORT", "EVENTBUS_PORT", "MEMBERS", "MEMBER_TIMEOUT_SECONDS")) {
      vars.put("SHOP_CLUSTER_" + name, env.string("CLUSTER_" + name, null));
    }
    vars.putAll(overrides);
    return vars;
  }
}
