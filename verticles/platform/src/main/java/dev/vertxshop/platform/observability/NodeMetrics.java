package dev.vertxshop.platform.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Optional;

/**
 * The node's meter registry, reachable from any verticle through its Vert.x instance: platform verticles
 * that services construct themselves (outbox relay, event consumer) register their gauges there without
 * every service having to pass the registry along.
 */
public final class NodeMetrics {

  private static final String MAP = "shop.node";
  private static final String KEY = "meterRegistry";

  private NodeMetrics() {
  }

  /** Not copied by the local map: every verticle of the node sees the one registry. */
  private record Ref(MeterRegistry registry) implements Shareable {
  }

  /** Makes {@code registry} the one of {@code vertx}'s node; called once by the node at start. */
  public static void install(Vertx vertx, MeterRegistry registry) {
    vertx.sharedData().getLocalMap(MAP).put(KEY, new Ref(registry));
  }

  /** The node's registry; empty for a Vert.x instance that no node built (a plain test instance). */
  public static Optional<MeterRegistry> of(Vertx vertx) {
    LocalMap<Object, Object> map = vertx.sharedData().getLocalMap(MAP);
    return map.get(KEY) instanceof Ref ref ? Optional.of(ref.registry()) : Optional.empty();
  }
}
