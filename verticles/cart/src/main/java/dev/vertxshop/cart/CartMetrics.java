package dev.vertxshop.cart;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cart's idempotency keys on the node's {@code /metrics}: adds answered again, keys refused for another request, keys pruned. */
final class CartMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(CartMetrics.class);

  private final Counter replayed;
  private final Counter refused;
  private final Counter pruned;

  private CartMetrics(MeterRegistry registry) {
    String replays = "shop.cart.idempotency.replays";
    String description = "Adds sent again under a known idempotency key: answered with the first reply, or refused for another request";
    this.replayed = Counter.builder(replays).description(description).tag("outcome", "replayed").register(registry);
    this.refused = Counter.builder(replays).description(description).tag("outcome", "refused").register(registry);
    this.pruned = Counter.builder("shop.cart.idempotency.keys.pruned")
        .description("Idempotency keys of adds deleted after their retention")
        .register(registry);
  }

  /** The node's registry (what its /metrics serves); a private one when the node runs without metrics. */
  static CartMetrics on(MeterRegistry nodeRegistry) {
    if (nodeRegistry == null) {
      LOG.warn("no metrics registry: cart metrics are kept but not exported");
      return new CartMetrics(new SimpleMeterRegistry());
    }
    return new CartMetrics(nodeRegistry);
  }

  void replayed() {
    replayed.increment();
  }

  void refusedReuse() {
    refused.increment();
  }

  void pruned(long keys) {
    pruned.increment(keys);
  }
}
