package dev.vertxshop.platform.cluster;

import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.observability.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.NodeInfo;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the peers this node sends to, over the event bus itself, and sets aside one that stops
 * answering: a member that is frozen (a long GC pause, a starved container, SIGSTOP) keeps its TCP
 * connections and its place in the Hazelcast cluster until the member timeout ends, and meanwhile every
 * request routed to it waits for its deadline. Set aside, it gets no new requests while another consumer
 * of the address exists; it is chosen again as soon as it answers.
 *
 * <p>Every node answers pings on its own address ({@link #address}); this node pings, one ping in flight
 * per peer, every {@code interval}, the peers that serve an address it has sent to
 * ({@link ShopClusterManager#peersInUse}), so the cost follows the call graph, not the cluster's size.
 * A ping unanswered after {@code suspectAfter} sets the peer aside. Being aside changes where messages
 * go, not who is a member: a false suspicion (a busy peer) costs a little balance, never a split cluster,
 * which is why this can be far quicker than Hazelcast's failure detection.
 *
 * <p>It also opens the node's connection to every trusted peer once, as soon as both are up (a warm-up
 * ping, whatever the interval): the first connection costs a TLS handshake, which a request should not pay.
 *
 * <p>Metrics: {@code shop_cluster_peers_aside} (peers set aside now) and
 * {@code shop_cluster_peer_suspicions_total}; and, for the cluster secret, {@code shop_cluster_members_untrusted}
 * (members now in the Hazelcast cluster without a valid proof) and {@code shop_cluster_untrusted_joins_total}.
 */
public final class PeerWatch extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PeerWatch.class);
  /** Why this watch sets a node aside (other reasons may set it aside too). */
  static final String REASON = "unresponsive";
  private static final long WARM_TIMEOUT_MS = 15_000;
  private static final long WARM_TICK_MS = 1_000;

  /** Ping interval and patience; a zero interval turns the watch off. */
  public record Settings(Duration interval, Duration suspectAfter) {

    public static Settings from(Env env) {
      Duration interval = env.duration("CLUSTER_PEER_PING_INTERVAL", Duration.ofMillis(250), Duration.ZERO, Duration.ofMinutes(1));
      Duration suspectAfter = env.duration("CLUSTER_PEER_SUSPECT_AFTER", Duration.ofMillis(750), Duration.ofMillis(50),
          Duration.ofMinutes(5));
      return new Settings(interval, suspectAfter);
    }

    public boolean enabled() {
      return !interval.isZero();
    }
  }

  private final Settings settings;
  /** Peers with a ping in flight; event-loop confined, like the rest of this verticle's state. */
  private final Set<String> pinging = new HashSet<>();
  /** Peers this node has an open connection to (a warm-up ping answered), and those being warmed. */
  private final Set<String> warmed = new HashSet<>();
  private final Set<String> warming = new HashSet<>();
  private ShopClusterManager cluster;
  private MessageConsumer<Object> pong;
  private long timer = -1;
  private Counter suspicions;
  private Gauge aside;
  private Gauge untrusted;
  private io.micrometer.core.instrument.FunctionCounter untrustedJoins;

  public PeerWatch(Settings settings) {
    this.settings = settings;
  }

  /** The address on which the node {@code nodeId} answers pings. */
  public static String address(String nodeId) {
    return "__shop.peer." + nodeId;
  }

  @Override
  public Future<?> start() {
    if (!(((VertxInternal) vertx).clusterManager() instanceof ShopClusterManager manager)) {
      return Future.failedFuture(new IllegalStateException("PeerWatch needs the shop's cluster manager"));
    }
    cluster = manager;
    pong = vertx.eventBus().consumer(address(cluster.getNodeId()), message -> message.reply(null));
    NodeMetrics.of(vertx).ifPresent(this::meters);
    long tick = settings.enabled() ? settings.interval().toMillis() : WARM_TICK_MS;
    timer = vertx.setPeriodic(tick, id -> {
      warmAll();
      if (settings.enabled()) {
        pingAll();
      }
    });
    return pong.completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    NodeMetrics.of(vertx).ifPresent(registry -> {
      for (io.micrometer.core.instrument.Meter meter : new io.micrometer.core.instrument.Meter[] {aside, untrusted, untrustedJoins}) {
        if (meter != null) {
          registry.remove(meter);
        }
      }
    });
    return pong.unregister();
  }

  private void meters(MeterRegistry registry) {
    suspicions = Counter.builder("shop.cluster.peer.suspicions")
        .description("Peers set aside because a ping went unanswered for SHOP_CLUSTER_PEER_SUSPECT_AFTER")
        .register(registry);
    aside = Gauge.builder("shop.cluster.peers.aside", cluster, c -> c.setAsideNodes().size())
        .description("Cluster nodes this node sends no new requests to now (unresponsive)")
        .strongReference(true)
        .register(registry);
    untrusted = Gauge.builder("shop.cluster.members.untrusted", cluster, ShopClusterManager::untrustedMembers)
        .description("Hazelcast members now in the cluster that did not prove they hold SHOP_CLUSTER_SECRET (never routed to)")
        .strongReference(true)
        .register(registry);
    untrustedJoins = io.micrometer.core.instrument.FunctionCounter.builder("shop.cluster.untrusted.joins", cluster, ShopClusterManager::untrustedJoins)
        .description("Members that joined the Hazelcast cluster without a valid proof of the cluster secret")
        .register(registry);
  }

  /**
   * Opens this node's event-bus connection to every trusted peer as soon as both ends are up: the first
   * connection costs a TLS handshake (with client auth), which on a loaded machine with a cold JVM can
   * outlast a request's deadline, so it is paid here, while the node starts, rather than by the first
   * request. One ping per peer, answered once; no verdict on a slow answer.
   */
  private void warmAll() {
    java.util.List<String> nodes = cluster.getNodes();
    warmed.retainAll(nodes);
    for (String peer : nodes) {
      if (!peer.equals(cluster.getNodeId()) && !warmed.contains(peer) && warming.add(peer)) {
        vertx.eventBus().request(address(peer), null, new DeliveryOptions().setSendTimeout(WARM_TIMEOUT_MS)).onComplete(
            answered -> {
              warming.remove(peer);
              warmed.add(peer);
            },
            // Not serving pings yet (starting) or gone: tried again at the next tick.
            failure -> warming.remove(peer));
      }
    }
  }

  private void pingAll() {
    Set<String> peers = cluster.peersInUse();
    // A peer set aside is no longer "in use" once every address it serves chose others: keep pinging it,
    // so that it comes back when it answers.
    for (String peer : cluster.setAsideNodes()) {
      if (cluster.getNodes().contains(peer)) {
        peers.add(peer);
      }
    }
    peers.remove(cluster.getNodeId());
    for (String peer : peers) {
      // A peer whose first connection is still being opened is judged once it is open.
      if (warmed.contains(peer) && pinging.add(peer)) {
        ping(peer);
      }
    }
  }

  private void ping(String peer) {
    long sent = System.nanoTime();
    vertx.eventBus().request(address(peer), null, new DeliveryOptions().setSendTimeout(settings.suspectAfter().toMillis()))
        .onComplete(
            answered -> {
              pinging.remove(peer);
              if (cluster.restore(peer, REASON)) {
                LOG.info("peer {} ({}) answers again after {} ms: back in the rotation", peer, where(peer),
                    (System.nanoTime() - sent) / 1_000_000);
              }
            },
            failure -> {
              pinging.remove(peer);
              // A peer that left meanwhile is no one's destination any more: nothing to set aside.
              if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT
                  && cluster.getNodes().contains(peer)) {
                if (cluster.setAside(peer, REASON)) {
                  if (suspicions != null) {
                    suspicions.increment();
                  }
                  LOG.warn("peer {} ({}) did not answer a ping within {} ms: sending it no new requests while others serve",
                      peer, where(peer), settings.suspectAfter().toMillis());
                }
              }
              // NO_HANDLERS: the peer has not registered its ping address yet (starting), or has left: no verdict.
            });
  }

  private String where(String peer) {
    NodeInfo info = cluster.knownNodeInfo(peer);
    return info == null ? "address unknown" : info.host() + ":" + info.port();
  }
}
